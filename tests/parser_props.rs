//! Property tests: the Markdown parser and the whole load → parse → EPUB path
//! never panic, whatever the input, and every span stays inside its file.

use folio::diag::Sink;
use folio::source::{SourceId, Sources};
use proptest::prelude::*;

/// Markdown-flavoured fragments, so random strings hit real constructs.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("# ".to_owned()),
        Just("## Title {#id .c}\n".to_owned()),
        Just("\n\n".to_owned()),
        Just("> ".to_owned()),
        Just("- ".to_owned()),
        Just("1. ".to_owned()),
        Just("- [x] ".to_owned()),
        Just("```python\n".to_owned()),
        Just("```".to_owned()),
        Just("    ".to_owned()),
        Just("|a|b|\n|-|:-:|\n".to_owned()),
        Just("[^n]".to_owned()),
        Just("[^n]: note\n".to_owned()),
        Just("[link](other.md#x)".to_owned()),
        Just("![alt](img.png \"t\")".to_owned()),
        Just("<div>".to_owned()),
        Just("</div>".to_owned()),
        Just("<br>".to_owned()),
        Just("&nbsp;".to_owned()),
        Just("*".to_owned()),
        Just("**".to_owned()),
        Just("~~".to_owned()),
        Just("`".to_owned()),
        Just("\"quoted\" it's -- ...".to_owned()),
        Just("---\n".to_owned()),
        Just("+++\n".to_owned()),
        "[a-zé\u{1F4DD} ]{0,12}",
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..40).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn markdown_parse_never_panics_and_spans_stay_in_the_file(text in document()) {
        let body = folio::parse::markdown::parse(SourceId(0), &text, 0, true);
        let mut spans = Vec::new();
        folio::ir::walk::blocks(&body.blocks, &mut |b| spans.push(b.span));
        for span in spans {
            prop_assert!(span.start as usize <= text.len() && span.end as usize <= text.len());
        }
    }

}

proptest! {
    // Each case lays out and writes a PDF: fewer cases keep the test quick.
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn whole_books_never_panic(first in document(), second in document()) {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("book.toml"), "[book]\ntitle = \"P\"\nlanguage = \"en\"\n").expect("toml");
        std::fs::write(dir.path().join("01.md"), &first).expect("ch1");
        std::fs::write(dir.path().join("other.md"), &second).expect("ch2");
        let mut sources = Sources::new(dir.path());
        let mut sink = Sink::new();
        if let Ok(ms) = folio::manuscript::load(dir.path(), &mut sources, &mut sink) {
            if let Ok(mut book) = folio::parse::book(&ms, &sources, &mut sink) {
                folio::highlight::book(&mut book);
                let cx = folio::backend::RenderContext { book: &book, config: &ms.config, root: &ms.root, sources: &sources, date: 0 , print_pages: None };
                let _ = folio::backend::Backend::render(&folio::epub::EpubBackend, &cx, &mut sink);
                if let Some(doc) = folio::pdf::layout(&cx, folio::pdf::Profile::Print, &mut sink) {
                    // Nothing laid out overflows the page, whatever the input.
                    for page in &doc.pages {
                        for item in &page.items {
                            if let folio::pdf::layout::frame::Item::Glyphs(run) = item {
                                prop_assert!(run.x >= 0.0 && run.x <= page.width && run.y >= 0.0 && run.y <= page.height, "{run:?}");
                            }
                        }
                    }
                    prop_assert!(folio::pdf::write::write_pdf(&doc).is_ok());
                }
            }
        }
        for d in sink.diagnostics() {
            // Rendering a diagnostic must not panic either (positions are valid).
            let _ = d.render(&sources);
        }
    }
}
