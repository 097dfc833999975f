//! The print page map: where each printed page of the PDF begins in the
//! document tree, as plain data the driver hands from the PDF backend to the
//! EPUB backend when one build makes both (the backends never read each
//! other). The EPUB uses it for its page-break markers, its `page-list` and
//! its page references, so "page 212" means the same place in both.

use std::collections::BTreeMap;
use std::sync::{Arc, Condvar, Mutex, PoisonError};

/// A place in the document tree: a character of a block of a chapter.
///
/// Blocks are named by where they start in their source file (every block
/// has a span), so the PDF layout and the EPUB writer find the same block
/// without walking the tree in the same order. Characters are those of the
/// block's text and code inlines (`InlineKind::Text` and `Code`), counted in
/// reading order, emphasis and links included; generated text (note marks,
/// page numbers, alternative text) does not count. A table counts its cells
/// in order, header first; a code block its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextPosition {
    /// Index of the chapter in `Book::chapters`.
    pub chapter: usize,
    /// The block, by the first byte of its span (`None`: the chapter's start,
    /// before its title).
    pub block: Option<u32>,
    /// Characters of the block's text before the place.
    pub offset: u32,
}

/// One printed page that begins in the book's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintPage {
    /// The label printed on the page (`12`, `xiv`).
    pub label: String,
    /// Where the page's text begins (the start of the word the page opens
    /// with, even when the page opens with the end of a hyphenated word).
    pub at: TextPosition,
}

/// The print edition's pages, as another format needs them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintPages {
    /// Pages beginning in the book's text, in print order (generated pages —
    /// half-title, title page, copyright page, contents — and blank pages
    /// have none).
    pub pages: Vec<PrintPage>,
    /// The printed page label of every named place of the document tree
    /// (heading, note and anchor ids), for page references.
    pub anchors: BTreeMap<String, String>,
    /// The printed page label where each chapter begins, by chapter index.
    pub chapters: Vec<Option<String>>,
}

/// Where the PDF backend leaves the page map for the EPUB backend of the
/// same build: the EPUB waits until the PDF's layout is done (or failed),
/// then renders while the PDF is written.
#[derive(Debug, Default)]
pub struct PageMapSlot {
    value: Mutex<Option<Option<Arc<PrintPages>>>>,
    ready: Condvar,
}

impl PageMapSlot {
    /// Leaves the map (`None`: the PDF could not be laid out). Only the first
    /// call counts.
    pub fn put(&self, pages: Option<PrintPages>) {
        let mut value = self.value.lock().unwrap_or_else(PoisonError::into_inner);
        if value.is_none() {
            *value = Some(pages.map(Arc::new));
            self.ready.notify_all();
        }
    }

    /// Waits for the map.
    pub fn wait(&self) -> Option<Arc<PrintPages>> {
        let mut value = self.value.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(pages) = &*value {
                return pages.clone();
            }
            value = self
                .ready
                .wait(value)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// Puts "no map" into a slot when dropped unless a map was put: a PDF
/// backend that fails or panics never leaves the EPUB waiting.
pub struct SlotGuard<'a>(pub Option<&'a PageMapSlot>);

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        if let Some(slot) = self.0 {
            slot.put(None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_map_put_is_the_one_waited_for() {
        let slot = PageMapSlot::default();
        std::thread::scope(|s| {
            let waiter = s.spawn(|| slot.wait());
            slot.put(Some(PrintPages::default()));
            slot.put(None);
            assert_eq!(
                waiter.join().expect("joined").as_deref(),
                Some(&PrintPages::default())
            );
        });
    }

    #[test]
    fn a_dropped_guard_releases_the_waiter() {
        let slot = PageMapSlot::default();
        std::thread::scope(|s| {
            let waiter = s.spawn(|| slot.wait());
            drop(SlotGuard(Some(&slot)));
            assert!(waiter.join().expect("joined").is_none());
        });
    }
}
