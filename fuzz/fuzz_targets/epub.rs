//! The EPUB backend on arbitrary document trees ([`folio_fuzz::BookGen`]):
//! rendering never panics, and yields a zip whose every XML document
//! (XHTML, package, navigation, NCX) is well-formed.
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
        date: u.int_in_range(0..=253_402_300_799).unwrap_or(0), print_pages: None,
    };
    let mut sink = Sink::new();
    if let Ok(artifact) = folio::epub::EpubBackend.render(&cx, &mut sink) {
        assert!(artifact.bytes.starts_with(b"PK"));
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&artifact.bytes)).expect("a zip");
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).expect("an entry");
            let name = entry.name().to_owned();
            if !(name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".ncx")) {
                continue;
            }
            let mut text = String::new();
            std::io::Read::read_to_string(&mut entry, &mut text).expect("UTF-8");
            let opts = roxmltree::ParsingOptions {
                allow_dtd: true,
                ..Default::default()
            };
            if let Err(e) = roxmltree::Document::parse_with_options(&text, opts) {
                panic!("{name} is not well-formed: {e}");
            }
        }
    }
});
