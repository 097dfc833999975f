//! Books in several languages (`tests/fixtures/multilingual`: a German book
//! with French, Japanese, Arabic, Greek and Russian chapters, each marked
//! with `lang`), built once: no missing glyph or overfull line; each
//! chapter hyphenated only where its own language's patterns allow (checked
//! against the `hyphenation` crate's dictionaries, not against folio);
//! Japanese text extractable and inside the text block; Arabic lines ending
//! at the right edge, read from the right; the EPUB marking each chapter's
//! language and direction, valid for EPUBCheck. Also fonts from
//! `--font-path` and `[pdf] font-paths`, independent of the machine's fonts.
//!
//! The Japanese chapter needs a CJK font installed: `make test-deps`
//! installs fonts-noto-cjk (Debian/Ubuntu). Without it the tests fail and
//! say so, rather than pass without checking.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use folio::pdf::Profile;
use folio::pdf::layout::frame::{GlyphRun, Item, PagedDoc};
use hyphenation::{Hyphenator as _, Language, Load, Standard};

/// Default style geometry (6×9 in): the text block is 324 pt wide, from
/// x = 63 on rectos (odd pages) and x = 45 on versos.
const BLOCK_WIDTH: f32 = 324.0;

fn block_left(page_number: usize) -> f32 {
    if page_number % 2 == 1 { 63.0 } else { 45.0 }
}

const BOOK: &str = "tests/fixtures/multilingual";

/// A font with Japanese glyphs must be installed for the fixture to build
/// without warnings.
fn require_cjk_font() {
    let listed = Command::new("fc-list")
        .args([":lang=ja", "family"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    assert!(
        !listed.trim().is_empty()
            || Path::new("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc").exists(),
        "these tests set Japanese text and need a CJK font installed: run `make test-deps` \
         (it installs fonts-noto-cjk)"
    );
}

struct Built {
    /// Output folder (kept for the life of the test process).
    _out: tempfile::TempDir,
    pdf: PathBuf,
    epub: PathBuf,
    stderr: String,
    doc: PagedDoc,
}

fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        require_cjk_font();
        let out = tempfile::tempdir().expect("temp dir");
        let run = common::folio(&["build", BOOK, "--out", &out.path().to_string_lossy()]);
        let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
        assert!(
            run.status.success(),
            "the multilingual book builds:\n{stderr}"
        );
        let find = |ext: &str| {
            std::fs::read_dir(out.path())
                .expect("output folder")
                .flatten()
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|e| e == ext))
                .expect("artifact written")
        };
        let mut loaded = common::Loaded::new(&common::root().join(BOOK));
        let (cx, sink) = loaded.cx();
        let doc = folio::pdf::layout(&cx, Profile::Print, sink, None).expect("lays out");
        Built {
            pdf: find("pdf"),
            epub: find("epub"),
            _out: out,
            stderr,
            doc,
        }
    })
}

fn runs(doc: &PagedDoc, page: usize) -> Vec<&GlyphRun> {
    doc.pages[page]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Glyphs(r) => Some(r),
            _ => None,
        })
        .collect()
}

/// Index of the page where a chapter's title is set, and of the next
/// chapter's: the chapter's pages.
fn chapter_pages(doc: &PagedDoc, title_word: &str, next_title_word: Option<&str>) -> Vec<usize> {
    let opens = |word: &str| {
        // The title as set (large) on its opening page, not in the contents.
        (0..doc.pages.len())
            .rev()
            .find(|&p| {
                runs(doc, p)
                    .iter()
                    .any(|r| r.size > 20.0 && r.text.contains(word))
            })
            .unwrap_or_else(|| panic!("no page opens with `{word}`"))
    };
    let first = opens(title_word);
    let end = next_title_word.map_or(doc.pages.len(), opens);
    (first..end).collect()
}

#[test]
fn builds_without_missing_glyphs_or_overfull_lines() {
    let b = built();
    assert!(
        !b.stderr.contains("warning"),
        "the multilingual book builds without warnings:\n{}",
        b.stderr
    );
    let fonts = Command::new("pdffonts")
        .arg(&b.pdf)
        .output()
        .expect("pdffonts runs");
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(
        fonts
            .lines()
            .any(|l| l.contains("CJK") && l.contains(" yes yes")),
        "a CJK font is embedded (subset):\n{fonts}"
    );
}

/// Every line ending in an inserted hyphen, with the word it splits and the
/// break's byte offset in it, for the pages given.
fn hyphenated(doc: &PagedDoc, pages: &[usize]) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for &p in pages {
        let runs = runs(doc, p);
        for (i, pair) in runs.windows(2).enumerate() {
            let (part, hyphen) = (pair[0], pair[1]);
            if &*hyphen.text != "-" || (part.y - hyphen.y).abs() > 0.01 {
                continue;
            }
            let before = part.text.rsplit(' ').next().unwrap_or("");
            let next = runs[i + 2..]
                .iter()
                .filter(|r| r.y > hyphen.y + 1.0)
                .min_by(|a, b| (a.y, a.x).partial_cmp(&(b.y, b.x)).expect("finite"));
            let Some(next) = next else { continue };
            let after = next.text.split(' ').next().unwrap_or("");
            let word = format!("{before}{after}");
            let trimmed = word.trim_start_matches(|c: char| !c.is_alphabetic());
            let at = before.len() - (word.len() - trimmed.len());
            let core = trimmed.trim_end_matches(|c: char| !c.is_alphabetic());
            found.push((core.to_owned(), at));
        }
    }
    found
}

#[test]
fn each_chapter_hyphenates_by_its_own_patterns() {
    let b = built();
    let doc = &b.doc;
    let chapters = [
        ("Werkstatt", Some("typographie"), Language::German1996),
        ("typographie", Some("日本語の組版"), Language::French),
        ("Искусство", None, Language::Russian),
    ];
    for (title, next, language) in chapters {
        let pages = chapter_pages(doc, title, next);
        let patterns = Standard::from_embedded(language).expect("dictionary");
        let breaks = hyphenated(doc, &pages);
        assert!(
            !breaks.is_empty(),
            "the {language:?} chapter hyphenates some words (pages {pages:?})"
        );
        for (word, at) in &breaks {
            let lower = word.to_lowercase();
            let at_lower = word[..*at].to_lowercase().len();
            assert!(
                patterns.opportunities(&lower).contains(&at_lower),
                "`{}-{}` is not a break {language:?} patterns allow (they allow {:?})",
                &word[..*at],
                &word[*at..],
                patterns
                    .hyphenate(&lower)
                    .into_iter()
                    .segments()
                    .collect::<Vec<_>>()
            );
        }
    }
}

/// Text of the PDF's pages (1-based, inclusive) with all white space removed.
fn pdftotext(pdf: &Path, first: usize, last: usize) -> String {
    let out = Command::new("pdftotext")
        .args(["-f", &first.to_string(), "-l", &last.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    String::from_utf8_lossy(&out.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Words pdftotext finds on a page: (xMin, yMin, xMax, text).
fn words(pdf: &Path, page: usize) -> Vec<(f32, f32, f32, String)> {
    let out = Command::new("pdftotext")
        .args(["-bbox", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    let attr = |tag: &str, name: &str| -> f32 {
        let key = format!("{name}=\"");
        let start = tag.find(&key).expect("attribute") + key.len();
        let end = tag[start..].find('"').expect("closing quote") + start;
        tag[start..end].parse().expect("a number")
    };
    html.split("<word ")
        .skip(1)
        .map(|w| {
            let (tag, rest) = w.split_once('>').expect("word tag");
            let text = rest.split("</word>").next().unwrap_or("").to_owned();
            (
                attr(tag, "xMin"),
                attr(tag, "yMin"),
                attr(tag, "xMax"),
                text,
            )
        })
        .collect()
}

/// The paragraphs of a chapter's Markdown (front matter and headings
/// skipped), with all white space removed.
fn paragraphs(file: &str) -> Vec<String> {
    let text =
        std::fs::read_to_string(common::root().join(BOOK).join("src").join(file)).expect("chapter");
    let body = text.rsplit("+++").next().unwrap_or(&text);
    body.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.starts_with('#'))
        .map(|p| p.chars().filter(|c| !c.is_whitespace()).collect())
        .collect()
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}' | '\u{3000}'..='\u{303F}')
}

#[test]
fn japanese_text_is_all_extracted_and_inside_the_block() {
    let b = built();
    let pages = chapter_pages(&b.doc, "日本語の組版", Some("فن"));
    let (first, last) = (pages[0] + 1, pages[pages.len() - 1] + 1);
    let text = pdftotext(&b.pdf, first, last);
    for paragraph in paragraphs("03-nihongo.md") {
        assert!(
            text.contains(&paragraph),
            "pdftotext finds the paragraph `{paragraph}` in pages {first}–{last}:\n{text}"
        );
    }
    let mut lines = 0;
    for page in first..=last {
        let left = block_left(page);
        for (x_min, _, x_max, word) in words(&b.pdf, page) {
            if !word.chars().any(is_cjk) {
                continue;
            }
            lines += 1;
            assert!(
                x_min >= left - 0.5 && x_max <= left + BLOCK_WIDTH + 0.5,
                "page {page}: `{word}` at {x_min}..{x_max} leaves the block {left}..{}",
                left + BLOCK_WIDTH
            );
        }
    }
    assert!(lines >= 10, "Japanese lines were checked ({lines})");
}

#[test]
fn arabic_lines_end_at_the_right_edge_and_read_from_the_right() {
    let b = built();
    let pages = chapter_pages(&b.doc, "فن", Some("τέχνη"));
    const INDENT: f32 = 1.2 * 11.0;
    let (mut lines, mut indented) = (0, 0);
    for &p in &pages {
        let page = p + 1;
        let right = block_left(page) + BLOCK_WIDTH;
        // Lines: words whose tops lie within 3 pt (a number in another
        // font sits a little higher than the Arabic around it).
        let mut arabic: Vec<(f32, f32)> = words(&b.pdf, page)
            .into_iter()
            .filter(|(_, _, _, w)| {
                w.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) || w == "2024"
            })
            .map(|(_, y, x_max, _)| (y, x_max))
            .collect();
        arabic.sort_by(|a, b| a.partial_cmp(b).expect("finite"));
        let mut by_line: Vec<(f32, f32)> = Vec::new();
        for (y, x_max) in arabic {
            match by_line.last_mut() {
                Some((top, end)) if y - *top < 3.0 => *end = end.max(x_max),
                _ => by_line.push((y, x_max)),
            }
        }
        for (y, end) in by_line {
            lines += 1;
            // A paragraph after another opens with the first-line indent
            // (1.2 em of 11 pt), at the right.
            if (end - (right - INDENT)).abs() < 0.6 {
                indented += 1;
                continue;
            }
            assert!(
                (end - right).abs() < 0.6,
                "page {page}: the Arabic line at y {y} ends at {end}, not at the right edge {right}"
            );
        }
    }
    assert!(lines >= 10, "Arabic lines were checked ({lines})");
    assert_eq!(
        indented, 2,
        "the second and third paragraphs are indented at the right"
    );
    // The paragraph's first word is the rightmost on its line; the number
    // inside the second paragraph keeps its digits' order.
    let doc = &b.doc;
    let all: Vec<&GlyphRun> = pages.iter().flat_map(|&p| runs(doc, p)).collect();
    let first = all
        .iter()
        .find(|r| r.text.contains("تكتب"))
        .expect("the first paragraph's first word");
    let at = first.text.find("تكتب").expect("found");
    let word = at..at + "تكتب".len();
    let word_left = first
        .glyphs
        .iter()
        .filter(|g| word.contains(&(g.text_start as usize)))
        .map(|g| first.x + g.x)
        .fold(f32::INFINITY, f32::min);
    let mut others = Vec::new();
    for r in all.iter().filter(|r| (r.y - first.y).abs() < 0.01) {
        for g in r.glyphs.iter() {
            let in_word = std::ptr::eq(*r, *first) && word.contains(&(g.text_start as usize));
            if !in_word {
                others.push(r.x + g.x);
            }
        }
    }
    assert!(!others.is_empty(), "the first line has more words");
    for x in others {
        assert!(
            x < word_left,
            "the first word `تكتب` (from x {word_left}) is the rightmost on its line; a glyph at {x}"
        );
    }
    let text = pdftotext(&b.pdf, pages[0] + 1, pages[pages.len() - 1] + 1);
    assert!(text.contains("2024") && text.contains("Unicode"), "{text}");
}

#[test]
fn the_epub_marks_each_chapter_language_and_direction() {
    let b = built();
    let expected = [
        ("ch-01-deutsch.xhtml", "de-DE", None),
        ("ch-02-francais.xhtml", "fr", None),
        ("ch-03-nihongo.xhtml", "ja", None),
        ("ch-04-arabiya.xhtml", "ar", Some("rtl")),
        ("ch-05-ellinika.xhtml", "el", None),
        ("ch-06-russkij.xhtml", "ru", None),
    ];
    let names = common::zip_names(&b.epub);
    for (file, lang, dir) in expected {
        let name = names
            .iter()
            .find(|n| n.ends_with(file))
            .unwrap_or_else(|| panic!("{file} in the EPUB: {names:?}"));
        let xhtml = common::zip_text(&b.epub, name);
        let html = xhtml
            .split("<html")
            .nth(1)
            .and_then(|t| t.split('>').next())
            .expect("an html element");
        assert!(
            html.contains(&format!("lang=\"{lang}\" xml:lang=\"{lang}\"")),
            "{file}: <html{html}>"
        );
        assert_eq!(
            html.contains("dir=\"rtl\""),
            dir.is_some(),
            "{file}: <html{html}>"
        );
    }
    let (ok, messages) = common::epubcheck(&b.epub);
    assert!(ok && messages.is_empty(), "EPUBCheck: {messages:?}");
}

#[test]
fn same_fonts_give_the_same_bytes() {
    let b = built();
    let out = tempfile::tempdir().expect("temp dir");
    let run = common::folio(&[
        "build",
        BOOK,
        "--format",
        "pdf",
        "--out",
        &out.path().to_string_lossy(),
        "-q",
    ]);
    assert!(run.status.success());
    let again = std::fs::read(out.path().join(b.pdf.file_name().expect("name"))).expect("pdf");
    assert!(
        again == std::fs::read(&b.pdf).expect("pdf"),
        "a second build gives identical bytes"
    );
}

/// A book whose style has no fallback fonts and that may not use the
/// system's: a check mark (which EB Garamond lacks) can only come from a
/// font folder the author names.
fn check_mark_book(dir: &Path, font_paths: &str) {
    let toml = format!(
        "[book]\ntitle = \"Marks\"\nauthors = [\"A\"]\nlanguage = \"en\"\n\
         identifier = \"0b7a4f2e-5c1d-4e8a-9f3b-6d2c1a0e9b50\"\n\n\
         [pdf]\nstyle = \"style.toml\"\nsystem-fonts = false\n{font_paths}\n"
    );
    common::write_book(
        dir,
        &toml,
        &[
            ("style.toml", b"[fonts]\nfallbacks = []\n"),
            (
                "01.md",
                "# Marks\n\nDone \u{2713} and checked.\n".as_bytes(),
            ),
        ],
    );
}

#[test]
fn fonts_come_from_font_paths_when_the_style_lacks_a_character() {
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("book");
    let out = dir.path().join("out");
    let arg = |p: &Path| p.to_string_lossy().into_owned();
    // Without a font folder: the one missing-glyph warning.
    check_mark_book(&book, "");
    let run = common::folio(&["build", &arg(&book), "--format", "pdf", "--out", &arg(&out)]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("no font has the character `✓`"), "{stderr}");
    // With --font-path: the check mark comes from DejaVu Sans there.
    let fonts = common::root().join("fonts/dejavu");
    let run = common::folio(&[
        "build",
        &arg(&book),
        "--format",
        "pdf",
        "--out",
        &arg(&out),
        "--font-path",
        &arg(&fonts),
        "-v",
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(!stderr.contains("no font has"), "{stderr}");
    assert!(
        stderr.contains("font: DejaVu Sans (DejaVuSans) from ")
            && stderr.contains("DejaVuSans.ttf"),
        "--verbose lists the font used:\n{stderr}"
    );
    // With [pdf] font-paths inside the book: the same.
    std::fs::create_dir_all(book.join("fonts")).expect("fonts folder");
    std::fs::copy(
        fonts.join("DejaVuSans.ttf"),
        book.join("fonts/DejaVuSans.ttf"),
    )
    .expect("copy");
    check_mark_book(&book, "font-paths = [\"fonts\"]");
    let run = common::folio(&["build", &arg(&book), "--format", "pdf", "--out", &arg(&out)]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success() && !stderr.contains("no font has"),
        "{stderr}"
    );
    // A font path leading out of the book folder is an error at its place.
    check_mark_book(&book, "font-paths = [\"../out\"]");
    let run = common::folio(&["build", &arg(&book), "--format", "pdf", "--out", &arg(&out)]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success(), "{stderr}");
    assert!(
        stderr.contains("book.toml:10:15") && stderr.contains("../out"),
        "{stderr}"
    );
}

#[test]
fn right_to_left_lists_put_their_markers_at_the_right() {
    let dir = tempfile::tempdir().expect("temp dir");
    common::write_book(
        dir.path(),
        "[book]\ntitle = \"Lists\"\nauthors = [\"A\"]\nlanguage = \"en\"\n\
         identifier = \"0b7a4f2e-5c1d-4e8a-9f3b-6d2c1a0e9b53\"\n",
        &[(
            "01.md",
            "+++\nlang = \"he\"\n+++\n\n# רשימה\n\n- פריט ראשון\n- פריט שני\n".as_bytes(),
        )],
    );
    let mut loaded = common::Loaded::new(dir.path());
    let (cx, sink) = loaded.cx();
    let doc = folio::pdf::layout(&cx, Profile::Print, sink, None).expect("lays out");
    let page = (0..doc.pages.len())
        .rev()
        .find(|&p| runs(&doc, p).iter().any(|r| &*r.text == "•"))
        .expect("a page with the list");
    let all = runs(&doc, page);
    for bullet in all.iter().filter(|r| &*r.text == "•") {
        let item = all
            .iter()
            .find(|r| (r.y - bullet.y).abs() < 0.01 && r.text.contains("פריט"))
            .expect("the item's text on the bullet's line");
        assert!(
            bullet.x > item.x,
            "the bullet (x {}) is right of its item `{}` (x {})",
            bullet.x,
            item.text,
            item.x
        );
        let right = block_left(page + 1) + BLOCK_WIDTH;
        assert!(
            bullet.x < right && bullet.x > right - 20.0,
            "bullet at {}",
            bullet.x
        );
    }
}

#[test]
fn a_passage_in_another_language_keeps_its_own() {
    // `<span lang="en">Typography exists to honour content</span>` in the
    // German chapter: English words, marked as such in the PDF and the EPUB,
    // and hyphenated (if at all) only where English patterns allow.
    let b = built();
    let pages = chapter_pages(&b.doc, "Werkstatt", Some("typographie"));
    let english = ["exists", "honour", "content"];
    let mut seen = 0;
    for &p in &pages {
        for run in runs(&b.doc, p) {
            let lang = run.lang.as_deref();
            if english.iter().any(|w| run.text.contains(w)) {
                assert_eq!(lang, Some("en"), "`{}` is marked English", run.text);
                seen += 1;
            } else if run.text.contains("Bringhurst") || run.text.contains("Zitat") {
                assert_eq!(lang, None, "`{}` is in the book's German", run.text);
            }
        }
    }
    assert!(seen > 0, "the English passage was found");
    let patterns = Standard::from_embedded(Language::EnglishUS).expect("dictionary");
    for (word, at) in hyphenated(&b.doc, &pages) {
        if word.starts_with("Typo") || english.iter().any(|w| word.contains(w)) {
            let lower = word.to_lowercase();
            assert!(
                patterns
                    .opportunities(&lower)
                    .contains(&word[..at].to_lowercase().len()),
                "`{}-{}` is an English break",
                &word[..at],
                &word[at..]
            );
        }
    }
    let names = common::zip_names(&b.epub);
    let name = names
        .iter()
        .find(|n| n.ends_with("ch-01-deutsch.xhtml"))
        .expect("German chapter");
    let xhtml = common::zip_text(&b.epub, name);
    assert!(
        xhtml.contains("<span lang=\"en\" xml:lang=\"en\">Typography exists"),
        "the EPUB marks the passage"
    );
}

#[test]
fn dir_on_an_element_isolates_its_text_in_that_direction() {
    // `!abc` set right to left inside an English line: the exclamation mark
    // (neutral) takes the span's direction and goes to the right of `abc`.
    let dir = tempfile::tempdir().expect("temp dir");
    common::write_book(
        dir.path(),
        "[book]\ntitle = \"Dir\"\nauthors = [\"A\"]\nlanguage = \"en\"\n\
         identifier = \"0b7a4f2e-5c1d-4e8a-9f3b-6d2c1a0e9b54\"\n",
        &[(
            "01.md",
            "# Dir\n\nBefore <span dir=\"rtl\">!abc</span> after.\n".as_bytes(),
        )],
    );
    let mut loaded = common::Loaded::new(dir.path());
    let (cx, sink) = loaded.cx();
    let doc = folio::pdf::layout(&cx, Profile::Print, sink, None).expect("lays out");
    let glyph_x = |needle: &str| -> f32 {
        for page in &doc.pages {
            for item in &page.items {
                let Item::Glyphs(run) = item else { continue };
                if let Some(at) = run.text.find(needle) {
                    if let Some(g) = run.glyphs.iter().find(|g| g.text_start as usize == at) {
                        return run.x + g.x;
                    }
                }
            }
        }
        panic!("`{needle}` not found")
    };
    assert!(
        glyph_x("!") > glyph_x("abc"),
        "the isolated right-to-left `!abc` shows as `abc!`"
    );
}
