//! `folio check` lints: problems in a manuscript that still builds but reads
//! badly or prints badly. Each has a stable id, a one-line explanation, and a
//! level set in `book.toml` `[lint]` (`allow`, `warn`, `deny`). Lints read the
//! manuscript and the tree; they never change the source.

pub mod mojibake;

use crate::config::LintLevel;
use crate::diag::{Diagnostic, Severity, Sink, Span};
use crate::ir::{Block, BlockKind, Book, Inline, InlineKind, plain_text, walk};
use crate::source::Sources;
use std::collections::BTreeMap;

/// Every lint: id and what it finds.
pub const LINTS: &[(&str, &str)] = &[
    (
        "mojibake",
        "UTF-8 text that was decoded as Windows-125x or Latin-1 (`â€™` for `’`)",
    ),
    (
        "straight-quotes",
        "straight quotes or `--` in prose while smart punctuation is off",
    ),
    ("missing-alt", "an image without alternative text"),
    (
        "image-resolution",
        "an image with too few pixels to print at the text width at 300 DPI",
    ),
    (
        "image-size",
        "an image above 4 megapixels, which e-readers refuse or scale down",
    ),
    (
        "heading-skip",
        "a heading that skips a level (## followed by ####)",
    ),
    ("empty-chapter", "a chapter with no text"),
    ("duplicate-id", "an id used twice in the book"),
    (
        "long-code-line",
        "a code line longer than the PDF's measure (it will wrap)",
    ),
    ("repeated-word", "the same word twice in a row"),
    ("unbalanced", "unbalanced quotes or brackets in a paragraph"),
];

/// What the lints need besides the book.
pub struct LintContext<'a> {
    /// The parsed book.
    pub book: &'a Book,
    /// Its source files.
    pub sources: &'a Sources,
    /// Whether smart punctuation is on.
    pub smart_punctuation: bool,
    /// Characters per code line before the PDF wraps it.
    pub code_columns: usize,
    /// Pixels needed across the text width at 300 DPI.
    pub full_width_pixels: u32,
}

/// Runs every lint; findings go to `sink` as warnings with their lint id.
pub fn run(cx: &LintContext<'_>, sink: &mut Sink) {
    for chapter in &cx.book.chapters {
        let source = chapter.span.source;
        let text = &cx.sources.get(source).text;
        for m in mojibake::find(text) {
            let found = &text[m.range.clone()];
            sink.push(
                Diagnostic::warning(
                    Span::new(source, m.range.start, m.range.end),
                    format!("mis-encoded text `{found}`"),
                )
                .with_help(format!(
                    "this is UTF-8 read as a Windows code page; replace it with `{}`",
                    m.repaired
                ))
                .with_code("mojibake"),
            );
        }
        let has_text = chapter
            .blocks
            .iter()
            .any(|b| !matches!(b.kind, BlockKind::Heading { .. }));
        // A chapter with no blocks at all is already reported while parsing.
        if !has_text && !chapter.blocks.is_empty() && chapter.role != crate::ir::Role::Part {
            sink.push(
                Diagnostic::warning(
                    chapter.span,
                    format!("chapter `{}` has no text", plain_text(&chapter.title)),
                )
                .with_help("write it, or mark it as a draft in SUMMARY.md with `[Title]()`")
                .with_code("empty-chapter"),
            );
        }
        // The title sits at `depth + 1` (a section's at 2, …); headings are
        // leveled from there, so a skip is measured from it too.
        let mut last_level = chapter.depth.saturating_add(1);
        let mut last_written = 1u8;
        let mut blocks: Vec<&Block> = Vec::new();
        walk::blocks(&chapter.blocks, &mut |b| blocks.push(b));
        for note in &chapter.notes {
            walk::blocks(&note.blocks, &mut |b| blocks.push(b));
        }
        for block in blocks {
            match &block.kind {
                BlockKind::Heading { level, .. } => {
                    // Messages give levels as the author wrote them.
                    let written =
                        written_level(&cx.sources.get(block.span.source).text, block.span)
                            .unwrap_or(*level);
                    if *level > last_level + 1 {
                        sink.push(
                            Diagnostic::warning(block.span, format!("heading level {written} follows level {last_written}"))
                                .with_help(format!("use level {} here; screen readers and the contents rely on the order", last_written + 1))
                                .with_code("heading-skip"),
                        );
                    }
                    last_level = *level;
                    last_written = written;
                }
                BlockKind::Code { text, .. } => long_code_lines(cx, block.span, text, sink),
                BlockKind::Figure(figure) => {
                    if let Some(asset) = figure.image.asset.and_then(|a| cx.book.assets.get(a.0)) {
                        if asset.media_type != "image/svg+xml"
                            && asset.width < cx.full_width_pixels / 2
                        {
                            sink.push(
                                Diagnostic::warning(block.span, format!("image `{}` is {} pixels wide: at 300 DPI it prints {:.1} in wide", figure.image.src, asset.width, f64::from(asset.width) / 300.0))
                                    .with_help(format!("for the full text width it needs {} pixels; use a larger image or an SVG", cx.full_width_pixels))
                                    .with_code("image-resolution"),
                            );
                        }
                    }
                }
                _ => {}
            }
            for inlines in walk::own_inlines(block) {
                prose(cx, inlines, block.span, sink);
            }
        }
    }
}

/// Lints on a run of prose: repeated words, unbalanced pairs, straight quotes.
fn prose(cx: &LintContext<'_>, inlines: &[Inline], span: Span, sink: &mut Sink) {
    let mut text = String::new();
    walk::for_each_text(without_code(inlines).as_slice(), &mut |t| text.push_str(t));
    let source = &cx.sources.get(span.source).text;
    let locate = |needle: &str| -> Span {
        let from = (span.start as usize).min(source.len());
        match source[from..].find(needle) {
            Some(i) => Span::new(span.source, from + i, from + i + needle.len()),
            None => span,
        }
    };
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .collect();
    for pair in words.windows(2) {
        // "that that" and "had had" are good English.
        let allowed = ["that", "had"]
            .iter()
            .any(|w| pair[0].eq_ignore_ascii_case(w));
        if !allowed
            && pair[0].len() > 1
            && pair[0].chars().any(char::is_alphabetic)
            && pair[0].eq_ignore_ascii_case(pair[1])
        {
            let phrase = format!("{} {}", pair[0], pair[1]);
            if text.contains(&phrase) {
                sink.push(
                    Diagnostic::warning(
                        locate(&phrase),
                        format!("`{phrase}`: the same word twice"),
                    )
                    .with_help("delete one of them")
                    .with_code("repeated-word"),
                );
            }
        }
    }
    for (open, close, name) in [
        ('“', '”', "quotes"),
        ('(', ')', "parentheses"),
        ('[', ']', "brackets"),
    ] {
        let (opens, closes) = (text.matches(open).count(), text.matches(close).count());
        if opens != closes {
            let at = if opens > closes { open } else { close };
            sink.push(
                Diagnostic::warning(locate(&at.to_string()), format!("unbalanced {name}: {opens} `{open}` and {closes} `{close}` in this paragraph"))
                    .with_help(format!("add the missing `{}`", if opens > closes { close } else { open }))
                    .with_code("unbalanced"),
            );
        }
    }
    if !cx.smart_punctuation {
        for straight in ["\"", "--", "'"] {
            if text.contains(straight) {
                sink.push(
                    Diagnostic::warning(locate(straight), format!("straight `{straight}` in prose"))
                        .with_help("use typographic punctuation (“ ” ’ —), or turn on [typography] smart-punctuation")
                        .with_code("straight-quotes"),
                );
            }
        }
    }
}

/// Inlines with code spans removed (code is not prose).
fn without_code(inlines: &[Inline]) -> Vec<Inline> {
    inlines
        .iter()
        .filter(|i| !matches!(i.kind, InlineKind::Code(_)))
        .cloned()
        .collect()
}

fn long_code_lines(cx: &LintContext<'_>, span: Span, text: &str, sink: &mut Sink) {
    for (n, line) in text.lines().enumerate() {
        let columns = line.replace('\t', "    ").chars().count();
        if columns > cx.code_columns {
            // The fence line is the block's first line; code starts on the next.
            let source = &cx.sources.get(span.source).text;
            let from = (span.start as usize).min(source.len());
            let at = source[from..].find(line).map_or(span, |i| {
                Span::new(span.source, from + i, from + i + line.len())
            });
            sink.push(
                Diagnostic::warning(
                    at,
                    format!(
                        "code line {} is {columns} characters; the PDF wraps lines longer than {}",
                        n + 1,
                        cx.code_columns
                    ),
                )
                .with_help("break the line, or accept the wrap mark in print")
                .with_code("long-code-line"),
            );
        }
    }
}

/// The level of an ATX heading as written (`###` → 3) at `span`.
fn written_level(text: &str, span: Span) -> Option<u8> {
    let rest = text.get(span.start as usize..)?;
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes).then_some(hashes as u8)
}

/// Applies `[lint]` levels to every diagnostic that carries a lint id:
/// `allow` drops it, `deny` makes it an error.
pub fn apply_levels(
    levels: &BTreeMap<String, LintLevel>,
    diagnostics: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    diagnostics
        .into_iter()
        .filter_map(|mut d| {
            match d.code.and_then(|c| levels.get(c)) {
                Some(LintLevel::Allow) => return None,
                Some(LintLevel::Deny) => d.severity = Severity::Error,
                Some(LintLevel::Warn) | None => {}
            }
            Some(d)
        })
        .collect()
}
