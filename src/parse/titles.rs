//! A chapter's title and the levels of its headings: the title from
//! `SUMMARY.md` with its inline Markdown, the file's own title heading (moved
//! to the front when a note precedes it), and headings leveled from the
//! chapter's depth so the whole book is one outline.

use super::markdown;
use crate::diag::Span;
use crate::ir::{self, Block, BlockKind, Inline, InlineKind};
use crate::source::Sources;

/// The chapter's title from its `SUMMARY.md` link, with its inline Markdown
/// (`` [The `match` Construct](…) `` keeps its code span), or `None` when the
/// entry has no title there.
pub(super) fn summary_title(
    entry: &crate::manuscript::Entry,
    sources: &Sources,
    smart: bool,
) -> Option<Vec<Inline>> {
    let plain = entry.title_hint.as_deref()?;
    let span = entry.named_at.or(entry.title_source)?;
    let fallback = || text_inline(plain, span);
    let Some(link) = entry.title_source else {
        return Some(fallback());
    };
    let file = sources.get(link.source);
    let Some(text) = file.text.get(link.start as usize..link.end as usize) else {
        return Some(fallback());
    };
    // The link alone parses as a paragraph holding one link, whose content
    // is the title; spans stay those of SUMMARY.md.
    let body = markdown::parse(link.source, text, link.start as usize, smart);
    let content = match body.blocks.as_slice() {
        [
            Block {
                kind: BlockKind::Paragraph { content },
                ..
            },
        ] => match content.as_slice() {
            [
                Inline {
                    kind: InlineKind::Link { content, .. },
                    ..
                },
            ] => Some(content.clone()),
            _ => None,
        },
        _ => None,
    };
    match content {
        Some(c) if !plain_is_empty(&c) => Some(c),
        _ => Some(fallback()),
    }
}

fn plain_is_empty(inlines: &[Inline]) -> bool {
    ir::plain_text(inlines).trim().is_empty()
}

/// Whether the file has its own title heading, which is then the first
/// block: a file that opens with a heading has it; so has a file whose first
/// heading is a `#` heading after a note or a comment (`NOTE: …` then
/// `# Introduction`): that heading moves to the front, so the title opens the
/// chapter and is never set a second time from `SUMMARY.md`.
pub(super) fn hoist_title(blocks: &mut [Block]) -> bool {
    let Some(first) = blocks
        .iter()
        .position(|b| matches!(b.kind, BlockKind::Heading { .. }))
    else {
        return false;
    };
    if first > 0 {
        if !matches!(blocks[first].kind, BlockKind::Heading { level: 1, .. }) {
            return false;
        }
        blocks[..=first].rotate_right(1);
    }
    true
}

/// The inline content of a heading block.
pub(super) fn heading_content(block: &Block) -> Option<Vec<Inline>> {
    match &block.kind {
        BlockKind::Heading { content, .. } => Some(content.clone()),
        _ => None,
    }
}

/// Levels a chapter's headings from its place in the book, so the book is one
/// outline: the title heading (the first block, when `title_heading`) becomes
/// level `depth + 1` and every other heading sits below it, keeping the
/// differences the author wrote (a file of `##` and `###` at depth 1 becomes
/// levels 2 and 3). Without a title heading, the file's highest heading goes
/// one below the title backends set. Levels never pass 6.
pub(super) fn level_headings(blocks: &mut [Block], depth: u8, title_heading: bool) {
    let base = i32::from(depth) + 1;
    let mut highest = i32::MAX;
    ir::walk::blocks(blocks, &mut |b| {
        if let BlockKind::Heading { level, .. } = b.kind {
            highest = highest.min(i32::from(level));
        }
    });
    if highest == i32::MAX {
        return;
    }
    let (shift, first_is_title) = match blocks.first().map(|b| &b.kind) {
        Some(BlockKind::Heading { level, .. }) if title_heading => (base - i32::from(*level), true),
        _ => (base + 1 - highest, false),
    };
    let clamp = |level: i32, floor: i32| level.clamp(floor.min(6), 6) as u8;
    for (i, block) in blocks.iter_mut().enumerate() {
        if i == 0 && first_is_title {
            if let BlockKind::Heading { level, .. } = &mut block.kind {
                *level = clamp(base, 1);
            }
            continue;
        }
        shift_headings(std::slice::from_mut(block), &|l| {
            clamp(i32::from(l) + shift, base + 1)
        });
    }
}

/// Applies `to` to the level of every heading in `blocks`, nested ones included.
fn shift_headings(blocks: &mut [Block], to: &dyn Fn(u8) -> u8) {
    for block in blocks {
        if let BlockKind::Heading { level, .. } = &mut block.kind {
            *level = to(*level);
        }
        for inner in crate::ir::walk::child_blocks_mut(block) {
            shift_headings(inner, to);
        }
    }
}

fn text_inline(text: &str, span: Span) -> Vec<Inline> {
    vec![Inline {
        kind: InlineKind::Text(text.to_owned()),
        span,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceId;

    /// The heading levels and texts after leveling `text` at `depth`, and
    /// whether the file has its own title.
    fn leveled(text: &str, depth: u8) -> (bool, Vec<(u8, String)>) {
        let mut blocks = markdown::parse(SourceId(0), text, 0, false).blocks;
        let titled = hoist_title(&mut blocks);
        level_headings(&mut blocks, depth, titled);
        let headings = blocks
            .iter()
            .filter_map(|b| match &b.kind {
                BlockKind::Heading { level, content, .. } => {
                    Some((*level, ir::plain_text(content)))
                }
                _ => None,
            })
            .collect();
        (titled, headings)
    }

    #[test]
    fn headings_take_their_level_from_the_depth() {
        // A section opening with `##` or with `#`: the same outline.
        let expected = (
            true,
            vec![(2, "T".into()), (3, "A".into()), (4, "B".into())],
        );
        assert_eq!(leveled("## T\n\n### A\n\n#### B\n", 1), expected);
        assert_eq!(leveled("# T\n\n## A\n\n### B\n", 1), expected);
        // A second `#` heading sits below the title.
        assert_eq!(
            leveled("# T\n\ntext\n\n# U\n", 0),
            (true, vec![(1, "T".into()), (2, "U".into())])
        );
        // No title of its own: the highest heading goes below the title
        // the backends set.
        assert_eq!(
            leveled("text\n\n### A\n\n#### B\n", 2),
            (false, vec![(4, "A".into()), (5, "B".into())])
        );
        // Never past 6.
        assert_eq!(leveled("# T\n\n###### Deep\n", 4).1[1].0, 6);
    }

    #[test]
    fn a_title_after_a_note_moves_to_the_top() {
        let mut blocks =
            markdown::parse(SourceId(0), "NOTE: a note.\n\n# Title\n\nText.\n", 0, false).blocks;
        assert!(hoist_title(&mut blocks));
        assert!(matches!(blocks[0].kind, BlockKind::Heading { .. }));
        assert!(matches!(blocks[1].kind, BlockKind::Paragraph { .. }));
        // A `##` after text is a heading inside the chapter, not its title.
        let mut blocks = markdown::parse(SourceId(0), "Text.\n\n## Details\n", 0, false).blocks;
        assert!(!hoist_title(&mut blocks));
        assert!(matches!(blocks[0].kind, BlockKind::Paragraph { .. }));
    }
}
