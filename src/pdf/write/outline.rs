//! The document outline (bookmarks).
//!
//! [`PagedDoc::outline`](crate::pdf::layout::frame::PagedDoc::outline) is a
//! tree; PDF wants it as doubly linked sibling lists (`/First /Last /Next
//! /Prev /Parent`) with a `/Count` on every node that has children. The top
//! level items are shown open (positive `/Count`: their children are
//! visible), deeper items with children are closed (negative `/Count`), so a
//! book's bookmarks panel shows chapters and their sections without listing
//! every subsection. Each item jumps to `/XYZ` (left edge, the item's y).

use pdf_writer::{Finish, Name, Pdf, Ref, TextStr};

use super::PageGeom;
use super::links::xyz;
use crate::pdf::layout::frame::OutlineItem;

/// Items at depths below this are shown open (depth 0 = top level).
const OPEN_DEPTH: usize = 1;

/// Writes the outline and returns the outline root, or `None` when there are
/// no bookmarks. Items pointing past the last page are kept (so their
/// children still appear) but get no destination, with a warning.
pub(crate) fn write_outline(
    items: &[OutlineItem],
    page_refs: &[Ref],
    geoms: &[PageGeom],
    pdf: &mut Pdf,
    refs: &mut Ref,
    warnings: &mut Vec<String>,
) -> Option<Ref> {
    if items.is_empty() {
        return None;
    }
    let root = refs.bump();
    let ids: Vec<Ref> = items.iter().map(|_| refs.bump()).collect();
    let visible = items.len() as i32 + items.iter().map(|i| visible_count(i, 0)).sum::<i32>();
    {
        let mut o = pdf.outline(root);
        o.first(ids[0]).last(ids[ids.len() - 1]).count(visible);
    }
    let ctx = Ctx { page_refs, geoms };
    write_level(items, &ids, root, 0, &ctx, pdf, refs, warnings);
    Some(root)
}

/// Where items point.
struct Ctx<'a> {
    page_refs: &'a [Ref],
    geoms: &'a [PageGeom],
}

/// How many descendants of `item` (at `depth`) are visible in the panel:
/// all children if it is open (plus their visible descendants), none if
/// closed.
fn visible_count(item: &OutlineItem, depth: usize) -> i32 {
    if depth < OPEN_DEPTH {
        item.children.len() as i32
            + item
                .children
                .iter()
                .map(|c| visible_count(c, depth + 1))
                .sum::<i32>()
    } else {
        0
    }
}

/// The `/Count` of an item: positive visible descendants if open, minus the
/// number that opening it would show if closed; `None` without children.
fn count(item: &OutlineItem, depth: usize) -> Option<i32> {
    if item.children.is_empty() {
        None
    } else if depth < OPEN_DEPTH {
        Some(visible_count(item, depth))
    } else {
        // Opening it shows its children; their own children stay closed.
        Some(-(item.children.len() as i32))
    }
}

/// Writes one sibling list (`ids` were allocated by the caller) and recurses.
#[expect(
    clippy::too_many_arguments,
    reason = "one level of the outline: the writer, its ids, and the parent's links"
)]
fn write_level(
    items: &[OutlineItem],
    ids: &[Ref],
    parent: Ref,
    depth: usize,
    ctx: &Ctx<'_>,
    pdf: &mut Pdf,
    refs: &mut Ref,
    warnings: &mut Vec<String>,
) {
    for (i, item) in items.iter().enumerate() {
        let child_ids: Vec<Ref> = item.children.iter().map(|_| refs.bump()).collect();
        {
            let mut o = pdf.outline_item(ids[i]);
            o.title(TextStr(&item.title));
            o.parent(parent);
            if i > 0 {
                o.prev(ids[i - 1]);
            }
            if i + 1 < ids.len() {
                o.next(ids[i + 1]);
            }
            if let (Some(first), Some(last)) = (child_ids.first(), child_ids.last()) {
                o.first(*first).last(*last);
            }
            if let Some(c) = count(item, depth) {
                o.count(c);
            }
            match (ctx.page_refs.get(item.page), ctx.geoms.get(item.page)) {
                (Some(&page), Some(geom)) => xyz(o.insert(Name(b"Dest")), page, geom.y(item.y)),
                _ => warnings.push(format!(
                    "bookmark `{}` points to page {} but the document has {} page(s); it has no destination",
                    item.title,
                    item.page + 1,
                    ctx.page_refs.len()
                )),
            }
            o.finish();
        }
        write_level(
            &item.children,
            &child_ids,
            ids[i],
            depth + 1,
            ctx,
            pdf,
            refs,
            warnings,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(children: Vec<OutlineItem>) -> OutlineItem {
        OutlineItem {
            title: "t".into(),
            page: 0,
            y: 0.0,
            children,
        }
    }

    #[test]
    fn counts_open_top_level_and_close_deeper() {
        let chapter = item(vec![item(vec![item(vec![]), item(vec![])]), item(vec![])]);
        assert_eq!(count(&chapter, 0), Some(2));
        assert_eq!(count(&chapter.children[0], 1), Some(-2));
        assert_eq!(count(&chapter.children[1], 1), None);
        assert_eq!(visible_count(&chapter, 0), 2);
    }
}
