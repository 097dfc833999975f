//! The outline (PDF bookmarks): the heading marks pagination recorded,
//! nested by level, each pointing at its page and position.

use super::book::Geometry;
use super::frame::OutlineItem;
use super::paginate::PageBody;

/// Bookmarks from the heading marks, nested by level, each at its position.
pub(super) fn outline(bodies: &[PageBody], g: Geometry, page_offset: usize) -> Vec<OutlineItem> {
    let mut root: Vec<OutlineItem> = Vec::new();
    for (index, body) in bodies.iter().enumerate() {
        for mark in &body.marks {
            let item = OutlineItem {
                title: mark.title.clone(),
                page: index + page_offset,
                y: g.top + mark.y,
                children: Vec::new(),
            };
            let mut list = &mut root;
            for _ in 0..mark.level {
                if list.is_empty() {
                    break;
                }
                let last = list.len() - 1;
                list = &mut list[last].children;
            }
            list.push(item);
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
        let g = Geometry {
            page_width: 432.0,
            page_height: 648.0,
            width: 324.0,
            height: 540.0,
            top: 54.0,
            inside: 63.0,
            outside: 45.0,
            bleed: 0.0,
        };
        let out = outline(&pages, g, 1);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].children[0].title, "One.a");
        assert_eq!(out[0].children[0].y, 254.0);
        let deep = &out[0].children[0].children[0];
        assert_eq!((deep.title.as_str(), deep.page), ("One.a.i", 2));
        assert_eq!((out[1].title.as_str(), out[1].page), ("Two", 2));
    }
}
