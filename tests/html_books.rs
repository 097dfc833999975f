//! Books with HTML as authors write it (`tests/fixtures/html-forms`, and the
//! corpus of real mdBook books when present): every form builds, nothing
//! active is kept (one note each), no text is lost, and figures are drawn at
//! the size the author gave, never narrower than 30 pt nor wider than the
//! text block.

mod common;

use folio::pdf::layout::book::Profile;
use folio::pdf::layout::frame::{Item, PagedDoc};
use std::path::Path;

/// Text block width of the default print style (6×9 in, 0.875 + 0.625 in margins).
const WIDTH: f32 = 432.0 - 63.0 - 45.0;

fn layout(dir: &Path) -> (PagedDoc, Vec<String>) {
    let mut loaded = common::Loaded::new(dir);
    let (cx, sink) = loaded.cx();
    let doc = folio::pdf::layout(&cx, Profile::Print, sink).expect("lays out");
    (doc, loaded.messages())
}

/// Widths of every image drawn, in page order.
fn image_widths(doc: &PagedDoc) -> Vec<f32> {
    doc.pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|item| match item {
            Item::Image { rect, .. } => Some(rect.w),
            _ => None,
        })
        .collect()
}

#[test]
fn every_html_form_builds_keeps_its_text_and_drops_only_active_content() {
    let (doc, messages) = layout(&common::fixture("html-forms"));
    let root = format!("{}/", common::root().display());
    let notes: Vec<String> = messages
        .iter()
        .map(|m| m.lines().next().unwrap_or("").replace(&root, ""))
        .collect();
    assert_eq!(
        notes,
        [
            "tests/fixtures/html-forms/06-active-content.md:3:1: note: `<style>` is left out: a chapter cannot carry its own styles",
            "tests/fixtures/html-forms/06-active-content.md:7:1: note: `<script>` is left out: a book runs no scripts",
            "tests/fixtures/html-forms/06-active-content.md:9:1: note: the event handler attribute `onclick` is left out: a book runs no scripts",
            "tests/fixtures/html-forms/06-active-content.md:11:3: note: a link to a `javascript:` address is left out; its text is kept",
            "tests/fixtures/html-forms/06-active-content.md:15:1: note: `<iframe>` is left out: embedded pages and plugins cannot travel in a book",
            "tests/fixtures/html-forms/09-odd-html.md:5:1: note: `<video>` cannot be carried into the book; the text inside it is kept",
            "tests/fixtures/html-forms/09-odd-html.md:7:11: note: an SVG drawing written into the page is left out",
            "tests/fixtures/html-forms/09-odd-html.md:8:1: note: MathML is not typeset; the text of the formula is kept",
        ],
        "{messages:#?}"
    );
    let text: String = doc
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|item| match item {
            Item::Glyphs(run) => Some(run.text.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ");
    // A word from every form: Markdown inside custom elements, details,
    // divs and figures; text around comments and dropped elements; inline
    // tags; HTML tables and definition lists; unknown elements.
    for word in [
        "Hello,",
        "CommonMark",
        "answer",
        "42",
        "summary",
        "Warning:",
        "brut.",
        "Unclosed",
        "Second",
        "pipeline",
        "Before.",
        "After.",
        "Inline",
        "Click",
        "javascript",
        "data",
        "Kept.",
        "Ctrl",
        "marked",
        "klein",
        "custom",
        "Versions",
        "html5ever",
        "description.",
        "Not",
        "video",
        "stray",
        "let",
        "bold",
    ] {
        assert!(text.contains(word), "`{word}` is missing from the PDF");
    }
    for gone in ["alert(1)", "alert(\"hi\")", "color: red"] {
        assert!(!text.contains(gone), "`{gone}` printed");
    }
    // The SVG (480 px) is capped at the measure; `style="width: 50%"` is half
    // the measure; `width="120"` is 120 CSS pixels; the others print at 300 ppi.
    let widths: Vec<i32> = image_widths(&doc)
        .iter()
        .map(|w| w.round() as i32)
        .collect();
    assert_eq!(
        widths,
        [
            WIDTH.round() as i32,
            (WIDTH / 2.0).round() as i32,
            90,
            77,
            77
        ]
    );
}

/// The corpus of real books (`../shared/corpus`, or `FOLIO_CORPUS`), each
/// copied to a temporary folder: every figure between 30 pt and the measure.
/// Books that do not load yet for reasons outside HTML and images are listed
/// and skipped.
#[test]
fn corpus_figures_fit_the_measure() {
    let corpus = std::env::var_os("FOLIO_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| common::root().join("../shared/corpus"));
    if !corpus.is_dir() {
        eprintln!("no corpus at {}: skipped", corpus.display());
        return;
    }
    let mut checked = 0;
    for book in ["rust-by-example", "async-book", "embedded-book"] {
        let dir = corpus.join(book);
        if !dir.join("book.toml").is_file() {
            continue;
        }
        let mut sources = folio::source::Sources::new(&dir);
        let mut sink = folio::diag::Sink::new();
        let Ok(ms) = folio::manuscript::load(&dir, &mut sources, &mut sink) else {
            eprintln!("{book}: does not load yet, skipped");
            continue;
        };
        let Ok(mut parsed) = folio::parse::book(&ms, &sources, &mut sink) else {
            eprintln!("{book}: does not parse yet, skipped");
            continue;
        };
        folio::highlight::book(&mut parsed);
        let cx = folio::backend::RenderContext {
            book: &parsed,
            config: &ms.config,
            root: &ms.root,
            sources: &sources,
            date: 0,
        };
        let doc = folio::pdf::layout(&cx, Profile::Print, &mut sink).expect("lays out");
        for w in image_widths(&doc) {
            assert!(
                (30.0..=WIDTH + 0.01).contains(&w),
                "{book}: a figure {w} pt wide"
            );
            eprintln!("{book}: figure {w:.1} pt");
            checked += 1;
        }
    }
    eprintln!("{checked} corpus figures checked");
}
