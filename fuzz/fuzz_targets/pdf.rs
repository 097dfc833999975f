//! PDF layout and writer on small arbitrary books ([`folio_fuzz::BookGen`]):
//! `folio::pdf::layout` then `write_pdf`, print and screen profiles. No panic,
//! and a written file is a PDF.
#![no_main]
use folio::backend::RenderContext;
use folio::config::BookConfig;
use folio::diag::Sink;
use folio::pdf::Profile;
use folio::source::Sources;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(mut book) = folio_fuzz::BookGen::new(&mut u, 4).book(2) else {
        return;
    };
    if u.arbitrary::<bool>().unwrap_or(false) {
        folio::highlight::book(&mut book);
    }
    let profile = if u.arbitrary::<bool>().unwrap_or(false) {
        Profile::Screen
    } else {
        Profile::Print
    };
    let mut config = BookConfig::default();
    config.pdf.toc_depth = u.int_in_range(0..=7).ok();
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
    let Some(doc) = folio::pdf::layout(&cx, profile, &mut sink) else {
        return;
    };
    if let Ok(out) = folio::pdf::write::write_pdf(&doc) {
        assert!(out.bytes.starts_with(b"%PDF-"));
    }
});
