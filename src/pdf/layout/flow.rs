//! Vertical material: what block layout produces and pagination consumes.
//! A chapter becomes a list of [`Flow`] elements: unbreakable boxes (a text
//! line, a code line, an image), discardable space, and markers that forbid or
//! force page breaks. Positions inside a box are relative to its top-left.

use super::frame::Item;
use std::sync::Arc;

/// One element of a chapter's vertical flow.
#[derive(Debug, Clone)]
pub enum Flow {
    /// Unbreakable material (shared: pages refer to it without copying).
    Box(Arc<VBox>),
    /// Space that may be broken at and disappears at a page's top.
    Space(f32),
    /// No page break at this boundary (widow, orphan and heading rules).
    Keep,
    /// Start a new page (a new chapter); `recto` asks for a right-hand page.
    PageBreak {
        /// Whether the new page must be a recto (odd page).
        recto: bool,
    },
}

impl Flow {
    /// Unbreakable material from a freshly built box.
    pub fn boxed(vbox: VBox) -> Flow {
        Flow::Box(Arc::new(vbox))
    }

    /// Empty, unbreakable space of `height` (unlike [`Flow::Space`], kept at
    /// a page's top): drops above titles on generated pages.
    pub fn spacer(height: f32) -> Flow {
        Flow::boxed(VBox {
            height,
            ..VBox::default()
        })
    }
}

/// An unbreakable box of positioned items.
#[derive(Debug, Clone, Default)]
pub struct VBox {
    /// Height the box occupies.
    pub height: f32,
    /// Items, positioned relative to the box's top-left corner.
    pub items: Vec<Item>,
    /// Footnotes referenced from this box (indexes into the note store).
    pub notes: Vec<usize>,
    /// Whether the box may move to the next page while later text fills this
    /// one (figures).
    pub float: bool,
    /// A table's header row, repeated when the table continues on a new page.
    pub header: Option<Arc<VBox>>,
    /// Headings that start in this box, for the outline, TOC and running heads.
    pub marks: Vec<Mark>,
    /// Where the box's text begins in the document tree (text lines, code
    /// lines, table rows, figures), for the print page map.
    pub source: Option<crate::pagemap::TextPosition>,
}

/// A heading's position, recorded for navigation.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// Heading level (0 for a chapter title, 1.. for sections).
    pub level: u8,
    /// Named destination of the heading.
    pub dest: String,
    /// Plain-text title.
    pub title: String,
    /// Offset from the box top.
    pub y: f32,
}

impl Item {
    /// The item moved by `(dx, dy)`.
    pub fn translated(&self, dx: f32, dy: f32) -> Item {
        let mut item = self.clone();
        item.translate(dx, dy);
        item
    }

    /// The item moved by `(dx, dy)`, taken rather than copied (a glyph run
    /// owns its glyphs: copying one per line adds up over a book).
    pub fn moved(mut self, dx: f32, dy: f32) -> Item {
        self.translate(dx, dy);
        self
    }

    /// Moves the item by `(dx, dy)`.
    pub fn translate(&mut self, dx: f32, dy: f32) {
        match self {
            Item::Glyphs(run) => {
                run.x += dx;
                run.y += dy;
            }
            Item::Line { x0, y0, x1, y1, .. } => {
                *x0 += dx;
                *x1 += dx;
                *y0 += dy;
                *y1 += dy;
            }
            Item::Fill { rect, .. } | Item::Image { rect, .. } | Item::Link { rect, .. } => {
                rect.x += dx;
                rect.y += dy;
            }
            Item::Anchor { y, .. } => *y += dy,
            Item::TagStart(_) | Item::TagEnd => {}
        }
    }
}
