//! Prints the book a `pdf` or `epub` fuzz input stands for, and lays it out
//! with timings, to turn a fuzz artifact into a regression test.
//! Usage: cargo run --release --manifest-path fuzz/Cargo.toml --example show -- FILE [WIDTH] [CHAPTERS]
use folio::backend::RenderContext;
use folio::config::BookConfig;
use folio::diag::Sink;
use folio::pdf::Profile;
use folio::source::Sources;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let data = std::fs::read(&args[1]).expect("input");
    let width: u32 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(4);
    let chapters: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(2);
    let mut u = arbitrary::Unstructured::new(&data);
    let mut book = folio_fuzz::BookGen::new(&mut u, width)
        .book(chapters)
        .expect("a book");
    let highlight = u.arbitrary::<bool>().unwrap_or(false);
    let screen = u.arbitrary::<bool>().unwrap_or(false);
    let toc = u.int_in_range(0..=7).ok();
    if highlight {
        folio::highlight::book(&mut book, None);
    }
    for a in &mut book.assets {
        // Shortened for printing (the bytes are shared, so copied).
        a.bytes = std::sync::Arc::new(a.bytes[..a.bytes.len().min(64)].to_vec());
    }
    println!("{book:#?}\nhighlight {highlight} screen {screen} toc {toc:?}");
    let mut config = BookConfig::default();
    config.pdf.toc_depth = toc;
    let mut sources = Sources::new("/fuzz");
    sources.add("/fuzz/ch.md", "x\n".repeat(40));
    let root = std::env::temp_dir();
    let cx = RenderContext {
        book: &book,
        config: &config,
        root: &root,
        sources: &sources,
        date: 0, print_pages: None,
    };
    let mut sink = Sink::new();
    let started = std::time::Instant::now();
    let doc = folio::pdf::layout(
        &cx,
        if screen {
            Profile::Screen
        } else {
            Profile::Print
        },
        &mut sink,
        None,
    );
    println!(
        "layout: {:?} pages in {:?}",
        doc.as_ref().map(|d| d.pages.len()),
        started.elapsed()
    );
}
