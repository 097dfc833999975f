//! The EPUB on real output: EPUBCheck finds nothing on every good fixture,
//! builds are byte-for-byte reproducible, the package is laid out as stores
//! expect, and the XHTML matches the reviewed expected files.

mod common;

use common::{build_epub, epubcheck, expect_file, fixture, folio, zip_names, zip_text};
use std::path::PathBuf;

/// Books that must build cleanly and validate.
const GOOD: &[&str] = &[
    "manuscript",
    "tests/fixtures/kitchen-sink",
    "tests/fixtures/sorted-files",
    "tests/fixtures/no-alt",
    "tests/fixtures/mdbook",
    "tests/fixtures/html-forms",
    "tests/fixtures/mdbook-structure",
];

#[test]
fn epubcheck_reports_nothing_on_good_books() {
    let temp = tempfile::tempdir().expect("temp dir");
    let handles: Vec<_> = GOOD
        .iter()
        .enumerate()
        .map(|(i, book)| {
            let out = temp.path().join(i.to_string());
            let epub = build_epub(&PathBuf::from(book), &out);
            std::thread::spawn(move || (epub.clone(), epubcheck(&epub)))
        })
        .collect();
    let mut failures = Vec::new();
    for handle in handles {
        let (epub, (ok, messages)) = handle.join().expect("EPUBCheck thread");
        // Zero fatals, errors and warnings; "USAGE" and "INFO" are advice, not problems.
        let problems: Vec<_> = messages
            .iter()
            .filter(|(sev, _, _)| matches!(sev.as_str(), "FATAL" | "ERROR" | "WARNING"))
            .collect();
        if !ok || !problems.is_empty() {
            failures.push(format!("{}: exit ok={ok}, {problems:#?}", epub.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn same_input_same_bytes() {
    let temp = tempfile::tempdir().expect("temp dir");
    let a = build_epub(&fixture("kitchen-sink"), &temp.path().join("a"));
    let b = build_epub(&fixture("kitchen-sink"), &temp.path().join("b"));
    assert_eq!(
        std::fs::read(&a).expect("a"),
        std::fs::read(&b).expect("b"),
        "two builds differ"
    );
    let opf = zip_text(&a, "OEBPS/content.opf");
    assert!(
        opf.contains("<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>"),
        "SOURCE_DATE_EPOCH is the modification date:\n{opf}"
    );
}

#[test]
fn mimetype_is_first_and_stored() {
    let temp = tempfile::tempdir().expect("temp dir");
    let epub = build_epub(&fixture("kitchen-sink"), temp.path());
    let file = std::fs::File::open(&epub).expect("open");
    let mut archive = zip::ZipArchive::new(file).expect("zip");
    let first = archive.by_index(0).expect("first entry");
    assert_eq!(first.name(), "mimetype");
    assert_eq!(first.compression(), zip::CompressionMethod::Stored);
    drop(first);
    assert_eq!(zip_text(&epub, "mimetype"), "application/epub+zip");
}

#[test]
fn kitchen_sink_xhtml_matches_expected_files() {
    let temp = tempfile::tempdir().expect("temp dir");
    let epub = build_epub(&fixture("kitchen-sink"), temp.path());
    let mut failures = Vec::new();
    for name in zip_names(&epub) {
        let Some(file) = name.strip_prefix("OEBPS/") else {
            continue;
        };
        if !(file.ends_with(".xhtml") || file.ends_with(".opf") || file.ends_with(".ncx")) {
            continue;
        }
        let expected = fixture("kitchen-sink").join("expected").join(file);
        if let Some(diff) = expect_file(&expected, &zip_text(&epub, &name)) {
            failures.push(diff);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn package_metadata_comes_from_book_toml() {
    let temp = tempfile::tempdir().expect("temp dir");
    let opf = zip_text(
        &build_epub(&fixture("kitchen-sink"), temp.path()),
        "OEBPS/content.opf",
    );
    for needle in [
        "<dc:identifier id=\"epub-id-1\">urn:isbn:9780306406157</dc:identifier>",
        "<dc:title id=\"subtitle\">Every Construct, Once</dc:title>",
        "<dc:language>en-GB</dc:language>",
        "<dc:creator id=\"creator-2\">Bo Sample</dc:creator>",
        "<meta refines=\"#creator-1\" property=\"role\" scheme=\"marc:relators\">aut</meta>",
        "<dc:publisher>Folio Test Press</dc:publisher>",
        "<dc:date>2024-05-01</dc:date>",
        "properties=\"cover-image\"",
    ] {
        assert!(opf.contains(needle), "missing {needle} in\n{opf}");
    }
}

#[test]
fn accessibility_metadata_follows_the_content() {
    let temp = tempfile::tempdir().expect("temp dir");
    let with_images = zip_text(
        &build_epub(&fixture("kitchen-sink"), &temp.path().join("ks")),
        "OEBPS/content.opf",
    );
    assert!(with_images.contains("<meta property=\"schema:accessMode\">visual</meta>"));
    assert!(
        with_images
            .contains("<meta property=\"schema:accessibilityFeature\">alternativeText</meta>")
    );
    assert!(with_images.contains(
        "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>"
    ));
    assert!(
        with_images.contains(" xml:lang=\"en-GB\" dir=\"ltr\">"),
        "the package element carries the language (Ace: epub-lang)"
    );
    let mut features: Vec<&str> = with_images
        .lines()
        .filter(|l| l.contains("schema:accessibilityFeature"))
        .collect();
    let listed = features.len();
    features.sort_unstable();
    features.dedup();
    assert_eq!(features.len(), listed, "each feature once");

    let text_only = zip_text(
        &build_epub(&PathBuf::from("manuscript"), &temp.path().join("ms")),
        "OEBPS/content.opf",
    );
    assert!(text_only.contains("<meta property=\"schema:accessMode\">textual</meta>"));
    assert!(
        !text_only.contains("visual"),
        "no images, so no visual access mode"
    );
    assert!(
        !text_only.contains("alternativeText"),
        "no images, so no alternative text claim"
    );

    let missing_alt = zip_text(
        &build_epub(&fixture("no-alt"), &temp.path().join("na")),
        "OEBPS/content.opf",
    );
    assert!(
        !missing_alt.contains("conformsTo"),
        "an image without alt text forbids the WCAG claim"
    );
    assert!(!missing_alt.contains("alternativeText"));
    assert!(
        missing_alt.contains("Its one image has no text description. It makes no claim of WCAG 2.1 conformance: 1 image lacks a text description."),
        "the summary says what was not met:\n{missing_alt}"
    );
    assert!(!missing_alt.contains("<meta property=\"schema:accessModeSufficient\">textual</meta>"));
}

#[test]
fn the_sample_book_warns_about_missing_metadata_and_builds() {
    let temp = tempfile::tempdir().expect("temp dir");
    let run = folio(&[
        "build",
        "manuscript",
        "--format",
        "epub",
        "--message-format",
        "short",
        "--out",
        &temp.path().to_string_lossy(),
    ]);
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("manuscript/book.toml:1:1: warning: no `identifier` in [book]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("manuscript/book.toml:1:1: warning: no `authors` in [book]"),
        "{stderr}"
    );
    let epub = temp.path().join("python-serverless-book.epub");
    let chapter = zip_text(&epub, "OEBPS/ch-01-introduction.xhtml");
    assert!(
        chapter.contains("📝 <strong>Context and Current Relevance:</strong>"),
        "the repaired emoji is in the text"
    );
    assert!(
        chapter.contains("the “perfect stack”"),
        "the repaired curly quotes are in the text"
    );
    for mojibake in ["ā€", "šŸ", "Ã", "â€"] {
        assert!(
            !chapter.contains(mojibake),
            "mojibake {mojibake} left in the chapter"
        );
    }
}

#[test]
fn all_formats_writes_the_epub_and_the_pdf() {
    let temp = tempfile::tempdir().expect("temp dir");
    let run = folio(&[
        "build",
        "tests/fixtures/sorted-files",
        "--out",
        &temp.path().to_string_lossy(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut names: Vec<_> = std::fs::read_dir(temp.path())
        .expect("out")
        .flatten()
        .map(|e| e.file_name().into_string().unwrap_or_default())
        .collect();
    names.sort();
    assert_eq!(names, ["sorted-files.epub", "sorted-files.pdf"]);
}

#[test]
fn embedded_fonts_are_packaged_declared_and_valid() {
    let temp = tempfile::tempdir().expect("temp dir");
    let book = temp.path().join("book");
    std::fs::create_dir_all(book.join("fonts")).expect("fonts dir");
    std::fs::copy(
        common::root().join("fonts/eb-garamond/EBGaramond-Italic.ttf"),
        book.join("fonts/EBGaramond-Italic.ttf"),
    )
    .expect("copy font");
    std::fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"Fonts\"\nlanguage = \"en\"\nauthors = [\"A\"]\nidentifier = \"978-0-306-40615-7\"\n\n[epub]\nfonts = [\"fonts/EBGaramond-Italic.ttf\"]\n",
    )
    .expect("toml");
    std::fs::write(book.join("01.md"), "# One\n\n*Italic* text.\n").expect("chapter");
    let epub = build_epub(&book, &temp.path().join("out"));
    let css = zip_text(&epub, "OEBPS/stylesheet.css");
    assert!(css.contains("@font-face { font-family: \"EB Garamond\"; font-weight: 400; font-style: italic; src: url(\"fonts/EBGaramond-Italic.ttf\"); }"), "{css}");
    assert!(zip_names(&epub).contains(&"OEBPS/fonts/EBGaramond-Italic.ttf".to_owned()));
    assert!(zip_text(&epub, "OEBPS/content.opf").contains("media-type=\"font/ttf\""));
    let (ok, messages) = epubcheck(&epub);
    let problems: Vec<_> = messages
        .iter()
        .filter(|(sev, _, _)| matches!(sev.as_str(), "FATAL" | "ERROR" | "WARNING"))
        .collect();
    assert!(ok && problems.is_empty(), "{problems:#?}");
}

#[test]
fn an_authors_css_that_breaks_in_readers_is_named_with_its_line() {
    let temp = tempfile::tempdir().expect("temp dir");
    common::write_book(
        temp.path(),
        &format!("{}[epub]\nextra-css = [\"extra.css\"]\n", common::BOOK_TOML),
        &[
            ("01.md", b"# One\n\n```\ncode\n```\n"),
            (
                "extra.css",
                b"p { color: #222; }\n\n.box {\n  background: #ffd;\n}\ncode { font-family: monospace; }\n",
            ),
        ],
    );
    let dir = temp.path().to_string_lossy().into_owned();
    let out = temp.path().join("out").to_string_lossy().into_owned();
    let run = folio(&[
        "build",
        &dir,
        "--format",
        "epub",
        "--out",
        &out,
        "--message-format",
        "short",
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(
        stderr.contains("extra.css:3: `.box` sets a background but no text colour"),
        "{stderr}"
    );
    assert!(
        stderr.contains("extra.css:6: `code` sets `font-family: monospace` alone"),
        "{stderr}"
    );
}
