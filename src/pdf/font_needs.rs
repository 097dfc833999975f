//! Which characters the PDF will print, by language: what font fallback
//! must cover before layout starts.
//!
//! Layout borrows one immutable font book for the whole book, so fonts from
//! the system are chosen before it, from this list: every character of the
//! text (chapters, notes, tables, code, captions), of the metadata on the
//! title and copyright pages, and of the generated words, filed under the
//! language it is written in. Collecting it is one pass over the text.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{self, Block, BlockKind, Inline, InlineKind};
use crate::typography::lang::Labels;

/// Characters per language (lower-case BCP 47 tag), in a stable order.
pub type Needs = BTreeMap<String, BTreeSet<char>>;

/// The characters `book` prints, by language.
pub fn collect(book: &ir::Book, labels: &Labels) -> Needs {
    let mut needs = Collector::default();
    let book_lang = normalize(&book.meta.language);
    let meta = &book.meta;
    for text in [&meta.title, &meta.slug]
        .into_iter()
        .chain(meta.subtitle.as_ref())
        .chain(&meta.authors)
        .chain(meta.publisher.as_ref())
        .chain(meta.date.as_ref())
        .chain(meta.edition.as_ref())
        .chain(meta.rights.as_ref())
    {
        needs.text(&book_lang, text);
    }
    for word in [
        labels.chapter,
        labels.contents,
        labels.copyright,
        labels.title_page,
        labels.cover,
        labels.page,
        labels.continued,
    ] {
        needs.text(&book_lang, word);
    }
    for chapter in &book.chapters {
        let lang = chapter
            .lang
            .as_deref()
            .map_or_else(|| book_lang.clone(), normalize);
        needs.inlines(&lang, &chapter.title);
        needs.blocks(&lang, &chapter.blocks);
        for note in &chapter.notes {
            needs.blocks(&lang, &note.blocks);
        }
    }
    needs.finish()
}

/// Lower case with `-` separators, as layout compares tags.
pub fn normalize(tag: &str) -> String {
    tag.trim().replace('_', "-").to_ascii_lowercase()
}

/// Gathers characters; ASCII is kept in a table per language, since nearly
/// every character of most books is ASCII (one store per byte: the pass
/// runs before every layout, `folio watch`'s too).
#[derive(Default)]
struct Collector {
    /// Per language, which ASCII characters were seen. A book has a
    /// language or two, and nearly every text is in the last one looked up.
    ascii: Vec<(String, [bool; 128])>,
    /// Index in `ascii` of the language of the last text.
    last: usize,
    other: BTreeMap<String, rustc_hash::FxHashSet<char>>,
}

impl Collector {
    fn text(&mut self, lang: &str, text: &str) {
        let at = match self.ascii.get(self.last) {
            Some((l, _)) if l == lang => self.last,
            _ => match self.ascii.iter().position(|(l, _)| l == lang) {
                Some(at) => at,
                None => {
                    self.ascii.push((lang.to_owned(), [false; 128]));
                    self.ascii.len() - 1
                }
            },
        };
        self.last = at;
        let seen = &mut self.ascii[at].1;
        let mut other = false;
        for b in text.bytes() {
            match seen.get_mut(usize::from(b)) {
                Some(seen) => *seen = true,
                None => other = true,
            }
        }
        if other {
            let keep = |c: &char| !c.is_ascii() && !c.is_whitespace() && !c.is_control();
            match self.other.get_mut(lang) {
                Some(set) => set.extend(text.chars().filter(keep)),
                None => {
                    let set = text.chars().filter(keep).collect();
                    self.other.insert(lang.to_owned(), set);
                }
            }
        }
    }

    fn inlines(&mut self, lang: &str, inlines: &[Inline]) {
        for inline in inlines {
            match &inline.kind {
                InlineKind::Text(t) | InlineKind::Code(t) => self.text(lang, t),
                InlineKind::Emph(c)
                | InlineKind::Strong(c)
                | InlineKind::Strike(c)
                | InlineKind::Sup(c)
                | InlineKind::Sub(c)
                | InlineKind::Kbd(c) => self.inlines(lang, c),
                InlineKind::Link { content, .. } => self.inlines(lang, content),
                InlineKind::Span { attrs, content } => {
                    let inner = attrs.lang.as_deref().map(normalize);
                    self.inlines(inner.as_deref().unwrap_or(lang), content)
                }
                InlineKind::Image(_)
                | InlineKind::NoteRef { .. }
                | InlineKind::PageRef { .. }
                | InlineKind::Anchor { .. }
                | InlineKind::SoftBreak
                | InlineKind::HardBreak => {}
            }
        }
    }

    fn blocks(&mut self, lang: &str, blocks: &[Block]) {
        for block in blocks {
            match &block.kind {
                BlockKind::Heading { content, .. } | BlockKind::Paragraph { content } => {
                    self.inlines(lang, content)
                }
                BlockKind::Quote { blocks } => self.blocks(lang, blocks),
                BlockKind::List { items, .. } => {
                    for item in items {
                        self.blocks(lang, &item.blocks);
                    }
                }
                BlockKind::Code { text, .. } => self.text(lang, text),
                BlockKind::Table(table) => {
                    for cell in table.head.iter().chain(table.rows.iter().flatten()) {
                        self.inlines(lang, &cell.content);
                    }
                }
                BlockKind::Figure(figure) => self.inlines(lang, &figure.caption),
                BlockKind::Div { attrs, blocks } => {
                    let inner = attrs.lang.as_deref().map(normalize);
                    self.blocks(inner.as_deref().unwrap_or(lang), blocks);
                }
                BlockKind::Details {
                    attrs,
                    summary,
                    blocks,
                } => {
                    let inner = attrs.lang.as_deref().map(normalize);
                    let lang = inner.as_deref().unwrap_or(lang);
                    self.inlines(lang, summary);
                    self.blocks(lang, blocks);
                }
                BlockKind::BlockFigure {
                    attrs,
                    caption,
                    blocks,
                } => {
                    let inner = attrs.lang.as_deref().map(normalize);
                    let lang = inner.as_deref().unwrap_or(lang);
                    self.inlines(lang, caption);
                    self.blocks(lang, blocks);
                }
                BlockKind::DefinitionList { attrs, items } => {
                    let inner = attrs.lang.as_deref().map(normalize);
                    let lang = inner.as_deref().unwrap_or(lang);
                    for item in items {
                        self.inlines(lang, &item.term);
                        for detail in &item.details {
                            self.blocks(lang, detail);
                        }
                    }
                }
                BlockKind::Rule => {}
            }
        }
    }

    fn finish(self) -> Needs {
        let mut needs = Needs::new();
        for (lang, seen) in self.ascii {
            let set = needs.entry(lang).or_default();
            set.extend(
                (0..128u8)
                    .filter(|&b| seen[usize::from(b)])
                    .map(char::from)
                    .filter(|c| !c.is_ascii_control() && *c != ' '),
            );
        }
        for (lang, chars) in self.other {
            needs.entry(lang).or_default().extend(chars);
        }
        needs.retain(|_, chars| !chars.is_empty());
        needs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_are_filed_under_their_language_spaces_and_controls_dropped() {
        let mut c = Collector::default();
        c.text("en", "Café au lait\n");
        c.text("ja", "日本 ok");
        c.text("en", "“Zed”\t");
        c.text("ja", "語");
        let needs = c.finish();
        let chars = |lang: &str| needs[lang].iter().collect::<String>();
        assert_eq!(chars("en"), "CZadefiltué“”");
        assert_eq!(chars("ja"), "ko日本語");
        assert_eq!(needs.len(), 2);
    }
}
