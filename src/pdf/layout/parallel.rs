//! Chapters laid out side by side, merged as if set one after another.
//!
//! Setting chapters is most of the layout's time, and a chapter's flow
//! depends only on its own tree and the book-wide inputs every chapter
//! reads (style, fonts, languages, the text block) — not on the chapters
//! before it. What a chapter *does* to the rest of the book is small and
//! recorded here: the images it registers (the document numbers them in
//! order of first use), the footnotes it adds (numbered in the note store
//! in order), the warnings it gives (each cause once per book) and its
//! structure group (tagged PDF). Workers set runs of consecutive chapters,
//! each with a context of its own ([`Cx::fork`]: its own shaping cache,
//! sink and tagger) and a document registry of its own; the book then
//! takes the chapters in reading order and replays those effects against
//! the real registry and store, renumbering the images and notes the flows
//! name. The result is the serial layout's, byte for byte (a test in
//! `tests/pdf_output.rs` compares the PDFs).
//!
//! Only one-off builds use this: `folio watch` reuses chapter flows
//! ([`super::memo`]), so it sets at most a few chapters per rebuild. A
//! book whose footnote ids repeat across chapters (the store would merge
//! them) is set serially.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::blocks;
use super::book::{DocLinks, begin_chapter};
use super::cx::Cx;
use super::flow::{Flow, VBox};
use super::frame::{Item, StructGroup};
use super::inline::Links;
use super::memo::{ImageCall, Recording};
use super::notes::NoteStore;
use crate::diag::Diagnostic;
use crate::ir::{self, Book};
use crate::typography::lang::Labels;

/// One chapter set by a worker, with the effects to replay.
pub(super) struct Laid {
    flow: Vec<Flow>,
    /// Every `Links::image` call, in order, answered by the worker's registry.
    images: Vec<ImageCall>,
    /// Index in the worker's note store of the chapter's first note.
    notes_base: usize,
    /// The notes the chapter added, in order.
    notes: Vec<(String, Vec<Arc<VBox>>)>,
    /// Its diagnostics, each with its `warn_once` key.
    diagnostics: Vec<(Diagnostic, Option<String>)>,
    group: Option<StructGroup>,
}

/// Chapters set ahead, by chapter index, taken one by one as the book
/// reaches them.
#[derive(Default)]
pub(super) struct Ahead {
    laid: HashMap<usize, Laid>,
}

impl Ahead {
    /// Chapter `index`'s flow, merged into the book (see the module docs),
    /// or `None` when it was not set ahead.
    pub(super) fn take(
        &mut self,
        index: usize,
        cx: &mut Cx<'_>,
        links: &mut dyn Links,
        notes: &mut NoteStore,
    ) -> Option<Vec<Flow>> {
        let laid = self.laid.remove(&index)?;
        Some(merge(cx, links, notes, laid))
    }
}

/// Sets the chapters `order` lists on `threads` threads, each asking a
/// copy of `links` (with its page numbers, none of its images) about
/// places and pages. Returns nothing to take (the book sets every chapter
/// itself) for one thread, for fewer than `at_least` chapters, or when
/// footnote ids repeat across chapters.
pub(super) fn lay_out(
    cx: &mut Cx<'_>,
    links: &DocLinks<'_>,
    order: &[usize],
    width: f32,
    labels: &Labels,
    threads: usize,
    at_least: usize,
) -> Ahead {
    let book = links.book;
    if threads < 2 || order.len() < at_least.max(2) || notes_repeat(book) {
        return Ahead::default();
    }
    let runs = runs(book, order, threads * RUNS_PER_THREAD);
    let next = AtomicUsize::new(0);
    let seed = cx.seed();
    let mut shaping = super::shape::CacheStats::default();
    let work = || {
        let mut wcx = seed.cx();
        let mut local = links.fork();
        let mut store = NoteStore::default();
        let mut done: Vec<(usize, Vec<Laid>)> = Vec::new();
        loop {
            let r = next.fetch_add(1, Ordering::Relaxed);
            let Some(run) = runs.get(r) else { break };
            let laid = run
                .iter()
                .map(|&i| set(&mut wcx, &mut local, &mut store, book, i, width, labels))
                .collect();
            done.push((r, laid));
        }
        (done, wcx.shaper.stats())
    };
    let mut results: Vec<(usize, Vec<Laid>)> = Vec::new();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut finished = vec![work()];
        for handle in handles {
            match handle.join() {
                Ok(done) => finished.push(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        for (done, stats) in finished {
            results.extend(done);
            shaping.hits += stats.hits;
            shaping.misses += stats.misses;
        }
    });
    cx.shaper.count(shaping);
    cx.chapters_ahead += order.len();
    results.sort_by_key(|(r, _)| *r);
    let mut ahead = Ahead::default();
    for ((_, laid), run) in results.into_iter().zip(&runs) {
        ahead.laid.extend(run.iter().copied().zip(laid));
    }
    ahead
}

/// Below this many chapters a book is set on one thread: threads cost
/// more than they save.
pub(super) const MIN_CHAPTERS: usize = 8;

/// Runs per thread: more, shorter runs even out chapters of unequal length.
const RUNS_PER_THREAD: usize = 4;

/// Sets chapter `index` as the book's loop would (`layout_book`), in a
/// worker's context, recording its effects.
fn set(
    cx: &mut Cx<'_>,
    links: &mut DocLinks<'_>,
    store: &mut NoteStore,
    book: &Book,
    index: usize,
    width: f32,
    labels: &Labels,
) -> Laid {
    let chapter = &book.chapters[index];
    crate::breadcrumb::enter_source("pdf-chapter", "laying out the PDF of", chapter.span.source);
    begin_chapter(cx, book, index);
    let notes_base = store.lines.len();
    let mut recording = Recording::new(links);
    let flow = blocks::chapter(cx, &mut recording, chapter, width, store, labels);
    cx.tags.end();
    Laid {
        flow,
        images: recording.into_calls(),
        notes_base,
        notes: store.added_since(notes_base),
        diagnostics: cx.take_diagnostics(),
        group: cx.tags.take(index as u32),
    }
}

/// Replays a chapter's effects on the book and renumbers its flow.
fn merge(cx: &mut Cx<'_>, links: &mut dyn Links, notes: &mut NoteStore, laid: Laid) -> Vec<Flow> {
    let mut images: HashMap<usize, usize> = HashMap::new();
    for (asset, answer) in &laid.images {
        // Asked again in the same order, so the book registers what it
        // would have registered setting the chapter itself.
        let global = links.image(*asset);
        if let (Some((local, ..)), Some((global, ..))) = (answer, global) {
            images.insert(*local, global);
        }
    }
    let mut note_map: HashMap<usize, usize> = HashMap::new();
    let mut pushed = Vec::with_capacity(laid.notes.len());
    for (k, (id, lines)) in laid.notes.into_iter().enumerate() {
        let global = notes.push(&id, lines);
        note_map.insert(laid.notes_base + k, global);
        pushed.push(global);
    }
    let identity = images.iter().all(|(a, b)| a == b) && note_map.iter().all(|(a, b)| a == b);
    for (diagnostic, key) in laid.diagnostics {
        cx.absorb(diagnostic, key);
    }
    if let Some(group) = laid.group {
        cx.tags.restore(group);
    }
    let mut flow = laid.flow;
    if !identity {
        let renumber = Renumber {
            images: &images,
            notes: &note_map,
        };
        for index in pushed {
            if let Some(lines) = notes.lines.get_mut(index) {
                lines.iter_mut().for_each(|b| renumber.vbox(b));
            }
        }
        for element in &mut flow {
            if let Flow::Box(b) = element {
                renumber.vbox(b);
            }
        }
    }
    flow
}

/// A worker's image and note numbers → the book's.
struct Renumber<'m> {
    images: &'m HashMap<usize, usize>,
    notes: &'m HashMap<usize, usize>,
}

impl Renumber<'_> {
    fn vbox(&self, b: &mut Arc<VBox>) {
        if !self.touches(b) {
            return;
        }
        let b = Arc::make_mut(b);
        for item in &mut b.items {
            if let Item::Image { image, .. } = item {
                *image = self.images.get(image).copied().unwrap_or(*image);
            }
        }
        for note in &mut b.notes {
            *note = self.notes.get(note).copied().unwrap_or(*note);
        }
        if let Some(header) = &mut b.header {
            self.vbox(header);
        }
    }

    /// Whether `b` names an image or a note (most boxes do not: left shared).
    fn touches(&self, b: &VBox) -> bool {
        !b.notes.is_empty()
            || b.items.iter().any(|i| matches!(i, Item::Image { .. }))
            || b.header.as_deref().is_some_and(|h| self.touches(h))
    }
}

/// Whether two chapters have a footnote of the same id.
fn notes_repeat(book: &Book) -> bool {
    let mut seen = HashSet::new();
    book.chapters.iter().any(|chapter| {
        let own: HashSet<&str> = chapter.notes.iter().map(|n| n.id.as_str()).collect();
        own.into_iter().any(|id| !seen.insert(id))
    })
}

/// `order` cut into about `count` runs of consecutive chapters of about
/// equal weight.
fn runs(book: &Book, order: &[usize], count: usize) -> Vec<Vec<usize>> {
    let weights: Vec<usize> = order.iter().map(|&i| weight(&book.chapters[i])).collect();
    let total: usize = weights.iter().sum();
    let share = total.div_ceil(count.max(1)).max(1);
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut current = Vec::new();
    let mut filled = 0;
    for (&i, &w) in order.iter().zip(&weights) {
        current.push(i);
        filled += w;
        if filled >= share {
            out.push(std::mem::take(&mut current));
            filled = 0;
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A chapter's cost to set, roughly: its characters of text and code, and
/// a little per block.
fn weight(chapter: &ir::Chapter) -> usize {
    let mut total = 0;
    let mut count = |blocks: &[ir::Block]| {
        ir::walk::blocks(blocks, &mut |block| {
            total += 64;
            if let ir::BlockKind::Code { text, .. } = &block.kind {
                total += text.len();
            }
            for inlines in ir::walk::own_inlines(block) {
                ir::walk::for_each_text(inlines, &mut |t| total += t.len());
            }
        });
    };
    count(&chapter.blocks);
    for note in &chapter.notes {
        count(&note.blocks);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::super::testing::{book, chapter, paragraph, span};
    use super::*;

    fn chapters(n: usize) -> Book {
        book(
            (0..n)
                .map(|i| chapter(&format!("c{i}"), "Title", ir::Role::Chapter, Vec::new()))
                .collect(),
        )
    }

    #[test]
    fn runs_cover_the_order_in_order() {
        let mut book = chapters(5);
        book.chapters[2]
            .blocks
            .push(paragraph(&"long text ".repeat(200)));
        let order = vec![4, 0, 1, 2, 3];
        let runs = runs(&book, &order, 3);
        let flat: Vec<usize> = runs.iter().flatten().copied().collect();
        assert_eq!(flat, order);
        assert!(runs.len() >= 2 && runs.len() <= 4, "{runs:?}");
        // The long chapter fills a run by itself and ends it.
        assert!(runs.iter().any(|r| r.last() == Some(&2)), "{runs:?}");
    }

    #[test]
    fn repeated_note_ids_are_found() {
        let mut book = chapters(2);
        assert!(!notes_repeat(&book));
        let note = |id: &str| ir::Footnote {
            label: id.into(),
            number: 1,
            id: id.into(),
            first_ref: format!("ref-{id}"),
            blocks: Vec::new(),
            span: span(),
        };
        book.chapters[0].notes.push(note("n1"));
        book.chapters[1].notes.push(note("n2"));
        assert!(!notes_repeat(&book));
        book.chapters[1].notes.push(note("n1"));
        assert!(notes_repeat(&book));
    }
}
