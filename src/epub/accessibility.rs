//! Accessibility metadata computed from the book's content, never fixed
//! defaults: a claim that does not hold is worse than no claim, because stores
//! and reading systems act on it.

use crate::ir::{Block, BlockKind, Book, Inline, InlineKind, RawHtml, walk};

/// What the package document says about accessibility.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accessibility {
    /// `schema:accessMode` values.
    pub access_modes: Vec<&'static str>,
    /// `schema:accessModeSufficient` sets (comma-separated lists).
    pub sufficient: Vec<String>,
    /// `schema:accessibilityFeature` values.
    pub features: Vec<&'static str>,
    /// `schema:accessibilityHazard` values.
    pub hazards: Vec<&'static str>,
    /// `schema:accessibilitySummary`, one or two sentences.
    pub summary: String,
    /// Whether the WCAG 2.1 AA conformance claim can be made.
    pub conforms: bool,
}

/// Facts gathered from the content.
#[derive(Debug, Default, Clone, Copy)]
struct Facts {
    images: usize,
    images_without_alt: usize,
    tables: usize,
    heading_skips: usize,
    media: bool,
    footnotes: usize,
}

/// Assesses a book. `language_valid` is whether `dc:language` is a valid tag.
pub fn assess(book: &Book, language_valid: bool) -> Accessibility {
    let facts = gather(book);
    let mut access_modes = vec!["textual"];
    let mut sufficient = Vec::new();
    if facts.images > 0 {
        access_modes.push("visual");
        sufficient.push("textual,visual".to_owned());
    }
    let all_alt = facts.images_without_alt == 0;
    if all_alt {
        sufficient.insert(0, "textual".to_owned());
    }
    let mut features = vec![
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ];
    if facts.images > 0 && all_alt {
        features.push("alternativeText");
    }
    if facts.tables > 0 {
        features.push("tableOfContents");
        features.dedup();
    }
    let hazards = if facts.media {
        vec!["unknown"]
    } else {
        vec!["none"]
    };
    let conforms = all_alt && language_valid && facts.heading_skips == 0 && !facts.media;

    let mut summary = String::from(
        "This publication has structured headings, a navigable table of contents and a logical reading order; its text can be resized and restyled by the reader.",
    );
    if facts.images > 0 {
        if all_alt {
            summary.push_str(&format!(
                " Each of its {} images has a text description.",
                facts.images
            ));
        } else {
            summary.push_str(&format!(
                " {} of its {} images have no text description.",
                facts.images_without_alt, facts.images
            ));
        }
    }
    if facts.footnotes > 0 {
        summary.push_str(" Footnotes are linked to and from the text.");
    }
    if conforms {
        summary.push_str(" It meets the EPUB Accessibility 1.1 requirements at WCAG 2.1 Level AA as far as automated checks can tell.");
    }
    Accessibility {
        access_modes,
        sufficient,
        features,
        hazards,
        summary,
        conforms,
    }
}

fn gather(book: &Book) -> Facts {
    let mut facts = Facts::default();
    for chapter in &book.chapters {
        // Headings are leveled from the chapter's title at `depth + 1`.
        let mut last_level = chapter.depth.saturating_add(1);
        facts.footnotes += chapter.notes.len();
        let mut all_blocks: Vec<&Block> = Vec::new();
        walk::blocks(&chapter.blocks, &mut |b| all_blocks.push(b));
        for note in &chapter.notes {
            walk::blocks(&note.blocks, &mut |b| all_blocks.push(b));
        }
        for block in all_blocks {
            match &block.kind {
                BlockKind::Heading { level, .. } => {
                    if *level > last_level + 1 {
                        facts.heading_skips += 1;
                    }
                    last_level = *level;
                }
                BlockKind::Figure(figure) => count_image(&mut facts, &figure.image.alt),
                BlockKind::Table(_) => facts.tables += 1,
                BlockKind::Html(raw) => count_html(&mut facts, raw),
                _ => {}
            }
            for inlines in walk::own_inlines(block) {
                count_inline_images(&mut facts, inlines);
            }
        }
    }
    facts
}

fn count_inline_images(facts: &mut Facts, inlines: &[Inline]) {
    walk::inlines(inlines, &mut |inline| match &inline.kind {
        InlineKind::Image(image) => count_image(facts, &image.alt),
        InlineKind::Html(raw) => count_html(facts, raw),
        _ => {}
    });
}

fn count_image(facts: &mut Facts, alt: &str) {
    facts.images += 1;
    if alt.trim().is_empty() {
        facts.images_without_alt += 1;
    }
}

fn count_html(facts: &mut Facts, raw: &RawHtml) {
    facts.media |= has_media(&raw.html);
    for image in &raw.images {
        count_image(facts, image.alt.as_deref().unwrap_or(""));
    }
}

fn has_media(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    lower.contains("<video") || lower.contains("<audio")
}
