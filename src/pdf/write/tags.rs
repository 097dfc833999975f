//! Tagged PDF: the structure tree (ISO 32000-1 §14.7–14.8, PDF/UA-1).
//!
//! Layout hands over a [`Structure`] (what the content *is*, in reading
//! order) and marks the items of each page with [`Item::TagStart`] /
//! [`Item::TagEnd`]. The painter ([`super::page`]) turns every stretch of
//! content owned by one node into a marked-content sequence with an MCID and
//! everything else into an artifact; this module then writes what the
//! reader needs to go from content to structure and back:
//!
//! - one structure element per node that owns content (empty ones are
//!   dropped), its kids in reading order — for nodes that hold content of
//!   their own, in the order it was painted (a link inside a paragraph sits
//!   between the paragraph's text before and after it), otherwise as layout
//!   declared them (a figure floated to the next page keeps its place);
//! - the parent tree: for each page (key = page index) the element of each
//!   MCID, and for each link annotation its `Link` element;
//! - the ID tree for elements with an identifier (notes);
//! - table header scope and list numbering attributes.
//!
//! Only standard structure types are written, so no role map is needed.
//!
//! [`Item::TagStart`]: crate::pdf::layout::frame::Item::TagStart
//! [`Item::TagEnd`]: crate::pdf::layout::frame::Item::TagEnd

use std::collections::{BTreeMap, HashMap};

use pdf_writer::types::{ListNumbering, StructRole, TableHeaderScope};
use pdf_writer::writers::Catalog;
use pdf_writer::{Chunk, Finish, Name, Ref, Str, TextStr};

use crate::pdf::layout::frame::{NodeRef, StructKind, Structure};

/// Index of a node in [`Tree::nodes`]; 0 is the document.
pub(crate) type NodeId = u32;

/// The structure flattened into one list, with parents.
pub(crate) struct Tree {
    nodes: Vec<Node>,
    lookup: HashMap<NodeRef, NodeId>,
}

struct Node {
    /// `None` for the document root.
    kind: Option<StructKind>,
    parent: NodeId,
    children: Vec<NodeId>,
    alt: Option<String>,
    lang: Option<String>,
    id: Option<String>,
}

impl Tree {
    /// Flattens `structure`. Only nodes reachable from a group's root count
    /// (a node listed twice or in a cycle is kept once); a group whose key
    /// was used before is skipped with a warning.
    pub fn new(structure: &Structure, warnings: &mut Vec<String>) -> Tree {
        let mut nodes = vec![Node {
            kind: None,
            parent: 0,
            children: Vec::new(),
            alt: None,
            lang: None,
            id: None,
        }];
        let mut lookup = HashMap::new();
        let mut seen_groups = std::collections::HashSet::new();
        for group in &structure.groups {
            if group.nodes.is_empty() {
                continue;
            }
            if !seen_groups.insert(group.key) {
                warnings.push(format!(
                    "structure group {} appears twice; the second is not tagged",
                    group.key
                ));
                continue;
            }
            // Depth-first from the group's root, parents before children;
            // the root under the group it nests in, if that came before.
            let top = group
                .parent
                .and_then(|p| lookup.get(&NodeRef { group: p, node: 0 }).copied())
                .unwrap_or(0);
            let mut stack: Vec<(u32, NodeId)> = vec![(0, top)];
            while let Some((local, parent)) = stack.pop() {
                let key = NodeRef {
                    group: group.key,
                    node: local,
                };
                let Some(source) = group.nodes.get(local as usize) else {
                    continue;
                };
                if lookup.contains_key(&key) {
                    continue;
                }
                let id = nodes.len() as NodeId;
                lookup.insert(key, id);
                nodes.push(Node {
                    kind: Some(source.kind),
                    parent,
                    children: Vec::new(),
                    alt: source.alt.clone(),
                    lang: source.lang.clone(),
                    id: source.id.clone(),
                });
                nodes[parent as usize].children.push(id);
                for &child in source.children.iter().rev() {
                    stack.push((child, id));
                }
            }
        }
        Tree { nodes, lookup }
    }

    /// Whether there is anything to tag.
    pub fn is_tagged(&self) -> bool {
        self.nodes.len() > 1
    }

    /// The node a tag names, if the structure has it.
    pub fn resolve(&self, node: NodeRef) -> Option<NodeId> {
        self.lookup.get(&node).copied()
    }

    /// The structure type of a node (`None`: the document).
    pub fn kind(&self, node: NodeId) -> Option<StructKind> {
        self.nodes.get(node as usize).and_then(|n| n.kind)
    }
}

/// The marked-content tag name of a node's content (its structure type).
pub(crate) fn tag_name(kind: Option<StructKind>) -> Name<'static> {
    kind.map_or(Name(b"Span"), |k| role_name(role(k)))
}

fn role(kind: StructKind) -> StructRole {
    match kind {
        StructKind::Part => StructRole::Part,
        StructKind::Sect => StructRole::Sect,
        StructKind::Div => StructRole::Div,
        StructKind::H(1) => StructRole::H1,
        StructKind::H(2) => StructRole::H2,
        StructKind::H(3) => StructRole::H3,
        StructKind::H(4) => StructRole::H4,
        StructKind::H(5) => StructRole::H5,
        StructKind::H(_) => StructRole::H6,
        StructKind::P => StructRole::P,
        StructKind::L { .. } => StructRole::L,
        StructKind::LI => StructRole::LI,
        StructKind::Lbl => StructRole::Lbl,
        StructKind::LBody => StructRole::LBody,
        StructKind::BlockQuote => StructRole::BlockQuote,
        StructKind::Code => StructRole::Code,
        StructKind::Table => StructRole::Table,
        StructKind::THead => StructRole::THead,
        StructKind::TBody => StructRole::TBody,
        StructKind::TR => StructRole::TR,
        StructKind::TH => StructRole::TH,
        StructKind::TD => StructRole::TD,
        StructKind::Figure => StructRole::Figure,
        StructKind::Caption => StructRole::Caption,
        StructKind::Link => StructRole::Link,
        StructKind::Note => StructRole::Note,
        StructKind::Reference => StructRole::Reference,
        StructKind::TOC => StructRole::TOC,
        StructKind::TOCI => StructRole::TOCI,
        StructKind::Span => StructRole::Span,
    }
}

/// pdf-writer keeps its role names private; the same names, for content tags.
fn role_name(role: StructRole) -> Name<'static> {
    Name(match role {
        StructRole::Part => b"Part",
        StructRole::Sect => b"Sect",
        StructRole::Div => b"Div",
        StructRole::H1 => b"H1",
        StructRole::H2 => b"H2",
        StructRole::H3 => b"H3",
        StructRole::H4 => b"H4",
        StructRole::H5 => b"H5",
        StructRole::H6 => b"H6",
        StructRole::P => b"P",
        StructRole::L => b"L",
        StructRole::LI => b"LI",
        StructRole::Lbl => b"Lbl",
        StructRole::LBody => b"LBody",
        StructRole::BlockQuote => b"BlockQuote",
        StructRole::Code => b"Code",
        StructRole::Table => b"Table",
        StructRole::THead => b"THead",
        StructRole::TBody => b"TBody",
        StructRole::TR => b"TR",
        StructRole::TH => b"TH",
        StructRole::TD => b"TD",
        StructRole::Figure => b"Figure",
        StructRole::Caption => b"Caption",
        StructRole::Link => b"Link",
        StructRole::Note => b"Note",
        StructRole::Reference => b"Reference",
        StructRole::TOC => b"TOC",
        StructRole::TOCI => b"TOCI",
        _ => b"Span",
    })
}

/// What the painter recorded on one page for the structure tree.
#[derive(Debug, Default, Clone)]
pub(crate) struct PageMarks {
    /// The node of each MCID (MCID = index), with its painting position.
    pub mcids: Vec<(NodeId, u32)>,
    /// The node of each `Item::Link` of the page, in item order, with its
    /// painting position (`None`: outside any node).
    pub links: Vec<Option<(NodeId, u32)>>,
    /// Text painted inside `Link` nodes (for the annotations' `/Contents`).
    pub link_text: Vec<(NodeId, String)>,
}

/// A kid of a structure element as it will be written.
#[derive(Debug, Clone, Copy)]
enum Kid {
    Node(NodeId),
    Mcid { page: usize, mcid: i32 },
    Annot { page: usize, annot: Ref },
}

/// Collects the content of every node while the pages are written, then
/// writes the tree.
pub(crate) struct Collector<'t> {
    tree: &'t Tree,
    /// Content kids of each node with their position (page, order on page).
    content: Vec<Vec<((usize, u32), Kid)>>,
    /// Link annotations in the order they were written, with their node.
    annots: Vec<(Ref, NodeId)>,
    pages: usize,
}

impl<'t> Collector<'t> {
    /// A collector for a document of `pages` pages.
    pub fn new(tree: &'t Tree, pages: usize) -> Collector<'t> {
        Collector {
            tree,
            content: vec![Vec::new(); tree.nodes.len()],
            annots: Vec::new(),
            pages,
        }
    }

    /// Records page `page`'s marked content.
    pub fn page(&mut self, page: usize, marks: &PageMarks) {
        for (mcid, &(node, order)) in marks.mcids.iter().enumerate() {
            if let Some(list) = self.content.get_mut(node as usize) {
                list.push((
                    (page, order),
                    Kid::Mcid {
                        page,
                        mcid: mcid as i32,
                    },
                ));
            }
        }
    }

    /// Records a link annotation of `page` owned by `node`, painted at
    /// `order`; returns its `/StructParent` key.
    pub fn annotation(&mut self, page: usize, order: u32, node: NodeId, annot: Ref) -> i32 {
        if let Some(list) = self.content.get_mut(node as usize) {
            list.push(((page, order), Kid::Annot { page, annot }));
        }
        self.annots.push((annot, node));
        (self.pages + self.annots.len() - 1) as i32
    }

    /// Writes the structure tree root, its elements, the parent tree and the
    /// ID tree into `pdf` (a chunk of dictionaries, packed into object
    /// streams), and points the catalog at them (`/StructTreeRoot`,
    /// `/MarkInfo`).
    pub fn write(
        self,
        pdf: &mut Chunk,
        refs: &mut Ref,
        page_refs: &[Ref],
        page_marks: &[PageMarks],
        catalog_entries: &mut StructRefs,
    ) {
        let tree = self.tree;
        let n = tree.nodes.len();
        // A node is written when it owns content or has a child that is.
        let mut live = vec![false; n];
        // Position of a node's first content, for ordering kids.
        let mut first: Vec<Option<(usize, u32)>> = vec![None; n];
        for id in (0..n).rev() {
            let own = self.content[id].iter().map(|(pos, _)| *pos).min();
            let children = tree.nodes[id]
                .children
                .iter()
                .filter_map(|&c| first[c as usize])
                .min();
            first[id] = match (own, children) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            // Table cells stay even when empty: rows keep their columns.
            live[id] = id == 0
                || !self.content[id].is_empty()
                || matches!(tree.nodes[id].kind, Some(StructKind::TH | StructKind::TD))
                || tree.nodes[id].children.iter().any(|&c| live[c as usize]);
        }
        // Children are numbered after their parents (see `Tree::new`), so
        // going backwards above saw every child first.
        let root_ref = refs.bump();
        let mut node_refs: Vec<Option<Ref>> = vec![None; n];
        for id in 0..n {
            if live[id] {
                node_refs[id] = Some(refs.bump());
            }
        }
        let mut ids: BTreeMap<Vec<u8>, Ref> = BTreeMap::new();
        for id in 0..n {
            let Some(me) = node_refs[id] else { continue };
            let node = &tree.nodes[id];
            let mut kids: Vec<((usize, u32), Kid)> = node
                .children
                .iter()
                .filter(|&&c| live[c as usize])
                .map(|&c| (first[c as usize].unwrap_or((usize::MAX, 0)), Kid::Node(c)))
                .collect();
            if !self.content[id].is_empty() {
                kids.extend(self.content[id].iter().copied());
                kids.sort_by_key(|(pos, _)| *pos);
            }
            let page = self.content[id].iter().find_map(|(_, k)| match k {
                Kid::Mcid { page, .. } => Some(*page),
                _ => None,
            });
            let mut elem = pdf.struct_element(me);
            match node.kind {
                Some(kind) => {
                    elem.kind(role(kind));
                    elem.parent(node_refs[node.parent as usize].unwrap_or(root_ref));
                }
                None => {
                    elem.kind(StructRole::Document);
                    elem.parent(root_ref);
                }
            }
            if let Some(p) = page {
                elem.page(page_refs[p]);
            }
            if let Some(alt) = &node.alt {
                elem.alt(TextStr(alt));
            }
            if let Some(lang) = &node.lang {
                elem.lang(TextStr(lang));
            }
            if let Some(identifier) = &node.id {
                elem.id(Str(identifier.as_bytes()));
                ids.entry(identifier.as_bytes().to_vec()).or_insert(me);
            }
            match node.kind {
                Some(StructKind::TH) => {
                    let mut attrs = elem.attributes();
                    attrs.push().table().scope(TableHeaderScope::Column);
                }
                Some(StructKind::L { ordered }) => {
                    let mut attrs = elem.attributes();
                    attrs.push().list().list_numbering(if ordered {
                        ListNumbering::Decimal
                    } else {
                        ListNumbering::Disc
                    });
                }
                _ => {}
            }
            let mut k = elem.children();
            for (_, kid) in kids {
                match kid {
                    Kid::Node(c) => {
                        if let Some(r) = node_refs[c as usize] {
                            k.struct_element(r);
                        }
                    }
                    Kid::Mcid { page: p, mcid } if Some(p) == page => {
                        k.marked_content_id(mcid);
                    }
                    Kid::Mcid { page: p, mcid } => {
                        k.marked_content_ref()
                            .page(page_refs[p])
                            .marked_content_id(mcid);
                    }
                    Kid::Annot { page: p, annot } => {
                        k.object_ref().page(page_refs[p]).object(annot);
                    }
                }
            }
            k.finish();
            elem.finish();
        }

        let mut root = pdf
            .indirect(root_ref)
            .start::<pdf_writer::writers::StructTreeRoot>();
        if let Some(document) = node_refs[0] {
            root.child(document);
        }
        {
            // The parent tree as one flat number tree: page index → the
            // element of each MCID; annotation key → its Link element.
            let mut parents = root.insert(Name(b"ParentTree")).dict();
            let mut nums = parents.insert(Name(b"Nums")).array();
            for (page, marks) in page_marks.iter().enumerate() {
                nums.item(page as i32);
                let mut arr = nums.push().array();
                for &(node, _) in &marks.mcids {
                    arr.item(node_refs[node as usize].unwrap_or(root_ref));
                }
            }
            for (i, &(_, node)) in self.annots.iter().enumerate() {
                nums.item((self.pages + i) as i32);
                nums.item(node_refs[node as usize].unwrap_or(root_ref));
            }
        }
        root.parent_tree_next_key((self.pages + self.annots.len()) as i32);
        if !ids.is_empty() {
            let mut tree = root.id_tree();
            let mut names = tree.names();
            for (name, r) in &ids {
                names.insert(Str(name), *r);
            }
        }
        root.finish();
        catalog_entries.root = Some(root_ref);
    }
}

/// What the catalog needs from the structure tree.
#[derive(Debug, Default)]
pub(crate) struct StructRefs {
    /// The structure tree root, when the document is tagged.
    pub root: Option<Ref>,
}

impl StructRefs {
    /// `/MarkInfo << /Marked true >>` and `/StructTreeRoot`, when tagged.
    pub fn write(&self, catalog: &mut Catalog<'_>) {
        if let Some(root) = self.root {
            catalog.mark_info().marked(true);
            catalog.pair(Name(b"StructTreeRoot"), root);
        }
    }
}
