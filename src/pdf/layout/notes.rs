//! Footnotes in one place: the store of notes laid out so far (each note
//! set once, at its first reference, as lines the width of the text block
//! with its number hanging in a column), and the footnote area pagination
//! puts at the foot of a page (a short rule, then the lines).

use super::cx::{Cx, Role, rgb};
use super::flow::VBox;
use super::frame::{Item, Rect, Rgb, StructKind};
use super::inline::{self, Align, Links, ParaStyle};
use super::shape::Features;
use super::tagging;
use crate::ir::{BlockKind, Footnote, Inline, InlineKind, plain_text};
use std::collections::HashMap;
use std::sync::Arc;

/// Footnotes laid out so far: lines per note, and note id → index.
#[derive(Default)]
pub struct NoteStore {
    /// Each note's lines.
    pub lines: Vec<Vec<Arc<VBox>>>,
    /// Each note's id, in the order of `lines`.
    ids: Vec<String>,
    index: HashMap<String, usize>,
    /// The index each [`NoteStore::push`] filled, in order: what a chapter
    /// did to the store, for [`super::memo`] to replay.
    pushes: Vec<usize>,
}

impl NoteStore {
    /// The notes added since there were `base`, with their ids, in order.
    pub(super) fn added_since(&self, base: usize) -> Vec<(String, Vec<Arc<VBox>>)> {
        let ids = self.ids.get(base..).unwrap_or_default();
        let lines = self.lines.get(base..).unwrap_or_default();
        ids.iter().cloned().zip(lines.iter().cloned()).collect()
    }

    /// Adds a note's lines as the next note, or replaces the lines of a
    /// note laid out before (its chapter is being set again).
    pub(super) fn push(&mut self, id: &str, lines: Vec<Arc<VBox>>) -> usize {
        if let Some(&index) = self.index.get(id) {
            self.lines[index] = lines;
            self.pushes.push(index);
            return index;
        }
        let index = self.lines.len();
        self.index.insert(id.to_owned(), index);
        self.ids.push(id.to_owned());
        self.lines.push(lines);
        self.pushes.push(index);
        index
    }

    /// How many pushes the store has seen (a mark for [`NoteStore::pushed_since`]).
    pub(super) fn push_count(&self) -> usize {
        self.pushes.len()
    }

    /// Every push since `mark`, in order: the index it filled, the note's
    /// id and the lines it holds now.
    pub(super) fn pushed_since(&self, mark: usize) -> Vec<(usize, String, Vec<Arc<VBox>>)> {
        self.pushes
            .get(mark..)
            .unwrap_or_default()
            .iter()
            .filter_map(|&i| Some((i, self.ids.get(i)?.clone(), self.lines.get(i)?.clone())))
            .collect()
    }

    /// The index of note `id`, if laid out.
    pub(super) fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }
}

/// The store index of `note` (the caller finds it by its index: a scan of
/// the chapter's notes per note was quadratic), laid out here (again, when
/// its chapter is set again: its lines mark this layout's structure). The
/// note is a `Note` (with the note's id) inside the structure node open
/// now, the block that first refers to it: its number, a link back to the
/// reference, then its paragraphs.
pub(super) fn set(
    cx: &mut Cx<'_>,
    links: &mut dyn Links,
    store: &mut NoteStore,
    note: &Footnote,
) -> Option<usize> {
    let id = note.id.as_str();
    let style = cx.style;
    let para = ParaStyle {
        role: Role::Body,
        size: style.blocks.footnote_size,
        leading: style.blocks.footnote_leading,
        bold: false,
        italic: false,
        color: rgb(style.text.color),
        align: if style.text.justify {
            Align::Justify
        } else {
            Align::Left
        },
        hyphenate: style.text.hyphenate,
        indent: 0.0,
    };
    let width = links.text_width();
    let mut lines: Vec<VBox> = Vec::new();
    // The number hangs in a column of 1.4 em, widened for long numbers
    // (a chapter's 100th note) so they never run into the text.
    let label = format!("{}.", note.number);
    let body_font = cx.fonts.face(Role::Body, false, false);
    let label_width = cx
        .shaper
        .shape(&label, body_font, Features::TEXT)
        .width_pt(style.blocks.footnote_size);
    let number_width =
        (style.blocks.footnote_size * 1.4).max(label_width + style.blocks.footnote_size * 0.2);
    let node = cx.tags.open(StructKind::Note);
    if let Some(node) = node {
        let id = note.id.clone();
        cx.tags.describe(node, |n| n.id = Some(id));
    }
    let back = cx.tags.add(StructKind::Link);
    for (i, block) in note.blocks.iter().enumerate() {
        let paragraph = cx.tags.open(StructKind::P);
        let content = match &block.kind {
            BlockKind::Paragraph { content } => content.clone(),
            other => vec![Inline {
                kind: InlineKind::Text(plain_text(
                    &crate::ir::walk::own_inlines(&crate::ir::Block {
                        kind: other.clone(),
                        span: block.span,
                    })
                    .concat(),
                )),
                span: block.span,
            }],
        };
        for (j, line) in
            inline::paragraph(cx, links, &content, width - number_width, &para, block.span)
                .into_iter()
                .enumerate()
        {
            let mut vbox = super::blocks::shift(line.vbox, number_width);
            tagging::wrap_node(&mut vbox.items, paragraph);
            if i == 0 && j == 0 {
                vbox.items.insert(
                    0,
                    Item::Anchor {
                        name: note.id.clone(),
                        y: 0.0,
                    },
                );
                let mut number = inline::plain(
                    cx,
                    links,
                    &label,
                    number_width,
                    &ParaStyle {
                        align: Align::Left,
                        ..para
                    },
                    note.span,
                );
                if let Some(n) = number.pop() {
                    let w = n
                        .vbox
                        .items
                        .iter()
                        .filter_map(|it| match it {
                            Item::Glyphs(run) => Some(
                                run.x + run.glyphs.last().map_or(0.0, |g| g.x + para.size * 0.5),
                            ),
                            _ => None,
                        })
                        .fold(0.0, f32::max);
                    let mut number_items = n.vbox.items;
                    number_items.push(Item::Link {
                        rect: Rect {
                            x: 0.0,
                            y: 0.0,
                            w: w.max(para.size),
                            h: para.leading,
                        },
                        target: super::frame::LinkTarget::Named(note.first_ref.clone()),
                    });
                    tagging::wrap_node(&mut number_items, back);
                    vbox.items.extend(number_items);
                }
            }
            lines.push(vbox);
        }
        if paragraph.is_some() {
            cx.tags.close();
        }
    }
    if node.is_some() {
        cx.tags.close();
    }
    Some(store.push(id, lines.into_iter().map(Arc::new).collect()))
}

/// Height of the footnote lines `vbox` references.
pub(super) fn height_of(store: &[Vec<Arc<VBox>>], vbox: &VBox) -> f32 {
    vbox.notes
        .iter()
        .filter_map(|&n| store.get(n))
        .flatten()
        .map(|l| l.height)
        .sum()
}

/// The footnote area of a page of text-block height `height` and width
/// `width`: the lines stacked up from the foot, `gap` above them holding a
/// rule across 30 % of the width. Returns the lines with their tops, and the
/// rule.
pub(super) fn foot(
    lines: &[Arc<VBox>],
    height: f32,
    width: f32,
    gap: f32,
    color: Rgb,
) -> (Vec<(Arc<VBox>, f32)>, Item) {
    let total: f32 = lines.iter().map(|l| l.height).sum();
    let mut y = height - total;
    let rule_y = y - gap / 2.0;
    let rule = Item::Line {
        x0: 0.0,
        y0: rule_y,
        x1: width * 0.3,
        y1: rule_y,
        width: 0.4,
        color,
    };
    let mut placed = Vec::with_capacity(lines.len());
    for line in lines {
        placed.push((Arc::clone(line), y));
        y += line.height;
    }
    (placed, rule)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{self, Footnote};
    use crate::pdf::layout::testing::{self, NoLinks, item_text, with_cx};

    #[test]
    fn a_note_is_set_once_with_its_number_its_anchor_and_a_link_back() {
        with_cx(|cx| {
            let mut chapter = testing::chapter("one", "One", ir::Role::Chapter, Vec::new());
            // The caller finds the note (blocks.rs, by the chapter's index).
            chapter.notes.push(Footnote {
                label: "a".into(),
                number: 12,
                id: "fn-a".into(),
                first_ref: "fnref-a".into(),
                blocks: vec![testing::paragraph(
                    &"A note long enough to wrap. ".repeat(8),
                )],
                span: testing::span(),
            });
            let mut store = NoteStore::default();
            let note = &chapter.notes[0];
            let index = set(cx, &mut NoLinks, &mut store, note);
            assert_eq!(index, Some(0));
            assert_eq!(set(cx, &mut NoLinks, &mut store, note), Some(0));
            assert_eq!(store.lines.len(), 1);
            let lines = &store.lines[0];
            assert!(lines.len() > 1, "the note wraps");
            let first = &lines[0].items;
            assert!(
                first
                    .iter()
                    .any(|i| matches!(i, Item::Anchor { name, .. } if name == "fn-a"))
            );
            assert!(item_text(first).iter().any(|t| t == "12."));
            assert!(first.iter().any(|i| matches!(i, Item::Link { .. })));
            // Lines after the first are indented past the number.
            assert!(lines[1].items.iter().all(|i| match i {
                Item::Glyphs(run) => run.x > 8.0,
                _ => true,
            }));
        });
    }

    #[test]
    fn the_foot_stacks_the_lines_at_the_bottom_under_a_short_rule() {
        let line = |h: f32| {
            Arc::new(VBox {
                height: h,
                ..VBox::default()
            })
        };
        let (placed, rule) = foot(&[line(10.0), line(12.0)], 500.0, 300.0, 14.0, Rgb::BLACK);
        assert_eq!(
            placed.iter().map(|p| p.1).collect::<Vec<_>>(),
            vec![478.0, 488.0]
        );
        let Item::Line { x1, y0, .. } = rule else {
            panic!("a rule");
        };
        assert_eq!((x1, y0), (90.0, 471.0));
        assert_eq!(
            height_of(
                &[vec![line(10.0), line(12.0)]],
                &VBox {
                    notes: vec![0],
                    ..VBox::default()
                }
            ),
            22.0
        );
    }
}
