//! `folio new`: a book that builds at once and shows how everything is
//! written: `book.toml` with every key (the optional ones commented), a
//! `SUMMARY.md`, a preface, and a first chapter with headings, a footnote, a
//! figure, code and a cross-link.

use std::path::Path;

/// Why a book could not be created.
#[derive(Debug)]
pub enum NewError {
    /// The folder exists and has files in it.
    NotEmpty,
    /// The file system refused.
    Io(std::io::Error),
}

impl std::fmt::Display for NewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NewError::NotEmpty => f.write_str("the folder is not empty"),
            NewError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Creates a new book in `dir` titled after the folder's name. Refuses a
/// non-empty folder, so nothing is ever overwritten.
pub fn create(dir: &Path) -> Result<Vec<String>, NewError> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(NewError::Io)?
            .next()
            .is_some()
    {
        return Err(NewError::NotEmpty);
    }
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "My Book".into());
    let title = title_case(&name);
    let identifier = uuid::Uuid::new_v4().hyphenated().to_string();
    let files: [(&str, String); 6] = [
        (
            "book.toml",
            BOOK_TOML
                .replace("{title}", &title)
                .replace("{identifier}", &identifier),
        ),
        ("src/SUMMARY.md", SUMMARY.to_owned()),
        ("src/preface.md", PREFACE.to_owned()),
        ("src/01-getting-started.md", CHAPTER.to_owned()),
        ("src/images/pipeline.svg", FIGURE.to_owned()),
        (".gitignore", "/dist\n".to_owned()),
    ];
    let mut written = Vec::new();
    for (path, text) in files {
        let full = dir.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).map_err(NewError::Io)?;
        }
        std::fs::write(&full, text).map_err(NewError::Io)?;
        written.push(path.to_owned());
    }
    Ok(written)
}

/// `my-first-book` → `My First Book`.
fn title_case(name: &str) -> String {
    name.split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

const BOOK_TOML: &str = r#"# book.toml — every key folio reads. Uncomment what you need.
# Reference: the "book.toml reference" section of folio's README.

[book]
title = "{title}"
# subtitle = "A subtitle"
authors = ["Your Name"]
language = "en"                      # BCP 47: en, en-GB, fr, pt-BR…
identifier = "urn:uuid:{identifier}" # replace with the ISBN-13 when you have one
# publisher = "Publisher"
# date = "2025-01-01"                # YYYY, YYYY-MM or YYYY-MM-DD
# edition = "First edition"
# description = "The blurb stores show."
# rights = "Copyright © 2025 Your Name. All rights reserved."
# subjects = ["Topic", "Another topic"]
# cover = "src/images/cover.png"
# slug = "my-book"                   # output file name
src = "src"                          # where SUMMARY.md and the chapters are
# chapters = ["preface.md"]          # explicit order (instead of SUMMARY.md)

[build]
# strict = true                      # warnings fail the build (release builds)

[epub]
# toc-depth = 2                      # heading levels in the navigation
# stylesheet = "styles/epub.css"     # replaces folio's stylesheet
# extra-css = ["styles/extra.css"]   # added after it
# fonts = ["fonts/MyFont-Regular.ttf"]

[pdf]
# style = "styles/print.toml"        # page size, margins, fonts (see folio's styles/print.toml)
# profile = "print"                  # print | screen
# toc-depth = 2
# font-paths = ["fonts"]             # folders of fonts for characters the style's fonts lack
# system-fonts = true                # installed fonts may supply them too

[typography]
# smart-punctuation = true
# hyphenation-exceptions = ["ta-ble"]

[lint]
# repeated-word = "allow"            # allow | warn | deny, per lint (see `folio check`)
"#;

const SUMMARY: &str =
    "# Summary\n\n[Preface](preface.md)\n\n- [Getting Started](01-getting-started.md)\n";

const PREFACE: &str =
    "+++\nrole = \"preface\"\n+++\n\n# Preface\n\nWhy this book exists, and who it is for.\n";

const CHAPTER: &str = r#"# Getting Started

Every chapter is a Markdown file listed in `SUMMARY.md`. Write prose as you
would anywhere else; folio turns "straight quotes" into curly ones and sets
the paragraphs justified and hyphenated in the PDF.[^pdf]

[^pdf]: Footnotes go at the bottom of the page in print and pop up in e-readers.

## A Figure

An image alone in its paragraph is a figure; its title is the caption.

![The pipeline from manuscript to EPUB and PDF](images/pipeline.svg "From manuscript to book")

## Some Code

```python
def greet(name: str) -> str:
    return f"Hello, {name}!"
```

## Links

Links to other chapters are checked: back to the [preface](preface.md), or to
[a figure in this chapter](#a-figure).
"#;

const FIGURE: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="480" height="120" viewBox="0 0 480 120">
  <rect x="10" y="30" width="120" height="60" rx="8" fill="#dde6f2" stroke="#1f3f99" stroke-width="2"/>
  <text x="70" y="66" font-family="sans-serif" font-size="16" text-anchor="middle">Manuscript</text>
  <path d="M130 60 H180" stroke="#333" stroke-width="2"/>
  <rect x="180" y="30" width="120" height="60" rx="8" fill="#e8f2dd" stroke="#0a6e31" stroke-width="2"/>
  <text x="240" y="66" font-family="sans-serif" font-size="16" text-anchor="middle">folio</text>
  <path d="M300 60 H350" stroke="#333" stroke-width="2"/>
  <rect x="350" y="30" width="120" height="60" rx="8" fill="#f2e6dd" stroke="#8a4b00" stroke-width="2"/>
  <text x="410" y="66" font-family="sans-serif" font-size="16" text-anchor="middle">EPUB + PDF</text>
</svg>
"##;

#[cfg(test)]
mod tests {
    use super::title_case;

    #[test]
    fn titles_from_folder_names() {
        assert_eq!(title_case("my-first_book"), "My First Book");
    }
}
