//! The logical structure of the book, built while it is laid out (tagged
//! PDF): layout opens a node for each block it sets (paragraph, heading,
//! list, table cell, figure…) and marks the items it produces for that block
//! with [`Item::TagStart`] / [`Item::TagEnd`]; the writer turns the marks
//! into marked content and the nodes into the structure tree.
//!
//! Nodes are kept in groups, one per chapter or generated page, so a
//! chapter's nodes travel with its flow when `folio watch` reuses it
//! ([`super::memo`]) and a chapter set again (page references) replaces
//! its group. Group keys are chapter indices, or [`GENERATED`] and up for
//! the pages layout makes itself.

use super::frame::{ArtifactKind, Item, NodeRef, StructGroup, StructKind, StructNode, TagRef};
use std::collections::BTreeMap;

/// First group key of the generated pages (half-title, title page,
/// copyright page, contents, cover): above any chapter index.
pub const GENERATED: u32 = u32::MAX - 16;

/// Structure being built, and the groups finished so far.
#[derive(Debug, Default)]
pub struct Tagger {
    /// The group being built: its key, nodes and the open nodes (innermost
    /// last).
    current: Option<(u32, Vec<StructNode>, Vec<u32>)>,
    /// Finished groups by key, with the group they nest in.
    done: BTreeMap<u32, (StructGroup, Option<u32>)>,
    /// Level of the last heading tagged in the current group, for keeping
    /// heading levels from skipping.
    last_heading: u8,
}

impl Tagger {
    /// Starts group `key` with a root of `kind`, open. A group left open is
    /// finished first.
    pub fn begin(&mut self, key: u32, kind: StructKind) {
        self.end();
        self.current = Some((key, vec![StructNode::new(kind)], vec![0]));
        self.last_heading = 0;
    }

    /// Finishes the current group.
    pub fn end(&mut self) {
        if let Some((key, nodes, _)) = self.current.take() {
            self.done.insert(
                key,
                (
                    StructGroup {
                        key,
                        nodes,
                        parent: None,
                    },
                    None,
                ),
            );
        }
    }

    /// Puts back a group kept from an earlier layout.
    pub fn restore(&mut self, group: StructGroup) {
        self.end();
        self.done.insert(group.key, (group, None));
    }

    /// The finished group `key`.
    pub fn get(&self, key: u32) -> Option<&StructGroup> {
        self.done.get(&key).map(|(g, _)| g)
    }

    /// Takes finished group `key` out (a worker's chapter, for the book's
    /// tagger to [`Tagger::restore`]).
    pub fn take(&mut self, key: u32) -> Option<StructGroup> {
        self.done.remove(&key).map(|(g, _)| g)
    }

    /// Nests group `key` in group `parent` (a section in its chapter, a
    /// chapter in its part).
    pub fn nest(&mut self, key: u32, parent: u32) {
        if let Some(entry) = self.done.get_mut(&key) {
            entry.1 = Some(parent);
        }
    }

    /// Opens a child of the innermost open node; `None` outside a group.
    pub fn open(&mut self, kind: StructKind) -> Option<NodeRef> {
        let node = self.add(kind)?;
        if let Some((_, _, open)) = &mut self.current {
            open.push(node.node);
        }
        Some(node)
    }

    /// Closes the innermost open node (never the group's root).
    pub fn close(&mut self) {
        if let Some((_, _, open)) = &mut self.current {
            if open.len() > 1 {
                open.pop();
            }
        }
    }

    /// Adds a child to the innermost open node without opening it.
    pub fn add(&mut self, kind: StructKind) -> Option<NodeRef> {
        let (key, nodes, open) = self.current.as_mut()?;
        let parent = *open.last()?;
        let index = u32::try_from(nodes.len()).ok()?;
        nodes.push(StructNode::new(kind));
        nodes.get_mut(parent as usize)?.children.push(index);
        Some(NodeRef {
            group: *key,
            node: index,
        })
    }

    /// Sets what a node of the current group says about itself.
    pub fn describe(&mut self, node: NodeRef, f: impl FnOnce(&mut StructNode)) {
        if let Some((key, nodes, _)) = &mut self.current {
            if *key == node.group {
                if let Some(n) = nodes.get_mut(node.node as usize) {
                    f(n);
                }
            }
        }
    }

    /// The key of the group being built.
    pub fn group(&self) -> Option<u32> {
        self.current.as_ref().map(|(key, _, _)| *key)
    }

    /// A heading's level in the structure: `level` (1–6), but never more
    /// than one below the previous heading of the group, so levels do not
    /// skip (PDF/UA).
    pub fn heading_level(&mut self, level: u8) -> u8 {
        let level = level
            .clamp(1, 6)
            .min(self.last_heading.saturating_add(1).max(1));
        self.last_heading = level;
        level
    }

    /// Sets the level the next heading is measured from (a chapter's title
    /// level, so its first section heading may be one below).
    pub fn set_heading_base(&mut self, level: u8) {
        self.last_heading = level;
    }

    /// Every finished group in `order` (keys not listed are dropped), nested
    /// as [`Tagger::nest`] said: the structure of the document.
    pub fn finish(mut self, order: &[u32]) -> super::frame::Structure {
        self.end();
        let mut groups = Vec::with_capacity(order.len());
        for key in order {
            if let Some((mut group, parent)) = self.done.remove(key) {
                group.parent = parent;
                groups.push(group);
            }
        }
        super::frame::Structure { groups }
    }
}

/// Marks `items` as the content of `tag`: a start before, an end after.
///
/// The result holds exactly its items: a line's items were pushed one by
/// one (a vector grown by doubling), and lines are kept until the book is
/// written, so the slack would add up to megabytes.
pub fn wrap(items: &mut Vec<Item>, tag: TagRef) {
    let mut wrapped = Vec::with_capacity(items.len() + 2);
    wrapped.push(Item::TagStart(tag));
    wrapped.append(items);
    wrapped.push(Item::TagEnd);
    *items = wrapped;
}

/// [`wrap`] for a node, when there is one.
pub fn wrap_node(items: &mut Vec<Item>, node: Option<NodeRef>) {
    if let Some(node) = node {
        wrap(items, TagRef::Node(node));
    }
}

/// Marks `items` as an artifact of `kind`.
pub fn artifact(items: &mut Vec<Item>, kind: ArtifactKind) {
    wrap(items, TagRef::Artifact(kind));
}

/// `items` with every structure mark taken out and the rest marked as an
/// artifact: a copy of tagged content drawn again (a table's header
/// repeated on a new page) must not be read twice.
pub fn as_artifact(items: &[Item], kind: ArtifactKind) -> Vec<Item> {
    let mut out: Vec<Item> = items
        .iter()
        .filter(|i| !matches!(i, Item::TagStart(_) | Item::TagEnd))
        .cloned()
        .collect();
    artifact(&mut out, kind);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_nest_under_the_open_node_and_groups_keep_their_order() {
        let mut t = Tagger::default();
        t.begin(3, StructKind::Sect);
        let list = t.open(StructKind::L { ordered: false }).expect("open");
        let item = t.open(StructKind::LI).expect("open");
        t.add(StructKind::Lbl);
        t.close();
        t.close();
        t.close(); // the root stays open
        let p = t.add(StructKind::P).expect("added");
        t.begin(1, StructKind::Sect);
        t.add(StructKind::P);
        let s = t.finish(&[1, 3, 7]);
        assert_eq!(s.groups.iter().map(|g| g.key).collect::<Vec<_>>(), [1, 3]);
        let g = &s.groups[1];
        assert_eq!(g.nodes[0].children, [list.node, p.node]);
        assert_eq!(g.nodes[list.node as usize].children, [item.node]);
        assert_eq!(g.nodes[item.node as usize].children.len(), 1);
    }

    #[test]
    fn heading_levels_never_skip() {
        let mut t = Tagger::default();
        t.set_heading_base(1);
        assert_eq!(t.heading_level(2), 2);
        assert_eq!(t.heading_level(4), 3);
        assert_eq!(t.heading_level(9), 4);
        assert_eq!(t.heading_level(2), 2);
        assert_eq!(t.heading_level(0), 1);
    }

    #[test]
    fn a_repeated_copy_is_an_artifact_without_marks() {
        let node = NodeRef { group: 0, node: 1 };
        let mut items = vec![Item::Anchor {
            name: "a".into(),
            y: 0.0,
        }];
        wrap(&mut items, TagRef::Node(node));
        let copy = as_artifact(&items, ArtifactKind::Layout);
        assert_eq!(copy.len(), 3);
        assert_eq!(
            copy[0],
            Item::TagStart(TagRef::Artifact(ArtifactKind::Layout))
        );
        assert_eq!(copy[2], Item::TagEnd);
    }
}
