//! `SUMMARY.md` in mdBook's format: prefix chapters, a numbered (nested) list,
//! `# Part` headings, `---` separators, suffix chapters, and draft entries
//! (`[Title]()`) that are skipped with a note.

use crate::diag::{Diagnostic, Sink, Span};
use crate::source::SourceFile;
use crate::source::SourceId;

/// One line of the summary that names a chapter or a part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What the line names.
    pub kind: EntryKind,
    /// Title as written in the summary.
    pub title: String,
    /// Nesting depth (0 for top level).
    pub depth: u8,
    /// Whether the entry is in the numbered list (not a prefix or suffix chapter).
    pub numbered: bool,
    /// Where the entry is written.
    pub span: Span,
}

/// A chapter file or a part heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// `[Title](path.md)`; the path as written.
    Chapter(String),
    /// `# Part title`.
    Part,
}

/// Parses a summary. Lines it does not understand are warnings, never errors:
/// the book still builds from the entries that were understood.
pub fn parse(id: SourceId, file: &SourceFile, sink: &mut Sink) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut seen_title = false;
    let mut indents: Vec<usize> = Vec::new();
    let mut offset = 0;
    let mut in_comment = false;
    for raw in file.text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let span = Span::new(id, line_start + indent, line_start + line.len());
        if in_comment {
            in_comment = !trimmed.contains("-->");
            continue;
        }
        if trimmed.starts_with("<!--") {
            in_comment = !trimmed.contains("-->");
            continue;
        }
        if trimmed.is_empty() {
            continue;
        }
        if let Some(heading) = trimmed.strip_prefix('#') {
            let title = heading.trim_start_matches('#').trim().to_owned();
            if !seen_title && entries.is_empty() {
                seen_title = true; // "# Summary": the document's own title.
            } else {
                entries.push(Entry {
                    kind: EntryKind::Part,
                    title,
                    depth: 0,
                    numbered: true,
                    span,
                });
                indents.clear();
            }
            continue;
        }
        if is_separator(trimmed) {
            continue;
        }
        let (is_item, rest) = match trimmed.strip_prefix(['-', '*', '+']) {
            Some(rest) if rest.starts_with(' ') => (true, rest.trim_start()),
            _ => (false, trimmed),
        };
        let Some((title, target)) = parse_link(rest) else {
            sink.push(
                Diagnostic::warning(
                    span,
                    "this SUMMARY.md line is not a chapter link and is ignored",
                )
                .with_help("write chapters as `- [Title](file.md)`"),
            );
            continue;
        };
        let depth = if is_item {
            while indents.last().is_some_and(|&i| i > indent) {
                indents.pop();
            }
            if indents.last() != Some(&indent) {
                indents.push(indent);
            }
            u8::try_from(indents.len() - 1).unwrap_or(u8::MAX)
        } else {
            0
        };
        if target.trim().is_empty() {
            sink.push(Diagnostic::note(
                span,
                format!("draft chapter `{title}` has no file yet and is skipped"),
            ));
            continue;
        }
        // Prefix and suffix chapters (outside the list) are not numbered.
        let numbered = is_item;
        entries.push(Entry {
            kind: EntryKind::Chapter(target.trim().to_owned()),
            title,
            depth,
            numbered,
            span,
        });
    }
    entries
}

fn is_separator(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3
        && (compact.chars().all(|c| c == '-')
            || compact.chars().all(|c| c == '*')
            || compact.chars().all(|c| c == '_'))
}

/// `[Title](target)` → (title, target); brackets inside the title may be escaped.
fn parse_link(text: &str) -> Option<(String, String)> {
    let rest = text.strip_prefix('[')?;
    let mut depth = 0usize;
    let mut close = None;
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => depth += 1,
            ']' if depth == 0 => {
                close = Some(i);
                break;
            }
            ']' => depth -= 1,
            _ => {}
        }
    }
    let close = close?;
    let title = rest[..close].replace("\\[", "[").replace("\\]", "]");
    let after = rest[close + 1..].strip_prefix('(')?;
    let end = after.rfind(')')?;
    if !after[end + 1..].trim().is_empty() {
        return None;
    }
    let target = after[..end].trim();
    let target = target
        .strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(target);
    Some((title.trim().to_owned(), target.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Sources;

    #[test]
    fn mdbook_summary() {
        let text = "# Summary\n\n[Preface](preface.md)\n\n# Part One\n\n- [Intro](intro.md)\n  - [Setup](setup.md)\n    - [Deep](deep.md)\n  - [Draft]()\n- [Web](web.md)\n\n---\n\n[Appendix](appendix.md)\n";
        let mut sources = Sources::new("/");
        let id = sources.add("/SUMMARY.md", text);
        let mut sink = Sink::new();
        let entries = parse(id, sources.get(id), &mut sink);
        let shape: Vec<(String, u8, bool)> = entries
            .iter()
            .map(|e| {
                let name = match &e.kind {
                    EntryKind::Chapter(p) => p.clone(),
                    EntryKind::Part => format!("part:{}", e.title),
                };
                (name, e.depth, e.numbered)
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                ("preface.md".into(), 0, false),
                ("part:Part One".into(), 0, true),
                ("intro.md".into(), 0, true),
                ("setup.md".into(), 1, true),
                ("deep.md".into(), 2, true),
                ("web.md".into(), 0, true),
                ("appendix.md".into(), 0, false),
            ]
        );
        let notes: Vec<String> = sink
            .diagnostics()
            .iter()
            .map(|d| d.render(&sources))
            .collect();
        assert_eq!(
            notes,
            ["SUMMARY.md:10:3: note: draft chapter `Draft` has no file yet and is skipped"]
        );
    }

    #[test]
    fn links_with_brackets_and_angle_targets() {
        assert_eq!(
            parse_link("[A \\[b\\]](<my file.md>)"),
            Some(("A [b]".into(), "my file.md".into()))
        );
        assert_eq!(parse_link("plain text"), None);
    }
}
