//! The whole book as pages: generated front matter (half-title, title page,
//! copyright page), the table of contents with page numbers, chapters by role,
//! then running heads, folios, page labels and the outline. Page numbers of the
//! contents are found by laying out until they stop changing.

use super::blocks::{self, NoteStore, chapter_dest, display_inlines};
use super::cx::{Cx, Role, rgb};
use super::flow::{Flow, VBox};
use super::frame::{
    ArtifactKind, DocMeta, FontData, FontRef, Glyph, GlyphRun, ImageData, Item, LabelStyle,
    LinkTarget, OutlineItem, Page, PageLabelRange, PagedDoc, Rect, StructKind,
};
use super::inline::{self, Align, Links, ParaStyle};
use super::memo::{ChapterMemos, Context as MemoContext};
use super::paginate::{PageBody, PageSpec, paginate};
use super::tagging::{self, GENERATED};
use crate::diag::Span;
use crate::ir::{self, Book, Matter, Role as ChapterRole};
use crate::pdf::style::HeadContent;
use crate::typography::lang::Labels;
use std::collections::HashMap;

/// Print (mirrored margins, recto chapter openings, no link colour, no cover)
/// or screen (symmetric margins, no blank pages, coloured links, cover first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// For the printer.
    Print,
    /// For reading on a screen.
    Screen,
}

/// Everything `layout_book` needs besides the context.
pub struct BookInput<'a> {
    /// The document tree.
    pub book: &'a Book,
    /// Print or screen.
    pub profile: Profile,
    /// Heading levels in the table of contents (1 = chapters only).
    pub toc_depth: u8,
    /// Words in the book's language.
    pub labels: &'a Labels,
    /// The author's hyphenation exceptions (what the hyphenator was made with).
    pub hyphenation_exceptions: &'a [String],
}

/// Geometry of the page and text block.
#[derive(Debug, Clone, Copy)]
pub struct Geometry {
    /// Trim width.
    pub page_width: f32,
    /// Trim height.
    pub page_height: f32,
    /// Text block width.
    pub width: f32,
    /// Text block height.
    pub height: f32,
    /// Top margin.
    pub top: f32,
    /// Inside margin (print) or left margin.
    pub inside: f32,
    /// Outside margin.
    pub outside: f32,
    /// Bleed.
    pub bleed: f32,
}

/// What a flow of the book is, for numbering and running heads.
#[derive(Debug, Clone)]
struct Part {
    matter: Matter,
    /// Title for the recto running head (`None`: no heads, e.g. title page);
    /// a section's is its chapter's.
    head: Option<Vec<ir::Inline>>,
    /// The contents flow, rebuilt on every pass.
    toc: bool,
}

struct DocLinks<'a> {
    book: &'a Book,
    /// Page labels of destinations from the previous layout pass.
    numbers: HashMap<String, String>,
    images: Vec<ImageData>,
    by_asset: HashMap<usize, usize>,
    geometry: Geometry,
}

impl Links for DocLinks<'_> {
    fn dest(&self, target: &ir::LinkTarget) -> Option<LinkTarget> {
        match target {
            ir::LinkTarget::External(url) => Some(LinkTarget::Uri(url.clone())),
            ir::LinkTarget::Internal { chapter, anchor } => Some(LinkTarget::Named(match anchor {
                Some(a) => a.clone(),
                None => chapter_dest(&self.book.chapters.get(*chapter)?.id),
            })),
            ir::LinkTarget::Unresolved(_) => None,
        }
    }

    fn image(&mut self, asset: ir::AssetId) -> Option<(usize, u32, u32)> {
        let a = self.book.assets.get(asset.0)?;
        if !matches!(a.media_type, "image/png" | "image/jpeg" | "image/svg+xml") {
            return None;
        }
        let index = *self.by_asset.entry(asset.0).or_insert_with(|| {
            self.images.push(ImageData {
                bytes: std::sync::Arc::new(a.bytes.clone()),
                media_type: a.media_type,
                width: a.width,
                height: a.height,
            });
            self.images.len() - 1
        });
        Some((index, a.width, a.height))
    }

    fn pixels_per_inch(&self, asset: ir::AssetId) -> Option<f32> {
        self.book.assets.get(asset.0).and_then(|a| a.ppi)
    }

    fn is_vector(&self, image: usize) -> bool {
        self.images
            .get(image)
            .is_some_and(|i| i.media_type == "image/svg+xml")
    }

    fn text_height(&self) -> f32 {
        self.geometry.height
    }

    fn text_width(&self) -> f32 {
        self.geometry.width
    }

    fn page_label(&self, dest: &str) -> Option<String> {
        self.numbers.get(dest).cloned()
    }
}

/// Lays out the book.
pub fn layout_book(cx: &mut Cx<'_>, input: &BookInput<'_>, geometry: Geometry) -> PagedDoc {
    layout_book_with(cx, input, geometry, &mut ChapterMemos::default())
}

/// [`layout_book`], reusing the flows of chapters that are as they were in
/// the last layout made with `memos` (see [`super::memo`]).
pub fn layout_book_with(
    cx: &mut Cx<'_>,
    input: &BookInput<'_>,
    geometry: Geometry,
    memos: &mut ChapterMemos,
) -> PagedDoc {
    let book = input.book;
    memos.begin(MemoContext {
        block: (geometry.width.to_bits(), geometry.height.to_bits()),
        language: book.meta.language.clone(),
        exceptions: input.hyphenation_exceptions.to_vec(),
        chapter_ids: book.chapters.iter().map(|c| c.id.clone()).collect(),
        screen: cx.screen,
    });
    let mut links = DocLinks {
        book,
        numbers: HashMap::new(),
        images: Vec::new(),
        by_asset: HashMap::new(),
        geometry,
    };
    let mut notes = NoteStore::default();
    let mut flows: Vec<Vec<Flow>> = Vec::new();
    let mut parts: Vec<Part> = Vec::new();
    let has_role = |role: ChapterRole| book.chapters.iter().any(|c| c.role == role);
    let w = geometry.width;

    // Structure groups in the order of `flows` (see `tagging`).
    let mut keys: Vec<u32> = Vec::new();
    // The half-title: the title alone on the first recto.
    cx.tags.begin(GENERATED, StructKind::Sect);
    flows.push(half_title(cx, &mut links, book, w));
    keys.push(GENERATED);
    parts.push(Part {
        matter: Matter::Front,
        head: None,
        toc: false,
    });
    if !has_role(ChapterRole::TitlePage) {
        cx.tags.begin(GENERATED + 1, StructKind::Sect);
        flows.push(title_page(cx, &mut links, book, w, geometry.height));
        keys.push(GENERATED + 1);
        parts.push(Part {
            matter: Matter::Front,
            head: None,
            toc: false,
        });
    }
    if !has_role(ChapterRole::Copyright) && crate::epub::pages::has_copyright_facts(&book.meta) {
        cx.tags.begin(GENERATED + 2, StructKind::Sect);
        flows.push(copyright_page(cx, &mut links, book, w, geometry.height));
        keys.push(GENERATED + 2);
        parts.push(Part {
            matter: Matter::Front,
            head: None,
            toc: false,
        });
    }
    // Dedication and epigraph precede the contents; other front matter follows it.
    let early = |role: ChapterRole| {
        matches!(
            role,
            ChapterRole::Cover
                | ChapterRole::TitlePage
                | ChapterRole::Copyright
                | ChapterRole::Dedication
                | ChapterRole::Epigraph
        )
    };
    // A section goes where its chapter goes, whatever its own role.
    let chapter_of = enclosing_chapters(book);
    let role_of = |i: usize| book.chapters[chapter_of[i]].role;
    let mut order: Vec<usize> = Vec::new();
    order.extend(
        (0..book.chapters.len())
            .filter(|&i| role_of(i).matter() == Matter::Front && early(role_of(i))),
    );
    let toc_position = order.len();
    order.extend(
        (0..book.chapters.len())
            .filter(|&i| role_of(i).matter() == Matter::Front && !early(role_of(i))),
    );
    order.extend((0..book.chapters.len()).filter(|&i| role_of(i).matter() != Matter::Front));
    let mut toc_index = None;
    // Chapters that print page numbers of other places are laid out again
    // once those numbers are known.
    let mut with_page_refs: Vec<(usize, usize)> = Vec::new();
    cx.tags.end();
    let nesting = group_parents(book);
    for (k, &i) in order.iter().enumerate() {
        if k == toc_position {
            toc_index = Some(flows.len());
            flows.push(Vec::new());
            keys.push(TOC_GROUP);
            parts.push(Part {
                matter: Matter::Front,
                head: Some(text_inlines(input.labels.contents)),
                toc: true,
            });
        }
        let chapter = &book.chapters[i];
        crate::breadcrumb::enter_source(
            "pdf-chapter",
            "laying out the PDF of",
            chapter.span.source,
        );
        // Chapters that print page numbers depend on the whole book: set anew.
        begin_chapter(cx, book, i);
        if has_page_refs(chapter) {
            with_page_refs.push((flows.len(), i));
            flows.push(blocks::chapter(
                cx,
                &mut links,
                chapter,
                w,
                &mut notes,
                input.labels,
            ));
        } else {
            flows.push(memos.chapter(cx, &mut links, chapter, w, &mut notes, input.labels));
        }
        cx.tags.end();
        keys.push(i as u32);
        let owner = &book.chapters[chapter_of[i]];
        let head = (!matches!(
            owner.role,
            ChapterRole::Dedication | ChapterRole::Epigraph | ChapterRole::Part
        ))
        .then(|| display_inlines(owner));
        parts.push(Part {
            matter: owner.role.matter(),
            head,
            toc: false,
        });
    }
    if toc_index.is_none() {
        toc_index = Some(flows.len());
        flows.push(Vec::new());
        keys.push(TOC_GROUP);
        parts.push(Part {
            matter: Matter::Front,
            head: Some(text_inlines(input.labels.contents)),
            toc: true,
        });
    }

    let spec = PageSpec {
        height: geometry.height,
        width: w,
        note_gap: cx.style.text.leading,
        rule_color: rgb(cx.style.colors.rule),
        recto_starts: input.profile == Profile::Print,
    };
    let entries = toc_entries(book, &order, input.toc_depth);
    // Entry titles are set once; each pass only sets the page numbers again.
    let titles = toc_titles(cx, &mut links, &entries, w);
    let mut numbers: HashMap<String, String> = HashMap::new();
    let mut bodies = Vec::new();
    let mut page_labels = Vec::new();
    for _pass in 0..5 {
        if let Some(t) = toc_index {
            cx.tags.begin(TOC_GROUP, StructKind::Sect);
            flows[t] = toc_flow(cx, &mut links, &entries, &titles, &numbers, w, input.labels);
            cx.tags.end();
        }
        bodies = paginate(&flows, &notes.lines, &spec);
        page_labels = label_ranges(&bodies, &parts);
        let found = anchor_labels(&bodies, &page_labels);
        if found == numbers {
            break;
        }
        numbers = found;
        links.numbers = numbers.clone();
        for &(flow, chapter) in &with_page_refs {
            crate::breadcrumb::enter_source(
                "pdf-chapter",
                "laying out the PDF of",
                book.chapters[chapter].span.source,
            );
            begin_chapter(cx, book, chapter);
            flows[flow] = blocks::chapter(
                cx,
                &mut links,
                &book.chapters[chapter],
                w,
                &mut notes,
                input.labels,
            );
            cx.tags.end();
        }
    }
    for (&key, &parent) in &nesting {
        cx.tags.nest(key, parent);
    }

    let mut doc = PagedDoc {
        page_labels: page_labels.clone(),
        ..PagedDoc::default()
    };
    let screen_cover = input.profile == Profile::Screen && book.meta.cover.is_some();
    let offset = usize::from(screen_cover);
    if screen_cover {
        if let Some((image, width, height)) = book.meta.cover.and_then(|c| links.image(c)) {
            let mut page = Page {
                width: geometry.page_width,
                height: geometry.page_height,
                bleed: 0.0,
                items: Vec::new(),
            };
            // The whole cover, undistorted, on a page in its own edge colour.
            let (w, h) = (geometry.page_width, geometry.page_height);
            let scale = (w / width.max(1) as f32).min(h / height.max(1) as f32);
            let (iw, ih) = (width as f32 * scale, height as f32 * scale);
            if let Some((r, g, b)) = book
                .meta
                .cover
                .and_then(|c| book.assets.get(c.0))
                .and_then(crate::cover::edge_colour)
            {
                page.items.push(Item::Fill {
                    rect: Rect {
                        x: 0.0,
                        y: 0.0,
                        w,
                        h,
                    },
                    color: super::frame::Rgb(r, g, b),
                });
            }
            let alt = format!("{}: {}", input.labels.cover, book.meta.title);
            cx.tags.begin(COVER_GROUP, StructKind::Sect);
            let node = cx.tags.add(StructKind::Figure);
            if let Some(node) = node {
                let described = alt.clone();
                cx.tags.describe(node, |n| n.alt = Some(described));
            }
            cx.tags.end();
            let mut image_items = vec![Item::Image {
                image,
                rect: Rect {
                    x: (w - iw) / 2.0,
                    y: (h - ih) / 2.0,
                    w: iw,
                    h: ih,
                },
                alt,
            }];
            tagging::wrap_node(&mut image_items, node);
            page.items.extend(image_items);
            doc.pages.push(page);
            doc.page_starts.push(None);
        }
        // The cover is page "Cover", outside the numbering.
        for range in &mut doc.page_labels {
            range.start += 1;
        }
        doc.page_labels.insert(
            0,
            PageLabelRange {
                start: 0,
                style: LabelStyle::None,
                first: 1,
            },
        );
    }
    let mut section: Option<String> = None;
    for (index, body) in bodies.iter().enumerate() {
        for mark in &body.marks {
            section = (mark.level > 0).then(|| mark.title.clone());
        }
        let label = label_of(&page_labels, index);
        doc.page_starts.push(page_start(body));
        doc.pages.push(decorate(
            cx,
            &mut links,
            body,
            index,
            &label,
            section.as_deref(),
            &parts,
            book,
            input,
            geometry,
        ));
    }
    if input.profile == Profile::Print {
        warn_gutter(cx, geometry.inside, doc.pages.len());
    }
    doc.outline = outline(&bodies, geometry, offset, &part_levels(book));
    let mut group_order = vec![COVER_GROUP];
    group_order.extend(&keys);
    doc.structure = std::mem::take(&mut cx.tags).finish(&group_order);
    doc.images = links.images;
    doc.fonts = cx
        .fonts
        .book
        .ids()
        .filter_map(|id| cx.fonts.book.font(id))
        .map(|f| {
            std::sync::Arc::new(FontData {
                bytes: f.data_arc(),
                index: f.face_index(),
                postscript_name: f.postscript_name().to_owned(),
            })
        })
        .collect();
    doc.meta = DocMeta {
        title: book.meta.title.clone(),
        authors: book.meta.authors.clone(),
        subject: book.meta.description.clone(),
        keywords: book.meta.subjects.clone(),
        language: book.meta.language.clone(),
        date: 0,
        identifier: book.meta.identifier.urn(),
    };
    doc
}

fn centered(cx: &Cx<'_>, role: Role, size: f32, italic: bool, bold: bool) -> ParaStyle {
    ParaStyle {
        role,
        size,
        leading: size * 1.25,
        bold,
        italic,
        color: rgb(cx.style.text.color),
        align: Align::Center,
        hyphenate: false,
        indent: 0.0,
    }
}

fn push_text(
    flow: &mut Vec<Flow>,
    cx: &mut Cx<'_>,
    links: &mut dyn Links,
    text: &str,
    width: f32,
    style: &ParaStyle,
) {
    // Each piece of text on a generated page is a paragraph of its own.
    let node = cx.tags.open(StructKind::P);
    for line in inline::plain(
        cx,
        links,
        text,
        width,
        style,
        Span::file(crate::source::SourceId(0)),
    ) {
        let mut vbox = line.vbox;
        tagging::wrap_node(&mut vbox.items, node);
        flow.push(Flow::boxed(vbox));
        flow.push(Flow::Keep);
    }
    if node.is_some() {
        cx.tags.close();
    }
}

fn spacer(height: f32) -> Flow {
    Flow::boxed(VBox {
        height,
        ..VBox::default()
    })
}

fn half_title(cx: &mut Cx<'_>, links: &mut dyn Links, book: &Book, w: f32) -> Vec<Flow> {
    let mut flow = vec![
        Flow::PageBreak { recto: true },
        spacer(cx.style.headings.chapter_drop.0 * 1.5),
        Flow::Keep,
    ];
    let style = centered(cx, Role::Heading, cx.style.text.size * 1.6, false, false);
    push_text(&mut flow, cx, links, &book.meta.title, w, &style);
    flow
}

fn title_page(cx: &mut Cx<'_>, links: &mut dyn Links, book: &Book, w: f32, h: f32) -> Vec<Flow> {
    let m = &book.meta;
    let mut flow = vec![
        Flow::PageBreak { recto: true },
        spacer(h * 0.18),
        Flow::Keep,
    ];
    push_text(
        &mut flow,
        cx,
        links,
        &m.title,
        w,
        &centered(
            cx,
            Role::Heading,
            cx.style.heading(1).size * 1.2,
            false,
            false,
        ),
    );
    if let Some(sub) = &m.subtitle {
        flow.push(spacer(cx.style.text.leading * 0.6));
        push_text(
            &mut flow,
            cx,
            links,
            sub,
            w,
            &centered(cx, Role::Heading, cx.style.text.size * 1.35, true, false),
        );
    }
    if !m.authors.is_empty() {
        flow.push(spacer(cx.style.text.leading * 3.0));
        push_text(
            &mut flow,
            cx,
            links,
            &m.authors.join(", "),
            w,
            &centered(cx, Role::Heading, cx.style.text.size * 1.3, false, false),
        );
    }
    if let Some(p) = &m.publisher {
        flow.push(spacer(h * 0.3));
        push_text(
            &mut flow,
            cx,
            links,
            p,
            w,
            &centered(cx, Role::Heading, cx.style.text.size, false, false),
        );
    }
    flow
}

fn copyright_page(
    cx: &mut Cx<'_>,
    links: &mut dyn Links,
    book: &Book,
    w: f32,
    h: f32,
) -> Vec<Flow> {
    let m = &book.meta;
    let size = cx.style.blocks.footnote_size + 0.5;
    let style = ParaStyle {
        role: Role::Body,
        size,
        leading: size * 1.35,
        bold: false,
        italic: false,
        color: rgb(cx.style.text.color),
        align: Align::Left,
        hyphenate: false,
        indent: 0.0,
    };
    let mut lines: Vec<String> = vec![m.title.clone()];
    if let Some(r) = &m.rights {
        lines.push(r.clone());
    }
    if let Some(e) = &m.edition {
        lines.push(e.clone());
    }
    match (&m.publisher, &m.date) {
        (Some(p), Some(d)) => lines.push(format!("{p}, {d}")),
        (Some(p), None) => lines.push(p.clone()),
        (None, Some(d)) => lines.push(d.clone()),
        (None, None) => {}
    }
    if let Some(isbn) = m.identifier.isbn() {
        lines.push(format!("ISBN {}-{}", &isbn[..3], &isbn[3..]));
    }
    let mut flow = vec![
        Flow::PageBreak { recto: false },
        spacer(h * 0.55),
        Flow::Keep,
    ];
    for text in lines {
        push_text(&mut flow, cx, links, &text, w, &style);
        flow.push(spacer(size * 0.5));
        flow.push(Flow::Keep);
    }
    flow
}

/// One line of the contents: title, level (0 = top), destination.
#[derive(Debug, Clone)]
struct TocEntry {
    title: Vec<ir::Inline>,
    level: u8,
    dest: String,
}

/// The contents: every chapter and section as `SUMMARY.md` nests them
/// ([`ir::outline`]), and the headings inside them down to heading level `depth`.
fn toc_entries(book: &Book, order: &[usize], depth: u8) -> Vec<TocEntry> {
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
            title: display_inlines(chapter),
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
                        title: content.clone(),
                        level: level + (heading - title_level),
                        dest: id.clone(),
                    });
                }
            }
        }
    }
    out
}

/// For each chapter, the top-level chapter it belongs to (itself at depth 0).
fn enclosing_chapters(book: &Book) -> Vec<usize> {
    let mut owner = 0;
    book.chapters
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if c.depth == 0 {
                owner = i;
            }
            owner
        })
        .collect()
}

/// How far each top-level chapter's bookmarks sit below the top: one inside
/// a part, by its destination (what its opening mark names).
fn part_levels(book: &Book) -> HashMap<String, u8> {
    let levels = ir::outline::levels(book);
    book.chapters
        .iter()
        .zip(levels)
        .filter(|(c, _)| c.depth == 0)
        .map(|(c, level)| (chapter_dest(&c.id), level))
        .collect()
}

fn text_inlines(text: &str) -> Vec<ir::Inline> {
    vec![ir::Inline {
        kind: ir::InlineKind::Text(text.to_owned()),
        span: Span::file(crate::source::SourceId(0)),
    }]
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
fn toc_titles(
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
            inline::paragraph(
                cx,
                links,
                &entry.title,
                w - indent - number_width - step,
                &style,
                Span::file(crate::source::SourceId(0)),
            )
        })
        .collect()
}

/// The contents: entries indented by level, dot leaders, right-aligned page
/// numbers, each entry a link to its heading.
fn toc_flow(
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
        spacer(cx.style.headings.chapter_drop.0),
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
            name: "toc".into(),
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
                        glyphs,
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

/// Roman numbers for the front matter from the first page, arabic from the
/// first body page.
fn label_ranges(bodies: &[PageBody], parts: &[Part]) -> Vec<PageLabelRange> {
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

/// The page label of every named destination (its first occurrence).
fn anchor_labels(bodies: &[PageBody], ranges: &[PageLabelRange]) -> HashMap<String, String> {
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
fn has_page_refs(chapter: &ir::Chapter) -> bool {
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

#[allow(
    clippy::too_many_arguments,
    reason = "page decoration reads the whole book's context"
)]
fn decorate(
    cx: &mut Cx<'_>,
    links: &mut dyn Links,
    body: &PageBody,
    index: usize,
    label: &str,
    section: Option<&str>,
    parts: &[Part],
    book: &Book,
    input: &BookInput<'_>,
    g: Geometry,
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
        items: Vec::new(),
    };
    body.for_each_item(|item, y| page.items.push(item.translated(left, g.top + y)));
    let part = parts.get(body.chapter);
    if body.blank || body.opening || part.is_none_or(|p| p.head.is_none() && !p.toc) {
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
        if let Some(line) = inline::paragraph(
            cx,
            links,
            &head_text,
            head_width,
            &style,
            Span::file(crate::source::SourceId(0)),
        )
        .into_iter()
        .next()
        {
            let mut head: Vec<Item> = line
                .vbox
                .items
                .iter()
                .map(|it| it.translated(left + size * 4.0, baseline_top))
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
    {
        let x = if recto {
            left + g.width - size * 4.0
        } else {
            left
        };
        let mut folio: Vec<Item> = line
            .vbox
            .items
            .iter()
            .map(|it| it.translated(x, baseline_top))
            .collect();
        tagging::artifact(&mut folio, ArtifactKind::Pagination);
        page.items.extend(folio);
    }
    page
}

/// Bookmarks from the heading marks, nested by level, each at its position.
/// A top-level chapter's mark sets how far it and the marks after it sit
/// below the top (`part_levels`: one inside a part).
fn outline(
    bodies: &[PageBody],
    g: Geometry,
    page_offset: usize,
    part_levels: &HashMap<String, u8>,
) -> Vec<OutlineItem> {
    let mut root: Vec<OutlineItem> = Vec::new();
    // Levels of the items on the tree's rightmost path, top first: an item
    // goes under the nearest one above its level, so headings that skip a
    // level (`#` then `###`, `###`) stay siblings.
    let mut open: Vec<u8> = Vec::new();
    let mut below = 0u8;
    for (index, body) in bodies.iter().enumerate() {
        for mark in &body.marks {
            if mark.level == 0 {
                below = part_levels.get(&mark.dest).copied().unwrap_or(0);
            }
            let item = OutlineItem {
                title: mark.title.clone(),
                page: index + page_offset,
                y: g.top + mark.y,
                children: Vec::new(),
            };
            let level = mark.level.saturating_add(below);
            while open.last().is_some_and(|&l| l >= level) {
                open.pop();
            }
            let mut list = &mut root;
            for _ in 0..open.len() {
                let last = list.len() - 1;
                list = &mut list[last].children;
            }
            list.push(item);
            open.push(level);
        }
    }
    root
}

/// KDP's minimum inside margin grows with the page count (the thicker the
/// book, the more the spine swallows); warn when the style's is smaller.
fn warn_gutter(cx: &mut Cx<'_>, inside: f32, pages: usize) {
    let minimum_in = match pages {
        0..=150 => 0.375,
        151..=300 => 0.5,
        301..=500 => 0.625,
        501..=700 => 0.75,
        _ => 0.875,
    };
    if inside + 0.01 < minimum_in * 72.0 {
        cx.sink.push(
            crate::diag::Diagnostic::warning(None, format!("the inside margin ({:.3} in) is below the {minimum_in} in gutter KDP requires for {pages} pages", inside / 72.0))
                .with_help(format!("set `margin-inside = \"{minimum_in}in\"` or more in the print style")),
        );
    }
}

/// Structure group of the contents.
const TOC_GROUP: u32 = GENERATED + 3;
/// Structure group of the screen profile's cover page.
const COVER_GROUP: u32 = GENERATED + 4;

/// Starts chapter `index`'s structure group: a `Part` for a part, else a
/// `Sect`, whose title heading keeps its level. A chapter in another
/// language than the book's says so on its group (`/Lang`), so everything
/// in it inherits the language, not only the text marked with it.
fn begin_chapter(cx: &mut Cx<'_>, book: &Book, index: usize) {
    let chapter = &book.chapters[index];
    let kind = if chapter.role == ChapterRole::Part {
        StructKind::Part
    } else {
        StructKind::Sect
    };
    cx.tags.begin(index as u32, kind);
    let language = chapter.language(&book.meta);
    if !language.eq_ignore_ascii_case(&book.meta.language) {
        let root = super::frame::NodeRef {
            group: index as u32,
            node: 0,
        };
        cx.tags
            .describe(root, |node| node.lang = Some(language.to_owned()));
    }
    let title = match chapter.title_block() {
        Some(ir::Block {
            kind: ir::BlockKind::Heading { level, .. },
            ..
        }) => *level,
        _ => chapter.depth.saturating_add(1),
    };
    cx.tags.set_heading_base(title.saturating_sub(1));
}

/// The group each chapter's structure nests in: a section in the chapter
/// above it, a chapter in its part (the book's outline, as the bookmarks and
/// the EPUB's navigation nest it).
fn group_parents(book: &Book) -> HashMap<u32, u32> {
    let levels = ir::outline::levels(book);
    let mut parents = HashMap::new();
    let mut open: Vec<(u8, u32)> = Vec::new();
    for (i, &level) in levels.iter().enumerate() {
        while open.last().is_some_and(|&(l, _)| l >= level) {
            open.pop();
        }
        if let Some(&(l, parent)) = open.last() {
            if l + 1 == level {
                parents.insert(i as u32, parent);
            }
        }
        open.push((level, i as u32));
    }
    parents
}

/// Where a page's text begins: its first box of text that came from the
/// flow (a figure floated here from earlier text only when nothing else
/// is), never a footnote.
fn page_start(body: &PageBody) -> Option<crate::pagemap::TextPosition> {
    let mut floated = None;
    for (vbox, _) in &body.boxes {
        match vbox.source {
            Some(at) if !vbox.float => return Some(at),
            Some(at) => {
                floated.get_or_insert(at);
            }
            None => {}
        }
    }
    floated
}
