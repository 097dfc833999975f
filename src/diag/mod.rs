//! Diagnostics as data: every problem found while loading, parsing or rendering a
//! book is a [`Diagnostic`] collected in a [`Sink`], and only rendered to text (as
//! `file:line:col: severity: message`) at the edge, so the library never prints.

use crate::source::{SourceId, Sources};
use std::fmt::Write as _;

/// How bad a problem is. Errors stop the build; warnings do not unless `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Extra information that never fails a build (e.g. a skipped draft chapter).
    Note,
    /// Something the author should fix; the book still builds.
    Warning,
    /// The book cannot be built until this is fixed.
    Error,
}

impl Severity {
    /// The word printed before the message.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A byte range in one source file. Line and column are derived from it through
/// [`Sources`], so nodes stay small and positions can never disagree with the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    /// The file the range is in.
    pub source: SourceId,
    /// First byte of the range.
    pub start: u32,
    /// One past the last byte of the range.
    pub end: u32,
}

impl Span {
    /// A span covering `start..end` of `source`; offsets beyond 4 GiB are clamped
    /// (the manuscript size limit keeps real files far below that).
    pub fn new(source: SourceId, start: usize, end: usize) -> Span {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            source,
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }

    /// The span of a whole file, pointing at its first character; used for
    /// problems that concern a file as a whole (e.g. an empty chapter).
    pub fn file(source: SourceId) -> Span {
        Span::new(source, 0, 0)
    }

    /// The span shifted by `offset` bytes, for text parsed out of a larger file
    /// (a chapter body after its front matter).
    pub fn shifted(self, offset: usize) -> Span {
        Span::new(
            self.source,
            self.start as usize + offset,
            self.end as usize + offset,
        )
    }
}

/// One problem: what is wrong, where, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error, warning or note.
    pub severity: Severity,
    /// Where the problem is; `None` for problems with no file (e.g. an unwritable output folder).
    pub span: Option<Span>,
    /// One sentence saying what is wrong.
    pub message: String,
    /// What the author can do about it ("did you mean …", "add … to book.toml").
    pub help: Vec<String>,
    /// A stable identifier for lints, so they can be silenced in `book.toml`.
    pub code: Option<&'static str>,
    /// The file a problem is about when there is no text position in it (a
    /// file that cannot be read at all), as a display path.
    pub path: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(span: impl Into<Option<Span>>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, span.into(), message.into())
    }

    /// A warning at `span`.
    pub fn warning(span: impl Into<Option<Span>>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, span.into(), message.into())
    }

    /// A note at `span`.
    pub fn note(span: impl Into<Option<Span>>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Note, span.into(), message.into())
    }

    fn new(severity: Severity, span: Option<Span>, message: String) -> Diagnostic {
        Diagnostic {
            severity,
            span,
            message,
            help: Vec::new(),
            code: None,
            path: None,
        }
    }

    /// Adds a line telling the author what to do.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help.push(help.into());
        self
    }

    /// Names the file the problem is about, for problems without a position.
    pub fn with_path(mut self, path: impl Into<String>) -> Diagnostic {
        self.path = Some(path.into());
        self
    }

    /// Tags the diagnostic with a stable lint id.
    pub fn with_code(mut self, code: &'static str) -> Diagnostic {
        self.code = Some(code);
        self
    }

    /// `file:line:col: severity: message` followed by `  = help: …` lines: the
    /// plain form used in logs, tests and when stderr is not a terminal.
    pub fn render(&self, sources: &Sources) -> String {
        let mut out = String::new();
        if let Some(span) = self.span {
            let loc = sources.locate(span);
            let _ = write!(out, "{}:{}:{}: ", loc.path, loc.line, loc.column);
        } else if let Some(path) = &self.path {
            let _ = write!(out, "{path}: ");
        }
        let _ = write!(out, "{}: {}", self.severity.label(), self.message);
        for help in &self.help {
            let _ = write!(out, "\n  = help: {help}");
        }
        out
    }
}

/// Collects diagnostics for one run. Not an error type: a run keeps going after an
/// error where it can, so the author sees every problem at once.
#[derive(Debug, Default, Clone)]
pub struct Sink {
    diagnostics: Vec<Diagnostic>,
}

impl Sink {
    /// An empty sink.
    pub fn new() -> Sink {
        Sink::default()
    }

    /// Records a diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Records an error at `span`.
    pub fn error(&mut self, span: impl Into<Option<Span>>, message: impl Into<String>) {
        self.push(Diagnostic::error(span, message));
    }

    /// Records a warning at `span`.
    pub fn warn(&mut self, span: impl Into<Option<Span>>, message: impl Into<String>) {
        self.push(Diagnostic::warning(span, message));
    }

    /// Whether any error has been recorded.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Number of diagnostics of the given severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Turns every warning into an error, for release builds (`--strict`).
    pub fn make_strict(&mut self) {
        for d in &mut self.diagnostics {
            if d.severity == Severity::Warning {
                d.severity = Severity::Error;
            }
        }
    }

    /// The diagnostics in the order they were found.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Takes the diagnostics out, leaving the sink empty.
    pub fn take(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diagnostics)
    }

    /// Appends every diagnostic from `other`.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(other);
    }
}

/// Marker returned when a stage stopped because of errors already recorded in the
/// [`Sink`]; the diagnostics themselves say what went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failed;

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the book has errors")
    }
}

impl std::error::Error for Failed {}

/// Result of a stage whose problems are reported through a [`Sink`].
pub type DiagResult<T> = Result<T, Failed>;

/// The closest candidate to `wrong` by edit distance, when it is close enough to
/// be a plausible typo; used for "did you mean …" hints on keys, files and anchors.
/// Names are compared in Unicode's composed form, so `café` typed with a
/// combining accent finds `café` written with a precomposed one.
pub fn suggest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    use unicode_normalization::UnicodeNormalization;
    let wrong_lower: String = wrong.nfc().collect::<String>().to_lowercase();
    let limit = (wrong.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| {
            let c_lower = c.nfc().collect::<String>().to_lowercase();
            (edit_distance(&wrong_lower, &c_lower), c)
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// The help for a name that was not found but `close` was: "did you mean
/// …?", or — when the two differ only in Unicode normalisation (an accent
/// written as its own character, as macOS writes file names, or not), so that
/// they look identical — a sentence saying so.
pub fn did_you_mean(written: &str, close: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    if written != close && written.nfc().eq(close.nfc()) {
        format!(
            "`{close}` exists but is spelt differently: the two names look the same and differ in Unicode normalisation (one writes accents as separate characters); retype the name or rename the file"
        )
    } else {
        format!("did you mean `{close}`?")
    }
}

/// Edit distance over characters where swapping two neighbours counts as one
/// edit (optimal string alignment), since `titel` for `title` is the commonest typo.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = best;
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(suggest("titel", ["title", "subtitle"]), Some("title"));
        assert_eq!(suggest("autors", ["authors", "title"]), Some("authors"));
        assert_eq!(suggest("zzz", ["title", "authors"]), None);
    }

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("café", "cafe"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("titel", "title"), 1);
    }

    #[test]
    fn names_differing_in_normalisation_are_found_and_explained() {
        let nfd = "cafe\u{301}.md";
        assert_eq!(suggest(nfd, ["café.md", "other.md"]), Some("café.md"));
        assert!(did_you_mean(nfd, "café.md").contains("Unicode normalisation"));
        assert_eq!(
            did_you_mean("cafe.md", "café.md"),
            "did you mean `café.md`?"
        );
    }
}
pub mod render;
