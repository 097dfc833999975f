//! What painting a page depends on, hashed: the key under which `folio
//! watch` keeps a painted page, so a rebuild paints only the pages whose
//! inputs changed.
//!
//! [`super::page::paint`] reads the page's items, its size, the fonts'
//! glyph numbering ([`FontSet::hash_cids`]), which images are drawn, and
//! the structure tree's answers for the nodes the page names. The key
//! covers each of them exactly (floats by their bits), so a page with an
//! equal key paints to the same content and marks. SipHash-1-3, 128 bits:
//! a collision between two pages of one book is not a practical concern.

use super::PageGeom;
use super::fonts::FontSet;
use super::tags::Tree;
use crate::pdf::layout::frame::{Glyph, GlyphRun, Item, LinkTarget, Page, Rect, Rgb, TagRef};
use siphasher::sip128::{Hasher128, SipHasher13};
use std::hash::{Hash, Hasher};

/// The book-wide inputs every page's painting reads: the fonts' glyph
/// numbering and the images drawn. Hashed once per build.
pub(crate) fn book_key(fonts: &FontSet<'_>, drawn: &[bool]) -> [u8; 16] {
    let mut h = hasher();
    fonts.hash_cids(&mut h);
    drawn.hash(&mut h);
    h.finish128().as_bytes()
}

/// The key of painting `page` with `geom` in a book whose [`book_key`] is
/// `book`, with the structure `tree`.
pub(crate) fn page_key(book: &[u8; 16], page: &Page, geom: PageGeom, tree: &Tree) -> [u8; 16] {
    let mut h = hasher();
    h.write(book);
    for f in [geom.width, geom.height, geom.bleed] {
        h.write_u32(f.to_bits());
    }
    h.write_u8(u8::from(tree.is_tagged()));
    h.write_usize(page.items.len());
    for item in &page.items {
        item_into(&mut h, item, tree);
    }
    h.finish128().as_bytes()
}

fn hasher() -> SipHasher13 {
    SipHasher13::new_with_keys(0x666f_6c69_6f2d_7061, 0x6765_2d6b_6579_2121)
}

fn float(h: &mut SipHasher13, f: f32) {
    h.write_u32(f.to_bits());
}

fn rect(h: &mut SipHasher13, r: &Rect) {
    for f in [r.x, r.y, r.w, r.h] {
        float(h, f);
    }
}

fn color(h: &mut SipHasher13, c: &Rgb) {
    for f in [c.0, c.1, c.2] {
        float(h, f);
    }
}

fn item_into(h: &mut SipHasher13, item: &Item, tree: &Tree) {
    match item {
        Item::Glyphs(run) => {
            h.write_u8(0);
            run_into(h, run);
        }
        Item::Line {
            x0,
            y0,
            x1,
            y1,
            width,
            color: c,
        } => {
            h.write_u8(1);
            for f in [*x0, *y0, *x1, *y1, *width] {
                float(h, f);
            }
            color(h, c);
        }
        Item::Fill { rect: r, color: c } => {
            h.write_u8(2);
            rect(h, r);
            color(h, c);
        }
        Item::Image {
            image,
            rect: r,
            alt,
        } => {
            h.write_u8(3);
            h.write_usize(*image);
            rect(h, r);
            alt.hash(h);
        }
        Item::Link { rect: r, target } => {
            h.write_u8(4);
            rect(h, r);
            match target {
                LinkTarget::Uri(uri) => (0u8, uri).hash(h),
                LinkTarget::Named(name) => (1u8, name).hash(h),
            }
        }
        Item::Anchor { name, y } => {
            h.write_u8(5);
            name.hash(h);
            float(h, *y);
        }
        Item::TagStart(TagRef::Node(node)) => {
            h.write_u8(6);
            let id = tree.resolve(*node);
            id.hash(h);
            id.and_then(|id| tree.kind(id)).hash(h);
        }
        Item::TagStart(TagRef::Artifact(kind)) => {
            h.write_u8(7);
            kind.hash(h);
        }
        Item::TagEnd => h.write_u8(8),
    }
}

fn run_into(h: &mut SipHasher13, run: &GlyphRun) {
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
    h.write_u16(font.0);
    float(h, *size);
    color(h, c);
    float(h, *x);
    float(h, *y);
    h.write_usize(glyphs.len());
    for g in glyphs {
        let Glyph {
            id,
            x,
            y_offset,
            text_start,
            text_end,
        } = g;
        h.write_u16(*id);
        float(h, *x);
        float(h, *y_offset);
        h.write_u32(*text_start);
        h.write_u32(*text_end);
    }
    text.hash(h);
    lang.as_deref().hash(h);
}
