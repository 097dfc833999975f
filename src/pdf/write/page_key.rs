//! What painting a page depends on, hashed: the key under which `folio
//! watch` keeps a painted page, so a rebuild paints only the pages whose
//! inputs changed.
//!
//! [`super::page::paint`] reads the page's items, its size, the fonts'
//! glyph numbering ([`FontSet::hash_cids`]), which images are drawn, and
//! the structure tree's answers for the nodes the page names. The key
//! covers each of them exactly (floats by their bits), so a page with an
//! equal key paints to the same content and marks. The page's bytes are
//! hashed with [`crate::digest`] (tens of megabytes per rebuild: SipHash
//! fed field by field took a tenth of a rebuild's CPU); 128 bits make a
//! collision between two pages of one book no practical concern.

use super::PageGeom;
use super::fonts::FontSet;
use super::tags::Tree;
use crate::pdf::layout::frame::{Glyph, GlyphRun, Item, LinkTarget, Page, Rect, Rgb, TagRef};
use std::hash::{Hash, Hasher};

/// The book-wide inputs every page's painting reads: the fonts' glyph
/// numbering and the images drawn. Hashed once per build.
pub(crate) fn book_key(fonts: &FontSet<'_>, drawn: &[bool]) -> [u8; 16] {
    let mut b = Vec::new();
    fonts.hash_cids(&mut Bytes(&mut b));
    drawn.hash(&mut Bytes(&mut b));
    crate::digest::digest(&[&b])
}

/// The key of painting `page` with `geom` in a book whose [`book_key`] is
/// `book`, with the structure `tree`.
///
/// The page is written out as bytes first and hashed in one call.
pub(crate) fn page_key(book: &[u8; 16], page: &Page, geom: PageGeom, tree: &Tree) -> [u8; 16] {
    BYTES.with_borrow_mut(|b| {
        b.clear();
        b.extend_from_slice(book);
        for f in [geom.width, geom.height, geom.bleed] {
            float(b, f);
        }
        b.push(u8::from(tree.is_tagged()));
        usize_into(b, page.items.len());
        for item in &page.items {
            item_into(b, item, tree);
        }
        crate::digest::digest(&[b])
    })
}

thread_local! {
    /// [`page_key`]'s buffer, reused from page to page.
    static BYTES: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Writes what a value's `Hash` feeds a hasher into the key's bytes (the
/// fonts' glyph numbering, the structure kinds), for [`crate::digest`].
struct Bytes<'a>(&'a mut Vec<u8>);

impl Hasher for Bytes<'_> {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    fn finish(&self) -> u64 {
        0
    }
}

fn float(b: &mut Vec<u8>, f: f32) {
    b.extend_from_slice(&f.to_bits().to_le_bytes());
}

fn usize_into(b: &mut Vec<u8>, n: usize) {
    b.extend_from_slice(&(n as u64).to_le_bytes());
}

/// A string, with its length first so neighbouring strings cannot run
/// into each other.
fn str_into(b: &mut Vec<u8>, s: &str) {
    usize_into(b, s.len());
    b.extend_from_slice(s.as_bytes());
}

fn rect(b: &mut Vec<u8>, r: &Rect) {
    for f in [r.x, r.y, r.w, r.h] {
        float(b, f);
    }
}

fn color(b: &mut Vec<u8>, c: &Rgb) {
    for f in [c.0, c.1, c.2] {
        float(b, f);
    }
}

fn item_into(b: &mut Vec<u8>, item: &Item, tree: &Tree) {
    match item {
        Item::Glyphs(run) => {
            b.push(0);
            run_into(b, run);
        }
        Item::Line {
            x0,
            y0,
            x1,
            y1,
            width,
            color: c,
        } => {
            b.push(1);
            for f in [*x0, *y0, *x1, *y1, *width] {
                float(b, f);
            }
            color(b, c);
        }
        Item::Fill { rect: r, color: c } => {
            b.push(2);
            rect(b, r);
            color(b, c);
        }
        Item::Image {
            image,
            rect: r,
            alt,
        } => {
            b.push(3);
            usize_into(b, *image);
            rect(b, r);
            str_into(b, alt);
        }
        Item::Link { rect: r, target } => {
            b.push(4);
            rect(b, r);
            match target {
                LinkTarget::Uri(uri) => {
                    b.push(0);
                    str_into(b, uri);
                }
                LinkTarget::Named(name) => {
                    b.push(1);
                    str_into(b, name);
                }
            }
        }
        Item::Anchor { name, y } => {
            b.push(5);
            str_into(b, name);
            float(b, *y);
        }
        Item::TagStart(TagRef::Node(node)) => {
            b.push(6);
            match tree.resolve(*node) {
                Some(id) => {
                    b.push(1);
                    b.extend_from_slice(&id.to_le_bytes());
                    tree.kind(id).hash(&mut Bytes(b));
                }
                None => b.push(0),
            }
        }
        Item::TagStart(TagRef::Artifact(kind)) => {
            b.push(7);
            kind.hash(&mut Bytes(b));
        }
        Item::TagEnd => b.push(8),
    }
}

fn run_into(b: &mut Vec<u8>, run: &GlyphRun) {
    // Destructured, so a field added to a run is a compile error here
    // until the key covers it.
    let GlyphRun {
        font,
        size,
        color: c,
        x,
        y,
        glyphs,
        text,
        lang,
    } = run;
    b.extend_from_slice(&font.0.to_le_bytes());
    float(b, *size);
    color(b, c);
    float(b, *x);
    float(b, *y);
    usize_into(b, glyphs.len());
    b.reserve(glyphs.len() * 18);
    for g in glyphs.iter() {
        let Glyph {
            id,
            x,
            y_offset,
            text_start,
            text_end,
        } = *g;
        // One copy per glyph (a copy per field was most of the key's cost).
        let mut bytes = [0u8; 18];
        bytes[0..2].copy_from_slice(&id.to_le_bytes());
        bytes[2..6].copy_from_slice(&x.to_bits().to_le_bytes());
        bytes[6..10].copy_from_slice(&y_offset.to_bits().to_le_bytes());
        bytes[10..14].copy_from_slice(&text_start.to_le_bytes());
        bytes[14..18].copy_from_slice(&text_end.to_le_bytes());
        b.extend_from_slice(&bytes);
    }
    str_into(b, text);
    match lang {
        Some(lang) => {
            b.push(1);
            str_into(b, lang);
        }
        None => b.push(0),
    }
}
