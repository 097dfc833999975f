//! Loading a book folder: `book.toml`, the chapter order (`chapters`, then
//! `SUMMARY.md`, then file names), each chapter's text and front matter. Every
//! path is confined to the book folder, or to the wider folder `--root` names
//! ([`paths::Fence`]).

pub mod front_matter;
pub mod include;
pub mod paths;
pub mod summary;

use crate::config::{self, BookConfig};
use crate::diag::{DiagResult, Diagnostic, Failed, Sink, Span, suggest};
use crate::ir::Metadata;
use crate::source::{ReadError, SourceId, Sources, decode_utf8};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A loaded, not yet parsed, book.
#[derive(Debug, Clone)]
pub struct Manuscript {
    /// Canonical book folder (the one holding `book.toml`).
    pub root: PathBuf,
    /// The folder chapters, includes and images may be read from: `root`,
    /// unless `--root` widened it.
    pub fence: paths::Fence,
    /// Canonical folder holding the chapters (`[book] src`; by default `src/`
    /// when it exists, as in mdBook, else the book folder).
    pub src: PathBuf,
    /// `book.toml` as written.
    pub config: BookConfig,
    /// `book.toml` in [`Sources`].
    pub config_source: SourceId,
    /// Validated metadata (cover not yet attached).
    pub meta: Metadata,
    /// Chapters and parts in reading order.
    pub entries: Vec<Entry>,
}

/// One chapter file or part divider in reading order.
#[derive(Debug, Clone)]
pub struct Entry {
    /// File or part.
    pub kind: EntryKind,
    /// Title from `SUMMARY.md` (the navigation title; set in the text only
    /// when the chapter does not open with a heading of its own).
    pub title_hint: Option<String>,
    /// Where that title is written (its link in `SUMMARY.md`), so its inline
    /// Markdown can be parsed.
    pub title_source: Option<Span>,
    /// Nesting depth from `SUMMARY.md`.
    pub depth: u8,
    /// Whether the chapter takes part in chapter numbering.
    pub numbered: bool,
    /// Where the entry is named (`book.toml` or `SUMMARY.md`), if anywhere.
    pub named_at: Option<Span>,
}

/// A chapter file or a part heading.
#[derive(Debug, Clone)]
pub enum EntryKind {
    /// A Markdown chapter.
    File {
        /// The chapter's text.
        source: SourceId,
        /// Its front matter and where the body starts.
        front: front_matter::Parsed,
    },
    /// A part divider from `SUMMARY.md`.
    Part {
        /// The part's title.
        title: String,
    },
}

/// Loads the book in `dir`, reading nothing outside it. Returns `Err(Failed)`
/// only when nothing sensible can follow (no `book.toml`, unparsable config,
/// no chapters); other problems are recorded in `sink` and loading goes on so
/// the author sees them all.
pub fn load(dir: &Path, sources: &mut Sources, sink: &mut Sink) -> DiagResult<Manuscript> {
    load_within(dir, None, sources, sink)
}

/// [`load`], letting chapters, includes and images be read from anywhere in
/// `wider_root` (`--root` on the command line), which must hold the book folder.
pub fn load_within(
    dir: &Path,
    wider_root: Option<&Path>,
    sources: &mut Sources,
    sink: &mut Sink,
) -> DiagResult<Manuscript> {
    let root = match dir.canonicalize() {
        Ok(root) if root.is_dir() => root,
        _ => {
            sink.push(
                Diagnostic::error(None, format!("`{}` is not a book folder", dir.display()))
                    .with_help(
                        "pass the folder that holds book.toml, or create one with `folio new`",
                    ),
            );
            return Err(Failed);
        }
    };
    let fence = match wider_root {
        None => paths::Fence {
            dir: root.clone(),
            widened: false,
        },
        Some(wider) => match wider.canonicalize() {
            Ok(dir) if dir.is_dir() && root.starts_with(&dir) => {
                paths::Fence { dir, widened: true }
            }
            Ok(other) if other.is_dir() => {
                sink.push(
                    Diagnostic::error(
                        None,
                        format!(
                            "the book folder `{}` is not inside `--root` `{}`",
                            sources.display(&root),
                            wider.display()
                        ),
                    )
                    .with_help("`--root` must be the book folder or a folder holding it"),
                );
                return Err(Failed);
            }
            _ => {
                sink.push(
                    Diagnostic::error(
                        None,
                        format!("`--root` `{}` is not a folder", wider.display()),
                    )
                    .with_help("pass a folder that holds the book folder"),
                );
                return Err(Failed);
            }
        },
    };
    let config_path = match paths::confine(&root, &root, "book.toml") {
        Ok(path) if path.is_file() => path,
        Err(e @ (paths::PathError::SymlinkEscapes | paths::PathError::Io(_))) => {
            sink.push(
                Diagnostic::error(None, e.describe("book.toml"))
                    .with_help("a book may only use files inside its own folder")
                    .with_path(sources.display(&root.join("book.toml"))),
            );
            return Err(Failed);
        }
        _ => {
            sink.push(
                Diagnostic::error(None, format!("no book.toml in `{}`", dir.display()))
                    .with_help("create one with `folio new`, or pass the folder that holds it"),
            );
            return Err(Failed);
        }
    };
    let config_source =
        read_text(&config_path, sources, sink, None, TextLimit::Config).ok_or(Failed)?;
    let config = config::parse(sources, config_source, sink).ok_or(Failed)?;
    let mut include_count = 0;
    let mut budget = TextLimit::Manuscript {
        remaining: config.limits.manuscript_bytes,
        total: config.limits.manuscript_bytes,
    }
    .after(sources.get(config_source).text.len());
    let meta = config::validate::metadata(&config, config_source, sink);
    let ignored = config.ignored_mdbook_keys();
    if !ignored.is_empty() {
        sink.push(Diagnostic::note(
            Span::file(config_source),
            format!(
                "ignoring mdBook settings folio does not use: {}",
                ignored.join(", ")
            ),
        ));
    }

    let src = match &config.book.src {
        Some(written) => {
            let span = spanned(config_source, written);
            match paths::confine(&root, &root, written.get_ref()) {
                Ok(p) if p.is_dir() => p,
                Ok(_) => {
                    sink.error(span, format!("`{}` is not a folder", written.get_ref()));
                    return Err(Failed);
                }
                Err(e) => {
                    sink.error(span, e.describe(written.get_ref()));
                    return Err(Failed);
                }
            }
        }
        // mdBook's default: `src/` when the book has one.
        None => match paths::confine(&root, &root, "src") {
            Ok(p) if p.is_dir() => p,
            Ok(_) | Err(paths::PathError::NotFound) => root.clone(),
            Err(e) => {
                sink.push(
                    Diagnostic::error(None, e.describe("src"))
                        .with_help("a book may only use files inside its own folder")
                        .with_path(sources.display(&root.join("src"))),
                );
                return Err(Failed);
            }
        },
    };

    let planned = plan_chapters(
        &root,
        &src,
        &config,
        config_source,
        sources,
        sink,
        &mut budget,
    );
    let mut entries = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    for plan in planned {
        match plan.kind {
            Planned::Part(title) => entries.push(Entry {
                kind: EntryKind::Part { title },
                title_hint: None,
                title_source: None,
                depth: plan.depth,
                numbered: plan.numbered,
                named_at: plan.named_at,
            }),
            Planned::File(written) => {
                let Some(path) =
                    confine_chapter(&fence, &src, &written, plan.named_at, sources, sink)
                else {
                    continue;
                };
                if seen.contains(&path) {
                    sink.warn(
                        plan.named_at,
                        format!("`{written}` is listed twice; only the first is used"),
                    );
                    continue;
                }
                seen.insert(path.clone());
                let Some(source) = read_text(&path, sources, sink, plan.named_at, budget) else {
                    continue;
                };
                budget = budget.after(sources.get(source).text.len());
                let mut includes = include::IncludeBudget {
                    count: include_count,
                    max: config.limits.includes,
                    max_depth: config.limits.include_depth,
                    text: &mut budget,
                };
                let expanded = include::expand(&fence, source, sources, sink, &mut includes);
                include_count = includes.count;
                let source = expanded.source;
                let mut front = front_matter::split(source, &sources.get(source).text, sink);
                // mdBook's `{{#title …}}` names the chapter unless front matter does.
                if front.front.title.is_none() {
                    front.front.title = expanded.title;
                }
                entries.push(Entry {
                    kind: EntryKind::File { source, front },
                    title_hint: plan.title,
                    title_source: plan.title_source,
                    depth: plan.depth,
                    numbered: plan.numbered,
                    named_at: plan.named_at,
                });
            }
        }
    }
    if entries.is_empty() && !sink.has_errors() {
        let help = if src == root {
            "add Markdown files next to book.toml, list them in `chapters = [...]`, or write a SUMMARY.md".to_owned()
        } else {
            format!(
                "add Markdown files to `{}`, list them in `chapters = [...]`, or write a SUMMARY.md there",
                sources.display(&src)
            )
        };
        sink.push(
            Diagnostic::error(Span::file(config_source), "the book has no chapters")
                .with_help(help),
        );
        return Err(Failed);
    }
    Ok(Manuscript {
        root,
        fence,
        src,
        config,
        config_source,
        meta,
        entries,
    })
}

fn spanned(source: SourceId, value: &toml::Spanned<String>) -> Span {
    Span::new(source, value.span().start, value.span().end)
}

struct Plan {
    kind: Planned,
    title: Option<String>,
    title_source: Option<Span>,
    depth: u8,
    numbered: bool,
    named_at: Option<Span>,
}

enum Planned {
    File(String),
    Part(String),
}

/// Chapter order: `chapters` in book.toml, else `SUMMARY.md`, else file names.
fn plan_chapters(
    root: &Path,
    src: &Path,
    config: &BookConfig,
    config_source: SourceId,
    sources: &mut Sources,
    sink: &mut Sink,
    budget: &mut TextLimit,
) -> Vec<Plan> {
    if let Some(chapters) = &config.book.chapters {
        return chapters
            .iter()
            .map(|c| Plan {
                kind: Planned::File(c.get_ref().clone()),
                title: None,
                title_source: None,
                depth: 0,
                numbered: true,
                named_at: Some(spanned(config_source, c)),
            })
            .collect();
    }
    let summary = src.join("SUMMARY.md");
    if std::fs::symlink_metadata(&summary).is_ok() {
        match paths::confine(root, src, "SUMMARY.md") {
            Ok(path) => {
                if let Some(id) = read_text(&path, sources, sink, None, *budget) {
                    *budget = budget.after(sources.get(id).text.len());
                    let max_depth = config.limits.nesting_depth;
                    return summary::parse(id, sources.get(id), max_depth, sink)
                        .into_iter()
                        .map(|e| Plan {
                            kind: match e.kind {
                                summary::EntryKind::Chapter(p) => Planned::File(p),
                                summary::EntryKind::Part => Planned::Part(e.title.clone()),
                            },
                            title: Some(e.title),
                            title_source: e.title_source,
                            depth: e.depth,
                            numbered: e.numbered,
                            named_at: Some(e.span),
                        })
                        .collect();
                }
                return Vec::new();
            }
            Err(e) => {
                sink.push(
                    Diagnostic::error(None, e.describe("SUMMARY.md"))
                        .with_help("a book may only use files inside its own folder")
                        .with_path(sources.display(&summary)),
                );
                return Vec::new();
            }
        }
    }
    markdown_files(src)
        .into_iter()
        .filter(|name| name != "SUMMARY.md" && name != "README.md")
        .map(|name| Plan {
            kind: Planned::File(name),
            title: None,
            title_source: None,
            depth: 0,
            numbered: true,
            named_at: None,
        })
        .collect()
}

/// `.md` files directly in `dir`, sorted by name (byte order, so `01-` < `02-`).
fn markdown_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".md") && !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

fn confine_chapter(
    fence: &paths::Fence,
    src: &Path,
    written: &str,
    named_at: Option<Span>,
    sources: &Sources,
    sink: &mut Sink,
) -> Option<PathBuf> {
    match paths::confine(&fence.dir, src, written) {
        Ok(path) if path.is_file() => Some(path),
        Ok(_) => {
            sink.error(named_at, format!("chapter `{written}` is not a file"));
            None
        }
        Err(paths::PathError::NotFound) => {
            let shown = sources.display(&src.join(written));
            let mut d =
                Diagnostic::error(named_at, format!("chapter file `{shown}` does not exist"));
            let dir = src
                .join(written)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| src.to_path_buf());
            let file_name = Path::new(written)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or(written);
            let candidates = markdown_files(&dir);
            if let Some(close) = suggest(file_name, candidates.iter().map(String::as_str)) {
                let prefix = Path::new(written)
                    .parent()
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let close = if prefix.is_empty() {
                    close.to_owned()
                } else {
                    format!("{prefix}/{close}")
                };
                d = d.with_help(crate::diag::did_you_mean(written, &close));
            } else {
                d = d.with_help("check the file name, or remove the entry");
            }
            sink.push(d);
            None
        }
        Err(e) => {
            let mut d =
                Diagnostic::error(named_at, fence.describe(&e, written)).with_help(fence.help());
            if named_at.is_none() {
                d = d.with_path(sources.display(&src.join(written)));
            }
            sink.push(d);
            None
        }
    }
}

/// What a text file's size counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextLimit {
    /// `book.toml` itself, read before its `[limits]` are known.
    Config,
    /// The manuscript's text budget: `remaining` of `total` bytes are left.
    Manuscript {
        /// Bytes still allowed.
        remaining: u64,
        /// `[limits] manuscript-bytes`.
        total: u64,
    },
}

impl TextLimit {
    /// The budget after a file of `bytes` was read.
    pub fn after(self, bytes: usize) -> TextLimit {
        match self {
            TextLimit::Config => TextLimit::Config,
            TextLimit::Manuscript { remaining, total } => TextLimit::Manuscript {
                remaining: remaining.saturating_sub(bytes as u64),
                total,
            },
        }
    }

    fn remaining(self) -> u64 {
        match self {
            TextLimit::Config => crate::config::limits::MAX_CONFIG_BYTES,
            TextLimit::Manuscript { remaining, .. } => remaining,
        }
    }
}

/// Reads a text file as strict UTF-8, refusing it (before reading) when it
/// is not a regular file or would go over `limit`. Invalid UTF-8 is an error
/// at the line and byte of the first bad byte (the file is registered lossily
/// so the position can be shown).
pub fn read_text(
    path: &Path,
    sources: &mut Sources,
    sink: &mut Sink,
    named_at: Option<Span>,
    limit: TextLimit,
) -> Option<SourceId> {
    use crate::config::limits::human_bytes;
    let shown = sources.display(path);
    crate::breadcrumb::enter("load", "reading", Some(shown.clone()));
    let bytes = match paths::read_limited(path, limit.remaining()) {
        Ok(b) => b,
        Err(problem) => {
            let (message, help) = match (&problem, limit) {
                (paths::ReadProblem::TooLarge { size, .. }, TextLimit::Config) => (
                    format!(
                        "`{shown}` is {}; book.toml may be at most {}",
                        human_bytes(*size),
                        human_bytes(crate::config::limits::MAX_CONFIG_BYTES)
                    ),
                    "check that this is the book's configuration file",
                ),
                (
                    paths::ReadProblem::TooLarge { size, .. },
                    TextLimit::Manuscript { remaining, total },
                ) if remaining < total && *size <= total => (
                    format!(
                        "`{shown}` ({}) would bring the book's text over the limit of {}",
                        human_bytes(*size),
                        human_bytes(total)
                    ),
                    "split the book, or raise `manuscript-bytes` in [limits] in book.toml",
                ),
                (
                    paths::ReadProblem::TooLarge { size, .. },
                    TextLimit::Manuscript { total, .. },
                ) => (
                    format!(
                        "`{shown}` is {}; the book's text may be at most {}",
                        human_bytes(*size),
                        human_bytes(total)
                    ),
                    "split the file, or raise `manuscript-bytes` in [limits] in book.toml",
                ),
                (paths::ReadProblem::NotAFile, _) => (
                    format!("`{shown}` is not a regular file"),
                    "chapters, SUMMARY.md and book.toml must be plain text files",
                ),
                (paths::ReadProblem::Io(e), _) => (
                    format!("cannot read `{shown}`: {e}"),
                    "check that the file exists and is readable",
                ),
            };
            let mut d = Diagnostic::error(named_at, message).with_help(help);
            if named_at.is_none() {
                d = d.with_path(shown);
            }
            sink.push(d);
            return None;
        }
    };
    match decode_utf8(bytes.clone()) {
        Ok(text) => Some(sources.add(path, text)),
        Err(ReadError::NotUtf8 {
            line,
            byte_column,
            byte,
        }) => {
            let lossy = String::from_utf8_lossy(&bytes).into_owned();
            let id = sources.add(path, lossy);
            let offset = valid_prefix_len(&bytes);
            sink.push(
                Diagnostic::error(
                    Span::new(id, offset, offset + 1),
                    format!("invalid UTF-8: byte 0x{byte:02X} at line {line}, byte {byte_column} is not valid UTF-8"),
                )
                .with_help("save the file as UTF-8 (your editor's \"Save with encoding\" option)"),
            );
            None
        }
        Err(ReadError::Io(e)) => {
            sink.error(named_at, format!("cannot read `{shown}`: {e}"));
            None
        }
    }
}

fn valid_prefix_len(bytes: &[u8]) -> usize {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.len(),
        Err(e) => e.valid_up_to(),
    }
}
