//! Block layout: a chapter's blocks → vertical [`Flow`]. Paragraphs become
//! lines chained against widows and orphans; headings are kept with the text
//! that follows; code is set line by line on a tinted band and wrapped with a
//! continuation mark; tables, figures, quotes and lists get their geometry
//! here. Footnotes are laid out into the note store as they are referenced.

use super::cx::{Cx, Role, rgb};
use super::flow::{Flow, Mark, VBox};
use super::frame::{ArtifactKind, Item, NodeRef, Rect, Rgb, StructKind};
use super::inline::{self, Align, Format, Line, Links, ParaStyle, add_word, glyph_runs};
use super::shape::Features;
use super::tagging;
use crate::diag::Span;
use crate::ir::{
    self, Align as CellAlign, Block, BlockKind, Chapter, Inline, InlineKind, TokenClass, plain_text,
};
use crate::pagemap::TextPosition;
use std::collections::HashMap;
use std::sync::Arc;

/// Footnotes laid out so far: lines per note, and note id → index.
#[derive(Default)]
pub struct NoteStore {
    /// Each note's lines.
    pub lines: Vec<Vec<Arc<VBox>>>,
    /// Each note's id, in the order of `lines`.
    ids: Vec<String>,
    index: HashMap<String, usize>,
}

impl NoteStore {
    /// Whether a note with this id is laid out already.
    pub(super) fn has(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// The notes added since there were `base`, with their ids, in order.
    pub(super) fn added_since(&self, base: usize) -> Vec<(String, Vec<Arc<VBox>>)> {
        let ids = self.ids.get(base..).unwrap_or_default();
        let lines = self.lines.get(base..).unwrap_or_default();
        ids.iter().cloned().zip(lines.iter().cloned()).collect()
    }

    /// Adds a note's lines as the next note, or replaces the lines of a
    /// note laid out before (its chapter is being set again).
    pub(super) fn push(&mut self, id: &str, lines: Vec<Arc<VBox>>) -> usize {
        if let Some(&index) = self.index.get(id) {
            self.lines[index] = lines;
            return index;
        }
        let index = self.lines.len();
        self.index.insert(id.to_owned(), index);
        self.ids.push(id.to_owned());
        self.lines.push(lines);
        index
    }
}

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
/// chapter's pages under a heading at its level.
pub fn chapter(
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
        for block in blocks {
            // An HTML container's `lang`/`dir` holds for what it contains.
            let language = element_attrs(&block.kind)
                .map(|a| self.cx.enter_language(a.lang.as_deref(), a.dir.as_deref()));
            match &block.kind {
                BlockKind::Paragraph { content } => {
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
                        let mut y = 6.0;
                        for line in lines {
                            items.extend(line.vbox.items.iter().map(|i| i.translated(frame.x, y)));
                            y += line.vbox.height;
                        }
                        tagging::wrap_node(&mut items, caption_node);
                        self.push_box(VBox {
                            height,
                            items,
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
            // A note goes with its first reference only.
            let mut notes = Vec::new();
            for id in &line.notes {
                if self.seen_notes.insert(id.clone()) {
                    notes.extend(self.note(id));
                }
            }
            vbox.notes = notes;
            self.push_box(vbox);
        }
    }

    fn heading(&mut self, level: u8, id: &str, content: &[Inline], frame: Frame, span: Span) {
        self.heading_with(level, id, None, content, frame, span, None);
    }

    /// A heading with its anchor `id` (and a second anchor `alias`, for a
    /// section's own heading id), its bookmark `mark` (by default its text at
    /// its level).
    #[allow(
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

    /// A code block: one box per printed line on a tinted band; long lines
    /// wrap with a continuation mark, never overflowing the measure.
    fn code(
        &mut self,
        _lang: Option<&str>,
        text: &str,
        tokens: &[ir::CodeToken],
        frame: Frame,
        span: Span,
    ) {
        let style = self.cx.style;
        let size = style.code.size;
        let leading = style.code.leading;
        let pad = style.code.padding;
        let para = ParaStyle {
            role: Role::Code,
            size,
            leading,
            bold: false,
            italic: false,
            color: rgb(style.text.color),
            align: Align::Left,
            hyphenate: false,
            indent: 0.0,
        };
        let font = self.cx.fonts.face(Role::Code, false, false);
        let (asc, desc) = self.cx.fonts.extents(font);
        let baseline = (leading + (asc - desc) * size) / 2.0;
        let inner = (frame.width - 2.0 * pad).max(size * 10.0);
        let mark_width = self
            .cx
            .shaper
            .shape("↪ ", font, Features::CODE)
            .width_pt(size);
        let mut rows: Vec<Vec<Item>> = Vec::new();
        // Where each printed line's source line begins, in characters.
        let mut row_chars: Vec<u32> = Vec::new();
        let mut chars = 0u32;
        let text = text.strip_suffix('\n').unwrap_or(text);
        let mut offset = 0;
        for source_line in text.split('\n') {
            let line_start = offset;
            offset += source_line.len() + 1;
            let line_chars = chars;
            chars = chars.saturating_add(
                u32::try_from(source_line.chars().count())
                    .unwrap_or(u32::MAX)
                    .saturating_add(1),
            );
            let segments = color_segments(source_line, line_start, tokens, style);
            // Shape each coloured segment; wrap by clusters.
            let mut words = Vec::new();
            // Where each word begins in the code's characters (exact at
            // each coloured segment's start; after a tab inside one, off by
            // the three spaces more it is drawn as).
            let mut word_chars: Vec<u32> = Vec::new();
            let mut at = line_chars;
            for (seg_text, color) in &segments {
                let expanded = seg_text.replace('\t', "    ");
                let fmt = Format {
                    code: false,
                    scale: 1.0,
                    ..Format::default()
                };
                // A minified file or a pasted log can put a megabyte on one
                // line: wrapping re-measures the word it cuts, so shape long
                // segments in pieces to keep that linear.
                let segment_start = at;
                for piece in pieces(&expanded, CODE_PIECE) {
                    let idx = add_word(self.cx, &mut words, piece, &fmt, &para, span);
                    words[idx].color = *color;
                    word_chars.push(at);
                    at = at.saturating_add(count_chars(piece));
                }
                at = segment_start.saturating_add(count_chars(seg_text));
            }
            let mut row: Vec<Item> = Vec::new();
            let mut x = 0.0;
            let mut limit = inner;
            let mut row_start = line_chars;
            for (w, &w_chars) in words.iter().zip(&word_chars) {
                let mut start = 0;
                let boundaries = cluster_ends(w);
                let mut last_fit = 0;
                let mut last_fit_x = 0.0;
                let mut last_space = None;
                let mut seg_x = 0.0;
                for (end, end_x) in boundaries {
                    if x + (end_x - seg_x) > limit + 0.01 && last_fit > start {
                        let (cut, cut_x) = match last_space {
                            Some((s, sx)) if s > start => (s, sx),
                            _ => (last_fit, last_fit_x),
                        };
                        glyph_runs(
                            w,
                            start..cut,
                            frame.x + pad + (inner - limit) + x,
                            baseline,
                            &mut row,
                        );
                        rows.push(std::mem::take(&mut row));
                        row_chars.push(row_start);
                        row_start = w_chars.saturating_add(count_chars(&w.text[..cut]));
                        // Continuation line: mark (an artifact), then the rest.
                        row.push(Item::TagStart(super::frame::TagRef::Artifact(
                            ArtifactKind::Layout,
                        )));
                        let mut mark_words = Vec::new();
                        let mi = add_word(
                            self.cx,
                            &mut mark_words,
                            "↪",
                            &Format {
                                scale: 1.0,
                                ..Format::default()
                            },
                            &para,
                            span,
                        );
                        mark_words[mi].color = rgb(style.code.syntax.comment);
                        glyph_runs(
                            &mark_words[mi],
                            0..mark_words[mi].text.len(),
                            frame.x + pad,
                            baseline,
                            &mut row,
                        );
                        row.push(Item::TagEnd);
                        limit = inner - mark_width;
                        x = 0.0;
                        seg_x = cut_x;
                        start = cut;
                        last_space = None;
                    }
                    if w.text[..end].ends_with(' ') {
                        last_space = Some((end, end_x));
                    }
                    last_fit = end;
                    last_fit_x = end_x;
                }
                let drawn = glyph_runs(
                    w,
                    start..w.text.len(),
                    frame.x + pad + (inner - limit) + x,
                    baseline,
                    &mut row,
                );
                x += drawn;
            }
            rows.push(row);
            row_chars.push(row_start);
        }
        let background = rgb(style.code.background);
        let node = self.cx.tags.add(StructKind::Code);
        let n = rows.len();
        for (i, (row, row_start)) in rows.into_iter().zip(row_chars).enumerate() {
            let top = if i == 0 { pad } else { 0.0 };
            let bottom = if i + 1 == n { pad } else { 0.0 };
            let height = leading + top + bottom;
            let mut items = vec![Item::Fill {
                rect: Rect {
                    x: frame.x,
                    y: 0.0,
                    w: frame.width,
                    h: height,
                },
                color: background,
            }];
            items.extend(row.into_iter().map(|it| it.translated(0.0, top)));
            tagging::wrap_node(&mut items, node);
            if i == 1 || (i + 1 == n && n > 3) {
                self.flow.push(Flow::Keep);
            }
            let source = self.at(Some(span), Some(row_start));
            self.push_box(VBox {
                height,
                items,
                source,
                ..VBox::default()
            });
        }
    }

    fn table(&mut self, table: &ir::Table, frame: Frame, span: Span) {
        let style = self.cx.style;
        let size = style.blocks.table_size;
        let leading = size * 1.3;
        let pad = 4.0;
        let columns = table
            .head
            .len()
            .max(table.rows.iter().map(Vec::len).max().unwrap_or(0));
        if columns == 0 {
            return;
        }
        let cell_style = |bold: bool, align: CellAlign| ParaStyle {
            role: Role::Body,
            size,
            leading,
            bold,
            italic: false,
            color: rgb(style.text.color),
            align: match align {
                CellAlign::Right => Align::Right,
                CellAlign::Center => Align::Center,
                _ => Align::Left,
            },
            hyphenate: true,
            indent: 0.0,
        };
        // Column widths from content: natural (one line), the longest word,
        // and the longest piece left when words are hyphenated; each with a
        // point to spare, so a word exactly as wide as its column is not
        // judged overfull by rounding.
        let mut natural = vec![0.0f32; columns];
        let mut word_min = vec![0.0f32; columns];
        let mut piece_min = vec![0.0f32; columns];
        let font = self.cx.fonts.face(Role::Body, false, false);
        let bold = self.cx.fonts.face(Role::Body, true, false);
        let cap = frame.width / columns as f32 * 2.0;
        for (r, row) in std::iter::once(&table.head).chain(&table.rows).enumerate() {
            for (c, cell) in row.iter().enumerate().take(columns) {
                let text = plain_text(&cell.content);
                let f = if r == 0 { bold } else { font };
                let w = self.measure(&text, f, size);
                natural[c] = natural[c].max(w + 2.0 * pad + 1.0);
                for word in text.split_whitespace() {
                    let ww = self.measure(word, f, size);
                    word_min[c] = word_min[c].max((ww + 2.0 * pad + 1.0).min(cap));
                    let points: Vec<(usize, bool)> =
                        self.cx.hyphenation_points(self.cx.lang, word).to_vec();
                    let mut widest = 0.0f32;
                    let mut start = 0;
                    for (at, hyphen) in points.into_iter().chain([(word.len(), false)]) {
                        let Some(piece) = word.get(start..at) else {
                            continue;
                        };
                        let piece_width = if hyphen {
                            self.measure(&format!("{piece}-"), f, size)
                        } else {
                            self.measure(piece, f, size)
                        };
                        widest = widest.max(piece_width);
                        start = at;
                    }
                    piece_min[c] = piece_min[c].max((widest + 2.0 * pad + 1.0).min(cap));
                }
            }
        }
        let widths = column_widths(&natural, &word_min, &piece_min, frame.width);
        let table_width: f32 = widths.iter().sum();
        let x0 = frame.x;
        let rule = rgb(style.colors.rule);
        // Characters of the table's text before each row (see
        // `TextPosition`), header first.
        let mut chars = 0u32;
        let row_box = |b: &mut Self, cells: &[ir::Cell], header: bool, chars: &mut u32| -> VBox {
            let mut items = Vec::new();
            let mut height: f32 = 0.0;
            let mut x = x0;
            let source = b.at(Some(span), Some(*chars));
            let row = b.cx.tags.open(StructKind::TR);
            for (c, width) in widths.iter().enumerate() {
                if let Some(cell) = cells.get(c) {
                    *chars = chars.saturating_add(text_chars(&cell.content));
                    let align = table.align.get(c).copied().unwrap_or(CellAlign::None);
                    let node = b.cx.tags.open(if header {
                        StructKind::TH
                    } else {
                        StructKind::TD
                    });
                    let lines = inline::paragraph(
                        b.cx,
                        b.links,
                        &cell.content,
                        (width - 2.0 * pad).max(1.0),
                        &cell_style(header, align),
                        cell.span,
                    );
                    b.close(node);
                    let mut y = pad;
                    let mut cell_items = Vec::new();
                    for line in lines {
                        cell_items.extend(line.vbox.items.iter().map(|i| i.translated(x + pad, y)));
                        y += line.vbox.height;
                    }
                    tagging::wrap_node(&mut cell_items, node);
                    items.extend(cell_items);
                    height = height.max(y + pad);
                } else if !header {
                    // A short row still has a cell in every column.
                    b.cx.tags.add(StructKind::TD);
                }
                x += width;
            }
            b.close(row);
            let bottom_width = if header { 0.6 } else { 0.25 };
            items.push(Item::Line {
                x0,
                y0: height,
                x1: x0 + table_width,
                y1: height,
                width: bottom_width,
                color: rule,
            });
            if header {
                items.push(Item::Line {
                    x0,
                    y0: 0.0,
                    x1: x0 + table_width,
                    y1: 0.0,
                    width: 0.8,
                    color: rule,
                });
            }
            VBox {
                height,
                items,
                source,
                ..VBox::default()
            }
        };
        // Overfull lines in cells come from the column widths: counted, and
        // warned about once for the table.
        let outer = self.cx.overfull_counter.replace(0);
        let node = self.cx.tags.open(StructKind::Table);
        let header = if table.head.is_empty() {
            None
        } else {
            let group = self.cx.tags.open(StructKind::THead);
            let first = row_box(self, &table.head, true, &mut chars);
            self.close(group);
            // The header repeated on a new page is drawn again, not read again.
            let repeat = VBox {
                items: tagging::as_artifact(&first.items, ArtifactKind::Layout),
                source: None,
                ..first.clone()
            };
            self.push_box(first);
            self.flow.push(Flow::Keep);
            Some(Arc::new(repeat))
        };
        let body = self.cx.tags.open(StructKind::TBody);
        let n = table.rows.len();
        for (i, row) in table.rows.iter().enumerate() {
            let mut vbox = row_box(self, row, false, &mut chars);
            if i + 1 == n {
                // The last row closes the table with a heavier rule.
                vbox.items.push(Item::Line {
                    x0,
                    y0: vbox.height,
                    x1: x0 + table_width,
                    y1: vbox.height,
                    width: 0.8,
                    color: rule,
                });
            }
            vbox.header = header.clone();
            if i == n.saturating_sub(1) && n > 1 {
                self.flow.push(Flow::Keep);
            }
            self.push_box(vbox);
        }
        self.close(body);
        self.close(node);
        let overfull = std::mem::replace(&mut self.cx.overfull_counter, outer).unwrap_or(0);
        if overfull > 0 {
            let need: f32 = piece_min.iter().sum();
            let help = if need > frame.width {
                "use fewer columns, or shorter words in the widest ones"
            } else {
                "a long word or URL in a cell cannot be broken: shorten it, or add a hyphenation exception"
            };
            self.cx.sink.push(
                crate::diag::Diagnostic::warning(
                    span,
                    format!(
                        "{overfull} line(s) in this table's cells are wider than their columns (the {columns} columns need at least {need:.0} pt; the text block is {:.0} pt)",
                        frame.width
                    ),
                )
                .with_help(help),
            );
        }
    }

    /// Width of `text` set in `font` at `size`, fallbacks included.
    fn measure(&mut self, text: &str, font: super::fonts::FontId, size: f32) -> f32 {
        self.cx
            .shaper
            .shape_with_fallback(
                text,
                font,
                self.cx
                    .fonts
                    .fallbacks_for(self.cx.langs.chain(self.cx.lang), false),
                Features::TEXT,
            )
            .width_pt(size)
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
        if !caption.is_empty() {
            height += 6.0;
            let caption_node = self.cx.tags.open(StructKind::Caption);
            for line in self.caption(caption, frame.width, span) {
                let mut line_items: Vec<Item> = line
                    .vbox
                    .items
                    .iter()
                    .map(|i| i.translated(frame.x, height))
                    .collect();
                tagging::wrap_node(&mut line_items, caption_node);
                items.extend(line_items);
                height += line.vbox.height;
            }
            self.close(caption_node);
        }
        self.close(node);
        let source = self.at(Some(span), Some(0));
        self.push_box(VBox {
            height,
            items,
            float: true,
            source,
            ..VBox::default()
        });
    }

    /// The note store index of a note, laid out here (again, when its
    /// chapter is set again: its lines mark this layout's structure).
    fn note(&mut self, id: &str) -> Option<usize> {
        let note = self.chapter.notes.iter().find(|n| n.id == id)?;
        let style = self.cx.style;
        let para = ParaStyle {
            role: Role::Body,
            size: style.blocks.footnote_size,
            leading: style.blocks.footnote_leading,
            bold: false,
            italic: false,
            color: rgb(style.text.color),
            align: if style.text.justify {
                Align::Justify
            } else {
                Align::Left
            },
            hyphenate: style.text.hyphenate,
            indent: 0.0,
        };
        let width = self.links.text_width();
        let mut lines: Vec<VBox> = Vec::new();
        // The number hangs in a column of 1.4 em, widened for long numbers
        // (a chapter's 100th note) so they never run into the text.
        let label = format!("{}.", note.number);
        let body_font = self.cx.fonts.face(Role::Body, false, false);
        let label_width = self
            .cx
            .shaper
            .shape(&label, body_font, Features::TEXT)
            .width_pt(style.blocks.footnote_size);
        let number_width =
            (style.blocks.footnote_size * 1.4).max(label_width + style.blocks.footnote_size * 0.2);
        // A Note (with the note's id) inside the block that first refers to
        // it: its number, a link back to the reference, then its paragraphs.
        let node = self.cx.tags.open(StructKind::Note);
        if let Some(node) = node {
            let id = note.id.clone();
            self.cx.tags.describe(node, |n| n.id = Some(id));
        }
        let back = self.cx.tags.add(StructKind::Link);
        for (i, block) in note.blocks.iter().enumerate() {
            let paragraph = self.cx.tags.open(StructKind::P);
            let content = match &block.kind {
                BlockKind::Paragraph { content } => content.clone(),
                other => vec![Inline {
                    kind: InlineKind::Text(plain_text(
                        &crate::ir::walk::own_inlines(&Block {
                            kind: other.clone(),
                            span: block.span,
                        })
                        .concat(),
                    )),
                    span: block.span,
                }],
            };
            for (j, line) in inline::paragraph(
                self.cx,
                self.links,
                &content,
                width - number_width,
                &para,
                block.span,
            )
            .into_iter()
            .enumerate()
            {
                let mut vbox = shift(line.vbox, number_width);
                tagging::wrap_node(&mut vbox.items, paragraph);
                if i == 0 && j == 0 {
                    vbox.items.insert(
                        0,
                        Item::Anchor {
                            name: note.id.clone(),
                            y: 0.0,
                        },
                    );
                    let mut number = inline::plain(
                        self.cx,
                        self.links,
                        &label,
                        number_width,
                        &ParaStyle {
                            align: Align::Left,
                            ..para
                        },
                        note.span,
                    );
                    if let Some(n) = number.pop() {
                        let w = n
                            .vbox
                            .items
                            .iter()
                            .filter_map(|it| match it {
                                Item::Glyphs(run) => Some(
                                    run.x
                                        + run.glyphs.last().map_or(0.0, |g| g.x + para.size * 0.5),
                                ),
                                _ => None,
                            })
                            .fold(0.0, f32::max);
                        let mut number_items = n.vbox.items;
                        number_items.push(Item::Link {
                            rect: Rect {
                                x: 0.0,
                                y: 0.0,
                                w: w.max(para.size),
                                h: para.leading,
                            },
                            target: super::frame::LinkTarget::Named(note.first_ref.clone()),
                        });
                        tagging::wrap_node(&mut number_items, back);
                        vbox.items.extend(number_items);
                    }
                }
                lines.push(vbox);
            }
            self.close(paragraph);
        }
        self.close(node);
        Some(
            self.notes
                .push(id, lines.into_iter().map(Arc::new).collect()),
        )
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

fn shift(mut vbox: VBox, dx: f32) -> VBox {
    if dx != 0.0 {
        vbox.items = vbox.items.iter().map(|i| i.translated(dx, 0.0)).collect();
    }
    vbox
}

/// Splits one source line of code into runs of one colour.
fn color_segments(
    line: &str,
    line_start: usize,
    tokens: &[ir::CodeToken],
    style: &crate::pdf::style::PrintStyle,
) -> Vec<(String, Rgb)> {
    let plain = rgb(style.text.color);
    let line_end = line_start + line.len();
    let mut out: Vec<(String, Rgb)> = Vec::new();
    let mut pos = line_start;
    let push = |from: usize, to: usize, color: Rgb, out: &mut Vec<(String, Rgb)>| {
        if to > from {
            if let Some(text) = line.get(from - line_start..to - line_start) {
                out.push((text.to_owned(), color));
            }
        }
    };
    let start_index = tokens.partition_point(|t| (t.end as usize) <= line_start);
    for token in &tokens[start_index..] {
        let (s, e) = (
            (token.start as usize).max(line_start),
            (token.end as usize).min(line_end),
        );
        if s >= line_end {
            break;
        }
        if e <= s {
            continue;
        }
        push(pos, s, plain, &mut out);
        push(s, e, token_color(token.class, style), &mut out);
        pos = e;
    }
    push(pos, line_end, plain, &mut out);
    if out.is_empty() {
        out.push((String::new(), plain));
    }
    out
}

fn token_color(class: TokenClass, style: &crate::pdf::style::PrintStyle) -> Rgb {
    let s = &style.code.syntax;
    rgb(match class {
        TokenClass::Comment => s.comment,
        TokenClass::String => s.string,
        TokenClass::Number | TokenClass::Constant => s.number,
        TokenClass::Keyword => s.keyword,
        TokenClass::Operator => s.operator,
        TokenClass::Function => s.function,
        TokenClass::Type => s.type_name,
        TokenClass::Tag => s.tag,
        TokenClass::Attribute => s.attribute,
    })
}

/// Byte offsets where clusters end, with the pen position there.
fn cluster_ends(word: &inline::Word) -> Vec<(usize, f32)> {
    let mut ends = Vec::new();
    let mut x = 0.0;
    for placed in &word.shaped.runs {
        let scale = word.size / f32::from(placed.run.units_per_em.max(1));
        for span in placed.run.clusters() {
            for g in &placed.run.glyphs[span.glyphs.clone()] {
                x += g.x_advance as f32 * scale;
            }
            ends.push((placed.start + span.text.end, x));
        }
    }
    ends
}

/// Longest piece of a code line shaped as one word (bytes).
const CODE_PIECE: usize = 512;

/// `text` cut at grapheme boundaries into pieces of about `max` bytes.
fn pieces(text: &str, max: usize) -> Vec<&str> {
    use unicode_segmentation::UnicodeSegmentation;
    if text.len() <= max {
        return vec![text];
    }
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in text.grapheme_indices(true) {
        if i - start >= max {
            out.push(&text[start..i]);
            start = i;
        }
    }
    out.push(&text[start..]);
    out
}

/// Shares `width` among table columns: every column its natural width when
/// the table fits on one line; else each at least its longest word, the
/// rest in proportion to what it would still like; else at least its longest
/// piece after hyphenation, so columns of words that cannot be broken (numbers,
/// code) keep their width and columns of long words are hyphenated instead;
/// else (the table cannot fit) those pieces scaled down.
pub(super) fn column_widths(
    natural: &[f32],
    word_min: &[f32],
    piece_min: &[f32],
    width: f32,
) -> Vec<f32> {
    let between = |low: &[f32], high: &[f32]| -> Vec<f32> {
        let (lo, hi): (f32, f32) = (low.iter().sum(), high.iter().sum());
        let share = ((width - lo) / (hi - lo).max(0.01)).clamp(0.0, 1.0);
        low.iter()
            .zip(high)
            .map(|(l, h)| l + (h - l).max(0.0) * share)
            .collect()
    };
    if natural.iter().sum::<f32>() <= width {
        natural.to_vec()
    } else if word_min.iter().sum::<f32>() < width {
        between(word_min, natural)
    } else if piece_min.iter().sum::<f32>() < width {
        between(piece_min, word_min)
    } else {
        let total: f32 = piece_min.iter().sum();
        piece_min.iter().map(|m| m * width / total).collect()
    }
}

/// Characters of text and code in `inlines` (see [`TextPosition`]).
fn text_chars(inlines: &[Inline]) -> u32 {
    let mut n = 0u32;
    crate::ir::walk::inlines(inlines, &mut |i| {
        if let InlineKind::Text(t) | InlineKind::Code(t) = &i.kind {
            n = n.saturating_add(u32::try_from(t.chars().count()).unwrap_or(u32::MAX));
        }
    });
    n
}

/// Characters in `text`, as a text position counts them.
fn count_chars(text: &str) -> u32 {
    u32::try_from(text.chars().count()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::column_widths;

    fn sum(v: &[f32]) -> f32 {
        v.iter().sum()
    }

    #[test]
    fn a_table_that_fits_gets_its_natural_widths() {
        let w = column_widths(&[50.0, 80.0], &[20.0, 30.0], &[10.0, 30.0], 200.0);
        assert_eq!(w, vec![50.0, 80.0]);
    }

    #[test]
    fn whole_words_first_then_the_rest_by_what_each_column_wants() {
        let w = column_widths(&[150.0, 90.0], &[40.0, 30.0], &[20.0, 30.0], 200.0);
        assert!((sum(&w) - 200.0).abs() < 0.01);
        assert!(w[0] >= 40.0 && w[1] >= 30.0, "{w:?}");
        // Wants: 110 and 60 beyond the words; 130 to share in that ratio.
        assert!(
            (w[0] - (40.0 + 110.0 * 130.0 / 170.0)).abs() < 0.01,
            "{w:?}"
        );
    }

    #[test]
    fn when_words_do_not_fit_unbreakable_columns_keep_their_width() {
        // Column 1 is numbers (piece = word); column 0 hyphenates.
        let w = column_widths(&[300.0, 40.0], &[120.0, 40.0], &[50.0, 40.0], 130.0);
        assert!((sum(&w) - 130.0).abs() < 0.01);
        assert!((w[1] - 40.0).abs() < 0.01, "{w:?}");
        assert!(w[0] >= 50.0 && w[0] < 120.0, "{w:?}");
    }

    #[test]
    fn a_table_that_cannot_fit_is_scaled_from_its_pieces() {
        let w = column_widths(&[300.0, 300.0], &[200.0, 100.0], &[150.0, 50.0], 100.0);
        assert!((sum(&w) - 100.0).abs() < 0.01);
        assert!(
            (w[0] - 75.0).abs() < 0.01 && (w[1] - 25.0).abs() < 0.01,
            "{w:?}"
        );
    }
}
