//! Prints the layout dump of a book: `cargo run --example dump_layout -- manuscript [screen]`.
use folio::diag::Sink;
use folio::source::Sources;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "manuscript".into());
    let screen = std::env::args().nth(2).is_some_and(|a| a == "screen");
    let cwd = std::env::current_dir().unwrap();
    let mut sources = Sources::new(&cwd);
    let mut sink = Sink::new();
    let ms = folio::manuscript::load(std::path::Path::new(&dir), &mut sources, &mut sink)
        .expect("loads");
    let mut book = folio::parse::book(&ms, &sources, &mut sink).expect("parses");
    folio::highlight::book(&mut book);
    let cx = folio::backend::RenderContext {
        book: &book,
        config: &ms.config,
        root: &ms.root,
        sources: &sources,
        date: 0,
        print_pages: None,
    };
    let profile = if screen {
        folio::pdf::Profile::Screen
    } else {
        folio::pdf::Profile::Print
    };
    let t = std::time::Instant::now();
    let doc = folio::pdf::layout(&cx, profile, &mut sink).expect("lays out");
    eprintln!(
        "layout: {:?}, {} pages, labels {:?}",
        t.elapsed(),
        doc.pages.len(),
        doc.page_labels
    );
    for d in sink.diagnostics() {
        eprintln!("{}", d.render(&sources));
    }
    print!("{}", folio::pdf::layout::dump::document(&doc));
}
