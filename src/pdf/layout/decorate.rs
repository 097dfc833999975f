//! Page decoration: a filled text block becomes a page — placed between
//! the margins of its side (mirrored in print), with its running head (the
//! book or chapter title, the author or the section in effect) and its folio
//! at the outer edge — and the page labels (roman numbers for the front
//! matter, arabic from the first body page) that folios, the contents and
//! page references print.

use super::book::{BookInput, Geometry, Part, text_inlines};
use super::cx::{Cx, Role, rgb};
use super::frame::{ArtifactKind, Item, LabelStyle, Page, PageLabelRange};
use super::inline::{self, Align, Links, ParaStyle};
use super::paginate::PageBody;
use super::tagging;
use crate::diag::Span;
use crate::ir::{self, Book, Matter};
use crate::pdf::Profile;
use crate::pdf::style::HeadContent;

/// Roman numbers for the front matter from the first page, arabic from the
/// first body page.
pub(super) fn label_ranges(bodies: &[PageBody], parts: &[Part]) -> Vec<PageLabelRange> {
    let mut ranges = vec![PageLabelRange {
        start: 0,
        style: LabelStyle::LowerRoman,
        first: 1,
    }];
    if let Some(first_body) = bodies.iter().position(|b| {
        parts
            .get(b.chapter)
            .is_some_and(|p| p.matter != Matter::Front)
    }) {
        if first_body == 0 {
            ranges.clear();
        }
        ranges.push(PageLabelRange {
            start: first_body,
            style: LabelStyle::Decimal,
            first: 1,
        });
    }
    ranges
}

/// The printed label of page `index`.
pub fn label_of(ranges: &[PageLabelRange], index: usize) -> String {
    let Some(range) = ranges.iter().rev().find(|r| r.start <= index) else {
        return (index + 1).to_string();
    };
    let n = range.first as usize + index - range.start;
    match range.style {
        LabelStyle::Decimal => n.to_string(),
        LabelStyle::LowerRoman => roman(n),
        LabelStyle::None => String::new(),
    }
}

/// Lower-case roman numerals.
pub fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// A page: the filled text block moved into the margins of its side, with
/// the running head and the folio unless it opens a chapter, is blank, or
/// belongs to a flow without heads (title pages).
#[expect(
    clippy::too_many_arguments,
    reason = "page decoration reads the whole book's context"
)]
pub(super) fn decorate(
    cx: &mut Cx<'_>,
    links: &mut dyn Links,
    body: PageBody,
    index: usize,
    label: &str,
    section: Option<&str>,
    parts: &[Part],
    book: &Book,
    input: &BookInput<'_>,
    g: Geometry,
    memo: &mut HeadMemo,
) -> Page {
    let recto = index % 2 == 0;
    let left = match input.profile {
        Profile::Print if recto => g.inside,
        Profile::Print => g.outside,
        Profile::Screen => (g.inside + g.outside) / 2.0,
    };
    let mut page = Page {
        width: g.page_width,
        height: g.page_height,
        bleed: if input.profile == Profile::Print {
            g.bleed
        } else {
            0.0
        },
        // The body's items and a few for the running head and the folio.
        items: Vec::with_capacity(body.item_count() + 16),
    };
    let (chapter, blank, opening) = (body.chapter, body.blank, body.opening);
    body.into_items(|mut item, y| {
        item.translate(left, g.top + y);
        page.items.push(item);
    });
    let part = parts.get(chapter);
    if blank || opening || part.is_none_or(|p| p.head.is_none() && !p.toc) {
        return page;
    }
    // Running head (by default the book title on versos, the chapter title
    // on rectos) and the folio at the outer edge.
    let heads = &cx.style.running_heads;
    let size = heads.size;
    let style = ParaStyle {
        role: Role::Body,
        size,
        leading: size * 1.2,
        bold: false,
        italic: true,
        color: rgb(cx.style.text.color),
        align: Align::Center,
        hyphenate: false,
        indent: 0.0,
    };
    let content = if recto || input.profile == Profile::Screen {
        heads.recto
    } else {
        heads.verso
    };
    let chapter_title = part.and_then(|p| p.head.clone()).unwrap_or_default();
    let head_text = match content {
        HeadContent::Title => text_inlines(&book.meta.title),
        HeadContent::Author => text_inlines(&book.meta.authors.join(", ")),
        HeadContent::Chapter => chapter_title,
        HeadContent::Section => section.map(text_inlines).unwrap_or(chapter_title),
        HeadContent::None => Vec::new(),
    };
    let baseline_top = g.top - cx.style.text.leading * 2.2;
    let head_width = g.width - size * 8.0;
    if !ir::plain_text(&head_text).is_empty() {
        // Cut to one line; the heading or title it repeats warns at its place.
        let set = |cx: &mut Cx<'_>, links: &mut dyn Links| {
            super::book::quietly(cx, |cx| {
                inline::paragraph(
                    cx,
                    links,
                    &head_text,
                    head_width,
                    &style,
                    Span::file(crate::source::SourceId(0)),
                )
            })
            .into_iter()
            .next()
            .map(|line| line.vbox.items)
        };
        // The same head on hundreds of pages (the book's title on every
        // verso) is set once, unless setting it leaves a trace (a link's
        // structure element, a page reference).
        let line = if inert(&head_text) {
            let key = HeadKey {
                text: format!("{head_text:?}"),
                lang: cx.lang,
                rtl: cx.rtl,
            };
            memo.get(cx, links, key, set)
        } else {
            set(cx, links)
        };
        if let Some(items) = line {
            let mut head: Vec<Item> = items
                .into_iter()
                .map(|it| it.moved(left + size * 4.0, baseline_top))
                .collect();
            tagging::artifact(&mut head, ArtifactKind::Pagination);
            page.items.extend(head);
        }
    }
    let folio_style = ParaStyle {
        italic: false,
        align: if recto { Align::Right } else { Align::Left },
        ..style
    };
    if let Some(line) = inline::plain(
        cx,
        links,
        label,
        size * 4.0,
        &folio_style,
        Span::file(crate::source::SourceId(0)),
    )
    .into_iter()
    .next()
    .map(|line| line.vbox.items)
    {
        let x = if recto {
            left + g.width - size * 4.0
        } else {
            left
        };
        let mut folio: Vec<Item> = line
            .into_iter()
            .map(|it| it.moved(x, baseline_top))
            .collect();
        tagging::artifact(&mut folio, ArtifactKind::Pagination);
        page.items.extend(folio);
    }
    page
}

/// Running heads set so far in this layout, by what setting one reads.
#[derive(Default)]
pub(super) struct HeadMemo {
    set: std::collections::HashMap<HeadKey, Option<Vec<Item>>>,
}

/// What a running head's line depends on besides the style and the text
/// width, which one layout keeps.
#[derive(PartialEq, Eq, Hash)]
struct HeadKey {
    /// The head's inlines, written out.
    text: String,
    /// The language and direction in effect.
    lang: super::lang::LangId,
    rtl: bool,
}

impl HeadMemo {
    /// The line `key` names: set by `set` the first time, copied after.
    fn get(
        &mut self,
        cx: &mut Cx<'_>,
        links: &mut dyn Links,
        key: HeadKey,
        set: impl FnOnce(&mut Cx<'_>, &mut dyn Links) -> Option<Vec<Item>>,
    ) -> Option<Vec<Item>> {
        if let Some(done) = self.set.get(&key) {
            return done.clone();
        }
        let line = set(cx, links);
        self.set.insert(key, line.clone());
        line
    }
}

/// Whether setting `inlines` only makes items: no link or figure structure
/// element, no destination looked up, no note or image registered.
fn inert(inlines: &[ir::Inline]) -> bool {
    let mut inert = true;
    ir::walk::inlines(inlines, &mut |i| {
        inert &= !matches!(
            i.kind,
            ir::InlineKind::Link { .. }
                | ir::InlineKind::Image(_)
                | ir::InlineKind::NoteRef { .. }
                | ir::InlineKind::PageRef { .. }
                | ir::InlineKind::Anchor { .. }
        );
    });
    inert
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::layout::flow::VBox;
    use crate::pdf::layout::frame::Item;
    use crate::pdf::layout::testing::{self, NoLinks, item_text, with_cx};
    use std::sync::Arc;

    fn part(matter: Matter, head: Option<&str>) -> Part {
        Part {
            matter,
            head: head.map(text_inlines),
            toc: false,
        }
    }

    /// The print profile's input for `book`.
    fn print_input<'a>(
        book: &'a Book,
        labels: &'a crate::typography::lang::Labels,
    ) -> BookInput<'a> {
        BookInput {
            book,
            profile: Profile::Print,
            toc_depth: 2,
            labels,
            hyphenation_exceptions: &[],
            threads: 1,
            pages_known: None,
        }
    }

    fn body(chapter: usize) -> PageBody {
        PageBody {
            chapter,
            ..PageBody::default()
        }
    }

    #[test]
    fn roman_for_the_front_matter_then_arabic_from_the_first_body_page() {
        let parts = [part(Matter::Front, None), part(Matter::Body, Some("One"))];
        let bodies = [body(0), body(0), body(0), body(1), body(1)];
        let ranges = label_ranges(&bodies, &parts);
        let labels: Vec<String> = (0..5).map(|i| label_of(&ranges, i)).collect();
        assert_eq!(labels, ["i", "ii", "iii", "1", "2"]);
        // A book that starts with its body has no roman pages.
        let ranges = label_ranges(&[body(1), body(1)], &parts);
        assert_eq!(ranges.len(), 1);
        assert_eq!(label_of(&ranges, 1), "2");
        assert_eq!(roman(1994), "mcmxciv");
    }

    #[test]
    fn heads_and_folios_by_side_and_none_on_openings() {
        with_cx(|cx| {
            let book = testing::book(Vec::new());
            let labels = crate::typography::lang::labels("en");
            let input = print_input(&book, &labels);
            let parts = [part(Matter::Body, Some("3. The Chapter"))];
            let mut page_body = body(0);
            page_body.boxes.push((
                Arc::new(VBox {
                    height: 10.0,
                    ..VBox::default()
                }),
                0.0,
            ));
            let mut page = |index: usize, body: &PageBody| {
                decorate(
                    cx,
                    &mut NoLinks,
                    body.clone(),
                    index,
                    "7",
                    None,
                    &parts,
                    &book,
                    &input,
                    testing::geometry(),
                    &mut HeadMemo::default(),
                )
            };
            // A verso (index 1) shows the book title, a recto the chapter's.
            let verso = page(1, &page_body);
            let recto = page(2, &page_body);
            assert!(item_text(&verso.items).iter().any(|t| t.contains("Test")));
            assert!(
                item_text(&recto.items)
                    .iter()
                    .any(|t| t.contains("Chapter"))
            );
            // Folios at the outer edge: left on a verso, right on a recto.
            let folio_x = |p: &Page| {
                p.items
                    .iter()
                    .find_map(|i| match i {
                        Item::Glyphs(run) if &*run.text == "7" => Some(run.x),
                        _ => None,
                    })
                    .expect("a folio")
            };
            assert!(folio_x(&verso) < 100.0 && folio_x(&recto) > 300.0);
            // Nothing on a chapter opening.
            page_body.opening = true;
            assert!(item_text(&page(2, &page_body).items).is_empty());
        });
    }

    #[test]
    fn a_running_head_is_set_once_for_every_page_that_shows_it() {
        with_cx(|cx| {
            let book = testing::book(Vec::new());
            let labels = crate::typography::lang::labels("en");
            let input = print_input(&book, &labels);
            let parts = [part(Matter::Body, Some("3. The Chapter"))];
            let mut memo = HeadMemo::default();
            let verso = |cx: &mut Cx<'_>, memo: &mut HeadMemo, label: &str| {
                decorate(
                    cx,
                    &mut NoLinks,
                    body(0),
                    1,
                    label,
                    None,
                    &parts,
                    &book,
                    &input,
                    testing::geometry(),
                    memo,
                )
            };
            let first = verso(cx, &mut memo, "8");
            let before = cx.shaper.stats();
            let second = verso(cx, &mut memo, "10");
            let after = cx.shaper.stats();
            // Only the folio was shaped again: "10" is one word.
            assert_eq!(after.hits + after.misses - before.hits - before.misses, 1);
            let fresh = verso(cx, &mut HeadMemo::default(), "10");
            assert_eq!(second.items, fresh.items, "the head as if set afresh");
            assert_ne!(first.items, second.items, "the folios differ");
            // A head with a link is set on each page (its structure element).
            let linked = ir::Inline {
                kind: ir::InlineKind::Link {
                    target: ir::LinkTarget::External("https://example.com".into()),
                    title: String::new(),
                    content: text_inlines("Home"),
                },
                span: Span::file(crate::source::SourceId(0)),
            };
            assert!(!inert(std::slice::from_ref(&linked)));
            assert!(inert(&text_inlines("Title")));
        });
    }
}
