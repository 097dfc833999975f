//! Knuth–Plass line breaking ("total fit") over an abstract item list.
//!
//! A paragraph arrives as boxes (words or word fragments, fixed width), glue
//! (spaces that can stretch and shrink) and penalties (possible breaks with a
//! cost: hyphenation points, forced breaks). [`break_lines`] chooses the
//! breaks that minimise the total *demerits* of the paragraph, exactly as TeX
//! does, instead of filling each line greedily: a slightly loose line early on
//! can save a terrible one later, and runs of hyphens or a very loose line
//! next to a very tight one are avoided. Fonts play no part here; the caller
//! measures words first (see `shape.rs`) and maps breaks back to words by item
//! index.
//!
//! # Passes
//!
//! 0. Without hyphenation (TeX's `\pretolerance` pass), when
//!    [`Params::pretolerance`] is set: lines with ratio in
//!    `-1 ..= pretolerance` breaking only where breaking costs nothing
//!    (spaces; no hyphen, no penalised break). A paragraph that sets
//!    well without hyphens is set so, which is why a book set by TeX ends
//!    few of its lines with a hyphen. Reported as pass 1.
//! 1. Normal: only lines with adjustment ratio in `-1 ..= tolerance`.
//! 2. Emergency: as 1, but `emergency_stretch` is added to every line's
//!    stretchability when judging it (TeX's `\emergencystretch`), so a
//!    paragraph with a long unbreakable word can still be set, loosely. Run
//!    only if pass 1 found nothing and `emergency_stretch > 0`.
//! 3. Final: never fails. Any line that is not overfull is acceptable (very
//!    loose lines get huge demerits, so they are used only when necessary),
//!    and when every way forward is overfull (a word wider than the measure)
//!    the least overfull line is taken and reported in [`Breaks::overfull`]
//!    so the caller can warn with the source position.
//!
//! # Cost bound
//!
//! The work is `Σ over breakpoints of the number of active nodes`, counted in
//! [`Breaks::work`]. The active list stays bounded independently of the
//! paragraph length because:
//!
//! * an active node is dropped as soon as the line from it to the current
//!   breakpoint is overfull (natural width minus all shrink exceeds the
//!   measure), so live nodes lie within one line's worth of material behind
//!   the current breakpoint;
//! * at each breakpoint at most one node is created per (fitness class,
//!   consecutive-hyphen count, line number while line widths still vary),
//!   and a candidate is dropped if another with no more hyphens in a row is
//!   cheaper by more than `adjacent_fitness_demerits` (it can never catch
//!   up: that is the most its fitness class can save later). This is TeX's
//!   `minimum_demerits + adj_demerits` rule extended to the hyphen limit;
//! * as a backstop for degenerate input (thousands of zero-width boxes in one
//!   line), at most [`MAX_ACTIVE_NODES`] nodes are kept, the cheapest ones.
//!
//! So the cost is `O(n · A)` with `A ≤ MAX_ACTIVE_NODES`, and for justified
//! prose `A` is about 5–10 (measured by the linearity test): linear in the
//! paragraph length. A non-zero `looseness` keys nodes by line number
//! throughout, as in TeX, which makes `A` larger. The inner loop does no
//! allocation; per call there are a few `O(n)` vectors (prefix sums,
//! breakpoints) and the break-node history.
//!
//! The pruning is exact (the result equals an exhaustive search, which a
//! property test checks) when widths are non-negative and no glue shrinks
//! by more than its width, as for real text; other input is still handled
//! safely, just not necessarily optimally.
//!
//! Dimensions are `f32` points in and out; sums are kept in `f64` so long
//! paragraphs do not lose precision. Non-finite input never panics: NaN
//! counts as 0 (a NaN penalty as "no break"), infinite widths are clamped,
//! infinite stretch is "fil" glue.

/// A penalty at or above this never breaks; at or below its negation always
/// breaks (TeX's ±10000). `f32::INFINITY` works too.
pub const INFINITE_PENALTY: f32 = 10_000.0;

/// Stretch of the paragraph-filling glue appended by [`finish_paragraph`];
/// any infinite stretch is treated as first-order infinite ("fil") glue.
pub const FIL: f32 = f32::INFINITY;

/// Fitness class of a line stretched beyond badness 99 (ratio ≳ 1).
pub const VERY_LOOSE: u8 = 0;
/// Fitness class of a line stretched to badness 13–99 (ratio ≈ 0.5–1).
pub const LOOSE: u8 = 1;
/// Fitness class of a line within badness 12 of its natural width.
pub const DECENT: u8 = 2;
/// Fitness class of a line shrunk beyond badness 12 (ratio ≲ −0.5). TeX has
/// no "very tight" class: shrinking is capped at ratio −1.
pub const TIGHT: u8 = 3;

/// Backstop on the number of active nodes (see the module docs); real text
/// stays far below it, so it only bounds the cost of degenerate input.
pub const MAX_ACTIVE_NODES: usize = 512;

/// TeX's `inf_bad`: lines worse than this are reported as underfull.
const INF_BAD: f64 = 10_000.0;
/// Badness of a line that cannot stretch at all; larger than any line that
/// can, so the final pass prefers any stretchable line.
const MAX_BADNESS: f64 = 1.0e7;
/// Dimensions beyond this (points) are clamped; keeps sums finite.
const MAX_DIMENSION: f64 = 1.0e7;
/// Slack for float noise when deciding whether a line is overfull.
const EPSILON: f64 = 1.0e-6;

/// One element of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item {
    /// Unbreakable material of fixed width: a word, a word fragment between
    /// hyphenation points, an inline image.
    Box {
        /// Width in points.
        width: f32,
    },
    /// Adjustable space. A line may break at glue that directly follows a
    /// box; the glue then disappears, as does any glue or penalty starting
    /// the next line.
    Glue {
        /// Natural width in points.
        width: f32,
        /// How much it may grow when the line is stretched by ratio 1.
        stretch: f32,
        /// How much it may shrink at ratio −1 (never more).
        shrink: f32,
    },
    /// A possible break with a cost.
    Penalty {
        /// Width added at the end of the line if the break is taken (the
        /// hyphen of a discretionary), else nothing.
        width: f32,
        /// Cost of breaking here; ≥ [`INFINITE_PENALTY`] (or NaN) forbids the
        /// break, ≤ −[`INFINITE_PENALTY`] forces it.
        penalty: f32,
        /// Marks a hyphenation break, for the consecutive-hyphen rules.
        flagged: bool,
    },
}

impl Item {
    /// A box of the given width.
    pub fn boxed(width: f32) -> Item {
        Item::Box { width }
    }

    /// Glue with natural width, stretch and shrink.
    pub fn glue(width: f32, stretch: f32, shrink: f32) -> Item {
        Item::Glue {
            width,
            stretch,
            shrink,
        }
    }

    /// A penalty item.
    pub fn penalty(width: f32, penalty: f32, flagged: bool) -> Item {
        Item::Penalty {
            width,
            penalty,
            flagged,
        }
    }

    /// A forced break (e.g. a Markdown hard line break; put fil glue before
    /// it so the short line is not stretched).
    pub fn forced_break() -> Item {
        Item::penalty(0.0, -INFINITE_PENALTY, false)
    }

    /// Whether this item forces a line break.
    pub fn is_forced_break(&self) -> bool {
        matches!(self, Item::Penalty { penalty, .. } if *penalty <= -INFINITE_PENALTY)
    }
}

/// Interword glue for justified text, with TeX's proportions for a text
/// font (Computer Modern: space 1/3 em, stretch 1/2 and shrink 1/3 of the
/// space).
pub fn justified_space(space: f32) -> Item {
    Item::glue(space, space / 2.0, space / 3.0)
}

/// Interword glue for justified book text: stretch 0.6 and shrink 0.3 of
/// the space. A book face's space is narrow (EB Garamond's is 0.2 em
/// against Computer Modern's 0.33), so TeX's shrink of a third makes
/// visibly tight lines (0.13 em), and a little more stretch lets
/// [`Params::book`] hyphenate less without very loose lines; the numbers
/// are from the corpus books (`TYPOGRAPHY.md`).
pub fn book_space(space: f32) -> Item {
    Item::glue(space, space * 0.6, space * 0.3)
}

/// A space that justification never stretches or shrinks (inside inline
/// code, where spaces are characters of the code), breakable only at cost
/// `penalty`: `penalty(penalty)`, `glue(space, 0, 0)`. The glue follows a
/// penalty, not a box, so the penalty is the only break.
pub fn fixed_space(space: f32, penalty: f32) -> [Item; 2] {
    [
        Item::penalty(0.0, penalty, false),
        Item::glue(space, 0.0, 0.0),
    ]
}

/// [`ragged_space`] whose break costs `penalty` instead of nothing.
pub fn ragged_space_with_penalty(space: f32, ragged_stretch: f32, penalty: f32) -> [Item; 4] {
    let mut items = ragged_space(space, ragged_stretch);
    items[2] = Item::penalty(0.0, penalty, false);
    items
}

/// A discretionary hyphen for justified text: break here at cost `penalty`
/// (usually [`Params::hyphen_penalty`]) and draw a hyphen `hyphen_width`
/// wide at the line end.
pub fn hyphen(hyphen_width: f32, penalty: f32) -> Item {
    Item::penalty(hyphen_width, penalty, true)
}

/// Interword space for ragged-right text (code, headings, captions, table
/// cells), à la TeX's `\raggedright`: spaces keep their natural width, and
/// only the space where a line ends contributes `ragged_stretch` (2–3 em is
/// usual), so lines end unevenly but the optimiser still balances them.
///
/// The items are `penalty(+∞)`, `glue(0, +s, 0)`, `penalty(0)`,
/// `glue(space, −s, 0)`: within a line the two glues cancel; at a break the
/// stretchy glue ends the line and the rest is discarded. The leading
/// penalty stops a useless break before the stretchy glue.
pub fn ragged_space(space: f32, ragged_stretch: f32) -> [Item; 4] {
    [
        Item::penalty(0.0, INFINITE_PENALTY, false),
        Item::glue(0.0, ragged_stretch, 0.0),
        Item::penalty(0.0, 0.0, false),
        Item::glue(space, -ragged_stretch, 0.0),
    ]
}

/// A discretionary hyphen for ragged-right text: like [`ragged_space`] but
/// with no space, and a flagged penalty carrying the hyphen.
pub fn ragged_hyphen(hyphen_width: f32, penalty: f32, ragged_stretch: f32) -> [Item; 4] {
    [
        Item::penalty(0.0, INFINITE_PENALTY, false),
        Item::glue(0.0, ragged_stretch, 0.0),
        Item::penalty(hyphen_width, penalty, true),
        Item::glue(0.0, -ragged_stretch, 0.0),
    ]
}

/// Ends a paragraph the way TeX does: drops trailing glue, then appends an
/// unbreakable penalty, fil glue (so the last line is set at natural width)
/// and a forced break.
pub fn finish_paragraph(items: &mut Vec<Item>) {
    while matches!(items.last(), Some(Item::Glue { .. })) {
        items.pop();
    }
    items.push(Item::penalty(0.0, INFINITE_PENALTY, false));
    items.push(Item::glue(0.0, FIL, 0.0));
    items.push(Item::forced_break());
}

/// Tuning of the line breaker. Defaults ([`Params::new`]) are TeX's plain
/// format values, in the same units (demerits and penalties).
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Measure of each line in points: line 0, line 1, …; the last entry
    /// repeats for all further lines (hanging indents, run-arounds). An empty
    /// list counts as a measure of 0, so every line is reported overfull.
    pub line_widths: Vec<f32>,
    /// Largest adjustment ratio (stretch used / stretch available) a line may
    /// have in passes 1 and 2. TeX's `\tolerance=200` is ratio 1.26; 2.0
    /// allows spaces up to twice their stretch.
    pub tolerance: f32,
    /// Added to every line's badness before squaring (TeX `\linepenalty`),
    /// so fewer lines are preferred.
    pub line_penalty: f32,
    /// Penalty for the caller to put on discretionary hyphens ([`hyphen`]);
    /// the breaker itself reads penalties from the items.
    pub hyphen_penalty: f32,
    /// Extra demerits when two consecutive lines end with a hyphen
    /// (TeX `\doublehyphendemerits`).
    pub double_hyphen_demerits: f32,
    /// Extra demerits when the second-last line ends with a hyphen
    /// (TeX `\finalhyphendemerits`).
    pub final_hyphen_demerits: f32,
    /// Extra demerits when a line's fitness class differs by more than one
    /// from the previous line's, e.g. a very loose line after a tight one
    /// (TeX `\adjdemerits`).
    pub adjacent_fitness_demerits: f32,
    /// Hard limit on hyphenated lines in a row (2 is the usual house rule;
    /// 0 forbids hyphenation). Forced breaks are never counted.
    pub max_consecutive_hyphens: usize,
    /// Extra stretchability per line assumed in the emergency pass, in
    /// points (TeX `\emergencystretch`); 0 skips that pass.
    pub emergency_stretch: f32,
    /// Largest adjustment ratio of the first pass, which breaks only at
    /// spaces (TeX's `\pretolerance`); `None` skips that pass.
    pub pretolerance: Option<f32>,
    /// Make the paragraph this many lines longer (positive) or shorter
    /// (negative) than optimal if feasible (TeX `\looseness`); used to pull
    /// back a widow line or fill a page. 0 for normal setting.
    pub looseness: i32,
}

impl Params {
    /// TeX's defaults for a uniform measure of `line_width` points, with an
    /// emergency stretch of 5 % of the measure.
    pub fn new(line_width: f32) -> Params {
        Params {
            line_widths: vec![line_width],
            tolerance: 2.0,
            line_penalty: 10.0,
            hyphen_penalty: 50.0,
            double_hyphen_demerits: 10_000.0,
            final_hyphen_demerits: 5_000.0,
            adjacent_fitness_demerits: 10_000.0,
            max_consecutive_hyphens: 2,
            emergency_stretch: line_width * 0.05,
            pretolerance: None,
            looseness: 0,
        }
    }

    /// folio's setting for justified book text, for [`book_space`] glue:
    /// TeX's demerits and tolerance, a first pass without hyphenation
    /// (pretolerance 1.0, TeX's 100) and a hyphen penalty of 300 instead
    /// of 50. Set on the corpus books, it ends about 7 % of lines with a
    /// hyphen instead of 13 %, with fewer tight lines and no more very
    /// loose ones (`TYPOGRAPHY.md` has the distributions).
    pub fn book(line_width: f32) -> Params {
        Params {
            hyphen_penalty: 300.0,
            pretolerance: Some(1.0),
            ..Params::new(line_width)
        }
    }

    /// Measure of line `line` (0-based).
    pub fn line_width(&self, line: usize) -> f32 {
        match self.line_widths.get(line).or(self.line_widths.last()) {
            Some(&w) => w,
            None => 0.0,
        }
    }
}

/// One chosen break: the line ending here.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Break {
    /// Item index of the break (the glue or penalty where the line ends).
    /// Equals `items.len()` for the end of a list that lacks a final forced
    /// break.
    pub index: usize,
    /// Adjustment ratio to set the line at: glue width is `width + ratio ·
    /// stretch` when `ratio ≥ 0`, `width + ratio · shrink` when negative.
    /// 0 when the line has fil glue (which takes up the slack) or no stretch
    /// at all; −1 for an overfull line (which sticks out).
    pub ratio: f32,
    /// Whether the line ends at a flagged (hyphenation) penalty, i.e. the
    /// caller draws a hyphen.
    pub hyphenated: bool,
    /// Fitness class: [`VERY_LOOSE`], [`LOOSE`], [`DECENT`] or [`TIGHT`].
    pub fitness: u8,
}

/// The chosen breaks and how they were found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Breaks {
    /// One entry per line, in order; the last is the paragraph end.
    pub breaks: Vec<Break>,
    /// 0-based numbers of lines wider than their measure even at full
    /// shrink; the caller warns ("overfull line") with the source position.
    pub overfull: Vec<usize>,
    /// 0-based numbers of lines stretched beyond badness 10000 (TeX's
    /// "underfull"), which happen only in the final pass.
    pub underfull: Vec<usize>,
    /// Pass that produced the breaks: 1 normal, 2 emergency stretch, 3 final;
    /// 0 for [`greedy`].
    pub pass: u8,
    /// Total demerits of the chosen breaks.
    pub demerits: f64,
    /// Number of (active node, breakpoint) pairs examined over all passes;
    /// lets a test check the cost grows linearly without timing anything.
    pub work: u64,
}

/// Chooses line breaks minimising total demerits (Knuth–Plass), trying the
/// passes described in the module docs in turn. Never panics and always
/// returns one break per line; an empty list gives no lines.
pub fn break_lines(items: &[Item], params: &Params) -> Breaks {
    let Some(ctx) = Context::new(items, params) else {
        return Breaks {
            pass: 1,
            ..Breaks::default()
        };
    };
    let mut work = 0;
    let mut passes = Vec::with_capacity(4);
    if ctx.pretolerance.is_some() {
        passes.push(Pass::Unhyphenated);
    }
    passes.push(Pass::Normal);
    if ctx.emergency_stretch > 0.0 {
        passes.push(Pass::Emergency);
    }
    passes.push(Pass::Final);
    for pass in passes {
        if let Some(mut found) = ctx.run(pass, &mut work) {
            found.work = work;
            return found;
        }
    }
    // The final pass always succeeds; should it ever not, first-fit still
    // gives a usable paragraph rather than a panic.
    let mut fallback = ctx.greedy();
    fallback.work += work;
    fallback
}

/// First-fit line breaking: each line takes as much as fits (at full
/// shrink). For comparison with [`break_lines`] in tests and as a cheap
/// fallback; the same legality and hyphen-limit rules apply. `pass` is 0.
pub fn greedy(items: &[Item], params: &Params) -> Breaks {
    match Context::new(items, params) {
        Some(ctx) => ctx.greedy(),
        None => Breaks::default(),
    }
}

/// The items of each line: from the first item kept after the previous break
/// (glue and penalties after a break are discarded) up to, not including,
/// the break item. If the break is a penalty with a width (a hyphen), the
/// caller draws it at the end of the line. (Used by tests and the
/// line-breaking fuzz target, which check every break it returns.)
pub fn lines(items: &[Item], breaks: &Breaks) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::with_capacity(breaks.breaks.len());
    let mut start = 0;
    for b in &breaks.breaks {
        let end = b.index.min(items.len());
        ranges.push(start.min(end)..end);
        start = first_kept_after(items, b.index);
    }
    ranges
}

/// First item after a break at `index` that is not discarded: a box or a
/// forced break.
fn first_kept_after(items: &[Item], index: usize) -> usize {
    let mut i = index.saturating_add(1);
    while let Some(item) = items.get(i) {
        if matches!(item, Item::Box { .. }) || item.is_forced_break() {
            break;
        }
        i += 1;
    }
    i.min(items.len())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    Unhyphenated,
    Normal,
    Emergency,
    Final,
}

impl Pass {
    fn number(self) -> u8 {
        match self {
            Pass::Unhyphenated | Pass::Normal => 1,
            Pass::Emergency => 2,
            Pass::Final => 3,
        }
    }
}

/// Running sums of item dimensions; differences give a line's totals.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Totals {
    width: f64,
    stretch: f64,
    shrink: f64,
    /// Number of fil glues (infinite stretch) so far.
    fil: f64,
}

impl Totals {
    fn minus(self, other: Totals) -> Totals {
        Totals {
            width: self.width - other.width,
            stretch: self.stretch - other.stretch,
            shrink: self.shrink - other.shrink,
            fil: self.fil - other.fil,
        }
    }
}

/// A legal place to break, with what breaking there costs.
#[derive(Debug, Clone, Copy)]
struct Breakpoint {
    index: usize,
    /// Width added to the line if broken here (penalty width).
    width: f64,
    penalty: f64,
    forced: bool,
    /// Flagged and not forced: the line ends with a hyphen.
    hyphenated: bool,
    /// The paragraph end (last breakpoint).
    is_end: bool,
    /// The implicit end of a list without a final forced break: the last
    /// line is set as if it had fil glue.
    fills: bool,
}

/// How a line from some active node to a breakpoint would be set.
#[derive(Debug, Clone, Copy)]
struct Measure {
    /// Ratio as the caller will apply it (real stretch only).
    ratio: f64,
    /// Ratio used to judge the line (includes emergency stretch).
    judged_ratio: f64,
    badness: f64,
    overfull: bool,
    /// Overfull even without the breakpoint's own width (a hyphen): with
    /// non-negative widths every later breakpoint is overfull too, so the
    /// node can be dropped.
    dead: bool,
}

/// A place where the best way to set the paragraph so far may end a line.
#[derive(Debug, Clone, Copy)]
struct Active {
    node: usize,
    /// Item where the next line starts, and the prefix sums there.
    start: usize,
    start_totals: Totals,
    /// Lines set so far (the next line's number).
    line: usize,
    fitness: u8,
    streak: usize,
    total: f64,
}

/// A settled break in the history, for tracing the answer back.
#[derive(Debug, Clone, Copy)]
struct Node {
    index: usize,
    prev: Option<usize>,
    ratio: f32,
    fitness: u8,
    hyphenated: bool,
    overfull: bool,
    underfull: bool,
}

/// A proposed new active node at the current breakpoint.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    from: Active,
    total: f64,
    fitness: u8,
    streak: usize,
    line: usize,
    /// Line number for dominance: lines after `easy_line` share one key.
    line_key: usize,
    ratio: f64,
    overfull: bool,
    underfull: bool,
}

/// Everything precomputed once per paragraph and shared by the passes.
struct Context<'a> {
    items: &'a [Item],
    prefix: Vec<Totals>,
    breakpoints: Vec<Breakpoint>,
    widths: Vec<f64>,
    /// From this line on all measures are equal, so line numbers no longer
    /// distinguish otherwise equal nodes.
    easy_line: usize,
    tolerance: f64,
    line_penalty: f64,
    double_hyphen_demerits: f64,
    final_hyphen_demerits: f64,
    adjacent_fitness_demerits: f64,
    max_consecutive_hyphens: usize,
    emergency_stretch: f64,
    pretolerance: Option<f64>,
    looseness: i32,
}

/// NaN → 0, infinities and huge values clamped.
fn dimension(x: f32) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        f64::from(x).clamp(-MAX_DIMENSION, MAX_DIMENSION)
    }
}

/// A demerits-like parameter: NaN or negative → 0 (pruning relies on
/// non-negative extra demerits).
fn non_negative(x: f32) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        f64::from(x).max(0.0)
    }
}

impl<'a> Context<'a> {
    fn new(items: &'a [Item], params: &Params) -> Option<Context<'a>> {
        if items.is_empty() {
            return None;
        }
        let mut widths: Vec<f64> = params.line_widths.iter().map(|&w| dimension(w)).collect();
        if widths.is_empty() {
            widths.push(0.0);
        }
        let last = widths[widths.len() - 1];
        let easy_line = widths.iter().rposition(|&w| w != last).map_or(0, |k| k + 1);
        let tolerance = if params.tolerance.is_nan() {
            0.0
        } else {
            f64::from(params.tolerance).max(0.0)
        };
        Some(Context {
            items,
            prefix: prefix_sums(items),
            breakpoints: find_breakpoints(items),
            widths,
            easy_line,
            tolerance,
            line_penalty: dimension(params.line_penalty),
            double_hyphen_demerits: non_negative(params.double_hyphen_demerits),
            final_hyphen_demerits: non_negative(params.final_hyphen_demerits),
            adjacent_fitness_demerits: non_negative(params.adjacent_fitness_demerits),
            max_consecutive_hyphens: params.max_consecutive_hyphens,
            emergency_stretch: non_negative(params.emergency_stretch).min(MAX_DIMENSION),
            pretolerance: params
                .pretolerance
                .filter(|t| !t.is_nan())
                .map(|t| f64::from(t).max(0.0)),
            looseness: params.looseness,
        })
    }

    fn line_width(&self, line: usize) -> f64 {
        self.widths[line.min(self.widths.len() - 1)]
    }

    fn line_key(&self, line: usize) -> usize {
        if self.looseness == 0 && line >= self.easy_line {
            usize::MAX
        } else {
            line
        }
    }

    /// Where the line after a break at `index` starts.
    fn start_after(&self, index: usize) -> usize {
        first_kept_after(self.items, index)
    }

    /// Sizes up the line from `start` (with sums `start_totals`) to `bp`.
    fn measure(
        &self,
        start: usize,
        start_totals: Totals,
        line: usize,
        bp: &Breakpoint,
        extra: f64,
    ) -> Measure {
        let totals = if bp.index >= start {
            self.prefix[bp.index].minus(start_totals)
        } else {
            Totals::default()
        };
        let line_width = self.line_width(line);
        let mut m = Measure {
            ratio: 0.0,
            judged_ratio: 0.0,
            badness: 0.0,
            overfull: false,
            dead: totals.width - totals.shrink > line_width * (1.0 + EPSILON) + EPSILON,
        };
        let shortfall = line_width - (totals.width + bp.width);
        let fills = totals.fil > 0.5 || bp.fills;
        if shortfall > EPSILON && !fills {
            // Judged with the emergency stretch, set with the real one.
            let judged_stretch = totals.stretch + extra;
            if judged_stretch > EPSILON {
                m.judged_ratio = shortfall / judged_stretch;
                m.badness = badness(m.judged_ratio);
            } else {
                m.judged_ratio = f64::INFINITY;
                m.badness = MAX_BADNESS;
            }
            if totals.stretch > EPSILON {
                m.ratio = shortfall / totals.stretch;
            }
        } else if shortfall < -EPSILON {
            let shrinkable =
                totals.shrink > EPSILON && -shortfall <= totals.shrink * (1.0 + EPSILON) + EPSILON;
            m.ratio = if shrinkable {
                (shortfall / totals.shrink).max(-1.0)
            } else {
                -1.0
            };
            m.judged_ratio = m.ratio;
            m.badness = badness(m.ratio);
            m.overfull = !shrinkable;
        }
        m
    }

    /// Demerits of a line ending at `bp` after a node with `prev_fitness`
    /// and `prev_streak`, per TeX §859.
    fn demerits(
        &self,
        badness: f64,
        fitness: u8,
        bp: &Breakpoint,
        prev_fitness: u8,
        prev_streak: usize,
    ) -> f64 {
        let base = self.line_penalty + badness;
        let mut d = base * base;
        if !bp.forced {
            if bp.penalty > 0.0 {
                d += bp.penalty * bp.penalty;
            } else if bp.penalty < 0.0 {
                d -= bp.penalty * bp.penalty;
            }
        }
        if prev_streak > 0 {
            if bp.is_end {
                d += self.final_hyphen_demerits;
            } else if bp.hyphenated {
                d += self.double_hyphen_demerits;
            }
        }
        if fitness.abs_diff(prev_fitness) > 1 {
            d += self.adjacent_fitness_demerits;
        }
        d
    }

    /// One pass of the algorithm; `None` if it finds no acceptable breaks.
    fn run(&self, pass: Pass, work: &mut u64) -> Option<Breaks> {
        let extra = if matches!(pass, Pass::Normal | Pass::Unhyphenated) {
            0.0
        } else {
            self.emergency_stretch
        };
        let mut nodes = vec![Node {
            index: 0,
            prev: None,
            ratio: 0.0,
            fitness: DECENT,
            hyphenated: false,
            overfull: false,
            underfull: false,
        }];
        let mut actives = vec![Active {
            node: 0,
            start: 0,
            start_totals: Totals::default(),
            line: 0,
            fitness: DECENT,
            streak: 0,
            total: 0.0,
        }];
        let mut candidates: Vec<Candidate> = Vec::new();
        for bp in &self.breakpoints {
            // The first pass cannot break at a hyphen or a penalised point:
            // skip them rather than try every active node there. A node
            // that dies meanwhile is dropped at the next breakpoint tried.
            if pass == Pass::Unhyphenated && !bp.is_end && (bp.hyphenated || bp.penalty > 0.0) {
                continue;
            }
            *work += actives.len() as u64;
            candidates.clear();
            let fallback = self.try_actives(bp, pass, extra, &mut actives, &mut candidates);
            if candidates.is_empty() && actives.is_empty() {
                match fallback {
                    Some(last_resort) if pass == Pass::Final => {
                        candidates.push(self.forced_candidate(last_resort, bp, extra))
                    }
                    _ => return None,
                }
            }
            if bp.is_end {
                return self.finish(pass, &nodes, &candidates, bp);
            }
            self.insert(bp, &candidates, &mut nodes, &mut actives);
        }
        None
    }

    /// Tries every active node against `bp`: records feasible lines in
    /// `candidates` and drops nodes that can no longer start a line reaching
    /// past `bp`. Returns the best dropped node for the final pass's last
    /// resort (the one closest to `bp`, so the forced line is least
    /// overfull).
    fn try_actives(
        &self,
        bp: &Breakpoint,
        pass: Pass,
        extra: f64,
        actives: &mut Vec<Active>,
        candidates: &mut Vec<Candidate>,
    ) -> Option<Active> {
        let mut fallback: Option<Active> = None;
        let mut kept = 0;
        for k in 0..actives.len() {
            let a = actives[k];
            let m = self.measure(a.start, a.start_totals, a.line, bp, extra);
            // The first pass breaks at plain spaces only: no hyphen, and none
            // of the costly breaks (inside code or a URL) a later pass may need.
            let allowed = !(bp.hyphenated && a.streak >= self.max_consecutive_hyphens)
                && !(pass == Pass::Unhyphenated && (bp.hyphenated || bp.penalty > 0.0));
            let acceptable = match pass {
                Pass::Final => !m.overfull,
                Pass::Unhyphenated => {
                    !m.overfull && m.judged_ratio <= self.pretolerance.unwrap_or(0.0)
                }
                _ => !m.overfull && m.judged_ratio <= self.tolerance,
            };
            if allowed && acceptable {
                self.record(a, bp, &m, candidates);
            }
            // A node stays while later breakpoints may still be reachable
            // from it. In the final pass an overfull node survives a
            // breakpoint it may not use (hyphen limit), so the limit stays
            // hard even when the only way on is an overfull line.
            let deactivate = bp.forced || (m.dead && (allowed || pass != Pass::Final));
            if deactivate {
                let closer = fallback.is_none_or(|f| (a.start, -a.total) > (f.start, -f.total));
                if closer {
                    fallback = Some(a);
                }
            } else {
                actives[kept] = a;
                kept += 1;
            }
        }
        actives.truncate(kept);
        fallback
    }

    /// Adds the line from `a` to `bp` to the candidates, keeping only the
    /// cheapest per (fitness, hyphen streak, line key).
    fn record(&self, a: Active, bp: &Breakpoint, m: &Measure, candidates: &mut Vec<Candidate>) {
        let fitness = fitness_class(m.judged_ratio, m.badness);
        let streak = if bp.hyphenated { a.streak + 1 } else { 0 };
        let line = a.line + 1;
        let total = a.total + self.demerits(m.badness, fitness, bp, a.fitness, a.streak);
        let candidate = Candidate {
            from: a,
            total,
            fitness,
            streak,
            line,
            line_key: self.line_key(line),
            ratio: m.ratio,
            overfull: m.overfull,
            underfull: m.badness > INF_BAD,
        };
        let key = |c: &Candidate| {
            (
                c.fitness,
                c.streak.min(self.max_consecutive_hyphens),
                c.line_key,
            )
        };
        match candidates.iter_mut().find(|c| key(c) == key(&candidate)) {
            Some(existing) if existing.total <= total => {}
            Some(existing) => *existing = candidate,
            None => candidates.push(candidate),
        }
    }

    /// The final pass's last resort: a line from `a` to `bp` even though it
    /// is overfull, with no demerits of its own (TeX's "artificial
    /// demerits"), so the paragraph can go on.
    fn forced_candidate(&self, a: Active, bp: &Breakpoint, extra: f64) -> Candidate {
        let m = self.measure(a.start, a.start_totals, a.line, bp, extra);
        let line = a.line + 1;
        Candidate {
            from: a,
            total: a.total,
            fitness: if m.overfull {
                TIGHT
            } else {
                fitness_class(m.judged_ratio, m.badness)
            },
            streak: if bp.hyphenated { a.streak + 1 } else { 0 },
            line,
            line_key: self.line_key(line),
            ratio: m.ratio,
            overfull: m.overfull,
            underfull: m.badness > INF_BAD && !m.overfull,
        }
    }

    /// Turns the surviving candidates at `bp` into nodes and active nodes,
    /// skipping those that can never beat another candidate.
    fn insert(
        &self,
        bp: &Breakpoint,
        candidates: &[Candidate],
        nodes: &mut Vec<Node>,
        actives: &mut Vec<Active>,
    ) {
        let start = self.start_after(bp.index);
        let start_totals = self.prefix[start.min(self.prefix.len() - 1)];
        for (i, c) in candidates.iter().enumerate() {
            let dominated = candidates
                .iter()
                .enumerate()
                .any(|(j, other)| j != i && self.dominates(other, j, c, i));
            if dominated {
                continue;
            }
            nodes.push(self.node(bp, c));
            actives.push(Active {
                node: nodes.len() - 1,
                start,
                start_totals,
                line: c.line,
                fitness: c.fitness,
                streak: c.streak,
                total: c.total,
            });
        }
        if actives.len() > MAX_ACTIVE_NODES {
            actives
                .select_nth_unstable_by(MAX_ACTIVE_NODES - 1, |x, y| x.total.total_cmp(&y.total));
            actives.truncate(MAX_ACTIVE_NODES);
        }
    }

    /// Whether candidate `a` (at position `ia`) makes `b` (at `ib`)
    /// pointless: same line key, no longer hyphen streak, and cheaper by at
    /// least the most `b`'s fitness class could save on the next line. Ties
    /// keep the earlier candidate.
    fn dominates(&self, a: &Candidate, ia: usize, b: &Candidate, ib: usize) -> bool {
        if a.line_key != b.line_key || a.streak > b.streak {
            return false;
        }
        let a_bound = a.total + self.adjacent_fitness_demerits;
        a_bound < b.total
            || (a_bound == b.total && (self.adjacent_fitness_demerits > 0.0 || ia < ib))
    }

    fn node(&self, bp: &Breakpoint, c: &Candidate) -> Node {
        Node {
            index: bp.index,
            prev: Some(c.from.node),
            ratio: c.ratio as f32,
            fitness: c.fitness,
            hyphenated: bp.hyphenated,
            overfull: c.overfull,
            underfull: c.underfull,
        }
    }

    /// Picks the best way to end the paragraph (honouring `looseness`) and
    /// traces the breaks back.
    fn finish(
        &self,
        pass: Pass,
        nodes: &[Node],
        candidates: &[Candidate],
        bp: &Breakpoint,
    ) -> Option<Breaks> {
        let best = candidates
            .iter()
            .min_by(|x, y| x.total.total_cmp(&y.total))?;
        let chosen = if self.looseness == 0 {
            best
        } else {
            self.loosest_fit(best, candidates)
        };
        let mut breaks = Vec::new();
        let mut overfull_flags = Vec::new();
        let mut underfull_flags = Vec::new();
        let last = self.node(bp, chosen);
        let mut cursor = Some(last);
        while let Some(node) = cursor {
            let Some(prev) = node.prev else { break };
            breaks.push(Break {
                index: node.index,
                ratio: node.ratio,
                hyphenated: node.hyphenated,
                fitness: node.fitness,
            });
            overfull_flags.push(node.overfull);
            underfull_flags.push(node.underfull);
            cursor = nodes.get(prev).copied();
        }
        breaks.reverse();
        overfull_flags.reverse();
        underfull_flags.reverse();
        let flagged = |flags: &[bool]| {
            flags
                .iter()
                .enumerate()
                .filter(|(_, f)| **f)
                .map(|(i, _)| i)
                .collect()
        };
        Some(Breaks {
            overfull: flagged(&overfull_flags),
            underfull: flagged(&underfull_flags),
            breaks,
            pass: pass.number(),
            demerits: chosen.total,
            work: 0,
        })
    }

    /// TeX's looseness rule: among the ways to end the paragraph, the line
    /// count closest to `best + looseness` without overshooting, cheapest
    /// first.
    fn loosest_fit<'c>(&self, best: &'c Candidate, candidates: &'c [Candidate]) -> &'c Candidate {
        let wanted = i64::from(self.looseness);
        let diff = |c: &Candidate| c.line as i64 - best.line as i64;
        candidates
            .iter()
            .filter(|c| {
                let d = diff(c);
                (0..=wanted).contains(&d) || (wanted..=0).contains(&d)
            })
            .min_by(|x, y| {
                diff(y)
                    .abs()
                    .cmp(&diff(x).abs())
                    .then(x.total.total_cmp(&y.total))
            })
            .unwrap_or(best)
    }

    /// First-fit breaking with the same rules.
    fn greedy(&self) -> Breaks {
        let mut result = Breaks::default();
        let mut start = 0;
        let mut start_totals = Totals::default();
        let mut streak = 0;
        let mut prev_fitness = DECENT;
        // The last breakpoint that fitted on the current line, with its
        // measure.
        let mut last_fit: Option<(Breakpoint, Measure)> = None;
        let mut k = 0;
        while let Some(bp) = self.breakpoints.get(k) {
            result.work += 1;
            let line = result.breaks.len();
            let m = self.measure(start, start_totals, line, bp, 0.0);
            let allowed = !(bp.hyphenated && streak >= self.max_consecutive_hyphens);
            let take = if m.overfull {
                // Break at the last fitting place and look at `bp` again on
                // the new line; with none, the line is unavoidably overfull.
                match last_fit.take() {
                    Some(fit) => Some(fit),
                    None if allowed || bp.forced => Some((*bp, m)),
                    None => None,
                }
            } else if bp.forced {
                Some((*bp, m))
            } else {
                if allowed {
                    last_fit = Some((*bp, m));
                }
                None
            };
            if let Some((at, fit)) = take {
                let fitness = if fit.overfull {
                    TIGHT
                } else {
                    fitness_class(fit.judged_ratio, fit.badness)
                };
                result.demerits += self.demerits(fit.badness, fitness, &at, prev_fitness, streak);
                if fit.overfull {
                    result.overfull.push(line);
                } else if fit.badness > INF_BAD {
                    result.underfull.push(line);
                }
                result.breaks.push(Break {
                    index: at.index,
                    ratio: fit.ratio as f32,
                    hyphenated: at.hyphenated,
                    fitness,
                });
                streak = if at.hyphenated { streak + 1 } else { 0 };
                prev_fitness = fitness;
                start = self.start_after(at.index);
                start_totals = self.prefix[start.min(self.prefix.len() - 1)];
                last_fit = None;
                if at.index == bp.index {
                    k += 1;
                }
            } else {
                k += 1;
            }
        }
        result
    }
}

/// TeX's badness, 100·|r|³, without TeX's cap at 10000 so the final pass
/// can still tell a very loose line from an even looser one.
fn badness(ratio: f64) -> f64 {
    (100.0 * ratio.abs().powi(3)).min(MAX_BADNESS)
}

/// TeX's fitness classes from the adjustment ratio's sign and the badness.
fn fitness_class(ratio: f64, badness: f64) -> u8 {
    if ratio < 0.0 {
        if badness > 12.0 { TIGHT } else { DECENT }
    } else if badness > 99.0 {
        VERY_LOOSE
    } else if badness > 12.0 {
        LOOSE
    } else {
        DECENT
    }
}

fn prefix_sums(items: &[Item]) -> Vec<Totals> {
    let mut prefix = Vec::with_capacity(items.len() + 1);
    let mut running = Totals::default();
    prefix.push(running);
    for item in items {
        match *item {
            Item::Box { width } => running.width += dimension(width),
            Item::Glue {
                width,
                stretch,
                shrink,
            } => {
                running.width += dimension(width);
                if stretch.is_infinite() && stretch > 0.0 {
                    running.fil += 1.0;
                } else {
                    running.stretch += dimension(stretch);
                }
                running.shrink += dimension(shrink);
            }
            Item::Penalty { .. } => {}
        }
        prefix.push(running);
    }
    prefix
}

/// All legal breakpoints in order: penalties below +∞, and glue right after
/// a box. If the list does not end with a forced break, its end (index
/// `items.len()`) is added as one, as if [`finish_paragraph`] had run.
fn find_breakpoints(items: &[Item]) -> Vec<Breakpoint> {
    let mut points = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match *item {
            Item::Penalty {
                width,
                penalty,
                flagged,
            } => {
                // A garbage (NaN) penalty never breaks.
                let penalty = f64::from(penalty);
                if penalty.is_nan() || penalty >= f64::from(INFINITE_PENALTY) {
                    continue;
                }
                let forced = penalty <= -f64::from(INFINITE_PENALTY);
                points.push(Breakpoint {
                    index: i,
                    width: dimension(width),
                    penalty,
                    forced,
                    hyphenated: flagged && !forced,
                    is_end: false,
                    fills: false,
                });
            }
            Item::Glue { .. } if i > 0 && matches!(items[i - 1], Item::Box { .. }) => {
                points.push(Breakpoint {
                    index: i,
                    width: 0.0,
                    penalty: 0.0,
                    forced: false,
                    hyphenated: false,
                    is_end: false,
                    fills: false,
                });
            }
            _ => {}
        }
    }
    let ends_forced = items.last().is_some_and(Item::is_forced_break);
    match points.last_mut() {
        Some(last) if ends_forced => last.is_end = true,
        _ => points.push(Breakpoint {
            index: items.len(),
            width: 0.0,
            penalty: 0.0,
            forced: true,
            hyphenated: false,
            is_end: true,
            fills: true,
        }),
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The opening of Grimm's "The Frog King", the paragraph Knuth and Plass
    /// used in "Breaking Paragraphs into Lines" (1981).
    const FROG_KING: &str = "In olden times when wishing still helped one, there lived a \
        king whose daughters were all beautiful; and the youngest was so beautiful that \
        the sun itself, which has seen so much, was astonished whenever it shone in her face.";

    /// Boxes one unit wide per character, interword glue 1 + 1 − 1/2.
    fn unit_paragraph(words: &[&str]) -> Vec<Item> {
        let mut items = Vec::new();
        for (k, word) in words.iter().enumerate() {
            if k > 0 {
                items.push(Item::glue(1.0, 1.0, 0.5));
            }
            items.push(Item::boxed(word.chars().count() as f32));
        }
        finish_paragraph(&mut items);
        items
    }

    fn break_indices(breaks: &Breaks) -> Vec<usize> {
        breaks.breaks.iter().map(|b| b.index).collect()
    }

    /// Natural width, stretch and shrink of each line, computed directly from
    /// the items (independently of the breaker's prefix sums): material from
    /// the first box (or forced break) after the previous break up to the
    /// break, plus the break's own width if it is a penalty.
    fn line_dimensions(items: &[Item], breaks: &Breaks) -> Vec<(f32, f32, f32)> {
        let mut out = Vec::new();
        let mut start = 0;
        for b in &breaks.breaks {
            let (mut w, mut y, mut z) = (0.0, 0.0, 0.0);
            for item in &items[start.min(b.index)..b.index.min(items.len())] {
                match *item {
                    Item::Box { width } => w += width,
                    Item::Glue {
                        width,
                        stretch,
                        shrink,
                    } => {
                        w += width;
                        y += stretch;
                        z += shrink;
                    }
                    Item::Penalty { .. } => {}
                }
            }
            if let Some(Item::Penalty { width, .. }) = items.get(b.index) {
                w += width;
            }
            out.push((w, y, z));
            start = b.index + 1;
            while start < items.len()
                && !matches!(items[start], Item::Box { .. })
                && !items[start].is_forced_break()
            {
                start += 1;
            }
        }
        out
    }

    fn set_width(dims: (f32, f32, f32), ratio: f32) -> f32 {
        let (w, y, z) = dims;
        if ratio >= 0.0 {
            w + ratio * y
        } else {
            w + ratio * z
        }
    }

    /// Words of the Frog King paragraph; word `k` is item `2k` and the glue
    /// after it item `2k + 1`, so a break after `j` words is at item `2j − 1`.
    fn frog_words(n: usize) -> Vec<&'static str> {
        FROG_KING.split_whitespace().take(n).collect()
    }

    #[test]
    fn reference_paragraph_breaks_where_hand_analysis_says() {
        // First 17 words, measure 29 units, one unit per character,
        // spaces 1 + 1 − 1/2, tolerance 2, TeX's demerits (line penalty 10,
        // adjdemerits 10000). Demerits of a line: (10 + 100·|r|³)².
        //
        // Line 1 has one choice. "In olden times when wishing" is 23 + 4 = 27
        // wide with 4 spaces: r = 2/4 = 0.5, badness 12.5, "loose", demerits
        // 22.5² = 506.25. One word fewer needs r = 10/3 > 2; one more is
        // 33 wide and can shrink only to 30.5: overfull.
        //
        // Line 2 from "still": ending at "there" (23 wide, r = 6/3 = 2.0,
        // badness 800, very loose, 656100), at "lived" (29, r = 0, decent,
        // 100) or at "a" (31, r = −2/2.5 = −0.8, badness 51.2, tight,
        // 61.2² = 3745.44); "king" would be overfull.
        //
        // Line 3: from "lived" to "daughters" (28, r = 0.25, decent, 133.69);
        // from "a" to "were" (27, r = 0.5, loose, 506.25) or to "all" (31,
        // r = −0.8, tight, 3745.44); from "king" to "were" (25, r = 4/3,
        // very loose, 61027.3) or to "all" (29, r = 0, decent, 100).
        // The last line has fil glue: decent, 100.
        //
        // All five complete paths (adding 10000 wherever fitness classes
        // differ by more than one):
        //   wishing|lived|were|…  506.25 + 100 + 506.25 + 100     =   1212.5
        //   wishing|lived|all|…   506.25 + 100 + 3745.44 + 100    =   4451.69
        //   wishing|a|all|…       506.25 + 13745.44 + 100 + 100   =  14451.69
        //   wishing|a|were|…      506.25 + 13745.44 + 71027.30
        //                         + 10100                         =  95378.99
        //   wishing|there|daughters|… 506.25 + 656100 + 10133.69
        //                         + 100                           = 666839.94
        // so the optimum breaks after words 5, 10 and 15: items 9, 19, 29,
        // then the final forced break at item 35 (33 items of text, then
        // penalty, fil glue, forced break), with ratios 0.5, 0, 0.5, 0.
        let items = unit_paragraph(&frog_words(17));
        assert_eq!(items.len(), 36);
        let mut params = Params::new(29.0);
        params.emergency_stretch = 0.0;
        let result = break_lines(&items, &params);
        assert_eq!(break_indices(&result), [9, 19, 29, 35]);
        assert_eq!(result.pass, 1);
        assert!(
            (result.demerits - 1212.5).abs() < 1e-6,
            "{}",
            result.demerits
        );
        let ratios: Vec<f32> = result.breaks.iter().map(|b| b.ratio).collect();
        assert_eq!(ratios, [0.5, 0.0, 0.5, 0.0]);
        let fitness: Vec<u8> = result.breaks.iter().map(|b| b.fitness).collect();
        assert_eq!(fitness, [LOOSE, DECENT, LOOSE, DECENT]);

        // First fit packs line 2 to "a" (it fits at full shrink) and line 3
        // to "all": the worse 14451.69 path.
        let first_fit = greedy(&items, &params);
        assert_eq!(break_indices(&first_fit), [9, 21, 31, 35]);
        assert!((first_fit.demerits - 14451.69).abs() < 0.01);
    }

    #[test]
    fn justified_lines_fill_the_measure_exactly() {
        // The whole paragraph, with a hyphenation point in the middle of every
        // word of seven letters or more, on a first line that is indented
        // (narrower) and then a constant measure.
        let mut items = Vec::new();
        for (k, word) in FROG_KING.split_whitespace().enumerate() {
            if k > 0 {
                items.push(justified_space(3.0));
            }
            let n = word.chars().count() as f32 * 5.5;
            if word.len() >= 7 {
                items.push(Item::boxed(n / 2.0));
                items.push(hyphen(3.5, 50.0));
                items.push(Item::boxed(n / 2.0));
            } else {
                items.push(Item::boxed(n));
            }
        }
        finish_paragraph(&mut items);
        for widths in [
            vec![150.0],
            vec![140.0, 150.0],
            vec![135.0, 150.0],
            vec![120.0, 135.0, 160.0],
        ] {
            let mut params = Params::new(150.0);
            params.line_widths = widths;
            let result = break_lines(&items, &params);
            // The last measure needs the emergency pass; lines still fill.
            assert!(result.pass <= 2);
            assert!(result.overfull.is_empty() && result.underfull.is_empty());
            let dims = line_dimensions(&items, &result);
            let last = dims.len() - 1;
            for (line, (&d, b)) in dims.iter().zip(&result.breaks).enumerate().take(last) {
                let w = set_width(d, b.ratio);
                let target = params.line_width(line);
                assert!((w - target).abs() < 0.01, "line {line}: {w} vs {target}");
                assert!(b.ratio >= -1.0);
                assert!(result.pass == 2 || b.ratio <= params.tolerance);
            }
            // The last line is set at natural width, not stretched.
            assert_eq!(result.breaks[last].ratio, 0.0);
            assert!(dims[last].0 <= params.line_width(last));
            // `lines` agrees with the independent computation.
            let ranges = lines(&items, &result);
            assert_eq!(ranges.len(), result.breaks.len());
            assert_eq!(ranges[0].start, 0);
        }
    }

    #[test]
    fn forced_breaks_are_honoured() {
        let words = frog_words(12);
        let mut items = Vec::new();
        let mut forced_at = 0;
        for (k, word) in words.iter().enumerate() {
            if k == 3 {
                // A hard line break after "times".
                items.push(Item::penalty(0.0, INFINITE_PENALTY, false));
                items.push(Item::glue(0.0, FIL, 0.0));
                forced_at = items.len();
                items.push(Item::forced_break());
            } else if k > 0 {
                items.push(Item::glue(1.0, 1.0, 0.5));
            }
            items.push(Item::boxed(word.len() as f32));
        }
        finish_paragraph(&mut items);
        let result = break_lines(&items, &Params::new(29.0));
        assert!(break_indices(&result).contains(&forced_at));
        // A forced break with f32::INFINITY works too.
        items[forced_at] = Item::penalty(0.0, f32::NEG_INFINITY, false);
        let result = break_lines(&items, &Params::new(29.0));
        assert!(break_indices(&result).contains(&forced_at));
        // Even a line that cannot be set well must end at a forced break.
        let result = break_lines(&items, &Params::new(8.0));
        assert!(break_indices(&result).contains(&forced_at));
    }

    #[test]
    fn never_breaks_at_glue_not_preceded_by_a_box() {
        // The only space between the two words follows a penalty, so it is
        // not a legal breakpoint even though breaking there would give two
        // perfect lines.
        let mut items = vec![
            Item::boxed(10.0),
            Item::penalty(0.0, INFINITE_PENALTY, false),
            Item::glue(2.0, 1.0, 1.0),
            Item::boxed(10.0),
        ];
        finish_paragraph(&mut items);
        let result = break_lines(&items, &Params::new(10.0));
        assert_eq!(break_indices(&result), [items.len() - 1]);
        assert_eq!(result.overfull, [0]);
        // With a box before it, the same glue is a break.
        items[1] = Item::boxed(0.0);
        let result = break_lines(&items, &Params::new(10.0));
        assert_eq!(break_indices(&result)[0], 2);
        assert!(result.overfull.is_empty());
    }

    #[test]
    fn box_wider_than_the_measure_is_reported_overfull() {
        let mut items = vec![Item::boxed(200.0)];
        finish_paragraph(&mut items);
        let result = break_lines(&items, &Params::new(100.0));
        assert_eq!(result.pass, 3);
        assert_eq!(break_indices(&result), [3]);
        assert_eq!(result.overfull, [0]);
        assert_eq!(result.breaks[0].ratio, -1.0);

        // In running text: only the line with the long word is overfull.
        let mut items = Vec::new();
        for (k, w) in [5.0, 5.0, 5.0, 120.0, 5.0, 5.0, 5.0].iter().enumerate() {
            if k > 0 {
                items.push(Item::glue(1.0, 1.0, 0.5));
            }
            items.push(Item::boxed(*w));
        }
        finish_paragraph(&mut items);
        let result = break_lines(&items, &Params::new(17.0));
        assert_eq!(result.pass, 3);
        assert_eq!(result.overfull, [1]);
        assert_eq!(greedy(&items, &Params::new(17.0)).overfull, [1]);
    }

    /// Words that are each a pair of halves with a hyphenation point, sized
    /// so that most lines would like to end at a hyphen.
    fn hyphen_heavy_paragraph() -> Vec<Item> {
        let mut items = Vec::new();
        let mut seed = 7u32;
        for k in 0..60 {
            if k > 0 {
                items.push(Item::glue(3.0, 1.5, 1.0));
            }
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let half = 8.0 + (seed >> 16) as f32 % 9.0;
            items.push(Item::boxed(half));
            items.push(hyphen(2.0, 0.0));
            items.push(Item::boxed(half + 3.0));
        }
        finish_paragraph(&mut items);
        items
    }

    fn longest_hyphen_run(breaks: &Breaks) -> usize {
        let mut longest = 0;
        let mut run = 0;
        for b in &breaks.breaks {
            run = if b.hyphenated { run + 1 } else { 0 };
            longest = longest.max(run);
        }
        longest
    }

    #[test]
    fn consecutive_hyphens_are_limited() {
        let items = hyphen_heavy_paragraph();
        let mut params = Params::new(61.0);
        params.double_hyphen_demerits = 0.0;
        params.tolerance = 1.0;
        params.max_consecutive_hyphens = usize::MAX;
        let free = break_lines(&items, &params);
        assert!(longest_hyphen_run(&free) >= 3, "test needs hyphen runs");
        for limit in [0, 1, 2] {
            params.max_consecutive_hyphens = limit;
            let limited = break_lines(&items, &params);
            assert!(longest_hyphen_run(&limited) <= limit, "limit {limit}");
            assert!(longest_hyphen_run(&greedy(&items, &params)) <= limit);
        }
    }

    #[test]
    fn the_unhyphenated_pass_wins_when_it_is_within_pretolerance() {
        // 42 words of two 6-wide halves with a hyphenation point between
        // them; six words fill a line of 94 at ratio 0.93, and a hyphenated
        // half-word more fills it better.
        let mut items = Vec::new();
        for k in 0..42 {
            if k > 0 {
                items.push(Item::glue(3.0, 1.5, 1.0));
            }
            items.push(Item::boxed(6.0));
            items.push(hyphen(1.0, 0.0));
            items.push(Item::boxed(6.0));
        }
        finish_paragraph(&mut items);
        let hyphens = |b: &Breaks| b.breaks.iter().filter(|b| b.hyphenated).count();
        let mut params = Params::new(94.0);
        let with = break_lines(&items, &params);
        assert_eq!(with.pass, 1);
        assert!(
            hyphens(&with) > 0,
            "the test needs a paragraph that hyphenates"
        );
        // A first pass at spaces only finds lines within the pretolerance.
        params.pretolerance = Some(1.0);
        let without = break_lines(&items, &params);
        assert_eq!(hyphens(&without), 0);
        assert_eq!(without.pass, 1);
        assert!(without.breaks.iter().all(|b| b.ratio <= 1.0));
        // A pretolerance no line meets falls through to the normal pass.
        params.pretolerance = Some(0.5);
        assert_eq!(break_lines(&items, &params).breaks, with.breaks);
    }

    #[test]
    fn book_spaces_shrink_less_and_stretch_more_than_tex() {
        let Item::Glue {
            width,
            stretch,
            shrink,
        } = book_space(3.0)
        else {
            panic!("a space is glue");
        };
        assert!(width == 3.0 && (stretch - 1.8).abs() < 1e-5 && (shrink - 0.9).abs() < 1e-5);
        let book = Params::book(300.0);
        assert!(book.hyphen_penalty > Params::new(300.0).hyphen_penalty);
        assert!(book.pretolerance.is_some());
    }

    #[test]
    fn ragged_right_keeps_spaces_natural() {
        let mut items = Vec::new();
        for (k, word) in FROG_KING.split_whitespace().enumerate() {
            if k > 0 {
                items.extend(ragged_space(1.0, 6.0));
            }
            items.push(Item::boxed(word.chars().count() as f32));
        }
        finish_paragraph(&mut items);
        let result = break_lines(&items, &Params::new(30.0));
        assert_eq!(result.pass, 1);
        for (line, d) in line_dimensions(&items, &result).iter().enumerate() {
            // Natural width fits, and the only stretch is the line end's.
            assert!(d.0 <= 30.0, "line {line} is {}", d.0);
            assert!(d.1 == 6.0 || line == result.breaks.len() - 1, "{d:?}");
        }
        // Breaks are only at the zero penalties between words.
        for b in &result.breaks {
            assert!(matches!(items[b.index], Item::Penalty { .. }));
        }
    }

    #[test]
    fn emergency_stretch_pass_rescues_a_tight_paragraph() {
        let words = frog_words(17);
        let items = unit_paragraph(&words);
        let mut params = Params::new(29.0);
        params.tolerance = 0.3;
        params.emergency_stretch = 0.0;
        assert_eq!(break_lines(&items, &params).pass, 3);
        params.emergency_stretch = 10.0;
        let rescued = break_lines(&items, &params);
        assert_eq!(rescued.pass, 2);
        assert!(rescued.overfull.is_empty());
    }

    #[test]
    fn looseness_adds_or_removes_a_line_when_possible() {
        let items = unit_paragraph(&frog_words(40));
        let count = |width: f32, looseness: i32| {
            let mut params = Params::new(width);
            params.looseness = looseness;
            let result = break_lines(&items, &params);
            assert_eq!(result.pass, 1);
            result.breaks.len()
        };
        // At 35 units the optimum has 7 lines and an 8-line setting exists
        // within tolerance; no 6-line one does, so −1 changes nothing.
        assert_eq!(count(35.0, 0), 7);
        assert_eq!(count(35.0, 1), 8);
        assert_eq!(count(35.0, -1), 7);
        // At 37 units a line can be saved.
        assert_eq!(count(37.0, 0), 7);
        assert_eq!(count(37.0, -1), 6);
        // Asking for more than is possible gives the closest feasible.
        assert_eq!(count(35.0, 5), 8);
    }

    #[test]
    fn list_without_final_break_ends_at_its_length() {
        let items = vec![
            Item::boxed(5.0),
            Item::glue(1.0, 1.0, 0.5),
            Item::boxed(5.0),
        ];
        let result = break_lines(&items, &Params::new(100.0));
        assert_eq!(break_indices(&result), [3]);
        assert_eq!(result.breaks[0].ratio, 0.0);
        let ranges = lines(&items, &result);
        assert_eq!((ranges.len(), ranges[0].clone()), (1, 0..3));
        assert_eq!(break_lines(&[], &Params::new(10.0)).breaks, []);
        assert_eq!(greedy(&[], &Params::new(10.0)).breaks, []);
    }

    #[test]
    fn degenerate_parameters_do_not_panic() {
        let items = unit_paragraph(&frog_words(20));
        let mut params = Params::new(f32::NAN);
        params.line_widths.clear();
        params.tolerance = f32::NAN;
        params.line_penalty = f32::INFINITY;
        params.adjacent_fitness_demerits = -5.0;
        let result = break_lines(&items, &params);
        assert_eq!(result.overfull.len(), result.breaks.len());
        let weird = [
            Item::boxed(f32::NAN),
            Item::glue(f32::INFINITY, f32::NAN, f32::NEG_INFINITY),
            Item::penalty(f32::NAN, f32::NAN, true),
            Item::boxed(f32::NEG_INFINITY),
        ];
        let result = break_lines(&weird, &Params::new(10.0));
        assert_eq!(result.breaks.last().map(|b| b.index), Some(weird.len()));
        // A NaN penalty is no breakpoint.
        assert!(result.breaks.iter().all(|b| b.index != 2));
    }
}
