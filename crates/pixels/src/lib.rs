//! folio's per-pixel loops: kept in their own crate so that debug builds
//! (which the tests run on book-sized images) compile them with
//! optimisations, as they do the decoders (see `[profile.dev.package]` in
//! folio's `Cargo.toml`). A 7,000 × 7,000 image is 49 million iterations.

/// Splits a row of pixels with an alpha channel (`channels` 2: grey+alpha,
/// 4: RGBA) into `colour` and `alpha` (both cleared first); returns whether
/// every pixel is opaque.
pub fn split_alpha(row: &[u8], channels: usize, colour: &mut Vec<u8>, alpha: &mut Vec<u8>) -> bool {
    colour.clear();
    alpha.clear();
    if channels < 2 {
        colour.extend_from_slice(row);
        return true;
    }
    let pixels = row.len() / channels;
    colour.reserve(pixels * (channels - 1));
    alpha.reserve(pixels);
    let mut opaque = true;
    for px in row.chunks_exact(channels) {
        let (c, a) = px.split_at(channels - 1);
        colour.extend_from_slice(c);
        alpha.push(a[0]);
        opaque &= a[0] == 255;
    }
    opaque
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits() {
        let (mut c, mut a) = (Vec::new(), Vec::new());
        assert!(!split_alpha(&[1, 2, 3, 4, 5, 6, 7, 255], 4, &mut c, &mut a));
        assert_eq!(
            (c.as_slice(), a.as_slice()),
            (&[1, 2, 3, 5, 6, 7][..], &[4, 255][..])
        );
        assert!(split_alpha(&[9, 255], 2, &mut c, &mut a));
        assert_eq!((c.as_slice(), a.as_slice()), (&[9][..], &[255][..]));
    }
}
