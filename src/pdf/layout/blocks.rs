//! Block layout: a chapter's blocks → vertical [`Flow`]. Paragraphs become
//! lines chained against widows and orphans; headings are kept with the text
//! that follows; code is set line by line on a tinted band and wrapped with a
//! continuation mark; tables, figures, quotes and lists get their geometry
//! here. Footnotes are laid out into the note store as they are referenced.

use super::cx::{Cx, Role, rgb};
use super::flow::{Flow, Mark, VBox};
use super::frame::{ArtifactKind, Item, NodeRef, Rect, StructKind};
use super::inline::{self, Align, Line, Links, ParaStyle};
use super::listing;
use super::notes::{self, NoteStore};
use super::table;
use super::tagging;
use crate::diag::Span;
use crate::ir::{self, Block, BlockKind, Chapter, Inline, InlineKind, plain_text};
use crate::pagemap::TextPosition;
use std::collections::HashMap;
use std::sync::Arc;

/// Where and how a run of blocks is set.
#[derive(Debug, Clone, Copy)]
struct Frame {
    /// Left edge within the text block.
    x: f32,
    /// Available width.
    width: f32,
    /// Body text settings in this context (size changes inside quotes).
    text: ParaStyle,
}

/// Lays out one chapter into a flow. A chapter starts with a page break and
/// its opening; a section (a chapter nested in `SUMMARY.md`) runs on in its
/// chapter's pages under a heading at its level. The chapter is set in its
/// own language and direction (hyphenation, labels, bidi), whoever calls.
pub fn chapter(
    cx: &mut Cx<'_>,
    links: &mut dyn Links,
    chapter: &Chapter,
    width: f32,
    notes: &mut NoteStore,
    labels: &crate::typography::lang::Labels,
) -> Vec<Flow> {
    let saved = cx.enter_language(chapter.lang.as_deref(), chapter.dir.as_deref());
    let flow = chapter_in_its_language(cx, links, chapter, width, notes, labels);
    cx.leave_language(saved);
    flow
}

fn chapter_in_its_language(
    cx: &mut Cx<'_>,
    links: &mut dyn Links,
    chapter: &Chapter,
    width: f32,
    notes: &mut NoteStore,
    labels: &crate::typography::lang::Labels,
) -> Vec<Flow> {
    let mut b = Builder {
        cx,
        links,
        notes,
        chapter,
        flow: Vec::new(),
        pending_marks: Vec::new(),
        seen_notes: std::collections::HashSet::new(),
        note_index: chapter
            .notes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect(),
    };
    let text = body_style(b.cx);
    let frame = Frame {
        x: 0.0,
        width,
        text,
    };
    if chapter.depth > 0 && chapter.role != ir::Role::Part {
        b.section_title(frame);
        let own_title = usize::from(chapter.title_block().is_some());
        b.blocks(&chapter.blocks[own_title..], frame, false);
        return b.flow;
    }
    b.flow.push(Flow::PageBreak { recto: true });
    b.opening(width, labels);
    let own_title = usize::from(chapter.title_block().is_some());
    b.blocks(&chapter.blocks[own_title..], frame, false);
    b.flow
}

/// The attributes of a block that came from an HTML element.
fn element_attrs(kind: &BlockKind) -> Option<&ir::Attrs> {
    match kind {
        BlockKind::Div { attrs, .. }
        | BlockKind::Details { attrs, .. }
        | BlockKind::BlockFigure { attrs, .. }
        | BlockKind::DefinitionList { attrs, .. } => Some(attrs),
        _ => None,
    }
}

/// The body text style from the print style.
pub fn body_style(cx: &Cx<'_>) -> ParaStyle {
    let t = &cx.style.text;
    ParaStyle {
        role: Role::Body,
        size: t.size,
        leading: t.leading,
        bold: false,
        italic: false,
        color: rgb(t.color),
        align: if t.justify {
            Align::Justify
        } else {
            Align::Left
        },
        hyphenate: t.hyphenate,
        indent: 0.0,
    }
}

struct Builder<'b, 'c, 'a> {
    cx: &'b mut Cx<'a>,
    links: &'c mut dyn Links,
    notes: &'b mut NoteStore,
    chapter: &'b Chapter,
    flow: Vec<Flow>,
    /// Heading marks waiting for the next box.
    pending_marks: Vec<Mark>,
    /// Notes already attached to a line of this chapter.
    seen_notes: std::collections::HashSet<String>,
    /// The chapter's notes by id (a scan per reference was quadratic).
    note_index: HashMap<&'b str, usize>,
}

impl Builder<'_, '_, '_> {
    /// The chapter's opening: drop, "Chapter N", title; the chapter's
    /// destination and its first-level mark.
    fn opening(&mut self, width: f32, labels: &crate::typography::lang::Labels) {
        let chapter = self.chapter;
        let style = self.cx.style;
        let drop = style.headings.chapter_drop.0;
        let h1 = style.heading(1);
        let title_id = match chapter.title_block() {
            Some(Block {
                kind: BlockKind::Heading { id, .. },
                ..
            }) => Some(id.clone()),
            _ => None,
        };
        let mut items = vec![Item::Anchor {
            name: chapter_dest(&chapter.id),
            y: 0.0,
        }];
        if let Some(id) = &title_id {
            items.push(Item::Anchor {
                name: id.clone(),
                y: 0.0,
            });
        }
        let title = plain_text(&chapter.title);
        let marks = vec![Mark {
            level: 0,
            dest: chapter_dest(&chapter.id),
            title: display_title(chapter),
            y: 0.0,
        }];
        self.flow.push(Flow::boxed(VBox {
            height: drop,
            items,
            marks,
            source: self.at(None, Some(0)),
            ..VBox::default()
        }));
        self.flow.push(Flow::Keep);
        let color = rgb(style.headings.color);
        if let (Some(n), true) = (chapter.number, style.headings.chapter_label) {
            let label = ParaStyle {
                role: Role::Heading,
                size: style.text.size * 1.1,
                leading: style.text.leading * 1.4,
                bold: false,
                italic: true,
                color,
                align: Align::Left,
                hyphenate: false,
                indent: 0.0,
            };
            for line in inline::plain(
                self.cx,
                self.links,
                &labels.chapter_number(&n.to_string()),
                width,
                &label,
                chapter.span,
            ) {
                // "Chapter 3" decorates the title (the EPUB hides it too).
                let mut vbox = line.vbox;
                tagging::artifact(&mut vbox.items, ArtifactKind::Layout);
                self.flow.push(Flow::boxed(vbox));
                self.flow.push(Flow::Keep);
            }
        }
        let title_style = ParaStyle {
            role: Role::Heading,
            size: h1.size,
            leading: h1.leading,
            bold: h1.bold,
            italic: h1.italic,
            color,
            align: Align::Left,
            hyphenate: false,
            indent: 0.0,
        };
        let title_inlines = match chapter.title_block() {
            Some(Block {
                kind: BlockKind::Heading { content, .. },
                ..
            }) => content.clone(),
            _ if chapter.title.is_empty() => vec![Inline {
                kind: InlineKind::Text(title),
                span: chapter.span,
            }],
            _ => chapter.title.clone(),
        };
        let title_level = match chapter.title_block() {
            Some(Block {
                kind: BlockKind::Heading { level, .. },
                ..
            }) => *level,
            _ => chapter.depth.saturating_add(1),
        };
        let node = self.open_heading(title_level);
        for line in inline::paragraph(
            self.cx,
            self.links,
            &title_inlines,
            width,
            &title_style,
            chapter.span,
        ) {
            let mut vbox = line.vbox;
            tagging::wrap_node(&mut vbox.items, node);
            vbox.notes = self.notes_for(&line.notes);
            self.flow.push(Flow::boxed(vbox));
            self.flow.push(Flow::Keep);
        }
        self.close(node);
        self.flow.push(Flow::Space(h1.space_after));
    }

    /// A section's title, set as a heading at the section's level where the
    /// section starts (no new page): the file's own opening heading, or the
    /// title from `SUMMARY.md`. Its bookmark carries the navigation title.
    fn section_title(&mut self, frame: Frame) {
        let chapter = self.chapter;
        let (level, id, content, span) = match chapter.title_block() {
            Some(Block {
                kind:
                    BlockKind::Heading {
                        level, id, content, ..
                    },
                span,
            }) => (*level, Some(id.as_str()), content.clone(), *span),
            _ => (
                chapter.depth.saturating_add(1).min(6),
                None,
                chapter.title.clone(),
                chapter.span,
            ),
        };
        let dest = chapter_dest(&chapter.id);
        let mark = Mark {
            level: chapter.depth,
            dest: dest.clone(),
            title: display_title(chapter),
            y: 0.0,
        };
        self.heading_with(level, &dest, id, &content, frame, span, Some(mark));
    }

    fn blocks(&mut self, blocks: &[Block], frame: Frame, in_list: bool) {
        let mut indent_next = false;
        for (k, block) in blocks.iter().enumerate() {
            let after_code = k > 0 && matches!(blocks[k - 1].kind, BlockKind::Code { .. });
            // An HTML container's `lang`/`dir` holds for what it contains.
            let language = element_attrs(&block.kind)
                .map(|a| self.cx.enter_language(a.lang.as_deref(), a.dir.as_deref()));
            match &block.kind {
                BlockKind::Paragraph { content } => {
                    if after_code && listing::is_caption(block) {
                        // A listing's caption stays with its last rows.
                        self.flow.push(Flow::Keep);
                    }
                    let mut style = frame.text;
                    style.indent = if indent_next && !in_list {
                        self.cx.style.text.indent * style.size
                    } else {
                        0.0
                    };
                    self.paragraph(content, frame, &style, block.span);
                    indent_next = true;
                    continue;
                }
                BlockKind::Heading {
                    level, id, content, ..
                } => self.heading(*level, id, content, frame, block.span),
                BlockKind::Quote { blocks: inner } => {
                    let indent = self.cx.style.blocks.quote_indent.0;
                    let mut text = frame.text;
                    text.size = self.cx.style.blocks.quote_size;
                    text.leading = text.leading * text.size / frame.text.size;
                    self.space();
                    let node = self.cx.tags.open(StructKind::BlockQuote);
                    self.blocks(
                        inner,
                        Frame {
                            x: frame.x + indent,
                            width: (frame.width - 2.0 * indent).max(frame.width * 0.5),
                            text,
                        },
                        false,
                    );
                    self.close(node);
                    self.space();
                }
                BlockKind::List { start, items } => {
                    self.space();
                    self.list(*start, items, frame);
                    self.space();
                }
                BlockKind::Code { lang, text, tokens } => {
                    self.space();
                    if k > 0 && listing::introduces(&blocks[k - 1]) {
                        // A filename, "Listing N" or "…:" line stays with
                        // the listing it introduces.
                        self.flow.push(Flow::Keep);
                    }
                    self.code(lang.as_deref(), text, tokens, frame, block.span);
                    self.space();
                }
                BlockKind::Table(table) => {
                    self.space();
                    self.table(table, frame, block.span);
                    self.space();
                }
                BlockKind::Figure(figure) => {
                    self.space();
                    self.figure(
                        &figure.image,
                        &figure.caption,
                        figure.id.as_deref(),
                        frame,
                        block.span,
                    );
                    self.space();
                }
                BlockKind::Rule => {
                    self.space();
                    let y = self.cx.style.text.leading / 2.0;
                    let w = frame.width * 0.25;
                    let x0 = frame.x + (frame.width - w) / 2.0;
                    let color = rgb(self.cx.style.colors.rule);
                    self.push_box(VBox {
                        height: self.cx.style.text.leading,
                        items: vec![Item::Line {
                            x0,
                            y0: y,
                            x1: x0 + w,
                            y1: y,
                            width: 0.5,
                            color,
                        }],
                        ..VBox::default()
                    });
                    self.space();
                }
                BlockKind::Div {
                    attrs,
                    blocks: inner,
                } => {
                    self.anchor(attrs.id.as_deref());
                    let node = self.cx.tags.open(StructKind::Div);
                    self.blocks(inner, frame, in_list);
                    self.close(node);
                }
                BlockKind::Details {
                    attrs,
                    summary,
                    blocks: inner,
                } => {
                    self.space();
                    self.anchor(attrs.id.as_deref());
                    let node = self.cx.tags.open(StructKind::Div);
                    let mut style = frame.text;
                    style.bold = true;
                    style.indent = 0.0;
                    self.paragraph(summary, frame, &style, block.span);
                    self.flow.push(Flow::Keep);
                    self.blocks(inner, frame, in_list);
                    self.close(node);
                    self.space();
                }
                BlockKind::BlockFigure {
                    attrs,
                    caption,
                    blocks: inner,
                } => {
                    self.space();
                    self.anchor(attrs.id.as_deref());
                    // A figure of text and images: its images are Figures
                    // of their own; the whole a group with its caption.
                    let node = self.cx.tags.open(StructKind::Div);
                    self.blocks(inner, frame, in_list);
                    if !caption.is_empty() {
                        self.flow.push(Flow::Keep);
                        let caption_node = self.cx.tags.open(StructKind::Caption);
                        let lines = self.caption(caption, frame.width, block.span);
                        self.close(caption_node);
                        let height = lines.iter().map(|l| l.vbox.height).sum::<f32>() + 6.0;
                        let mut items = Vec::new();
                        let mut note_ids = Vec::new();
                        let mut y = 6.0;
                        for line in lines {
                            items.extend(line.vbox.items.into_iter().map(|i| i.moved(frame.x, y)));
                            y += line.vbox.height;
                            note_ids.extend(line.notes);
                        }
                        tagging::wrap_node(&mut items, caption_node);
                        let notes = self.notes_for(&note_ids);
                        self.push_box(VBox {
                            height,
                            items,
                            notes,
                            ..VBox::default()
                        });
                    }
                    self.close(node);
                    self.space();
                }
                BlockKind::DefinitionList { attrs, items } => {
                    self.space();
                    self.anchor(attrs.id.as_deref());
                    let indent = self.cx.style.blocks.list_indent.0;
                    let inner = Frame {
                        x: frame.x + indent,
                        width: (frame.width - indent).max(frame.width * 0.5),
                        text: frame.text,
                    };
                    // Terms and their descriptions as a list: each term the
                    // label of an item whose body describes it.
                    let list = self.cx.tags.open(StructKind::L { ordered: false });
                    for item in items {
                        let entry = self.cx.tags.open(StructKind::LI);
                        if !item.term.is_empty() {
                            let label = self.cx.tags.open(StructKind::Lbl);
                            let mut style = frame.text;
                            style.bold = true;
                            style.indent = 0.0;
                            self.paragraph(&item.term, frame, &style, item.span);
                            self.close(label);
                            self.flow.push(Flow::Keep);
                        }
                        let body = self.cx.tags.open(StructKind::LBody);
                        for details in &item.details {
                            self.blocks(details, inner, true);
                        }
                        self.close(body);
                        self.close(entry);
                    }
                    self.close(list);
                    self.space();
                }
            }
            if let Some(saved) = language {
                self.cx.leave_language(saved);
            }
            indent_next = false;
        }
    }

    fn space(&mut self) {
        if !matches!(
            self.flow.last(),
            Some(Flow::Space(_)) | Some(Flow::PageBreak { .. })
        ) {
            self.flow.push(Flow::Space(self.cx.style.blocks.space));
        }
    }

    /// The place in the document tree of character `offset` of the block
    /// starting at `span` (`None`: the chapter's start), in the chapter being
    /// set; `None` without an offset or outside a chapter.
    fn at(&self, span: Option<Span>, offset: Option<u32>) -> Option<TextPosition> {
        let chapter = self.cx.tags.group().filter(|&g| g < tagging::GENERATED)?;
        Some(TextPosition {
            chapter: chapter as usize,
            block: span.map(|s| s.start),
            offset: offset?,
        })
    }

    /// Opens a heading node at `level` (kept from skipping levels).
    fn open_heading(&mut self, level: u8) -> Option<NodeRef> {
        let level = self.cx.tags.heading_level(level);
        self.cx.tags.open(StructKind::H(level))
    }

    /// Closes `node` if it was opened.
    fn close(&mut self, node: Option<NodeRef>) {
        if node.is_some() {
            self.cx.tags.close();
        }
    }

    /// A named destination for an element's id (links and the contents
    /// may point at it).
    fn anchor(&mut self, id: Option<&str>) {
        if let Some(id) = id {
            self.push_box(VBox {
                height: 0.0,
                items: vec![Item::Anchor {
                    name: id.to_owned(),
                    y: 0.0,
                }],
                ..VBox::default()
            });
        }
    }

    /// A figure's caption lines: small, italic, centred.
    fn caption(&mut self, caption: &[Inline], width: f32, span: Span) -> Vec<Line> {
        let style = self.cx.style;
        let cap = ParaStyle {
            role: Role::Body,
            size: style.blocks.caption_size,
            leading: style.blocks.caption_size * 1.3,
            bold: false,
            italic: true,
            color: rgb(style.text.color),
            align: Align::Center,
            hyphenate: false,
            indent: 0.0,
        };
        inline::paragraph(self.cx, self.links, caption, width, &cap, span)
    }

    fn push_box(&mut self, mut vbox: VBox) {
        vbox.marks.append(&mut self.pending_marks);
        self.flow.push(Flow::boxed(vbox));
    }

    /// Lines of a paragraph, chained so no single line is left at the top or
    /// bottom of a page.
    fn paragraph(&mut self, content: &[Inline], frame: Frame, style: &ParaStyle, span: Span) {
        let node = self.cx.tags.open(StructKind::P);
        let lines = inline::paragraph(self.cx, self.links, content, frame.width, style, span);
        self.push_lines(lines, frame.x, node, span);
        self.close(node);
    }

    /// A paragraph's lines as boxes, each marked as `node`'s and knowing
    /// where in the block `span` it begins.
    fn push_lines(&mut self, lines: Vec<Line>, x: f32, node: Option<NodeRef>, span: Span) {
        let n = lines.len();
        for (i, line) in lines.into_iter().enumerate() {
            if i == 1 || (i + 1 == n && n > 2) {
                self.flow.push(Flow::Keep);
            }
            let source = self.at(Some(span), line.text_offset);
            let mut vbox = shift(line.vbox, x);
            tagging::wrap_node(&mut vbox.items, node);
            vbox.source = source;
            vbox.notes = self.notes_for(&line.notes);
            self.push_box(vbox);
        }
    }

    fn heading(&mut self, level: u8, id: &str, content: &[Inline], frame: Frame, span: Span) {
        self.heading_with(level, id, None, content, frame, span, None);
    }

    /// A heading with its anchor `id` (and a second anchor `alias`, for a
    /// section's own heading id), its bookmark `mark` (by default its text at
    /// its level).
    #[expect(
        clippy::too_many_arguments,
        reason = "a heading's anchors, text, place and bookmark"
    )]
    fn heading_with(
        &mut self,
        level: u8,
        id: &str,
        alias: Option<&str>,
        content: &[Inline],
        frame: Frame,
        span: Span,
        mark: Option<Mark>,
    ) {
        let h = *self.cx.style.heading(level);
        let color = rgb(self.cx.style.headings.color);
        let style = ParaStyle {
            role: Role::Heading,
            size: h.size,
            leading: h.leading,
            bold: h.bold,
            italic: h.italic,
            color,
            align: Align::Left,
            hyphenate: false,
            indent: 0.0,
        };
        self.flow.push(Flow::Space(h.space_before));
        let node = self.open_heading(level);
        let lines = inline::paragraph(self.cx, self.links, content, frame.width, &style, span);
        self.close(node);
        let title = plain_text(content);
        let mut mark = mark;
        // A section's title is where its file begins; a heading is a block.
        let block = if alias.is_some() || id == chapter_dest(&self.chapter.id) {
            None
        } else {
            Some(span)
        };
        for (i, line) in lines.into_iter().enumerate() {
            let source = self.at(block, line.text_offset);
            let mut vbox = shift(line.vbox, frame.x);
            tagging::wrap_node(&mut vbox.items, node);
            vbox.source = source;
            vbox.notes = self.notes_for(&line.notes);
            if i == 0 {
                vbox.items.insert(
                    0,
                    Item::Anchor {
                        name: id.to_owned(),
                        y: 0.0,
                    },
                );
                if let Some(alias) = alias {
                    vbox.items.insert(
                        1,
                        Item::Anchor {
                            name: alias.to_owned(),
                            y: 0.0,
                        },
                    );
                }
                vbox.marks.push(mark.take().unwrap_or_else(|| Mark {
                    level: level.saturating_sub(1).max(1),
                    dest: id.to_owned(),
                    title: title.clone(),
                    y: 0.0,
                }));
            } else {
                self.flow.push(Flow::Keep);
            }
            self.push_box(vbox);
        }
        self.flow.push(Flow::Space(h.space_after));
        self.flow.push(Flow::Keep);
    }

    fn list(&mut self, start: Option<u64>, items: &[ir::ListItem], frame: Frame) {
        let indent = self.cx.style.blocks.list_indent.0;
        // A right-to-left list is indented from the right, markers there.
        let rtl = self.cx.rtl;
        let width = (frame.width - indent).max(frame.width * 0.5);
        let inner = Frame {
            x: if rtl { frame.x } else { frame.x + indent },
            width,
            text: frame.text,
        };
        let list = self.cx.tags.open(StructKind::L {
            ordered: start.is_some(),
        });
        for (n, item) in items.iter().enumerate() {
            let list_item = self.cx.tags.open(StructKind::LI);
            let label = self.cx.tags.add(StructKind::Lbl);
            let body = self.cx.tags.open(StructKind::LBody);
            let marker = match (item.task, start) {
                (Some(true), _) => "☑".to_owned(),
                (Some(false), _) => "☐".to_owned(),
                (None, Some(first)) => format!("{}.", first.saturating_add(n as u64)),
                (None, None) => {
                    if frame.x > 0.0 && self.in_nested_list(frame) {
                        "–".to_owned()
                    } else {
                        "•".to_owned()
                    }
                }
            };
            let before = self.flow.len();
            self.blocks(&item.blocks, inner, true);
            self.close(body);
            // The marker goes on the item's first line, right-aligned in the indent.
            if let Some(Flow::Box(first)) = self.flow[before..]
                .iter_mut()
                .find(|f| matches!(f, Flow::Box(_)))
            {
                let mut style = frame.text;
                style.align = Align::Right;
                style.indent = 0.0;
                let mut marker_lines = inline::plain(
                    self.cx,
                    self.links,
                    &marker,
                    indent * 0.8,
                    &style,
                    item.span,
                );
                if let Some(line) = marker_lines.pop() {
                    let at = if rtl {
                        frame.x + frame.width - indent * 0.8
                    } else {
                        frame.x
                    };
                    let mut shifted = shift(line.vbox, at);
                    tagging::wrap_node(&mut shifted.items, label);
                    std::sync::Arc::make_mut(first).items.extend(shifted.items);
                }
            }
            self.close(list_item);
        }
        self.close(list);
    }

    fn in_nested_list(&self, frame: Frame) -> bool {
        frame.x >= self.cx.style.blocks.list_indent.0 - 0.01
    }

    /// A code block: one box per printed row on a tinted band, kept whole
    /// when short and with three rows on either side of a break when long;
    /// rows after the third repeat a "(continued)" cue at a page head.
    fn code(
        &mut self,
        _lang: Option<&str>,
        text: &str,
        tokens: &[ir::CodeToken],
        frame: Frame,
        span: Span,
    ) {
        let band = listing::Band {
            x: frame.x,
            width: frame.width,
        };
        let rows = listing::rows(self.cx, text, tokens, band, span);
        let breaks = listing::page_breaks(&rows);
        let cue = breaks
            .contains(&true)
            .then(|| Arc::new(listing::continued_cue(self.cx, self.links, band, span)));
        for (i, row) in rows.into_iter().enumerate() {
            let mut vbox = row.vbox;
            vbox.source = self.at(Some(span), Some(row.chars));
            if i > 0 {
                if !breaks[i] {
                    self.flow.push(Flow::Keep);
                }
                vbox.header = cue.clone();
            }
            self.push_box(vbox);
        }
    }

    /// A table: the header kept with two rows, so it never starts a page
    /// with fewer; the last row never goes on alone.
    fn table(&mut self, table: &ir::Table, frame: Frame, span: Span) {
        let boxes = table::set(self.cx, self.links, table, frame.x, frame.width, span);
        if let Some(mut head) = boxes.head {
            head.source = self.at(Some(span), Some(0));
            // The repeated header carries no notes: they print once, here.
            head.notes = self.notes_for(&boxes.header_notes);
            self.push_box(head);
            self.flow.push(Flow::Keep);
        }
        let n = boxes.rows.len();
        let rows = boxes.rows.into_iter().zip(boxes.row_chars);
        for (i, ((mut row, chars), ids)) in rows.zip(boxes.row_notes).enumerate() {
            if i == 1 || (i + 1 == n && n > 1) {
                self.flow.push(Flow::Keep);
            }
            row.source = self.at(Some(span), Some(chars));
            row.notes = self.notes_for(&ids);
            self.push_box(row);
        }
    }

    /// A figure at the size its author gave (`width`, `style="width: 50%"`:
    /// percent of the measure), else at its natural size (a raster image's
    /// pixels at the resolution it records, 300 pixels per inch when none; an
    /// SVG's CSS pixels); never wider than the measure nor taller than 70% of
    /// the text block, its proportions kept.
    fn figure(
        &mut self,
        source: &ir::Image,
        caption: &[Inline],
        id: Option<&str>,
        frame: Frame,
        span: Span,
    ) {
        let Some(asset) = source.asset else { return };
        let Some((image, px_w, px_h)) = self.links.image(asset) else {
            return;
        };
        let alt = source.alt.as_str();
        let is_svg = self.links.is_vector(image);
        let per_px = if is_svg {
            0.75
        } else {
            72.0 / self.links.pixels_per_inch(asset).unwrap_or(300.0)
        };
        let (nat_w, nat_h) = (px_w.max(1) as f32 * per_px, px_h.max(1) as f32 * per_px);
        let length = |l: ir::Length| match l {
            ir::Length::Px(px) => px * 0.75,
            ir::Length::Percent(p) => frame.width * p / 100.0,
        };
        let wanted = match (source.width, source.height) {
            (Some(w), _) => length(w),
            (None, Some(h)) => nat_w * length(h) / nat_h,
            (None, None) => nat_w,
        };
        let mut w = wanted.clamp(1.0, frame.width);
        let mut h = nat_h * w / nat_w;
        let max_h = self.links.text_height() * 0.7;
        if h > max_h {
            w *= max_h / h;
            h = max_h;
        }
        let x = frame.x + (frame.width - w) / 2.0;
        let mut items = Vec::new();
        if let Some(id) = id {
            items.push(Item::Anchor {
                name: id.to_owned(),
                y: 0.0,
            });
        }
        let node = self.cx.tags.open(StructKind::Figure);
        // Described by its alternative text; one without is the
        // `missing-alt` lint's (an error under `--strict`).
        if let Some(node) = node.filter(|_| !alt.trim().is_empty()) {
            let described = alt.trim().to_owned();
            self.cx.tags.describe(node, |n| n.alt = Some(described));
        }
        let mut image_items = vec![Item::Image {
            image,
            rect: Rect { x, y: 0.0, w, h },
            alt: alt.to_owned(),
        }];
        tagging::wrap_node(&mut image_items, node);
        items.extend(image_items);
        let mut height = h;
        let mut note_ids = Vec::new();
        if !caption.is_empty() {
            height += 6.0;
            let caption_node = self.cx.tags.open(StructKind::Caption);
            for line in self.caption(caption, frame.width, span) {
                let mut line_items: Vec<Item> = line
                    .vbox
                    .items
                    .into_iter()
                    .map(|i| i.moved(frame.x, height))
                    .collect();
                tagging::wrap_node(&mut line_items, caption_node);
                items.extend(line_items);
                height += line.vbox.height;
                note_ids.extend(line.notes);
            }
            self.close(caption_node);
        }
        self.close(node);
        let source = self.at(Some(span), Some(0));
        let notes = self.notes_for(&note_ids);
        self.push_box(VBox {
            height,
            items,
            float: true,
            source,
            notes,
            ..VBox::default()
        });
    }

    /// Store indexes of the notes first referenced on a line, each followed
    /// by the notes it references itself (depth first, each once): a note
    /// prints with its first reference wherever that is — a paragraph, a
    /// heading, a table cell, a caption or another note.
    fn notes_for(&mut self, ids: &[String]) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<String> = ids.iter().rev().cloned().collect();
        while let Some(id) = stack.pop() {
            if !self.seen_notes.insert(id.clone()) {
                continue;
            }
            let chapter = self.chapter;
            let Some(note) = self
                .note_index
                .get(id.as_str())
                .and_then(|&i| chapter.notes.get(i))
            else {
                continue;
            };
            out.extend(notes::set(self.cx, self.links, self.notes, note));
            let mut nested = Vec::new();
            crate::ir::walk::blocks(&note.blocks, &mut |block| {
                for inlines in crate::ir::walk::own_inlines(block) {
                    crate::ir::walk::inlines(inlines, &mut |inline| {
                        if let InlineKind::NoteRef { note_id, .. } = &inline.kind {
                            nested.push(note_id.clone());
                        }
                    });
                }
            });
            stack.extend(nested.into_iter().rev());
        }
        out
    }
}

/// The chapter's own named destination.
pub fn chapter_dest(id: &str) -> String {
    format!("chapter:{id}")
}

/// "3. Title" for numbered chapters, the title otherwise.
pub fn display_title(chapter: &Chapter) -> String {
    let title = plain_text(&chapter.title);
    match chapter.number {
        Some(n) => format!("{n}. {title}"),
        None => title,
    }
}

/// [`display_title`] with the title's inline Markdown kept (a code span stays
/// code), for the contents and running heads.
pub fn display_inlines(chapter: &Chapter) -> Vec<Inline> {
    let mut title = if plain_text(&chapter.title).trim().is_empty() {
        vec![Inline {
            kind: InlineKind::Text(chapter.id.clone()),
            span: chapter.span,
        }]
    } else {
        chapter.title.clone()
    };
    if let Some(n) = chapter.number {
        title.insert(
            0,
            Inline {
                kind: InlineKind::Text(format!("{n}. ")),
                span: chapter.span,
            },
        );
    }
    title
}

/// The box moved `dx` to the right.
pub(super) fn shift(mut vbox: VBox, dx: f32) -> VBox {
    if dx != 0.0 {
        vbox.items.iter_mut().for_each(|i| i.translate(dx, 0.0));
    }
    vbox
}

/// Characters of text and code in `inlines` (see [`TextPosition`]).
pub(super) fn text_chars(inlines: &[Inline]) -> u32 {
    let mut n = 0u32;
    crate::ir::walk::inlines(inlines, &mut |i| {
        if let InlineKind::Text(t) | InlineKind::Code(t) = &i.kind {
            n = n.saturating_add(u32::try_from(t.chars().count()).unwrap_or(u32::MAX));
        }
    });
    n
}

/// Characters in `text`, as a text position counts them.
pub(super) fn count_chars(text: &str) -> u32 {
    u32::try_from(text.chars().count()).unwrap_or(u32::MAX)
}
