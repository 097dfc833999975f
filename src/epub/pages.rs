//! Pages folio generates when the manuscript has none of its own: cover, title
//! page and copyright page, all from `book.toml` metadata.

use super::xhtml::{document, escape};
use crate::ir::Metadata;
use crate::typography::lang::Labels;
use std::fmt::Write as _;

/// The cover page: the cover image alone, scaled to the screen.
pub fn cover(meta: &Metadata, image_href: &str, labels: &Labels) -> String {
    let body = format!(
        "<section epub:type=\"cover\" class=\"cover\">\n<img src=\"{}\" alt=\"{}: {}\" role=\"doc-cover\"/>\n</section>\n",
        escape(image_href),
        escape(labels.cover),
        escape(&meta.title)
    );
    document(&meta.language, None, &meta.title, "frontmatter", &body)
}

/// The title page: title, subtitle, authors, publisher.
pub fn title_page(meta: &Metadata, labels: &Labels) -> String {
    let mut body =
        String::from("<section epub:type=\"titlepage\" class=\"titlepage\" aria-label=\"");
    body.push_str(&escape(labels.title_page));
    body.push_str("\">\n");
    let _ = writeln!(
        body,
        "<h1 class=\"title\" epub:type=\"fulltitle\">{}</h1>",
        escape(&meta.title)
    );
    if let Some(subtitle) = &meta.subtitle {
        let _ = writeln!(
            body,
            "<p class=\"subtitle\" epub:type=\"subtitle\" role=\"doc-subtitle\">{}</p>",
            escape(subtitle)
        );
    }
    if !meta.authors.is_empty() {
        let _ = writeln!(
            body,
            "<p class=\"authors\">{}</p>",
            escape(&meta.authors.join(", "))
        );
    }
    if let Some(publisher) = &meta.publisher {
        let _ = writeln!(body, "<p class=\"publisher\">{}</p>", escape(publisher));
    }
    body.push_str("</section>\n");
    document(&meta.language, None, &meta.title, "frontmatter", &body)
}

/// The copyright page: rights, edition, publisher, date and ISBN, as given.
pub fn copyright(meta: &Metadata, labels: &Labels) -> String {
    let mut body = format!(
        "<section epub:type=\"copyright-page\" class=\"copyright\" aria-label=\"{}\">\n",
        escape(labels.copyright)
    );
    let _ = writeln!(
        body,
        "<p class=\"copyright-title\"><em>{}</em></p>",
        escape(&meta.title)
    );
    if let Some(rights) = &meta.rights {
        let _ = writeln!(body, "<p>{}</p>", escape(rights));
    }
    if let Some(edition) = &meta.edition {
        let _ = writeln!(body, "<p>{}</p>", escape(edition));
    }
    match (&meta.publisher, &meta.date) {
        (Some(p), Some(d)) => {
            let _ = writeln!(body, "<p>{}, {}</p>", escape(p), escape(d));
        }
        (Some(p), None) => {
            let _ = writeln!(body, "<p>{}</p>", escape(p));
        }
        (None, Some(d)) => {
            let _ = writeln!(body, "<p>{}</p>", escape(d));
        }
        (None, None) => {}
    }
    if let Some(isbn) = meta.identifier.isbn() {
        let _ = writeln!(body, "<p>ISBN {}</p>", escape(&hyphenate_isbn(isbn)));
    }
    body.push_str("</section>\n");
    document(&meta.language, None, labels.copyright, "frontmatter", &body)
}

/// `9780306406157` → `978-0306406157` (prefix split only: the full
/// registration-group split needs the ISBN agency's ranges table).
fn hyphenate_isbn(isbn: &str) -> String {
    if isbn.len() == 13 {
        format!("{}-{}", &isbn[..3], &isbn[3..])
    } else {
        isbn.to_owned()
    }
}
