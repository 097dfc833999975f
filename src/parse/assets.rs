//! Images: every image a chapter or the cover names is confined to the book
//! folder, read once, identified by its bytes (not its extension), measured, and
//! registered as an [`Asset`]. Problems name the image's `file:line:col`.
//!
//! Sizes are checked against `[limits]` from what the file says about itself,
//! before anything is decoded: a 1 KB PNG whose header claims 40,000 × 40,000
//! pixels is refused here, not when the PDF writer tries to allocate 6 GB. SVGs
//! are measured by `parse::svg_check` (elements, text and depth with every
//! reference expanded, entities, numbers), because the PDF's SVG converter
//! expands and recurses over them.
//!
//! Reading, identifying and decoding every file is the costly part of
//! loading a book with large screenshots, and it is on the critical path of
//! every build, so [`AssetLoader::check_ahead`] does it first on several
//! threads. Diagnostics and asset numbers still come from the one pass in
//! book order ([`AssetLoader::load`]), which takes each file's verdict from
//! there instead of working it out again: same messages, same order.

use crate::config::limits::Limits;
use crate::diag::{Diagnostic, Sink, Span, suggest};
use crate::ir::{Asset, AssetId, BlockKind, Chapter, Image, InlineKind};
use crate::manuscript::paths::{self, PathError};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Pixels above which a warning is given: Apple Books' cap for EPUB images.
pub const MAX_EPUB_PIXELS: u64 = 4_000_000;

/// Loads assets as they are named, deduplicated by canonical path.
pub struct AssetLoader<'a> {
    fence: &'a paths::Fence,
    limits: &'a Limits,
    /// The loaded assets, in order of first use.
    pub assets: Vec<Asset>,
    by_path: HashMap<PathBuf, AssetId>,
    /// Files read and checked by [`AssetLoader::check_ahead`], not yet
    /// taken by [`AssetLoader::load`].
    ready: HashMap<PathBuf, Checked>,
    /// The last build's decoder verdicts (`folio watch`), and this build's.
    verdicts: Option<(Verdicts, Verdicts)>,
}

/// What was found out about images by their content, kept by `folio
/// watch`: decoding a book's screenshots again on every rebuild would cost
/// more than the rest of its loading, parsing its SVGs again a few per
/// cent of a rebuild, and a file with the same bytes gets the same verdict.
#[derive(Debug, Default)]
pub struct Verdicts {
    /// Decoder verdicts by [`verdict_key`].
    decodes: HashMap<[u8; 16], Result<(), String>>,
    /// SVG identifications (checked and measured) by [`svg_key`].
    svgs: HashMap<[u8; 16], Identified>,
}

impl Verdicts {
    /// No verdicts yet.
    pub fn new() -> Verdicts {
        Verdicts::default()
    }
}

/// What [`identify`] says: media type and pixel size, or why not.
type Identified = Result<(&'static str, u32, u32), ImageProblem>;

/// The key of an SVG's identification: its bytes and the limits it was
/// checked against.
fn svg_key(limits: &Limits, bytes: &[u8]) -> [u8; 16] {
    crate::digest::digest(&[format!("{limits:?}").as_bytes(), bytes])
}

/// [`identify`], taking an SVG's answer from `known` when there; with its
/// key when verdicts are kept and the file is an SVG.
fn identify_known(
    bytes: &[u8],
    limits: &Limits,
    known: Option<&Verdicts>,
) -> (Option<[u8; 16]>, Identified) {
    let Some(known) = known.filter(|_| looks_like_svg(bytes)) else {
        return (None, identify(bytes, limits));
    };
    let key = svg_key(limits, bytes);
    let identified = match known.svgs.get(&key) {
        Some(done) => done.clone(),
        None => identify(bytes, limits),
    };
    (Some(key), identified)
}

/// A decoder verdict, with its key when verdicts are kept.
type Verdict = (Option<[u8; 16]>, Result<(), String>);

/// The key of an image's verdict: its media type and bytes, hashed
/// ([`crate::digest`]; a collision would need a crafted file, and the only
/// effect would be a broken image let through to the writers, which refuse
/// it again).
fn verdict_key(media_type: &str, bytes: &[u8]) -> [u8; 16] {
    crate::digest::digest(&[media_type.as_bytes(), bytes])
}

/// `media_type`/`bytes`' decoder verdict, from `known` when there, and its
/// key when verdicts are kept.
fn verdict(media_type: &str, bytes: &[u8], known: Option<&Verdicts>) -> Verdict {
    let Some(known) = known else {
        return (None, crate::raster::validate(media_type, bytes));
    };
    let key = verdict_key(media_type, bytes);
    let result = known
        .decodes
        .get(&key)
        .cloned()
        .unwrap_or_else(|| crate::raster::validate(media_type, bytes));
    (Some(key), result)
}

/// A file read, identified and (if a raster) decoded once, ahead of the
/// pass in book order: everything [`AssetLoader::load`] would find out
/// about its bytes, none of it reported yet.
struct Checked {
    bytes: Vec<u8>,
    identified: (Option<[u8; 16]>, Identified),
    /// The decoder's verdict, when the file was identified, and its key
    /// when verdicts are kept.
    decodes: Option<Verdict>,
}

impl Checked {
    /// `path` read within `limits` and checked, or `None` if it cannot be
    /// read (then `load` reads it again and reports why).
    fn new(path: &Path, limits: &Limits, known: Option<&Verdicts>) -> Option<Checked> {
        let bytes = paths::read_limited(path, limits.file_bytes).ok()?;
        let identified = identify_known(&bytes, limits, known);
        let decodes = identified
            .1
            .as_ref()
            .ok()
            .map(|(media_type, _, _)| verdict(media_type, &bytes, known));
        Some(Checked {
            bytes,
            identified,
            decodes,
        })
    }
}

/// At most this many threads check images ahead: more would only wait for
/// the disk and hold more files at once.
const MAX_CHECK_THREADS: usize = 4;

/// Below this many bytes of images in all, checking them takes a
/// millisecond or two and stays on the calling thread.
const CHECK_ALONE_BYTES: u64 = 512 << 10;

impl<'a> AssetLoader<'a> {
    /// A loader reading only inside `fence`, within `limits`.
    pub fn new(fence: &'a paths::Fence, limits: &'a Limits) -> AssetLoader<'a> {
        AssetLoader {
            fence,
            limits,
            assets: Vec::new(),
            by_path: HashMap::new(),
            ready: HashMap::new(),
            verdicts: None,
        }
    }

    /// The loader, taking decoder verdicts from `last` (the last build's)
    /// and keeping this build's for [`AssetLoader::into_verdicts`].
    pub fn with_verdicts(self, last: Verdicts) -> AssetLoader<'a> {
        AssetLoader {
            verdicts: Some((last, Verdicts::new())),
            ..self
        }
    }

    /// The verdicts on this build's images, when they were kept
    /// ([`AssetLoader::with_verdicts`]).
    pub fn into_verdicts(self) -> (Vec<Asset>, Option<Verdicts>) {
        (self.assets, self.verdicts.map(|(_, now)| now))
    }

    /// Reads and checks, on up to [`MAX_CHECK_THREADS`] threads, every file
    /// among `wanted` (each image as written, with the folder it is relative
    /// to) that [`AssetLoader::load`] will read, so that `load`, called
    /// afterwards in book order, finds the verdicts ready. Reports nothing:
    /// a file that cannot be read or resolved is left for `load`, which
    /// reports it as before. The largest files go first, so the threads end
    /// together.
    pub fn check_ahead(&mut self, wanted: &[(&Path, String)]) {
        let mut seen = HashSet::new();
        let mut jobs: Vec<(u64, PathBuf, &str)> = wanted
            .iter()
            .filter(|(_, written)| !written.contains("://") && !written.starts_with("data:"))
            .filter_map(|(base, written)| {
                let decoded =
                    paths::percent_decode(written.split(['#', '?']).next().unwrap_or(written));
                let path = paths::confine(&self.fence.dir, base, &decoded).ok()?;
                if self.by_path.contains_key(&path) || self.ready.contains_key(&path) {
                    return None;
                }
                let size = std::fs::metadata(&path).ok()?.len();
                seen.insert(path.clone())
                    .then_some((size, path, written.as_str()))
            })
            .collect();
        jobs.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let total: u64 = jobs.iter().map(|j| j.0).sum();
        let threads = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(MAX_CHECK_THREADS)
            .min(jobs.len());
        let limits = self.limits;
        let known = self.verdicts.as_ref().map(|(last, _)| last);
        let check = |(_, path, written): &(u64, PathBuf, &str)| {
            crate::breadcrumb::enter("images", "reading the image", Some((*written).to_owned()));
            Checked::new(path, limits, known).map(|c| (path.clone(), c))
        };
        if threads <= 1 || total < CHECK_ALONE_BYTES {
            self.ready.extend(jobs.iter().filter_map(check));
            return;
        }
        let next = AtomicUsize::new(0);
        let done: Vec<Vec<(PathBuf, Checked)>> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let mut mine = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(job) = jobs.get(i) else { break };
                            mine.extend(check(job));
                        }
                        mine
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        self.ready.extend(done.into_iter().flatten());
    }

    /// Resolves, reads and checks the image at `written` (relative to `base`).
    pub fn load(
        &mut self,
        base: &Path,
        written: &str,
        span: Span,
        sink: &mut Sink,
    ) -> Option<AssetId> {
        if written.contains("://") || written.starts_with("data:") {
            sink.push(
                Diagnostic::error(
                    span,
                    format!("image `{}` is not a file in the book", shorten(written)),
                )
                .with_help(
                    "download the image into the book folder and link to it by a relative path",
                ),
            );
            return None;
        }
        let decoded = paths::percent_decode(written.split(['#', '?']).next().unwrap_or(written));
        let path = match paths::confine(&self.fence.dir, base, &decoded) {
            Ok(path) => path,
            Err(PathError::NotFound) => {
                let mut d = Diagnostic::error(span, format!("image `{written}` not found"));
                if let Some(close) = close_file(base, &decoded) {
                    d = d.with_help(crate::diag::did_you_mean(written, &close));
                }
                sink.push(d);
                return None;
            }
            Err(e) => {
                sink.push(
                    Diagnostic::error(span, self.fence.describe(&e, written))
                        .with_help(self.fence.help()),
                );
                return None;
            }
        };
        if let Some(&id) = self.by_path.get(&path) {
            return Some(id);
        }
        crate::breadcrumb::enter("images", "reading the image", Some(written.to_owned()));
        let ahead = self.ready.remove(&path);
        let (read, identified, decodes) = match ahead {
            Some(checked) => (Ok(checked.bytes), Some(checked.identified), checked.decodes),
            None => (
                paths::read_limited(&path, self.limits.file_bytes),
                None,
                None,
            ),
        };
        let bytes = match read {
            Ok(bytes) => bytes,
            Err(problem) => {
                let mut d =
                    Diagnostic::error(span, problem.describe(&format!("image `{written}`")));
                if let paths::ReadProblem::TooLarge { .. } = problem {
                    d = d.with_help(
                        "compress or scale it down, or raise `file-bytes` in [limits] in book.toml",
                    );
                }
                sink.push(d);
                return None;
            }
        };
        let (svg_key, identified) = identified.unwrap_or_else(|| {
            identify_known(
                &bytes,
                self.limits,
                self.verdicts.as_ref().map(|(last, _)| last),
            )
        });
        if let (Some(key), Some((_, now)), Ok(_)) = (svg_key, self.verdicts.as_mut(), &identified) {
            now.svgs.insert(key, identified.clone());
        }
        let (media_type, width, height) = match identified {
            Ok(found) => found,
            Err(ImageProblem::Undecodable(why)) => {
                sink.push(
                    Diagnostic::error(span, format!("image `{written}` cannot be decoded: {why}"))
                        .with_help("open it in an image editor and export it again as PNG, JPEG, GIF, WebP or SVG"),
                );
                return None;
            }
            Err(ImageProblem::Active(why)) => {
                sink.push(
                    Diagnostic::error(span, format!("image `{written}` is refused: {why}"))
                        .with_help("remove it from the SVG (a drawing does not need it), or export the SVG again as plain SVG"),
                );
                return None;
            }
            Err(ImageProblem::TooLarge { what, key }) => {
                sink.push(
                    Diagnostic::error(span, format!("image `{written}` {what}")).with_help(
                        format!(
                            "scale it down; if the book really needs it, raise `{key}` in [limits] in book.toml"
                        ),
                    ),
                );
                return None;
            }
        };
        // Decoded once here (nothing kept), so a broken file is an error at
        // the line that shows it, in `folio check` as in `build`.
        let (key, decodes) = decodes.unwrap_or_else(|| {
            verdict(
                media_type,
                &bytes,
                self.verdicts.as_ref().map(|(last, _)| last),
            )
        });
        if let (Some(key), Some((_, now))) = (key, self.verdicts.as_mut()) {
            now.decodes.insert(key, decodes.clone());
        }
        if let Err(why) = decodes {
            sink.push(
                Diagnostic::error(span, format!("image `{written}` cannot be decoded: {why}"))
                    .with_help("open it in an image editor and export it again as PNG, JPEG, GIF, WebP or SVG"),
            );
            return None;
        }
        if u64::from(width) * u64::from(height) > MAX_EPUB_PIXELS {
            sink.push(
                Diagnostic::warning(
                    span,
                    format!("image `{written}` is {width}×{height} pixels, above the 4 megapixels e-readers accept"),
                )
                .with_help("scale it down (2000 pixels on the long side is plenty for a page)")
                .with_lint(crate::diag::Lint::ImageSize),
            );
        }
        let href = path
            .strip_prefix(&self.fence.dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let id = AssetId(self.assets.len());
        self.assets.push(Asset {
            path: path.clone(),
            href,
            media_type,
            width,
            height,
            ppi: super::density::pixels_per_inch(&bytes, media_type),
            bytes: std::sync::Arc::new(bytes),
        });
        self.by_path.insert(path, id);
        Some(id)
    }

    /// Loads every image in `chapter` (relative to the chapter's folder) and
    /// warns about missing alt text.
    pub fn load_chapter(&mut self, chapter: &mut Chapter, base: &Path, sink: &mut Sink) {
        let mut visit = |image: &mut Image, span: Span, sink: &mut Sink| {
            image.asset = self.load(base, &image.src, span, sink);
            if image.alt.trim().is_empty() {
                sink.push(
                    Diagnostic::warning(span, format!("image `{}` has no alt text", image.src))
                        .with_lint(crate::diag::Lint::MissingAlt)
                        .with_help("describe the image between the brackets: ![what it shows](…); readers using screen readers depend on it"),
                );
            }
        };
        for_each_image(&mut chapter.blocks, &mut |image, span| {
            visit(image, span, sink)
        });
        for note in &mut chapter.notes {
            for_each_image(&mut note.blocks, &mut |image, span| {
                visit(image, span, sink)
            });
        }
    }
}

/// Every image `chapter` shows, as written, in the order
/// [`AssetLoader::load_chapter`] loads them.
pub fn image_sources(chapter: &mut Chapter) -> Vec<String> {
    let mut found = Vec::new();
    let mut add = |image: &mut Image, _: Span| found.push(image.src.clone());
    for_each_image(&mut chapter.blocks, &mut add);
    for note in &mut chapter.notes {
        for_each_image(&mut note.blocks, &mut add);
    }
    found
}

/// Calls `f` on every image in `blocks`: figures, and images in running
/// text, nested blocks included, each once.
fn for_each_image(blocks: &mut [crate::ir::Block], f: &mut dyn FnMut(&mut Image, Span)) {
    fn figures(blocks: &mut [crate::ir::Block], f: &mut dyn FnMut(&mut Image, Span)) {
        for block in blocks.iter_mut() {
            let span = block.span;
            if let BlockKind::Figure(figure) = &mut block.kind {
                f(&mut figure.image, span);
            }
            for inner in crate::ir::walk::child_blocks_mut(block) {
                figures(inner, f);
            }
        }
    }
    figures(blocks, f);
    crate::ir::walk::inlines_mut(blocks, &mut |inlines| images_in_inlines(inlines, f));
}

fn images_in_inlines(inlines: &mut [crate::ir::Inline], f: &mut dyn FnMut(&mut Image, Span)) {
    for inline in inlines {
        let span = inline.span;
        if let InlineKind::Image(image) = &mut inline.kind {
            f(image, span);
        } else if let Some(inner) = crate::ir::walk::child_inlines_mut(inline) {
            images_in_inlines(inner, f);
        }
    }
}

/// Why an image was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageProblem {
    /// Not an image folio understands, or a broken one.
    Undecodable(String),
    /// An SVG that would run something (a script, an event handler).
    Active(String),
    /// Bigger than a `[limits]` value.
    TooLarge {
        /// What is too large, as the end of a sentence starting with the
        /// image's name ("is 40000×40000 pixels, above …").
        what: String,
        /// The `[limits]` key that would allow it.
        key: &'static str,
    },
}

impl ImageProblem {
    /// What is wrong, as the end of a sentence starting with the image's name.
    pub fn reason(&self) -> &str {
        match self {
            ImageProblem::Undecodable(why) | ImageProblem::Active(why) => why,
            ImageProblem::TooLarge { what, .. } => what,
        }
    }
}

/// Media type and pixel size from the file's bytes, refusing images beyond
/// `limits` (`&Limits::default()` for the defaults) from their headers alone
/// (nothing is decoded).
pub fn identify(bytes: &[u8], limits: &Limits) -> Result<(&'static str, u32, u32), ImageProblem> {
    if looks_like_svg(bytes) {
        if bytes.len() as u64 > limits.svg_bytes {
            return Err(ImageProblem::TooLarge {
                what: format!(
                    "is an SVG of {}, above the limit of {}",
                    crate::config::limits::human_bytes(bytes.len() as u64),
                    crate::config::limits::human_bytes(limits.svg_bytes)
                ),
                key: "svg-bytes",
            });
        }
        let (w, h) = svg_size(bytes, limits)?;
        return Ok(("image/svg+xml", w, h));
    }
    let (media_type, w, h) = raster_size(bytes).map_err(ImageProblem::Undecodable)?;
    let (w64, h64) = (u64::from(w), u64::from(h));
    if w64.max(h64) > limits.image_side {
        return Err(ImageProblem::TooLarge {
            what: format!(
                "is {w}×{h} pixels, above the limit of {} pixels a side",
                limits.image_side
            ),
            key: "image-side",
        });
    }
    if w64 * h64 > limits.image_pixels {
        return Err(ImageProblem::TooLarge {
            what: format!(
                "is {w}×{h} pixels ({:.1} megapixels), above the limit of {:.1} megapixels",
                (w64 * h64) as f64 / 1e6,
                limits.image_pixels as f64 / 1e6
            ),
            key: "image-pixels",
        });
    }
    Ok((media_type, w, h))
}

/// Media type and size of a PNG, JPEG, GIF or WebP from its header.
fn raster_size(bytes: &[u8]) -> Result<(&'static str, u32, u32), String> {
    let kind = imagesize::image_type(bytes).map_err(|e| e.to_string())?;
    let media_type = match kind {
        imagesize::ImageType::Png => "image/png",
        imagesize::ImageType::Jpeg => "image/jpeg",
        imagesize::ImageType::Gif => "image/gif",
        imagesize::ImageType::Webp => "image/webp",
        other => return Err(format!("{other:?} images are not supported in EPUB")),
    };
    let size = imagesize::blob_size(bytes).map_err(|e| e.to_string())?;
    let (w, h) = (
        u32::try_from(size.width).unwrap_or(u32::MAX),
        u32::try_from(size.height).unwrap_or(u32::MAX),
    );
    if w == 0 || h == 0 {
        return Err("it has no pixels".into());
    }
    if media_type == "image/png" {
        check_png_complete(bytes)?;
    }
    Ok((media_type, w, h))
}

/// A PNG must end with its IEND chunk; a truncated download decodes to garbage.
fn check_png_complete(bytes: &[u8]) -> Result<(), String> {
    let mut pos = 8;
    while pos + 8 <= bytes.len() {
        let len = u32::from_be_bytes([bytes[pos], bytes[pos + 1], bytes[pos + 2], bytes[pos + 3]])
            as usize;
        let kind = &bytes[pos + 4..pos + 8];
        if kind == b"IEND" {
            return Ok(());
        }
        pos = pos.saturating_add(12).saturating_add(len);
    }
    Err("the PNG file is truncated".into())
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = String::from_utf8_lossy(head);
    let t = head.trim_start_matches('\u{feff}').trim_start();
    (t.starts_with("<?xml")
        || t.starts_with("<svg")
        || t.starts_with("<!--")
        || t.starts_with("<!DOCTYPE svg"))
        && head.contains("<svg")
}

/// Checks an SVG against `limits` (elements, text and depth with every
/// reference expanded, entities, numbers): also run by the PDF writer before
/// its converter.
///
/// Returns how many images the SVG embeds (`<image>`, `feImage` naming a
/// file or a `data:` URL), which the PDF leaves out.
pub fn check_svg(bytes: &[u8], limits: &Limits) -> Result<usize, ImageProblem> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ImageProblem::Undecodable("the SVG is not UTF-8".to_owned()))?;
    parse_svg(text, limits).map(|doc| super::svg_check::embedded_images(&doc))
}

/// Width and height of an SVG from its root attributes or `viewBox`, after
/// checking its size against `limits`.
fn svg_size(bytes: &[u8], limits: &Limits) -> Result<(u32, u32), ImageProblem> {
    let bad = |why: String| ImageProblem::Undecodable(why);
    let text = std::str::from_utf8(bytes).map_err(|_| bad("the SVG is not UTF-8".to_owned()))?;
    let doc = parse_svg(text, limits)?;
    let root = doc.root_element();
    let number = |v: &str| -> Option<f64> {
        let v = v.trim().trim_end_matches("px");
        v.parse::<f64>().ok().filter(|n| n.is_finite() && *n > 0.0)
    };
    let view_box = root.attribute("viewBox").and_then(|vb| {
        let n: Vec<f64> = vb
            .split([' ', ','])
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse::<f64>().ok())
            // `inf` and `NaN` parse, and are no size (found by fuzzing).
            .filter(|n| n.is_finite())
            .collect();
        (n.len() == 4 && n[2] > 0.0 && n[3] > 0.0).then(|| (n[2], n[3]))
    });
    let w = root
        .attribute("width")
        .and_then(number)
        .or(view_box.map(|v| v.0));
    let h = root
        .attribute("height")
        .and_then(number)
        .or(view_box.map(|v| v.1));
    match (w, h) {
        (Some(w), Some(h)) => Ok((
            w.round().clamp(1.0, 1e6) as u32,
            h.round().clamp(1.0, 1e6) as u32,
        )),
        _ => Err(bad("the SVG has neither width/height nor a viewBox".into())),
    }
}

/// Parses an SVG within `limits` (see [`super::svg_check`]).
fn parse_svg<'i>(text: &'i str, limits: &Limits) -> Result<roxmltree::Document<'i>, ImageProblem> {
    super::svg_check::parse_checked(text, limits)
}

/// A file next to `written` with a similar name, for "did you mean".
fn close_file(base: &Path, written: &str) -> Option<String> {
    let target = base.join(written);
    let dir = target.parent()?;
    let name = target.file_name()?.to_str()?;
    let names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    let close = suggest(name, names.iter().map(String::as_str))?;
    let prefix = Path::new(written)
        .parent()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    Some(if prefix.is_empty() {
        close.to_owned()
    } else {
        format!("{prefix}/{close}")
    })
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_svg_is_not_checked_again_unless_its_bytes_or_limits_change() {
        let dir = tempfile::tempdir().unwrap();
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 80"><rect width="1" height="1"/></svg>"#;
        std::fs::write(dir.path().join("a.svg"), svg).unwrap();
        let fence = paths::Fence {
            dir: dir.path().canonicalize().unwrap(),
            widened: false,
        };
        let limits = Limits::default();
        let load = |limits: &Limits, known: Verdicts| {
            let mut loader = AssetLoader::new(&fence, limits).with_verdicts(known);
            let mut sink = Sink::new();
            let id = loader.load(
                &fence.dir,
                "a.svg",
                Span::file(crate::source::SourceId(0)),
                &mut sink,
            );
            assert!(id.is_some(), "{:?}", sink.take());
            let (assets, verdicts) = loader.into_verdicts();
            ((assets[0].width, assets[0].height), verdicts.unwrap())
        };
        let (size, mut kept) = load(&limits, Verdicts::new());
        assert_eq!((size, kept.svgs.len()), ((120, 80), 1));
        // Marked, the kept answer comes back: the file was not parsed again.
        for answer in kept.svgs.values_mut() {
            *answer = Ok(("image/svg+xml", 7, 7));
        }
        let (size, kept) = load(&limits, kept);
        assert_eq!(size, (7, 7));
        // Other limits: checked again.
        let stricter = Limits {
            svg_bytes: 4096,
            ..Limits::default()
        };
        assert_eq!(load(&stricter, kept).0, (120, 80));
    }

    #[test]
    fn identifies_by_content() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 80"><rect width="1" height="1"/></svg>"#;
        let limits = Limits::default();
        assert_eq!(identify(svg, &limits), Ok(("image/svg+xml", 120, 80)));
        assert!(identify(b"not an image", &limits).is_err());
        // A PNG signature and IHDR without IEND is truncated.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x02\0\0\0\x02\x08\x02\0\0\0".to_vec();
        png.extend_from_slice(&[0, 0, 0, 0]);
        assert_eq!(
            identify(&png, &limits).map_err(|p| p.reason().to_owned()),
            Err("the PNG file is truncated".into())
        );
    }

    /// A PNG signature, an IHDR claiming `w`×`h` and an IEND: tiny file,
    /// enormous image.
    fn png_header(w: u32, h: u32) -> Vec<u8> {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&w.to_be_bytes());
        png.extend_from_slice(&h.to_be_bytes());
        png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        png.extend_from_slice(b"\0\0\0\0IEND\xae\x42\x60\x82");
        png
    }

    #[test]
    fn huge_images_are_refused_from_their_header() {
        let limits = Limits::default();
        assert!(identify(&png_header(2000, 1000), &limits).is_ok());
        match identify(&png_header(40_000, 40_000), &limits) {
            Err(ImageProblem::TooLarge { what, key }) => {
                assert_eq!(key, "image-side");
                assert_eq!(
                    what,
                    "is 40000×40000 pixels, above the limit of 20000 pixels a side"
                );
            }
            other => panic!("{other:?}"),
        }
        match identify(&png_header(10_000, 10_000), &limits) {
            Err(ImageProblem::TooLarge { key, .. }) => assert_eq!(key, "image-pixels"),
            other => panic!("{other:?}"),
        }
    }

    fn svg(body: &str) -> Vec<u8> {
        format!(r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">{body}</svg>"#).into_bytes()
    }

    #[test]
    fn svg_use_fan_out_loops_and_depth_are_bounded() {
        let limits = Limits::default();
        // Ten levels of ten <use> each: 10^10 elements once expanded.
        let mut body = String::from(r#"<g id="l0"><rect width="1" height="1"/></g>"#);
        for level in 1..=10 {
            body.push_str(&format!(r#"<g id="l{level}">"#));
            for _ in 0..10 {
                body.push_str(&format!(r##"<use xlink:href="#l{}"/>"##, level - 1));
            }
            body.push_str("</g>");
        }
        let key = |r| match r {
            Err(ImageProblem::TooLarge { key, .. }) => key,
            other => panic!("{other:?}"),
        };
        assert_eq!(key(identify(&svg(&body), &limits)), "svg-elements");
        // Two levels are fine.
        let small = r##"<g id="a"><rect width="1" height="1"/></g><g id="b"><use href="#a"/><use href="#a"/></g><use href="#b"/>"##;
        assert!(identify(&svg(small), &limits).is_ok());
        // A loop.
        let looped = r##"<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g>"##;
        assert_eq!(
            identify(&svg(looped), &limits),
            Err(ImageProblem::Undecodable(
                "the SVG's references (<use>, url(#…) or href) form a loop".into()
            ))
        );
        // Deep nesting, directly and through a chain of <use>.
        let deep = "<g>".repeat(10_000) + &"</g>".repeat(10_000);
        assert_eq!(key(identify(&svg(&deep), &limits)), "svg-depth");
        let mut chain = String::from(r#"<g id="u0"/>"#);
        for i in 1..100 {
            chain.push_str(&format!(r##"<g id="u{i}"><use href="#u{}"/></g>"##, i - 1));
        }
        assert_eq!(key(identify(&svg(&chain), &limits)), "svg-depth");
        // Entities are expanded within `svg-bytes`.
        let laughs = br#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&b;</text></svg>"#;
        assert!(identify(laughs, &limits).is_ok());
        let tight = Limits {
            svg_bytes: laughs.len() as u64 + 10,
            ..Limits::default()
        };
        assert_eq!(key(identify(laughs, &tight)), "svg-bytes");
        // Too many elements outright.
        let many = "<rect/>".repeat(120_000);
        assert_eq!(key(identify(&svg(&many), &limits)), "svg-elements");
    }
}
