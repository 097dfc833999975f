//! File names inside the EPUB package, decided once so links, the manifest and
//! the navigation agree. Names avoid spaces and non-ASCII (EPUBCheck warns on
//! them and some readers break).

use crate::ir::{AssetId, Book};
use std::collections::HashSet;

/// Package paths (relative to the OPF) of chapters and assets.
#[derive(Debug, Clone)]
pub struct Names {
    chapters: Vec<String>,
    assets: Vec<String>,
}

impl Names {
    /// Names for every chapter (`<id>.xhtml`) and asset (`media/<path>`).
    pub fn new(book: &Book) -> Names {
        let mut taken: HashSet<String> = [
            "nav.xhtml",
            "toc.ncx",
            "content.opf",
            "stylesheet.css",
            "cover.xhtml",
            "titlepage.xhtml",
            "copyright.xhtml",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        let chapters = book
            .chapters
            .iter()
            .map(|c| unique(&mut taken, &format!("{}.xhtml", sanitize(&c.id))))
            .collect();
        let assets = book
            .assets
            .iter()
            .map(|a| unique(&mut taken, &format!("media/{}", sanitize(&a.href))))
            .collect();
        Names { chapters, assets }
    }

    /// The file of chapter `index`.
    pub fn chapter(&self, index: usize) -> &str {
        &self.chapters[index]
    }

    /// The package path of an asset.
    pub fn asset(&self, id: AssetId) -> String {
        self.assets.get(id.0).cloned().unwrap_or_default()
    }

    /// An `href` from chapter `from` to `anchor` in chapter `to`.
    pub fn link(&self, from: usize, to: usize, anchor: Option<&str>) -> String {
        // As the XHTML writer writes ids: without characters XML forbids.
        let anchor = anchor.map(super::xhtml::xml_chars);
        match (from == to, anchor) {
            (true, Some(a)) => format!("#{a}"),
            (_, Some(a)) => format!("{}#{a}", self.chapters[to]),
            (_, None) => self.chapters[to].clone(),
        }
    }
}

/// Keeps ASCII letters, digits, `-`, `_`, `.` and `/`; everything else becomes `_`.
fn sanitize(path: &str) -> String {
    path.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn unique(taken: &mut HashSet<String>, name: &str) -> String {
    if taken.insert(name.to_owned()) {
        return name.to_owned();
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    (2..)
        .map(|n| format!("{stem}-{n}.{ext}"))
        .find(|candidate| taken.insert(candidate.clone()))
        .unwrap_or_default()
}
