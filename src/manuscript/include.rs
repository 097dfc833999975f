//! mdBook's preprocessor directives, so mdBook books build unchanged:
//! `{{#include file}}`, `{{#include file:anchor}}`, `{{#include file:10:20}}`,
//! `{{#rustdoc_include …}}` (and `{{#playground …}}`) copy lines of another
//! file into the chapter; `{{#title …}}` sets the chapter's title. The result
//! is registered as assembled text whose pieces remember their origin, so
//! every diagnostic still points at the file and line the author wrote.

use super::paths::{self, PathError};
use crate::diag::{Diagnostic, Sink, Span};
use crate::source::{Origin, SourceId, Sources};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Limits on includes (`[limits] includes` and `include-depth`) and the
/// count so far, shared by every chapter of a book.
pub struct IncludeBudget<'a> {
    /// Includes performed so far in the book.
    pub count: u64,
    /// `[limits] includes`.
    pub max: u64,
    /// `[limits] include-depth`.
    pub max_depth: u32,
    /// The manuscript's remaining text budget; included files count against it.
    pub text: &'a mut super::TextLimit,
}

/// A chapter after its directives were applied.
pub struct Expanded {
    /// The text to parse (the chapter itself when it has no directives).
    pub source: SourceId,
    /// Title from `{{#title …}}`.
    pub title: Option<String>,
}

/// Applies the directives in `chapter`. Problems (missing files, cycles,
/// paths outside the book) are errors at the directive.
pub fn expand(
    fence: &paths::Fence,
    chapter: SourceId,
    sources: &mut Sources,
    sink: &mut Sink,
    budget: &mut IncludeBudget<'_>,
) -> Expanded {
    if !sources.get(chapter).text.contains("{{#") {
        return Expanded {
            source: chapter,
            title: None,
        };
    }
    let mut x = Expander {
        fence,
        sources,
        sink,
        out: String::new(),
        origins: Vec::new(),
        title: None,
        budget,
        stack: Vec::new(),
    };
    let len = x.sources.get(chapter).text.len();
    let path = x.sources.get(chapter).path.clone();
    x.stack.push(path.clone());
    x.copy(chapter, 0..len, 0);
    let (text, origins, title) = (x.out, x.origins, x.title);
    let source = sources.add_assembled(path, text, origins);
    Expanded { source, title }
}

struct Expander<'a, 'b> {
    fence: &'a paths::Fence,
    sources: &'a mut Sources,
    sink: &'a mut Sink,
    out: String,
    origins: Vec<Origin>,
    title: Option<String>,
    budget: &'a mut IncludeBudget<'b>,
    stack: Vec<PathBuf>,
}

impl Expander<'_, '_> {
    /// Copies `range` of `source`, applying directives.
    fn copy(&mut self, source: SourceId, range: Range<usize>, depth: usize) {
        let mut pos = range.start;
        loop {
            let text = &self.sources.get(source).text;
            let Some(found) = text[pos..range.end].find("{{#").map(|i| pos + i) else {
                break;
            };
            let escaped = found > pos && text.as_bytes()[found - 1] == b'\\';
            let Some(close) = text[found..range.end].find("}}").map(|i| found + i) else {
                break;
            };
            if escaped {
                self.piece(source, pos..found - 1);
                self.piece(source, found..found + 3);
                pos = found + 3;
                continue;
            }
            let directive = text[found + 3..close].trim().to_owned();
            if !is_directive(&text[found + 3..close]) {
                // `{{#toc}}` or `{{#include}}` with nothing after the name:
                // not a directive to mdBook either, so plain text.
                self.piece(source, pos..found + 3);
                pos = found + 3;
                continue;
            }
            self.piece(source, pos..found);
            let span = Span::new(source, found, close + 2);
            self.directive(source, &directive, span, depth);
            pos = close + 2;
        }
        self.piece(source, pos..range.end);
    }

    /// Appends bytes `range` of `source` verbatim.
    fn piece(&mut self, source: SourceId, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        let text = &self.sources.get(source).text[range.clone()];
        self.origins.push(Origin {
            start: self.out.len(),
            len: range.len(),
            source,
            offset: range.start,
        });
        self.out.push_str(text);
    }

    fn directive(&mut self, source: SourceId, directive: &str, span: Span, depth: usize) {
        let (name, argument) = directive
            .split_once(char::is_whitespace)
            .map_or((directive, ""), |(n, a)| (n, a.trim()));
        match name {
            "include" | "rustdoc_include" | "playground" | "playpen" => {
                self.include(source, argument, span, depth)
            }
            "title" => self.title = Some(argument.to_owned()),
            other => {
                self.sink.push(
                    Diagnostic::warning(span, format!("unknown directive `{{{{#{other}}}}}` is kept as text"))
                        .with_help("folio understands {{#include}}, {{#rustdoc_include}}, {{#playground}} and {{#title}}"),
                );
                self.piece(span.source, span.start as usize..span.end as usize);
            }
        }
    }

    fn include(&mut self, from: SourceId, argument: &str, span: Span, depth: usize) {
        // Playground/rustdoc options after the path (`file:2:4 editable`) are ignored.
        let argument = argument.split_whitespace().next().unwrap_or("");
        let (written, selector) = match argument.split_once(':') {
            Some((p, s)) => (p, Some(s)),
            None => (argument, None),
        };
        if written.is_empty() {
            self.sink.push(
                Diagnostic::error(span, "an include needs a file")
                    .with_help("write {{#include path/to/file}}"),
            );
            return;
        }
        self.budget.count += 1;
        if self.budget.count > self.budget.max {
            let max = self.budget.max;
            self.sink.push(
                Diagnostic::error(span, format!("more than {max} includes in the book")).with_help(
                    "raise `includes` in [limits] in book.toml if the book really needs them",
                ),
            );
            return;
        }
        if depth >= self.budget.max_depth as usize {
            let max = self.budget.max_depth;
            self.sink.push(
                Diagnostic::error(
                    span,
                    format!("includes are nested more than {max} deep here"),
                )
                .with_help(
                    "raise `include-depth` in [limits] in book.toml, or flatten the includes",
                ),
            );
            return;
        }
        let base = self
            .sources
            .get(from)
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.fence.dir.clone());
        let path = match paths::confine(&self.fence.dir, &base, written) {
            Ok(p) if p.is_file() => p,
            Ok(_) => {
                self.sink.error(span, format!("`{written}` is not a file"));
                return;
            }
            Err(PathError::NotFound) => {
                self.sink.push(
                    Diagnostic::error(span, format!("included file `{written}` does not exist"))
                        .with_help("paths are relative to the file that includes them"),
                );
                return;
            }
            Err(e) => {
                self.sink.push(
                    Diagnostic::error(span, self.fence.describe(&e, written))
                        .with_help(self.fence.help()),
                );
                return;
            }
        };
        if self.stack.contains(&path) {
            self.sink.push(
                Diagnostic::error(
                    span,
                    format!(
                        "`{written}` includes itself (through {} level{})",
                        self.stack.len(),
                        if self.stack.len() == 1 { "" } else { "s" }
                    ),
                )
                .with_help("remove the include cycle"),
            );
            return;
        }
        let Some(included) = super::read_text(
            &path,
            self.sources,
            self.sink,
            Some(span),
            *self.budget.text,
        ) else {
            return;
        };
        *self.budget.text = self
            .budget
            .text
            .after(self.sources.get(included).text.len());
        let ranges = match select(&self.sources.get(included).text, selector) {
            Ok(r) => r,
            Err(why) => {
                self.sink.push(Diagnostic::error(span, why).with_help("use `file:anchor` with `ANCHOR: name` … `ANCHOR_END: name` markers, or `file:first:last` lines"));
                return;
            }
        };
        self.stack.push(path);
        for range in ranges {
            self.copy(included, range, depth + 1);
        }
        self.stack.pop();
    }
}

/// Byte ranges of `text` a selector picks: everything, a line range
/// (1-based, inclusive, either end optional), or the lines between
/// `ANCHOR: name` and `ANCHOR_END: name` (other anchor markers dropped).
fn select(text: &str, selector: Option<&str>) -> Result<Vec<Range<usize>>, String> {
    let lines: Vec<Range<usize>> = {
        let mut v = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            v.push(start..start + line.len());
            start += line.len();
        }
        v
    };
    let Some(selector) = selector.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(std::iter::once(0..text.len()).collect());
    };
    let number = |s: &str| -> Result<Option<usize>, String> {
        if s.is_empty() {
            Ok(None)
        } else {
            s.parse::<usize>()
                .map(Some)
                .map_err(|_| format!("`{s}` is not a line number"))
        }
    };
    let is_lines = selector.chars().all(|c| c.is_ascii_digit() || c == ':');
    if is_lines {
        let (first, last) = match selector.split_once(':') {
            Some((a, b)) => (number(a)?, number(b)?),
            None => {
                let n = number(selector)?;
                (n, n)
            }
        };
        let first = first.unwrap_or(1).max(1);
        let last = last.unwrap_or(lines.len()).min(lines.len());
        if first > last {
            return Ok(Vec::new());
        }
        return Ok(std::iter::once(lines[first - 1].start..lines[last - 1].end).collect());
    }
    let anchor = selector;
    let marker = |line: &str, kind: &str| -> Option<String> {
        let i = line.find(kind)?;
        let rest = line[i + kind.len()..].trim_start_matches(':').trim();
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        Some(name)
    };
    let mut inside = false;
    let mut found = false;
    let mut out: Vec<Range<usize>> = Vec::new();
    for range in lines {
        let line = &text[range.clone()];
        if let Some(name) = marker(line, "ANCHOR_END") {
            if name == anchor && inside {
                return Ok(out);
            }
            continue;
        }
        if let Some(name) = marker(line, "ANCHOR") {
            if name == anchor {
                inside = true;
                found = true;
            }
            continue;
        }
        if inside {
            match out.last_mut() {
                Some(last) if last.end == range.start => last.end = range.end,
                _ => out.push(range),
            }
        }
    }
    if found {
        Ok(out)
    } else {
        Err(format!("no anchor `{anchor}` in the included file"))
    }
}

/// What mdBook's `links` preprocessor takes for a directive: a name of
/// letters, digits and `_`, whitespace, then an argument (`{{#include x}}`);
/// anything else between `{{#` and `}}` stays text.
fn is_directive(inside: &str) -> bool {
    let name_end = inside
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inside.len());
    let rest = &inside[name_end..];
    name_end > 0
        && rest.starts_with(char::is_whitespace)
        && !rest.trim().is_empty()
        && !inside.contains('}')
}

#[cfg(test)]
mod tests {
    use super::select;

    const CODE: &str = "a\n// ANCHOR: main\nfn main() {\n    // ANCHOR: inner\n    run();\n    // ANCHOR_END: inner\n}\n// ANCHOR_END: main\nz\n";

    fn pick(selector: Option<&str>) -> String {
        select(CODE, selector)
            .unwrap()
            .into_iter()
            .map(|r| &CODE[r])
            .collect()
    }

    #[test]
    fn selectors() {
        assert_eq!(pick(None), CODE);
        assert_eq!(pick(Some("main")), "fn main() {\n    run();\n}\n");
        assert_eq!(pick(Some("inner")), "    run();\n");
        assert_eq!(pick(Some("1:1")), "a\n");
        assert_eq!(pick(Some("9")), "z\n");
        assert_eq!(pick(Some("8:")), "// ANCHOR_END: main\nz\n");
        assert_eq!(pick(Some(":1")), "a\n");
        assert!(select(CODE, Some("nope")).is_err());
    }

    #[test]
    fn only_what_mdbook_takes_for_a_directive() {
        assert!(super::is_directive("include file.rs"));
        assert!(super::is_directive("title My title"));
        assert!(
            !super::is_directive(" title My title"),
            "mdBook wants the name right after `#`"
        );
        assert!(!super::is_directive("include"), "`{{#include}}` in prose");
        assert!(!super::is_directive("toc"), "a Handlebars block");
        assert!(!super::is_directive("include-x y"));
    }
}
