//! Bad books: each `tests/fixtures/bad-*` folder holds one problem and an
//! `expected.txt` with the exact diagnostics (`file:line:col: …`) and exit code.
//! Errors (and warnings under `--strict`) must exit 1 and write nothing.

mod common;

use common::{expect_file, fixture, folio, root};

fn bad_fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("tests/fixtures"))
        .expect("fixtures folder")
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.starts_with("bad-"))
        .collect();
    names.sort();
    assert!(names.len() >= 9, "the bad-book fixtures are present");
    names
}

/// Stderr without the line that names the temporary output and a timing.
fn stable_stderr(stderr: &[u8]) -> String {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter(|l| !l.starts_with("wrote "))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn entries(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn bad_books_report_exact_positions() {
    let mut failures = Vec::new();
    for name in bad_fixtures() {
        let temp = tempfile::tempdir().expect("temp dir");
        let out = temp.path().join("out");
        let book = fixture(&name);
        let run = folio(&[
            "build",
            &book.to_string_lossy(),
            "--out",
            &out.to_string_lossy(),
        ]);
        let code = run.status.code().unwrap_or(-1);
        let actual = format!("# exit: {code}\n{}", stable_stderr(&run.stderr));
        if let Some(diff) = expect_file(&book.join("expected.txt"), &actual) {
            failures.push(format!("{name}: {diff}"));
        }
        if code == 1 && !entries(&out).is_empty() {
            failures.push(format!("{name}: a failed build wrote {:?}", entries(&out)));
        }
        assert!(
            !String::from_utf8_lossy(&run.stderr).contains("panicked"),
            "{name} panicked"
        );

        // Under --strict every problem fails the build and nothing is written.
        let strict_out = temp.path().join("strict");
        let strict = folio(&[
            "build",
            &book.to_string_lossy(),
            "--out",
            &strict_out.to_string_lossy(),
            "--strict",
        ]);
        if strict.status.code() != Some(1) {
            failures.push(format!(
                "{name}: --strict exited {:?}, expected 1",
                strict.status.code()
            ));
        }
        if !entries(&strict_out).is_empty() {
            failures.push(format!(
                "{name}: a failed --strict build wrote {:?}",
                entries(&strict_out)
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn a_failed_build_leaves_the_previous_artifact_untouched() {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path();
    std::fs::write(out.join("t.epub"), b"the previous good build").expect("seed artifact");
    let run = folio(&[
        "build",
        "tests/fixtures/bad-broken-link",
        "--out",
        &out.to_string_lossy(),
        "--strict",
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        std::fs::read(out.join("t.epub")).expect("still there"),
        b"the previous good build"
    );
    assert_eq!(entries(out), ["t.epub"], "no temporary file is left behind");
}

#[test]
fn check_reports_every_problem_without_writing() {
    let run = folio(&[
        "check",
        "tests/fixtures/bad-metadata",
        "--message-format",
        "short",
    ]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(
        stderr.matches(": error: ").count(),
        3,
        "all three problems are reported together:\n{stderr}"
    );
    assert!(!root().join("dist/t.epub").exists());
}

#[test]
fn usage_errors_exit_2() {
    let run = folio(&["build", "--format", "docx"]);
    assert_eq!(run.status.code(), Some(2));
    let run = folio(&["frobnicate"]);
    assert_eq!(run.status.code(), Some(2));
}

#[test]
fn a_missing_book_folder_is_a_clear_error() {
    let run = folio(&["build", "no/such/book", "--message-format", "short"]);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        stable_stderr(&run.stderr),
        "error: `no/such/book` is not a book folder\n  = help: pass the folder that holds book.toml, or create one with `folio new`\nbuild failed: 1 error, 0 warnings; nothing was written\n"
    );
}

#[test]
fn json_diagnostics_are_one_object_per_line() {
    let mut failures = Vec::new();
    for name in [
        "bad-metadata",
        "bad-broken-link",
        "bad-invalid-utf8",
        "bad-symlink-escape",
    ] {
        let temp = tempfile::tempdir().expect("temp dir");
        let book = fixture(name);
        let run = folio(&["check", &book.to_string_lossy(), "--message-format", "json"]);
        let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
        for line in stdout.lines() {
            let value: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {line}"));
            assert!(
                value["severity"].is_string() && value["message"].is_string(),
                "{line}"
            );
        }
        if let Some(diff) = expect_file(&book.join("expected.json"), &stdout) {
            failures.push(diff);
        }
        drop(temp);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn short_diagnostics_are_one_line_each() {
    let run = folio(&[
        "check",
        "tests/fixtures/bad-missing-anchor",
        "--message-format",
        "short",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&run.stderr),
        "tests/fixtures/bad-missing-anchor/01-one.md:3:9: warning: no anchor `#instaling` in `02-two.md`; the link opens its start\n  = help: did you mean `#installing`?\n1 warning\n"
    );
}
