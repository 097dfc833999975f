//! Pagination rules on synthetic flows: fill, widows and orphans, headings kept
//! with text, floats, footnotes, recto starts, repeated table headers.

use super::flow::{Flow, Mark, VBox};
use super::frame::{Item, Rgb};
use super::paginate::{PageBody, PageSpec, paginate};
use std::sync::Arc;

fn spec(height: f32) -> PageSpec {
    PageSpec {
        height,
        width: 300.0,
        note_gap: 10.0,
        rule_color: Rgb::BLACK,
        recto_starts: true,
    }
}

/// A line box that records its name as an anchor, so pages can be read back.
fn line(name: &str, height: f32) -> VBox {
    VBox {
        height,
        items: vec![Item::Anchor {
            name: name.to_owned(),
            y: 0.0,
        }],
        ..VBox::default()
    }
}

fn names(page: &PageBody) -> Vec<String> {
    page.items()
        .iter()
        .filter_map(|i| match i {
            Item::Anchor { name, .. } => Some(name.clone()),
            _ => None,
        })
        .collect()
}

fn paragraph(prefix: &str, lines: usize) -> Vec<Flow> {
    let mut flow = Vec::new();
    for i in 0..lines {
        if i == 1 || (i == lines - 1 && lines > 2) {
            flow.push(Flow::Keep); // no orphan after line 1, no widow before the last
        }
        flow.push(Flow::boxed(line(&format!("{prefix}{i}"), 10.0)));
    }
    flow
}

#[test]
fn fills_pages_and_never_exceeds_the_text_block() {
    let flow: Vec<Flow> = (0..100)
        .map(|i| Flow::boxed(line(&i.to_string(), 10.0)))
        .collect();
    let pages = paginate(&[flow], &[], &spec(95.0));
    assert_eq!(pages.len(), 12);
    assert!(pages.iter().all(|p| names(p).len() <= 9));
    assert_eq!(pages.iter().map(|p| names(p).len()).sum::<usize>(), 100);
    for page in &pages {
        for item in &page.items() {
            if let Item::Anchor { y, .. } = item {
                assert!(*y + 10.0 <= 95.0 + 0.01);
            }
        }
    }
}

#[test]
fn no_widow_at_the_top_of_a_page() {
    // 8 lines fill the page; a 3-line paragraph would leave its last line alone.
    let mut flow: Vec<Flow> = (0..7)
        .map(|i| Flow::boxed(line(&format!("a{i}"), 10.0)))
        .collect();
    flow.extend(paragraph("p", 3));
    let pages = paginate(&[flow], &[], &spec(80.0));
    // Lines p0 and p1 fit on page 1 but p2 would be a widow: p1 moves with it;
    // p0 would then be an orphan, so the whole paragraph moves.
    assert_eq!(names(&pages[0]), ["a0", "a1", "a2", "a3", "a4", "a5", "a6"]);
    assert_eq!(names(&pages[1]), ["p0", "p1", "p2"]);
}

#[test]
fn no_orphan_at_the_bottom_of_a_page() {
    let mut flow: Vec<Flow> = (0..7)
        .map(|i| Flow::boxed(line(&format!("a{i}"), 10.0)))
        .collect();
    flow.extend(paragraph("p", 6));
    let pages = paginate(&[flow], &[], &spec(80.0));
    // Only p0 fits after a6: it would be an orphan, so it moves.
    assert_eq!(names(&pages[0]).last().map(String::as_str), Some("a6"));
    assert_eq!(names(&pages[1]), ["p0", "p1", "p2", "p3", "p4", "p5"]);
}

#[test]
fn a_heading_is_never_last_on_a_page() {
    let mut flow: Vec<Flow> = (0..7)
        .map(|i| Flow::boxed(line(&format!("a{i}"), 10.0)))
        .collect();
    flow.push(Flow::boxed(line("heading", 10.0)));
    flow.push(Flow::Keep);
    flow.extend(paragraph("p", 4));
    let pages = paginate(&[flow], &[], &spec(80.0));
    assert_eq!(names(&pages[0]).last().map(String::as_str), Some("a6"));
    assert_eq!(names(&pages[1])[0], "heading");
}

#[test]
fn a_keep_holds_across_the_space_before_a_list_or_listing() {
    // Heading, its space, a kept marker, then the space a list or a code
    // block opens with: the heading still goes with what follows.
    let mut flow: Vec<Flow> = (0..6)
        .map(|i| Flow::boxed(line(&format!("a{i}"), 10.0)))
        .collect();
    flow.push(Flow::boxed(line("heading", 10.0)));
    flow.push(Flow::Space(5.0));
    flow.push(Flow::Keep);
    flow.push(Flow::Space(5.0));
    flow.push(Flow::boxed(line("item", 10.0)));
    let pages = paginate(&[flow], &[], &spec(80.0));
    assert_eq!(names(&pages[0]).last().map(String::as_str), Some("a5"));
    assert_eq!(names(&pages[1]), ["heading", "item"]);
}

#[test]
fn an_anchor_between_a_heading_and_its_text_keeps_them_together() {
    // `# Title`, then `<a id="x"></a>`, then a subheading and its text.
    let mut flow: Vec<Flow> = (0..5)
        .map(|i| Flow::boxed(line(&format!("a{i}"), 10.0)))
        .collect();
    flow.push(Flow::boxed(line("title", 10.0)));
    flow.push(Flow::Space(5.0));
    flow.push(Flow::Keep);
    flow.push(Flow::boxed(line("anchor", 0.0)));
    flow.push(Flow::Space(5.0));
    flow.push(Flow::boxed(line("subheading", 10.0)));
    flow.push(Flow::Keep);
    flow.extend(paragraph("p", 3));
    let pages = paginate(&[flow], &[], &spec(80.0));
    assert_eq!(names(&pages[0]).last().map(String::as_str), Some("a4"));
    assert_eq!(names(&pages[1])[..3], ["title", "anchor", "subheading"]);
}

#[test]
fn a_figure_that_does_not_fit_waits_while_text_flows_past() {
    let mut flow: Vec<Flow> = (0..5)
        .map(|i| Flow::boxed(line(&format!("a{i}"), 10.0)))
        .collect();
    flow.push(Flow::boxed(VBox {
        float: true,
        ..line("figure", 50.0)
    }));
    flow.extend((0..3).map(|i| Flow::boxed(line(&format!("b{i}"), 10.0))));
    let pages = paginate(&[flow], &[], &spec(80.0));
    assert_eq!(
        names(&pages[0]),
        ["a0", "a1", "a2", "a3", "a4", "b0", "b1", "b2"]
    );
    assert_eq!(names(&pages[1]), ["figure"]);
}

#[test]
fn footnotes_sit_on_the_page_of_their_reference() {
    let notes = vec![vec![
        Arc::new(line("note0-line0", 8.0)),
        Arc::new(line("note0-line1", 8.0)),
    ]];
    let mut flow: Vec<Flow> = (0..6)
        .map(|i| Flow::boxed(line(&format!("a{i}"), 10.0)))
        .collect();
    flow.push(Flow::boxed(VBox {
        notes: vec![0],
        ..line("ref", 10.0)
    }));
    flow.extend((0..4).map(|i| Flow::boxed(line(&format!("b{i}"), 10.0))));
    let pages = paginate(&[flow], &notes, &spec(100.0));
    let first = names(&pages[0]);
    assert!(
        first.contains(&"ref".to_owned())
            && first.contains(&"note0-line0".to_owned())
            && first.contains(&"note0-line1".to_owned()),
        "{first:?}"
    );
    // 7 lines (70) + notes (16) + gap (10) = 96: b0 no longer fits.
    assert_eq!(names(&pages[1])[0], "b0");
    // The notes are at the bottom: the last note line ends at the text block's foot.
    let items = pages[0].items();
    let last_y = items.iter().filter_map(|i| match i {
        Item::Anchor { name, y } if name == "note0-line1" => Some(*y),
        _ => None,
    });
    assert_eq!(last_y.collect::<Vec<_>>(), [92.0]);
}

#[test]
fn chapters_open_on_a_recto_with_a_blank_verso_when_needed() {
    let ch1 = vec![
        Flow::PageBreak { recto: true },
        Flow::boxed(line("one", 10.0)),
    ];
    let ch2 = vec![
        Flow::PageBreak { recto: true },
        Flow::boxed(line("two", 10.0)),
    ];
    let pages = paginate(&[ch1.clone(), ch2.clone()], &[], &spec(80.0));
    assert_eq!(pages.len(), 3);
    assert!(pages[0].opening && pages[1].blank && pages[2].opening);
    let screen = PageSpec {
        recto_starts: false,
        ..spec(80.0)
    };
    assert_eq!(paginate(&[ch1, ch2], &[], &screen).len(), 2);
}

#[test]
fn a_table_continued_on_a_new_page_repeats_its_header() {
    let header = Arc::new(line("header", 10.0));
    let mut flow = vec![Flow::Box(header.clone()), Flow::Keep];
    flow.extend((0..12).map(|i| {
        Flow::boxed(VBox {
            header: Some(header.clone()),
            ..line(&format!("row{i}"), 10.0)
        })
    }));
    let pages = paginate(&[flow], &[], &spec(80.0));
    assert_eq!(names(&pages[0])[0], "header");
    assert_eq!(
        names(&pages[1])[..2],
        ["header".to_owned(), "row7".to_owned()]
    );
}

#[test]
fn marks_record_where_headings_landed() {
    let flow = vec![
        Flow::boxed(line("x", 30.0)),
        Flow::boxed(VBox {
            marks: vec![Mark {
                level: 1,
                dest: "h".into(),
                title: "H".into(),
                y: 2.0,
            }],
            ..line("h", 10.0)
        }),
    ];
    let pages = paginate(&[flow], &[], &spec(80.0));
    assert_eq!(pages[0].marks[0].y, 32.0);
}

#[test]
fn a_note_too_long_for_its_page_continues_on_the_next() {
    let note: Vec<Arc<VBox>> = (0..12)
        .map(|i| Arc::new(line(&format!("n{i}"), 8.0)))
        .collect();
    let flow = vec![
        Flow::boxed(VBox {
            notes: vec![0],
            ..line("ref", 10.0)
        }),
        Flow::boxed(line("after", 10.0)),
    ];
    let pages = paginate(&[flow], &[note], &spec(100.0));
    let first = names(&pages[0]);
    // 100 - 10 (line) - 10 (gap) leaves room for 10 note lines.
    assert_eq!(
        first.iter().filter(|n| n.starts_with('n')).count(),
        10,
        "{first:?}"
    );
    let second = names(&pages[1]);
    assert!(
        second.contains(&"n10".to_owned()) && second.contains(&"n11".to_owned()),
        "{second:?}"
    );
    assert!(second.contains(&"after".to_owned()));
    for page in &pages {
        for item in &page.items() {
            if let Item::Anchor { y, .. } = item {
                assert!(*y <= 100.0, "inside the text block");
            }
        }
    }
}

/// Found by fuzzing (fuzz/seeds/pdf/header-only-pages): when a repeated table
/// header and one row fill a page and the next row is kept with that row,
/// sending the row on would leave a page holding only the header, again and
/// again: pagination never ended and memory ran out. The kept row now breaks
/// away from the chain instead.
#[test]
fn a_repeated_table_header_alone_never_makes_a_page() {
    let header = Arc::new(line("header", 10.0));
    let row = |name: &str| VBox {
        header: Some(header.clone()),
        ..line(name, 40.0)
    };
    let flow = vec![
        Flow::Box(header.clone()),
        Flow::Keep,
        Flow::boxed(row("r1")),
        Flow::boxed(row("r2")),
        Flow::Keep,
        Flow::boxed(row("r3")),
    ];
    let pages = paginate(&[flow], &[], &spec(85.0));
    let all: Vec<Vec<String>> = pages.iter().map(names).collect();
    assert_eq!(
        all,
        [
            vec!["header", "r1"],
            vec!["header", "r2"],
            vec!["header", "r3"]
        ]
    );
}
