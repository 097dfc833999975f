//! Traversals shared by the passes and backends, so each one does not re-write
//! the recursion over nested blocks and inlines. [`child_blocks`] and
//! [`child_inlines`] are the one place that knows which nodes hold others.

use super::{Block, BlockKind, Inline, InlineKind};

/// The block lists directly inside `block`: a quote's blocks, each list
/// item, an HTML container's content, each definition's descriptions.
pub fn child_blocks(block: &Block) -> Vec<&[Block]> {
    match &block.kind {
        BlockKind::Quote { blocks }
        | BlockKind::Div { blocks, .. }
        | BlockKind::Details { blocks, .. }
        | BlockKind::BlockFigure { blocks, .. } => vec![blocks],
        BlockKind::List { items, .. } => items.iter().map(|i| i.blocks.as_slice()).collect(),
        BlockKind::DefinitionList { items, .. } => items
            .iter()
            .flat_map(|i| i.details.iter().map(Vec::as_slice))
            .collect(),
        BlockKind::Heading { .. }
        | BlockKind::Paragraph { .. }
        | BlockKind::Code { .. }
        | BlockKind::Table(_)
        | BlockKind::Figure(_)
        | BlockKind::Rule => Vec::new(),
    }
}

/// [`child_blocks`], mutable.
pub fn child_blocks_mut(block: &mut Block) -> Vec<&mut Vec<Block>> {
    match &mut block.kind {
        BlockKind::Quote { blocks }
        | BlockKind::Div { blocks, .. }
        | BlockKind::Details { blocks, .. }
        | BlockKind::BlockFigure { blocks, .. } => vec![blocks],
        BlockKind::List { items, .. } => items.iter_mut().map(|i| &mut i.blocks).collect(),
        BlockKind::DefinitionList { items, .. } => items
            .iter_mut()
            .flat_map(|i| i.details.iter_mut())
            .collect(),
        BlockKind::Heading { .. }
        | BlockKind::Paragraph { .. }
        | BlockKind::Code { .. }
        | BlockKind::Table(_)
        | BlockKind::Figure(_)
        | BlockKind::Rule => Vec::new(),
    }
}

/// The inlines nested in an inline container (emphasis, links, spans…).
pub fn child_inlines(inline: &Inline) -> Option<&[Inline]> {
    match &inline.kind {
        InlineKind::Emph(c)
        | InlineKind::Strong(c)
        | InlineKind::Strike(c)
        | InlineKind::Sup(c)
        | InlineKind::Sub(c)
        | InlineKind::Kbd(c)
        | InlineKind::Span { content: c, .. }
        | InlineKind::Link { content: c, .. } => Some(c),
        _ => None,
    }
}

/// [`child_inlines`], mutable.
pub fn child_inlines_mut(inline: &mut Inline) -> Option<&mut Vec<Inline>> {
    match &mut inline.kind {
        InlineKind::Emph(c)
        | InlineKind::Strong(c)
        | InlineKind::Strike(c)
        | InlineKind::Sup(c)
        | InlineKind::Sub(c)
        | InlineKind::Kbd(c)
        | InlineKind::Span { content: c, .. }
        | InlineKind::Link { content: c, .. } => Some(c),
        _ => None,
    }
}

/// Calls `f` with every piece of text in `inlines`, in reading order; breaks
/// count as a space, code spans as their text.
pub fn for_each_text(inlines: &[Inline], f: &mut dyn FnMut(&str)) {
    for inline in inlines {
        match &inline.kind {
            InlineKind::Text(t) | InlineKind::Code(t) => f(t),
            InlineKind::Image(image) => f(&image.alt),
            InlineKind::SoftBreak | InlineKind::HardBreak => f(" "),
            _ => {
                if let Some(c) = child_inlines(inline) {
                    for_each_text(c, f)
                }
            }
        }
    }
}

/// The inline children of a block that holds inlines directly (paragraphs,
/// headings, table cells, captions, summaries, terms), and of every block
/// nested in it.
pub fn block_inlines_mut(block: &mut Block, f: &mut dyn FnMut(&mut Vec<Inline>)) {
    match &mut block.kind {
        BlockKind::Heading { content, .. } | BlockKind::Paragraph { content } => f(content),
        BlockKind::Table(table) => {
            for cell in table.head.iter_mut().chain(table.rows.iter_mut().flatten()) {
                f(&mut cell.content);
            }
        }
        BlockKind::Figure(figure) => f(&mut figure.caption),
        BlockKind::Details { summary: c, .. } | BlockKind::BlockFigure { caption: c, .. } => f(c),
        BlockKind::DefinitionList { items, .. } => {
            for item in items {
                f(&mut item.term);
            }
        }
        _ => {}
    }
    for blocks in child_blocks_mut(block) {
        for b in blocks {
            block_inlines_mut(b, f);
        }
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
        for inner in child_blocks(block) {
            self::blocks(inner, f);
        }
    }
}

/// Calls `f` on every inline (recursively, parents before children) of `inlines`.
pub fn inlines<'a>(inlines: &'a [Inline], f: &mut dyn FnMut(&'a Inline)) {
    for inline in inlines {
        f(inline);
        if let Some(c) = child_inlines(inline) {
            self::inlines(c, f)
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
        BlockKind::Details { summary: c, .. } | BlockKind::BlockFigure { caption: c, .. } => {
            vec![c]
        }
        BlockKind::DefinitionList { items, .. } => {
            items.iter().map(|i| i.term.as_slice()).collect()
        }
        _ => Vec::new(),
    }
}
