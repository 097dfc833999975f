//! Glyph runs as content-stream text.
//!
//! Every run is positioned with an absolute text matrix `Tm` at its first
//! glyph's origin and shown with one `TJ` of 2-byte CIDs, after `Tf` (font,
//! size) and the fill colour. Consecutive runs share one `BT … ET` text
//! object, and `Tf`/`rg` are written only when they change (see
//! [`GfxState`]): layout emits a run per word, and a book page has
//! hundreds, so this keeps content streams small and fast to compress.
//!
//! Between glyphs the writer inserts TJ adjustments so each glyph lands
//! exactly on the `x` layout gave it: it tracks where the viewer's pen will
//! be (previous position plus the advance from `/W`, scaled by the size) and
//! emits the difference in thousandths of a text-space unit. A glyph with a
//! different `y_offset` ends the TJ and starts a new one at an absolute
//! `Tm`, so no position ever depends on a chain of relative moves.

use pdf_writer::{Content, Finish, Primitive};

use super::PageGeom;
use super::fonts::FontSet;
use super::page::GfxState;
use crate::pdf::layout::frame::{Glyph, GlyphRun};

/// Whether a run can be drawn at all: it has glyphs and a positive, finite
/// size (a zero size would make every TJ adjustment a division by zero).
pub(crate) fn is_drawable(run: &GlyphRun) -> bool {
    !run.glyphs.is_empty() && run.size.is_finite() && run.size > 0.0
}

/// Appends `run` to `content`, opening a text object if none is open (the
/// caller closes it with [`GfxState::end_text`] before drawing anything
/// else). The run's font must have been written.
pub(crate) fn write_run(
    content: &mut Content,
    run: &GlyphRun,
    fonts: &FontSet<'_>,
    geom: PageGeom,
    gfx: &mut GfxState,
) {
    let size = run.size;
    let font = run.font.0;
    gfx.begin_text(content);
    gfx.set_font(content, font, size);
    gfx.set_fill(content, run.color);

    let base_x = geom.x(run.x);
    let base_y = geom.y(run.y);
    let mut bytes = Vec::with_capacity(run.glyphs.len() * 2);
    let mut start = 0;
    while start < run.glyphs.len() {
        // A segment: consecutive glyphs sharing one vertical offset.
        let y_off = offset(&run.glyphs[start]);
        let mut end = start + 1;
        while end < run.glyphs.len() && offset(&run.glyphs[end]) == y_off {
            end += 1;
        }
        let first_x = super::fin(run.glyphs[start].x);
        // Positions to 1/1000 pt: far below any visible difference, and
        // no float noise (`120.99901`) in the stream.
        let (tx, ty) = (round3(base_x + first_x), round3(base_y + y_off));
        content.set_text_matrix([1.0, 0.0, 0.0, 1.0, tx, ty]);

        let mut tj = content.op("TJ");
        let mut items = tj.obj().array();
        // Pen position relative to the run's x, in points.
        let mut pen = first_x;
        for (i, g) in run.glyphs[start..end].iter().enumerate() {
            if i > 0 {
                let adj = adjustment(pen, super::fin(g.x), size);
                if adj != 0.0 {
                    if !bytes.is_empty() {
                        items.item(HexStr(&bytes));
                        bytes.clear();
                    }
                    items.item(adj);
                    pen -= adj * size / 1000.0;
                }
            }
            let (cid, width) = fonts.glyph(font, g.id);
            bytes.extend_from_slice(&cid.to_be_bytes());
            pen += width * size / 1000.0;
        }
        if !bytes.is_empty() {
            items.item(HexStr(&bytes));
            bytes.clear();
        }
        items.finish();
        drop(tj);
        start = end;
    }
}

/// Glyph codes as a hex string (`<0003001A>`): 4 characters per glyph,
/// where pdf-writer's `Str` would write most 2-byte CIDs as octal escapes
/// (`\000\003`, 8 characters).
struct HexStr<'a>(&'a [u8]);

impl Primitive for HexStr<'_> {
    fn write(self, buf: &mut Vec<u8>) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        buf.reserve(2 + 2 * self.0.len());
        buf.push(b'<');
        for &b in self.0 {
            buf.push(HEX[usize::from(b >> 4)]);
            buf.push(HEX[usize::from(b & 15)]);
        }
        buf.push(b'>');
    }
}

/// Rounds to 1/1000.
fn round3(v: f32) -> f32 {
    (v * 1000.0).round() / 1000.0
}

/// A glyph's vertical offset, NaN-safe.
fn offset(g: &Glyph) -> f32 {
    super::fin(g.y_offset)
}

/// The TJ number that moves the pen from `pen` to `target` (both in points
/// relative to the run): TJ numbers are thousandths of text space and are
/// *subtracted*, so moving right is negative. Rounded to 0.1 (≤ 0.0001 em of
/// error, never accumulated because the pen is re-derived from what was
/// written); tiny differences give 0, i.e. no adjustment.
fn adjustment(pen: f32, target: f32, size: f32) -> f32 {
    let adj = (pen - target) * 1000.0 / size;
    let rounded = (adj * 10.0).round() / 10.0;
    if rounded.is_finite() { rounded } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjustment_sign_and_rounding() {
        // Pen at 5 pt, glyph wanted at 6 pt, 10 pt type: move right 1 pt =
        // 100 thousandths, written as -100.
        assert_eq!(adjustment(5.0, 6.0, 10.0), -100.0);
        // Kerning pulls left.
        assert_eq!(adjustment(5.0, 4.5, 10.0), 50.0);
        // Float noise disappears.
        assert_eq!(adjustment(5.0, 5.000001, 10.0), 0.0);
    }

    #[test]
    fn glyph_codes_are_hex() {
        let mut buf = Vec::new();
        HexStr(&[0, 3, 0xAB, 0x1F]).write(&mut buf);
        assert_eq!(buf, b"<0003AB1F>");
    }

    #[test]
    fn drawable_runs() {
        let run = GlyphRun {
            font: crate::pdf::layout::frame::FontRef(0),
            size: 10.0,
            color: crate::pdf::layout::frame::Rgb::BLACK,
            x: 0.0,
            y: 0.0,
            glyphs: vec![Glyph {
                id: 1,
                x: 0.0,
                y_offset: 0.0,
                text_start: 0,
                text_end: 1,
            }]
            .into(),
            text: "a".into(),
            lang: None,
        };
        assert!(is_drawable(&run));
        assert!(!is_drawable(&GlyphRun {
            size: 0.0,
            ..run.clone()
        }));
        assert!(!is_drawable(&GlyphRun {
            size: f32::NAN,
            ..run.clone()
        }));
        assert!(!is_drawable(&GlyphRun {
            glyphs: Vec::new().into(),
            ..run
        }));
    }
}
