//! Book-wide resolution after every chapter is parsed: heading ids made unique
//! across the book, footnotes numbered and linked, and links between chapters
//! turned into [`LinkTarget::Internal`]. A link that cannot be resolved is a
//! warning and becomes plain text, so the book still builds while being written.

use super::links::{self, ChapterPaths, Destination, MdbookIds};
use crate::diag::{Diagnostic, Sink, Span, suggest};
use crate::ir::{
    Block, BlockKind, Chapter, Footnote, Inline, InlineKind, LinkTarget, plain_text, walk,
};
use crate::manuscript::paths;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Anchors of one chapter: the id an author writes (`#setup`) → the book-unique id.
#[derive(Debug, Default, Clone)]
pub struct Anchors {
    local: BTreeMap<String, String>,
}

/// Context for resolving links: which file each chapter came from, and where
/// the book is published.
pub struct LinkContext<'a> {
    /// Canonical `src` folder (the root of the published book).
    pub src: &'a Path,
    /// Canonical folder the build may look into.
    pub fence: &'a Path,
    /// Canonical path of each chapter's file (`None` for parts).
    pub chapter_files: Vec<Option<PathBuf>>,
    /// The address the book is published at, ending in `/`
    /// ([`crate::config::BookConfig::published_url`]).
    pub site: Option<String>,
}

/// Assigns unique heading ids, numbers footnotes, resolves links.
pub fn resolve(
    chapters: &mut [Chapter],
    raw_notes: Vec<Vec<(String, Vec<Block>, Span)>>,
    html_ids: &[Vec<String>],
    cx: &LinkContext<'_>,
    sink: &mut Sink,
) {
    let note_counts: Vec<usize> = raw_notes.iter().map(Vec::len).collect();
    let anchors = assign_ids(chapters, html_ids, &note_counts, sink);
    for ((index, chapter), notes) in chapters.iter_mut().enumerate().zip(raw_notes) {
        number_notes(chapter, notes, sink);
        let _ = index;
    }
    let anchor_maps: Vec<Anchors> = anchors;
    let paths = ChapterPaths::new(&cx.chapter_files, cx.src, cx.fence);
    let kept = RefCell::new(Vec::new());
    for index in 0..chapters.len() {
        let mut blocks = std::mem::take(&mut chapters[index].blocks);
        let mut notes = std::mem::take(&mut chapters[index].notes);
        let resolver = Resolver {
            chapters,
            anchors: &anchor_maps,
            cx,
            paths: &paths,
            current: index,
            kept: &kept,
        };
        let mut work = |inlines: &mut Vec<Inline>| resolver.inlines(inlines, sink);
        walk::inlines_mut(&mut blocks, &mut work);
        for note in &mut notes {
            walk::inlines_mut(&mut note.blocks, &mut work);
        }
        chapters[index].blocks = blocks;
        chapters[index].notes = notes;
    }
    // One warning per target, not one per link.
    for k in kept.into_inner() {
        sink.push(k.diagnostic());
    }
}

/// Heading ids: explicit `{#id}` first (they are what links name), then slugs of
/// the heading text; an id already used elsewhere in the book gets the chapter id
/// as prefix, then a number.
fn assign_ids(
    chapters: &mut [Chapter],
    html_ids: &[Vec<String>],
    note_counts: &[usize],
    sink: &mut Sink,
) -> Vec<Anchors> {
    let reserved =
        super::reserved_ids::Reserved::new(chapters.iter().map(|c| c.id.as_str()), note_counts);
    let mut used: HashSet<String> = HashSet::new();
    // Explicit ids (and ids written in raw HTML) keep their spelling.
    for (ci, chapter) in chapters.iter().enumerate() {
        let mut explicit = Vec::new();
        walk::blocks(&chapter.blocks, &mut |b| {
            if let BlockKind::Heading { id, .. } = &b.kind {
                if !id.is_empty() {
                    explicit.push((id.clone(), b.span));
                }
            }
        });
        for id in html_ids.get(ci).into_iter().flatten() {
            explicit.push((id.clone(), chapter.span));
        }
        for (id, span) in explicit {
            if let Some(what) = reserved.what(&id) {
                sink.push(
                    Diagnostic::error(
                        span,
                        format!("the id `{id}` is the one folio gives {what}"),
                    )
                    .with_help("choose another id; two elements with one id break the EPUB and the PDF's links"),
                );
                continue;
            }
            if !used.insert(id.clone()) {
                sink.push(
                    Diagnostic::warning(span, format!("the id `{id}` is used twice in the book"))
                        .with_help(
                            "ids must be unique across the book; links to it go to the first one",
                        )
                        .with_code("duplicate-id"),
                );
            }
        }
    }
    // Names the backends give their own pages (the PDF's contents is `toc`):
    // a heading titled "toc" gets another id.
    used.insert("toc".to_owned());
    let mut all = Vec::with_capacity(chapters.len());
    // Slugs step around the ids folio generates.
    used.extend(reserved.exact().cloned());
    let mut used = Ids {
        taken: used,
        next: HashMap::new(),
        mdbook: None,
    };
    for (ci, chapter) in chapters.iter_mut().enumerate() {
        let mut anchors = Anchors::default();
        let mut local_used = Ids {
            mdbook: Some(MdbookIds::default()),
            ..Ids::default()
        };
        for id in html_ids.get(ci).into_iter().flatten() {
            anchors.local.insert(id.clone(), id.clone());
        }
        let chapter_id = chapter.id.clone();
        assign_in_blocks(
            &mut chapter.blocks,
            &chapter_id,
            &mut anchors,
            &mut local_used,
            &mut used,
        );
        all.push(anchors);
    }
    all
}

/// A set of ids that hands out `base`, then `base-1`, `base-2`…, remembering
/// the last suffix of each base so 100,000 headings titled alike stay linear.
#[derive(Default)]
struct Ids {
    taken: HashSet<String>,
    next: HashMap<String, usize>,
    /// The ids mdBook's HTML renderer gives the same headings (one page's).
    mdbook: Option<MdbookIds>,
}

impl Ids {
    /// The first of `base`, `base-N` that is free; it is taken from now on.
    fn claim(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_owned()) {
            return base.to_owned();
        }
        let n = self.next.entry(base.to_owned()).or_insert(1);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

fn assign_in_blocks(
    blocks: &mut [Block],
    chapter_id: &str,
    anchors: &mut Anchors,
    local_used: &mut Ids,
    used: &mut Ids,
) {
    for block in blocks {
        match &mut block.kind {
            BlockKind::Heading { id, content, .. } => {
                if !id.is_empty() {
                    anchors
                        .local
                        .entry(id.clone())
                        .or_insert_with(|| id.clone());
                    continue;
                }
                let text = plain_text(content);
                let base = heading_slug(&text);
                // Local id: unique within the chapter.
                let local = local_used.claim(&base);
                let global = if used.taken.contains(&local) {
                    used.claim(&format!("{chapter_id}-{local}"))
                } else {
                    used.claim(&local)
                };
                // Links written against the published mdBook name its ids.
                if let Some(mdbook) = local_used.mdbook.as_mut().map(|m| m.next(&text)) {
                    if !mdbook.is_empty() {
                        anchors
                            .local
                            .entry(mdbook)
                            .or_insert_with(|| global.clone());
                    }
                }
                anchors.local.insert(local, global.clone());
                *id = global;
            }
            _ => {
                for inner in walk::child_blocks_mut(block) {
                    assign_in_blocks(inner, chapter_id, anchors, local_used, used);
                }
            }
        }
    }
}

/// GitHub/mdBook-style heading slug: lowercase, spaces to `-`, punctuation dropped;
/// prefixed when it would not start with a letter (XML ids must not start with a digit).
pub fn heading_slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            slug.extend(c.to_lowercase());
        } else if c.is_whitespace() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-').to_owned();
    match slug.chars().next() {
        None => "section".to_owned(),
        Some(c) if !c.is_alphabetic() && c != '_' => format!("s-{slug}"),
        Some(_) => slug,
    }
}

/// Numbers footnotes by first reference; links references and definitions.
fn number_notes(chapter: &mut Chapter, defs: Vec<(String, Vec<Block>, Span)>, sink: &mut Sink) {
    let mut by_label: BTreeMap<String, (Vec<Block>, Span)> = BTreeMap::new();
    for (label, blocks, span) in defs {
        let key = label.to_lowercase();
        if by_label.contains_key(&key) {
            sink.warn(
                span,
                format!("footnote `[^{label}]` is defined twice; the first definition is used"),
            );
            continue;
        }
        by_label.insert(key, (blocks, span));
    }
    let chapter_id = chapter.id.clone();
    let mut numbering = Numbering::default();
    walk::inlines_mut(&mut chapter.blocks, &mut |i| {
        numbering.refs(i, &chapter_id, &by_label, sink)
    });
    // Notes are collected in order of first reference; references inside a
    // note (rare) extend the order as they are found.
    let mut notes = Vec::new();
    let mut i = 0;
    while i < numbering.order.len() {
        let label = numbering.order[i].clone();
        if let Some((mut blocks, span)) = by_label.get(&label).cloned() {
            walk::inlines_mut(&mut blocks, &mut |x| {
                numbering.refs(x, &chapter_id, &by_label, sink)
            });
            let number = numbering.numbers[&label].0;
            notes.push(Footnote {
                label: label.clone(),
                number,
                id: format!("fn-{chapter_id}-{number}"),
                first_ref: format!("fnref-{chapter_id}-{number}"),
                blocks,
                span,
            });
        }
        i += 1;
    }
    let numbers = numbering.numbers;
    for (label, (_, span)) in &by_label {
        if !numbers.contains_key(label) {
            sink.warn(
                *span,
                format!("footnote `[^{label}]` is defined but never referenced"),
            );
        }
    }
    chapter.notes = notes;
}

/// Footnote numbers of one chapter, assigned in order of first reference.
#[derive(Default)]
struct Numbering {
    /// label → (number, references seen so far).
    numbers: HashMap<String, (u32, u32)>,
    /// Labels in order of first reference.
    order: Vec<String>,
}

impl Numbering {
    fn refs(
        &mut self,
        inlines: &mut [Inline],
        chapter_id: &str,
        defs: &BTreeMap<String, (Vec<Block>, Span)>,
        sink: &mut Sink,
    ) {
        for inline in inlines.iter_mut() {
            match &mut inline.kind {
                InlineKind::NoteRef {
                    label,
                    number,
                    note_id,
                    ref_id,
                } => {
                    let key = label.to_lowercase();
                    if !defs.contains_key(&key) {
                        sink.push(
                            Diagnostic::warning(
                                inline.span,
                                format!("footnote `[^{label}]` has no definition"),
                            )
                            .with_help(format!("add `[^{label}]: …` to this chapter")),
                        );
                        inline.kind = InlineKind::Text(format!("[^{label}]"));
                        continue;
                    }
                    let next = u32::try_from(self.numbers.len() + 1).unwrap_or(u32::MAX);
                    let order = &mut self.order;
                    let entry = self.numbers.entry(key.clone()).or_insert_with(|| {
                        order.push(key.clone());
                        (next, 0)
                    });
                    entry.1 += 1;
                    *number = entry.0;
                    *note_id = format!("fn-{chapter_id}-{}", entry.0);
                    *ref_id = if entry.1 == 1 {
                        format!("fnref-{chapter_id}-{}", entry.0)
                    } else {
                        format!("fnref-{chapter_id}-{}-{}", entry.0, entry.1)
                    };
                }
                _ => {
                    if let Some(c) = walk::child_inlines_mut(inline) {
                        self.refs(c, chapter_id, defs, sink)
                    }
                }
            }
        }
    }
}

struct Resolver<'a> {
    chapters: &'a [Chapter],
    anchors: &'a [Anchors],
    cx: &'a LinkContext<'a>,
    paths: &'a ChapterPaths<'a>,
    current: usize,
    /// Links whose text is kept, by target, reported once each at the end.
    kept: &'a RefCell<Vec<Kept>>,
}

/// Why a link's text is kept instead of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unresolved {
    /// It leaves the book's folder.
    Outside,
    /// A file the book publishes (not a chapter), with no published address.
    File,
    /// A Markdown file that is not in the book.
    NotInBook,
}

/// Links to one target whose text is kept.
struct Kept {
    key: PathBuf,
    /// The path as the first link wrote it.
    written: String,
    /// The first link.
    span: Span,
    count: usize,
    why: Unresolved,
}

impl Kept {
    fn diagnostic(&self) -> Diagnostic {
        let (links, them) = match self.count {
            1 => ("link".to_owned(), "its"),
            n => (format!("{n} links"), "their"),
        };
        let address_help = "name the address the book is published at with `url = \"https://…/\"` in [book] (or mdBook's `site-url` in [output.html]) and such links become web links";
        let (message, help) = match self.why {
            Unresolved::Outside => (
                format!(
                    "{links} to `{}` {} outside the book; {them} text is kept",
                    self.written,
                    if self.count == 1 { "points" } else { "point" }
                ),
                address_help,
            ),
            Unresolved::File => (
                format!(
                    "{links} to `{}`, which is not a chapter; {them} text is kept",
                    self.written
                ),
                address_help,
            ),
            Unresolved::NotInBook => (
                format!(
                    "{links} to `{}`, which is not a chapter of the book; {them} text is kept",
                    self.written
                ),
                "add it to SUMMARY.md (or `chapters`), or link to a chapter",
            ),
        };
        Diagnostic::warning(self.span, message).with_help(help)
    }
}

impl Resolver<'_> {
    fn inlines(&self, inlines: &mut Vec<Inline>, sink: &mut Sink) {
        let mut out = Vec::with_capacity(inlines.len());
        for mut inline in inlines.drain(..) {
            match &mut inline.kind {
                InlineKind::Link {
                    target, content, ..
                } => {
                    self.inlines(content, sink);
                    if let LinkTarget::Unresolved(dest) = target {
                        match self.link(dest, inline.span, sink) {
                            Some(resolved) => *target = resolved,
                            None => {
                                out.append(content);
                                continue;
                            }
                        }
                    }
                }
                InlineKind::PageRef { target } => {
                    if let LinkTarget::Unresolved(dest) = target {
                        match self.link(dest, inline.span, sink) {
                            Some(resolved) => *target = resolved,
                            // Warned about; a page reference to nothing prints nothing.
                            None => continue,
                        }
                    }
                }
                _ => {
                    if let Some(c) = walk::child_inlines_mut(&mut inline) {
                        self.inlines(c, sink)
                    }
                }
            }
            out.push(inline);
        }
        *inlines = out;
    }

    fn link(&self, dest: &str, span: Span, sink: &mut Sink) -> Option<LinkTarget> {
        let (path, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        let chapter = if path.is_empty() {
            self.current
        } else {
            let base = self.cx.chapter_files[self.current]
                .as_deref()
                .and_then(Path::parent)
                .unwrap_or(self.cx.src);
            let decoded = paths::percent_decode(path);
            match self.paths.locate(base, &decoded) {
                Destination::Chapter(i) => i,
                Destination::File {
                    key,
                    from_src,
                    markdown,
                } => {
                    // mdBook publishes the book's other files beside the
                    // chapters: on the web they are there.
                    if let (Some(site), false) = (&self.cx.site, markdown) {
                        return Some(LinkTarget::External(links::web_address(
                            site, &from_src, fragment,
                        )));
                    }
                    self.unresolved(
                        key,
                        path,
                        span,
                        if markdown {
                            Unresolved::NotInBook
                        } else {
                            Unresolved::File
                        },
                    );
                    return None;
                }
                Destination::Outside { key, from_src } => {
                    if let Some(site) = &self.cx.site {
                        return Some(LinkTarget::External(links::web_address(
                            site, &from_src, fragment,
                        )));
                    }
                    self.unresolved(key, path, span, Unresolved::Outside);
                    return None;
                }
                Destination::Missing => {
                    let mut d = Diagnostic::warning(span, format!("link to missing file `{path}`"));
                    let names: Vec<String> = self
                        .cx
                        .chapter_files
                        .iter()
                        .flatten()
                        .filter_map(|f| f.strip_prefix(base).ok())
                        .map(|p| p.to_string_lossy().into_owned())
                        .collect();
                    if let Some(close) = suggest(&decoded, names.iter().map(String::as_str)) {
                        d = d.with_help(crate::diag::did_you_mean(&decoded, close));
                    }
                    sink.push(d);
                    return None;
                }
                Destination::Refused(e) => {
                    sink.warn(span, format!("link {}", e.describe(path)));
                    return None;
                }
            }
        };
        let anchor = match fragment.filter(|f| !f.is_empty()) {
            None => None,
            Some(fragment) => {
                let fragment = paths::percent_decode(fragment);
                match self.anchors[chapter].local.get(&fragment) {
                    Some(id) => Some(id.clone()),
                    None => {
                        // As in a browser, the link still opens the chapter.
                        let file = self.chapter_name(chapter);
                        let mut d = Diagnostic::warning(
                            span,
                            format!("no anchor `#{fragment}` in {file}; the link opens its start"),
                        );
                        if let Some(close) = suggest(
                            &fragment,
                            self.anchors[chapter].local.keys().map(String::as_str),
                        ) {
                            d = d.with_help(format!("did you mean `#{close}`?"));
                        }
                        sink.push(d);
                        None
                    }
                }
            }
        };
        Some(LinkTarget::Internal { chapter, anchor })
    }

    /// Notes a link whose text is kept, to be reported once per target.
    fn unresolved(&self, key: PathBuf, written: &str, span: Span, why: Unresolved) {
        let mut kept = self.kept.borrow_mut();
        match kept.iter_mut().find(|k| k.key == key) {
            Some(k) => k.count += 1,
            None => kept.push(Kept {
                key,
                written: written.to_owned(),
                span,
                count: 1,
                why,
            }),
        }
    }

    fn chapter_name(&self, chapter: usize) -> String {
        self.cx.chapter_files[chapter]
            .as_deref()
            .and_then(Path::file_name)
            .map(|n| format!("`{}`", n.to_string_lossy()))
            .unwrap_or_else(|| format!("chapter `{}`", self.chapters[chapter].id))
    }
}

#[cfg(test)]
mod tests {
    use super::heading_slug;

    #[test]
    fn slugs_like_mdbook() {
        assert_eq!(heading_slug("What Is Serverless?"), "what-is-serverless");
        assert_eq!(heading_slug("Django/Flask"), "djangoflask");
        assert_eq!(heading_slug("1991 and after"), "s-1991-and-after");
        assert_eq!(heading_slug("Über  café"), "über-café");
        assert_eq!(heading_slug("???"), "section");
    }
}
