//! The EPUB in real reading engines: Ace by DAISY (the accessibility checker
//! publishers use) finds nothing, and Chromium (as reading systems based on
//! Blink show books) finds no document wider than a 600 px column, code at
//! least 0.8 of the text size, nothing under 3:1 when a reader forces a dark
//! page, and nothing under 4.5:1 in the `prefers-color-scheme: dark` palette.
//!
//! The tools come from `make test-deps` (npm's @daisy/ace, apt's chromium,
//! pip's playwright); without them each test says what is missing and
//! passes, so `cargo test` works on a bare machine and `make test` checks.

mod common;

use common::build_epub;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A few books that cover what folio writes: generated pages, a cover,
/// code in every form, tables, figures, footnotes, an mdBook.
const BOOKS: &[&str] = &[
    "manuscript",
    "tests/fixtures/kitchen-sink",
    "tests/fixtures/mdbook",
];

/// Each book's EPUB, built with its PDF (so it has the print edition's page
/// markers and page list), except the mdBook's, built alone.
fn epubs(out: &Path) -> Vec<PathBuf> {
    BOOKS
        .iter()
        .enumerate()
        .map(|(i, book)| {
            let dir = out.join(i.to_string());
            if book.contains("mdbook") {
                return build_epub(Path::new(book), &dir);
            }
            let output = common::folio(&["build", book, "--out", &dir.to_string_lossy(), "-q"]);
            assert!(output.status.success(), "building {book} failed");
            dir.join(
                std::fs::read_dir(&dir)
                    .expect("output folder")
                    .flatten()
                    .map(|e| e.file_name())
                    .find(|n| n.to_string_lossy().ends_with(".epub"))
                    .expect("an .epub was written"),
            )
        })
        .collect()
}

/// Where a checking script lives: the workplace's shared tools
/// (`../shared/tools`, used in place, never copied) or our own `tests/tools`.
fn script_path(script: &str) -> PathBuf {
    let own = common::root().join("tests/tools").join(script);
    if own.exists() {
        own
    } else {
        common::root().join("../shared/tools").join(script)
    }
}

/// Runs a checking script on an EPUB and parses its JSON line; the
/// tools unpack the EPUB into a temporary folder, kept beside the EPUB so it
/// goes with the test's.
fn tool(script: &str, epub: &Path) -> serde_json::Value {
    let scratch = epub.with_extension("scratch");
    std::fs::create_dir_all(&scratch).expect("scratch folder");
    let run = Command::new("python3")
        .arg(script_path(script))
        .arg(epub)
        .env("TMPDIR", &scratch)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    serde_json::from_str(stdout.trim()).unwrap_or_else(|_| {
        panic!(
            "{script} on {}: {stdout}\n{}",
            epub.display(),
            String::from_utf8_lossy(&run.stderr)
        )
    })
}

fn chromium() -> bool {
    Path::new("/usr/bin/chromium").exists()
}

fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn ace_finds_no_violation() {
    if !script_path("check_ace.py").exists() {
        eprintln!("skipped: ../shared/tools/check_ace.py is not beside the repository");
        return;
    }
    if !(chromium() && (have("ace-puppeteer") || have("ace"))) {
        eprintln!("skipped: Ace or chromium is not installed (run `make test-deps`)");
        return;
    }
    let temp = tempfile::tempdir().expect("temp dir");
    let mut failures = Vec::new();
    for epub in epubs(temp.path()) {
        let report = tool("check_ace.py", &epub);
        assert_eq!(report["ran"], true, "Ace did not run: {report}");
        // Not even moderate or minor ones: these books give Ace no cause.
        if report["violations"]
            .as_object()
            .is_some_and(|v| !v.is_empty())
        {
            failures.push(format!("{}: {}", epub.display(), report["rules"]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn chromium_shows_every_document_within_the_column_and_legible() {
    let playwright = Command::new("python3")
        .args(["-c", "import playwright"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !script_path("reader_check.py").exists() {
        eprintln!("skipped: ../shared/tools/reader_check.py is not beside the repository");
        return;
    }
    if !(chromium() && playwright) {
        eprintln!("skipped: chromium or playwright is not installed (run `make test-deps`)");
        return;
    }
    let temp = tempfile::tempdir().expect("temp dir");
    let mut failures = Vec::new();
    for epub in epubs(temp.path()) {
        let r = tool("reader_check.py", &epub);
        let name = epub.display();
        if r["overflow_docs"].as_array().is_none_or(|d| !d.is_empty()) {
            failures.push(format!(
                "{name}: wider than the column: {}",
                r["overflow_docs"]
            ));
        }
        if let Some(ratio) = r["code_ratio_min"].as_f64() {
            if ratio < 0.8 {
                failures.push(format!("{name}: code at {ratio:.2} of the text size"));
            }
        }
        for key in ["night_low_contrast", "day_low_contrast"] {
            if r[key] != 0 {
                failures.push(format!("{name}: {key} = {}: {}", r[key], r["samples"]));
            }
        }
        let dark = tool("dark_scheme_check.py", &epub);
        if dark["low"] != 0 {
            failures.push(format!(
                "{name}: {} elements under 4.5:1 in the dark palette: {}",
                dark["low"], dark["samples"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
