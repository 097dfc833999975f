//! Paragraphs: inline content → shaped pieces → Knuth–Plass items → lines.
//!
//! Each word is shaped once (cached per distinct word, font and size) and
//! measured at its hyphenation points from the same shaping, so kerning and
//! ligatures inside a word survive and a break never splits a ligature.

use super::cx::{Cx, Role};
use super::flow::VBox;
use super::fonts::FontId;
use super::frame::{
    FontRef, Glyph, GlyphRun, Item, LinkTarget, NodeRef, Rect, Rgb, StructKind, TagRef,
};
use super::linebreak::{self, Item as K, Params};
use super::shape::{Features, ShapedText};
use crate::diag::Span;
use crate::ir::{self, Inline, InlineKind};
use std::sync::Arc;

/// How a paragraph is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParaStyle {
    /// Family role.
    pub role: Role,
    /// Font size.
    pub size: f32,
    /// Baseline-to-baseline distance.
    pub leading: f32,
    /// Bold face.
    pub bold: bool,
    /// Italic face.
    pub italic: bool,
    /// Text colour.
    pub color: Rgb,
    /// Line alignment.
    pub align: Align,
    /// Hyphenate words.
    pub hyphenate: bool,
    /// First-line indent in points.
    pub indent: f32,
}

/// Line alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Justified, last line flush left.
    Justify,
    /// Ragged right.
    Left,
    /// Centred lines.
    Center,
    /// Ragged left.
    Right,
}

/// Resolves IR link targets to frame targets (named destinations).
pub trait Links {
    /// The destination of an internal link.
    fn dest(&self, target: &ir::LinkTarget) -> Option<LinkTarget>;
    /// The index of an image in the document (registering it on first use),
    /// with its pixel size.
    fn image(&mut self, asset: ir::AssetId) -> Option<(usize, u32, u32)>;
    /// Whether document image `image` is vector (SVG).
    fn is_vector(&self, image: usize) -> bool;
    /// Pixels per inch a raster image records (its natural size), if any.
    fn pixels_per_inch(&self, _asset: ir::AssetId) -> Option<f32> {
        None
    }
    /// Height of the text block (figures are limited to part of it).
    fn text_height(&self) -> f32;
    /// Width of the text block (footnotes use it whatever the context).
    fn text_width(&self) -> f32;
    /// The printed page label of a destination, once known (page references).
    fn page_label(&self, dest: &str) -> Option<String>;
}

/// A laid-out line and the footnotes referenced on it.
#[derive(Debug, Clone)]
pub struct Line {
    /// The line's box (height = leading, items relative to its top).
    pub vbox: VBox,
    /// Note ids (`fn-…`) referenced on this line, in order.
    pub notes: Vec<String>,
    /// Where the first word that starts on this line or continues onto it
    /// begins in the paragraph's text, in characters (see
    /// [`crate::pagemap::TextPosition`]).
    pub text_offset: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Format {
    pub(super) bold: bool,
    pub(super) italic: bool,
    pub(super) code: bool,
    pub(super) strike: bool,
    /// Vertical shift as a fraction of the size (superscript > 0).
    pub(super) shift: f32,
    /// Size factor (superscripts and subscripts are smaller).
    pub(super) scale: f32,
    pub(super) link: Option<LinkTarget>,
    /// The inline structure node (a link) the text belongs to.
    pub(super) node: Option<NodeRef>,
    /// The language the text is written in.
    pub(super) lang: super::lang::LangId,
    /// Bidirectional embedding level (odd: right to left), from
    /// [`super::bidi`]; 0 in paragraphs without right-to-left text.
    pub(super) level: u8,
}

/// Inline content flattened into words, spaces and breaks.
#[derive(Debug, Clone)]
pub(super) enum Atom {
    Text {
        text: String,
        fmt: Format,
        span: Span,
        /// Characters of the paragraph's text before the word.
        offset: u32,
    },
    Space {
        fmt: Format,
    },
    /// A place to break between two pieces of text with no space between
    /// them (between ideographs, see [`super::segment`]); stretches a little
    /// when justifying, as the spacing between characters does in CJK text.
    Join {
        fmt: Format,
    },
    Break,
    /// The start (`Some(rtl)`) or end (`None`) of text isolated in one
    /// direction (`dir` on an element); read by [`super::bidi`], not drawn.
    Isolate(Option<bool>),
    Anchor(String),
    Note {
        number: u32,
        note_id: String,
        ref_id: String,
        fmt: Format,
    },
    Image {
        asset: ir::AssetId,
        alt: String,
        fmt: Format,
        /// The image's `Figure` node.
        node: Option<NodeRef>,
    },
}

struct Collector<'c, 'a> {
    cx: &'c mut Cx<'a>,
    links: &'c mut dyn Links,
    fmt: Format,
    atoms: Vec<Atom>,
    /// Characters of text and code collected so far.
    offset: u32,
}

impl Collector<'_, '_> {
    fn walk(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            match &inline.kind {
                InlineKind::Text(text) => self.text(text, inline.span),
                InlineKind::Code(code) => {
                    let saved = self.fmt.clone();
                    self.fmt.code = true;
                    self.text(code, inline.span);
                    self.fmt = saved;
                }
                InlineKind::Emph(c) => self.styled(c, |f| f.italic = !f.italic),
                InlineKind::Strong(c) => self.styled(c, |f| f.bold = true),
                InlineKind::Strike(c) => self.styled(c, |f| f.strike = true),
                InlineKind::Link {
                    target, content, ..
                } => {
                    let link = match target {
                        ir::LinkTarget::External(url) => Some(LinkTarget::Uri(url.clone())),
                        other => self.cx_dest(other),
                    };
                    let node = link
                        .as_ref()
                        .and_then(|_| self.cx.tags.add(StructKind::Link));
                    self.styled(content, |f| {
                        f.link = link.clone();
                        f.node = node.or(f.node);
                    });
                }
                InlineKind::Image(image) => {
                    if let Some(asset) = image.asset {
                        let node = self.figure(&image.alt);
                        self.atoms.push(Atom::Image {
                            asset,
                            alt: image.alt.clone(),
                            fmt: self.fmt.clone(),
                            node,
                        });
                    }
                }
                InlineKind::NoteRef {
                    number,
                    note_id,
                    ref_id,
                    ..
                } => {
                    let mut fmt = self.fmt.clone();
                    fmt.shift = 0.35;
                    fmt.scale = 0.65;
                    fmt.link = Some(LinkTarget::Named(note_id.clone()));
                    fmt.node = self.cx.tags.add(StructKind::Link);
                    self.atoms.push(Atom::Note {
                        number: *number,
                        note_id: note_id.clone(),
                        ref_id: ref_id.clone(),
                        fmt,
                    });
                }
                InlineKind::PageRef { target } => {
                    // "page 42": the number comes from the previous layout pass.
                    let link = self.cx_dest(target);
                    let number = match &link {
                        Some(LinkTarget::Named(dest)) => self.links.page_label(dest),
                        _ => None,
                    };
                    let text = self
                        .cx
                        .labels
                        .page_number(&number.unwrap_or_else(|| "00".into()));
                    let saved = self.fmt.clone();
                    self.fmt.node = link
                        .as_ref()
                        .and_then(|_| self.cx.tags.add(StructKind::Link));
                    self.fmt.link = link;
                    // Generated text: not counted in the tree's text.
                    let offset = self.offset;
                    self.text(&text, inline.span);
                    self.offset = offset;
                    self.fmt = saved;
                }
                InlineKind::SoftBreak => self.atoms.push(Atom::Space {
                    fmt: self.fmt.clone(),
                }),
                InlineKind::HardBreak => self.atoms.push(Atom::Break),
                InlineKind::Span { attrs, content } => self.element(attrs, content),
                InlineKind::Sup(c) => self.styled(c, |f| {
                    f.shift = 0.35;
                    f.scale = 0.7;
                }),
                InlineKind::Sub(c) => self.styled(c, |f| {
                    f.shift = -0.15;
                    f.scale = 0.7;
                }),
                InlineKind::Kbd(c) => self.styled(c, |f| f.code = true),
                InlineKind::Anchor { id } => self.atoms.push(Atom::Anchor(id.clone())),
            }
        }
    }

    /// An HTML element's content, in its `lang` (hyphenation, fonts, the
    /// PDF's `/Lang`) and, with `dir`, isolated in that direction as
    /// `<bdi>` would be.
    fn element(&mut self, attrs: &ir::Attrs, content: &[Inline]) {
        let saved = self.fmt.clone();
        if let Some(tag) = &attrs.lang {
            self.fmt.lang = self.cx.langs.intern(tag, self.cx.fonts);
        }
        let isolate = match attrs.dir.as_deref() {
            Some("rtl") => Some(true),
            Some("ltr") => Some(false),
            _ => None,
        };
        if let Some(rtl) = isolate {
            self.atoms.push(Atom::Isolate(Some(rtl)));
        }
        self.walk(content);
        if isolate.is_some() {
            self.atoms.push(Atom::Isolate(None));
        }
        self.fmt = saved;
    }

    fn cx_dest(&self, target: &ir::LinkTarget) -> Option<LinkTarget> {
        self.links.dest(target)
    }

    /// A `Figure` node for an image inside the text, described by its
    /// alternative text (one without is the `missing-alt` lint's: an error
    /// under `--strict`).
    fn figure(&mut self, alt: &str) -> Option<NodeRef> {
        let node = self.cx.tags.add(StructKind::Figure)?;
        let alt = alt.trim();
        if !alt.is_empty() {
            self.cx
                .tags
                .describe(node, |n| n.alt = Some(alt.to_owned()));
        }
        Some(node)
    }

    fn styled(&mut self, content: &[Inline], change: impl FnOnce(&mut Format)) {
        let saved = self.fmt.clone();
        change(&mut self.fmt);
        self.walk(content);
        self.fmt = saved;
    }

    fn text(&mut self, text: &str, span: Span) {
        let mut word = String::new();
        let mut word_offset = self.offset;
        for c in text.chars() {
            self.offset = self.offset.saturating_add(1);
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{2028}') {
                if !word.is_empty() {
                    self.push_word(std::mem::take(&mut word), span, word_offset);
                }
                if !matches!(self.atoms.last(), Some(Atom::Space { .. })) {
                    self.atoms.push(Atom::Space {
                        fmt: self.fmt.clone(),
                    });
                }
            } else if c != '\u{ad}' {
                if word.is_empty() {
                    word_offset = self.offset - 1;
                }
                word.push(c);
            }
        }
        if !word.is_empty() {
            self.push_word(word, span, word_offset);
        }
    }

    /// Adds a word (text without spaces), split where UAX #14 lets CJK text
    /// break, with a [`Atom::Join`] at each such place, and after the text
    /// it touches when a line may break between them.
    /// `offset` counts the paragraph's characters before the word.
    fn push_word(&mut self, word: String, span: Span, offset: u32) {
        if let Some(Atom::Text { text: before, .. }) = self.atoms.last() {
            if super::segment::breaks_between(before, &word) {
                self.atoms.push(Atom::Join {
                    fmt: self.fmt.clone(),
                });
            }
        }
        let breaks = super::segment::breaks(&word);
        if breaks.is_empty() {
            self.atoms.push(Atom::Text {
                text: word,
                fmt: self.fmt.clone(),
                span,
                offset,
            });
            return;
        }
        let mut start = 0;
        for at in breaks.into_iter().chain([word.len()]) {
            if start > 0 {
                self.atoms.push(Atom::Join {
                    fmt: self.fmt.clone(),
                });
            }
            let before = word.get(..start).map_or(0, |w| w.chars().count());
            self.atoms.push(Atom::Text {
                text: word[start..at].to_owned(),
                fmt: self.fmt.clone(),
                span,
                offset: offset.saturating_add(u32::try_from(before).unwrap_or(u32::MAX)),
            });
            start = at;
        }
    }
}

/// A measured piece of a line, one per Knuth–Plass item.
#[derive(Debug, Clone)]
enum Piece {
    /// Glyphs of word `word` covering text bytes `range`.
    Glyphs {
        word: usize,
        range: std::ops::Range<usize>,
    },
    /// An inline image.
    Image {
        image: usize,
        width: f32,
        height: f32,
        alt: String,
        fmt: Format,
        node: Option<NodeRef>,
    },
    /// Space, or a penalty with nothing to draw.
    Empty,
    /// A hyphenation point: draws a hyphen in word `word`'s font when the line breaks here.
    Hyphen { word: usize },
}

/// A shaped word (or the part of a word in one format).
pub(super) struct Word {
    pub(super) text: String,
    pub(super) shaped: ShapedText,
    pub(super) size: f32,
    pub(super) fmt: Format,
    pub(super) color: Rgb,
    /// Anchors placed where the word starts.
    anchors: Vec<String>,
    /// The word follows the previous one with no space between (pieces of
    /// CJK text, or of a word split by direction or format): its text is
    /// not set apart by a space in the PDF's text.
    pub(super) joined: bool,
    /// Its language when not the book's, for the PDF's `/Lang`.
    lang: Option<std::sync::Arc<str>>,
    note: Option<String>,
    /// Characters of the paragraph's text before the word (`None`:
    /// generated text).
    offset: Option<u32>,
    features: Features,
    primary: FontId,
    /// Points added after every glyph that advances (code's tracking).
    pub(super) tracking: f32,
}

impl Word {
    /// A glyph's advance in points, tracking included.
    fn advance(&self, x_advance: i32, scale: f32) -> f32 {
        let a = x_advance as f32 * scale;
        if x_advance != 0 { a + self.tracking } else { a }
    }
}

/// Lays out a paragraph of `inlines` at `width`. Footnote references are
/// returned per line so pagination keeps notes with their reference.
pub fn paragraph(
    cx: &mut Cx<'_>,
    links: &mut dyn Links,
    inlines: &[Inline],
    width: f32,
    style: &ParaStyle,
    span: Span,
) -> Vec<Line> {
    let atoms = {
        let lang = cx.lang;
        let mut c = Collector {
            cx,
            links,
            fmt: Format {
                bold: style.bold,
                italic: style.italic,
                scale: 1.0,
                lang,
                ..Format::default()
            },
            atoms: Vec::new(),
            offset: 0,
        };
        c.walk(inlines);
        c.atoms
    };
    let atoms = super::bidi::by_direction(atoms, cx.rtl);
    set(cx, links, &atoms, width, style, span)
}

/// Lays out plain text (titles, labels, table of contents entries).
pub fn plain(
    cx: &mut Cx<'_>,
    links: &mut dyn Links,
    text: &str,
    width: f32,
    style: &ParaStyle,
    span: Span,
) -> Vec<Line> {
    let inline = Inline {
        kind: InlineKind::Text(text.to_owned()),
        span,
    };
    paragraph(cx, links, std::slice::from_ref(&inline), width, style, span)
}

fn set(
    cx: &mut Cx<'_>,
    links: &mut dyn Links,
    atoms: &[Atom],
    width: f32,
    style: &ParaStyle,
    span: Span,
) -> Vec<Line> {
    let justify = style.align == Align::Justify;
    let mut params = if justify {
        Params::book(width)
    } else {
        // Ragged lines only ever stretch their line-end glue.
        Params {
            tolerance: 10.0,
            ..Params::new(width)
        }
    };
    params.max_consecutive_hyphens = usize::from(cx.style.text.max_consecutive_hyphens);
    let mut items: Vec<K> = Vec::with_capacity(atoms.len() * 2);
    let mut pieces: Vec<Piece> = Vec::with_capacity(atoms.len() * 2);
    let mut words: Vec<Word> = Vec::with_capacity(atoms.len());
    let mut pending_anchors: Vec<String> = Vec::new();
    let ragged_stretch = 3.0 * style.size;
    if style.indent > 0.0 {
        items.push(K::boxed(style.indent));
        pieces.push(Piece::Empty);
    }
    // Whether the previous atom was text touching the next one.
    let mut touching = false;
    for atom in atoms {
        let follows_text = touching;
        touching = match atom {
            Atom::Text { .. } | Atom::Join { .. } => true,
            Atom::Isolate(_) => touching,
            _ => false,
        };
        match atom {
            Atom::Text {
                text,
                fmt,
                span,
                offset,
            } => {
                let index = add_word(cx, &mut words, text, fmt, style, *span);
                words[index].joined = follows_text;
                words[index].anchors = std::mem::take(&mut pending_anchors);
                words[index].offset = Some(*offset);
                push_word(
                    cx,
                    &mut items,
                    &mut pieces,
                    &words,
                    index,
                    style,
                    justify,
                    ragged_stretch,
                    params.hyphen_penalty,
                );
            }
            Atom::Note {
                number,
                note_id,
                ref_id,
                fmt,
            } => {
                let index = add_word(cx, &mut words, &number.to_string(), fmt, style, span);
                let mut anchors = std::mem::take(&mut pending_anchors);
                anchors.push(ref_id.clone());
                words[index].anchors = anchors;
                words[index].note = Some(note_id.clone());
                let w = word_width(&words[index]);
                items.push(K::boxed(w));
                pieces.push(Piece::Glyphs {
                    word: index,
                    range: 0..words[index].text.len(),
                });
            }
            Atom::Space { fmt } => {
                if matches!(items.last(), None | Some(K::Glue { .. })) {
                    continue;
                }
                let font = face(cx, fmt, style);
                let size = style.size
                    * fmt.scale.max(0.1)
                    * if fmt.code { cx.inline_code_scale } else { 1.0 };
                let space = cx
                    .shaper
                    .shape(" ", font, Features::TEXT)
                    .width_pt(size)
                    .max(size * 0.2);
                if fmt.code {
                    // A space inside inline code is a character of the code:
                    // it keeps the code font's width, and the line breaks
                    // there only when nothing else will do.
                    let space = space + cx.style.code.tracking * size;
                    if justify {
                        items.extend(linebreak::fixed_space(space, CODE_SPACE_PENALTY));
                        pieces.extend([Piece::Empty, Piece::Empty]);
                    } else {
                        items.extend(linebreak::ragged_space_with_penalty(
                            space,
                            ragged_stretch,
                            CODE_SPACE_PENALTY,
                        ));
                        pieces.extend(std::iter::repeat_n(Piece::Empty, 4));
                    }
                } else if justify {
                    items.push(linebreak::book_space(space));
                    pieces.push(Piece::Empty);
                } else {
                    for item in linebreak::ragged_space(space, ragged_stretch) {
                        items.push(item);
                        pieces.push(Piece::Empty);
                    }
                }
            }
            Atom::Join { fmt } => {
                if !matches!(items.last(), Some(K::Box { .. })) {
                    continue;
                }
                // CJK lines are justified by spacing between characters: a
                // tenth of an em each way at most, no shrinking.
                let size = style.size * fmt.scale.max(0.1);
                if justify {
                    items.push(K::glue(0.0, size * INTER_CHARACTER_STRETCH, 0.0));
                    pieces.push(Piece::Empty);
                } else {
                    for item in linebreak::ragged_hyphen(0.0, 0.0, ragged_stretch) {
                        items.push(unflag(item));
                        pieces.push(Piece::Empty);
                    }
                }
            }
            Atom::Break => {
                items.push(K::glue(0.0, linebreak::FIL, 0.0));
                pieces.push(Piece::Empty);
                items.push(K::forced_break());
                pieces.push(Piece::Empty);
            }
            Atom::Anchor(name) => pending_anchors.push(name.clone()),
            Atom::Isolate(_) => {}
            Atom::Image {
                asset,
                alt,
                fmt,
                node,
            } => {
                if let Some((image, px_w, px_h)) = links.image(*asset) {
                    let height = style.size * 1.2;
                    let w = if px_h == 0 {
                        height
                    } else {
                        height * px_w as f32 / px_h as f32
                    };
                    let w = w.min(width);
                    let h = if px_w == 0 {
                        height
                    } else {
                        w * px_h as f32 / px_w as f32
                    };
                    items.push(K::boxed(w));
                    pieces.push(Piece::Image {
                        image,
                        width: w,
                        height: h,
                        alt: alt.clone(),
                        fmt: fmt.clone(),
                        node: *node,
                    });
                }
            }
        }
    }
    if !pending_anchors.is_empty() {
        // Anchors after the last word: attach to an empty word so they are placed.
        let index = add_word(
            cx,
            &mut words,
            "",
            &Format {
                scale: 1.0,
                ..Format::default()
            },
            style,
            span,
        );
        words[index].anchors = pending_anchors;
        items.push(K::boxed(0.0));
        pieces.push(Piece::Glyphs {
            word: index,
            range: 0..0,
        });
    }
    linebreak::finish_paragraph(&mut items);
    while pieces.len() < items.len() {
        pieces.push(Piece::Empty);
    }
    let breaks = linebreak::break_lines(&items, &params);
    if let Some(count) = &mut cx.overfull_counter {
        *count += breaks.overfull.len();
    }
    for &line in breaks
        .overfull
        .iter()
        .filter(|_| cx.overfull_counter.is_none())
    {
        cx.sink.push(
            crate::diag::Diagnostic::warning(
                span,
                format!(
                    "line {} of this paragraph is wider than the text block",
                    line + 1
                ),
            )
            .with_help(
                "a long word or URL cannot be broken; add a hyphenation exception or rephrase",
            ),
        );
    }
    build_lines(cx, &items, &pieces, &words, &breaks.breaks, width, style)
}

/// How far, in ems, each space between two CJK characters may stretch when
/// a line is justified (JIS X 4051 spreads a line's slack over them).
const INTER_CHARACTER_STRETCH: f32 = 0.1;

fn face(cx: &Cx<'_>, fmt: &Format, style: &ParaStyle) -> FontId {
    let role = if fmt.code { Role::Code } else { style.role };
    cx.fonts.face(role, fmt.bold, fmt.italic)
}

pub(super) fn add_word(
    cx: &mut Cx<'_>,
    words: &mut Vec<Word>,
    text: &str,
    fmt: &Format,
    style: &ParaStyle,
    span: Span,
) -> usize {
    let font = face(cx, fmt, style);
    // Code, inline or in a block, prints as typed: no ligature may turn
    // `==` or `->` into one glyph, on the page or in the copied text.
    let features = Features {
        rtl: fmt.level % 2 == 1,
        ..if fmt.code || style.role == Role::Code {
            Features::CODE
        } else {
            Features::TEXT
        }
    };
    let size = style.size * fmt.scale.max(0.1) * if fmt.code { cx.inline_code_scale } else { 1.0 };
    let tracking = if fmt.code || style.role == Role::Code {
        cx.style.code.tracking * size
    } else {
        0.0
    };
    let fonts = cx.fonts;
    let fallbacks = fonts.fallbacks_for(cx.langs.chain(fmt.lang), fmt.bold);
    let shaped = cx
        .shaper
        .shape_with_fallback(text, font, fallbacks, features);
    if !shaped.missing.is_empty() {
        let missing = shaped.missing.clone();
        cx.report_missing(&missing, span);
    }
    let color = if fmt.link.is_some() && cx.screen {
        super::cx::rgb(cx.style.colors.link)
    } else {
        style.color
    };
    words.push(Word {
        text: text.to_owned(),
        shaped,
        size,
        fmt: fmt.clone(),
        color,
        anchors: Vec::new(),
        joined: false,
        lang: cx.langs.other_tag(fmt.lang),
        note: None,
        offset: None,
        features,
        primary: font,
        tracking,
    });
    words.len() - 1
}

/// Width of a whole word in points, tracking included.
pub(super) fn word_width(word: &Word) -> f32 {
    let width = word.shaped.width_pt(word.size);
    if word.tracking == 0.0 {
        return width;
    }
    let advancing = word
        .shaped
        .runs
        .iter()
        .flat_map(|r| &r.run.glyphs)
        .filter(|g| g.x_advance != 0)
        .count();
    width + advancing as f32 * word.tracking
}

/// Byte offsets where the word's clusters end, with the pen position there.
pub(super) fn cluster_ends(word: &Word) -> Vec<(usize, f32)> {
    let mut ends = Vec::new();
    let mut x = 0.0;
    for placed in &word.shaped.runs {
        let scale = word.size / f32::from(placed.run.units_per_em.max(1));
        for span in placed.run.clusters() {
            for g in &placed.run.glyphs[span.glyphs.clone()] {
                x += word.advance(g.x_advance, scale);
            }
            ends.push((placed.start + span.text.end, x));
        }
    }
    ends
}

/// Pen position in points at byte `offset` of the word: the advances of every
/// glyph whose cluster starts before it. `None` when `offset` falls inside a
/// cluster (a ligature), where a break would split a glyph.
fn pen_at(word: &Word, offset: usize) -> Option<f32> {
    let mut x = 0.0;
    let mut boundary = offset == 0 || offset == word.text.len();
    for placed in &word.shaped.runs {
        let scale = word.size / f32::from(placed.run.units_per_em.max(1));
        for g in &placed.run.glyphs {
            let at = placed.start + g.cluster as usize;
            if at == offset {
                boundary = true;
            }
            if at < offset {
                x += word.advance(g.x_advance, scale);
            }
        }
    }
    boundary.then_some(x)
}

/// Cost of breaking a line at a space inside inline code: `cargo build` is
/// one piece of code, so breaking it is a last resort, taken only to avoid
/// a line stretched far beyond the tolerance or sticking out of the
/// measure (its square, 9·10⁶ demerits, outweighs a dozen loose lines).
pub const CODE_SPACE_PENALTY: f32 = 3000.0;

/// Cost of breaking inside a URL, a path or a code identifier (after `/`,
/// `.`, `_`, `::`…, with no hyphen drawn): worse still than breaking at a
/// space of the code, and only ever taken for a token wider than what the
/// line can otherwise absorb.
pub const TOKEN_BREAK_PENALTY: f32 = 5000.0;

/// Break points inside a word: hyphenation points for prose; after `/`, `.`,
/// `_` and similar for code and URLs, where no hyphen is drawn.
fn break_points(cx: &mut Cx<'_>, word: &Word, style: &ParaStyle) -> Vec<(usize, bool)> {
    let text = &word.text;
    if is_technical(word) {
        // After a separator, never inside a run of them: `std::|fmt`,
        // `https://|example.org/|path`, not `std:|:fmt` or `https:/|/`.
        let mut points = Vec::new();
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let next = i + c.len_utf8();
            let separator = matches!(c, '/' | '.' | '_' | ':' | '(' | ',' | '=' | '-' | '&' | '?');
            let repeated = chars.peek().is_some_and(|&(_, d)| d == c);
            if separator && !repeated && next < text.len() && next > 1 {
                points.push((next, false));
            }
        }
        return points;
    }
    if !style.hyphenate || word.fmt.link.is_some() && text.contains('@') {
        return Vec::new();
    }
    cx.hyphenation_points(word.fmt.lang, text).to_vec()
}

/// Code, URLs and paths: never hyphenated, broken only after `/`, `.`, `_`
/// and the like, at [`TOKEN_BREAK_PENALTY`].
fn is_technical(word: &Word) -> bool {
    let text = &word.text;
    word.fmt.code || text.contains("://") || text.matches('/').count() >= 2
}

#[expect(
    clippy::too_many_arguments,
    reason = "the item and piece lists grow together; a struct would only rename them"
)]
fn push_word(
    cx: &mut Cx<'_>,
    items: &mut Vec<K>,
    pieces: &mut Vec<Piece>,
    words: &[Word],
    index: usize,
    style: &ParaStyle,
    justify: bool,
    ragged_stretch: f32,
    hyphen_penalty: f32,
) {
    let word = &words[index];
    let technical = is_technical(word);
    let points = break_points(cx, word, style);
    let total = word_width(word);
    let hyphen_width = if points.iter().any(|(_, h)| *h) {
        cx.shaper
            .shape("-", word.primary, word.features)
            .width_pt(word.size)
    } else {
        0.0
    };
    let mut start = 0;
    let mut start_x = 0.0;
    for (point, draws_hyphen) in points {
        let Some(x) = pen_at(word, point) else {
            continue;
        };
        items.push(K::boxed(x - start_x));
        pieces.push(Piece::Glyphs {
            word: index,
            range: start..point,
        });
        let (width, penalty) = if technical {
            (0.0, TOKEN_BREAK_PENALTY)
        } else if draws_hyphen {
            (hyphen_width, hyphen_penalty)
        } else {
            // After the word's own dash ("well-|known").
            (0.0, hyphen_penalty)
        };
        // A break after the word's own dash ends the line with a hyphen
        // as much as a drawn one: both count towards the hyphen limit.
        let flagged = !technical;
        if justify {
            items.push(K::penalty(width, penalty, flagged));
            pieces.push(if draws_hyphen {
                Piece::Hyphen { word: index }
            } else {
                Piece::Empty
            });
        } else {
            for item in linebreak::ragged_hyphen(width, penalty, ragged_stretch) {
                let is_penalty = matches!(item, K::Penalty { penalty: p, .. } if p < linebreak::INFINITE_PENALTY);
                items.push(if flagged { item } else { unflag(item) });
                pieces.push(if is_penalty && draws_hyphen {
                    Piece::Hyphen { word: index }
                } else {
                    Piece::Empty
                });
            }
        }
        start = point;
        start_x = x;
    }
    items.push(K::boxed(total - start_x));
    pieces.push(Piece::Glyphs {
        word: index,
        range: start..word.text.len(),
    });
}

fn unflag(item: K) -> K {
    match item {
        K::Penalty { width, penalty, .. } => K::penalty(width, penalty, false),
        other => other,
    }
}

fn build_lines(
    cx: &mut Cx<'_>,
    items: &[K],
    pieces: &[Piece],
    words: &[Word],
    breaks: &[linebreak::Break],
    width: f32,
    style: &ParaStyle,
) -> Vec<Line> {
    let (asc, desc) = cx
        .fonts
        .extents(cx.fonts.face(style.role, style.bold, style.italic));
    let baseline = (style.leading + (asc - desc) * style.size) / 2.0;
    let justify = style.align == Align::Justify;
    let rtl = cx.rtl;
    let mut lines = Vec::with_capacity(breaks.len());
    let mut start = 0;
    for (n, br) in breaks.iter().enumerate() {
        let end = br.index.min(items.len());
        let mut first = start;
        if n > 0 {
            while first < end && !matches!(items[first], K::Box { .. }) {
                first += 1;
            }
        }
        // Positions of the line's items at the chosen adjustment ratio.
        let ratio = if justify { br.ratio } else { 0.0 };
        let mut x = 0.0;
        let mut placed: Vec<(usize, f32)> = Vec::new();
        for (j, item) in items.iter().enumerate().take(end).skip(first) {
            match *item {
                K::Box { width } => {
                    placed.push((j, x));
                    x += width;
                }
                K::Glue {
                    width,
                    stretch,
                    shrink,
                } => {
                    // Infinite (fil) stretch only ever meets ratio 0: never let
                    // 0 × ∞ turn the position into NaN.
                    let adjust = if ratio > 0.0 && stretch.is_finite() {
                        ratio * stretch
                    } else if ratio < 0.0 && shrink.is_finite() {
                        ratio * shrink
                    } else {
                        0.0
                    };
                    x += width + adjust;
                }
                K::Penalty { .. } => {}
            }
        }
        if br.hyphenated && end < items.len() {
            placed.push((end, x));
            if let K::Penalty { width, .. } = items[end] {
                x += width;
            }
        }
        if rtl
            || placed
                .iter()
                .any(|&(j, _)| piece_level(&pieces[j], words, rtl) > 0)
        {
            let width_of = |j: usize| match items[j] {
                K::Box { width } | K::Penalty { width, .. } => width,
                K::Glue { .. } => 0.0,
            };
            placed = super::bidi::visual_line(&placed, width_of, |j| {
                piece_level(&pieces[j], words, rtl)
            });
        }
        // A right-to-left paragraph starts at the right edge: its ragged and
        // last lines are flush right, and "left" (start) alignment is right.
        let shift = match (style.align, rtl) {
            (Align::Justify | Align::Left, false) | (Align::Right, true) => 0.0,
            (Align::Center, _) => ((width - x) / 2.0).max(0.0),
            (Align::Right, false) | (Align::Justify | Align::Left, true) => (width - x).max(0.0),
        };
        let mut vbox = VBox {
            height: style.leading,
            ..VBox::default()
        };
        let mut drawing = OpenRun::default();
        let mut notes = Vec::new();
        let mut link_rects: Vec<(LinkTarget, Option<NodeRef>, Rect)> = Vec::new();
        let mut text_offset = None;
        // The inline node (link, figure) whose content is being drawn.
        let mut open: Option<NodeRef> = None;
        let switch = |items: &mut Vec<Item>, open: &mut Option<NodeRef>, to: Option<NodeRef>| {
            if *open != to {
                if open.is_some() {
                    items.push(Item::TagEnd);
                }
                if let Some(node) = to {
                    items.push(Item::TagStart(TagRef::Node(node)));
                }
                *open = to;
            }
        };
        for (j, px) in placed {
            let px = px + shift;
            match &pieces[j] {
                Piece::Glyphs { word, range } => {
                    let w = &words[*word];
                    if text_offset.is_none() {
                        text_offset = w.offset;
                    }
                    if range.start == 0 {
                        for name in &w.anchors {
                            vbox.items.push(Item::Anchor {
                                name: name.clone(),
                                y: 0.0,
                            });
                        }
                        if let Some(note) = &w.note {
                            notes.push(note.clone());
                        }
                    }
                    switch(&mut vbox.items, &mut open, w.fmt.node);
                    let y = baseline - w.fmt.shift * style.size;
                    let drawn = glyph_runs(w, range.clone(), px, y, &mut vbox.items, &mut drawing);
                    if w.fmt.strike {
                        let sy = y - 0.28 * w.size;
                        vbox.items.push(Item::Line {
                            x0: px,
                            y0: sy,
                            x1: px + drawn,
                            y1: sy,
                            width: w.size / 18.0,
                            color: w.color,
                        });
                    }
                    if let Some(link) = &w.fmt.link {
                        link_rects.push((
                            link.clone(),
                            w.fmt.node,
                            Rect {
                                x: px,
                                y: 0.0,
                                w: drawn,
                                h: style.leading,
                            },
                        ));
                    }
                }
                Piece::Hyphen { word } => {
                    let w = &words[*word];
                    switch(&mut vbox.items, &mut open, w.fmt.node);
                    let hyphen = cx.shaper.shape("-", w.primary, w.features);
                    let run = hyphen_run(&hyphen, w, px, baseline);
                    vbox.items.push(Item::Glyphs(run));
                }
                Piece::Image {
                    image,
                    width: iw,
                    height: ih,
                    alt,
                    fmt,
                    node,
                } => {
                    let top = baseline - ih + desc * style.size * 0.3;
                    // The figure inside its link, if it is one.
                    switch(&mut vbox.items, &mut open, fmt.node);
                    let mut drawn = vec![Item::Image {
                        image: *image,
                        rect: Rect {
                            x: px,
                            y: top.max(0.0),
                            w: *iw,
                            h: *ih,
                        },
                        alt: alt.clone(),
                    }];
                    super::tagging::wrap_node(&mut drawn, *node);
                    vbox.items.extend(drawn);
                    if let Some(link) = &fmt.link {
                        link_rects.push((
                            link.clone(),
                            fmt.node,
                            Rect {
                                x: px,
                                y: 0.0,
                                w: *iw,
                                h: style.leading,
                            },
                        ));
                    }
                    vbox.height = vbox.height.max(ih + desc * style.size);
                }
                Piece::Empty => {}
            }
        }
        switch(&mut vbox.items, &mut open, None);
        // One link annotation per run of adjacent pieces of the same link.
        let mut merged: Vec<(LinkTarget, Option<NodeRef>, Rect)> = Vec::new();
        for (target, node, rect) in link_rects {
            match merged.last_mut() {
                Some((t, n, r))
                    if *t == target && *n == node && rect.x - (r.x + r.w) < style.size =>
                {
                    r.w = rect.x + rect.w - r.x
                }
                _ => merged.push((target, node, rect)),
            }
        }
        for (target, node, rect) in merged {
            // The annotation belongs to its link's node.
            let mut link = vec![Item::Link { rect, target }];
            super::tagging::wrap_node(&mut link, node);
            vbox.items.extend(link);
        }
        drawing.close(&mut vbox.items);
        lines.push(Line {
            vbox,
            notes,
            text_offset,
        });
        start = end + 1;
    }
    lines
}

/// The bidirectional level of a piece of a line; what has none (the
/// first-line indent) takes the paragraph's, so an indent stays at the
/// start of a right-to-left line.
fn piece_level(piece: &Piece, words: &[Word], rtl: bool) -> u8 {
    match piece {
        Piece::Glyphs { word, .. } | Piece::Hyphen { word } => {
            words.get(*word).map_or(u8::from(rtl), |w| w.fmt.level)
        }
        Piece::Image { fmt, .. } => fmt.level,
        Piece::Empty => u8::from(rtl),
    }
}

/// The glyph run [`glyph_runs`] is still adding to, by its index in the
/// items being drawn: its glyphs and text grow here, in buffers reused from
/// run to run, and go into the run, exactly sized and shared
/// ([`GlyphRun::glyphs`]), when it is closed. A line or listing row closes
/// its last run when it is done ([`OpenRun::close`]).
#[derive(Default)]
pub(super) struct OpenRun {
    at: Option<usize>,
    glyphs: Vec<Glyph>,
    text: String,
}

impl OpenRun {
    /// Moves the open run's glyphs and text into its item of `items`.
    pub(super) fn close(&mut self, items: &mut [Item]) {
        if let Some(Item::Glyphs(run)) = self.at.take().and_then(|at| items.get_mut(at)) {
            run.glyphs = Arc::from(self.glyphs.as_slice());
            run.text = Arc::from(self.text.as_str());
        }
        self.glyphs.clear();
        self.text.clear();
    }

    /// Makes the last item of `items`, a finished run, the open one again.
    fn reopen(&mut self, items: &[Item]) {
        if let Some(Item::Glyphs(run)) = items.last() {
            self.glyphs.extend_from_slice(&run.glyphs);
            self.text.push_str(&run.text);
            self.at = Some(items.len() - 1);
        }
    }
}

/// Draws the glyphs of `word` whose clusters fall in `range`, starting at `x`;
/// returns the drawn width. Each font's glyphs continue the last run of
/// `out` when it has the same font, size, colour, baseline and language: a
/// line becomes a few runs instead of one per word, which keeps pages small
/// and the PDF's text operators few. The text of the runs is joined with a
/// space, so glyphs keep mapping to their characters. Glyphs and text go
/// straight into that run (this is called for every word piece the layout
/// draws: no buffer per call).
pub(super) fn glyph_runs(
    word: &Word,
    range: std::ops::Range<usize>,
    x: f32,
    y: f32,
    out: &mut Vec<Item>,
    open: &mut OpenRun,
) -> f32 {
    let mut pen = 0.0;
    // A right-to-left word set in several fonts draws its last run first.
    let count = word.shaped.runs.len();
    let rtl = word.features.rtl;
    TEXT_RANGES.with_borrow_mut(|text_ranges| {
        for k in 0..count {
            let placed = &word.shaped.runs[if rtl { count - 1 - k } else { k }];
            let scale = word.size / f32::from(placed.run.units_per_em.max(1));
            placed.run.glyph_text_ranges_into(text_ranges);
            let drawn = |g: &super::shape::ShapedGlyph| {
                range.contains(&(placed.start + g.cluster as usize))
            };
            // Keep only the text the drawn glyphs stand for.
            let mut bounds: Option<(u32, u32)> = None;
            for (g, tr) in placed.run.glyphs.iter().zip(text_ranges.iter()) {
                if drawn(g) {
                    let (from, to) = bounds.get_or_insert((u32::MAX, 0));
                    *from = (*from).min(tr.start as u32);
                    *to = (*to).max(tr.end as u32);
                }
            }
            let Some((from, to)) = bounds else { continue };
            // The first drawn glyph's position: the pen moves only for drawn ones.
            let rx = pen;
            let run_x = x + rx;
            let font = FontRef(placed.run.font.0);
            let continues = matches!(out.last(), Some(Item::Glyphs(last))
                if last.font == font
                    && last.size == word.size
                    && last.color == word.color
                    && last.y == y
                    && last.lang == word.lang);
            if continues && open.at.is_none_or(|at| at + 1 != out.len()) {
                // A finished run (a hyphen, say) that this piece continues.
                open.close(out);
                open.reopen(out);
            }
            if !continues {
                open.close(out);
                out.push(Item::Glyphs(GlyphRun {
                    font,
                    size: word.size,
                    color: word.color,
                    x: run_x,
                    y,
                    glyphs: Arc::default(),
                    text: Arc::default(),
                    lang: word.lang.clone(),
                }));
                open.at = Some(out.len() - 1);
            }
            let Some(Item::Glyphs(run)) = out.last() else {
                continue;
            };
            let dx = run_x - run.x;
            // A piece after a hyphenation point continues its word: no space.
            let continues_word =
                word.joined || range.start > 0 || placed.start + (from as usize) > range.start;
            if continues && !continues_word {
                open.text.push(' ');
            }
            let shift = u32::try_from(open.text.len()).unwrap_or(u32::MAX);
            open.text.push_str(
                placed
                    .run
                    .text
                    .get(from as usize..to as usize)
                    .unwrap_or(""),
            );
            for (g, tr) in placed.run.glyphs.iter().zip(text_ranges.iter()) {
                if !drawn(g) {
                    continue;
                }
                let own_x = pen - rx + g.x_offset as f32 * scale;
                open.glyphs.push(Glyph {
                    id: g.glyph_id,
                    x: if continues { own_x + dx } else { own_x },
                    y_offset: g.y_offset as f32 * scale,
                    text_start: (tr.start as u32 - from).saturating_add(shift),
                    text_end: (tr.end as u32 - from).saturating_add(shift),
                });
                pen += word.advance(g.x_advance, scale);
            }
        }
    });
    pen
}

thread_local! {
    /// [`glyph_runs`]' buffer for a run's per-glyph text ranges.
    static TEXT_RANGES: std::cell::RefCell<Vec<std::ops::Range<usize>>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

fn hyphen_run(hyphen: &super::shape::ShapedRun, word: &Word, x: f32, baseline: f32) -> GlyphRun {
    let scale = word.size / f32::from(hyphen.units_per_em.max(1));
    let mut pen = 0.0;
    let glyphs = hyphen
        .glyphs
        .iter()
        .map(|g| {
            let glyph = Glyph {
                id: g.glyph_id,
                x: pen,
                y_offset: 0.0,
                text_start: 0,
                text_end: hyphen.text.len() as u32,
            };
            pen += g.x_advance as f32 * scale;
            glyph
        })
        .collect();
    GlyphRun {
        font: FontRef(hyphen.font.0),
        size: word.size,
        color: word.color,
        x,
        y: baseline,
        glyphs,
        text: hyphen.text.as_str().into(),
        lang: word.lang.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Sink;
    use crate::pdf::style::PrintStyle;
    use crate::source::SourceId;
    use crate::typography::hyphenate::Hyphenator;

    struct NoLinks;
    impl Links for NoLinks {
        fn dest(&self, _: &ir::LinkTarget) -> Option<LinkTarget> {
            None
        }
        fn image(&mut self, _: ir::AssetId) -> Option<(usize, u32, u32)> {
            None
        }
        fn is_vector(&self, _: usize) -> bool {
            false
        }
        fn text_height(&self) -> f32 {
            500.0
        }
        fn text_width(&self) -> f32 {
            300.0
        }
        fn page_label(&self, _: &str) -> Option<String> {
            None
        }
    }

    const TEXT: &str = "A traditional hosting provider sometimes required an upfront payment to set up the server and put it online. Nowadays there’s usually no upfront cost, but it still has some inconveniences. They usually sell shared servers where you upload the website code and they put it online, or dedicated servers. A dedicated server is, basically, a piece of hardware that they rent to you and you own during the term of the contract.";

    /// Right edge of a line: the end of its last glyph's advance.
    fn right_edge(fonts: &super::super::cx::Fonts, vbox: &VBox) -> f32 {
        vbox.items
            .iter()
            .filter_map(|it| match it {
                Item::Glyphs(run) => run.glyphs.last().map(|g| {
                    let f = fonts.book.font(FontId(run.font.0)).expect("font");
                    run.x
                        + g.x
                        + f32::from(f.glyph_advance(g.id).unwrap_or(0)) * run.size
                            / f32::from(f.units_per_em())
                }),
                _ => None,
            })
            .fold(0.0, f32::max)
    }

    fn with_cx(f: impl FnOnce(&mut Cx<'_>, &super::super::cx::Fonts)) {
        let style = PrintStyle::default();
        let mut sink = Sink::new();
        let fonts = crate::pdf::fonts::load(
            &style,
            std::path::Path::new("/"),
            "default",
            u64::MAX,
            &mut sink,
        )
        .expect("fonts");
        let hyphenator = Hyphenator::new("en", &[]).expect("hyphenator");
        let labels = crate::typography::lang::labels("en");
        let mut cx = Cx::new(
            &style,
            &fonts,
            &hyphenator,
            &labels,
            false,
            Default::default(),
        );
        f(&mut cx, &fonts);
    }

    #[test]
    fn justified_lines_fill_the_measure_except_the_last() {
        with_cx(|cx, fonts| {
            let style = super::super::blocks::body_style(cx);
            let span = Span::file(SourceId(0));
            for width in [200.0, 288.0, 324.0] {
                let lines = plain(cx, &mut NoLinks, TEXT, width, &style, span);
                assert!(lines.len() > 3);
                for (i, line) in lines.iter().enumerate() {
                    let edge = right_edge(fonts, &line.vbox);
                    if i + 1 < lines.len() {
                        assert!(
                            (edge - width).abs() <= 0.01,
                            "line {i} at width {width} ends at {edge}"
                        );
                    } else {
                        assert!(edge < width, "the last line is not stretched");
                    }
                }
            }
        });
    }

    #[test]
    fn code_and_urls_break_after_separators_never_inside_them() {
        with_cx(|cx, _| {
            let style = super::super::blocks::body_style(cx);
            let span = Span::file(SourceId(0));
            let mut words = Vec::new();
            let code = Format {
                code: true,
                scale: 1.0,
                ..Format::default()
            };
            let k = add_word(cx, &mut words, "std::fmt::Display", &code, &style, span);
            let at: Vec<usize> = break_points(cx, &words[k], &style)
                .iter()
                .map(|p| p.0)
                .collect();
            assert_eq!(at, vec![5, 10], "std::|fmt::|Display");
            let url = Format {
                scale: 1.0,
                ..Format::default()
            };
            let k = add_word(cx, &mut words, "https://example.org/a", &url, &style, span);
            let points = break_points(cx, &words[k], &style);
            assert!(
                points.iter().all(|&(p, hyphen)| !hyphen && p != 7),
                "{points:?}"
            );
        });
    }

    #[test]
    fn shaping_is_cached_per_distinct_word() {
        with_cx(|cx, _| {
            let style = super::super::blocks::body_style(cx);
            let span = Span::file(SourceId(0));
            let before = cx.shaper.stats();
            let text = "the cat and the dog and the cat ".repeat(50);
            let _ = plain(cx, &mut NoLinks, &text, 300.0, &style, span);
            let after = cx.shaper.stats();
            // 4 distinct words, a space and a hyphen at most: a handful of
            // shapings for 400 words.
            assert!(
                after.misses - before.misses <= 8,
                "{:?} → {:?}",
                before,
                after
            );
        });
    }

    #[test]
    fn ragged_and_centred_lines_stay_inside_the_measure() {
        with_cx(|cx, fonts| {
            let mut style = super::super::blocks::body_style(cx);
            for align in [Align::Left, Align::Center, Align::Right] {
                style.align = align;
                for line in plain(
                    cx,
                    &mut NoLinks,
                    TEXT,
                    250.0,
                    &style,
                    Span::file(SourceId(0)),
                ) {
                    let edge = right_edge(fonts, &line.vbox);
                    assert!(edge <= 250.01, "{align:?} line ends at {edge}");
                }
            }
        });
    }
}
