//! Every Flate stream the PDF writer makes: zlib compression and
//! compressing the streams of a converted SVG. (Decoded rasters arrive
//! already predicted and compressed from `crate::raster`.)
//!
//! Compression is zlib-rs (already built for `zip` and `png` through
//! flate2): on a real book's streams it is 2–3× faster than miniz_oxide at
//! the same level and a little smaller (see BENCHMARKS.md, "Compression").
//! The output depends only on the input and the level, so builds stay
//! byte-for-byte reproducible (the crate version is pinned by Cargo.lock).

use pdf_writer::{Chunk, Ref};

/// Level for what is written once and is small: fonts, CMaps, the
/// cross-reference stream. 3.5 ms for all of them on the 1× benchmark
/// book, so size first.
pub(crate) const LEVEL_ONCE: i32 = 6;

/// Level for the bulk: page content, object streams and converted SVGs'
/// streams (decoded rasters use the same, see `crate::raster`). Measured on
/// the 1× benchmark book (BENCHMARKS.md, "Compression levels"): level 3
/// takes 106 ms instead of 172 for the page content and 66 ms instead of
/// 133 for the SVGs, for a PDF 5 % larger; level 2 would save 35 ms more
/// and add another 7 %.
pub(crate) const LEVEL_BULK: i32 = 3;

/// Zlib-compresses `data` at `level` (0–9). Falls back to miniz_oxide if
/// zlib-rs reports an error (it cannot for an in-memory buffer of
/// `compress_bound` bytes, but a fallback costs nothing and never panics).
///
/// zlib-rs wants its whole output buffer up front, as large as the input
/// could grow: a fresh zeroed buffer per stream cost the kernel a page
/// clear per 4 KiB of every SVG's and page's data, and each result then
/// kept that capacity while the PDF was assembled. The buffer is one per
/// thread, reused, and the result is copied out at its own size.
pub(crate) fn zlib(data: &[u8], level: i32) -> Vec<u8> {
    SCRATCH.with_borrow_mut(|out| {
        let bound = zlib_rs::compress_bound(data.len());
        if out.len() < bound {
            out.resize(bound, 0);
        }
        let (written, rc) =
            zlib_rs::compress_slice(&mut out[..bound], data, zlib_rs::DeflateConfig::new(level));
        let packed = if rc == zlib_rs::ReturnCode::Ok {
            written.to_vec()
        } else {
            miniz_oxide::deflate::compress_to_vec_zlib(data, level.clamp(0, 9) as u8)
        };
        if out.len() > SCRATCH_KEPT {
            *out = Vec::new();
        }
        packed
    })
}

thread_local! {
    /// [`zlib`]'s output buffer.
    static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Largest [`zlib`] buffer a thread keeps between calls (a stream larger
/// than this, a big raster batch, gets a buffer of its own).
const SCRATCH_KEPT: usize = 8 << 20;

/// Rewrites a chunk whose streams were written uncompressed (svg2pdf with
/// `compress: false`) with every unfiltered stream Flate-compressed here,
/// objects and numbers unchanged.
///
/// svg2pdf compresses with miniz_oxide at level 6, which spends most of an
/// SVG's conversion time on the outlined text's path data; zlib-rs does
/// the same work about three times faster (and at [`LEVEL_BULK`], twice
/// faster again). The chunk is read as pdf-writer
/// writes it (`N 0 obj`, a dictionary with `/Length`, `stream` … `endstream`,
/// `endobj`); an object in any other shape is copied unchanged, so the
/// result is always a valid chunk, at worst with a stream left uncompressed.
pub(crate) fn compress_chunk_streams(chunk: &Chunk, level: i32) -> Chunk {
    let bytes = chunk.as_bytes();
    let Some(objects) = objects(bytes) else {
        return chunk.clone();
    };
    let mut out = Chunk::with_capacity(bytes.len() / 3);
    for (id, body) in objects {
        let body = match compressed_stream(body, level) {
            Some(rewritten) => rewritten,
            None => body.to_vec(),
        };
        out.indirect(id)
            .primitive(RawObject(&sorted_resources(&body)));
    }
    out
}

/// Resource sub-dictionaries that svg2pdf fills from a `HashMap`: their
/// entries come out in a different order on every run (an SVG with two
/// gradients gave a different PDF each time).
const RESOURCE_KINDS: [&[u8]; 6] = [
    b"/Pattern <<",
    b"/XObject <<",
    b"/ExtGState <<",
    b"/Shading <<",
    b"/Font <<",
    b"/ColorSpace <<",
];

/// `body` with the entries of its resource sub-dictionaries (one entry per
/// line, as pdf-writer writes them) in byte order, so the object is the
/// same on every run. Only the dictionary part is touched, never stream
/// data; a sub-dictionary with anything but one-line entries is left alone.
fn sorted_resources(body: &[u8]) -> Vec<u8> {
    let dict_len = find(body, b">>\nstream\n").map_or(body.len(), |i| i + 2);
    let (dict, rest) = body.split_at(dict_len);
    let lines: Vec<&[u8]> = dict.split(|&b| b == b'\n').collect();
    let mut out: Vec<&[u8]> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        out.push(lines[i]);
        let opens = RESOURCE_KINDS
            .iter()
            .any(|k| lines[i].trim_ascii().ends_with(k));
        i += 1;
        if !opens {
            continue;
        }
        let Some(close) = lines[i..].iter().position(|l| l.trim_ascii() == b">>") else {
            continue;
        };
        let entries = &lines[i..i + close];
        if entries
            .iter()
            .all(|l| l.trim_ascii().starts_with(b"/") && !l.windows(2).any(|w| w == b"<<"))
        {
            let mut sorted = entries.to_vec();
            sorted.sort_unstable();
            out.extend(sorted);
            i += close;
        }
    }
    let mut joined = out.join(&b'\n');
    joined.extend_from_slice(rest);
    joined
}

/// An already-serialised object body, written as it is.
struct RawObject<'a>(&'a [u8]);

impl pdf_writer::Primitive for RawObject<'_> {
    fn write(self, buf: &mut Vec<u8>) {
        buf.extend_from_slice(self.0);
    }
}

/// The objects of a chunk: each object's number and its body (between
/// `N 0 obj\n` and `\nendobj`), in the chunk's order; `None` unless the
/// whole chunk reads that way.
fn objects(bytes: &[u8]) -> Option<Vec<(Ref, &[u8])>> {
    let mut found = Vec::new();
    let mut rest = bytes;
    loop {
        let Some(start) = rest.iter().position(|b| !b.is_ascii_whitespace()) else {
            return Some(found);
        };
        rest = &rest[start..];
        let head_end = find(rest, b" obj\n")?;
        let id = parse_head(&rest[..head_end])?;
        let body_start = head_end + b" obj\n".len();
        // A stream's data may hold anything: skip it by its length. The
        // object is a stream if `stream` follows its dictionary before
        // the first `endobj`.
        let first_end = find(&rest[body_start..], b"\nendobj\n")? + body_start;
        let search_from = match stream_data(&rest[body_start..]) {
            Some((_, data_start, len)) if body_start + data_start <= first_end => {
                body_start + data_start + len
            }
            _ => body_start,
        };
        let end = find(&rest[search_from..], b"\nendobj\n")? + search_from;
        found.push((id, &rest[body_start..end]));
        rest = &rest[end + b"\nendobj\n".len()..];
    }
}

/// `N 0` → the reference `N`.
fn parse_head(head: &[u8]) -> Option<Ref> {
    let text = std::str::from_utf8(head).ok()?;
    let (num, generation) = text.split_once(' ')?;
    if generation != "0" {
        return None;
    }
    let n: i32 = num.parse().ok()?;
    (n > 0).then(|| Ref::new(n))
}

/// For a stream object's body: the dictionary's `/Length` value's byte
/// range, where the data starts, and its length.
fn stream_data(body: &[u8]) -> Option<(std::ops::Range<usize>, usize, usize)> {
    let dict_end = find(body, b">>\nstream\n")?;
    let dict = &body[..dict_end];
    let key = find(dict, b"/Length ")? + b"/Length ".len();
    let digits = dict[key..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let len: usize = std::str::from_utf8(&dict[key..key + digits])
        .ok()?
        .parse()
        .ok()?;
    let data_start = dict_end + b">>\nstream\n".len();
    (body.len() >= data_start + len).then_some((key..key + digits, data_start, len))
}

/// The body of a stream object with its data compressed and `/Filter
/// /FlateDecode` added, or `None` if it is not a stream or already filtered.
fn compressed_stream(body: &[u8], level: i32) -> Option<Vec<u8>> {
    let (length, data_start, len) = stream_data(body)?;
    let dict = &body[..data_start];
    if find(dict, b"/Filter").is_some() || find(dict, b"/DecodeParms").is_some() {
        return None;
    }
    let tail = &body[data_start + len..];
    if !tail.starts_with(b"\nendstream") {
        return None;
    }
    let packed = zlib(&body[data_start..data_start + len], level);
    let dict_close = data_start - b">>\nstream\n".len();
    let mut out = Vec::with_capacity(packed.len() + data_start + 40);
    out.extend_from_slice(&body[..length.start]);
    out.extend_from_slice(packed.len().to_string().as_bytes());
    out.extend_from_slice(&body[length.end..dict_close]);
    out.extend_from_slice(b"  /Filter /FlateDecode\n");
    out.extend_from_slice(&body[dict_close..data_start]);
    out.extend_from_slice(&packed);
    out.extend_from_slice(tail);
    Some(out)
}

/// The first position of `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdf_writer::{Filter, Finish, Name};

    fn inflate(z: &[u8]) -> Vec<u8> {
        miniz_oxide::inflate::decompress_to_vec_zlib(z).unwrap()
    }

    #[test]
    fn zlib_round_trips_and_is_deterministic() {
        let data: Vec<u8> = (0..50_000u32)
            .map(|i| ((i % 251) ^ (i / 97)) as u8)
            .collect();
        let z = zlib(&data, 6);
        assert!(z.len() < data.len());
        assert_eq!(inflate(&z), data);
        assert_eq!(zlib(&data, 6), z);
        assert_eq!(inflate(&zlib(b"", 6)), b"");
    }

    /// A chunk like svg2pdf's: a content stream with a dictionary, a plain
    /// dictionary, a stream whose data contains `endobj`, and a filtered one.
    fn sample_chunk() -> Chunk {
        let mut c = Chunk::new();
        let content = b"0 0 m 10 10 l S\n".repeat(200);
        let mut x = c.form_xobject(Ref::new(3), &content);
        x.bbox(pdf_writer::Rect::new(0.0, 0.0, 1.0, 1.0));
        x.finish();
        c.indirect(Ref::new(1))
            .dict()
            .pair(Name(b"Key"), Ref::new(3));
        c.stream(Ref::new(7), b"x\nendobj\ny 7 0 R").finish();
        let mut s = c.stream(Ref::new(4), b"already");
        s.filter(Filter::FlateDecode);
        s.finish();
        c
    }

    #[test]
    fn chunk_streams_are_compressed_and_everything_else_kept() {
        let c = sample_chunk();
        let packed = compress_chunk_streams(&c, 6);
        assert_eq!(
            packed.refs().collect::<Vec<_>>(),
            c.refs().collect::<Vec<_>>()
        );
        assert!(packed.len() < c.len());
        let found = objects(packed.as_bytes()).unwrap();
        let original = objects(c.as_bytes()).unwrap();
        assert_eq!(found.len(), 4);
        // The form XObject: compressed, filter added, length right, dict kept.
        let (id, body) = found[0];
        assert_eq!(id, Ref::new(3));
        let (_, start, len) = stream_data(body).unwrap();
        let dict = String::from_utf8_lossy(&body[..start]);
        assert!(
            dict.contains("/Filter /FlateDecode") && dict.contains("/BBox"),
            "{dict}"
        );
        assert_eq!(
            inflate(&body[start..start + len]),
            b"0 0 m 10 10 l S\n".repeat(200)
        );
        // The dictionary is unchanged; so is the already-filtered stream.
        assert_eq!(found[1], original[1]);
        assert_eq!(found[3], original[3]);
        // Data that looks like `endobj` did not end the object early.
        let (_, start, len) = stream_data(found[2].1).unwrap();
        assert_eq!(
            inflate(&found[2].1[start..start + len]),
            b"x\nendobj\ny 7 0 R"
        );
        // Renumbering (as `svg::copy_into` does) still sees every reference.
        let renumbered = packed.renumber(|r| Ref::new(r.get() + 100));
        let text = String::from_utf8_lossy(renumbered.as_bytes());
        assert!(text.contains("/Key 103 0 R"), "{text}");
    }

    #[test]
    fn resource_entries_are_sorted_and_nothing_else_moves() {
        let body = b"<<\n  /Resources <<\n    /Pattern <<\n      /po2 9 0 R\n      /po0 7 0 R\n      /po1 8 0 R\n    >>\n    /ProcSet [/PDF]\n  >>\n  /Length 3\n>>\nstream\nb\na\nendstream";
        let sorted = sorted_resources(body);
        assert_eq!(
            String::from_utf8_lossy(&sorted),
            "<<\n  /Resources <<\n    /Pattern <<\n      /po0 7 0 R\n      /po1 8 0 R\n      /po2 9 0 R\n    >>\n    /ProcSet [/PDF]\n  >>\n  /Length 3\n>>\nstream\nb\na\nendstream"
        );
        // Already in order, or not a resource dictionary: unchanged.
        assert_eq!(sorted_resources(&sorted), sorted);
        let other = b"<<\n  /Kids [\n/b\n/a\n  ]\n>>";
        assert_eq!(sorted_resources(other), other.to_vec());
    }

    #[test]
    fn malformed_chunks_are_copied_not_lost() {
        let mut c = Chunk::new();
        // A stream whose /Length lies: left as it is.
        c.indirect(Ref::new(2))
            .primitive(RawObject(b"<<\n  /Length 999\n>>\nstream\nabc\nendstream"));
        c.stream(Ref::new(5), &b"fine ".repeat(100)).finish();
        let packed = compress_chunk_streams(&c, 6);
        let found = objects(packed.as_bytes()).unwrap();
        assert_eq!(found[0], objects(c.as_bytes()).unwrap()[0]);
        assert!(found[1].1.windows(12).any(|w| w == b"/FlateDecode"));
        // Anything pdf-writer would not have written: the chunk as it was.
        let mut odd = Chunk::new();
        odd.indirect(Ref::new(2)).primitive(RawObject(b"<< >>"));
        let mut bytes = odd.as_bytes().to_vec();
        bytes.extend_from_slice(b"garbage");
        assert_eq!(objects(&bytes), None);
        assert_eq!(compress_chunk_streams(&odd, 6).as_bytes(), odd.as_bytes());
    }
}
