//! Closing an HTML element: what it collected becomes its document-tree node
//! (a `<figure>` around one image is a figure, a `<td>` a table cell, an
//! unknown element a transparent `Div` or `Span` with its attributes), and
//! attributes a node's own kind cannot hold go on a wrapping `Div`/`Span`.

use super::super::{Builder, Node, as_figure, classify_link, trim_paragraph};
use super::{Content, HtmlOpen};
use crate::diag::Span;
use crate::ir::{
    Attrs, Block, BlockKind, Cell, DefinitionItem, Figure, Inline, InlineKind, ListItem, Table,
    plain_text,
};
use crate::parse::html::{self, Element};

impl Builder {
    /// Turns a closed HTML element into its document-tree node.
    pub(in crate::parse::markdown) fn close_html(&mut self, open: HtmlOpen, span: Span) {
        let HtmlOpen {
            element,
            mut attrs,
            content,
            ..
        } = open;
        match content {
            Content::Dropped => {}
            Content::Pre { lang, text } => {
                let mut text = text.trim_end().to_owned();
                if text.is_empty() {
                    return;
                }
                text.push('\n');
                self.push_wrapped(
                    Block {
                        kind: BlockKind::Code {
                            lang,
                            text,
                            tokens: Vec::new(),
                        },
                        span,
                    },
                    attrs,
                );
            }
            Content::Inlines { inlines, href } => {
                self.close_inline_element(element, attrs, inlines, href, span)
            }
            Content::List { start, items } => {
                if !items.is_empty() {
                    self.push_wrapped(
                        Block {
                            kind: BlockKind::List { start, items },
                            span,
                        },
                        attrs,
                    );
                }
            }
            Content::Definitions { items } => {
                if !items.is_empty() {
                    self.push_block(Block {
                        kind: BlockKind::DefinitionList { attrs, items },
                        span,
                    });
                }
            }
            Content::Table {
                caption,
                rows,
                foster,
            } => {
                for block in foster {
                    self.push_block(block);
                }
                if !caption.is_empty() {
                    self.push_block(Block {
                        kind: BlockKind::Paragraph { content: caption },
                        span,
                    });
                }
                let mut rows = rows.into_iter().peekable();
                let head = match rows.peek() {
                    Some((_, true)) => rows.next().map(|(cells, _)| cells).unwrap_or_default(),
                    _ => Vec::new(),
                };
                let rows: Vec<Vec<Cell>> = rows.map(|(cells, _)| cells).collect();
                if head.is_empty() && rows.is_empty() {
                    return;
                }
                let columns = rows
                    .iter()
                    .map(Vec::len)
                    .chain([head.len()])
                    .max()
                    .unwrap_or(0);
                self.push_wrapped(
                    Block {
                        kind: BlockKind::Table(Table {
                            align: vec![crate::ir::Align::None; columns],
                            head,
                            rows,
                        }),
                        span,
                    },
                    attrs,
                );
            }
            Content::Row {
                cells,
                all_header,
                foster,
            } => {
                if let Some(Node::Html(HtmlOpen {
                    content:
                        Content::Table {
                            rows, foster: f, ..
                        },
                    ..
                })) = self.top_node_mut()
                {
                    f.extend(foster);
                    if !cells.is_empty() {
                        rows.push((cells, all_header));
                    }
                } else {
                    for block in foster {
                        self.push_block(block);
                    }
                    let mut content = Vec::new();
                    for cell in cells {
                        if !content.is_empty() {
                            content.push(Inline {
                                kind: InlineKind::Text(" ".into()),
                                span,
                            });
                        }
                        content.extend(cell.content);
                    }
                    if !content.is_empty() {
                        self.push_block(Block {
                            kind: BlockKind::Paragraph { content },
                            span,
                        });
                    }
                }
            }
            Content::Blocks { blocks, caption } => match element {
                Element::Quote => self.push_wrapped(
                    Block {
                        kind: BlockKind::Quote { blocks },
                        span,
                    },
                    attrs,
                ),
                Element::Details => self.push_block(Block {
                    kind: BlockKind::Details {
                        attrs,
                        summary: caption,
                        blocks,
                    },
                    span,
                }),
                Element::Figure => self.close_figure(attrs, caption, blocks, span),
                Element::Item => {
                    if let Some(Node::Html(HtmlOpen {
                        content: Content::List { items, .. },
                        ..
                    })) = self.top_node_mut()
                    {
                        items.push(ListItem {
                            task: None,
                            blocks,
                            span,
                        });
                    } else {
                        self.splice(blocks);
                    }
                }
                Element::Description => {
                    if let Some(Node::Html(HtmlOpen {
                        content: Content::Definitions { items },
                        ..
                    })) = self.top_node_mut()
                    {
                        match items.last_mut() {
                            Some(item) => item.details.push(blocks),
                            None => items.push(DefinitionItem {
                                term: Vec::new(),
                                details: vec![blocks],
                                span,
                            }),
                        }
                    } else {
                        self.splice(blocks);
                    }
                }
                Element::Summary | Element::FigCaption | Element::Term | Element::TableCaption => {
                    let inlines = flatten(blocks, InlineKind::SoftBreak);
                    let parent = match self.top_node_mut() {
                        Some(Node::Html(parent)) => Some(parent),
                        _ => None,
                    };
                    match (element, parent) {
                        (
                            Element::Summary,
                            Some(HtmlOpen {
                                element: Element::Details,
                                content: Content::Blocks { caption, .. },
                                ..
                            }),
                        )
                        | (
                            Element::FigCaption,
                            Some(HtmlOpen {
                                element: Element::Figure,
                                content: Content::Blocks { caption, .. },
                                ..
                            }),
                        )
                        | (
                            Element::TableCaption,
                            Some(HtmlOpen {
                                content: Content::Table { caption, .. },
                                ..
                            }),
                        ) => caption.extend(inlines),
                        (
                            Element::Term,
                            Some(HtmlOpen {
                                content: Content::Definitions { items },
                                ..
                            }),
                        ) => items.push(DefinitionItem {
                            term: inlines,
                            details: Vec::new(),
                            span,
                        }),
                        _ => {
                            if !inlines.is_empty() {
                                self.push_block(Block {
                                    kind: BlockKind::Paragraph { content: inlines },
                                    span,
                                });
                            }
                        }
                    }
                }
                Element::Cell { header } => {
                    let content = flatten(blocks, InlineKind::HardBreak);
                    if let Some(Node::Html(HtmlOpen {
                        content:
                            Content::Row {
                                cells, all_header, ..
                            },
                        ..
                    })) = self.top_node_mut()
                    {
                        cells.push(Cell { content, span });
                        *all_header &= header;
                    } else if !content.is_empty() {
                        self.push_block(Block {
                            kind: BlockKind::Paragraph { content },
                            span,
                        });
                    }
                }
                // `div` and its kin, and elements folio does not know.
                _ => {
                    if attrs.is_plain() && element != Element::Unknown {
                        self.splice(blocks);
                    } else {
                        if element != Element::Unknown {
                            attrs.other.clear();
                        }
                        self.push_block(Block {
                            kind: BlockKind::Div { attrs, blocks },
                            span,
                        });
                    }
                }
            },
        }
    }

    /// `<figure>`: one image (with or without a caption) is a figure like
    /// Markdown's; anything else keeps its blocks and caption.
    fn close_figure(&mut self, attrs: Attrs, caption: Vec<Inline>, blocks: Vec<Block>, span: Span) {
        if let [single] = blocks.as_slice() {
            if let BlockKind::Figure(figure) = &single.kind {
                let mut figure = figure.clone();
                if !caption.is_empty() {
                    figure.caption = caption;
                }
                figure.id = attrs.id.clone().or(figure.id);
                self.push_block(Block {
                    kind: BlockKind::Figure(figure),
                    span,
                });
                return;
            }
        }
        if blocks.is_empty() && caption.is_empty() {
            return;
        }
        self.push_block(Block {
            kind: BlockKind::BlockFigure {
                attrs,
                caption,
                blocks,
            },
            span,
        });
    }

    fn close_inline_element(
        &mut self,
        element: Element,
        attrs: Attrs,
        mut inlines: Vec<Inline>,
        href: Option<String>,
        span: Span,
    ) {
        match element {
            Element::Paragraph => {
                if !trim_paragraph(&mut inlines) || self.anchors_only(&inlines) {
                    return;
                }
                let kind = match as_figure(&inlines) {
                    Some(mut figure) => {
                        figure.id = attrs.id.clone();
                        BlockKind::Figure(figure)
                    }
                    None => BlockKind::Paragraph { content: inlines },
                };
                let block = Block { kind, span };
                if matches!(block.kind, BlockKind::Figure(_)) {
                    self.push_block(block);
                } else {
                    self.push_wrapped(block, attrs);
                }
            }
            Element::Heading(level) => {
                trim_paragraph(&mut inlines);
                let content = wrap_inlines(inlines, &attrs, span);
                self.push_block(Block {
                    kind: BlockKind::Heading {
                        level,
                        id: attrs.id.unwrap_or_default(),
                        classes: attrs.classes,
                        content,
                    },
                    span,
                });
            }
            Element::Link => {
                if let Some(id) = &attrs.id {
                    self.attach_inline(Inline {
                        kind: InlineKind::Anchor { id: id.clone() },
                        span,
                    });
                }
                let href = href.map(|h| h.trim().to_owned()).filter(|h| !h.is_empty());
                match href {
                    Some(href) if html::is_active_url(&href) => {
                        self.note_active_url(&href, span);
                        self.attach_all(inlines);
                    }
                    Some(href) => {
                        let title = attrs.title.clone().unwrap_or_default();
                        self.attach_inline(Inline {
                            kind: InlineKind::Link {
                                target: classify_link(&href),
                                title,
                                content: inlines,
                            },
                            span,
                        });
                    }
                    None => self.attach_all(inlines),
                }
            }
            Element::Code => {
                let text = plain_text(&inlines);
                if !text.is_empty() {
                    self.attach_wrapped(InlineKind::Code(text), attrs, span);
                }
            }
            Element::Emph => self.attach_wrapped(InlineKind::Emph(inlines), attrs, span),
            Element::Strong => self.attach_wrapped(InlineKind::Strong(inlines), attrs, span),
            Element::Strike => self.attach_wrapped(InlineKind::Strike(inlines), attrs, span),
            Element::Sup => self.attach_wrapped(InlineKind::Sup(inlines), attrs, span),
            Element::Sub => self.attach_wrapped(InlineKind::Sub(inlines), attrs, span),
            Element::Kbd => self.attach_wrapped(InlineKind::Kbd(inlines), attrs, span),
            _ => {
                if attrs.is_plain() && attrs.element == "span" {
                    self.attach_all(inlines);
                } else if !inlines.is_empty() || attrs.id.is_some() {
                    self.attach_inline(Inline {
                        kind: InlineKind::Span {
                            attrs,
                            content: inlines,
                        },
                        span,
                    });
                }
            }
        }
    }

    /// A paragraph holding only `<a id>` targets (a common way to mark a
    /// place) prints nothing: its anchors become empty blocks, so no blank
    /// line appears. `true` when that was the case.
    pub(in crate::parse::markdown) fn anchors_only(&mut self, inlines: &[Inline]) -> bool {
        let only_anchors = inlines.iter().all(|i| match &i.kind {
            InlineKind::Anchor { .. } | InlineKind::SoftBreak => true,
            InlineKind::Text(t) => t.trim().is_empty(),
            _ => false,
        });
        if !only_anchors {
            return false;
        }
        for inline in inlines {
            if let InlineKind::Anchor { id } = &inline.kind {
                let mut attrs = Attrs::element("div");
                attrs.id = Some(id.clone());
                self.push_block(Block {
                    kind: BlockKind::Div {
                        attrs,
                        blocks: Vec::new(),
                    },
                    span: inline.span,
                });
            }
        }
        true
    }

    fn attach_all(&mut self, inlines: Vec<Inline>) {
        for inline in inlines {
            self.attach_inline(inline);
        }
    }

    /// An inline whose attributes (id, class, lang…) its own kind cannot
    /// hold goes inside a span that does.
    fn attach_wrapped(&mut self, kind: InlineKind, mut attrs: Attrs, span: Span) {
        let inline = Inline { kind, span };
        // `<i class="fa fa-print"></i>`: an icon font's empty element.
        if crate::ir::walk::child_inlines(&inline).is_some_and(<[Inline]>::is_empty)
            && attrs.id.is_none()
        {
            return;
        }
        attrs.other.clear();
        if attrs.is_plain() {
            self.attach_inline(inline);
        } else {
            attrs.element = "span".into();
            self.attach_inline(Inline {
                kind: InlineKind::Span {
                    attrs,
                    content: vec![inline],
                },
                span,
            });
        }
    }

    /// A block whose attributes its own kind cannot hold goes inside a div.
    fn push_wrapped(&mut self, block: Block, mut attrs: Attrs) {
        attrs.other.clear();
        if attrs.is_plain() {
            self.push_block(block);
        } else {
            attrs.element = "div".into();
            let span = block.span;
            self.push_block(Block {
                kind: BlockKind::Div {
                    attrs,
                    blocks: vec![block],
                },
                span,
            });
        }
    }

    fn splice(&mut self, blocks: Vec<Block>) {
        for block in blocks {
            self.push_block(block);
        }
    }
}

/// Blocks where only running text fits (a summary, a caption, a table
/// cell): paragraphs keep their formatting, other blocks their text.
pub(super) fn flatten(blocks: Vec<Block>, separator: InlineKind) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for block in blocks {
        let span = block.span;
        let inlines = match block.kind {
            BlockKind::Paragraph { content } | BlockKind::Heading { content, .. } => content,
            BlockKind::Figure(Figure { image, .. }) => vec![Inline {
                kind: InlineKind::Image(image),
                span,
            }],
            BlockKind::Code { text, .. } => vec![Inline {
                kind: InlineKind::Code(text.trim_end().to_owned()),
                span,
            }],
            BlockKind::Rule => Vec::new(),
            other => {
                let block = Block { kind: other, span };
                let mut text = String::new();
                crate::ir::walk::blocks(std::slice::from_ref(&block), &mut |b| {
                    for inlines in crate::ir::walk::own_inlines(b) {
                        if !text.is_empty() {
                            text.push(' ');
                        }
                        text.push_str(&plain_text(inlines));
                    }
                    if let BlockKind::Code { text: code, .. } = &b.kind {
                        text.push_str(code);
                    }
                });
                if text.trim().is_empty() {
                    Vec::new()
                } else {
                    vec![Inline {
                        kind: InlineKind::Text(text.trim().to_owned()),
                        span,
                    }]
                }
            }
        };
        if inlines.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(Inline {
                kind: separator.clone(),
                span,
            });
        }
        out.extend(inlines);
    }
    out
}

/// A heading's content inside a span when the heading had a language or
/// direction of its own.
fn wrap_inlines(inlines: Vec<Inline>, attrs: &Attrs, span: Span) -> Vec<Inline> {
    if attrs.lang.is_none() && attrs.dir.is_none() {
        return inlines;
    }
    vec![Inline {
        kind: InlineKind::Span {
            attrs: Attrs {
                element: "span".into(),
                lang: attrs.lang.clone(),
                dir: attrs.dir.clone(),
                ..Attrs::default()
            },
            content: inlines,
        },
        span,
    }]
}
