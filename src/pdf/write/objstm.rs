//! Object streams (PDF 1.5+): small dictionaries packed into compressed
//! streams, and the cross-reference stream that finds them.
//!
//! A tagged book has one structure element per paragraph, heading, cell,
//! list item and link: tens of thousands of small dictionaries that would
//! double the file's size written one by one (about 110 bytes each with
//! their cross-reference entry) but compress ten to one together. They are
//! collected here as they are written, packed into `/ObjStm` streams of at
//! most [`PER_STREAM`] objects, and [`finish`] replaces the classic
//! cross-reference table `pdf-writer` writes with a cross-reference stream
//! listing every object: the uncompressed ones at their offsets (read from
//! that table), the packed ones by stream and index. The output stays
//! deterministic.

use pdf_writer::{Chunk, Filter, Finish, Name, Pdf, Ref};
use std::collections::HashMap;
use std::io::Write as _;

/// Objects per object stream: a reader decompresses a whole stream to get
/// one object, so streams stay small enough to be cheap to open.
const PER_STREAM: usize = 200;

/// Dictionaries waiting to be packed, with their object numbers.
#[derive(Default)]
pub(crate) struct Packer {
    objects: Vec<(Ref, Vec<u8>)>,
}

/// Where each packed object went: (object, stream, index in the stream).
pub(crate) struct Packed {
    entries: Vec<(i32, i32, i32)>,
}

impl Packer {
    /// Adds the objects of `chunk` (dictionaries and arrays only, no
    /// streams), each written with `Chunk::indirect` and friends.
    pub fn add(&mut self, chunk: &Chunk) {
        let bytes = chunk.as_bytes();
        let ids: Vec<Ref> = chunk.refs().collect();
        // pdf-writer writes `N 0 obj\n` BODY `\nendobj\n\n` back to back;
        // each object's start is found from the next one's header.
        let mut starts = Vec::with_capacity(ids.len());
        let mut from = 0;
        let mut header = Vec::with_capacity(24);
        for id in &ids {
            header.clear();
            let _ = write!(header, "{} 0 obj\n", id.get());
            let at = find(&bytes[from..], &header).map(|i| from + i);
            let Some(at) = at else { return };
            starts.push((at, at + header.len()));
            from = at + header.len();
        }
        for (i, id) in ids.iter().enumerate() {
            let body_start = starts[i].1;
            let end = starts.get(i + 1).map_or(bytes.len(), |s| s.0);
            let body = &bytes[body_start..end];
            let body = body.strip_suffix(b"\nendobj\n\n").unwrap_or(body);
            self.objects.push((*id, body.to_vec()));
        }
    }

    /// Writes the object streams into `pdf`, numbering them from `refs`
    /// (compressed side by side: the streams are independent). With `kept`
    /// (`folio watch`), a stream whose bytes the last build compressed is
    /// taken from it, and it is left holding this build's streams: after a
    /// one-word edit nearly every stream of the structure tree is the same.
    pub fn write(self, pdf: &mut Pdf, refs: &mut Ref, kept: Option<&mut StreamMemo>) -> Packed {
        let groups: Vec<&[(Ref, Vec<u8>)]> = self.objects.chunks(PER_STREAM).collect();
        let streams: Vec<Ref> = groups.iter().map(|_| refs.bump()).collect();
        let last = kept.as_ref().map(|k| &k.streams);
        let built = super::parallel_map(&groups, 4, |_, group| {
            let mut header = Vec::new();
            let mut body = Vec::new();
            for (id, object) in group.iter() {
                let _ = write!(header, "{} {} ", id.get(), body.len());
                body.extend_from_slice(object);
                body.push(b'\n');
            }
            let first = header.len() as i32;
            header.extend_from_slice(&body);
            let key = last.map(|_| crate::digest::digest(&[&header]));
            let data = match key.and_then(|k| last?.get(&k)) {
                Some(done) => done.clone(),
                None => super::deflate_content(&header),
            };
            (first, key, data)
        });
        if let Some(kept) = kept {
            kept.streams = built
                .iter()
                .filter_map(|(_, key, data)| Some(((*key)?, data.clone())))
                .collect();
        }
        let mut entries = Vec::with_capacity(self.objects.len());
        for ((group, stream), (first, _, data)) in groups.iter().zip(&streams).zip(&built) {
            for (index, (id, _)) in group.iter().enumerate() {
                entries.push((id.get(), stream.get(), index as i32));
            }
            let mut s = pdf.stream(*stream, data);
            s.filter(Filter::FlateDecode);
            s.pair(Name(b"Type"), Name(b"ObjStm"));
            s.pair(Name(b"N"), group.len() as i32);
            s.pair(Name(b"First"), *first);
            s.finish();
        }
        entries.sort_unstable();
        Packed { entries }
    }
}

/// Object streams compressed by the last build, by their bytes
/// ([`crate::digest`]), for `folio watch`.
#[derive(Debug, Default)]
pub(crate) struct StreamMemo {
    streams: HashMap<[u8; 16], Vec<u8>>,
}

/// Bytes of a cross-reference stream row: type, offset or stream, index.
const ROW: usize = 7;

/// What the trailer names.
pub(crate) struct Trailer {
    /// The document catalog.
    pub root: Ref,
    /// The Info dictionary.
    pub info: Ref,
    /// The file identifier.
    pub id: [u8; 16],
    /// A number no object uses, for the cross-reference stream itself
    /// (bumped last, so it is the highest).
    pub xref: Ref,
}

/// Finishes `pdf` with a cross-reference stream covering the packed
/// objects. Falls back to pdf-writer's own table (which cannot find packed
/// objects) only if that table cannot be read, which would be a bug.
pub(crate) fn finish(pdf: Pdf, packed: &Packed, trailer: &Trailer) -> Vec<u8> {
    let mut bytes = pdf.finish();
    let Some(table) = classic_table(&bytes) else {
        return bytes;
    };
    let size = (trailer.xref.get() + 1).max(table.entries.len() as i32);
    // Type, field 2 (offset or stream), field 3 (generation or index).
    let mut rows: Vec<(u8, u32, u16)> = (0..size)
        .map(|i| match table.entries.get(i as usize) {
            Some(&Some(offset)) => (1, offset, 0),
            _ => (0, 0, if i == 0 { 65535 } else { 0 }),
        })
        .collect();
    for &(id, stream, index) in &packed.entries {
        if let Some(row) = rows.get_mut(id as usize) {
            *row = (2, stream as u32, index as u16);
        }
    }
    bytes.truncate(table.start);
    let own = bytes.len();
    if let Some(row) = rows.get_mut(trailer.xref.get() as usize) {
        *row = (1, own as u32, 0);
    }
    // Each row is stored as its difference from the row above (the PNG
    // "Up" predictor, which PDF readers undo): consecutive offsets differ in
    // their low bytes only, so the rows become mostly zeros, which deflate
    // to a fraction of the size in a fraction of the time.
    let mut data = Vec::with_capacity(rows.len() * (ROW + 1));
    let mut above = [0u8; ROW];
    for (kind, field, extra) in rows {
        let mut row = [0u8; ROW];
        row[0] = kind;
        row[1..5].copy_from_slice(&field.to_be_bytes());
        row[5..].copy_from_slice(&extra.to_be_bytes());
        data.push(2);
        data.extend(row.iter().zip(&above).map(|(b, a)| b.wrapping_sub(*a)));
        above = row;
    }
    let data = super::deflate(&data);
    let mut chunk = Chunk::new();
    let mut s = chunk.stream(trailer.xref, &data);
    s.filter(Filter::FlateDecode);
    s.decode_parms()
        .predictor(pdf_writer::types::Predictor::PngUp)
        .columns(ROW as i32);
    s.pair(Name(b"Type"), Name(b"XRef"));
    s.pair(Name(b"Size"), size);
    s.insert(Name(b"W")).array().items([1, 4, 2]);
    s.pair(Name(b"Root"), trailer.root);
    s.pair(Name(b"Info"), trailer.info);
    let mut ids = s.insert(Name(b"ID")).array();
    ids.item(pdf_writer::Str(&trailer.id));
    ids.item(pdf_writer::Str(&trailer.id));
    ids.finish();
    s.finish();
    bytes.extend_from_slice(chunk.as_bytes());
    bytes.extend_from_slice(format!("startxref\n{own}\n%%EOF").as_bytes());
    bytes
}

/// pdf-writer's cross-reference table: where it starts, and each object's
/// offset (`None`: free).
struct Table {
    start: usize,
    entries: Vec<Option<u32>>,
}

fn classic_table(bytes: &[u8]) -> Option<Table> {
    let tail = &bytes[bytes.len().saturating_sub(64)..];
    let at = find_last(tail, b"startxref\n")?;
    let number: String = tail[at + 10..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| b as char)
        .collect();
    let start: usize = number.parse().ok()?;
    let text = bytes.get(start..)?;
    let rest = text.strip_prefix(b"xref\n0 ")?;
    let line_end = rest.iter().position(|&b| b == b'\n')?;
    let count: usize = std::str::from_utf8(&rest[..line_end]).ok()?.parse().ok()?;
    let table = rest.get(line_end + 1..line_end + 1 + count * 20)?;
    let entries = table
        .chunks(20)
        .map(|line| {
            let offset: u32 = std::str::from_utf8(&line[..10]).ok()?.parse().ok()?;
            (line[17] == b'n').then_some(offset)
        })
        .collect();
    Some(Table { start, entries })
}

/// The first `needle` in `haystack` (memchr's SIMD search: the structure
/// tree's chunk is megabytes, searched once per object).
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_objects_are_found_through_the_cross_reference_stream() {
        let mut refs = Ref::new(1);
        let catalog = refs.bump();
        let pages = refs.bump();
        let packed_dict = refs.bump();
        let info = refs.bump();
        let mut pdf = Pdf::new();
        pdf.catalog(catalog).pages(pages);
        pdf.pages(pages).count(0);
        let mut chunk = Chunk::new();
        chunk.indirect(packed_dict).dict().pair(Name(b"Hello"), 42);
        let mut packer = Packer::default();
        packer.add(&chunk);
        assert_eq!(packer.objects.len(), 1);
        assert_eq!(packer.objects[0].1, b"<<\n  /Hello 42\n>>");
        pdf.document_info(info).title(pdf_writer::TextStr("t"));
        let packed = packer.write(&mut pdf, &mut refs, None);
        let xref = refs.bump();
        let bytes = finish(
            pdf,
            &packed,
            &Trailer {
                root: catalog,
                info,
                id: [7; 16],
                xref,
            },
        );
        assert!(bytes.ends_with(b"%%EOF"));
        assert!(find(&bytes, b"/Type /XRef").is_some());
        assert!(find(&bytes, b"\nxref\n").is_none(), "no classic table left");
    }

    /// 450 objects (three streams) written as a PDF: without a memo, or
    /// with `memo`.
    fn pack(memo: Option<&mut StreamMemo>, last_value: i32) -> Vec<u8> {
        let mut refs = Ref::new(1);
        let mut chunk = Chunk::new();
        for i in 0..450 {
            let value = if i == 449 { last_value } else { i };
            chunk.indirect(refs.bump()).dict().pair(Name(b"N"), value);
        }
        let mut packer = Packer::default();
        packer.add(&chunk);
        let mut pdf = Pdf::new();
        packer.write(&mut pdf, &mut refs, memo);
        pdf.finish()
    }

    #[test]
    fn streams_kept_for_the_next_build_write_the_same_bytes() {
        let mut memo = StreamMemo::default();
        assert_eq!(pack(Some(&mut memo), 0), pack(None, 0));
        assert_eq!(
            memo.streams.len(),
            3,
            "one compressed stream per 200 objects"
        );
        let before: Vec<_> = memo.streams.keys().copied().collect();
        // The last object changes: its stream is compressed again, the
        // other two are taken from the memo, and the memo holds this build's.
        assert_eq!(pack(Some(&mut memo), 7), pack(None, 7));
        let kept = memo.streams.keys().filter(|k| before.contains(k)).count();
        assert_eq!((memo.streams.len(), kept), (3, 2));
        // And they are taken, not compressed again: marked, the marks come out.
        for data in memo.streams.values_mut() {
            *data = b"kept".to_vec();
        }
        let marked = pack(Some(&mut memo), 7);
        assert_eq!(marked.windows(4).filter(|w| w == b"kept").count(), 3);
    }
}
