//! The table of contents, computed once from the tree and written twice: as the
//! EPUB 3 navigation document (with landmarks) and, through epub-builder, as the
//! NCX that older readers use.

use super::names::Names;
use super::xhtml::{chapter_title, escape};
use crate::ir::{BlockKind, Book, Matter, Role, plain_text};
use crate::typography::lang::Labels;
use std::fmt::Write as _;

/// One entry of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Text shown.
    pub title: String,
    /// Package-relative link.
    pub href: String,
    /// Nested entries.
    pub children: Vec<Entry>,
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

/// Chapters in reading order with their levels: chapters nest under the part
/// before them until back matter starts; sections go down to `depth` heading
/// levels (1 = chapters only).
pub fn flat(book: &Book, names: &Names, depth: u8) -> Vec<Flat> {
    let mut out = Vec::with_capacity(book.chapters.len());
    let mut in_part = false;
    for (i, chapter) in book.chapters.iter().enumerate() {
        let mut title = chapter_title(chapter);
        if let Some(n) = chapter.number {
            title = format!("{n}. {title}");
        }
        let entry = Entry {
            title,
            href: names.chapter(i).to_owned(),
            children: sections(book, i, names, depth),
        };
        let level = if chapter.role == Role::Part {
            in_part = true;
            0
        } else {
            if chapter.role.matter() != Matter::Body {
                in_part = false;
            }
            usize::from(chapter.depth) + usize::from(in_part)
        };
        out.push(Flat {
            chapter: i,
            level,
            entry,
        });
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

/// Section entries of chapter `index`: headings of level 2..=depth, nested.
fn sections(book: &Book, index: usize, names: &Names, depth: u8) -> Vec<Entry> {
    let chapter = &book.chapters[index];
    let mut root: Vec<Entry> = Vec::new();
    for block in &chapter.blocks {
        let BlockKind::Heading {
            level, id, content, ..
        } = &block.kind
        else {
            continue;
        };
        if *level < 2 || *level > depth {
            continue;
        }
        let title = super::xhtml::xml_chars(plain_text(content).trim());
        let title = if title.is_empty() {
            super::xhtml::xml_chars(id)
        } else {
            title
        };
        let entry = Entry {
            title,
            href: names.link(usize::MAX, index, Some(id)),
            children: Vec::new(),
        };
        let mut list = &mut root;
        for _ in 2..*level {
            if list.is_empty() {
                break;
            }
            let last = list.len() - 1;
            list = &mut list[last].children;
        }
        list.push(entry);
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
        let _ = write!(
            out,
            "<li><a href=\"{}\">{}</a>",
            escape(&e.href),
            escape(&e.title)
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
