//! Files an author's stylesheet names with `url(…)` (background images,
//! `@font-face` sources): found, confined to the book folder, read within
//! `[limits]`, packaged under `styles/`, and the `url(…)` rewritten to the
//! packaged name — an unpackaged one makes the EPUB invalid. Remote URLs and
//! `@import` are errors at their `file:line:col`, as is a file that is not
//! an image or a font.

use crate::config::limits::Limits;
use crate::manuscript::paths;
use std::collections::HashSet;
use std::path::Path;

/// A file a stylesheet refers to, packaged with the EPUB.
pub struct Resource {
    /// Package path (`styles/…`).
    pub href: String,
    /// Bytes as given.
    pub bytes: Vec<u8>,
    /// Core media type.
    pub media_type: &'static str,
}

/// A problem at a byte offset of the stylesheet.
pub struct Problem {
    /// Byte offset in the CSS text.
    pub at: usize,
    /// What is wrong.
    pub message: String,
}

/// The `url(…)` references of a CSS text: (start, end) of the whole
/// `url(…)` token and the URL inside it, outside comments and strings.
fn urls(css: &str) -> Vec<(usize, usize, String)> {
    let b = css.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if css[i..].starts_with("/*") {
            i = css[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            continue;
        }
        if b[i] == b'"' || b[i] == b'\'' {
            let q = b[i];
            i += 1;
            while i < b.len() && b[i] != q {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            continue;
        }
        if css[i..].len() >= 4 && css[i..i + 4].eq_ignore_ascii_case("url(") {
            let start = i;
            let mut j = i + 4;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let (value, end) = match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let close = css[j + 1..].find(q as char).map_or(b.len(), |e| j + 1 + e);
                    let after = css[close..].find(')').map_or(b.len(), |e| close + e + 1);
                    (css[(j + 1).min(close)..close].to_owned(), after)
                }
                _ => {
                    let close = css[j..].find(')').map_or(b.len(), |e| j + e);
                    (css[j..close].trim().to_owned(), (close + 1).min(b.len()))
                }
            };
            out.push((start, end, value));
            i = end.max(start + 4);
            continue;
        }
        i += 1;
    }
    out
}

/// Where `@import` rules are (outside comments).
fn imports(css: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = css[i..].find(['@', '/']) {
        let at = i + at;
        if css[at..].starts_with("/*") {
            i = css[at + 2..]
                .find("*/")
                .map_or(css.len(), |e| at + 2 + e + 2);
            continue;
        }
        if css[at..].len() >= 7 && css[at..at + 7].eq_ignore_ascii_case("@import") {
            out.push(at);
        }
        i = at + 1;
    }
    out
}

/// Packages what `css` (the file at `path`, inside the book at `root`)
/// refers to: returns the CSS with its URLs rewritten, the files, and the
/// problems found. `taken` holds the package paths used so far.
pub fn package(
    css: &str,
    path: &Path,
    root: &Path,
    limits: &Limits,
    taken: &mut HashSet<String>,
) -> (String, Vec<Resource>, Vec<Problem>) {
    let mut problems: Vec<Problem> = imports(css)
        .into_iter()
        .map(|at| Problem {
            at,
            message: "`@import` is not supported in an EPUB stylesheet".into(),
        })
        .collect();
    let base = path.parent().unwrap_or(root);
    let mut resources: Vec<(String, String)> = Vec::new(); // (canonical path, href)
    let mut files = Vec::new();
    let mut out = String::with_capacity(css.len());
    let mut last = 0;
    for (start, end, url) in urls(css) {
        let problem = |message: String| Problem { at: start, message };
        if url.is_empty() || url.starts_with('#') || url.starts_with("data:") {
            continue;
        }
        if url.contains("://") || url.starts_with("//") {
            problems.push(problem(format!(
                "`{url}` is not a file in the book; an EPUB holds what it shows"
            )));
            continue;
        }
        let decoded = paths::percent_decode(url.split(['#', '?']).next().unwrap_or(&url));
        let file = match paths::confine(root, base, &decoded) {
            Ok(file) => file,
            Err(paths::PathError::NotFound) => {
                problems.push(problem(format!("`{url}` not found")));
                continue;
            }
            Err(e) => {
                problems.push(problem(e.describe(&url)));
                continue;
            }
        };
        let key = file.to_string_lossy().into_owned();
        let href = match resources.iter().find(|(k, _)| *k == key) {
            Some((_, href)) => href.clone(),
            None => {
                let bytes = match paths::read_limited(&file, limits.file_bytes) {
                    Ok(bytes) => bytes,
                    Err(p) => {
                        problems.push(problem(p.describe(&format!("`{url}`"))));
                        continue;
                    }
                };
                let Some(media_type) = media_type(&bytes, limits) else {
                    problems.push(problem(format!(
                        "`{url}` is not an image or a font an EPUB can hold (PNG, JPEG, GIF, WebP, SVG, TrueType, OpenType, WOFF)"
                    )));
                    continue;
                };
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let href = unique(taken, "styles", &name);
                resources.push((key, href.clone()));
                files.push(Resource {
                    href: href.clone(),
                    bytes,
                    media_type,
                });
                href
            }
        };
        out.push_str(&css[last..start]);
        // The stylesheet sits at the package root, beside `styles/`.
        out.push_str(&format!("url(\"{href}\")"));
        last = end;
    }
    out.push_str(&css[last..]);
    (out, files, problems)
}

/// The media type of a file a stylesheet may use, from its bytes.
fn media_type(bytes: &[u8], limits: &Limits) -> Option<&'static str> {
    if let Ok((media, _, _)) = crate::parse::assets::identify_limited(bytes, limits) {
        return Some(media);
    }
    if bytes.starts_with(b"wOF2") {
        Some("font/woff2")
    } else if bytes.starts_with(b"wOFF") {
        Some("font/woff")
    } else if bytes.starts_with(b"OTTO") {
        Some("font/otf")
    } else if ttf_parser::Face::parse(bytes, 0).is_ok() {
        Some("font/ttf")
    } else {
        None
    }
}

/// `folder/name` made safe for the package (ASCII letters, digits, `.`, `-`,
/// `_`) and unique among `taken`, ignoring case: `My Font.ttf` and
/// `My_Font.ttf` become `My_Font.ttf` and `My_Font-2.ttf`.
pub fn unique(taken: &mut HashSet<String>, folder: &str, name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let clean = if clean.trim_matches(['.', '_']).is_empty() {
        "file".to_owned()
    } else {
        clean
    };
    let (stem, ext) = match clean.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_owned(), format!(".{e}")),
        _ => (clean.clone(), String::new()),
    };
    let mut n = 1;
    loop {
        let candidate = if n == 1 {
            format!("{folder}/{stem}{ext}")
        } else {
            format!("{folder}/{stem}-{n}{ext}")
        };
        if taken.insert(candidate.to_ascii_lowercase()) {
            return candidate;
        }
        n += 1;
    }
}

/// A CSS string's content for `text` (quotes, backslashes and control
/// characters escaped), so a font's name can never end the string or the
/// rule.
pub fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\{:x} ", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_outside_comments_and_strings() {
        let css = "a { background: url(img/a.png) } /* url(no.png) */ b { content: \"url(no)\"; src: url( 'f.woff' ) format('woff'); x: URL(\"q.svg\") }";
        let found: Vec<String> = urls(css).into_iter().map(|(_, _, u)| u).collect();
        assert_eq!(found, ["img/a.png", "f.woff", "q.svg"]);
        assert_eq!(imports("/* @import 'x'; */ @import url(y.css);").len(), 1);
    }

    #[test]
    fn names_are_unique_ignoring_case_and_strings_escaped() {
        let mut taken = HashSet::new();
        assert_eq!(unique(&mut taken, "fonts", "F.ttf"), "fonts/F.ttf");
        assert_eq!(unique(&mut taken, "fonts", "f.ttf"), "fonts/f-2.ttf");
        assert_eq!(
            unique(&mut taken, "fonts", "My Font.ttf"),
            "fonts/My_Font.ttf"
        );
        assert_eq!(
            unique(&mut taken, "fonts", "My_Font.ttf"),
            "fonts/My_Font-2.ttf"
        );
        assert_eq!(unique(&mut taken, "fonts", "..."), "fonts/file");
        assert_eq!(css_string("A\\B\"C\nD"), "A\\\\B\\\"C\\a D");
    }
}
