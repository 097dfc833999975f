//! Lines of cover text as glyph outlines: shaped with rustybuzz in the book's
//! fonts (falling back per character like the PDF does), measured, and drawn
//! as SVG path data, so the rasteriser needs no fonts and no font matching.

use crate::pdf::layout::fonts::{FontBook, FontId};
use std::fmt::Write as _;

/// One shaped line: its width and its glyphs, positioned from the line's
/// start on its baseline, in pixels.
#[derive(Debug, Clone, Default)]
pub struct Line {
    /// Advance width in pixels (tracking included, none after the last glyph).
    pub width: f32,
    /// The glyphs, left to right.
    glyphs: Vec<Glyph>,
    /// Font size in pixels.
    size: f32,
}

#[derive(Debug, Clone, Copy)]
struct Glyph {
    font: FontId,
    id: u16,
    x: f32,
    y: f32,
}

/// Fonts for one kind of cover text: a face and the book's fallbacks.
#[derive(Debug, Clone, Copy)]
pub struct Face<'a> {
    /// Every loaded font.
    pub book: &'a FontBook,
    /// The face to set the text in.
    pub primary: FontId,
    /// Faces tried, in order, for characters the primary face lacks.
    pub fallbacks: &'a [FontId],
}

impl Face<'_> {
    /// Shapes `text` at `size` pixels with `tracking` em of extra space
    /// between letters. Characters no font has are left out (the PDF build
    /// reports them; the cover is not the place to).
    pub fn line(&self, text: &str, size: f32, tracking: f32) -> Line {
        let mut line = Line {
            size,
            ..Line::default()
        };
        let mut x = 0.0f32;
        for (font, range) in self.runs(text) {
            let Some(loaded) = self.book.font(font) else {
                continue;
            };
            let Some(face) = rustybuzz::Face::from_slice(loaded.data(), loaded.face_index()) else {
                continue;
            };
            let scale = size / f32::from(loaded.units_per_em().max(1));
            let mut buffer = rustybuzz::UnicodeBuffer::new();
            buffer.push_str(&text[range]);
            buffer.guess_segment_properties();
            let shaped = rustybuzz::shape(&face, &[], buffer);
            for (info, pos) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
                let Ok(id) = u16::try_from(info.glyph_id) else {
                    continue;
                };
                line.glyphs.push(Glyph {
                    font,
                    id,
                    x: x + pos.x_offset as f32 * scale,
                    y: -(pos.y_offset as f32) * scale,
                });
                x += pos.x_advance as f32 * scale + tracking * size;
            }
        }
        line.width = if line.glyphs.is_empty() {
            0.0
        } else {
            x - tracking * size
        };
        line
    }

    /// Splits `text` into runs each set in one font: the primary face where
    /// it has the character, else the first fallback that has it.
    fn runs(&self, text: &str) -> Vec<(FontId, std::ops::Range<usize>)> {
        let mut runs: Vec<(FontId, std::ops::Range<usize>)> = Vec::new();
        for (i, c) in text.char_indices() {
            let font = if c.is_whitespace() {
                runs.last().map_or(self.primary, |(f, _)| *f)
            } else {
                match self.book.font_for_char(self.primary, self.fallbacks, c) {
                    Some(font) => font,
                    None => continue,
                }
            };
            let end = i + c.len_utf8();
            match runs.last_mut() {
                Some((f, range)) if *f == font && range.end == i => range.end = end,
                _ => runs.push((font, i..end)),
            }
        }
        runs
    }
}

impl Line {
    /// SVG path data for the line with its start at (`x`, `baseline`).
    pub fn path(&self, book: &FontBook, x: f32, baseline: f32) -> String {
        let mut data = String::new();
        for glyph in &self.glyphs {
            let Some(font) = book.font(glyph.font) else {
                continue;
            };
            let Ok(face) = ttf_parser::Face::parse(font.data(), font.face_index()) else {
                continue;
            };
            let scale = self.size / f32::from(font.units_per_em().max(1));
            let mut pen = Pen {
                out: &mut data,
                scale,
                x: x + glyph.x,
                y: baseline + glyph.y,
            };
            face.outline_glyph(ttf_parser::GlyphId(glyph.id), &mut pen);
        }
        data
    }
}

/// Writes glyph outlines (font units, y up) as SVG path commands (pixels,
/// y down), rounded to hundredths so the SVG text is stable and small.
struct Pen<'a> {
    out: &'a mut String,
    scale: f32,
    x: f32,
    y: f32,
}

impl Pen<'_> {
    fn point(&mut self, x: f32, y: f32) {
        let _ = write!(
            self.out,
            "{:.2} {:.2} ",
            self.x + x * self.scale,
            self.y - y * self.scale
        );
    }
}

impl ttf_parser::OutlineBuilder for Pen<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.out.push('M');
        self.point(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.out.push('L');
        self.point(x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.out.push('Q');
        self.point(x1, y1);
        self.point(x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.out.push('C');
        self.point(x1, y1);
        self.point(x2, y2);
        self.point(x, y);
    }
    fn close(&mut self) {
        self.out.push('Z');
    }
}
