//! The DOCTYPE's internal entities, sized from their declarations before
//! the XML parser expands them; external ones are never read.

use super::{ImageProblem, Limits};
use std::collections::HashMap;

fn unreadable(why: &str) -> ImageProblem {
    ImageProblem::Undecodable(format!("the SVG's DOCTYPE cannot be read: {why}"))
}

/// Where the internal subset lies: the text between `<!DOCTYPE … [` and
/// `]`, and where the document after the DOCTYPE starts.
fn internal_subset(text: &str) -> Result<Option<(&str, usize)>, ImageProblem> {
    let Some(start) = text.find("<!DOCTYPE") else {
        return Ok(None);
    };
    let b = text.as_bytes();
    let mut i = start + "<!DOCTYPE".len();
    let mut quote = None;
    while i < b.len() {
        match (quote, b[i]) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b[i]),
            (None, b'>') => return Ok(Some(("", i + 1))),
            (None, b'[') => {
                let subset_start = i + 1;
                let end = subset_end(text, subset_start)?;
                let close = text[end..]
                    .find('>')
                    .ok_or_else(|| unreadable("the DOCTYPE is not closed"))?;
                return Ok(Some((&text[subset_start..end], end + close + 1)));
            }
            _ => {}
        }
        i += 1;
    }
    Err(unreadable("the DOCTYPE is not closed"))
}

/// The `]` closing an internal subset starting at `from`, stepping over
/// quoted strings and comments.
fn subset_end(text: &str, from: usize) -> Result<usize, ImageProblem> {
    let b = text.as_bytes();
    let mut i = from;
    while i < b.len() {
        if text[i..].starts_with("<!--") {
            i += text[i..]
                .find("-->")
                .ok_or_else(|| unreadable("a comment is not closed"))?
                + 3;
            continue;
        }
        match b[i] {
            q @ (b'"' | b'\'') => {
                i += 1 + text[i + 1..]
                    .find(q as char)
                    .ok_or_else(|| unreadable("a quoted string is not closed"))?;
            }
            b']' => return Ok(i),
            _ => {}
        }
        i += 1;
    }
    Err(unreadable("the internal subset is not closed"))
}

/// `<!ENTITY name "value">` declarations (general entities; the first
/// declaration of a name wins, as in XML): name → value, `None` for
/// external ones.
fn declarations(subset: &str) -> Result<Vec<(&str, Option<&str>)>, ImageProblem> {
    let mut out = Vec::new();
    let mut rest = subset;
    while let Some(at) = rest.find("<!") {
        let tail = &rest[at..];
        if tail.starts_with("<!--") {
            let end = tail
                .find("-->")
                .ok_or_else(|| unreadable("a comment is not closed"))?;
            rest = &tail[end + 3..];
            continue;
        }
        let end = declaration_end(tail)?;
        let decl = &tail[..end];
        rest = &tail[end..];
        let Some(body) = decl.strip_prefix("<!ENTITY") else {
            continue;
        };
        let body = body.trim_start();
        if body.starts_with('%') {
            // Parameter entities are not expanded by the parser.
            continue;
        }
        let name_end = body
            .find(|c: char| c.is_whitespace())
            .ok_or_else(|| unreadable("an entity has no value"))?;
        let (name, def) = body.split_at(name_end);
        let def = def.trim();
        let value = match def.as_bytes().first() {
            Some(q @ (b'"' | b'\'')) => {
                let close = def[1..]
                    .find(*q as char)
                    .ok_or_else(|| unreadable("an entity value is not closed"))?;
                Some(&def[1..1 + close])
            }
            _ => None,
        };
        out.push((name, value));
    }
    Ok(out)
}

/// Length of the markup declaration at the start of `tail` (through `>`,
/// quoted strings stepped over).
fn declaration_end(tail: &str) -> Result<usize, ImageProblem> {
    let b = tail.as_bytes();
    let mut i = 2;
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'\'') => {
                i += 1 + tail[i + 1..]
                    .find(q as char)
                    .ok_or_else(|| unreadable("a quoted string is not closed"))?;
            }
            b'>' => return Ok(i + 1),
            _ => {}
        }
        i += 1;
    }
    Err(unreadable("a declaration is not closed"))
}

/// The names of the entity references (`&name;`) in `text`.
fn references(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices('&').filter_map(|(at, _)| {
        let rest = &text[at + 1..];
        let end = rest.find(';')?;
        let name = &rest[..end];
        (!name.starts_with('#')
            && !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || "_-.:".contains(c)))
        .then_some(name)
    })
}

/// Refuses an SVG whose entities expand past `svg-bytes` (or refer to
/// themselves); the XML parser then expands at most that much.
pub(super) fn check(text: &str, limits: &Limits) -> Result<(), ImageProblem> {
    let Some((subset, body_start)) = internal_subset(text)? else {
        return Ok(());
    };
    let mut decls: HashMap<&str, Option<&str>> = HashMap::new();
    for (name, value) in declarations(subset)? {
        decls.entry(name).or_insert(value);
    }
    if decls.is_empty() {
        return Ok(());
    }
    let cap = limits.svg_bytes.saturating_add(1);
    // Expanded length of each entity, memoised; a name on the stack is
    // being expanded (a loop).
    let mut sizes: HashMap<&str, u64> = HashMap::new();
    let mut expanding: Vec<&str> = Vec::new();
    fn size<'t>(
        name: &'t str,
        decls: &HashMap<&'t str, Option<&'t str>>,
        sizes: &mut HashMap<&'t str, u64>,
        expanding: &mut Vec<&'t str>,
        cap: u64,
    ) -> Result<u64, ImageProblem> {
        if let Some(&s) = sizes.get(name) {
            return Ok(s);
        }
        // Undeclared names are the parser's error.
        let Some(value) = decls.get(name) else {
            return Ok(0);
        };
        let Some(value) = value else {
            return Err(ImageProblem::Undecodable(format!(
                "the SVG's entity `{name}` names an external file, which folio never reads"
            )));
        };
        if expanding.contains(&name) {
            return Err(ImageProblem::Undecodable(format!(
                "the SVG's entity `{name}` refers to itself"
            )));
        }
        if expanding.len() >= 64 {
            return Err(ImageProblem::Undecodable(
                "the SVG's entities nest more than 64 deep".into(),
            ));
        }
        expanding.push(name);
        let mut total = value.len() as u64;
        for r in references(value) {
            total = total.saturating_add(size(r, decls, sizes, expanding, cap)?);
        }
        expanding.pop();
        let total = total.min(cap);
        sizes.insert(name, total);
        Ok(total)
    }
    let mut total = text.len() as u64;
    for r in references(&text[body_start..]) {
        total = total.saturating_add(size(r, &decls, &mut sizes, &mut expanding, cap)?);
        if total > limits.svg_bytes {
            return Err(ImageProblem::TooLarge {
                what: format!(
                    "is larger than {} once its entities are expanded",
                    crate::config::limits::human_bytes(limits.svg_bytes)
                ),
                key: "svg-bytes",
            });
        }
    }
    Ok(())
}
