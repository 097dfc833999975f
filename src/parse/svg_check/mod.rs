//! What an SVG may make the PDF's SVG converter spend, measured before it
//! runs: the check behind `[limits] svg-elements`, `svg-depth` and
//! `svg-text`, shared by the image loader (`folio check` and `build`) and the
//! PDF writer (which repeats it with its own ceilings).
//!
//! The converter (usvg, then svg2pdf) instances content in many ways besides
//! nesting: `<use>`, paint servers (`fill`/`stroke="url(#pattern)"`),
//! `clip-path`, `mask`, `filter` (and an `feImage` inside it), markers (one
//! per vertex for `marker-mid`), `href` templates of gradients and patterns,
//! `textPath` and `tref`. Each is an edge of a reference graph; the size of
//! the SVG once converted is computed over that graph with memoisation
//! (linear in the file), so ten references of ten references of … are
//! counted as the billion elements they become, and a reference loop is
//! refused. Inherited properties (`fill`, `stroke`, markers, whether written
//! as attributes, in `style` or in a `<style>` sheet) count once for every
//! element (markers: every vertex) they reach.
//!
//! A DOCTYPE (what Graphviz and Inkscape write) is accepted. Its internal
//! entities are expanded by the XML parser, so their expanded size is
//! computed first, from the declarations, and counts against `svg-bytes`;
//! external entities and the external DTD are never fetched (the parser has
//! no resolver), and an SVG that draws anything from outside itself (an
//! image, a `<use>` or a paint server in another file or on the web) is
//! refused. Numbers in attributes and styles are range-checked: a
//! `viewBox` of 1e30 would be written into the PDF as digits no reader
//! converts.

use crate::config::limits::Limits;
use crate::parse::assets::ImageProblem;
use std::collections::HashMap;

/// Largest absolute value of a number in an SVG's attributes or styles.
/// Real drawings stay far below it; the PDF numbers readers convert (and
/// svg2pdf's transforms of them) stay finite and short.
pub const MAX_SVG_NUMBER: f64 = 1e7;

/// Smallest `viewBox` width or height: a smaller one scales everything in it
/// by more than [`MAX_SVG_NUMBER`].
const MIN_VIEW_BOX: f64 = 1e-4;

/// Most (CSS rule, element) pairs the converter may match: usvg matches
/// every rule of the SVG's style sheets against every element it creates.
const MAX_SELECTOR_MATCHES: u64 = 20_000_000;

/// Parses an SVG and checks it against `limits` (see the module docs).
pub fn parse_checked<'i>(
    text: &'i str,
    limits: &Limits,
) -> Result<roxmltree::Document<'i>, ImageProblem> {
    let bad = |why: String| ImageProblem::Undecodable(why);
    entities::check(text, limits)?;
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        // Elements, attributes and text nodes; elements alone are checked below.
        nodes_limit: u32::try_from(limits.svg_elements.saturating_mul(4)).unwrap_or(u32::MAX),
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, opts).map_err(|e| match e {
        roxmltree::Error::NodesLimitReached => ImageProblem::TooLarge {
            what: format!(
                "has more than {} elements, above the limit",
                limits.svg_elements
            ),
            key: "svg-elements",
        },
        roxmltree::Error::EntityReferenceLoop(pos) => bad(format!(
            "the SVG's entities at {pos} expand into more references than its XML reader follows (255 in one use)"
        )),
        e => bad(format!("the SVG is not well-formed XML: {e}")),
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" {
        return Err(bad("the file's root element is not <svg>".into()));
    }
    let sheet = style_sheet(&doc);
    external_reference(&doc)?;
    active_content(&doc)?;
    numbers::check(&doc, &sheet)?;
    expansion(&doc, &sheet, limits)?;
    Ok(doc)
}

type Node<'a, 'i> = roxmltree::Node<'a, 'i>;

/// How many images an SVG embeds rather than draws (`<image>`, or an
/// `feImage` not naming an element of the SVG): the PDF leaves them out.
pub fn embedded_images(doc: &roxmltree::Document<'_>) -> usize {
    doc.descendants()
        .filter(|n| {
            let name = n.tag_name().name();
            let href = n
                .attribute("href")
                .or_else(|| n.attribute(("http://www.w3.org/1999/xlink", "href")));
            name == "image" || (name == "feImage" && href.is_some_and(|h| !h.starts_with('#')))
        })
        .count()
}

/// Refuses an SVG that draws something from outside itself (`file:`,
/// `http:`, another file, a path out of the book): the PDF never fetches it
/// and the EPUB would hold a reference to nothing. Links (`<a href>`) and
/// `data:` URLs are its own.
fn external_reference(doc: &roxmltree::Document<'_>) -> Result<(), ImageProblem> {
    let outside = |value: &str| {
        let v = value.trim().trim_matches(['"', '\'']);
        !v.is_empty() && !v.starts_with('#') && !v.starts_with("data:")
    };
    let urls = |text: &str| -> Option<String> {
        let mut rest = text;
        while let Some(at) = rest.find("url(") {
            let inner = &rest[at + 4..];
            let end = inner.find(')').unwrap_or(inner.len());
            if outside(&inner[..end]) {
                return Some(inner[..end].trim().to_owned());
            }
            rest = &inner[end..];
        }
        None
    };
    let refused = |what: &str, element: &str| {
        ImageProblem::Undecodable(format!(
            "the SVG draws `{}` (in its <{element}>) from outside itself; folio reads nothing an SVG names, and an EPUB can hold only what the book packages",
            what.chars().take(80).collect::<String>()
        ))
    };
    for node in doc.descendants().filter(|n| n.is_element()) {
        let element = node.tag_name().name();
        if element == "style" {
            let text: String = node.children().filter_map(|c| c.text()).collect();
            if let Some(url) = urls(&text) {
                return Err(refused(&url, element));
            }
            if text.contains("@import") {
                return Err(refused("@import", element));
            }
        }
        for attr in node.attributes() {
            if attr.name() == "href" && element != "a" && outside(attr.value()) {
                return Err(refused(attr.value(), element));
            }
            if let Some(url) = urls(attr.value()) {
                return Err(refused(&url, element));
            }
        }
    }
    Ok(())
}

/// Refuses an SVG that would run something: a `<script>`, an event handler
/// attribute (`onclick`, `onload`…) or a `javascript:` link. The PDF would
/// ignore it, but the EPUB packages the file as written, and a scripted image
/// is an invalid EPUB (EPUBCheck OPF-014) and active content in a book.
fn active_content(doc: &roxmltree::Document<'_>) -> Result<(), ImageProblem> {
    let at = |node: &Node<'_, '_>| doc.text_pos_at(node.range().start).row;
    for node in doc.descendants().filter(|n| n.is_element()) {
        let element = node.tag_name().name();
        let what = if element == "script" || element == "handler" {
            Some(format!("a <{element}>"))
        } else if let Some(attr) = node
            .attributes()
            .find(|a| a.name().len() > 2 && a.name()[..2].eq_ignore_ascii_case("on"))
        {
            Some(format!(
                "an event handler `{}` on its <{element}>",
                attr.name()
            ))
        } else {
            node.attributes()
                .find(|a| {
                    a.name() == "href"
                        && a.value()
                            .trim()
                            .get(..11)
                            .is_some_and(|s| s.eq_ignore_ascii_case("javascript:"))
                })
                .map(|_| format!("a `javascript:` link on its <{element}>"))
        };
        if let Some(what) = what {
            return Err(ImageProblem::Active(format!(
                "it holds {what} (line {} of the SVG), and a book's images may not run scripts",
                at(&node)
            )));
        }
    }
    Ok(())
}

/// The rules of every `<style>` sheet the converter reads.
fn style_sheet<'a>(doc: &'a roxmltree::Document<'a>) -> simplecss::StyleSheet<'a> {
    let mut sheet = simplecss::StyleSheet::new();
    for node in doc.descendants().filter(|n| n.has_tag_name("style")) {
        if node.attribute("type").is_some_and(|t| t != "text/css") {
            continue;
        }
        if let Some(text) = node.text() {
            sheet.parse_more(text);
        }
    }
    sheet
}

/// A roxmltree element as simplecss matches it (as usvg does).
struct Css<'a, 'i>(Node<'a, 'i>);

impl simplecss::Element for Css<'_, '_> {
    fn parent_element(&self) -> Option<Self> {
        self.0.parent_element().map(Css)
    }

    fn prev_sibling_element(&self) -> Option<Self> {
        self.0.prev_sibling_element().map(Css)
    }

    fn has_local_name(&self, name: &str) -> bool {
        self.0.tag_name().name() == name
    }

    fn attribute_matches(&self, name: &str, operator: simplecss::AttributeOperator) -> bool {
        self.0.attribute(name).is_some_and(|v| operator.matches(v))
    }

    fn pseudo_class_matches(&self, class: simplecss::PseudoClass) -> bool {
        matches!(class, simplecss::PseudoClass::FirstChild)
            && self.0.prev_sibling_element().is_none()
    }
}

/// How a reference instances its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Once (`<use>`, `clip-path`, `mask`, `filter`, templates, `feImage`).
    Once,
    /// Once per element the (inherited) property reaches: `fill`, `stroke`.
    PerElement,
    /// Once per subpath end: `marker-start`, `marker-end`.
    PerSubpath,
    /// Once per vertex: `marker-mid` and the `marker` shorthand.
    PerVertex,
}

/// The reach of a property whose value holds `url(#…)`.
fn reach_of(property: &str) -> Reach {
    match property {
        "fill" | "stroke" => Reach::PerElement,
        "marker-start" | "marker-end" => Reach::PerSubpath,
        "marker-mid" | "marker" => Reach::PerVertex,
        _ => Reach::Once,
    }
}

/// The id in `url(#id)` (quotes allowed), if the value holds one.
fn url_id(value: &str) -> Option<&str> {
    let start = value.find("url(")? + 4;
    let rest = value[start..].trim_start().trim_start_matches(['"', '\'']);
    let rest = rest.strip_prefix('#')?;
    let end = rest.find([')', '"', '\'']).unwrap_or(rest.len());
    Some(rest[..end].trim())
}

/// The references an element makes: (target id, reach).
fn references<'a>(
    node: Node<'a, '_>,
    css: &[(usize, &simplecss::Rule<'a>)],
) -> Vec<(&'a str, Reach)> {
    let mut refs = Vec::new();
    let is_link = node.tag_name().name() == "a";
    for attr in node.attributes() {
        let (name, value) = (attr.name(), attr.value());
        if name == "href" {
            if let Some(id) = value.trim().strip_prefix('#').filter(|_| !is_link) {
                refs.push((id, Reach::Once));
            }
        } else if name == "style" {
            for d in simplecss::DeclarationTokenizer::from(value) {
                if let Some(id) = url_id(d.value) {
                    refs.push((id, reach_of(d.name)));
                }
            }
        } else if let Some(id) = url_id(value) {
            refs.push((id, reach_of(name)));
        }
    }
    for (_, rule) in css {
        if rule.selector.matches(&Css(node)) {
            for d in &rule.declarations {
                if let Some(id) = url_id(d.value) {
                    refs.push((id, reach_of(d.name)));
                }
            }
        }
    }
    refs
}

/// Vertices and subpaths an element draws, for markers.
fn vertices(node: Node<'_, '_>) -> (u64, u64) {
    let count_numbers = |v: &str| numbers::literals(v).count() as u64;
    match node.tag_name().name() {
        "path" => {
            let d = node.attribute("d").unwrap_or_default();
            let commands = d.bytes().filter(u8::is_ascii_alphabetic).count() as u64;
            let moves = d.bytes().filter(|b| matches!(b, b'M' | b'm')).count() as u64;
            (commands + count_numbers(d), moves.max(1))
        }
        "polyline" | "polygon" => (
            count_numbers(node.attribute("points").unwrap_or_default()) / 2 + 1,
            1,
        ),
        "line" => (2, 1),
        _ => (0, 0),
    }
}

/// What one element becomes once every reference is expanded.
#[derive(Debug, Clone, Copy, Default)]
struct Size {
    /// Elements.
    elements: u64,
    /// Elements in the same inheritance context (children and `<use>`).
    reached: u64,
    /// Vertices and subpaths drawn in that context, for markers.
    vertices: u64,
    subpaths: u64,
    /// Characters of text.
    text: u64,
    /// Nesting depth.
    depth: u32,
}

/// Characters of text an element holds itself (in `<text>`), not counting
/// whitespace-only runs between elements.
fn own_text(node: Node<'_, '_>, in_text: bool) -> u64 {
    if !in_text {
        return 0;
    }
    node.children()
        .filter_map(|c| c.text())
        .filter(|t| !t.trim().is_empty())
        .map(|t| t.chars().count() as u64)
        .sum()
}

/// Checks the converted size, depth and text of an SVG against `limits`
/// (see the module docs): an iterative post-order over the reference graph
/// with memoised sizes, so it is linear in the file.
fn expansion<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    sheet: &simplecss::StyleSheet<'a>,
    limits: &Limits,
) -> Result<(), ImageProblem> {
    let elements: Vec<Node<'a, 'i>> = doc.descendants().filter(|n| n.is_element()).collect();
    let count = doc.descendants().count();
    // The nesting as written, first: selectors below walk up through it.
    let mut written_depth = vec![0u32; count];
    for n in &elements {
        let parent = n.parent().map_or(0, |p| written_depth[p.id().get_usize()]);
        let depth = parent + 1;
        if depth > limits.svg_depth {
            return Err(ImageProblem::TooLarge {
                what: format!(
                    "nests elements more than {} levels deep (counting references)",
                    limits.svg_depth
                ),
                key: "svg-depth",
            });
        }
        written_depth[n.id().get_usize()] = depth;
    }
    // Only rules that reference something matter to the graph; every rule
    // costs the converter a match against every element it makes.
    let css: Vec<(usize, &simplecss::Rule<'a>)> = sheet
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.declarations.iter().any(|d| url_id(d.value).is_some()))
        .collect();
    let matches = (sheet.rules.len() as u64).saturating_mul(elements.len() as u64);
    if matches > MAX_SELECTOR_MATCHES {
        return Err(ImageProblem::TooLarge {
            what: format!(
                "has {} style rules for {} elements, more than its converter can match",
                sheet.rules.len(),
                elements.len()
            ),
            key: "svg-elements",
        });
    }
    let ids: HashMap<&str, Node<'a, 'i>> = elements
        .iter()
        .filter_map(|n| n.attribute("id").map(|id| (id, *n)))
        .collect();
    // Whether each node is inside a <text> element (ids are in document
    // order, so a parent is always seen before its children).
    let mut in_text = vec![false; count];
    for n in &elements {
        let parent = n.parent().is_some_and(|p| in_text[p.id().get_usize()]);
        in_text[n.id().get_usize()] = parent || n.tag_name().name() == "text";
    }
    let cap = limits.svg_elements.saturating_add(1);
    let text_cap = limits.svg_text.saturating_add(1);
    let mut done: Vec<Option<Size>> = vec![None; count];
    let mut open = vec![false; count];
    let deps = |n: Node<'a, 'i>| -> Vec<(Node<'a, 'i>, Reach, bool)> {
        let mut out: Vec<(Node<'a, 'i>, Reach, bool)> = n
            .children()
            .filter(|c| c.is_element())
            .map(|c| (c, Reach::Once, true))
            .collect();
        for (id, reach) in references(n, &css) {
            if let Some(&target) = ids.get(id) {
                // A <use> (and feImage, tref) puts its target in its own
                // inheritance context; other references are painted apart.
                let context = matches!(n.tag_name().name(), "use" | "feImage" | "tref")
                    && reach == Reach::Once;
                out.push((target, reach, context));
            }
        }
        out
    };
    let mut stack = vec![(doc.root_element(), false)];
    while let Some((node, children_done)) = stack.pop() {
        let i = node.id().get_usize();
        if done[i].is_some() {
            continue;
        }
        if !children_done {
            if open[i] {
                return Err(ImageProblem::Undecodable(
                    "the SVG's references (<use>, url(#…) or href) form a loop".into(),
                ));
            }
            open[i] = true;
            stack.push((node, true));
            for (dep, _, _) in deps(node) {
                let j = dep.id().get_usize();
                if open[j] && done[j].is_none() {
                    return Err(ImageProblem::Undecodable(
                        "the SVG's references (<use>, url(#…) or href) form a loop".into(),
                    ));
                }
                if done[j].is_none() {
                    stack.push((dep, false));
                }
            }
            continue;
        }
        let (v, s) = vertices(node);
        let mut size = Size {
            elements: 1,
            reached: 1,
            vertices: v,
            subpaths: s,
            text: own_text(node, in_text[i]),
            depth: 0,
        };
        let all = deps(node);
        // Context first: what the element reaches is known before the
        // inherited references multiply by it.
        for &(dep, _, context) in &all {
            if context {
                let d = done[dep.id().get_usize()].unwrap_or_default();
                size.reached = size.reached.saturating_add(d.reached).min(cap);
                size.vertices = size.vertices.saturating_add(d.vertices);
                size.subpaths = size.subpaths.saturating_add(d.subpaths);
            }
        }
        for &(dep, reach, _) in &all {
            let d = done[dep.id().get_usize()].unwrap_or_default();
            let times = match reach {
                Reach::Once => 1,
                Reach::PerElement => size.reached,
                Reach::PerSubpath => size.subpaths.saturating_mul(2),
                Reach::PerVertex => size.vertices,
            };
            size.elements = size
                .elements
                .saturating_add(d.elements.saturating_mul(times))
                .min(cap);
            size.text = size
                .text
                .saturating_add(d.text.saturating_mul(times))
                .min(text_cap);
            size.depth = size.depth.max(d.depth);
        }
        size.depth = size.depth.saturating_add(1);
        if size.elements > limits.svg_elements {
            return Err(ImageProblem::TooLarge {
                what: format!(
                    "expands to more than {} elements (counting what its references repeat: <use>, patterns, masks, clip paths, filters, markers)",
                    limits.svg_elements
                ),
                key: "svg-elements",
            });
        }
        if size.text > limits.svg_text {
            return Err(ImageProblem::TooLarge {
                what: format!(
                    "has more than {} characters of text (counting what its references repeat)",
                    limits.svg_text
                ),
                key: "svg-text",
            });
        }
        if size.depth > limits.svg_depth {
            return Err(ImageProblem::TooLarge {
                what: format!(
                    "nests elements more than {} levels deep (counting references)",
                    limits.svg_depth
                ),
                key: "svg-depth",
            });
        }
        open[i] = false;
        done[i] = Some(size);
    }
    Ok(())
}

mod entities;
mod numbers;

#[cfg(test)]
mod tests {
    use super::*;

    fn svg(body: &str) -> String {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">{body}</svg>"#
        )
    }

    fn key(r: Result<roxmltree::Document<'_>, ImageProblem>) -> String {
        match r {
            Err(ImageProblem::TooLarge { key, .. }) => key.to_owned(),
            Err(ImageProblem::Undecodable(why) | ImageProblem::Active(why)) => why,
            Ok(_) => "ok".into(),
        }
    }

    /// Nine levels of ten references each, made with `reference(level)`
    /// (which refers to `#l{level-1}`) inside a wrapper element.
    fn fan_out(def: &str, reference: &dyn Fn(usize) -> String) -> String {
        let mut body = String::from(r#"<defs><g id="l0"><rect width="1" height="1"/></g>"#);
        for level in 1..=9 {
            body.push_str(&format!(r#"<{def} id="l{level}">"#));
            for _ in 0..10 {
                body.push_str(&reference(level));
            }
            body.push_str(&format!("</{def}>"));
        }
        body.push_str("</defs>");
        body.push_str(&reference(10));
        svg(&body)
    }

    #[test]
    fn every_kind_of_reference_is_counted() {
        let limits = Limits::default();
        type Reference = Box<dyn Fn(usize) -> String>;
        let kinds: Vec<(&str, Reference)> = vec![
            (
                "pattern",
                Box::new(|l| format!(r##"<rect width="1" height="1" fill="url(#l{})"/>"##, l - 1)),
            ),
            (
                "pattern",
                Box::new(|l| {
                    format!(
                        r##"<rect width="1" height="1" style="stroke: url(#l{})"/>"##,
                        l - 1
                    )
                }),
            ),
            (
                "mask",
                Box::new(|l| format!(r##"<rect width="1" height="1" mask="url(#l{})"/>"##, l - 1)),
            ),
            (
                "clipPath",
                Box::new(|l| {
                    format!(
                        r##"<rect width="1" height="1" clip-path="url(#l{})"/>"##,
                        l - 1
                    )
                }),
            ),
            (
                "filter",
                Box::new(|l| format!(r##"<feImage href="#l{}"/>"##, l - 1)),
            ),
            (
                "marker",
                Box::new(|l| format!(r##"<path d="M0 0L1 1" marker-end="url(#l{})"/>"##, l - 1)),
            ),
            (
                "g",
                Box::new(|l| format!(r##"<use xlink:href="#l{}"/>"##, l - 1)),
            ),
        ];
        for (def, reference) in &kinds {
            let text = fan_out(def, reference.as_ref());
            assert_eq!(key(parse_checked(&text, &limits)), "svg-elements", "{def}");
        }
        // Markers on every vertex of one path: a thousand vertices of a
        // thousand-element marker.
        let marker = format!(
            r#"<defs><marker id="m">{}</marker></defs><polyline points="{}" marker-mid="url(#m)"/>"#,
            "<rect/>".repeat(1000),
            "1,1 ".repeat(1000)
        );
        assert_eq!(key(parse_checked(&svg(&marker), &limits)), "svg-elements");
        // An inherited fill reaches every element below it.
        let inherited = format!(
            r#"<defs><pattern id="p">{}</pattern></defs><g fill="url(#p)">{}</g>"#,
            "<rect/>".repeat(1000),
            "<rect/>".repeat(1000)
        );
        assert_eq!(
            key(parse_checked(&svg(&inherited), &limits)),
            "svg-elements"
        );
        // The same through a style sheet.
        let css = format!(
            r#"<style>rect {{ fill: url(#p) }}</style><defs><pattern id="p">{}</pattern></defs>{}"#,
            "<circle/>".repeat(1000),
            "<rect/>".repeat(1000)
        );
        assert_eq!(key(parse_checked(&svg(&css), &limits)), "svg-elements");
        // Small real uses pass.
        let fine = r##"<defs><linearGradient id="g"><stop offset="0"/><stop offset="1"/></linearGradient><marker id="a"><path d="M0 0L1 1"/></marker><clipPath id="c"><rect width="5" height="5"/></clipPath></defs><path d="M0 0L5 5L9 1" fill="url(#g)" marker-end="url(#a)" clip-path="url(#c)"/>"##;
        assert_eq!(key(parse_checked(&svg(fine), &limits)), "ok");
    }

    #[test]
    fn loops_of_any_kind_are_refused() {
        let limits = Limits::default();
        let looped = [
            r##"<pattern id="a"><rect fill="url(#b)"/></pattern><pattern id="b"><rect fill="url(#a)"/></pattern><rect fill="url(#a)"/>"##,
            r##"<mask id="m"><rect mask="url(#m)"/></mask><rect mask="url(#m)"/>"##,
            r##"<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g>"##,
        ];
        for body in looped {
            assert!(
                key(parse_checked(&svg(body), &limits)).contains("loop"),
                "{body}"
            );
        }
    }

    #[test]
    fn text_is_counted_with_its_references() {
        let limits = Limits {
            svg_text: 1000,
            ..Limits::default()
        };
        let long = format!("<text>{}</text>", "a".repeat(1001));
        assert_eq!(key(parse_checked(&svg(&long), &limits)), "svg-text");
        let repeated = format!(
            r##"<defs><text id="t">{}</text></defs>{}"##,
            "a".repeat(200),
            r##"<use href="#t"/>"##.repeat(5)
        );
        assert_eq!(key(parse_checked(&svg(&repeated), &limits)), "svg-text");
        let fine = format!("<text>{}</text>", "a".repeat(999));
        assert_eq!(key(parse_checked(&svg(&fine), &limits)), "ok");
    }

    #[test]
    fn doctypes_from_real_tools_are_read_and_entities_bounded() {
        let limits = Limits::default();
        let graphviz = r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"
 "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg width="62pt" height="116pt" viewBox="0.00 0.00 62.00 116.00" xmlns="http://www.w3.org/2000/svg"><g id="graph0"><polygon fill="white" points="-4,4 -4,-112 58,-112 58,4 -4,4"/><text x="27" y="-86">a</text></g></svg>"#;
        assert_eq!(key(parse_checked(graphviz, &limits)), "ok");
        let illustrator = r#"<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [
	<!ENTITY ns_svg "http://www.w3.org/2000/svg">
	<!-- a comment with <!ENTITY fake "x"> inside -->
	<!ENTITY ns_xlink "http://www.w3.org/1999/xlink">
]><svg xmlns="&ns_svg;" xmlns:xlink="&ns_xlink;" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>"#;
        assert_eq!(key(parse_checked(illustrator, &limits)), "ok");
        // A billion laughs: each level ten of the one before.
        let mut dtd = String::from(r#"<!ENTITY l0 "laugh">"#);
        for i in 1..=9 {
            dtd.push_str(&format!(
                r#"<!ENTITY l{i} "{}">"#,
                format!("&l{};", i - 1).repeat(10)
            ));
        }
        let laughs = format!(
            r#"<?xml version="1.0"?><!DOCTYPE svg [{dtd}]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&l9;</text></svg>"#
        );
        assert_eq!(key(parse_checked(&laughs, &limits)), "svg-bytes");
        // A self-referring entity.
        let selfish = r#"<!DOCTYPE svg [<!ENTITY a "x&a;">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&a;</text></svg>"#;
        assert!(key(parse_checked(selfish, &limits)).contains("refers to itself"));
        // An external entity is never fetched: used, it is an error;
        // declared and unused, it is harmless.
        let external = r#"<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&x;</text></svg>"#;
        assert!(key(parse_checked(external, &limits)).contains("external file"));
        let unused = external.replace("&x;", "x");
        assert_eq!(key(parse_checked(&unused, &limits)), "ok");
    }

    #[test]
    fn nothing_is_drawn_from_outside_the_svg() {
        let limits = Limits::default();
        for body in [
            r#"<image href="file:///etc/passwd" width="1" height="1"/>"#,
            r#"<image xlink:href="http://example.com/x.png" width="1" height="1"/>"#,
            r#"<image href="../../outside.png" width="1" height="1"/>"#,
            r##"<use href="other.svg#x"/>"##,
            r##"<rect width="1" height="1" fill="url(other.svg#g)"/>"##,
            r#"<rect width="1" height="1" style="fill: url('http://x/y#g')"/>"#,
            r#"<style>@import url(http://x/y.css);</style>"#,
        ] {
            assert!(
                key(parse_checked(&svg(body), &limits)).contains("from outside itself"),
                "{body}"
            );
        }
        let own = r##"<a href="https://example.com"><rect id="r" width="1" height="1" fill="url(#g)"/></a><use href="#r"/><image href="data:image/png;base64,AAAA" width="1" height="1"/>"##;
        assert_eq!(key(parse_checked(&svg(own), &limits)), "ok");
    }

    #[test]
    fn an_svg_that_would_run_something_is_refused() {
        let limits = Limits::default();
        for (body, what) in [
            ("<script>alert(1)</script>", "a <script> (line 1 of"),
            (
                "<g>\n<rect width=\"1\" height=\"1\" onclick=\"alert(1)\"/></g>",
                "an event handler `onclick` on its <rect> (line 2 of",
            ),
            (
                r#"<rect width="1" height="1" ONLOAD="x()"/>"#,
                "an event handler `ONLOAD`",
            ),
            (
                r#"<a href=" JavaScript:alert(1)"><rect width="1" height="1"/></a>"#,
                "a `javascript:` link on its <a>",
            ),
        ] {
            let found = key(parse_checked(&svg(body), &limits));
            assert!(found.contains(what), "{body}: {found}");
        }
        // Names that only start like a handler are drawing, not running.
        let fine = r#"<rect width="1" height="1" opacity="0.5"/><text>on</text>"#;
        assert_eq!(key(parse_checked(&svg(fine), &limits)), "ok");
    }

    #[test]
    fn numbers_are_range_checked() {
        let limits = Limits::default();
        let huge = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1e30 1e30"><rect width="1" height="1"/></svg>"#;
        assert!(key(parse_checked(huge, &limits)).contains("out of range"));
        let tiny = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1e-30 1e-30"><rect width="1" height="1"/></svg>"#;
        assert!(key(parse_checked(tiny, &limits)).contains("too small"));
        // Found by the svg fuzz target: a tiny root size, no viewBox.
        let narrow = r#"<svg xmlns="http://www.w3.org/2000/svg" width="1e-30" height="9999999"><g></g></svg>"#;
        assert!(key(parse_checked(narrow, &limits)).contains("too small"));
        let path = svg(r#"<path d="M0 0L9e99 1"/>"#);
        assert!(key(parse_checked(&path, &limits)).contains("out of range"));
        // Colours, ids and path data with signs and exponents read right.
        let fine = svg(
            r##"<path id="p9e99" d="M10-5l1e2-3.5e-2z" fill="#9e99ff" transform="matrix(1,0,0,1,-1.2e-15,0)"/>"##,
        );
        assert_eq!(key(parse_checked(&fine, &limits)), "ok");
        let values: Vec<f64> = numbers::literals("M10-5l1e2-3.5e-2.5.5#1e99").collect();
        assert_eq!(values, vec![10.0, -5.0, 100.0, -0.035, 0.5, 0.5]);
    }
}
