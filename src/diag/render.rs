//! Turning diagnostics into text for people and machines: `human` shows the
//! source line with a caret under the problem and the help (colour only on a
//! terminal), `short` is one `file:line:col: severity: message` line for
//! editors and grep, `json` is one object per diagnostic for CI pipelines.

use super::Span;
use super::{Diagnostic, Severity};
use crate::source::Sources;
use annotate_snippets::{AnnotationKind, Element, Group, Level, Origin, Renderer, Snippet};

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Source excerpt with caret and help.
    Human {
        /// ANSI colours (a terminal that wants them).
        color: bool,
    },
    /// One line per diagnostic.
    Short,
    /// One JSON object per line.
    Json,
}

/// Renders one diagnostic.
pub fn render(diag: &Diagnostic, sources: &Sources, format: Format) -> String {
    match format {
        Format::Human { color } => human(diag, sources, color),
        Format::Short => diag.render(sources),
        Format::Json => json(diag, sources),
    }
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    }
}

fn human(diag: &Diagnostic, sources: &Sources, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut title = level(diag.severity).primary_title(diag.message.as_str());
    if let Some(lint) = diag.lint {
        title = title.id(lint.id());
    }
    let mut group: Group<'_> = title.elements(Vec::<Element<'_>>::new());
    if let Some(span) = diag
        .span
        .map(|s| sources.resolve(s))
        .filter(|s| *s == Span::file(s.source))
    {
        // About the file as a whole (a missing key): name it, show no line.
        group = group.element(Origin::path(sources.get(span.source).display.as_str()));
    } else if let Some(span) = diag.span.map(|s| sources.resolve(s)) {
        let file = sources.get(span.source);
        let text = file.text.as_str();
        let mut start = (span.start as usize).min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        // Underline at least one character, and never past the line's end.
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let mut end = (span.end as usize).clamp(start, line_end);
        while !text.is_char_boundary(end) {
            end += 1;
        }
        if end == start {
            end = text[start..line_end]
                .chars()
                .next()
                .map_or(start, |c| start + c.len_utf8());
        }
        group = group.element(
            Snippet::source(text)
                .path(file.display.as_str())
                .fold(true)
                .annotation(AnnotationKind::Primary.span(start..end)),
        );
    } else if let Some(path) = &diag.path {
        group = group.element(Level::NOTE.message(format!("in {path}")));
    }
    for help in &diag.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    renderer.render(&[group])
}

fn json(diag: &Diagnostic, sources: &Sources) -> String {
    let mut fields = vec![
        format!("\"severity\":{}", quote(diag.severity.label())),
        format!("\"message\":{}", quote(&diag.message)),
    ];
    if let Some(lint) = diag.lint {
        fields.push(format!("\"code\":{}", quote(lint.id())));
    }
    if let Some(span) = diag.span.map(|s| sources.resolve(s)) {
        let file = sources.get(span.source);
        let (line, column) = file.line_col(span.start as usize);
        let (end_line, end_column) = file.line_col(span.end as usize);
        fields.push(format!("\"file\":{}", quote(&file.display)));
        fields.push(format!("\"line\":{line},\"column\":{column},\"end_line\":{end_line},\"end_column\":{end_column}"));
    } else if let Some(path) = &diag.path {
        fields.push(format!("\"file\":{}", quote(path)));
    }
    let help: Vec<String> = diag.help.iter().map(|h| quote(h)).collect();
    fields.push(format!("\"help\":[{}]", help.join(",")));
    format!("{{{}}}", fields.join(","))
}

/// A JSON string literal.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
