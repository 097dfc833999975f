//! A text form of laid-out pages for tests and debugging: each page's lines
//! (glyph runs grouped by baseline) with their position, plus images, links and
//! anchors. Reading it needs no PDF.

use super::frame::{Item, LinkTarget, PagedDoc};
use std::fmt::Write as _;

/// The text of one page, line by line (runs on one baseline joined, with a
/// space where the gap between them is wider than a fifth of the size).
pub fn page_lines(doc: &PagedDoc, page: usize) -> Vec<(f32, f32, String)> {
    let Some(page) = doc.pages.get(page) else {
        return Vec::new();
    };
    let faces: Vec<Option<ttf_parser::Face<'_>>> = doc
        .fonts
        .iter()
        .map(|f| ttf_parser::Face::parse(&f.bytes, f.index).ok())
        .collect();
    let advance = |font: usize, glyph: u16, size: f32| -> f32 {
        faces
            .get(font)
            .and_then(Option::as_ref)
            .map_or(size * 0.5, |f| {
                f32::from(f.glyph_hor_advance(ttf_parser::GlyphId(glyph)).unwrap_or(0)) * size
                    / f32::from(f.units_per_em())
            })
    };
    let mut runs: Vec<(f32, f32, f32, String, f32)> = page
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Glyphs(run) => {
                // Runs join words with a space their glyphs skip over.
                let mut text = String::new();
                let mut last_end = None;
                for g in run.glyphs.iter() {
                    if last_end.is_some_and(|e| {
                        g.text_start > e
                            && run
                                .text
                                .get(e as usize..g.text_start as usize)
                                .is_some_and(|gap| gap.contains(' '))
                    }) {
                        text.push(' ');
                    }
                    if let Some(t) = run.text.get(g.text_start as usize..g.text_end as usize) {
                        text.push_str(t);
                    }
                    if g.text_end > g.text_start {
                        last_end = Some(g.text_end);
                    }
                }
                let end = run.x
                    + run.glyphs.last().map_or(0.0, |g| {
                        g.x + advance(usize::from(run.font.0), g.id, run.size)
                    });
                Some((run.y, run.x, end, text, run.size))
            }
            _ => None,
        })
        .collect();
    runs.sort_by(|a, b| {
        (a.0.round() as i64, a.1)
            .partial_cmp(&(b.0.round() as i64, b.1))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut lines: Vec<(f32, f32, String)> = Vec::new();
    let mut last_end = 0.0;
    for (y, x, end, text, size) in runs {
        match lines.last_mut() {
            Some((ly, _, line)) if (*ly - y).abs() < size * 0.5 => {
                if x - last_end > size * 0.15 {
                    line.push(' ');
                }
                line.push_str(&text);
            }
            _ => lines.push((y, x, text)),
        }
        last_end = end;
    }
    lines
}

/// The whole document as text.
pub fn document(doc: &PagedDoc) -> String {
    let mut out = String::new();
    for (i, page) in doc.pages.iter().enumerate() {
        let _ = writeln!(out, "== page {} ({}×{})", i + 1, page.width, page.height);
        for (y, x, text) in page_lines(doc, i) {
            let _ = writeln!(out, "{y:7.2} {x:7.2} {text}");
        }
        for item in &page.items {
            match item {
                Item::Image { rect, alt, .. } => {
                    let _ = writeln!(
                        out,
                        "  image {:.1},{:.1} {:.1}×{:.1} {alt:?}",
                        rect.x, rect.y, rect.w, rect.h
                    );
                }
                Item::Link { rect, target } => {
                    let t = match target {
                        LinkTarget::Uri(u) => u.clone(),
                        LinkTarget::Named(n) => format!("#{n}"),
                    };
                    let _ = writeln!(
                        out,
                        "  link {:.1},{:.1} {:.1}×{:.1} → {t}",
                        rect.x, rect.y, rect.w, rect.h
                    );
                }
                Item::Anchor { name, y } => {
                    let _ = writeln!(out, "  anchor {name} @{y:.1}");
                }
                _ => {}
            }
        }
    }
    out
}
