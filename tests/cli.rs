//! The command line beyond `build`: `new` scaffolds a book that builds with no
//! warnings and never overwrites; completions and the man page come from the
//! argument definitions.

mod common;

use common::folio;

#[test]
fn a_new_book_builds_with_no_warnings() {
    let temp = tempfile::tempdir().expect("temp");
    let dir = temp.path().join("my-first-book");
    let run = folio(&["new", &dir.to_string_lossy()]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out = temp.path().join("out");
    let run = folio(&[
        "build",
        &dir.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
        "--strict",
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(out.join("my-first-book.epub").is_file() && out.join("my-first-book.pdf").is_file());
    let (ok, messages) = common::epubcheck(&out.join("my-first-book.epub"));
    assert!(
        ok && messages
            .iter()
            .all(|(s, _, _)| !matches!(s.as_str(), "FATAL" | "ERROR" | "WARNING")),
        "{messages:?}"
    );
    // Lints find nothing either.
    let check = folio(&["check", &dir.to_string_lossy()]);
    assert!(check.status.success() && !String::from_utf8_lossy(&check.stderr).contains("warning"));
}

#[test]
fn new_never_overwrites() {
    let temp = tempfile::tempdir().expect("temp");
    std::fs::write(temp.path().join("notes.txt"), "mine").expect("seed");
    let run = folio(&["new", &temp.path().to_string_lossy()]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("is not empty"));
    assert_eq!(
        std::fs::read_to_string(temp.path().join("notes.txt")).expect("kept"),
        "mine"
    );
    assert_eq!(std::fs::read_dir(temp.path()).expect("dir").count(), 1);
}

#[test]
fn completions_and_man_page_come_from_the_arguments() {
    for shell in ["bash", "zsh", "fish"] {
        let run = folio(&["completions", shell]);
        let script = String::from_utf8_lossy(&run.stdout);
        assert!(
            run.status.success() && script.contains("folio") && script.contains("format"),
            "{shell}"
        );
    }
    let run = folio(&["manpage"]);
    let page = String::from_utf8_lossy(&run.stdout);
    assert!(
        page.starts_with(".ie") && page.contains(".TH folio 1") && page.contains("build"),
        "{page}"
    );
}
