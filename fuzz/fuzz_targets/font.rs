//! Font files through loading, shaping and embedding
//! ([`folio_fuzz::font::font`]): `FontBook::load_bytes` (character map,
//! metrics), rustybuzz shaping through folio's shaper, then a page of the
//! shaped glyphs written with `write_pdf` (subsetting, widths, ToUnicode).
//! No panic and no hang; a font the loader accepts and `check_font` passes
//! (what `folio check` relies on) is embedded without error.
#![no_main]
use folio::pdf::layout::FontBook;
use folio::pdf::layout::frame::{FontData, FontRef, Glyph, GlyphRun, Item, Page, PagedDoc, Rgb};
use folio::pdf::layout::shape::{Features, Shaper};
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(bytes) = folio_fuzz::font::font(&mut u) else {
        return;
    };
    let text: String = u.arbitrary::<String>().unwrap_or_default() + " Office fi ffl Ünï ❦";
    let mut book = FontBook::new();
    let Ok(id) = book.load_bytes("fuzz.ttf", bytes.clone(), 0) else {
        return;
    };
    let embeddable = folio::pdf::write::check_font(&bytes);
    let run = Shaper::new(&book).shape(&text, id, Features::TEXT);
    let Some(font) = book.font(id) else {
        return;
    };
    let upem = f32::from(run.units_per_em.max(1));
    let mut pen = 0.0;
    let mut glyphs = Vec::new();
    for (i, g) in run.glyphs.iter().enumerate() {
        let start = (g.cluster as usize).min(run.text.len());
        let end = run.glyphs[i + 1..]
            .iter()
            .map(|n| n.cluster as usize)
            .find(|&c| c > start)
            .unwrap_or(run.text.len())
            .min(run.text.len());
        let (start, end) = if run.text.is_char_boundary(start) && run.text.is_char_boundary(end) {
            (start as u32, end as u32)
        } else {
            (0, 0)
        };
        glyphs.push(Glyph {
            id: g.glyph_id,
            x: pen + g.x_offset as f32 * 10.0 / upem,
            y_offset: g.y_offset as f32 * 10.0 / upem,
            text_start: start,
            text_end: end,
        });
        pen += g.x_advance as f32 * 10.0 / upem;
    }
    let doc = PagedDoc {
        pages: vec![Page {
            width: 300.0,
            height: 300.0,
            bleed: 0.0,
            items: vec![Item::Glyphs(GlyphRun {
                font: FontRef(0),
                size: 10.0,
                color: Rgb::BLACK,
                x: 10.0,
                y: 20.0,
                glyphs: glyphs.into(),
                text: run.text.as_str().into(),
                lang: None,
            })],
        }],
        fonts: vec![Arc::new(FontData {
            bytes: font.data_arc(),
            index: 0,
            postscript_name: font.postscript_name().to_owned(),
        })],
        ..PagedDoc::default()
    };
    let written = folio::pdf::write::write_pdf(&doc, None);
    if embeddable.is_ok() {
        if let Err(e) = &written {
            panic!("the font passed the checks but was not embedded: {e}");
        }
    }
});
