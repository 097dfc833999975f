//! Books as authors write them: HTML (`tests/fixtures/html-forms`, and the
//! corpus of real mdBook books when present) where every form builds,
//! nothing active is kept (one note each), no text is lost, and figures are
//! drawn at the size the author gave, never narrower than 30 pt nor wider
//! than the text block; and code (`tests/fixtures/code-as-typed`) that comes
//! out of the PDF exactly as typed.

mod common;

use folio::pdf::Profile;
use folio::pdf::layout::frame::{Item, PagedDoc};
use std::path::Path;

/// Text block width of the default print style (6×9 in, 0.875 + 0.625 in margins).
const WIDTH: f32 = 432.0 - 63.0 - 45.0;

fn layout(dir: &Path) -> (PagedDoc, Vec<String>) {
    let mut loaded = common::Loaded::new(dir);
    let (cx, sink) = loaded.cx();
    let doc = folio::pdf::layout(&cx, Profile::Print, sink, None).expect("lays out");
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
            Item::Glyphs(run) => Some(&*run.text),
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
        let Ok(ms) = folio::manuscript::load(&dir, None, &mut sources, &mut sink) else {
            eprintln!("{book}: does not load yet, skipped");
            continue;
        };
        let Ok(mut parsed) = folio::parse::book(&ms, &sources, &mut sink, None) else {
            eprintln!("{book}: does not parse yet, skipped");
            continue;
        };
        folio::highlight::book(&mut parsed, None);
        let cx = folio::backend::RenderContext {
            book: &parsed,
            config: &ms.config,
            root: &ms.root,
            sources: &sources,
            date: 0,
            print_pages: None,
        };
        let doc = folio::pdf::layout(&cx, Profile::Print, &mut sink, None).expect("lays out");
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

/// Code prints as typed: every line of every code block of a code-heavy
/// book comes back out of the PDF (`pdftotext`, at the code font's pitch)
/// character for character, and every glyph of code is the font's own glyph
/// for its one character (no ligature, no contextual alternate).
#[test]
fn code_comes_out_of_the_pdf_as_typed() {
    let dir = common::fixture("code-as-typed");
    let (doc, _) = layout(&dir);
    let mut checked = 0;
    for run in doc
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Glyphs(run) => Some(run),
            _ => None,
        })
    {
        let font = &doc.fonts[usize::from(run.font.0)];
        if !font.postscript_name.contains("Mono") {
            continue;
        }
        let face = ttf_parser::Face::parse(&font.bytes, font.index).expect("font");
        for glyph in run.glyphs.iter() {
            let text = &run.text[glyph.text_start as usize..glyph.text_end as usize];
            let mut chars = text.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                panic!("a code glyph stands for {text:?} in {:?}", run.text);
            };
            assert_eq!(
                face.glyph_index(c).map(|g| g.0),
                Some(glyph.id),
                "`{c}` in {:?} is drawn with another glyph",
                run.text
            );
            checked += 1;
        }
    }
    assert!(checked > 500, "{checked} code glyphs");
    // The PDF, read back at the code's pitch.
    let out = tempfile::tempdir().expect("temp dir");
    let status = common::folio(&[
        "build",
        dir.to_str().expect("path"),
        "--format",
        "pdf",
        "--out",
        out.path().to_str().expect("path"),
    ]);
    assert!(status.status.success(), "{status:?}");
    let pdf = out.path().join("code-as-typed.pdf");
    let pitch = code_pitch(&doc);
    let text = std::process::Command::new("pdftotext")
        // A hair wider than the pitch, so rounding never merges two columns.
        .args(["-fixed", &format!("{:.3}", pitch * 1.004)])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let text = String::from_utf8_lossy(&text.stdout);
    let source = std::fs::read_to_string(dir.join("01-code.md")).expect("source");
    let mut in_code = false;
    let mut lines = 0;
    for line in source.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if !in_code || line.trim().is_empty() {
            continue;
        }
        let wanted = line.trim_start();
        assert!(
            text.lines().any(|l| l.trim_end().ends_with(wanted)
                && l.trim_end().len() - wanted.len() >= line.len() - wanted.len()),
            "`{line}` is not in the PDF's text:\n{text}"
        );
        lines += 1;
    }
    assert_eq!(lines, 20);
}

/// The advance of one character of code blocks (the smallest monospace
/// size: inline code follows the body size), in points.
fn code_pitch(doc: &PagedDoc) -> f32 {
    doc.pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Glyphs(run) if run.glyphs.len() > 1 => Some(run),
            _ => None,
        })
        .filter(|run| {
            doc.fonts[usize::from(run.font.0)]
                .postscript_name
                .contains("Mono")
        })
        .min_by(|a, b| a.size.total_cmp(&b.size))
        .map(|run| run.glyphs[1].x - run.glyphs[0].x)
        .expect("code in the book")
}
