//! Generates the benchmark book: `cargo run --release --example genbook -- OUT_DIR [SCALE]`.
//!
//! The book is made deterministically from a fixed seed (no `rand`, no clock),
//! so every machine benchmarks the same bytes. At scale 1 it has 110 chapters
//! of about 1,800 words of pseudo-English prose each (≈ 200,000 words, drawn
//! with a Zipf distribution from a vocabulary of a few thousand word forms
//! with realistic lengths, many of them long and hyphenatable), and what a
//! real technical book of that length carries besides (see
//! [`listings`] and [`figures`]): 700 listings in six languages, three in
//! four of them included from ≈ 400 listing files with
//! `{{#include file:anchor}}`, a third wrapped in `<Listing>` blocks; 25 SVG
//! diagrams as Graphviz and diagram editors export them, 5 PNG charts and
//! 5 screenshots of about 3,000 pixels; `<div class="warning">` blocks,
//! tables (some longer than a page), footnotes, nested lists, block quotes,
//! cross-chapter links written both as `.md` and as mdBook's `.html`, page
//! references, and a `SUMMARY.md` with parts and chapters nested three deep.
//!
//! Chapter *i* depends only on *i*, so the book at scale ¼ is the first
//! 28 chapters of the book at scale 1, and scale 2 appends 110 more: the
//! scales differ only in length, which is what a growth measurement needs.
//!
//! It lives in `examples/` rather than `src/bin/`: it is not installed with
//! folio and `cargo build --release` (`make`) does not build it, but
//! `cargo test --all-targets` compiles it, and the benchmark harness and a
//! test include it with `#[path]`, so it cannot rot.
#![allow(
    dead_code,
    reason = "the bench and tests include this file as a module"
)]

#[path = "genbook/figures.rs"]
pub(crate) mod figures;
#[path = "genbook/listings.rs"]
pub(crate) mod listings;

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use listings::{LANGS, ListingFile, code_block};

/// Chapters at scale 1.
pub const CHAPTERS: usize = 110;
/// Prose words per chapter (≈ 200,000 / 110).
const WORDS_PER_CHAPTER: usize = 1_400;
/// Listings at scale 1.
const CODE_BLOCKS: usize = 700;
/// Figures at scale 1: of every 7, five SVGs, a chart and a screenshot.
const FIGURES: usize = 35;
/// Columns of the default print style's code measure: longer lines wrap.
const CODE_COLUMNS: usize = 74;
/// Chapters per part.
const PART_SIZE: usize = 10;

/// What figure `n` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FigureKind {
    /// A Graphviz graph (SVG).
    Graph,
    /// A diagram editor's drawing (SVG).
    Drawing,
    /// A PNG bar chart.
    Chart,
    /// A PNG screenshot of about 3,000 pixels; the number counts screenshots.
    Screenshot(usize),
}

impl FigureKind {
    fn of(n: usize) -> FigureKind {
        match n % 7 {
            3 => FigureKind::Screenshot(n / 7),
            6 => FigureKind::Chart,
            k if k % 2 == 0 => FigureKind::Graph,
            _ => FigureKind::Drawing,
        }
    }

    fn file(self, n: usize) -> String {
        let ext = match self {
            FigureKind::Graph | FigureKind::Drawing => "svg",
            FigureKind::Chart | FigureKind::Screenshot(_) => "png",
        };
        format!("fig-{n:03}.{ext}")
    }
}

/// What was generated.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Body chapters (prefix and suffix chapters not counted).
    pub chapters: usize,
    /// Words of prose (whitespace-separated tokens outside code blocks).
    pub words: usize,
    /// Listings (fenced code blocks), written out or included.
    pub code_blocks: usize,
    /// Listings included from a listing file.
    pub included: usize,
    /// Listing files.
    pub listing_files: usize,
    /// Listings wrapped in a `<Listing>` element.
    pub wrapped: usize,
    /// Code lines longer than the code measure ([`CODE_COLUMNS`]).
    pub long_code_lines: usize,
    /// Figures shown (a figure shown twice counts twice).
    pub figures: usize,
    /// SVG files.
    pub svgs: usize,
    /// Screenshot files.
    pub screenshots: usize,
    /// Tables, and how many of them have more rows than fit on a page.
    pub tables: usize,
    /// Tables longer than a page.
    pub long_tables: usize,
    /// Footnotes.
    pub footnotes: usize,
    /// Bytes of Markdown.
    pub markdown_bytes: usize,
    /// Bytes of listing files.
    pub listing_bytes: usize,
    /// Bytes of image files (the cover included).
    pub image_bytes: usize,
}

impl Stats {
    /// One line for reports.
    pub fn describe(&self) -> String {
        format!(
            "{} chapters, {} words, {} listings ({} included from {} files, {} in <Listing>; {} lines over the measure), \
             {} figures ({} SVG files, {} screenshots), {} tables ({} longer than a page), {} footnotes; \
             {:.1} MiB of Markdown, {:.1} MiB of listing files, {:.1} MiB of images",
            self.chapters,
            self.words,
            self.code_blocks,
            self.included,
            self.listing_files,
            self.wrapped,
            self.long_code_lines,
            self.figures,
            self.svgs,
            self.screenshots,
            self.tables,
            self.long_tables,
            self.footnotes,
            self.markdown_bytes as f64 / 1048576.0,
            self.listing_bytes as f64 / 1048576.0,
            self.image_bytes as f64 / 1048576.0,
        )
    }
}

/// Writes the book at `scale` (1.0 = 110 chapters) into `dir`, replacing
/// whatever the generator wrote there before.
pub fn generate(dir: &Path, scale: f64) -> io::Result<Stats> {
    let chapters = ((CHAPTERS as f64 * scale).round() as usize).max(1);
    for generated in ["src", "listings"] {
        if dir.join(generated).exists() {
            std::fs::remove_dir_all(dir.join(generated))?;
        }
    }
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("images"))?;
    let vocab = Vocab::new();
    let mut stats = Stats {
        chapters,
        ..Stats::default()
    };

    std::fs::write(dir.join("book.toml"), BOOK_TOML)?;
    let mut summary = String::from("# Summary\n\n[Preface](preface.md)\n");
    let mut files: Vec<(String, String)> = Vec::new();
    let mut listing_files: Vec<ListingFile> = Vec::new();
    files.push((
        "preface.md".into(),
        front_chapter(&vocab, "Preface", "preface", 1, &mut stats),
    ));

    let mut figure_files: Vec<usize> = Vec::new();
    for i in 0..chapters {
        let part = i / PART_SIZE;
        if i % PART_SIZE == 0 {
            let mut rng = Rng::new(0x5EED_0000 + part as u64);
            let title = title_case(&vocab.phrase(&mut rng, 2, 4));
            let _ = write!(summary, "\n# Part {}: {title}\n\n", part + 1);
        }
        let mut rng = Rng::new(0xC0FF_EE00 + i as u64);
        let title = title_case(&vocab.phrase(&mut rng, 3, 6));
        let path = chapter_path(i);
        // Chapters nest three deep: 0, 1, 2, 1, 0 levels in every five.
        let indent = ["", "    ", "        ", "    ", ""][i % 5];
        let _ = writeln!(summary, "{indent}- [{title}]({path})");
        let text = chapter(
            &vocab,
            &mut rng,
            i,
            &title,
            &mut stats,
            &mut figure_files,
            &mut listing_files,
        );
        files.push((path, text));
    }
    summary.push_str("\n---\n\n[Glossary](glossary.md)\n[About the Author](about.md)\n");
    files.push((
        "glossary.md".into(),
        front_chapter(&vocab, "Glossary", "glossary", 2, &mut stats),
    ));
    files.push((
        "about.md".into(),
        front_chapter(
            &vocab,
            "About the Author",
            "about-the-author",
            3,
            &mut stats,
        ),
    ));
    files.push(("SUMMARY.md".into(), summary));

    for (path, text) in &files {
        stats.markdown_bytes += text.len();
        write_file(&src.join(path), text.as_bytes())?;
    }
    stats.listing_files = listing_files.len();
    for file in &listing_files {
        stats.listing_bytes += file.text.len();
        write_file(&dir.join(&file.path), file.text.as_bytes())?;
    }
    for &n in &figure_files {
        let kind = FigureKind::of(n);
        let bytes = match kind {
            FigureKind::Graph => figures::svg_graphviz(n).into_bytes(),
            FigureKind::Drawing => figures::svg_drawing(n).into_bytes(),
            FigureKind::Chart => figures::png_chart(n)?,
            FigureKind::Screenshot(k) => figures::png_screenshot(k)?,
        };
        match kind {
            FigureKind::Graph | FigureKind::Drawing => stats.svgs += 1,
            FigureKind::Screenshot(_) => stats.screenshots += 1,
            FigureKind::Chart => {}
        }
        stats.image_bytes += bytes.len();
        std::fs::write(src.join("images").join(kind.file(n)), bytes)?;
    }
    let cover = figures::png_cover()?;
    stats.image_bytes += cover.len();
    std::fs::write(src.join("images/cover.png"), cover)?;
    Ok(stats)
}

fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes)
}

const BOOK_TOML: &str = r#"# Generated by examples/genbook.rs for `make bench`; do not edit.
[book]
title = "Serverless Systems at Scale"
subtitle = "A Generated Benchmark Book"
authors = ["Bench Marker"]
language = "en"
identifier = "978-0-306-40615-7"
publisher = "Folio Bench Press"
date = "2024-05-01"
description = "A deterministic book of generated prose and code for measuring folio."
rights = "Generated text; no rights reserved."
subjects = ["Benchmarks"]
cover = "src/images/cover.png"
src = "src"

[epub]
toc-depth = 2

[pdf]
toc-depth = 2
"#;

fn chapter_path(i: usize) -> String {
    format!("part-{:02}/ch-{:03}.md", i / PART_SIZE + 1, i + 1)
}

/// A link from chapter `from` to chapter `to` (relative to `from`'s folder),
/// to the Markdown file or, as mdBook authors write them, to the page
/// mdBook makes of it (`ch-003.html`).
fn chapter_link(from: usize, to: usize, html: bool) -> String {
    let path = if from / PART_SIZE == to / PART_SIZE {
        format!("ch-{:03}.md", to + 1)
    } else {
        format!("../{}", chapter_path(to))
    };
    if html {
        format!("{}.html", path.trim_end_matches(".md"))
    } else {
        path
    }
}

/// How many of `total` items (at scale 1) fall in chapter `i`.
fn share(total: usize, i: usize) -> usize {
    (i + 1) * total / CHAPTERS - i * total / CHAPTERS
}

fn front_chapter(vocab: &Vocab, title: &str, role: &str, seed: u64, stats: &mut Stats) -> String {
    let mut rng = Rng::new(0xF00D_0000 + seed);
    let mut out = format!("+++\ntitle = \"{title}\"\nrole = \"{role}\"\n+++\n\n# {title}\n\n");
    let mut words = 0;
    while words < 400 {
        let (p, n) = paragraph(vocab, &mut rng, 40, 120, None);
        words += n;
        out.push_str(&p);
        out.push_str("\n\n");
    }
    stats.words += words;
    out
}

/// Chapter `i`: an opening, sections with subsections, and a mix of blocks.
fn chapter(
    vocab: &Vocab,
    rng: &mut Rng,
    i: usize,
    title: &str,
    stats: &mut Stats,
    figure_files: &mut Vec<usize>,
    listing_files: &mut Vec<ListingFile>,
) -> String {
    let n = i + 1;
    let mut out = format!("# {title} {{#c{n:03}}}\n\n");
    let sections = 3 + rng.below(3);
    let code_blocks = share(CODE_BLOCKS, i);
    let figures = share(FIGURES, i);
    let first_figure = i * FIGURES / CHAPTERS;
    // Which blocks go in which section: spread over the chapter.
    let mut extras: Vec<Vec<Extra>> = vec![Vec::new(); sections];
    for k in 0..code_blocks {
        extras[rng.below(sections)].push(Extra::Code(k));
    }
    for k in 0..figures {
        extras[rng.below(sections)].push(Extra::Figure(first_figure + k));
    }
    // Every tenth chapter shows an earlier diagram again (an overview
    // recalled): the same file, drawn twice.
    if i % 10 == 8 {
        if let Some(earlier) = (0..first_figure)
            .rev()
            .find(|&f| matches!(FigureKind::of(f), FigureKind::Graph | FigureKind::Drawing))
        {
            extras[rng.below(sections)].push(Extra::Figure(earlier));
        }
    }
    if i % 3 == 1 {
        extras[rng.below(sections)].push(Extra::Table(6 + rng.below(8)));
    }
    if i % 12 == 5 {
        extras[rng.below(sections)].push(Extra::Table(55 + rng.below(30)));
    }
    extras[rng.below(sections)].push(Extra::List);
    extras[rng.below(sections)].push(Extra::Quote);
    if i % 2 == 0 {
        extras[rng.below(sections)].push(Extra::Warning);
    }
    if i % 10 == 9 {
        extras[rng.below(sections)].push(Extra::PageRef);
    }
    let mut listings = Listings {
        chapter: i,
        files: Vec::new(),
        wrapped: 0,
    };
    let mut notes = Vec::new();
    let mut words = 0;
    let words_per_section = WORDS_PER_CHAPTER / sections;
    for (s, section_extras) in extras.into_iter().enumerate() {
        if s > 0 {
            let heading = title_case(&vocab.phrase(rng, 2, 5));
            let _ = write!(out, "## {heading} {{#c{n:03}-s{s}}}\n\n");
        }
        let mut section_words = 0;
        let mut pending = section_extras.into_iter();
        let mut subsection = 0;
        while section_words < words_per_section {
            if section_words > words_per_section / 2 && subsection == 0 && rng.chance(1, 2) {
                subsection = 1;
                let heading = title_case(&vocab.phrase(rng, 2, 5));
                let _ = write!(out, "### {heading} {{#c{n:03}-s{s}-1}}\n\n");
            }
            let link = (i > 0 && rng.chance(1, 4)).then(|| {
                let to = rng.below(i);
                let anchor = if rng.chance(1, 2) {
                    format!("#c{:03}-s{}", to + 1, 1 + rng.below(2))
                } else {
                    String::new()
                };
                format!("{}{anchor}", chapter_link(i, to, rng.chance(1, 2)))
            });
            let (mut p, count) = paragraph(vocab, rng, 50, 170, link.as_deref());
            if rng.chance(1, 6) {
                let id = format!("c{n:03}-n{}", notes.len() + 1);
                p.push_str(&format!("[^{id}]"));
                let count = 1 + rng.below(3);
                let (note, note_words) = sentences(vocab, rng, count);
                notes.push(format!("[^{id}]: {note}"));
                section_words += note_words;
            }
            section_words += count;
            out.push_str(&p);
            out.push_str("\n\n");
            if let Some(extra) = pending.next() {
                section_words += block(vocab, rng, i, extra, &mut out, stats, &mut listings);
            }
        }
        for extra in pending {
            section_words += block(vocab, rng, i, extra, &mut out, stats, &mut listings);
        }
        words += section_words;
    }
    for note in &notes {
        out.push_str(note);
        out.push_str("\n\n");
    }
    stats.footnotes += notes.len();
    stats.words += words;
    stats.wrapped += listings.wrapped;
    listing_files.extend(listings.files);
    for extra_figure in first_figure..first_figure + figures {
        figure_files.push(extra_figure);
    }
    out
}

/// One chapter's listing files, and how many listings it wrapped in
/// `<Listing>` (for their numbers).
struct Listings {
    chapter: usize,
    files: Vec<ListingFile>,
    wrapped: usize,
}

impl Listings {
    /// Listing `k` of the chapter in `lang`, as the Markdown that shows it:
    /// usually an `{{#include}}` of an anchored part of the chapter's
    /// listing file in that language (created on first use), a JSON file of
    /// its own, or (one in four) the code written out; a third of them
    /// inside `<Listing>`, some after a file name line.
    fn markdown(
        &mut self,
        vocab: &Vocab,
        rng: &mut Rng,
        k: usize,
        lang: &'static str,
        stats: &mut Stats,
    ) -> String {
        let code = code_block(vocab, rng, lang);
        stats.code_blocks += 1;
        stats.long_code_lines += code
            .lines()
            .filter(|l| l.chars().count() > CODE_COLUMNS)
            .count();
        let dir = format!("listings/ch-{:03}", self.chapter + 1);
        let mut shown_name = None;
        let body = if k % 4 == 3 {
            code
        } else if lang == "json" {
            stats.included += 1;
            let path = format!("{dir}/{}-{k}.json", vocab.identifier(rng).replace('_', "-"));
            let mut file = ListingFile::new(vocab, rng, path.clone(), lang);
            file.text.push_str(&code);
            self.files.push(file);
            shown_name = Some(path.clone());
            format!("{{{{#include ../../{path}}}}}\n")
        } else {
            stats.included += 1;
            let index = match self.files.iter().position(|f| f.lang == lang) {
                Some(index) => index,
                None => {
                    let stem = vocab.identifier(rng);
                    let path = format!("{dir}/{stem}.{}", listings::extension(lang));
                    self.files.push(ListingFile::new(vocab, rng, path, lang));
                    self.files.len() - 1
                }
            };
            let anchor = format!("{}_{k}", vocab.identifier(rng));
            let file = &mut self.files[index];
            file.push_anchored(vocab, rng, &anchor, &code);
            shown_name = Some(file.path.clone());
            format!("{{{{#include ../../{}:{anchor}}}}}\n", file.path)
        };
        let fence = format!("```{lang}\n{body}```\n\n");
        let name =
            shown_name.unwrap_or_else(|| format!("src/example.{}", listings::extension(lang)));
        let name = name.rsplit('/').next().unwrap_or(&name).to_owned();
        match k % 6 {
            0 | 3 => {
                self.wrapped += 1;
                let caption = if rng.chance(2, 3) {
                    format!(" caption=\"{}\"", title_case(&vocab.phrase(rng, 3, 8)))
                } else {
                    String::new()
                };
                format!(
                    "<Listing number=\"{}-{}\" file-name=\"src/{name}\"{caption}>\n\n{fence}</Listing>\n\n",
                    self.chapter + 1,
                    self.wrapped
                )
            }
            1 => format!("<span class=\"filename\">Filename: src/{name}</span>\n\n{fence}"),
            _ => fence,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Extra {
    Code(usize),
    Figure(usize),
    Table(usize),
    List,
    Quote,
    Warning,
    PageRef,
}

/// Writes one non-paragraph block; returns the prose words it added.
fn block(
    vocab: &Vocab,
    rng: &mut Rng,
    i: usize,
    extra: Extra,
    out: &mut String,
    stats: &mut Stats,
    listings: &mut Listings,
) -> usize {
    match extra {
        Extra::Code(k) => {
            let lang = LANGS[(i * 7 + k * 3 + rng.below(2)) % LANGS.len()];
            out.push_str(&listings.markdown(vocab, rng, k, lang, stats));
            0
        }
        Extra::Figure(f) => {
            let alt = vocab.phrase(rng, 5, 10);
            // Quotes in the title escaped, or the image is plain text.
            let caption = sentence(vocab, rng, 6, 14).replace('"', "\\\"");
            let _ = write!(
                out,
                "![{alt}](../images/{} \"{caption}\")\n\n",
                FigureKind::of(f).file(f)
            );
            stats.figures += 1;
            0
        }
        Extra::Table(rows) => {
            stats.tables += 1;
            if rows > 36 {
                stats.long_tables += 1;
            }
            table(vocab, rng, rows, out)
        }
        Extra::List => list(vocab, rng, out),
        Extra::Quote => {
            let count = 2 + rng.below(3);
            let (a, wa) = sentences(vocab, rng, count);
            let _ = writeln!(out, "> {a}");
            let mut words = wa;
            if rng.chance(1, 2) {
                let count = 1 + rng.below(2);
                let (b, wb) = sentences(vocab, rng, count);
                let _ = write!(out, ">\n> > {b}\n");
                words += wb;
            }
            out.push('\n');
            words
        }
        Extra::Warning => {
            // mdBook's warning block: Markdown inside an HTML element,
            // sometimes with a listing.
            let (p, words) = paragraph(vocab, rng, 25, 60, None);
            let _ = write!(out, "<div class=\"warning\">\n\n{p}\n\n");
            if rng.chance(1, 2) {
                let lang = LANGS[rng.below(LANGS.len())];
                let _ = write!(out, "```{lang}\n{}```\n\n", code_block(vocab, rng, lang));
            }
            out.push_str("</div>\n\n");
            words
        }
        Extra::PageRef => {
            let to = rng.below(i.max(1));
            let (s, w) = sentences(vocab, rng, 1);
            let _ = write!(
                out,
                "{s} The details are on [{{page}}]({}#c{:03}-s1), and [the same section]({}#c{:03}-s1) has more.\n\n",
                chapter_link(i, to, false),
                to + 1,
                chapter_link(i, to, true),
                to + 1
            );
            w + 10
        }
    }
}

fn table(vocab: &Vocab, rng: &mut Rng, rows: usize, out: &mut String) -> usize {
    let cols = 3 + rng.below(3);
    let mut words = 0;
    let header: Vec<String> = (0..cols)
        .map(|_| title_case(&vocab.phrase(rng, 1, 2)))
        .collect();
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let aligns: Vec<&str> = (0..cols)
        .map(|c| {
            if c == cols - 1 {
                "---:"
            } else if c == 1 {
                ":---:"
            } else {
                "---"
            }
        })
        .collect();
    let _ = writeln!(out, "|{}|", aligns.join("|"));
    for _ in 0..rows {
        let cells: Vec<String> = (0..cols)
            .map(|c| {
                if c == cols - 1 {
                    format!("{}.{:02}", rng.below(5000), rng.below(100))
                } else if c == 1 && rng.chance(1, 3) {
                    // Identifiers of two or three words, as code in tables
                    // usually is. (A one-word identifier such as `storage`
                    // trips folio's column widths, which measure inline
                    // code in the body font and hyphenate it.)
                    let mut id = vocab.identifier(rng);
                    while !id.contains('_') || id.len() > 20 {
                        id = vocab.identifier(rng);
                    }
                    format!("`{id}`")
                } else {
                    let p = vocab.phrase(rng, 1, if c == 0 { 3 } else { 7 });
                    words += p.split_whitespace().count();
                    p
                }
            })
            .collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
    words
}

fn list(vocab: &Vocab, rng: &mut Rng, out: &mut String) -> usize {
    let mut words = 0;
    let ordered = rng.chance(1, 3);
    for k in 0..3 + rng.below(4) {
        let marker = if ordered {
            format!("{}.", k + 1)
        } else {
            "-".to_owned()
        };
        let pad = " ".repeat(marker.len() + 1);
        let (s, w) = sentences(vocab, rng, 1);
        words += w;
        let _ = writeln!(out, "{marker} {s}");
        if rng.chance(1, 3) {
            for _ in 0..2 + rng.below(2) {
                let p = sentence(vocab, rng, 4, 12);
                words += p.split_whitespace().count();
                let _ = writeln!(out, "{pad}- {p}");
                if rng.chance(1, 4) {
                    let q = sentence(vocab, rng, 3, 8);
                    words += q.split_whitespace().count();
                    let _ = writeln!(out, "{pad}  1. {q}");
                }
            }
        }
    }
    out.push('\n');
    words
}

/// A paragraph of `min..max` words with occasional inline markup; `link`
/// becomes one link in it.
fn paragraph(
    vocab: &Vocab,
    rng: &mut Rng,
    min: usize,
    max: usize,
    link: Option<&str>,
) -> (String, usize) {
    let target = min + rng.below(max - min);
    let mut out = String::new();
    let mut words = 0;
    let mut linked = link.is_none();
    while words < target {
        let mut s = sentence(vocab, rng, 6, 28);
        if !linked && rng.chance(1, 2) {
            // Wrap two words in the middle of the sentence in the link.
            let mut parts: Vec<String> = s.split(' ').map(str::to_owned).collect();
            // Only plain words: no markup inside the link text.
            let plain = |w: &str| w.chars().all(|c| c.is_ascii_alphabetic());
            if parts.len() > 4 {
                let at = 1 + rng.below(parts.len() - 3);
                if plain(&parts[at]) && plain(&parts[at + 1]) {
                    let text = format!("[{} {}]({})", parts[at], parts[at + 1], link.unwrap_or(""));
                    parts.splice(at..at + 2, [text]);
                    s = parts.join(" ");
                    linked = true;
                }
            }
        }
        words += s.split_whitespace().count();
        if !out.is_empty() {
            out.push(if rng.chance(1, 9) { '\n' } else { ' ' });
        }
        out.push_str(&s);
    }
    (out, words)
}

fn sentences(vocab: &Vocab, rng: &mut Rng, n: usize) -> (String, usize) {
    let text: Vec<String> = (0..n).map(|_| sentence(vocab, rng, 6, 24)).collect();
    let text = text.join(" ");
    let words = text.split_whitespace().count();
    (text, words)
}

/// One sentence of roughly `min..max` words: clauses of noun and verb
/// phrases, with commas, inline code, emphasis, quotes and numbers.
fn sentence(vocab: &Vocab, rng: &mut Rng, min: usize, max: usize) -> String {
    let target = min + rng.below(max - min);
    let mut words: Vec<String> = Vec::new();
    while words.len() < target {
        if !words.is_empty() {
            let joiner = vocab.pick(rng, &vocab.conjunctions);
            if let Some(last) = words.last_mut() {
                if rng.chance(2, 3) {
                    last.push(',');
                }
            }
            words.push(joiner.to_string());
        }
        noun_phrase(vocab, rng, &mut words);
        // Verb phrase.
        if rng.chance(1, 5) {
            words.push(vocab.pick(rng, &vocab.modals).to_string());
            words.push(vocab.pick(rng, &vocab.verbs).clone());
        } else {
            let verb = vocab.pick(rng, &vocab.verbs);
            words.push(match rng.below(3) {
                0 => inflect(verb, "s"),
                1 => inflect(verb, "ed"),
                _ => format!(
                    "{} {}",
                    vocab.pick(rng, &["is", "are", "was", "were"]),
                    inflect(verb, "ing")
                ),
            });
        }
        if rng.chance(1, 4) {
            words.push(vocab.pick(rng, &vocab.adverbs).clone());
        }
        noun_phrase(vocab, rng, &mut words);
        if rng.chance(1, 2) {
            words.push(vocab.pick(rng, &vocab.prepositions).to_string());
            noun_phrase(vocab, rng, &mut words);
        }
    }
    for k in 0..words.len().saturating_sub(1) {
        if words[k] == "a" || words[k] == "an" {
            let next = words[k + 1].trim_start_matches(['*', '"', '`']);
            let vowel = next.starts_with(['a', 'e', 'i', 'o', 'u']);
            words[k] = if vowel { "an" } else { "a" }.to_owned();
        }
    }
    let mut text = words.join(" ");
    if let Some(first) = text.get(..1) {
        let upper = first.to_ascii_uppercase();
        text.replace_range(..1, &upper);
    }
    text.push(match rng.below(20) {
        0 => '?',
        1 => '!',
        _ => '.',
    });
    text
}

fn noun_phrase(vocab: &Vocab, rng: &mut Rng, words: &mut Vec<String>) {
    match rng.below(40) {
        0..=1 => {
            words.push(format!("`{}`", vocab.identifier(rng)));
            return;
        }
        2 => {
            words.push(format!("{}", 2 + rng.below(2030)));
            words.push(inflect(vocab.pick::<String>(rng, &vocab.nouns), "s"));
            return;
        }
        3 => {
            let a = vocab.pick(rng, &vocab.adjectives);
            let b = vocab.pick(rng, &vocab.nouns);
            words.push(format!("\"{a} {b}\""));
            return;
        }
        _ => {}
    }
    words.push(vocab.pick(rng, &vocab.determiners).to_string());
    if rng.chance(2, 5) {
        let adj = vocab.pick(rng, &vocab.adjectives);
        words.push(match rng.below(12) {
            0 => format!("*{adj}*"),
            1 => format!("**{adj}**"),
            _ => adj.clone(),
        });
    }
    let noun = vocab.pick(rng, &vocab.nouns);
    words.push(if rng.chance(1, 3) {
        inflect(noun, "s")
    } else {
        noun.clone()
    });
    if rng.chance(1, 7) {
        words.push("of".into());
        words.push(
            vocab
                .pick(rng, &["the", "a", "every", "their", "our"])
                .to_string(),
        );
        words.push(vocab.pick(rng, &vocab.nouns).clone());
    }
}

/// English-looking inflection; good enough for hyphenation and widths.
fn inflect(word: &str, suffix: &str) -> String {
    const PAST: &[(&str, &str)] = &[
        ("run", "ran"),
        ("build", "built"),
        ("find", "found"),
        ("keep", "kept"),
        ("hold", "held"),
        ("bring", "brought"),
        ("lead", "led"),
        ("begin", "began"),
        ("read", "read"),
        ("write", "wrote"),
        ("send", "sent"),
        ("split", "split"),
        ("show", "showed"),
        ("understand", "understood"),
    ];
    const DOUBLE: &[&str] = &[
        "run", "stop", "begin", "split", "plan", "commit", "drop", "ship",
    ];
    if suffix == "ed" {
        if let Some((_, past)) = PAST.iter().find(|(w, _)| *w == word) {
            return (*past).to_owned();
        }
    }
    if suffix != "s" && DOUBLE.contains(&word) {
        let last = &word[word.len() - 1..];
        return format!("{word}{last}{suffix}");
    }
    let stem_e = word.ends_with('e') && !word.ends_with("ee");
    let consonant_y = word.ends_with('y')
        && !matches!(
            word.as_bytes().get(word.len().wrapping_sub(2)),
            Some(b'a' | b'e' | b'o' | b'u')
        );
    match suffix {
        "s" if consonant_y => format!("{}ies", &word[..word.len() - 1]),
        "s" if word.ends_with('s')
            || word.ends_with("sh")
            || word.ends_with("ch")
            || word.ends_with('x') =>
        {
            format!("{word}es")
        }
        "ed" if consonant_y => format!("{}ied", &word[..word.len() - 1]),
        "ed" | "ing" if stem_e => format!("{}{suffix}", &word[..word.len() - 1]),
        _ => format!("{word}{suffix}"),
    }
}

fn title_case(phrase: &str) -> String {
    phrase
        .split(' ')
        .enumerate()
        .map(|(k, w)| {
            if k > 0 && matches!(w, "of" | "the" | "and" | "a" | "in" | "to" | "for" | "with") {
                return w.to_owned();
            }
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------- words

/// SplitMix64: tiny, fast, and the same on every platform.
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True with probability `num/den`.
    pub fn chance(&mut self, num: usize, den: usize) -> bool {
        self.below(den) < num
    }

    /// An index into a list with a Zipf-like rank distribution (weight of
    /// rank r ∝ 1/(r+2)), as word frequencies in real text have.
    fn zipf(&mut self, len: usize) -> usize {
        // Inverse CDF of the continuous 1/(r+q) law: r = q·((len+q)/q)^u − q,
        // with q growing with the list so long lists have a long tail.
        let q = (len as f64 / 25.0).max(1.5);
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let r = q * ((len as f64 + q) / q).powf(u) - q;
        (r as usize).min(len - 1)
    }
}

pub(crate) struct Vocab {
    nouns: Vec<String>,
    verbs: Vec<String>,
    adjectives: Vec<String>,
    adverbs: Vec<String>,
    determiners: Vec<&'static str>,
    prepositions: Vec<&'static str>,
    conjunctions: Vec<&'static str>,
    modals: Vec<&'static str>,
}

impl Vocab {
    fn new() -> Vocab {
        let split = |s: &str| -> Vec<String> { s.split_whitespace().map(str::to_owned).collect() };
        let nouns = split(NOUNS);
        let verbs = split(VERBS);
        let mut adjectives = split(ADJECTIVES);
        // Derived forms lengthen the tail: "-ation" nouns, "-able" adjectives.
        let mut more_nouns = nouns.clone();
        for v in &verbs {
            if v.len() > 5 && v.ends_with("ate") {
                more_nouns.push(format!("{}ion", &v[..v.len() - 1]));
            }
            if v.len() > 4 && v.ends_with("ize") {
                more_nouns.push(format!("{}ation", &v[..v.len() - 1]));
            }
            if v.ends_with("ge") || v.ends_with("se") || v.ends_with("re") {
                adjectives.push(format!("{}able", &v[..v.len() - 1]));
            }
        }
        let adverbs = adjectives
            .iter()
            .filter(|a| a.len() > 5 && !a.ends_with("ly") && !a.ends_with("able"))
            .map(|a| {
                if let Some(stem) = a.strip_suffix("le") {
                    format!("{stem}ly")
                } else if let Some(stem) = a.strip_suffix('y') {
                    format!("{stem}ily")
                } else if let Some(stem) = a.strip_suffix("ic") {
                    format!("{stem}ically")
                } else {
                    format!("{a}ly")
                }
            })
            .collect();
        Vocab {
            nouns: more_nouns,
            verbs,
            adjectives,
            adverbs,
            determiners: "the the the a a an this that each every their our its some any such another no".split(' ').collect(),
            prepositions: "of in to for with on by from into through over under between after before without within across during against".split(' ').collect(),
            conjunctions: "and but because while although so whereas since unless until then or".split(' ').collect(),
            modals: "can could should would must may might will".split(' ').collect(),
        }
    }

    fn pick<'v, T>(&self, rng: &mut Rng, list: &'v [T]) -> &'v T {
        &list[rng.zipf(list.len())]
    }

    /// `min..=max` content words, lower case.
    fn phrase(&self, rng: &mut Rng, min: usize, max: usize) -> String {
        let n = min + rng.below(max - min + 1);
        let mut words: Vec<&str> = Vec::with_capacity(n);
        for k in 0..n {
            let list = if k + 1 == n || rng.chance(1, 2) {
                &self.nouns
            } else {
                &self.adjectives
            };
            words.push(self.pick::<String>(rng, list));
        }
        words.join(" ")
    }

    /// A snake_case identifier of one to three words.
    fn identifier(&self, rng: &mut Rng) -> String {
        let n = match rng.below(8) {
            0..=3 => 1,
            4..=6 => 2,
            _ => 3,
        };
        let words: Vec<&str> = (0..n)
            .map(|k| {
                if k == 0 && n > 1 {
                    self.pick(rng, &self.verbs)
                } else {
                    self.pick(rng, &self.nouns)
                }
            })
            .map(String::as_str)
            .collect();
        words.join("_")
    }
}

const NOUNS: &str = "function request response server client handler event context \
user database table record query index cache memory storage bucket object file \
folder path request queue message topic stream partition shard cluster node \
region zone instance container image layer runtime package module library \
framework application service endpoint gateway route router controller view \
template model field form widget session cookie token header payload body \
status error exception failure timeout retry deployment release version branch \
commit repository pipeline build artifact environment variable secret key value \
configuration setting option parameter argument flag default policy role permission \
account organization team project chapter section example reader author book \
page paragraph sentence word letter number string list dictionary tuple set \
array vector map iterator generator coroutine thread process signal lock mutex \
transaction migration schema column row constraint relationship reference pointer \
address network packet connection socket protocol certificate domain subdomain \
website browser document element attribute property method class interface trait \
implementation abstraction architecture infrastructure monitoring observability \
logging metric alarm dashboard notification subscription invoice customer order \
product catalogue inventory payment refund discount shipment warehouse supplier \
question answer problem solution approach technique pattern practice principle \
decision tradeoff constraint requirement specification documentation tutorial \
introduction conclusion summary overview detail consequence advantage disadvantage \
performance latency throughput bandwidth capacity concurrency parallelism \
scalability availability reliability durability consistency isolation \
authentication authorization encryption serialization deserialization validation \
normalization optimization compression pagination internationalization \
localization accessibility compatibility maintainability responsibility \
dependency vulnerability characteristic circumstance consideration understanding \
development engineering experiment measurement observation hypothesis evidence \
history tradition language culture community conversation perspective opportunity \
neighbourhood government university committee newspaper photograph temperature \
mountain river valley forest harbour island village kitchen garden morning \
evening afternoon winter summer weather journey distance direction movement \
background foreground boundary surface pressure balance pattern rhythm melody";

const VERBS: &str = "use run call return create delete update read write send receive \
store load save open close start stop deploy build test check validate configure \
install upgrade migrate handle process parse render compile execute invoke trigger \
schedule publish subscribe consume produce forward redirect authenticate authorize \
encrypt decrypt compress serialize normalize optimize paginate cache index query \
filter sort group merge split join compare measure monitor observe debug profile \
refactor document explain describe illustrate demonstrate consider discuss examine \
investigate determine establish generate calculate estimate approximate allocate \
initialize register implement integrate separate coordinate communicate \
collaborate negotiate emphasize recognize summarize organize prioritize \
characterize visualize standardize synchronize containerize virtualize \
replicate distribute balance scale throttle limit retry recover restore backup \
require provide include contain support allow prevent enable disable improve \
reduce increase change replace remove add move copy rename define declare \
follow lead show find keep hold bring begin seem help turn happen appear \
understand remember continue believe imagine notice suggest realize introduce";

const ADJECTIVES: &str = "new old small large simple complex fast slow local remote \
public private global internal external primary secondary temporary permanent \
synchronous asynchronous concurrent parallel sequential distributed centralized \
serverless stateless stateful immutable mutable persistent ephemeral scalable \
reliable available durable consistent eventual strong weak secure insecure \
encrypted compressed serialized validated optimized expensive cheap efficient \
inefficient practical theoretical important interesting difficult obvious \
reasonable sensible careful thorough complete partial empty full correct wrong \
different similar separate common rare typical unusual particular general \
specific abstract concrete explicit implicit automatic manual dynamic static \
generic flexible robust fragile elegant awkward readable maintainable testable \
comprehensive sophisticated straightforward considerable significant substantial \
remarkable extraordinary incomprehensible characteristic fundamental essential \
additional previous following original final initial current recent modern \
traditional historical international professional technical economical \
beautiful quiet bright dark warm cold heavy light early late happy careful";

/// The main entry: `genbook OUT_DIR [SCALE]`.
fn main() {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next() else {
        eprintln!("usage: genbook OUT_DIR [SCALE]");
        std::process::exit(2);
    };
    let scale: f64 = args
        .next()
        .map_or(1.0, |s| s.parse().expect("SCALE is a number"));
    match generate(Path::new(&out), scale) {
        Ok(stats) => println!("{out}: {stats:?}"),
        Err(e) => {
            eprintln!("genbook: {e}");
            std::process::exit(1);
        }
    }
}
