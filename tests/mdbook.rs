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
