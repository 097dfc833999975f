//! Where a link written in a chapter points, read the way mdBook authors write
//! links: against the rendered book as much as the sources. `x.md` and
//! `x.html` name the chapter `x.md`; `dir/`, `dir/index.html` and
//! `dir/README.md` name `dir/README.md` or `dir/index.md` (mdBook publishes
//! both as `dir/index.html`). A link that names no chapter is a file the book
//! publishes, a link that leaves the book (`../std/index.html`), or a missing
//! file; the first two become web links when the book names its published
//! address ([`web_address`]). Also mdBook's heading ids ([`mdbook_id`]), so
//! fragments written against the published book land.

use crate::manuscript::paths::PathError;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// What a link's path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A chapter of the book, by index.
    Chapter(usize),
    /// A file in the book's `src` folder that is no chapter (mdBook
    /// publishes such files beside the chapters).
    File {
        /// The file, lexically resolved (warnings are given once per key).
        key: PathBuf,
        /// Its path from `src`, with `/` separators.
        from_src: String,
        /// Whether it is a Markdown file (not published by mdBook: a chapter
        /// missing from `SUMMARY.md`, most likely).
        markdown: bool,
    },
    /// Somewhere outside the book's `src` folder.
    Outside {
        /// The place, lexically resolved.
        key: PathBuf,
        /// Its path from `src` (starting with `../`), with `/` separators.
        from_src: String,
    },
    /// Nothing there.
    Missing,
    /// A path no book may name (absolute).
    Refused(PathError),
}

/// The chapter files of a book, for finding what a link names.
pub struct ChapterPaths<'a> {
    by_path: HashMap<&'a Path, usize>,
    /// Canonical `src` folder: the root of the published book.
    src: &'a Path,
    /// Canonical folder the build may look into (`--root`, else the book folder).
    fence: &'a Path,
}

impl<'a> ChapterPaths<'a> {
    /// Indexes `files` (each chapter's canonical path, `None` for parts).
    pub fn new(files: &'a [Option<PathBuf>], src: &'a Path, fence: &'a Path) -> Self {
        let by_path = files
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.as_deref().map(|f| (f, i)))
            .collect();
        ChapterPaths {
            by_path,
            src,
            fence,
        }
    }

    /// What `written` (percent-decoded, no fragment) names, from a chapter
    /// in the folder `base`.
    pub fn locate(&self, base: &Path, written: &str) -> Destination {
        if written.starts_with('/') || written.starts_with('\\') || Path::new(written).is_absolute()
        {
            return Destination::Refused(PathError::Absolute);
        }
        let Some(target) = crate::manuscript::paths::normalize(&base.join(written)) else {
            return Destination::Outside {
                key: PathBuf::from(written),
                from_src: written.replace('\\', "/"),
            };
        };
        let as_folder = written.ends_with('/') || written.is_empty() || written.ends_with("/.");
        for candidate in candidates(&target, as_folder) {
            if let Some(&i) = self.by_path.get(candidate.as_path()) {
                return Destination::Chapter(i);
            }
        }
        let from_src = relative(self.src, &target);
        if !target.starts_with(self.src) {
            return Destination::Outside {
                key: target,
                from_src,
            };
        }
        // Only files the build may read are looked at.
        let exists = target.starts_with(self.fence) && target.is_file();
        if !exists {
            return Destination::Missing;
        }
        let markdown = target
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"));
        Destination::File {
            key: target,
            from_src,
            markdown,
        }
    }
}

/// The chapter files a lexically resolved link path may mean, most likely first.
fn candidates(target: &Path, as_folder: bool) -> Vec<PathBuf> {
    let index = |dir: &Path| vec![dir.join("README.md"), dir.join("index.md")];
    if as_folder {
        return index(target);
    }
    let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let dir = target.parent().unwrap_or(target);
    let lower = name.to_ascii_lowercase();
    let mut out = vec![target.to_path_buf()];
    if let Some(stem) = lower
        .strip_suffix(".html")
        .or_else(|| lower.strip_suffix(".htm"))
        .map(|s| &name[..s.len()])
    {
        if stem.eq_ignore_ascii_case("index") {
            out.extend(index(dir));
        }
        out.push(dir.join(format!("{stem}.md")));
    } else if lower == "readme.md" || lower == "index.md" {
        // mdBook publishes either as the folder's index page.
        out.extend(index(dir));
    }
    // `dir` written without the slash, when it is a folder with an index.
    out.extend(index(target));
    out
}

/// `to` relative to the folder `from` (`../` where needed), with `/`.
fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// The web address of `from_src` (a path relative to the published book's
/// root, `../` allowed) in the book published at `site` (ending in `/`). A
/// Markdown file is published as `.html`, as mdBook renders it.
pub fn web_address(site: &str, from_src: &str, fragment: Option<&str>) -> String {
    let (origin, path) = match site.find("://") {
        Some(scheme_end) => {
            let after = scheme_end + 3;
            let path_start = site[after..].find('/').map_or(site.len(), |i| after + i);
            (&site[..path_start], &site[path_start..])
        }
        None => ("", site),
    };
    let mut segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let rel: Vec<&str> = from_src.split('/').collect();
    let last = rel.len().saturating_sub(1);
    let mut out_tail = Vec::new();
    for (i, part) in rel.iter().enumerate() {
        match *part {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            name if i == last => out_tail.push(published_name(name)),
            name => segments.push(name),
        }
    }
    let mut url = origin.to_owned();
    for s in &segments {
        url.push('/');
        url.push_str(&encode(s));
    }
    url.push('/');
    if let Some(name) = out_tail.first() {
        url.push_str(&encode(name));
    }
    if let Some(f) = fragment.filter(|f| !f.is_empty()) {
        url.push('#');
        url.push_str(&encode(f));
    }
    url
}

/// The name mdBook gives a file in the rendered book.
fn published_name(name: &str) -> String {
    match name.strip_suffix(".md") {
        Some("README" | "index") => "index.html".to_owned(),
        Some(stem) => format!("{stem}.html"),
        None => name.to_owned(),
    }
}

/// Percent-encodes what may not stand in a URL path or fragment.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/%".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The id mdBook's HTML renderer gives a heading with this text (markup
/// already stripped): trimmed, leading `#`s dropped, lowercased (ASCII only,
/// as mdBook does), letters, digits, `_` and `-` kept, each whitespace
/// character a `-`, everything else dropped. Duplicates on one page are told
/// apart by [`MdbookIds`].
pub fn mdbook_id(text: &str) -> String {
    text.trim()
        .trim_start_matches('#')
        .trim()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c.to_ascii_lowercase())
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// mdBook's ids on one page: the second heading with an id gets `-1`, the
/// third `-2`, …
#[derive(Default)]
pub struct MdbookIds {
    seen: HashMap<String, usize>,
}

impl MdbookIds {
    /// The id of the next heading with this text.
    pub fn next(&mut self, text: &str) -> String {
        let id = mdbook_id(text);
        let count = self.seen.entry(id.clone()).or_insert(0);
        let unique = match *count {
            0 => id,
            n => format!("{id}-{n}"),
        };
        *count += 1;
        unique
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mdbook_heading_ids() {
        assert_eq!(
            mdbook_id("Method-call expressions"),
            "method-call-expressions"
        );
        assert_eq!(mdbook_id("Race/select"), "raceselect");
        assert_eq!(
            mdbook_id("Foo & Bar"),
            "foo--bar",
            "mdBook keeps both dashes"
        );
        assert_eq!(mdbook_id("--passes: add more"), "--passes-add-more");
        assert_eq!(mdbook_id("Über"), "Über", "ASCII lowercasing only");
        assert_eq!(mdbook_id("1991"), "1991");
        let mut ids = MdbookIds::default();
        assert_eq!(ids.next("Example"), "example");
        assert_eq!(ids.next("Example"), "example-1");
        assert_eq!(ids.next("Example"), "example-2");
    }

    #[test]
    fn chapters_by_the_names_mdbook_gives_them() {
        let src = PathBuf::from("/b/src");
        let files = vec![
            Some(src.join("intro.md")),
            None,
            Some(src.join("cli/README.md")),
            Some(src.join("guide/index.md")),
            Some(src.join("guide/setup.md")),
        ];
        let paths = ChapterPaths::new(&files, &src, Path::new("/b"));
        let from_guide = src.join("guide");
        for (written, chapter) in [
            ("setup.md", 4),
            ("setup.html", 4),
            ("./setup.html", 4),
            ("../intro.html", 0),
            ("../cli/", 2),
            ("../cli", 2),
            ("../cli/index.html", 2),
            ("../cli/README.md", 2),
            ("index.html", 3),
            ("./", 3),
            ("README.md", 3),
        ] {
            assert_eq!(
                paths.locate(&from_guide, written),
                Destination::Chapter(chapter),
                "{written}"
            );
        }
        assert_eq!(
            paths.locate(&from_guide, "../../../std/index.html"),
            Destination::Outside {
                key: PathBuf::from("/std/index.html"),
                from_src: "../../std/index.html".into()
            }
        );
        assert_eq!(
            paths.locate(&from_guide, "nowhere.md"),
            Destination::Missing
        );
        assert_eq!(
            paths.locate(&from_guide, "/etc/passwd"),
            Destination::Refused(PathError::Absolute)
        );
    }

    #[test]
    fn web_addresses_resolve_like_a_browser() {
        let site = "https://doc.rust-lang.org/book/";
        assert_eq!(
            web_address(site, "../std/index.html", None),
            "https://doc.rust-lang.org/std/index.html"
        );
        assert_eq!(
            web_address(site, "ch01.md", Some("setup")),
            "https://doc.rust-lang.org/book/ch01.html#setup"
        );
        assert_eq!(
            web_address(site, "img/a b.png", None),
            "https://doc.rust-lang.org/book/img/a%20b.png"
        );
        assert_eq!(
            web_address("https://x.org/", "../../a.html", None),
            "https://x.org/a.html",
            "never above the site's root"
        );
    }
}
