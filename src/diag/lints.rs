//! The lint registry: every lint folio has, as one typed list. A lint is a
//! diagnostic the author may silence or turn into an error in `book.toml`
//! `[lint]`; its id is what they write there and what `[id]` shows in
//! messages. The README's lint table and `folio check --list-lints` are made
//! from this list (a test keeps the README in step), and a diagnostic can
//! only carry a lint that is in it, so an id cannot be misspelt.
//!
//! It lives beside the diagnostics rather than in `lint` because parsing
//! raises lints too (`missing-alt`, `image-size`, `duplicate-id`,
//! `empty-chapter`) and must not depend on the `folio check` passes.

use serde::Deserialize;

/// How a lint reports: not at all, as a warning, or as an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LintLevel {
    /// Silenced.
    Allow,
    /// A warning.
    Warn,
    /// An error: the build fails.
    Deny,
}

impl LintLevel {
    /// The word written in `book.toml` (`allow`, `warn`, `deny`).
    pub fn as_str(self) -> &'static str {
        match self {
            LintLevel::Allow => "allow",
            LintLevel::Warn => "warn",
            LintLevel::Deny => "deny",
        }
    }
}

/// Declares [`Lint`] from one row per lint, so the variant, its id, its
/// default level and what it finds cannot drift apart, and [`Lint::ALL`]
/// cannot miss one.
macro_rules! lints {
    ($( $(#[doc = $doc:literal])* $variant:ident = $id:literal, $level:ident, $finds:literal; )*) => {
        /// A lint: a problem in a manuscript that still builds but reads or
        /// prints badly.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Lint {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Lint {
            /// Every lint, in the order the README and `--list-lints` show them.
            pub const ALL: &'static [Lint] = &[$( Lint::$variant ),*];

            /// The stable id written in `[lint]` and shown in messages.
            pub fn id(self) -> &'static str {
                match self { $( Lint::$variant => $id, )* }
            }

            /// The level a lint has when `[lint]` does not set one.
            pub fn default_level(self) -> LintLevel {
                match self { $( Lint::$variant => LintLevel::$level, )* }
            }

            /// What the lint finds, one line (Markdown).
            pub fn finds(self) -> &'static str {
                match self { $( Lint::$variant => $finds, )* }
            }
        }
    };
}

lints! {
    /// Mis-decoded UTF-8 (`lint::mojibake`).
    Mojibake = "mojibake", Warn,
        "UTF-8 text decoded as Windows-125x/Latin-1 (`ā€œ`, `â€™`, `šŸ“`), with the repaired text";
    /// Typewriter punctuation in prose.
    StraightQuotes = "straight-quotes", Warn,
        "straight quotes or `--` in prose while smart punctuation is off";
    /// An image without alternative text (raised while loading images).
    MissingAlt = "missing-alt", Warn,
        "images without alt text";
    /// An image too small for print.
    ImageResolution = "image-resolution", Warn,
        "images too small to print at the text width at 300 DPI";
    /// An image too large for e-readers (raised while loading images).
    ImageSize = "image-size", Warn,
        "images above 4 megapixels (e-readers refuse or scale them)";
    /// A heading level skipped.
    HeadingSkip = "heading-skip", Warn,
        "heading levels that skip (`##` then `####`)";
    /// A chapter with no text (raised while parsing and by `check`).
    EmptyChapter = "empty-chapter", Warn,
        "chapters with no text";
    /// One id on two elements (raised while resolving links).
    DuplicateId = "duplicate-id", Warn,
        "ids used twice in the book";
    /// A code line wider than the PDF's measure.
    LongCodeLine = "long-code-line", Warn,
        "code lines longer than the PDF measure (they wrap)";
    /// "the the".
    RepeatedWord = "repeated-word", Warn,
        "the same word twice in a row";
    /// Unpaired quotes or brackets.
    Unbalanced = "unbalanced", Warn,
        "unbalanced “quotes”, (parentheses) or [brackets] in a paragraph";
    /// Author CSS that breaks in readers (raised while building the EPUB).
    EpubCss = "epub-css", Warn,
        "author stylesheets that break in readers: a background without a text colour (dark mode), `font-family: monospace` alone";
}

impl Lint {
    /// The lint with id `id`, if there is one.
    pub fn from_id(id: &str) -> Option<Lint> {
        Lint::ALL.iter().copied().find(|l| l.id() == id)
    }

    /// The README's lint table (Markdown), one row per lint.
    pub fn markdown_table() -> String {
        let mut table = String::from("| id | default | finds |\n| --- | --- | --- |\n");
        for lint in Lint::ALL {
            table.push_str(&format!(
                "| `{}` | {} | {} |\n",
                lint.id(),
                lint.default_level().as_str(),
                lint.finds()
            ));
        }
        table
    }

    /// `folio check --list-lints`: one line per lint, id and default level
    /// in aligned columns, then what it finds.
    pub fn listing() -> String {
        let width = Lint::ALL.iter().map(|l| l.id().len()).max().unwrap_or(0);
        let mut out = String::new();
        for lint in Lint::ALL {
            out.push_str(&format!(
                "{:width$}  {:5} {}\n",
                lint.id(),
                lint.default_level().as_str(),
                lint.finds().replace('`', "")
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_found_again() {
        let mut seen = std::collections::BTreeSet::new();
        for &lint in Lint::ALL {
            let id = lint.id();
            assert!(seen.insert(id), "`{id}` twice");
            assert!(
                !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "`{id}` is not kebab-case"
            );
            assert_eq!(Lint::from_id(id), Some(lint));
        }
        assert_eq!(Lint::from_id("repeated-words"), None);
    }
}
