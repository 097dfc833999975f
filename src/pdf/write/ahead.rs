//! Images prepared ahead of the writer, while the pages are laid out.
//!
//! Preparing an image (checking or decoding a PNG and compressing its
//! samples, converting an SVG) depends only on the file and, for SVG text,
//! on the book's fonts — never on the pages. The layout runs on one thread,
//! so the PDF backend starts this work on the other cores as soon as the
//! fonts are known ([`ImagesAhead::start`]), and the writer collects it when
//! it reaches the images ([`ImagesAhead::join`]).
//!
//! Contract: the result is the same as preparing in the writer. Each image
//! goes through the writer's own [`prepare`](super::images::prepare), a pure
//! function of the media type, the bytes and the font database; the writer
//! takes a prepared image only for a document image with the same media type
//! and bytes, and only when the fonts it was prepared with are the ones the
//! document embeds. Anything missing (a file that failed, a worker that
//! panicked, an image the layout found elsewhere) the writer prepares as
//! before, so errors and bytes are unchanged (tests/pdf_output.rs compares).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::{Scope, ScopedJoinHandle};

use svg2pdf::usvg::fontdb;

use super::hash128;
use super::images::{Prepared, is_svg, prepare};
use crate::pdf::layout::frame::{FontData, ImageData};

/// One image file to prepare: its media type and bytes.
pub type ImageFile<'a> = (&'static str, &'a [u8]);

/// Prepared images by media type and file length, with their bytes.
type ByFile<'a> = HashMap<(&'static str, usize), Vec<(&'a [u8], Prepared)>>;

/// Image preparation running on scoped worker threads. Dropping it without
/// [`join`](Self::join) (the layout failed) tells the workers to stop after
/// the image they are on.
pub struct ImagesAhead<'scope> {
    workers: Vec<ScopedJoinHandle<'scope, Vec<(usize, Prepared)>>>,
    shared: Arc<Shared<'scope>>,
}

/// Most bytes of prepared images held for the writer: past it the rest is
/// left to the writer, which prepares a few at a time (a book of large
/// photos must not hold them all at once).
const HELD_BYTES: usize = 128 << 20;

/// What the workers share: the files, the next one to take, the fonts.
struct Shared<'a> {
    files: Vec<ImageFile<'a>>,
    next: AtomicUsize,
    /// Bytes of the images prepared so far.
    held: AtomicUsize,
    stop: AtomicBool,
    fonts: Vec<Arc<FontData>>,
    fontdb: OnceLock<Arc<fontdb::Database>>,
}

impl<'scope> ImagesAhead<'scope> {
    /// Starts preparing `files` (duplicates once, those whose key is in
    /// `known` not at all: the writer's cache has them) with SVG text set in
    /// `fonts`, on one thread fewer than the machine has cores (at least
    /// one, at most three): the layout keeps a core for itself.
    pub fn start<'env: 'scope>(
        scope: &'scope Scope<'scope, 'env>,
        files: Vec<ImageFile<'env>>,
        fonts: Vec<Arc<FontData>>,
        known: &HashSet<[u8; 16]>,
    ) -> ImagesAhead<'scope> {
        let mut todo: Vec<ImageFile<'scope>> = Vec::with_capacity(files.len());
        for (media_type, bytes) in files {
            let dup = todo.iter().any(|&(t, b)| t == media_type && b == bytes);
            let kept = !known.is_empty() && known.contains(&key(media_type, bytes));
            if !dup && !kept {
                todo.push((media_type, bytes));
            }
        }
        // Largest first, so the workers finish close together.
        todo.sort_by_key(|&(_, b)| std::cmp::Reverse(b.len()));
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .saturating_sub(1)
            .clamp(1, 3)
            .min(todo.len());
        let shared = Arc::new(Shared {
            files: todo,
            next: AtomicUsize::new(0),
            held: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            fonts,
            fontdb: OnceLock::new(),
        });
        let workers = (0..threads)
            .map(|_| {
                let shared = shared.clone();
                scope.spawn(move || shared.work())
            })
            .collect();
        ImagesAhead { workers, shared }
    }

    /// Waits for the workers and returns what they prepared.
    pub fn join(mut self) -> Ready<'scope> {
        let mut by_file: ByFile<'scope> = HashMap::new();
        for worker in std::mem::take(&mut self.workers) {
            // A worker that panicked prepared nothing the writer can trust:
            // the writer prepares those images itself.
            for (i, prepared) in worker.join().unwrap_or_default() {
                let (media_type, bytes) = self.shared.files[i];
                by_file
                    .entry((media_type, bytes.len()))
                    .or_default()
                    .push((bytes, prepared));
            }
        }
        Ready {
            fonts: self.shared.fonts.clone(),
            by_file: Mutex::new(by_file),
            taken: AtomicUsize::new(0),
        }
    }
}

impl Drop for ImagesAhead<'_> {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
    }
}

impl Shared<'_> {
    /// Takes files until none is left (or the build gave up).
    fn work(&self) -> Vec<(usize, Prepared)> {
        let mut done = Vec::new();
        while !self.stop.load(Ordering::Relaxed) && self.held.load(Ordering::Relaxed) < HELD_BYTES {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            let Some(&(media_type, bytes)) = self.files.get(i) else {
                break;
            };
            let fontdb = is_svg(media_type, bytes).then(|| {
                self.fontdb
                    .get_or_init(|| super::svg::font_database(&self.fonts))
            });
            // A file that fails is left to the writer, which reports it.
            if let Ok(prepared) = prepare(media_type, bytes, fontdb) {
                self.held.fetch_add(prepared.size(), Ordering::Relaxed);
                done.push((i, prepared));
            }
        }
        done
    }
}

/// The images prepared ahead, for the writer to take.
pub struct Ready<'a> {
    fonts: Vec<Arc<FontData>>,
    by_file: Mutex<ByFile<'a>>,
    taken: AtomicUsize,
}

impl Ready<'_> {
    /// Whether these images were prepared with exactly `fonts` (the same
    /// faces in the same order), which SVG text depends on.
    pub(super) fn fonts_match(&self, fonts: &[Arc<FontData>]) -> bool {
        self.fonts.len() == fonts.len()
            && self.fonts.iter().zip(fonts).all(|(a, b)| {
                a.index == b.index
                    && a.postscript_name == b.postscript_name
                    && (Arc::ptr_eq(&a.bytes, &b.bytes) || a.bytes == b.bytes)
            })
    }

    /// Whether an image with the media type and bytes of `img` is here.
    pub(super) fn has(&self, img: &ImageData) -> bool {
        let by_file = self.by_file.lock().unwrap_or_else(|e| e.into_inner());
        by_file
            .get(&(img.media_type, img.bytes.len()))
            .is_some_and(|v| v.iter().any(|(bytes, _)| *bytes == img.bytes.as_slice()))
    }

    /// Takes the prepared image with the media type and bytes of `img`
    /// (the writer needs each distinct file once), counted as taken.
    pub(super) fn take(&self, img: &ImageData) -> Option<Prepared> {
        let mut by_file = self.by_file.lock().unwrap_or_else(|e| e.into_inner());
        let same = by_file.get_mut(&(img.media_type, img.bytes.len()))?;
        let at = same
            .iter()
            .position(|(bytes, _)| *bytes == img.bytes.as_slice())?;
        self.taken.fetch_add(1, Ordering::Relaxed);
        Some(same.swap_remove(at).1)
    }

    /// How many of the writer's images came from here.
    pub(super) fn taken(&self) -> usize {
        self.taken.load(Ordering::Relaxed)
    }
}

/// The writer cache's key of an image file.
fn key(media_type: &str, bytes: &[u8]) -> [u8; 16] {
    hash128(&[media_type.as_bytes(), bytes])
}
