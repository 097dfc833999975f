//! One page's content stream: text, rules, tints and images in painting
//! order, converted from frame coordinates to PDF user space.
//!
//! The page dictionary is written here too: the boxes (media = trim grown
//! by the bleed, crop = media, bleed = media when there is bleed, trim), the
//! resources the content uses and the link annotations.
//!
//! Colour and line width are tracked ([`GfxState`]) so a page full of black
//! text sets its colour once instead of once per run. Images are drawn
//! inside `q … Q` so their `cm` scaling never leaks into what follows.

use std::collections::BTreeSet;

use pdf_writer::{Content, Filter, Finish, Name, Pdf, Ref, TextStr};

use super::fonts::{self, FontSet};
use super::tags::{self, NodeId, PageMarks, Tree};
use super::{PageGeom, fin, images, text};
use crate::pdf::layout::frame::{ArtifactKind, Item, Page, Rgb, StructKind, TagRef};

/// A painted page: its content stream and the resources it uses, sorted so
/// the resource dictionary is written deterministically.
#[derive(Clone)]
pub(crate) struct Painted {
    /// The content stream ([`paint`] returns it uncompressed; it must be
    /// Flate-compressed before [`write_page`]).
    pub content: Vec<u8>,
    /// Indices of the fonts used.
    pub fonts: BTreeSet<u16>,
    /// Indices of the images used.
    pub images: BTreeSet<usize>,
    /// The marked content, for the structure tree (empty when untagged).
    pub marks: PageMarks,
}

/// The part of the PDF graphics state the writer changes, so redundant
/// operators are skipped. `None` means "unknown": the next use sets it.
#[derive(Debug, Default)]
pub(crate) struct GfxState {
    fill: Option<[f32; 3]>,
    stroke: Option<[f32; 3]>,
    line_width: Option<f32>,
    /// Inside `BT … ET`.
    in_text: bool,
    /// Font index and size set by the last `Tf` in this text object.
    font: Option<(u16, f32)>,
}

impl GfxState {
    /// Opens a text object (`BT`) unless one is open.
    pub fn begin_text(&mut self, content: &mut Content) {
        if !self.in_text {
            content.begin_text();
            self.in_text = true;
            // Be explicit in every text object, even though the text state
            // would carry over: some tools read text objects in isolation.
            self.font = None;
        }
    }

    /// Closes the open text object (`ET`), if any; graphics operators are
    /// not allowed inside one.
    pub fn end_text(&mut self, content: &mut Content) {
        if self.in_text {
            content.end_text();
            self.in_text = false;
        }
    }

    /// Sets font and size (`Tf`) unless already current.
    pub fn set_font(&mut self, content: &mut Content, font: u16, size: f32) {
        if self.font != Some((font, size)) {
            content.set_font(Name(fonts::resource_name(font).as_bytes()), size);
            self.font = Some((font, size));
        }
    }

    /// Sets the fill colour (`rg`) unless it is already current.
    pub fn set_fill(&mut self, content: &mut Content, c: Rgb) {
        let c = rgb(c);
        if self.fill != Some(c) {
            content.set_fill_rgb(c[0], c[1], c[2]);
            self.fill = Some(c);
        }
    }

    /// Sets the stroke colour (`RG`) unless it is already current.
    fn set_stroke(&mut self, content: &mut Content, c: Rgb) {
        let c = rgb(c);
        if self.stroke != Some(c) {
            content.set_stroke_rgb(c[0], c[1], c[2]);
            self.stroke = Some(c);
        }
    }

    /// Sets the line width (`w`) unless it is already current.
    fn set_line_width(&mut self, content: &mut Content, w: f32) {
        if self.line_width != Some(w) {
            content.set_line_width(w);
            self.line_width = Some(w);
        }
    }
}

/// Clamps a colour to 0–1 (NaN → 0), as PDF colour operands must be.
fn rgb(c: Rgb) -> [f32; 3] {
    [c.0, c.1, c.2].map(|v| fin(v).clamp(0.0, 1.0))
}

/// Paints `page`. Links and anchors are not content (see `links.rs`); images
/// whose XObject could not be made are skipped (the error was already
/// reported when the images were written).
///
/// When `tree` has a structure, every stretch of text or image owned by one
/// structure node becomes a marked-content sequence with an MCID, and
/// everything else (rules, tints, running heads, untagged items) an
/// `/Artifact`.
pub(crate) fn paint(
    page: &Page,
    geom: PageGeom,
    fonts: &FontSet<'_>,
    drawn: &[bool],
    tree: &Tree,
) -> Painted {
    let mut content = Content::with_capacity(4096);
    let mut gfx = GfxState::default();
    let mut used_fonts = BTreeSet::new();
    let mut used_images = BTreeSet::new();
    let mut marker = Marker {
        tagged: tree.is_tagged(),
        open: Vec::new(),
        current: None,
        marks: PageMarks::default(),
        order: 0,
    };
    for item in &page.items {
        match item {
            Item::TagStart(tag) => {
                marker.open.push(match tag {
                    TagRef::Node(node) => tree
                        .resolve(*node)
                        .map_or(Owner::Artifact(None), Owner::Node),
                    TagRef::Artifact(kind) => Owner::Artifact(Some(*kind)),
                });
                continue;
            }
            Item::TagEnd => {
                marker.open.pop();
                continue;
            }
            _ => {}
        }
        match item {
            Item::Glyphs(run) => {
                if text::is_drawable(run) && fonts.type0_ref(run.font.0).is_some() {
                    used_fonts.insert(run.font.0);
                    let owner = marker.content_owner();
                    marker.enter(&mut content, &mut gfx, owner, true, tree);
                    if let Owner::Node(node) = owner {
                        if tree.kind(node) == Some(StructKind::Link) {
                            marker.link_text(node, &run.text);
                        }
                    }
                    // Text in another language than the document's: a
                    // marked-content span with its /Lang, inside the text
                    // object and inside its element's MCID sequence, so it
                    // nests with both.
                    if let Some(lang) = &run.lang {
                        gfx.begin_text(&mut content);
                        content
                            .begin_marked_content_with_properties(Name(b"Span"))
                            .properties()
                            .pair(Name(b"Lang"), TextStr(lang));
                    }
                    text::write_run(&mut content, run, fonts, geom, &mut gfx);
                    if run.lang.is_some() {
                        content.end_marked_content();
                    }
                }
            }
            Item::Line {
                x0,
                y0,
                x1,
                y1,
                width,
                color,
            } => {
                let w = fin(*width);
                if w <= 0.0 {
                    continue;
                }
                let owner = marker.decoration_owner();
                marker.enter(&mut content, &mut gfx, owner, false, tree);
                gfx.set_line_width(&mut content, w);
                gfx.set_stroke(&mut content, *color);
                content.move_to(geom.x(*x0), geom.y(*y0));
                content.line_to(geom.x(*x1), geom.y(*y1));
                content.stroke();
            }
            Item::Fill { rect, color } => {
                let r = geom.rect(*rect);
                if r.x2 > r.x1 && r.y2 > r.y1 {
                    let owner = marker.decoration_owner();
                    marker.enter(&mut content, &mut gfx, owner, false, tree);
                    gfx.set_fill(&mut content, *color);
                    content.rect(r.x1, r.y1, r.x2 - r.x1, r.y2 - r.y1);
                    content.fill_nonzero();
                }
            }
            Item::Image { image, rect, .. } => {
                let r = geom.rect(*rect);
                let drawable =
                    r.x2 > r.x1 && r.y2 > r.y1 && drawn.get(*image).copied().unwrap_or(false);
                if !drawable {
                    continue;
                }
                let owner = marker.content_owner();
                marker.enter(&mut content, &mut gfx, owner, false, tree);
                used_images.insert(*image);
                content.save_state();
                content.transform([r.x2 - r.x1, 0.0, 0.0, r.y2 - r.y1, r.x1, r.y1]);
                content.x_object(Name(images::resource_name(*image).as_bytes()));
                content.restore_state();
            }
            Item::Link { .. } => {
                let owner = match marker.open.last() {
                    Some(Owner::Node(node)) if marker.tagged => {
                        marker.order += 1;
                        Some((*node, marker.order))
                    }
                    _ => None,
                };
                marker.marks.links.push(owner);
            }
            Item::Anchor { .. } | Item::TagStart(_) | Item::TagEnd => {}
        }
    }
    marker.close(&mut content, &mut gfx);
    gfx.end_text(&mut content);
    Painted {
        content: content.finish(),
        fonts: used_fonts,
        images: used_images,
        marks: marker.marks,
    }
}

/// Who owns painted content: a structure node, or nobody (an artifact, of
/// a known kind or not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Node(NodeId),
    Artifact(Option<ArtifactKind>),
}

/// The open marked-content sequence of a page being painted.
struct Marker {
    /// Whether the document is tagged at all (else nothing is marked).
    tagged: bool,
    /// Tags opened by the page's items, innermost last.
    open: Vec<Owner>,
    /// The marked-content sequence now open, and whether it began inside a
    /// text object (it must then end inside it).
    current: Option<(Owner, bool)>,
    marks: PageMarks,
    /// Painting position of the last sequence or link, for ordering kids.
    order: u32,
}

impl Marker {
    /// The owner of text or an image painted now.
    fn content_owner(&self) -> Owner {
        self.open.last().copied().unwrap_or(Owner::Artifact(None))
    }

    /// The owner of a rule or tint: always an artifact, of the open
    /// artifact's kind if there is one.
    fn decoration_owner(&self) -> Owner {
        match self.open.last() {
            Some(Owner::Artifact(kind)) => Owner::Artifact(*kind),
            _ => Owner::Artifact(Some(ArtifactKind::Layout)),
        }
    }

    /// Makes `owner`'s sequence the open one, in text mode (`text`) or
    /// graphics mode. Sequences and text objects nest properly: a sequence
    /// begun inside `BT … ET` ends there; one begun outside contains whole
    /// text objects.
    fn enter(
        &mut self,
        content: &mut Content,
        gfx: &mut GfxState,
        owner: Owner,
        text: bool,
        tree: &Tree,
    ) {
        if !self.tagged {
            if text {
                gfx.begin_text(content);
            } else {
                gfx.end_text(content);
            }
            return;
        }
        if let Some((open, in_text)) = self.current {
            if open == owner {
                if text {
                    // Inside a sequence begun in text we are still in that
                    // text object; one begun outside may hold a new one.
                    gfx.begin_text(content);
                    return;
                }
                if !in_text {
                    gfx.end_text(content);
                    return;
                }
            }
            self.close(content, gfx);
        }
        if text {
            gfx.begin_text(content);
        } else {
            gfx.end_text(content);
        }
        match owner {
            Owner::Node(node) => {
                let mcid = self.marks.mcids.len() as i32;
                self.order += 1;
                self.marks.mcids.push((node, self.order));
                content
                    .begin_marked_content_with_properties(tags::tag_name(tree.kind(node)))
                    .properties()
                    .identify(mcid);
            }
            Owner::Artifact(None) => {
                content.begin_marked_content(Name(b"Artifact"));
            }
            Owner::Artifact(Some(kind)) => {
                let mut mark = content.begin_marked_content_with_properties(Name(b"Artifact"));
                let mut props = mark.properties();
                match kind {
                    ArtifactKind::Pagination => {
                        props.pair(Name(b"Type"), Name(b"Pagination"));
                        props.pair(Name(b"Subtype"), Name(b"Header"));
                    }
                    ArtifactKind::Layout => {
                        props.pair(Name(b"Type"), Name(b"Layout"));
                    }
                }
            }
        }
        self.current = Some((owner, text));
    }

    /// Ends the open sequence, if any.
    fn close(&mut self, content: &mut Content, gfx: &mut GfxState) {
        if let Some((_, in_text)) = self.current.take() {
            if !in_text {
                gfx.end_text(content);
            }
            content.end_marked_content();
        }
    }

    /// Notes text painted inside a link, for its annotation's description.
    fn link_text(&mut self, node: NodeId, text: &str) {
        match self.marks.link_text.last_mut() {
            Some((last, all)) if *last == node => {
                all.push(' ');
                all.push_str(text);
            }
            _ => self.marks.link_text.push((node, text.to_owned())),
        }
    }
}

/// The objects of one page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PageIds {
    /// The page dictionary.
    pub page: Ref,
    /// The page tree it belongs to.
    pub parent: Ref,
    /// Its content stream.
    pub content: Ref,
    /// Its key in the structure tree's parent tree, when tagged.
    pub struct_parents: Option<i32>,
}

/// Writes a painted page whose content is already Flate-compressed: the
/// content stream and the page dictionary (boxes, resources, annotations).
pub(crate) fn write_page(
    pdf: &mut Pdf,
    ids: PageIds,
    geom: PageGeom,
    painted: &Painted,
    annots: &[Ref],
    font_set: &FontSet<'_>,
    xobjects: &[Option<Ref>],
) {
    pdf.stream(ids.content, &painted.content)
        .filter(Filter::FlateDecode);

    let mut p = pdf.page(ids.page);
    p.parent(ids.parent);
    let media = geom.media_box();
    p.media_box(media);
    p.crop_box(media);
    if geom.bleed > 0.0 {
        p.bleed_box(media);
    }
    p.trim_box(geom.trim_box());
    let mut res = p.resources();
    if !painted.fonts.is_empty() {
        let mut f = res.fonts();
        for &font in &painted.fonts {
            if let Some(r) = font_set.type0_ref(font) {
                f.pair(Name(fonts::resource_name(font).as_bytes()), r);
            }
        }
    }
    if !painted.images.is_empty() {
        let mut x = res.x_objects();
        for &img in &painted.images {
            if let Some(Some(r)) = xobjects.get(img) {
                x.pair(Name(images::resource_name(img).as_bytes()), *r);
            }
        }
    }
    res.finish();
    p.contents(ids.content);
    if !annots.is_empty() {
        p.annotations(annots.iter().copied());
    }
    if let Some(key) = ids.struct_parents {
        p.struct_parents(key);
        // Annotations in the order of the structure tree (PDF/UA).
        p.tab_order(pdf_writer::types::TabOrder::StructureOrder);
    }
    p.finish();
}
