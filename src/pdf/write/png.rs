//! PNG images, embedded losslessly.
//!
//! The common case — 8-bit grey or RGB, not interlaced, no transparency —
//! is copied as is: PDF's Flate filter with the PNG predictors reads PNG's
//! own compressed rows, so the image is only checked (chunk CRCs, a full
//! inflate that counts rows and filter bytes), never decoded into memory nor
//! compressed again, which was the costliest step of a figure-heavy book.
//!
//! Anything else is decoded by [`crate::raster`] (palette and low-bit grey
//! expanded, 16-bit samples reduced to 8-bit, interlacing undone; row by row,
//! compressed as it comes) and written here as DeviceGray or DeviceRGB with
//! Flate — GIF and WebP figures too. An alpha channel becomes a separate
//! `/SMask` image, left out when every pixel is opaque.

use pdf_writer::{Filter, Finish, Name, Pdf, Ref};

use crate::config::limits::MAX_IMAGE_PIXELS;
use crate::raster::Raster;

/// A PNG's zlib stream that PDF can read directly (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PngStream {
    width: u32,
    height: u32,
    /// 1 for grey, 3 for RGB.
    colors: u8,
    /// The IDAT chunks' data, concatenated.
    data: Vec<u8>,
}

/// The PNG's compressed rows when they can be embedded unchanged; `None`
/// when the file needs decoding (other formats, transparency, interlacing)
/// or anything about it is off, so that [`crate::raster::decode_png`] reports the problem.
impl PngStream {
    /// Bytes held.
    pub(crate) fn size(&self) -> usize {
        self.data.len()
    }
}

pub(crate) fn png_stream(bytes: &[u8]) -> Option<PngStream> {
    let mut rest = bytes.strip_prefix(b"\x89PNG\r\n\x1a\n")?;
    let mut header = None;
    let mut data = Vec::new();
    loop {
        let len = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        let chunk = rest.get(4..8usize.checked_add(len)?)?;
        let crc = u32::from_be_bytes(rest.get(8 + len..12 + len)?.try_into().ok()?);
        if crc32fast::hash(chunk) != crc {
            return None;
        }
        let (kind, body) = chunk.split_at(4);
        match kind {
            b"IHDR" if body.len() == 13 && header.is_none() => header = Some(body),
            b"IDAT" if header.is_some() => data.extend_from_slice(body),
            b"IEND" => break,
            // Transparency needs a soft mask; a palette, the indexed path.
            b"tRNS" | b"PLTE" => return None,
            _ => {}
        }
        rest = &rest[12 + len..];
    }
    let h = header?;
    let width = u32::from_be_bytes(h[0..4].try_into().ok()?);
    let height = u32::from_be_bytes(h[4..8].try_into().ok()?);
    let colors = match (h[8], h[9], h[10], h[11], h[12]) {
        // depth 8; grey or RGB; deflate; adaptive filtering; no interlace.
        (8, 0, 0, 0, 0) => 1u8,
        (8, 2, 0, 0, 0) => 3,
        _ => return None,
    };
    if width == 0 || height == 0 || u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS {
        return None;
    }
    let stride = width as usize * usize::from(colors) + 1;
    // Checked as `crate::raster::validate` checks it at load: a full inflate
    // counting rows and filter bytes.
    let mut rows = crate::raster::png_check::RowCheck::new(stride, height as usize)?;
    (rows.feed(&data) && rows.finish()).then_some(PngStream {
        width,
        height,
        colors,
        data,
    })
}

/// Writes a PNG's own compressed rows as an XObject (see [`png_stream`]).
pub(crate) fn write_png_stream(png: &PngStream, pdf: &mut Pdf, refs: &mut Ref) -> Ref {
    let id = refs.bump();
    let mut x = pdf.image_xobject(id, &png.data);
    x.filter(Filter::FlateDecode);
    x.decode_parms()
        .predictor(pdf_writer::types::Predictor::PngOptimum)
        .colors(i32::from(png.colors))
        .bits_per_component(8)
        .columns(png.width as i32);
    x.width(png.width as i32).height(png.height as i32);
    x.color_space_name(Name(if png.colors == 3 {
        b"DeviceRGB"
    } else {
        b"DeviceGray"
    }));
    x.bits_per_component(8);
    x.finish();
    id
}

/// Declares a decoded raster's rows as PNG-"Up"-predicted (how
/// `crate::raster` compresses them): 8 bits per component, `colors`
/// components a pixel, `width` pixels a row.
fn up_predicted(x: &mut pdf_writer::writers::ImageXObject<'_>, colors: i32, width: u32) {
    x.decode_parms()
        .predictor(pdf_writer::types::Predictor::PngUp)
        .colors(colors)
        .bits_per_component(8)
        .columns(width as i32);
}

/// Writes a decoded raster (and its soft mask) as Flate-compressed XObjects
/// of predicted rows.
pub(crate) fn write_raster(raster: &Raster, pdf: &mut Pdf, refs: &mut Ref) -> Ref {
    let id = refs.bump();
    let smask = raster.alpha.as_ref().map(|alpha| {
        let smask_id = refs.bump();
        let mut x = pdf.image_xobject(smask_id, alpha);
        x.filter(Filter::FlateDecode);
        up_predicted(&mut x, 1, raster.width);
        x.width(raster.width as i32).height(raster.height as i32);
        x.color_space_name(Name(b"DeviceGray"))
            .bits_per_component(8);
        x.finish();
        smask_id
    });
    let mut x = pdf.image_xobject(id, &raster.samples);
    x.filter(Filter::FlateDecode);
    up_predicted(&mut x, if raster.rgb { 3 } else { 1 }, raster.width);
    x.width(raster.width as i32).height(raster.height as i32);
    x.color_space_name(Name(if raster.rgb {
        b"DeviceRGB"
    } else {
        b"DeviceGray"
    }));
    x.bits_per_component(8);
    if let Some(s) = smask {
        x.s_mask(s);
    }
    x.finish();
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the writer decodes, with the planes inflated back for checking.
    #[derive(Debug)]
    struct Plain {
        samples: Vec<u8>,
        alpha: Option<Vec<u8>>,
        rgb: bool,
    }

    fn decode_png(bytes: &[u8]) -> Result<Plain, String> {
        let r = crate::raster::decode_png(bytes, crate::raster::Keep::Samples)?.expect("kept");
        let colors = if r.rgb { 3 } else { 1 };
        let plain = |z: &[u8], stride: usize| crate::raster::plain_rows(z, stride);
        Ok(Plain {
            samples: plain(&r.samples, r.width as usize * colors),
            alpha: r.alpha.as_deref().map(|a| plain(a, r.width as usize)),
            rgb: r.rgb,
        })
    }

    fn encode_png(
        w: u32,
        h: u32,
        ct: png::ColorType,
        depth: png::BitDepth,
        data: &[u8],
        palette: Option<(&[u8], &[u8])>,
    ) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut e = png::Encoder::new(&mut out, w, h);
            e.set_color(ct);
            e.set_depth(depth);
            if let Some((plte, trns)) = palette {
                e.set_palette(plte.to_vec());
                e.set_trns(trns.to_vec());
            }
            let mut wr = e.write_header().unwrap();
            wr.write_image_data(data).unwrap();
        }
        out
    }

    #[test]
    fn png_rgba_splits_alpha() {
        let data = [255, 0, 0, 255, 0, 255, 0, 128];
        let r = decode_png(&encode_png(
            2,
            1,
            png::ColorType::Rgba,
            png::BitDepth::Eight,
            &data,
            None,
        ))
        .unwrap();
        assert_eq!(r.samples, vec![255, 0, 0, 0, 255, 0]);
        assert_eq!(r.alpha, Some(vec![255, 128]));
        assert!(r.rgb);
    }

    #[test]
    fn png_opaque_alpha_is_dropped_and_16_bit_reduced() {
        let data = [0xFF, 0xFF, 0x00, 0x00, 0xFF, 0xFF]; // gray16 + alpha16, opaque... as GA16: 1 px
        let r = decode_png(&encode_png(
            1,
            1,
            png::ColorType::GrayscaleAlpha,
            png::BitDepth::Sixteen,
            &data[..4],
            None,
        ))
        .unwrap();
        assert_eq!(r.samples, vec![0xFF]);
        assert_eq!(r.alpha, Some(vec![0]));
        let r = decode_png(&encode_png(
            1,
            1,
            png::ColorType::Rgb,
            png::BitDepth::Sixteen,
            &data,
            None,
        ))
        .unwrap();
        assert_eq!(r.samples, vec![0xFF, 0x00, 0xFF]);
        assert_eq!(r.alpha, None);
    }

    #[test]
    fn png_palette_expands_with_transparency() {
        let plte = [10, 20, 30, 40, 50, 60];
        let trns = [0, 255];
        // 2 pixels, 8-bit indices 0 and 1.
        let r = decode_png(&encode_png(
            2,
            1,
            png::ColorType::Indexed,
            png::BitDepth::Eight,
            &[0, 1],
            Some((&plte, &trns)),
        ))
        .unwrap();
        assert_eq!(r.samples, vec![10, 20, 30, 40, 50, 60]);
        assert_eq!(r.alpha, Some(vec![0, 255]));
    }

    #[test]
    fn absurd_png_is_refused_before_decoding() {
        // A valid 1×1 PNG whose IHDR is then rewritten to claim 40,000 × 40,000.
        let mut png = encode_png(
            1,
            1,
            png::ColorType::Rgba,
            png::BitDepth::Eight,
            &[1, 2, 3, 4],
            None,
        );
        png[16..20].copy_from_slice(&40_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&40_000u32.to_be_bytes());
        let crc = crc32(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        let err = decode_png(&png).unwrap_err();
        assert!(err.contains("40000×40000 pixels"), "{err}");
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    /// Rewrites a chunk's CRC after the test edited it.
    fn fix_crc(png: &mut [u8], chunk_start: usize, len: usize) {
        let crc = crc32(&png[chunk_start + 4..chunk_start + 8 + len]);
        png[chunk_start + 8 + len..chunk_start + 12 + len].copy_from_slice(&crc.to_be_bytes());
    }

    #[test]
    fn plain_rgb_and_grey_pngs_are_copied_not_decoded() {
        let rgb: Vec<u8> = (0..4 * 3 * 3).map(|i| (i * 7) as u8).collect();
        let png = encode_png(4, 3, png::ColorType::Rgb, png::BitDepth::Eight, &rgb, None);
        let s = png_stream(&png).expect("8-bit RGB is copied");
        assert_eq!((s.width, s.height, s.colors), (4, 3, 3));
        // The data is the IDAT payload (first chunk after the 33-byte header).
        let len = u32::from_be_bytes(png[33..37].try_into().unwrap()) as usize;
        assert_eq!(&png[37..41], b"IDAT");
        assert_eq!(s.data, png[41..41 + len]);
        let grey = encode_png(
            2,
            2,
            png::ColorType::Grayscale,
            png::BitDepth::Eight,
            &[1, 2, 3, 4],
            None,
        );
        assert_eq!(png_stream(&grey).map(|s| s.colors), Some(1));
    }

    #[test]
    fn pngs_needing_conversion_are_decoded_instead() {
        let rgba = encode_png(
            1,
            1,
            png::ColorType::Rgba,
            png::BitDepth::Eight,
            &[1, 2, 3, 4],
            None,
        );
        assert_eq!(png_stream(&rgba), None);
        let grey16 = encode_png(
            1,
            1,
            png::ColorType::Grayscale,
            png::BitDepth::Sixteen,
            &[1, 2],
            None,
        );
        assert_eq!(png_stream(&grey16), None);
        let plte = [10, 20, 30, 40, 50, 60];
        let indexed = encode_png(
            2,
            1,
            png::ColorType::Indexed,
            png::BitDepth::Eight,
            &[0, 1],
            Some((&plte, &[0, 255])),
        );
        assert_eq!(png_stream(&indexed), None);
    }

    /// A PNG of the signature and IHDR in `head`, then `rows` compressed in
    /// one IDAT chunk, then IEND.
    fn with_rows(head: &[u8], rows: &[u8]) -> Vec<u8> {
        let z = miniz_oxide::deflate::compress_to_vec_zlib(rows, 6);
        let mut png = head.to_vec();
        png.extend_from_slice(&(z.len() as u32).to_be_bytes());
        png.extend_from_slice(b"IDAT");
        png.extend_from_slice(&z);
        png.extend_from_slice(&crc32(&[b"IDAT".as_slice(), &z].concat()).to_be_bytes());
        png.extend_from_slice(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82]);
        png
    }

    #[test]
    fn damaged_pngs_are_not_copied() {
        let rgb = vec![9u8; 4 * 3 * 3];
        let good = encode_png(4, 3, png::ColorType::Rgb, png::BitDepth::Eight, &rgb, None);
        assert!(png_stream(&good).is_some());
        // A flipped bit anywhere in a chunk breaks its CRC.
        let mut bad = good.clone();
        bad[45] ^= 1;
        assert_eq!(png_stream(&bad), None);
        // A header that claims more rows than the data holds, CRC fixed.
        let mut tall = good.clone();
        tall[20..24].copy_from_slice(&4u32.to_be_bytes());
        fix_crc(&mut tall, 8, 13);
        assert_eq!(png_stream(&tall), None);
        // A row with filter type 9, recompressed, CRCs right.
        let mut rows = Vec::new();
        for r in 0..3 {
            rows.push(if r == 1 { 9 } else { 0 });
            rows.extend_from_slice(&[9u8; 12]);
        }
        assert_eq!(png_stream(&with_rows(&good[..33], &rows)), None);
        // The same rows with valid filters are accepted: the check is the filters.
        rows[13] = 0;
        let fine = with_rows(&good[..33], &rows);
        assert!(png_stream(&fine).is_some());
    }

    #[test]
    fn bad_png_is_an_error() {
        assert!(decode_png(b"\x89PNG\r\n\x1a\nnope").is_err());
        assert!(decode_png(b"").is_err());
    }
}
