//! The driver: load → parse → render every requested format in memory → write
//! them all atomically, or nothing at all when the book has errors.

use crate::backend::{Backend, RenderContext};
use crate::diag::{Diagnostic, Severity, Sink};
use crate::pdf::layout::book::Profile;
use crate::source::Sources;
use crate::timing::{self, StageTime, Stopwatch};
use crate::{epub, manuscript, output, parse, pdf};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Which formats to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// EPUB 3 only.
    Epub,
    /// PDF only.
    Pdf,
    /// Every format.
    All,
}

/// What the caller asked for.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The book folder (holding `book.toml`).
    pub book_dir: PathBuf,
    /// Output folder; relative paths are taken from the working directory.
    pub out_dir: PathBuf,
    /// Formats to build.
    pub format: Format,
    /// Turn warnings into errors (also `[build] strict` in book.toml).
    pub strict: bool,
    /// Base for display paths in messages (usually the working directory).
    pub display_base: PathBuf,
    /// The value of `SOURCE_DATE_EPOCH`, if set.
    pub source_date_epoch: Option<String>,
    /// PDF profile from the command line (`None`: `[pdf] profile`, else print).
    pub profile: Option<Profile>,
}

/// A file the build wrote.
#[derive(Debug, Clone)]
pub struct Written {
    /// Where it is.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// Pages, for paged formats.
    pub pages: Option<usize>,
    /// Time spent rendering it.
    pub elapsed: Duration,
}

/// Everything a run produced: diagnostics (with the sources to print them) and
/// the written files.
#[derive(Debug)]
pub struct BuildReport {
    /// Files read, for rendering diagnostics.
    pub sources: Sources,
    /// Every problem found, in order.
    pub diagnostics: Vec<Diagnostic>,
    /// Files written (empty when the build failed).
    pub written: Vec<Written>,
    /// Whether the run failed (errors, or warnings under `--strict`).
    pub failed: bool,
    /// Wall and CPU time of each stage that ran, in order (`--timings`).
    pub stages: Vec<StageTime>,
}

/// Loads, parses and resolves the book without writing anything (`folio check`).
pub fn check(opts: &BuildOptions) -> BuildReport {
    run(opts, false)
}

/// Builds the requested formats and writes them to the output folder.
pub fn build(opts: &BuildOptions) -> BuildReport {
    run(opts, true)
}

fn run(opts: &BuildOptions, write: bool) -> BuildReport {
    let mut sources = Sources::new(&opts.display_base);
    let mut sink = Sink::new();
    let mut stages = Vec::new();
    let written = pipeline(opts, write, &mut sources, &mut sink, &mut stages).unwrap_or_default();
    let failed = sink.has_errors();
    BuildReport {
        sources,
        diagnostics: sink.take(),
        written,
        failed,
        stages,
    }
}

fn pipeline(
    opts: &BuildOptions,
    write: bool,
    sources: &mut Sources,
    sink: &mut Sink,
    stages: &mut Vec<StageTime>,
) -> Option<Vec<Written>> {
    let watch = Stopwatch::start();
    let ms = manuscript::load(&opts.book_dir, sources, sink).ok()?;
    let book = parse::book(&ms, sources, sink).ok();
    stages.push(watch.stop("load+parse"));
    let strict = opts.strict || ms.config.build.strict;
    if strict {
        sink.make_strict();
    }
    let mut book = book?;
    if sink.has_errors() {
        return None;
    }
    if !write {
        return Some(Vec::new());
    }
    timing::stage(stages, "highlight", || crate::highlight::book(&mut book));
    let inputs: Vec<PathBuf> = sources
        .iter()
        .map(|(_, f)| f.path.clone())
        .chain(book.assets.iter().map(|a| a.path.clone()))
        .collect();
    let date = match output::build_date(opts.source_date_epoch.as_deref(), &inputs) {
        Ok(date) => date,
        Err(why) => {
            sink.push(
                Diagnostic::error(None, why)
                    .with_help("unset it or give whole seconds since 1970-01-01"),
            );
            return None;
        }
    };
    let profile = pdf::profile(opts.profile, &ms.config, sink, Some(ms.config_source));
    let backends = backends(opts.format, profile);
    let cx = RenderContext {
        book: &book,
        config: &ms.config,
        root: &ms.root,
        sources,
        date,
    };
    let mut rendered = Vec::new();
    for backend in &backends {
        let started = Instant::now();
        let watch = Stopwatch::start();
        let mut backend_sink = Sink::new();
        let mut result = backend.render(&cx, &mut backend_sink);
        match &mut result {
            Ok(artifact) if !artifact.stages.is_empty() => {
                stages.append(&mut artifact.stages);
            }
            _ => stages.push(watch.stop(backend.name())),
        }
        if strict {
            backend_sink.make_strict();
        }
        let ok = !backend_sink.has_errors();
        sink.extend(backend_sink.take());
        match result {
            Ok(artifact) if ok => rendered.push((artifact, started.elapsed())),
            _ => return None,
        }
    }
    if sink.has_errors() {
        return None;
    }
    let out_dir = if opts.out_dir.is_absolute() {
        opts.out_dir.clone()
    } else {
        opts.display_base.join(&opts.out_dir)
    };
    let mut written = Vec::new();
    let watch = Stopwatch::start();
    for (artifact, elapsed) in rendered {
        match output::write_atomic(&out_dir, &artifact.file_name, &artifact.bytes) {
            Ok(path) => written.push(Written {
                path,
                size: artifact.bytes.len() as u64,
                pages: artifact.pages,
                elapsed,
            }),
            Err(e) => {
                sink.push(
                    Diagnostic::error(None, format!("cannot write `{}`: {e}", out_dir.join(&artifact.file_name).display()))
                        .with_help("check that the output folder is writable and the disk has space; the previous file was left as it was"),
                );
                return None;
            }
        }
    }
    stages.push(watch.stop("write"));
    Some(written)
}

/// The backends for a format request.
fn backends(format: Format, profile: Profile) -> Vec<Box<dyn Backend>> {
    let pdf = Box::new(pdf::PdfBackend { profile });
    match format {
        Format::Epub => vec![Box::new(epub::EpubBackend)],
        Format::Pdf => vec![pdf],
        Format::All => vec![Box::new(epub::EpubBackend), pdf],
    }
}

impl BuildReport {
    /// Diagnostics rendered as plain `file:line:col: …` text, one per entry.
    pub fn rendered(&self) -> Vec<String> {
        self.diagnostics
            .iter()
            .map(|d| d.render(&self.sources))
            .collect()
    }

    /// Number of diagnostics of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}
