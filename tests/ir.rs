//! IR snapshot tests: each good fixture's document tree, dumped as text, must
//! match `expected/ir.txt` (review changes, then `FOLIO_BLESS=1` to accept).

mod common;

use common::{expect_file, root};
use folio::diag::Sink;
use folio::source::Sources;
use std::path::PathBuf;

fn dump(book_dir: &str) -> (String, Vec<String>) {
    let mut sources = Sources::new(root());
    let mut sink = Sink::new();
    let ms = folio::manuscript::load(&root().join(book_dir), &mut sources, &mut sink)
        .expect("the book loads");
    let book = folio::parse::book(&ms, &sources, &mut sink).expect("the book parses");
    let messages = sink
        .diagnostics()
        .iter()
        .map(|d| d.render(&sources))
        .collect();
    (folio::ir::dump::book(&book, &sources), messages)
}

#[test]
fn ir_dumps_match_expected() {
    let mut failures = Vec::new();
    for (book, expected) in [
        ("manuscript", "tests/fixtures/sample-ir.txt"),
        (
            "tests/fixtures/kitchen-sink",
            "tests/fixtures/kitchen-sink/expected/ir.txt",
        ),
        (
            "tests/fixtures/sorted-files",
            "tests/fixtures/sorted-files/expected/ir.txt",
        ),
        (
            "tests/fixtures/html-forms",
            "tests/fixtures/html-forms/expected/ir.txt",
        ),
    ] {
        let (text, _) = dump(book);
        if let Some(diff) = expect_file(&PathBuf::from(expected), &text) {
            failures.push(diff);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn kitchen_sink_resolves_links_notes_and_parts() {
    let (text, messages) = dump("tests/fixtures/kitchen-sink");
    assert_eq!(
        messages,
        [
            "tests/fixtures/kitchen-sink/src/SUMMARY.md:11:1: note: draft chapter `A Chapter Still Being Written` has no file yet and is skipped"
        ]
    );
    // Cross-chapter links resolve to chapter indexes and anchors.
    assert!(text.contains("link chapter 4#prerequisites"), "{text}");
    assert!(text.contains("link chapter 3#the-first-step"), "{text}");
    // Parts and roles.
    assert!(
        text.contains("chapter id=part-one-foundations role=part"),
        "{text}"
    );
    assert!(text.contains("role=dedication"), "{text}");
    assert!(text.contains("role=glossary"), "{text}");
    // Footnotes are numbered by first reference.
    assert!(text.contains("footnote 1 label=\"shared\""), "{text}");
    assert!(text.contains("footnote 2 label=\"other\""), "{text}");
    // The fence's first word is the language.
    assert!(text.contains("code lang=sh "), "{text}");
    assert!(text.contains("code lang=rust "), "{text}");
}
