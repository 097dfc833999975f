//! `SUMMARY.md` read the way mdBook reads it: from pulldown-cmark events, not
//! line patterns. An optional `# Title` first; prefix chapters (links in
//! paragraphs); then numbered chapters (bulleted lists, nested for sections)
//! split into parts by `# Part` headings; then suffix chapters. `---`
//! separators, HTML comments and other headings are ignored, as mdBook
//! ignores them; draft entries (`[Title]()`) are skipped with a note (their
//! sections move up to their place); text after an entry's link is ignored
//! with a note. Structures mdBook refuses (a list item that is not a link, a
//! list after the suffix chapters) are errors at `SUMMARY.md:line:col`.
//!
//! Titles are kept as written: [`Entry::title_source`] is the link's source
//! range, which the parse stage turns into inline Markdown (so a code span in
//! a title stays code).

use crate::diag::{Diagnostic, Sink, Span};
use crate::source::SourceFile;
use crate::source::SourceId;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// One chapter or part the summary names, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What the entry names.
    pub kind: EntryKind,
    /// Title as plain text (code spans keep their text, emphasis is dropped).
    pub title: String,
    /// The entry's link `[title](file.md)` (or the part's heading) in
    /// `SUMMARY.md`, for parsing the title's inline Markdown.
    pub title_source: Option<Span>,
    /// Nesting depth: 0 for chapters, 1 for their sections, and so on.
    pub depth: u8,
    /// Whether the entry is in the numbered list (not a prefix or suffix chapter).
    pub numbered: bool,
    /// Where the entry is written (the list item, or the link of a prefix or
    /// suffix chapter).
    pub span: Span,
}

/// A chapter file or a part heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// `[Title](path.md)`; the path as written (percent escapes decoded).
    Chapter(String),
    /// `# Part title`.
    Part,
}

/// Where the parser is in mdBook's grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Nothing seen yet: a `# heading` here is the summary's own title.
    Start,
    /// Links in paragraphs are prefix chapters.
    Prefix,
    /// Inside the numbered chapters (lists and parts).
    Numbered,
    /// A paragraph after the numbered chapters: suffix chapters.
    Suffix,
}

/// An open list item: what its nested entries hang under.
#[derive(Debug, Clone)]
struct OpenItem {
    /// Depth of the item's own entry.
    depth: u8,
    /// Drafts are skipped, so their sections take their place.
    draft: bool,
    /// Whether the item's link was seen (anything after it is ignored).
    linked: bool,
    /// Start of the item, for messages.
    start: usize,
    /// Text before the item's link, noted once the link is seen.
    text_before: Option<Range<usize>>,
}

/// Parses a summary. Problems go to `sink` (errors at their line and column);
/// the entries understood are returned either way.
pub fn parse(id: SourceId, file: &SourceFile, max_depth: u32, sink: &mut Sink) -> Vec<Entry> {
    let text = file.text.as_str();
    let mut p = SummaryParser {
        id,
        text,
        entries: Vec::new(),
        phase: Phase::Start,
        items: Vec::new(),
        lists: 0,
        max_depth: max_depth.clamp(1, u32::from(u8::MAX)) as usize,
        too_deep: false,
        sink,
    };
    let mut events = Parser::new_ext(text, Options::empty()).into_offset_iter();
    while let Some((event, range)) = events.next() {
        p.event(event, range, &mut events);
    }
    p.entries
}

struct SummaryParser<'t, 's> {
    id: SourceId,
    text: &'t str,
    entries: Vec<Entry>,
    phase: Phase,
    /// List items open around the current event, innermost last.
    items: Vec<OpenItem>,
    /// Lists open around the current event.
    lists: usize,
    max_depth: usize,
    /// Whether the nesting limit was reported already.
    too_deep: bool,
    sink: &'s mut Sink,
}

type Events<'t> = pulldown_cmark::OffsetIter<'t, pulldown_cmark::DefaultBrokenLinkCallback>;

impl<'t> SummaryParser<'t, '_> {
    fn span(&self, range: &Range<usize>) -> Span {
        // A block's range may start in its indentation and end after its
        // newline; messages point at its text.
        let end = self.text[..range.end.min(self.text.len())].trim_end().len();
        let start = self.text[range.start.min(end)..end]
            .find(|c: char| !c.is_whitespace())
            .map_or(range.start, |i| range.start + i);
        Span::new(self.id, start, end.max(start))
    }

    fn event(&mut self, event: Event<'t>, range: Range<usize>, events: &mut Events<'t>) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let (title, _) = collect_text(events, |e| matches!(e, TagEnd::Heading(_)));
                self.heading(level, title, range);
            }
            Event::Start(Tag::List(_)) => {
                if self.lists == 0 {
                    if self.phase == Phase::Suffix {
                        self.sink.push(
                            Diagnostic::error(
                                self.span(&range),
                                "a chapter list cannot follow the suffix chapters",
                            )
                            .with_help("move the unnumbered chapters after the list, or make them list items"),
                        );
                    }
                    self.phase = Phase::Numbered;
                }
                self.lists += 1;
            }
            Event::End(TagEnd::List(_)) => self.lists = self.lists.saturating_sub(1),
            Event::Start(Tag::Item) => {
                let depth = self.items.last().map_or(0, |i| {
                    if i.draft {
                        i.depth
                    } else {
                        i.depth.saturating_add(1)
                    }
                });
                self.items.push(OpenItem {
                    depth,
                    draft: false,
                    linked: false,
                    start: range.start,
                    text_before: None,
                });
            }
            Event::End(TagEnd::Item) => {
                if let Some(item) = self.items.pop() {
                    if let (true, Some(before)) = (item.linked, item.text_before.clone()) {
                        let text = self.text[before.clone()].trim().to_owned();
                        self.sink.push(
                            Diagnostic::note(
                                Span::new(self.id, before.start, before.end),
                                format!("`{text}` before the entry's link is ignored"),
                            )
                            .with_help(
                                "the title is what is between the brackets of `[Title](file.md)`",
                            ),
                        );
                    }
                    if !item.linked {
                        let span = self.span(&(item.start..range.end));
                        self.sink.push(
                            Diagnostic::error(span, "this SUMMARY.md entry is not a chapter link")
                                .with_help("write entries as `- [Title](file.md)`, or `- [Title]()` for a draft"),
                        );
                    }
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let (title, end) = collect_text(events, |e| matches!(e, TagEnd::Link));
                let link = range.start..end;
                self.link(&dest_url, title, link);
            }
            // A paragraph outside the lists: prefix chapters before them,
            // suffix chapters after.
            Event::Start(Tag::Paragraph) if self.lists == 0 => {
                self.phase = match self.phase {
                    Phase::Start | Phase::Prefix => Phase::Prefix,
                    Phase::Numbered | Phase::Suffix => Phase::Suffix,
                }
            }
            Event::Text(t) | Event::Code(t) => self.stray_text(&t, range),
            Event::Rule if self.phase == Phase::Start => self.phase = Phase::Prefix,
            Event::Start(
                tag @ (Tag::CodeBlock(_)
                | Tag::BlockQuote(_)
                | Tag::Table(_)
                | Tag::FootnoteDefinition(_)
                | Tag::Image { .. }),
            ) => {
                let what = match tag {
                    Tag::CodeBlock(_) => "code block",
                    Tag::BlockQuote(_) => "block quote",
                    Tag::Table(_) => "table",
                    Tag::Image { .. } => "image",
                    _ => "footnote",
                };
                skip_to_end(events);
                self.sink.push(Diagnostic::note(
                    self.span(&range),
                    format!("a {what} in SUMMARY.md is ignored"),
                ));
            }
            // Comments, emphasis around links, breaks: nothing to do.
            _ => {}
        }
    }

    fn heading(&mut self, level: HeadingLevel, title: String, range: Range<usize>) {
        let span = self.span(&range);
        if level != HeadingLevel::H1 {
            self.sink.push(Diagnostic::note(
                span,
                "only `# ` headings (parts) count in SUMMARY.md; this heading is ignored",
            ));
            return;
        }
        if self.lists > 0 {
            self.sink.push(Diagnostic::note(
                span,
                "a heading inside a list item is ignored",
            ));
            return;
        }
        match self.phase {
            // The summary's own title ("# Summary").
            Phase::Start => self.phase = Phase::Prefix,
            Phase::Suffix => self.sink.push(
                Diagnostic::error(span, "a part cannot follow the suffix chapters")
                    .with_help("move the unnumbered chapters after the last part's list"),
            ),
            Phase::Prefix | Phase::Numbered => {
                self.phase = Phase::Numbered;
                self.entries.push(Entry {
                    kind: EntryKind::Part,
                    title: title.trim().to_owned(),
                    title_source: None,
                    depth: 0,
                    numbered: true,
                    span,
                });
            }
        }
    }

    fn link(&mut self, dest: &str, title: String, link: Range<usize>) {
        let title = title.trim().to_owned();
        let numbered = self.lists > 0;
        let (depth, span) = match self.items.last_mut() {
            Some(item) if item.linked => {
                // A second link in one entry: mdBook reads only the first.
                let span = Span::new(self.id, link.start, link.end);
                self.sink.push(Diagnostic::note(
                    span,
                    "only the first link of a SUMMARY.md entry counts; this one is ignored",
                ));
                return;
            }
            Some(item) => {
                item.linked = true;
                item.draft = dest.trim().is_empty();
                let start = item.start;
                (item.depth, self.span(&(start..link.end)))
            }
            None if numbered => return, // a link in a list's own text, never here
            None => {
                if self.phase == Phase::Start {
                    self.phase = Phase::Prefix;
                }
                (0, Span::new(self.id, link.start, link.end))
            }
        };
        if dest.trim().is_empty() {
            self.sink.push(Diagnostic::note(
                span,
                format!("draft chapter `{title}` has no file yet and is skipped"),
            ));
            return;
        }
        if usize::from(depth) >= self.max_depth {
            if !self.too_deep {
                self.too_deep = true;
                self.sink.push(
                    Diagnostic::error(
                        span,
                        format!(
                            "SUMMARY.md nests sections more than {} levels deep here",
                            self.max_depth
                        ),
                    )
                    .with_help("flatten the list; if the book really needs it, raise `nesting-depth` in [limits] in book.toml"),
                );
            }
            return;
        }
        self.entries.push(Entry {
            kind: EntryKind::Chapter(crate::manuscript::paths::percent_decode(dest.trim())),
            title,
            title_source: Some(Span::new(self.id, link.start, link.end)),
            depth,
            numbered,
            span,
        });
    }

    /// Text outside a link: after an entry's link (mdBook ignores it) or
    /// around prefix and suffix chapters.
    fn stray_text(&mut self, text: &str, range: Range<usize>) {
        if text.trim().is_empty() {
            return;
        }
        let span = Span::new(self.id, range.start, range.end);
        let message = match self.items.last() {
            Some(item) if item.linked => {
                format!("`{}` after the entry's link is ignored", text.trim())
            }
            Some(_) => {
                if let Some(item) = self.items.last_mut() {
                    item.text_before.get_or_insert(range);
                }
                return;
            }
            None => format!("`{}` is not a chapter link and is ignored", text.trim()),
        };
        self.sink.push(
            Diagnostic::note(span, message)
                .with_help("the title is what is between the brackets of `[Title](file.md)`"),
        );
    }
}

/// Plain text up to the end tag `is_end` matches (code spans keep their
/// text, line breaks become spaces), and the end's offset.
fn collect_text(events: &mut Events<'_>, is_end: impl Fn(&TagEnd) -> bool) -> (String, usize) {
    let mut text = String::new();
    let mut depth = 0usize;
    for (event, range) in events.by_ref() {
        match event {
            Event::End(end) if depth == 0 && is_end(&end) => return (text, range.end),
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    (text, 0)
}

/// Skips to the end of the block just started.
fn skip_to_end(events: &mut Events<'_>) {
    let mut depth = 0usize;
    for (event, _) in events.by_ref() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return,
            Event::End(_) => depth -= 1,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Sources;

    fn run(text: &str) -> (Vec<(String, u8, bool)>, Vec<String>) {
        let mut sources = Sources::new("/");
        let id = sources.add("/SUMMARY.md", text);
        let mut sink = Sink::new();
        let entries = parse(id, sources.get(id), 32, &mut sink);
        let shape = entries
            .iter()
            .map(|e| {
                let name = match &e.kind {
                    EntryKind::Chapter(p) => format!("{p}={}", e.title),
                    EntryKind::Part => format!("part:{}", e.title),
                };
                (name, e.depth, e.numbered)
            })
            .collect();
        let messages = sink
            .diagnostics()
            .iter()
            .map(|d| d.render(&sources))
            .collect();
        (shape, messages)
    }

    #[test]
    fn mdbook_summary() {
        let (shape, notes) = run(
            "# Summary\n\n[Preface](preface.md)\n\n# Part One\n\n- [Intro](intro.md)\n  - [Setup](setup.md)\n    - [Deep](deep.md)\n  - [Draft]()\n- [Web](web.md)\n\n---\n\n[Appendix](appendix.md)\n",
        );
        assert_eq!(
            shape,
            vec![
                ("preface.md=Preface".into(), 0, false),
                ("part:Part One".into(), 0, true),
                ("intro.md=Intro".into(), 0, true),
                ("setup.md=Setup".into(), 1, true),
                ("deep.md=Deep".into(), 2, true),
                ("web.md=Web".into(), 0, true),
                ("appendix.md=Appendix".into(), 0, false),
            ]
        );
        assert_eq!(
            notes,
            ["SUMMARY.md:10:3: note: draft chapter `Draft` has no file yet and is skipped"]
        );
    }

    #[test]
    fn text_after_the_link_is_ignored_with_a_note() {
        let (shape, notes) = run(
            "- [Cancellation](part-reference/cancellation.md) (cancellation safety)\n- [Pinning](pinning.md)\n",
        );
        assert_eq!(
            shape,
            vec![
                (
                    "part-reference/cancellation.md=Cancellation".into(),
                    0,
                    true
                ),
                ("pinning.md=Pinning".into(), 0, true),
            ]
        );
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].starts_with(
                "SUMMARY.md:1:49: note: `(cancellation safety)` after the entry's link is ignored"
            ),
            "{notes:?}"
        );
    }

    #[test]
    fn titles_keep_code_and_brackets_and_targets_their_escapes() {
        let (shape, notes) = run(
            "- [The `match` Control *Flow*](ch06-02-match.md)\n- [A \\[b\\]](<my file.md>)\n- [Spaced](my%20other.md)\n",
        );
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(
            shape,
            vec![
                ("ch06-02-match.md=The match Control Flow".into(), 0, true),
                ("my file.md=A [b]".into(), 0, true),
                ("my other.md=Spaced".into(), 0, true),
            ]
        );
    }

    #[test]
    fn loose_lists_comments_and_separators_between_items() {
        let (shape, notes) = run(
            "# Summary\n\n<!--\na comment\n-->\n\n- [A](a.md)\n    - [B](b.md)\n\n- [C](c.md)\n    <!-- TODO: sections -->\n- [D](d.md)\n\n---\n\n- [E](e.md)\n\n## A subheading\n\n- [F](f.md)\n",
        );
        assert_eq!(
            shape,
            vec![
                ("a.md=A".into(), 0, true),
                ("b.md=B".into(), 1, true),
                ("c.md=C".into(), 0, true),
                ("d.md=D".into(), 0, true),
                ("e.md=E".into(), 0, true),
                ("f.md=F".into(), 0, true),
            ]
        );
        assert_eq!(notes.len(), 1, "the subheading is noted: {notes:?}");
    }

    #[test]
    fn sections_of_a_draft_take_its_place() {
        let (shape, _) = run("- [A](a.md)\n- [Draft]()\n  - [B](b.md)\n    - [C](c.md)\n");
        assert_eq!(
            shape,
            vec![
                ("a.md=A".into(), 0, true),
                ("b.md=B".into(), 0, true),
                ("c.md=C".into(), 1, true),
            ]
        );
    }

    #[test]
    fn what_mdbook_refuses_is_an_error_at_its_place() {
        let (_, messages) = run("- [A](a.md)\n- Just a title\n");
        assert_eq!(
            messages[0].lines().next(),
            Some("SUMMARY.md:2:1: error: this SUMMARY.md entry is not a chapter link")
        );
        let (_, messages) = run("- [A](a.md)\n\n[Suffix](s.md)\n\n- [B](b.md)\n");
        assert_eq!(
            messages[0].lines().next(),
            Some("SUMMARY.md:5:1: error: a chapter list cannot follow the suffix chapters")
        );
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut text = String::new();
        for depth in 0..300 {
            text.push_str(&"  ".repeat(depth));
            text.push_str(&format!("- [C{depth}](c{depth}.md)\n"));
        }
        let mut sources = Sources::new("/");
        let id = sources.add("/SUMMARY.md", text);
        let mut sink = Sink::new();
        let entries = parse(id, sources.get(id), 8, &mut sink);
        assert!(entries.len() <= 8, "{}", entries.len());
        assert!(sink.has_errors());
    }
}
