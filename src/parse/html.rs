//! Raw HTML in Markdown, read the way a browser reads it: html5ever's HTML5
//! tokenizer (the Servo project's, the spec's state machine: every named
//! character reference, comments holding `--`, unquoted and duplicate
//! attributes, raw text in `<script>` and `<style>`) turns each piece of raw
//! HTML into tags and text; [`classify`] says what each element becomes in
//! the document tree. Building the tree — pairing tags across the Markdown
//! between them — is the Markdown builder's job (`markdown/html_tags.rs`).
//!
//! Why the tokenizer and not html5ever's tree builder: CommonMark cuts HTML
//! into pieces (an opening tag, Markdown, a closing tag), and the Markdown in
//! between is parsed by pulldown-cmark into our own nodes. A tree builder
//! wants one HTML string; the tokenizer can be fed piece by piece, so tags
//! pair up around the Markdown nodes on one stack, each with its own span.

use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::cell::{Cell, RefCell};

/// One token of raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HtmlToken {
    /// `<name attr=value …>`.
    Start(StartTag),
    /// `</name>`.
    End(String),
    /// Text between tags, character references decoded.
    Text(String),
}

/// An opening tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartTag {
    /// Lowercase name as written, prefix included (`div`, `listing`, `h:script`).
    pub name: String,
    /// Attributes in the order written (names lowercase, first of duplicates kept).
    pub attrs: Vec<(String, String)>,
    /// Written `<name/>`.
    pub self_closing: bool,
}

impl StartTag {
    /// The value of attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Tokens of pieces of HTML fed one after the other into one tokenizer (an
/// HTML block's lines), each with the index of the piece where it ended.
/// Comments, doctypes and processing instructions produce nothing.
pub fn tokenize(pieces: &[&str]) -> Vec<(HtmlToken, usize)> {
    let tokenizer = Tokenizer::new(
        Collect {
            tokens: RefCell::new(Vec::new()),
            piece: Cell::new(0),
        },
        TokenizerOpts::default(),
    );
    for (i, piece) in pieces.iter().enumerate() {
        tokenizer.sink.piece.set(i);
        let queue = BufferQueue::default();
        queue.push_back((*piece).into());
        let _ = tokenizer.feed(&queue);
    }
    tokenizer.end();
    tokenizer.sink.tokens.take()
}

/// The tokenizer's sink: collects tokens, and switches the tokenizer to raw
/// text after the tags whose content is not HTML (as the tree builder would).
struct Collect {
    tokens: RefCell<Vec<(HtmlToken, usize)>>,
    piece: Cell<usize>,
}

impl TokenSink for Collect {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let piece = self.piece.get();
        let mut tokens = self.tokens.borrow_mut();
        match token {
            Token::TagToken(tag) => {
                let name = tag.name.to_string();
                if tag.kind == TagKind::EndTag {
                    tokens.push((HtmlToken::End(name), piece));
                    return TokenSinkResult::Continue;
                }
                let raw = if tag.self_closing {
                    None
                } else {
                    match name.as_str() {
                        "script" => Some(TokenSinkResult::RawData(RawKind::ScriptData)),
                        "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                            Some(TokenSinkResult::RawData(RawKind::Rawtext))
                        }
                        "textarea" | "title" => Some(TokenSinkResult::RawData(RawKind::Rcdata)),
                        "plaintext" => Some(TokenSinkResult::Plaintext),
                        _ => None,
                    }
                };
                let mut attrs: Vec<(String, String)> = Vec::with_capacity(tag.attrs.len());
                for a in tag.attrs {
                    let key = a.name.local.to_string();
                    if !attrs.iter().any(|(k, _)| *k == key) {
                        attrs.push((key, a.value.to_string()));
                    }
                }
                tokens.push((
                    HtmlToken::Start(StartTag {
                        name,
                        attrs,
                        self_closing: tag.self_closing,
                    }),
                    piece,
                ));
                raw.unwrap_or(TokenSinkResult::Continue)
            }
            Token::CharacterTokens(text) => {
                match tokens.last_mut() {
                    Some((HtmlToken::Text(prev), p)) if *p == piece => prev.push_str(&text),
                    _ => tokens.push((HtmlToken::Text(text.to_string()), piece)),
                }
                TokenSinkResult::Continue
            }
            Token::NullCharacterToken
            | Token::CommentToken(_)
            | Token::DoctypeToken(_)
            | Token::EOFToken
            | Token::ParseError(_) => TokenSinkResult::Continue,
        }
    }
}

/// What an HTML element becomes in the document tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Element {
    /// A block container (`div`, `section`, `aside`…): [`crate::ir::BlockKind::Div`].
    Div,
    /// `p`.
    Paragraph,
    /// `h1`…`h6`.
    Heading(u8),
    /// `blockquote`.
    Quote,
    /// `ul`, `ol`, `menu`.
    List {
        /// `ol`.
        ordered: bool,
    },
    /// `li`.
    Item,
    /// `pre`: a code block.
    Pre,
    /// `hr`.
    Rule,
    /// `figure`.
    Figure,
    /// `figcaption`.
    FigCaption,
    /// `details`.
    Details,
    /// `summary`.
    Summary,
    /// `dl`.
    DefinitionList,
    /// `dt`.
    Term,
    /// `dd`.
    Description,
    /// `table`.
    Table,
    /// `caption` of a table.
    TableCaption,
    /// `tr`.
    Row,
    /// `td` or `th`.
    Cell {
        /// `th`.
        header: bool,
    },
    /// `thead`, `tbody`, `tfoot`: rows go to the table either way.
    TableSection,
    /// `em`, `i`, `cite`, `var`, `dfn`.
    Emph,
    /// `strong`, `b`.
    Strong,
    /// `s`, `del`, `strike`.
    Strike,
    /// `code`, `tt`, `samp`.
    Code,
    /// `kbd`.
    Kbd,
    /// `sup`.
    Sup,
    /// `sub`.
    Sub,
    /// `a`.
    Link,
    /// `br`.
    Break,
    /// `img`.
    Image,
    /// An inline container (`span`, `small`, `mark`, `abbr`…).
    Span,
    /// Content kept where it is, the element itself forgotten (`noscript`,
    /// `picture`, `form`, `label`, `html`, `body`).
    Transparent,
    /// A media element (`video`, `audio`, `canvas`): dropped, its fallback
    /// content kept, with a note.
    Media,
    /// MathML: its text is kept (a note says it is not typeset).
    Math,
    /// Active or embedded content, dropped with everything inside and a note.
    Dropped(Dropped),
    /// Void or metadata elements that carry nothing for a book (`source`,
    /// `track`, `wbr`, `meta`, `input`, `col`): ignored.
    Ignored,
    /// An element folio does not know (`<Listing>`, `<h7>`): transparent, a
    /// block container in block context and an inline one in running text.
    Unknown,
}

/// Why an element is dropped with its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dropped {
    /// `script`, `noscript` content for scripting, `template`.
    Script,
    /// `style`.
    Style,
    /// `iframe`, `frame`, `frameset`, `object`, `embed`, `applet`, `portal`.
    Embedded,
    /// Inline `svg`: not packaged as an image file.
    Svg,
    /// `head`, `title`, `noembed`, `noframes`, `textarea`, `select`,
    /// `button`'s kin: nothing a reader sees in a book.
    Hidden,
}

/// What element `name` (lowercase, as tokenized) is. A prefixed name
/// (`h:script`) is classified by its local part, so a namespace prefix can
/// never carry active content past the check.
pub fn classify(name: &str) -> Element {
    let local = name.rsplit(':').next().unwrap_or(name);
    match local {
        "div" | "section" | "article" | "aside" | "header" | "footer" | "main" | "nav"
        | "center" | "address" | "hgroup" | "search" | "fieldset" => Element::Div,
        "p" => Element::Paragraph,
        "h1" => Element::Heading(1),
        "h2" => Element::Heading(2),
        "h3" => Element::Heading(3),
        "h4" => Element::Heading(4),
        "h5" => Element::Heading(5),
        "h6" => Element::Heading(6),
        "blockquote" => Element::Quote,
        "ul" | "menu" | "dir" => Element::List { ordered: false },
        "ol" => Element::List { ordered: true },
        "li" => Element::Item,
        // Not `listing`: HTML's obsolete synonym of `pre` is, in real books,
        // the Rust book's custom element around a code fence.
        "pre" => Element::Pre,
        "hr" => Element::Rule,
        "figure" => Element::Figure,
        "figcaption" => Element::FigCaption,
        "details" => Element::Details,
        "summary" => Element::Summary,
        "dl" => Element::DefinitionList,
        "dt" => Element::Term,
        "dd" => Element::Description,
        "table" => Element::Table,
        "caption" => Element::TableCaption,
        "tr" => Element::Row,
        "td" => Element::Cell { header: false },
        "th" => Element::Cell { header: true },
        "thead" | "tbody" | "tfoot" => Element::TableSection,
        "em" | "i" | "cite" | "var" | "dfn" => Element::Emph,
        "strong" | "b" => Element::Strong,
        "s" | "del" | "strike" => Element::Strike,
        "code" | "tt" | "samp" => Element::Code,
        "kbd" => Element::Kbd,
        "sup" => Element::Sup,
        "sub" => Element::Sub,
        "a" => Element::Link,
        "br" => Element::Break,
        "img" | "image" => Element::Image,
        "span" | "small" | "big" | "mark" | "u" | "ins" | "abbr" | "acronym" | "q" | "time"
        | "bdi" | "bdo" | "data" | "font" | "ruby" | "rb" | "rt" | "rtc" | "rp" | "output"
        | "meter" | "progress" | "nobr" => Element::Span,
        "noscript" | "picture" | "form" | "label" | "legend" | "html" | "body" | "map" | "slot"
        | "optgroup" | "option" | "datalist" | "button" => Element::Transparent,
        "video" | "audio" | "canvas" => Element::Media,
        "math" => Element::Math,
        "script" | "template" => Element::Dropped(Dropped::Script),
        "style" => Element::Dropped(Dropped::Style),
        "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "portal" => {
            Element::Dropped(Dropped::Embedded)
        }
        "svg" => Element::Dropped(Dropped::Svg),
        "head" | "title" | "noembed" | "noframes" | "textarea" | "select" | "dialog" | "xmp"
        | "plaintext" => Element::Dropped(Dropped::Hidden),
        "source" | "track" | "param" | "wbr" | "meta" | "link" | "base" | "input" | "col"
        | "colgroup" | "area" | "keygen" | "basefont" | "bgsound" => Element::Ignored,
        _ => Element::Unknown,
    }
}

impl Element {
    /// Elements HTML writes without a closing tag.
    pub fn is_void(self, name: &str) -> bool {
        matches!(self, Element::Break | Element::Image | Element::Rule)
            || matches!(
                name.rsplit(':').next().unwrap_or(name),
                "area"
                    | "base"
                    | "col"
                    | "embed"
                    | "input"
                    | "link"
                    | "meta"
                    | "source"
                    | "track"
                    | "wbr"
                    | "param"
                    | "keygen"
                    | "basefont"
                    | "bgsound"
                    | "frame"
            )
    }

    /// Elements that make a block of their own (everything else sits in
    /// running text).
    pub fn is_block(self) -> bool {
        matches!(
            self,
            Element::Div
                | Element::Paragraph
                | Element::Heading(_)
                | Element::Quote
                | Element::List { .. }
                | Element::Item
                | Element::Pre
                | Element::Rule
                | Element::Figure
                | Element::FigCaption
                | Element::Details
                | Element::Summary
                | Element::DefinitionList
                | Element::Term
                | Element::Description
                | Element::Table
                | Element::TableCaption
                | Element::Row
                | Element::Cell { .. }
                | Element::TableSection
        )
    }
}

/// Whether a URL would run code or smuggle a document in (`javascript:`,
/// `vbscript:`, `data:` — spaces and control characters ignored, as browsers
/// do): such links are dropped, their text kept.
pub fn is_active_url(url: &str) -> bool {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .flat_map(char::to_lowercase)
        .collect();
    squeezed.starts_with("javascript:")
        || squeezed.starts_with("vbscript:")
        || squeezed.starts_with("data:")
}

/// A length from a `width`/`height` attribute (`300`, `300px`, `50%`).
pub fn attribute_length(value: &str) -> Option<crate::ir::Length> {
    parse_length(value.trim(), true)
}

/// The `width` (or `height`) a `style` attribute gives (`width: 50%`,
/// `max-width:300px`): the plain property wins over `max-`.
pub fn style_length(style: &str, property: &str) -> Option<crate::ir::Length> {
    let mut plain = None;
    let mut max = None;
    for declaration in style.split(';') {
        let Some((key, value)) = declaration.split_once(':') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let value = value.trim().trim_end_matches("!important").trim();
        if key == property {
            plain = parse_length(value, false);
        } else if key.strip_prefix("max-") == Some(property) {
            max = parse_length(value, false);
        }
    }
    plain.or(max)
}

fn parse_length(value: &str, unitless: bool) -> Option<crate::ir::Length> {
    use crate::ir::Length;
    let lower = value.to_ascii_lowercase();
    let (number, percent) = if let Some(n) = lower.strip_suffix('%') {
        (n.trim(), true)
    } else if let Some(n) = lower.strip_suffix("px") {
        (n.trim(), false)
    } else if unitless {
        (lower.as_str(), false)
    } else {
        return None;
    };
    let n: f32 = number.parse().ok()?;
    if !n.is_finite() || n <= 0.0 {
        return None;
    }
    Some(if percent {
        Length::Percent(n.min(100.0))
    } else {
        Length::Px(n.min(100_000.0))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Length;

    fn start(name: &str, attrs: &[(&str, &str)]) -> HtmlToken {
        HtmlToken::Start(StartTag {
            name: name.into(),
            attrs: attrs
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect(),
            self_closing: false,
        })
    }

    fn tokens(pieces: &[&str]) -> Vec<HtmlToken> {
        tokenize(pieces).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn tags_attributes_and_entities_as_a_browser_reads_them() {
        assert_eq!(
            tokens(&["<DIV Class=warning data-x='a>b'>a &amp; b&nbsp;&hellip;</div>"]),
            vec![
                start("div", &[("class", "warning"), ("data-x", "a>b")]),
                HtmlToken::Text("a & b\u{a0}…".into()),
                HtmlToken::End("div".into()),
            ]
        );
        // An alt holding `>` and a bare `&`.
        assert_eq!(
            tokens(&["<img alt=\"a > b & c\" src=x.png>"]),
            vec![start("img", &[("alt", "a > b & c"), ("src", "x.png")])]
        );
    }

    #[test]
    fn comments_with_dashes_and_raw_text_vanish() {
        assert_eq!(
            tokens(&["a<!-- x -- y --- -->b<!--->c"]),
            vec![HtmlToken::Text("abc".into())]
        );
        // `<style>` content is raw text even across pieces, `</b>` inside included.
        let t = tokens(&["<style>\n", "p > b { x: '</b>' }\n", "</style>"]);
        assert_eq!(t.first(), Some(&start("style", &[])));
        assert_eq!(t.last(), Some(&HtmlToken::End("style".into())));
        assert!(!t.iter().any(|x| *x == HtmlToken::End("b".into())));
    }

    #[test]
    fn prefixed_names_are_classified_by_their_local_part() {
        assert_eq!(classify("h:script"), Element::Dropped(Dropped::Script));
        assert_eq!(classify("x:iframe"), Element::Dropped(Dropped::Embedded));
        assert_eq!(classify("listing"), Element::Unknown);
        assert_eq!(classify("h7"), Element::Unknown);
    }

    #[test]
    fn active_urls() {
        assert!(is_active_url("javascript:alert(1)"));
        assert!(is_active_url(" JaVa\tScRiPt:alert(1)"));
        assert!(is_active_url("data:text/html,x"));
        assert!(!is_active_url("https://example.org/javascript:"));
        assert!(!is_active_url("ch1.md#data:"));
    }

    #[test]
    fn lengths() {
        assert_eq!(attribute_length("300"), Some(Length::Px(300.0)));
        assert_eq!(attribute_length("50%"), Some(Length::Percent(50.0)));
        assert_eq!(attribute_length("auto"), None);
        assert_eq!(
            style_length("border: 0; width: 70% !important", "width"),
            Some(Length::Percent(70.0))
        );
        assert_eq!(
            style_length("max-width:240px", "width"),
            Some(Length::Px(240.0))
        );
        assert_eq!(style_length("width: 10em", "width"), None);
        assert_eq!(attribute_length("-3"), None);
        assert_eq!(attribute_length("NaN"), None);
    }
}
