//! Accessibility metadata computed from the book's content, never fixed
//! defaults: a claim that does not hold is worse than no claim, because stores
//! and reading systems act on it.

use crate::ir::{Block, BlockKind, Book, Inline, InlineKind, walk};

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
    heading_skips: usize,
    empty_headings: usize,
    links_without_text: usize,
    /// Audio or video (the parser drops media elements, so only the tests
    /// set it; the hazard and conformance rules stay written down).
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
    let mut features = Vec::new();
    let mut feature = |name: &'static str| {
        if !features.contains(&name) {
            features.push(name);
        }
    };
    feature("structuralNavigation");
    feature("tableOfContents");
    feature("readingOrder");
    feature("displayTransformability");
    if facts.images > 0 && all_alt {
        feature("alternativeText");
    }
    let hazards = if facts.media {
        vec!["unknown"]
    } else {
        vec!["none"]
    };
    let unmet = unmet(&facts, language_valid);
    let conforms = unmet.is_empty();

    let mut summary = String::from(
        "This publication has structured headings, a navigable table of contents and a logical reading order; its text can be resized and restyled by the reader.",
    );
    if let Some(images) = images_sentence(facts.images, facts.images_without_alt) {
        summary.push(' ');
        summary.push_str(&images);
    }
    if facts.footnotes > 0 {
        summary.push_str(" Footnotes are linked to and from the text.");
    }
    if conforms {
        summary.push_str(" It meets the EPUB Accessibility 1.1 requirements at WCAG 2.1 Level AA as far as automated checks can tell.");
    } else {
        summary.push_str(" It makes no claim of WCAG 2.1 conformance: ");
        summary.push_str(&join_clauses(&unmet));
        summary.push('.');
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

/// What keeps the book from the conformance claim, one clause each.
fn unmet(facts: &Facts, language_valid: bool) -> Vec<String> {
    let mut unmet = Vec::new();
    if facts.images_without_alt > 0 {
        unmet.push(count_clause(
            facts.images_without_alt,
            ("image lacks", "images lack"),
            "a text description",
        ));
    }
    if facts.heading_skips > 0 {
        let times = match facts.heading_skips {
            1 => "once".to_owned(),
            n => format!("{n} times"),
        };
        unmet.push(format!("heading levels skip a level {times}"));
    }
    if facts.empty_headings > 0 {
        unmet.push(count_clause(
            facts.empty_headings,
            ("heading is", "headings are"),
            "empty",
        ));
    }
    if facts.links_without_text > 0 {
        unmet.push(count_clause(
            facts.links_without_text,
            ("link has", "links have"),
            "no text",
        ));
    }
    if facts.media {
        unmet.push("it has audio or video whose captions cannot be checked".to_owned());
    }
    if !language_valid {
        unmet.push("its language is not a valid BCP 47 tag".to_owned());
    }
    unmet
}

/// `1 image lacks a text description`, `3 images lack a text description`.
fn count_clause(n: usize, (one, many): (&str, &str), rest: &str) -> String {
    if n == 1 {
        format!("1 {one} {rest}")
    } else {
        format!("{n} {many} {rest}")
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_clauses(clauses: &[String]) -> String {
    match clauses {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The sentence about images, right for any count.
fn images_sentence(images: usize, without_alt: usize) -> Option<String> {
    Some(match (images, without_alt) {
        (0, _) => return None,
        (1, 0) => "Its one image has a text description.".to_owned(),
        (1, _) => "Its one image has no text description.".to_owned(),
        (n, 0) => format!("Each of its {n} images has a text description."),
        (n, m) if m == n => format!("None of its {n} images has a text description."),
        (n, 1) => format!("1 of its {n} images has no text description."),
        (n, m) => format!("{m} of its {n} images have no text description."),
    })
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
                BlockKind::Heading { level, content, .. } => {
                    if *level > last_level + 1 {
                        facts.heading_skips += 1;
                    }
                    last_level = *level;
                    if !has_text(content) {
                        facts.empty_headings += 1;
                    }
                }
                BlockKind::Figure(figure) => count_image(&mut facts, &figure.image.alt),
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
        InlineKind::Link { content, .. } if !has_text(content) => facts.links_without_text += 1,
        _ => {}
    });
}

/// Whether inlines give an accessible name: text, or an image's alt text.
fn has_text(inlines: &[Inline]) -> bool {
    let mut named = false;
    walk::inlines(inlines, &mut |inline| match &inline.kind {
        InlineKind::Text(t) | InlineKind::Code(t) => named |= !t.trim().is_empty(),
        InlineKind::Image(image) => named |= !image.alt.trim().is_empty(),
        InlineKind::PageRef { .. } | InlineKind::NoteRef { .. } => named = true,
        _ => {}
    });
    named
}

fn count_image(facts: &mut Facts, alt: &str) {
    facts.images += 1;
    if alt.trim().is_empty() {
        facts.images_without_alt += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::{Facts, images_sentence, join_clauses, unmet};

    #[test]
    fn image_sentences_read_right_for_any_count() {
        assert_eq!(images_sentence(0, 0), None);
        assert_eq!(
            images_sentence(1, 0).as_deref(),
            Some("Its one image has a text description.")
        );
        assert_eq!(
            images_sentence(1, 1).as_deref(),
            Some("Its one image has no text description.")
        );
        assert_eq!(
            images_sentence(3, 0).as_deref(),
            Some("Each of its 3 images has a text description.")
        );
        assert_eq!(
            images_sentence(3, 1).as_deref(),
            Some("1 of its 3 images has no text description.")
        );
        assert_eq!(
            images_sentence(5, 2).as_deref(),
            Some("2 of its 5 images have no text description.")
        );
        assert_eq!(
            images_sentence(2, 2).as_deref(),
            Some("None of its 2 images has a text description.")
        );
    }

    #[test]
    fn every_unmet_check_is_named() {
        let facts = Facts {
            images: 4,
            images_without_alt: 1,
            heading_skips: 2,
            empty_headings: 1,
            links_without_text: 3,
            media: true,
            footnotes: 0,
        };
        assert_eq!(
            join_clauses(&unmet(&facts, false)),
            "1 image lacks a text description, heading levels skip a level 2 times, 1 heading is empty, 3 links have no text, it has audio or video whose captions cannot be checked and its language is not a valid BCP 47 tag"
        );
        assert!(unmet(&Facts::default(), true).is_empty());
    }
}
