//! mdBook books build unchanged: mdBook's `book.toml` (unknown sections noted,
//! not errors), `SUMMARY.md` with prefix, parts, drafts and separators, and the
//! `{{#include}}` family with anchors, line ranges and hidden Rust lines.

mod common;

use common::{build_epub, fixture, folio, zip_text};

#[test]
fn an_mdbook_book_builds_with_its_includes() {
    let temp = tempfile::tempdir().expect("temp");
    let epub = build_epub(&fixture("mdbook"), &temp.path().join("epub"));
    let hello = zip_text(&epub, "OEBPS/hello.xhtml");
    assert!(
        hello.contains("<h1 id=\"hello-title\">Hello, World!</h1>"),
        "{{#title}} names the chapter:\n{hello}"
    );
    assert!(
        hello.contains("println!"),
        "the anchored listing is included"
    );
    assert!(!hello.contains("ANCHOR"), "anchor markers never print");
    assert!(
        !hello.contains("allow(unused)") && hello.contains("answer"),
        "hidden Rust lines are dropped, the rest kept"
    );
    assert!(
        hello.contains("{{#include not-a-file.rs}}"),
        "an escaped directive stays text"
    );
    let install = zip_text(&epub, "OEBPS/installation.xhtml");
    assert!(
        install.contains("echo &quot;all good&quot;")
            || install.contains("echo \"all good\"")
            || install.contains("all good"),
        "{install}"
    );
    let files = zip_text(&epub, "OEBPS/files.xhtml");
    assert!(
        files.contains("println!") && !files.contains("fn</span> <span class=\"hl-fn\">main"),
        "lines 3.. only:\n{files}"
    );

    // The PDF builds too.
    let out = temp.path().join("pdf");
    let run = folio(&[
        "build",
        "tests/fixtures/mdbook",
        "--format",
        "pdf",
        "--out",
        &out.to_string_lossy(),
        "-q",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(out.join("rusty-recipes.pdf").is_file());
}

#[test]
fn mdbook_settings_are_noted_once_not_errors() {
    let run = folio(&[
        "check",
        "tests/fixtures/mdbook",
        "--message-format",
        "short",
    ]);
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(
        stderr.matches("ignoring mdBook settings").count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("[output.html], [preprocessor.links]"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "SUMMARY.md:13:1: note: draft chapter `Error Handling` has no file yet and is skipped"
        ),
        "{stderr}"
    );
}

/// Builds `book` (relative to the root) with `extra` arguments into `out`;
/// returns (success, stderr).
fn build(book: &str, out: &std::path::Path, extra: &[&str]) -> (bool, String) {
    let out = out.to_string_lossy();
    let mut args = vec![
        "build",
        book,
        "--out",
        &out,
        "--message-format",
        "short",
        "-v",
    ];
    args.extend_from_slice(extra);
    let run = folio(&args);
    (
        run.status.success(),
        String::from_utf8_lossy(&run.stderr).into_owned(),
    )
}

const STRUCTURE: &str = "tests/fixtures/mdbook-structure";

#[test]
fn summary_md_is_read_as_mdbook_reads_it() {
    let temp = tempfile::tempdir().expect("temp");
    let (ok, stderr) = build(STRUCTURE, temp.path(), &["--format", "epub"]);
    assert!(ok, "{stderr}");
    // mdBook's defaults: chapters from `src/` (not CONTRIBUTING.md next to
    // book.toml); a key mdBook ignores is a warning with a suggestion.
    assert!(
        stderr.contains("book.toml:5:1: warning: unknown key `author` in [book] is ignored\n  = help: did you mean `authors`?"),
        "{stderr}"
    );
    // Text after an entry's link is ignored with a note; drafts are skipped.
    assert!(
        stderr.contains("SUMMARY.md:10:39: note: `(with notes)` after the entry's link is ignored"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "SUMMARY.md:12:5: note: draft chapter `Draft` has no file yet and is skipped"
        ),
        "{stderr}"
    );
    let epub = temp.path().join("structure.epub");
    let names = common::zip_names(&epub);
    assert!(
        !names.iter().any(|n| n.contains("contributing")),
        "{names:?}"
    );
    // The navigation nests as SUMMARY.md does: chapters in their part,
    // sections in their chapter (a draft's section in the draft's place), and
    // titles keep their inline Markdown.
    let nav = zip_text(&epub, "OEBPS/nav.xhtml");
    let toc = nav
        .split("<nav epub:type=\"toc\"")
        .nth(1)
        .and_then(|t| t.split("</nav>").next())
        .expect("toc nav");
    let shape: Vec<String> = toc
        .lines()
        .filter(|l| l.starts_with("<li>") || l.starts_with("<ol>") || l.starts_with("</ol>"))
        .map(|l| {
            l.split("\">")
                .nth(1)
                .map(|t| {
                    t.trim_end_matches("</a></li>")
                        .trim_end_matches("</a>")
                        .to_owned()
                })
                .unwrap_or_else(|| l.to_owned())
        })
        .collect();
    assert_eq!(
        shape,
        [
            "<ol>",
            "Introduction",
            "User Guide",
            "<ol>",
            "1. The <code>guide</code> Guide",
            "<ol>",
            "Installation",
            "No Title Here",
            "Promoted",
            "</ol>",
            "</ol>",
            "Reference",
            "<ol>",
            "2. CLI",
            "<ol>",
            "build",
            "<ol>",
            "deep",
            "</ol>",
            "</ol>",
            "</ol>",
            "Appendix",
            "</ol>",
        ]
    );
}

#[test]
fn sections_run_on_in_their_chapter_with_their_title_set_once() {
    use folio::pdf::Profile;
    use folio::pdf::layout::frame::Item;
    let temp = tempfile::tempdir().expect("temp");
    let (ok, stderr) = build(STRUCTURE, temp.path(), &["--format", "epub"]);
    assert!(ok, "{stderr}");
    let epub = temp.path().join("structure.epub");
    // A section that opens with its own heading keeps it, at its level; the
    // SUMMARY.md title is not set above it.
    let install = zip_text(&epub, "OEBPS/install.xhtml");
    assert!(
        install.contains("<h2 id=\"installing\">Installing</h2>")
            && !install.contains("Installation</h"),
        "{install}"
    );
    assert!(
        install.contains("<h3 id=\"example\">Example</h3>"),
        "{install}"
    );
    // One without gets the SUMMARY.md title, and its headings sit below it.
    let no_title = zip_text(&epub, "OEBPS/notitle.xhtml");
    assert!(
        no_title.contains("<h2 id=\"notitle-title\">No Title Here</h2>")
            && no_title.contains("<h3 id=\"sub\">Sub</h3>"),
        "{no_title}"
    );
    // A section two levels down is an h3.
    assert!(zip_text(&epub, "OEBPS/deep.xhtml").contains("<h3 id=\"deep\">deep</h3>"));

    // In the PDF a section starts where its chapter's text ends, on the same
    // page, with no chapter opening of its own.
    let mut loaded = common::Loaded::new(&common::root().join(STRUCTURE));
    let (cx, sink) = loaded.cx();
    let doc = folio::pdf::layout(&cx, Profile::Screen, sink).expect("lays out");
    let page_of = |name: &str| {
        doc.pages
            .iter()
            .position(|p| {
                p.items
                    .iter()
                    .any(|i| matches!(i, Item::Anchor { name: n, .. } if n == name))
            })
            .unwrap_or_else(|| panic!("no anchor {name}"))
    };
    let chapter = page_of("chapter:readme-2");
    assert_eq!(page_of("chapter:install"), chapter);
    assert_eq!(page_of("chapter:notitle"), chapter);
    // The chapter's title keeps its code span in the contents and in the
    // running heads of its pages (screen pages all carry the chapter's head).
    let mono = |page: &folio::pdf::layout::frame::Page, text: &str| {
        page.items.iter().any(|i| {
            matches!(i, Item::Glyphs(run) if run.text.contains(text)
                && doc.fonts[usize::from(run.font.0)].postscript_name.contains("Mono"))
        })
    };
    // Bookmarks nest as SUMMARY.md does; headings that skip a level (`#`
    // then `###`, `###`) stay siblings.
    let appendix = doc.outline.last().expect("bookmarks");
    let children: Vec<&str> = appendix.children.iter().map(|o| o.title.as_str()).collect();
    assert_eq!(
        (appendix.title.as_str(), children),
        ("Appendix", vec!["A skipped level", "Another"])
    );
    let contents = page_of("toc");
    assert!(
        mono(&doc.pages[contents], "guide"),
        "contents entry in code"
    );
    assert!(
        mono(&doc.pages[chapter + 1], "guide"),
        "running head of the chapter's second page in code"
    );
}

#[test]
fn links_resolve_as_mdbook_names_its_pages() {
    let temp = tempfile::tempdir().expect("temp");
    let (ok, stderr) = build(STRUCTURE, temp.path(), &["--format", "epub"]);
    assert!(ok, "{stderr}");
    let epub = temp.path().join("structure.epub");
    let hrefs = |file: &str| -> Vec<String> {
        zip_text(&epub, &format!("OEBPS/{file}"))
            .split("<a href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .map(str::to_owned)
            .collect()
    };
    // `dir/`, `dir/index.html`, `x.html#fragment` (mdBook's id).
    assert_eq!(
        hrefs("readme.xhtml"),
        ["readme-2.xhtml", "readme-3.xhtml", "build.xhtml#running-it"]
    );
    // `x.html`, `./x.md`, `../dir/`, `../dir/index.html`, mdBook's ids for
    // `Foo & Bar` (`foo--bar`) and for a repeated heading (`example-1`), and a
    // reference-style `.html` link with a fragment.
    assert_eq!(
        hrefs("readme-2.xhtml"),
        [
            "install.xhtml",
            "notitle.xhtml",
            "readme-3.xhtml",
            "readme-3.xhtml",
            "install.xhtml#foo-bar",
            "install.xhtml#example-1",
            "deep.xhtml#deep-down",
        ]
    );
    // Two links leave the book with no published address: their text stays,
    // with one warning for both.
    assert_eq!(stderr.matches("outside the book").count(), 1, "{stderr}");
    assert!(
        stderr.contains("src/guide/README.md:8:30: warning: 2 links to `../../std/index.html` point outside the book; their text is kept"),
        "{stderr}"
    );
    assert_eq!(stderr.matches(": warning: ").count(), 4, "{stderr}");

    // With the published address they are web links, as on the web.
    let copy = temp.path().join("book");
    copy_dir(&common::root().join(STRUCTURE), &copy);
    let toml = std::fs::read_to_string(copy.join("book.toml")).expect("toml");
    std::fs::write(
        copy.join("book.toml"),
        toml.replace(
            "[book]\n",
            "[book]\nurl = \"https://example.com/structure/\"\n",
        ),
    )
    .expect("write");
    let (ok, stderr) = build(
        &copy.to_string_lossy(),
        &temp.path().join("web"),
        &["--format", "epub"],
    );
    assert!(ok, "{stderr}");
    assert!(!stderr.contains("outside the book"), "{stderr}");
    let guide = zip_text(
        &temp.path().join("web/structure.epub"),
        "OEBPS/readme-2.xhtml",
    );
    assert!(
        guide.contains("<a href=\"https://example.com/std/index.html\">the standard library</a>"),
        "{guide}"
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

#[test]
fn root_widens_where_a_book_reads_only_from_the_command_line() {
    let temp = tempfile::tempdir().expect("temp");
    let book = "tests/fixtures/mdbook-root/book";
    // Without --root the include outside the book folder is refused, and the
    // message says how to allow it; `root = ".."` in book.toml changes nothing.
    let (ok, stderr) = build(book, &temp.path().join("a"), &[]);
    assert!(!ok);
    assert!(
        stderr.contains("src/hello.md:4:1: error: `../../listings/hello.rs` points outside the book folder\n  = help: a book may only use files inside its own folder; `--root DIR` on the command line widens that to DIR"),
        "{stderr}"
    );
    assert!(
        stderr.contains("unknown key `root` in [book] is ignored"),
        "{stderr}"
    );
    // With it, the book builds and the included file is in it.
    let (ok, stderr) = build(
        book,
        &temp.path().join("b"),
        &["--root", "tests/fixtures/mdbook-root", "--format", "epub"],
    );
    assert!(ok, "{stderr}");
    let hello = zip_text(&temp.path().join("b/rooted.epub"), "OEBPS/hello.xhtml");
    assert!(
        hello.contains("included from outside the book folder"),
        "{hello}"
    );
    // A --root that does not hold the book is refused.
    let (ok, stderr) = build(
        book,
        &temp.path().join("c"),
        &["--root", "tests/fixtures/mdbook"],
    );
    assert!(!ok);
    assert!(stderr.contains("is not inside `--root`"), "{stderr}");
    // Outside a wider root, the message names --root.
    let (ok, stderr) = build(
        book,
        &temp.path().join("d"),
        &["--root", "tests/fixtures/mdbook-root/book"],
    );
    assert!(!ok);
    assert!(
        stderr.contains("points outside the folder given with `--root`"),
        "{stderr}"
    );
}
