//! What the store rules look at, measured on what folio would upload: the
//! book's metadata, the images and size of the EPUB as rendered, and for
//! print the laid-out PDF — trim, bleed, page count, the distance of the
//! nearest ink to each edge of every page (running heads and page numbers
//! included), and its fonts. Plain data, so every rule can be tested on
//! numbers as well as on books.

use crate::ir::Book;
use crate::pdf::layout::frame::{Item, PagedDoc};

/// One raster or vector image the EPUB carries.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageFact {
    /// Path in the book (`images/cover.png`; `cover.png` when generated).
    pub href: String,
    /// Media type.
    pub media_type: &'static str,
    /// Pixel width (SVG: user units).
    pub width: u32,
    /// Pixel height.
    pub height: u32,
    /// File size in bytes.
    pub bytes: u64,
}

impl ImageFact {
    /// Width × height, for pixel limits (0 for SVG, which has no pixels).
    pub fn pixels(&self) -> u64 {
        if self.media_type == "image/svg+xml" {
            0
        } else {
            u64::from(self.width) * u64::from(self.height)
        }
    }
}

/// Everything the rules need.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// The title as given.
    pub title: String,
    /// Authors as given.
    pub authors: Vec<String>,
    /// Whether `language` is written in book.toml (folio assumes `en` otherwise).
    pub language_given: bool,
    /// The ISBN-13, when the identifier is one.
    pub isbn: Option<String>,
    /// The cover (an author's or the generated one).
    pub cover: Option<ImageFact>,
    /// Whether folio generated the cover.
    pub cover_generated: bool,
    /// Every image in the EPUB, the cover included.
    pub images: Vec<ImageFact>,
    /// Size of the EPUB file in bytes.
    pub epub_bytes: u64,
    /// The print PDF, when a print store was asked for.
    pub print: Option<PrintFacts>,
}

/// Facts about the print PDF.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PrintFacts {
    /// Trim width in inches.
    pub trim_width: f32,
    /// Trim height in inches.
    pub trim_height: f32,
    /// Bleed in inches (0 without).
    pub bleed: f32,
    /// Pages.
    pub pages: usize,
    /// Nearest ink to the spine edge over all pages, inches.
    pub inside: f32,
    /// Nearest ink to the outer edge, inches.
    pub outside: f32,
    /// Nearest ink to the top edge, inches.
    pub top: f32,
    /// Nearest ink to the bottom edge, inches.
    pub bottom: f32,
    /// Fonts in the PDF.
    pub fonts: usize,
    /// Fonts whose licence forbids embedding (none when the PDF was written).
    pub fonts_not_embeddable: Vec<String>,
    /// Size of the PDF file in bytes (`None`: not written, a font forbids it).
    pub pdf_bytes: Option<u64>,
}

/// Facts from the book (after the cover step) and the rendered EPUB's size.
pub fn gather(book: &Book, language_given: bool, cover_generated: bool, epub_bytes: u64) -> Facts {
    let fact = |a: &crate::ir::Asset| ImageFact {
        href: a.href.clone(),
        media_type: a.media_type,
        width: a.width,
        height: a.height,
        bytes: a.bytes.len() as u64,
    };
    Facts {
        title: book.meta.title.clone(),
        authors: book.meta.authors.clone(),
        language_given,
        isbn: book.meta.identifier.isbn().map(str::to_owned),
        cover: book.meta.cover.and_then(|c| book.assets.get(c.0)).map(fact),
        cover_generated,
        images: book.assets.iter().map(fact).collect(),
        epub_bytes,
        print: None,
    }
}

/// Print facts from a laid-out PDF and the size of its written bytes.
pub fn print(doc: &PagedDoc, pdf_bytes: Option<u64>) -> PrintFacts {
    let inch = 72.0;
    let (width, height, bleed) = doc
        .pages
        .first()
        .map_or((0.0, 0.0, 0.0), |p| (p.width, p.height, p.bleed));
    let faces: Vec<Option<ttf_parser::Face<'_>>> = doc
        .fonts
        .iter()
        .map(|f| ttf_parser::Face::parse(&f.bytes, f.index).ok())
        .collect();
    let mut nearest = [f32::INFINITY; 4]; // inside, outside, top, bottom
    for (index, page) in doc.pages.iter().enumerate() {
        let Some([x0, y0, x1, y1]) = ink_box(&page.items, &faces) else {
            continue;
        };
        // The first page is a recto: its spine edge is on the left.
        let recto = index % 2 == 0;
        let (inside, outside) = if recto {
            (x0, page.width - x1)
        } else {
            (page.width - x1, x0)
        };
        for (slot, value) in nearest
            .iter_mut()
            .zip([inside, outside, y0, page.height - y1])
        {
            *slot = slot.min(value);
        }
    }
    let [inside, outside, top, bottom] =
        nearest.map(|v| if v.is_finite() { v / inch } else { 0.0 });
    let fonts_not_embeddable = faces
        .iter()
        .zip(&doc.fonts)
        .filter(|(face, _)| {
            face.as_ref().is_none_or(|f| {
                matches!(f.permissions(), Some(ttf_parser::Permissions::Restricted))
            })
        })
        .map(|(_, font)| font.postscript_name.clone())
        .collect();
    PrintFacts {
        trim_width: width / inch,
        trim_height: height / inch,
        bleed: bleed / inch,
        pages: doc.pages.len(),
        inside,
        outside,
        top,
        bottom,
        fonts: doc.fonts.len(),
        fonts_not_embeddable,
        pdf_bytes,
    }
}

/// The box holding every mark on a page (text from its font's ascender to
/// descender), in points from the trim's top-left; `None` for a blank page.
fn ink_box(items: &[Item], faces: &[Option<ttf_parser::Face<'_>>]) -> Option<[f32; 4]> {
    let mut ink: Option<[f32; 4]> = None;
    let mut add = |b: [f32; 4]| {
        ink = Some(match ink {
            None => b,
            Some(a) => [
                a[0].min(b[0]),
                a[1].min(b[1]),
                a[2].max(b[2]),
                a[3].max(b[3]),
            ],
        });
    };
    for item in items {
        match item {
            Item::Glyphs(run) => {
                let Some((first, last)) = run.glyphs.first().zip(run.glyphs.last()) else {
                    continue;
                };
                let face = faces.get(usize::from(run.font.0)).and_then(Option::as_ref);
                let em = face.map_or(1000.0, |f| f32::from(f.units_per_em()));
                let scale = run.size / em;
                let advance = face
                    .and_then(|f| f.glyph_hor_advance(ttf_parser::GlyphId(last.id)))
                    .map_or(run.size * 0.6, |a| f32::from(a) * scale);
                let ascender = face.map_or(run.size * 0.8, |f| f32::from(f.ascender()) * scale);
                let descender = face.map_or(-run.size * 0.2, |f| f32::from(f.descender()) * scale);
                add([
                    run.x + first.x,
                    run.y - ascender,
                    run.x + last.x + advance,
                    run.y - descender,
                ]);
            }
            Item::Line {
                x0,
                y0,
                x1,
                y1,
                width,
                ..
            } => {
                let half = width / 2.0;
                add([
                    x0.min(*x1) - half,
                    y0.min(*y1) - half,
                    x0.max(*x1) + half,
                    y0.max(*y1) + half,
                ]);
            }
            Item::Fill { rect, .. } | Item::Image { rect, .. } => {
                add([rect.x, rect.y, rect.x + rect.w, rect.y + rect.h]);
            }
            Item::Link { .. } | Item::Anchor { .. } | Item::TagStart(_) | Item::TagEnd => {}
        }
    }
    ink
}
