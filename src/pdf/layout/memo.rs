//! Chapter flows kept from one layout of a book to the next (`folio watch`).
//!
//! Setting a chapter's paragraphs is most of a rebuild's layout time, and
//! after a one-word edit every other chapter would be set exactly as before.
//! A chapter's flow is reused when its document tree is equal to the one it
//! was set from, the book-wide inputs it reads are unchanged ([`Context`]),
//! and its side effects on the rest of the book can be replayed exactly: the
//! images it registered get the same indices and its footnotes the same
//! numbers. A chapter that prints page numbers of other places (`[{page}]`)
//! is reused only where each number it asked for is the same as when it
//! was set; its flows for each pass of the page-number fixpoint are kept
//! side by side, so a rebuild that settles on the same numbers sets none of
//! them. Chapters that gave any warning are always set again, so every
//! diagnostic of a cold build is given again and the output is byte for
//! byte a cold build's.

use std::cell::RefCell;
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

/// A `Links::page_label` call: the destination asked for and the answer.
type PageCall = (String, Option<String>);

/// One chapter's flow and its side effects.
#[derive(Clone)]
struct Memo {
    chapter: ir::Chapter,
    flow: Vec<Flow>,
    /// Every `Links::image` call, in order, with its answer.
    images: Vec<ImageCall>,
    /// Every page number the chapter printed, with the label it got.
    pages: Vec<PageCall>,
    /// How many notes the book had before this chapter.
    notes_base: usize,
    /// The chapter's note pushes, in order: the store index each filled
    /// (a new note's, or the one it set again), the id and the lines.
    notes: Vec<(usize, String, Vec<Arc<VBox>>)>,
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
    /// By chapter id, one memo per set of page numbers the chapter was set
    /// with (one for a chapter that prints none).
    last: HashMap<String, Vec<Memo>>,
    this: HashMap<String, Vec<Memo>>,
    /// Chapters reused in the last layout (for tests and `--timings`).
    pub reused: usize,
    /// Chapters set afresh in the last layout: a page-number pass that
    /// sets a chapter again counts again (for tests).
    pub set: usize,
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
        self.set = 0;
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
        // Without `keep` nothing was recorded, so `last` is empty. A memo
        // used once this layout is in `this` (a later pass may ask again).
        let found = self.take_last(chapter, links, notes).or_else(|| {
            self.this
                .get(&chapter.id)
                .and_then(|memos| {
                    memos
                        .iter()
                        .position(|m| stands_for(m, chapter, &*links, notes))
                })
                .map(|at| (self.this[&chapter.id][at].clone(), false))
        });
        if let Some((memo, moved)) = found.filter(|(memo, _)| same_images(memo, links)) {
            for (_, id, lines) in &memo.notes {
                notes.push(id, lines.clone());
            }
            let flow = memo.flow.clone();
            if let Some(group) = &memo.group {
                cx.tags.restore(group.clone());
            }
            if moved {
                self.this.entry(chapter.id.clone()).or_default().push(memo);
            }
            self.reused += 1;
            return flow;
        }
        self.set += 1;
        let warnings = cx.warnings_attempted();
        let notes_base = notes.lines.len();
        let notes_mark = notes.push_count();
        let mut recording = Recording::new(links);
        let flow = blocks::chapter(cx, &mut recording, chapter, width, notes, labels);
        if self.keep && cx.warnings_attempted() == warnings {
            let (images, pages) = recording.into_all_calls();
            let key = cx.tags.group();
            cx.tags.end();
            let group = key.and_then(|k| cx.tags.get(k)).cloned();
            self.this.entry(chapter.id.clone()).or_default().push(Memo {
                chapter: chapter.clone(),
                flow: flow.clone(),
                images,
                pages,
                notes_base,
                notes: notes.pushed_since(notes_mark),
                group,
            });
        }
        flow
    }

    /// A memo of the last layout that stands for `chapter` here, moved out
    /// of `last` (`true`: to be kept in `this`).
    fn take_last(
        &mut self,
        chapter: &ir::Chapter,
        links: &dyn Links,
        notes: &NoteStore,
    ) -> Option<(Memo, bool)> {
        let memos = self.last.get_mut(&chapter.id)?;
        let at = memos
            .iter()
            .position(|m| stands_for(m, chapter, links, notes))?;
        Some((memos.swap_remove(at), true))
    }
}

/// Whether `memo` gives what setting `chapter` here would, but for its
/// images ([`same_images`]): the same tree, the same page numbers, its
/// notes landing at the same store indices.
fn stands_for(memo: &Memo, chapter: &ir::Chapter, links: &dyn Links, notes: &NoteStore) -> bool {
    if memo.chapter != *chapter || memo.notes_base != notes.lines.len() {
        return false;
    }
    if memo
        .pages
        .iter()
        .any(|(dest, label)| links.page_label(dest) != *label)
    {
        return false;
    }
    // New notes are numbered from the store's end; notes set again keep
    // their index.
    let mut next = notes.lines.len();
    let mut added: HashMap<&str, usize> = HashMap::new();
    for (index, id, _) in &memo.notes {
        let now = notes
            .index_of(id)
            .or_else(|| added.get(id.as_str()).copied());
        let expected = match now {
            Some(known) => known,
            None => {
                added.insert(id, next);
                next += 1;
                next - 1
            }
        };
        if expected != *index {
            return false;
        }
    }
    true
}

/// Whether the images `memo` registered get the same answers here. Asking
/// registers them, which is harmless when they do not: setting the (equal)
/// chapter afresh registers the same images in the same order.
fn same_images(memo: &Memo, links: &mut dyn Links) -> bool {
    memo.images
        .iter()
        .all(|(asset, answer)| links.image(*asset) == *answer)
}

/// Passes every call through, noting the images registered and the page
/// numbers asked for.
pub(super) struct Recording<'l> {
    inner: &'l mut dyn Links,
    images: Vec<ImageCall>,
    pages: RefCell<Vec<PageCall>>,
}

impl<'l> Recording<'l> {
    /// Records the image calls made through it to `inner`.
    pub(super) fn new(inner: &'l mut dyn Links) -> Recording<'l> {
        Recording {
            inner,
            images: Vec::new(),
            pages: RefCell::new(Vec::new()),
        }
    }

    /// The image calls, in order, with their answers.
    pub(super) fn into_calls(self) -> Vec<ImageCall> {
        self.images
    }

    /// The image calls and the page-number calls, in order, with their answers.
    fn into_all_calls(self) -> (Vec<ImageCall>, Vec<PageCall>) {
        (self.images, self.pages.into_inner())
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
        let label = self.inner.page_label(dest);
        self.pages
            .borrow_mut()
            .push((dest.to_owned(), label.clone()));
        label
    }
}
