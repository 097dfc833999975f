//! Helpers for the layout phases' unit tests: a context with the default
//! style and built-in fonts, links that resolve nothing, a small book made
//! in code, and the text a flow or a page shows.

use super::book::Geometry;
use super::cx::{Cx, Fonts};
use super::flow::Flow;
use super::frame::{Item, LinkTarget};
use super::inline::Links;
use crate::diag::{Sink, Span};
use crate::ir::{self, Block, BlockKind, Book, Chapter, Identifier, Inline, InlineKind, Metadata};
use crate::pdf::style::PrintStyle;
use crate::source::SourceId;
use crate::typography::hyphenate::Hyphenator;

/// Runs `f` with a layout context for the default print style.
pub(super) fn with_cx(f: impl FnOnce(&mut Cx<'_>)) {
    let style = PrintStyle::default();
    let mut sink = Sink::new();
    let fonts: Fonts = crate::pdf::fonts::load(
        &style,
        std::path::Path::new("/"),
        "default",
        u64::MAX,
        &mut sink,
    )
    .expect("the built-in fonts load");
    let hyphenator = Hyphenator::new("en", &[]).expect("hyphenator");
    let labels = crate::typography::lang::labels("en");
    let mut cx = Cx::new(
        &style,
        &fonts,
        &hyphenator,
        &labels,
        false,
        Default::default(),
    );
    f(&mut cx);
}

/// Links that resolve nothing, on a 324 × 540 pt text block.
pub(super) struct NoLinks;

impl Links for NoLinks {
    fn dest(&self, _: &ir::LinkTarget) -> Option<LinkTarget> {
        None
    }
    fn image(&mut self, _: ir::AssetId) -> Option<(usize, u32, u32)> {
        None
    }
    fn is_vector(&self, _: usize) -> bool {
        false
    }
    fn text_height(&self) -> f32 {
        540.0
    }
    fn text_width(&self) -> f32 {
        324.0
    }
    fn page_label(&self, _: &str) -> Option<String> {
        None
    }
}

/// A span in source 0.
pub(super) fn span() -> Span {
    Span::file(SourceId(0))
}

/// Text as inlines.
pub(super) fn text(t: &str) -> Vec<Inline> {
    vec![Inline {
        kind: InlineKind::Text(t.to_owned()),
        span: span(),
    }]
}

/// A heading block.
pub(super) fn heading(level: u8, id: &str, title: &str) -> Block {
    Block {
        kind: BlockKind::Heading {
            level,
            id: id.to_owned(),
            classes: Vec::new(),
            content: text(title),
        },
        span: span(),
    }
}

/// A paragraph block.
pub(super) fn paragraph(t: &str) -> Block {
    Block {
        kind: BlockKind::Paragraph { content: text(t) },
        span: span(),
    }
}

/// A chapter of `role` with a title heading and `blocks` after it.
pub(super) fn chapter(id: &str, title: &str, role: ir::Role, blocks: Vec<Block>) -> Chapter {
    let mut all = vec![heading(1, id, title)];
    all.extend(blocks);
    Chapter {
        id: id.to_owned(),
        title: text(title),
        role,
        depth: 0,
        title_heading: true,
        number: None,
        blocks: all,
        notes: Vec::new(),
        span: span(),
        lang: None,
        dir: None,
    }
}

/// A book with metadata for every generated page.
pub(super) fn book(chapters: Vec<Chapter>) -> Book {
    Book {
        meta: Metadata {
            title: "The Test Book".into(),
            subtitle: Some("A Subtitle".into()),
            authors: vec!["Ada Writer".into()],
            language: "en".into(),
            identifier: Identifier::Isbn13("9780306406157".into()),
            publisher: Some("Test Press".into()),
            date: Some("2024".into()),
            rights: Some("All rights reserved.".into()),
            ..Metadata::default()
        },
        chapters,
        assets: Vec::new(),
    }
}

/// Every glyph run's text in a list of items, in order.
pub(super) fn item_text(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Glyphs(run) => Some(run.text.to_string()),
            _ => None,
        })
        .collect()
}

/// Every glyph run's text in a flow, joined by spaces.
pub(super) fn flow_text(flow: &[Flow]) -> String {
    flow.iter()
        .filter_map(|f| match f {
            Flow::Box(b) => Some(item_text(&b.items).join(" ")),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The default 6×9 in page and text block (what the phases' tests set
/// pages on).
pub(super) fn geometry() -> Geometry {
    Geometry {
        page_width: 432.0,
        page_height: 648.0,
        width: 324.0,
        height: 540.0,
        top: 54.0,
        inside: 63.0,
        outside: 45.0,
        bleed: 0.0,
    }
}
