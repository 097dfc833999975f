//! Chapter flows kept from one layout of a book to the next (`folio watch`).
//!
//! Setting a chapter's paragraphs is most of a rebuild's layout time, and
//! after a one-word edit every other chapter would be set exactly as before.
//! A chapter's flow is reused when its document tree is equal to the one it
//! was set from, the book-wide inputs it reads are unchanged ([`Context`]),
//! and its side effects on the rest of the book can be replayed exactly: the
//! images it registered get the same indices and its footnotes the same
//! numbers. Chapters that gave any warning, or that print page numbers of
//! other places, are always set again, so every diagnostic of a cold build
//! is given again and the output is byte for byte a cold build's.

use std::collections::HashMap;
use std::sync::Arc;

use super::blocks;
use super::cx::Cx;
use super::flow::{Flow, VBox};
use super::frame::LinkTarget;
use super::inline::Links;
use super::notes::NoteStore;
use crate::ir;

/// What every chapter's layout reads besides its own tree: a memo is only
/// good for the context it was made in.
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    /// Text block width and height, in points (as bits: compared exactly).
    pub block: (u32, u32),
    /// The book's language (hyphenation, labels).
    pub language: String,
    /// The author's hyphenation exceptions.
    pub exceptions: Vec<String>,
    /// Every chapter's id, in order (links name their targets by id).
    pub chapter_ids: Vec<String>,
    /// Screen profile (link colours).
    pub screen: bool,
}

/// A `Links::image` call: the asset asked for and the answer (image index
/// and pixel size).
pub(super) type ImageCall = (ir::AssetId, Option<(usize, u32, u32)>);

/// One chapter's flow and its side effects.
#[derive(Clone)]
struct Memo {
    chapter: ir::Chapter,
    flow: Vec<Flow>,
    /// Every `Links::image` call, in order, with its answer.
    images: Vec<ImageCall>,
    /// How many notes the book had before this chapter.
    notes_base: usize,
    /// The notes this chapter added, in order.
    notes: Vec<(String, Vec<Arc<VBox>>)>,
    /// The chapter's structure (tagged PDF), which its flow's marks name.
    group: Option<super::frame::StructGroup>,
}

/// Chapter flows by chapter id; holds only the last layout's chapters.
#[derive(Default)]
pub struct ChapterMemos {
    /// Whether to keep flows for a next layout at all (`folio watch`); a
    /// one-off build keeps nothing.
    pub keep: bool,
    context: Option<Context>,
    last: HashMap<String, Memo>,
    this: HashMap<String, Memo>,
    /// Chapters reused in the last layout (for tests and `--timings`).
    pub reused: usize,
}

impl ChapterMemos {
    /// Forgets every flow (the fonts or the style changed).
    pub fn clear(&mut self) {
        self.context = None;
        self.last.clear();
        self.this.clear();
    }

    /// Starts a layout in `context`: memos made in another context are dropped.
    pub fn begin(&mut self, context: Context) {
        self.last = std::mem::take(&mut self.this);
        if self.context.as_ref() != Some(&context) {
            self.last.clear();
        }
        self.context = Some(context);
        self.reused = 0;
    }

    /// [`blocks::chapter`], or its flow from the last layout when that gives
    /// the same result (see the module docs).
    pub fn chapter(
        &mut self,
        cx: &mut Cx<'_>,
        links: &mut dyn Links,
        chapter: &ir::Chapter,
        width: f32,
        notes: &mut NoteStore,
        labels: &crate::typography::lang::Labels,
    ) -> Vec<Flow> {
        // Without `keep` nothing was recorded, so `last` is empty.
        if let Some(memo) = self.last.remove(&chapter.id) {
            if replay(&memo, chapter, links, notes) {
                let flow = memo.flow.clone();
                if let Some(group) = &memo.group {
                    cx.tags.restore(group.clone());
                }
                self.this.insert(chapter.id.clone(), memo);
                self.reused += 1;
                return flow;
            }
        }
        let warnings = cx.warnings_attempted();
        let notes_base = notes.lines.len();
        let mut recording = Recording::new(links);
        let saved = cx.enter_language(chapter.lang.as_deref(), chapter.dir.as_deref());
        let flow = blocks::chapter(cx, &mut recording, chapter, width, notes, labels);
        cx.leave_language(saved);
        if self.keep && cx.warnings_attempted() == warnings {
            let images = recording.into_calls();
            let key = cx.tags.group();
            cx.tags.end();
            let group = key.and_then(|k| cx.tags.get(k)).cloned();
            self.this.insert(
                chapter.id.clone(),
                Memo {
                    chapter: chapter.clone(),
                    flow: flow.clone(),
                    images,
                    notes_base,
                    notes: notes.added_since(notes_base),
                    group,
                },
            );
        }
        flow
    }
}

/// Whether `memo` stands for `chapter` here; if so, its side effects are
/// replayed. Registering its images first is harmless when it does not:
/// setting the (equal) chapter afresh registers the same images in the
/// same order.
fn replay(
    memo: &Memo,
    chapter: &ir::Chapter,
    links: &mut dyn Links,
    notes: &mut NoteStore,
) -> bool {
    if memo.chapter != *chapter
        || memo.notes_base != notes.lines.len()
        || memo.notes.iter().any(|(id, _)| notes.has(id))
    {
        return false;
    }
    if memo
        .images
        .iter()
        .any(|(asset, answer)| links.image(*asset) != *answer)
    {
        return false;
    }
    for (id, lines) in &memo.notes {
        notes.push(id, lines.clone());
    }
    true
}

/// Passes every call through, noting the images registered.
pub(super) struct Recording<'l> {
    inner: &'l mut dyn Links,
    images: Vec<ImageCall>,
}

impl<'l> Recording<'l> {
    /// Records the image calls made through it to `inner`.
    pub(super) fn new(inner: &'l mut dyn Links) -> Recording<'l> {
        Recording {
            inner,
            images: Vec::new(),
        }
    }

    /// The image calls, in order, with their answers.
    pub(super) fn into_calls(self) -> Vec<ImageCall> {
        self.images
    }
}

impl Links for Recording<'_> {
    fn dest(&self, target: &ir::LinkTarget) -> Option<LinkTarget> {
        self.inner.dest(target)
    }

    fn image(&mut self, asset: ir::AssetId) -> Option<(usize, u32, u32)> {
        let answer = self.inner.image(asset);
        self.images.push((asset, answer));
        answer
    }

    fn is_vector(&self, image: usize) -> bool {
        self.inner.is_vector(image)
    }

    fn pixels_per_inch(&self, asset: ir::AssetId) -> Option<f32> {
        self.inner.pixels_per_inch(asset)
    }

    fn text_height(&self) -> f32 {
        self.inner.text_height()
    }

    fn text_width(&self) -> f32 {
        self.inner.text_width()
    }

    fn page_label(&self, dest: &str) -> Option<String> {
        self.inner.page_label(dest)
    }
}
