//! The document tree every backend reads: plain data, no EPUB or PDF knowledge,
//! every node with the [`Span`] it came from. Parsing builds it once
//! (`crate::parse`); typography passes refine it; backends only read it.

pub mod dump;
pub mod outline;
pub mod walk;

use crate::diag::Span;
use std::path::PathBuf;

/// A whole book, ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Book {
    /// Title, authors, identifiers and the rest of the package metadata.
    pub meta: Metadata,
    /// Chapters in reading order (front matter, body, back matter).
    pub chapters: Vec<Chapter>,
    /// Images and other files the chapters or metadata refer to.
    pub assets: Vec<Asset>,
}

/// Validated book metadata (from `book.toml`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Metadata {
    /// Main title.
    pub title: String,
    /// Optional subtitle.
    pub subtitle: Option<String>,
    /// Authors, in display order.
    pub authors: Vec<String>,
    /// BCP 47 tag, validated.
    pub language: String,
    /// The book's unique identifier.
    pub identifier: Identifier,
    /// ISBN-13 of the print edition (digits only), when given.
    pub print_identifier: Option<String>,
    /// Publisher name.
    pub publisher: Option<String>,
    /// Publication date (`YYYY[-MM[-DD]]`).
    pub date: Option<String>,
    /// Edition statement.
    pub edition: Option<String>,
    /// Store description.
    pub description: Option<String>,
    /// Rights statement.
    pub rights: Option<String>,
    /// Subject keywords.
    pub subjects: Vec<String>,
    /// The cover image, an index into [`Book::assets`].
    pub cover: Option<AssetId>,
    /// Output file stem.
    pub slug: String,
}

/// How the book identifies itself to stores and reading systems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identifier {
    /// A checksum-valid ISBN-13, digits only.
    Isbn13(String),
    /// A UUID given by the author (lowercase hyphenated form).
    Uuid(String),
    /// A UUID derived from the title because none was given (stable across builds).
    Derived(String),
}

impl Default for Identifier {
    fn default() -> Self {
        Identifier::Derived(String::new())
    }
}

impl Identifier {
    /// The URN form used in package documents (`urn:isbn:…`, `urn:uuid:…`).
    pub fn urn(&self) -> String {
        match self {
            Identifier::Isbn13(isbn) => format!("urn:isbn:{isbn}"),
            Identifier::Uuid(uuid) | Identifier::Derived(uuid) => format!("urn:uuid:{uuid}"),
        }
    }

    /// The ISBN, when the book has one (for copyright pages).
    pub fn isbn(&self) -> Option<&str> {
        match self {
            Identifier::Isbn13(isbn) => Some(isbn),
            _ => None,
        }
    }
}

/// Index into [`Book::assets`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AssetId(pub usize);

/// A file the book packages (image, cover), read and checked once at load time.
#[derive(Debug, Clone, PartialEq)]
pub struct Asset {
    /// Canonical path on disk (always inside the book folder).
    pub path: PathBuf,
    /// Path relative to the book folder with `/` separators; stable, used for
    /// package file names.
    pub href: String,
    /// Media type (`image/png`, `image/jpeg`, `image/svg+xml`, `image/gif`, `image/webp`).
    pub media_type: &'static str,
    /// Pixel width (for SVG: its user-unit width).
    pub width: u32,
    /// Pixel height.
    pub height: u32,
    /// Pixels per inch the file records (raster images), for its natural
    /// printed size.
    pub ppi: Option<f32>,
    /// The file's bytes, as given (never re-encoded); shared with the PDF
    /// layout rather than copied.
    pub bytes: std::sync::Arc<Vec<u8>>,
}

/// Where a chapter sits in the book, which decides its EPUB landmarks and its
/// place and page numbering in the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// A cover page.
    Cover,
    /// A title page.
    TitlePage,
    /// The copyright page.
    Copyright,
    /// A dedication.
    Dedication,
    /// An epigraph.
    Epigraph,
    /// A foreword by someone else.
    Foreword,
    /// The author's preface.
    Preface,
    /// An introduction (front matter when placed before the first chapter).
    Introduction,
    /// An ordinary numbered chapter.
    Chapter,
    /// A part divider.
    Part,
    /// An appendix.
    Appendix,
    /// An afterword.
    Afterword,
    /// Acknowledgments.
    Acknowledgments,
    /// A glossary.
    Glossary,
    /// A bibliography.
    Bibliography,
    /// About the author.
    AboutTheAuthor,
}

/// Front, body or back matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Matter {
    /// Before the first chapter (roman page numbers in print).
    Front,
    /// The main text.
    Body,
    /// After the main text.
    Back,
}

impl Role {
    /// Every role, with the name used in front matter.
    pub const ALL: [(&'static str, Role); 16] = [
        ("cover", Role::Cover),
        ("titlepage", Role::TitlePage),
        ("copyright", Role::Copyright),
        ("dedication", Role::Dedication),
        ("epigraph", Role::Epigraph),
        ("foreword", Role::Foreword),
        ("preface", Role::Preface),
        ("introduction", Role::Introduction),
        ("chapter", Role::Chapter),
        ("part", Role::Part),
        ("appendix", Role::Appendix),
        ("afterword", Role::Afterword),
        ("acknowledgments", Role::Acknowledgments),
        ("glossary", Role::Glossary),
        ("bibliography", Role::Bibliography),
        ("about-the-author", Role::AboutTheAuthor),
    ];

    /// Parses a front-matter role name.
    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.iter().find(|(n, _)| *n == name).map(|(_, r)| *r)
    }

    /// The front-matter name of the role.
    pub fn name(self) -> &'static str {
        Role::ALL
            .iter()
            .find(|(_, r)| *r == self)
            .map_or("chapter", |(n, _)| n)
    }

    /// Which part of the book the role belongs to.
    pub fn matter(self) -> Matter {
        match self {
            Role::Cover
            | Role::TitlePage
            | Role::Copyright
            | Role::Dedication
            | Role::Epigraph
            | Role::Foreword
            | Role::Preface
            | Role::Introduction => Matter::Front,
            Role::Chapter | Role::Part => Matter::Body,
            Role::Appendix
            | Role::Afterword
            | Role::Acknowledgments
            | Role::Glossary
            | Role::Bibliography
            | Role::AboutTheAuthor => Matter::Back,
        }
    }
}

/// One chapter file (or a part divider from `SUMMARY.md`).
#[derive(Debug, Clone, PartialEq)]
pub struct Chapter {
    /// Book-unique id; also the stem of the chapter's output file.
    pub id: String,
    /// Title, from front matter, the first heading, or the `SUMMARY.md` entry.
    pub title: Vec<Inline>,
    /// Role, from front matter (default: chapter).
    pub role: Role,
    /// Nesting depth in `SUMMARY.md` (0 for top-level chapters, 1 for their
    /// sections…). Headings are leveled from it: the chapter's title is level
    /// `depth + 1`, its headings deeper, so the book is one outline.
    pub depth: u8,
    /// Whether the first block is the chapter's own title heading (the file
    /// opened with a heading). When false, backends set `title` as that
    /// heading themselves: the title is set once either way.
    pub title_heading: bool,
    /// Chapter number for numbered body chapters (1-based), `None` otherwise.
    pub number: Option<u32>,
    /// The chapter's content.
    pub blocks: Vec<Block>,
    /// Footnote definitions of this chapter, numbered in order of first reference.
    pub notes: Vec<Footnote>,
    /// Where the chapter comes from (its file, or the `SUMMARY.md` line of a part).
    pub span: Span,
    /// The chapter's language (BCP 47, from front matter `lang`) when it is
    /// not the book's; see [`Chapter::language`].
    pub lang: Option<String>,
    /// `ltr`, `rtl` or `auto` from front matter `dir`; `None` follows the
    /// language (see [`Chapter::rtl`]).
    pub dir: Option<String>,
}

impl Chapter {
    /// The language the chapter is written in: its own, else the book's.
    /// Blocks and inlines inside inherit it unless an HTML element says
    /// otherwise (`lang` on a `<div>` or `<span>`), so the tree stores a
    /// language only where it changes.
    pub fn language<'a>(&'a self, book: &'a Metadata) -> &'a str {
        self.lang.as_deref().unwrap_or(&book.language)
    }

    /// Whether the chapter runs right to left: `dir = "rtl"`, or no `dir`
    /// (or `auto`) and a right-to-left language.
    pub fn rtl(&self, book: &Metadata) -> bool {
        match self.dir.as_deref() {
            Some("rtl") => true,
            Some("ltr") => false,
            _ => crate::typography::lang::is_rtl(self.language(book)),
        }
    }
}

impl Chapter {
    /// The heading that opens the chapter and sets its title in the text,
    /// when the file opened with one ([`Chapter::title_heading`]).
    pub fn title_block(&self) -> Option<&Block> {
        self.blocks
            .first()
            .filter(|b| self.title_heading && matches!(b.kind, BlockKind::Heading { .. }))
    }
}

/// A block-level node.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// Where it starts in the source.
    pub span: Span,
}

/// The kinds of block Markdown has.
#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    /// `#`…`######`, with a book-unique id.
    Heading {
        /// 1 to 6.
        level: u8,
        /// Anchor id, unique across the book.
        id: String,
        /// Classes from `{.class}` attributes.
        classes: Vec<String>,
        /// The heading text.
        content: Vec<Inline>,
    },
    /// A paragraph of running text.
    Paragraph {
        /// The paragraph's inlines.
        content: Vec<Inline>,
    },
    /// `>` block quote.
    Quote {
        /// Quoted blocks.
        blocks: Vec<Block>,
    },
    /// Ordered (`start` set) or bulleted list.
    List {
        /// First number of an ordered list; `None` for bullets.
        start: Option<u64>,
        /// The items.
        items: Vec<ListItem>,
    },
    /// Fenced or indented code.
    Code {
        /// First word of the fence's info string (`rust,ignore` → `rust`).
        lang: Option<String>,
        /// The code, ending with a newline.
        text: String,
        /// Highlighted ranges of `text` (empty when the language is unknown).
        tokens: Vec<CodeToken>,
    },
    /// A table.
    Table(Table),
    /// An image alone in its paragraph.
    Figure(Figure),
    /// `---` thematic break.
    Rule,
    /// A block container from HTML: `<div>`, `<section>`, `<aside>`, or an
    /// element folio does not know (`<Listing …>`), kept transparent.
    Div {
        /// The element's name and attributes.
        attrs: Attrs,
        /// What it holds (Markdown between its tags included).
        blocks: Vec<Block>,
    },
    /// `<details>` with its `<summary>`: a titled block, always open in print.
    Details {
        /// The element's attributes.
        attrs: Attrs,
        /// The summary line (empty when the author wrote none).
        summary: Vec<Inline>,
        /// The body.
        blocks: Vec<Block>,
    },
    /// An HTML `<figure>` holding something other than one image (code, a
    /// table, several images), with its `<figcaption>`.
    BlockFigure {
        /// The element's attributes.
        attrs: Attrs,
        /// The caption (may be empty).
        caption: Vec<Inline>,
        /// What the figure shows.
        blocks: Vec<Block>,
    },
    /// `<dl>`: terms and their descriptions.
    DefinitionList {
        /// The element's attributes.
        attrs: Attrs,
        /// Terms in order, each with its descriptions.
        items: Vec<DefinitionItem>,
    },
}

/// One term of a definition list with the descriptions that follow it.
#[derive(Debug, Clone, PartialEq)]
pub struct DefinitionItem {
    /// The `<dt>` text (empty when descriptions come before any term).
    pub term: Vec<Inline>,
    /// Each `<dd>`.
    pub details: Vec<Vec<Block>>,
    /// Where the term is.
    pub span: Span,
}

/// Attributes an author wrote on an HTML element, kept for the backends and
/// later passes. Event handlers, `style` and the like never get here.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attrs {
    /// The element's name, lowercase (`div`, `listing`).
    pub element: String,
    /// `id`, when it is a usable id (unique in the chapter).
    pub id: Option<String>,
    /// `class`, split at whitespace.
    pub classes: Vec<String>,
    /// `lang` (or `xml:lang`).
    pub lang: Option<String>,
    /// `dir`: `ltr`, `rtl` or `auto`.
    pub dir: Option<String>,
    /// `title`.
    pub title: Option<String>,
    /// Other attributes of elements folio does not know (`file-name`,
    /// `caption`), in the order written.
    pub other: Vec<(String, String)>,
}

impl Attrs {
    /// Attributes with only an element name.
    pub fn element(name: &str) -> Attrs {
        Attrs {
            element: name.to_owned(),
            ..Attrs::default()
        }
    }

    /// Whether anything beyond the element name is set.
    pub fn is_plain(&self) -> bool {
        self.id.is_none()
            && self.classes.is_empty()
            && self.lang.is_none()
            && self.dir.is_none()
            && self.title.is_none()
            && self.other.is_empty()
    }
}

/// A length an author gave an image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Length {
    /// CSS pixels (`width="300"`, `width: 300px`).
    Px(f32),
    /// Percent of the text width (`style="width: 50%"`).
    Percent(f32),
}

/// One list item.
#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    /// Task list state: `Some(true)` for `[x]`, `Some(false)` for `[ ]`.
    pub task: Option<bool>,
    /// Content of the item.
    pub blocks: Vec<Block>,
    /// Where the item starts.
    pub span: Span,
}

/// Column alignment of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// No alignment given.
    None,
    /// `:---`
    Left,
    /// `:---:`
    Center,
    /// `---:`
    Right,
}

/// A table: header row, body rows, alignment per column.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Alignment per column.
    pub align: Vec<Align>,
    /// Header cells.
    pub head: Vec<Cell>,
    /// Body rows.
    pub rows: Vec<Vec<Cell>>,
}

/// A table cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The cell's text.
    pub content: Vec<Inline>,
    /// Where the cell starts.
    pub span: Span,
}

/// An image with its caption, set apart from the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The image.
    pub image: Image,
    /// Caption, from the image title (may be empty).
    pub caption: Vec<Inline>,
    /// Anchor id, when given through an `<a id>` or attribute (unused otherwise).
    pub id: Option<String>,
}

/// A reference to an image asset.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// The asset; `None` only in books that failed to load (never rendered).
    pub asset: Option<AssetId>,
    /// The path as written in the Markdown.
    pub src: String,
    /// Alternative text (empty when the author gave none).
    pub alt: String,
    /// Title attribute; for a figure, its caption.
    pub title: String,
    /// Width the author asked for (`width`, `style="width: …"`).
    pub width: Option<Length>,
    /// Height the author asked for.
    pub height: Option<Length>,
}

/// A footnote definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Footnote {
    /// The label as written (`[^label]`).
    pub label: String,
    /// 1-based number within the chapter, in order of first reference.
    pub number: u32,
    /// Anchor id of the note, unique across the book.
    pub id: String,
    /// Anchor id of the note's first reference, where its back link returns.
    pub first_ref: String,
    /// The note's content.
    pub blocks: Vec<Block>,
    /// Where the definition is.
    pub span: Span,
}

/// An inline node.
#[derive(Debug, Clone, PartialEq)]
pub struct Inline {
    /// What the inline is.
    pub kind: InlineKind,
    /// Where it starts.
    pub span: Span,
}

/// The kinds of inline content.
#[derive(Debug, Clone, PartialEq)]
pub enum InlineKind {
    /// Plain text (already smart-punctuated when enabled).
    Text(String),
    /// `*emphasis*`
    Emph(Vec<Inline>),
    /// `**strong**`
    Strong(Vec<Inline>),
    /// `~~strikethrough~~`
    Strike(Vec<Inline>),
    /// `` `code` ``
    Code(String),
    /// A hyperlink.
    Link {
        /// Where it goes.
        target: LinkTarget,
        /// Link title attribute.
        title: String,
        /// Link text.
        content: Vec<Inline>,
    },
    /// An image inside running text.
    Image(Image),
    /// A footnote reference.
    NoteRef {
        /// The label as written.
        label: String,
        /// The note's number in its chapter.
        number: u32,
        /// The note's anchor id.
        note_id: String,
        /// This reference's own anchor id (for the back link).
        ref_id: String,
    },
    /// A cross-reference that prints the target's page in paged formats
    /// (`[{page}](ch.md#x)` or `[](ch.md#x)`); a link with the target's
    /// title in reflowable ones.
    PageRef {
        /// Where it points.
        target: LinkTarget,
    },
    /// A soft line break (a space when rendered).
    SoftBreak,
    /// A hard line break.
    HardBreak,
    /// An inline element from HTML: `<span>`, `<small>`, `<mark>`, or one
    /// folio does not know, kept transparent with its attributes.
    Span {
        /// The element's name and attributes.
        attrs: Attrs,
        /// Its content.
        content: Vec<Inline>,
    },
    /// `<sup>`
    Sup(Vec<Inline>),
    /// `<sub>`
    Sub(Vec<Inline>),
    /// `<kbd>`: keys to press.
    Kbd(Vec<Inline>),
    /// A link target with no text (`<a id="x"></a>`).
    Anchor {
        /// The id.
        id: String,
    },
}

/// The destination of a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// A URL outside the book (`https:`, `mailto:` …), left alone.
    External(String),
    /// A place in the book.
    Internal {
        /// Index of the chapter in [`Book::chapters`].
        chapter: usize,
        /// Anchor id inside it; `None` for the chapter's start.
        anchor: Option<String>,
    },
    /// As written, not yet resolved (only between parsing and resolving).
    Unresolved(String),
}

/// Concatenated plain text of inlines, for titles in navigation, alt text,
/// slugs and metadata.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    walk::for_each_text(inlines, &mut |t| out.push_str(t));
    out
}

/// A highlighted range of a code block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeToken {
    /// What the range is.
    pub class: TokenClass,
    /// First byte in the code text.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

/// The few semantic classes highlighting distinguishes: enough to read code,
/// few enough to map to print colours and e-ink styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TokenClass {
    /// Comments.
    Comment,
    /// String and character literals.
    String,
    /// Numeric literals.
    Number,
    /// `True`, `None`, `self`, constants.
    Constant,
    /// Keywords and storage modifiers.
    Keyword,
    /// Operators.
    Operator,
    /// Function names (definitions and calls).
    Function,
    /// Type and class names.
    Type,
    /// Markup tag names.
    Tag,
    /// Markup attributes and mapping keys.
    Attribute,
}

impl TokenClass {
    /// Short stable name, used for CSS classes (`hl-kw`) and style keys.
    pub fn short_name(self) -> &'static str {
        match self {
            TokenClass::Comment => "cm",
            TokenClass::String => "st",
            TokenClass::Number => "nu",
            TokenClass::Constant => "co",
            TokenClass::Keyword => "kw",
            TokenClass::Operator => "op",
            TokenClass::Function => "fn",
            TokenClass::Type => "ty",
            TokenClass::Tag => "tg",
            TokenClass::Attribute => "at",
        }
    }
}

/// The title of the heading with id `anchor` in `chapter` (the chapter's title
/// when there is no anchor or no such heading), for cross-references.
pub fn target_title(book: &Book, chapter: usize, anchor: Option<&str>) -> String {
    let Some(ch) = book.chapters.get(chapter) else {
        return String::new();
    };
    if let Some(anchor) = anchor {
        let mut found = None;
        walk::blocks(&ch.blocks, &mut |b| {
            if let BlockKind::Heading { id, content, .. } = &b.kind {
                if id == anchor && found.is_none() {
                    found = Some(plain_text(content));
                }
            }
        });
        if let Some(title) = found {
            return title;
        }
    }
    plain_text(&ch.title)
}
