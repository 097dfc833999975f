//! Where the pipeline is, for the one message nobody wants to see: when folio
//! panics (a bug), the top-level handler in [`crate::cli`] reports the stage
//! and the file being processed, so the report says which chapter or image
//! to attach. Set at each stage and per chapter; cheap (one small lock, no
//! allocation for chapters: their display paths are registered once).

use crate::source::{SourceId, Sources};
use std::sync::Mutex;

/// The file a stage works on.
#[derive(Debug, Clone)]
enum File {
    None,
    Named(String),
    Source(SourceId),
}

/// What is being done and to which file.
#[derive(Debug, Clone)]
struct Crumb {
    /// What the stage is doing, for people ("parsing", "laying out").
    doing: &'static str,
    file: File,
}

thread_local! {
    /// Per thread: the EPUB and the PDF are rendered side by side, and a
    /// panic must name what its own thread was doing.
    static CURRENT: std::cell::RefCell<Option<Crumb>> = const { std::cell::RefCell::new(None) };
}
/// Display paths of the run's sources, by [`SourceId`].
static FILES: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn set(stage: &'static str, crumb: Crumb) {
    CURRENT.with(|c| *c.borrow_mut() = Some(crumb));
    crate::fault::panic_point(stage);
}

/// Records that stage `stage` (`doing`, in words) started, on `file` if any.
/// Stages: `load`, `parse`, `resolve`, `images`, `highlight`, `epub`,
/// `pdf-layout`, `pdf-chapter`, `pdf-write`, `write`.
pub fn enter(stage: &'static str, doing: &'static str, file: Option<String>) {
    let file = file.map_or(File::None, File::Named);
    set(stage, Crumb { doing, file });
}

/// Records that `stage` started on the file behind `source` (a chapter).
pub fn enter_source(stage: &'static str, doing: &'static str, source: SourceId) {
    set(
        stage,
        Crumb {
            doing,
            file: File::Source(source),
        },
    );
}

/// Registers the display paths of `sources`, for [`enter_source`].
pub fn know_sources(sources: &Sources) {
    let names = sources.iter().map(|(_, f)| f.display.clone()).collect();
    *FILES.lock().unwrap_or_else(|e| e.into_inner()) = names;
}

/// "while parsing `ch1.md`" (what the calling thread is doing), for the
/// panic message; `None` before any stage.
pub fn describe() -> Option<String> {
    let crumb = CURRENT.with(|c| c.try_borrow().ok().and_then(|c| c.clone()))?;
    let file = match crumb.file {
        File::None => None,
        File::Named(name) => Some(name),
        File::Source(id) => Some(
            FILES
                .try_lock()
                .ok()
                .and_then(|files| files.get(id.0 as usize).cloned())
                .unwrap_or_else(|| format!("source #{}", id.0)),
        ),
    };
    Some(match file {
        Some(file) => format!("while {} `{file}`", crumb.doing),
        None => format!("while {}", crumb.doing),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn describes_stage_and_file() {
        super::enter("test", "testing", Some("ch1.md".into()));
        // Other tests may set it concurrently; only the shape is checked.
        let said = super::describe().unwrap_or_default();
        assert!(said.starts_with("while "), "{said}");
    }
}
