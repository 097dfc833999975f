//! PNG images, embedded losslessly.
//!
//! The file is decoded (palette and low-bit grey expanded, 16-bit samples
//! reduced to 8-bit, interlacing undone) and the samples re-compressed with
//! Flate as DeviceGray or DeviceRGB. An alpha channel becomes a separate
//! `/SMask` image, left out when every pixel is opaque.

use std::io::Cursor;

use pdf_writer::{Filter, Finish, Name, Pdf, Ref};

use super::deflate;
use crate::config::limits::MAX_IMAGE_PIXELS;

/// A decoded raster image, 8 bits per component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Raster {
    width: u32,
    height: u32,
    /// True for RGB, false for grey.
    rgb: bool,
    /// Colour samples, row by row.
    samples: Vec<u8>,
    /// Alpha samples, if any pixel is not opaque.
    alpha: Option<Vec<u8>>,
}

/// Decodes a PNG to 8-bit grey or RGB plus optional alpha.
pub(crate) fn decode_png(bytes: &[u8]) -> Result<Raster, String> {
    let mut decoder =
        png::Decoder::new_with_limits(Cursor::new(bytes), png::Limits { bytes: 1 << 30 });
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder
        .read_info()
        .map_err(|e| format!("cannot decode PNG: {e}"))?;
    // Refuse before allocating: the header alone can claim gigapixels.
    let (w, h) = (reader.info().width, reader.info().height);
    if u64::from(w) * u64::from(h) > MAX_IMAGE_PIXELS {
        return Err(format!(
            "the PNG is {w}×{h} pixels, more than the {MAX_IMAGE_PIXELS} pixels the PDF writer decodes"
        ));
    }
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("cannot decode PNG: {e}"))?;
    buf.truncate(info.buffer_size());
    if info.bit_depth != png::BitDepth::Eight {
        return Err(format!(
            "unexpected PNG bit depth {:?} after expansion",
            info.bit_depth
        ));
    }
    let (channels, rgb) = match info.color_type {
        png::ColorType::Grayscale => (1, false),
        png::ColorType::GrayscaleAlpha => (2, false),
        png::ColorType::Rgb => (3, true),
        png::ColorType::Rgba => (4, true),
        png::ColorType::Indexed => return Err("palette PNG was not expanded".into()),
    };
    let pixels = info.width as usize * info.height as usize;
    if buf.len() < pixels * channels {
        return Err("PNG data is shorter than its size".into());
    }
    let (samples, alpha) = if channels == 2 || channels == 4 {
        let colour = channels - 1;
        let mut samples = Vec::with_capacity(pixels * colour);
        let mut alpha = Vec::with_capacity(pixels);
        for px in buf.chunks_exact(channels).take(pixels) {
            samples.extend_from_slice(&px[..colour]);
            alpha.push(px[colour]);
        }
        let opaque = alpha.iter().all(|&a| a == 255);
        (samples, if opaque { None } else { Some(alpha) })
    } else {
        buf.truncate(pixels * channels);
        (buf, None)
    };
    Ok(Raster {
        width: info.width,
        height: info.height,
        rgb,
        samples,
        alpha,
    })
}

/// Writes a decoded raster (and its soft mask) as Flate-compressed XObjects.
pub(crate) fn write_raster(raster: &Raster, pdf: &mut Pdf, refs: &mut Ref) -> Ref {
    let id = refs.bump();
    let smask = raster.alpha.as_ref().map(|alpha| {
        let smask_id = refs.bump();
        let data = deflate(alpha);
        let mut x = pdf.image_xobject(smask_id, &data);
        x.filter(Filter::FlateDecode);
        x.width(raster.width as i32).height(raster.height as i32);
        x.color_space_name(Name(b"DeviceGray"))
            .bits_per_component(8);
        x.finish();
        smask_id
    });
    let data = deflate(&raster.samples);
    let mut x = pdf.image_xobject(id, &data);
    x.filter(Filter::FlateDecode);
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

    #[test]
    fn bad_png_is_an_error() {
        assert!(decode_png(b"\x89PNG\r\n\x1a\nnope").is_err());
        assert!(decode_png(b"").is_err());
    }
}
