//! Typographic statistics of books' PDF layout (see `src/pdf/layout/stats/`):
//! `cargo run --release --example typo_stats -- [--root DIR] BOOK_DIR…` prints
//! one Markdown section per book (`--root` widens the next book's folder, as
//! `folio build --root` does). `TYPOGRAPHY.md` reports its output.
use folio::diag::Sink;
use folio::source::Sources;

fn main() {
    let cwd = std::env::current_dir().expect("a working directory");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (root, dir) = if arg == "--root" {
            let root = args.next().expect("a folder after --root");
            (Some(root), args.next().expect("a book after --root DIR"))
        } else {
            (None, arg)
        };
        let mut sources = Sources::new(&cwd);
        let mut sink = Sink::new();
        let Ok(ms) = folio::manuscript::load_within(
            std::path::Path::new(&dir),
            root.as_deref().map(std::path::Path::new),
            &mut sources,
            &mut sink,
        ) else {
            eprintln!("{dir}: does not load");
            continue;
        };
        let Ok(mut book) = folio::parse::book(&ms, &sources, &mut sink) else {
            eprintln!("{dir}: does not parse");
            continue;
        };
        folio::highlight::book(&mut book);
        let cx = folio::backend::RenderContext {
            book: &book,
            config: &ms.config,
            root: &ms.root,
            sources: &sources,
            date: 0,
            print_pages: None,
        };
        let Some((style, _)) = folio::pdf::load_style(&cx, &mut sink) else {
            eprintln!("{dir}: no print style");
            continue;
        };
        let Some(doc) = folio::pdf::layout(&cx, folio::pdf::Profile::Print, &mut sink) else {
            eprintln!("{dir}: does not lay out");
            continue;
        };
        let stats = folio::pdf::layout::stats::measure(&doc, &style);
        println!("{}", stats.report(&dir));
    }
}
