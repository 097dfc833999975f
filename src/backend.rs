//! The contract between the document tree and an output format: a backend
//! renders a whole book in memory; the driver ([`crate::build`]) decides whether
//! to write it, so a failed render never touches the output folder.

use crate::config::BookConfig;
use crate::diag::{DiagResult, Sink};
use crate::ir::Book;
use crate::source::Sources;
use std::path::Path;

/// Everything a backend may read. Plain data; backends never touch the file
/// system except through what is listed here.
pub struct RenderContext<'a> {
    /// The document tree.
    pub book: &'a Book,
    /// `book.toml` as written, for format-specific settings.
    pub config: &'a BookConfig,
    /// The canonical book folder (stylesheets and fonts are confined to it).
    pub root: &'a Path,
    /// Source files, for backends that report positions.
    pub sources: &'a Sources,
    /// The build timestamp (seconds since the epoch), from `SOURCE_DATE_EPOCH`
    /// when set, so outputs are reproducible.
    pub date: i64,
    /// When one build makes both formats: where the PDF backend leaves the
    /// print page map and the EPUB backend takes it (see [`crate::pagemap`]).
    pub print_pages: Option<&'a crate::pagemap::PageMapSlot>,
}

/// A rendered output file, not yet written.
#[derive(Debug, Clone)]
pub struct Artifact {
    /// File name inside the output folder (`<slug>.epub`).
    pub file_name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Number of pages, for paged formats.
    pub pages: Option<usize>,
    /// Stages the backend timed itself (the PDF's layout and write); when
    /// empty, the driver reports the whole render as one stage.
    pub stages: Vec<crate::timing::StageTime>,
    /// Lines `--verbose` prints about the file (the PDF's fonts).
    pub details: Vec<String>,
}

/// An output format.
pub trait Backend: Sync {
    /// Short name (`epub`, `pdf`), as used by `--format`.
    fn name(&self) -> &'static str;
    /// Renders the book. Problems go to `sink`; `Err` means nothing usable was made.
    fn render(&self, cx: &RenderContext<'_>, sink: &mut Sink) -> DiagResult<Artifact>;
}
