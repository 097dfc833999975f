//! Markdown → IR for one chapter: pulldown-cmark's offset iterator drives a stack
//! of open nodes; each closed node becomes an IR block or inline with its span.
//!
//! The builder is iterative, but everything after it (walkers, resolution, both
//! backends, even dropping the tree) recurses over nested quotes, lists and
//! inline spans. So nesting is capped here ([`Limits::nesting_depth`]): a node
//! deeper than the cap is an error at its line, and its content is kept
//! flattened into its parent, so the tree handed on stays shallow.
//!
//! Raw HTML is tokenized as a browser would and its elements live on the same
//! stack as the Markdown nodes (`html_tags.rs`), so an opening tag, the
//! Markdown after it and the closing tag become one node, as CommonMark says.

use crate::config::limits::Limits;
use crate::diag::{Diagnostic, Span};
use crate::ir::{
    Align, Block, BlockKind, Cell, Figure, Image, Inline, InlineKind, LinkTarget, ListItem, Table,
};
use crate::source::SourceId;
use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

mod html_tags;
use html_tags::HtmlOpen;

/// A chapter body as parsed, before book-wide resolution (ids, links, notes).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedBody {
    /// Top-level blocks.
    pub blocks: Vec<Block>,
    /// Footnote definitions in source order: label, content, span.
    pub notes: Vec<(String, Vec<Block>, Span)>,
    /// Problems found while parsing (nesting beyond the limit), and notes
    /// on HTML left out (scripts, styles, event handlers).
    pub problems: Vec<Diagnostic>,
}

/// The Markdown extensions folio enables, shared with lints that re-parse.
pub fn options(smart_punctuation: bool) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

/// Parses `text` (the chapter body, starting at byte `offset` of `source`)
/// with the default [`Limits`].
pub fn parse(source: SourceId, text: &str, offset: usize, smart_punctuation: bool) -> ParsedBody {
    parse_limited(
        source,
        text,
        offset,
        smart_punctuation,
        Limits::default().nesting_depth,
    )
}

/// Parses `text` like [`parse`], allowing `max_depth` levels of block nesting
/// (quotes, lists, footnotes) and as many of inline nesting (emphasis, links).
pub fn parse_limited(
    source: SourceId,
    text: &str,
    offset: usize,
    smart_punctuation: bool,
    max_depth: u32,
) -> ParsedBody {
    let mut builder = Builder {
        source,
        offset,
        stack: vec![Open::new(Node::Blocks(Vec::new()), 0)],
        notes: Vec::new(),
        max_depth: max_depth as usize,
        block_depth: 0,
        inline_depth: 0,
        problems: Vec::new(),
        depth_reported: false,
        html_block: None,
        noted: Vec::new(),
        html_ids: std::collections::HashSet::new(),
    };
    for (event, range) in Parser::new_ext(text, options(smart_punctuation)).into_offset_iter() {
        builder.event(event, range.start, range.end);
    }
    while builder.stack.len() > 1 {
        builder.close();
    }
    let blocks = match builder.stack.pop().map(|o| o.node) {
        Some(Node::Blocks(blocks)) => blocks,
        _ => Vec::new(),
    };
    let mut body = ParsedBody {
        blocks,
        notes: builder.notes,
        problems: builder.problems,
    };
    // GFM footnotes turn a reference without a definition into plain text;
    // make it a reference again so resolution reports it at its position.
    let mut split = |inlines: &mut Vec<Inline>| split_note_refs(inlines, text, offset);
    crate::ir::walk::inlines_mut(&mut body.blocks, &mut split);
    for (_, blocks, _) in &mut body.notes {
        crate::ir::walk::inlines_mut(blocks, &mut split);
    }
    body
}

/// Finds `[^label]` left as text and turns each into a [`InlineKind::NoteRef`],
/// locating it in the source after the text node's start.
fn split_note_refs(inlines: &mut Vec<Inline>, text: &str, offset: usize) {
    if !inlines.iter().any(|i| {
        matches!(&i.kind, InlineKind::Text(t) if t.contains("[^"))
            || !matches!(i.kind, InlineKind::Text(_))
    }) {
        return;
    }
    let mut out = Vec::with_capacity(inlines.len());
    for mut inline in inlines.drain(..) {
        if let Some(c) = crate::ir::walk::child_inlines_mut(&mut inline) {
            split_note_refs(c, text, offset)
        }
        let InlineKind::Text(t) = &inline.kind else {
            out.push(inline);
            continue;
        };
        if !t.contains("[^") {
            out.push(inline);
            continue;
        }
        let (t, span) = (t.clone(), inline.span);
        let mut search_from = (span.start as usize).saturating_sub(offset).min(text.len());
        let mut rest = t.as_str();
        while let Some(open) = rest.find("[^") {
            let after = &rest[open + 2..];
            let Some(close) = after.find(']') else { break };
            let label = &after[..close];
            if label.is_empty() || label.contains(char::is_whitespace) {
                out.push(Inline {
                    kind: InlineKind::Text(rest[..open + 2].to_owned()),
                    span,
                });
                rest = after;
                continue;
            }
            let needle = format!("[^{label}]");
            let found = text
                .get(search_from..)
                .and_then(|s| s.find(&needle))
                .map(|i| search_from + i);
            let escaped = found.is_some_and(|at| at > 0 && text.as_bytes()[at - 1] == b'\\');
            if escaped || found.is_none() {
                out.push(Inline {
                    kind: InlineKind::Text(rest[..open + 2 + close + 1].to_owned()),
                    span,
                });
                rest = &after[close + 1..];
                continue;
            }
            let at = found.unwrap_or(0);
            if open > 0 {
                out.push(Inline {
                    kind: InlineKind::Text(rest[..open].to_owned()),
                    span,
                });
            }
            out.push(Inline {
                kind: InlineKind::NoteRef {
                    label: label.to_owned(),
                    number: 0,
                    note_id: String::new(),
                    ref_id: String::new(),
                },
                span: Span::new(span.source, offset + at, offset + at + needle.len()),
            });
            search_from = at + needle.len();
            rest = &after[close + 1..];
        }
        if !rest.is_empty() {
            out.push(Inline {
                kind: InlineKind::Text(rest.to_owned()),
                span,
            });
        }
    }
    *inlines = out;
}

struct Builder {
    source: SourceId,
    offset: usize,
    stack: Vec<Open>,
    notes: Vec<(String, Vec<Block>, Span)>,
    /// Deepest nesting allowed, for blocks and for inlines separately.
    max_depth: usize,
    /// Open quotes, lists and footnotes.
    block_depth: usize,
    /// Open emphasis, links and images.
    inline_depth: usize,
    problems: Vec<Diagnostic>,
    /// The nesting error is reported once per chapter.
    depth_reported: bool,
    /// Lines of the HTML block being read: text, start, end.
    html_block: Option<Vec<(String, usize, usize)>>,
    /// Kinds of HTML already noted as left out in this chapter (one note each).
    noted: Vec<&'static str>,
    /// Ids HTML elements gave so far in this chapter (the first keeps one).
    html_ids: std::collections::HashSet<String>,
}

struct Open {
    node: Node,
    start: usize,
    /// Opened by an HTML tag: closed by its end tag, or when the Markdown
    /// container around it ends.
    html: bool,
}

impl Open {
    fn new(node: Node, start: usize) -> Open {
        Open {
            node,
            start,
            html: false,
        }
    }
}

/// A node under construction.
enum Node {
    /// Root: collects top-level blocks.
    Blocks(Vec<Block>),
    Quote(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<ListItem>,
    },
    Item {
        task: Option<bool>,
        blocks: Vec<Block>,
    },
    Note {
        label: String,
        blocks: Vec<Block>,
    },
    /// A paragraph; `implicit` for the text of a tight list item.
    Paragraph {
        inlines: Vec<Inline>,
        implicit: bool,
    },
    Heading {
        level: u8,
        id: Option<String>,
        classes: Vec<String>,
        inlines: Vec<Inline>,
    },
    Code {
        lang: Option<String>,
        text: String,
    },
    /// An open HTML element.
    Html(HtmlOpen),
    Table {
        align: Vec<Align>,
        head: Vec<Cell>,
        rows: Vec<Vec<Cell>>,
    },
    Head(Vec<Cell>),
    Row(Vec<Cell>),
    Cell(Vec<Inline>),
    Span {
        kind: SpanKind,
        inlines: Vec<Inline>,
    },
    Link {
        dest: String,
        title: String,
        inlines: Vec<Inline>,
    },
    Image {
        dest: String,
        title: String,
        inlines: Vec<Inline>,
    },
    /// Constructs folio does not model (definition lists…), and containers
    /// nested beyond the limit: content is kept as blocks of the parent.
    Passthrough(Vec<Block>),
    /// An inline container nested beyond the limit: its content joins the parent's.
    FlatInline(Vec<Inline>),
}

/// Which depth counter a node adds to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Nesting {
    Block,
    Inline,
    None,
}

#[derive(Clone, Copy)]
enum SpanKind {
    Emph,
    Strong,
    Strike,
    Sup,
    Sub,
}

impl Builder {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.source, self.offset + start, self.offset + end)
    }

    fn event(&mut self, event: Event<'_>, start: usize, end: usize) {
        match event {
            Event::Start(tag) => self.start(tag, start),
            Event::End(tag) => self.end(tag, end),
            Event::Text(text) => {
                if let Some(lines) = &mut self.html_block {
                    lines.push((text.into_string(), start, end));
                } else if let Some(Node::Code { text: code, .. }) = self.top_node_mut() {
                    code.push_str(&text);
                } else {
                    self.push_text(&text, start, end);
                }
            }
            Event::Code(code) => self.push_inline(InlineKind::Code(code.into_string()), start, end),
            Event::InlineMath(m) | Event::DisplayMath(m) => self.push_text(&m, start, end),
            Event::Html(html) => match &mut self.html_block {
                Some(lines) => lines.push((html.into_string(), start, end)),
                None => self.html_fragment(&[(html.into_string(), start, end)], false),
            },
            Event::InlineHtml(html) => {
                self.html_fragment(&[(html.into_string(), start, end)], false)
            }
            Event::FootnoteReference(label) => self.push_inline(
                InlineKind::NoteRef {
                    label: label.into_string(),
                    number: 0,
                    note_id: String::new(),
                    ref_id: String::new(),
                },
                start,
                end,
            ),
            Event::SoftBreak => self.push_inline(InlineKind::SoftBreak, start, end),
            Event::HardBreak => self.push_inline(InlineKind::HardBreak, start, end),
            Event::Rule => {
                self.close_implicit();
                let span = self.span(start, end);
                self.push_block(Block {
                    kind: BlockKind::Rule,
                    span,
                });
            }
            Event::TaskListMarker(done) => {
                for open in self.stack.iter_mut().rev() {
                    if let Node::Item { task, .. } = &mut open.node {
                        *task = Some(done);
                        break;
                    }
                }
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>, start: usize) {
        if let Tag::HtmlBlock = tag {
            self.close_implicit();
            self.html_block = Some(Vec::new());
            return;
        }
        let node = match tag {
            Tag::Paragraph => Node::Paragraph {
                inlines: Vec::new(),
                implicit: false,
            },
            Tag::Heading {
                level, id, classes, ..
            } => Node::Heading {
                level: level as u8,
                id: id.map(|i| i.into_string()),
                classes: classes.into_iter().map(|c| c.into_string()).collect(),
                inlines: Vec::new(),
            },
            Tag::BlockQuote(_) => Node::Quote(Vec::new()),
            Tag::CodeBlock(kind) => Node::Code {
                lang: match kind {
                    CodeBlockKind::Fenced(info) => code_language(&info),
                    CodeBlockKind::Indented => None,
                },
                text: String::new(),
            },
            Tag::HtmlBlock => return,
            Tag::List(first) => Node::List {
                start: first,
                items: Vec::new(),
            },
            Tag::Item => Node::Item {
                task: None,
                blocks: Vec::new(),
            },
            Tag::FootnoteDefinition(label) => Node::Note {
                label: label.into_string(),
                blocks: Vec::new(),
            },
            Tag::Table(aligns) => Node::Table {
                align: aligns
                    .into_iter()
                    .map(|a| match a {
                        pulldown_cmark::Alignment::None => Align::None,
                        pulldown_cmark::Alignment::Left => Align::Left,
                        pulldown_cmark::Alignment::Center => Align::Center,
                        pulldown_cmark::Alignment::Right => Align::Right,
                    })
                    .collect(),
                head: Vec::new(),
                rows: Vec::new(),
            },
            Tag::TableHead => Node::Head(Vec::new()),
            Tag::TableRow => Node::Row(Vec::new()),
            Tag::TableCell => Node::Cell(Vec::new()),
            Tag::Emphasis => Node::Span {
                kind: SpanKind::Emph,
                inlines: Vec::new(),
            },
            Tag::Strong => Node::Span {
                kind: SpanKind::Strong,
                inlines: Vec::new(),
            },
            Tag::Strikethrough => Node::Span {
                kind: SpanKind::Strike,
                inlines: Vec::new(),
            },
            Tag::Superscript => Node::Span {
                kind: SpanKind::Sup,
                inlines: Vec::new(),
            },
            Tag::Subscript => Node::Span {
                kind: SpanKind::Sub,
                inlines: Vec::new(),
            },
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => Node::Link {
                dest: match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.into_string(),
                },
                title: title.into_string(),
                inlines: Vec::new(),
            },
            Tag::Image {
                dest_url, title, ..
            } => Node::Image {
                dest: dest_url.into_string(),
                title: title.into_string(),
                inlines: Vec::new(),
            },
            Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => Node::Passthrough(Vec::new()),
        };
        if node.is_block() {
            self.close_implicit();
        }
        let node = self.limit_depth(node, start);
        self.stack.push(Open::new(node, start));
    }

    /// Counts the node's nesting; past the limit, reports it (once per
    /// chapter) and replaces it by a flat container.
    fn limit_depth(&mut self, node: Node, start: usize) -> Node {
        let html = matches!(node, Node::Html(_));
        let (depth, what) = match node.nesting() {
            Nesting::Block if html => (&mut self.block_depth, "HTML elements"),
            Nesting::Inline if html => (&mut self.inline_depth, "inline HTML elements"),
            Nesting::Block => (&mut self.block_depth, "block quotes, lists and footnotes"),
            Nesting::Inline => (&mut self.inline_depth, "emphasis, links and images"),
            Nesting::None => return node,
        };
        if *depth < self.max_depth {
            *depth += 1;
            return node;
        }
        if !self.depth_reported {
            self.depth_reported = true;
            let max = self.max_depth;
            let span = self.span(start, start);
            self.problems.push(
                Diagnostic::error(
                    span,
                    format!("{what} are nested more than {max} levels deep here"),
                )
                .with_help(format!(
                    "flatten the structure; if the book really needs it, raise `nesting-depth` (now {max}) in [limits] in book.toml"
                )),
            );
        }
        match node.nesting() {
            Nesting::Block => Node::Passthrough(Vec::new()),
            _ => Node::FlatInline(Vec::new()),
        }
    }

    fn end(&mut self, tag: TagEnd, end: usize) {
        if let TagEnd::HtmlBlock = tag {
            let lines = self.html_block.take().unwrap_or_default();
            self.html_fragment(&lines, true);
            self.close_implicit();
            return;
        }
        // Close implicit paragraphs and HTML elements left open inside the
        // container first: they end with it.
        while self
            .stack
            .last()
            .is_some_and(|o| o.html || matches!(o.node, Node::Paragraph { implicit: true, .. }))
            && self.stack.len() > 1
        {
            self.close();
        }
        self.close_at(Some(end));
    }

    /// Before a block starts: closes an implicit paragraph, and open HTML
    /// paragraphs, headings and inline elements (as a browser closes a `<p>`
    /// when a `<div>` starts).
    fn close_implicit(&mut self) {
        while let Some(open) = self.stack.last() {
            let closes = match &open.node {
                Node::Paragraph { implicit, .. } => *implicit,
                Node::Html(h) => open.html && h.holds_inlines(),
                Node::FlatInline(_) => open.html,
                _ => false,
            };
            if !closes || self.stack.len() <= 1 {
                return;
            }
            self.close();
        }
    }

    fn top_node_mut(&mut self) -> Option<&mut Node> {
        self.stack.last_mut().map(|o| &mut o.node)
    }

    /// Pops the top node and attaches it to its parent.
    fn close(&mut self) {
        self.close_at(None);
    }

    /// Closes the top node; `end` is where it ends in the source when known
    /// (an explicit end tag), so diagnostics can underline all of it.
    fn close_at(&mut self, end: Option<usize>) {
        let Some(open) = self.stack.pop() else { return };
        let span = self.span(open.start, end.unwrap_or(open.start).max(open.start));
        match open.node.nesting() {
            Nesting::Block => self.block_depth = self.block_depth.saturating_sub(1),
            Nesting::Inline => self.inline_depth = self.inline_depth.saturating_sub(1),
            Nesting::None => {}
        }
        match open.node {
            Node::Html(html) => self.close_html(html, span),
            Node::Blocks(blocks) | Node::Passthrough(blocks) => {
                for b in blocks {
                    self.push_block(b);
                }
            }
            Node::FlatInline(inlines) => {
                for inline in inlines {
                    self.attach_inline(inline);
                }
            }
            Node::Quote(blocks) => self.push_block(Block {
                kind: BlockKind::Quote { blocks },
                span,
            }),
            Node::List { start, items } => self.push_block(Block {
                kind: BlockKind::List { start, items },
                span,
            }),
            Node::Item { task, blocks } => {
                if let Some(Node::List { items, .. }) = self.top_node_mut() {
                    items.push(ListItem { task, blocks, span });
                } else {
                    // The list was flattened (nested too deep): keep the content.
                    for b in blocks {
                        self.push_block(b);
                    }
                }
            }
            Node::Note { label, blocks } => self.notes.push((label, blocks, span)),
            Node::Paragraph { mut inlines, .. } => {
                if !trim_paragraph(&mut inlines) || self.anchors_only(&inlines) {
                    return;
                }
                let kind = match as_figure(&inlines) {
                    Some(figure) => BlockKind::Figure(figure),
                    None => BlockKind::Paragraph { content: inlines },
                };
                self.push_block(Block { kind, span });
            }
            Node::Heading {
                level,
                id,
                classes,
                inlines,
            } => self.push_block(Block {
                kind: BlockKind::Heading {
                    level,
                    id: id.unwrap_or_default(),
                    classes,
                    content: inlines,
                },
                span,
            }),
            Node::Code { lang, text } => {
                let mut text = if lang.as_deref() == Some("rust") {
                    strip_hidden_rust_lines(&text)
                } else {
                    text
                };
                // Blank lines at the end (often from an included file's last
                // newline) would print as an empty line in the tinted box.
                let kept = text.trim_end().len();
                text.truncate(kept);
                text.push('\n');
                self.push_block(Block {
                    kind: BlockKind::Code {
                        lang,
                        text,
                        tokens: Vec::new(),
                    },
                    span,
                })
            }
            Node::Table { align, head, rows } => self.push_block(Block {
                kind: BlockKind::Table(Table { align, head, rows }),
                span,
            }),
            Node::Head(cells) => {
                if let Some(Node::Table { head, .. }) = self.top_node_mut() {
                    *head = cells;
                }
            }
            Node::Row(cells) => {
                if let Some(Node::Table { rows, .. }) = self.top_node_mut() {
                    rows.push(cells);
                }
            }
            Node::Cell(inlines) => {
                if let Some(Node::Head(cells) | Node::Row(cells)) = self.top_node_mut() {
                    cells.push(Cell {
                        content: inlines,
                        span,
                    })
                }
            }
            Node::Span { kind, inlines } => {
                let kind = match kind {
                    SpanKind::Emph => InlineKind::Emph(inlines),
                    SpanKind::Strong => InlineKind::Strong(inlines),
                    SpanKind::Strike => InlineKind::Strike(inlines),
                    SpanKind::Sup => InlineKind::Sup(inlines),
                    SpanKind::Sub => InlineKind::Sub(inlines),
                };
                self.attach_inline(Inline { kind, span });
            }
            Node::Link {
                dest,
                title,
                inlines,
            } => {
                if crate::parse::html::is_active_url(&dest) {
                    self.note_active_url(&dest, span);
                    for inline in inlines {
                        self.attach_inline(inline);
                    }
                    return;
                }
                let target = classify_link(&dest);
                let text = crate::ir::plain_text(&inlines);
                if (text.trim().is_empty() || text.trim() == "{page}")
                    && matches!(target, LinkTarget::Unresolved(_))
                {
                    self.attach_inline(Inline {
                        kind: InlineKind::PageRef { target },
                        span,
                    });
                    return;
                }
                self.attach_inline(Inline {
                    kind: InlineKind::Link {
                        target,
                        title,
                        content: inlines,
                    },
                    span,
                });
            }
            Node::Image {
                dest,
                title,
                inlines,
            } => {
                let alt = crate::ir::plain_text(&inlines);
                self.attach_inline(Inline {
                    kind: InlineKind::Image(Image {
                        asset: None,
                        src: dest,
                        alt,
                        title,
                        width: None,
                        height: None,
                    }),
                    span,
                });
            }
        }
    }

    fn push_block(&mut self, block: Block) {
        match self.top_node_mut() {
            Some(
                Node::Blocks(blocks)
                | Node::Quote(blocks)
                | Node::Item { blocks, .. }
                | Node::Note { blocks, .. }
                | Node::Passthrough(blocks),
            ) => blocks.push(block),
            Some(Node::Html(html)) => html.push_block(block),
            // A block inside an inline container cannot happen with pulldown-cmark;
            // keep its text rather than lose it.
            _ => {
                let text = crate::ir::plain_text(&block_text(&block));
                if !text.is_empty() {
                    self.attach_inline(Inline {
                        kind: InlineKind::Text(text),
                        span: block.span,
                    });
                }
            }
        }
    }

    fn push_text(&mut self, text: &str, start: usize, end: usize) {
        // Merge with a preceding text node so smart punctuation does not split words.
        if let Some(inlines) = self.inline_target() {
            if let Some(Inline {
                kind: InlineKind::Text(prev),
                ..
            }) = inlines.last_mut()
            {
                prev.push_str(text);
                return;
            }
        }
        self.push_inline(InlineKind::Text(text.to_owned()), start, end);
    }

    fn push_inline(&mut self, kind: InlineKind, start: usize, end: usize) {
        let span = self.span(start, end);
        self.attach_inline(Inline { kind, span });
    }

    fn attach_inline(&mut self, inline: Inline) {
        if let Some(Node::Html(html)) = self.top_node_mut() {
            if html.swallows() {
                return;
            }
        }
        if self.inline_target().is_none() {
            // Text directly in a tight list item or a container: open an implicit paragraph.
            let start = inline.span.start as usize - self.offset;
            self.stack.push(Open::new(
                Node::Paragraph {
                    inlines: Vec::new(),
                    implicit: true,
                },
                start,
            ));
        }
        if let Some(inlines) = self.inline_target() {
            inlines.push(inline);
        }
    }

    fn inline_target(&mut self) -> Option<&mut Vec<Inline>> {
        match self.top_node_mut()? {
            Node::Paragraph { inlines, .. }
            | Node::Heading { inlines, .. }
            | Node::Cell(inlines)
            | Node::Span { inlines, .. }
            | Node::Link { inlines, .. }
            | Node::Image { inlines, .. }
            | Node::FlatInline(inlines) => Some(inlines),
            Node::Html(html) => html.inlines_mut(),
            _ => None,
        }
    }
}

impl Node {
    fn is_block(&self) -> bool {
        !matches!(
            self,
            Node::Span { .. }
                | Node::Link { .. }
                | Node::Image { .. }
                | Node::Cell(_)
                | Node::Row(_)
                | Node::Head(_)
                | Node::FlatInline(_)
        ) && !matches!(self, Node::Html(h) if h.is_inline())
    }

    /// The nodes that become recursion in the IR's consumers.
    fn nesting(&self) -> Nesting {
        match self {
            Node::Quote(_) | Node::List { .. } | Node::Note { .. } => Nesting::Block,
            Node::Span { .. } | Node::Link { .. } | Node::Image { .. } => Nesting::Inline,
            Node::Html(h) => h.nesting(),
            _ => Nesting::None,
        }
    }
}

fn block_text(block: &Block) -> Vec<Inline> {
    crate::ir::walk::own_inlines(block)
        .into_iter()
        .flatten()
        .cloned()
        .collect()
}

/// mdBook hides lines of Rust examples that start with `# ` (or are just
/// `#`); they exist for the compiler, not the reader. `##` stands for a
/// literal `#`.
fn strip_hidden_rust_lines(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    for line in code.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let body = trimmed.trim_end_matches(['\n', '\r']);
        if body == "#" || trimmed.starts_with("# ") {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("##") {
            out.push_str(&line[..line.len() - trimmed.len()]);
            out.push('#');
            out.push_str(rest);
            continue;
        }
        out.push_str(line);
    }
    out
}

/// The fence's language: the first word of the info string (`rust,ignore` → `rust`).
fn code_language(info: &str) -> Option<String> {
    let word = info
        .trim()
        .trim_start_matches('{')
        .trim_start_matches('.')
        .split([',', ' ', '\t', '{', '}'])
        .next()
        .unwrap_or("");
    (!word.is_empty()).then(|| word.to_owned())
}

/// External URLs keep their scheme; everything else is resolved against the book.
pub fn classify_link(dest: &str) -> LinkTarget {
    let lower = dest.to_ascii_lowercase();
    let has_scheme = lower.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme.len() > 1
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if has_scheme || lower.starts_with("//") {
        LinkTarget::External(dest.to_owned())
    } else {
        LinkTarget::Unresolved(dest.to_owned())
    }
}

/// Trims white space HTML leaves at a paragraph's end; `false` when nothing
/// is left to print.
fn trim_paragraph(inlines: &mut Vec<Inline>) -> bool {
    while let Some(last) = inlines.last_mut() {
        match &mut last.kind {
            InlineKind::Text(t) => {
                let kept = t.trim_end_matches([' ', '\t', '\n', '\r']).len();
                if kept == 0 {
                    inlines.pop();
                } else {
                    t.truncate(kept);
                    break;
                }
            }
            InlineKind::SoftBreak | InlineKind::HardBreak => {
                inlines.pop();
            }
            _ => break,
        }
    }
    !inlines.is_empty()
}

/// A paragraph that holds one image and nothing else is a figure.
pub(super) fn as_figure(inlines: &[Inline]) -> Option<Figure> {
    let mut meaningful = inlines.iter().filter(|i| match &i.kind {
        InlineKind::Text(t) => !t.trim().is_empty(),
        InlineKind::SoftBreak | InlineKind::HardBreak => false,
        _ => true,
    });
    let mut only = meaningful.next()?;
    if meaningful.next().is_some() {
        return None;
    }
    // An image inside a link (a badge, a thumbnail) is a figure too; the
    // link is left out.
    if let InlineKind::Link { content, .. } = &only.kind {
        let mut inside = content.iter().filter(|i| match &i.kind {
            InlineKind::Text(t) => !t.trim().is_empty(),
            InlineKind::SoftBreak | InlineKind::HardBreak => false,
            _ => true,
        });
        only = inside.next()?;
        if inside.next().is_some() {
            return None;
        }
    }
    let InlineKind::Image(image) = &only.kind else {
        return None;
    };
    let caption = if image.title.is_empty() {
        Vec::new()
    } else {
        vec![Inline {
            kind: InlineKind::Text(image.title.clone()),
            span: only.span,
        }]
    };
    Some(Figure {
        image: image.clone(),
        caption,
        id: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<String> {
        parse(SourceId(0), text, 0, true)
            .blocks
            .iter()
            .map(|b| format!("{:?}", std::mem::discriminant(&b.kind)))
            .collect()
    }

    #[test]
    fn hidden_rust_lines_are_removed() {
        assert_eq!(
            strip_hidden_rust_lines(
                "# fn main() {\nlet x = 1;\n#\n    ## not hidden\n#[derive(Debug)]\n# }\n"
            ),
            "let x = 1;\n    # not hidden\n#[derive(Debug)]\n"
        );
    }

    #[test]
    fn info_string_first_word() {
        assert_eq!(code_language("rust,ignore"), Some("rust".into()));
        assert_eq!(code_language("python title=\"x\""), Some("python".into()));
        assert_eq!(code_language("{.bash}"), Some("bash".into()));
        assert_eq!(code_language(""), None);
    }

    #[test]
    fn image_alone_is_a_figure() {
        let body = parse(
            SourceId(0),
            "![Alt *text*](a.png \"Cap\")\n\ntext ![x](b.png)\n",
            0,
            true,
        );
        match &body.blocks[0].kind {
            BlockKind::Figure(f) => {
                assert_eq!(f.image.alt, "Alt text");
                assert_eq!(crate::ir::plain_text(&f.caption), "Cap");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(body.blocks[1].kind, BlockKind::Paragraph { .. }));
    }

    #[test]
    fn tight_list_items_get_paragraphs_and_tasks() {
        let body = parse(SourceId(0), "- [x] done\n- [ ] todo\n  - nested\n", 0, true);
        let BlockKind::List { items, start } = &body.blocks[0].kind else {
            panic!()
        };
        assert_eq!(*start, None);
        assert_eq!(items[0].task, Some(true));
        assert_eq!(items[1].task, Some(false));
        assert!(matches!(
            items[1].blocks[0].kind,
            BlockKind::Paragraph { .. }
        ));
        assert!(matches!(items[1].blocks[1].kind, BlockKind::List { .. }));
    }

    #[test]
    fn links_are_classified() {
        assert!(matches!(
            classify_link("https://x.org"),
            LinkTarget::External(_)
        ));
        assert!(matches!(
            classify_link("mailto:a@b"),
            LinkTarget::External(_)
        ));
        assert!(matches!(
            classify_link("02-web.md#x"),
            LinkTarget::Unresolved(_)
        ));
        assert!(matches!(classify_link("#x"), LinkTarget::Unresolved(_)));
        assert!(matches!(classify_link("C:/x"), LinkTarget::Unresolved(_)));
    }

    /// Deepest block nesting and deepest inline nesting of a tree.
    fn depths(blocks: &[Block]) -> (usize, usize) {
        fn inline_depth(inlines: &[Inline]) -> usize {
            inlines
                .iter()
                .map(|i| match &i.kind {
                    InlineKind::Emph(c) | InlineKind::Strong(c) | InlineKind::Strike(c) => {
                        1 + inline_depth(c)
                    }
                    InlineKind::Link { content, .. } => 1 + inline_depth(content),
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
        }
        let mut deepest = (0, 0);
        for b in blocks {
            let (blocks_below, inlines) = match &b.kind {
                BlockKind::Quote { blocks } => {
                    let (d, i) = depths(blocks);
                    (d + 1, i)
                }
                BlockKind::List { items, .. } => items
                    .iter()
                    .map(|item| depths(&item.blocks))
                    .fold((1, 0), |(d, i), (d2, i2)| (d.max(d2 + 1), i.max(i2))),
                BlockKind::Paragraph { content } => (0, inline_depth(content)),
                _ => (0, 0),
            };
            deepest = (deepest.0.max(blocks_below), deepest.1.max(inlines));
        }
        deepest
    }

    #[test]
    fn deep_nesting_is_an_error_and_the_tree_stays_shallow() {
        for (text, what) in [
            (">".repeat(100_000) + " deep\n", "block quotes"),
            ("- ".repeat(100_000) + "deep\n", "block quotes"),
            ("> - ".repeat(50_000) + "deep\n", "block quotes"),
            ("*".repeat(100_000) + "x" + &"*".repeat(100_000), "emphasis"),
        ] {
            let body = parse_limited(SourceId(0), &text, 0, true, 32);
            assert_eq!(body.problems.len(), 1, "{what}: one error per chapter");
            assert!(
                body.problems[0].message.starts_with(what),
                "{:?}",
                body.problems
            );
            let (blocks, inlines) = depths(&body.blocks);
            assert!(blocks <= 32 && inlines <= 32, "{what}: {blocks} {inlines}");
        }
        // At the limit exactly, nothing is reported.
        let body = parse_limited(SourceId(0), &(">".repeat(32) + " x\n"), 0, true, 32);
        assert!(body.problems.is_empty());
        assert_eq!(depths(&body.blocks).0, 32);
        let body = parse_limited(SourceId(0), &(">".repeat(33) + " x\n"), 0, true, 32);
        assert_eq!(body.problems[0].span.map(|s| s.start), Some(32));
    }

    #[test]
    fn no_panic_on_odd_nesting() {
        assert_eq!(kinds("> - a\n>   > b\n\n|a|\n|-|\n|b|\n").len(), 2);
    }
}
