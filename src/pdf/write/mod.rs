//! PDF writer: encodes a laid-out [`PagedDoc`] as PDF 1.7 bytes.
//!
//! Layout has already decided where every glyph, rule, image, link and
//! anchor goes; this module only *encodes* those decisions, so it makes no
//! layout choices of its own. It is built on `pdf-writer` (objects), `subsetter`
//! (font subsets), `ttf-parser` (font metrics), `png` (lossless PNG decoding)
//! and `svg2pdf` (vector SVG figures).
//!
//! The work happens in two linear passes over the pages:
//!
//! 1. **collect**: which glyphs of which font are used (and what text they
//!    stand for, for the ToUnicode map), which images are used, and where the
//!    named anchors are;
//! 2. **write**: every used font is subset once with the union of its glyphs,
//!    every used image becomes one XObject, then each page's content stream
//!    (pages are painted and compressed on up to four threads), link
//!    annotations, the named destinations, outline, page labels and
//!    metadata are written.
//!
//! The output is deterministic: the same [`PagedDoc`] always gives the same
//! bytes (no clocks, no randomness, no hash-map iteration order), and the
//! trailer `/ID` is a hash of the document identifier and the bytes.
//!
//! Problems that do not stop the book from printing correctly (a link to a
//! missing anchor, a font that could not be subset, an outline entry pointing
//! past the last page…) are reported as warnings in [`PdfOutput::warnings`];
//! input that cannot be encoded at all (an undecodable image, an unparsable
//! font, a page without a size) is a [`WriteError`]. Nothing panics on bad
//! input.

mod ahead;
mod compress;
pub(crate) mod fonts;
mod images;
mod jpeg;
mod links;
mod metadata;
mod objstm;
mod outline;
mod page;
mod page_key;
mod png;
mod svg;
mod tags;
mod text;

use std::fmt;

use std::collections::HashMap;

use pdf_writer::{Finish, Pdf, Ref};

use crate::pdf::layout::frame::{Item, PagedDoc, Rect};

pub(crate) use ahead::{ImageFile, ImagesAhead};

/// The written PDF plus the non-fatal problems found while writing it.
///
/// Warnings are plain sentences meant for the build report (e.g. "link on page
/// 3 points to missing anchor `#fig-9`; link skipped"); they never mean the
/// PDF is malformed, only that something the layout asked for was dropped or
/// degraded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfOutput {
    /// The complete PDF file.
    pub bytes: Vec<u8>,
    /// Non-fatal problems, in the order they were found (deterministic).
    pub warnings: Vec<String>,
    /// Non-fatal problems with one image: its index in [`PagedDoc::images`],
    /// so the backend can name the file.
    pub image_warnings: Vec<(usize, String)>,
}

/// Why a [`PagedDoc`] could not be written.
///
/// Each variant names the offending page, font or image so the message can be
/// shown to the author as is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WriteError {
    /// A page has a non-finite or non-positive size, or a negative bleed.
    InvalidPage {
        /// 0-based page index.
        page: usize,
        /// What is wrong.
        reason: String,
    },
    /// A glyph run names a font that is not in [`PagedDoc::fonts`].
    MissingFont {
        /// 0-based page index.
        page: usize,
        /// The font index that was asked for.
        font: u16,
        /// How many fonts the document has.
        available: usize,
    },
    /// A font file could not be parsed or embedded.
    Font {
        /// Index into [`PagedDoc::fonts`].
        font: u16,
        /// Its PostScript name.
        name: String,
        /// What went wrong.
        reason: String,
    },
    /// An image item names an image that is not in [`PagedDoc::images`].
    MissingImage {
        /// 0-based page index.
        page: usize,
        /// The image index that was asked for.
        image: usize,
        /// How many images the document has.
        available: usize,
    },
    /// An image could not be decoded or converted.
    Image {
        /// Index into [`PagedDoc::images`].
        image: usize,
        /// Its media type as given by layout.
        media_type: String,
        /// What went wrong.
        reason: String,
    },
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidPage { page, reason } => {
                write!(f, "page {}: {reason}", page + 1)
            }
            Self::MissingFont {
                page,
                font,
                available,
            } => write!(
                f,
                "page {}: glyph run uses font #{font} but the document has only {available} font(s)",
                page + 1
            ),
            Self::Font { font, name, reason } => {
                write!(f, "font #{font} ({name}): {reason}")
            }
            Self::MissingImage {
                page,
                image,
                available,
            } => write!(
                f,
                "page {}: image item uses image #{image} but the document has only {available} image(s)",
                page + 1
            ),
            Self::Image {
                image,
                media_type,
                reason,
            } => {
                write!(f, "image #{image} ({media_type}): {reason}")
            }
        }
    }
}

impl std::error::Error for WriteError {}

/// Converts one SVG as [`write_pdf`] would, with text set in `fonts`, and
/// returns its objects uncompressed (`folio check` meets the errors a build
/// would; the fuzz target reads the numbers written).
pub fn check_svg(
    bytes: &[u8],
    fonts: &[std::sync::Arc<crate::pdf::layout::frame::FontData>],
) -> Result<Vec<u8>, String> {
    let db = svg::font_database(fonts);
    crate::raster::guard(|| svg::convert(bytes, &db, false))
        .map(|(chunk, _, _)| chunk.as_bytes().to_vec())
}

/// Whether a font file can be embedded as [`write_pdf`] embeds fonts (see
/// the font loader, which refuses those that cannot).
pub fn check_font(bytes: &[u8]) -> Result<(), String> {
    fonts::check_embeddable(bytes, 0)
}

/// What the writer keeps between builds of one book (`folio watch`): each
/// painted page (content compressed, resources, marks) by a key of what
/// painting it read (`page_key`), and each converted image by a hash of its
/// file. After a one-word edit most pages have the key they had, and
/// painting and compressing pages is most of the writer's work. Holds only
/// the last build's entries.
#[derive(Default)]
pub struct WriteCache {
    /// Whether to keep anything for a next build (`folio watch`).
    pub keep: bool,
    /// Painted pages (content compressed) by what painting them read
    /// ([`page_key`]).
    pages: HashMap<[u8; 16], page::Painted>,
    images: HashMap<[u8; 16], images::Prepared>,
    /// Compressed object streams by their bytes.
    streams: objstm::StreamMemo,
    /// How many images the last build took from [`ImagesAhead`].
    images_ahead: usize,
    /// How many pages the last build painted (the rest came from `pages`).
    painted: usize,
}

impl WriteCache {
    /// Forgets every page and image (the fonts changed).
    pub fn clear(&mut self) {
        self.pages.clear();
        self.images.clear();
        self.streams = objstm::StreamMemo::default();
    }

    /// The keys of the images kept from the last build: not worth
    /// preparing ahead again.
    pub fn known_images(&self) -> std::collections::HashSet<[u8; 16]> {
        self.images.keys().copied().collect()
    }

    /// How many images the last build took from images prepared ahead.
    pub fn images_prepared_ahead(&self) -> usize {
        self.images_ahead
    }

    /// How many pages the last build painted rather than took from this
    /// cache: deterministic, so tests can prove pages are kept.
    pub fn pages_painted(&self) -> usize {
        self.painted
    }
}

/// Encodes `doc` as a PDF 1.7 file.
///
/// Returns the bytes and a list of warnings (see [`PdfOutput`]); fails only on
/// input that cannot be encoded (see [`WriteError`]). Deterministic: the same
/// document gives byte-identical output. With a `cache` (`folio watch`),
/// unchanged pages and images are taken from it and this build's left in it;
/// the output is the same as without.
pub fn write_pdf(doc: &PagedDoc, cache: Option<&mut WriteCache>) -> Result<PdfOutput, WriteError> {
    let mut one_off = WriteCache::default();
    write_pdf_ahead(doc, cache.unwrap_or(&mut one_off), None)
}

/// [`write_pdf`], taking images from `ahead` (prepared while the pages were
/// laid out) where it has them. The output is the same as without.
pub(crate) fn write_pdf_ahead(
    doc: &PagedDoc,
    cache: &mut WriteCache,
    ahead: Option<ImagesAhead<'_>>,
) -> Result<PdfOutput, WriteError> {
    let mut warnings = Vec::new();
    let mut image_warnings = Vec::new();
    let geoms = doc
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| PageGeom::new(i, p.width, p.height, p.bleed))
        .collect::<Result<Vec<_>, _>>()?;

    // Pass 1: collect glyphs, images and anchors.
    let mut font_set = fonts::FontSet::new(&doc.fonts);
    let mut images_used = vec![false; doc.images.len()];
    let mut anchors = links::Anchors::default();
    for (pi, page) in doc.pages.iter().enumerate() {
        for item in &page.items {
            match item {
                Item::Glyphs(run) => font_set.prepare_run(pi, run, &mut warnings)?,
                Item::Image { image, .. } => match images_used.get_mut(*image) {
                    Some(used) => *used = true,
                    None => {
                        return Err(WriteError::MissingImage {
                            page: pi,
                            image: *image,
                            available: doc.images.len(),
                        });
                    }
                },
                Item::Anchor { name, y } => anchors.add(name, pi, *y, &mut warnings),
                Item::Line { .. }
                | Item::Fill { .. }
                | Item::Link { .. }
                | Item::TagStart(_)
                | Item::TagEnd => {}
            }
        }
    }

    font_set.record_pages(&doc.pages, &mut warnings);
    let tree = tags::Tree::new(&doc.structure, &mut warnings);

    // Pass 2: write. References are handed out in a fixed order so the
    // output is reproducible.
    let mut refs = Ref::new(1);
    let catalog_ref = refs.bump();
    let page_tree_ref = refs.bump();
    let page_refs: Vec<Ref> = doc.pages.iter().map(|_| refs.bump()).collect();

    let mut pdf = Pdf::new();
    pdf.set_binary_marker(b"\xE2\xE3\xCF\xD3");
    font_set.write(&mut pdf, &mut refs, &mut warnings)?;

    // Painting and compressing the pages is most of the work for a long
    // book and each page is independent: spread it over the cores. The
    // result is the same whatever the thread count or scheduling. Pages
    // are painted before the images are collected, while the last ones
    // may still be in preparation (`ahead`): a page needs to know only
    // which images will be drawn — every used one, or writing fails — not
    // their objects, which its dictionary names afterwards.
    //
    // `folio watch` keeps each painted page under the key of what painting
    // it read, and paints only pages with a new key (a one-off build has
    // nothing to look up and hashes nothing).
    let known = std::mem::take(&mut cache.pages);
    let book_key = cache
        .keep
        .then(|| page_key::book_key(&font_set, &images_used));
    let painted = parallel_map(&doc.pages, 16, |pi, page| {
        let key = book_key
            .as_ref()
            .map(|book| page_key::page_key(book, page, geoms[pi], &tree));
        if let Some(done) = key.and_then(|k| known.get(&k)) {
            return (key, done.clone(), false);
        }
        let mut painted = page::paint(page, geoms[pi], &font_set, &images_used, &tree);
        painted.content = deflate_content(&painted.content);
        (key, painted, true)
    });
    drop(known);
    cache.painted = painted.iter().filter(|(_, _, fresh)| *fresh).count();
    let ready = ahead.map(ImagesAhead::join);
    let xobjects = images::write_images(
        doc,
        &images_used,
        cache.keep.then_some(&mut cache.images),
        ready.as_ref(),
        &mut pdf,
        &mut refs,
        &mut image_warnings,
    )?;
    cache.images_ahead = ready.map_or(0, |r| r.taken());
    let dests = anchors.write(&mut pdf, &mut refs, &page_refs, &geoms);
    let tagged = tree.is_tagged();
    let mut collector = tags::Collector::new(&tree, doc.pages.len());
    let mut link_text: HashMap<tags::NodeId, String> = HashMap::new();
    for (_, painted, _) in &painted {
        for (node, text) in &painted.marks.link_text {
            let all = link_text.entry(*node).or_default();
            if !all.is_empty() {
                all.push(' ');
            }
            all.push_str(text);
        }
    }
    let mut page_marks = Vec::with_capacity(if tagged { doc.pages.len() } else { 0 });
    for ((pi, page), (key, painted, _)) in doc.pages.iter().enumerate().zip(painted) {
        if let Some(key) = key {
            cache.pages.insert(key, painted.clone());
        }
        let geom = geoms[pi];
        let link_tags = tagged.then_some(links::LinkTags {
            marks: &painted.marks,
            text: &link_text,
            collector: &mut collector,
        });
        let annots = links::write_annotations(
            pi,
            page,
            geom,
            &dests,
            &mut pdf,
            &mut refs,
            &mut warnings,
            link_tags,
        );
        let ids = page::PageIds {
            page: page_refs[pi],
            parent: page_tree_ref,
            content: refs.bump(),
            struct_parents: tagged.then_some(pi as i32),
        };
        page::write_page(&mut pdf, ids, geom, &painted, &annots, &font_set, &xobjects);
        if tagged {
            collector.page(pi, &painted.marks);
            page_marks.push(painted.marks);
        }
    }
    let mut struct_refs = tags::StructRefs::default();
    let mut packer = objstm::Packer::default();
    if tagged {
        let mut tree = pdf_writer::Chunk::new();
        collector.write(
            &mut tree,
            &mut refs,
            &page_refs,
            &page_marks,
            &mut struct_refs,
        );
        packer.add(&tree);
    }
    pdf.pages(page_tree_ref)
        .kids(page_refs.iter().copied())
        .count(page_refs.len() as i32);

    let outline_ref = outline::write_outline(
        &doc.outline,
        &page_refs,
        &geoms,
        &mut pdf,
        &mut refs,
        &mut warnings,
    );
    let info_ref = refs.bump();
    metadata::write_info(&doc.meta, &mut pdf, info_ref);
    let xmp_ref = refs.bump();
    metadata::write_xmp(&doc.meta, tagged, &mut pdf, xmp_ref);

    let mut catalog = pdf.catalog(catalog_ref);
    catalog.pages(page_tree_ref);
    if let Some(o) = outline_ref {
        catalog.outlines(o);
    }
    if !dests.is_empty() {
        let mut names = catalog.names();
        let mut tree = names.destinations();
        let mut entries = tree.names();
        // BTreeMap<String, _> iterates in byte order, as name trees require.
        for (name, r) in &dests {
            entries.insert(pdf_writer::Str(name.as_bytes()), *r);
        }
    }
    metadata::write_page_labels(
        &mut catalog,
        &doc.page_labels,
        doc.pages.len(),
        &mut warnings,
    );
    if !doc.meta.language.is_empty() {
        catalog.lang(pdf_writer::TextStr(&doc.meta.language));
    }
    catalog.viewer_preferences().display_doc_title(true);
    struct_refs.write(&mut catalog);
    catalog.metadata(xmp_ref);
    catalog.finish();

    let packed = packer.write(
        &mut pdf,
        &mut refs,
        cache.keep.then_some(&mut cache.streams),
    );
    let id = metadata::document_id(&doc.meta.identifier, pdf.as_bytes());
    pdf.set_file_id((id.to_vec(), id.to_vec()));
    let trailer = objstm::Trailer {
        root: catalog_ref,
        info: info_ref,
        id,
        xref: refs.bump(),
    };
    Ok(PdfOutput {
        bytes: objstm::finish(pdf, &packed, &trailer),
        warnings,
        image_warnings,
    })
}

/// Converts frame coordinates (top-left origin, y down, relative to the trim
/// box) to PDF user space (bottom-left origin of the media box, y up).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PageGeom {
    /// Bleed on every side.
    pub bleed: f32,
    /// Trim width.
    pub width: f32,
    /// Trim height.
    pub height: f32,
}

impl PageGeom {
    /// Validates a page's size so nothing downstream sees NaN or a negative box.
    fn new(page: usize, width: f32, height: f32, bleed: f32) -> Result<Self, WriteError> {
        let bad = |reason: String| Err(WriteError::InvalidPage { page, reason });
        if !(width.is_finite() && height.is_finite() && width > 0.0 && height > 0.0) {
            return bad(format!("invalid trim size {width} x {height} pt"));
        }
        if !(bleed.is_finite() && bleed >= 0.0) {
            return bad(format!("invalid bleed {bleed} pt"));
        }
        Ok(Self {
            bleed,
            width,
            height,
        })
    }

    /// Media box height (trim height plus bleed above and below).
    pub fn media_height(&self) -> f32 {
        self.height + 2.0 * self.bleed
    }

    /// PDF x of a frame x.
    pub fn x(&self, x: f32) -> f32 {
        self.bleed + fin(x)
    }

    /// PDF y of a frame y.
    pub fn y(&self, y: f32) -> f32 {
        self.media_height() - (self.bleed + fin(y))
    }

    /// A frame rectangle as a PDF rectangle (normalised: x1 ≤ x2, y1 ≤ y2).
    pub fn rect(&self, r: Rect) -> pdf_writer::Rect {
        let (x1, x2) = (self.x(r.x), self.x(r.x + fin(r.w)));
        let (ya, yb) = (self.y(r.y), self.y(r.y + fin(r.h)));
        pdf_writer::Rect::new(x1.min(x2), ya.min(yb), x1.max(x2), ya.max(yb))
    }

    /// The media box: trim grown by the bleed on every side.
    pub fn media_box(&self) -> pdf_writer::Rect {
        pdf_writer::Rect::new(0.0, 0.0, self.width + 2.0 * self.bleed, self.media_height())
    }

    /// The trim box: the finished page.
    pub fn trim_box(&self) -> pdf_writer::Rect {
        pdf_writer::Rect::new(
            self.bleed,
            self.bleed,
            self.bleed + self.width,
            self.bleed + self.height,
        )
    }
}

/// Shared with the EPUB backend, which may not import this module.
pub(crate) use crate::threads::parallel_map;

/// Replaces NaN and infinities by 0 so no invalid number reaches the file
/// (pdf-writer would print `NaN`, which no reader accepts).
pub(crate) fn fin(v: f32) -> f32 {
    if v.is_finite() { v } else { 0.0 }
}

/// Zlib-compresses a stream for `/FlateDecode` for fonts, CMaps and the
/// cross-reference stream: small, written once per book, size first.
pub(crate) fn deflate(data: &[u8]) -> Vec<u8> {
    compress::zlib(data, compress::LEVEL_ONCE)
}

/// Zlib-compresses page content and object streams, the bulk of a PDF, at
/// a lower level: most of level 6's size for 60 % of its time
/// ([`compress::LEVEL_BULK`]).
pub(crate) fn deflate_content(data: &[u8]) -> Vec<u8> {
    compress::zlib(data, compress::LEVEL_BULK)
}

/// The stable content hash ([`crate::digest`]) the writer keys subset tags,
/// the document ID and images by.
pub(crate) fn hash128(parts: &[&[u8]]) -> [u8; 16] {
    crate::digest::digest(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometry_flips_y_and_adds_bleed_once() {
        let g = PageGeom::new(0, 432.0, 648.0, 9.0).unwrap();
        assert_eq!(g.media_height(), 666.0);
        assert_eq!(g.x(0.0), 9.0);
        assert_eq!(g.y(0.0), 657.0); // top of trim
        assert_eq!(g.y(648.0), 9.0); // bottom of trim
        let r = g.rect(Rect {
            x: 10.0,
            y: 20.0,
            w: 30.0,
            h: 40.0,
        });
        assert_eq!((r.x1, r.y1, r.x2, r.y2), (19.0, 597.0, 49.0, 637.0));
        let t = g.trim_box();
        assert_eq!((t.x1, t.y1, t.x2, t.y2), (9.0, 9.0, 441.0, 657.0));
        let m = g.media_box();
        assert_eq!((m.x1, m.y1, m.x2, m.y2), (0.0, 0.0, 450.0, 666.0));
    }

    #[test]
    fn invalid_pages_are_errors_not_panics() {
        assert!(PageGeom::new(0, f32::NAN, 1.0, 0.0).is_err());
        assert!(PageGeom::new(0, 1.0, 0.0, 0.0).is_err());
        assert!(
            PageGeom::new(3, 1.0, 1.0, -1.0)
                .unwrap_err()
                .to_string()
                .starts_with("page 4")
        );
    }

    #[test]
    fn empty_document_is_valid() {
        let out = write_pdf(&PagedDoc::default(), None).unwrap();
        assert!(out.bytes.starts_with(b"%PDF-1.7"));
        assert!(out.warnings.is_empty());
    }
}
