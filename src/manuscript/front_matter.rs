//! Per-chapter front matter: a TOML (`+++`) or YAML (`---`) block at the very top
//! of a chapter that sets its `title`, `id`, `role`, and the language (`lang`)
//! and direction (`dir`) it is written in when they differ from the book's.

use crate::diag::{Diagnostic, Sink, Span, suggest};
use crate::ir::Role;
use crate::source::SourceId;
use serde::Deserialize;

/// Largest front matter block parsed. It holds three short keys; the YAML
/// parser is quadratic on deeply nested flow collections (20,000 `[` take
/// seconds), so anything bigger is refused unread.
const MAX_BYTES: usize = 16 * 1024;

/// What a chapter's front matter may say.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Overrides the chapter title (otherwise its first heading).
    pub title: Option<String>,
    /// Overrides the chapter id (otherwise a slug of the file name).
    pub id: Option<String>,
    /// The chapter's role (`preface`, `appendix`…); default `chapter`.
    pub role: Option<String>,
    /// The chapter's language (BCP 47) when not the book's.
    pub lang: Option<String>,
    /// `ltr`, `rtl` or `auto`; default: the direction of its language.
    pub dir: Option<String>,
}

/// Front matter and where the Markdown body starts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    /// The fields.
    pub front: FrontMatter,
    /// The role, validated.
    pub role: Option<Role>,
    /// The language, validated (an invalid tag is an error and `None`).
    pub lang: Option<String>,
    /// The direction, validated (`ltr`, `rtl` or `auto`).
    pub dir: Option<String>,
    /// Byte offset of the first body byte.
    pub body_offset: usize,
}

/// Splits off and parses front matter. A block that does not parse is an error
/// pointing into it; the chapter body is still parsed.
pub fn split(source: SourceId, text: &str, sink: &mut Sink) -> Parsed {
    let Some((fence, inner_start, inner_end, body_offset)) = find_block(text) else {
        return Parsed::default();
    };
    let inner = &text[inner_start..inner_end];
    if inner.len() > MAX_BYTES {
        sink.push(
            Diagnostic::error(
                Span::new(source, 0, 0),
                format!(
                    "the front matter is {}, more than the {} front matter may have",
                    crate::config::limits::human_bytes(inner.len() as u64),
                    crate::config::limits::human_bytes(MAX_BYTES as u64)
                ),
            )
            .with_help("front matter only sets `title`, `id`, `role`, `lang` and `dir`; check that its closing fence is there"),
        );
        return Parsed {
            body_offset,
            ..Parsed::default()
        };
    }
    let front = if fence == "+++" {
        match toml::from_str::<FrontMatter>(inner) {
            Ok(f) => f,
            Err(e) => {
                let r = e.span().unwrap_or(0..0);
                sink.push(front_matter_error(
                    Span::new(source, inner_start + r.start, inner_start + r.end),
                    e.message(),
                ));
                FrontMatter::default()
            }
        }
    } else {
        match serde_yaml::from_str::<Option<FrontMatter>>(inner) {
            Ok(f) => f.unwrap_or_default(),
            Err(e) => {
                let offset = e.location().map_or(0, |l| l.index());
                sink.push(front_matter_error(
                    Span::new(source, inner_start + offset, inner_start + offset),
                    &e.to_string(),
                ));
                FrontMatter::default()
            }
        }
    };
    let role = front
        .role
        .as_deref()
        .and_then(|name| match Role::from_name(name) {
            Some(role) => Some(role),
            None => {
                let names = Role::ALL.iter().map(|(n, _)| *n);
                let at = text[inner_start..inner_end]
                    .find(name)
                    .map_or(inner_start, |i| inner_start + i);
                let mut d = Diagnostic::error(
                    Span::new(source, at, at + name.len()),
                    format!("unknown chapter role `{name}`"),
                );
                d = match suggest(name, names.clone()) {
                    Some(close) => d.with_help(format!("did you mean `{close}`?")),
                    None => d.with_help(format!(
                        "roles are: {}",
                        names.collect::<Vec<_>>().join(", ")
                    )),
                };
                sink.push(d);
                None
            }
        });
    let at = |value: &str| {
        let start = text[inner_start..inner_end]
            .find(value)
            .map_or(inner_start, |i| inner_start + i);
        Span::new(source, start, start + value.len())
    };
    let lang = front
        .lang
        .as_deref()
        .and_then(|tag| match crate::config::validate::check_language(tag) {
            Ok(()) => Some(tag.to_owned()),
            Err(why) => {
                sink.push(
                    Diagnostic::error(
                        at(tag),
                        format!("`{tag}` is not a valid BCP 47 language tag: {why}"),
                    )
                    .with_help("use a tag such as `fr`, `ja`, `ar` or `pt-BR`"),
                );
                None
            }
        });
    let dir = front.dir.as_deref().and_then(|dir| match dir {
        "ltr" | "rtl" | "auto" => Some(dir.to_owned()),
        other => {
            sink.push(
                Diagnostic::error(at(other), format!("unknown text direction `{other}`"))
                    .with_help(
                        "use `ltr`, `rtl` or `auto` (or leave it out: the language decides)",
                    ),
            );
            None
        }
    });
    Parsed {
        front,
        role,
        lang,
        dir,
        body_offset,
    }
}

fn front_matter_error(span: Span, message: &str) -> Diagnostic {
    let message = message.lines().next().unwrap_or(message).trim();
    let mut d = Diagnostic::error(span, format!("invalid front matter: {message}"));
    if let Some(rest) = message.strip_prefix("unknown field `") {
        if let Some((key, _)) = rest.split_once('`') {
            if let Some(close) = suggest(key, ["title", "id", "role", "lang", "dir"]) {
                d = d.with_help(format!("did you mean `{close}`?"));
            }
        }
    }
    d.with_help("front matter may set `title`, `id`, `role`, `lang` and `dir`")
}

/// Finds `+++ … +++` or `--- … ---` starting on the first line; returns the fence,
/// the inner byte range and where the body starts.
fn find_block(text: &str) -> Option<(&'static str, usize, usize, usize)> {
    let fence = ["+++", "---"].into_iter().find(|f| {
        text.strip_prefix(f)
            .is_some_and(|rest| rest.starts_with('\n') || rest.starts_with("\r\n"))
    })?;
    let inner_start = text.find('\n')? + 1;
    let mut pos = inner_start;
    while pos <= text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..line_end].trim_end_matches('\r');
        if line == fence {
            let body = (line_end + 1).min(text.len());
            return Some((fence, inner_start, pos, body));
        }
        if line_end == text.len() {
            break;
        }
        pos = line_end + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_yaml_blocks() {
        let mut sink = Sink::new();
        let p = split(
            SourceId(0),
            "+++\ntitle = \"A\"\nrole = \"preface\"\n+++\n# Body\n",
            &mut sink,
        );
        assert_eq!(p.front.title.as_deref(), Some("A"));
        assert_eq!(p.role, Some(Role::Preface));
        assert_eq!(p.body_offset, 37);
        let p = split(SourceId(0), "---\ntitle: B\nid: b\n---\ntext", &mut sink);
        assert_eq!(p.front.id.as_deref(), Some("b"));
        assert_eq!(&"---\ntitle: B\nid: b\n---\ntext"[p.body_offset..], "text");
        assert!(sink.diagnostics().is_empty());
    }

    #[test]
    fn no_block_or_unclosed_block_is_body() {
        let mut sink = Sink::new();
        assert_eq!(split(SourceId(0), "# Title\n", &mut sink).body_offset, 0);
        assert_eq!(
            split(SourceId(0), "---\nnot closed\n", &mut sink).body_offset,
            0
        );
    }

    #[test]
    fn language_and_direction() {
        let mut sink = Sink::new();
        let p = split(
            SourceId(0),
            "+++
lang = \"ar\"
dir = \"rtl\"
+++
",
            &mut sink,
        );
        assert_eq!(p.lang.as_deref(), Some("ar"));
        assert_eq!(p.dir.as_deref(), Some("rtl"));
        let p = split(
            SourceId(0),
            "---
lang: ja
---
",
            &mut sink,
        );
        assert_eq!(p.lang.as_deref(), Some("ja"));
        assert!(sink.diagnostics().is_empty());
        let text = "+++
lang = \"japanese\"
dir = \"up\"
+++
";
        let p = split(SourceId(0), text, &mut sink);
        assert_eq!((p.lang, p.dir), (None, None));
        let d = sink.diagnostics();
        assert!(
            d[0].message.starts_with("`japanese` is not a valid BCP 47"),
            "{}",
            d[0].message
        );
        assert_eq!(d[1].message, "unknown text direction `up`");
        let span = d[1].span.unwrap();
        assert_eq!(&text[span.start as usize..span.end as usize], "up");
    }

    #[test]
    fn unknown_role_and_key() {
        let mut sink = Sink::new();
        split(SourceId(0), "+++\nrole = \"apendix\"\n+++\n", &mut sink);
        split(SourceId(0), "+++\ntitel = \"x\"\n+++\n", &mut sink);
        let d = sink.diagnostics();
        assert_eq!(d[0].message, "unknown chapter role `apendix`");
        assert_eq!(d[0].help[0], "did you mean `appendix`?");
        assert!(
            d[1].message.contains("unknown field `titel`"),
            "{}",
            d[1].message
        );
        assert_eq!(d[1].help[0], "did you mean `title`?");
    }
}
