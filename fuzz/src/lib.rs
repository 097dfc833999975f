//! Input generators shared by the fuzz targets: small but arbitrary books and
//! manuscripts, built from the fuzzer's bytes with [`arbitrary::Unstructured`].
//!
//! The generated document tree keeps only the invariants the parser
//! guarantees and the backends are entitled to rely on (chapter and asset
//! indices in range, heading levels 1–6, HTML attributes of the shapes the
//! parser keeps, bounded nesting). Everything else is arbitrary: text with
//! control and bidi characters, ids, labels, note numbers, code tokens, image
//! bytes and sizes.

pub mod font;
pub mod svg;

use arbitrary::{Result, Unstructured};
use folio::diag::Span;
use folio::ir::{
    Align, Asset, AssetId, Attrs, Block, BlockKind, Book, Cell, Chapter, CodeToken,
    DefinitionItem, Figure, Footnote, Identifier, Image, Inline, InlineKind, Length, LinkTarget,
    ListItem, Metadata, Role, Table, TokenClass,
};
use folio::source::SourceId;
use std::path::PathBuf;

/// Strings that hit escaping, shaping and breaking corner cases.
const WORDS: &[&str] = &[
    "",
    " ",
    "word",
    "Ünïcödé",
    "a\u{0}b",
    "tab\there",
    "\u{200b}\u{200d}\u{feff}",
    "\u{202e}reversed\u{202c}",
    "\u{2066}isolate\u{2069}",
    "<&>\"'",
    "]]>",
    "--",
    "\r\n",
    "\u{fffe}\u{ffff}",
    "漢字かな",
    "مرحبا",
    "👩‍👩‍👧‍👦",
    "e\u{301}\u{301}\u{301}",
    "Pythonprogrammingisfun",
    "-",
    "\u{ad}",
    "\u{a0}",
    "#anchor",
    "ch.md",
    "https://example.org/",
];

/// Element names and attribute keys the parser keeps on HTML nodes.
const ELEMENTS: &[&str] = &["div", "listing", "section", "span", "foo-bar", "abbr", "x"];
const KEYS: &[&str] = &["file-name", "caption", "data-x", "number", "a.b_c"];

/// Code languages: known ones (highlighted), an unknown one, none.
const LANGS: &[&str] = &["python", "rust", "json", "sh", "html", "toml", "nope"];

const ROLES: usize = Role::ALL.len();

/// Deepest block or inline nesting generated (the parser caps real input).
const MAX_DEPTH: u32 = 5;

/// Builds a [`Book`] from fuzz bytes.
pub struct BookGen<'a, 'b> {
    u: &'b mut Unstructured<'a>,
    chapters: usize,
    assets: usize,
    /// Upper bound on blocks per container, to keep PDF layout fast.
    width: u32,
}

impl<'a, 'b> BookGen<'a, 'b> {
    /// A generator; `width` bounds blocks and inlines per container.
    pub fn new(u: &'b mut Unstructured<'a>, width: u32) -> Self {
        BookGen {
            u,
            chapters: 1,
            assets: 0,
            width,
        }
    }

    /// A whole book with 1–`max_chapters` chapters and up to three images.
    pub fn book(&mut self, max_chapters: usize) -> Result<Book> {
        self.chapters = self.u.int_in_range(1..=max_chapters.max(1))?;
        let assets = (0..self.u.int_in_range(0..=3)?)
            .map(|i| self.asset(i))
            .collect::<Result<Vec<_>>>()?;
        self.assets = assets.len();
        let meta = self.meta()?;
        let chapters = (0..self.chapters)
            .map(|_| self.chapter())
            .collect::<Result<Vec<_>>>()?;
        Ok(Book {
            meta,
            chapters,
            assets,
        })
    }

    fn span(&mut self) -> Result<Span> {
        let start = self.u.int_in_range(0..=64)?;
        Ok(Span::new(SourceId(0), start, start + 1))
    }

    /// Arbitrary text: raw fuzz bytes, a tricky word, or a word repeated.
    pub fn text(&mut self) -> Result<String> {
        Ok(match self.u.int_in_range(0..=3)? {
            0 => self.u.arbitrary::<String>()?,
            1 => {
                let word = self.u.choose(WORDS)?;
                let n = self.u.int_in_range(1..=40)?;
                vec![*word; n].join(" ")
            }
            2 => {
                let word = self.u.choose(WORDS)?;
                word.repeat(self.u.int_in_range(1..=300)?)
            }
            _ => (*self.u.choose(WORDS)?).to_owned(),
        })
    }

    fn id(&mut self) -> Result<String> {
        // A small alphabet, so ids collide.
        Ok(match self.u.int_in_range(0..=4)? {
            0 => String::new(),
            1 => self.text()?,
            n => format!("id-{n}"),
        })
    }

    fn asset_id(&mut self) -> Result<Option<AssetId>> {
        if self.assets == 0 || self.u.ratio(1, 5)? {
            return Ok(None);
        }
        Ok(Some(AssetId(self.u.choose_index(self.assets)?)))
    }

    fn target(&mut self) -> Result<LinkTarget> {
        Ok(match self.u.int_in_range(0..=3)? {
            0 => LinkTarget::External(self.text()?),
            1 => LinkTarget::Unresolved(self.text()?),
            _ => LinkTarget::Internal {
                chapter: self.u.choose_index(self.chapters)?,
                anchor: if self.u.arbitrary()? {
                    Some(self.id()?)
                } else {
                    None
                },
            },
        })
    }

    fn asset(&mut self, i: usize) -> Result<Asset> {
        let (media_type, bytes) = match self.u.int_in_range(0..=5)? {
            0 => ("image/png", png(self.u)?),
            1 => ("image/svg+xml", svg(self.u)?.into_bytes()),
            2 => ("image/jpeg", jpeg(self.u)?),
            3 => ("image/gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec()),
            4 => (
                *self
                    .u
                    .choose(&["image/png", "image/jpeg", "image/svg+xml", "image/webp"])?,
                self.u.arbitrary::<Vec<u8>>()?,
            ),
            _ => ("image/png", self.u.arbitrary::<Vec<u8>>()?),
        };
        let dim = |u: &mut Unstructured<'_>| -> Result<u32> {
            Ok(match u.int_in_range(0..=5)? {
                0 => 0,
                1 => u32::MAX,
                _ => u.int_in_range(1..=4000)?,
            })
        };
        Ok(Asset {
            path: PathBuf::from(format!("/fuzz/img{i}")),
            href: format!("images/img{i}"),
            media_type,
            width: dim(self.u)?,
            height: dim(self.u)?,
            ppi: match self.u.int_in_range(0..=2)? {
                0 => Some(self.u.int_in_range(10..=10_000)? as f32),
                _ => None,
            },
            bytes: std::sync::Arc::new(bytes),
        })
    }

    fn meta(&mut self) -> Result<Metadata> {
        let opt = |g: &mut Self| -> Result<Option<String>> {
            Ok(if g.u.arbitrary()? {
                Some(g.text()?)
            } else {
                None
            })
        };
        Ok(Metadata {
            title: self.text()?,
            subtitle: opt(self)?,
            authors: (0..self.u.int_in_range(0..=3)?)
                .map(|_| self.text())
                .collect::<Result<_>>()?,
            language: (*self.u.choose(&["en", "en-GB", "de", "fr", "x", ""])?).to_owned(),
            identifier: match self.u.int_in_range(0..=2)? {
                0 => Identifier::Isbn13("9780306406157".into()),
                1 => Identifier::Uuid(self.text()?),
                _ => Identifier::Derived(self.text()?),
            },
            print_identifier: None,
            publisher: opt(self)?,
            date: opt(self)?,
            edition: opt(self)?,
            description: opt(self)?,
            rights: opt(self)?,
            subjects: (0..self.u.int_in_range(0..=2)?)
                .map(|_| self.text())
                .collect::<Result<_>>()?,
            cover: self.asset_id()?,
            slug: "fuzz".into(),
        })
    }

    fn chapter(&mut self) -> Result<Chapter> {
        let blocks = self.blocks(0)?;
        let notes = (0..self.u.int_in_range(0..=2)?)
            .map(|_| {
                Ok(Footnote {
                    label: self.text()?,
                    number: self.u.arbitrary()?,
                    id: self.id()?,
                    first_ref: self.id()?,
                    blocks: self.blocks(1)?,
                    span: self.span()?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Chapter {
            id: format!("c{}", self.u.int_in_range(0..=3)?),
            title: self.inlines(0)?,
            role: Role::ALL[self.u.choose_index(ROLES)?].1,
            depth: self.u.int_in_range(0..=3)?,
            title_heading: self.u.arbitrary()?,
            number: self.u.arbitrary()?,
            blocks,
            notes,
            span: self.span()?,
            // Other languages and directions: hyphenation, fonts, line
            // breaking and bidi by language.
            lang: [None, Some("ar"), Some("ja"), Some("de"), Some("he")]
                [self.u.choose_index(5)?]
            .map(str::to_owned),
            dir: [None, Some("rtl"), Some("ltr"), Some("auto")][self.u.choose_index(4)?]
                .map(str::to_owned),
        })
    }

    /// Blocks nested `depth` deep.
    pub fn blocks(&mut self, depth: u32) -> Result<Vec<Block>> {
        let n = self.u.int_in_range(0..=self.width)?;
        (0..n).map(|_| self.block(depth)).collect()
    }

    fn block(&mut self, depth: u32) -> Result<Block> {
        let leaf = depth >= MAX_DEPTH;
        let kind = match self.u.int_in_range(0..=if leaf { 6 } else { 12 })? {
            0 => BlockKind::Heading {
                level: self.u.int_in_range(1..=6)?,
                id: self.id()?,
                classes: vec![],
                content: self.inlines(depth)?,
            },
            1 => BlockKind::Code {
                lang: if self.u.arbitrary()? {
                    Some((*self.u.choose(LANGS)?).to_owned())
                } else {
                    None
                },
                text: self.text()?,
                tokens: (0..self.u.int_in_range(0..=4)?)
                    .map(|_| {
                        Ok(CodeToken {
                            class: TokenClass::Keyword,
                            start: self.u.int_in_range(0..=40)?,
                            end: self.u.int_in_range(0..=40)?,
                        })
                    })
                    .collect::<Result<_>>()?,
            },
            2 => BlockKind::Table(self.table(depth)?),
            3 => BlockKind::Figure(Figure {
                image: self.image()?,
                caption: self.inlines(depth)?,
                id: if self.u.arbitrary()? {
                    Some(self.id()?)
                } else {
                    None
                },
            }),
            4 => BlockKind::Rule,
            5 => BlockKind::Paragraph {
                content: self.inlines(depth)?,
            },
            6 => BlockKind::Paragraph {
                content: self.inlines(depth)?,
            },
            7 => BlockKind::Quote {
                blocks: self.blocks(depth + 1)?,
            },
            9 => BlockKind::Div {
                attrs: self.attrs()?,
                blocks: self.blocks(depth + 1)?,
            },
            10 => BlockKind::Details {
                attrs: self.attrs()?,
                summary: self.inlines(depth + 1)?,
                blocks: self.blocks(depth + 1)?,
            },
            11 => BlockKind::BlockFigure {
                attrs: self.attrs()?,
                caption: self.inlines(depth + 1)?,
                blocks: self.blocks(depth + 1)?,
            },
            12 => BlockKind::DefinitionList {
                attrs: self.attrs()?,
                items: (0..self.u.int_in_range(0..=self.width)?)
                    .map(|_| {
                        Ok(DefinitionItem {
                            term: self.inlines(depth + 1)?,
                            details: (0..self.u.int_in_range(0..=2)?)
                                .map(|_| self.blocks(depth + 1))
                                .collect::<Result<_>>()?,
                            span: self.span()?,
                        })
                    })
                    .collect::<Result<_>>()?,
            },
            _ => BlockKind::List {
                start: self.u.arbitrary()?,
                items: (0..self.u.int_in_range(0..=self.width)?)
                    .map(|_| {
                        Ok(ListItem {
                            task: self.u.arbitrary()?,
                            blocks: self.blocks(depth + 1)?,
                            span: self.span()?,
                        })
                    })
                    .collect::<Result<_>>()?,
            },
        };
        Ok(Block {
            kind,
            span: self.span()?,
        })
    }

    fn table(&mut self, depth: u32) -> Result<Table> {
        let cols = self.u.int_in_range(0..=6)?;
        let row = |g: &mut Self, n: usize| -> Result<Vec<Cell>> {
            (0..n)
                .map(|_| {
                    Ok(Cell {
                        content: g.inlines(depth + 1)?,
                        span: g.span()?,
                    })
                })
                .collect()
        };
        // Ragged rows on purpose: the parser never makes them, backends must cope.
        let head_cols = if self.u.ratio(1, 4)? {
            self.u.int_in_range(0..=6)?
        } else {
            cols
        };
        let head = row(self, head_cols)?;
        let rows = (0..self.u.int_in_range(0..=5)?)
            .map(|_| {
                let n = if self.u.ratio(1, 4)? {
                    self.u.int_in_range(0..=6)?
                } else {
                    cols
                };
                row(self, n)
            })
            .collect::<Result<_>>()?;
        let align = (0..cols)
            .map(|_| {
                Ok(*self
                    .u
                    .choose(&[Align::None, Align::Left, Align::Center, Align::Right])?)
            })
            .collect::<Result<_>>()?;
        Ok(Table { align, head, rows })
    }

    fn image(&mut self) -> Result<Image> {
        Ok(Image {
            asset: self.asset_id()?,
            src: self.text()?,
            alt: self.text()?,
            title: self.text()?,
            width: self.length()?,
            height: self.length()?,
        })
    }

    /// Attributes as the parser keeps them: ids and classes without white
    /// space, `lang` of letters, digits and `-`, a known `dir`, data keys.
    fn attrs(&mut self) -> Result<Attrs> {
        let word = |g: &mut Self| -> Result<String> {
            Ok(g.text()?.split_whitespace().next().unwrap_or("w").to_owned())
        };
        let mut attrs = Attrs::element(self.u.choose(ELEMENTS)?);
        if self.u.arbitrary()? {
            attrs.id = Some(word(self)?);
        }
        for _ in 0..self.u.int_in_range(0..=2)? {
            attrs.classes.push(word(self)?);
        }
        if self.u.arbitrary()? {
            attrs.lang = Some((*self.u.choose(&["en", "fr-CA", "x-klingon", "de"])?).into());
        }
        if self.u.arbitrary()? {
            attrs.dir = Some((*self.u.choose(&["ltr", "rtl", "auto"])?).into());
        }
        if self.u.arbitrary()? {
            attrs.title = Some(self.text()?);
        }
        for _ in 0..self.u.int_in_range(0..=2)? {
            let key = (*self.u.choose(KEYS)?).to_owned();
            let value = self.text()?;
            attrs.other.push((key, value));
        }
        Ok(attrs)
    }

    fn length(&mut self) -> Result<Option<Length>> {
        Ok(match self.u.int_in_range(0..=3)? {
            0 => Some(Length::Px(self.u.int_in_range(1..=100_000)? as f32)),
            1 => Some(Length::Percent(self.u.int_in_range(1..=100)? as f32)),
            _ => None,
        })
    }

    /// Inlines nested `depth` deep.
    pub fn inlines(&mut self, depth: u32) -> Result<Vec<Inline>> {
        let n = self.u.int_in_range(0..=self.width)?;
        (0..n).map(|_| self.inline(depth)).collect()
    }

    fn inline(&mut self, depth: u32) -> Result<Inline> {
        let leaf = depth >= MAX_DEPTH;
        let kind = match self.u.int_in_range(0..=if leaf { 7 } else { 15 })? {
            0 | 1 => InlineKind::Text(self.text()?),
            2 => InlineKind::Code(self.text()?),
            3 => InlineKind::Image(self.image()?),
            4 => InlineKind::NoteRef {
                label: self.text()?,
                number: self.u.arbitrary()?,
                note_id: self.id()?,
                ref_id: self.id()?,
            },
            5 => InlineKind::PageRef {
                target: self.target()?,
            },
            6 => {
                if self.u.arbitrary()? {
                    InlineKind::SoftBreak
                } else {
                    InlineKind::HardBreak
                }
            }
            7 => InlineKind::Anchor { id: self.id()? },
            8 => InlineKind::Emph(self.inlines(depth + 1)?),
            12 => InlineKind::Span {
                attrs: self.attrs()?,
                content: self.inlines(depth + 1)?,
            },
            13 => InlineKind::Sup(self.inlines(depth + 1)?),
            14 => InlineKind::Sub(self.inlines(depth + 1)?),
            15 => InlineKind::Kbd(self.inlines(depth + 1)?),
            9 => InlineKind::Strong(self.inlines(depth + 1)?),
            10 => InlineKind::Strike(self.inlines(depth + 1)?),
            _ => InlineKind::Link {
                target: self.target()?,
                title: self.text()?,
                content: self.inlines(depth + 1)?,
            },
        };
        Ok(Inline {
            kind,
            span: self.span()?,
        })
    }
}

/// A tiny PNG with arbitrary size (≤ 64×64), colour type and pixels.
pub fn png(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    let w = u.int_in_range(1..=64u32)?;
    let h = u.int_in_range(1..=64u32)?;
    let (color, channels) = *u.choose(&[
        (png::ColorType::Grayscale, 1),
        (png::ColorType::GrayscaleAlpha, 2),
        (png::ColorType::Rgb, 3),
        (png::ColorType::Rgba, 4),
    ])?;
    let mut data = vec![0u8; (w * h) as usize * channels];
    let fill = u.bytes(data.len().min(u.len()))?;
    data[..fill.len()].copy_from_slice(fill);
    let mut out = Vec::new();
    {
        let mut e = png::Encoder::new(&mut out, w, h);
        e.set_color(color);
        e.set_depth(png::BitDepth::Eight);
        let Ok(mut writer) = e.write_header() else {
            return Ok(Vec::new());
        };
        let _ = writer.write_image_data(&data);
    }
    Ok(out)
}

/// A small SVG, sometimes with `<use>` fan-out, text or an embedded image.
pub fn svg(u: &mut Unstructured<'_>) -> Result<String> {
    let mut body = String::new();
    for _ in 0..u.int_in_range(0..=6)? {
        body.push_str(u.choose(&[
            "<rect width=\"10\" height=\"10\" fill=\"red\"/>",
            "<g id=\"g\"><circle r=\"3\"/></g>",
            "<use href=\"#g\"/>",
            "<use href=\"#g\" x=\"5\"/><use href=\"#g\" y=\"5\"/>",
            "<text x=\"1\" y=\"9\">Fig. 1</text>",
            "<image href=\"data:image/png;base64,AAAA\" width=\"1\" height=\"1\"/>",
            "<path d=\"M0 0 L 10 10 Z\" stroke=\"black\"/>",
            "<linearGradient id=\"l\"><stop offset=\"0\"/></linearGradient>",
        ])?);
    }
    let size = *u.choose(&["width=\"20\" height=\"20\"", "viewBox=\"0 0 20 20\"", ""])?;
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" {size}>{body}</svg>"
    ))
}

/// A small JPEG (grey or RGB) of arbitrary size and pixels.
pub fn jpeg(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    let w = u.int_in_range(1..=32u16)?;
    let h = u.int_in_range(1..=32u16)?;
    let (color, channels) = *u.choose(&[
        (jpeg_encoder::ColorType::Luma, 1),
        (jpeg_encoder::ColorType::Rgb, 3),
    ])?;
    let mut data = vec![128u8; usize::from(w) * usize::from(h) * channels];
    let fill = u.bytes(data.len().min(u.len()))?;
    data[..fill.len()].copy_from_slice(fill);
    let mut out = Vec::new();
    let _ = jpeg_encoder::Encoder::new(&mut out, 80).encode(&data, w, h, color);
    Ok(out)
}

/// Markdown fragments for manuscripts, so random bytes hit real constructs.
pub const MARKDOWN: &[&str] = &[
    "# Title\n",
    "## Sub {#id .c}\n",
    "\n\n",
    "> ",
    "- ",
    "1. ",
    "- [x] ",
    "```python\nprint(1)\n```\n",
    "    indented\n",
    "|a|b|\n|-|:-:|\n|1|2|\n",
    "[^n]",
    "\n[^n]: note\n",
    "[link](ch1.md#title)",
    "[{page}](ch0.md)",
    "[](#sub)",
    "![alt](images/a.png \"Caption\")",
    "![alt](images/b.svg)",
    "![](../outside.png)",
    "<div>",
    "</div>",
    "<img src=\"images/a.png\" alt=\"x\">",
    "<img src=\"/etc/passwd\">",
    "<br>",
    "&nbsp;",
    "*",
    "**",
    "~~",
    "`",
    "\"quoted\" it's -- ...",
    "---\n",
    "\r\n",
    "\u{feff}",
    "\u{202e}",
    "\0",
    "\t",
];

/// The built-in fonts, loaded once, as the PDF writer receives them (SVG
/// text is set in them).
pub fn fonts() -> &'static [std::sync::Arc<folio::pdf::layout::frame::FontData>] {
    static FONTS: std::sync::OnceLock<Vec<std::sync::Arc<folio::pdf::layout::frame::FontData>>> =
        std::sync::OnceLock::new();
    FONTS.get_or_init(|| {
        let mut sink = folio::diag::Sink::new();
        let style = folio::pdf::style::PrintStyle::default();
        let Some(fonts) =
            folio::pdf::fonts::load(
                &style,
                std::path::Path::new("/"),
                "style",
                folio::config::limits::Limits::default().file_bytes,
                &mut sink,
            )
        else {
            return Vec::new();
        };
        let book = &fonts.book;
        book.ids()
            .filter_map(|id| book.font(id))
            .map(|f| {
                std::sync::Arc::new(folio::pdf::layout::frame::FontData {
                    bytes: f.data_arc(),
                    index: f.face_index(),
                    postscript_name: f.postscript_name().to_owned(),
                })
            })
            .collect()
    })
}

/// A number in PDF objects that readers cannot convert: NaN, infinity, or
/// more than twelve digits before the point. Binary streams are skipped.
pub fn bad_number(pdf: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(pdf);
    let mut in_binary = false;
    for line in text.split(['\n', '\r']) {
        if line.contains('\u{fffd}') || line.bytes().any(|b| b >= 0x80) {
            in_binary = true;
        }
        if line.starts_with("endstream") {
            in_binary = false;
            continue;
        }
        if in_binary {
            continue;
        }
        for token in line.split(|c: char| c.is_whitespace() || "[]()<>/{}".contains(c)) {
            let t = token.trim_start_matches(['-', '+']);
            if matches!(t, "inf" | "NaN" | "nan") {
                return Some(token.to_owned());
            }
            if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                let whole = t.split('.').next().unwrap_or("");
                if whole.len() > 12 {
                    return Some(token.to_owned());
                }
            }
        }
    }
    None
}
