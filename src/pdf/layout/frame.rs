//! The contract between layout and PDF writing: pages of positioned items in
//! points, origin at the top-left of the trim box, y growing downwards. Layout
//! decides everything; the writer only encodes. Plain data, so layout can be
//! tested (and dumped as text) without producing a PDF.

use std::sync::Arc;

/// A laid-out document.
#[derive(Debug, Clone, Default)]
pub struct PagedDoc {
    /// Pages in order.
    pub pages: Vec<Page>,
    /// Fonts referenced by [`GlyphRun::font`] (index = `FontRef.0`).
    pub fonts: Vec<Arc<FontData>>,
    /// Images referenced by [`Item::Image`].
    pub images: Vec<ImageData>,
    /// Bookmarks, nested.
    pub outline: Vec<OutlineItem>,
    /// Page label ranges (`i, ii…` then `1, 2…`), in page order.
    pub page_labels: Vec<PageLabelRange>,
    /// Document metadata for the info dictionary and XMP.
    pub meta: DocMeta,
    /// The logical structure (tagged PDF): what the marked items are.
    pub structure: Structure,
    /// Where each page's text begins in the document tree (`None`: the page
    /// holds no text of a chapter: generated pages, blank pages), for the
    /// EPUB's print page numbers. Not written into the PDF.
    pub page_starts: Vec<Option<crate::pagemap::TextPosition>>,
}

/// Index into [`PagedDoc::fonts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FontRef(pub u16);

/// A font file used by the document, embedded (subset) by the writer.
#[derive(Debug, Clone)]
pub struct FontData {
    /// The whole font file as read from `fonts/`.
    pub bytes: Arc<Vec<u8>>,
    /// Index of the face in a collection (0 for plain TTF/OTF).
    pub index: u32,
    /// PostScript name (without subset tag).
    pub postscript_name: String,
}

/// An image used by the document.
#[derive(Debug, Clone)]
pub struct ImageData {
    /// File bytes as given (PNG, JPEG, SVG).
    pub bytes: Arc<Vec<u8>>,
    /// `image/png`, `image/jpeg` or `image/svg+xml`.
    pub media_type: &'static str,
    /// Pixel (or SVG user unit) width.
    pub width: u32,
    /// Pixel height.
    pub height: u32,
}

/// A point-size rectangle, top-left origin.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

/// An RGB colour, components 0–1.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rgb(pub f32, pub f32, pub f32);

impl Rgb {
    /// Black.
    pub const BLACK: Rgb = Rgb(0.0, 0.0, 0.0);
}

/// One page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// Trim size (the finished page) in points.
    pub width: f32,
    /// Trim height in points.
    pub height: f32,
    /// Bleed on every side (0 for none); the media box is the trim box grown by it.
    pub bleed: f32,
    /// What is drawn, in painting order.
    pub items: Vec<Item>,
}

/// Something placed on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Shaped text.
    Glyphs(GlyphRun),
    /// A straight line.
    Line {
        /// Start x.
        x0: f32,
        /// Start y.
        y0: f32,
        /// End x.
        x1: f32,
        /// End y.
        y1: f32,
        /// Stroke width.
        width: f32,
        /// Stroke colour.
        color: Rgb,
    },
    /// A filled rectangle (code block tint, table rule).
    Fill {
        /// The area.
        rect: Rect,
        /// Fill colour.
        color: Rgb,
    },
    /// An image scaled into `rect`.
    Image {
        /// Index into [`PagedDoc::images`].
        image: usize,
        /// Where it goes.
        rect: Rect,
        /// Alternative text (for tagged output and tests).
        alt: String,
    },
    /// A clickable area.
    Link {
        /// The clickable rectangle.
        rect: Rect,
        /// Where it leads.
        target: LinkTarget,
    },
    /// A named destination at a position (headings, footnotes, anchors).
    Anchor {
        /// Destination name, unique in the document.
        name: String,
        /// Vertical position of the destination's top.
        y: f32,
    },
    /// What the items up to the matching [`Item::TagEnd`] are: content of a
    /// node of [`PagedDoc::structure`], or an artifact. Tags nest, and each
    /// box of layout opens and closes its own, so pagination never splits a
    /// pair. Text and images outside any tag are artifacts.
    TagStart(TagRef),
    /// Closes the innermost [`Item::TagStart`].
    TagEnd,
}

/// Where a link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// An external URL.
    Uri(String),
    /// A named destination in this document ([`Item::Anchor`]).
    Named(String),
}

/// A run of glyphs in one font, size and colour on one baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    /// The font.
    pub font: FontRef,
    /// Size in points.
    pub size: f32,
    /// Fill colour.
    pub color: Rgb,
    /// Left edge of the first glyph.
    pub x: f32,
    /// Baseline.
    pub y: f32,
    /// The glyphs, each positioned relative to `x`. Shared, like
    /// [`GlyphRun::text`]: moving a run changes only `x` and `y`, and
    /// `folio watch` copies the runs of the chapters it keeps into new
    /// pages on every rebuild.
    pub glyphs: std::sync::Arc<[Glyph]>,
    /// The text the glyphs show; each glyph's `text` range indexes it. Used for
    /// the ToUnicode map (ligatures map to several characters) and tests.
    pub text: std::sync::Arc<str>,
    /// The language of the text (BCP 47) when it is not the document's
    /// `/Lang` (a chapter or passage in another language); the writer marks
    /// it as a `/Span` with its own `/Lang`.
    pub lang: Option<std::sync::Arc<str>>,
}

/// One positioned glyph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    /// Glyph id in the font.
    pub id: u16,
    /// Horizontal position of the glyph origin relative to the run's `x`, in points.
    pub x: f32,
    /// Vertical offset from the baseline (positive = up), in points.
    pub y_offset: f32,
    /// Byte range in [`GlyphRun::text`] this glyph represents (a ligature
    /// covers several characters; a mark may cover none).
    pub text_start: u32,
    /// End of that range.
    pub text_end: u32,
}

/// A bookmark.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineItem {
    /// Title shown in the viewer.
    pub title: String,
    /// Page index (0-based).
    pub page: usize,
    /// Vertical position (top-left origin) to scroll to.
    pub y: f32,
    /// Nested bookmarks.
    pub children: Vec<OutlineItem>,
}

/// Numbering style of a page label range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelStyle {
    /// i, ii, iii
    LowerRoman,
    /// 1, 2, 3
    Decimal,
    /// No number (label prefix only).
    None,
}

/// Pages from `start` on are labelled in `style` starting at `first`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLabelRange {
    /// First page index (0-based) of the range.
    pub start: usize,
    /// Numbering style.
    pub style: LabelStyle,
    /// Number of the first page of the range.
    pub first: u32,
}

/// Document metadata.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocMeta {
    /// Title.
    pub title: String,
    /// Authors, joined for the info dictionary.
    pub authors: Vec<String>,
    /// Subject (the book's description).
    pub subject: Option<String>,
    /// Keywords.
    pub keywords: Vec<String>,
    /// BCP 47 language.
    pub language: String,
    /// Creation and modification date, seconds since the epoch.
    pub date: i64,
    /// A stable identifier (ISBN or UUID URN), used for the document ID.
    pub identifier: String,
}

/// What a [`Item::TagStart`] opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagRef {
    /// Content of a structure node.
    Node(NodeRef),
    /// Not part of the text: running heads, folios, leaders, marks.
    Artifact(ArtifactKind),
}

/// A node of [`Structure`]: group key and index in that group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeRef {
    /// [`StructGroup::key`] of the group the node is in.
    pub group: u32,
    /// Index in [`StructGroup::nodes`].
    pub node: u32,
}

/// Why something is an artifact (PDF's `/Type` of an artifact).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArtifactKind {
    /// Running heads and page numbers (`/Pagination`).
    Pagination,
    /// Rules, leaders, continuation marks, repeated table headers (`/Layout`).
    Layout,
}

/// The logical structure of a document, in reading order: what the tagged
/// PDF's structure tree says the marked content is. Layout builds it from
/// the document tree, one group per chapter or generated page, so a
/// chapter's part (with its flow) can be kept from one build to the next.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Structure {
    /// Groups in reading order; each group's first node is one of the
    /// document's top-level elements.
    pub groups: Vec<StructGroup>,
}

/// The nodes of one chapter or generated page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StructGroup {
    /// Unique in the document; [`NodeRef::group`] names it.
    pub key: u32,
    /// Nodes; index 0 is the group's root, every other node is some node's
    /// child.
    pub nodes: Vec<StructNode>,
    /// The key of an earlier group this one nests in (its root becomes the
    /// last child of that group's root): a section in its chapter, a
    /// chapter in its part. `None`: a child of the document.
    pub parent: Option<u32>,
}

/// One structure element.
#[derive(Debug, Clone, PartialEq)]
pub struct StructNode {
    /// What it is.
    pub kind: StructKind,
    /// Child nodes (indices in the same group), in reading order.
    pub children: Vec<u32>,
    /// Alternative text (figures).
    pub alt: Option<String>,
    /// Language, when not the document's (BCP 47).
    pub lang: Option<String>,
    /// Element identifier (notes, which references point to).
    pub id: Option<String>,
}

impl StructNode {
    /// A node of `kind` with no children or attributes.
    pub fn new(kind: StructKind) -> StructNode {
        StructNode {
            kind,
            children: Vec::new(),
            alt: None,
            lang: None,
            id: None,
        }
    }
}

/// Standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4) that books use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StructKind {
    /// A part of the book holding chapters.
    Part,
    /// A chapter or generated page.
    Sect,
    /// A generic block (an HTML `div`).
    Div,
    /// A heading, level 1 to 6.
    H(u8),
    /// A paragraph (also a chapter label, a title-page line).
    P,
    /// A list; `ordered` gives its labels' numbering.
    L {
        /// Numbered (decimal) rather than bulleted.
        ordered: bool,
    },
    /// A list item.
    LI,
    /// A list item's bullet or number.
    Lbl,
    /// A list item's content.
    LBody,
    /// A block quotation.
    BlockQuote,
    /// Code (a listing or code inside a paragraph).
    Code,
    /// A table.
    Table,
    /// The header rows of a table.
    THead,
    /// The body rows of a table.
    TBody,
    /// A table row.
    TR,
    /// A header cell, heading its column.
    TH,
    /// A data cell.
    TD,
    /// A figure; its [`StructNode::alt`] describes it.
    Figure,
    /// A figure's caption.
    Caption,
    /// A link: its text and its annotation.
    Link,
    /// A footnote.
    Note,
    /// A footnote mark or other reference.
    Reference,
    /// The table of contents.
    TOC,
    /// An entry of the contents.
    TOCI,
    /// Inline text set apart (another language).
    Span,
}
