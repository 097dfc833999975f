//! `book.toml` parsing: arbitrary bytes through [`folio::config::parse`],
//! which must turn every problem into a diagnostic with a position.
#![no_main]
use folio::diag::Sink;
use folio::source::Sources;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut sources = Sources::new("/fuzz");
    let id = sources.add("/fuzz/book.toml", text.into_owned());
    let mut sink = Sink::new();
    let config = folio::config::parse(&sources, id, &mut sink);
    if let Some(config) = &config {
        // Metadata validation reads every [book] value.
        let _ = folio::config::validate::metadata(config, id, &mut sink);
    }
    // Every diagnostic renders (positions inside the file).
    for d in sink.diagnostics() {
        let _ = d.render(&sources);
    }
    assert!(config.is_some() || sink.has_errors());
});
