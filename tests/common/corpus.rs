//! The real books in `../shared/corpus` (next to the repository; `FOLIO_CORPUS`
//! names another folder), built the way the corpus README says, and the
//! readers the corpus tests check them with: the source's `SUMMARY.md` and
//! links read independently of folio, the EPUB's chapters, the PDF's outline
//! and link annotations read back with qpdf.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::process::Command;

/// The corpus folder, or `None` (with a "skipped" line) when it is absent.
pub fn dir() -> Option<PathBuf> {
    let dir = std::env::var_os("FOLIO_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if dir.join("README.md").is_file() {
        Some(dir)
    } else {
        eprintln!(
            "corpus not found at {}, skipped (set FOLIO_CORPUS to its folder)",
            dir.display()
        );
        None
    }
}

/// The `folio build …` arguments the corpus README gives for `folder`.
pub fn readme_command(corpus: &Path, folder: &str) -> Vec<String> {
    let readme = std::fs::read_to_string(corpus.join("README.md")).expect("corpus README");
    for line in readme.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.get(1) != Some(&format!("`{folder}`").as_str()) {
            continue;
        }
        for cell in &cells {
            if let Some(command) = cell.split('`').find(|c| c.starts_with("folio build ")) {
                return command
                    .split_whitespace()
                    .skip(1)
                    .map(str::to_owned)
                    .collect();
            }
        }
    }
    panic!("the corpus README gives no `folio build` command for `{folder}`")
}

/// A corpus book built once.
pub struct Built {
    /// The book folder (holding book.toml).
    pub book: PathBuf,
    /// Its `src` folder (mdBook's default when book.toml names none).
    pub src: PathBuf,
    /// Whether folio exited 0.
    pub success: bool,
    /// Diagnostics, one `file:line:col: severity: message` line each.
    pub messages: Vec<String>,
    /// The EPUB and the PDF, when written.
    pub epub: Option<PathBuf>,
    /// The PDF.
    pub pdf: Option<PathBuf>,
    /// Seconds the build took.
    pub seconds: f64,
    /// Keeps the output folder alive.
    _out: tempfile::TempDir,
}

/// Builds `folder` of the corpus with its README command (the debug binary
/// under test, short messages, into a temporary folder).
pub fn build(corpus: &Path, folder: &str) -> Built {
    let args = readme_command(corpus, folder);
    let out = tempfile::tempdir().expect("temp dir");
    let started = std::time::Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(&args)
        .args([
            "--out",
            &out.path().to_string_lossy(),
            "--message-format",
            "short",
        ])
        .current_dir(corpus)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env("NO_COLOR", "1")
        .output()
        .expect("the folio binary runs");
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let messages = stderr
        .lines()
        .filter(|l| {
            l.contains(": error: ")
                || l.contains(": warning: ")
                || l.starts_with("warning: ")
                || l.starts_with("error: ")
        })
        .map(str::to_owned)
        .collect();
    let find = |ext: &str| {
        std::fs::read_dir(out.path())
            .ok()?
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == ext))
    };
    let book = corpus.join(folder);
    let src = if book.join("src").is_dir() {
        book.join("src")
    } else {
        book.clone()
    };
    Built {
        epub: find("epub"),
        pdf: find("pdf"),
        book,
        src,
        success: output.status.success(),
        messages,
        seconds,
        _out: out,
    }
}

/// One entry of `SUMMARY.md`: depth in the outline (inside a part counts
/// one), title as plain text, file (relative to `src`; `None` for a part).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryEntry {
    pub depth: usize,
    pub title: String,
    pub file: Option<String>,
}

/// `SUMMARY.md` read line by line, the simple way its format is documented
/// (independent of folio's parser): `# Part` headings, list items nested by
/// indentation, prefix and suffix links; drafts dropped (their sections take
/// their place), comments skipped.
pub fn summary(src: &Path) -> Vec<SummaryEntry> {
    let text = std::fs::read_to_string(src.join("SUMMARY.md")).expect("SUMMARY.md");
    let mut out = Vec::new();
    let mut in_comment = false;
    let mut seen_title = false;
    let mut in_part = false;
    let mut seen_list = false;
    // Open list items: (indent, is a draft).
    let mut stack: Vec<(usize, bool)> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if in_comment {
            in_comment = !line.contains("-->");
            continue;
        }
        if trimmed.starts_with("<!--") {
            in_comment = !trimmed.contains("-->");
            continue;
        }
        if trimmed.is_empty() {
            continue;
        }
        if let Some(title) = trimmed.strip_prefix("# ") {
            if seen_title || !out.is_empty() {
                out.push(SummaryEntry {
                    depth: 0,
                    title: plain(title),
                    file: None,
                });
                in_part = true;
            }
            seen_title = true;
            stack.clear();
            continue;
        }
        seen_title = true;
        let indent = line.len() - trimmed.len();
        let (item, rest) = match trimmed.strip_prefix(['-', '*']) {
            Some(rest) if rest.starts_with(' ') => (true, rest.trim_start()),
            _ => (false, trimmed),
        };
        let Some((title, target)) = link(rest) else {
            continue;
        };
        let depth = if item {
            seen_list = true;
            while stack.last().is_some_and(|&(i, _)| i >= indent) {
                stack.pop();
            }
            let drafts = stack.iter().filter(|(_, d)| *d).count();
            stack.push((indent, target.is_empty()));
            stack.len() - 1 - drafts + usize::from(in_part)
        } else {
            if seen_list {
                in_part = false; // suffix chapters
            }
            stack.clear();
            0
        };
        if target.is_empty() {
            continue;
        }
        out.push(SummaryEntry {
            depth,
            title: plain(&title),
            file: Some(target.trim_start_matches("./").replace("%20", " ")),
        });
    }
    out
}

/// `[title](target)` at the start of `text`.
fn link(text: &str) -> Option<(String, String)> {
    let rest = text.strip_prefix('[')?;
    let mut depth = 0;
    let mut close = None;
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => depth += 1,
            ']' if depth == 0 => {
                close = Some(i);
                break;
            }
            ']' => depth -= 1,
            _ => {}
        }
    }
    let close = close?;
    let after = rest[close + 1..].strip_prefix('(')?;
    let end = after.find(')')?;
    Some((rest[..close].to_owned(), after[..end].trim().to_owned()))
}

/// Title text as readers see it: Markdown marks dropped, typographic quotes
/// and dashes made plain, spaces collapsed.
pub fn plain(title: &str) -> String {
    let mut out = String::new();
    let mut chars = title.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n)
                }
            }
            '`' | '*' => {}
            '’' | '‘' => out.push('\''),
            '“' | '”' => out.push('"'),
            '–' | '—' => out.push('-'),
            '…' => out.push_str("..."),
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The PDF's outline, flattened in order: (depth, title).
pub fn bookmarks(pdf: &Path) -> Vec<(usize, String)> {
    let json = qpdf_json(pdf, &["outlines"]);
    fn walk(items: &serde_json::Value, depth: usize, out: &mut Vec<(usize, String)>) {
        for item in items.as_array().into_iter().flatten() {
            out.push((depth, item["title"].as_str().unwrap_or("").to_owned()));
            walk(&item["kids"], depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(&json["outlines"], 0, &mut out);
    out
}

/// qpdf's JSON view of `pdf` with the given keys.
pub fn qpdf_json(pdf: &Path, keys: &[&str]) -> serde_json::Value {
    let mut args = vec!["--json=1".to_owned()];
    args.extend(keys.iter().map(|k| format!("--json-key={k}")));
    args.push(pdf.to_string_lossy().into_owned());
    let out = Command::new("qpdf")
        .args(&args)
        .output()
        .expect("qpdf is installed (`make test` installs it)");
    serde_json::from_slice(&out.stdout).expect("qpdf JSON")
}

/// Links in chapter files that lead to another chapter of the book, counted
/// from the Markdown source (inline and reference-style, `.md` and `.html`,
/// `dir/` and `index.html` as mdBook names pages).
pub fn chapter_links_in_source(src: &Path, chapters: &[String]) -> usize {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let set: HashSet<PathBuf> = chapters.iter().map(|c| lexical(&src.join(c))).collect();
    let mut count = 0;
    for chapter in chapters {
        let path = lexical(&src.join(chapter));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let dir = path.parent().unwrap_or(src).to_path_buf();
        for event in Parser::new_ext(&text, Options::all()) {
            let Event::Start(Tag::Link { dest_url, .. }) = event else {
                continue;
            };
            if let Some(target) = chapter_target(&dir, &dest_url, &set) {
                if target != path {
                    count += 1;
                }
            }
        }
    }
    count
}

/// The chapter file a link names, by mdBook's page names.
fn chapter_target(dir: &Path, dest: &str, chapters: &HashSet<PathBuf>) -> Option<PathBuf> {
    if dest.contains("://") || dest.starts_with('#') || dest.starts_with("mailto:") {
        return None;
    }
    let path = dest.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() || path.starts_with('/') {
        return None;
    }
    let path = path.replace("%20", " ");
    let joined = lexical(&dir.join(&path));
    let mut candidates = Vec::new();
    if path.ends_with('/') {
        candidates.push(joined.join("README.md"));
        candidates.push(joined.join("index.md"));
    } else if let Some(stem) = path.strip_suffix(".html") {
        let file = lexical(&dir.join(format!("{stem}.md")));
        if Path::new(stem).file_name().is_some_and(|n| n == "index") {
            let parent = file.parent().unwrap_or(dir).to_path_buf();
            candidates.push(parent.join("README.md"));
        }
        candidates.push(file);
    } else {
        candidates.push(joined.clone());
        candidates.push(joined.join("README.md"));
        candidates.push(joined.join("index.md"));
    }
    candidates.into_iter().find(|c| chapters.contains(c))
}

/// `.` dropped and `..` applied, without touching the disk.
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The EPUB's chapter documents: (file name, text), in the package's order
/// of names (the generated pages and the navigation excluded).
pub fn epub_chapters(epub: &Path) -> Vec<(String, String)> {
    use std::io::Read;
    let file = std::fs::File::open(epub).expect("epub");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let name = entry.name().to_owned();
        let Some(file) = name.strip_prefix("OEBPS/") else {
            continue;
        };
        if !file.ends_with(".xhtml")
            || [
                "nav.xhtml",
                "titlepage.xhtml",
                "copyright.xhtml",
                "cover.xhtml",
            ]
            .contains(&file)
        {
            continue;
        }
        let mut text = String::new();
        entry.read_to_string(&mut text).expect("utf-8");
        out.push((file.to_owned(), text));
    }
    out
}

/// Links in the EPUB's chapters to another chapter document.
pub fn chapter_links_in_epub(chapters: &[(String, String)]) -> usize {
    let names: HashSet<&str> = chapters.iter().map(|(n, _)| n.as_str()).collect();
    let mut count = 0;
    for (name, text) in chapters {
        let doc = xml(text);
        for a in doc.descendants().filter(|n| n.has_tag_name("a")) {
            let Some(href) = a.attribute("href") else {
                continue;
            };
            let file = href.split('#').next().unwrap_or("");
            if !file.is_empty() && file != name && names.contains(file) {
                count += 1;
            }
        }
    }
    count
}

/// A chapter document (XHTML, with its DOCTYPE).
fn xml(text: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options).expect("chapter XHTML is XML")
}

/// Every heading of every chapter document directly followed by a heading
/// with the same text: a title set twice. (A heading repeated further on,
/// after text, is the author's own structure.)
pub fn repeated_headings(chapters: &[(String, String)]) -> Vec<String> {
    let is_heading = |n: &roxmltree::Node| {
        matches!(n.tag_name().name(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
    };
    let text = |n: &roxmltree::Node| {
        let t: String = n.descendants().filter_map(|d| d.text()).collect();
        t.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let mut out = Vec::new();
    for (name, xhtml) in chapters {
        let doc = xml(xhtml);
        for heading in doc
            .descendants()
            .filter(|n| n.is_element() && is_heading(n))
        {
            let next = heading
                .next_siblings()
                .skip(1)
                .find(|n| n.is_element() || n.text().is_some_and(|t| !t.trim().is_empty()));
            if let Some(next) = next.filter(|n| n.is_element() && is_heading(n)) {
                if text(&heading) == text(&next) && !text(&heading).is_empty() {
                    out.push(format!("{name}: `{}` twice", text(&heading)));
                }
            }
        }
    }
    out
}

/// Link annotations in the PDF's chapters that lead to another chapter
/// (a chapter or section, as `SUMMARY.md` lists them); a link broken over
/// lines counts once. Footnote links and the contents are not counted.
pub fn chapter_links_in_pdf(pdf: &Path) -> usize {
    let json = qpdf_json(pdf, &["pages", "objects"]);
    let objects = json["objects"].as_object().expect("objects");
    let pages: Vec<String> = json["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .map(|p| p["object"].as_str().unwrap_or("").to_owned())
        .collect();
    let node = |v: &serde_json::Value| -> serde_json::Value {
        v.as_str()
            .and_then(|r| objects.get(r))
            .cloned()
            .unwrap_or_else(|| v.clone())
    };
    // Named destinations: name → (page, y from the top of the page).
    let catalog = objects
        .values()
        .find(|v| v["/Type"] == "/Catalog")
        .expect("catalog");
    let mut dests: HashMap<String, (usize, f64)> = HashMap::new();
    let mut stack = vec![node(&node(&catalog["/Names"])["/Dests"])];
    while let Some(tree) = stack.pop() {
        let tree = node(&tree);
        for kid in tree["/Kids"].as_array().into_iter().flatten() {
            stack.push(kid.clone());
        }
        for pair in tree["/Names"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .chunks(2)
        {
            let name = pair[0]
                .as_str()
                .unwrap_or("")
                .trim_start_matches("u:")
                .to_owned();
            let array = node(&pair[1]);
            let Some(page) = array[0]
                .as_str()
                .and_then(|p| pages.iter().position(|q| q == p))
            else {
                continue;
            };
            let y = array[3].as_f64().unwrap_or(0.0);
            dests.insert(name, (page, -y));
        }
    }
    // Where each chapter (and section) starts, in reading order.
    let mut starts: Vec<(usize, f64)> = dests
        .iter()
        .filter(|(n, _)| n.starts_with("chapter:"))
        .map(|(_, &p)| p)
        .collect();
    starts.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let chapter_at = |pos: (usize, f64)| starts.iter().rposition(|s| *s <= pos);
    let mut count = 0;
    // The last link seen: destination, page, top, left, bottom (PDF units
    // from the page's foot).
    let mut last: Option<(String, usize, f64, f64, f64)> = None;
    for (page_index, page) in pages.iter().enumerate() {
        let page = &objects[page];
        let height = page["/MediaBox"]
            .as_array()
            .and_then(|b| b.get(3))
            .and_then(serde_json::Value::as_f64)
            .unwrap_or(648.0);
        let annots = node(&page["/Annots"]);
        let annots = annots.as_array().cloned().unwrap_or_default();
        for annot in &annots {
            let annot = node(annot);
            let Some(dest) = annot["/Dest"].as_str() else {
                continue;
            };
            let dest = dest.trim_start_matches("u:").to_owned();
            if dest.starts_with("fn-") || dest.starts_with("fnref-") {
                continue;
            }
            let rect: Vec<f64> = annot["/Rect"]
                .as_array()
                .map(|r| r.iter().filter_map(|v| v.as_f64()).collect())
                .unwrap_or_default();
            let (left, top) = (
                rect.first().copied().unwrap_or(0.0),
                -rect.get(3).copied().unwrap_or(0.0),
            );
            let from = chapter_at((page_index, top));
            let to = dests.get(&dest).and_then(|&p| chapter_at(p));
            let (Some(from), Some(to)) = (from, to) else {
                continue;
            };
            if from == to {
                continue;
            }
            // The second half of a link broken over lines: the same
            // destination, on the next line further left, or at the head of
            // the next page when the first half ended at the foot of its page.
            let bottom = rect.get(1).copied().unwrap_or(0.0);
            let continues = last.as_ref().is_some_and(|(d, p, y, x, foot)| {
                *d == dest
                    && ((*p == page_index && top > *y && top - y < 25.0 && left < *x)
                        || (*p + 1 == page_index && *foot < 0.2 * height && -top > 0.8 * height))
            });
            last = Some((dest, page_index, top, left, bottom));
            if !continues {
                count += 1;
            }
        }
    }
    count
}
