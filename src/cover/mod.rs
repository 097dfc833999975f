//! A cover for every book. With no `cover` in `book.toml`, folio sets a
//! typographic one — title, subtitle, authors, publisher in the print style's
//! faces and colours — as a 1600 × 2560 PNG (an SVG of outlined text,
//! rasterised by resvg) and adds it to the document tree as the cover asset,
//! so the EPUB's `cover-image` and the screen PDF's first page both use it.
//! An author's own cover is checked against the stores' minimum sizes.
//!
//! Runs between parsing and rendering ([`ensure`]); backends only see an
//! asset like any other.

pub mod design;
pub mod raster;
pub mod shape;

use crate::backend::RenderContext;
use crate::config::BookConfig;
use crate::diag::{Diagnostic, Sink, Span};
use crate::ir::{Asset, AssetId, Book};
use crate::pdf::layout::cx::Fonts;
use crate::pdf::style::{Color, PrintStyle};
use crate::source::Sources;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// The last generated cover, kept by `folio watch` so an edit that does not
/// touch the title, authors or style reuses the PNG.
#[derive(Default)]
pub struct CoverCache {
    key: u64,
    png: Option<(Vec<u8>, u32, u32)>,
}

/// Gives the book a cover: checks the author's (warnings name the store and
/// its minimum), or generates one when there is none.
pub fn ensure(
    book: &mut Book,
    config: &BookConfig,
    root: &Path,
    sources: &Sources,
    sink: &mut Sink,
    cache: &mut CoverCache,
) {
    if book.meta.cover.is_some() {
        check_authors_cover(book, config, sources, sink);
        return;
    }
    let cx = RenderContext {
        book,
        config,
        root,
        sources,
        date: 0,
        print_pages: None,
    };
    // The PDF reports a broken style or font; the cover then uses folio's.
    let mut quiet = Sink::new();
    let style = crate::pdf::load_style(&cx, &mut quiet);
    let loaded = style.and_then(|(style, name)| {
        let fonts = crate::pdf::fonts::load_limited(
            &style,
            root,
            &name,
            config.limits.file_bytes,
            &mut quiet,
        )?;
        Some((style, fonts))
    });
    let (style, fonts) = match loaded {
        Some(loaded) => loaded,
        None => {
            let style = PrintStyle::default();
            match crate::pdf::fonts::load(&style, root, "styles/print.toml", &mut quiet) {
                Some(fonts) => (style, fonts),
                None => return,
            }
        }
    };
    let svg = svg(book, &style, &fonts);
    let key = {
        let mut hasher = siphasher::sip::SipHasher13::new();
        svg.hash(&mut hasher);
        hasher.finish()
    };
    let png = match &cache.png {
        Some(png) if cache.key == key => png.clone(),
        _ => match raster::png(&svg) {
            Ok(png) => {
                cache.key = key;
                cache.png = Some(png.clone());
                png
            }
            Err(why) => {
                sink.push(
                    Diagnostic::warning(None, format!("could not make a cover: {why}"))
                        .with_help("set `cover` in [book] in book.toml to use your own"),
                );
                return;
            }
        },
    };
    let (bytes, width, height) = png;
    book.assets.push(Asset {
        path: PathBuf::new(),
        href: "cover.png".to_owned(),
        media_type: "image/png",
        width,
        height,
        ppi: None,
        bytes: std::sync::Arc::new(bytes),
    });
    book.meta.cover = Some(AssetId(book.assets.len() - 1));
}

/// Warnings for an author's cover below a store's minimum (`folio check`
/// gives them too).
pub fn check_authors_cover(book: &Book, config: &BookConfig, sources: &Sources, sink: &mut Sink) {
    let Some(asset) = book.meta.cover.and_then(|id| book.assets.get(id.0)) else {
        return;
    };
    let span = cover_span(config, sources);
    for warning in crate::store::cover_warnings(asset) {
        sink.push(Diagnostic::warning(span, warning.message).with_help(warning.help));
    }
}

/// The cover's SVG for a book, in the style's faces and colours.
pub fn svg(book: &Book, style: &PrintStyle, fonts: &Fonts) -> String {
    let meta = &book.meta;
    let title_font = face(fonts, &fonts.heading, false, false);
    let body = face(fonts, &fonts.body, false, false);
    let italic = face(fonts, &fonts.body, false, true);
    let faces = design::Faces {
        title: shape::Face {
            book: &fonts.book,
            primary: title_font,
            fallbacks: &fonts.fallbacks,
        },
        subtitle: shape::Face {
            book: &fonts.book,
            primary: italic,
            fallbacks: &fonts.fallbacks,
        },
        authors: shape::Face {
            book: &fonts.book,
            primary: body,
            fallbacks: &fonts.fallbacks,
        },
    };
    let palette = design::Palette {
        // The link colour deepened: a field, not a highlight.
        background: hex(style.cover.background.unwrap_or_else(|| {
            let Color(r, g, b) = style.colors.link;
            Color(r * 0.62, g * 0.62, b * 0.62)
        })),
        text: hex(style.cover.text),
        accent: hex(style.cover.accent),
    };
    let text = design::Text {
        title: &meta.title,
        subtitle: meta.subtitle.as_deref(),
        authors: &meta.authors,
        publisher: meta.publisher.as_deref(),
    };
    design::svg(&text, &faces, &palette)
}

fn face(
    fonts: &Fonts,
    family: &str,
    bold: bool,
    italic: bool,
) -> crate::pdf::layout::fonts::FontId {
    fonts
        .book
        .face(family, bold, italic)
        .or_else(|| fonts.fallbacks.first().copied())
        .unwrap_or(crate::pdf::layout::fonts::FontId(0))
}

/// The colour of a PNG's top-left pixel (0–1 components), so a page can be
/// filled around a cover of another shape; `None` for other formats and
/// unreadable files. Decodes only the first row.
pub fn edge_colour(asset: &Asset) -> Option<(f32, f32, f32)> {
    if asset.media_type != "image/png" {
        return None;
    }
    let mut decoder = png::Decoder::new(std::io::Cursor::new(asset.bytes.as_slice()));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().ok()?;
    let (color, _) = reader.output_color_type();
    let row = reader.next_row().ok()??;
    let px = row.data();
    let channel = |i: usize| px.get(i).map(|v| f32::from(*v) / 255.0);
    match color {
        png::ColorType::Rgb | png::ColorType::Rgba => Some((channel(0)?, channel(1)?, channel(2)?)),
        png::ColorType::Grayscale | png::ColorType::GrayscaleAlpha => {
            let v = channel(0)?;
            Some((v, v, v))
        }
        png::ColorType::Indexed => None,
    }
}

/// `#rrggbb` of a style colour.
fn hex(color: Color) -> String {
    let byte = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        byte(color.0),
        byte(color.1),
        byte(color.2)
    )
}

/// Where `cover = "…"` is written in book.toml.
fn cover_span(config: &BookConfig, sources: &Sources) -> Option<Span> {
    let written = config.book.cover.as_ref()?;
    let (id, _) = sources
        .iter()
        .find(|(_, f)| f.path.file_name().is_some_and(|n| n == "book.toml"))?;
    Some(Span::new(id, written.span().start, written.span().end))
}
