//! The benchmark book's code: listings in six languages (Python, shell, JSON,
//! YAML, Rust, Django templates), and the listing files most of them are
//! included from, as real technical books keep their examples: one file per
//! chapter and language, each listing between `ANCHOR: name` and
//! `ANCHOR_END: name` comments among code the book never shows, pulled in
//! with `{{#include file:name}}` (JSON has no comments: a JSON listing is a
//! file of its own, included whole).

use super::{Rng, Vocab, title_case};
use std::fmt::Write as _;

pub(crate) const LANGS: &[&str] = &[
    "python", "shell", "json", "yaml", "rust", "django", "python", "shell",
];

/// File extension of a listing in `lang`.
pub(crate) fn extension(lang: &str) -> &'static str {
    match lang {
        "python" => "py",
        "shell" => "sh",
        "json" => "json",
        "yaml" => "yaml",
        "rust" => "rs",
        _ => "html",
    }
}

/// `text` as a line comment in `lang` (`None` for JSON, which has none).
pub(crate) fn comment(lang: &str, text: &str) -> Option<String> {
    match lang {
        "python" | "shell" | "yaml" => Some(format!("# {text}")),
        "rust" => Some(format!("// {text}")),
        "json" => None,
        _ => Some(format!("{{# {text} #}}")),
    }
}

/// One chapter's listing file in one language, built up listing by listing.
pub(crate) struct ListingFile {
    /// Path under the book folder (`listings/ch-012/orders.py`).
    pub path: String,
    pub lang: &'static str,
    pub text: String,
}

impl ListingFile {
    /// A new file whose opening lines (imports, a module comment) no
    /// listing shows.
    pub(crate) fn new(vocab: &Vocab, rng: &mut Rng, path: String, lang: &'static str) -> Self {
        let mut text = String::new();
        if let Some(c) = comment(lang, &title_case(&vocab.phrase(rng, 3, 7))) {
            text.push_str(&c);
            text.push('\n');
        }
        match lang {
            "python" => {
                let _ = writeln!(
                    text,
                    "import json\nimport logging\n\nlogger = logging.getLogger(__name__)\n"
                );
            }
            "shell" => text.insert_str(0, "#!/usr/bin/env bash\nset -euo pipefail\n"),
            "rust" => text.push_str("#![allow(dead_code)]\nuse std::error::Error;\n\n"),
            _ => {}
        }
        ListingFile { path, lang, text }
    }

    /// Appends `code` between anchor comments named `anchor`, after some
    /// code of the same language that stays out of the book.
    pub(crate) fn push_anchored(&mut self, vocab: &Vocab, rng: &mut Rng, anchor: &str, code: &str) {
        if rng.chance(1, 2) {
            self.text.push_str(&code_block(vocab, rng, self.lang));
            self.text.push('\n');
        }
        let start = comment(self.lang, &format!("ANCHOR: {anchor}")).unwrap_or_default();
        let end = comment(self.lang, &format!("ANCHOR_END: {anchor}")).unwrap_or_default();
        let _ = write!(self.text, "{start}\n{code}{end}\n\n");
    }
}

/// A code block of 2–10 statements in `lang` (plus its frame); many have a
/// line longer than the measure.
pub(crate) fn code_block(vocab: &Vocab, rng: &mut Rng, lang: &str) -> String {
    let lines = 2 + rng.below(9);
    let mut out = String::new();
    let id = |rng: &mut Rng| vocab.identifier(rng);
    let words = |rng: &mut Rng, a, b| vocab.phrase(rng, a, b);
    match lang {
        "python" => {
            let _ = writeln!(
                out,
                "import {}\nfrom {}.{} import {}\n",
                id(rng),
                id(rng),
                id(rng),
                id(rng)
            );
            let _ = writeln!(out, "def {}({}, {}):", id(rng), id(rng), id(rng));
            let _ = writeln!(out, "    \"\"\"{}.\"\"\"", title_case(&words(rng, 4, 9)));
            for _ in 0..lines {
                let _ = match rng.below(7) {
                    0 => writeln!(
                        out,
                        "    {} = {}({}, {}=\"{}\")",
                        id(rng),
                        id(rng),
                        id(rng),
                        id(rng),
                        words(rng, 1, 3)
                    ),
                    1 => writeln!(out, "    # {}", words(rng, 3, 9)),
                    2 => writeln!(
                        out,
                        "    if {} is None or {} > {}:\n        return {{\"statusCode\": {}, \"body\": json.dumps({{\"{}\": \"{}\"}})}}",
                        id(rng),
                        id(rng),
                        rng.below(500),
                        400 + rng.below(100),
                        id(rng),
                        words(rng, 2, 6)
                    ),
                    3 => writeln!(
                        out,
                        "    for {} in {}.{}():\n        {} += {} * {}",
                        id(rng),
                        id(rng),
                        id(rng),
                        id(rng),
                        id(rng),
                        rng.below(100)
                    ),
                    4 => writeln!(
                        out,
                        "    logger.info(\"{} %s\", {})",
                        words(rng, 2, 5),
                        id(rng)
                    ),
                    5 => writeln!(out, "    {}.{}({})", id(rng), id(rng), id(rng)),
                    _ => writeln!(
                        out,
                        "    {} = [{} for {} in {} if {}]",
                        id(rng),
                        id(rng),
                        id(rng),
                        id(rng),
                        id(rng)
                    ),
                };
            }
            let _ = writeln!(out, "    return {}", id(rng));
        }
        "shell" => {
            for _ in 0..lines {
                let _ = match rng.below(6) {
                    0 => writeln!(
                        out,
                        "$ aws lambda create-function --function-name {} --runtime python3.12 --handler {}.handler --zip-file fileb://{}.zip",
                        id(rng),
                        id(rng),
                        id(rng)
                    ),
                    1 => writeln!(
                        out,
                        "$ pip install {} {}=={}.{}.{}",
                        id(rng),
                        id(rng),
                        rng.below(5),
                        rng.below(20),
                        rng.below(10)
                    ),
                    2 => writeln!(
                        out,
                        "$ export {}=\"{}\"",
                        id(rng).to_ascii_uppercase(),
                        id(rng)
                    ),
                    3 => writeln!(out, "$ cd {} && ls -la | grep {}", id(rng), id(rng)),
                    4 => writeln!(out, "# {}", words(rng, 3, 8)),
                    _ => writeln!(
                        out,
                        "{} {} {}",
                        id(rng),
                        rng.below(100_000),
                        words(rng, 1, 5)
                    ),
                };
            }
        }
        "json" => {
            out.push_str("{\n");
            for k in 0..lines {
                let comma = if k + 1 < lines { "," } else { "" };
                let _ = match rng.below(5) {
                    0 => writeln!(out, "  \"{}\": {}{comma}", id(rng), rng.below(10_000)),
                    1 => writeln!(
                        out,
                        "  \"{}\": {}{comma}",
                        id(rng),
                        if rng.chance(1, 2) { "true" } else { "null" }
                    ),
                    2 => writeln!(
                        out,
                        "  \"{}\": [\"{}\", \"{}\", \"{}\"]{comma}",
                        id(rng),
                        id(rng),
                        id(rng),
                        id(rng)
                    ),
                    3 => writeln!(
                        out,
                        "  \"{}\": {{\"{}\": \"{}\", \"{}\": {}}}{comma}",
                        id(rng),
                        id(rng),
                        words(rng, 1, 3),
                        id(rng),
                        rng.below(999)
                    ),
                    _ => writeln!(out, "  \"{}\": \"{}\"{comma}", id(rng), words(rng, 1, 5)),
                };
            }
            out.push_str("}\n");
        }
        "yaml" => {
            let _ = writeln!(out, "{}:", id(rng));
            for _ in 0..lines {
                let _ = match rng.below(5) {
                    0 => writeln!(out, "  {}: {}", id(rng), rng.below(10_000)),
                    1 => writeln!(out, "  {}:\n    - {}\n    - {}", id(rng), id(rng), id(rng)),
                    2 => writeln!(out, "  # {}", words(rng, 3, 7)),
                    3 => writeln!(out, "  {}: \"{}\"", id(rng), words(rng, 2, 6)),
                    _ => writeln!(
                        out,
                        "  {}: {}",
                        id(rng),
                        if rng.chance(1, 2) { "true" } else { "false" }
                    ),
                };
            }
        }
        "rust" => {
            let _ = writeln!(
                out,
                "use std::collections::HashMap;\n\n/// {}.",
                title_case(&words(rng, 3, 8))
            );
            let _ = writeln!(
                out,
                "pub fn {}({}: &str, {}: usize) -> Result<Vec<String>, Error> {{",
                id(rng),
                id(rng),
                id(rng)
            );
            for _ in 0..lines {
                let _ = match rng.below(6) {
                    0 => writeln!(out, "    let {} = {}.{}()?;", id(rng), id(rng), id(rng)),
                    1 => writeln!(out, "    // {}", words(rng, 3, 8)),
                    2 => writeln!(
                        out,
                        "    let mut {}: HashMap<String, Vec<u64>> = HashMap::with_capacity({});",
                        id(rng),
                        rng.below(1024)
                    ),
                    3 => writeln!(
                        out,
                        "    if {} > {} {{ return Err(Error::new(\"{}\")); }}",
                        id(rng),
                        rng.below(100),
                        words(rng, 2, 7)
                    ),
                    4 => writeln!(
                        out,
                        "    for {} in {}.iter().filter(|x| x.{}()) {{ {}.push({}); }}",
                        id(rng),
                        id(rng),
                        id(rng),
                        id(rng),
                        id(rng)
                    ),
                    _ => writeln!(
                        out,
                        "    {}.{}(&{}, {});",
                        id(rng),
                        id(rng),
                        id(rng),
                        rng.below(64)
                    ),
                };
            }
            let _ = writeln!(out, "    Ok({})\n}}", id(rng));
        }
        _ => {
            let _ = writeln!(
                out,
                "{{% extends \"{}.html\" %}}\n{{% load static %}}\n\n{{% block content %}}",
                id(rng)
            );
            for _ in 0..lines {
                let _ = match rng.below(6) {
                    0 => writeln!(
                        out,
                        "<div class=\"{} {}\" id=\"{}\">",
                        id(rng),
                        id(rng),
                        id(rng)
                    ),
                    1 => writeln!(out, "  <h2>{{{{ {}.{}|title }}}}</h2>", id(rng), id(rng)),
                    2 => writeln!(
                        out,
                        "  {{% for {} in {} %}}<li>{{{{ {} }}}}</li>{{% endfor %}}",
                        id(rng),
                        id(rng),
                        id(rng)
                    ),
                    3 => writeln!(
                        out,
                        "  <a href=\"{{% url '{}' {}.pk %}}\" class=\"btn btn-primary btn-lg {}\">{}</a>",
                        id(rng),
                        id(rng),
                        id(rng),
                        words(rng, 1, 4)
                    ),
                    4 => writeln!(out, "  <p>{}</p>", words(rng, 3, 8)),
                    _ => writeln!(out, "</div>"),
                };
            }
            out.push_str("{% endblock %}\n");
        }
    }
    out
}
