//! Code listings: a code block → printed rows on a tinted band, and the
//! rules that keep a listing readable across pages.
//!
//! * Rows: one per source line; a line longer than the measure wraps at its
//!   last space that fits (else at the last character that fits), and each
//!   continuation starts at the wrapped line's own indentation behind a
//!   grey `↪`, so the structure of the code stays visible.
//! * Keeping ([`breakable`]): a listing of at most
//!   [`UNBREAKABLE_ROWS`] rows never breaks; a longer one leaves at least
//!   [`MIN_ROWS_AT_BREAK`] rows on each side of a page break.
//! * Labels ([`introduces`], [`is_caption`]): a filename line, a "Listing N"
//!   line or a paragraph ending with a colon stays with the listing it
//!   introduces, a "Listing N" caption with the listing's last rows.
//! * Continuation cue ([`continued_cue`]): the part of a listing that
//!   continues on a new page opens with a small grey "(continued)" on the
//!   band, the way a continued table repeats its header; the part left
//!   behind ends without its closing padding, running into the page foot.
//! * Tagged PDF: a listing is one `Code` element; the `↪` marks and the
//!   "(continued)" cue are layout artifacts, the band a tint.

use super::cx::{Cx, Role, rgb};
use super::flow::VBox;
use super::frame::{ArtifactKind, Item, Rect, Rgb, StructKind, TagRef};
use super::inline::{self, Align, Format, Links, ParaStyle, add_word, glyph_runs};
use super::tagging;
use crate::diag::Span;
use crate::ir::{self, Block, BlockKind, TokenClass, plain_text};

/// Listings of at most this many printed rows never break across pages: a
/// short listing is read at a glance, and turning the page in the middle of
/// one costs more than the white space it saves.
pub const UNBREAKABLE_ROWS: usize = 8;

/// Fewest rows a longer listing leaves on either side of a page break: one
/// or two rows alone carry no context (the code equivalent of a widow).
pub const MIN_ROWS_AT_BREAK: usize = 3;

/// The marker in front of a wrapped line's continuation.
pub const CONTINUATION_MARK: &str = "↪";

/// Longest piece of a code line shaped as one word (bytes).
const CODE_PIECE: usize = 512;

/// Where a page may break in a listing whose rows are `blank` or not:
/// `result[i]` allows a break before row `i`. Only rows with something on
/// them count: a blank line at a page's head or foot carries no code, so
/// "three rows" means three rows one can read. Linear in the rows (a
/// pasted log can make a listing of tens of thousands).
pub fn breakable(blank: &[bool]) -> Vec<bool> {
    let total = blank.iter().filter(|b| !**b).count();
    let mut before = 0;
    blank
        .iter()
        .map(|&is_blank| {
            let allowed = total > UNBREAKABLE_ROWS
                && before >= MIN_ROWS_AT_BREAK
                && total - before >= MIN_ROWS_AT_BREAK;
            before += usize::from(!is_blank);
            allowed
        })
        .collect()
}

/// "Filename: src/main.rs" (as mdBook books write it above a listing).
pub fn is_filename(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("Filename:") || t.starts_with("File:")
}

/// "Listing 3-2" or "Listing 12: …", above or below a listing.
pub fn is_caption_text(text: &str) -> bool {
    text.trim_start()
        .strip_prefix("Listing ")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
}

/// Whether a block introduces the code block after it, and so keeps its
/// last line with the listing: a filename line, a "Listing N" line, or a
/// paragraph ending with a colon ("…as follows:").
pub fn introduces(block: &Block) -> bool {
    let BlockKind::Paragraph { content } = &block.kind else {
        return false;
    };
    let text = plain_text(content);
    let text = text.trim();
    is_filename(text) || is_caption_text(text) || text.ends_with(':')
}

/// Whether a paragraph after a code block is its caption ("Listing 2-1: …").
pub fn is_caption(block: &Block) -> bool {
    matches!(&block.kind, BlockKind::Paragraph { content } if is_caption_text(&plain_text(content)))
}

/// Geometry of a listing's rows.
#[derive(Debug, Clone, Copy)]
pub struct Band {
    /// Left edge of the tint within the text block.
    pub x: f32,
    /// Width of the tint.
    pub width: f32,
}

/// A printed row of a listing.
#[derive(Debug, Clone)]
pub struct Row {
    /// Its box: the piece of the band and the glyphs on it.
    pub vbox: VBox,
    /// Nothing on it (a blank line of the code).
    pub blank: bool,
    /// The continuation of a wrapped line, never parted from it.
    pub continuation: bool,
    /// Characters of the code before the row (tabs counted as drawn where
    /// a row begins after one), for the print page map.
    pub chars: u32,
}

/// Where a page may break in `rows`: at the start of a source line, with
/// enough rows on either side ([`breakable`]); `result[i]` is before row `i`.
pub fn page_breaks(rows: &[Row]) -> Vec<bool> {
    let blank: Vec<bool> = rows.iter().map(|r| r.blank).collect();
    breakable(&blank)
        .into_iter()
        .zip(rows)
        .map(|(allowed, row)| allowed && !row.continuation)
        .collect()
}

/// Sets a code block: one box per printed row, each on its piece of the
/// tinted band (the first and last rows carry the padding).
pub fn rows(
    cx: &mut Cx<'_>,
    text: &str,
    tokens: &[ir::CodeToken],
    band: Band,
    span: Span,
) -> Vec<Row> {
    let style = cx.style;
    let size = style.code.size;
    let leading = style.code.leading;
    let pad = style.code.padding;
    let para = code_para(cx);
    let font = cx.fonts.face(Role::Code, false, false);
    let (asc, desc) = cx.fonts.extents(font);
    let baseline = (leading + (asc - desc) * size) / 2.0;
    let inner = (band.width - 2.0 * pad).max(size * 10.0);
    let left = band.x + pad;
    let column = column_width(cx, size);
    let mark_color = rgb(style.code.syntax.comment);
    let mut rows: Vec<(Vec<Item>, bool, u32)> = Vec::new();
    let text = text.strip_suffix('\n').unwrap_or(text);
    let mut offset = 0;
    let mut chars = 0u32;
    for source_line in text.split('\n') {
        let line_start = offset;
        offset += source_line.len() + 1;
        let line_chars = chars;
        chars = chars
            .saturating_add(super::blocks::count_chars(source_line))
            .saturating_add(1);
        let mut words = Vec::new();
        // Where each word begins in the code's characters.
        let mut word_chars: Vec<u32> = Vec::new();
        let mut at = line_chars;
        for (segment, color) in color_segments(source_line, line_start, tokens, style) {
            let expanded = segment.replace('\t', "    ");
            let segment_start = at;
            // A minified file or a pasted log can put a megabyte on one
            // line: shape long segments in pieces to keep wrapping linear.
            for piece in pieces(&expanded, CODE_PIECE) {
                let index = add_word(cx, &mut words, piece, &plain_format(), &para, span);
                words[index].color = color;
                word_chars.push(at);
                at = at.saturating_add(super::blocks::count_chars(piece));
            }
            at = segment_start.saturating_add(super::blocks::count_chars(&segment));
        }
        let clusters = clusters(&words);
        // Continuations start at the line's indentation plus the marker and
        // a space, never further in than half the measure.
        let indent = clusters
            .iter()
            .take_while(|c| c.space)
            .map(|c| c.width)
            .sum::<f32>()
            .min(inner / 2.0);
        let continuation = indent + 2.0 * column;
        for (row_index, range) in wrap(&clusters, inner, inner - continuation)
            .into_iter()
            .enumerate()
        {
            let mut row = Vec::new();
            let mut drawing = inline::OpenRun::default();
            let mut x = left;
            let row_chars = clusters.get(range.start).map_or(line_chars, |c| {
                let before = words[c.word].text.get(..c.start).unwrap_or("");
                word_chars.get(c.word).map_or(line_chars, |&w| {
                    w.saturating_add(super::blocks::count_chars(before))
                })
            });
            if row_index > 0 {
                row.push(Item::TagStart(TagRef::Artifact(ArtifactKind::Layout)));
                let mark = add_word(
                    cx,
                    &mut words,
                    CONTINUATION_MARK,
                    &plain_format(),
                    &para,
                    span,
                );
                words[mark].color = mark_color;
                let width = inline::word_width(&words[mark]);
                glyph_runs(
                    &words[mark],
                    0..CONTINUATION_MARK.len(),
                    left + indent + (column - width).max(0.0) / 2.0,
                    baseline,
                    &mut row,
                    &mut drawing,
                );
                row.push(Item::TagEnd);
                x += continuation;
            }
            // Consecutive clusters of one word are drawn as one run.
            let mut k = range.start;
            while k < range.end {
                let word = clusters[k].word;
                let mut end = k;
                let mut width = 0.0;
                while end < range.end && clusters[end].word == word {
                    width += clusters[end].width;
                    end += 1;
                }
                glyph_runs(
                    &words[word],
                    clusters[k].start..clusters[end - 1].end,
                    x,
                    baseline,
                    &mut row,
                    &mut drawing,
                );
                x += width;
                k = end;
            }
            drawing.close(&mut row);
            rows.push((row, row_index > 0, row_chars));
        }
    }
    let background = rgb(style.code.background);
    let node = cx.tags.add(StructKind::Code);
    let n = rows.len();
    rows.into_iter()
        .enumerate()
        .map(|(i, (row, continuation, chars))| {
            let top = if i == 0 { pad } else { 0.0 };
            let bottom = if i + 1 == n { pad } else { 0.0 };
            let height = leading + top + bottom;
            let mut items = vec![Item::Fill {
                rect: Rect {
                    x: band.x,
                    y: 0.0,
                    w: band.width,
                    h: height,
                },
                color: background,
            }];
            let blank = row.is_empty();
            items.extend(row.into_iter().map(|it| it.moved(0.0, top)));
            tagging::wrap_node(&mut items, node);
            Row {
                vbox: VBox {
                    height,
                    items,
                    ..VBox::default()
                },
                blank,
                continuation,
                chars,
            }
        })
        .collect()
}

/// The box a listing's rows repeat at the head of a page they continue on:
/// a strip of the band holding a small grey "(continued)" at its right end.
/// It also stands in for the band's top padding there.
pub fn continued_cue(cx: &mut Cx<'_>, links: &mut dyn Links, band: Band, span: Span) -> VBox {
    let style = cx.style;
    let height = style.code.leading.max(style.code.padding);
    let size = (style.code.size * 0.9).min(style.blocks.caption_size);
    let cue = ParaStyle {
        role: Role::Body,
        size,
        leading: height,
        bold: false,
        italic: true,
        color: rgb(style.code.syntax.comment),
        align: Align::Right,
        hyphenate: false,
        indent: 0.0,
    };
    let label = format!("({})", cx.labels.continued);
    let width = band.width - 2.0 * style.code.padding;
    let mut items = vec![Item::Fill {
        rect: Rect {
            x: band.x,
            y: 0.0,
            w: band.width,
            h: height,
        },
        color: rgb(style.code.background),
    }];
    for line in inline::plain(cx, links, &label, width, &cue, span) {
        items.extend(
            line.vbox
                .items
                .into_iter()
                .map(|i| i.moved(band.x + style.code.padding, 0.0)),
        );
    }
    tagging::artifact(&mut items, ArtifactKind::Layout);
    VBox {
        height,
        items,
        ..VBox::default()
    }
}

/// Code block text: the code family at the code size, ragged, unhyphenated.
fn code_para(cx: &Cx<'_>) -> ParaStyle {
    ParaStyle {
        role: Role::Code,
        size: cx.style.code.size,
        leading: cx.style.code.leading,
        bold: false,
        italic: false,
        color: rgb(cx.style.text.color),
        align: Align::Left,
        hyphenate: false,
        indent: 0.0,
    }
}

fn plain_format() -> Format {
    Format {
        scale: 1.0,
        ..Format::default()
    }
}

/// Width of one column of the code font at `size` (tracking included).
fn column_width(cx: &mut Cx<'_>, size: f32) -> f32 {
    let font = cx.fonts.face(Role::Code, false, false);
    let space = cx
        .shaper
        .shape(" ", font, super::shape::Features::CODE)
        .width_pt(size);
    space + cx.style.code.tracking * size
}

/// One cluster of a code line: the glyphs of one character, in word `word`
/// covering its bytes `start..end`.
#[derive(Debug, Clone, Copy)]
struct Cluster {
    word: usize,
    start: usize,
    end: usize,
    width: f32,
    space: bool,
}

fn clusters(words: &[inline::Word]) -> Vec<Cluster> {
    let mut out = Vec::new();
    for (k, w) in words.iter().enumerate() {
        let mut start = 0;
        let mut x = 0.0;
        for (end, end_x) in inline::cluster_ends(w) {
            out.push(Cluster {
                word: k,
                start,
                end,
                width: end_x - x,
                space: w.text.get(start..end).is_some_and(|t| t == " "),
            });
            start = end;
            x = end_x;
        }
    }
    out
}

/// Splits a line's clusters into rows: the first `first` wide, the others
/// `rest` wide. A row ends after its last space that fits, else after its
/// last cluster that fits; a row always takes at least one cluster.
fn wrap(clusters: &[Cluster], first: f32, rest: f32) -> Vec<std::ops::Range<usize>> {
    let mut rows = Vec::new();
    let mut start = 0;
    let mut x = 0.0;
    let mut limit = first;
    let mut after_space: Option<usize> = None;
    let mut i = 0;
    while i < clusters.len() {
        let c = clusters[i];
        if x + c.width > limit + 0.01 && i > start {
            let cut = match after_space {
                Some(j) if j > start && j <= i => j,
                _ => i,
            };
            rows.push(start..cut);
            start = cut;
            limit = rest;
            after_space = None;
            x = clusters[cut..i].iter().map(|c| c.width).sum();
            continue;
        }
        x += c.width;
        if c.space && i > start {
            after_space = Some(i + 1);
        }
        i += 1;
    }
    rows.push(start..clusters.len());
    rows
}

/// Splits one source line of code into runs of one colour.
fn color_segments(
    line: &str,
    line_start: usize,
    tokens: &[ir::CodeToken],
    style: &crate::pdf::style::PrintStyle,
) -> Vec<(String, Rgb)> {
    let plain = rgb(style.text.color);
    let line_end = line_start + line.len();
    let mut out: Vec<(String, Rgb)> = Vec::new();
    let mut pos = line_start;
    let push = |from: usize, to: usize, color: Rgb, out: &mut Vec<(String, Rgb)>| {
        if to > from {
            if let Some(text) = line.get(from - line_start..to - line_start) {
                out.push((text.to_owned(), color));
            }
        }
    };
    let start_index = tokens.partition_point(|t| (t.end as usize) <= line_start);
    for token in &tokens[start_index..] {
        let (s, e) = (
            (token.start as usize).max(line_start),
            (token.end as usize).min(line_end),
        );
        if s >= line_end {
            break;
        }
        if e <= s {
            continue;
        }
        push(pos, s, plain, &mut out);
        push(s, e, token_color(token.class, style), &mut out);
        pos = e;
    }
    push(pos, line_end, plain, &mut out);
    if out.is_empty() {
        out.push((String::new(), plain));
    }
    out
}

fn token_color(class: TokenClass, style: &crate::pdf::style::PrintStyle) -> Rgb {
    let s = &style.code.syntax;
    rgb(match class {
        TokenClass::Comment => s.comment,
        TokenClass::String => s.string,
        TokenClass::Number | TokenClass::Constant => s.number,
        TokenClass::Keyword => s.keyword,
        TokenClass::Operator => s.operator,
        TokenClass::Function => s.function,
        TokenClass::Type => s.type_name,
        TokenClass::Tag => s.tag,
        TokenClass::Attribute => s.attribute,
    })
}

/// `text` cut at grapheme boundaries into pieces of about `max` bytes.
fn pieces(text: &str, max: usize) -> Vec<&str> {
    use unicode_segmentation::UnicodeSegmentation;
    if text.len() <= max {
        return vec![text];
    }
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in text.grapheme_indices(true) {
        if i - start >= max {
            out.push(&text[start..i]);
            start = i;
        }
    }
    out.push(&text[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_listings_never_break_and_long_ones_keep_three_rows_a_side() {
        let allowed = |blank: &[bool]| -> Vec<usize> {
            breakable(blank)
                .iter()
                .enumerate()
                .filter(|(_, b)| **b)
                .map(|(i, _)| i)
                .collect()
        };
        assert!(allowed(&[false; 8]).is_empty());
        assert_eq!(allowed(&[false; 9]), vec![3, 4, 5, 6]);
        let long = allowed(&[false; 30]);
        assert_eq!(long.first(), Some(&3));
        assert_eq!(long.last(), Some(&27));
    }

    #[test]
    fn blank_rows_do_not_count() {
        // Nine rows, two of them blank: seven lines of code never break.
        let mut blank = vec![false; 9];
        blank[2] = true;
        blank[6] = true;
        assert!(!breakable(&blank).contains(&true));
        // Twelve rows with a blank one before the last three: the last
        // three lines of code stay together, the blank row with them or not.
        let mut blank = vec![false; 12];
        blank[8] = true;
        let allowed: Vec<usize> = (1..12).filter(|&i| breakable(&blank)[i]).collect();
        assert_eq!(allowed, vec![3, 4, 5, 6, 7, 8, 9]);
    }

    #[test]
    fn labels_and_captions_are_recognised() {
        assert!(is_filename("Filename: src/main.rs"));
        assert!(is_caption_text("Listing 2-1: Code that reads a line"));
        assert!(!is_caption_text("Listing the files"));
    }

    fn cluster(width: f32, space: bool) -> Cluster {
        Cluster {
            word: 0,
            start: 0,
            end: 1,
            width,
            space,
        }
    }

    #[test]
    fn wrapping_prefers_the_last_space_and_always_progresses() {
        // "aaa bbb ccc" in columns of 1, a measure of 6 then 4.
        let line: Vec<Cluster> = "aaa bbb ccc"
            .chars()
            .map(|c| cluster(1.0, c == ' '))
            .collect();
        let rows = wrap(&line, 6.0, 4.0);
        assert_eq!(rows, vec![0..4, 4..8, 8..11]);
        // A word wider than the measure is cut where it must be.
        let long: Vec<Cluster> = (0..10).map(|_| cluster(1.0, false)).collect();
        assert_eq!(wrap(&long, 4.0, 3.0), vec![0..4, 4..7, 7..10]);
        // Even a measure narrower than one cluster takes one per row.
        assert_eq!(wrap(&long[..2], 0.5, 0.5), vec![0..1, 1..2]);
    }

    /// Where on a row the first `text` is drawn (the x of its first glyph).
    fn glyph_x(row: &Row, text: &str) -> Option<f32> {
        row.vbox.items.iter().find_map(|item| match item {
            Item::Glyphs(run) => {
                let at = run.text.find(text)?;
                let glyph = run.glyphs.iter().find(|g| g.text_start as usize == at)?;
                Some(run.x + glyph.x)
            }
            _ => None,
        })
    }

    #[test]
    fn the_default_style_fits_72_columns_and_continues_at_the_indentation() {
        crate::pdf::layout::testing::with_cx(|cx| {
            // The default 6×9 page's 324 pt text block, as the book sets it.
            let band = Band {
                x: 0.0,
                width: 324.0,
            };
            let span = crate::pdf::layout::testing::span();
            let seventy_two = "x".repeat(72);
            assert_eq!(rows(cx, &seventy_two, &[], band, span).len(), 1);
            // An indented line of 94 columns wraps once; its continuation
            // starts behind the mark, two columns in from its indentation.
            let line = format!("        call({})", "argument, ".repeat(8));
            let printed = rows(cx, &line, &[], band, span);
            assert_eq!(printed.len(), 2, "{line}");
            assert!(!printed[0].continuation && printed[1].continuation);
            let column = column_width(cx, cx.style.code.size);
            let pad = cx.style.code.padding;
            let first = glyph_x(&printed[0], "call").expect("the line's text");
            let mark = glyph_x(&printed[1], CONTINUATION_MARK).expect("the mark");
            let rest = glyph_x(&printed[1], "argument").expect("the rest");
            assert!((first - (pad + 8.0 * column)).abs() < 0.01, "{first}");
            assert!(mark >= first - 0.01 && mark < first + column, "{mark}");
            assert!((rest - (first + 2.0 * column)).abs() < 0.01, "{rest}");
        });
    }
}
