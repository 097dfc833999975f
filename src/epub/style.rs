//! The EPUB stylesheet: folio's `styles/epub.css` (compiled in), or the book's
//! own replacement, plus extensions and `@font-face` rules for embedded fonts;
//! the files an author's stylesheet names are packaged with it
//! ([`css_resources`]). Font names are escaped in CSS strings, and package
//! names made unique.

use super::css_resources;
use crate::backend::RenderContext;
use crate::diag::{DiagResult, Diagnostic, Failed, Sink, Span};
use crate::manuscript::paths;
use std::fmt::Write as _;
use std::path::PathBuf;

/// folio's default EPUB stylesheet.
pub const DEFAULT_CSS: &str = include_str!("../../styles/epub.css");

/// The stylesheet and the files it refers to.
pub struct Stylesheet {
    /// CSS text, written as `stylesheet.css`.
    pub css: String,
    /// Fonts (`[epub] fonts`) and files the book's stylesheets name, to package.
    pub fonts: Vec<FontFile>,
}

/// A file packaged with the stylesheet: a font, or an image or font a
/// stylesheet names.
pub struct FontFile {
    /// Package path (`fonts/Name.ttf`, `styles/…`), unique ignoring case.
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
    let mut taken = std::collections::HashSet::new();
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
        // Two files may share a name (`a/F.ttf`, `b/F.ttf`, `My Font.ttf`
        // and `My_Font.ttf`): package names are made unique.
        let href = css_resources::unique(&mut taken, "fonts", &name);
        let _ = writeln!(
            css,
            "@font-face {{ font-family: \"{}\"; font-weight: {weight}; font-style: {}; src: url(\"{href}\"); }}",
            css_resources::css_string(&family),
            if italic { "italic" } else { "normal" }
        );
        fonts.push(FontFile {
            href,
            bytes,
            media_type,
        });
    }
    // An author's stylesheet, checked for what breaks in readers, with
    // the files it names packaged.
    let mut author = |written: &toml::Spanned<String>,
                      css: &mut String,
                      fonts: &mut Vec<FontFile>,
                      sink: &mut Sink,
                      failed: &mut bool| {
        let Some((path, bytes)) = read(written, sink, failed) else {
            return;
        };
        let original = String::from_utf8_lossy(&bytes);
        check_authors_css(written.get_ref(), &original, sink);
        let (text, files, problems) =
            css_resources::package(&original, &path, cx.root, &cx.config.limits, &mut taken);
        for problem in problems {
            let before = original.get(..problem.at).unwrap_or(&original);
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            sink.push(
                Diagnostic::error(
                    None,
                    format!("{}:{line}:{col}: {}", written.get_ref(), problem.message),
                )
                .with_help("put the file in the book folder and name it by a relative path"),
            );
            *failed = true;
        }
        css.push_str(&text);
        fonts.extend(files.into_iter().map(|f| FontFile {
            href: f.href,
            bytes: f.bytes,
            media_type: f.media_type,
        }));
    };
    match &config.stylesheet {
        Some(replacement) => author(replacement, &mut css, &mut fonts, sink, &mut failed),
        None => css.push_str(DEFAULT_CSS),
    }
    for extra in &config.extra_css {
        let _ = writeln!(css, "\n/* {} */", extra.get_ref().replace("*/", "* /"));
        author(extra, &mut css, &mut fonts, sink, &mut failed);
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
            .with_code("epub-css")
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
    Some((family, face.weight().to_number(), face.is_italic(), media))
}
