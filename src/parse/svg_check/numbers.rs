//! Numbers in an SVG's attributes and styles, range-checked before
//! conversion: the PDF must never receive digits its readers cannot convert.

use super::{ImageProblem, MAX_SVG_NUMBER, MIN_VIEW_BOX, Node};

/// Attributes that hold names, links or text rather than numbers.
const NOT_NUMERIC: &[&str] = &[
    "id",
    "class",
    "href",
    "style",
    "font-family",
    "lang",
    "space",
    "type",
    "media",
    "title",
    "requiredFeatures",
    "requiredExtensions",
    "systemLanguage",
    "version",
    "baseProfile",
    "preserveAspectRatio",
    "result",
    "in",
    "in2",
    "target",
];

/// The numeric literals in `value` (SVG number syntax; `#rrggbb` colours
/// and `#id` references skipped).
pub(super) fn literals(value: &str) -> impl Iterator<Item = f64> + '_ {
    let b = value.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            let c = b[i];
            if c == b'#' {
                i += 1;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b"_-.:".contains(&b[i])) {
                    i += 1;
                }
                continue;
            }
            let starts = c.is_ascii_digit()
                || (matches!(c, b'+' | b'-' | b'.')
                    && b.get(i + 1)
                        .is_some_and(|n| n.is_ascii_digit() || *n == b'.'));
            if !starts {
                i += 1;
                continue;
            }
            let start = i;
            if matches!(b[i], b'+' | b'-') {
                i += 1;
            }
            let mut dot = false;
            while i < b.len() && (b[i].is_ascii_digit() || (b[i] == b'.' && !dot)) {
                dot |= b[i] == b'.';
                i += 1;
            }
            if i < b.len()
                && matches!(b[i], b'e' | b'E')
                && b.get(i + 1).is_some_and(|n| {
                    n.is_ascii_digit()
                        || (matches!(n, b'+' | b'-')
                            && b.get(i + 2).is_some_and(u8::is_ascii_digit))
                })
            {
                i += 2;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if let Ok(n) = value[start..i].parse::<f64>() {
                return Some(n);
            }
        }
        None
    })
}

fn out_of_range(node: Node<'_, '_>, name: &str, value: &str) -> Option<ImageProblem> {
    let n = literals(value).find(|n| !n.is_finite() || n.abs() > MAX_SVG_NUMBER)?;
    Some(ImageProblem::Undecodable(format!(
        "the number {n:e} in `{name}` of its <{}> is out of range (at most {MAX_SVG_NUMBER:e} either way)",
        node.tag_name().name()
    )))
}

/// Refuses numbers beyond [`MAX_SVG_NUMBER`] and degenerate `viewBox`es.
pub(super) fn check(
    doc: &roxmltree::Document<'_>,
    sheet: &simplecss::StyleSheet<'_>,
) -> Result<(), ImageProblem> {
    for node in doc.descendants().filter(|n| n.is_element()) {
        for attr in node.attributes() {
            // Other namespaces (Inkscape's, Sodipodi's) are not drawn.
            let svg_ns = attr
                .namespace()
                .is_none_or(|ns| ns == "http://www.w3.org/2000/svg");
            if !svg_ns || NOT_NUMERIC.contains(&attr.name()) {
                continue;
            }
            if let Some(p) = out_of_range(node, attr.name(), attr.value()) {
                return Err(p);
            }
        }
        if let Some(style) = node.attribute("style") {
            for d in simplecss::DeclarationTokenizer::from(style) {
                if d.name == "font-family" || d.value.contains("url(") {
                    continue;
                }
                if let Some(p) = out_of_range(node, d.name, d.value) {
                    return Err(p);
                }
            }
        }
        if let Some(vb) = node.attribute("viewBox") {
            let n: Vec<f64> = literals(vb).collect();
            if n.len() == 4 && (n[2].abs() < MIN_VIEW_BOX || n[3].abs() < MIN_VIEW_BOX) {
                return Err(ImageProblem::Undecodable(format!(
                    "the viewBox `{vb}` of its <{}> is too small to scale",
                    node.tag_name().name()
                )));
            }
        }
        // The drawing is scaled to one unit by its size: a tiny one
        // multiplies every number by its inverse.
        if node == doc.root_element() {
            for side in ["width", "height"] {
                if let Some(n) = node.attribute(side).and_then(|v| literals(v).next()) {
                    if n != 0.0 && n.abs() < MIN_VIEW_BOX {
                        return Err(ImageProblem::Undecodable(format!(
                            "its {side} `{n:e}` is too small to scale"
                        )));
                    }
                }
            }
        }
    }
    for rule in &sheet.rules {
        for d in &rule.declarations {
            if d.name == "font-family" || d.value.contains("url(") {
                continue;
            }
            if let Some(n) = literals(d.value).find(|n| n.abs() > MAX_SVG_NUMBER) {
                return Err(ImageProblem::Undecodable(format!(
                    "the number {n:e} in `{}` of its style sheet is out of range (at most {MAX_SVG_NUMBER:e} either way)",
                    d.name
                )));
            }
        }
    }
    Ok(())
}
