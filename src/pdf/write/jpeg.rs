//! JPEG images, embedded byte for byte with `/DCTDecode`.
//!
//! Only the header is read — the frame header (SOF) for size and component
//! count, and the Adobe APP14 marker — to pick the colour space: 1 component
//! → DeviceGray, 3 → DeviceRGB, 4 → DeviceCMYK, with `/Decode [1 0 …]` when
//! an Adobe marker says the CMYK values are stored inverted (as Photoshop
//! writes them). Lossless and 12-bit JPEGs, which DCTDecode cannot carry,
//! are errors.

use pdf_writer::{Filter, Finish, Name, Pdf, Ref};

/// What the JPEG header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct JpegInfo {
    width: u16,
    height: u16,
    components: u8,
    /// An Adobe APP14 marker is present (Adobe writes CMYK inverted).
    adobe: bool,
}

/// Reads the frame header (SOF) and Adobe marker of a JPEG without decoding it.
fn jpeg_info(b: &[u8]) -> Result<JpegInfo, String> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return Err("not a JPEG file (no SOI marker)".into());
    }
    let mut i = 2;
    let mut adobe = false;
    loop {
        // Skip fill bytes before the marker.
        while i < b.len() && b[i] == 0xFF && b.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        if i + 4 > b.len() || b[i] != 0xFF {
            return Err("no frame header (SOF) found".into());
        }
        let marker = b[i + 1];
        // Markers without a length.
        if matches!(marker, 0x01 | 0xD0..=0xD7) {
            i += 2;
            continue;
        }
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        if len < 2 || i + 2 + len > b.len() {
            return Err(format!("truncated JPEG segment 0xFF{marker:02X}"));
        }
        let seg = &b[i + 4..i + 2 + len];
        match marker {
            0xEE if seg.starts_with(b"Adobe") => adobe = true,
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                if matches!(marker, 0xC3 | 0xC7 | 0xCB | 0xCF) {
                    return Err("lossless JPEG cannot be embedded with DCTDecode".into());
                }
                if seg.len() < 6 {
                    return Err("truncated JPEG frame header".into());
                }
                if seg[0] != 8 {
                    return Err(format!("{}-bit JPEG is not supported (8-bit only)", seg[0]));
                }
                let height = u16::from_be_bytes([seg[1], seg[2]]);
                let width = u16::from_be_bytes([seg[3], seg[4]]);
                let components = seg[5];
                if width == 0 || height == 0 {
                    return Err("JPEG has zero width or height".into());
                }
                if !matches!(components, 1 | 3 | 4) {
                    return Err(format!(
                        "JPEG with {components} components is not supported"
                    ));
                }
                // APP14 normally precedes SOF; for CMYK also look between
                // SOF and the first scan.
                if components == 4 && !adobe {
                    adobe = has_adobe_marker(&b[i + 2 + len..]);
                }
                return Ok(JpegInfo {
                    width,
                    height,
                    components,
                    adobe,
                });
            }
            0xDA => return Err("no frame header (SOF) before the scan".into()),
            _ => {}
        }
        i += 2 + len;
    }
}

/// Whether an Adobe APP14 segment follows (before the first scan).
fn has_adobe_marker(b: &[u8]) -> bool {
    let mut i = 0;
    while i + 4 <= b.len() && b[i] == 0xFF {
        let marker = b[i + 1];
        if marker == 0xDA {
            return false;
        }
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        if marker == 0xEE && b.get(i + 4..i + 9) == Some(b"Adobe") {
            return true;
        }
        if len < 2 {
            return false;
        }
        i += 2 + len;
    }
    false
}

/// Embeds a JPEG file as is (`/DCTDecode`).
pub(crate) fn write_jpeg(bytes: &[u8], pdf: &mut Pdf, refs: &mut Ref) -> Result<Ref, String> {
    let info = jpeg_info(bytes)?;
    let id = refs.bump();
    let mut x = pdf.image_xobject(id, bytes);
    x.filter(Filter::DctDecode);
    x.width(i32::from(info.width))
        .height(i32::from(info.height));
    x.bits_per_component(8);
    match info.components {
        1 => {
            x.color_space_name(Name(b"DeviceGray"));
        }
        3 => {
            x.color_space_name(Name(b"DeviceRGB"));
        }
        _ => {
            x.color_space_name(Name(b"DeviceCMYK"));
            if info.adobe {
                x.decode([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
            }
        }
    }
    x.finish();
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SOI, optional APP14 "Adobe", SOF0 with the given components, SOS, EOI.
    fn fake_jpeg(components: u8, adobe: bool, sof: u8) -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8];
        b.extend([0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00]); // short APP0
        if adobe {
            b.extend([0xFF, 0xEE, 0x00, 0x0E]);
            b.extend(b"Adobe");
            b.extend([0, 100, 0, 0, 0, 0, 2]);
        }
        let len = 8 + 3 * components as u16;
        b.extend([0xFF, sof]);
        b.extend(len.to_be_bytes());
        b.extend([8, 0x00, 0x20, 0x00, 0x30, components]);
        for c in 0..components {
            b.extend([c + 1, 0x11, 0]);
        }
        b.extend([0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xD9]);
        b
    }

    #[test]
    fn jpeg_header_is_read() {
        let i = jpeg_info(&fake_jpeg(3, false, 0xC0)).unwrap();
        assert_eq!(
            (i.width, i.height, i.components, i.adobe),
            (48, 32, 3, false)
        );
        let i = jpeg_info(&fake_jpeg(4, true, 0xC2)).unwrap();
        assert_eq!((i.components, i.adobe), (4, true));
        assert_eq!(jpeg_info(&fake_jpeg(1, false, 0xC1)).unwrap().components, 1);
        assert!(
            jpeg_info(&fake_jpeg(3, false, 0xC3))
                .unwrap_err()
                .contains("lossless")
        );
        assert!(jpeg_info(b"\xFF\xD8\xFF\xC0\x00").is_err());
        assert!(jpeg_info(b"GIF89a").is_err());
        // Truncated at every length: errors, never panics.
        let full = fake_jpeg(4, true, 0xC0);
        for n in 0..full.len() {
            let _ = jpeg_info(&full[..n]);
        }
    }
}
