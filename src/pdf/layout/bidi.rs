//! Right-to-left text: the Unicode bidirectional algorithm (UAX #9, the
//! `unicode-bidi` crate) over a paragraph, and the visual order of a line.
//!
//! A paragraph is broken into lines in logical (reading) order, which is all
//! widths need; each line is then put in visual order by reversing runs of
//! pieces at odd levels (UAX #9 rule L2), so an Arabic line reads from the
//! right edge while a number or a Latin word inside it keeps its own
//! left-to-right order. Words are split where the level changes before they
//! are shaped, and each piece is shaped in its own direction (which also
//! mirrors brackets in right-to-left runs).
//!
//! Paragraphs without right-to-left characters (nearly all of most books)
//! never run the algorithm: [`needed`] looks for them first.

use super::inline::Atom;
use unicode_bidi::{Level, ParagraphBidiInfo};

/// Whether a paragraph must go through the algorithm: its base direction is
/// right to left, or it holds a right-to-left character or an explicit
/// directional control.
pub fn needed<'t>(rtl: bool, mut texts: impl Iterator<Item = &'t str>) -> bool {
    // Right-to-left letters start at U+0590 (UTF-8 lead byte 0xD6): most
    // text is decided by one pass over its bytes.
    rtl || texts.any(|t| t.bytes().any(|b| b >= 0xD6) && t.chars().any(is_rtl_or_control))
}

/// Embedding level of every byte of `text` (one paragraph: hard line
/// breaks must be given as U+2028), with the base direction `rtl`.
pub fn levels(text: &str, rtl: bool) -> Vec<u8> {
    let base = if rtl { Level::rtl() } else { Level::ltr() };
    let info = ParagraphBidiInfo::new(text, Some(base));
    info.levels.iter().map(|l| l.number()).collect()
}

/// The order in which pieces with these levels are drawn from left to
/// right (UAX #9 rule L2): indices into `levels`.
pub fn visual_order(levels: &[u8]) -> Vec<usize> {
    let Some(&highest) = levels.iter().max() else {
        return Vec::new();
    };
    let mut order: Vec<usize> = (0..levels.len()).collect();
    let lowest_odd = levels.iter().copied().filter(|l| l % 2 == 1).min();
    let Some(lowest_odd) = lowest_odd.or((highest > 0).then_some(1)) else {
        return order;
    };
    // From the highest level down to the lowest odd one, reverse every
    // maximal run of pieces at that level or above.
    let mut level = highest;
    while level >= lowest_odd {
        let mut i = 0;
        while i < order.len() {
            if levels[order[i]] >= level {
                let start = i;
                while i < order.len() && levels[order[i]] >= level {
                    i += 1;
                }
                order[start..i].reverse();
            } else {
                i += 1;
            }
        }
        level -= 1;
    }
    order
}

/// A line's pieces moved to their visual places: `placed` holds each drawn
/// piece (an id, and its x in logical order), `width_of` and `level_of`
/// give its width and level. The spaces between pieces move with them (a
/// space takes the lower level of its neighbours, as UAX #9 resolves a
/// neutral between them), so the line keeps its length and its spacing.
pub fn visual_line(
    placed: &[(usize, f32)],
    width_of: impl Fn(usize) -> f32,
    level_of: impl Fn(usize) -> u8,
) -> Vec<(usize, f32)> {
    // Pieces and the gaps between them, alternately: piece k is element 2k.
    let mut widths = Vec::with_capacity(placed.len() * 2);
    let mut levels = Vec::with_capacity(placed.len() * 2);
    for (k, &(id, x)) in placed.iter().enumerate() {
        if k > 0 {
            let (prev, prev_x) = placed[k - 1];
            widths.push((x - prev_x - width_of(prev)).max(0.0));
            levels.push(level_of(prev).min(level_of(id)));
        }
        widths.push(width_of(id));
        levels.push(level_of(id));
    }
    let start = placed.first().map_or(0.0, |p| p.1);
    let mut x = start;
    let mut out = Vec::with_capacity(placed.len());
    for element in visual_order(&levels) {
        if element % 2 == 0 {
            out.push((placed[element / 2].0, x));
        }
        x += widths[element];
    }
    out
}

/// Gives every atom its bidirectional level and splits words where the
/// level changes (`العدد2024`), so each piece is shaped in one direction; a
/// paragraph without right-to-left text is returned as it is.
pub(super) fn by_direction(atoms: Vec<Atom>, rtl: bool) -> Vec<Atom> {
    let texts = atoms.iter().filter_map(|a| match a {
        Atom::Text { text, .. } => Some(text.as_str()),
        _ => None,
    });
    let isolates_rtl = atoms.iter().any(|a| matches!(a, Atom::Isolate(Some(true))));
    if !isolates_rtl && !needed(rtl, texts) {
        return atoms;
    }
    // The paragraph as the algorithm sees it: spaces as spaces, breaks as
    // line separators, notes as digits, images as object replacements.
    let mut text = String::new();
    let mut starts = Vec::with_capacity(atoms.len());
    for atom in &atoms {
        starts.push(text.len());
        match atom {
            Atom::Text { text: t, .. } => text.push_str(t),
            Atom::Space { .. } => text.push(' '),
            Atom::Break => text.push('\u{2028}'),
            Atom::Note { .. } => text.push('1'),
            Atom::Image { .. } => text.push('\u{FFFC}'),
            Atom::Isolate(Some(true)) => text.push('\u{2067}'),
            Atom::Isolate(Some(false)) => text.push('\u{2066}'),
            Atom::Isolate(None) => text.push('\u{2069}'),
            Atom::Join { .. } | Atom::Anchor(_) => {}
        }
    }
    let levels = levels(&text, rtl);
    let level_at = |i: usize| levels.get(i).copied().unwrap_or(u8::from(rtl));
    let mut out = Vec::with_capacity(atoms.len());
    for (atom, start) in atoms.into_iter().zip(starts) {
        match atom {
            Atom::Text {
                text: t,
                mut fmt,
                span,
                offset,
            } => {
                // Each piece keeps where it begins in the paragraph's text.
                let piece_offset = |piece: usize| {
                    let before = t.get(..piece).map_or(0, |p| p.chars().count());
                    offset.saturating_add(u32::try_from(before).unwrap_or(u32::MAX))
                };
                let mut piece = 0;
                for (i, _) in t.char_indices().skip(1) {
                    if level_at(start + i) != level_at(start + piece) {
                        fmt.level = level_at(start + piece);
                        out.push(Atom::Text {
                            text: t[piece..i].to_owned(),
                            fmt: fmt.clone(),
                            span,
                            offset: piece_offset(piece),
                        });
                        piece = i;
                    }
                }
                fmt.level = level_at(start + piece);
                out.push(Atom::Text {
                    offset: piece_offset(piece),
                    text: t[piece..].to_owned(),
                    fmt,
                    span,
                });
            }
            Atom::Space { mut fmt } => {
                fmt.level = level_at(start);
                out.push(Atom::Space { fmt });
            }
            Atom::Join { mut fmt } => {
                fmt.level = level_at(start);
                out.push(Atom::Join { fmt });
            }
            Atom::Note {
                number,
                note_id,
                ref_id,
                mut fmt,
            } => {
                fmt.level = level_at(start);
                out.push(Atom::Note {
                    number,
                    note_id,
                    ref_id,
                    fmt,
                });
            }
            Atom::Image {
                asset,
                alt,
                mut fmt,
                node,
            } => {
                fmt.level = level_at(start);
                out.push(Atom::Image {
                    asset,
                    alt,
                    fmt,
                    node,
                });
            }
            other => out.push(other),
        }
    }
    out
}

/// Right-to-left letters (Hebrew, Arabic and the scripts near them, their
/// presentation forms) and the explicit directional controls.
fn is_rtl_or_control(c: char) -> bool {
    matches!(c,
        '\u{0590}'..='\u{08FF}'
        | '\u{FB1D}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}'
        | '\u{10800}'..='\u{10FFF}'
        | '\u{1E800}'..='\u{1EFFF}'
        | '\u{200F}'
        | '\u{202B}'
        | '\u{202E}'
        | '\u{2067}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_with_a_number_and_a_latin_word() {
        let text = "العدد 2024 وكلمة Unicode هنا";
        let levels = levels(text, true);
        let at = |s: &str| levels[text.find(s).unwrap()];
        assert_eq!(at("العدد"), 1);
        assert_eq!(at("2024"), 2);
        assert_eq!(at("Unicode"), 2);
        assert_eq!(at("هنا"), 1);
    }

    #[test]
    fn visual_order_reverses_right_to_left_runs() {
        // Words of an Arabic line with a Latin pair inside: the Arabic words
        // go right to left, the Latin pair keeps its order.
        assert_eq!(visual_order(&[1, 1, 2, 2, 1]), [4, 2, 3, 1, 0]);
        assert_eq!(visual_order(&[0, 0, 1, 1, 0]), [0, 1, 3, 2, 4]);
        assert_eq!(visual_order(&[0, 0]), [0, 1]);
        assert!(visual_order(&[]).is_empty());
    }

    #[test]
    fn lines_keep_their_length_and_spacing() {
        // Three words 10 wide with 5 between, the middle one Latin inside
        // an Arabic line: Arabic words swap sides, the Latin one stays.
        let placed = [(0, 0.0), (1, 15.0), (2, 30.0)];
        let levels = [1u8, 2, 1];
        let visual = visual_line(&placed, |_| 10.0, |i| levels[i]);
        assert_eq!(visual, [(2, 0.0), (1, 15.0), (0, 30.0)]);
        let ltr = visual_line(&placed, |_| 10.0, |_| 0);
        assert_eq!(ltr, placed);
        assert!(visual_line(&[], |_| 1.0, |_| 1).is_empty());
    }

    #[test]
    fn only_right_to_left_text_needs_the_algorithm() {
        assert!(!needed(false, ["plain", "text"].into_iter()));
        assert!(needed(false, ["a", "שלום"].into_iter()));
        assert!(needed(false, ["\u{202E}x"].into_iter()));
        assert!(needed(true, std::iter::empty()));
    }
}
