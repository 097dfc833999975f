//! `book.toml`, one-to-one: a typed serde struct per table. Unknown keys in
//! folio's own tables (`[epub]`, `[pdf]`, `[typography]`, `[lint]`,
//! `[limits]`) are errors with `book.toml:LINE:COL` and a suggestion; unknown
//! keys in the tables mdBook also reads (`[book]`, `[build]`, `[rust]`) and
//! unknown tables are warnings with a suggestion, because mdBook ignores them
//! and its books must build unchanged (`--strict` makes them errors). Values
//! that need checking beyond their type (language tags, ISBNs, dates, paths)
//! keep their span ([`toml::Spanned`]) so [`validate`] can point at them.

mod unknown;

pub mod limits;
pub mod validate;

use crate::diag::{Diagnostic, Sink, Span, suggest};
use crate::source::{SourceId, Sources};
use serde::Deserialize;
use toml::Spanned;

/// The whole `book.toml`. Unknown tables are reported by [`parse`] and ignored.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct BookConfig {
    /// `[book]`: metadata and where the chapters are.
    #[serde(default)]
    pub book: BookTable,
    /// `[build]`: how a build behaves.
    #[serde(default)]
    pub build: BuildTable,
    /// `[epub]`: EPUB-only settings.
    #[serde(default)]
    pub epub: EpubTable,
    /// `[pdf]`: PDF-only settings.
    #[serde(default)]
    pub pdf: PdfTable,
    /// `[typography]`: punctuation and hyphenation, shared by every format.
    #[serde(default)]
    pub typography: TypographyTable,
    /// `[lint]`: levels for `folio check` lints, by id (`mojibake = "allow"`).
    #[serde(default)]
    pub lint: std::collections::BTreeMap<String, LintLevel>,
    /// mdBook's `[output.*]` renderer settings: accepted so mdBook books build
    /// unchanged, and ignored (folio renders EPUB and PDF itself).
    pub output: Option<toml::Value>,
    /// mdBook's `[preprocessor.*]` settings: accepted and ignored (folio
    /// applies mdBook's built-in `links` preprocessor itself).
    pub preprocessor: Option<toml::Value>,
    /// mdBook's `[rust]` settings (playground edition): accepted and ignored.
    pub rust: Option<RustTable>,
    /// `[limits]`: ceilings on what a manuscript may make folio spend (sizes,
    /// nesting, tables), so hostile input fails clearly instead of hanging.
    #[serde(default)]
    pub limits: limits::Limits,
}

impl BookConfig {
    /// The address the book is published at, ending in `/`: `[book] url`, or
    /// mdBook's `[output.html] site-url` when that is a full `http(s)` URL
    /// (a bare path like `/book/` names no site). `None` when neither does.
    pub fn published_url(&self) -> Option<String> {
        let written = match &self.book.url {
            Some(url) => Some(url.get_ref().clone()),
            None => self
                .output
                .as_ref()
                .and_then(|o| o.get("html"))
                .and_then(|h| h.get("site-url"))
                .and_then(toml::Value::as_str)
                .map(str::to_owned),
        }?;
        let written = written.trim();
        if !validate::is_web_url(written) {
            return None;
        }
        Some(if written.ends_with('/') {
            written.to_owned()
        } else {
            format!("{written}/")
        })
    }

    /// The mdBook-only tables and keys present, which folio ignores.
    pub fn ignored_mdbook_keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        let mut table = |name: &str, value: &Option<toml::Value>| {
            if let Some(toml::Value::Table(t)) = value {
                keys.extend(t.keys().map(|k| format!("[{name}.{k}]")));
            } else if value.is_some() {
                keys.push(format!("[{name}]"));
            }
        };
        table("output", &self.output);
        table("preprocessor", &self.preprocessor);
        // `site-url` is read as the book's address when it is a full URL.
        if self.book.url.is_none() && self.published_url().is_some() {
            if let Some(html) = keys.iter_mut().find(|k| *k == "[output.html]") {
                html.push_str(" (but its `site-url`)");
            }
        }
        if self.rust.as_ref().is_some_and(|r| r.edition.is_some()) {
            keys.push("rust.edition".into());
        }
        if self.book.multilingual.is_some() {
            keys.push("book.multilingual".into());
        }
        if self.book.text_direction.is_some() {
            keys.push("book.text-direction".into());
        }
        for (key, present) in [
            ("build.build-dir", self.build.build_dir.is_some()),
            ("build.create-missing", self.build.create_missing.is_some()),
            (
                "build.use-default-preprocessors",
                self.build.use_default_preprocessors.is_some(),
            ),
            (
                "build.extra-watch-dirs",
                self.build.extra_watch_dirs.is_some(),
            ),
        ] {
            if present {
                keys.push(key.into());
            }
        }
        keys
    }
}

/// `[book]`: what the book is called, who wrote it, and which files make it up.
/// Shared with mdBook, so unknown keys are warnings ([`parse`]).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct BookTable {
    /// The title shown on the cover, title page and in store listings. Required.
    pub title: Option<Spanned<String>>,
    /// An optional subtitle.
    pub subtitle: Option<String>,
    /// Authors in display order ("Ada Lovelace").
    #[serde(default)]
    pub authors: Vec<String>,
    /// BCP 47 language tag (`en`, `en-GB`, `pt-BR`); drives hyphenation and readers' voices.
    pub language: Option<Spanned<String>>,
    /// ISBN-13 or UUID. When absent a stable UUID is derived from the title.
    pub identifier: Option<Spanned<String>>,
    /// ISBN-13 of the print edition, named as the source of the EPUB's page
    /// numbers (`pageBreakSource`) when a build makes both formats.
    pub print_identifier: Option<Spanned<String>>,
    /// Publisher name.
    pub publisher: Option<String>,
    /// Publication date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: Option<Spanned<String>>,
    /// Edition statement for the copyright page ("Second edition").
    pub edition: Option<String>,
    /// Store blurb.
    pub description: Option<String>,
    /// Copyright / licence statement.
    pub rights: Option<String>,
    /// Subject keywords (BISAC descriptions or free text).
    #[serde(default)]
    pub subjects: Vec<String>,
    /// Cover image, relative to the book folder.
    pub cover: Option<Spanned<String>>,
    /// Output file name without extension; defaults to a slug of the title.
    pub slug: Option<Spanned<String>>,
    /// Chapter files in reading order, relative to `src`. Wins over `SUMMARY.md`.
    pub chapters: Option<Vec<Spanned<String>>>,
    /// Folder holding the chapters and `SUMMARY.md`, relative to the book folder
    /// (mdBook's `src`). Defaults to `src/` when the book has one (as mdBook
    /// does), else the book folder itself.
    pub src: Option<Spanned<String>>,
    /// The address the book is published at (`https://example.com/book/`):
    /// links that leave the book folder become links into it. mdBook's
    /// `[output.html] site-url` is used when this is absent and is a full URL.
    pub url: Option<Spanned<String>>,
    /// mdBook's (deprecated) `multilingual` flag: accepted and ignored.
    pub multilingual: Option<bool>,
    /// mdBook's `text-direction` (`ltr`/`rtl`): accepted and ignored.
    pub text_direction: Option<String>,
}

/// mdBook's `[rust]`: settings for its Rust playground, which folio ignores.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RustTable {
    /// The Rust edition of the book's examples.
    pub edition: Option<toml::Value>,
}

/// How a lint reports: not at all, as a warning, or as an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LintLevel {
    /// Silenced.
    Allow,
    /// A warning (the default).
    Warn,
    /// An error: the build fails.
    Deny,
}

/// `[build]`: behaviour of `folio build`. Shared with mdBook, so unknown keys
/// are warnings ([`parse`]).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct BuildTable {
    /// Treat every warning as an error (release builds).
    #[serde(default)]
    pub strict: bool,
    /// mdBook's output folder: accepted and ignored (use `--out`).
    pub build_dir: Option<String>,
    /// mdBook's "create missing chapter files": accepted and ignored (folio
    /// never writes into a manuscript).
    pub create_missing: Option<bool>,
    /// mdBook's preprocessor switch: accepted and ignored.
    pub use_default_preprocessors: Option<bool>,
    /// mdBook's extra folders to watch: accepted and ignored.
    pub extra_watch_dirs: Option<Vec<String>>,
}

/// `[epub]`: settings that only the EPUB backend reads.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EpubTable {
    /// A stylesheet that replaces `styles/epub.css` (relative to the book folder).
    pub stylesheet: Option<Spanned<String>>,
    /// Stylesheets appended after the main one, to extend it.
    #[serde(default)]
    pub extra_css: Vec<Spanned<String>>,
    /// Heading levels shown in the navigation document (1 = chapters only).
    #[serde(default = "default_toc_depth")]
    pub toc_depth: u8,
    /// Font files (relative to the book folder) to embed and declare with `@font-face`.
    #[serde(default)]
    pub fonts: Vec<Spanned<String>>,
}

impl Default for EpubTable {
    fn default() -> Self {
        EpubTable {
            stylesheet: None,
            extra_css: Vec::new(),
            toc_depth: default_toc_depth(),
            fonts: Vec::new(),
        }
    }
}

fn default_toc_depth() -> u8 {
    2
}

/// `[pdf]`: settings that only the PDF backend reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PdfTable {
    /// A print style file (like `styles/print.toml`), relative to the book folder.
    pub style: Option<Spanned<String>>,
    /// `print` (mirrored margins, recto chapter starts) or `screen`.
    pub profile: Option<Spanned<String>>,
    /// Heading levels listed in the printed table of contents.
    pub toc_depth: Option<u8>,
    /// Folders of font files (relative to the book folder) that may supply
    /// characters the style's fonts lack, searched before the system's.
    #[serde(default)]
    pub font_paths: Vec<Spanned<String>>,
    /// Whether fonts installed on the machine may supply characters the
    /// style's fonts lack (default true; false makes the PDF depend only on
    /// the book and folio).
    pub system_fonts: Option<bool>,
}

/// `[typography]`: rules shared by every output format.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TypographyTable {
    /// Turn straight quotes, `--` and `...` into typographic punctuation.
    #[serde(default = "yes")]
    pub smart_punctuation: bool,
    /// Words hyphenated as written here (`"ta-ble"`), winning over the patterns.
    #[serde(default)]
    pub hyphenation_exceptions: Vec<Spanned<String>>,
}

impl Default for TypographyTable {
    fn default() -> Self {
        TypographyTable {
            smart_punctuation: true,
            hyphenation_exceptions: Vec::new(),
        }
    }
}

fn yes() -> bool {
    true
}

/// Parses `book.toml` text already registered as `source`. Syntax errors and
/// unknown keys in folio's tables become errors pointing at the offending key;
/// unknown keys in the tables mdBook shares, and unknown tables, warnings.
pub fn parse(sources: &Sources, source: SourceId, sink: &mut Sink) -> Option<BookConfig> {
    let text = &sources.get(source).text;
    let mut ignored: Vec<String> = Vec::new();
    let parsed = serde_ignored::deserialize(toml::Deserializer::new(text), |path| {
        ignored.push(path.to_string())
    });
    // Keys skipped before a failure are reported too: the author sees all.
    unknown::report(source, text, &ignored, sink);
    match parsed {
        Ok(config) => Some(config),
        Err(err) => {
            sink.push(toml_error(source, text, &err));
            None
        }
    }
}

/// Turns a toml/serde error into a diagnostic that names the key and suggests
/// the closest known one.
fn toml_error(source: SourceId, text: &str, err: &toml::de::Error) -> Diagnostic {
    let range = err.span().unwrap_or(0..0);
    let span = Span::new(source, range.start, range.end);
    let message = err.message().trim();
    if let Some((key, expected)) = parse_unknown_field(message) {
        let table = enclosing_table(text, range.start);
        let mut diag = Diagnostic::error(span, format!("unknown key `{key}` in {table}"));
        let candidates: Vec<&str> = expected.iter().map(String::as_str).collect();
        if let Some(close) = suggest(&key, candidates.iter().copied()) {
            diag = diag.with_help(format!("did you mean `{close}`?"));
        } else if !candidates.is_empty() {
            diag = diag.with_help(format!("known keys here: {}", candidates.join(", ")));
        }
        return diag;
    }
    let first_line = message.lines().next().unwrap_or(message);
    if first_line.starts_with("must be") {
        // A value rejected by a `deserialize_with` check (see `limits`).
        let key = text[..range.start.min(text.len())]
            .rsplit('\n')
            .next()
            .and_then(|line| line.split('=').next())
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .unwrap_or("this value");
        let table = enclosing_table(text, range.start);
        return Diagnostic::error(span, format!("`{key}` in {table} {first_line}"))
            .with_help("see the [limits] table in the book.toml reference (README)");
    }
    let help = if first_line.contains("basic string") || first_line.contains("literal string") {
        "a string is not closed: end it with a quote on the same line (use \"\"\" for text over several lines)"
    } else if first_line.contains("duplicate key") {
        "each key may appear once per table; remove one of them"
    } else if first_line.contains("expected `.`, `=`") {
        "write keys as `key = value`"
    } else {
        "see the book.toml reference in the README"
    };
    Diagnostic::error(span, format!("invalid TOML in book.toml: {first_line}")).with_help(help)
}

/// Splits serde's "unknown field `x`, expected one of `a`, `b`" message.
fn parse_unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (key, rest) = rest.split_once('`')?;
    let expected = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    Some((key.to_owned(), expected))
}

/// The `[table]` header above `offset`, for messages ("in [book]").
fn enclosing_table(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    before
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.split('#').next().unwrap_or(l).trim().to_owned())
        .unwrap_or_else(|| "the top level".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> (Option<BookConfig>, Vec<String>) {
        let mut sources = Sources::new("/b");
        let id = sources.add("/b/book.toml", text);
        let mut sink = Sink::new();
        let config = parse(&sources, id, &mut sink);
        let messages = sink
            .diagnostics()
            .iter()
            .map(|d| d.render(&sources))
            .collect();
        (config, messages)
    }

    #[test]
    fn unknown_key_names_position_and_suggestion() {
        let (config, messages) = load("[book]\ntitle = \"A\"\ntitel = \"B\"\n");
        assert!(
            config.is_some(),
            "mdBook ignores unknown [book] keys: a warning"
        );
        assert_eq!(
            messages,
            [
                "book.toml:3:1: warning: unknown key `titel` in [book] is ignored\n  = help: did you mean `title`?"
            ]
        );
        let (config, messages) = load("[book]\ntitle = \"A\"\n[pdf]\nprofil = \"print\"\n");
        assert!(config.is_none(), "folio's own tables are strict");
        assert_eq!(
            messages,
            [
                "book.toml:4:1: error: unknown key `profil` in [pdf]\n  = help: did you mean `profile`?"
            ]
        );
    }

    #[test]
    fn defaults_apply() {
        let (config, messages) = load("[book]\ntitle = \"A\"\n");
        assert!(messages.is_empty());
        let config = config.unwrap();
        assert_eq!(config.epub.toc_depth, 2);
        assert!(config.typography.smart_punctuation);
        assert_eq!(config.limits, limits::Limits::default());
    }

    #[test]
    fn limits_are_checked_where_written() {
        let (config, messages) = load("[book]\ntitle = \"A\"\n[limits]\nnesting-depth = 0\n");
        assert!(config.is_none());
        assert_eq!(
            messages,
            [
                "book.toml:4:17: error: `nesting-depth` in [limits] must be between 1 and 256; deeper nesting could overflow the stack\n  = help: see the [limits] table in the book.toml reference (README)"
            ]
        );
        let (config, _) = load("[limits]\nimage-pixels = 1000\ntable-cells = 5\n");
        let limits = config.unwrap().limits;
        assert_eq!((limits.image_pixels, limits.table_cells), (1000, 5));
        assert_eq!(limits.nesting_depth, 32);
        let (_, messages) = load("[limits]\nnesting-dept = 3\n");
        assert_eq!(
            messages,
            [
                "book.toml:2:1: error: unknown key `nesting-dept` in [limits]\n  = help: did you mean `nesting-depth`?"
            ]
        );
    }
}
