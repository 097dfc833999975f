//! The languages of one book's layout: each language tag met (the book's, a
//! chapter's, a passage's) gets a small [`LangId`], its own hyphenator and
//! its own cache of hyphenation points, so a word is only ever split by the
//! patterns of the language it is written in, and its own chain of fallback
//! fonts (Japanese forms of Han characters in Japanese text, Chinese ones in
//! Chinese).

use super::cx::Fonts;
use crate::typography::hyphenate::{Hyphenator, is_explicit_break};
use rustc_hash::FxHashMap;

/// A language of the book, as an index into [`Languages`]; small and `Copy`
/// so every piece of inline formatting can carry one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct LangId(pub u16);

/// Where a word may break, and whether a hyphen is drawn there.
type Points = Box<[(usize, bool)]>;

/// Every language met so far, the book's first ([`LangId::default`]).
pub struct Languages {
    tags: Vec<std::sync::Arc<str>>,
    hyphenators: Vec<Hyphenator>,
    /// Hyphenation points per distinct word, per language: a book repeats
    /// its words thousands of times, and pattern matching allocates on
    /// every call.
    points: Vec<FxHashMap<Box<str>, Points>>,
    /// The fallback chain of each language (an index for
    /// [`Fonts::fallbacks_for`]).
    chains: Vec<usize>,
}

impl Languages {
    /// The book's language, served by `book` (which also carries the
    /// author's exceptions for every other language).
    pub fn new(book: &Hyphenator, tag: &str, fonts: &Fonts) -> Languages {
        let tag = normalize(tag);
        Languages {
            chains: vec![fonts.chain_for(&tag)],
            tags: vec![tag.into()],
            hyphenators: vec![book.clone()],
            points: vec![FxHashMap::default()],
        }
    }

    /// The book language's hyphenator (which carries the author's
    /// exceptions for every language).
    pub fn book_hyphenator(&self) -> &Hyphenator {
        &self.hyphenators[0]
    }

    /// The id of `tag`, registering it on first use. Tags compare
    /// case-insensitively (`pt-BR` and `pt-br` are one language).
    pub fn intern(&mut self, tag: &str, fonts: &Fonts) -> LangId {
        let tag = normalize(tag);
        if let Some(i) = self.tags.iter().position(|t| **t == *tag) {
            return LangId(u16::try_from(i).unwrap_or(0));
        }
        // More languages than any book has: share the book's (never another
        // language's patterns, since the book's is a language it declared).
        let Ok(id) = u16::try_from(self.tags.len()) else {
            return LangId::default();
        };
        let hyphenator = self.hyphenators[0].for_language(&tag);
        self.chains.push(fonts.chain_for(&tag));
        self.tags.push(tag.into());
        self.hyphenators.push(hyphenator);
        self.points.push(FxHashMap::default());
        LangId(id)
    }

    /// The tag of a language (lower case).
    #[cfg(test)]
    pub fn tag(&self, id: LangId) -> &str {
        self.tags.get(usize::from(id.0)).map_or("", |t| t)
    }

    /// The tag of a language other than the book's, for the PDF's `/Lang`
    /// on text in it; `None` for the book's own.
    pub fn other_tag(&self, id: LangId) -> Option<std::sync::Arc<str>> {
        (id != LangId::default())
            .then(|| self.tags.get(usize::from(id.0)).cloned())
            .flatten()
    }

    /// The fallback chain of a language, for [`Fonts::fallbacks_for`].
    pub fn chain(&self, id: LangId) -> usize {
        self.chains.get(usize::from(id.0)).copied().unwrap_or(0)
    }

    /// The hyphenator of a language.
    #[cfg(test)]
    pub fn hyphenator(&self, id: LangId) -> &Hyphenator {
        self.hyphenators
            .get(usize::from(id.0))
            .unwrap_or(&self.hyphenators[0])
    }

    /// Where `word` (in language `id`) may be hyphenated, and whether a
    /// hyphen is drawn there (not after a hyphen the word already has);
    /// computed once per word and language.
    pub fn points(&mut self, id: LangId, word: &str) -> &[(usize, bool)] {
        let i = if usize::from(id.0) < self.points.len() {
            usize::from(id.0)
        } else {
            0
        };
        let hyphenator = &self.hyphenators[i];
        let cache = &mut self.points[i];
        if !cache.contains_key(word) {
            let points: Points = hyphenator
                .points(word)
                .into_iter()
                .map(|p| (p, !is_explicit_break(word, p)))
                .collect();
            cache.insert(word.into(), points);
        }
        cache.get(word).map_or(&[], |p| p)
    }
}

/// Lower case with `-` separators: the form tags are compared in.
fn normalize(tag: &str) -> String {
    tag.trim().replace('_', "-").to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_keeps_its_own_points() {
        let book = Hyphenator::new("en", &[]).unwrap();
        let fonts = Fonts {
            book: Default::default(),
            body: String::new(),
            heading: String::new(),
            code: String::new(),
            fallbacks: Vec::new(),
            chains: Vec::new(),
        };
        let mut langs = Languages::new(&book, "en", &fonts);
        let de = langs.intern("de-DE", &fonts);
        assert_eq!(langs.intern("DE_de", &fonts), de);
        assert_eq!(langs.tag(de), "de-de");
        let ja = langs.intern("ja", &fonts);
        let en = LangId::default();
        // "Kin-der-gar-ten" by German patterns, "Kinder-garten" by English
        // ones; Japanese has none.
        let points = |langs: &mut Languages, id| -> Vec<usize> {
            langs
                .points(id, "Kindergarten")
                .iter()
                .map(|p| p.0)
                .collect()
        };
        assert_eq!(points(&mut langs, de), [3, 6, 9]);
        assert_eq!(points(&mut langs, en), [6]);
        assert!(points(&mut langs, ja).is_empty());
        // Unknown ids fall back to the book's language.
        assert_eq!(langs.hyphenator(LangId(99)).support(), book.support());
    }
}
