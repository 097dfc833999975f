//! A PNG checked without decoding it: its chunks walked (CRCs, one run of
//! `IDAT`, `IEND`) and its image data inflated once, counting rows and
//! their filter bytes, without unfiltering anything.
//!
//! Two users. The loader checks every PNG of a book before anything else
//! runs, on the critical path of every build: for an 8-bit, non-interlaced
//! PNG without palette or `tRNS` (screenshots, charts) this check is three
//! times faster than the PNG decoder's row-by-row decode, and it only says
//! yes when that decode would succeed too (see [`decodes`]); anything it
//! does not accept goes to the decoder, whose message the author sees. The
//! PDF writer uses [`RowCheck`] before copying a PNG's compressed rows into
//! the PDF as they are (`pdf::write::png`).
//!
//! Inflating is zlib-rs (already built for the writer's compression): on a
//! 3,000-pixel screenshot it inflates in 4 ms where miniz_oxide takes 6.

/// Largest chunk length the PNG format allows (2³¹ − 1).
const MAX_CHUNK: usize = 0x7FFF_FFFF;

/// True only if `bytes` is a PNG that the PNG decoder, as
/// [`super::decode_png`] sets it up, decodes to the end without an error:
/// 8-bit grey, grey+alpha, RGB or RGBA, not interlaced, no `tRNS`, within
/// the writer's size limit. False says nothing: the caller then decodes.
///
/// Why yes implies that the decoder succeeds: the header and every chunk
/// before the image data are read by the decoder itself (`read_info`);
/// every chunk's CRC is right and its type is four letters (the decoder
/// checks the CRCs of what it reads, and reads no further than the image
/// data); the image data is one run of `IDAT` chunks followed, eventually,
/// by `IEND`; and it inflates (zlib checksum included, which the decoder
/// does not even check) to exactly `height` rows whose filter bytes are
/// 0–4 — unfiltering such rows cannot fail. Stricter than the decoder where
/// they differ (extra rows, data after the first `IDAT` run, checksums), so
/// that a file it turns down still gets the decoder's verdict.
pub(crate) fn decodes(bytes: &[u8]) -> bool {
    let Ok(reader) = super::png_reader(bytes) else {
        return false;
    };
    let info = reader.info();
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return false,
    };
    if info.bit_depth != png::BitDepth::Eight || info.interlaced || info.trns.is_some() {
        return false;
    }
    let (width, height) = (info.width, info.height);
    if super::check_size("PNG", width, height).is_err() {
        return false;
    }
    let Some(stride) = (width as usize)
        .checked_mul(channels)
        .and_then(|n| n.checked_add(1))
    else {
        return false;
    };
    let Some(mut rows) = RowCheck::new(stride, height as usize) else {
        return false;
    };
    let Some(chunks) = chunks(bytes) else {
        return false;
    };
    let mut seen_data = false;
    let mut data_ended = false;
    for (kind, body) in chunks {
        if kind == b"IDAT" {
            if data_ended || !rows.feed(body) {
                return false;
            }
            seen_data = true;
        } else if seen_data {
            data_ended = true;
        }
    }
    seen_data && rows.finish()
}

/// The chunks of a PNG up to and including `IEND`, each as its type and
/// data, if every one of them is whole, has a four-letter type and the
/// right CRC, and `IEND` is there; `None` otherwise.
fn chunks(bytes: &[u8]) -> Option<Vec<(&[u8], &[u8])>> {
    let mut rest = bytes.strip_prefix(b"\x89PNG\r\n\x1a\n")?;
    let mut found = Vec::new();
    loop {
        let len = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        if len > MAX_CHUNK {
            return None;
        }
        let chunk = rest.get(4..8 + len)?;
        let crc = u32::from_be_bytes(rest.get(8 + len..12 + len)?.try_into().ok()?);
        if crc32fast::hash(chunk) != crc {
            return None;
        }
        let (kind, body) = chunk.split_at(4);
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            return None;
        }
        found.push((kind, body));
        if kind == b"IEND" {
            return Some(found);
        }
        rest = &rest[12 + len..];
    }
}

/// Inflates a zlib stream of PNG rows piece by piece through a 64 KiB
/// buffer (the image is never held decoded), checking that it holds exactly
/// `rows` rows of `stride` bytes (filter byte included), each filter byte
/// 0–4, and that its checksum is right.
pub(crate) struct RowCheck {
    inflate: zlib_rs::Inflate,
    out: Vec<u8>,
    stride: usize,
    expected: usize,
    ended: bool,
    ok: bool,
}

impl RowCheck {
    /// A check for `rows` rows of `stride` bytes; `None` if their size
    /// overflows.
    pub(crate) fn new(stride: usize, rows: usize) -> Option<RowCheck> {
        Some(RowCheck {
            inflate: zlib_rs::Inflate::new(true, 15),
            out: vec![0; 1 << 16],
            stride: stride.max(1),
            expected: stride.checked_mul(rows)?,
            ended: false,
            ok: true,
        })
    }

    /// Inflates the next piece of the stream; false as soon as the stream
    /// is known to be wrong. Data after the end of the stream is ignored,
    /// as PNG decoders do.
    pub(crate) fn feed(&mut self, mut input: &[u8]) -> bool {
        while self.ok && !self.ended && !input.is_empty() {
            let (in_before, out_before) = (self.inflate.total_in(), self.inflate.total_out());
            let status =
                self.inflate
                    .decompress(input, &mut self.out, zlib_rs::InflateFlush::NoFlush);
            let read = (self.inflate.total_in() - in_before) as usize;
            let written = (self.inflate.total_out() - out_before) as usize;
            let start = out_before as usize;
            // The filter byte of each row that starts in this output.
            let mut row = start.div_ceil(self.stride) * self.stride;
            while row < start + written {
                if self.out[row - start] > 4 {
                    self.ok = false;
                }
                row += self.stride;
            }
            if start + written > self.expected {
                self.ok = false;
            }
            input = &input[read..];
            match status {
                Ok(zlib_rs::Status::StreamEnd) => self.ended = true,
                Ok(_) if read == 0 && written == 0 => self.ok = false,
                Ok(_) => {}
                Err(_) => self.ok = false,
            }
        }
        self.ok
    }

    /// Whether the whole stream was fed, ended and held exactly the rows.
    pub(crate) fn finish(self) -> bool {
        self.ok && self.ended && self.inflate.total_out() as usize == self.expected
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An 8-bit PNG of `w`×`h` with `color` and varied pixels.
    fn encode(w: u32, h: u32, color: png::ColorType) -> Vec<u8> {
        let channels = match color {
            png::ColorType::Grayscale => 1,
            png::ColorType::GrayscaleAlpha => 2,
            png::ColorType::Rgb => 3,
            _ => 4,
        };
        let data: Vec<u8> = (0..w * h * channels)
            .map(|i| (i * 37 % 251) as u8)
            .collect();
        let mut out = Vec::new();
        let mut e = png::Encoder::new(&mut out, w, h);
        e.set_color(color);
        e.set_filter(png::FilterType::Paeth);
        let mut writer = e.write_header().unwrap();
        writer.write_image_data(&data).unwrap();
        writer.finish().unwrap();
        out
    }

    /// The start of the first chunk of type `kind`.
    fn chunk_at(png: &[u8], kind: &[u8]) -> usize {
        png.windows(4).position(|w| w == kind).unwrap() - 4
    }

    #[test]
    fn plain_pngs_pass_without_decoding() {
        for color in [
            png::ColorType::Grayscale,
            png::ColorType::GrayscaleAlpha,
            png::ColorType::Rgb,
            png::ColorType::Rgba,
        ] {
            let png = encode(300, 70, color);
            assert!(decodes(&png), "{color:?}");
        }
    }

    #[test]
    fn other_pngs_are_left_to_the_decoder() {
        // Palette: not checked here (the decoder expands it).
        let mut out = Vec::new();
        let mut e = png::Encoder::new(&mut out, 4, 4);
        e.set_color(png::ColorType::Indexed);
        e.set_palette(vec![0, 0, 0, 255, 255, 255]);
        let mut w = e.write_header().unwrap();
        w.write_image_data(&[0, 1, 0, 1, 1, 0, 1, 0]).unwrap_or(());
        drop(w);
        assert!(!decodes(&out));
        assert!(!decodes(b"\x89PNG\r\n\x1a\nnope"));
        assert!(!decodes(b""));
    }

    /// The start of the chunk that holds byte `at` and its data length.
    fn chunk_holding(png: &[u8], at: usize) -> Option<(usize, usize)> {
        let mut pos = 8;
        while pos + 12 <= png.len() {
            let len = u32::from_be_bytes(png[pos..pos + 4].try_into().unwrap()) as usize;
            if at < pos + 12 + len {
                return Some((pos, len));
            }
            pos += 12 + len;
        }
        None
    }

    /// Yes here always means yes from the decoder: every byte of a small
    /// PNG changed in turn (with its chunk's CRC made right again, so the
    /// change reaches the header, the zlib stream, the filter bytes), every
    /// truncation, and the header made to claim one row more.
    #[test]
    fn accepted_only_what_the_decoder_accepts() {
        let good = encode(24, 6, png::ColorType::Rgb);
        assert!(decodes(&good));
        let mut cases: Vec<Vec<u8>> = (0..good.len()).map(|n| good[..n].to_vec()).collect();
        for at in 8..good.len() {
            for flip in [0x01, 0x80, 0xFF] {
                let mut bad = good.clone();
                bad[at] ^= flip;
                if let Some((pos, len)) = chunk_holding(&bad, at) {
                    if at >= pos + 4 && at < pos + 8 + len {
                        let crc = crc32fast::hash(&bad[pos + 4..pos + 8 + len]);
                        bad[pos + 8 + len..pos + 12 + len].copy_from_slice(&crc.to_be_bytes());
                    }
                }
                cases.push(bad);
            }
        }
        let mut taller = good.clone();
        taller[20..24].copy_from_slice(&7u32.to_be_bytes());
        let crc = crc32fast::hash(&taller[12..29]);
        taller[29..33].copy_from_slice(&crc.to_be_bytes());
        assert!(!decodes(&taller));
        cases.push(taller);
        let mut accepted = 0;
        for (i, case) in cases.iter().enumerate() {
            if decodes(case) {
                accepted += 1;
                assert!(
                    super::super::decode_png(case, super::super::Keep::Nothing).is_ok(),
                    "case {i}: accepted here, refused by the decoder"
                );
            }
        }
        // Changed pixels (and ancillary bits) still decode; most changes do not.
        assert!(accepted > 0 && accepted < cases.len() / 2, "{accepted}");
        // A changed byte of image data without its CRC fixed: turned down.
        let idat = chunk_at(&good, b"IDAT");
        let mut bad = good.clone();
        bad[idat + 10] ^= 0x55;
        assert!(!decodes(&bad));
    }

    #[test]
    fn rows_and_filter_bytes_are_counted() {
        let rows = [0u8, 1, 2, 2, 3, 4, 0, 9, 9];
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&rows, 6);
        let whole = |stride, n| {
            let mut c = RowCheck::new(stride, n).unwrap();
            c.feed(&z) && c.finish()
        };
        assert!(whole(3, 3));
        assert!(whole(9, 1));
        assert!(!whole(3, 2), "more rows than expected");
        assert!(!whole(3, 4), "fewer rows than expected");
        // A filter byte above 4 in a row start.
        let bad = miniz_oxide::deflate::compress_to_vec_zlib(&[0u8, 1, 5, 2], 6);
        let mut c = RowCheck::new(2, 2).unwrap();
        assert!(!(c.feed(&bad) && c.finish()));
        // Fed a byte at a time: the same answers.
        let mut c = RowCheck::new(3, 3).unwrap();
        assert!(z.chunks(1).all(|b| c.feed(b)) && c.finish());
        // The checksum is checked.
        let mut wrong = z.clone();
        let last = wrong.len() - 1;
        wrong[last] ^= 1;
        let mut c = RowCheck::new(3, 3).unwrap();
        assert!(!(c.feed(&wrong) && c.finish()));
    }
}
