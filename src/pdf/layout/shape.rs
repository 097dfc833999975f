//! Turning words into positioned glyphs.
//!
//! The line breaker needs the exact width of every word (with kerning and
//! ligatures applied) and the PDF writer needs the glyphs. [`Shaper`] runs
//! rustybuzz (a port of HarfBuzz) over one word at a time and keeps:
//!
//! * a cache keyed by (text, font, features): a long book has ~200 000 words
//!   but only a few tens of thousands of distinct ones, and shaping is the
//!   expensive step, so each distinct word is shaped once. Hit/miss counters
//!   let a regression test count real shaping calls;
//! * a cache of shape plans per (font, features, direction, script), because
//!   compiling a plan costs more than shaping a short word;
//! * font fallback ([`Shaper::shape_with_fallback`]): a word is split into
//!   runs where the primary font lacks a character (an arrow, an emoji), each
//!   run shaped with the first fallback that has it, and characters no font
//!   has are reported so the author can be told;
//! * the cluster → text mapping ([`ShapedRun::clusters`]): ligatures such as
//!   EB Garamond's `f_i` have no character-map entry, so the PDF writer needs
//!   to know which text each glyph stands for to emit `ToUnicode` or
//!   `ActualText` and keep the PDF searchable and copyable.
//!
//! All glyph measures are in font units; scale by `size / units_per_em`.

use std::ops::Range;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use rustybuzz::{Direction, Feature, Script, ShapePlan, UnicodeBuffer};
use ttf_parser::Tag;

use super::fonts::{FontBook, FontId};

/// OpenType features to switch on or off, as a small copyable value so it
/// can be part of cache keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Features {
    /// Pair kerning (`kern`).
    pub kern: bool,
    /// Standard and contextual ligatures (`liga`, `clig`): fi, fl, ffi.
    pub liga: bool,
    /// Contextual alternates (`calt`); JetBrains Mono's code ligatures (`->`,
    /// `!=`) live here, so code turns it off.
    pub calt: bool,
    /// Discretionary ligatures (`dlig`): off by default in fonts, switched
    /// off explicitly for code so no font's defaults can turn them on.
    pub dlig: bool,
    /// Old-style (text) figures (`onum`).
    pub onum: bool,
    /// Small capitals from lower case (`smcp`).
    pub smcp: bool,
    /// Shape right to left (the text's bidirectional level is odd): the
    /// glyphs come out in visual order and brackets are mirrored. Not an
    /// OpenType feature, but it changes the result, so it is part of the
    /// cache key with them. Off, the direction follows the script.
    pub rtl: bool,
}

impl Features {
    /// Body and heading text: kerning and ligatures on.
    pub const TEXT: Features = Features {
        kern: true,
        liga: true,
        calt: true,
        dlig: false,
        onum: false,
        smcp: false,
        rtl: false,
    };

    /// Code: every character drawn as typed, in a fixed grid, so no
    /// ligatures, no contextual alternates and no kerning.
    pub const CODE: Features = Features {
        kern: false,
        liga: false,
        calt: false,
        dlig: false,
        onum: false,
        smcp: false,
        rtl: false,
    };

    /// The rustybuzz feature list; every switch is explicit so the font's
    /// defaults never decide.
    fn to_rustybuzz(self) -> Vec<Feature> {
        let switch =
            |tag: &[u8; 4], on: bool| Feature::new(Tag::from_bytes(tag), u32::from(on), ..);
        vec![
            switch(b"kern", self.kern),
            switch(b"liga", self.liga),
            switch(b"clig", self.liga),
            switch(b"calt", self.calt),
            switch(b"dlig", self.dlig),
            switch(b"onum", self.onum),
            switch(b"smcp", self.smcp),
        ]
    }
}

/// One positioned glyph, in font units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShapedGlyph {
    /// Glyph index in the run's font.
    pub glyph_id: u16,
    /// How far the pen moves after this glyph.
    pub x_advance: i32,
    /// Horizontal shift of this glyph from the pen position (marks, kerning
    /// of attached glyphs).
    pub x_offset: i32,
    /// Vertical shift from the baseline (positive is up).
    pub y_offset: i32,
    /// Byte offset into the run's text of the first character this glyph
    /// belongs to; glyphs of one ligature or grapheme share it.
    pub cluster: u32,
}

/// A piece of text shaped in one font.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapedRun {
    /// The font the glyphs belong to.
    pub font: FontId,
    /// The font's units per em, so the run can be measured on its own.
    pub units_per_em: u16,
    /// The text that was shaped; glyph clusters index into it.
    pub text: String,
    /// Glyphs in visual order.
    pub glyphs: Vec<ShapedGlyph>,
    /// Sum of the advances, in font units.
    pub width_units: i32,
}

/// A cluster: glyphs that together stand for a stretch of text (one glyph
/// for one letter, one glyph for "ffi", several glyphs for a base and mark).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterSpan {
    /// Indices into [`ShapedRun::glyphs`].
    pub glyphs: Range<usize>,
    /// Byte range of [`ShapedRun::text`] these glyphs represent.
    pub text: Range<usize>,
}

impl ShapedRun {
    /// Width in points at font size `size` (points per em).
    pub fn width_pt(&self, size: f32) -> f32 {
        if self.units_per_em == 0 {
            return 0.0;
        }
        self.width_units as f32 * size / f32::from(self.units_per_em)
    }

    /// Groups glyphs into clusters and gives the text each stands for, which
    /// is what the PDF writer needs for `ToUnicode` (one glyph, any text) and
    /// `ActualText` (several glyphs, one text).
    pub fn clusters(&self) -> Vec<ClusterSpan> {
        if self.is_logical_order() {
            let mut spans = Vec::new();
            self.for_each_cluster_in_order(|span| spans.push(span));
            return spans;
        }
        self.clusters_any_order()
    }

    /// Whether the glyphs' clusters never decrease (left-to-right text, the
    /// usual case), where clusters can be read off in one pass.
    fn is_logical_order(&self) -> bool {
        self.glyphs.windows(2).all(|w| w[0].cluster <= w[1].cluster)
    }

    /// Calls `f` with each cluster of a run in logical order, without the
    /// sorting and allocation [`ShapedRun::clusters_any_order`] needs: a
    /// cluster's text ends where the next glyph's cluster starts.
    fn for_each_cluster_in_order(&self, mut f: impl FnMut(ClusterSpan)) {
        let text_len = self.text.len();
        let start_of = |i: usize| (self.glyphs[i].cluster as usize).min(text_len);
        let n = self.glyphs.len();
        let mut i = 0;
        while i < n {
            let start = start_of(i);
            let mut j = i + 1;
            while j < n && start_of(j) == start {
                j += 1;
            }
            let end = if j < n { start_of(j) } else { text_len };
            f(ClusterSpan {
                glyphs: i..j,
                text: start..end,
            });
            i = j;
        }
    }

    /// [`ShapedRun::clusters`] for glyphs in any order (right-to-left runs).
    fn clusters_any_order(&self) -> Vec<ClusterSpan> {
        let text_len = self.text.len();
        // Sorted distinct cluster starts: a cluster's text ends where the next
        // one (in logical order) starts, whatever the visual order.
        let mut starts: Vec<usize> = self
            .glyphs
            .iter()
            .map(|g| (g.cluster as usize).min(text_len))
            .collect();
        starts.sort_unstable();
        starts.dedup();
        let text_end = |start: usize| match starts.binary_search(&start) {
            Ok(k) => starts.get(k + 1).copied().unwrap_or(text_len),
            Err(_) => text_len,
        };
        let mut spans: Vec<ClusterSpan> = Vec::new();
        for (i, glyph) in self.glyphs.iter().enumerate() {
            let start = (glyph.cluster as usize).min(text_len);
            match spans.last_mut() {
                Some(span) if span.text.start == start => span.glyphs.end = i + 1,
                _ => spans.push(ClusterSpan {
                    glyphs: i..i + 1,
                    text: start..text_end(start),
                }),
            }
        }
        spans
    }
}

impl ShapedRun {
    /// The text range each glyph stands for, glyph by glyph: the first glyph
    /// of a cluster gets the cluster's whole text (all of "ffi" for the
    /// ligature), the others an empty range at its start. This is the shape
    /// a per-glyph ToUnicode map wants.
    pub fn glyph_text_ranges(&self) -> Vec<Range<usize>> {
        let mut ranges = Vec::with_capacity(self.glyphs.len());
        self.glyph_text_ranges_into(&mut ranges);
        ranges
    }

    /// [`ShapedRun::glyph_text_ranges`] into `ranges` (cleared first), so a
    /// caller drawing many words reuses one buffer.
    pub fn glyph_text_ranges_into(&self, ranges: &mut Vec<Range<usize>>) {
        ranges.clear();
        let push = |span: ClusterSpan| {
            ranges.push(span.text.clone());
            for _ in span.glyphs.start + 1..span.glyphs.end {
                ranges.push(span.text.start..span.text.start);
            }
        };
        // Called for every word piece the layout draws, on every pass: the
        // in-order walk avoids two allocations and a sort per call.
        if self.is_logical_order() {
            self.for_each_cluster_in_order(push);
        } else {
            self.clusters_any_order().into_iter().for_each(push);
        }
    }
}

/// A sub-run of a fallback-shaped text and where it starts in that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedRun {
    /// Byte offset of the run's text within the whole text.
    pub start: usize,
    /// The shaped run (shared with the cache).
    pub run: Arc<ShapedRun>,
}

/// Text shaped with font fallback.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShapedText {
    /// Runs in text order, each in one font.
    pub runs: Vec<PlacedRun>,
    /// Characters no font has, each once, in order of appearance; they were
    /// shaped with the primary font's `.notdef` so widths stay sane.
    pub missing: Vec<char>,
}

impl ShapedText {
    /// Total width in points at font size `size`.
    pub fn width_pt(&self, size: f32) -> f32 {
        self.runs.iter().map(|r| r.run.width_pt(size)).sum()
    }

    /// Fonts used, in run order (with repeats).
    #[cfg(test)]
    pub fn fonts(&self) -> impl Iterator<Item = FontId> + '_ {
        self.runs.iter().map(|r| r.run.font)
    }
}

/// How often the shaping cache answered; `misses` is the number of real
/// shaping calls.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Lookups answered from the cache.
    pub hits: u64,
    /// Lookups that had to shape.
    pub misses: u64,
}

type RunCache = FxHashMap<(FontId, Features), FxHashMap<Box<str>, Arc<ShapedRun>>>;

/// Shaped words kept between builds; valid only with the same font book.
#[derive(Debug, Default)]
pub struct ShapeCache {
    runs: RunCache,
}
type PlanKey = (FontId, Features, Direction, Script);

/// Words shaped by any thread of one layout (`layout::parallel`): a worker
/// that misses its own cache looks here before shaping, so a word is shaped
/// once per book rather than once per thread, and the book's own context
/// finds the workers' words when it sets the contents and running heads.
/// Sharded by the word's hash, so threads rarely wait on each other; only
/// misses of a thread's own cache come here.
#[derive(Default)]
pub struct SharedRuns {
    shards: [std::sync::Mutex<RunCache>; SHARDS],
}

const SHARDS: usize = 16;

impl SharedRuns {
    fn shard(&self, text: &str) -> &std::sync::Mutex<RunCache> {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        text.hash(&mut hasher);
        &self.shards[hasher.finish() as usize % SHARDS]
    }

    fn get(&self, text: &str, font: FontId, features: Features) -> Option<Arc<ShapedRun>> {
        let shard = self.shard(text).lock().ok()?;
        shard.get(&(font, features))?.get(text).cloned()
    }

    fn insert(&self, text: &str, font: FontId, features: Features, run: &Arc<ShapedRun>) {
        if let Ok(mut shard) = self.shard(text).lock() {
            shard
                .entry((font, features))
                .or_default()
                .insert(Box::from(text), Arc::clone(run));
        }
    }
}

/// Shapes words with the fonts of a [`FontBook`], caching results.
///
/// It borrows the book, so the fonts are parsed for shaping once (in
/// [`Shaper::new`]) and never copied.
pub struct Shaper<'a> {
    book: &'a FontBook,
    faces: Vec<Option<rustybuzz::Face<'a>>>,
    runs: RunCache,
    plans: FxHashMap<PlanKey, ShapePlan>,
    stats: CacheStats,
    /// Reused between calls so shaping does not allocate a buffer each time.
    buffer: Option<UnicodeBuffer>,
    /// Words shaped by the other threads of this layout, if any.
    shared: Option<Arc<SharedRuns>>,
}

impl<'a> Shaper<'a> {
    /// Prepares every font of `book` for shaping.
    pub fn new(book: &'a FontBook) -> Shaper<'a> {
        let faces = book
            .ids()
            .map(|id| {
                book.font(id)
                    .and_then(|f| rustybuzz::Face::from_slice(f.data(), f.face_index()))
            })
            .collect();
        Shaper {
            book,
            faces,
            runs: FxHashMap::default(),
            plans: FxHashMap::default(),
            stats: CacheStats::default(),
            buffer: None,
            shared: None,
        }
    }

    /// Looks up and adds words in `shared` too, from now on.
    pub fn share(&mut self, shared: Arc<SharedRuns>) {
        self.shared = Some(shared);
    }

    /// The words this shaper shares with other threads, sharing from now on
    /// (one store for every parallel phase of a layout: the chapters, then
    /// those set again once page numbers are known).
    pub fn shared(&mut self) -> Arc<SharedRuns> {
        Arc::clone(self.shared.get_or_insert_with(Arc::default))
    }

    /// A shaper that starts with the words shaped by an earlier one over the
    /// same font book (a rebuild under `folio watch`).
    pub fn with_cache(book: &'a FontBook, cache: ShapeCache) -> Shaper<'a> {
        let mut shaper = Shaper::new(book);
        shaper.runs = cache.runs;
        shaper
    }

    /// The shaped words, to seed the next shaper over the same fonts.
    pub fn into_cache(self) -> ShapeCache {
        ShapeCache { runs: self.runs }
    }

    /// Counts `other`'s lookups as this shaper's (a worker's, whose words
    /// were shaped for this layout).
    pub fn count(&mut self, other: CacheStats) {
        self.stats.hits += other.hits;
        self.stats.misses += other.misses;
    }

    /// Cache hit and miss counts since creation.
    pub fn stats(&self) -> CacheStats {
        self.stats
    }

    /// Shapes `text` in one font (characters it lacks become `.notdef`).
    ///
    /// Results are cached; an unknown `font` yields an empty run.
    pub fn shape(&mut self, text: &str, font: FontId, features: Features) -> Arc<ShapedRun> {
        if let Some(run) = self
            .runs
            .get(&(font, features))
            .and_then(|by_text| by_text.get(text))
        {
            self.stats.hits += 1;
            return Arc::clone(run);
        }
        let known = self
            .shared
            .as_ref()
            .and_then(|s| s.get(text, font, features));
        let run = match known {
            Some(run) => {
                self.stats.hits += 1;
                run
            }
            None => {
                self.stats.misses += 1;
                let run = Arc::new(self.shape_uncached(text, font, features));
                if let Some(shared) = &self.shared {
                    shared.insert(text, font, features, &run);
                }
                run
            }
        };
        self.runs
            .entry((font, features))
            .or_default()
            .insert(Box::from(text), Arc::clone(&run));
        run
    }

    /// Shapes `text`, splitting it into runs where `primary` lacks a
    /// character and using the first of `fallbacks` that has it.
    ///
    /// U+FE0E/U+FE0F (text/emoji presentation selectors) are dropped: the
    /// fonts are monochrome, so they would only add invisible glyphs. Joiners,
    /// other selectors and combining marks stay with the preceding
    /// character's font so a cluster is never split across fonts.
    pub fn shape_with_fallback(
        &mut self,
        text: &str,
        primary: FontId,
        fallbacks: &[FontId],
        features: Features,
    ) -> ShapedText {
        let mut shaped = ShapedText::default();
        for (range, font) in self.segment(text, primary, fallbacks, &mut shaped.missing) {
            let run = self.shape(&text[range.clone()], font, features);
            shaped.runs.push(PlacedRun {
                start: range.start,
                run,
            });
        }
        shaped
    }

    /// Splits `text` into maximal ranges that one font can draw, recording
    /// characters no font has in `missing`.
    fn segment(
        &self,
        text: &str,
        primary: FontId,
        fallbacks: &[FontId],
        missing: &mut Vec<char>,
    ) -> Vec<(Range<usize>, FontId)> {
        let mut segments: Vec<(Range<usize>, FontId)> = Vec::new();
        let mut previous: Option<char> = None;
        for (i, c) in text.char_indices() {
            let end = i + c.len_utf8();
            let font = if attaches_to_previous(c) {
                segments.last().map_or(primary, |(_, font)| *font)
            } else if let Some(font) = self.keeps_fallback(&segments, previous, c, primary) {
                font
            } else {
                self.pick_font(primary, fallbacks, c, missing)
            };
            previous = Some(c);
            match segments.last_mut() {
                Some((range, last)) if *last == font => range.end = end,
                _ => segments.push((i..end, font)),
            }
        }
        segments
    }

    /// Punctuation right after letters set in a fallback font (the full
    /// stop after an Arabic word, the comma after a Devanagari one) stays in
    /// that font when it has it, so a word's marks match its letters.
    fn keeps_fallback(
        &self,
        segments: &[(Range<usize>, FontId)],
        previous: Option<char>,
        c: char,
        primary: FontId,
    ) -> Option<FontId> {
        let &(_, font) = segments.last()?;
        // Checked in order of cost: nearly every word is in its primary font.
        (font != primary
            && !c.is_alphanumeric()
            && !c.is_whitespace()
            && previous.is_some_and(char::is_alphabetic)
            && self.book.has_char(font, c))
        .then_some(font)
    }

    /// The font for a character that starts a new cluster.
    fn pick_font(
        &self,
        primary: FontId,
        fallbacks: &[FontId],
        c: char,
        missing: &mut Vec<char>,
    ) -> FontId {
        // Nearly every character is in the primary font: answer that
        // without walking the chain.
        if self.book.has_char(primary, c) {
            return primary;
        }
        match self.book.font_for_char(primary, fallbacks, c) {
            Some(font) => font,
            None => {
                if !missing.contains(&c) {
                    missing.push(c);
                }
                primary
            }
        }
    }

    /// Runs rustybuzz on `text` with a cached plan.
    fn shape_uncached(&mut self, text: &str, font: FontId, features: Features) -> ShapedRun {
        let units_per_em = self.book.font(font).map_or(0, |f| f.units_per_em());
        let mut run = ShapedRun {
            font,
            units_per_em,
            text: text.to_string(),
            glyphs: Vec::new(),
            width_units: 0,
        };
        let Some(face) = self.faces.get(usize::from(font.0)).and_then(Option::as_ref) else {
            return run;
        };
        let mut buffer = self.buffer.take().unwrap_or_default();
        for (i, c) in text.char_indices() {
            if !is_presentation_selector(c) {
                buffer.add(c, u32::try_from(i).unwrap_or(u32::MAX));
            }
        }
        buffer.guess_segment_properties();
        if features.rtl {
            buffer.set_direction(Direction::RightToLeft);
        }
        // Pin the guessed script so the buffer and the cached plan agree
        // exactly, including for script-less text (punctuation, emoji).
        let script = buffer.script();
        buffer.set_script(script);
        let direction = buffer.direction();
        let plan = self
            .plans
            .entry((font, features, direction, script))
            .or_insert_with(|| {
                ShapePlan::new(
                    face,
                    direction,
                    Some(script),
                    None,
                    &features.to_rustybuzz(),
                )
            });
        let output = rustybuzz::shape_with_plan(face, plan, buffer);
        run.glyphs = output
            .glyph_infos()
            .iter()
            .zip(output.glyph_positions())
            .map(|(info, pos)| ShapedGlyph {
                glyph_id: u16::try_from(info.glyph_id).unwrap_or(0),
                x_advance: pos.x_advance,
                x_offset: pos.x_offset,
                y_offset: pos.y_offset,
                cluster: info.cluster,
            })
            .collect();
        // Saturating: a pathological text must not overflow (and panic).
        run.width_units = run
            .glyphs
            .iter()
            .fold(0i32, |sum, g| sum.saturating_add(g.x_advance));
        self.buffer = Some(output.clear());
        run
    }
}

/// U+FE0E / U+FE0F choose text or emoji presentation; meaningless with
/// monochrome fonts, so they are not shaped.
fn is_presentation_selector(c: char) -> bool {
    matches!(c, '\u{FE0E}' | '\u{FE0F}')
}

/// Characters that belong to the preceding character's cluster (combining
/// marks, joiners, variation selectors, emoji modifiers and tags, controls,
/// invisible bidi and format characters, which the shaper hides),
/// so they must be shaped in the same font and never count as missing when
/// that font lacks them. `std` has no general-category lookup; these blocks
/// cover what books contain.
fn attaches_to_previous(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}'
            | '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FE20}'..='\u{FE2F}'
            | '\u{1F3FB}'..='\u{1F3FF}'
            | '\u{E0020}'..='\u{E007F}'
            | '\u{E0100}'..='\u{E01EF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fonts {
        book: FontBook,
        garamond: FontId,
        dejavu: FontId,
        emoji: FontId,
        mono: FontId,
    }

    fn fonts() -> Fonts {
        let mut book = FontBook::new();
        let mut load = |rel: &str| match book
            .load_file(format!("{}/fonts/{rel}", env!("CARGO_MANIFEST_DIR")))
        {
            Ok(id) => id,
            Err(e) => panic!("{e}"),
        };
        let garamond = load("eb-garamond/EBGaramond-Regular.ttf");
        let dejavu = load("dejavu/DejaVuSans.ttf");
        let emoji = load("noto-emoji/NotoEmoji-Regular.ttf");
        let mono = load("jetbrains-mono/JetBrainsMono-Regular.ttf");
        Fonts {
            book,
            garamond,
            dejavu,
            emoji,
            mono,
        }
    }

    #[test]
    fn ffi_ligature_keeps_its_text() {
        let f = fonts();
        let mut shaper = Shaper::new(&f.book);
        let run = shaper.shape("office", f.garamond, Features::TEXT);
        assert!(run.glyphs.len() < "office".chars().count(), "{run:?}");
        let clusters = run.clusters();
        let texts: Vec<&str> = clusters.iter().map(|c| &run.text[c.text.clone()]).collect();
        assert_eq!(texts, ["o", "ffi", "c", "e"]);
        assert_eq!(run.glyph_text_ranges(), [0..1, 1..4, 4..5, 5..6]);
        // The clusters tile the text and the glyphs exactly.
        assert_eq!(clusters.last().unwrap().text.end, run.text.len());
        assert_eq!(clusters.last().unwrap().glyphs.end, run.glyphs.len());
        // The ffi glyph is not reachable from the character map.
        let lig = run.glyphs[clusters[1].glyphs.start].glyph_id;
        assert!(
            !['f', 'i']
                .iter()
                .any(|&c| f.book.glyph_index(f.garamond, c) == Some(lig))
        );
        // Without ligatures, every letter is its own glyph.
        let plain = shaper.shape("office", f.garamond, Features::CODE);
        assert_eq!(plain.glyphs.len(), 6);
    }

    #[test]
    fn kerning_tightens_avatar() {
        let f = fonts();
        let mut shaper = Shaper::new(&f.book);
        let run = shaper.shape("AVATAR", f.garamond, Features::TEXT);
        let font = f.book.font(f.garamond).unwrap();
        let unkerned: i32 = "AVATAR"
            .chars()
            .map(|c| i32::from(font.glyph_advance(font.glyph_index(c).unwrap()).unwrap()))
            .sum();
        assert!(
            run.width_units < unkerned,
            "{} vs {unkerned}",
            run.width_units
        );
        let pt = run.width_pt(12.0);
        assert!((pt - run.width_units as f32 * 12.0 / 1000.0).abs() < 1e-4);
    }

    #[test]
    fn code_font_has_no_ligatures() {
        let f = fonts();
        let mut shaper = Shaper::new(&f.book);
        let run = shaper.shape("a->b!=c", f.mono, Features::CODE);
        assert_eq!(run.glyphs.len(), 7);
        assert!(run.glyphs.iter().all(|g| g.x_advance == 600));
    }

    #[test]
    fn fallback_splits_runs_by_font() {
        let f = fonts();
        let mut shaper = Shaper::new(&f.book);
        let chain = [f.dejavu, f.emoji];
        // EB Garamond has its own arrows, so "a → b" needs no fallback ...
        let arrow = shaper.shape_with_fallback("a → b", f.garamond, &chain, Features::TEXT);
        assert_eq!(arrow.fonts().collect::<Vec<_>>(), [f.garamond]);
        // ... but it has no check mark, which comes from DejaVu Sans.
        let check = shaper.shape_with_fallback("a ✓ b", f.garamond, &chain, Features::TEXT);
        assert_eq!(
            check.fonts().collect::<Vec<_>>(),
            [f.garamond, f.dejavu, f.garamond]
        );
        assert!(check.missing.is_empty());
        assert_eq!(check.runs[1].start, 2);
        assert_eq!(check.runs[1].run.text, "✓");
        // With a primary that lacks the arrow (the emoji font has no
        // Latin letters), "a → b" takes letters and arrow from DejaVu.
        let mixed = shaper.shape_with_fallback("a → b 📝", f.emoji, &[f.dejavu], Features::TEXT);
        let fonts: Vec<FontId> = mixed.fonts().collect();
        assert!(
            fonts.contains(&f.emoji) && fonts.contains(&f.dejavu),
            "{fonts:?}"
        );
    }

    #[test]
    fn emoji_falls_back_and_drops_presentation_selectors() {
        let f = fonts();
        let mut shaper = Shaper::new(&f.book);
        let chain = [f.dejavu, f.emoji];
        let memo = shaper.shape_with_fallback("📝", f.garamond, &chain, Features::TEXT);
        assert_eq!(memo.runs.len(), 1);
        assert_eq!(memo.runs[0].run.font, f.emoji);
        assert_ne!(memo.runs[0].run.glyphs[0].glyph_id, 0);
        let with_vs =
            shaper.shape_with_fallback("note📝\u{FE0F}", f.garamond, &chain, Features::TEXT);
        assert_eq!(with_vs.fonts().collect::<Vec<_>>(), [f.garamond, f.emoji]);
        let emoji_run = &with_vs.runs[1].run;
        assert_eq!(emoji_run.glyphs.len(), 1);
        // The cluster still covers the selector, so copy-paste keeps it.
        assert_eq!(emoji_run.clusters()[0].text, 0..emoji_run.text.len());
        assert!(with_vs.width_pt(10.0) > 0.0);
    }

    #[test]
    fn unknown_chars_are_missing_but_measured() {
        let f = fonts();
        let mut shaper = Shaper::new(&f.book);
        let chain = [f.dejavu, f.emoji];
        let shaped =
            shaper.shape_with_fallback("a\u{E000}b\u{E000}", f.garamond, &chain, Features::TEXT);
        assert_eq!(shaped.missing, ['\u{E000}']);
        assert_eq!(shaped.runs.len(), 1);
        let run = &shaped.runs[0].run;
        assert_eq!(run.font, f.garamond);
        assert_eq!(run.glyphs[1].glyph_id, 0);
        assert!(run.glyphs[1].x_advance > 0);
    }

    #[test]
    fn cache_counts_hits_and_misses() {
        let f = fonts();
        let mut shaper = Shaper::new(&f.book);
        let first = shaper.shape_with_fallback("typesetting", f.garamond, &[], Features::TEXT);
        assert_eq!(shaper.stats(), CacheStats { hits: 0, misses: 1 });
        let second = shaper.shape_with_fallback("typesetting", f.garamond, &[], Features::TEXT);
        assert_eq!(shaper.stats(), CacheStats { hits: 1, misses: 1 });
        assert!(Arc::ptr_eq(&first.runs[0].run, &second.runs[0].run));
        // Other features are another entry.
        shaper.shape("typesetting", f.garamond, Features::CODE);
        assert_eq!(shaper.stats().misses, 2);
    }

    #[test]
    fn in_order_clusters_match_the_general_computation() {
        // Random runs, clusters mostly increasing (some repeats for
        // ligatures and marks), some shuffled, some past the text's end.
        let mut state = 0x1234_5678_9ABC_DEF0u64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for case in 0..2_000 {
            let text = "x".repeat(next(12) as usize);
            let n = next(10) as usize;
            let mut cluster = 0u32;
            let mut glyphs: Vec<ShapedGlyph> = (0..n)
                .map(|_| {
                    cluster += next(3) as u32;
                    ShapedGlyph {
                        glyph_id: 1,
                        x_advance: 10,
                        x_offset: 0,
                        y_offset: 0,
                        cluster,
                    }
                })
                .collect();
            if case % 5 == 0 {
                glyphs.reverse();
            }
            let run = ShapedRun {
                font: FontId(0),
                units_per_em: 1000,
                text,
                glyphs,
                width_units: 0,
            };
            let general = run.clusters_any_order();
            assert_eq!(run.clusters(), general, "{run:?}");
            let mut ranges = Vec::new();
            for span in &general {
                ranges.push(span.text.clone());
                for _ in span.glyphs.start + 1..span.glyphs.end {
                    ranges.push(span.text.start..span.text.start);
                }
            }
            assert_eq!(run.glyph_text_ranges(), ranges, "{run:?}");
        }
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        let f = fonts();
        let mut shaper = Shaper::new(&f.book);
        let empty = shaper.shape_with_fallback("", f.garamond, &[f.dejavu], Features::TEXT);
        assert!(empty.runs.is_empty());
        let unknown = shaper.shape("abc", FontId(999), Features::TEXT);
        assert!(unknown.glyphs.is_empty());
        for text in [
            "\u{301}abc",
            "\u{200D}",
            "\n\t",
            "a\u{FE0F}",
            "\u{FE0F}",
            "שלום",
            "x\u{0}y",
        ] {
            let shaped =
                shaper.shape_with_fallback(text, f.garamond, &[f.dejavu, f.emoji], Features::TEXT);
            for placed in &shaped.runs {
                for span in placed.run.clusters() {
                    assert!(placed.run.text.is_char_boundary(span.text.start));
                    assert!(placed.run.text.is_char_boundary(span.text.end));
                }
            }
        }
    }
}
