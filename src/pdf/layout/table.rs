//! Tables: column widths from their content (natural, longest word, longest
//! hyphenated piece), cells set as paragraphs, rules under the header and
//! the rows, one box per row; a header that repeats when a table goes on to
//! a new page. How the rows keep together is the caller's (`blocks`).
//!
//! Tagged as `Table` / `THead` / `TBody` / `TR` / `TH` or `TD`, a short row
//! still having a cell in every column; the header drawn again on a new
//! page is a layout artifact.

use super::cx::{Cx, Role, rgb};
use super::flow::VBox;
use super::frame::{ArtifactKind, Item, StructKind};
use super::inline::{self, Align, Links, ParaStyle};
use super::shape::Features;
use super::tagging;
use crate::diag::Span;
use crate::ir::{self, Align as CellAlign, plain_text};
use std::sync::Arc;

/// A table's boxes: the header row (repeated on continued pages) and the
/// body rows, the last one closing the table with a heavier rule.
pub(super) struct TableBoxes {
    /// The header row as first set, if the table has one.
    pub(super) head: Option<VBox>,
    /// Body rows, each pointing at the header to repeat on a new page (an
    /// artifact there).
    pub(super) rows: Vec<VBox>,
    /// Characters of the table's text before each body row (the header's
    /// come first), for the print page map.
    pub(super) row_chars: Vec<u32>,
    /// The notes referenced in the header's cells (they print once, with
    /// the first header, not with its repeats).
    pub(super) header_notes: Vec<String>,
    /// The notes referenced in each body row's cells.
    pub(super) row_notes: Vec<Vec<String>>,
}

/// Sets `table` at `x`, `width` wide; overfull cells give one warning for
/// the whole table.
pub(super) fn set(
    cx: &mut Cx<'_>,
    links: &mut dyn Links,
    table: &ir::Table,
    x: f32,
    width: f32,
    span: Span,
) -> TableBoxes {
    let style = cx.style;
    let size = style.blocks.table_size;
    let leading = size * 1.3;
    let pad = 4.0;
    let columns = table
        .head
        .len()
        .max(table.rows.iter().map(Vec::len).max().unwrap_or(0));
    if columns == 0 {
        return TableBoxes {
            head: None,
            rows: Vec::new(),
            row_chars: Vec::new(),
            header_notes: Vec::new(),
            row_notes: Vec::new(),
        };
    }
    let cell_style = |bold: bool, align: CellAlign| ParaStyle {
        role: Role::Body,
        size,
        leading,
        bold,
        italic: false,
        color: rgb(style.text.color),
        align: match align {
            CellAlign::Right => Align::Right,
            CellAlign::Center => Align::Center,
            _ => Align::Left,
        },
        hyphenate: true,
        indent: 0.0,
    };
    // Column widths from content: natural (one line), the longest word,
    // and the longest piece left when words are hyphenated; each with a
    // point to spare, so a word exactly as wide as its column is not
    // judged overfull by rounding.
    let mut natural = vec![0.0f32; columns];
    let mut word_min = vec![0.0f32; columns];
    let font = cx.fonts.face(Role::Body, false, false);
    let bold = cx.fonts.face(Role::Body, true, false);
    let cap = width / columns as f32 * 2.0;
    let rows = || std::iter::once(&table.head).chain(&table.rows);
    for (r, row) in rows().enumerate() {
        for (c, cell) in row.iter().enumerate().take(columns) {
            let text = plain_text(&cell.content);
            let f = if r == 0 { bold } else { font };
            // Note marks print as superscripts that plain text leaves out.
            let mut marks = String::new();
            ir::walk::inlines(&cell.content, &mut |inline| {
                if let ir::InlineKind::NoteRef { number, .. } = &inline.kind {
                    marks.push_str(&number.to_string());
                }
            });
            let w = measure(cx, &text, f, size) + measure(cx, &marks, f, size * 0.65);
            natural[c] = natural[c].max(w + 2.0 * pad + 1.0);
            for word in text.split_whitespace() {
                let ww = measure(cx, word, f, size);
                word_min[c] = word_min[c].max((ww + 2.0 * pad + 1.0).min(cap));
            }
        }
    }
    // The longest hyphenated pieces matter only to a table whose words do
    // not fit side by side, or that overflows (for the warning's help):
    // measured then, not for every table (each piece is a word of its own
    // to shape).
    let mut piece_min: Option<Vec<f32>> = None;
    let mut pieces = |cx: &mut Cx<'_>| -> Vec<f32> {
        piece_min
            .get_or_insert_with(|| {
                let mut out = vec![0.0f32; columns];
                for (r, row) in rows().enumerate() {
                    for (c, cell) in row.iter().enumerate().take(columns) {
                        let f = if r == 0 { bold } else { font };
                        for word in plain_text(&cell.content).split_whitespace() {
                            let widest = widest_piece(cx, word, f, size);
                            out[c] = out[c].max((widest + 2.0 * pad + 1.0).min(cap));
                        }
                    }
                }
                out
            })
            .clone()
    };
    let words_fit = word_min.iter().sum::<f32>() < width;
    let widths = if natural.iter().sum::<f32>() <= width || words_fit {
        column_widths(&natural, &word_min, &[], width)
    } else {
        column_widths(&natural, &word_min, &pieces(cx), width)
    };
    let table_width: f32 = widths.iter().sum();
    let x0 = x;
    let rule = rgb(style.colors.rule);
    // Characters of the table's text so far (see `TextPosition`).
    let mut chars = 0u32;
    let row_box = |cx: &mut Cx<'_>,
                   links: &mut dyn Links,
                   cells: &[ir::Cell],
                   header: bool,
                   chars: &mut u32|
     -> (VBox, Vec<String>) {
        let mut items = Vec::new();
        let mut note_ids = Vec::new();
        let mut height: f32 = 0.0;
        let mut x = x0;
        let row = cx.tags.open(StructKind::TR);
        for (c, width) in widths.iter().enumerate() {
            if let Some(cell) = cells.get(c) {
                *chars = chars.saturating_add(super::blocks::text_chars(&cell.content));
                let align = table.align.get(c).copied().unwrap_or(CellAlign::None);
                let node = cx.tags.open(if header {
                    StructKind::TH
                } else {
                    StructKind::TD
                });
                let lines = inline::paragraph(
                    cx,
                    links,
                    &cell.content,
                    (width - 2.0 * pad).max(1.0),
                    &cell_style(header, align),
                    cell.span,
                );
                if node.is_some() {
                    cx.tags.close();
                }
                let mut y = pad;
                let mut cell_items = Vec::new();
                for line in lines {
                    cell_items.extend(line.vbox.items.into_iter().map(|i| i.moved(x + pad, y)));
                    y += line.vbox.height;
                    note_ids.extend(line.notes);
                }
                tagging::wrap_node(&mut cell_items, node);
                items.extend(cell_items);
                height = height.max(y + pad);
            } else if !header {
                // A short row still has a cell in every column.
                cx.tags.add(StructKind::TD);
            }
            x += width;
        }
        if row.is_some() {
            cx.tags.close();
        }
        let bottom_width = if header { 0.6 } else { 0.25 };
        items.push(Item::Line {
            x0,
            y0: height,
            x1: x0 + table_width,
            y1: height,
            width: bottom_width,
            color: rule,
        });
        if header {
            items.push(Item::Line {
                x0,
                y0: 0.0,
                x1: x0 + table_width,
                y1: 0.0,
                width: 0.8,
                color: rule,
            });
        }
        (
            VBox {
                height,
                items,
                ..VBox::default()
            },
            note_ids,
        )
    };
    // Overfull lines in cells come from the column widths: counted, and
    // warned about once for the table.
    let outer = cx.overfull_counter.replace(0);
    let node = cx.tags.open(StructKind::Table);
    let (head, header_notes) = if table.head.is_empty() {
        (None, Vec::new())
    } else {
        let group = cx.tags.open(StructKind::THead);
        let (first, notes) = row_box(cx, links, &table.head, true, &mut chars);
        if group.is_some() {
            cx.tags.close();
        }
        (Some(first), notes)
    };
    // The header repeated on a new page is drawn again, not read again.
    let header = head.as_ref().map(|first| {
        Arc::new(VBox {
            items: tagging::as_artifact(&first.items, ArtifactKind::Layout),
            source: None,
            ..first.clone()
        })
    });
    let body = cx.tags.open(StructKind::TBody);
    let n = table.rows.len();
    let mut rows = Vec::with_capacity(n);
    let mut row_chars = Vec::with_capacity(n);
    let mut row_notes = Vec::with_capacity(n);
    for (i, row) in table.rows.iter().enumerate() {
        row_chars.push(chars);
        let (mut vbox, notes) = row_box(cx, links, row, false, &mut chars);
        row_notes.push(notes);
        if i + 1 == n {
            // The last row closes the table with a heavier rule.
            vbox.items.push(Item::Line {
                x0,
                y0: vbox.height,
                x1: x0 + table_width,
                y1: vbox.height,
                width: 0.8,
                color: rule,
            });
        }
        vbox.header = header.clone();
        rows.push(vbox);
    }
    if body.is_some() {
        cx.tags.close();
    }
    if node.is_some() {
        cx.tags.close();
    }
    let overfull = std::mem::replace(&mut cx.overfull_counter, outer).unwrap_or(0);
    if overfull > 0 {
        let need: f32 = pieces(cx).iter().sum();
        let help = if need > width {
            "use fewer columns, or shorter words in the widest ones"
        } else {
            "a long word or URL in a cell cannot be broken: shorten it, or add a hyphenation exception"
        };
        cx.sink.push(
            crate::diag::Diagnostic::warning(
                span,
                format!(
                    "{overfull} line(s) in this table's cells are wider than their columns (the {columns} columns need at least {need:.0} pt; the text block is {:.0} pt)",
                    width
                ),
            )
            .with_help(help),
        );
    }
    TableBoxes {
        head,
        rows,
        row_chars,
        header_notes,
        row_notes,
    }
}

/// Width of `text` set in `font` at `size`, fallbacks included.
/// The widest piece `word` can be cut into at its hyphenation points (a
/// piece before a hyphen drawn with it).
fn widest_piece(cx: &mut Cx<'_>, word: &str, f: super::fonts::FontId, size: f32) -> f32 {
    let points: Vec<(usize, bool)> = cx.hyphenation_points(cx.lang, word).to_vec();
    let mut widest = 0.0f32;
    let mut start = 0;
    for (at, hyphen) in points.into_iter().chain([(word.len(), false)]) {
        let Some(piece) = word.get(start..at) else {
            continue;
        };
        let piece_width = if hyphen {
            measure(cx, &format!("{piece}-"), f, size)
        } else {
            measure(cx, piece, f, size)
        };
        widest = widest.max(piece_width);
        start = at;
    }
    widest
}

fn measure(cx: &mut Cx<'_>, text: &str, font: super::fonts::FontId, size: f32) -> f32 {
    cx.shaper
        .shape_with_fallback(
            text,
            font,
            cx.fonts.fallbacks_for(cx.langs.chain(cx.lang), false),
            Features::TEXT,
        )
        .width_pt(size)
}

/// Shares `width` among table columns: every column its natural width when
/// the table fits on one line; else each at least its longest word, the
/// rest in proportion to what it would still like; else at least its longest
/// piece after hyphenation, so columns of words that cannot be broken (numbers,
/// code) keep their width and columns of long words are hyphenated instead;
/// else (the table cannot fit) those pieces scaled down.
fn column_widths(natural: &[f32], word_min: &[f32], piece_min: &[f32], width: f32) -> Vec<f32> {
    let between = |low: &[f32], high: &[f32]| -> Vec<f32> {
        let (lo, hi): (f32, f32) = (low.iter().sum(), high.iter().sum());
        let share = ((width - lo) / (hi - lo).max(0.01)).clamp(0.0, 1.0);
        low.iter()
            .zip(high)
            .map(|(l, h)| l + (h - l).max(0.0) * share)
            .collect()
    };
    if natural.iter().sum::<f32>() <= width {
        natural.to_vec()
    } else if word_min.iter().sum::<f32>() < width {
        between(word_min, natural)
    } else if piece_min.iter().sum::<f32>() < width {
        between(piece_min, word_min)
    } else {
        let total: f32 = piece_min.iter().sum();
        piece_min.iter().map(|m| m * width / total).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::column_widths;

    fn sum(v: &[f32]) -> f32 {
        v.iter().sum()
    }

    #[test]
    fn a_table_that_fits_gets_its_natural_widths() {
        let w = column_widths(&[50.0, 80.0], &[20.0, 30.0], &[10.0, 30.0], 200.0);
        assert_eq!(w, vec![50.0, 80.0]);
    }

    #[test]
    fn whole_words_first_then_the_rest_by_what_each_column_wants() {
        let w = column_widths(&[150.0, 90.0], &[40.0, 30.0], &[20.0, 30.0], 200.0);
        assert!((sum(&w) - 200.0).abs() < 0.01);
        assert!(w[0] >= 40.0 && w[1] >= 30.0, "{w:?}");
        // Wants: 110 and 60 beyond the words; 130 to share in that ratio.
        assert!(
            (w[0] - (40.0 + 110.0 * 130.0 / 170.0)).abs() < 0.01,
            "{w:?}"
        );
    }

    #[test]
    fn when_words_do_not_fit_unbreakable_columns_keep_their_width() {
        // Column 1 is numbers (piece = word); column 0 hyphenates.
        let w = column_widths(&[300.0, 40.0], &[120.0, 40.0], &[50.0, 40.0], 130.0);
        assert!((sum(&w) - 130.0).abs() < 0.01);
        assert!((w[1] - 40.0).abs() < 0.01, "{w:?}");
        assert!(w[0] >= 50.0 && w[0] < 120.0, "{w:?}");
    }

    #[test]
    fn a_table_that_cannot_fit_is_scaled_from_its_pieces() {
        let w = column_widths(&[300.0, 300.0], &[200.0, 100.0], &[150.0, 50.0], 100.0);
        assert!((sum(&w) - 100.0).abs() < 0.01);
        assert!(
            (w[0] - 75.0).abs() < 0.01 && (w[1] - 25.0).abs() < 0.01,
            "{w:?}"
        );
    }
}
