//! The contents and page-number settling: the table of contents (every
//! chapter and section as `SUMMARY.md` nests them, and their headings,
//! indented by level, with dot leaders, right-aligned page numbers, each
//! entry a link), and the fixpoint that lays the book out until the page
//! numbers it prints — in the contents and in `[{page}](…)` references —
//! stop changing.

use super::blocks::{chapter_dest, display_inlines};
use super::book::{DocLinks, Part, TOC_GROUP, begin_chapter};
use super::cx::{Cx, Role, rgb};
use super::decorate::{label_of, label_ranges};
use super::flow::{Flow, VBox};
use super::frame::{
    ArtifactKind, FontRef, Glyph, GlyphRun, Item, LinkTarget, PageLabelRange, Rect, StructKind,
};
use super::inline::{self, Align, Links, ParaStyle};
use super::notes::NoteStore;
use super::paginate::{PageBody, PageSpec, paginate};
use super::tagging;
use crate::diag::Span;
use crate::ir::{self, Book, Role as ChapterRole};
use crate::typography::lang::Labels;
use std::collections::HashMap;

/// One line of the contents: title, level (0 = top), destination.
#[derive(Debug, Clone)]
pub(super) struct TocEntry {
    /// Printed title.
    pub(super) title: Vec<ir::Inline>,
    /// 0 for the top level, deeper for sections and headings.
    pub(super) level: u8,
    /// Named destination (the page number is looked up by it).
    pub(super) dest: String,
}

/// The contents: every chapter and section as `SUMMARY.md` nests them
/// ([`ir::outline`]), and the headings inside them down to heading level `depth`.
pub(super) fn toc_entries(book: &Book, order: &[usize], depth: u8) -> Vec<TocEntry> {
    let levels = ir::outline::levels(book);
    let mut out = Vec::new();
    for &i in order {
        let chapter = &book.chapters[i];
        if matches!(
            chapter.role,
            ChapterRole::Cover
                | ChapterRole::TitlePage
                | ChapterRole::Copyright
                | ChapterRole::Dedication
                | ChapterRole::Epigraph
        ) {
            continue;
        }
        let level = levels[i];
        out.push(TocEntry {
            title: without_marks(&display_inlines(chapter)),
            level,
            dest: chapter_dest(&chapter.id),
        });
        let title_level = chapter.depth.saturating_add(1);
        let skip = usize::from(chapter.title_block().is_some());
        for block in &chapter.blocks[skip..] {
            if let ir::BlockKind::Heading {
                level: heading,
                id,
                content,
                ..
            } = &block.kind
            {
                if *heading > title_level && *heading <= depth {
                    out.push(TocEntry {
                        title: without_marks(content),
                        level: level + (heading - title_level),
                        dest: id.clone(),
                    });
                }
            }
        }
    }
    out
}

/// A heading's words for its contents entry: its note references and anchors
/// stay with the heading, since each may be defined once in the PDF.
fn without_marks(inlines: &[ir::Inline]) -> Vec<ir::Inline> {
    let mut out: Vec<ir::Inline> = inlines
        .iter()
        .filter(|i| {
            !matches!(
                i.kind,
                ir::InlineKind::NoteRef { .. } | ir::InlineKind::Anchor { .. }
            )
        })
        .cloned()
        .collect();
    for inline in &mut out {
        if let Some(children) = ir::walk::child_inlines_mut(inline) {
            *children = without_marks(children);
        }
    }
    out
}

/// The contents' body style and measures: (style, indent per level, width
/// of the page numbers, leader step).
fn toc_measures(cx: &Cx<'_>) -> (ParaStyle, f32, f32, f32) {
    let size = cx.style.text.size;
    let style = ParaStyle {
        role: Role::Body,
        size,
        leading: cx.style.text.leading,
        bold: false,
        italic: false,
        color: rgb(cx.style.text.color),
        align: Align::Left,
        hyphenate: false,
        indent: 0.0,
    };
    (style, size * 1.5, size * 2.5, size * 0.55)
}

/// Each contents entry's title, set in the width its level leaves.
pub(super) fn toc_titles(
    cx: &mut Cx<'_>,
    links: &mut dyn Links,
    entries: &[TocEntry],
    w: f32,
) -> Vec<Vec<inline::Line>> {
    let (style, indent_step, number_width, step) = toc_measures(cx);
    entries
        .iter()
        .map(|entry| {
            let indent = f32::from(entry.level) * indent_step;
            // The heading warns at its own place if it cannot be broken.
            super::book::quietly(cx, |cx| {
                inline::paragraph(
                    cx,
                    links,
                    &entry.title,
                    w - indent - number_width - step,
                    &style,
                    Span::file(crate::source::SourceId(0)),
                )
            })
        })
        .collect()
}

/// The contents: entries indented by level, dot leaders, right-aligned page
/// numbers, each entry a link to its heading.
pub(super) fn toc_flow(
    cx: &mut Cx<'_>,
    links: &mut dyn Links,
    entries: &[TocEntry],
    titles: &[Vec<inline::Line>],
    numbers: &HashMap<String, String>,
    w: f32,
    labels: &Labels,
) -> Vec<Flow> {
    let mut flow = vec![
        Flow::PageBreak { recto: true },
        Flow::spacer(cx.style.headings.chapter_drop.0),
        Flow::Keep,
    ];
    let h1 = *cx.style.heading(1);
    let title = ParaStyle {
        role: Role::Heading,
        size: h1.size,
        leading: h1.leading,
        bold: h1.bold,
        italic: h1.italic,
        color: rgb(cx.style.headings.color),
        align: Align::Left,
        hyphenate: false,
        indent: 0.0,
    };
    let heading = cx.tags.add(StructKind::H(1));
    for line in inline::plain(
        cx,
        links,
        labels.contents,
        w,
        &title,
        Span::file(crate::source::SourceId(0)),
    ) {
        let mut vbox = line.vbox;
        tagging::wrap_node(&mut vbox.items, heading);
        vbox.items.push(Item::Anchor {
            name: crate::parse::reserved_ids::CONTENTS_DEST.into(),
            y: 0.0,
        });
        flow.push(Flow::boxed(vbox));
        flow.push(Flow::Keep);
    }
    let toc = cx.tags.open(StructKind::TOC);
    flow.push(Flow::Space(h1.space_after));
    let (style, indent_step, number_width, step) = toc_measures(cx);
    let size = style.size;
    let dot = cx.fonts.face(Role::Body, false, false);
    let leader = cx.shaper.shape(".", dot, super::shape::Features::TEXT);
    let mut set_numbers: HashMap<String, Vec<inline::Line>> = HashMap::new();
    for (entry, lines) in entries.iter().zip(titles) {
        // An entry is a link to its heading: title and page number.
        let item = cx.tags.open(StructKind::TOCI);
        let link = cx.tags.add(StructKind::Link);
        if item.is_some() {
            cx.tags.close();
        }
        let chapter_level = entry.level == 0;
        let indent = f32::from(entry.level) * indent_step;
        let n = lines.len();
        if chapter_level {
            flow.push(Flow::Space(cx.style.text.leading * 0.35));
        }
        let mut boxes = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let mut vbox = VBox {
                height: line.vbox.height,
                items: line
                    .vbox
                    .items
                    .iter()
                    .map(|it| it.translated(indent, 0.0))
                    .filter(|it| !matches!(it, Item::Link { .. }))
                    .collect(),
                ..VBox::default()
            };
            if i + 1 == n {
                let number = numbers
                    .get(&entry.dest)
                    .cloned()
                    .unwrap_or_else(|| "0".into());
                let baseline = vbox
                    .items
                    .iter()
                    .find_map(|it| {
                        if let Item::Glyphs(r) = it {
                            Some(r.y)
                        } else {
                            None
                        }
                    })
                    .unwrap_or(style.leading * 0.75);
                let end = text_end(cx, &vbox.items);
                // Page numbers repeat from entry to entry: each is set once.
                let num_lines = set_numbers.entry(number.clone()).or_insert_with(|| {
                    inline::plain(
                        cx,
                        links,
                        &number,
                        number_width,
                        &ParaStyle {
                            align: Align::Right,
                            ..style
                        },
                        Span::file(crate::source::SourceId(0)),
                    )
                });
                let num_start = num_lines.first().map_or(w, |l| {
                    l.vbox
                        .items
                        .iter()
                        .filter_map(|it| {
                            if let Item::Glyphs(r) = it {
                                Some(r.x)
                            } else {
                                None
                            }
                        })
                        .fold(f32::MAX, f32::min)
                }) + (w - number_width);
                for l in num_lines {
                    vbox.items.extend(
                        l.vbox
                            .items
                            .iter()
                            .map(|it| it.translated(w - number_width, 0.0)),
                    );
                }
                tagging::wrap_node(&mut vbox.items, link);
                // Leaders on a fixed grid so the dots line up from entry to entry.
                let first = ((end + step) / step).ceil() * step;
                let mut glyphs = Vec::new();
                let mut x = first;
                while x + step < num_start - step * 0.5 {
                    if let Some(g) = leader.glyphs.first() {
                        glyphs.push(Glyph {
                            id: g.glyph_id,
                            x: x - first,
                            y_offset: 0.0,
                            text_start: 0,
                            text_end: 1,
                        });
                    }
                    x += step;
                }
                if !glyphs.is_empty() {
                    let mut leaders = vec![Item::Glyphs(GlyphRun {
                        font: FontRef(dot.0),
                        size,
                        color: rgb(cx.style.text.color),
                        x: first,
                        y: baseline,
                        glyphs: glyphs.into(),
                        text: ".".into(),
                        lang: None,
                    })];
                    tagging::artifact(&mut leaders, ArtifactKind::Layout);
                    vbox.items.extend(leaders);
                }
            } else {
                tagging::wrap_node(&mut vbox.items, link);
            }
            boxes.push(vbox);
        }
        let total: f32 = boxes.iter().map(|b| b.height).sum();
        let mut y = 0.0;
        let count = boxes.len();
        for (i, mut vbox) in boxes.into_iter().enumerate() {
            if i == 0 {
                let mut annotation = vec![Item::Link {
                    rect: Rect {
                        x: indent,
                        y: 0.0,
                        w: w - indent,
                        h: total,
                    },
                    target: LinkTarget::Named(entry.dest.clone()),
                }];
                tagging::wrap_node(&mut annotation, link);
                vbox.items.extend(annotation);
            }
            y += vbox.height;
            flow.push(Flow::boxed(vbox));
            if i + 1 < count {
                flow.push(Flow::Keep);
            }
        }
        let _ = y;
    }
    if toc.is_some() {
        cx.tags.close();
    }
    flow
}

/// Right end of the glyphs on a line (advance of the last glyph included).
fn text_end(cx: &Cx<'_>, items: &[Item]) -> f32 {
    items
        .iter()
        .filter_map(|it| match it {
            Item::Glyphs(run) => run.glyphs.last().map(|g| {
                let advance = cx
                    .fonts
                    .book
                    .font(super::fonts::FontId(run.font.0))
                    .and_then(|f| {
                        f.glyph_advance(g.id)
                            .map(|a| f32::from(a) * run.size / f32::from(f.units_per_em().max(1)))
                    })
                    .unwrap_or(0.0);
                run.x + g.x + advance
            }),
            _ => None,
        })
        .fold(0.0, f32::max)
}

/// The flows the page-number fixpoint works on, and where they are.
pub(super) struct Settling<'s> {
    /// Every flow of the book, in page order; the contents and the chapters
    /// with page references are set anew on each pass.
    pub(super) flows: &'s mut [Vec<Flow>],
    /// Index of the contents' flow.
    pub(super) contents: usize,
    /// The contents' entries, and their titles set once ([`toc_titles`]).
    pub(super) entries: &'s [TocEntry],
    /// Each entry's title lines.
    pub(super) titles: &'s [Vec<inline::Line>],
    /// `(flow index, chapter index)` of chapters that print page numbers.
    pub(super) with_page_refs: &'s [(usize, usize)],
    /// What each flow is (for page labels).
    pub(super) parts: &'s [Part],
    /// Page geometry for pagination.
    pub(super) spec: &'s PageSpec,
    /// Text block width.
    pub(super) width: f32,
    /// Threads to set the chapters with page references on (see
    /// [`super::parallel`]); `folio watch` takes them from its memos instead.
    pub(super) threads: usize,
    /// Chapter flows of the last layout (`folio watch`), by the page
    /// numbers they printed.
    pub(super) memos: &'s mut super::memo::ChapterMemos,
}

/// Paginates until the page numbers the book prints (the contents, `page
/// 42` references) stop changing, or five passes: a number that grows a
/// digit can push an entry to another page, which changes the numbers
/// after it. Returns the pages and their label ranges.
pub(super) fn settle(
    cx: &mut Cx<'_>,
    links: &mut DocLinks<'_>,
    notes: &mut NoteStore,
    labels: &Labels,
    s: Settling<'_>,
) -> (Vec<PageBody>, Vec<PageLabelRange>) {
    let book = links.book;
    let mut numbers: HashMap<String, String> = HashMap::new();
    let mut bodies = Vec::new();
    let mut page_labels = Vec::new();
    for _pass in 0..5 {
        cx.tags.begin(TOC_GROUP, StructKind::Sect);
        s.flows[s.contents] = toc_flow(cx, links, s.entries, s.titles, &numbers, s.width, labels);
        cx.tags.end();
        bodies = paginate(s.flows, &notes.lines, s.spec);
        page_labels = label_ranges(&bodies, s.parts);
        let found = anchor_labels(&bodies, &page_labels);
        if found == numbers {
            break;
        }
        numbers = found;
        links.numbers = numbers.clone();
        let order: Vec<usize> = s.with_page_refs.iter().map(|&(_, c)| c).collect();
        let mut ahead = if s.memos.keep {
            super::parallel::Ahead::default()
        } else {
            super::parallel::lay_out(cx, links, &order, s.width, labels, s.threads, 2)
        };
        for &(flow, chapter) in s.with_page_refs {
            crate::breadcrumb::enter_source(
                "pdf-chapter",
                "laying out the PDF of",
                book.chapters[chapter].span.source,
            );
            // Set anew, the chapter's structure group too.
            begin_chapter(cx, book, chapter);
            s.flows[flow] = match ahead.take(chapter, cx, links, notes) {
                Some(flow) => flow,
                None => {
                    let chapter = &book.chapters[chapter];
                    s.memos.chapter(cx, links, chapter, s.width, notes, labels)
                }
            };
            cx.tags.end();
        }
    }
    (bodies, page_labels)
}

/// The page label of every named destination (its first occurrence).
pub(super) fn anchor_labels(
    bodies: &[PageBody],
    ranges: &[PageLabelRange],
) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for (index, body) in bodies.iter().enumerate() {
        body.for_each_item(|item, _| {
            if let Item::Anchor { name, .. } = item {
                if !out.contains_key(name) {
                    out.insert(name.clone(), label_of(ranges, index));
                }
            }
        });
    }
    out
}

/// Whether a chapter has `[{page}](…)` cross-references.
pub(super) fn has_page_refs(chapter: &ir::Chapter) -> bool {
    let mut found = false;
    let mut check = |inlines: &[ir::Inline]| {
        ir::walk::inlines(inlines, &mut |i| {
            found |= matches!(i.kind, ir::InlineKind::PageRef { .. })
        });
    };
    ir::walk::blocks(&chapter.blocks, &mut |b| {
        for inlines in ir::walk::own_inlines(b) {
            check(inlines);
        }
    });
    for note in &chapter.notes {
        ir::walk::blocks(&note.blocks, &mut |b| {
            for inlines in ir::walk::own_inlines(b) {
                check(inlines);
            }
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::layout::blocks;
    use crate::pdf::layout::frame::Rgb;
    use crate::pdf::layout::testing::{self, NoLinks, chapter, heading, paragraph, with_cx};

    fn sample() -> Book {
        testing::book(vec![
            chapter("dedication", "For Ada", ChapterRole::Dedication, Vec::new()),
            chapter("preface", "Preface", ChapterRole::Preface, Vec::new()),
            chapter(
                "one",
                "Getting Started",
                ChapterRole::Chapter,
                vec![
                    heading(2, "install", "Installing"),
                    paragraph("Some text."),
                    heading(3, "detail", "A Detail"),
                ],
            ),
        ])
    }

    #[test]
    fn entries_skip_the_pages_before_the_contents_and_stop_at_the_depth() {
        let book = sample();
        let titles = |depth| -> Vec<(String, u8)> {
            toc_entries(&book, &[0, 1, 2], depth)
                .into_iter()
                .map(|e| (ir::plain_text(&e.title), e.level))
                .collect()
        };
        assert_eq!(
            titles(2),
            vec![
                ("Preface".to_owned(), 0),
                ("Getting Started".to_owned(), 0),
                ("Installing".to_owned(), 1)
            ]
        );
        assert_eq!(titles(3).len(), 4);
        assert_eq!(titles(1).len(), 2);
    }

    #[test]
    fn each_entry_links_to_its_heading_with_its_number_at_the_right_edge() {
        with_cx(|cx| {
            let book = sample();
            let entries = toc_entries(&book, &[1, 2], 2);
            let numbers: HashMap<String, String> = [
                (chapter_dest("preface"), "ix".to_owned()),
                (chapter_dest("one"), "1".to_owned()),
                ("install".to_owned(), "3".to_owned()),
            ]
            .into_iter()
            .collect();
            let labels = crate::typography::lang::labels("en");
            let titles = toc_titles(cx, &mut NoLinks, &entries, 324.0);
            let flow = toc_flow(
                cx,
                &mut NoLinks,
                &entries,
                &titles,
                &numbers,
                324.0,
                &labels,
            );
            let text = testing::flow_text(&flow);
            assert!(text.trim_start().starts_with("Contents"), "{text}");
            let mut linked = Vec::new();
            for f in &flow {
                let Flow::Box(b) = f else { continue };
                for item in &b.items {
                    if let Item::Link {
                        target: LinkTarget::Named(dest),
                        ..
                    } = item
                    {
                        linked.push(dest.clone());
                        // The number ends at the right edge, after leaders.
                        let end = text_end(cx, &b.items);
                        assert!((end - 324.0).abs() < 0.5, "{dest} ends at {end}");
                        assert!(testing::item_text(&b.items).iter().any(|t| t == "."));
                    }
                }
            }
            assert_eq!(linked, vec!["chapter:preface", "chapter:one", "install"]);
            assert!(text.contains("ix") && text.contains('3'), "{text}");
        });
    }

    #[test]
    fn page_references_are_found_in_text_and_notes() {
        let mut book = sample();
        assert!(!has_page_refs(&book.chapters[2]));
        book.chapters[2].blocks.push(ir::Block {
            kind: ir::BlockKind::Paragraph {
                content: vec![ir::Inline {
                    kind: ir::InlineKind::PageRef {
                        target: ir::LinkTarget::Unresolved("x".into()),
                    },
                    span: testing::span(),
                }],
            },
            span: testing::span(),
        });
        assert!(has_page_refs(&book.chapters[2]));
    }

    #[test]
    fn settling_numbers_the_contents_with_the_pages_the_chapters_land_on() {
        with_cx(|cx| {
            let book = sample();
            let geometry = testing::geometry();
            let mut links = DocLinks::new(&book, geometry);
            let mut notes = NoteStore::default();
            let labels = crate::typography::lang::labels("en");
            let mut flows = vec![Vec::new()];
            let mut parts = vec![Part {
                matter: ir::Matter::Front,
                head: None,
                toc: true,
            }];
            for c in &book.chapters[1..] {
                flows.push(blocks::chapter(
                    cx, &mut links, c, 324.0, &mut notes, &labels,
                ));
                parts.push(Part {
                    matter: c.role.matter(),
                    head: Some(display_inlines(c)),
                    toc: false,
                });
            }
            let entries = toc_entries(&book, &[1, 2], 1);
            let titles = toc_titles(cx, &mut links, &entries, 324.0);
            let spec = PageSpec {
                height: 540.0,
                width: 324.0,
                note_gap: 14.5,
                rule_color: Rgb::BLACK,
                recto_starts: true,
            };
            let (bodies, ranges) = settle(
                cx,
                &mut links,
                &mut notes,
                &labels,
                Settling {
                    flows: &mut flows,
                    contents: 0,
                    entries: &entries,
                    titles: &titles,
                    with_page_refs: &[],
                    parts: &parts,
                    spec: &spec,
                    width: 324.0,
                    threads: 1,
                    memos: &mut super::super::memo::ChapterMemos::default(),
                },
            );
            // Contents on i, a blank ii, the preface on iii, a blank iv, the
            // first chapter on page 1.
            let found = anchor_labels(&bodies, &ranges);
            assert_eq!(
                found.get("chapter:preface").map(String::as_str),
                Some("iii")
            );
            assert_eq!(found.get("chapter:one").map(String::as_str), Some("1"));
            assert_eq!(links.numbers, found);
            let contents = testing::flow_text(&flows[0]);
            assert!(
                contents.contains("iii") && contents.contains(" 1"),
                "{contents}"
            );
        });
    }
}
