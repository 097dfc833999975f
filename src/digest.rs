//! One stable 128-bit hash of byte strings, for everything folio keys by
//! content: the caches `folio watch` keeps (images' verdicts and
//! conversions, zipped EPUB files, painted pages) and the PDF's subset tags
//! and document ID.
//!
//! XXH3-128 (`xxhash-rust`): stable across runs, platforms and Rust
//! versions, unlike `std`'s `DefaultHasher`, and fast — a rebuild hashes
//! every image file, every chapter's XHTML and every page, and a build the
//! whole PDF for its ID; SipHash, used before, took a sixth of a `folio
//! watch` rebuild's CPU. It is not a cryptographic hash: a collision needs
//! a crafted input, and the keys only ever compare one book's own files.

/// The hash of `parts`, each prefixed with its length, so `["ab", "c"]` and
/// `["a", "bc"]` differ.
pub(crate) fn digest(parts: &[&[u8]]) -> [u8; 16] {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.digest128().to_le_bytes()
}

#[cfg(test)]
mod tests {
    use super::digest;

    #[test]
    fn parts_are_kept_apart_and_the_hash_is_stable() {
        assert_eq!(digest(&[b"folio"]), digest(&[b"folio"]));
        assert_ne!(digest(&[b"ab", b"c"]), digest(&[b"a", b"bc"]));
        assert_ne!(digest(&[b""]), digest(&[]));
        // Pinned: the PDF's subset tags and document ID change with it.
        // The value is XXH3-128 of the 8-byte length and the text, as the
        // reference implementation (Python's `xxhash`) computes it.
        assert_eq!(
            u128::from_le_bytes(digest(&[b"folio"])),
            92_545_727_147_291_518_577_332_030_223_706_055_824
        );
    }
}
