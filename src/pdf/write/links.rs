//! Named destinations and link annotations.
//!
//! Every [`Item::Anchor`] becomes an entry of the document's `/Dests` name
//! tree (written by `mod.rs` from the sorted map returned here), pointing at
//! an `/XYZ` destination: left edge of the page, the anchor's top, zoom
//! unchanged. Internal links refer to those names (`/Dest (name)`), so a
//! viewer resolves them without the writer knowing link order. A link to a
//! name with no anchor is dropped with a warning rather than written as a
//! dangling reference. External links get a `/URI` action. All links are
//! invisible (`/Border [0 0 0]`): the typography shows that text is a link.

use std::collections::BTreeMap;

use pdf_writer::types::{ActionType, AnnotationType};
use pdf_writer::{Finish, Name, Null, Obj, Pdf, Ref, Str};

use super::{PageGeom, fin};
use crate::pdf::layout::frame::{Item, LinkTarget, Page};

/// Anchors found in pass 1: name → (page index, frame y). The first anchor
/// of a name wins.
#[derive(Debug, Default)]
pub(crate) struct Anchors {
    map: BTreeMap<String, (usize, f32)>,
}

impl Anchors {
    /// Records an anchor; a repeated name keeps the first position and warns.
    pub fn add(&mut self, name: &str, page: usize, y: f32, warnings: &mut Vec<String>) {
        if let Some(&(first, _)) = self.map.get(name) {
            warnings.push(format!(
                "page {}: anchor `{name}` already defined on page {}; the first one is kept",
                page + 1,
                first + 1
            ));
            return;
        }
        self.map.insert(name.to_owned(), (page, y));
    }

    /// Writes one destination object per anchor and returns name → object,
    /// sorted by name (byte order, as the name tree requires).
    pub fn write(
        &self,
        pdf: &mut Pdf,
        refs: &mut Ref,
        page_refs: &[Ref],
        geoms: &[PageGeom],
    ) -> BTreeMap<String, Ref> {
        let mut out = BTreeMap::new();
        for (name, &(page, y)) in &self.map {
            let id = refs.bump();
            xyz(pdf.indirect(id), page_refs[page], geoms[page].y(y));
            out.insert(name.clone(), id);
        }
        out
    }
}

/// Writes `[page /XYZ 0 top null]`: scroll to `top` at the page's left edge,
/// keeping the reader's zoom.
pub(crate) fn xyz(obj: Obj<'_>, page: Ref, top: f32) {
    let mut a = obj.array();
    a.item(page)
        .item(Name(b"XYZ"))
        .item(0.0f32)
        .item(fin(top))
        .item(Null);
    a.finish();
}

/// How a page's links join the structure tree: the node and painting
/// position of each link (see [`super::tags::PageMarks::links`]), the text
/// of every link node (its description), and the tree being collected.
pub(crate) struct LinkTags<'a, 't> {
    /// The page's marks.
    pub marks: &'a super::tags::PageMarks,
    /// The painted text of each link node, for `/Contents`.
    pub text: &'a std::collections::HashMap<super::tags::NodeId, String>,
    /// The structure tree being collected.
    pub collector: &'a mut super::tags::Collector<'t>,
}

/// Writes the link annotations of one page and returns their references for
/// the page's `/Annots`. In a tagged document each annotation is an object
/// kid of its `Link` element (`/StructParent`) and describes itself with
/// the link's text (`/Contents`, as PDF/UA asks).
#[allow(
    clippy::too_many_arguments,
    reason = "the page, its geometry, the destinations and the tree all meet here"
)]
pub(crate) fn write_annotations(
    page_index: usize,
    page: &Page,
    geom: PageGeom,
    dests: &BTreeMap<String, Ref>,
    pdf: &mut Pdf,
    refs: &mut Ref,
    warnings: &mut Vec<String>,
    mut tags: Option<LinkTags<'_, '_>>,
) -> Vec<Ref> {
    let mut out = Vec::new();
    let mut link_index = 0;
    for item in &page.items {
        let Item::Link { rect, target } = item else {
            continue;
        };
        let owner = tags
            .as_ref()
            .and_then(|t| t.marks.links.get(link_index).copied().flatten());
        link_index += 1;
        match target {
            LinkTarget::Named(name) if !dests.contains_key(name) => {
                warnings.push(format!(
                    "page {}: link to `{name}`, which no anchor defines; link skipped",
                    page_index + 1
                ));
                continue;
            }
            LinkTarget::Uri(uri) if uri.trim().is_empty() => {
                warnings.push(format!(
                    "page {}: link with an empty URL; link skipped",
                    page_index + 1
                ));
                continue;
            }
            _ => {}
        }
        let id = refs.bump();
        let mut annot = pdf.annotation(id);
        annot.subtype(AnnotationType::Link);
        annot.rect(geom.rect(*rect));
        annot.border(0.0, 0.0, 0.0, None);
        if let (Some(tags), Some((node, order))) = (tags.as_mut(), owner) {
            let key = tags.collector.annotation(page_index, order, node, id);
            annot.struct_parent(key);
            let text = tags.text.get(&node).map(|t| t.trim()).unwrap_or("");
            let description = match target {
                _ if !text.is_empty() => text.to_owned(),
                LinkTarget::Uri(uri) => uri.trim().to_owned(),
                LinkTarget::Named(name) => name.clone(),
            };
            annot.contents(pdf_writer::TextStr(&description));
        }
        match target {
            LinkTarget::Named(name) => {
                annot.pair(Name(b"Dest"), Str(name.as_bytes()));
            }
            LinkTarget::Uri(uri) => {
                annot
                    .action()
                    .action_type(ActionType::Uri)
                    .uri(Str(ascii_uri(uri).as_bytes()));
            }
        }
        annot.finish();
        out.push(id);
    }
    out
}

/// PDF URIs are 7-bit ASCII: percent-encode anything else (and spaces).
fn ascii_uri(uri: &str) -> String {
    let mut s = String::with_capacity(uri.len());
    for b in uri.trim().bytes() {
        if b.is_ascii_graphic() {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_ascii() {
        assert_eq!(
            ascii_uri("https://example.org/a b/é"),
            "https://example.org/a%20b/%C3%A9"
        );
    }

    #[test]
    fn first_anchor_wins() {
        let mut a = Anchors::default();
        let mut w = vec![];
        a.add("x", 0, 10.0, &mut w);
        a.add("x", 2, 20.0, &mut w);
        assert_eq!(a.map["x"], (0, 10.0));
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("page 3"), "{w:?}");
    }
}
