//! The statistics of one book as a Markdown section, the form
//! `examples/typo_stats.rs` prints and `TYPOGRAPHY.md` quotes.

use super::{LOOSE, SPACE_BUCKETS, Stats};
use std::fmt::Write as _;

impl Stats {
    /// Share of body lines ending with a hyphen, in percent.
    pub fn hyphen_share(&self) -> f32 {
        100.0 * self.hyphenated_lines as f32 / self.text_lines.max(1) as f32
    }

    /// A report in Markdown, one section per measure.
    pub fn report(&self, name: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "### {name} ({} pages)\n", self.pages);
        let _ = writeln!(
            out,
            "- listings {}, breaks {}, breaks with < 3 lines on a side {}, breaks in listings of ≤ 8 lines {}",
            self.listings, self.listing_breaks, self.short_side_breaks, self.short_listing_breaks
        );
        if !self.short_breaks_at.is_empty() {
            let pages: Vec<String> = self
                .short_breaks_at
                .iter()
                .map(|p| format!("p{p}"))
                .collect();
            let _ = writeln!(out, "  (at {})", pages.join(", "));
        }
        let _ = writeln!(
            out,
            "- stranded: filename/“Listing N” lines {}, introducing lines ending in “:” {}, captions {}, headings {}",
            self.stranded_labels,
            self.stranded_intros,
            self.stranded_captions,
            self.stranded_headings
        );
        if !self.stranded_at.is_empty() {
            let _ = writeln!(
                out,
                "  (at {})",
                self.stranded_at
                    .iter()
                    .map(|(p, what)| format!("p{p} {what}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let _ = writeln!(
            out,
            "- code lines {}, wrapped (continuations) {} ({:.1} %)",
            self.code_lines,
            self.wrapped_code_lines,
            100.0 * self.wrapped_code_lines as f32 / self.code_lines.max(1) as f32
        );
        let _ = writeln!(
            out,
            "- text lines {}, ending in a hyphen {} ({:.1} %), longest run {}, beside an apostrophe {}",
            self.text_lines,
            self.hyphenated_lines,
            self.hyphen_share(),
            self.longest_hyphen_run,
            self.apostrophe_breaks
        );
        let mut hist = String::new();
        let mut low = 0.0;
        for (k, n) in self.space_histogram.iter().enumerate() {
            let share = 100.0 * *n as f32 / self.justified_lines.max(1) as f32;
            match SPACE_BUCKETS.get(k) {
                Some(high) => {
                    let _ = write!(hist, "{low:.2}–{high:.2}: {share:.1} %; ");
                    low = *high;
                }
                None => {
                    let _ = write!(hist, "≥ {low:.2}: {share:.1} %");
                }
            }
        }
        let _ = writeln!(
            out,
            "- justified lines {}, mean word space {:.3} em; by mean space (em): {hist}",
            self.justified_lines, self.mean_space
        );
        if !self.loose_lines.is_empty() {
            let _ = writeln!(
                out,
                "- loose lines (mean space ≥ {LOOSE} em) {}, e.g. {}",
                self.loose_lines.len(),
                self.loose_lines
                    .iter()
                    .take(4)
                    .map(|(p, m, t)| format!("p{p} {m:.2} em “{t}”"))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
        let (n, mean, min, max) = self.code_spaces;
        let _ = writeln!(
            out,
            "- inline code {:.2} pt: {n} spaces, mean {mean:.2} pt (min {min:.2}, max {max:.2}); the font's own space {:.2} pt; {} spaces ({:.0} %) at it",
            self.inline_code_size,
            self.code_space_natural,
            self.code_spaces_at_natural,
            100.0 * self.code_spaces_at_natural as f32 / n.max(1) as f32
        );
        let _ = writeln!(
            out,
            "- pages under 90 % full mid-chapter {}: {}",
            self.short_pages.len(),
            self.short_pages
                .iter()
                .map(|s| format!(
                    "p{} {:.0} % ({:?}{})",
                    s.page,
                    s.fill * 100.0,
                    s.next,
                    if s.table_fitted { ", would fit" } else { "" }
                ))
                .collect::<Vec<_>>()
                .join(", ")
        );
        out
    }
}
