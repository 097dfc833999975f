//! The typographic rules of issue 13 on positioned pages, one test per rule,
//! read with the same statistics `TYPOGRAPHY.md` reports for the corpus
//! books (`folio::pdf::layout::stats`). The fixture book
//! (`tests/fixtures/typography`) puts each listing and table at every
//! height of a page, so each rule meets the page foot.

mod common;

use folio::pdf::Profile;
use folio::pdf::layout::frame::{Item, PagedDoc};
use folio::pdf::layout::stats::{self, NextKind, Stats};
use folio::pdf::style::PrintStyle;
use std::sync::OnceLock;

/// The fixture laid out once for every test here, with its statistics.
fn fixture() -> &'static (PagedDoc, Stats) {
    static DOC: OnceLock<(PagedDoc, Stats)> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut loaded = common::Loaded::new(&common::fixture("typography"));
        let (cx, sink) = loaded.cx();
        let doc = folio::pdf::layout(&cx, Profile::Print, sink, None).expect("lays out");
        let stats = stats::measure(&doc, &PrintStyle::default());
        (doc, stats)
    })
}

/// Every piece of text of a page, in painting order.
fn page_text(doc: &PagedDoc, page: usize) -> Vec<String> {
    doc.pages[page]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Glyphs(run) => Some(run.text.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn listings_of_eight_lines_never_break_and_longer_ones_keep_three_a_side() {
    let (doc, s) = fixture();
    assert_eq!(s.short_listing_breaks, 0, "{}", s.report("fixture"));
    assert_eq!(s.short_side_breaks, 0, "{}", s.report("fixture"));
    // The fixture does put listings across page feet: some break (the 9-
    // and 30-line ones), some move whole to the next page (the 8-line ones,
    // or a 9-line one that could not leave 3 lines behind).
    assert!(s.listing_breaks >= 5, "{}", s.report("fixture"));
    assert!(
        s.short_pages
            .iter()
            .any(|p| matches!(p.next, NextKind::Listing | NextKind::IntroducedListing)),
        "{}",
        s.report("fixture")
    );
    // Each part that goes on on a new page opens with the cue.
    let cues = (0..doc.pages.len())
        .filter(|&p| page_text(doc, p).iter().any(|t| t == "(continued)"))
        .count();
    assert_eq!(cues, s.listing_breaks, "{}", s.report("fixture"));
}

#[test]
fn filename_caption_and_introducing_lines_stay_with_their_listing() {
    let (_, s) = fixture();
    assert_eq!(
        (
            s.stranded_labels,
            s.stranded_intros,
            s.stranded_captions,
            s.stranded_headings
        ),
        (0, 0, 0, 0),
        "{}",
        s.report("fixture")
    );
}

#[test]
fn no_hyphen_beside_an_apostrophe() {
    let (_, s) = fixture();
    assert_eq!(s.apostrophe_breaks, 0, "{}", s.report("fixture"));
    assert!(s.hyphenated_lines > 0, "{}", s.report("fixture"));
    assert!(s.longest_hyphen_run <= 2, "{}", s.report("fixture"));
}

#[test]
fn inline_code_keeps_its_own_spaces_at_the_text_x_height() {
    let (_, s) = fixture();
    let (spaces, ..) = s.code_spaces;
    assert!(spaces > 20, "{}", s.report("fixture"));
    assert_eq!(s.code_spaces_at_natural, spaces, "{}", s.report("fixture"));
    // EB Garamond's x-height is 0.40 em, JetBrains Mono's 0.55: 11 pt text
    // takes 8 pt code.
    assert!(
        (s.inline_code_size - 8.0).abs() < 0.05,
        "{}",
        s.report("fixture")
    );
    assert!(s.justified_lines > 10, "{}", s.report("fixture"));
}

#[test]
fn a_table_starts_with_its_header_and_two_rows_or_on_the_next_page() {
    let (doc, s) = fixture();
    let mut headers = 0;
    for (p, page) in doc.pages.iter().enumerate() {
        // Table rules: 0.8 pt above the header and under the last row,
        // 0.6 pt under the header, 0.25 pt under every other row.
        let mut rules: Vec<(f32, f32)> = page
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Line { y0, y1, width, .. }
                    if (y0 - y1).abs() < 0.01 && [0.8, 0.6, 0.25].contains(width) =>
                {
                    Some((*y0, *width))
                }
                _ => None,
            })
            .collect();
        // The last row has both its own rule and the closing one: one row.
        rules.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.total_cmp(&a.1)));
        rules.dedup_by(|b, a| (a.0 - b.0).abs() < 0.01);
        for (k, &(_, width)) in rules.iter().enumerate() {
            if width == 0.6 {
                headers += 1;
                // Rows end at the next header's top rule (0.8 then 0.6).
                let rest = &rules[k + 1..];
                let rows = rest
                    .iter()
                    .enumerate()
                    .take_while(|(_, (_, w))| *w != 0.6)
                    .filter(|(j, (_, w))| {
                        !(*w == 0.8 && rest.get(j + 1).is_some_and(|r| r.1 == 0.6))
                    })
                    .count();
                assert!(rows >= 2, "page {}: a header with {rows} row(s)", p + 1);
            }
        }
    }
    // Ten tables, some of them continued with their header repeated.
    assert!(headers > 10, "{headers} headers");
    assert!(
        !s.short_pages.iter().any(|p| p.table_fitted),
        "{}",
        s.report("fixture")
    );
}
