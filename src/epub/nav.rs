//! The table of contents, computed once from the tree and written twice: as the
//! EPUB 3 navigation document (with landmarks) and, through epub-builder, as the
//! NCX that older readers use.

use super::names::Names;
use super::xhtml::{chapter_title, escape};
use crate::ir::{BlockKind, Book, Chapter, Inline, InlineKind, Metadata, plain_text};
use crate::typography::lang::Labels;
use std::fmt::Write as _;

/// One entry of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Plain text, for the NCX and the chapter's `<title>`.
    pub title: String,
    /// The title as XHTML phrasing content (code spans and emphasis kept),
    /// for the navigation document.
    pub markup: String,
    /// Package-relative link.
    pub href: String,
    /// Nested entries.
    pub children: Vec<Entry>,
    /// The language of the title when it is not the book's (a chapter in
    /// another language), for `lang` on its link.
    pub lang: Option<String>,
    /// `rtl` or `ltr` when the title runs the other way from the book.
    pub dir: Option<&'static str>,
}

/// The `dir` a chapter's document and entries need: its direction when it
/// differs from the book's (or the book's, when that is right to left).
pub fn direction(chapter: &Chapter, meta: &Metadata) -> Option<&'static str> {
    let book_rtl = crate::typography::lang::is_rtl(&meta.language);
    match (chapter.rtl(meta), book_rtl) {
        (true, _) => Some("rtl"),
        (false, true) => Some("ltr"),
        (false, false) => None,
    }
}

/// The chapter's language and direction where they differ from the book's.
fn differs(chapter: &Chapter, meta: &Metadata) -> (Option<String>, Option<&'static str>) {
    let lang = chapter
        .lang
        .as_ref()
        .filter(|l| !l.eq_ignore_ascii_case(&meta.language))
        .cloned();
    let book_rtl = crate::typography::lang::is_rtl(&meta.language);
    let dir = (chapter.rtl(meta) != book_rtl).then(|| direction(chapter, meta).unwrap_or("ltr"));
    (lang, dir)
}

/// Entries for a generated page that is not a chapter (cover, title page).
pub struct Generated {
    /// Text shown.
    pub title: String,
    /// File name.
    pub href: String,
    /// Landmark type (`cover`, `titlepage`, `copyright-page`).
    pub landmark: &'static str,
}

/// One chapter's entry with its nesting level (0 = top), in reading order.
pub struct Flat {
    /// Index of the chapter.
    pub chapter: usize,
    /// Nesting level: `SUMMARY.md` depth, plus one under a part.
    pub level: usize,
    /// The entry, with its sections as children.
    pub entry: Entry,
}

/// Chapters in reading order with their levels ([`crate::ir::outline`]):
/// chapters nest under the part before them, sections under their chapter as
/// `SUMMARY.md` nests them; headings inside a chapter go down to heading
/// level `depth` (1 = chapters only; a section's title is level 2).
pub fn flat(book: &Book, names: &Names, depth: u8) -> Vec<Flat> {
    let levels = crate::ir::outline::levels(book);
    let mut out = Vec::with_capacity(book.chapters.len());
    for (i, chapter) in book.chapters.iter().enumerate() {
        let mut title = chapter_title(chapter);
        let mut markup = title_markup(&chapter.title);
        if markup.trim().is_empty() {
            markup = escape(&title);
        }
        if let Some(n) = chapter.number {
            title = format!("{n}. {title}");
            markup = format!("{n}. {markup}");
        }
        let (lang, dir) = differs(chapter, &book.meta);
        let entry = Entry {
            title,
            markup,
            href: names.chapter(i).to_owned(),
            children: sections(book, i, names, depth),
            lang,
            dir,
        };
        out.push(Flat {
            chapter: i,
            level: usize::from(levels[i]),
            entry,
        });
    }
    out
}

/// Inline title content as XHTML phrasing content: text, code spans,
/// emphasis and strikethrough kept; links, notes and images reduced to their
/// text (a navigation entry is one link already).
pub fn title_markup(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match &inline.kind {
            InlineKind::Text(t) => out.push_str(&escape(&super::xhtml::xml_chars(t))),
            InlineKind::Code(t) => {
                let _ = write!(out, "<code>{}</code>", escape(&super::xhtml::xml_chars(t)));
            }
            InlineKind::Emph(c) => {
                let _ = write!(out, "<em>{}</em>", title_markup(c));
            }
            InlineKind::Strong(c) => {
                let _ = write!(out, "<strong>{}</strong>", title_markup(c));
            }
            InlineKind::Strike(c) => {
                let _ = write!(out, "<del>{}</del>", title_markup(c));
            }
            InlineKind::Link { content, .. } => out.push_str(&title_markup(content)),
            InlineKind::SoftBreak | InlineKind::HardBreak => out.push(' '),
            InlineKind::Image(image) => out.push_str(&escape(&super::xhtml::xml_chars(&image.alt))),
            InlineKind::Sup(c) => {
                let _ = write!(out, "<sup>{}</sup>", title_markup(c));
            }
            InlineKind::Sub(c) => {
                let _ = write!(out, "<sub>{}</sub>", title_markup(c));
            }
            // Spans and keys keep their text; ids must not appear twice.
            InlineKind::Span { content: c, .. } | InlineKind::Kbd(c) => {
                out.push_str(&title_markup(c))
            }
            InlineKind::NoteRef { .. } | InlineKind::PageRef { .. } | InlineKind::Anchor { .. } => {
            }
        }
    }
    out
}

/// Nests flat entries by level into a tree.
pub fn nest(flat: &[Flat]) -> Vec<Entry> {
    let mut top: Vec<Entry> = Vec::new();
    for item in flat {
        let mut list = &mut top;
        for _ in 0..item.level {
            if list.is_empty() {
                break;
            }
            let last = list.len() - 1;
            list = &mut list[last].children;
        }
        list.push(item.entry.clone());
    }
    top
}

/// Entries for the headings of chapter `index` below its title, down to
/// heading level `depth`, nested.
fn sections(book: &Book, index: usize, names: &Names, depth: u8) -> Vec<Entry> {
    let chapter = &book.chapters[index];
    let (lang, dir) = differs(chapter, &book.meta);
    let title_level = chapter.depth.saturating_add(1);
    let mut root: Vec<Entry> = Vec::new();
    let mut open: Vec<u8> = Vec::new();
    let skip = usize::from(chapter.title_block().is_some());
    for block in &chapter.blocks[skip..] {
        let BlockKind::Heading {
            level, id, content, ..
        } = &block.kind
        else {
            continue;
        };
        if *level <= title_level || *level > depth {
            continue;
        }
        let title = super::xhtml::xml_chars(plain_text(content).trim());
        let (title, markup) = if title.is_empty() {
            let id = super::xhtml::xml_chars(id);
            (id.clone(), escape(&id))
        } else {
            (title, title_markup(content))
        };
        let entry = Entry {
            title,
            markup,
            href: names.link(usize::MAX, index, Some(id)),
            children: Vec::new(),
            lang: lang.clone(),
            dir,
        };
        // Under the nearest entry above its level (skipped levels make no
        // empty entries).
        while open.last().is_some_and(|l| l >= level) {
            open.pop();
        }
        let mut list = &mut root;
        for _ in 0..open.len() {
            let last = list.len() - 1;
            list = &mut list[last].children;
        }
        list.push(entry);
        open.push(*level);
    }
    root
}

/// The navigation document: `toc` nav and a hidden `landmarks` nav.
pub fn document(
    lang: &str,
    toc: &[Entry],
    generated: &[Generated],
    first_body: Option<&str>,
    labels: &Labels,
) -> String {
    document_with_pages(lang, toc, generated, first_body, labels, &[])
}

/// [`document`], with a hidden `page-list` nav of the print edition's pages
/// (`href`, label) when there are any.
pub fn document_with_pages(
    lang: &str,
    toc: &[Entry],
    generated: &[Generated],
    first_body: Option<&str>,
    labels: &Labels,
    pages: &[(String, String)],
) -> String {
    let mut body = String::new();
    let _ = writeln!(
        body,
        "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\" aria-labelledby=\"toc-title\">\n<h1 id=\"toc-title\">{}</h1>",
        escape(labels.contents)
    );
    list(&mut body, toc);
    body.push_str("</nav>\n");
    let _ = writeln!(
        body,
        "<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\">\n<h2>{}</h2>\n<ol>",
        escape(labels.guide)
    );
    for page in generated {
        let _ = writeln!(
            body,
            "<li><a epub:type=\"{}\" href=\"{}\">{}</a></li>",
            page.landmark,
            escape(&page.href),
            escape(&page.title)
        );
    }
    // No `toc` landmark: the navigation document is not in the spine, and a
    // landmark must point at a spine item (EPUBCheck RSC-011).
    if let Some(href) = first_body {
        let _ = writeln!(
            body,
            "<li><a epub:type=\"bodymatter\" href=\"{}\">{}</a></li>",
            escape(href),
            escape(labels.start)
        );
    }
    body.push_str("</ol>\n</nav>\n");
    if !pages.is_empty() {
        body.push_str("<nav epub:type=\"page-list\" id=\"page-list\" role=\"doc-pagelist\" hidden=\"hidden\">\n<ol>\n");
        for (href, label) in pages {
            let _ = writeln!(
                body,
                "<li><a href=\"{}\">{}</a></li>",
                escape(href),
                escape(label)
            );
        }
        body.push_str("</ol>\n</nav>\n");
    }
    super::xhtml::document(lang, labels.contents, "frontmatter", &body)
}

fn list(out: &mut String, entries: &[Entry]) {
    out.push_str("<ol>\n");
    for e in entries {
        let mut attrs = String::new();
        if let Some(lang) = &e.lang {
            let _ = write!(attrs, " lang=\"{l}\" xml:lang=\"{l}\"", l = escape(lang));
        }
        if let Some(dir) = e.dir {
            let _ = write!(attrs, " dir=\"{dir}\"");
        }
        let _ = write!(
            out,
            "<li><a href=\"{}\"{attrs}>{}</a>",
            escape(&e.href),
            e.markup
        );
        if !e.children.is_empty() {
            out.push('\n');
            list(out, &e.children);
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
}

/// The same tree as epub-builder TOC elements, for the NCX.
pub fn to_builder(entry: &Entry, level: i32) -> epub_builder::TocElement {
    entry.children.iter().fold(
        epub_builder::TocElement::new(entry.href.clone(), entry.title.clone()).level(level),
        |e, child| e.child(to_builder(child, level + 1)),
    )
}
