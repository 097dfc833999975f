//! The layout context: style, fonts, shaper and the languages (with their
//! hyphenation) shared by every paragraph of a book, and the warnings layout gives (missing glyphs,
//! overfull lines, unsupported HTML), each once per cause.

use super::fonts::{FontBook, FontId};
use super::frame::Rgb;
use super::shape::Shaper;
use crate::diag::{Diagnostic, Sink, Span};
use crate::pdf::style::{Color, PrintStyle};
use crate::typography::hyphenate::Hyphenator;
use std::collections::HashSet;

/// Which family of the style sets a piece of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Running text.
    Body,
    /// Headings.
    Heading,
    /// Code.
    Code,
}

/// Fonts resolved for a style: the font book and the families' names.
pub struct Fonts {
    /// Every loaded face.
    pub book: FontBook,
    /// Body family name.
    pub body: String,
    /// Heading family name.
    pub heading: String,
    /// Code family name.
    pub code: String,
    /// Fallback faces, in order.
    pub fallbacks: Vec<FontId>,
    /// Fallback chains by language once system fonts were added
    /// (`crate::pdf::system_fonts`): the style's fallbacks, then the fonts
    /// picked for that language, then those picked for the others. Empty
    /// when the style's fonts cover the whole book.
    pub chains: Vec<Chain>,
}

/// The fallback faces of one language, for regular and for bold text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Chain {
    /// The language (lower-case BCP 47 tag); the first chain serves every
    /// language without one of its own.
    pub lang: String,
    /// Faces for regular (and italic) text, in order.
    pub regular: Vec<FontId>,
    /// Faces for bold text, in order.
    pub bold: Vec<FontId>,
}

impl Fonts {
    /// The face for a role and style; the family's nearest style if the exact
    /// one is missing.
    pub fn face(&self, role: Role, bold: bool, italic: bool) -> FontId {
        let family = match role {
            Role::Body => &self.body,
            Role::Heading => &self.heading,
            Role::Code => &self.code,
        };
        self.book
            .face(family, bold, italic)
            .or_else(|| self.book.face(&self.body, bold, italic))
            .unwrap_or(FontId(0))
    }

    /// The fallback faces for text in chain `chain` (see
    /// [`Fonts::chain_for`]), bold or not.
    pub fn fallbacks_for(&self, chain: usize, bold: bool) -> &[FontId] {
        match self.chains.get(chain) {
            Some(c) if bold => &c.bold,
            Some(c) => &c.regular,
            None => &self.fallbacks,
        }
    }

    /// The chain serving language `tag` (lower case): its own, else the
    /// first (which holds every font picked).
    pub fn chain_for(&self, tag: &str) -> usize {
        self.chains.iter().position(|c| c.lang == tag).unwrap_or(0)
    }

    /// Ascender and descender (positive, below the baseline) of a face, per point of size.
    pub fn extents(&self, font: FontId) -> (f32, f32) {
        match self.book.font(font) {
            Some(f) => {
                let upem = f32::from(f.units_per_em().max(1));
                (
                    f32::from(f.ascender()) / upem,
                    -f32::from(f.descender()) / upem,
                )
            }
            None => (0.8, 0.2),
        }
    }
}

/// Shared state of one book's layout.
pub struct Cx<'a> {
    /// The print style.
    pub style: &'a PrintStyle,
    /// Fonts.
    pub fonts: &'a Fonts,
    /// Shaping with a per-word cache.
    pub shaper: Shaper<'a>,
    /// The book's languages, each with its hyphenation.
    pub langs: super::lang::Languages,
    /// The language of the block being set (the chapter's, or a passage's).
    pub lang: super::lang::LangId,
    /// Whether the block being set runs right to left (`dir="rtl"`, or a
    /// right-to-left language).
    pub rtl: bool,
    /// Words in the book's language.
    pub labels: &'a crate::typography::lang::Labels,
    /// Screen profile: coloured links.
    pub screen: bool,
    /// Problems found while laying out.
    pub sink: Sink,
    /// Inline code size as a factor of the text around it (the style's
    /// factor, or the ratio of the body and code fonts' x-heights).
    pub inline_code_scale: f32,
    /// Overfull lines counted here instead of warned about one by one (a
    /// table too wide for the page gets one warning, not one per cell).
    pub overfull_counter: Option<usize>,
    /// The document's structure, built as blocks are set (tagged PDF).
    pub tags: super::tagging::Tagger,
    /// Chapters set on worker threads ([`super::parallel`]), for the
    /// layout's statistics.
    pub chapters_ahead: usize,
    reported: HashSet<String>,
    /// `warn_once` calls that warned nothing (the cause was reported before).
    repeated: usize,
    /// In a worker's context ([`Cx::fork`]): the key of each `warn_once`
    /// warning, by its index in `sink`, so the book can tell which ones it
    /// gave already ([`Cx::absorb`]).
    once_keys: Option<Vec<(usize, String)>>,
}

/// What a worker thread needs to make a context like the book's
/// ([`Cx::seed`]): the book-wide inputs, none of the caches.
pub struct Seed<'a> {
    style: &'a PrintStyle,
    fonts: &'a Fonts,
    hyphenator: Hyphenator,
    labels: &'a crate::typography::lang::Labels,
    screen: bool,
    shared: std::sync::Arc<super::shape::SharedRuns>,
}

impl Seed<'_> {
    /// A fresh context for a worker: its own shaping cache, languages,
    /// sink and tagger, recording its `warn_once` keys.
    pub fn cx(&self) -> Cx<'_> {
        let mut cx = Cx::new(
            self.style,
            self.fonts,
            &self.hyphenator,
            self.labels,
            self.screen,
            super::shape::ShapeCache::default(),
        );
        cx.once_keys = Some(Vec::new());
        cx.shaper.share(self.shared.clone());
        cx
    }
}

impl<'a> Cx<'a> {
    /// A context for one book.
    pub fn new(
        style: &'a PrintStyle,
        fonts: &'a Fonts,
        hyphenator: &'a Hyphenator,
        labels: &'a crate::typography::lang::Labels,
        screen: bool,
        shapes: super::shape::ShapeCache,
    ) -> Cx<'a> {
        Cx {
            inline_code_scale: inline_code_scale(style, fonts),
            style,
            fonts,
            shaper: Shaper::with_cache(&fonts.book, shapes),
            langs: super::lang::Languages::new(hyphenator, hyphenator.tag(), fonts),
            lang: super::lang::LangId::default(),
            rtl: crate::typography::lang::is_rtl(hyphenator.tag()),
            labels,
            screen,
            sink: Sink::new(),
            overfull_counter: None,
            tags: super::tagging::Tagger::default(),
            chapters_ahead: 0,
            reported: HashSet::new(),
            repeated: 0,
            once_keys: None,
        }
    }

    /// The inputs to make contexts like this one on other threads, whose
    /// shapers share their words with each other and with this one.
    pub fn seed(&mut self) -> Seed<'a> {
        let shared = self.shaper.shared();
        Seed {
            style: self.style,
            fonts: self.fonts,
            hyphenator: self.langs.book_hyphenator().clone(),
            labels: self.labels,
            screen: self.screen,
            shared,
        }
    }

    /// The diagnostics given since the last call, each with its `warn_once`
    /// key (a worker's context; see [`Cx::absorb`]).
    pub fn take_diagnostics(&mut self) -> Vec<(Diagnostic, Option<String>)> {
        let keys: std::collections::HashMap<usize, String> = self
            .once_keys
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
            .into_iter()
            .collect();
        let mut keys = keys;
        self.sink
            .take()
            .into_iter()
            .enumerate()
            .map(|(i, d)| (d, keys.remove(&i)))
            .collect()
    }

    /// Gives a diagnostic a worker gave: a `warn_once` warning only if its
    /// cause was not reported here yet, as if the worker's chapter had been
    /// set in this context.
    pub fn absorb(&mut self, diagnostic: Diagnostic, key: Option<String>) {
        let fresh = key.is_none_or(|key| self.reported.insert(key));
        if fresh {
            self.sink.push(diagnostic);
        } else {
            self.repeated += 1;
        }
    }

    /// The problems found and the shaped words, once layout is done.
    pub fn into_parts(mut self) -> (Vec<Diagnostic>, super::shape::ShapeCache) {
        (self.sink.take(), self.shaper.into_cache())
    }

    /// Where `word`, written in `lang`, may be hyphenated, and whether a
    /// hyphen is drawn there (not after a hyphen the word already has);
    /// computed once per word and language, with that language's patterns.
    pub fn hyphenation_points(
        &mut self,
        lang: super::lang::LangId,
        word: &str,
    ) -> &[(usize, bool)] {
        self.langs.points(lang, word)
    }

    /// Sets text in language `lang` and direction `dir` (`ltr`, `rtl`,
    /// `auto`) from here on, as a chapter's front matter or an element's
    /// `lang`/`dir` say (`None`: unchanged; no `dir`: the language's own
    /// direction when the language changes). Returns what to pass to
    /// [`Cx::leave_language`] afterwards.
    pub fn enter_language(
        &mut self,
        lang: Option<&str>,
        dir: Option<&str>,
    ) -> (super::lang::LangId, bool) {
        let saved = (self.lang, self.rtl);
        if let Some(tag) = lang {
            self.lang = self.langs.intern(tag, self.fonts);
            self.rtl = crate::typography::lang::is_rtl(tag);
        }
        match dir {
            Some("rtl") => self.rtl = true,
            Some("ltr") => self.rtl = false,
            _ => {}
        }
        saved
    }

    /// Restores the language and direction [`Cx::enter_language`] changed.
    pub fn leave_language(&mut self, saved: (super::lang::LangId, bool)) {
        (self.lang, self.rtl) = saved;
    }

    /// Warns once per `key` (a character, a tag name).
    pub fn warn_once(&mut self, key: String, span: Span, message: String, help: &str) {
        if self.reported.insert(key.clone()) {
            if let Some(keys) = &mut self.once_keys {
                keys.push((self.sink.diagnostics().len(), key));
            }
            self.sink
                .push(Diagnostic::warning(span, message).with_help(help));
        } else {
            self.repeated += 1;
        }
    }

    /// How many warnings layout has given or would have given (repeats
    /// included): unchanged over a chapter means the chapter warned nothing.
    pub fn warnings_attempted(&self) -> usize {
        self.sink.diagnostics().len() + self.repeated
    }

    /// Warns about characters no font has, once per character.
    pub fn report_missing(&mut self, missing: &[char], span: Span) {
        for &c in missing {
            self.warn_once(
                format!("missing:{c}"),
                span,
                format!("no font has the character `{c}` (U+{:04X}); it prints as a blank box", c as u32),
                "add a font that has it to `fallbacks` in the print style, or replace the character",
            );
        }
    }
}

/// The factor that sets inline code at the body's x-height: EB Garamond's
/// x-height is 0.40 em and JetBrains Mono's 0.55, so code at the text size
/// looks a size larger than the words around it. Fonts without an x-height
/// keep the size (factor 1).
fn inline_code_scale(style: &PrintStyle, fonts: &Fonts) -> f32 {
    match style.code.inline_scale {
        crate::pdf::style::InlineScale::Factor(f) => f,
        crate::pdf::style::InlineScale::XHeight => {
            let x_height = |id: FontId| {
                fonts.book.font(id).and_then(|f| {
                    let h = f32::from(f.x_height()) / f32::from(f.units_per_em().max(1));
                    (h > 0.05).then_some(h)
                })
            };
            match (
                x_height(fonts.face(Role::Body, false, false)),
                x_height(fonts.face(Role::Code, false, false)),
            ) {
                (Some(body), Some(code)) => (body / code).clamp(0.5, 1.5),
                _ => 1.0,
            }
        }
    }
}

/// Converts a style colour.
pub fn rgb(c: Color) -> Rgb {
    Rgb(c.0, c.1, c.2)
}
