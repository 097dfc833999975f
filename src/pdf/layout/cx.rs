//! The layout context: style, fonts, shaper and hyphenator shared by every
//! paragraph of a book, and the warnings layout gives (missing glyphs,
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
    /// Hyphenation for the book's language.
    pub hyphenator: &'a Hyphenator,
    /// Words in the book's language.
    pub labels: &'a crate::typography::lang::Labels,
    /// Screen profile: coloured links.
    pub screen: bool,
    /// Problems found while laying out.
    pub sink: Sink,
    /// Overfull lines counted here instead of warned about one by one (a
    /// table too wide for the page gets one warning, not one per cell).
    pub overfull_counter: Option<usize>,
    /// The document's structure, built as blocks are set (tagged PDF).
    pub tags: super::tagging::Tagger,
    reported: HashSet<String>,
    /// `warn_once` calls that warned nothing (the cause was reported before).
    repeated: usize,
    /// Hyphenation points per distinct word: a book repeats its words
    /// thousands of times, and pattern matching allocates on every call.
    hyphenation: rustc_hash::FxHashMap<Box<str>, Box<[(usize, bool)]>>,
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
            style,
            fonts,
            shaper: Shaper::with_cache(&fonts.book, shapes),
            hyphenator,
            labels,
            screen,
            sink: Sink::new(),
            overfull_counter: None,
            tags: super::tagging::Tagger::default(),
            reported: HashSet::new(),
            repeated: 0,
            hyphenation: rustc_hash::FxHashMap::default(),
        }
    }

    /// The problems found and the shaped words, once layout is done.
    pub fn into_parts(mut self) -> (Vec<Diagnostic>, super::shape::ShapeCache) {
        (self.sink.take(), self.shaper.into_cache())
    }

    /// Where `word` may be hyphenated, and whether a hyphen is drawn there
    /// (not after a hyphen the word already has); computed once per word.
    pub fn hyphenation_points(&mut self, word: &str) -> &[(usize, bool)] {
        if !self.hyphenation.contains_key(word) {
            let points: Box<[(usize, bool)]> = self
                .hyphenator
                .points(word)
                .into_iter()
                .map(|p| (p, !crate::typography::hyphenate::is_explicit_break(word, p)))
                .collect();
            self.hyphenation.insert(word.into(), points);
        }
        self.hyphenation.get(word).map_or(&[], |p| p)
    }

    /// Warns once per `key` (a character, a tag name).
    pub fn warn_once(&mut self, key: String, span: Span, message: String, help: &str) {
        if self.reported.insert(key) {
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

/// Converts a style colour.
pub fn rgb(c: Color) -> Rgb {
    Rgb(c.0, c.1, c.2)
}
