//! The EPUB backend on arbitrary document trees ([`folio_fuzz::BookGen`]):
//! rendering never panics and always yields a zip.
#![no_main]
use folio::backend::{Backend, RenderContext};
use folio::config::BookConfig;
use folio::diag::Sink;
use folio::source::Sources;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(mut book) = folio_fuzz::BookGen::new(&mut u, 6).book(4) else {
        return;
    };
    if u.arbitrary::<bool>().unwrap_or(false) {
        folio::highlight::book(&mut book);
    }
    let mut config = BookConfig::default();
    config.epub.toc_depth = u.int_in_range(0..=7).unwrap_or(2);
    let mut sources = Sources::new("/fuzz");
    sources.add("/fuzz/ch.md", "x\n".repeat(40));
    let root = std::env::temp_dir();
    let cx = RenderContext {
        book: &book,
        config: &config,
        root: &root,
        sources: &sources,
        date: u.int_in_range(0..=253_402_300_799).unwrap_or(0),
    };
    let mut sink = Sink::new();
    if let Ok(artifact) = folio::epub::EpubBackend.render(&cx, &mut sink) {
        assert!(artifact.bytes.starts_with(b"PK"));
    }
});
