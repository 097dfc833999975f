//! The outline (PDF bookmarks): the heading marks pagination recorded,
//! nested by level — a chapter inside a part one level down — each pointing
//! at its page and position.

use super::blocks::chapter_dest;
use super::book::Geometry;
use super::frame::OutlineItem;
use super::paginate::PageBody;
use crate::ir::{self, Book};
use std::collections::HashMap;

/// How far each top-level chapter's bookmarks sit below the top: one inside
/// a part, by its destination (what its opening mark names).
pub(super) fn part_levels(book: &Book) -> HashMap<String, u8> {
    let levels = ir::outline::levels(book);
    book.chapters
        .iter()
        .zip(levels)
        .filter(|(c, _)| c.depth == 0)
        .map(|(c, level)| (chapter_dest(&c.id), level))
        .collect()
}

/// Bookmarks from the heading marks, nested by level, each at its position.
/// A top-level chapter's mark sets how far it and the marks after it sit
/// below the top (`part_levels`: one inside a part).
pub(super) fn outline(
    bodies: &[PageBody],
    g: Geometry,
    page_offset: usize,
    part_levels: &HashMap<String, u8>,
) -> Vec<OutlineItem> {
    let mut root: Vec<OutlineItem> = Vec::new();
    // Levels of the items on the tree's rightmost path, top first: an item
    // goes under the nearest one above its level, so headings that skip a
    // level (`#` then `###`, `###`) stay siblings.
    let mut open: Vec<u8> = Vec::new();
    let mut below = 0u8;
    for (index, body) in bodies.iter().enumerate() {
        for mark in &body.marks {
            if mark.level == 0 {
                below = part_levels.get(&mark.dest).copied().unwrap_or(0);
            }
            let item = OutlineItem {
                title: mark.title.clone(),
                page: index + page_offset,
                y: g.top + mark.y,
                children: Vec::new(),
            };
            let level = mark.level.saturating_add(below);
            while open.last().is_some_and(|&l| l >= level) {
                open.pop();
            }
            let mut list = &mut root;
            for _ in 0..open.len() {
                let last = list.len() - 1;
                list = &mut list[last].children;
            }
            list.push(item);
            open.push(level);
        }
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::layout::flow::Mark;

    fn mark(level: u8, title: &str, y: f32) -> Mark {
        Mark {
            level,
            dest: title.to_owned(),
            title: title.to_owned(),
            y,
        }
    }

    #[test]
    fn bookmarks_nest_by_level_and_point_at_their_page() {
        let pages = vec![
            PageBody {
                marks: vec![mark(0, "One", 0.0), mark(1, "One.a", 200.0)],
                ..PageBody::default()
            },
            PageBody {
                marks: vec![mark(2, "One.a.i", 10.0), mark(0, "Two", 100.0)],
                ..PageBody::default()
            },
        ];
        let g = crate::pdf::layout::testing::geometry();
        let out = outline(&pages, g, 1, &HashMap::new());
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].children[0].title, "One.a");
        assert_eq!(out[0].children[0].y, 254.0);
        let deep = &out[0].children[0].children[0];
        assert_eq!((deep.title.as_str(), deep.page), ("One.a.i", 2));
        assert_eq!((out[1].title.as_str(), out[1].page), ("Two", 2));
    }
}
