//! `folio watch` keeps work between builds (parsed chapters, highlighted
//! code, fonts, shaped words, compressed pages, converted images). These
//! tests prove the caches are invisible: a rebuild in a session writes the
//! same bytes as a cold build of the same files, and a changed font file is
//! loaded again.

mod common;

use folio::build::Session;
use folio::{BuildOptions, Format};
use std::path::{Path, PathBuf};

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A copy of the kitchen-sink fixture to edit, in a temporary folder (kept
/// as long as the first value lives).
fn kitchen_sink() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp");
    let book = tmp.path().join("book");
    copy_tree(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kitchen-sink"),
        &book,
    );
    (tmp, book)
}

/// Replaces the first `from` in `book`'s `file` with `to`.
fn edit_in(book: &Path, file: &str, from: &str, to: &str) {
    let path = book.join(file);
    let text = std::fs::read_to_string(&path).expect("chapter");
    assert!(text.contains(from), "{file} has {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("edit");
}

fn options(book: &Path, out: &Path) -> BuildOptions {
    BuildOptions {
        book_dir: book.to_path_buf(),
        root: None,
        out_dir: out.to_path_buf(),
        format: Format::All,
        strict: false,
        display_base: book.to_path_buf(),
        source_date_epoch: Some("1700000000".into()),
        profile: None,
        font_paths: Vec::new(),
    }
}

/// Builds into `out` (in `session`, or cold) and returns the artifacts' bytes by name.
fn build(session: Option<&mut Session>, book: &Path, out: &Path) -> Vec<(String, Vec<u8>)> {
    let opts = options(book, out);
    let report = match session {
        Some(s) => folio::build(&opts, s),
        None => folio::build(&opts, &mut Session::default()),
    };
    assert!(
        !report.failed,
        "build failed: {:?}",
        report
            .diagnostics
            .iter()
            .map(|d| &d.message)
            .collect::<Vec<_>>()
    );
    let mut files: Vec<(String, Vec<u8>)> = report
        .written
        .iter()
        .map(|w| {
            let name = w.path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&w.path).expect("artifact"))
        })
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "an EPUB and a PDF");
    files
}

#[test]
fn a_rebuild_in_a_session_writes_what_a_cold_build_writes() {
    let (tmp, book) = kitchen_sink();
    let mut session = Session::watching();
    let first = build(Some(&mut session), &book, &tmp.path().join("a"));

    // A word in the prose and one in a code block; the images stay as they were.
    let chapter = book.join("src/part1/code.md");
    let text = std::fs::read_to_string(&chapter).expect("chapter");
    let edited =
        text.replacen("Python:", "Python here:", 1)
            .replacen("# a comment", "# one comment", 1);
    assert_ne!(text, edited, "the fixture has a word to change");
    std::fs::write(&chapter, edited).expect("edit");

    let warm = build(Some(&mut session), &book, &tmp.path().join("b"));
    let cold = build(None, &book, &tmp.path().join("c"));
    for ((name, warm), (_, cold)) in warm.iter().zip(&cold) {
        assert!(
            warm == cold,
            "{name}: the session's rebuild differs from a cold build"
        );
    }
    for ((name, before), (_, after)) in first.iter().zip(&warm) {
        assert!(
            before != after,
            "{name}: the edit did not reach the rebuild"
        );
    }
}

#[test]
fn a_changed_font_file_is_loaded_again() {
    let tmp = tempfile::tempdir().expect("temp");
    let book = tmp.path().join("book");
    let fonts = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fonts");
    std::fs::create_dir_all(book.join("styles")).expect("mkdir");
    std::fs::create_dir_all(book.join("fonts")).expect("mkdir");
    std::fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"Fonts\"\nlanguage = \"en\"\nidentifier = \"urn:uuid:8d4a3e4e-0b39-4f43-9a37-0a0f5c1c2d11\"\n\n[pdf]\nstyle = \"styles/mine.toml\"\n",
    )
    .expect("book.toml");
    std::fs::write(
        book.join("styles/mine.toml"),
        "[fonts]\nbody = \"Mine\"\n[fonts.families.\"Mine\"]\nregular = \"fonts/body.ttf\"\n",
    )
    .expect("style");
    std::fs::write(
        book.join("one.md"),
        "# One\n\nSome words in the body face.\n",
    )
    .expect("md");
    let body = book.join("fonts/body.ttf");
    std::fs::copy(fonts.join("eb-garamond/EBGaramond-Regular.ttf"), &body).expect("font");

    let mut session = Session::watching();
    let first = build(Some(&mut session), &book, &tmp.path().join("a"));
    let has = |files: &[(String, Vec<u8>)], name: &[u8]| {
        files
            .iter()
            .any(|(n, b)| n.ends_with(".pdf") && b.windows(name.len()).any(|w| w == name))
    };
    assert!(has(&first, b"EBGaramond-Regular"));

    std::fs::copy(fonts.join("dejavu/DejaVuSans.ttf"), &body).expect("font");
    session.files_changed(std::slice::from_ref(&body));
    let warm = build(Some(&mut session), &book, &tmp.path().join("b"));
    assert!(has(&warm, b"DejaVuSans"), "the new font is embedded");
    let cold = build(None, &book, &tmp.path().join("c"));
    assert!(
        warm == cold,
        "the session's rebuild differs from a cold build"
    );
}

/// Lays out the book in `dir` with `cache`; returns the PDF's bytes and how
/// many chapters came from the cache.
fn pdf_with(dir: &Path, cache: &mut folio::pdf::PdfCache) -> (Vec<u8>, usize) {
    let mut loaded = common::Loaded::new(dir);
    let (cx, sink) = loaded.cx();
    let profile = folio::pdf::Profile::Print;
    let doc = folio::pdf::layout(&cx, profile, sink, Some(&mut *cache)).expect("lays out");
    let bytes = folio::pdf::write::write_pdf(&doc, None)
        .expect("writes")
        .bytes;
    (bytes, cache.last_layout().chapters_reused)
}

#[test]
fn chapter_flows_are_reused_only_when_nothing_they_depend_on_changed() {
    let (_tmp, book) = kitchen_sink();
    let cold = |book: &Path| pdf_with(book, &mut folio::pdf::PdfCache::default()).0;
    // A one-off build's cache keeps no chapter for a next layout.
    let mut one_off = folio::pdf::PdfCache::default();
    let _ = pdf_with(&book, &mut one_off);
    assert_eq!(pdf_with(&book, &mut one_off).1, 0);

    let mut cache = folio::pdf::PdfCache::keeping();
    let (first, reused) = pdf_with(&book, &mut cache);
    assert_eq!(reused, 0);

    // Nothing changed: the chapters that could be kept are.
    let (again, reused) = pdf_with(&book, &mut cache);
    assert!(again == first, "a reused layout differs from the first");
    assert!(reused >= 4, "only {reused} chapters reused");
    let all_but_page_refs = reused;

    // One word in a chapter: every other chapter is kept.
    let edit = |file: &str, from: &str, to: &str| edit_in(&book, file, from, to);
    edit("src/part1/installing.md", " the ", " one ");
    let (warm, reused) = pdf_with(&book, &mut cache);
    assert!(
        warm == cold(&book),
        "after a word: differs from a cold layout"
    );
    assert_eq!(reused, all_but_page_refs - 1);

    // A figure early in the book renumbers the book's images (their asset
    // ids, so the later chapters' trees differ), and a footnote the notes
    // (the later chapters' note numbers): those chapters are set again, and
    // the result is still a cold layout's.
    for (what, addition) in [
        ("a figure", "![The pipeline](images/pipeline.svg \"Early\")"),
        ("a note", "A new remark.[^new]\n\n[^new]: The new note."),
    ] {
        edit("src/preface.md", "\n\n", &format!("\n\n{addition}\n\n"));
        let (warm, reused) = pdf_with(&book, &mut cache);
        assert!(
            warm == cold(&book),
            "after {what}: differs from a cold layout"
        );
        assert!(
            reused < all_but_page_refs,
            "after {what}: {reused} chapters reused"
        );
    }
}

/// Lays out the book in `dir` with `cache`; returns the PDF's bytes and how
/// many chapters were set afresh.
fn pdf_setting(dir: &Path, cache: &mut folio::pdf::PdfCache) -> (Vec<u8>, usize) {
    let (bytes, _) = pdf_with(dir, cache);
    (bytes, cache.last_layout().chapters_set)
}

#[test]
fn chapters_that_print_page_numbers_are_set_again_only_when_the_numbers_change() {
    let (_tmp, book) = kitchen_sink();
    let cold = |book: &Path| pdf_with(book, &mut folio::pdf::PdfCache::default()).0;
    let edit = |file: &str, from: &str, to: &str| edit_in(&book, file, from, to);
    let mut cache = folio::pdf::PdfCache::keeping();
    let (_, set) = pdf_setting(&book, &mut cache);
    assert!(set > 5, "a first layout sets every chapter ({set})");

    // Nothing changed: the preface, which prints the page of a section of
    // another chapter (and has a footnote), is reused in every pass.
    let (again, set) = pdf_setting(&book, &mut cache);
    assert_eq!(set, 0, "chapters set again with nothing changed");
    assert!(
        again == cold(&book),
        "a reused layout differs from a cold one"
    );

    // One word after the section: only that chapter is set again.
    edit("src/part1/installing.md", " the ", " one ");
    let (warm, set) = pdf_setting(&book, &mut cache);
    assert_eq!(set, 1);
    assert!(
        warm == cold(&book),
        "after a word: differs from a cold layout"
    );

    // Pages of text before the section move it: the preface prints its new
    // page, so it is set again, and the result is still a cold layout's.
    let before = pdf_setting(&book, &mut cache).0;
    let filler = "Filler text that pushes the section onto later pages. ".repeat(40);
    edit(
        "src/part1/getting-started.md",
        "\n\n",
        &format!("\n\n{filler}\n\n{filler}\n\n{filler}\n\n"),
    );
    let (moved, set) = pdf_setting(&book, &mut cache);
    assert!(
        moved == cold(&book),
        "after the move: differs from a cold layout"
    );
    assert!(set >= 2, "the edited chapter and the preface: {set}");
    assert!(moved != before);
}

/// Lays out the book in `dir` with `layout` and writes it, the writer
/// keeping pages in `write`; returns the PDF's bytes, how many pages were
/// painted and how many there are.
fn pdf_painting(
    dir: &Path,
    layout: &mut folio::pdf::PdfCache,
    write: &mut folio::pdf::write::WriteCache,
) -> (Vec<u8>, usize, usize) {
    let mut loaded = common::Loaded::new(dir);
    let (cx, sink) = loaded.cx();
    let doc =
        folio::pdf::layout(&cx, folio::pdf::Profile::Print, sink, Some(layout)).expect("lays out");
    let bytes = folio::pdf::write::write_pdf(&doc, Some(&mut *write))
        .expect("writes")
        .bytes;
    (bytes, write.pages_painted(), doc.pages.len())
}

#[test]
fn only_pages_whose_content_changed_are_painted_again() {
    let (_tmp, book) = kitchen_sink();
    let cold = |book: &Path| {
        pdf_painting(
            book,
            &mut folio::pdf::PdfCache::default(),
            &mut folio::pdf::write::WriteCache::default(),
        )
        .0
    };
    let edit = |file: &str, from: &str, to: &str| edit_in(&book, file, from, to);
    // As in `folio watch`: chapters and pages are both kept.
    let mut layout = folio::pdf::PdfCache::keeping();
    let mut write = folio::pdf::write::WriteCache::default();
    write.keep = true;
    let (_, painted, pages) = pdf_painting(&book, &mut layout, &mut write);
    assert_eq!(painted, pages, "a first build paints every page");
    assert!(pages > 10);

    let (again, painted, _) = pdf_painting(&book, &mut layout, &mut write);
    assert_eq!(painted, 0, "pages painted again with nothing changed");
    assert!(again == cold(&book), "kept pages differ from a cold build");

    // A word made of letters the book already uses, as long as the one it
    // replaces (the same number of glyphs in the same places: only their
    // ids tell the pages apart): the pages of that chapter are painted
    // again; most are kept.
    edit("src/part1/installing.md", "a computer,", "a computes,");
    let (warm, painted, pages) = pdf_painting(&book, &mut layout, &mut write);
    assert!(
        warm == cold(&book),
        "after a word: differs from a cold build"
    );
    assert!(
        (1..=pages / 4).contains(&painted),
        "after a word: {painted} of {pages} pages painted"
    );

    // A letter new to the book renumbers the subset's glyphs, which every
    // page's text names: every page with text is painted again.
    edit("src/part1/installing.md", "a computes,", "an Ωmega,");
    let (warm, painted, pages) = pdf_painting(&book, &mut layout, &mut write);
    assert!(
        warm == cold(&book),
        "after a new letter: differs from a cold build"
    );
    assert!(
        painted > pages / 2,
        "after a new letter: only {painted} of {pages} pages painted"
    );

    // The layout set afresh (its glyph runs new, their content the same):
    // the same bytes, whatever was kept.
    let (fresh, _, _) = pdf_painting(&book, &mut folio::pdf::PdfCache::default(), &mut write);
    assert!(
        fresh == cold(&book),
        "a fresh layout with kept pages differs"
    );
}
