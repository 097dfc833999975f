//! The book's outline as `SUMMARY.md` nests it, shared by the EPUB
//! navigation, the PDF bookmarks and the PDF contents so they agree: a part
//! holds the numbered chapters after it, a chapter its sections, a section
//! its own sections.

use super::{Book, Role};

/// Each chapter's level in the outline (0 = top), in book order: its
/// `SUMMARY.md` depth, plus one while it is inside a part. A part lasts until
/// the next part or the first top-level chapter outside the numbered list
/// (a suffix chapter, or one whose role moved it to front or back matter).
pub fn levels(book: &Book) -> Vec<u8> {
    let mut in_part = false;
    book.chapters
        .iter()
        .map(|chapter| {
            if chapter.role == Role::Part {
                in_part = true;
                return 0;
            }
            if chapter.depth == 0 && chapter.number.is_none() {
                in_part = false;
            }
            chapter.depth.saturating_add(u8::from(in_part))
        })
        .collect()
}
