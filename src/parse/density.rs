//! The resolution a raster image records (PNG `pHYs`, JPEG JFIF density),
//! which sets its natural printed size: a 600-pixel screenshot saved at 144
//! pixels per inch is meant to be 4 inches wide, not 2.

/// Pixels per inch written in the file, when it says (and says something
/// sane: between 10 and 10,000).
pub fn pixels_per_inch(bytes: &[u8], media_type: &str) -> Option<f32> {
    let ppi = match media_type {
        "image/png" => png_ppi(bytes)?,
        "image/jpeg" => jfif_ppi(bytes)?,
        _ => return None,
    };
    (10.0..=10_000.0).contains(&ppi).then_some(ppi)
}

/// The `pHYs` chunk: pixels per metre (unit 1), which must come before the
/// image data.
fn png_ppi(bytes: &[u8]) -> Option<f32> {
    let mut at = 8; // signature
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().ok()?) as usize;
        let kind = &bytes[at + 4..at + 8];
        let data = bytes.get(at + 8..at.checked_add(8)?.checked_add(len)?)?;
        match kind {
            b"pHYs" if len >= 9 => {
                let x = u32::from_be_bytes(data[0..4].try_into().ok()?);
                return (data[8] == 1 && x > 0).then_some(x as f32 * 0.0254);
            }
            b"IDAT" | b"IEND" => return None,
            _ => {}
        }
        at = at.checked_add(12)?.checked_add(len)?;
    }
    None
}

/// The JFIF APP0 segment's density: units 1 (per inch) or 2 (per cm).
fn jfif_ppi(bytes: &[u8]) -> Option<f32> {
    let app0 = bytes.get(2..20)?;
    if app0[0] != 0xFF || app0[1] != 0xE0 || &app0[4..9] != b"JFIF\0" {
        return None;
    }
    let units = app0[11];
    let x = f32::from(u16::from_be_bytes([app0[12], app0[13]]));
    match units {
        1 => Some(x),
        2 => Some(x * 2.54),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_and_jpeg_densities() {
        // Signature, IHDR (13 bytes), pHYs at 5669 px/m (144 ppi), IEND.
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(13u32.to_be_bytes());
        png.extend(b"IHDR");
        png.extend([0u8; 13]);
        png.extend([0u8; 4]);
        png.extend(9u32.to_be_bytes());
        png.extend(b"pHYs");
        png.extend(5669u32.to_be_bytes());
        png.extend(5669u32.to_be_bytes());
        png.push(1);
        png.extend([0u8; 4]);
        let ppi = pixels_per_inch(&png, "image/png").unwrap();
        assert!((ppi - 144.0).abs() < 0.1, "{ppi}");
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
        jpeg.extend(b"JFIF\0\x01\x01\x01");
        jpeg.extend(72u16.to_be_bytes());
        jpeg.extend(72u16.to_be_bytes());
        jpeg.extend([0, 0]);
        assert_eq!(pixels_per_inch(&jpeg, "image/jpeg"), Some(72.0));
        assert_eq!(pixels_per_inch(&jpeg[..10], "image/jpeg"), None);
        assert_eq!(pixels_per_inch(b"junk", "image/png"), None);
    }
}
