//! Raw HTML on the Markdown builder's stack. Each piece of HTML pulldown-cmark
//! hands over (an HTML block's lines, or one inline tag) is tokenized by
//! html5ever ([`crate::parse::html`]); a start tag opens a node on the same
//! stack as the Markdown nodes, its end tag closes it, and whatever Markdown
//! came between is its content. That is CommonMark's rule for
//! `<div>`, blank line, Markdown, blank line, `</div>`.
//!
//! The tree rules are a browser's, kept small: a block element closes an open
//! `<p>`; `<li>`, `<dt>`/`<dd>`, `<tr>` and `<td>` close the previous one;
//! an end tag closes the elements opened after its own; an end tag that
//! matches nothing open (or would cross a Markdown container) is ignored;
//! elements still open when their Markdown container ends close with it.
//! Unknown elements are transparent containers with their attributes kept.

use super::{Builder, Nesting, Node, Open};
use crate::diag::{Diagnostic, Span};
use crate::ir::{
    Attrs, Block, BlockKind, Cell, DefinitionItem, Image, Inline, InlineKind, ListItem,
};
use crate::parse::html::{self, Dropped, Element, HtmlToken, StartTag};

mod close;
use close::flatten;

/// An HTML element waiting for its end tag.
pub(super) struct HtmlOpen {
    /// The name as tokenized (`div`, `listing`), matched by the end tag.
    name: String,
    /// What the element becomes.
    element: Element,
    /// Its attributes.
    attrs: Attrs,
    /// Its content so far.
    content: Content,
}

/// What an open element collects.
enum Content {
    /// Blocks (`div`, `li`, `td`…), with a caption for figures and details.
    Blocks {
        blocks: Vec<Block>,
        caption: Vec<Inline>,
    },
    /// Inlines: `p`, headings, and inline elements (`href` for links).
    Inlines {
        inlines: Vec<Inline>,
        href: Option<String>,
    },
    /// `ul`/`ol`.
    List {
        start: Option<u64>,
        items: Vec<ListItem>,
    },
    /// `dl`.
    Definitions { items: Vec<DefinitionItem> },
    /// `table`: rows, each with whether all its cells are `th`; blocks found
    /// outside cells go before the table, as browsers put them.
    Table {
        caption: Vec<Inline>,
        rows: Vec<(Vec<Cell>, bool)>,
        foster: Vec<Block>,
    },
    /// `tr`.
    Row {
        cells: Vec<Cell>,
        all_header: bool,
        foster: Vec<Block>,
    },
    /// `pre`: text as written.
    Pre { lang: Option<String>, text: String },
    /// `script`, `style`, `iframe`…: everything inside is dropped.
    Dropped,
}

impl HtmlOpen {
    /// Paragraphs, headings and inline elements: closed when a block starts.
    pub(super) fn holds_inlines(&self) -> bool {
        matches!(self.content, Content::Inlines { .. })
    }

    /// An element inside running text.
    pub(super) fn is_inline(&self) -> bool {
        self.holds_inlines() && !matches!(self.element, Element::Paragraph | Element::Heading(_))
    }

    /// Whether content arriving here is dropped.
    pub(super) fn swallows(&self) -> bool {
        matches!(self.content, Content::Dropped | Content::Pre { .. })
    }

    pub(super) fn inlines_mut(&mut self) -> Option<&mut Vec<Inline>> {
        match &mut self.content {
            Content::Inlines { inlines, .. } => Some(inlines),
            _ => None,
        }
    }

    /// Which nesting counter the element adds to.
    pub(super) fn nesting(&self) -> Nesting {
        match self.content {
            Content::Blocks { .. }
            | Content::List { .. }
            | Content::Definitions { .. }
            | Content::Table { .. } => Nesting::Block,
            Content::Inlines { .. } if self.is_inline() => Nesting::Inline,
            _ => Nesting::None,
        }
    }

    /// A finished block arriving inside this element.
    pub(super) fn push_block(&mut self, block: Block) {
        match &mut self.content {
            Content::Blocks { blocks, .. } => blocks.push(block),
            Content::List { items, .. } => items.push(ListItem {
                task: None,
                span: block.span,
                blocks: vec![block],
            }),
            Content::Definitions { items } => match items.last_mut() {
                Some(item) => item.details.push(vec![block]),
                None => items.push(DefinitionItem {
                    term: Vec::new(),
                    span: block.span,
                    details: vec![vec![block]],
                }),
            },
            Content::Table { foster, .. } | Content::Row { foster, .. } => foster.push(block),
            Content::Inlines { inlines, .. } => {
                let flat = flatten(vec![block], InlineKind::SoftBreak);
                if !inlines.is_empty() && !flat.is_empty() {
                    inlines.push(Inline {
                        kind: InlineKind::SoftBreak,
                        span: flat[0].span,
                    });
                }
                inlines.extend(flat);
            }
            Content::Pre { .. } | Content::Dropped => {}
        }
    }
}

impl Builder {
    /// Reads one piece of raw HTML: an HTML block's lines (`block`), or one
    /// inline tag or comment. Each entry is text, start, end.
    pub(super) fn html_fragment(&mut self, pieces: &[(String, usize, usize)], block: bool) {
        if pieces.is_empty() {
            return;
        }
        if block {
            self.check_comment_closed(pieces);
        }
        let texts: Vec<&str> = pieces.iter().map(|(t, _, _)| t.as_str()).collect();
        for (token, piece) in html::tokenize(&texts) {
            let (_, start, end) = pieces[piece.min(pieces.len() - 1)];
            match token {
                HtmlToken::Start(tag) => self.html_start(tag, start, end),
                HtmlToken::End(name) => self.html_end(&name, start, end),
                HtmlToken::Text(text) => self.html_text(&text, start, end),
            }
        }
        // An `<iframe>` or `<object>` opened in an HTML block drops only the
        // rest of that block: Markdown after it (fallback text) is kept.
        while block
            && self.stack.len() > 1
            && matches!(
                self.stack.last(),
                Some(Open {
                    node: Node::Html(HtmlOpen {
                        content: Content::Dropped,
                        ..
                    }),
                    html: true,
                    ..
                })
            )
        {
            self.close();
        }
    }

    /// An HTML block that opens a comment and never closes it runs to the
    /// end of its container (CommonMark): everything after it is hidden.
    fn check_comment_closed(&mut self, pieces: &[(String, usize, usize)]) {
        let first = pieces[0].0.trim_start();
        if first.starts_with("<!--") && !pieces.iter().any(|(t, _, _)| t.contains("-->")) {
            let span = self.span(pieces[0].1, pieces[0].2);
            self.problems.push(
                Diagnostic::warning(
                    span,
                    "this HTML comment is never closed: everything after it is hidden",
                )
                .with_help("close it with `-->`"),
            );
        }
    }

    fn html_start(&mut self, tag: StartTag, start: usize, end: usize) {
        let span = self.span(start, end);
        let element = html::classify(&tag.name);
        if let Some(Node::Html(top)) = self.top_node_mut() {
            match &mut top.content {
                Content::Dropped => return,
                Content::Pre { lang, text } => {
                    // Tags inside <pre> only say the language; <br> is a newline.
                    match element {
                        Element::Code if lang.is_none() => *lang = code_class(&tag),
                        Element::Break => text.push('\n'),
                        _ => {}
                    }
                    return;
                }
                _ => {}
            }
        }
        if tag
            .attrs
            .iter()
            .any(|(k, _)| k.rsplit(':').next().is_some_and(|l| l.starts_with("on")))
        {
            let name = tag
                .attrs
                .iter()
                .find(|(k, _)| k.rsplit(':').next().is_some_and(|l| l.starts_with("on")))
                .map(|(k, _)| k.clone())
                .unwrap_or_default();
            self.note_once(
                "event-handler",
                span,
                format!("the event handler attribute `{name}` is left out: a book runs no scripts"),
                "remove it; nothing in an EPUB or a PDF can run it",
            );
        }
        let local = tag.name.rsplit(':').next().unwrap_or(&tag.name).to_owned();
        match element {
            Element::Ignored | Element::Transparent | Element::TableSection => return,
            Element::Media => {
                self.note_once(
                    "media",
                    span,
                    format!("`<{local}>` cannot be carried into the book; the text inside it is kept"),
                    "link to the media instead, or show a still image with ![description](still.png)",
                );
                return;
            }
            Element::Math => {
                self.note_once(
                    "math",
                    span,
                    "MathML is not typeset; the text of the formula is kept".to_owned(),
                    "write the formula as text, or include it as an SVG image",
                );
                return;
            }
            Element::Dropped(why) => {
                let (key, message, help) = dropped_note(why, &local);
                self.note_once(key, span, message, help);
                if !tag.self_closing && !element.is_void(&tag.name) {
                    self.push_html(tag.name, element, Attrs::default(), Content::Dropped, start);
                }
                return;
            }
            _ => {}
        }
        let running_text = self.in_running_text();
        match element {
            Element::Break => {
                if self.has_inline_target() {
                    self.push_inline(InlineKind::HardBreak, start, end);
                }
                return;
            }
            Element::Image => {
                self.html_image(&tag, span);
                return;
            }
            Element::Rule if !running_text => {
                self.close_implicit();
                self.push_block(Block {
                    kind: BlockKind::Rule,
                    span,
                });
                return;
            }
            Element::Rule => return,
            _ => {}
        }
        let attrs = self.attrs(&tag, element, span);
        let (element, content) = if element.is_block() && !running_text {
            self.close_implicit();
            match element {
                Element::Item => self.close_open(&[Element::Item], is_list),
                Element::Term | Element::Description => self
                    .close_open(&[Element::Term, Element::Description], |e| {
                        e == Element::DefinitionList
                    }),
                Element::Row => self.close_open(
                    &[
                        Element::Cell { header: false },
                        Element::Cell { header: true },
                        Element::Row,
                    ],
                    |e| e == Element::Table,
                ),
                Element::Cell { .. } => {
                    self.close_open(
                        &[
                            Element::Cell { header: false },
                            Element::Cell { header: true },
                        ],
                        |e| e == Element::Row || e == Element::Table,
                    );
                    if self.top_html_element() == Some(Element::Table) {
                        self.push_html(
                            "tr".into(),
                            Element::Row,
                            Attrs::element("tr"),
                            Content::Row {
                                cells: Vec::new(),
                                all_header: true,
                                foster: Vec::new(),
                            },
                            start,
                        );
                    }
                }
                _ => {}
            }
            let content = match element {
                Element::Paragraph | Element::Heading(_) => Content::Inlines {
                    inlines: Vec::new(),
                    href: None,
                },
                Element::List { ordered } => Content::List {
                    start: ordered.then(|| {
                        tag.attr("start")
                            .and_then(|s| s.trim().parse().ok())
                            .unwrap_or(1)
                    }),
                    items: Vec::new(),
                },
                Element::DefinitionList => Content::Definitions { items: Vec::new() },
                Element::Table => Content::Table {
                    caption: Vec::new(),
                    rows: Vec::new(),
                    foster: Vec::new(),
                },
                Element::Row => Content::Row {
                    cells: Vec::new(),
                    all_header: true,
                    foster: Vec::new(),
                },
                Element::Pre => Content::Pre {
                    lang: code_class(&tag),
                    text: String::new(),
                },
                _ => Content::Blocks {
                    blocks: Vec::new(),
                    caption: Vec::new(),
                },
            };
            (element, content)
        } else if element == Element::Unknown && !running_text {
            self.close_implicit();
            (
                Element::Unknown,
                Content::Blocks {
                    blocks: Vec::new(),
                    caption: Vec::new(),
                },
            )
        } else {
            // Inline elements, and block elements met inside running text
            // (kept as inline containers so nothing is lost).
            let element = if element.is_block() {
                Element::Span
            } else {
                element
            };
            let href = (element == Element::Link)
                .then(|| tag.attr("href").map(str::to_owned))
                .flatten();
            self.ensure_inline_target(start);
            (
                element,
                Content::Inlines {
                    inlines: Vec::new(),
                    href,
                },
            )
        };
        self.push_html(tag.name.clone(), element, attrs, content, start);
        // `<span/>`: XHTML habit, taken as written (HTML would leave it open).
        if tag.self_closing {
            self.close();
        }
    }

    /// Pushes an open element, counting it against the nesting limit.
    fn push_html(
        &mut self,
        name: String,
        element: Element,
        attrs: Attrs,
        content: Content,
        start: usize,
    ) {
        let node = self.limit_depth(
            Node::Html(HtmlOpen {
                name,
                element,
                attrs,
                content,
            }),
            start,
        );
        self.stack.push(Open {
            node,
            start,
            html: true,
        });
    }

    fn html_end(&mut self, name: &str, start: usize, end: usize) {
        if let Some(Node::Html(top)) = self.top_node_mut() {
            if matches!(top.content, Content::Dropped | Content::Pre { .. }) && top.name != name {
                return;
            }
        }
        let mut found = None;
        for (i, open) in self.stack.iter().enumerate().rev() {
            match &open.node {
                Node::Paragraph { implicit: true, .. } => continue,
                _ if !open.html || i == 0 => break,
                Node::Html(h) if h.name == name => {
                    found = Some(i);
                    break;
                }
                Node::Html(_) => continue,
                // An element flattened at the nesting limit: its end tag is
                // not looked for past it (that would be quadratic).
                _ => break,
            }
        }
        match found {
            Some(i) => {
                while self.stack.len() > i + 1 {
                    self.close();
                }
                self.close_at(Some(end));
            }
            // `</br>` is a line break to a browser; other strays are ignored.
            None if html::classify(name) == Element::Break && self.has_inline_target() => {
                self.push_inline(InlineKind::HardBreak, start, end)
            }
            None => {}
        }
    }

    fn html_text(&mut self, text: &str, start: usize, end: usize) {
        if let Some(Node::Html(top)) = self.top_node_mut() {
            match &mut top.content {
                Content::Dropped => return,
                Content::Pre { text: pre, .. } => {
                    // A newline right after `<pre>` is not part of the text.
                    let text = if pre.is_empty() {
                        text.strip_prefix('\n').unwrap_or(text)
                    } else {
                        text
                    };
                    pre.push_str(text);
                    return;
                }
                _ => {}
            }
        }
        let mut collapsed = collapse_space(text);
        if !self.has_inline_target() {
            if collapsed.trim().is_empty() {
                return;
            }
            collapsed = collapsed.trim_start().to_owned();
        } else {
            let after_space = self
                .inline_target()
                .is_none_or(|inlines| match inlines.last() {
                    None => true,
                    Some(Inline {
                        kind: InlineKind::Text(t),
                        ..
                    }) => t.ends_with(' '),
                    Some(Inline {
                        kind: InlineKind::SoftBreak | InlineKind::HardBreak,
                        ..
                    }) => true,
                    _ => false,
                });
            if after_space {
                collapsed = collapsed.trim_start().to_owned();
            }
            if collapsed.is_empty() {
                return;
            }
        }
        self.push_text(&collapsed, start, end);
    }

    /// `<img>`: an inline image with the size the author gave; a paragraph
    /// holding only it becomes a figure when the paragraph closes.
    fn html_image(&mut self, tag: &StartTag, span: Span) {
        let alt = tag.attr("alt").unwrap_or("").to_owned();
        let src = tag.attr("src").unwrap_or("").trim().to_owned();
        if src.is_empty() || html::is_active_url(&src) {
            if !src.is_empty() {
                self.note_once(
                    "data-image",
                    span,
                    "an image written into the page (`data:`) is left out; its alt text is kept"
                        .to_owned(),
                    "save the image as a file and refer to it: <img src=\"images/name.png\">",
                );
            }
            if !alt.trim().is_empty() {
                self.attach_inline(Inline {
                    kind: InlineKind::Text(alt),
                    span,
                });
            }
            return;
        }
        let style = tag.attr("style").unwrap_or("");
        let width = html::style_length(style, "width")
            .or_else(|| tag.attr("width").and_then(html::attribute_length));
        let height = html::style_length(style, "height")
            .or_else(|| tag.attr("height").and_then(html::attribute_length));
        let image = Image {
            asset: None,
            src,
            alt,
            title: tag.attr("title").unwrap_or("").to_owned(),
            width,
            height,
        };
        self.attach_inline(Inline {
            kind: InlineKind::Image(image),
            span,
        });
    }

    /// Whether an element starting now sits in running text: inside a
    /// Markdown paragraph, heading or cell, or an HTML heading. Open HTML
    /// inline elements in an implicit or HTML paragraph do not count: a block
    /// closes them, as in a browser.
    fn in_running_text(&self) -> bool {
        for open in self.stack.iter().rev() {
            match &open.node {
                Node::Html(h) if open.html && h.is_inline() => continue,
                Node::Html(h) => return matches!(h.element, Element::Heading(_)),
                Node::Paragraph { implicit, .. } => return !implicit,
                Node::Heading { .. }
                | Node::Cell(_)
                | Node::Span { .. }
                | Node::Link { .. }
                | Node::Image { .. }
                // Past the nesting limit: running text, decided at once (a
                // scan through 50,000 flattened elements per tag would be
                // quadratic).
                | Node::FlatInline(_) => return true,
                _ => return false,
            }
        }
        false
    }

    fn has_inline_target(&mut self) -> bool {
        self.inline_target().is_some()
    }

    /// Opens an implicit paragraph when inline content arrives in a block
    /// container (`<div>` then `<span>`).
    fn ensure_inline_target(&mut self, start: usize) {
        if self.inline_target().is_none() {
            self.stack.push(Open::new(
                Node::Paragraph {
                    inlines: Vec::new(),
                    implicit: true,
                },
                start,
            ));
        }
    }

    /// Closes the innermost open element among `targets` (and everything
    /// opened after it), looking no further than an element `stop` accepts
    /// or a Markdown container: `<li>` closes the previous `<li>` of its list.
    fn close_open(&mut self, targets: &[Element], stop: impl Fn(Element) -> bool) {
        let mut found = None;
        for (i, open) in self.stack.iter().enumerate().rev() {
            match &open.node {
                Node::Html(h) if open.html => {
                    if targets.contains(&h.element) {
                        found = Some(i);
                        break;
                    }
                    if stop(h.element) {
                        break;
                    }
                }
                Node::Paragraph { implicit: true, .. } => {}
                _ => break,
            }
        }
        if let Some(i) = found {
            while self.stack.len() > i {
                self.close();
            }
        }
    }

    fn top_html_element(&self) -> Option<Element> {
        match self.stack.last().map(|o| &o.node) {
            Some(Node::Html(h)) => Some(h.element),
            _ => None,
        }
    }

    /// The attributes kept from a start tag. Ids must be usable and unique
    /// in the chapter; elements folio does not know keep every other
    /// attribute too (`file-name`, `caption`), as data.
    fn attrs(&mut self, tag: &StartTag, element: Element, span: Span) -> Attrs {
        let mut attrs = Attrs::element(tag.name.rsplit(':').next().unwrap_or(&tag.name));
        for (key, value) in &tag.attrs {
            let local = key.rsplit(':').next().unwrap_or(key);
            match key.as_str() {
                "id" | "name" if element == Element::Link || key == "id" => {
                    let id = value.trim();
                    if id.is_empty() || id.contains(char::is_whitespace) || attrs.id.is_some() {
                        continue;
                    }
                    if !self.html_ids.insert(id.to_owned()) {
                        self.problems.push(
                            Diagnostic::warning(
                                span,
                                format!("the id `{id}` is used twice in this chapter"),
                            )
                            .with_help(
                                "ids must be unique; this one is left out, links go to the first",
                            )
                            .with_code("duplicate-id"),
                        );
                        continue;
                    }
                    attrs.id = Some(id.to_owned());
                }
                "class" => attrs
                    .classes
                    .extend(value.split_whitespace().map(str::to_owned)),
                "lang" | "xml:lang" => {
                    let lang = value.trim();
                    if !lang.is_empty()
                        && lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    {
                        attrs.lang = Some(lang.to_owned());
                    }
                }
                "dir" => {
                    let dir = value.trim().to_ascii_lowercase();
                    if matches!(dir.as_str(), "ltr" | "rtl" | "auto") {
                        attrs.dir = Some(dir);
                    }
                }
                "title" => attrs.title = Some(value.clone()),
                _ if local.starts_with("on") || key.starts_with("xmlns") || key == "style" => {}
                _ if element == Element::Unknown
                    && key.starts_with(|c: char| c.is_ascii_lowercase())
                    && key.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')
                    }) =>
                {
                    attrs.other.push((key.clone(), value.clone()))
                }
                _ => {}
            }
        }
        attrs
    }

    /// One note per kind of HTML left out, per chapter.
    fn note_once(&mut self, key: &'static str, span: Span, message: String, help: &str) {
        if self.noted.contains(&key) {
            return;
        }
        self.noted.push(key);
        self.problems
            .push(Diagnostic::note(span, message).with_help(help.to_owned()));
    }

    /// A `javascript:` or `data:` link (Markdown or HTML): its text is kept.
    pub(super) fn note_active_url(&mut self, url: &str, span: Span) {
        let scheme: String = url
            .trim()
            .chars()
            .take_while(|&c| c != ':')
            .take(16)
            .collect();
        self.note_once(
            "active-url",
            span,
            format!("a link to a `{}:` address is left out; its text is kept", scheme.to_ascii_lowercase()),
            "books cannot run scripts or open documents written into a link; link to a web page or a chapter",
        );
    }
}

/// What a note on a dropped element says: key, message, help.
fn dropped_note(why: Dropped, name: &str) -> (&'static str, String, &'static str) {
    match why {
        Dropped::Script => (
            "script",
            format!("`<{name}>` is left out: a book runs no scripts"),
            "remove it; nothing in an EPUB or a PDF can run it",
        ),
        Dropped::Style => (
            "style",
            "`<style>` is left out: a chapter cannot carry its own styles".to_owned(),
            "put the rules in a stylesheet given by `extra-css` in [epub] in book.toml, or in the print style",
        ),
        Dropped::Embedded => (
            "embedded",
            format!("`<{name}>` is left out: embedded pages and plugins cannot travel in a book"),
            "link to the page instead: [what it shows](https://…)",
        ),
        Dropped::Svg => (
            "svg",
            "an SVG drawing written into the page is left out".to_owned(),
            "save it as an .svg file and include it as an image: ![what it shows](drawing.svg)",
        ),
        Dropped::Hidden => (
            "hidden",
            format!("`<{name}>` is left out: it shows nothing a reader can use in a book"),
            "write its text as Markdown",
        ),
    }
}

fn is_list(element: Element) -> bool {
    matches!(element, Element::List { .. })
}

/// The language of `<pre><code class="language-rust">` (or `lang-rust`).
fn code_class(tag: &StartTag) -> Option<String> {
    tag.attr("class")?.split_whitespace().find_map(|c| {
        c.strip_prefix("language-")
            .or_else(|| c.strip_prefix("lang-"))
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
    })
}

/// HTML's white space: runs of spaces, tabs and newlines print as one space.
fn collapse_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}') {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::ir::dump;
    use crate::parse::markdown::parse;
    use crate::source::Sources;

    /// The tree of `text` in the dump's form, without positions.
    fn tree(text: &str) -> String {
        let mut sources = Sources::new(std::path::Path::new("/"));
        let id = sources.add("t.md", text);
        let body = parse(id, text, 0, true);
        let chapter = crate::ir::Chapter {
            id: "c".into(),
            title: Vec::new(),
            role: crate::ir::Role::Chapter,
            depth: 0,
            number: None,
            blocks: body.blocks,
            title_heading: false,
            notes: Vec::new(),
            span: crate::diag::Span::file(id),
            lang: None,
            dir: None,
        };
        dump::chapter(&chapter, &sources)
            .lines()
            .skip(1)
            .map(|l| l.split(" @").next().unwrap_or(l).to_owned())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn tags_pair_across_markdown_and_close_with_their_container() {
        // A div opened in a list item closes with the item; its stray end
        // tag later is ignored, and nothing is lost.
        assert_eq!(
            tree("- <div class=\"a\">\n\n  text\n\n- next\n\n</div>\n"),
            "  list bullets\n    item\n      div <div> class=a\n        paragraph\n          text \"text\"\n    item\n      paragraph\n        text \"next\""
        );
        // `<li>` closes the previous one; an unclosed `<b>` ends with its item.
        assert_eq!(
            tree("<ol start=\"3\">\n<li>one <b>bold\n<li>two\n</ol>\n"),
            "  list ordered start=3\n    item\n      paragraph\n        text \"one \"\n        strong\n          text \"bold \"\n    item\n      paragraph\n        text \"two\""
        );
    }

    #[test]
    fn a_script_in_running_text_drops_only_itself() {
        assert_eq!(
            tree("a <script>alert(1)</script> b\n\nc <style>x</style>\n\nd\n"),
            "  paragraph\n    text \"a  b\"\n  paragraph\n    text \"c\"\n  paragraph\n    text \"d\""
        );
    }

    #[test]
    fn a_block_element_closes_an_open_html_paragraph() {
        assert_eq!(
            tree("<div>\n<p>one\n<div>two</div>\n</div>\n"),
            "  paragraph\n    text \"one\"\n  paragraph\n    text \"two\""
        );
    }
}
