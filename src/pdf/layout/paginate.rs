//! Pagination: chapters' vertical flows → pages of a fixed text-block height.
//!
//! First-fit with local backtracking: a box that does not fit moves, together
//! with the boxes chained to it by [`Flow::Keep`] (widows, orphans, headings
//! kept with their text), to the next page. Figures marked `float` wait for the
//! next page while later text fills this one. Footnotes sit at the bottom of
//! the page that references them and continue on the next page only when the
//! referencing line starts a page and the note still does not fit. A box is
//! moved back at most once per page it is tried on, so the cost is linear in
//! the length of the book.

use super::flow::{Flow, Mark, VBox};
use super::frame::{Item, Rgb};
use std::collections::VecDeque;
use std::sync::Arc;

/// Geometry and footnote settings for pagination.
#[derive(Debug, Clone)]
pub struct PageSpec {
    /// Text-block height in points.
    pub height: f32,
    /// Text-block width (for the footnote rule).
    pub width: f32,
    /// Space between the text and the first footnote (the rule sits in it).
    pub note_gap: f32,
    /// Footnote rule colour.
    pub rule_color: Rgb,
    /// Whether chapters start on a recto, inserting a blank verso (print).
    pub recto_starts: bool,
}

/// A filled text block, before margins, running heads and folios are added.
#[derive(Debug, Clone, Default)]
pub struct PageBody {
    /// Boxes placed on the page, each with the y of its top in text-block
    /// coordinates. Boxes are shared with the flow, not copied: the book is
    /// paginated several times while page numbers settle.
    pub boxes: Vec<(Arc<VBox>, f32)>,
    /// Items drawn on the page itself (the footnote rule).
    pub rules: Vec<Item>,
    /// Headings on this page, with their y in text-block coordinates.
    pub marks: Vec<Mark>,
    /// Whether a chapter starts on this page.
    pub opening: bool,
    /// Inserted only so the next chapter starts on a recto.
    pub blank: bool,
    /// Index of the flow (chapter) the page belongs to.
    pub chapter: usize,
}

impl PageBody {
    /// Calls `f` with every item and the vertical offset of its box.
    pub fn for_each_item(&self, mut f: impl FnMut(&Item, f32)) {
        for (vbox, y) in &self.boxes {
            for item in &vbox.items {
                f(item, *y);
            }
        }
        for item in &self.rules {
            f(item, 0.0);
        }
    }

    /// How many items the page's body holds.
    pub fn item_count(&self) -> usize {
        self.boxes.iter().map(|(b, _)| b.items.len()).sum::<usize>() + self.rules.len()
    }

    /// Calls `f` with every item and the vertical offset of its box, moving
    /// the items of boxes nothing else holds (the flows are gone once the
    /// page numbers settle) and copying the others (a repeated table
    /// header, a chapter `folio watch` keeps).
    pub fn into_items(self, mut f: impl FnMut(Item, f32)) {
        for (vbox, y) in self.boxes {
            match Arc::try_unwrap(vbox) {
                Ok(vbox) => vbox.items.into_iter().for_each(|item| f(item, y)),
                Err(shared) => shared.items.iter().for_each(|item| f(item.clone(), y)),
            }
        }
        for item in self.rules {
            f(item, 0.0);
        }
    }

    /// Every item, moved to text-block coordinates.
    #[cfg(test)]
    pub fn items(&self) -> Vec<Item> {
        let mut out = Vec::new();
        self.for_each_item(|item, y| out.push(item.translated(0.0, y)));
        out
    }
}

/// Each footnote's lines, indexed by [`VBox::notes`].
pub type Notes = [Vec<Arc<VBox>>];

/// Paginates chapter flows in order.
pub fn paginate(chapters: &[Vec<Flow>], notes: &Notes, spec: &PageSpec) -> Vec<PageBody> {
    let mut p = Paginator {
        spec,
        notes,
        pages: Vec::new(),
        page: PageState::default(),
        floats: VecDeque::new(),
        carried_notes: Vec::new(),
        chapter: 0,
    };
    for (index, flow) in chapters.iter().enumerate() {
        p.chapter = index;
        p.run(flow);
    }
    p.flush();
    p.finish_page();
    p.pages
}

#[derive(Default)]
struct PageState {
    placed: Vec<Placed>,
    y: f32,
    foot: Vec<Arc<VBox>>,
    foot_height: f32,
    opening: bool,
    /// The flow the page's first box came from.
    chapter: usize,
}

/// A box on the current page, with what is needed to take it back.
struct Placed {
    /// Index in the chapter flow, `None` for floats and repeated headers.
    flow_index: Option<usize>,
    y: f32,
    vbox: Arc<VBox>,
    breakable_before: bool,
    foot_lines: usize,
    foot_height: f32,
}

/// What happened to a box offered to the page.
enum Outcome {
    Placed,
    Deferred,
    /// Continue the flow from this index on a new page.
    Restart(usize),
}

struct Paginator<'a> {
    spec: &'a PageSpec,
    notes: &'a Notes,
    pages: Vec<PageBody>,
    page: PageState,
    floats: VecDeque<Arc<VBox>>,
    carried_notes: Vec<Arc<VBox>>,
    chapter: usize,
}

impl Paginator<'_> {
    fn run(&mut self, flow: &[Flow]) {
        let mut i = 0;
        let mut keep = false;
        while i < flow.len() {
            match &flow[i] {
                Flow::PageBreak { recto } => {
                    self.flush();
                    self.finish_page();
                    if *recto && self.spec.recto_starts && self.pages.len() % 2 == 1 {
                        // The blank verso ends the previous part of the book.
                        let chapter = self.pages.last().map_or(self.chapter, |p| p.chapter);
                        self.pages.push(PageBody {
                            blank: true,
                            chapter,
                            ..PageBody::default()
                        });
                    }
                    self.page.opening = true;
                    keep = false;
                }
                // Space keeps a pending `Keep`: a heading is kept with the
                // list or listing after it across the space between them.
                Flow::Space(h) => {
                    if !self.page.placed.is_empty() {
                        self.page.y += h;
                    }
                }
                Flow::Keep => keep = true,
                Flow::Box(vbox) => {
                    if let Outcome::Restart(j) = self.offer(i, vbox, !keep) {
                        i = j;
                        keep = false;
                        continue;
                    }
                    // An empty box (an anchor between a heading and its
                    // text) passes a pending keep on to the box after it.
                    if vbox.height > 0.0 {
                        keep = false;
                    }
                }
            }
            i += 1;
        }
    }

    /// Height of the footnote lines `vbox` references.
    fn note_lines(&self, vbox: &VBox) -> f32 {
        super::notes::height_of(self.notes, vbox)
    }

    /// Height of the footnote area with `extra` more lines (the gap, holding
    /// the rule, only when there are notes).
    fn foot_total(&self, extra: f32) -> f32 {
        let lines = self.page.foot_height + extra;
        if lines > 0.0 {
            lines + self.spec.note_gap
        } else {
            0.0
        }
    }

    fn fits(&self, vbox: &VBox) -> bool {
        self.page.y + vbox.height + self.foot_total(self.note_lines(vbox))
            <= self.spec.height + 0.01
    }

    fn offer(&mut self, index: usize, vbox: &Arc<VBox>, breakable_before: bool) -> Outcome {
        if self.fits(vbox) || self.page.placed.is_empty() {
            self.push(Some(index), vbox.clone(), breakable_before);
            return Outcome::Placed;
        }
        if vbox.float && breakable_before {
            self.floats.push_back(vbox.clone());
            return Outcome::Deferred;
        }
        // The last boundary on this page where a break is allowed: before this
        // box, or before an earlier box of the chain it is kept with.
        let mut k = self.page.placed.len();
        if !breakable_before {
            k = (1..self.page.placed.len())
                .rev()
                .find(|&j| self.page.placed[j].breakable_before)
                .unwrap_or(self.page.placed.len());
        }
        // Never send back everything the flow put on this page: the next page
        // would start with only floats or a repeated table header, and the
        // same boxes would be sent back again, page after page, forever.
        if !self.page.placed[..k].iter().any(|p| p.flow_index.is_some()) {
            k = self.page.placed.len();
        }
        let mut restart = index;
        if k < self.page.placed.len() {
            let moved: Vec<Placed> = self.page.placed.drain(k..).collect();
            for m in moved.iter().rev() {
                self.page
                    .foot
                    .truncate(self.page.foot.len().saturating_sub(m.foot_lines));
                self.page.foot_height -= m.foot_height;
            }
            // Floats among the moved boxes wait again; flow boxes are re-read.
            for m in moved
                .iter()
                .rev()
                .filter(|m| m.flow_index.is_none() && m.vbox.float)
            {
                self.floats.push_front(m.vbox.clone());
            }
            restart = moved.iter().find_map(|m| m.flow_index).unwrap_or(index);
            self.page.y = self.page.placed.last().map_or(0.0, |p| p.y + p.vbox.height);
        }
        self.new_page();
        Outcome::Restart(restart)
    }

    fn push(&mut self, flow_index: Option<usize>, vbox: Arc<VBox>, breakable_before: bool) {
        if self.page.placed.is_empty() {
            self.page.chapter = self.chapter;
            if let Some(header) = &vbox.header {
                // A table continued from the previous page repeats its header.
                let header = Arc::clone(header);
                self.push(None, header, false);
            }
        }
        let mut foot_lines = 0;
        let mut foot_height = 0.0;
        for &n in &vbox.notes {
            for line in self.notes.get(n).into_iter().flatten() {
                let room =
                    self.spec.height - self.page.y - vbox.height - self.foot_total(line.height);
                // The first note line of a page always goes in, so pages progress.
                let first = self.page.foot.is_empty() && self.carried_notes.is_empty();
                if room < -0.01 && !first {
                    self.carried_notes.push(line.clone());
                    continue;
                }
                self.page.foot.push(line.clone());
                self.page.foot_height += line.height;
                foot_lines += 1;
                foot_height += line.height;
            }
        }
        let y = self.page.y;
        self.page.y += vbox.height;
        self.page.placed.push(Placed {
            flow_index,
            y,
            vbox,
            breakable_before,
            foot_lines,
            foot_height,
        });
    }

    fn new_page(&mut self) {
        self.finish_page();
        for line in std::mem::take(&mut self.carried_notes) {
            self.page.foot_height += line.height;
            self.page.foot.push(line);
        }
        while let Some(figure) = self.floats.pop_front() {
            if !self.page.placed.is_empty() && !self.fits(&figure) {
                self.floats.push_front(figure);
                break;
            }
            self.push(None, figure, true);
        }
    }

    /// Places every waiting float and carried footnote before a chapter ends.
    fn flush(&mut self) {
        while !self.floats.is_empty() || !self.carried_notes.is_empty() {
            self.new_page();
        }
    }

    fn finish_page(&mut self) {
        if self.page.placed.is_empty() && self.page.foot.is_empty() {
            return;
        }
        let state = std::mem::take(&mut self.page);
        let mut body = PageBody {
            chapter: state.chapter,
            opening: state.opening,
            ..PageBody::default()
        };
        for placed in &state.placed {
            body.boxes.push((Arc::clone(&placed.vbox), placed.y));
            body.marks.extend(placed.vbox.marks.iter().map(|m| Mark {
                y: m.y + placed.y,
                ..m.clone()
            }));
        }
        if !state.foot.is_empty() {
            let (lines, rule) = super::notes::foot(
                &state.foot,
                self.spec.height,
                self.spec.width,
                self.spec.note_gap,
                self.spec.rule_color,
            );
            body.rules.push(rule);
            body.boxes.extend(lines);
        }
        self.pages.push(body);
    }
}
