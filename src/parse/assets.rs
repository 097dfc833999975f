//! Images: every image a chapter or the cover names is confined to the book
//! folder, read once, identified by its bytes (not its extension), measured, and
//! registered as an [`Asset`]. Problems name the image's `file:line:col`.

use crate::diag::{Diagnostic, Sink, Span, suggest};
use crate::ir::{Asset, AssetId, BlockKind, Chapter, Image, InlineKind};
use crate::manuscript::paths::{self, PathError};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Pixels above which a warning is given: Apple Books' cap for EPUB images.
pub const MAX_EPUB_PIXELS: u64 = 4_000_000;

/// Loads assets as they are named, deduplicated by canonical path.
pub struct AssetLoader<'a> {
    root: &'a Path,
    /// The loaded assets, in order of first use.
    pub assets: Vec<Asset>,
    by_path: HashMap<PathBuf, AssetId>,
}

impl<'a> AssetLoader<'a> {
    /// A loader for the book rooted at `root` (canonical).
    pub fn new(root: &'a Path) -> AssetLoader<'a> {
        AssetLoader {
            root,
            assets: Vec::new(),
            by_path: HashMap::new(),
        }
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
        let path = match paths::confine(self.root, base, &decoded) {
            Ok(path) => path,
            Err(PathError::NotFound) => {
                let mut d = Diagnostic::error(span, format!("image `{written}` not found"));
                if let Some(close) = close_file(base, &decoded) {
                    d = d.with_help(format!("did you mean `{close}`?"));
                }
                sink.push(d);
                return None;
            }
            Err(e) => {
                sink.error(span, e.describe(written));
                return None;
            }
        };
        if let Some(&id) = self.by_path.get(&path) {
            return Some(id);
        }
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                sink.error(span, format!("cannot read image `{written}`: {e}"));
                return None;
            }
        };
        let (media_type, width, height) = match identify(&bytes) {
            Ok(found) => found,
            Err(why) => {
                sink.push(
                    Diagnostic::error(span, format!("image `{written}` cannot be decoded: {why}"))
                        .with_help("use a PNG, JPEG, GIF, WebP or SVG file"),
                );
                return None;
            }
        };
        if u64::from(width) * u64::from(height) > MAX_EPUB_PIXELS {
            sink.push(
                Diagnostic::warning(
                    span,
                    format!("image `{written}` is {width}×{height} pixels, above the 4 megapixels e-readers accept"),
                )
                .with_help("scale it down (2000 pixels on the long side is plenty for a page)")
                .with_code("image-size"),
            );
        }
        let href = path
            .strip_prefix(self.root)
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
            bytes,
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
                        .with_code("missing-alt")
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
        let mut visit_html = |raw: &mut crate::ir::RawHtml, span: Span, sink: &mut Sink| {
            for i in 0..raw.images.len() {
                let src = crate::parse::html::unescape(
                    &raw.html[raw.images[i].src_start..raw.images[i].src_end],
                );
                raw.images[i].asset = self.load(base, &src, span, sink);
                if raw.images[i]
                    .alt
                    .as_deref()
                    .is_none_or(|a| a.trim().is_empty())
                {
                    sink.push(
                        Diagnostic::warning(span, format!("image `{src}` has no alt text"))
                            .with_code("missing-alt")
                            .with_help("add an alt=\"…\" attribute describing the image"),
                    );
                }
            }
        };
        for_each_html_image(&mut chapter.blocks, &mut |raw, span| {
            visit_html(raw, span, sink)
        });
        for note in &mut chapter.notes {
            for_each_html_image(&mut note.blocks, &mut |raw, span| {
                visit_html(raw, span, sink)
            });
        }
    }
}

fn for_each_image(blocks: &mut [crate::ir::Block], f: &mut dyn FnMut(&mut Image, Span)) {
    for block in blocks.iter_mut() {
        let span = block.span;
        if let BlockKind::Figure(figure) = &mut block.kind {
            f(&mut figure.image, span);
        }
        match &mut block.kind {
            BlockKind::Quote { blocks } => for_each_image(blocks, f),
            BlockKind::List { items, .. } => {
                for item in items {
                    for_each_image(&mut item.blocks, f);
                }
            }
            _ => {}
        }
    }
    crate::ir::walk::inlines_mut(blocks, &mut |inlines| images_in_inlines(inlines, f));
}

/// Calls `f` for every `<img>` in raw HTML blocks and inline HTML.
fn for_each_html_image(
    blocks: &mut [crate::ir::Block],
    f: &mut dyn FnMut(&mut crate::ir::RawHtml, Span),
) {
    for block in blocks.iter_mut() {
        let span = block.span;
        match &mut block.kind {
            BlockKind::Html(raw) => f(raw, span),
            BlockKind::Quote { blocks } => for_each_html_image(blocks, f),
            BlockKind::List { items, .. } => {
                for item in items {
                    for_each_html_image(&mut item.blocks, f);
                }
            }
            _ => {}
        }
    }
    crate::ir::walk::inlines_mut(blocks, &mut |inlines| {
        for inline in inlines.iter_mut() {
            let span = inline.span;
            if let InlineKind::Html(raw) = &mut inline.kind {
                f(raw, span);
            }
        }
    });
}

fn images_in_inlines(inlines: &mut [crate::ir::Inline], f: &mut dyn FnMut(&mut Image, Span)) {
    for inline in inlines {
        let span = inline.span;
        match &mut inline.kind {
            InlineKind::Image(image) => f(image, span),
            InlineKind::Emph(c) | InlineKind::Strong(c) | InlineKind::Strike(c) => {
                images_in_inlines(c, f)
            }
            InlineKind::Link { content, .. } => images_in_inlines(content, f),
            _ => {}
        }
    }
}

/// Media type and pixel size from the file's bytes.
pub fn identify(bytes: &[u8]) -> Result<(&'static str, u32, u32), String> {
    if looks_like_svg(bytes) {
        let (w, h) = svg_size(bytes)?;
        return Ok(("image/svg+xml", w, h));
    }
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

/// Width and height of an SVG from its root attributes or `viewBox`.
fn svg_size(bytes: &[u8]) -> Result<(u32, u32), String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "the SVG is not UTF-8".to_owned())?;
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, opts)
        .map_err(|e| format!("the SVG is not well-formed XML: {e}"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" {
        return Err("the file's root element is not <svg>".into());
    }
    let number = |v: &str| -> Option<f64> {
        let v = v.trim().trim_end_matches("px");
        v.parse::<f64>().ok().filter(|n| n.is_finite() && *n > 0.0)
    };
    let view_box = root.attribute("viewBox").and_then(|vb| {
        let n: Vec<f64> = vb
            .split([' ', ','])
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
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
        _ => Err("the SVG has neither width/height nor a viewBox".into()),
    }
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
    fn identifies_by_content() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 80"><rect width="1" height="1"/></svg>"#;
        assert_eq!(identify(svg), Ok(("image/svg+xml", 120, 80)));
        assert!(identify(b"not an image").is_err());
        // A PNG signature and IHDR without IEND is truncated.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x02\0\0\0\x02\x08\x02\0\0\0".to_vec();
        png.extend_from_slice(&[0, 0, 0, 0]);
        assert_eq!(identify(&png), Err("the PNG file is truncated".into()));
    }
}
