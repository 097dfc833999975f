//! Raster images decoded, shared by the image loader (which decodes every
//! PNG, GIF and WebP once to refuse a broken one at the line naming it, so
//! `folio check` finds what `build` would) and the PDF writer (which needs
//! the samples of those it cannot copy as they are).
//!
//! Pixels never pile up: PNG rows are decoded one at a time and compressed
//! as they come (a 7,000 × 7,000 RGBA image costs its compressed size, not
//! 200 MB); GIF and WebP decoders produce a whole frame, which is compressed
//! and dropped at once. Sizes were checked against `[limits]` from the
//! header before anything gets here; the decoders' own memory limits are a
//! second fence. Only the first frame of an animation is used, as a printed
//! page can show one.

pub mod jpeg;
pub(crate) mod png_check;

use std::io::Cursor;

use crate::config::limits::MAX_IMAGE_PIXELS;

/// A decoded raster image, 8 bits per component, as zlib streams of
/// PNG-"Up"-predicted rows ready for PDF's `/FlateDecode` with
/// `/Predictor 15`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raster {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// True for RGB, false for grey.
    pub rgb: bool,
    /// Colour samples, row by row, predicted and zlib-compressed.
    pub samples: Vec<u8>,
    /// Alpha samples, predicted and zlib-compressed, if any pixel is not
    /// opaque.
    pub alpha: Option<Vec<u8>>,
}

/// Whether decoding keeps the samples (the writer) or only checks that the
/// whole image decodes (the loader).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Compress the samples into a [`Raster`].
    Samples,
    /// Decode everything, keep nothing.
    Nothing,
}

/// A zlib stream of PNG-"Up"-predicted rows, written a row at a time and
/// compressed a batch of rows at a time (zlib-rs at [`LEVEL`]). Each row
/// becomes a filter byte (2) and its difference to the row above:
/// screenshots and charts repeat rows, so the stream compresses faster and
/// about a tenth smaller than raw samples.
/// The PDF reads it back with `/DecodeParms << /Predictor 15 >>`.
struct Zlib {
    compressor: zlib_rs::Deflate,
    out: Vec<u8>,
    /// The previous row's samples (empty before the first row).
    above: Vec<u8>,
    /// Predicted rows not yet handed to the compressor.
    pending: Vec<u8>,
    /// False once the compressor reported an error (then `finish` fails).
    healthy: bool,
}

/// The compression level of decoded samples, the PDF writer's level for its
/// bulk streams: on the 1× benchmark book's two RGBA screenshots (32 MB of
/// predicted samples) level 3 takes 42 ms instead of 63 at level 6 for
/// 2.5 % more bytes (BENCHMARKS.md, "Compression levels").
const LEVEL: i32 = 3;

/// Predicted bytes collected before each call into the compressor.
const BATCH: usize = 256 << 10;

impl Zlib {
    fn new() -> Zlib {
        Zlib {
            // Positive window bits: a zlib header and checksum.
            compressor: zlib_rs::Deflate::new(LEVEL, true, 15),
            out: Vec::new(),
            above: Vec::new(),
            pending: Vec::new(),
            healthy: true,
        }
    }

    fn write_row(&mut self, row: &[u8]) {
        self.pending.push(2);
        if self.above.len() == row.len() {
            self.pending
                .extend(row.iter().zip(&self.above).map(|(a, b)| a.wrapping_sub(*b)));
        } else {
            self.pending.extend_from_slice(row);
        }
        self.above.clear();
        self.above.extend_from_slice(row);
        if self.pending.len() >= BATCH {
            self.flush(zlib_rs::DeflateFlush::NoFlush);
        }
    }

    fn finish(mut self) -> Result<Vec<u8>, String> {
        self.flush(zlib_rs::DeflateFlush::Finish);
        if self.healthy {
            Ok(self.out)
        } else {
            Err("the image's samples could not be compressed".to_owned())
        }
    }

    /// Hands the pending rows to the compressor, growing the output as
    /// needed; `Finish` ends the stream.
    fn flush(&mut self, flush: zlib_rs::DeflateFlush) {
        let input = std::mem::take(&mut self.pending);
        let mut consumed = 0;
        while self.healthy {
            if self.out.capacity() - self.out.len() < 64 << 10 {
                self.out.reserve(self.out.capacity().max(64 << 10));
            }
            let (in_before, out_before) = (self.compressor.total_in(), self.compressor.total_out());
            let len = self.out.len();
            self.out.resize(self.out.capacity(), 0);
            let status = self
                .compressor
                .compress(&input[consumed..], &mut self.out[len..], flush);
            let written = (self.compressor.total_out() - out_before) as usize;
            self.out.truncate(len + written);
            consumed += (self.compressor.total_in() - in_before) as usize;
            match status {
                Ok(zlib_rs::Status::StreamEnd) => break,
                Ok(_)
                    if consumed == input.len()
                        && matches!(flush, zlib_rs::DeflateFlush::NoFlush) =>
                {
                    break;
                }
                Ok(_) => {}
                Err(_) => self.healthy = false,
            }
        }
        self.pending = input;
        self.pending.clear();
    }
}

/// Colour and alpha planes filled row by row.
struct Planes {
    keep: Keep,
    width: u32,
    rgb: bool,
    colour: Option<Zlib>,
    alpha: Option<Zlib>,
    opaque: bool,
    rows: u32,
    /// Scratch space for splitting a row.
    scratch: (Vec<u8>, Vec<u8>),
}

impl Planes {
    fn new(width: u32, rgb: bool, has_alpha: bool, keep: Keep) -> Planes {
        let keeping = keep == Keep::Samples;
        Planes {
            keep,
            width,
            rgb,
            colour: keeping.then(Zlib::new),
            alpha: (keeping && has_alpha).then(Zlib::new),
            opaque: true,
            rows: 0,
            scratch: (Vec::new(), Vec::new()),
        }
    }

    /// Adds a row of `channels` samples a pixel (1 grey, 2 grey+alpha,
    /// 3 RGB, 4 RGBA).
    fn push(&mut self, row: &[u8], channels: usize) -> Result<(), String> {
        let w = self.width as usize;
        let row = row
            .get(..w * channels)
            .ok_or("a row of the image is shorter than its width")?;
        self.rows += 1;
        if self.keep == Keep::Nothing {
            return Ok(());
        }
        if channels == 2 || channels == 4 {
            let (c, a) = &mut self.scratch;
            self.opaque &= folio_pixels::split_alpha(row, channels, c, a);
            if let Some(z) = &mut self.colour {
                z.write_row(c);
            }
            if let Some(z) = &mut self.alpha {
                z.write_row(a);
            }
        } else if let Some(z) = &mut self.colour {
            z.write_row(row);
        }
        Ok(())
    }

    fn finish(self, height: u32) -> Result<Option<Raster>, String> {
        if self.rows != height {
            return Err(format!(
                "the image holds {} of its {height} rows",
                self.rows
            ));
        }
        if self.keep == Keep::Nothing {
            return Ok(None);
        }
        Ok(Some(Raster {
            width: self.width,
            height,
            rgb: self.rgb,
            samples: self
                .colour
                .map(Zlib::finish)
                .transpose()?
                .unwrap_or_default(),
            alpha: if self.opaque {
                None
            } else {
                self.alpha.map(Zlib::finish).transpose()?
            },
        }))
    }
}

/// Refuses a size the writer will not decode, whatever the book's limits.
fn check_size(kind: &str, w: u32, h: u32) -> Result<(), String> {
    if w == 0 || h == 0 {
        return Err(format!("the {kind} has no pixels"));
    }
    if u64::from(w) * u64::from(h) > MAX_IMAGE_PIXELS {
        return Err(format!(
            "the {kind} is {w}×{h} pixels, more than the {MAX_IMAGE_PIXELS} pixels the PDF writer decodes"
        ));
    }
    Ok(())
}

/// The PNG decoder set up as everything here uses it, with the header and
/// the chunks before the image data read.
fn png_reader(bytes: &[u8]) -> Result<png::Reader<Cursor<&[u8]>>, String> {
    let mut decoder =
        png::Decoder::new_with_limits(Cursor::new(bytes), png::Limits { bytes: 1 << 30 });
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    decoder
        .read_info()
        .map_err(|e| format!("cannot decode PNG: {e}"))
}

/// Decodes a PNG (palette and low-bit grey expanded, 16-bit samples reduced
/// to 8, interlacing undone), row by row.
pub fn decode_png(bytes: &[u8], keep: Keep) -> Result<Option<Raster>, String> {
    let mut reader = png_reader(bytes)?;
    // Refuse before allocating: the header alone can claim gigapixels.
    let (w, h) = (reader.info().width, reader.info().height);
    check_size("PNG", w, h)?;
    let (color, depth) = reader.output_color_type();
    if depth != png::BitDepth::Eight {
        return Err(format!(
            "unexpected PNG bit depth {depth:?} after expansion"
        ));
    }
    let (channels, rgb) = match color {
        png::ColorType::Grayscale => (1, false),
        png::ColorType::GrayscaleAlpha => (2, false),
        png::ColorType::Rgb => (3, true),
        png::ColorType::Rgba => (4, true),
        png::ColorType::Indexed => return Err("palette PNG was not expanded".into()),
    };
    let mut planes = Planes::new(w, rgb, channels % 2 == 0, keep);
    if reader.info().interlaced {
        // Interlaced rows come pass by pass: the frame is assembled first.
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader
            .next_frame(&mut buf)
            .map_err(|e| format!("cannot decode PNG: {e}"))?;
        for row in buf.chunks_exact(info.line_size.max(1)).take(h as usize) {
            planes.push(row, channels)?;
        }
    } else {
        while let Some(row) = reader
            .next_row()
            .map_err(|e| format!("cannot decode PNG: {e}"))?
        {
            planes.push(row.data(), channels)?;
        }
    }
    planes
        .finish(h)
        .map_err(|e| format!("cannot decode PNG: {e}"))
}

/// Decodes the first frame of a GIF on its transparent canvas.
pub fn decode_gif(bytes: &[u8], keep: Keep) -> Result<Option<Raster>, String> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    options.set_memory_limit(gif::MemoryLimit::Bytes(
        std::num::NonZeroU64::new(MAX_IMAGE_PIXELS * 4).unwrap_or(std::num::NonZeroU64::MIN),
    ));
    let mut decoder = options
        .read_info(Cursor::new(bytes))
        .map_err(|e| format!("cannot decode GIF: {e}"))?;
    let (w, h) = (u32::from(decoder.width()), u32::from(decoder.height()));
    check_size("GIF", w, h)?;
    let frame = decoder
        .read_next_frame()
        .map_err(|e| format!("cannot decode GIF: {e}"))?
        .ok_or("the GIF holds no image")?;
    let (left, top) = (usize::from(frame.left), usize::from(frame.top));
    let (fw, fh) = (usize::from(frame.width), usize::from(frame.height));
    let (w, h) = (w as usize, h as usize);
    let mut planes = Planes::new(w as u32, true, true, keep);
    let mut row = vec![0u8; w * 4];
    for y in 0..h {
        row.fill(0);
        if (top..top + fh).contains(&y) && left < w {
            let from = (y - top) * fw * 4;
            let span = fw.min(w - left) * 4;
            if let Some(src) = frame.buffer.get(from..from + span) {
                row[left * 4..left * 4 + span].copy_from_slice(src);
            }
        }
        planes.push(&row, 4)?;
    }
    planes
        .finish(h as u32)
        .map_err(|e| format!("cannot decode GIF: {e}"))
}

/// Decodes a WebP (lossy or lossless; the first frame of an animation).
pub fn decode_webp(bytes: &[u8], keep: Keep) -> Result<Option<Raster>, String> {
    let mut decoder = image_webp::WebPDecoder::new(Cursor::new(bytes))
        .map_err(|e| format!("cannot decode WebP: {e}"))?;
    decoder.set_memory_limit((MAX_IMAGE_PIXELS * 4) as usize);
    let (w, h) = decoder.dimensions();
    check_size("WebP", w, h)?;
    let size = decoder
        .output_buffer_size()
        .ok_or("the WebP is too large to decode")?;
    let mut buf = vec![0u8; size];
    decoder
        .read_image(&mut buf)
        .map_err(|e| format!("cannot decode WebP: {e}"))?;
    let channels = if decoder.has_alpha() { 4 } else { 3 };
    let mut planes = Planes::new(w, true, channels == 4, keep);
    for row in buf.chunks_exact(w as usize * channels) {
        planes.push(row, channels)?;
    }
    planes
        .finish(h)
        .map_err(|e| format!("cannot decode WebP: {e}"))
}

/// Checks that a raster image of `media_type` decodes completely (JPEG:
/// that its structure is whole), keeping nothing; panics in a decoder are
/// caught and reported as errors. A plain 8-bit PNG is checked by
/// [`png_check::decodes`] (a third of the time); what it turns down is
/// decoded, so the verdict and the message are the decoder's.
pub fn validate(media_type: &str, bytes: &[u8]) -> Result<(), String> {
    guard(|| match media_type {
        "image/png" if png_check::decodes(bytes) => Ok(()),
        "image/png" => decode_png(bytes, Keep::Nothing).map(drop),
        "image/gif" => decode_gif(bytes, Keep::Nothing).map(drop),
        "image/webp" => decode_webp(bytes, Keep::Nothing).map(drop),
        "image/jpeg" => jpeg::check(bytes),
        _ => Ok(()),
    })
}

/// Runs third-party decoding code on author-supplied bytes, turning a panic
/// in it into an error so a bad file can never bring the build down.
pub fn guard<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err("internal error in the image decoder".to_string()))
}

#[cfg(test)]
/// The samples of a stream of "Up"-predicted rows of `stride` bytes.
pub(crate) fn plain_rows(z: &[u8], stride: usize) -> Vec<u8> {
    let predicted = miniz_oxide::inflate::decompress_to_vec_zlib(z).expect("valid zlib");
    let mut out: Vec<u8> = Vec::new();
    for row in predicted.chunks(stride + 1) {
        assert_eq!(row[0], 2, "every row is Up-filtered");
        let above = out.len().checked_sub(stride).map(|s| out[s..].to_vec());
        match above {
            Some(above) => out.extend(row[1..].iter().zip(&above).map(|(d, a)| d.wrapping_add(*a))),
            None => out.extend_from_slice(&row[1..]),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_planes_are_valid_zlib() {
        let mut p = Planes::new(2, true, true, Keep::Samples);
        p.push(&[1, 2, 3, 255, 4, 5, 6, 128], 4).unwrap();
        p.push(&[7, 8, 9, 255, 1, 1, 1, 255], 4).unwrap();
        let r = p.finish(2).unwrap().unwrap();
        assert_eq!(
            plain_rows(&r.samples, 6),
            vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 1, 1]
        );
        assert_eq!(
            plain_rows(r.alpha.as_deref().unwrap(), 2),
            vec![255, 128, 255, 255]
        );
        // A large plane streams through several compressor calls.
        let mut p = Planes::new(4096, false, false, Keep::Samples);
        let row: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 251) as u8).collect();
        for _ in 0..300 {
            p.push(&row, 1).unwrap();
        }
        let r = p.finish(300).unwrap().unwrap();
        assert_eq!(plain_rows(&r.samples, 4096), row.repeat(300));
        // Missing rows are an error.
        let mut p = Planes::new(1, false, false, Keep::Nothing);
        p.push(&[0], 1).unwrap();
        assert!(p.finish(2).is_err());
    }

    /// A GIF of `w`×`h` whose first frame (at 1,1, 1×1) is palette colour 1.
    fn tiny_gif(w: u16, h: u16) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut e = gif::Encoder::new(&mut out, w, h, &[0, 0, 0, 255, 0, 0]).unwrap();
            let frame = gif::Frame {
                left: 1,
                top: 1,
                width: 1,
                height: 1,
                buffer: std::borrow::Cow::Owned(vec![1]),
                ..gif::Frame::default()
            };
            e.write_frame(&frame).unwrap();
        }
        out
    }

    #[test]
    fn gif_first_frame_on_a_transparent_canvas() {
        let r = decode_gif(&tiny_gif(3, 2), Keep::Samples).unwrap().unwrap();
        assert_eq!((r.width, r.height, r.rgb), (3, 2, true));
        let samples = plain_rows(&r.samples, 9);
        assert_eq!(samples.len(), 3 * 2 * 3);
        assert_eq!(&samples[12..15], &[255, 0, 0]);
        let alpha = plain_rows(r.alpha.as_deref().unwrap(), 3);
        assert_eq!(alpha, vec![0, 0, 0, 0, 255, 0]);
        // Truncated: an error, never a panic.
        let gif = tiny_gif(3, 2);
        for n in 0..gif.len() - 1 {
            assert!(validate("image/gif", &gif[..n]).is_err(), "{n}");
        }
    }

    #[test]
    fn broken_images_fail_validation() {
        assert!(validate("image/png", b"\x89PNG\r\n\x1a\nnope").is_err());
        assert!(validate("image/webp", b"RIFF\0\0\0\0WEBPVP8 ").is_err());
        assert!(validate("image/jpeg", b"\xFF\xD8\xFF").is_err());
    }
}
