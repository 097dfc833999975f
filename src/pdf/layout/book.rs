//! The whole book as pages, phase by phase: the flows in reading order —
//! generated front matter (`front_matter`), the contents (`contents`),
//! chapters and the sections running on inside them by role (`blocks`; set
//! on every core by `parallel` in a one-off build, reused through `memo` in
//! `folio watch`) — then pagination until the page numbers settle
//! (`contents::settle`), page decoration with running heads, folios and
//! labels (`decorate`), and the outline (`outline`). This file only orders
//! the phases and assembles the document.

use super::blocks::{chapter_dest, display_inlines};
use super::contents::{self, has_page_refs, toc_entries, toc_titles};
use super::cx::{Cx, rgb};
use super::decorate::{decorate, label_of};
use super::flow::Flow;
use super::frame::{
    DocMeta, FontData, ImageData, Item, LabelStyle, LinkTarget, Page, PageLabelRange, PagedDoc,
    Rect, StructKind,
};
use super::front_matter::{copyright_page, half_title, title_page};
use super::inline::Links;
use super::memo::{ChapterMemos, Context as MemoContext};
use super::notes::NoteStore;
use super::outline::{outline, part_levels};
use super::paginate::{PageBody, PageSpec};
use super::parallel;
use super::tagging::{self, GENERATED};
use crate::diag::Span;
use crate::ir::{self, Book, Matter, Role as ChapterRole};
use crate::pdf::Profile;
use crate::typography::lang::Labels;
use std::collections::HashMap;

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
    /// Threads to set chapters on (1: one after another on this thread;
    /// the output is the same, see [`super::parallel`]).
    pub threads: usize,
    /// Called with the print page map as soon as the page numbers settle,
    /// before the pages are decorated: building both formats, the EPUB
    /// renders with it while the PDF is finished (`None`: nobody waits).
    pub pages_known: Option<&'a dyn Fn(crate::pagemap::PrintPages)>,
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
pub(super) struct Part {
    /// Front, body or back matter (page labels).
    pub(super) matter: Matter,
    /// Title for the recto running head (`None`: no heads, e.g. title page);
    /// a section's is its chapter's.
    pub(super) head: Option<Vec<ir::Inline>>,
    /// The contents flow, rebuilt on every pass.
    pub(super) toc: bool,
}

/// The book's answers to layout's questions about links, images and page
/// numbers; images are registered in the document as they are first used.
pub(super) struct DocLinks<'a> {
    /// The document tree.
    pub(super) book: &'a Book,
    /// Page labels of destinations from the previous layout pass.
    pub(super) numbers: HashMap<String, String>,
    images: Vec<ImageData>,
    by_asset: HashMap<usize, usize>,
    geometry: Geometry,
}

impl<'a> DocLinks<'a> {
    /// Links into `book`, no page numbers known yet and no image registered.
    pub(super) fn new(book: &'a Book, geometry: Geometry) -> DocLinks<'a> {
        DocLinks {
            book,
            numbers: HashMap::new(),
            images: Vec::new(),
            by_asset: HashMap::new(),
            geometry,
        }
    }
}

impl<'a> DocLinks<'a> {
    /// The same answers about places and page numbers, with a registry of
    /// its own (a worker of `parallel`, whose images the book renumbers).
    pub(super) fn fork(&self) -> DocLinks<'a> {
        DocLinks {
            numbers: self.numbers.clone(),
            ..DocLinks::new(self.book, self.geometry)
        }
    }
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
        if !matches!(
            a.media_type,
            "image/png" | "image/jpeg" | "image/gif" | "image/webp" | "image/svg+xml"
        ) {
            return None;
        }
        let index = *self.by_asset.entry(asset.0).or_insert_with(|| {
            self.images.push(ImageData {
                bytes: a.bytes.clone(),
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

/// Every loaded face as the writer embeds it ([`PagedDoc::fonts`]): known
/// before any page is laid out, so images can be prepared meanwhile.
pub fn font_data(fonts: &super::cx::Fonts) -> Vec<std::sync::Arc<FontData>> {
    fonts
        .book
        .ids()
        .filter_map(|id| fonts.book.font(id))
        .map(|f| {
            std::sync::Arc::new(FontData {
                bytes: f.data_arc(),
                index: f.face_index(),
                postscript_name: f.postscript_name().to_owned(),
            })
        })
        .collect()
}

/// Lays out the book, reusing the flows of chapters that are as they were
/// in the last layout made with `memos` (see [`super::memo`]; a fresh
/// `ChapterMemos::default()` for a one-off layout).
pub fn layout_book(
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
    let mut links = DocLinks::new(book, geometry);
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
    if !has_role(ChapterRole::Copyright) && book.meta.has_copyright_facts() {
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
    // A one-off build sets the chapters on every core first; `folio watch`
    // reuses most of them from its memos instead.
    let mut ahead = if memos.keep {
        parallel::Ahead::default()
    } else {
        parallel::lay_out(
            cx,
            &links,
            &order,
            w,
            input.labels,
            input.threads,
            parallel::MIN_CHAPTERS,
        )
    };
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
        // Chapters that print page numbers depend on the whole book: set
        // again as the numbers settle (a memo stands for them only with
        // the same numbers).
        begin_chapter(cx, book, i);
        if has_page_refs(chapter) {
            with_page_refs.push((flows.len(), i));
        }
        let flow = match ahead.take(i, cx, &mut links, &mut notes) {
            Some(flow) => flow,
            None => memos.chapter(cx, &mut links, chapter, w, &mut notes, input.labels),
        };
        flows.push(flow);
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
    let toc_index = match toc_index {
        Some(index) => index,
        None => {
            flows.push(Vec::new());
            keys.push(TOC_GROUP);
            parts.push(Part {
                matter: Matter::Front,
                head: Some(text_inlines(input.labels.contents)),
                toc: true,
            });
            flows.len() - 1
        }
    };

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
    let (bodies, page_labels) = contents::settle(
        cx,
        &mut links,
        &mut notes,
        input.labels,
        contents::Settling {
            flows: &mut flows,
            contents: toc_index,
            entries: &entries,
            titles: &titles,
            with_page_refs: &with_page_refs,
            parts: &parts,
            spec: &spec,
            width: w,
            threads: input.threads,
            memos,
        },
    );
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
                .and_then(super::front_matter::cover_edge_colour)
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
    doc.outline = outline(&bodies, geometry, offset, &part_levels(book));
    // The pages are the boxes' only holders now: decorating moves their
    // items instead of copying them (see `PageBody::into_items`).
    drop(flows);
    drop(notes);
    if let Some(known) = input.pages_known {
        // Page by page as the loop below numbers them (after the screen
        // cover, if any); decoration adds no page starts and no anchors.
        let first = doc.pages.len();
        let mut map = crate::pdf::PrintPagesOf::new(book, &doc.page_labels);
        for (i, body) in bodies.iter().enumerate() {
            map.page(first + i, page_start(body));
            body.for_each_item(|item, _| {
                if let Item::Anchor { name, .. } = item {
                    map.anchor(first + i, name);
                }
            });
        }
        known(map.finish());
    }
    let mut section: Option<String> = None;
    let mut heads = super::decorate::HeadMemo::default();
    for (index, body) in bodies.into_iter().enumerate() {
        for mark in &body.marks {
            section = (mark.level > 0).then(|| mark.title.clone());
        }
        let label = label_of(&page_labels, index);
        doc.page_starts.push(page_start(&body));
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
            &mut heads,
        ));
    }
    if input.profile == Profile::Print {
        warn_gutter(cx, geometry.inside, doc.pages.len());
    }
    let mut group_order = vec![COVER_GROUP];
    group_order.extend(&keys);
    doc.structure = std::mem::take(&mut cx.tags).finish(&group_order);
    doc.images = links.images;
    doc.fonts = font_data(cx.fonts);
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

/// Plain text as inlines (the contents' title, running heads).
pub(super) fn text_inlines(text: &str) -> Vec<ir::Inline> {
    vec![ir::Inline {
        kind: ir::InlineKind::Text(text.to_owned()),
        span: Span::file(crate::source::SourceId(0)),
    }]
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
pub(super) const TOC_GROUP: u32 = GENERATED + 3;
/// Structure group of the screen profile's cover page.
const COVER_GROUP: u32 = GENERATED + 4;

/// Starts chapter `index`'s structure group: a `Part` for a part, else a
/// `Sect`, whose title heading keeps its level. A chapter in another
/// language than the book's says so on its group (`/Lang`), so everything
/// in it inherits the language, not only the text marked with it.
pub(super) fn begin_chapter(cx: &mut Cx<'_>, book: &Book, index: usize) {
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

/// Runs `f` with overfull lines counted, not warned about: for text folio
/// repeats (contents entries, running heads), whose source warns at its own
/// place — otherwise a long title is reported once per page, at book.toml.
pub(super) fn quietly<T>(cx: &mut Cx<'_>, f: impl FnOnce(&mut Cx<'_>) -> T) -> T {
    let outer = cx.overfull_counter.replace(0);
    let out = f(cx);
    cx.overfull_counter = outer;
    out
}
