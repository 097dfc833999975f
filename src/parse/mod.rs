//! Manuscript → [`ir::Book`]: each chapter's Markdown (and the raw HTML in
//! it) parsed into the tree, images loaded, then ids, footnotes and links
//! resolved across the whole book.

pub mod assets;
pub(crate) mod density;
pub(crate) mod html;
pub(crate) mod links;
pub mod markdown;
pub(crate) mod reserved_ids;
pub(crate) mod resolve;
pub(crate) mod svg_check;
mod titles;
pub(crate) mod weight;

use crate::config::validate::slugify;
use crate::diag::{DiagResult, Diagnostic, Failed, Sink, Span};
use crate::ir::{self, Block, BlockKind, Book, Chapter, Inline, InlineKind, Role};
use crate::manuscript::{EntryKind, Manuscript};
use crate::source::Sources;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Parsed chapter bodies kept between builds (`folio watch`), by file,
/// text and settings: an unchanged chapter is not parsed again.
#[derive(Default)]
pub struct ParseCache {
    /// Whether bodies are kept for a next build: a one-off build parses
    /// each chapter straight into the book (keeping it would mean hashing
    /// every chapter's text and copying every parsed body).
    keep: bool,
    bodies: std::collections::HashMap<CacheKey, markdown::ParsedBody>,
    /// Keys used by the current build; the rest are dropped at its end.
    used: HashSet<CacheKey>,
    /// The last build's image verdicts, when kept ([`ParseCache::watching`]).
    verdicts: Option<assets::Verdicts>,
}

type CacheKey = (crate::source::SourceId, [u8; 16], usize, bool, u32);

impl ParseCache {
    /// A cache that also keeps the decoder's verdict on each image by its
    /// bytes (`folio watch`); a one-off build would only hash them.
    pub fn watching() -> ParseCache {
        ParseCache {
            keep: true,
            verdicts: Some(assets::Verdicts::new()),
            ..ParseCache::default()
        }
    }

    fn get_or_parse(
        &mut self,
        source: crate::source::SourceId,
        text: &str,
        offset: usize,
        smart: bool,
        max_depth: u32,
    ) -> markdown::ParsedBody {
        let parse = || {
            markdown::parse(
                source,
                &text[offset..],
                offset,
                markdown::ParseOptions {
                    smart_punctuation: smart,
                    max_depth,
                },
            )
        };
        if !self.keep {
            return parse();
        }
        let key = (
            source,
            crate::digest::digest(&[text.as_bytes()]),
            offset,
            smart,
            max_depth,
        );
        self.used.insert(key);
        self.bodies.entry(key).or_insert_with(parse).clone()
    }
}

/// Parses and resolves every chapter of a loaded manuscript; with a `cache`
/// (`folio watch`), reusing the bodies of chapters that did not change.
pub fn book(
    ms: &Manuscript,
    sources: &Sources,
    sink: &mut Sink,
    cache: Option<&mut ParseCache>,
) -> DiagResult<Book> {
    book_observed(ms, sources, sink, cache, &mut |_| {})
}

/// [`book`], showing `observe` each chapter's blocks (and each footnote's)
/// as soon as they are parsed, while the rest of the book still is: the
/// build starts highlighting their code there (`highlight::Ahead`).
pub fn book_observed(
    ms: &Manuscript,
    sources: &Sources,
    sink: &mut Sink,
    cache: Option<&mut ParseCache>,
    observe: &mut dyn FnMut(&[Block]),
) -> DiagResult<Book> {
    let mut one_off = ParseCache::default();
    let cache = cache.unwrap_or(&mut one_off);
    cache.used.clear();
    let book = parse_all(ms, sources, sink, cache, observe);
    let used = std::mem::take(&mut cache.used);
    cache.bodies.retain(|key, _| used.contains(key));
    book
}

fn parse_all(
    ms: &Manuscript,
    sources: &Sources,
    sink: &mut Sink,
    cache: &mut ParseCache,
    observe: &mut dyn FnMut(&[Block]),
) -> DiagResult<Book> {
    let smart = ms.config.typography.smart_punctuation;
    let mut chapters = Vec::with_capacity(ms.entries.len());
    let mut files: Vec<Option<PathBuf>> = Vec::with_capacity(ms.entries.len());
    let mut raw_notes = Vec::with_capacity(ms.entries.len());
    let mut ids: HashSet<String> = HashSet::new();
    for entry in &ms.entries {
        let (chapter, notes, file) = match &entry.kind {
            EntryKind::File { source, front } => {
                crate::breadcrumb::enter_source("parse", "parsing", *source);
                let file = sources.get(*source);
                let mut body = cache.get_or_parse(
                    *source,
                    &file.text,
                    front.body_offset,
                    smart,
                    ms.config.limits.nesting_depth,
                );
                sink.extend(std::mem::take(&mut body.problems));
                observe(&body.blocks);
                for (_, blocks, _) in &body.notes {
                    observe(blocks);
                }
                if body.blocks.is_empty() && body.notes.is_empty() {
                    sink.push(
                        Diagnostic::warning(Span::file(*source), "this chapter has no text")
                            .with_help("write it, or take it out of the book until it is ready")
                            .with_lint(crate::diag::Lint::EmptyChapter),
                    );
                }
                let stem = file
                    .path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let title_heading = titles::hoist_title(&mut body.blocks);
                // The navigation title: front matter, then SUMMARY.md (as
                // mdBook shows it), then the file's own opening heading.
                let title = match &front.front.title {
                    Some(t) => text_inline(t, Span::file(*source)),
                    None => titles::summary_title(entry, sources, smart)
                        .or_else(|| {
                            title_heading
                                .then(|| titles::heading_content(&body.blocks[0]))
                                .flatten()
                        })
                        .or_else(|| first_heading(&body.blocks))
                        .unwrap_or_else(|| text_inline(&stem, Span::file(*source))),
                };
                titles::level_headings(&mut body.blocks, entry.depth, title_heading);
                let id = chapter_id(
                    front.front.id.as_deref(),
                    &stem,
                    Span::file(*source),
                    &mut ids,
                    sink,
                );
                let chapter = Chapter {
                    id,
                    title,
                    role: front.role.unwrap_or(Role::Chapter),
                    depth: entry.depth,
                    title_heading,
                    number: None,
                    blocks: body.blocks,
                    notes: Vec::new(),
                    span: Span::file(*source),
                    lang: front.lang.clone(),
                    dir: front.dir.clone(),
                };
                (chapter, body.notes, Some(file.path.clone()))
            }
            EntryKind::Part { title } => {
                let span = entry.named_at.unwrap_or(Span::file(ms.config_source));
                let id = chapter_id(None, &slugify(title), span, &mut ids, sink);
                let chapter = Chapter {
                    id,
                    title: text_inline(title, span),
                    role: Role::Part,
                    depth: 0,
                    title_heading: false,
                    number: None,
                    blocks: Vec::new(),
                    notes: Vec::new(),
                    span,
                    lang: None,
                    dir: None,
                };
                (chapter, Vec::new(), None)
            }
        };
        chapters.push((chapter, entry.numbered));
        raw_notes.push(notes);
        files.push(file);
    }
    let mut number = 0;
    let mut chapters: Vec<Chapter> = chapters
        .into_iter()
        .map(|(mut c, numbered)| {
            if numbered && c.role == Role::Chapter && c.depth == 0 {
                number += 1;
                c.number = Some(number);
            }
            c
        })
        .collect();

    let limits = &ms.config.limits;
    let mut html_ids = Vec::with_capacity(chapters.len());
    for (chapter, notes) in chapters.iter().zip(&raw_notes) {
        let mut ids = element_ids(&chapter.blocks);
        check_tables(&chapter.blocks, limits, sink);
        for (_, blocks, _) in notes {
            ids.extend(element_ids(blocks));
            check_tables(blocks, limits, sink);
        }
        html_ids.push(ids);
    }
    let all_blocks: Vec<&[Block]> = chapters
        .iter()
        .map(|c| c.blocks.as_slice())
        .chain(raw_notes.iter().flatten().map(|(_, b, _)| b.as_slice()))
        .collect();
    weight::check(&all_blocks, limits, sink);

    crate::breadcrumb::enter("resolve", "resolving links and footnotes", None);
    let cx = resolve::LinkContext {
        src: &ms.src,
        fence: &ms.fence.dir,
        site: ms.config.published_url(),
        chapter_files: files,
    };
    resolve::resolve(&mut chapters, raw_notes, &html_ids, &cx, sink);

    // After resolution, so images inside footnotes are loaded too.
    let mut loader = assets::AssetLoader::new(&ms.fence, &ms.config.limits);
    if let Some(last) = cache.verdicts.take() {
        loader = loader.with_verdicts(last);
    }
    let mut wanted: Vec<(&Path, String)> = Vec::new();
    if let Some(cover) = &ms.config.book.cover {
        wanted.push((&ms.root, cover.get_ref().clone()));
    }
    for (chapter, file) in chapters.iter_mut().zip(&cx.chapter_files) {
        let base = file.as_deref().and_then(Path::parent).unwrap_or(&ms.root);
        wanted.extend(
            assets::image_sources(chapter)
                .into_iter()
                .map(|src| (base, src)),
        );
    }
    loader.check_ahead(&wanted);
    drop(wanted);
    let mut meta = ms.meta.clone();
    if let Some(cover) = &ms.config.book.cover {
        let span = Span::new(ms.config_source, cover.span().start, cover.span().end);
        // The stores' cover rules (checked in `cover`) decide a cover's size,
        // not the 4-megapixel advice for images in the text.
        let mut cover_sink = Sink::new();
        meta.cover = loader.load(&ms.root, cover.get_ref(), span, &mut cover_sink);
        sink.extend(
            cover_sink
                .take()
                .into_iter()
                .filter(|d| d.lint != Some(crate::diag::Lint::ImageSize)),
        );
    }
    for (chapter, file) in chapters.iter_mut().zip(&cx.chapter_files) {
        let base = file.as_deref().and_then(Path::parent).unwrap_or(&ms.root);
        loader.load_chapter(chapter, base, sink);
    }
    let (assets, verdicts) = loader.into_verdicts();
    if verdicts.is_some() {
        cache.verdicts = verdicts;
    }
    if sink.has_errors() {
        return Err(Failed);
    }
    Ok(Book {
        meta,
        chapters,
        assets,
    })
}

fn text_inline(text: &str, span: Span) -> Vec<Inline> {
    vec![Inline {
        kind: InlineKind::Text(text.to_owned()),
        span,
    }]
}

/// The text of the chapter's first level-1 heading, if it opens the chapter.
fn first_heading(blocks: &[Block]) -> Option<Vec<Inline>> {
    blocks.iter().find_map(|b| match &b.kind {
        BlockKind::Heading {
            level: 1, content, ..
        } => Some(content.clone()),
        _ => None,
    })
}

/// A chapter id that is a valid XML id and file name, unique in the book.
fn chapter_id(
    given: Option<&str>,
    stem: &str,
    span: Span,
    ids: &mut HashSet<String>,
    sink: &mut Sink,
) -> String {
    let base = match given {
        Some(id) if is_xml_name(id) => id.to_owned(),
        Some(id) => {
            sink.push(
                Diagnostic::error(span, format!("chapter id `{id}` cannot be used as an id"))
                    .with_help("ids start with a letter and contain only letters, digits, `-`, `_` and `.`"),
            );
            slugify(stem)
        }
        None => {
            let slug = slugify(stem);
            if slug.starts_with(|c: char| c.is_ascii_digit()) {
                format!("ch-{slug}")
            } else {
                slug
            }
        }
    };
    let mut id = base.clone();
    let mut n = 2;
    while !ids.insert(id.clone()) {
        if given.is_some() {
            sink.error(
                span,
                format!("chapter id `{base}` is used by another chapter"),
            );
        }
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

fn is_xml_name(id: &str) -> bool {
    id.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The ids HTML elements define (`<div id>`, `<a id>`, `<figure id>`), so
/// Markdown links can target them. Heading ids are assigned in resolution.
fn element_ids(blocks: &[Block]) -> Vec<String> {
    let mut ids = Vec::new();
    ir::walk::blocks(blocks, &mut |block| {
        match &block.kind {
            BlockKind::Div { attrs, .. }
            | BlockKind::Details { attrs, .. }
            | BlockKind::BlockFigure { attrs, .. }
            | BlockKind::DefinitionList { attrs, .. } => ids.extend(attrs.id.clone()),
            BlockKind::Figure(figure) => ids.extend(figure.id.clone()),
            _ => {}
        }
        for inlines in ir::walk::own_inlines(block) {
            ir::walk::inlines(inlines, &mut |inline| match &inline.kind {
                InlineKind::Anchor { id } => ids.push(id.clone()),
                InlineKind::Span { attrs, .. } => ids.extend(attrs.id.clone()),
                _ => {}
            });
        }
    });
    ids
}

/// Tables beyond `[limits] table-columns` or `table-cells` are errors at
/// their first line: layout measures every cell against every column.
fn check_tables(blocks: &[Block], limits: &crate::config::limits::Limits, sink: &mut Sink) {
    ir::walk::blocks(blocks, &mut |block| {
        let BlockKind::Table(table) = &block.kind else {
            return;
        };
        let columns = table
            .rows
            .iter()
            .map(Vec::len)
            .chain([table.head.len(), table.align.len()])
            .max()
            .unwrap_or(0) as u64;
        let cells =
            table.head.len() as u64 + table.rows.iter().map(|r| r.len() as u64).sum::<u64>();
        let (what, key) = if columns > limits.table_columns {
            (
                format!(
                    "this table has {columns} columns, above the limit of {}",
                    limits.table_columns
                ),
                "table-columns",
            )
        } else if cells > limits.table_cells {
            (
                format!(
                    "this table has {cells} cells, above the limit of {}",
                    limits.table_cells
                ),
                "table-cells",
            )
        } else {
            return;
        };
        sink.push(Diagnostic::error(block.span, what).with_help(format!(
            "split the table; if the book really needs it, raise `{key}` in [limits] in book.toml"
        )));
    });
}
