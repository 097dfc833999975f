//! A stable, human-readable text form of the tree, for snapshot tests: one node
//! per line, indented by depth, with `line:col` of each node.

use super::{
    Align, Attrs, Block, BlockKind, Book, Chapter, Inline, InlineKind, Length, LinkTarget,
    plain_text,
};
use crate::source::Sources;
use std::fmt::Write as _;

/// Dumps a whole book.
pub fn book(book: &Book, sources: &Sources) -> String {
    let mut out = String::new();
    let m = &book.meta;
    let _ = writeln!(
        out,
        "book {:?} lang={} id={}",
        m.title,
        m.language,
        m.identifier.urn()
    );
    for asset in &book.assets {
        let _ = writeln!(
            out,
            "asset {} {} {}x{}",
            asset.href, asset.media_type, asset.width, asset.height
        );
    }
    for chapter in &book.chapters {
        out.push_str(&self::chapter(chapter, sources));
    }
    out
}

/// Dumps one chapter.
pub fn chapter(chapter: &Chapter, sources: &Sources) -> String {
    let mut d = Dumper {
        out: String::new(),
        sources,
    };
    let loc = sources.locate(chapter.span);
    let _ = writeln!(
        d.out,
        "chapter id={} role={} depth={} number={} title={:?} @{}",
        chapter.id,
        chapter.role.name(),
        chapter.depth,
        chapter.number.map_or("-".to_owned(), |n| n.to_string()),
        plain_text(&chapter.title),
        loc.path
    );
    d.blocks(&chapter.blocks, 1);
    for note in &chapter.notes {
        d.line(
            1,
            note.span,
            &format!(
                "footnote {} label={:?} id={}",
                note.number, note.label, note.id
            ),
        );
        d.blocks(&note.blocks, 2);
    }
    d.out
}

struct Dumper<'a> {
    out: String,
    sources: &'a Sources,
}

impl Dumper<'_> {
    fn line(&mut self, depth: usize, span: crate::diag::Span, text: &str) {
        let loc = self.sources.locate(span);
        let _ = writeln!(
            self.out,
            "{}{} @{}:{}",
            "  ".repeat(depth),
            text,
            loc.line,
            loc.column
        );
    }

    fn blocks(&mut self, blocks: &[Block], depth: usize) {
        for block in blocks {
            self.block(block, depth);
        }
    }

    fn block(&mut self, block: &Block, depth: usize) {
        match &block.kind {
            BlockKind::Heading {
                level,
                id,
                classes,
                content,
            } => {
                let classes = if classes.is_empty() {
                    String::new()
                } else {
                    format!(" classes={}", classes.join(","))
                };
                self.line(
                    depth,
                    block.span,
                    &format!("heading {level} id={id}{classes}"),
                );
                self.inlines(content, depth + 1);
            }
            BlockKind::Paragraph { content } => {
                self.line(depth, block.span, "paragraph");
                self.inlines(content, depth + 1);
            }
            BlockKind::Quote { blocks } => {
                self.line(depth, block.span, "quote");
                self.blocks(blocks, depth + 1);
            }
            BlockKind::List { start, items } => {
                let kind = start.map_or("bullets".to_owned(), |s| format!("ordered start={s}"));
                self.line(depth, block.span, &format!("list {kind}"));
                for item in items {
                    let task = match item.task {
                        Some(true) => " [x]",
                        Some(false) => " [ ]",
                        None => "",
                    };
                    self.line(depth + 1, item.span, &format!("item{task}"));
                    self.blocks(&item.blocks, depth + 2);
                }
            }
            BlockKind::Code { lang, text, .. } => {
                self.line(
                    depth,
                    block.span,
                    &format!("code lang={} {:?}", lang.as_deref().unwrap_or("-"), text),
                );
            }
            BlockKind::Table(table) => {
                let align: Vec<&str> = table
                    .align
                    .iter()
                    .map(|a| match a {
                        Align::None => "-",
                        Align::Left => "left",
                        Align::Center => "center",
                        Align::Right => "right",
                    })
                    .collect();
                self.line(
                    depth,
                    block.span,
                    &format!("table align={}", align.join(",")),
                );
                for (i, row) in std::iter::once(&table.head).chain(&table.rows).enumerate() {
                    let kind = if i == 0 { "head" } else { "row" };
                    let cells: Vec<String> = row
                        .iter()
                        .map(|c| format!("{:?}", plain_text(&c.content)))
                        .collect();
                    let _ = writeln!(
                        self.out,
                        "{}{kind} {}",
                        "  ".repeat(depth + 1),
                        cells.join(" | ")
                    );
                }
            }
            BlockKind::Figure(figure) => {
                let id = figure
                    .id
                    .as_ref()
                    .map_or(String::new(), |id| format!(" id={id}"));
                self.line(
                    depth,
                    block.span,
                    &format!(
                        "figure src={:?} alt={:?}{} caption={:?}{id}",
                        figure.image.src,
                        figure.image.alt,
                        size(&figure.image),
                        plain_text(&figure.caption)
                    ),
                );
            }
            BlockKind::Rule => self.line(depth, block.span, "rule"),
            BlockKind::Div { attrs, blocks } => {
                self.line(depth, block.span, &format!("div{}", attributes(attrs)));
                self.blocks(blocks, depth + 1);
            }
            BlockKind::Details {
                attrs,
                summary,
                blocks,
            } => {
                self.line(depth, block.span, &format!("details{}", attributes(attrs)));
                self.line(depth + 1, block.span, "summary");
                self.inlines(summary, depth + 2);
                self.blocks(blocks, depth + 1);
            }
            BlockKind::BlockFigure {
                attrs,
                caption,
                blocks,
            } => {
                self.line(
                    depth,
                    block.span,
                    &format!("block-figure{}", attributes(attrs)),
                );
                self.blocks(blocks, depth + 1);
                self.line(depth + 1, block.span, "caption");
                self.inlines(caption, depth + 2);
            }
            BlockKind::DefinitionList { attrs, items } => {
                self.line(
                    depth,
                    block.span,
                    &format!("definitions{}", attributes(attrs)),
                );
                for item in items {
                    self.line(depth + 1, item.span, "term");
                    self.inlines(&item.term, depth + 2);
                    for details in &item.details {
                        self.line(depth + 1, item.span, "description");
                        self.blocks(details, depth + 2);
                    }
                }
            }
        }
    }

    fn inlines(&mut self, inlines: &[Inline], depth: usize) {
        for inline in inlines {
            let span = inline.span;
            match &inline.kind {
                InlineKind::Text(t) => self.line(depth, span, &format!("text {t:?}")),
                InlineKind::Code(t) => self.line(depth, span, &format!("code {t:?}")),
                InlineKind::Emph(c) => {
                    self.line(depth, span, "emph");
                    self.inlines(c, depth + 1);
                }
                InlineKind::Strong(c) => {
                    self.line(depth, span, "strong");
                    self.inlines(c, depth + 1);
                }
                InlineKind::Strike(c) => {
                    self.line(depth, span, "strike");
                    self.inlines(c, depth + 1);
                }
                InlineKind::Link {
                    target, content, ..
                } => {
                    let target = match target {
                        LinkTarget::External(url) => format!("external {url}"),
                        LinkTarget::Internal { chapter, anchor } => format!(
                            "chapter {chapter}{}",
                            anchor.as_ref().map_or(String::new(), |a| format!("#{a}"))
                        ),
                        LinkTarget::Unresolved(s) => format!("unresolved {s}"),
                    };
                    self.line(depth, span, &format!("link {target}"));
                    self.inlines(content, depth + 1);
                }
                InlineKind::Image(image) => self.line(
                    depth,
                    span,
                    &format!(
                        "image src={:?} alt={:?}{}",
                        image.src,
                        image.alt,
                        size(image)
                    ),
                ),
                InlineKind::PageRef { target } => {
                    self.line(depth, span, &format!("pageref {target:?}"))
                }
                InlineKind::NoteRef { label, number, .. } => {
                    self.line(depth, span, &format!("noteref {number} label={label:?}"))
                }
                InlineKind::SoftBreak => self.line(depth, span, "softbreak"),
                InlineKind::HardBreak => self.line(depth, span, "hardbreak"),
                InlineKind::Span { attrs, content } => {
                    self.line(depth, span, &format!("span{}", attributes(attrs)));
                    self.inlines(content, depth + 1);
                }
                InlineKind::Sup(c) => {
                    self.line(depth, span, "sup");
                    self.inlines(c, depth + 1);
                }
                InlineKind::Sub(c) => {
                    self.line(depth, span, "sub");
                    self.inlines(c, depth + 1);
                }
                InlineKind::Kbd(c) => {
                    self.line(depth, span, "kbd");
                    self.inlines(c, depth + 1);
                }
                InlineKind::Anchor { id } => self.line(depth, span, &format!("anchor id={id}")),
            }
        }
    }
}

/// ` <element> id=… class=… lang=… key="value"`, for the dump.
fn attributes(attrs: &Attrs) -> String {
    let mut out = format!(" <{}>", attrs.element);
    if let Some(id) = &attrs.id {
        let _ = write!(out, " id={id}");
    }
    if !attrs.classes.is_empty() {
        let _ = write!(out, " class={}", attrs.classes.join(","));
    }
    for (key, value) in [
        ("lang", &attrs.lang),
        ("dir", &attrs.dir),
        ("title", &attrs.title),
    ] {
        if let Some(value) = value {
            let _ = write!(out, " {key}={value:?}");
        }
    }
    for (key, value) in &attrs.other {
        let _ = write!(out, " {key}={value:?}");
    }
    out
}

/// ` width=50% height=120px` when the author sized the image.
fn size(image: &super::Image) -> String {
    let mut out = String::new();
    for (key, value) in [("width", image.width), ("height", image.height)] {
        match value {
            Some(Length::Px(px)) => {
                let _ = write!(out, " {key}={px}px");
            }
            Some(Length::Percent(p)) => {
                let _ = write!(out, " {key}={p}%");
            }
            None => {}
        }
    }
    out
}
