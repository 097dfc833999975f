//! Real books build unchanged: each of the public mdBook books in
//! `../shared/corpus` is built once, with the command its README gives, by
//! the binary under test, and checked on its output: no errors, EPUBCheck
//! 0 fatals / 0 errors / 0 warnings, no title set twice (a heading followed
//! by one with the same text), PDF bookmarks nesting as `SUMMARY.md` nests
//! (read independently of folio), and at least 95% of the source's
//! chapter-to-chapter links still links in the EPUB and in the PDF.
//!
//! Skipped, with a line saying so, when the corpus is not there
//! (`FOLIO_CORPUS` names another folder).

mod common;

use common::corpus;

/// Errors that belong to other work (raw HTML and SVG handling, issue 11):
/// (book, part of the message). While one shows, the book writes nothing, so
/// only what can be checked without its output is; once that work lands, the
/// entry no longer matches and everything is checked.
const ELSEWHERE: &[(&str, &str)] = &[
    ("mdbook/guide", "<style> is not allowed in a book"),
    ("mdbook/guide", "raw HTML is not well-formed"),
    ("embedded-book", "XML with DTD detected"),
];

/// Warnings about the book's structure that this corpus must not give: each
/// was a symptom of reading an mdBook book differently from mdBook.
const WRONG: &[&str] = &[
    "link to missing file",
    "not a chapter",
    "unknown key",
    "unknown table",
    "not a chapter link",
    "has no chapters",
    "is listed twice",
];

#[test]
fn mdbook_guide() {
    check("mdbook/guide");
}

#[test]
fn rust_by_example() {
    check("rust-by-example");
}

#[test]
fn async_book() {
    check("async-book");
}

#[test]
fn embedded_book() {
    check("embedded-book");
}

fn check(folder: &str) {
    let Some(dir) = corpus::dir() else { return };
    let built = corpus::build(&dir, folder);
    eprintln!(
        "{folder}: built in {:.1} s, {} messages",
        built.seconds,
        built.messages.len()
    );
    for m in &built.messages {
        eprintln!("  {m}");
    }
    let wrong: Vec<&String> = built
        .messages
        .iter()
        .filter(|m| WRONG.iter().any(|w| m.contains(w)))
        .collect();
    assert!(wrong.is_empty(), "{folder}: {wrong:#?}");

    let errors: Vec<&String> = built
        .messages
        .iter()
        .filter(|m| m.contains(": error: ") || m.starts_with("error: "))
        .collect();
    let (elsewhere, ours): (Vec<&String>, Vec<&String>) = errors.iter().partition(|m| {
        ELSEWHERE
            .iter()
            .any(|(book, text)| *book == folder && m.contains(text))
    });
    assert!(ours.is_empty(), "{folder} has errors: {ours:#?}");
    if !elsewhere.is_empty() {
        eprintln!(
            "{folder}: {} errors left to the raw HTML/SVG work (issue 11); the output checks wait for it",
            elsewhere.len()
        );
        return;
    }
    assert!(built.success, "{folder} failed: {:#?}", built.messages);
    let epub = built.epub.as_deref().expect("an EPUB was written");
    let pdf = built.pdf.as_deref().expect("a PDF was written");

    // EPUBCheck: nothing at all.
    let (ok, findings) = common::epubcheck(epub);
    assert!(
        ok && findings.is_empty(),
        "{folder}: EPUBCheck: {findings:#?}"
    );

    // The title is set once: no heading is followed by one with its text.
    let chapters = corpus::epub_chapters(epub);
    let repeated = corpus::repeated_headings(&chapters);
    assert!(repeated.is_empty(), "{folder}: {repeated:#?}");

    // Bookmarks nest as SUMMARY.md nests: its entries, in order, each at its
    // depth; the top level is SUMMARY's top level and nothing else.
    let summary = corpus::summary(&built.src);
    let marks = corpus::bookmarks(pdf);
    let title = |t: &str| {
        let t = corpus::plain(t);
        // "3. Title": numbered chapters carry their number.
        match t.split_once(". ") {
            Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => rest.to_owned(),
            _ => t,
        }
    };
    let mut next = 0;
    for (depth, mark) in &marks {
        if let Some(entry) = summary.get(next) {
            if entry.depth == *depth && entry.title == title(mark) {
                next += 1;
                continue;
            }
        }
        assert!(
            *depth > 0,
            "{folder}: top-level bookmark `{mark}` is not a top-level SUMMARY.md entry (expected {:?})",
            summary.get(next)
        );
    }
    assert_eq!(
        next,
        summary.len(),
        "{folder}: SUMMARY.md entry {:?} has no bookmark at its depth",
        summary.get(next)
    );

    // Links between chapters stay links.
    let files: Vec<String> = summary.iter().filter_map(|e| e.file.clone()).collect();
    let source = corpus::chapter_links_in_source(&built.src, &files);
    let in_epub = corpus::chapter_links_in_epub(&chapters);
    let in_pdf = corpus::chapter_links_in_pdf(pdf);
    eprintln!(
        "{folder}: chapter-to-chapter links: {source} in the source, {in_epub} in the EPUB, {in_pdf} in the PDF"
    );
    assert!(
        source > 0,
        "{folder}: no links between chapters found in the source"
    );
    for (what, count) in [("EPUB", in_epub), ("PDF", in_pdf)] {
        assert!(
            count * 100 >= source * 95,
            "{folder}: only {count} of {source} chapter-to-chapter links are links in the {what}"
        );
    }
}
