//! SVG figures on small arbitrary SVGs ([`folio_fuzz::svg::document`]): the
//! checks `folio check` and the image loader make
//! (`parse::assets::identify_limited`, tight limits), then the PDF writer's
//! conversion. An SVG the checks accept must convert (or be refused by the
//! writer's range check, which `folio check` runs too), and what the writer
//! receives holds no number a PDF reader cannot convert (NaN, infinity, or
//! more digits than a 32-bit reader takes).
#![no_main]
use folio::config::limits::Limits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(svg) = folio_fuzz::svg::document(&mut u) else {
        return;
    };
    let limits = Limits {
        svg_bytes: 64 << 10,
        svg_elements: 2_000,
        svg_text: 400,
        svg_depth: 32,
        ..Limits::default()
    };
    if folio::parse::assets::identify_limited(svg.as_bytes(), &limits).is_err() {
        return;
    }
    // The writer's own range check on the converted tree (coordinates grown
    // through nested transforms) may refuse what the loader passed; `folio
    // check` runs the same conversion, so it refuses it too. Anything else
    // is a conversion the checks should have refused.
    let objects = match folio::pdf::write::check_svg(svg.as_bytes(), folio_fuzz::fonts()) {
        Ok(objects) => objects,
        Err(e) if e.contains("out of range through its transforms") => return,
        Err(e) => panic!("the checks passed but conversion failed: {e}\n{svg}"),
    };
    if let Some(bad) = folio_fuzz::bad_number(&objects) {
        panic!("unreadable number `{bad}` written for\n{svg}");
    }
});
