//! How much laying the book out will cost, bounded before it starts.
//!
//! The PDF's memory follows what it lays out, not the bytes of the text: a
//! one-letter paragraph costs as much as a line of prose (a box, a line, a
//! page slot), and a heading several times more (a contents entry with its
//! dot leaders, a bookmark, a destination). 2 MB of `# a` lines made 1.3 GB,
//! and 7 MB of one-word table cells 1.25 GB (each cell is a paragraph with
//! its own box). So besides `manuscript-bytes`, `[limits] blocks` bounds the
//! paragraphs, headings, list items, quotes, table cells, code lines and
//! notes of the book, and `[limits] headings` the headings; the README's
//! limits section gives the arithmetic.

use crate::config::limits::Limits;
use crate::diag::{Diagnostic, Sink, Span};
use crate::ir::{Block, BlockKind, walk};

/// Counts the blocks and headings of every chapter and note, refusing the
/// book at the first one beyond `limits`.
pub fn check(chapters: &[&[Block]], limits: &Limits, sink: &mut Sink) {
    let (mut blocks, mut headings) = (0u64, 0u64);
    let mut over: Option<(Span, bool)> = None;
    for chapter in chapters {
        walk::blocks(chapter, &mut |block: &Block| {
            if over.is_some() {
                return;
            }
            blocks += match &block.kind {
                BlockKind::Code { text, .. } => text.lines().count().max(1) as u64,
                BlockKind::Table(table) => {
                    1 + table.head.len() as u64
                        + table.rows.iter().map(|row| row.len() as u64).sum::<u64>()
                }
                BlockKind::List { items, .. } => items.len() as u64,
                _ => 1,
            };
            if matches!(block.kind, BlockKind::Heading { .. }) {
                headings += 1;
            }
            if headings > limits.headings {
                over = Some((block.span, true));
            } else if blocks > limits.blocks {
                over = Some((block.span, false));
            }
        });
        if over.is_some() {
            break;
        }
    }
    match over {
        Some((span, true)) => sink.push(
            Diagnostic::error(
                span,
                format!(
                    "the book has more than {} headings, above the limit",
                    limits.headings
                ),
            )
            .with_help("split the book; if it really needs them, raise `headings` in [limits] in book.toml (each costs the PDF about 12 KB of memory)"),
        ),
        Some((span, false)) => sink.push(
            Diagnostic::error(
                span,
                format!(
                    "the book has more than {} blocks (paragraphs, headings, list items, quotes, table cells, code lines, notes), above the limit",
                    limits.blocks
                ),
            )
            .with_help("split the book; if it really needs them, raise `blocks` in [limits] in book.toml (each costs the PDF about 3 KB of memory)"),
        ),
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Align, Cell, Table};
    use crate::source::SourceId;

    fn table(rows: usize, columns: usize) -> Block {
        let span = Span::file(SourceId(0));
        let cell = || Cell {
            content: Vec::new(),
            span,
        };
        Block {
            kind: BlockKind::Table(Table {
                align: vec![Align::Left; columns],
                head: (0..columns).map(|_| cell()).collect(),
                rows: (0..rows)
                    .map(|_| (0..columns).map(|_| cell()).collect())
                    .collect(),
            }),
            span,
        }
    }

    fn refused(blocks: &[Block], limit: u64) -> bool {
        let limits = Limits {
            blocks: limit,
            ..Limits::default()
        };
        let mut sink = Sink::new();
        check(&[blocks], &limits, &mut sink);
        sink.has_errors()
    }

    #[test]
    fn every_table_cell_is_a_block() {
        // A table of 10 rows and 5 columns: itself, 5 header cells, 50 cells.
        let one = [table(10, 5)];
        assert!(!refused(&one, 56));
        assert!(refused(&one, 55));
        // Rows alone would have counted 11.
        let many: Vec<Block> = (0..4).map(|_| table(10, 5)).collect();
        assert!(refused(&many, 200));
        assert!(!refused(&many, 224));
    }
}
