//! Ids folio makes up itself, which an author's ids must not take: each
//! chapter's title in the EPUB (`<chapter>-title`) and destination in the PDF
//! (`chapter:<chapter>`), footnotes and their references (`fn-<chapter>-N`,
//! `fnref-<chapter>-N`, `fnref-<chapter>-N-K`), and the PDF's contents
//! (`toc`). An explicit id that is one of them is an error at the id (the
//! EPUB would hold two elements with one id, the PDF two destinations with
//! one name); a heading slug that would be one is numbered on instead.

use std::collections::HashSet;

/// The PDF's named destination for its table of contents.
pub const CONTENTS_DEST: &str = "toc";

/// The generated ids of one book.
pub struct Reserved {
    /// Every id generated as it is (titles, destinations, note ids, first
    /// references).
    exact: HashSet<String>,
    /// Chapters that have notes, whose later references are numbered on.
    with_notes: HashSet<String>,
}

impl Reserved {
    /// The generated ids of chapters with these ids, whose notes number
    /// `note_counts[i]` at most.
    pub fn new<'a>(
        chapter_ids: impl IntoIterator<Item = &'a str>,
        note_counts: &[usize],
    ) -> Reserved {
        let mut exact = HashSet::new();
        let mut with_notes = HashSet::new();
        exact.insert(CONTENTS_DEST.to_owned());
        for (i, id) in chapter_ids.into_iter().enumerate() {
            exact.insert(format!("{id}-title"));
            exact.insert(format!("chapter:{id}"));
            let notes = note_counts.get(i).copied().unwrap_or(0);
            if notes > 0 {
                with_notes.insert(id.to_owned());
            }
            for n in 1..=notes {
                exact.insert(format!("fn-{id}-{n}"));
                exact.insert(format!("fnref-{id}-{n}"));
            }
        }
        Reserved { exact, with_notes }
    }

    /// What folio uses `id` for, if it generates it.
    pub fn what(&self, id: &str) -> Option<&'static str> {
        if id == CONTENTS_DEST {
            return Some("the PDF's table of contents");
        }
        if self.exact.contains(id) {
            return Some(if id.starts_with("fn") {
                "a footnote"
            } else {
                "a chapter title"
            });
        }
        // fnref-<chapter>-N-K: the K-th reference to note N.
        let rest = id.strip_prefix("fnref-")?;
        let mut parts = rest.rsplitn(3, '-');
        let (k, n, chapter) = (parts.next()?, parts.next()?, parts.next()?);
        let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        (numeric(k) && numeric(n) && self.with_notes.contains(chapter)).then_some("a footnote")
    }

    /// Every id generated as it is, for slugs to step around.
    pub fn exact(&self) -> impl Iterator<Item = &String> {
        self.exact.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_known() {
        let r = Reserved::new(["intro", "b"], &[2, 0]);
        assert_eq!(r.what("intro-title"), Some("a chapter title"));
        assert_eq!(r.what("chapter:b"), Some("a chapter title"));
        assert_eq!(r.what("fn-intro-2"), Some("a footnote"));
        assert_eq!(r.what("fnref-intro-1"), Some("a footnote"));
        assert_eq!(r.what("fnref-intro-1-3"), Some("a footnote"));
        assert_eq!(r.what("toc"), Some("the PDF's table of contents"));
        assert_eq!(r.what("fn-intro-3"), None);
        assert_eq!(r.what("fnref-b-1-2"), None);
        assert_eq!(r.what("function-basics"), None);
    }
}
