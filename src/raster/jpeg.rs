//! A JPEG's structure, walked to its end before the PDF embeds the file as
//! it is (`/DCTDecode`): a truncated download would otherwise be written
//! into the PDF, which readers then report as invalid JPEG data.

/// Checks that the file is a whole JPEG: marker segments with lengths that
/// fit, a frame header, at least one scan, and the end-of-image marker after
/// the entropy-coded data.
pub fn check(b: &[u8]) -> Result<(), String> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return Err("not a JPEG file (no start-of-image marker)".into());
    }
    let truncated = || "the JPEG file is truncated (it has no end-of-image marker)".to_owned();
    let mut i = 2;
    let (mut frame, mut scans) = (false, 0usize);
    loop {
        // Fill bytes before a marker.
        while b.get(i) == Some(&0xFF) && b.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (b.get(i), b.get(i + 1)) else {
            return Err(if i >= b.len() {
                truncated()
            } else {
                format!("the JPEG has stray data at byte {i}")
            });
        };
        i += 2;
        match marker {
            0xD9 => {
                return if !frame {
                    Err("the JPEG has no frame header".into())
                } else if scans == 0 {
                    Err("the JPEG has no image data".into())
                } else {
                    Ok(())
                };
            }
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let len = match (b.get(i), b.get(i + 1)) {
            (Some(&h), Some(&l)) => usize::from(u16::from_be_bytes([h, l])),
            _ => return Err(truncated()),
        };
        if len < 2 || i + len > b.len() {
            return Err(truncated());
        }
        i += len;
        match marker {
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => frame = true,
            0xDA => {
                if !frame {
                    return Err("the JPEG's image data comes before its frame header".into());
                }
                scans += 1;
                // Entropy-coded data runs to the next marker that is not a
                // stuffed 0xFF00 or a restart marker.
                loop {
                    let Some(at) = b[i..].iter().position(|&x| x == 0xFF) else {
                        return Err(truncated());
                    };
                    i += at;
                    match b.get(i + 1) {
                        None => return Err(truncated()),
                        Some(0x00 | 0xD0..=0xD7 | 0xFF) => {
                            i += if b[i + 1] == 0xFF { 1 } else { 2 }
                        }
                        Some(_) => break,
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SOI, SOF0, SOS with a little data (a stuffed byte and a restart), EOI.
    fn whole() -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8];
        b.extend([0xFF, 0xC0, 0x00, 0x0B, 8, 0, 1, 0, 1, 1, 1, 0x11, 0]);
        b.extend([0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 63, 0]);
        b.extend([0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
        b.extend([0xFF, 0xD9]);
        b
    }

    #[test]
    fn whole_jpegs_pass_and_truncated_ones_fail() {
        assert_eq!(check(&whole()), Ok(()));
        let full = whole();
        for n in 0..full.len() - 1 {
            assert!(check(&full[..n]).is_err(), "{n}");
        }
        // Trailing bytes after the end are tolerated.
        let mut trailing = whole();
        trailing.extend(b"junk");
        assert_eq!(check(&trailing), Ok(()));
        // No scan at all.
        let mut no_scan = whole()[..15].to_vec();
        no_scan.extend([0xFF, 0xD9]);
        assert!(check(&no_scan).unwrap_err().contains("no image data"));
    }
}
