//! The driver: load → parse → render every requested format in memory → write
//! them all atomically, or nothing at all when the book has errors.

use crate::backend::{Backend, RenderContext};
use crate::diag::{Diagnostic, Severity, Sink};
use crate::pdf::Profile;
use crate::progress::Progress;
use crate::source::Sources;
/// Wall and CPU time of one stage ([`BuildReport::stages`]).
pub use crate::timing::StageTime;
use crate::timing::{self, Stopwatch};
use crate::{epub, manuscript, output, parse, pdf};
use std::path::PathBuf;
use std::sync::Arc;
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
    /// A wider folder chapters, includes and images may be read from
    /// (`--root`); `None`: the book folder only.
    pub root: Option<PathBuf>,
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
    /// Folders of fonts from the command line (`--font-path`), for
    /// characters the print style's fonts lack.
    pub font_paths: Vec<PathBuf>,
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
    /// Warnings its backend gave.
    pub warnings: usize,
    /// What `--verbose` prints about it (the PDF's fonts, the EPUB's print pages).
    pub details: Vec<String>,
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
    run(opts, false, &mut Session::default())
}

/// Builds the requested formats and writes them to the output folder, in
/// `session`: `&mut Session::default()` for a one-off build,
/// [`Session::watching`] to keep work for the next build, and
/// [`Session::reporting`] for progress.
pub fn build(opts: &BuildOptions, session: &mut Session) -> BuildReport {
    run(opts, true, session)
}

/// How builds run beyond what they build: the work kept between builds of
/// one book, so `folio watch` rebuilds only what changed (parsed chapters,
/// highlighted code, loaded fonts, shaped words), and where progress goes.
///
/// `Session::default()` is a one-off, silent build's: it keeps nothing beyond
/// what the build needs; [`Session::watching`] keeps everything.
pub struct Session {
    keep: bool,
    /// The process ends after this session's one build ([`Session::exiting`]).
    exits: bool,
    progress: Arc<dyn Progress>,
    parse: parse::ParseCache,
    highlight: crate::highlight::HighlightCache,
    pdf: Option<pdf::PdfBackend>,
    epub: epub::KeepingEpubBackend,
    cover: crate::cover::CoverCache,
}

impl Default for Session {
    fn default() -> Session {
        Session {
            keep: false,
            exits: false,
            progress: Arc::new(crate::progress::Silent),
            parse: parse::ParseCache::default(),
            highlight: crate::highlight::HighlightCache::default(),
            pdf: None,
            epub: epub::KeepingEpubBackend::default(),
            cover: crate::cover::CoverCache::default(),
        }
    }
}

impl Session {
    /// A session that keeps work from build to build (`folio watch`).
    pub fn watching() -> Session {
        Session {
            keep: true,
            parse: parse::ParseCache::watching(),
            ..Session::default()
        }
    }

    /// A session for the one build of a process that ends right after it
    /// (`folio build`): the book, the manuscript, the laid-out pages and the
    /// rendered files are not freed piece by piece once written — the OS
    /// takes the memory back at exit at once (BENCHMARKS.md, "exit"). Only
    /// for one build: a session that built again would keep each build's.
    pub fn exiting(self) -> Session {
        Session {
            exits: true,
            keep: false,
            ..self
        }
    }

    /// The session, reporting each build's progress to `progress`.
    pub fn reporting(self, progress: Arc<dyn Progress>) -> Session {
        Session { progress, ..self }
    }

    /// Tells the session which files changed since the last build. Parsed
    /// chapters and highlighted code are checked against their text anyway;
    /// fonts are loaded once per style, so a changed font file drops the
    /// PDF's fonts and everything made with them.
    pub fn files_changed(&mut self, paths: &[PathBuf]) {
        let is_font = |p: &PathBuf| {
            p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                ["ttf", "otf", "ttc", "otc"].contains(&e.to_ascii_lowercase().as_str())
            })
        };
        if paths.iter().any(is_font) {
            self.pdf = None;
        }
    }
}

fn run(opts: &BuildOptions, write: bool, session: &mut Session) -> BuildReport {
    let progress = Arc::clone(&session.progress);
    let mut sources = Sources::new(&opts.display_base);
    let mut sink = Sink::new();
    let mut record = Record::default();
    let written = pipeline(
        opts,
        write,
        &mut sources,
        &mut sink,
        &mut record,
        progress.as_ref(),
        session,
    )
    .unwrap_or_default();
    let Record { levels, stages } = record;
    // `[lint]` levels: silenced lints disappear, denied ones become errors.
    let diagnostics = crate::lint::apply_levels(&levels, sink.take());
    sink.extend(diagnostics);
    let failed = sink.has_errors();
    BuildReport {
        sources,
        diagnostics: sink.take(),
        written,
        failed,
        stages,
    }
}

/// What a run records besides its diagnostics: the book's `[lint]` levels
/// (applied once every diagnostic is in) and the time of each stage.
#[derive(Default)]
struct Record {
    levels: std::collections::BTreeMap<String, crate::diag::LintLevel>,
    stages: Vec<StageTime>,
}

fn pipeline(
    opts: &BuildOptions,
    write: bool,
    sources: &mut Sources,
    sink: &mut Sink,
    record: &mut Record,
    progress: &dyn Progress,
    session: &mut Session,
) -> Option<Vec<Written>> {
    let levels = &mut record.levels;
    let stages = &mut record.stages;
    let watch = Stopwatch::start();
    progress.step("reading the manuscript");
    crate::breadcrumb::enter(
        "load",
        "loading the book in",
        Some(opts.book_dir.display().to_string()),
    );
    let ms = manuscript::load(&opts.book_dir, opts.root.as_deref(), sources, sink).ok()?;
    crate::breadcrumb::know_sources(sources);
    progress.step(&format!("parsing {} chapters", ms.entries.len()));
    levels.clone_from(&ms.config.lint);
    let mut no_parse_cache = parse::ParseCache::default();
    let parse_cache = if session.keep {
        &mut session.parse
    } else {
        &mut no_parse_cache
    };
    // A one-off build that writes starts highlighting as chapters are
    // parsed (`folio watch` keeps tokens between builds instead).
    let ahead = (write && !session.keep).then(crate::highlight::Ahead::start);
    let book = parse::book_observed(&ms, sources, sink, Some(parse_cache), &mut |blocks| {
        if let Some(ahead) = &ahead {
            ahead.blocks(blocks);
        }
    })
    .ok();
    drop(no_parse_cache);
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
        crate::cover::check_authors_cover(&book, &ms.config, sources, sink);
        lints(&ms, &book, sources, sink);
        preflight(opts, &ms, &book, sources, sink);
        return Some(Vec::new());
    }
    crate::breadcrumb::enter("highlight", "highlighting code", None);
    timing::stage(stages, "highlight", || {
        if session.keep {
            crate::highlight::book(&mut book, Some(&mut session.highlight));
        } else if let Some(ahead) = ahead {
            crate::highlight::book_ahead(&mut book, ahead);
        } else {
            crate::highlight::book(&mut book, None);
        }
    });
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
    // A cover for every book: the author's is checked, a missing one made
    // (after the build date, which comes from the author's files only).
    timing::stage(stages, "cover", || {
        crate::cover::ensure(
            &mut book,
            &ms.config,
            &ms.root,
            sources,
            sink,
            &mut session.cover,
        );
    });
    let profile = pdf::profile(opts.profile, &ms.config, sink, Some(ms.config_source));
    let backends = backends(opts.format, profile, &opts.font_paths, session);
    // Both formats: the EPUB takes the print page numbers from the PDF's
    // layout (and renders while the PDF is written).
    let page_map = crate::pagemap::PageMapSlot::default();
    let cx = RenderContext {
        book: &book,
        config: &ms.config,
        root: &ms.root,
        sources,
        date,
        print_pages: (opts.format == Format::All).then_some(&page_map),
    };
    let out_dir = if opts.out_dir.is_absolute() {
        opts.out_dir.clone()
    } else {
        opts.display_base.join(&opts.out_dir)
    };
    // The backends only read the tree: render them side by side. Stage CPU
    // times then overlap (they are the process's), wall times do not.
    let rendering = std::sync::atomic::AtomicUsize::new(backends.len());
    let outcomes: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = backends
            .iter()
            .map(|backend| {
                let (cx, rendering, out_dir) = (&cx, &rendering, &out_dir);
                progress.step(&format!("rendering the {}", backend.name().to_uppercase()));
                scope.spawn(move || {
                    // However the PDF's render ends, the EPUB stops waiting.
                    let _release = crate::pagemap::SlotGuard(
                        cx.print_pages.filter(|_| backend.name() == "pdf"),
                    );
                    let started = Instant::now();
                    let watch = Stopwatch::start();
                    let mut backend_sink = Sink::new();
                    let result = backend.render(cx, &mut backend_sink);
                    let (elapsed, stage) = (started.elapsed(), watch.stop(backend.name()));
                    // An artifact done while another still renders goes to
                    // disk now (the disk works meanwhile), into a folder
                    // that exists already (a failed build makes none); the
                    // last one is written in the write stage. Either way it
                    // replaces the old file only when every artifact is
                    // written.
                    let others = rendering.fetch_sub(1, std::sync::atomic::Ordering::AcqRel) > 1
                        && out_dir.is_dir();
                    let clean = !backend_sink.has_errors()
                        && !(strict && backend_sink.count(crate::diag::Severity::Warning) > 0);
                    let staged = match &result {
                        Ok(artifact) if others && clean => {
                            Some(output::stage(out_dir, &artifact.file_name, &artifact.bytes))
                        }
                        _ => None,
                    };
                    (result, backend_sink, elapsed, stage, staged)
                })
            })
            .collect();
        crate::threads::join_all(handles)
    });
    let mut rendered = Vec::new();
    let mut staged = Vec::new();
    let mut failed = false;
    for (mut result, mut backend_sink, elapsed, fallback_stage, early) in outcomes {
        match &mut result {
            Ok(artifact) if !artifact.stages.is_empty() => stages.append(&mut artifact.stages),
            _ => stages.push(fallback_stage),
        }
        if strict {
            backend_sink.make_strict();
        }
        let ok = !backend_sink.has_errors();
        let backend_warnings = backend_sink.count(crate::diag::Severity::Warning);
        sink.extend(backend_sink.take());
        match result {
            Ok(artifact) if ok => {
                if let Some(pages) = artifact.pages {
                    progress.step(&format!("laid out {pages} pages"));
                }
                rendered.push((artifact, elapsed, backend_warnings));
                staged.push(early);
            }
            _ => failed = true,
        }
    }
    if failed {
        return None;
    }
    if sink.has_errors() {
        return None;
    }
    crate::breadcrumb::enter("write", "writing to", Some(sources.display(&out_dir)));
    let watch = Stopwatch::start();
    for (artifact, _, _) in &rendered {
        progress.step(&format!("writing {}", artifact.file_name));
    }
    let files: Vec<(&str, &[u8])> = rendered
        .iter()
        .map(|(a, _, _)| (a.file_name.as_str(), a.bytes.as_slice()))
        .collect();
    let result = output::write_rest_atomic(&out_dir, &files, staged);
    stages.push(watch.stop("write"));
    let written = match result {
        Ok(paths) => Some(
            paths
                .into_iter()
                .zip(&rendered)
                .map(|(path, (artifact, elapsed, warnings))| Written {
                    path,
                    size: artifact.bytes.len() as u64,
                    pages: artifact.pages,
                    elapsed: *elapsed,
                    warnings: *warnings,
                    details: artifact.details.clone(),
                })
                .collect(),
        ),
        Err(failure) => {
            sink.push(write_failure(&out_dir, &failure, sources));
            None
        }
    };
    if session.exits {
        // Everything is written and the process ends next (`folio build`):
        // freeing the tree, the manuscript and the files' bytes one
        // allocation at a time would only delay the exit.
        std::mem::forget(rendered);
        std::mem::forget(book);
        std::mem::forget(ms);
    }
    written
}

/// A write error as a sentence the author can act on; the previous
/// artifacts are always intact (see [`output::write_rest_atomic`]).
fn write_failure(
    out_dir: &std::path::Path,
    failure: &output::WriteFailure,
    sources: &Sources,
) -> Diagnostic {
    use std::io::ErrorKind as K;
    let file = sources.display(&failure.path);
    let folder = sources.display(out_dir);
    let kind = failure.error.kind();
    // tempfile adds the temporary file's name to its errors: not for authors.
    let text = failure.error.to_string();
    let e = text.split(" at path ").next().unwrap_or(&text);
    let (why, help) = match kind {
        K::NotADirectory if out_dir.exists() && !out_dir.is_dir() => (
            format!("the output folder `{folder}` is a file"),
            "remove or rename that file, or pass another folder with --out",
        ),
        K::NotADirectory => (
            format!("a part of the output folder `{folder}` is a file"),
            "remove or rename that file, or pass another folder with --out",
        ),
        K::IsADirectory => (
            format!("a folder named `{file}` is in the way"),
            "remove or rename that folder, or pass another folder with --out",
        ),
        K::PermissionDenied | K::ReadOnlyFilesystem => (
            format!("the output folder `{folder}` is not writable ({e})"),
            "make it writable, or pass another folder with --out",
        ),
        K::StorageFull | K::FileTooLarge | K::QuotaExceeded => (
            format!("there is not enough space ({e})"),
            "free some space (or raise the file size limit), or pass another folder with --out",
        ),
        _ => (
            e.to_string(),
            "check that the output folder is writable and the disk has space",
        ),
    };
    Diagnostic::error(None, format!("cannot write `{file}`: {why}"))
        .with_help(help)
        .with_help("nothing was replaced: the previous files are as they were, and no temporary file was left")
}

/// The backends for a format request.
fn backends<'s>(
    format: Format,
    profile: Profile,
    font_paths: &[PathBuf],
    session: &'s mut Session,
) -> Vec<&'s dyn Backend> {
    static EPUB: epub::EpubBackend = epub::EpubBackend;
    if session.pdf.as_ref().is_some_and(|p| p.profile != profile) {
        session.pdf = None;
    }
    let (keep, exits) = (session.keep, session.exits);
    let pdf: &dyn Backend = session.pdf.get_or_insert_with(|| {
        let backend = if keep {
            pdf::PdfBackend::keeping(profile)
        } else {
            pdf::PdfBackend::new(profile)
        };
        backend.with_font_paths(font_paths).exiting(exits)
    });
    let epub: &dyn Backend = if keep { &session.epub } else { &EPUB };
    match format {
        Format::Epub => vec![epub],
        Format::Pdf => vec![pdf],
        Format::All => vec![epub, pdf],
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

/// What `folio check` does beyond reading the book so that it fails
/// wherever `build` would: the build date, the PDF profile, the EPUB's
/// stylesheet and the files it names, the PDF's print style, fonts and
/// hyphenation exceptions, and each SVG converted as the PDF writer would
/// (nothing laid out, nothing written).
fn preflight(
    opts: &BuildOptions,
    ms: &manuscript::Manuscript,
    book: &crate::ir::Book,
    sources: &Sources,
    sink: &mut Sink,
) {
    let inputs: Vec<PathBuf> = sources
        .iter()
        .map(|(_, f)| f.path.clone())
        .chain(book.assets.iter().map(|a| a.path.clone()))
        .collect();
    if let Err(why) = output::build_date(opts.source_date_epoch.as_deref(), &inputs) {
        sink.push(
            Diagnostic::error(None, why)
                .with_help("unset it or give whole seconds since 1970-01-01"),
        );
    }
    pdf::profile(opts.profile, &ms.config, sink, Some(ms.config_source));
    let cx = RenderContext {
        book,
        config: &ms.config,
        root: &ms.root,
        sources,
        date: 0,
        print_pages: None,
    };
    if matches!(opts.format, Format::Epub | Format::All) {
        let _ = epub::style::stylesheet(&cx, sink);
    }
    if matches!(opts.format, Format::Pdf | Format::All) {
        pdf::check(&cx, sink);
    }
}

/// `folio check`'s lints, measured against the book's print style (code
/// columns and image widths depend on it).
fn lints(ms: &manuscript::Manuscript, book: &crate::ir::Book, sources: &Sources, sink: &mut Sink) {
    let cx = RenderContext {
        book,
        config: &ms.config,
        root: &ms.root,
        sources,
        date: 0,
        print_pages: None,
    };
    let measures = pdf::print_measures(&cx);
    let lint_cx = crate::lint::LintContext {
        book,
        sources,
        smart_punctuation: ms.config.typography.smart_punctuation,
        code_columns: measures.code_columns,
        full_width_pixels: measures.full_width_pixels,
    };
    crate::lint::run(&lint_cx, sink);
}
