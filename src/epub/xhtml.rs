//! IR → XHTML content documents. One function per node kind; everything that
//! reaches the output is escaped here. Raw HTML never reaches this module as
//! text: the parser turned it into nodes, and only the attributes it kept
//! (`id`, `class`, `lang`, `dir`, `title`, and `data-*` for the rest) are
//! written, so no script, style or event handler can get into the book.

use super::names::Names;
use crate::ir::{
    Align, Attrs, Block, BlockKind, Book, Chapter, Footnote, Inline, InlineKind, Length,
    LinkTarget, Role, plain_text,
};
use crate::typography::lang::Labels;
use std::collections::HashMap;
use std::fmt::Write as _;

/// Escapes text content.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, &mut out);
    out
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 forbids (NUL, most C0 controls) are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// A complete XHTML document around `body`.
pub fn document(lang: &str, title: &str, body_type: &str, body: &str) -> String {
    document_in(lang, None, title, body_type, body)
}

/// [`document`] in a direction (`dir="rtl"` on `<html>` for a chapter
/// written right to left, `dir="ltr"` for a left-to-right one in a
/// right-to-left book).
pub fn document_in(
    lang: &str,
    dir: Option<&str>,
    title: &str,
    body_type: &str,
    body: &str,
) -> String {
    let mut out = String::with_capacity(body.len() + 512);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
    let dir = dir.map(|d| format!(" dir=\"{d}\"")).unwrap_or_default();
    let _ = write!(
        out,
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{l}\" xml:lang=\"{l}\"{dir}>\n<head>\n<meta charset=\"utf-8\"/>\n<title>{t}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\"/>\n</head>\n<body epub:type=\"{b}\">\n",
        l = escape(lang),
        t = escape(title),
        b = body_type
    );
    out.push_str(body);
    out.push_str("</body>\n</html>\n");
    out
}

/// `epub:type` and ARIA role for a chapter role. Roles without a DPUB-ARIA
/// equivalent get none rather than an invalid one.
pub fn semantics(role: Role) -> (&'static str, Option<&'static str>) {
    match role {
        Role::Cover => ("cover", None),
        Role::TitlePage => ("titlepage", None),
        Role::Copyright => ("copyright-page", None),
        Role::Dedication => ("dedication", Some("doc-dedication")),
        Role::Epigraph => ("epigraph", Some("doc-epigraph")),
        Role::Foreword => ("foreword", Some("doc-foreword")),
        Role::Preface => ("preface", Some("doc-preface")),
        Role::Introduction => ("introduction", Some("doc-introduction")),
        Role::Chapter => ("chapter", Some("doc-chapter")),
        Role::Part => ("part", Some("doc-part")),
        Role::Appendix => ("appendix", Some("doc-appendix")),
        Role::Afterword => ("afterword", Some("doc-afterword")),
        Role::Acknowledgments => ("acknowledgments", Some("doc-acknowledgments")),
        Role::Glossary => ("glossary", Some("doc-glossary")),
        Role::Bibliography => ("bibliography", Some("doc-bibliography")),
        Role::AboutTheAuthor => ("contributors", None),
    }
}

/// Renders one chapter's body (the part inside `<body>`).
pub fn chapter(book: &Book, index: usize, names: &Names, labels: &Labels) -> String {
    chapter_with_pages(book, index, names, labels, &PageMarkers::default())
}

/// Page-break markers of the print edition to place in one chapter: by block
/// (the first byte of its span; `None` for the chapter's start), the
/// character offsets and page labels, in order (see [`crate::pagemap`]).
#[derive(Debug, Clone, Default)]
pub struct PageMarkers {
    /// Markers by block.
    pub by_block: HashMap<Option<u32>, Vec<(u32, String)>>,
    /// The printed label of every named place, for page references.
    pub anchors: Option<std::sync::Arc<crate::pagemap::PrintPages>>,
}

/// The element marking where a print page begins (EPUB 3 `pagebreak`), its
/// id `page-N` for the page list.
pub fn page_break(label: &str) -> String {
    format!(
        "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"{}\" aria-label=\"{}\"/>",
        escape(&page_id(label)),
        escape(label)
    )
}

/// The id of a page-break marker.
pub fn page_id(label: &str) -> String {
    format!("page-{label}")
}

/// [`chapter`], with the print edition's page-break markers and page
/// numbers for page references.
pub fn chapter_with_pages(
    book: &Book,
    index: usize,
    names: &Names,
    labels: &Labels,
    pages: &PageMarkers,
) -> String {
    let chapter = &book.chapters[index];
    let mut w = Writer {
        book,
        names,
        chapter: index,
        out: String::with_capacity(4096),
        markers: pages.by_block.clone(),
        pending: std::collections::VecDeque::new(),
        count: 0,
        anchors: pages.anchors.clone(),
        labels: *labels,
        in_link: false,
    };
    let (epub_type, aria) = semantics(chapter.role);
    let title_id = format!("{}-title", chapter.id);
    // The title is set once: the file's own opening heading, or this one.
    let own_title = chapter.title_block().and_then(|b| match &b.kind {
        BlockKind::Heading { id, .. } => Some(id.clone()),
        _ => None,
    });
    let labelled_by = own_title.clone().unwrap_or(title_id.clone());
    let _ = write!(w.out, "<section epub:type=\"{epub_type}\"");
    if let Some(aria) = aria {
        let _ = write!(w.out, " role=\"{aria}\"");
    }
    let _ = writeln!(w.out, " aria-labelledby=\"{}\">", escape(&labelled_by));
    if let Some(starts) = w.markers.remove(&None) {
        for (_, label) in starts {
            w.out.push_str(&page_break(&label));
        }
    }
    if let Some(n) = chapter.number {
        let _ = writeln!(
            w.out,
            "<p class=\"chapter-label\" aria-hidden=\"true\">{}</p>",
            escape(&labels.chapter_number(&n.to_string()))
        );
    }
    if own_title.is_none() {
        let class = if chapter.role == Role::Part {
            " class=\"part-title\""
        } else {
            ""
        };
        // A section's title sits at its depth in the book's outline.
        let level = chapter.depth.saturating_add(1).min(6);
        let _ = write!(w.out, "<h{level} id=\"{}\"{class}>", escape(&title_id));
        w.inlines(&chapter.title);
        let _ = writeln!(w.out, "</h{level}>");
    }
    w.blocks(&chapter.blocks);
    // Markers whose block the chapter did not show (they cannot be lost:
    // the page list points at them).
    let mut rest: Vec<(u32, String)> = w.markers.drain().flat_map(|(_, m)| m).collect();
    rest.sort();
    for (_, label) in rest {
        w.out.push_str(&page_break(&label));
    }
    w.out.push_str("</section>\n");
    if !chapter.notes.is_empty() {
        w.notes(&chapter.notes, labels);
    }
    w.out
}

struct Writer<'a> {
    book: &'a Book,
    names: &'a Names,
    chapter: usize,
    out: String,
    /// Page-break markers not yet placed, by block.
    markers: HashMap<Option<u32>, Vec<(u32, String)>>,
    /// The markers of the block being written, by character offset.
    pending: std::collections::VecDeque<(u32, String)>,
    /// Characters of the current block's text written so far.
    count: u32,
    /// Printed page labels for page references.
    anchors: Option<std::sync::Arc<crate::pagemap::PrintPages>>,
    /// The book's words ("page 42" as the PDF prints it).
    labels: Labels,
    /// Inside an `<a href>`: links there (HTML may nest them) keep only their text.
    in_link: bool,
}

impl Writer<'_> {
    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    /// Starts counting the text of `block` for its page-break markers;
    /// markers before its first character are written at once.
    fn enter(&mut self, block: &Block) {
        self.enter_at(block.span.start);
    }

    /// [`Writer::enter`] for the text starting at source byte `start`.
    fn enter_at(&mut self, start: u32) {
        self.leave();
        self.count = 0;
        if let Some(mut markers) = self.markers.remove(&Some(start)) {
            markers.sort_by_key(|(offset, _)| *offset);
            self.pending = markers.into();
        }
        self.markers_until(0);
    }

    /// Writes the markers left in the current block (past its text).
    fn leave(&mut self) {
        while let Some((_, label)) = self.pending.pop_front() {
            self.out.push_str(&page_break(&label));
        }
    }

    /// Writes the pending markers at or before character `offset`.
    fn markers_until(&mut self, offset: u32) {
        while self.pending.front().is_some_and(|(at, _)| *at <= offset) {
            if let Some((_, label)) = self.pending.pop_front() {
                self.out.push_str(&page_break(&label));
            }
        }
    }

    /// Escaped block text, counted, with the markers that fall inside it.
    fn text(&mut self, text: &str) {
        if self.pending.is_empty() {
            escape_into(text, &mut self.out);
            self.count = self
                .count
                .saturating_add(u32::try_from(text.chars().count()).unwrap_or(u32::MAX));
            return;
        }
        let mut start = 0;
        for (i, _) in text.char_indices() {
            if self
                .pending
                .front()
                .is_some_and(|(at, _)| *at <= self.count)
            {
                escape_into(&text[start..i], &mut self.out);
                start = i;
                self.markers_until(self.count);
            }
            self.count = self.count.saturating_add(1);
        }
        escape_into(&text[start..], &mut self.out);
    }

    fn block(&mut self, block: &Block) {
        if matches!(
            block.kind,
            BlockKind::Heading { .. }
                | BlockKind::Paragraph { .. }
                | BlockKind::Code { .. }
                | BlockKind::Table(_)
                | BlockKind::Figure(_)
                | BlockKind::Details { .. }
        ) {
            self.enter(block);
        }
        self.block_body(block);
        self.leave();
    }

    fn block_body(&mut self, block: &Block) {
        match &block.kind {
            BlockKind::Heading {
                level,
                id,
                classes,
                content,
            } => {
                let level = (*level).clamp(1, 6);
                let _ = write!(self.out, "<h{level} id=\"{}\"", escape(id));
                if !classes.is_empty() {
                    let _ = write!(self.out, " class=\"{}\"", escape(&classes.join(" ")));
                }
                self.out.push('>');
                self.inlines(content);
                let _ = writeln!(self.out, "</h{level}>");
            }
            BlockKind::Paragraph { content } => {
                self.out.push_str("<p>");
                self.inlines(content);
                self.out.push_str("</p>\n");
            }
            BlockKind::Quote { blocks } => {
                self.out.push_str("<blockquote>\n");
                self.blocks(blocks);
                self.out.push_str("</blockquote>\n");
            }
            BlockKind::List { start, items } => {
                let tag = if start.is_some() { "ol" } else { "ul" };
                let tasks = items.iter().any(|i| i.task.is_some());
                self.out.push('<');
                self.out.push_str(tag);
                if let Some(n) = start.filter(|&n| n != 1) {
                    let _ = write!(self.out, " start=\"{n}\"");
                }
                if tasks {
                    self.out.push_str(" class=\"tasks\"");
                }
                self.out.push_str(">\n");
                for item in items {
                    match item.task {
                        Some(done) => {
                            let (class, mark, label) = if done {
                                ("task done", "☑", "done")
                            } else {
                                ("task", "☐", "not done")
                            };
                            let _ = write!(
                                self.out,
                                "<li class=\"{class}\"><span class=\"task-box\" role=\"img\" aria-label=\"{label}\">{mark}</span> "
                            );
                        }
                        None => self.out.push_str("<li>"),
                    }
                    self.list_item_blocks(&item.blocks);
                    self.out.push_str("</li>\n");
                }
                let _ = writeln!(self.out, "</{tag}>");
            }
            BlockKind::Code { lang, text, tokens } => {
                self.out.push_str("<pre class=\"code\"");
                if let Some(lang) = lang {
                    let _ = write!(self.out, " data-lang=\"{}\"", escape(lang));
                }
                self.out.push_str("><code>");
                let mut pos = 0usize;
                for token in tokens {
                    let (start, end) = (token.start as usize, token.end as usize);
                    if start < pos
                        || end < start
                        || end > text.len()
                        || !text.is_char_boundary(start)
                        || !text.is_char_boundary(end)
                    {
                        continue;
                    }
                    self.text(&text[pos..start]);
                    let _ = write!(self.out, "<span class=\"hl-{}\">", token.class.short_name());
                    self.text(&text[start..end]);
                    self.out.push_str("</span>");
                    pos = end;
                }
                self.text(text[pos..].strip_suffix('\n').unwrap_or(&text[pos..]));
                self.out.push_str("</code></pre>\n");
            }
            BlockKind::Table(table) => {
                self.out.push_str("<table>\n");
                if !table.head.is_empty() {
                    self.out.push_str("<thead>\n<tr>");
                    for (i, cell) in table.head.iter().enumerate() {
                        self.cell(
                            "th",
                            table.align.get(i).copied().unwrap_or(Align::None),
                            &cell.content,
                        );
                    }
                    self.out.push_str("</tr>\n</thead>\n");
                }
                self.out.push_str("<tbody>\n");
                for row in &table.rows {
                    self.out.push_str("<tr>");
                    for (i, cell) in row.iter().enumerate() {
                        self.cell(
                            "td",
                            table.align.get(i).copied().unwrap_or(Align::None),
                            &cell.content,
                        );
                    }
                    self.out.push_str("</tr>\n");
                }
                self.out.push_str("</tbody>\n</table>\n");
            }
            BlockKind::Figure(figure) => {
                self.out.push_str("<figure");
                if let Some(id) = &figure.id {
                    let _ = write!(self.out, " id=\"{}\"", escape(id));
                }
                self.out.push_str(">\n");
                self.image(&figure.image, None);
                self.out.push('\n');
                if !figure.caption.is_empty() {
                    self.out.push_str("<figcaption>");
                    self.inlines(&figure.caption);
                    self.out.push_str("</figcaption>\n");
                }
                self.out.push_str("</figure>\n");
            }
            BlockKind::Rule => self.out.push_str("<hr/>\n"),
            BlockKind::Div { attrs, blocks } => {
                self.out.push_str("<div");
                self.attributes(attrs, true);
                self.out.push_str(">\n");
                self.blocks(blocks);
                self.out.push_str("</div>\n");
            }
            BlockKind::Details {
                attrs,
                summary,
                blocks,
            } => {
                // Open: a book's reader should not have to find the toggle.
                self.out.push_str("<details open=\"open\"");
                self.attributes(attrs, false);
                self.out.push_str(">\n<summary>");
                self.inlines(summary);
                self.out.push_str("</summary>\n");
                self.blocks(blocks);
                self.out.push_str("</details>\n");
            }
            BlockKind::BlockFigure {
                attrs,
                caption,
                blocks,
            } => {
                self.out.push_str("<figure");
                self.attributes(attrs, false);
                self.out.push_str(">\n");
                self.blocks(blocks);
                if !caption.is_empty() {
                    self.out.push_str("<figcaption>");
                    self.inlines(caption);
                    self.out.push_str("</figcaption>\n");
                }
                self.out.push_str("</figure>\n");
            }
            BlockKind::DefinitionList { attrs, items } => {
                self.out.push_str("<dl");
                self.attributes(attrs, false);
                self.out.push_str(">\n");
                for item in items {
                    // Every group needs a term and a description to be valid.
                    self.out.push_str("<dt>");
                    // A page may begin at a term: its marker inside `dt`.
                    self.enter_at(item.span.start);
                    self.inlines(&item.term);
                    self.leave();
                    self.out.push_str("</dt>\n");
                    if item.details.is_empty() {
                        self.out.push_str("<dd></dd>\n");
                    }
                    for details in &item.details {
                        self.out.push_str("<dd>");
                        self.list_item_blocks(details);
                        self.out.push_str("</dd>\n");
                    }
                }
                self.out.push_str("</dl>\n");
            }
        }
    }

    /// The attributes the parser kept, as valid XHTML: `lang` doubled as
    /// `xml:lang`, other attributes as `data-*`; with `name_class`, the
    /// element's own name (`listing`) becomes a class, for stylesheets.
    fn attributes(&mut self, attrs: &Attrs, name_class: bool) {
        if let Some(id) = &attrs.id {
            let _ = write!(self.out, " id=\"{}\"", escape(id));
        }
        let mut classes: Vec<&str> = attrs.classes.iter().map(String::as_str).collect();
        if name_class
            && !matches!(attrs.element.as_str(), "div" | "span" | "")
            && !classes.contains(&attrs.element.as_str())
        {
            classes.insert(0, &attrs.element);
        }
        if !classes.is_empty() {
            let _ = write!(self.out, " class=\"{}\"", escape(&classes.join(" ")));
        }
        if let Some(lang) = &attrs.lang {
            let _ = write!(self.out, " lang=\"{l}\" xml:lang=\"{l}\"", l = escape(lang));
        }
        if let Some(dir) = &attrs.dir {
            let _ = write!(self.out, " dir=\"{}\"", escape(dir));
        }
        if let Some(title) = &attrs.title {
            let _ = write!(self.out, " title=\"{}\"", escape(title));
        }
        for (key, value) in &attrs.other {
            let prefix = if key.starts_with("data-") {
                ""
            } else {
                "data-"
            };
            let _ = write!(self.out, " {prefix}{key}=\"{}\"", escape(value));
        }
    }

    /// A tight item's single paragraph is written without `<p>`, so lists keep
    /// their compact spacing on every reader.
    fn list_item_blocks(&mut self, blocks: &[Block]) {
        match blocks {
            [
                Block {
                    kind: BlockKind::Paragraph { content },
                    ..
                },
                rest @ ..,
            ] if rest
                .iter()
                .all(|b| matches!(b.kind, BlockKind::List { .. })) =>
            {
                self.enter(&blocks[0]);
                self.inlines(content);
                self.leave();
                if !rest.is_empty() {
                    self.out.push('\n');
                    self.blocks(rest);
                }
            }
            _ => {
                self.out.push('\n');
                self.blocks(blocks);
            }
        }
    }

    fn cell(&mut self, tag: &str, align: Align, content: &[Inline]) {
        let class = match align {
            Align::None => "",
            Align::Left => " class=\"align-left\"",
            Align::Center => " class=\"align-center\"",
            Align::Right => " class=\"align-right\"",
        };
        let _ = write!(self.out, "<{tag}{class}>");
        self.inlines(content);
        let _ = write!(self.out, "</{tag}>");
    }

    fn image(&mut self, image: &crate::ir::Image, class: Option<&str>) {
        let src = image.asset.map(|a| self.names.asset(a)).unwrap_or_default();
        let _ = write!(
            self.out,
            "<img src=\"{}\" alt=\"{}\"",
            escape(&src),
            escape(&image.alt)
        );
        if let Some(class) = class {
            let _ = write!(self.out, " class=\"{class}\"");
        }
        if !image.title.is_empty() && class.is_some() {
            let _ = write!(self.out, " title=\"{}\"", escape(&image.title));
        }
        // The author's size; the stylesheet holds every image to the column.
        let css = |length: Length| match length {
            Length::Px(px) => format!("{px}px"),
            Length::Percent(p) => format!("{p}%"),
        };
        match (image.width, image.height) {
            (Some(w), _) => {
                let _ = write!(self.out, " style=\"width: {}\"", css(w));
            }
            (None, Some(h)) => {
                let _ = write!(self.out, " style=\"height: {}\"", css(h));
            }
            (None, None) => {}
        }
        self.out.push_str("/>");
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn inline(&mut self, inline: &Inline) {
        match &inline.kind {
            InlineKind::Text(text) => self.text(text),
            InlineKind::Emph(c) => self.wrap("em", c),
            InlineKind::Strong(c) => self.wrap("strong", c),
            InlineKind::Strike(c) => self.wrap("del", c),
            InlineKind::Code(code) => {
                self.out.push_str("<code>");
                self.text(code);
                self.out.push_str("</code>");
            }
            InlineKind::Link {
                target,
                title,
                content,
            } => {
                let href = match target {
                    _ if self.in_link => {
                        self.inlines(content);
                        return;
                    }
                    LinkTarget::External(url) => url.clone(),
                    LinkTarget::Internal { chapter, anchor } => {
                        self.names.link(self.chapter, *chapter, anchor.as_deref())
                    }
                    LinkTarget::Unresolved(_) => {
                        self.inlines(content);
                        return;
                    }
                };
                let _ = write!(self.out, "<a href=\"{}\"", escape(&href));
                if !title.is_empty() {
                    let _ = write!(self.out, " title=\"{}\"", escape(title));
                }
                self.out.push('>');
                self.in_link = true;
                self.inlines(content);
                self.in_link = false;
                self.out.push_str("</a>");
            }
            InlineKind::Image(image) => self.image(image, Some("inline")),
            InlineKind::NoteRef {
                number,
                note_id,
                ref_id,
                ..
            } => {
                let _ = write!(
                    self.out,
                    "<sup><a epub:type=\"noteref\" role=\"doc-noteref\" id=\"{}\" href=\"#{}\">{number}</a></sup>",
                    escape(ref_id),
                    escape(note_id)
                );
            }
            InlineKind::PageRef { target } => {
                if let LinkTarget::Internal { chapter, anchor } = target {
                    let href = self.names.link(self.chapter, *chapter, anchor.as_deref());
                    // With the print edition's pages: the page it prints.
                    let printed = self.anchors.as_ref().and_then(|pages| match anchor {
                        Some(id) => pages.anchors.get(id).cloned(),
                        None => pages.chapters.get(*chapter).cloned().flatten(),
                    });
                    if let Some(label) = printed {
                        let _ = write!(
                            self.out,
                            "<a href=\"{}\">{}</a>",
                            escape(&href),
                            escape(&self.labels.page_number(&label))
                        );
                        return;
                    }
                    let title = crate::ir::target_title(self.book, *chapter, anchor.as_deref());
                    let _ = write!(
                        self.out,
                        "<a href=\"{}\">{}</a>",
                        escape(&href),
                        escape(&title)
                    );
                }
            }
            InlineKind::SoftBreak => self.out.push('\n'),
            InlineKind::HardBreak => self.out.push_str("<br/>\n"),
            InlineKind::Span { attrs, content } => {
                self.out.push_str("<span");
                self.attributes(attrs, true);
                self.out.push('>');
                self.inlines(content);
                self.out.push_str("</span>");
            }
            InlineKind::Sup(c) => self.wrap("sup", c),
            InlineKind::Sub(c) => self.wrap("sub", c),
            InlineKind::Kbd(c) => self.wrap("kbd", c),
            // A span, not `<a id>`: valid inside a link too.
            InlineKind::Anchor { id } => {
                let _ = write!(self.out, "<span id=\"{}\"></span>", escape(id));
            }
        }
    }

    fn wrap(&mut self, tag: &str, content: &[Inline]) {
        let _ = write!(self.out, "<{tag}>");
        self.inlines(content);
        let _ = write!(self.out, "</{tag}>");
    }

    /// EPUB 3 footnotes: one `aside` per note, each opening with a back link to
    /// its first reference, so pop-up readers show it and linear readers can return.
    fn notes(&mut self, notes: &[Footnote], labels: &Labels) {
        self.out.push_str("<hr class=\"footnotes-rule\"/>\n");
        for note in notes {
            let _ = writeln!(
                self.out,
                "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"{}\" class=\"footnote\">",
                escape(&note.id)
            );
            let backlink = format!(
                "<a href=\"#{}\" role=\"doc-backlink\" class=\"footnote-back\" title=\"{}\">{}.</a> ",
                escape(&note.first_ref),
                escape(labels.back_to_text),
                note.number
            );
            match note.blocks.split_first() {
                Some((
                    Block {
                        kind: BlockKind::Paragraph { content },
                        ..
                    },
                    rest,
                )) => {
                    self.out.push_str("<p>");
                    self.out.push_str(&backlink);
                    self.inlines(content);
                    self.out.push_str("</p>\n");
                    self.blocks(rest);
                }
                _ => {
                    let _ = writeln!(self.out, "<p>{backlink}</p>");
                    self.blocks(&note.blocks);
                }
            }
            self.out.push_str("</aside>\n");
        }
    }
}

/// The plain-text title of a chapter, never empty (navigation entries must have text).
pub fn chapter_title(chapter: &Chapter) -> String {
    let title = xml_chars(plain_text(&chapter.title).trim());
    if title.is_empty() {
        xml_chars(&chapter.id)
    } else {
        title
    }
}

/// `text` without the characters XML 1.0 forbids (NUL, most C0 controls,
/// U+FFFE/U+FFFF), for strings handed to epub-builder, which escapes markup
/// but not those (a NUL in a heading made the NCX unreadable).
pub fn xml_chars(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            ((c as u32) >= 0x20 || matches!(c, '\t' | '\n' | '\r'))
                && !matches!(c, '\u{FFFE}' | '\u{FFFF}')
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_xml_illegal_characters() {
        assert_eq!(
            escape("a<b & \"c\"\u{0}\u{1b}"),
            "a&lt;b &amp; &quot;c&quot;"
        );
    }
}
