//! Font embedding: one Type0 font (Identity-H) per [`FontData`] actually used.
//!
//! Layout hands us already-shaped glyph ids, so the PDF font is addressed by
//! glyph, not by character: each used font becomes a Type0 font whose
//! descendant is a CIDFontType2 (TrueType outlines, `FontFile2`) or a
//! CIDFontType0 (CFF outlines, `FontFile3 /CIDFontType0C`). The font program
//! is **subset** once, at the end, to the union of the glyphs used anywhere
//! in the book; the subsetter renumbers glyphs, and the content streams write
//! those new numbers as CIDs (CIDToGIDMap Identity). Widths come from the
//! original font's advances, and a ToUnicode CMap, built from the text each
//! glyph stands for, makes copy-paste and search work (a ligature maps back
//! to all its characters).
//!
//! Each font file is parsed once ([`ttf_parser::Face`] is kept for the whole
//! write), and its advance widths are read once into a table, so text
//! encoding costs one array lookup per glyph.

use std::sync::Arc;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Ref, Str};
use subsetter::GlyphRemapper;
use ttf_parser::{Face, GlyphId, Tag};

use super::{WriteError, deflate, hash128};
use crate::pdf::layout::frame::{FontData, GlyphRun, Item, Page};

/// CID system info for Identity-H fonts: CIDs are glyph numbers, not an Adobe
/// character collection.
const SYSTEM_INFO: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// Longest text one glyph may map to in the ToUnicode CMap (the CMap format
/// allows 512 bytes of UTF-16 per entry).
const MAX_GLYPH_TEXT_CHARS: usize = 64;

/// Name of font `index` in page resource dictionaries (`/F0`, `/F1`…).
///
/// Derived from the index alone so every page uses the same name for the same
/// font.
pub(crate) fn resource_name(index: u16) -> String {
    format!("F{index}")
}

/// All fonts of a document: parsed faces, used glyphs, and (after
/// [`FontSet::write`]) how glyph ids map to CIDs.
pub(crate) struct FontSet<'a> {
    data: &'a [Arc<FontData>],
    states: Vec<Option<FontState<'a>>>,
}

/// One used font.
struct FontState<'a> {
    face: Face<'a>,
    /// Advance width per glyph id, in 1/1000 em, rounded to 1/1000 unit. The
    /// same numbers go into `/W` and into the TJ pen arithmetic, so what the
    /// viewer computes matches what we computed.
    widths: Vec<f32>,
    /// Whether each glyph id occurs in the document.
    used: Vec<bool>,
    /// The first non-empty text seen for each glyph id (ToUnicode source).
    text: Vec<Option<Box<str>>>,
    /// Warned about an out-of-range glyph id already.
    warned_bad_glyph: bool,
    /// Filled in by [`FontSet::write`].
    embedded: Option<Embedded>,
}

/// What a stretch of pages uses of one font ([`FontSet::record_pages`]).
struct Uses {
    /// Glyph ids used, a bit each.
    used: Vec<u64>,
    /// Glyph ids with a text in `texts`, a bit each.
    has_text: Vec<u64>,
    /// Each glyph's first non-empty text in the stretch.
    texts: Vec<(u16, Box<str>)>,
    /// The first out-of-range glyph id, and its page.
    bad: Option<(usize, u16)>,
}

/// How a written font is referenced.
struct Embedded {
    type0: Ref,
    cids: CidMap,
}

/// Glyph id → CID in the written font.
enum CidMap {
    /// The font was subset; CIDs are the subsetter's new glyph ids.
    Subset(GlyphRemapper),
    /// The whole font was embedded (subsetting failed); CID = glyph id.
    Identity,
}

impl<'a> FontSet<'a> {
    /// Starts with no font parsed; fonts are parsed when first used.
    pub fn new(data: &'a [Arc<FontData>]) -> Self {
        Self {
            data,
            states: (0..data.len()).map(|_| None).collect(),
        }
    }

    /// Checks `run`'s font and parses it at its first use (pass 1); the
    /// glyphs are recorded afterwards, for every page at once
    /// ([`FontSet::record_pages`]). An unknown font index or an unparsable
    /// font is an error.
    pub fn prepare_run(
        &mut self,
        page: usize,
        run: &GlyphRun,
        warnings: &mut Vec<String>,
    ) -> Result<(), WriteError> {
        let fi = run.font.0;
        let data = self.data.get(fi as usize).ok_or(WriteError::MissingFont {
            page,
            font: fi,
            available: self.data.len(),
        })?;
        if !super::text::is_drawable(run) {
            return Ok(());
        }
        let slot = &mut self.states[fi as usize];
        if slot.is_none() {
            *slot = Some(FontState::parse(fi, data, warnings)?);
        }
        Ok(())
    }

    /// Records the glyphs of one run ([`FontSet::prepare_run`] first) and
    /// the text each stands for.
    #[cfg(test)]
    pub fn record_run(
        &mut self,
        page: usize,
        run: &GlyphRun,
        warnings: &mut Vec<String>,
    ) -> Result<(), WriteError> {
        self.prepare_run(page, run, warnings)?;
        let mut uses = self.uses();
        self.note_run(page, run, &mut uses);
        self.merge(uses, warnings);
        Ok(())
    }

    /// Records the glyphs of every page's runs (pass 1, after
    /// [`FontSet::prepare_run`] for each) and the text each stands for:
    /// stretches of pages on several threads, merged in page order, so the
    /// result (each glyph's first text in the book) is the serial one.
    /// Out-of-range glyph ids are reported once per font and drawn as
    /// `.notdef`.
    pub fn record_pages(&mut self, pages: &[Page], warnings: &mut Vec<String>) {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        // Below a few dozen pages a thread costs more than it saves.
        let size = pages.len().div_ceil(threads.clamp(1, 4)).max(64);
        let stretches: Vec<&[Page]> = pages.chunks(size).collect();
        let this = &*self;
        let all = crate::threads::parallel_map(&stretches, 1, |k, stretch| {
            let mut uses = this.uses();
            for (i, page) in stretch.iter().enumerate() {
                for item in &page.items {
                    if let Item::Glyphs(run) = item {
                        this.note_run(k * size + i, run, &mut uses);
                    }
                }
            }
            uses
        });
        for uses in all {
            self.merge(uses, warnings);
        }
    }

    /// An empty record of glyph use for each parsed font.
    fn uses(&self) -> Vec<Option<Uses>> {
        self.states
            .iter()
            .map(|s| {
                s.as_ref().map(|s| Uses {
                    used: vec![0; s.used.len().div_ceil(64)],
                    has_text: vec![0; s.used.len().div_ceil(64)],
                    texts: Vec::new(),
                    bad: None,
                })
            })
            .collect()
    }

    /// Notes the glyphs `run` uses on page `page` in `uses`.
    fn note_run(&self, page: usize, run: &GlyphRun, uses: &mut [Option<Uses>]) {
        if !super::text::is_drawable(run) {
            return;
        }
        let fi = run.font.0 as usize;
        let (Some(Some(state)), Some(Some(u))) = (self.states.get(fi), uses.get_mut(fi)) else {
            return;
        };
        let n = state.used.len();
        for g in run.glyphs.iter() {
            let gid = g.id as usize;
            if gid >= n {
                u.bad.get_or_insert((page, g.id));
                u.used[0] |= 1;
                continue;
            }
            let (word, bit) = (gid / 64, 1u64 << (gid % 64));
            u.used[word] |= bit;
            // .notdef stands for "no glyph"; mapping it to whichever missing
            // character came first would make copy-paste lie.
            if gid != 0 && u.has_text[word] & bit == 0 {
                if let Some(t) = run.text.get(g.text_start as usize..g.text_end as usize) {
                    if !t.is_empty() {
                        let t: String = t.chars().take(MAX_GLYPH_TEXT_CHARS).collect();
                        u.texts.push((g.id, t.into_boxed_str()));
                        u.has_text[word] |= bit;
                    }
                }
            }
        }
    }

    /// Adds a stretch's glyph use to the fonts' (stretches in page order).
    fn merge(&mut self, uses: Vec<Option<Uses>>, warnings: &mut Vec<String>) {
        for (fi, (slot, u)) in self.states.iter_mut().zip(uses).enumerate() {
            let (Some(state), Some(u)) = (slot.as_mut(), u) else {
                continue;
            };
            for (w, &word) in u.used.iter().enumerate() {
                let mut word = word;
                while word != 0 {
                    let gid = w * 64 + word.trailing_zeros() as usize;
                    if let Some(used) = state.used.get_mut(gid) {
                        *used = true;
                    }
                    word &= word - 1;
                }
            }
            for (gid, text) in u.texts {
                if let Some(slot @ None) = state.text.get_mut(gid as usize) {
                    *slot = Some(text);
                }
            }
            if let Some((page, gid)) = u.bad {
                if !state.warned_bad_glyph {
                    state.warned_bad_glyph = true;
                    warnings.push(format!(
                        "page {}: glyph id {gid} does not exist in font #{fi} ({}, {} glyphs); drawn as .notdef",
                        page + 1,
                        self.data
                            .get(fi)
                            .map_or("?", |d| d.postscript_name.as_str()),
                        state.used.len()
                    ));
                }
            }
        }
    }

    /// The CID to write for glyph `gid` of font `font`, and its advance in
    /// 1/1000 em. Unknown glyphs give CID 0 (`.notdef`).
    pub fn glyph(&self, font: u16, gid: u16) -> (u16, f32) {
        let Some(Some(state)) = self.states.get(font as usize) else {
            return (0, 0.0);
        };
        let gid = if (gid as usize) < state.widths.len() {
            gid
        } else {
            0
        };
        let width = state.widths.get(gid as usize).copied().unwrap_or(0.0);
        let cid = match state.embedded.as_ref().map(|e| &e.cids) {
            Some(CidMap::Subset(r)) => r.get(gid).unwrap_or(0),
            Some(CidMap::Identity) | None => gid,
        };
        (cid, width)
    }

    /// Everything [`FontSet::glyph`] and [`FontSet::type0_ref`] answer
    /// that a page's content depends on, hashed into `h`: per font, whether
    /// it is embedded and each used glyph's CID (a subset renumbers its
    /// glyphs, so a glyph new to the book changes other glyphs' CIDs). The
    /// advances come from the font alone. Called after [`FontSet::write`].
    pub fn hash_cids(&self, h: &mut impl std::hash::Hasher) {
        for (i, slot) in self.states.iter().enumerate() {
            let Some(state) = slot else { continue };
            h.write_usize(i);
            h.write_u8(u8::from(state.embedded.is_some()));
            for (gid, _) in state.used.iter().enumerate().filter(|(_, used)| **used) {
                let gid = u16::try_from(gid).unwrap_or(u16::MAX);
                h.write_u16(gid);
                h.write_u16(self.glyph(i as u16, gid).0);
            }
        }
    }

    /// The Type0 font object of font `font`, once written.
    pub fn type0_ref(&self, font: u16) -> Option<Ref> {
        self.states
            .get(font as usize)?
            .as_ref()?
            .embedded
            .as_ref()
            .map(|e| e.type0)
    }

    /// Subsets and writes every used font (pass 2, before the pages).
    pub fn write(
        &mut self,
        pdf: &mut Pdf,
        refs: &mut Ref,
        warnings: &mut Vec<String>,
    ) -> Result<(), WriteError> {
        for (i, slot) in self.states.iter_mut().enumerate() {
            if let Some(state) = slot.as_mut() {
                let data = &self.data[i];
                state.embedded = Some(write_font(i as u16, data, state, pdf, refs, warnings)?);
            }
        }
        Ok(())
    }
}

impl<'a> FontState<'a> {
    /// Parses the face and reads its advance widths once.
    fn parse(fi: u16, data: &'a FontData, warnings: &mut Vec<String>) -> Result<Self, WriteError> {
        let face = Face::parse(&data.bytes, data.index).map_err(|e| WriteError::Font {
            font: fi,
            name: data.postscript_name.clone(),
            reason: format!("cannot parse font file: {e}"),
        })?;
        let upem = f32::from(face.units_per_em().max(1));
        let n = face.number_of_glyphs().max(1) as usize;
        let widths = (0..n)
            .map(|g| {
                let adv = face.glyph_hor_advance(GlyphId(g as u16)).unwrap_or(0);
                round3(f32::from(adv) * 1000.0 / upem)
            })
            .collect();
        if matches!(
            face.permissions(),
            Some(ttf_parser::Permissions::Restricted)
        ) {
            warnings.push(format!(
                "font #{fi} ({}) declares restricted-licence embedding (OS/2 fsType); embedded anyway",
                data.postscript_name
            ));
        }
        Ok(Self {
            face,
            widths,
            used: vec![false; n],
            text: vec![None; n],
            warned_bad_glyph: false,
            embedded: None,
        })
    }
}

/// Whether a font file can be embedded the way [`write_font`] embeds it:
/// subset (a subset of glyph 0 stands in for the glyphs a book uses), or
/// whole where subsetting fails and that is allowed. Run when the font is
/// loaded, so `folio check` and the start of a build refuse it, not the end.
pub(crate) fn check_embeddable(bytes: &[u8], index: u32) -> Result<(), String> {
    let raw = ttf_parser::RawFace::parse(bytes, index)
        .map_err(|e| format!("cannot parse font file: {e}"))?;
    let is_cff = raw.table(Tag::from_bytes(b"CFF ")).is_some();
    let is_cff2 = raw.table(Tag::from_bytes(b"CFF2")).is_some();
    let remapper = GlyphRemapper::new_from_glyphs_sorted(&[0]);
    let subset = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        subsetter::subset(bytes, index, &remapper)
    }))
    .unwrap_or(Err(subsetter::Error::SubsetError));
    match subset {
        Ok(sub) if is_cff => {
            let face = ttf_parser::RawFace::parse(&sub, 0)
                .map_err(|e| format!("its subset is unreadable: {e}"))?;
            face.table(Tag::from_bytes(b"CFF "))
                .map(drop)
                .ok_or_else(|| "its subset has no CFF table".to_owned())
        }
        Ok(_) => Ok(()),
        Err(e) if is_cff2 => Err(format!("CFF2 outlines cannot be embedded in PDF 1.7 ({e})")),
        Err(e) if bytes.starts_with(b"ttcf") => Err(format!(
            "subsetting failed ({e}) and a font collection cannot be embedded whole"
        )),
        Err(_) => Ok(()),
    }
}

/// Rounds to three decimals (keeps `/W` short and exactly reproducible).
fn round3(v: f32) -> f32 {
    (v * 1000.0).round() / 1000.0
}

/// Writes one font: Type0 → CIDFont → FontDescriptor → font program, plus
/// the ToUnicode CMap.
fn write_font(
    fi: u16,
    data: &FontData,
    state: &FontState<'_>,
    pdf: &mut Pdf,
    refs: &mut Ref,
    warnings: &mut Vec<String>,
) -> Result<Embedded, WriteError> {
    let font_err = |reason: String| WriteError::Font {
        font: fi,
        name: data.postscript_name.clone(),
        reason,
    };
    let raw = state.face.raw_face();
    let is_cff = raw.table(Tag::from_bytes(b"CFF ")).is_some();
    let is_cff2 = raw.table(Tag::from_bytes(b"CFF2")).is_some();

    // .notdef (0) is always part of a subset.
    let mut glyphs: Vec<u16> = vec![0];
    glyphs.extend(
        (1..state.used.len())
            .filter(|&g| state.used[g])
            .map(|g| g as u16),
    );
    let remapper = GlyphRemapper::new_from_glyphs_sorted(&glyphs);

    let ps_name = sanitize_ps_name(&data.postscript_name, fi);
    // The subsetter parses untrusted font data: treat a panic in it like any
    // other subsetting failure (whole-font fallback below).
    let subset = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        subsetter::subset(&data.bytes, data.index, &remapper)
    }))
    .unwrap_or(Err(subsetter::Error::SubsetError));
    let (program, cids, base_font) = match subset {
        Ok(sub) => {
            let program = if is_cff {
                // PDF wants the bare (CID-keyed) CFF table for CIDFontType0C.
                let face = ttf_parser::RawFace::parse(&sub, 0)
                    .map_err(|e| font_err(format!("subset font is unreadable: {e}")))?;
                face.table(Tag::from_bytes(b"CFF "))
                    .ok_or_else(|| font_err("subset font has no CFF table".into()))?
                    .to_vec()
            } else {
                sub
            };
            let tag = subset_tag(&ps_name, &glyphs);
            (
                program,
                CidMap::Subset(remapper),
                format!("{tag}+{ps_name}"),
            )
        }
        Err(e) => {
            if is_cff2 {
                return Err(font_err(format!(
                    "CFF2 outlines cannot be embedded in PDF 1.7 ({e})"
                )));
            }
            if data.bytes.starts_with(b"ttcf") {
                return Err(font_err(format!(
                    "subsetting failed ({e}) and a font collection cannot be embedded whole"
                )));
            }
            // Whole font, CID = glyph id. (For a CID-keyed CFF font viewers
            // may look CIDs up through the font's charset instead; subsetting
            // normally succeeds for those, so this path is TrueType in practice.)
            warnings.push(format!(
                "font #{fi} ({}) could not be subset ({e}); embedding the whole font",
                data.postscript_name
            ));
            (data.bytes.to_vec(), CidMap::Identity, ps_name.clone())
        }
    };
    let full_font = matches!(cids, CidMap::Identity);

    let type0_ref = refs.bump();
    let cid_ref = refs.bump();
    let descriptor_ref = refs.bump();
    let cmap_ref = refs.bump();
    let program_ref = refs.bump();

    let type0_name = if is_cff {
        format!("{base_font}-Identity-H")
    } else {
        base_font.clone()
    };
    pdf.type0_font(type0_ref)
        .base_font(Name(type0_name.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_ref)
        .to_unicode(cmap_ref);

    // CID → glyph (original id), in CID order.
    let cid_of = |g: u16| match &cids {
        CidMap::Subset(r) => r.get(g).unwrap_or(0),
        CidMap::Identity => g,
    };
    let mut by_cid: Vec<(u16, u16)> = glyphs.iter().map(|&g| (cid_of(g), g)).collect();
    by_cid.sort_unstable();
    by_cid.dedup_by_key(|e| e.0);

    let mut cid = pdf.cid_font(cid_ref);
    cid.subtype(if is_cff {
        CidFontType::Type0
    } else {
        CidFontType::Type2
    });
    cid.base_font(Name(base_font.as_bytes()));
    cid.system_info(SYSTEM_INFO);
    cid.font_descriptor(descriptor_ref);
    cid.default_width(0.0);
    if !is_cff {
        cid.cid_to_gid_map_predefined(Name(b"Identity"));
    }
    {
        let mut w = cid.widths();
        let mut i = 0;
        while i < by_cid.len() {
            let start = i;
            while i + 1 < by_cid.len() && u32::from(by_cid[i + 1].0) == u32::from(by_cid[i].0) + 1 {
                i += 1;
            }
            i += 1;
            let run = &by_cid[start..i];
            w.consecutive(run[0].0, run.iter().map(|&(_, g)| state.widths[g as usize]));
        }
    }
    cid.finish();

    write_descriptor(
        pdf,
        descriptor_ref,
        program_ref,
        &base_font,
        &state.face,
        is_cff,
        &ps_name,
    );

    let mut cmap = UnicodeCmap::new(Name(b"Custom"), SYSTEM_INFO);
    for &(c, g) in &by_cid {
        if let Some(text) = &state.text[g as usize] {
            cmap.pair_with_multiple(c, text.chars());
        }
    }
    let cmap = cmap.finish();
    let cmap = deflate(&cmap);
    pdf.cmap(cmap_ref, &cmap).filter(Filter::FlateDecode);

    let compressed = deflate(&program);
    let mut stream = pdf.stream(program_ref, &compressed);
    stream.filter(Filter::FlateDecode);
    if is_cff {
        let subtype: &[u8] = if full_font {
            b"OpenType"
        } else {
            b"CIDFontType0C"
        };
        stream.pair(Name(b"Subtype"), Name(subtype));
    } else {
        stream.pair(Name(b"Length1"), program.len() as i32);
    }
    stream.finish();

    Ok(Embedded {
        type0: type0_ref,
        cids,
    })
}

/// Writes the FontDescriptor: the metrics a viewer needs if it ever has to
/// substitute the font, and the link to the embedded program.
fn write_descriptor(
    pdf: &mut Pdf,
    id: Ref,
    program: Ref,
    base_font: &str,
    face: &Face<'_>,
    is_cff: bool,
    ps_name: &str,
) {
    let upem = f32::from(face.units_per_em().max(1));
    let em = |v: i16| round3(f32::from(v) * 1000.0 / upem);
    let bbox = face.global_bounding_box();
    let ascent = em(face.typographic_ascender().unwrap_or(face.ascender()));
    let descent = em(face.typographic_descender().unwrap_or(face.descender()));
    let cap_height = face
        .capital_height()
        .filter(|&h| h > 0)
        .map(em)
        .unwrap_or(ascent);
    let stem_v = round3(10.0 + 0.244 * (f32::from(face.weight().to_number()) - 50.0));

    let mut d = pdf.font_descriptor(id);
    d.name(Name(base_font.as_bytes()))
        .flags(font_flags(face, ps_name))
        .bbox(pdf_writer::Rect::new(
            em(bbox.x_min),
            em(bbox.y_min),
            em(bbox.x_max),
            em(bbox.y_max),
        ))
        .italic_angle(super::fin(face.italic_angle()))
        .ascent(ascent)
        .descent(descent)
        .cap_height(cap_height)
        .stem_v(stem_v);
    if let Some(xh) = face.x_height().filter(|&h| h > 0) {
        d.x_height(em(xh));
    }
    d.weight(face.weight().to_number().clamp(100, 900));
    if is_cff {
        d.font_file3(program);
    } else {
        d.font_file2(program);
    }
    d.finish();
}

/// FontDescriptor flags: symbolic (glyphs are addressed by CID, not by a
/// standard Latin encoding), plus fixed-pitch, italic, script and serif as
/// far as the font tells: OS/2 `sFamilyClass`, then PANOSE, then the name.
/// Viewers use these only to pick a substitute if the embedded font fails.
fn font_flags(face: &Face<'_>, ps_name: &str) -> FontFlags {
    let mut flags = FontFlags::SYMBOLIC;
    flags.set(FontFlags::FIXED_PITCH, face.is_monospaced());
    flags.set(
        FontFlags::ITALIC,
        face.is_italic() || face.italic_angle() != 0.0,
    );
    let os2 = face
        .raw_face()
        .table(Tag::from_bytes(b"OS/2"))
        .unwrap_or_default();
    let class = os2.get(30).copied().unwrap_or(0);
    let (panose_kind, panose_serif) = (
        os2.get(32).copied().unwrap_or(0),
        os2.get(33).copied().unwrap_or(0),
    );
    let serif = match (class, panose_kind, panose_serif) {
        (1..=7, _, _) => true,
        (8, _, _) => false,
        (_, 2, 2..=10) => true,
        (_, 2, 11..=13) => false,
        _ => {
            const SERIF_NAMES: [&str; 11] = [
                "Serif",
                "Garamond",
                "Times",
                "Roman",
                "Georgia",
                "Baskerville",
                "Caslon",
                "Palatino",
                "Bodoni",
                "Minion",
                "Libertine",
            ];
            !ps_name.contains("Sans") && SERIF_NAMES.iter().any(|n| ps_name.contains(n))
        }
    };
    flags.set(FontFlags::SERIF, serif);
    flags.set(FontFlags::SCRIPT, class == 10 || (panose_kind == 3));
    flags
}

/// Keeps a PostScript name to the characters PDF font names allow without
/// escaping (printable ASCII minus delimiters), so `BaseFont` is readable in
/// every tool. Empty names become `Font<index>`.
fn sanitize_ps_name(name: &str, index: u16) -> String {
    let s: String = name
        .chars()
        .filter(|c| c.is_ascii_graphic() && !"()<>[]{}/%#".contains(*c))
        .take(100)
        .collect();
    if s.is_empty() {
        format!("Font{index}")
    } else {
        s
    }
}

/// The six-uppercase-letter subset tag (`ABCDEF+`): a hash of the font name
/// and the glyph set, so the same subset always gets the same tag and
/// different subsets (almost always) get different ones.
fn subset_tag(ps_name: &str, glyphs: &[u16]) -> String {
    let glyph_bytes: Vec<u8> = glyphs.iter().flat_map(|g| g.to_be_bytes()).collect();
    let mut n = u128::from_le_bytes(hash128(&[ps_name.as_bytes(), &glyph_bytes]));
    (0..6)
        .map(|_| {
            let c = (b'A' + (n % 26) as u8) as char;
            n /= 26;
            c
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_tag_is_six_uppercase_letters_and_deterministic() {
        let a = subset_tag("EBGaramond-Regular", &[0, 3, 7]);
        assert_eq!(a.len(), 6);
        assert!(a.bytes().all(|b| b.is_ascii_uppercase()));
        assert_eq!(a, subset_tag("EBGaramond-Regular", &[0, 3, 7]));
        assert_ne!(a, subset_tag("EBGaramond-Regular", &[0, 3, 8]));
    }

    #[test]
    fn ps_names_are_sanitised() {
        assert_eq!(sanitize_ps_name("EB Garamond (Reg)", 0), "EBGaramondReg");
        assert_eq!(sanitize_ps_name("", 3), "Font3");
    }

    #[test]
    fn unparsable_font_is_an_error() {
        let fonts = vec![Arc::new(FontData {
            bytes: Arc::new(b"not a font".to_vec()),
            index: 0,
            postscript_name: "Broken".into(),
        })];
        let mut set = FontSet::new(&fonts);
        let run = GlyphRun {
            font: crate::pdf::layout::frame::FontRef(0),
            size: 10.0,
            color: crate::pdf::layout::frame::Rgb::BLACK,
            x: 0.0,
            y: 0.0,
            glyphs: vec![crate::pdf::layout::frame::Glyph {
                id: 1,
                x: 0.0,
                y_offset: 0.0,
                text_start: 0,
                text_end: 0,
            }]
            .into(),
            text: "".into(),
            lang: None,
        };
        let err = set.record_run(0, &run, &mut vec![]).unwrap_err();
        assert!(err.to_string().contains("Broken"), "{err}");
        let run = GlyphRun {
            font: crate::pdf::layout::frame::FontRef(5),
            ..run
        };
        assert!(matches!(
            set.record_run(0, &run, &mut vec![]),
            Err(WriteError::MissingFont { .. })
        ));
    }

    #[test]
    fn pages_recorded_in_stretches_match_a_serial_record() {
        use crate::pdf::layout::frame::{FontRef, Glyph, Page, Rgb};
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fonts/eb-garamond/EBGaramond-Regular.ttf"
        ))
        .unwrap();
        let fonts = vec![Arc::new(FontData {
            bytes: Arc::new(bytes),
            index: 0,
            postscript_name: "EBGaramond-Regular".into(),
        })];
        let run = |ids: &[u16], text: &str, covered: u32| GlyphRun {
            font: FontRef(0),
            size: 10.0,
            color: Rgb::BLACK,
            x: 0.0,
            y: 0.0,
            glyphs: ids
                .iter()
                .map(|&id| Glyph {
                    id,
                    x: 0.0,
                    y_offset: 0.0,
                    text_start: 0,
                    text_end: covered,
                })
                .collect(),
            text: text.into(),
            lang: None,
        };
        // Glyph 5 has no text at first, then "b" (page 150), then "c"; an
        // id past the font's end on pages 200 and 299.
        let pages: Vec<Page> = (0..300)
            .map(|p| {
                let r = match p {
                    0..150 => run(&[5, 7], "", 0),
                    150 => run(&[5], "b", 1),
                    200 | 299 => run(&[60000, 9], "x", 1),
                    _ => run(&[5, 8], "c", 1),
                };
                Page {
                    width: 400.0,
                    height: 600.0,
                    bleed: 0.0,
                    items: vec![Item::Glyphs(r)],
                }
            })
            .collect();
        let mut serial = FontSet::new(&fonts);
        let mut serial_warnings = Vec::new();
        for (pi, page) in pages.iter().enumerate() {
            for item in &page.items {
                if let Item::Glyphs(r) = item {
                    serial.record_run(pi, r, &mut serial_warnings).unwrap();
                }
            }
        }
        let mut stretched = FontSet::new(&fonts);
        let mut warnings = Vec::new();
        for page in &pages {
            for item in &page.items {
                if let Item::Glyphs(r) = item {
                    stretched.prepare_run(0, r, &mut warnings).unwrap();
                }
            }
        }
        stretched.record_pages(&pages, &mut warnings);
        let (a, b) = (
            serial.states[0].as_ref().unwrap(),
            stretched.states[0].as_ref().unwrap(),
        );
        assert_eq!(a.used, b.used);
        assert_eq!(a.text, b.text);
        assert_eq!(b.text[5].as_deref(), Some("b"));
        assert_eq!(serial_warnings, warnings);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("page 201:"), "{warnings:?}");
    }
}
