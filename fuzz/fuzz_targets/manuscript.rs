//! A whole book folder from fuzz input — `book.toml`, chapters with TOML or
//! YAML front matter, Markdown with raw HTML and images, optionally a
//! `SUMMARY.md` — through `manuscript::load` and `parse::book`.
#![no_main]
use arbitrary::Arbitrary;
use folio::diag::Sink;
use folio::source::Sources;
use libfuzzer_sys::fuzz_target;
use std::fmt::Write as _;

#[derive(Debug, Arbitrary)]
enum Order {
    /// Every .md file, by name.
    Files,
    /// `chapters = [...]` in book.toml.
    List,
    /// A SUMMARY.md (with an arbitrary tail).
    Summary(String),
}

#[derive(Debug, Arbitrary)]
enum Front {
    None,
    Toml { title: String, id: String, role: u8 },
    Yaml { title: String, role: u8 },
    Raw(String),
}

#[derive(Debug, Arbitrary)]
enum Piece {
    Fragment(u8),
    Text(String),
}

#[derive(Debug, Arbitrary)]
struct Chapter {
    front: Front,
    body: Vec<Piece>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    order: Order,
    /// Appended to book.toml (after a newline).
    extra_toml: Option<String>,
    chapters: Vec<Chapter>,
}

fn quoted(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn role(n: u8) -> &'static str {
    let roles = folio::ir::Role::ALL;
    roles
        .get(usize::from(n))
        .map_or("villain", |(name, _)| name)
}

fuzz_target!(|input: Input| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let root = dir.path();
    let chapters: Vec<&Chapter> = input.chapters.iter().take(4).collect();
    let mut toml = String::from(
        "[book]\ntitle = \"Fuzz\"\nlanguage = \"en\"\nauthors = [\"A\"]\nidentifier = \"978-0-306-40615-7\"\n",
    );
    if matches!(input.order, Order::List) {
        let names: Vec<String> = (0..chapters.len())
            .map(|i| quoted(&format!("ch{i}.md")))
            .collect();
        let _ = writeln!(toml, "chapters = [{}]", names.join(", "));
    }
    if let Some(extra) = &input.extra_toml {
        toml.push('\n');
        toml.push_str(extra);
    }
    let _ = std::fs::write(root.join("book.toml"), toml);
    let _ = std::fs::create_dir(root.join("images"));
    let mut u = arbitrary::Unstructured::new(&[7; 64]);
    if let Ok(png) = folio_fuzz::png(&mut u) {
        let _ = std::fs::write(root.join("images/a.png"), png);
    }
    let _ = std::fs::write(
        root.join("images/b.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"5\" height=\"5\"/></svg>",
    );
    if let Order::Summary(tail) = &input.order {
        let mut summary = String::from("# Summary\n\n");
        for i in 0..chapters.len() {
            let _ = writeln!(summary, "{}- [Chapter {i}](ch{i}.md)", "  ".repeat(i % 3));
        }
        summary.push_str(tail);
        let _ = std::fs::write(root.join("SUMMARY.md"), summary);
    }
    for (i, chapter) in chapters.iter().enumerate() {
        let mut text = match &chapter.front {
            Front::None => String::new(),
            Front::Toml { title, id, role: r } => format!(
                "+++\ntitle = {}\nid = {}\nrole = {}\n+++\n",
                quoted(title),
                quoted(id),
                quoted(role(*r))
            ),
            Front::Yaml { title, role: r } => {
                format!("---\ntitle: {title:?}\nrole: {}\n---\n", role(*r))
            }
            Front::Raw(raw) => raw.clone(),
        };
        for piece in chapter.body.iter().take(64) {
            match piece {
                Piece::Fragment(n) => text
                    .push_str(folio_fuzz::MARKDOWN[usize::from(*n) % folio_fuzz::MARKDOWN.len()]),
                Piece::Text(t) => text.push_str(t),
            }
        }
        let _ = std::fs::write(root.join(format!("ch{i}.md")), text);
    }
    let mut sources = Sources::new(root);
    let mut sink = Sink::new();
    if let Ok(ms) = folio::manuscript::load(root, None, &mut sources, &mut sink) {
        let _ = folio::parse::book(&ms, &sources, &mut sink, None);
    }
    for d in sink.diagnostics() {
        let _ = d.render(&sources);
    }
});
