//! Layout checks on the positioned pages of real books (no PDF needed): text
//! stays inside the text block, hyphens fall only at hyphenation points, the
//! table of contents agrees with where headings landed, running heads follow
//! the verso/recto rule, and print and screen profiles differ as specified.

mod common;

use folio::pdf::Profile;
use folio::pdf::layout::frame::{Item, LabelStyle, PagedDoc};

fn layout(book_dir: &str, profile: Profile) -> (PagedDoc, folio::ir::Book, Vec<String>) {
    let mut loaded = common::Loaded::new(&common::root().join(book_dir));
    let (cx, sink) = loaded.cx();
    let doc = folio::pdf::layout(&cx, profile, sink, None).expect("lays out");
    let messages = loaded.messages();
    (doc, loaded.book, messages)
}

/// Default style geometry (6×9 in): margins 0.75in top/bottom, 0.875 inside, 0.625 outside.
const TOP: f32 = 54.0;
const HEIGHT: f32 = 648.0 - 108.0;
const WIDTH: f32 = 432.0 - 63.0 - 45.0;

#[test]
fn no_glyph_outside_the_text_block() {
    for book in ["manuscript", "tests/fixtures/kitchen-sink"] {
        let (doc, _, _) = layout(book, Profile::Print);
        for (i, page) in doc.pages.iter().enumerate() {
            let left = if i % 2 == 0 { 63.0 } else { 45.0 };
            for item in &page.items {
                let Item::Glyphs(run) = item else { continue };
                let right = run.x + run.glyphs.last().map_or(0.0, |g| g.x);
                assert!(
                    run.x >= left - 0.01 && right <= left + WIDTH + 0.01,
                    "{book} page {}: run {:?} at x {}..{}",
                    i + 1,
                    run.text,
                    run.x,
                    right
                );
                // Running heads sit in the top margin; everything else in the block.
                if run.y >= TOP {
                    assert!(
                        run.y <= TOP + HEIGHT + 0.01,
                        "{book} page {}: {:?} below the text block at {}",
                        i + 1,
                        run.text,
                        run.y
                    );
                }
            }
        }
    }
}

#[test]
fn hyphens_fall_only_at_hyphenation_points() {
    let (doc, _, _) = layout("manuscript", Profile::Print);
    let hyphenator = folio::typography::hyphenate::Hyphenator::new("en", &[]).expect("hyphenator");
    let mut checked = 0;
    for page in &doc.pages {
        let runs: Vec<&folio::pdf::layout::frame::GlyphRun> = page
            .items
            .iter()
            .filter_map(|i| {
                if let Item::Glyphs(r) = i {
                    Some(r)
                } else {
                    None
                }
            })
            .collect();
        // An inserted hyphen is a run of its own whose text is "-", drawn right
        // after the word part it ends; the word goes on at the start of the
        // next line.
        for (i, pair) in runs.windows(2).enumerate() {
            let (part, hyphen) = (pair[0], pair[1]);
            if &*hyphen.text != "-" || (part.y - hyphen.y).abs() > 0.01 {
                continue;
            }
            let before = part.text.rsplit(' ').next().unwrap_or("");
            let Some(next) = runs[i + 2..]
                .iter()
                .filter(|r| r.y > hyphen.y + 1.0)
                .min_by(|a, b| {
                    (a.y, a.x)
                        .partial_cmp(&(b.y, b.x))
                        .unwrap_or(std::cmp::Ordering::Equal)
                })
            else {
                continue;
            };
            let after = next.text.split(' ').next().unwrap_or("");
            let word = format!("{before}{after}");
            let core = word.trim_matches(|c: char| !c.is_alphanumeric());
            let lead = word.find(core).unwrap_or(0);
            assert!(
                hyphenator.points(&word).contains(&before.len())
                    || hyphenator.points(core).contains(&(before.len() - lead)),
                "`{before}-{after}` is not a hyphenation point"
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "the sample book hyphenates some words");
}

#[test]
fn contents_page_numbers_match_where_headings_are() {
    let (doc, _, _) = layout("tests/fixtures/kitchen-sink", Profile::Print);
    let label = |page: usize| folio::pdf::layout::label_of(&doc.page_labels, page);
    // Where each destination is.
    let mut anchors = std::collections::HashMap::new();
    for (i, page) in doc.pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Anchor { name, .. } = item {
                anchors.entry(name.clone()).or_insert(i);
            }
        }
    }
    let toc_page = anchors["toc"];
    let lines = folio::pdf::layout::dump::page_lines(&doc, toc_page);
    let links: Vec<(f32, String)> = doc.pages[toc_page]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Link {
                rect,
                target: folio::pdf::layout::frame::LinkTarget::Named(n),
            } => Some((rect.y + rect.h, n.clone())),
            _ => None,
        })
        .collect();
    assert!(links.len() >= 8, "every entry is a link: {links:?}");
    for (bottom, dest) in links {
        let page = anchors[&dest];
        // The entry's printed number is the last word on its last line.
        let (_, _, text) = lines
            .iter()
            .rfind(|(y, _, _)| *y <= bottom)
            .expect("entry line");
        let printed = text.rsplit(' ').next().unwrap_or("");
        assert_eq!(
            printed,
            label(page),
            "entry for {dest}: printed {printed}, heading on page labelled {}",
            label(page)
        );
    }
}

#[test]
fn page_labels_switch_from_roman_to_arabic_at_the_first_chapter() {
    let (doc, book, _) = layout("tests/fixtures/kitchen-sink", Profile::Print);
    assert_eq!(doc.page_labels[0].style, LabelStyle::LowerRoman);
    let arabic = doc
        .page_labels
        .iter()
        .find(|r| r.style == LabelStyle::Decimal)
        .expect("arabic range");
    assert_eq!(arabic.first, 1);
    // The first body chapter (a part divider here) opens the arabic range.
    let first_body = book
        .chapters
        .iter()
        .find(|c| c.role.matter() == folio::ir::Matter::Body)
        .expect("body");
    let dest = format!("chapter:{}", first_body.id);
    let page = doc
        .pages
        .iter()
        .position(|p| {
            p.items
                .iter()
                .any(|i| matches!(i, Item::Anchor { name, .. } if *name == dest))
        })
        .expect("found");
    assert_eq!(arabic.start, page);
    assert_eq!(page % 2, 0, "print chapters open on a recto");
}

#[test]
fn running_heads_follow_verso_and_recto() {
    let (doc, book, _) = layout("manuscript", Profile::Print);
    let heads: Vec<(usize, String)> = (0..doc.pages.len())
        .filter_map(|i| {
            folio::pdf::layout::dump::page_lines(&doc, i)
                .into_iter()
                .find(|(y, _, _)| *y < TOP)
                .map(|(_, _, t)| (i, t))
        })
        .collect();
    assert!(heads.len() > 3, "{heads:?}");
    for (i, head) in heads {
        if i % 2 == 1 {
            assert!(
                head.replace(' ', "")
                    .contains(&book.meta.title.replace(' ', "")),
                "verso {} shows the book title: {head}",
                i + 1
            );
        } else {
            assert!(
                head.contains("Introduction"),
                "recto {} shows the chapter title: {head}",
                i + 1
            );
        }
    }
    // No head on the chapter's opening page.
    let opening = doc
        .pages
        .iter()
        .position(|p| {
            p.items
                .iter()
                .any(|i| matches!(i, Item::Anchor { name, .. } if name.starts_with("chapter:")))
        })
        .expect("opening");
    assert!(
        folio::pdf::layout::dump::page_lines(&doc, opening)
            .iter()
            .all(|(y, _, _)| *y >= TOP)
    );
}

#[test]
fn print_and_screen_profiles_differ_as_specified() {
    let (print, _, _) = layout("tests/fixtures/kitchen-sink", Profile::Print);
    let (screen, _, _) = layout("tests/fixtures/kitchen-sink", Profile::Screen);
    let blank = |d: &PagedDoc| d.pages.iter().filter(|p| p.items.is_empty()).count();
    assert!(blank(&print) > 0, "print inserts blank versos");
    assert_eq!(blank(&screen), 0, "screen has no blank pages");
    // The screen edition starts with the cover, as large as the page allows
    // and undistorted (the kitchen sink’s cover is 1600 × 2560, taller than the page).
    let cover = screen.pages[0]
        .items
        .iter()
        .find_map(|i| match i {
            Item::Image { rect, .. } => Some(rect),
            _ => None,
        })
        .expect("a cover image on the first screen page");
    assert!(
        (cover.w - 432.0).abs() < 0.01 || (cover.h - 648.0).abs() < 0.01,
        "touches two edges: {cover:?}"
    );
    assert!(
        cover.w <= 432.01 && cover.h <= 648.01,
        "inside the page: {cover:?}"
    );
    assert!(
        !print.pages[0]
            .items
            .iter()
            .any(|i| matches!(i, Item::Image { .. })),
        "no cover in print"
    );
    // Screen links are coloured; print keeps the text colour.
    let coloured = |d: &PagedDoc| {
        d.pages.iter().flat_map(|p| &p.items).any(|i| matches!(i, Item::Glyphs(r) if r.color != folio::pdf::layout::frame::Rgb::BLACK && r.size > 10.0 && r.text.chars().any(char::is_alphabetic)))
    };
    assert!(coloured(&screen));
    assert!(!coloured(&print));
}

#[test]
fn outline_mirrors_the_headings() {
    let (doc, _, _) = layout("tests/fixtures/kitchen-sink", Profile::Print);
    let titles = |items: &[folio::pdf::layout::frame::OutlineItem]| -> Vec<String> {
        items.iter().map(|o| o.title.clone()).collect()
    };
    // The top level is SUMMARY.md's: prefix chapters, parts, suffix chapters.
    assert_eq!(
        titles(&doc.outline),
        [
            "Dedication",
            "Preface",
            "Part One: Foundations",
            "Part Two: Reference",
            "Glossary",
            "About the Authors"
        ]
    );
    // Chapters sit in their part; a section (nested in SUMMARY.md) in its
    // chapter, after the chapter's own headings.
    let part = &doc.outline[2];
    assert_eq!(
        titles(&part.children),
        ["1. Getting Started", "2. Writing Code"]
    );
    let getting_started = &part.children[0];
    assert_eq!(
        titles(&getting_started.children),
        ["The First Step", "Going Further", "Installing the Tools"]
    );
    assert_eq!(
        titles(&getting_started.children[2].children),
        ["Prerequisites"],
        "a section's headings sit under it"
    );
}

#[test]
fn missing_glyphs_are_reported_not_dropped() {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::write(
        dir.path().join("book.toml"),
        "[book]\ntitle = \"G\"\nlanguage = \"en\"\n",
    )
    .expect("toml");
    std::fs::write(
        dir.path().join("01.md"),
        "# One\n\nArrows → ← and 📝 are drawn; \u{E000} is not.\n",
    )
    .expect("md");
    let (_, messages) = layout_dir(dir.path());
    let missing: Vec<&String> = messages
        .iter()
        .filter(|m| m.contains("no font has"))
        .collect();
    assert_eq!(missing.len(), 1, "{messages:?}");
    assert!(
        missing[0].starts_with("01.md:3:1: warning: no font has the character `\u{E000}` (U+E000)"),
        "{}",
        missing[0]
    );
}

/// Lays out the book in `dir` (print profile); returns the pages and the
/// rendered diagnostics.
fn layout_dir(dir: &std::path::Path) -> (PagedDoc, Vec<String>) {
    let mut loaded = common::Loaded::new(dir);
    let (cx, sink) = loaded.cx();
    let doc = folio::pdf::layout(&cx, Profile::Print, sink, None).expect("lays out");
    (doc, loaded.messages())
}

/// Lays out a temporary book with the sample's chapter and a print style.
fn layout_with_style(style: &str) -> (PagedDoc, Vec<String>) {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::write(dir.path().join("book.toml"), "[book]\ntitle = \"Styled\"\nauthors = [\"A. Writer\"]\nlanguage = \"en\"\n\n[pdf]\nstyle = \"print.toml\"\n").expect("toml");
    std::fs::write(dir.path().join("print.toml"), style).expect("style");
    std::fs::copy(
        common::root().join("manuscript/01-introduction.md"),
        dir.path().join("01.md"),
    )
    .expect("chapter");
    layout_dir(dir.path())
}

#[test]
fn running_heads_are_configurable() {
    let (doc, _) = layout_with_style("[running-heads]\nverso = \"author\"\nrecto = \"section\"\n");
    let heads: Vec<(usize, String)> = (0..doc.pages.len())
        .filter_map(|i| {
            folio::pdf::layout::dump::page_lines(&doc, i)
                .into_iter()
                .find(|(y, _, _)| *y < TOP)
                .map(|(_, _, t)| (i, t))
        })
        .collect();
    assert!(
        heads
            .iter()
            .any(|(i, h)| i % 2 == 1 && h.contains("A. Writer")),
        "{heads:?}"
    );
    // Rectos show the section in effect, not the chapter title.
    assert!(
        heads
            .iter()
            .any(|(i, h)| i % 2 == 0 && h.contains("Why The Perfect Stack")),
        "{heads:?}"
    );
    assert!(
        heads
            .iter()
            .all(|(i, h)| i % 2 == 1 || !h.contains("Introduction")),
        "{heads:?}"
    );
}

#[test]
fn a_narrow_gutter_is_flagged_for_print() {
    let (_, messages) =
        layout_with_style("[page]\nmargin-inside = \"0.25in\"\nmargin-outside = \"1in\"\n");
    assert!(
        messages
            .iter()
            .any(|m| m.contains("below the 0.375 in gutter KDP requires")),
        "{messages:?}"
    );
    let (_, messages) = layout_with_style("");
    assert!(
        !messages.iter().any(|m| m.contains("gutter")),
        "{messages:?}"
    );
}

/// Lays out a one-chapter book written in a temporary folder; returns the
/// pages and the rendered diagnostics.
fn layout_markdown(markdown: &str) -> (PagedDoc, Vec<String>) {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::write(
        dir.path().join("book.toml"),
        "[book]\ntitle = \"T\"\nlanguage = \"en\"\nidentifier = \"urn:uuid:0e6c1bb4-9a63-4c8e-8f0c-1d2b3c4d5e6f\"\n",
    )
    .expect("toml");
    std::fs::write(dir.path().join("01.md"), markdown).expect("md");
    layout_dir(dir.path())
}

#[test]
fn wide_tables_hyphenate_their_words_and_keep_numbers_whole() {
    // Five columns whose longest words do not fit side by side in the text
    // block, but do once the words are hyphenated; the last column holds
    // numbers, which cannot be broken.
    let row = "| characteristically | synchronization | internationalization | responsibilities | 2676.52 |\n";
    let table = format!(
        "# T\n\n| Characteristic | Synchronization | Internationalization | Responsibility | Amount |\n|---|:---:|---|---|---:|\n{}",
        row.repeat(6)
    );
    let (doc, messages) = layout_markdown(&table);
    assert!(
        !messages.iter().any(|m| m.contains("wider than")),
        "{messages:#?}"
    );
    let text: String = doc
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Glyphs(run) => Some(run.text.to_string() + " "),
            _ => None,
        })
        .collect();
    assert!(text.contains("2676.52"), "numbers are set whole: {text}");
    assert!(text.contains('-'), "long words are hyphenated: {text}");
}

#[test]
fn a_table_that_cannot_fit_is_one_warning_not_one_per_cell() {
    // Unbreakable code words in seven columns: no width makes them fit.
    let cell = "`a_very_long_identifier_name`";
    let row = format!("|{}\n", format!(" {cell} |").repeat(7));
    let table = format!(
        "# T\n\n|{}\n|{}\n{}",
        " h |".repeat(7),
        "---|".repeat(7),
        row.repeat(5)
    );
    let (_, messages) = layout_markdown(&table);
    let about_table: Vec<&String> = messages.iter().filter(|m| m.contains("table")).collect();
    assert_eq!(about_table.len(), 1, "{messages:#?}");
    assert!(
        about_table[0].starts_with("01.md:3:1: warning: ")
            && about_table[0].contains("wider than their columns"),
        "{}",
        about_table[0]
    );
    assert!(
        !messages
            .iter()
            .any(|m| m.contains("of this paragraph is wider")),
        "{messages:#?}"
    );
}
