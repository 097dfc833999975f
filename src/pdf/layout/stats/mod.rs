//! Typographic statistics of laid-out pages, read from the positioned pages
//! alone ([`PagedDoc`]) and the print style they were set with: how listings
//! break across pages and whether their labels stay with them, how many code
//! lines wrap, how many text lines end in a hyphen (and whether any break
//! sits beside an apostrophe), how word spaces are distributed in justified
//! lines and inside inline code, and which pages end short in the middle of
//! a chapter. `TYPOGRAPHY.md` reports these numbers for the corpus books
//! (`cargo run --release --example typo_stats -- BOOK…`); tests assert on
//! them for fixtures.
//!
//! Nothing here is used to lay out: it reads what layout produced, the way a
//! reviewer turning the pages would, so it measures the old layout and the
//! new one with the same ruler. Code blocks are recognised by their tinted
//! band (fills in the style's code background), code by the code family's
//! fonts, body text by the body family at the body size.

mod report;

use super::frame::{FontRef, GlyphRun, Item, PagedDoc, Rgb};
use crate::pdf::style::PrintStyle;

/// The glyph that starts a wrapped code line's continuation.
pub const CONTINUATION_MARK: char = '↪';

/// What the statistics of one book found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// Pages in the document.
    pub pages: usize,
    /// Code listings (tinted bands; a listing split over pages counts once).
    pub listings: usize,
    /// Listings that break across a page (each break counted).
    pub listing_breaks: usize,
    /// Breaks leaving fewer than 3 code lines on one side.
    pub short_side_breaks: usize,
    /// Pages (1-based) ending with a break that leaves fewer than 3 lines
    /// on a side.
    pub short_breaks_at: Vec<usize>,
    /// Breaks inside listings of at most 8 lines.
    pub short_listing_breaks: usize,
    /// A filename line ("Filename: src/main.rs") or an introducing
    /// "Listing N" line at a page foot, its listing on the next page.
    pub stranded_labels: usize,
    /// A paragraph ending with a colon at a page foot, the listing it
    /// introduces on the next page.
    pub stranded_intros: usize,
    /// A "Listing N" caption at a page head, its listing ending on the page
    /// before.
    pub stranded_captions: usize,
    /// Headings at the foot of a page with nothing of theirs after them.
    pub stranded_headings: usize,
    /// Where the stranded lines are: 1-based page and what was stranded.
    pub stranded_at: Vec<(usize, &'static str)>,
    /// Printed code lines in listings (source lines and continuations).
    pub code_lines: usize,
    /// Continuation lines of wrapped code lines.
    pub wrapped_code_lines: usize,
    /// Lines of body text (body family at the body size).
    pub text_lines: usize,
    /// Body lines ending with a hyphen (added or the word's own).
    pub hyphenated_lines: usize,
    /// Longest run of consecutive body lines ending with a hyphen.
    pub longest_hyphen_run: usize,
    /// Hyphen breaks at or next to an apostrophe (`does-n't`, `projec-t's`).
    pub apostrophe_breaks: usize,
    /// Justified body lines (full measure, not a paragraph's last line).
    pub justified_lines: usize,
    /// Histogram of justified lines by mean word space in ems of the body
    /// size, with the bucket bounds in [`SPACE_BUCKETS`].
    pub space_histogram: Vec<usize>,
    /// Justified lines with a mean word space of [`LOOSE`] or more: page,
    /// mean space (ems) and text.
    pub loose_lines: Vec<(usize, f32, String)>,
    /// Mean word space of justified lines, in ems.
    pub mean_space: f32,
    /// Word spaces inside inline code, in points: count, mean, min, max.
    pub code_spaces: (usize, f32, f32, f32),
    /// The code font's own space at the inline code size, in points.
    pub code_space_natural: f32,
    /// Spaces in inline code within 0.05 pt of the font's own space.
    pub code_spaces_at_natural: usize,
    /// Inline code size, in points (the most frequent).
    pub inline_code_size: f32,
    /// Pages inside a chapter filled to less than 90 %, with what starts the
    /// next page.
    pub short_pages: Vec<ShortPage>,
}

/// Upper bounds (ems) of the word-space buckets; the last bucket is open.
pub const SPACE_BUCKETS: [f32; 7] = [0.15, 0.18, 0.22, 0.26, 0.30, 0.35, 0.45];

/// Mean word space (ems) from which a justified line counts as loose: more
/// than twice EB Garamond's own space (0.2 em), gaps the eye reads as holes.
pub const LOOSE: f32 = 0.45;

/// A page that ends short in the middle of a chapter.
#[derive(Debug, Clone, PartialEq)]
pub struct ShortPage {
    /// 1-based page number in the file.
    pub page: usize,
    /// Share of the text block filled.
    pub fill: f32,
    /// What starts the next page.
    pub next: NextKind,
    /// For a table: whether its header and two rows would have fit.
    pub table_fitted: bool,
}

/// What begins a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextKind {
    /// A figure or image.
    Figure,
    /// A code listing.
    Listing,
    /// A heading.
    Heading,
    /// A table.
    Table,
    /// A table continued from the short page (a row that did not fit).
    TableContinued,
    /// A line or two introducing a listing, kept with it.
    IntroducedListing,
    /// Running text or anything else.
    Text,
}

/// One printed line: runs sharing a baseline inside the text block.
#[derive(Debug, Clone)]
struct Line {
    y: f32,
    /// Runs left to right.
    runs: Vec<GlyphRun>,
    text: String,
    left: f32,
    right: f32,
}

impl Line {
    fn is(&self, fonts: &[FontRef]) -> bool {
        self.runs.iter().any(|r| fonts.contains(&r.font))
    }

    fn max_size(&self) -> f32 {
        self.runs.iter().map(|r| r.size).fold(0.0, f32::max)
    }
}

/// A code listing's tinted band on one page.
#[derive(Debug, Clone)]
struct Band {
    top: f32,
    bottom: f32,
    /// Code lines in it.
    rows: usize,
    /// Baseline of the last code line.
    last_baseline: f32,
}

/// Reads the statistics of `doc`, laid out with `style` (print or screen).
pub fn measure(doc: &PagedDoc, style: &PrintStyle) -> Stats {
    Reader::new(doc, style).run()
}

struct Reader<'a> {
    doc: &'a PagedDoc,
    style: &'a PrintStyle,
    faces: Vec<Option<ttf_parser::Face<'a>>>,
    code_fonts: Vec<FontRef>,
    body_fonts: Vec<FontRef>,
    top: f32,
    bottom: f32,
    /// Pages of chapters (not generated front matter or the contents).
    chapter_pages: Vec<bool>,
}

/// Which pages belong to chapters: from a chapter's destination on, until
/// the contents start.
fn chapter_pages(doc: &PagedDoc) -> Vec<bool> {
    let mut inside = false;
    doc.pages
        .iter()
        .map(|page| {
            for item in &page.items {
                if let Item::Anchor { name, .. } = item {
                    if name.starts_with("chapter:") {
                        inside = true;
                    } else if name == "toc" {
                        inside = false;
                    }
                }
            }
            inside
        })
        .collect()
}

/// Fonts whose PostScript name starts with the family's name without spaces.
fn family_fonts(doc: &PagedDoc, family: &str) -> Vec<FontRef> {
    let key: String = family.chars().filter(|c| !c.is_whitespace()).collect();
    doc.fonts
        .iter()
        .enumerate()
        .filter(|(_, f)| f.postscript_name.starts_with(&key))
        .filter_map(|(i, _)| u16::try_from(i).ok().map(FontRef))
        .collect()
}

fn same_color(a: Rgb, b: Rgb) -> bool {
    (a.0 - b.0).abs() < 0.002 && (a.1 - b.1).abs() < 0.002 && (a.2 - b.2).abs() < 0.002
}

impl<'a> Reader<'a> {
    fn new(doc: &'a PagedDoc, style: &'a PrintStyle) -> Reader<'a> {
        let page_height = doc.pages.first().map_or(648.0, |p| p.height);
        Reader {
            doc,
            style,
            faces: doc
                .fonts
                .iter()
                .map(|f| ttf_parser::Face::parse(&f.bytes, f.index).ok())
                .collect(),
            code_fonts: family_fonts(doc, &style.fonts.code),
            body_fonts: family_fonts(doc, &style.fonts.body),
            top: style.page.margin_top.0,
            bottom: page_height - style.page.margin_bottom.0,
            chapter_pages: chapter_pages(doc),
        }
    }

    fn advance(&self, font: FontRef, glyph: u16, size: f32) -> f32 {
        self.faces
            .get(usize::from(font.0))
            .and_then(Option::as_ref)
            .map_or(size * 0.5, |f| {
                f32::from(f.glyph_hor_advance(ttf_parser::GlyphId(glyph)).unwrap_or(0)) * size
                    / f32::from(f.units_per_em().max(1))
            })
    }

    fn run_end(&self, run: &GlyphRun) -> f32 {
        run.x
            + run
                .glyphs
                .last()
                .map_or(0.0, |g| g.x + self.advance(run.font, g.id, run.size))
    }

    /// The text block's lines of page `index`, top to bottom.
    fn lines(&self, index: usize) -> Vec<Line> {
        let Some(page) = self.doc.pages.get(index) else {
            return Vec::new();
        };
        let mut runs: Vec<&GlyphRun> = page
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Glyphs(r) if r.y > self.top + 0.5 && r.y < self.bottom + 0.5 => Some(r),
                _ => None,
            })
            .collect();
        runs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
        let mut lines: Vec<Line> = Vec::new();
        for run in runs {
            let end = self.run_end(run);
            match lines.last_mut() {
                Some(line) if (line.y - run.y).abs() < run.size * 0.5 => {
                    line.runs.push(run.clone());
                    line.left = line.left.min(run.x);
                    line.right = line.right.max(end);
                }
                _ => lines.push(Line {
                    y: run.y,
                    runs: vec![run.clone()],
                    text: String::new(),
                    left: run.x,
                    right: end,
                }),
            }
        }
        for line in &mut lines {
            line.runs.sort_by(|a, b| a.x.total_cmp(&b.x));
            let mut text = String::new();
            let mut last_end: Option<f32> = None;
            for run in &line.runs {
                if last_end.is_some_and(|e| run.x - e > run.size * 0.15) {
                    text.push(' ');
                }
                text.push_str(&run.text);
                last_end = Some(self.run_end(run));
            }
            line.text = text;
        }
        lines
    }

    /// Code bands of a page: fills in the code background, merged where one
    /// ends where the next begins.
    fn bands(&self, index: usize, lines: &[Line]) -> Vec<Band> {
        let background = super::cx::rgb(self.style.code.background);
        let mut rects: Vec<(f32, f32)> = self.doc.pages[index]
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Fill { rect, color } if same_color(*color, background) => {
                    Some((rect.y, rect.y + rect.h))
                }
                _ => None,
            })
            .collect();
        rects.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut bands: Vec<Band> = Vec::new();
        for (top, bottom) in rects {
            match bands.last_mut() {
                Some(b) if top <= b.bottom + 0.5 => b.bottom = b.bottom.max(bottom),
                _ => bands.push(Band {
                    top,
                    bottom,
                    rows: 0,
                    last_baseline: top,
                }),
            }
        }
        for band in &mut bands {
            for line in lines.iter().filter(|l| l.y > band.top && l.y < band.bottom) {
                if line.is(&self.code_fonts) {
                    band.rows += 1;
                    band.last_baseline = line.y;
                }
            }
        }
        bands.retain(|b| b.rows > 0);
        bands
    }

    /// Whether a band stops without its closing padding: the listing goes on
    /// on the next page.
    fn open_bottom(&self, band: &Band) -> bool {
        let code = &self.style.code;
        // A code row puts its baseline where layout centres the font's
        // extents in the leading; a closed band adds the padding below.
        let (ascender, descender) = self
            .code_fonts
            .first()
            .and_then(|f| self.faces.get(usize::from(f.0)))
            .and_then(Option::as_ref)
            .map_or((0.8, 0.2), |f| {
                let upem = f32::from(f.units_per_em().max(1));
                (
                    f32::from(f.ascender()) / upem,
                    -f32::from(f.descender()) / upem,
                )
            });
        let baseline = (code.leading + (ascender - descender) * code.size) / 2.0;
        band.bottom - band.last_baseline < code.leading - baseline + code.padding / 2.0
    }

    fn run(&self) -> Stats {
        let mut stats = Stats {
            pages: self.doc.pages.len(),
            space_histogram: vec![0; SPACE_BUCKETS.len() + 1],
            ..Stats::default()
        };
        let pages: Vec<Vec<Line>> = (0..self.doc.pages.len()).map(|i| self.lines(i)).collect();
        let bands: Vec<Vec<Band>> = (0..pages.len()).map(|i| self.bands(i, &pages[i])).collect();
        self.listings(&pages, &bands, &mut stats);
        self.labels(&pages, &bands, &mut stats);
        self.text(&pages, &bands, &mut stats);
        self.fill(&pages, &bands, &mut stats);
        stats
    }

    fn in_band(bands: &[Band], y: f32) -> bool {
        bands.iter().any(|b| y > b.top && y < b.bottom)
    }

    fn listings(&self, pages: &[Vec<Line>], bands: &[Vec<Band>], stats: &mut Stats) {
        // Page and rows of each part of the listing that continues from the
        // previous page.
        let mut carried: Option<Vec<(usize, usize)>> = None;
        for (i, page_bands) in bands.iter().enumerate() {
            for line in pages[i].iter().filter(|l| Self::in_band(page_bands, l.y)) {
                if line.is(&self.code_fonts) {
                    stats.code_lines += 1;
                    if line.text.trim_start().starts_with(CONTINUATION_MARK) {
                        stats.wrapped_code_lines += 1;
                    }
                }
            }
            for (k, band) in page_bands.iter().enumerate() {
                let mut parts = match carried.take() {
                    Some(parts) if k == 0 && self.starts_page(&pages[i], band) => parts,
                    Some(parts) => {
                        self.close(&parts, stats);
                        Vec::new()
                    }
                    None => Vec::new(),
                };
                parts.push((i + 1, band.rows));
                let last_on_page = k + 1 == page_bands.len();
                if last_on_page && self.open_bottom(band) && i + 1 < bands.len() {
                    carried = Some(parts);
                } else {
                    self.close(&parts, stats);
                }
            }
        }
        if let Some(parts) = carried {
            self.close(&parts, stats);
        }
    }

    /// Whether `band` is the first thing in the page's text block (a
    /// continued listing's cue line may sit inside it).
    fn starts_page(&self, lines: &[Line], band: &Band) -> bool {
        lines
            .iter()
            .find(|l| !(l.y > band.top && l.y < band.bottom))
            .is_none_or(|l| l.y > band.bottom)
    }

    fn close(&self, parts: &[(usize, usize)], stats: &mut Stats) {
        stats.listings += 1;
        let total: usize = parts.iter().map(|p| p.1).sum();
        let mut before = 0;
        for w in parts.windows(2) {
            before += w[0].1;
            stats.listing_breaks += 1;
            if before.min(total - before) < 3 {
                stats.short_side_breaks += 1;
                stats.short_breaks_at.push(w[0].0);
            }
            if total <= 8 {
                stats.short_listing_breaks += 1;
            }
        }
    }

    /// Where the page's footnotes begin (they sit under a short 0.4 pt
    /// rule), else the foot of the text block.
    fn notes_top(&self, page: usize) -> f32 {
        let rule = self.doc.pages[page].items.iter().find_map(|it| match it {
            Item::Line { y0, y1, width, .. }
                if (y0 - y1).abs() < 0.01 && (*width - 0.4).abs() < 0.01 && *y0 > self.top =>
            {
                Some(*y0)
            }
            _ => None,
        });
        rule.map_or(self.bottom, |r| r - self.style.text.leading / 2.0)
    }

    /// The page's last line before its footnotes, if any.
    fn last_text_line<'l>(&self, page: usize, lines: &'l [Line]) -> Option<&'l Line> {
        let limit = self.notes_top(page);
        lines.iter().rev().find(|l| l.y < limit)
    }

    fn labels(&self, pages: &[Vec<Line>], bands: &[Vec<Band>], stats: &mut Stats) {
        for i in 0..pages.len().saturating_sub(1) {
            if !self.chapter_pages[i] || self.starts_flow(i + 1) {
                continue;
            }
            let next_starts_with_listing = bands[i + 1]
                .first()
                .is_some_and(|b| self.starts_page(&pages[i + 1], b));
            if let Some(last) = self.last_text_line(i, &pages[i]) {
                if !Self::in_band(&bands[i], last.y) {
                    if next_starts_with_listing {
                        if is_label(&last.text) {
                            stats.stranded_labels += 1;
                            stats.stranded_at.push((i + 1, "label"));
                        } else if last.text.trim_end().ends_with(':') {
                            stats.stranded_intros += 1;
                            stats.stranded_at.push((i + 1, "intro"));
                        }
                    }
                    let heading =
                        last.max_size() > self.style.text.size + 0.5 && !last.is(&self.code_fonts);
                    if heading {
                        stats.stranded_headings += 1;
                        stats.stranded_at.push((i + 1, "heading"));
                    }
                }
            }
            // A caption at the head of a page whose listing ended the page before.
            let prev_ends_with_listing = bands[i].last().is_some_and(|b| {
                self.last_text_line(i, &pages[i])
                    .is_none_or(|l| l.y < b.bottom)
            });
            if prev_ends_with_listing {
                if let Some(first) = pages[i + 1].first() {
                    if !Self::in_band(&bands[i + 1], first.y) && is_caption(&first.text) {
                        stats.stranded_captions += 1;
                        stats.stranded_at.push((i + 2, "caption"));
                    }
                }
            }
        }
    }

    fn text(&self, pages: &[Vec<Line>], bands: &[Vec<Band>], stats: &mut Stats) {
        let body = self.style.text.size;
        let mut body_lines: Vec<&Line> = Vec::new();
        let mut code_sizes: Vec<(u32, usize)> = Vec::new();
        let mut code_spaces: Vec<f32> = Vec::new();
        let mut space_sum = 0.0;
        for (i, lines) in pages.iter().enumerate() {
            let right = lines
                .iter()
                .filter(|l| self.is_body(l))
                .map(|l| l.right)
                .fold(0.0, f32::max);
            for line in lines {
                if !self.chapter_pages[i] || Self::in_band(&bands[i], line.y) || !self.is_body(line)
                {
                    continue;
                }
                body_lines.push(line);
                let (spaces, code) = self.spaces(line);
                for (size, gap) in code {
                    code_spaces.push(gap);
                    let key = (size * 100.0).round() as u32;
                    match code_sizes.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, n)) => *n += 1,
                        None => code_sizes.push((key, 1)),
                    }
                }
                if line.right >= right - 0.5 && !spaces.is_empty() {
                    stats.justified_lines += 1;
                    let mean = spaces.iter().sum::<f32>() / spaces.len() as f32 / body;
                    space_sum += mean;
                    let bucket = SPACE_BUCKETS
                        .iter()
                        .position(|&b| mean < b)
                        .unwrap_or(SPACE_BUCKETS.len());
                    stats.space_histogram[bucket] += 1;
                    if mean >= LOOSE {
                        stats.loose_lines.push((i + 1, mean, line.text.clone()));
                    }
                }
            }
        }
        stats.text_lines = body_lines.len();
        if stats.justified_lines > 0 {
            stats.mean_space = space_sum / stats.justified_lines as f32;
        }
        let mut run = 0;
        for (k, line) in body_lines.iter().enumerate() {
            let text = line.text.trim_end();
            let last_word = text.rsplit(' ').next().unwrap_or("");
            let stem = last_word.trim_end_matches(['-', '\u{2010}']);
            // A hyphen standing alone ("apply -") is a dash, not a break.
            if stem.len() < last_word.len() && stem.chars().any(char::is_alphanumeric) {
                stats.hyphenated_lines += 1;
                run += 1;
                stats.longest_hyphen_run = stats.longest_hyphen_run.max(run);
                if let Some(next) = body_lines.get(k + 1) {
                    let right = next.text.split(' ').next().unwrap_or("");
                    if beside_apostrophe(stem, right) {
                        stats.apostrophe_breaks += 1;
                    }
                }
            } else {
                run = 0;
            }
        }
        if !code_spaces.is_empty() {
            let n = code_spaces.len();
            let mean = code_spaces.iter().sum::<f32>() / n as f32;
            let min = code_spaces.iter().copied().fold(f32::MAX, f32::min);
            let max = code_spaces.iter().copied().fold(0.0, f32::max);
            stats.code_spaces = (n, mean, min, max);
        }
        if let Some(&(size, _)) = code_sizes.iter().max_by_key(|(_, n)| *n) {
            stats.inline_code_size = size as f32 / 100.0;
            let space = self
                .code_fonts
                .first()
                .and_then(|f| self.faces.get(usize::from(f.0)))
                .and_then(Option::as_ref)
                .and_then(|face| {
                    let glyph = face.glyph_index(' ')?;
                    Some(
                        f32::from(face.glyph_hor_advance(glyph)?)
                            / f32::from(face.units_per_em().max(1)),
                    )
                })
                .unwrap_or(0.6);
            stats.code_space_natural = (space + self.style.code.tracking) * stats.inline_code_size;
            stats.code_spaces_at_natural = code_spaces
                .iter()
                .filter(|g| (**g - stats.code_space_natural).abs() < 0.05)
                .count();
        }
    }

    fn is_body(&self, line: &Line) -> bool {
        let size = self.style.text.size;
        line.runs
            .iter()
            .any(|r| self.body_fonts.contains(&r.font) && (r.size - size).abs() < 0.01)
            && line.max_size() < size + 0.5
    }

    /// Word spaces of a line in points: those between words of running
    /// text, and those inside inline code (with the code's size).
    fn spaces(&self, line: &Line) -> (Vec<f32>, Vec<(f32, f32)>) {
        let mut prose = Vec::new();
        let mut code = Vec::new();
        let mut prev: Option<(f32, bool)> = None; // end x, code?
        for run in &line.runs {
            let is_code = self.code_fonts.contains(&run.font);
            if let Some((end, prev_code)) = prev {
                let gap = run.x - end;
                if gap > run.size * 0.08 && !(is_code && prev_code) {
                    prose.push(gap);
                }
            }
            let mut last: Option<(f32, u32)> = None;
            for g in run.glyphs.iter() {
                if let Some((end, text_end)) = last {
                    let between = run.text.get(text_end as usize..g.text_start as usize);
                    if between.is_some_and(|t| t.contains(' ')) {
                        let gap = run.x + g.x - end;
                        if is_code {
                            // Positions carry the tracking; font advances do not.
                            let gap = gap - self.style.code.tracking * run.size;
                            code.push((run.size, gap));
                        } else {
                            prose.push(gap);
                        }
                    }
                }
                if g.text_end > g.text_start {
                    last = Some((
                        run.x + g.x + self.advance(run.font, g.id, run.size),
                        g.text_end,
                    ));
                }
            }
            prev = Some((self.run_end(run), is_code));
        }
        (prose, code)
    }

    fn fill(&self, pages: &[Vec<Line>], bands: &[Vec<Band>], stats: &mut Stats) {
        let height = self.bottom - self.top;
        let starts: Vec<bool> = (0..pages.len()).map(|i| self.starts_flow(i)).collect();
        for i in 0..pages.len().saturating_sub(1) {
            if starts[i + 1]
                || !self.chapter_pages[i]
                || pages[i].is_empty()
                || self.doc.pages[i + 1].items.is_empty()
            {
                continue;
            }
            let page = &self.doc.pages[i];
            // Footnotes sit under a short rule; the text ends above it.
            let limit = self.notes_top(i);
            // The lowest thing above the notes, and whether it is a rule
            // (a table row's).
            let mut end = self.top;
            let mut ends_with_rule = false;
            let mut lower = |bottom: f32, rule: bool| {
                if bottom > end + 0.01 {
                    end = bottom;
                    ends_with_rule = rule;
                }
            };
            for line in pages[i].iter().filter(|l| l.y < limit) {
                lower(line.y + line.max_size() * 0.3, false);
            }
            for item in &page.items {
                match item {
                    Item::Fill { rect, .. } | Item::Image { rect, .. } if rect.y < limit => {
                        lower(rect.y + rect.h, false)
                    }
                    Item::Line { y0, .. } if *y0 < limit && *y0 > self.top => lower(*y0, true),
                    _ => {}
                }
            }
            let available = limit - self.top;
            let fill = (end - self.top) / available.max(1.0);
            if fill >= 0.9 {
                continue;
            }
            let (mut next, table_height) = self.next_kind(i + 1, &pages[i + 1], &bands[i + 1]);
            if next == NextKind::Table && ends_with_rule {
                next = NextKind::TableContinued;
            }
            let table_fitted =
                table_height.is_some_and(|h| end + self.style.blocks.space + h <= limit + 0.01);
            stats.short_pages.push(ShortPage {
                page: i + 1,
                fill: fill * available / height,
                next,
                table_fitted,
            });
        }
    }

    /// Whether page `i` starts a flow: a chapter opening (its destination),
    /// a blank page, or the target of a top-level bookmark.
    fn starts_flow(&self, i: usize) -> bool {
        let page = &self.doc.pages[i];
        page.items.is_empty()
            || page
                .items
                .iter()
                .any(|it| matches!(it, Item::Anchor { name, .. } if name.starts_with("chapter:") || name == "toc"))
            || self.doc.outline.iter().any(|o| o.page == i)
    }

    /// What starts page `i`, and for a table the height of its header and
    /// first two rows.
    fn next_kind(&self, i: usize, lines: &[Line], bands: &[Band]) -> (NextKind, Option<f32>) {
        let page = &self.doc.pages[i];
        let first_line = lines.first().map_or(f32::MAX, |l| l.y);
        let image = page
            .items
            .iter()
            .filter_map(|it| match it {
                Item::Image { rect, .. } if rect.y > self.top - 0.5 => Some(rect.y),
                _ => None,
            })
            .fold(f32::MAX, f32::min);
        let mut rules: Vec<f32> = page
            .items
            .iter()
            .filter_map(|it| match it {
                Item::Line { y0, y1, .. } if (y0 - y1).abs() < 0.01 && *y0 > self.top - 0.5 => {
                    Some(*y0)
                }
                _ => None,
            })
            .collect();
        rules.sort_by(f32::total_cmp);
        rules.dedup_by(|a, b| (*a - *b).abs() < 0.3);
        if image < first_line {
            return (NextKind::Figure, None);
        }
        if bands.first().is_some_and(|b| b.top <= first_line) {
            return (NextKind::Listing, None);
        }
        if let Some(&top_rule) = rules.first() {
            if top_rule <= first_line {
                let height = rules.get(3).map(|r| r - top_rule);
                return (NextKind::Table, height);
            }
        }
        match lines.first() {
            Some(l) if l.max_size() > self.style.text.size + 0.5 => (NextKind::Heading, None),
            Some(l)
                if bands
                    .first()
                    .is_some_and(|b| b.top < l.y + 3.0 * self.style.text.leading) =>
            {
                (NextKind::IntroducedListing, None)
            }
            _ => (NextKind::Text, None),
        }
    }
}

/// "Filename: src/main.rs" or "Listing 3-2: …" introducing a listing.
fn is_label(text: &str) -> bool {
    super::listing::is_filename(text) || super::listing::is_caption_text(text)
}

fn is_caption(text: &str) -> bool {
    super::listing::is_caption_text(text)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

/// Whether a word broken into `left` and `right` breaks at or next to an
/// apostrophe: fewer than 2 letters between the last apostrophe of `left`
/// and the break, or fewer than 3 between the break and the first
/// apostrophe of `right`.
pub fn beside_apostrophe(left: &str, right: &str) -> bool {
    let right = right.trim_end_matches(|c: char| !c.is_alphanumeric());
    if let Some(pos) = right.find(is_apostrophe) {
        if right[..pos].chars().count() < 3 {
            return true;
        }
    }
    if let Some(pos) = left.rfind(is_apostrophe) {
        if left[pos..].chars().count() - 1 < 2 {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apostrophe_neighbours() {
        assert!(beside_apostrophe("does", "n't"));
        assert!(beside_apostrophe("projec", "t's"));
        assert!(beside_apostrophe("val", "ue's"));
        assert!(beside_apostrophe("o'", "clock"));
        assert!(!beside_apostrophe("proj", "ect's"));
        assert!(!beside_apostrophe("hyphen", "ation"));
    }
}
