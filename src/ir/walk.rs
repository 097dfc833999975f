//! Traversals shared by the passes and backends, so each one does not re-write
//! the recursion over nested blocks and inlines.

use super::{Block, BlockKind, Inline, InlineKind};

/// Calls `f` with every piece of text in `inlines`, in reading order; breaks
/// count as a space, code spans as their text.
pub fn for_each_text(inlines: &[Inline], f: &mut dyn FnMut(&str)) {
    for inline in inlines {
        match &inline.kind {
            InlineKind::Text(t) | InlineKind::Code(t) => f(t),
            InlineKind::Emph(c) | InlineKind::Strong(c) | InlineKind::Strike(c) => {
                for_each_text(c, f)
            }
            InlineKind::Link { content, .. } => for_each_text(content, f),
            InlineKind::Image(image) => f(&image.alt),
            InlineKind::SoftBreak | InlineKind::HardBreak => f(" "),
            InlineKind::NoteRef { .. } | InlineKind::Html(_) | InlineKind::PageRef { .. } => {}
        }
    }
}

/// The inline children of a block that holds inlines directly (paragraphs,
/// headings, table cells, captions), as mutable slices.
pub fn block_inlines_mut(block: &mut Block, f: &mut dyn FnMut(&mut Vec<Inline>)) {
    match &mut block.kind {
        BlockKind::Heading { content, .. } | BlockKind::Paragraph { content } => f(content),
        BlockKind::Table(table) => {
            for cell in table.head.iter_mut().chain(table.rows.iter_mut().flatten()) {
                f(&mut cell.content);
            }
        }
        BlockKind::Figure(figure) => f(&mut figure.caption),
        BlockKind::Quote { blocks } => {
            for b in blocks {
                block_inlines_mut(b, f);
            }
        }
        BlockKind::List { items, .. } => {
            for item in items {
                for b in &mut item.blocks {
                    block_inlines_mut(b, f);
                }
            }
        }
        BlockKind::Code { .. } | BlockKind::Rule | BlockKind::Html { .. } => {}
    }
}

/// Calls `f` on every inline list in `blocks`, nested ones included.
pub fn inlines_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Vec<Inline>)) {
    for block in blocks {
        block_inlines_mut(block, f);
    }
}

/// Calls `f` on every block in `blocks`, depth first, parents before children.
pub fn blocks<'a>(blocks: &'a [Block], f: &mut dyn FnMut(&'a Block)) {
    for block in blocks {
        f(block);
        match &block.kind {
            BlockKind::Quote { blocks: inner } => self::blocks(inner, f),
            BlockKind::List { items, .. } => {
                for item in items {
                    self::blocks(&item.blocks, f);
                }
            }
            _ => {}
        }
    }
}

/// Calls `f` on every inline (recursively, parents before children) of `inlines`.
pub fn inlines<'a>(inlines: &'a [Inline], f: &mut dyn FnMut(&'a Inline)) {
    for inline in inlines {
        f(inline);
        match &inline.kind {
            InlineKind::Emph(c) | InlineKind::Strong(c) | InlineKind::Strike(c) => {
                self::inlines(c, f)
            }
            InlineKind::Link { content, .. } => self::inlines(content, f),
            _ => {}
        }
    }
}

/// Every inline list directly held by `block` (not nested blocks).
pub fn own_inlines(block: &Block) -> Vec<&[Inline]> {
    match &block.kind {
        BlockKind::Heading { content, .. } | BlockKind::Paragraph { content } => vec![content],
        BlockKind::Table(table) => table
            .head
            .iter()
            .chain(table.rows.iter().flatten())
            .map(|c| c.content.as_slice())
            .collect(),
        BlockKind::Figure(figure) => vec![&figure.caption],
        _ => Vec::new(),
    }
}
