//! Markdown → IR on arbitrary text ([`folio::parse::markdown::parse`]): no
//! panic, every span inside the text, nesting capped.
#![no_main]
use folio::source::SourceId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let body = folio::parse::markdown::parse(SourceId(0), &text, 0, Default::default());
    let mut spans = Vec::new();
    folio::ir::walk::blocks(&body.blocks, &mut |b| spans.push(b.span));
    for span in spans {
        assert!(span.start as usize <= text.len() && span.end as usize <= text.len());
    }
    // A tight nesting limit and no smart punctuation take other paths.
    let tight = folio::parse::markdown::ParseOptions {
        smart_punctuation: false,
        max_depth: 2,
    };
    let _ = folio::parse::markdown::parse(SourceId(0), &text, 7, tight);
});
