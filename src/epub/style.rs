//! The EPUB stylesheet: folio's `styles/epub.css` (compiled in), or the book's
//! own replacement, plus extensions and `@font-face` rules for embedded fonts.

use crate::backend::RenderContext;
use crate::diag::{DiagResult, Diagnostic, Failed, Sink, Span};
use crate::manuscript::paths;
use std::fmt::Write as _;
use std::path::PathBuf;

/// folio's default EPUB stylesheet.
pub const DEFAULT_CSS: &str = include_str!("../../styles/epub.css");

/// The stylesheet and the font files it refers to.
pub struct Stylesheet {
    /// CSS text, written as `stylesheet.css`.
    pub css: String,
    /// Fonts to package.
    pub fonts: Vec<FontFile>,
}

/// A font file packaged in the EPUB.
pub struct FontFile {
    /// Package path (`fonts/Name.ttf`).
    pub href: String,
    /// Bytes as given.
    pub bytes: Vec<u8>,
    /// Core media type.
    pub media_type: &'static str,
}

/// Builds the stylesheet from `[epub]` settings.
pub fn stylesheet(cx: &RenderContext<'_>, sink: &mut Sink) -> DiagResult<Stylesheet> {
    let config = &cx.config.epub;
    let mut css = String::new();
    let mut fonts = Vec::new();
    let mut failed = false;
    let read = |written: &toml::Spanned<String>,
                sink: &mut Sink,
                failed: &mut bool|
     -> Option<(PathBuf, Vec<u8>)> {
        let span = config_span(cx, written);
        match paths::confine(cx.root, cx.root, written.get_ref()) {
            Ok(path) => match paths::read_limited(&path, cx.config.limits.file_bytes) {
                Ok(bytes) => Some((path, bytes)),
                Err(problem) => {
                    let mut d = Diagnostic::error(
                        span,
                        problem.describe(&format!("`{}`", written.get_ref())),
                    );
                    if let paths::ReadProblem::TooLarge { .. } = problem {
                        d = d.with_help(
                            "raise `file-bytes` in [limits] in book.toml if it is right",
                        );
                    }
                    sink.push(d);
                    *failed = true;
                    None
                }
            },
            Err(e) => {
                sink.push(
                    Diagnostic::error(span, e.describe(written.get_ref()))
                        .with_help("paths in [epub] are relative to the book folder"),
                );
                *failed = true;
                None
            }
        }
    };
    for font in &config.fonts {
        let Some((path, bytes)) = read(font, sink, &mut failed) else {
            continue;
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some((family, weight, italic, media_type)) = describe_font(&bytes, &name) else {
            sink.push(Diagnostic::error(
                config_span(cx, font),
                format!(
                    "`{}` is not a TrueType, OpenType or WOFF font",
                    font.get_ref()
                ),
            ));
            failed = true;
            continue;
        };
        let href = format!(
            "fonts/{}",
            name.replace(
                |c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')),
                "_"
            )
        );
        let _ = writeln!(
            css,
            "@font-face {{ font-family: \"{family}\"; font-weight: {weight}; font-style: {}; src: url(\"{href}\"); }}",
            if italic { "italic" } else { "normal" }
        );
        fonts.push(FontFile {
            href,
            bytes,
            media_type,
        });
    }
    match &config.stylesheet {
        Some(replacement) => {
            if let Some((_, bytes)) = read(replacement, sink, &mut failed) {
                let text = String::from_utf8_lossy(&bytes);
                check_authors_css(replacement.get_ref(), &text, sink);
                css.push_str(&text);
            }
        }
        None => css.push_str(DEFAULT_CSS),
    }
    for extra in &config.extra_css {
        if let Some((_, bytes)) = read(extra, sink, &mut failed) {
            let text = String::from_utf8_lossy(&bytes);
            check_authors_css(extra.get_ref(), &text, sink);
            let _ = writeln!(css, "\n/* {} */", extra.get_ref().replace("*/", "* /"));
            css.push_str(&text);
        }
    }
    if failed {
        Err(Failed)
    } else {
        Ok(Stylesheet { css, fonts })
    }
}

/// Warnings for an author's stylesheet that would break in real readers
/// (see [`super::css_check`]), naming the file and line.
fn check_authors_css(file: &str, css: &str, sink: &mut Sink) {
    for problem in super::css_check::check(css) {
        sink.push(
            Diagnostic::warning(
                None,
                format!("{file}:{}: {}", problem.line, problem.message),
            )
            .with_lint(crate::diag::Lint::EpubCss)
            .with_help(problem.help),
        );
    }
}

fn config_span(cx: &RenderContext<'_>, value: &toml::Spanned<String>) -> Option<Span> {
    let (id, _) = cx
        .sources
        .iter()
        .find(|(_, f)| f.path.file_name().is_some_and(|n| n == "book.toml"))?;
    Some(Span::new(id, value.span().start, value.span().end))
}

/// Family name, weight, italic flag and media type of a font file.
fn describe_font(bytes: &[u8], name: &str) -> Option<(String, u16, bool, &'static str)> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".woff2") || lower.ends_with(".woff") {
        let family = name
            .rsplit_once('.')
            .map_or(name, |(s, _)| s)
            .split('-')
            .next()
            .unwrap_or(name)
            .to_owned();
        let media = if lower.ends_with(".woff2") {
            "font/woff2"
        } else {
            "font/woff"
        };
        return Some((family, 400, lower.contains("italic"), media));
    }
    let face = ttf_parser::Face::parse(bytes, 0).ok()?;
    let family = face
        .names()
        .into_iter()
        .filter(|n| {
            n.name_id == ttf_parser::name_id::TYPOGRAPHIC_FAMILY
                || n.name_id == ttf_parser::name_id::FAMILY
        })
        .filter(|n| n.is_unicode())
        .find_map(|n| n.to_string())?;
    let media = if bytes.starts_with(b"OTTO") {
        "font/otf"
    } else {
        "font/ttf"
    };
    Some((
        family.replace('"', ""),
        face.weight().to_number(),
        face.is_italic(),
        media,
    ))
}
