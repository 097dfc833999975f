//! Images as XObjects, one per used [`ImageData`] however often it is drawn.
//!
//! This module picks the format (from the media type, or by sniffing the
//! bytes when the media type is unknown) and hands over to
//! [`png`](super::png) (copied, or decoded by [`crate::raster`] with GIF and
//! WebP and re-encoded losslessly, alpha as `/SMask`; a file used under two
//! names is embedded once),
//! [`jpeg`](super::jpeg) (embedded as is, `/DCTDecode`) or
//! [`svg`] (kept vector through svg2pdf).
//!
//! Every XObject is 1×1 unit, so drawing it is a `cm` with the target
//! rectangle's size and position.

use pdf_writer::{Pdf, Ref};

use std::collections::HashMap;

use super::jpeg::write_jpeg;
use super::png::{PngStream, png_stream, write_png_stream, write_raster};
use super::svg;
use super::{WriteError, hash128};
use crate::pdf::layout::frame::{ImageData, PagedDoc};
use crate::raster::{Keep, Raster, guard};

/// Name of image `index` in page resource dictionaries (`/Im0`, `/Im1`…).
pub(crate) fn resource_name(index: usize) -> String {
    format!("Im{index}")
}

/// Writes every used image, returning the XObject of each image index
/// (`None` for unused ones).
///
/// Decoding and converting (SVG text shaping above all) run on several
/// threads; writing then follows the image order, so the file is the same
/// whatever the scheduling.
pub(crate) fn write_images(
    doc: &PagedDoc,
    used: &[bool],
    cache: Option<&mut HashMap<[u8; 16], Prepared>>,
    ahead: Option<&super::ahead::Ready<'_>>,
    pdf: &mut Pdf,
    refs: &mut Ref,
    warnings: &mut Vec<(usize, String)>,
) -> Result<Vec<Option<Ref>>, WriteError> {
    let is_used = |i: usize| used.get(i).copied().unwrap_or(false);
    // With a cache (which lives as long as the fonts SVG text is set in,
    // see `PdfCache`), each image's file hash, computed once.
    let keys: Vec<Option<[u8; 16]>> = doc
        .images
        .iter()
        .map(|img| {
            cache
                .is_some()
                .then(|| hash128(&[img.media_type.as_bytes(), &img.bytes]))
        })
        .collect();
    let mut cache = cache;
    let known = cache.as_deref_mut().map(std::mem::take).unwrap_or_default();
    let cached = |i: usize| keys[i].and_then(|k| known.get(&k));
    let same = same_as_earlier(doc, &is_used);
    // Images prepared while the pages were laid out (see `ahead`), when
    // they were made with the fonts this document has.
    let ahead = ahead.filter(|a| a.fonts_match(&doc.fonts));
    let needed = |i: usize| is_used(i) && same[i].is_none() && cached(i).is_none();
    let fontdb = (0..doc.images.len())
        .any(|i| {
            let img = &doc.images[i];
            needed(i)
                && !ahead.is_some_and(|a| a.has(img))
                && Kind::of(img.media_type, &img.bytes) == Some(Kind::Svg)
        })
        .then(|| svg::font_database(&doc.fonts));
    let prepare_now = |i: usize, img: &ImageData| -> Result<Prepared, WriteError> {
        if !is_used(i) {
            return Ok(Prepared::Unused);
        }
        if let Some(first) = same[i] {
            return Ok(Prepared::SameAs(first));
        }
        if let Some(p) = cached(i) {
            return Ok(p.clone());
        }
        if let Some(p) = ahead.and_then(|a| a.take(img)) {
            return Ok(p);
        }
        prepare(img.media_type, &img.bytes, fontdb.as_ref()).map_err(|reason| WriteError::Image {
            image: i,
            media_type: img.media_type.to_owned(),
            reason,
        })
    };
    let mut out = Vec::with_capacity(doc.images.len());
    // Prepared a batch at a time and written at once, so only one batch of
    // converted images is ever held (six large photos kept until writing
    // took 1.5 GB). A large frame decoded whole (GIF, WebP) is a batch of
    // its own.
    for batch in batches(doc, &is_used) {
        let prepared = super::parallel_map(&doc.images[batch.clone()], 1, |j, img| {
            prepare_now(batch.start + j, img)
        });
        for (j, prepared) in prepared.into_iter().enumerate() {
            let i = batch.start + j;
            let img = &doc.images[i];
            let prepared = prepared?;
            if let (Some(cache), Some(key)) = (cache.as_deref_mut(), keys[i]) {
                if !matches!(prepared, Prepared::Unused | Prepared::SameAs(_)) {
                    cache.insert(key, prepared.clone());
                }
            }
            let r = match prepared {
                Prepared::Unused => {
                    out.push(None);
                    continue;
                }
                // Written in an earlier batch or earlier in this one.
                Prepared::SameAs(first) => {
                    out.push(out.get(first).copied().flatten());
                    continue;
                }
                Prepared::PngStream(stream) => write_png_stream(&stream, pdf, refs),
                Prepared::Raster(raster) => write_raster(&raster, pdf, refs),
                Prepared::Jpeg => {
                    write_jpeg(&img.bytes, pdf, refs).map_err(|reason| WriteError::Image {
                        image: i,
                        media_type: img.media_type.to_owned(),
                        reason,
                    })?
                }
                Prepared::Svg(chunk, root, has_raster) => {
                    if has_raster {
                        warnings.push((
                            i,
                            "it embeds images, which are not converted; they are left out"
                                .to_owned(),
                        ));
                    }
                    svg::copy_into(&chunk, root, pdf, refs)
                }
            };
            out.push(Some(r));
        }
    }
    drop(known);
    Ok(out)
}

/// Makes one image ready for writing: a pure function of its media type,
/// its bytes and (for SVG text) the font database, so it gives the same
/// result on the writer's threads or ahead of it, during layout.
pub(super) fn prepare(
    media_type: &str,
    bytes: &[u8],
    fontdb: Option<&std::sync::Arc<svg2pdf::usvg::fontdb::Database>>,
) -> Result<Prepared, String> {
    let raster = |decode: fn(&[u8], Keep) -> Result<Option<Raster>, String>| match guard(|| {
        decode(bytes, Keep::Samples)
    }) {
        Ok(Some(raster)) => Ok(Prepared::Raster(raster)),
        Ok(None) => Err("internal error: the decoder kept nothing".into()),
        Err(why) => Err(why),
    };
    match Kind::of(media_type, bytes) {
        Some(Kind::Png) => match png_stream(bytes) {
            Some(stream) => Ok(Prepared::PngStream(stream)),
            None => raster(crate::raster::decode_png),
        },
        Some(Kind::Gif) => raster(crate::raster::decode_gif),
        Some(Kind::Webp) => raster(crate::raster::decode_webp),
        Some(Kind::Jpeg) => {
            crate::raster::jpeg::check(bytes)?;
            Ok(Prepared::Jpeg)
        }
        Some(Kind::Svg) => {
            let Some(db) = fontdb else {
                return Err("internal error: no font database for SVG".into());
            };
            let (chunk, root, has_raster) = guard(|| svg::convert(bytes, db, true))?;
            Ok(Prepared::Svg(chunk, root, has_raster))
        }
        None => Err("unsupported image type (expected PNG, JPEG, GIF, WebP or SVG)".into()),
    }
}

/// Whether an image of this media type and these bytes is an SVG (which
/// needs the font database).
pub(super) fn is_svg(media_type: &str, bytes: &[u8]) -> bool {
    Kind::of(media_type, bytes) == Some(Kind::Svg)
}

/// Pixels above which a GIF or WebP (whose frame is decoded whole) is
/// decoded in a batch of its own; PNG rows stream, whatever the size.
const LARGE_FRAME: u64 = 4_000_000;

/// Consecutive runs of images prepared together: up to four, or one that
/// holds a large decoded frame.
fn batches(doc: &PagedDoc, is_used: &dyn Fn(usize) -> bool) -> Vec<std::ops::Range<usize>> {
    let alone = |i: usize| {
        let img = &doc.images[i];
        is_used(i)
            && matches!(
                Kind::of(img.media_type, &img.bytes),
                Some(Kind::Gif | Kind::Webp)
            )
            && u64::from(img.width) * u64::from(img.height) > LARGE_FRAME
    };
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for i in 0..doc.images.len() {
        match out.last_mut() {
            Some(last) if last.len() < 4 && !alone(i) && !alone(last.start) => last.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// For each used image, the first earlier used image with the same media
/// type and bytes (a diagram copied under two names): converted and
/// embedded once. Only files of equal length are compared.
fn same_as_earlier(doc: &PagedDoc, is_used: &dyn Fn(usize) -> bool) -> Vec<Option<usize>> {
    let mut by_size: HashMap<(&str, usize), Vec<usize>> = HashMap::new();
    let mut same = vec![None; doc.images.len()];
    for (i, img) in doc.images.iter().enumerate() {
        if !is_used(i) {
            continue;
        }
        let earlier = by_size
            .entry((img.media_type, img.bytes.len()))
            .or_default();
        same[i] = earlier
            .iter()
            .copied()
            .find(|&j| doc.images[j].bytes.as_slice() == img.bytes.as_slice());
        if same[i].is_none() {
            earlier.push(i);
        }
    }
    same
}

/// An image made ready for writing, off the main thread.
#[derive(Clone)]
pub(crate) enum Prepared {
    /// Not drawn anywhere: not written.
    Unused,
    /// The same file as an earlier used image: its XObject is shared.
    SameAs(usize),
    /// A PNG whose compressed rows are copied as they are.
    PngStream(PngStream),
    /// A decoded PNG, GIF or WebP, compressed.
    Raster(Raster),
    /// A JPEG, embedded as it is (checked while writing).
    Jpeg,
    /// A converted SVG: its objects, its root XObject, whether it had rasters.
    Svg(pdf_writer::Chunk, Ref, bool),
}

impl Prepared {
    /// Roughly the bytes it holds (what preparing ahead keeps in memory).
    pub(crate) fn size(&self) -> usize {
        match self {
            Self::Unused | Self::SameAs(_) | Self::Jpeg => 0,
            Self::PngStream(stream) => stream.size(),
            Self::Raster(r) => r.samples.len() + r.alpha.as_ref().map_or(0, Vec::len),
            Self::Svg(chunk, _, _) => chunk.len(),
        }
    }
}

/// The image formats the writer understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Png,
    Jpeg,
    Gif,
    Webp,
    Svg,
}

impl Kind {
    /// From the media type, or — for an unknown media type — from the bytes.
    fn of(media_type: &str, bytes: &[u8]) -> Option<Self> {
        match media_type {
            "image/png" => Some(Self::Png),
            "image/jpeg" | "image/jpg" => Some(Self::Jpeg),
            "image/gif" => Some(Self::Gif),
            "image/webp" => Some(Self::Webp),
            "image/svg+xml" => Some(Self::Svg),
            _ => {
                let b = bytes;
                if b.starts_with(b"\x89PNG\r\n\x1a\n") {
                    Some(Self::Png)
                } else if b.starts_with(&[0xFF, 0xD8]) {
                    Some(Self::Jpeg)
                } else if b.starts_with(b"GIF8") {
                    Some(Self::Gif)
                } else if b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WEBP") {
                    Some(Self::Webp)
                } else if b.starts_with(b"<svg") || b.starts_with(b"<?xml") {
                    Some(Self::Svg)
                } else {
                    None
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn kind_falls_back_to_sniffing() {
        let img = |t: &'static str, b: &[u8]| ImageData {
            bytes: Arc::new(b.to_vec()),
            media_type: t,
            width: 1,
            height: 1,
        };
        let kind = |i: &ImageData| Kind::of(i.media_type, &i.bytes);
        assert_eq!(kind(&img("image/png", b"")), Some(Kind::Png));
        assert_eq!(
            kind(&img("application/octet-stream", b"\xFF\xD8\xFF")),
            Some(Kind::Jpeg)
        );
        assert_eq!(kind(&img("x", b"<svg/>")), Some(Kind::Svg));
        assert_eq!(kind(&img("image/gif", b"GIF89a")), Some(Kind::Gif));
        assert_eq!(kind(&img("x", b"GIF89a")), Some(Kind::Gif));
        assert_eq!(kind(&img("x", b"RIFF\0\0\0\0WEBPVP8 ")), Some(Kind::Webp));
        assert_eq!(kind(&img("x", b"BM")), None);
    }
}
