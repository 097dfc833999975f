//! `[limits]`: ceilings that turn hostile or broken input into a clear error
//! naming the file, instead of a hang, a stack overflow or a memory blow-up.
//!
//! folio builds books it did not write (a distributor's pipeline, a CI job on
//! a pull request), so every resource a manuscript can make it spend is
//! bounded. The defaults are far above anything a real book needs; a book that
//! really needs more raises them in `book.toml`. Values are checked when
//! `book.toml` is read, and the ones that protect the stack or the PDF
//! writer's memory have a hard ceiling that cannot be raised.

use serde::{Deserialize, Deserializer};

/// Hard ceiling for [`Limits::nesting_depth`] and [`Limits::svg_depth`]: deeper
/// trees could overflow the stack in the recursive walkers and renderers.
pub const MAX_DEPTH: u32 = 256;

/// Hard ceiling for [`Limits::image_pixels`]: the PDF writer decodes GIF and
/// WebP frames whole (4 bytes a pixel), and refuses anything larger whatever
/// the config says.
pub const MAX_IMAGE_PIXELS: u64 = 100_000_000;

/// Largest `book.toml` read, before its own `[limits]` are known.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// `[limits]` in `book.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Limits {
    /// Total bytes of text in the book (`book.toml`, `SUMMARY.md` and every
    /// chapter). A file that would go over it is refused before it is read.
    #[serde(deserialize_with = "positive")]
    pub manuscript_bytes: u64,
    /// Most blocks in the book: paragraphs, headings, list items, quotes,
    /// table cells, code lines and notes (the PDF's memory follows them more
    /// than the bytes of the text).
    #[serde(deserialize_with = "positive")]
    pub blocks: u64,
    /// Most headings in the book (each is also a contents entry, a bookmark
    /// and a destination).
    #[serde(deserialize_with = "positive")]
    pub headings: u64,
    /// Largest file the book packages or reads besides its text (images,
    /// fonts, stylesheets, print styles), in bytes; larger files are refused
    /// before they are read.
    #[serde(deserialize_with = "positive")]
    pub file_bytes: u64,
    /// Largest width or height of a raster image, in pixels, read from the
    /// file's header before anything is decoded.
    #[serde(deserialize_with = "positive")]
    pub image_side: u64,
    /// Largest area (width × height) of a raster image, in pixels. The PDF
    /// decodes a GIF's or WebP's frame whole (4 bytes a pixel); at most
    /// 100,000,000.
    #[serde(deserialize_with = "image_pixels")]
    pub image_pixels: u64,
    /// Largest SVG file, in bytes.
    #[serde(deserialize_with = "positive")]
    pub svg_bytes: u64,
    /// Most elements an SVG may have once every reference is expanded
    /// (`<use>`, patterns, masks, clip paths, filters, markers): a few nested
    /// references can otherwise multiply into billions.
    #[serde(deserialize_with = "positive")]
    pub svg_elements: u64,
    /// Most characters of text an SVG may have once its references are
    /// expanded: the PDF outlines every glyph of SVG text, at a few
    /// kilobytes of memory and about 0.2 ms a character.
    #[serde(deserialize_with = "positive")]
    pub svg_text: u64,
    /// How deep SVG elements may nest; at most 256.
    #[serde(deserialize_with = "depth")]
    pub svg_depth: u32,
    /// How deep block quotes and lists may nest (a list in a quote in a list
    /// is 3), and separately how deep emphasis, links and images may nest;
    /// at most 256.
    #[serde(deserialize_with = "depth")]
    pub nesting_depth: u32,
    /// Most cells (header included) in one table.
    #[serde(deserialize_with = "positive")]
    pub table_cells: u64,
    /// Most columns in one table.
    #[serde(deserialize_with = "positive")]
    pub table_columns: u64,
    /// Most `{{#include}}` directives expanded in the whole book. What they
    /// read counts against `manuscript-bytes` (each include its whole file,
    /// every time), so this bounds only the per-include work of many tiny
    /// files: 10,000 cost well under a second. A 400,000-word technical
    /// book pulls in about 1,200 listings (the 2× benchmark book does).
    #[serde(deserialize_with = "positive")]
    pub includes: u64,
    /// How deep `{{#include}}` may nest (an included file including another
    /// is 2); a file including itself is an error whatever this says.
    #[serde(deserialize_with = "depth")]
    pub include_depth: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            manuscript_bytes: 6 << 20,
            blocks: 200_000,
            headings: 20_000,
            file_bytes: 50 << 20,
            image_side: 20_000,
            image_pixels: 50_000_000,
            svg_bytes: 10 << 20,
            svg_elements: 100_000,
            svg_text: 10_000,
            svg_depth: 64,
            nesting_depth: 32,
            table_cells: 20_000,
            table_columns: 50,
            includes: 10_000,
            include_depth: 8,
        }
    }
}

fn positive<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let v = u64::deserialize(d)?;
    if v == 0 {
        return Err(serde::de::Error::custom(
            "must be at least 1; limits cannot be switched off",
        ));
    }
    Ok(v)
}

fn depth<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let v = u32::deserialize(d)?;
    if v == 0 || v > MAX_DEPTH {
        return Err(serde::de::Error::custom(format!(
            "must be between 1 and {MAX_DEPTH}; deeper nesting could overflow the stack"
        )));
    }
    Ok(v)
}

fn image_pixels<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let v = u64::deserialize(d)?;
    if v == 0 || v > MAX_IMAGE_PIXELS {
        return Err(serde::de::Error::custom(format!(
            "must be between 1 and {MAX_IMAGE_PIXELS} pixels; the PDF writer decodes images in memory"
        )));
    }
    Ok(v)
}

/// `1.5 MiB`-style size for messages about byte limits.
pub fn human_bytes(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if b >= KIB * KIB * KIB {
        format!("{:.1} GiB", b / (KIB * KIB * KIB))
    } else if b >= KIB * KIB {
        format!("{:.1} MiB", b / (KIB * KIB))
    } else if b >= KIB {
        format!("{:.1} KiB", b / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_bytes(12), "12 bytes");
        assert_eq!(human_bytes(64 << 20), "64.0 MiB");
        assert_eq!(human_bytes(1536), "1.5 KiB");
    }
}
