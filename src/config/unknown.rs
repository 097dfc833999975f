//! Keys `book.toml` names that folio does not know, in the tables mdBook
//! shares (`[book]`, `[build]`, `[rust]`) or as whole tables: mdBook ignores
//! them, so a book written for mdBook must still build; each is a warning at
//! the key with the closest known key (`author` → `authors`). `--strict`
//! makes them errors like every warning.

use super::{BookConfig, BookTable, BuildTable, RustTable};
use crate::diag::{Diagnostic, Sink, Span, suggest};
use crate::source::SourceId;
use serde::Deserialize;

/// Reports each ignored key path (`book.author`, `foo`) serde skipped.
pub fn report(source: SourceId, text: &str, ignored: &[String], sink: &mut Sink) {
    if ignored.is_empty() {
        return;
    }
    let doc = toml_edit::ImDocument::parse(text).ok();
    for path in ignored {
        // `Option` fields show as `?` segments (`rust.?.playground`).
        let path: String = path
            .split('.')
            .filter(|s| *s != "?")
            .collect::<Vec<_>>()
            .join(".");
        let (table, key) = match path.split_once('.') {
            Some((table, key)) => (Some(table), key),
            None => (None, path.as_str()),
        };
        let span = doc
            .as_ref()
            .and_then(|doc| key_span(doc, table, key))
            .map_or(Span::file(source), |r| Span::new(source, r.start, r.end));
        let (message, known) = match table {
            Some(table) => (
                format!("unknown key `{key}` in [{table}] is ignored"),
                match table {
                    "book" => struct_fields::<BookTable>(),
                    "build" => struct_fields::<BuildTable>(),
                    "rust" => struct_fields::<RustTable>(),
                    _ => &[],
                },
            ),
            None => (
                format!("unknown table [{key}] is ignored"),
                struct_fields::<BookConfig>(),
            ),
        };
        // Only the first segment of a nested key is suggested against.
        let first = key.split('.').next().unwrap_or(key);
        let mut d = Diagnostic::warning(span, message);
        d = match suggest(first, known.iter().copied()) {
            Some(close) => d.with_help(format!("did you mean `{close}`?")),
            None if table.is_some() => {
                d.with_help(format!("known keys here: {}", known.join(", ")))
            }
            None => d.with_help("remove it, or check the book.toml reference in the README"),
        };
        sink.push(d);
    }
}

/// Byte range of `key` in `[table]` (or of the top-level `key`).
fn key_span(
    doc: &toml_edit::ImDocument<&str>,
    table: Option<&str>,
    key: &str,
) -> Option<std::ops::Range<usize>> {
    let top = doc.as_table();
    match table {
        None => top.key(key)?.span(),
        Some(table) => {
            let first = key.split('.').next().unwrap_or(key);
            top.get(table)?.as_table_like()?.key(first)?.span()
        }
    }
}

/// The field names serde knows for `T` (what `deserialize_struct` is told),
/// so suggestions never drift from the structs.
fn struct_fields<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let mut probe = FieldProbe { fields: &[] };
    let _ = T::deserialize(&mut probe);
    probe.fields
}

/// A deserializer that only records the field list it is asked for.
struct FieldProbe {
    fields: &'static [&'static str],
}

#[derive(Debug)]
struct Probed;

impl std::fmt::Display for Probed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("probed")
    }
}

impl std::error::Error for Probed {}

impl serde::de::Error for Probed {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        Probed
    }
}

impl<'de> serde::Deserializer<'de> for &mut FieldProbe {
    type Error = Probed;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Probed> {
        Err(Probed)
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Probed> {
        self.fields = fields;
        Err(Probed)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::Sink;
    use crate::source::Sources;

    fn load(text: &str) -> (bool, Vec<String>) {
        let mut sources = Sources::new("/b");
        let id = sources.add("/b/book.toml", text);
        let mut sink = Sink::new();
        let config = super::super::parse(&sources, id, &mut sink);
        let messages = sink
            .diagnostics()
            .iter()
            .map(|d| d.render(&sources))
            .collect();
        (config.is_some(), messages)
    }

    #[test]
    fn mdbook_tables_warn_with_a_suggestion() {
        let (ok, messages) = load(
            "[book]\ntitle = \"A\"\nauthor = \"Me\"\n[build]\nbuild-dri = \"x\"\n[rust]\nedition = \"2021\"\nplayground = 1\n[outptu.html]\nx = 1\n",
        );
        assert!(ok);
        assert_eq!(
            messages,
            [
                "book.toml:3:1: warning: unknown key `author` in [book] is ignored\n  = help: did you mean `authors`?",
                "book.toml:5:1: warning: unknown key `build-dri` in [build] is ignored\n  = help: did you mean `build-dir`?",
                "book.toml:8:1: warning: unknown key `playground` in [rust] is ignored\n  = help: known keys here: edition",
                "book.toml:9:2: warning: unknown table [outptu] is ignored\n  = help: did you mean `output`?",
            ]
        );
    }

    #[test]
    fn folio_tables_stay_strict() {
        let (ok, messages) = load("[book]\ntitle = \"A\"\n[epub]\ntoc-dept = 2\n");
        assert!(!ok);
        assert_eq!(
            messages,
            [
                "book.toml:4:1: error: unknown key `toc-dept` in [epub]\n  = help: did you mean `toc-depth`?"
            ]
        );
    }

    #[test]
    fn the_published_address() {
        let config = |text: &str| {
            let mut sources = Sources::new("/b");
            let id = sources.add("/b/book.toml", text);
            super::super::parse(&sources, id, &mut Sink::new()).expect("parses")
        };
        let site = "[output.html]\nsite-url = ";
        assert_eq!(
            config(&format!("{site}\"/async-book/\"\n")).published_url(),
            None,
            "a path names no site"
        );
        assert_eq!(
            config(&format!(
                "{site}\"https://rust-lang.github.io/async-book\"\n"
            ))
            .published_url(),
            Some("https://rust-lang.github.io/async-book/".into())
        );
        assert_eq!(
            config(&format!(
                "[book]\nurl = \"https://example.com/b/\"\n{site}\"https://x.org/\"\n"
            ))
            .published_url(),
            Some("https://example.com/b/".into()),
            "[book] url wins"
        );
    }

    #[test]
    fn the_probe_sees_every_field() {
        let fields = super::struct_fields::<super::BookTable>();
        assert!(fields.contains(&"authors") && fields.contains(&"src") && fields.contains(&"url"));
    }
}
