//! The fonts a book is typeset with, loaded once and addressed by [`FontId`].
//!
//! Layout asks many small questions of a font (does it have this character,
//! how tall are its capitals, what is glyph 42's advance), millions of times
//! for a long book. A [`FontBook`] parses each file once at load time, keeps
//! the answers as plain data (metrics, a character map, advance widths), and
//! owns the bytes so the shaper and the PDF writer (which embeds subsets) can
//! borrow them for as long as the book lives.
//!
//! It also knows the typographic families (regular/italic/bold/bold italic)
//! and the fallback chain for characters the body font lacks (arrows from
//! DejaVu Sans, emoji from Noto Emoji).

use std::path::Path;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use ttf_parser::{GlyphId, name_id};

/// Handle of a font loaded into a [`FontBook`]; small and `Copy` so shaped
/// runs and layout boxes can carry it everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FontId(pub u16);

/// Vertical metrics in font units, read once so layout never re-parses the
/// font to place a baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FontMetrics {
    /// Font units per em; divide by this and multiply by the size in points.
    pub units_per_em: u16,
    /// Distance from the baseline to the top of the line box (positive).
    pub ascender: i16,
    /// Distance from the baseline to the bottom of the line box (negative).
    pub descender: i16,
    /// Extra space the designer recommends between lines.
    pub line_gap: i16,
    /// Height of flat capitals (`OS/2` value, else measured on `H`, else
    /// 70 % of the em), for aligning drop caps and small caps.
    pub cap_height: i16,
    /// Height of flat lower-case letters (`OS/2` value, else measured on `x`,
    /// else half the em), for matching sizes across fonts (code vs body).
    pub x_height: i16,
    /// Italic angle in degrees counter-clockwise from vertical (negative for
    /// right-leaning italics), as the PDF font descriptor wants it.
    pub italic_angle: f32,
    /// Bounding box of all glyphs: x min, y min, x max, y max (PDF `FontBBox`).
    pub bbox: [i16; 4],
}

/// One loaded font file (or face of a collection) and the facts layout and
/// the PDF writer need about it.
#[derive(Clone)]
pub struct Font {
    source: String,
    data: Arc<Vec<u8>>,
    face_index: u32,
    postscript_name: String,
    family_name: String,
    metrics: FontMetrics,
    cmap: FxHashMap<char, u16>,
    advances: Vec<u16>,
    monospaced: bool,
    embeddable: bool,
}

/// Names the font instead of dumping megabytes of font data and its
/// character map.
impl std::fmt::Debug for Font {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Font")
            .field("source", &self.source)
            .field("postscript_name", &self.postscript_name)
            .field("units_per_em", &self.metrics.units_per_em)
            .field("glyphs", &self.advances.len())
            .finish_non_exhaustive()
    }
}

impl Font {
    /// Where the font came from (file path or caller's label), for messages.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The raw font file, for shaping and for embedding a subset in the PDF.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// Shared handle on the raw bytes, so a writer can keep them without
    /// copying (the same type as the page model's font data).
    pub fn data_arc(&self) -> Arc<Vec<u8>> {
        Arc::clone(&self.data)
    }

    /// Index of the face inside a collection file (0 for plain TTF/OTF).
    pub fn face_index(&self) -> u32 {
        self.face_index
    }

    /// PostScript name (name ID 6), used as the PDF `BaseFont`. Falls back to
    /// a name derived from the source when the font has none.
    pub fn postscript_name(&self) -> &str {
        &self.postscript_name
    }

    /// Family name (typographic family, else legacy family), for messages and
    /// metadata.
    pub fn family_name(&self) -> &str {
        &self.family_name
    }

    /// All vertical metrics at once.
    pub fn metrics(&self) -> &FontMetrics {
        &self.metrics
    }

    /// Font units per em.
    pub fn units_per_em(&self) -> u16 {
        self.metrics.units_per_em
    }

    /// Ascender in font units (positive).
    pub fn ascender(&self) -> i16 {
        self.metrics.ascender
    }

    /// Descender in font units (negative).
    pub fn descender(&self) -> i16 {
        self.metrics.descender
    }

    /// Line gap in font units.
    pub fn line_gap(&self) -> i16 {
        self.metrics.line_gap
    }

    /// Cap height in font units.
    pub fn cap_height(&self) -> i16 {
        self.metrics.cap_height
    }

    /// x-height in font units.
    pub fn x_height(&self) -> i16 {
        self.metrics.x_height
    }

    /// Glyph the font's character map gives for `c`, if any (never `.notdef`).
    pub fn glyph_index(&self, c: char) -> Option<u16> {
        self.cmap.get(&c).copied()
    }

    /// Whether the font can draw `c` itself (decides font fallback).
    pub fn has_char(&self, c: char) -> bool {
        self.cmap.contains_key(&c)
    }

    /// Number of glyphs in the font.
    pub fn glyph_count(&self) -> usize {
        self.advances.len()
    }

    /// Horizontal advance of a glyph in font units, for the PDF `W` array.
    pub fn glyph_advance(&self, glyph_id: u16) -> Option<u16> {
        self.advances.get(usize::from(glyph_id)).copied()
    }

    /// Whether the font declares itself fixed-pitch (code fonts).
    pub fn is_monospaced(&self) -> bool {
        self.monospaced
    }

    /// Whether the licence bits (`OS/2.fsType`) allow embedding it in a PDF;
    /// a restricted font must not be embedded, so the writer refuses it.
    pub fn is_embeddable(&self) -> bool {
        self.embeddable
    }
}

/// The four styles of a typeface, any of which may be missing (a heading
/// family may have no italics).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Family {
    /// Upright, normal weight.
    pub regular: Option<FontId>,
    /// Italic, normal weight.
    pub italic: Option<FontId>,
    /// Upright, bold.
    pub bold: Option<FontId>,
    /// Italic, bold.
    pub bold_italic: Option<FontId>,
}

impl Family {
    /// The face for a style, falling back to the nearest style the family has
    /// so text is never dropped for lack of, say, a bold italic: the requested
    /// weight is kept before the requested slant (bold italic → bold →
    /// italic → regular), since weight changes the colour of the page more.
    pub fn select(&self, bold: bool, italic: bool) -> Option<FontId> {
        let order = match (bold, italic) {
            (true, true) => [self.bold_italic, self.bold, self.italic, self.regular],
            (true, false) => [self.bold, self.regular, self.bold_italic, self.italic],
            (false, true) => [self.italic, self.regular, self.bold_italic, self.bold],
            (false, false) => [self.regular, self.italic, self.bold, self.bold_italic],
        };
        order.into_iter().flatten().next()
    }

    /// Whether the family has exactly this style (so the caller can warn that
    /// a substitute is used).
    pub fn has_exact(&self, bold: bool, italic: bool) -> bool {
        match (bold, italic) {
            (true, true) => self.bold_italic.is_some(),
            (true, false) => self.bold.is_some(),
            (false, true) => self.italic.is_some(),
            (false, false) => self.regular.is_some(),
        }
    }
}

/// Every font of a book, with families and lookups.
#[derive(Debug, Clone, Default)]
pub struct FontBook {
    fonts: Vec<Font>,
    families: Vec<(String, Family)>,
}

impl FontBook {
    /// An empty book.
    pub fn new() -> FontBook {
        FontBook::default()
    }

    /// Loads a font file (face 0). The error names the file and the reason,
    /// ready to show to the author.
    pub fn load_file(&mut self, path: impl AsRef<Path>) -> Result<FontId, String> {
        let path = path.as_ref();
        let source = path.display().to_string();
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read font file {source}: {e}"))?;
        self.load_bytes(&source, bytes, 0)
    }

    /// Loads a font from memory; `source` names it in error messages and
    /// `face_index` picks a face of a collection (0 otherwise).
    pub fn load_bytes(
        &mut self,
        source: &str,
        bytes: Vec<u8>,
        face_index: u32,
    ) -> Result<FontId, String> {
        let id = u16::try_from(self.fonts.len())
            .map(FontId)
            .map_err(|_| format!("cannot load font {source}: too many fonts"))?;
        let font = parse_font(source, Arc::new(bytes), face_index)?;
        self.fonts.push(font);
        Ok(id)
    }

    /// Loads face `face_index` of a file whose bytes are already shared
    /// with other faces (the faces of one collection file are read once).
    pub fn load_shared(
        &mut self,
        source: &str,
        bytes: Arc<Vec<u8>>,
        face_index: u32,
    ) -> Result<FontId, String> {
        let id = u16::try_from(self.fonts.len())
            .map(FontId)
            .map_err(|_| format!("cannot load font {source}: too many fonts"))?;
        let font = parse_font(source, bytes, face_index)?;
        self.fonts.push(font);
        Ok(id)
    }

    /// The loaded font behind an id, or `None` for an id from another book.
    pub fn font(&self, id: FontId) -> Option<&Font> {
        self.fonts.get(usize::from(id.0))
    }

    /// Number of fonts loaded.
    pub fn len(&self) -> usize {
        self.fonts.len()
    }

    /// Whether no font is loaded.
    pub fn is_empty(&self) -> bool {
        self.fonts.is_empty()
    }

    /// All ids in load order, e.g. for embedding every used font.
    pub fn ids(&self) -> impl Iterator<Item = FontId> + '_ {
        (0..self.fonts.len()).filter_map(|i| u16::try_from(i).ok().map(FontId))
    }

    /// Whether font `id` has `c` (false for an unknown id).
    pub fn has_char(&self, id: FontId, c: char) -> bool {
        self.font(id).is_some_and(|f| f.has_char(c))
    }

    /// Glyph of `c` in font `id`, if both exist.
    pub fn glyph_index(&self, id: FontId, c: char) -> Option<u16> {
        self.font(id).and_then(|f| f.glyph_index(c))
    }

    /// The first font of `primary` then `fallbacks` that has `c`, or `None`
    /// when none has it (the caller reports the character as missing).
    pub fn font_for_char(&self, primary: FontId, fallbacks: &[FontId], c: char) -> Option<FontId> {
        std::iter::once(&primary)
            .chain(fallbacks)
            .copied()
            .find(|&id| self.has_char(id, c))
    }

    /// Registers (or replaces) a family under a name such as `"body"` or
    /// `"EB Garamond"`. Names compare case-insensitively.
    pub fn set_family(&mut self, name: &str, family: Family) {
        match self
            .families
            .iter_mut()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
        {
            Some((_, slot)) => *slot = family,
            None => self.families.push((name.to_string(), family)),
        }
    }

    /// The family registered under `name`.
    pub fn family(&self, name: &str) -> Option<&Family> {
        self.families
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map(|(_, family)| family)
    }

    /// The face for a style of a family, with the fallbacks of
    /// [`Family::select`]; `None` if the family is unknown or empty.
    pub fn face(&self, family: &str, bold: bool, italic: bool) -> Option<FontId> {
        self.family(family).and_then(|f| f.select(bold, italic))
    }
}

/// Parses everything layout needs from a font file, or says why it cannot.
fn parse_font(source: &str, data: Arc<Vec<u8>>, face_index: u32) -> Result<Font, String> {
    let face = ttf_parser::Face::parse(&data, face_index)
        .map_err(|e| format!("cannot load font {source}: {e}"))?;
    // The shaper re-parses with rustybuzz; check now so shaping cannot fail.
    if rustybuzz::Face::from_slice(&data, face_index).is_none() {
        return Err(format!("cannot load font {source}: rejected by the shaper"));
    }
    let cmap = super::cmap::unicode_cmap(&face)
        .map_err(|why| format!("cannot load font {source}: {why}"))?;
    if cmap.is_empty() {
        return Err(format!(
            "cannot load font {source}: it has no Unicode character map"
        ));
    }
    let advances = (0..face.number_of_glyphs())
        .map(|g| face.glyph_hor_advance(GlyphId(g)).unwrap_or(0))
        .collect();
    let postscript_name =
        find_name(&face, name_id::POST_SCRIPT_NAME).unwrap_or_else(|| fallback_ps_name(source));
    let family_name = find_name(&face, name_id::TYPOGRAPHIC_FAMILY)
        .or_else(|| find_name(&face, name_id::FAMILY))
        .unwrap_or_else(|| postscript_name.clone());
    let embeddable = !matches!(
        face.permissions(),
        Some(ttf_parser::Permissions::Restricted)
    );
    Ok(Font {
        source: source.to_string(),
        metrics: read_metrics(&face),
        face_index,
        postscript_name,
        family_name,
        cmap,
        advances,
        monospaced: face.is_monospaced(),
        embeddable,
        data,
    })
}

fn read_metrics(face: &ttf_parser::Face) -> FontMetrics {
    let upem = face.units_per_em();
    let measured = |c: char| {
        face.glyph_index(c)
            .and_then(|g| face.glyph_bounding_box(g))
            .map(|r| r.y_max)
            .filter(|&h| h > 0)
    };
    let share = |fraction: f32| (f32::from(upem) * fraction).round() as i16;
    let cap_height = face
        .capital_height()
        .filter(|&h| h > 0)
        .or_else(|| measured('H'))
        .unwrap_or_else(|| share(0.7));
    let x_height = face
        .x_height()
        .filter(|&h| h > 0)
        .or_else(|| measured('x'))
        .unwrap_or_else(|| share(0.5));
    let bbox = face.global_bounding_box();
    FontMetrics {
        units_per_em: upem,
        ascender: face.ascender(),
        descender: face.descender(),
        line_gap: face.line_gap(),
        cap_height,
        x_height,
        italic_angle: face.italic_angle(),
        bbox: [bbox.x_min, bbox.y_min, bbox.x_max, bbox.y_max],
    }
}

/// A name-table entry decoded from any Unicode record.
fn find_name(face: &ttf_parser::Face, id: u16) -> Option<String> {
    face.names()
        .into_iter()
        .filter(|n| n.name_id == id && n.is_unicode())
        .find_map(|n| n.to_string())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// A PostScript-safe name from the file name, for fonts without name ID 6
/// (PDF `BaseFont` must have no spaces or delimiters).
fn fallback_ps_name(source: &str) -> String {
    let stem = Path::new(source)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name: String = stem
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if name.is_empty() {
        "UnnamedFont".to_string()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn font_path(rel: &str) -> String {
        format!("{}/fonts/{rel}", env!("CARGO_MANIFEST_DIR"))
    }

    fn load(book: &mut FontBook, rel: &str) -> FontId {
        match book.load_file(font_path(rel)) {
            Ok(id) => id,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn loads_vendored_fonts_with_metrics() {
        let mut book = FontBook::new();
        let garamond = load(&mut book, "eb-garamond/EBGaramond-Regular.ttf");
        let emoji = load(&mut book, "noto-emoji/NotoEmoji-Regular.ttf");
        let mono = load(&mut book, "jetbrains-mono/JetBrainsMono-Regular.ttf");
        let g = book.font(garamond).unwrap();
        assert_eq!(g.units_per_em(), 1000);
        assert_eq!(g.postscript_name(), "EBGaramond-Regular");
        assert!(g.ascender() > 0 && g.descender() < 0);
        assert!(g.x_height() > 300 && g.x_height() < 500, "{}", g.x_height());
        assert!(g.cap_height() > g.x_height());
        assert!(g.is_embeddable());
        assert!(g.has_char('é') && g.has_char('→') && !g.has_char('📝'));
        assert!(g.glyph_index('A').is_some());
        assert!(g.glyph_advance(g.glyph_index('A').unwrap()).unwrap() > 0);
        assert_eq!(book.font(emoji).unwrap().units_per_em(), 2048);
        assert!(book.font(mono).unwrap().is_monospaced());
        assert_eq!(book.len(), 3);
        assert!(format!("{book:?}").len() < 2000);
        assert_eq!(book.ids().count(), 3);
    }

    #[test]
    fn fallback_chain_finds_the_first_font_with_the_char() {
        let mut book = FontBook::new();
        let garamond = load(&mut book, "eb-garamond/EBGaramond-Regular.ttf");
        let dejavu = load(&mut book, "dejavu/DejaVuSans.ttf");
        let emoji = load(&mut book, "noto-emoji/NotoEmoji-Regular.ttf");
        let chain = [dejavu, emoji];
        assert_eq!(book.font_for_char(garamond, &chain, 'a'), Some(garamond));
        assert_eq!(book.font_for_char(garamond, &chain, '✓'), Some(dejavu));
        assert_eq!(book.font_for_char(garamond, &chain, '📝'), Some(emoji));
        assert_eq!(book.font_for_char(garamond, &chain, '\u{E000}'), None);
        assert_eq!(book.font_for_char(FontId(99), &[], 'a'), None);
    }

    #[test]
    fn family_styles_fall_back() {
        let heading = Family {
            regular: Some(FontId(0)),
            bold: Some(FontId(1)),
            ..Family::default()
        };
        assert_eq!(heading.select(true, true), Some(FontId(1)));
        assert_eq!(heading.select(false, true), Some(FontId(0)));
        assert!(!heading.has_exact(false, true));
        let mut book = FontBook::new();
        book.set_family("Heading", heading);
        assert_eq!(book.face("heading", true, false), Some(FontId(1)));
        assert_eq!(book.face("body", false, false), None);
        assert_eq!(Family::default().select(true, true), None);
        let italic_only = Family {
            italic: Some(FontId(3)),
            ..Family::default()
        };
        assert_eq!(italic_only.select(true, false), Some(FontId(3)));
    }

    #[test]
    fn load_errors_name_the_file() {
        let mut book = FontBook::new();
        let err = book.load_file("/nonexistent/Missing.ttf").unwrap_err();
        assert!(err.contains("/nonexistent/Missing.ttf"), "{err}");
        let err = book
            .load_bytes("garbage.ttf", b"not a font at all".to_vec(), 0)
            .unwrap_err();
        assert!(err.contains("garbage.ttf"), "{err}");
        let err = book.load_bytes("empty.ttf", Vec::new(), 0).unwrap_err();
        assert!(err.contains("empty.ttf"), "{err}");
        assert!(book.is_empty());
    }
}
