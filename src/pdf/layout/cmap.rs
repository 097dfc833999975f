//! A font's Unicode character map, read within bounds.
//!
//! ttf-parser walks a subtable's ranges code point by code point, and a
//! range is whatever the file says: a 1.4 KB font whose format-12 groups run
//! to 0xFFFFFFFF makes that walk four billion steps per group. Here the
//! ranges are read from the table itself, clamped to Unicode and merged, each
//! subtable is asked only about the code points it claims, and all of them
//! together may claim all of Unicode twice; a font with more subtables or
//! many-to-one groups than any real font has (the shaper's lookups search
//! them one by one) is refused.

use rustc_hash::FxHashMap;

/// Most character map subtables a font may have: the shaper's every lookup
/// visits them in turn. Real fonts have a handful.
const MAX_SUBTABLES: u16 = 32;

/// Most groups in a many-to-one (format 13) subtable, which every lookup
/// searches one by one; only last-resort fonts, never a book's, use it.
const MAX_MANY_TO_ONE_GROUPS: u32 = 256;

/// Most code points all Unicode subtables together may claim: all of
/// Unicode twice (a full format-12 table beside a BMP one is within it).
const MAX_CLAIMED: u64 = 2 * 0x11_0000;

/// The last Unicode code point.
const MAX_CODE_POINT: u32 = 0x10FFFF;

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// The code point ranges (inclusive) a subtable at `data` claims, clamped
/// to Unicode; unreadable subtables claim nothing (ttf-parser skips them too).
fn ranges(data: &[u8], out: &mut Vec<(u32, u32)>) -> Result<(), String> {
    let Some(format) = u16_at(data, 0) else {
        return Ok(());
    };
    let mut push = |start: u32, end: u32| {
        if start <= end && start <= MAX_CODE_POINT {
            out.push((start, end.min(MAX_CODE_POINT)));
        }
    };
    match format {
        0 => push(0, 255),
        2 => push(0, 0xFFFF),
        4 => {
            let Some(seg_x2) = u16_at(data, 6) else {
                return Ok(());
            };
            let segs = usize::from(seg_x2 / 2);
            let ends = 14;
            let starts = ends + segs * 2 + 2;
            for i in 0..segs {
                if let (Some(end), Some(start)) =
                    (u16_at(data, ends + i * 2), u16_at(data, starts + i * 2))
                {
                    push(u32::from(start), u32::from(end));
                }
            }
        }
        6 => {
            if let (Some(first), Some(count)) = (u16_at(data, 6), u16_at(data, 8)) {
                if count > 0 {
                    push(u32::from(first), u32::from(first) + u32::from(count) - 1);
                }
            }
        }
        10 => {
            if let (Some(first), Some(count)) = (u32_at(data, 12), u32_at(data, 16)) {
                if count > 0 {
                    push(first, first.saturating_add(count - 1));
                }
            }
        }
        12 | 13 => {
            let Some(groups) = u32_at(data, 12) else {
                return Ok(());
            };
            if format == 13 && groups > MAX_MANY_TO_ONE_GROUPS {
                return Err(format!(
                    "its character map has {groups} many-to-one groups; folio reads at most {MAX_MANY_TO_ONE_GROUPS}"
                ));
            }
            // Only the groups the file really holds.
            let held = (data.len().saturating_sub(16) / 12) as u32;
            for g in 0..groups.min(held) as usize {
                let at = 16 + g * 12;
                if let (Some(start), Some(end)) = (u32_at(data, at), u32_at(data, at + 4)) {
                    push(start, end);
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// Every Unicode character the font maps to a real glyph, or why the
/// character map is beyond what folio reads.
///
/// Subtables are asked in order, each only for the code points it claims,
/// and the first to answer decides a character (as ttf-parser's face does,
/// which also stops at the first subtable it cannot read); so each lookup is
/// one search in one subtable, and all of them together at most
/// [`MAX_CLAIMED`].
pub(super) fn unicode_cmap(face: &ttf_parser::Face) -> Result<FxHashMap<char, u16>, String> {
    let mut decided: FxHashMap<char, u16> = FxHashMap::default();
    let (Some(table), Some(cmap)) = (
        face.raw_face().table(ttf_parser::Tag::from_bytes(b"cmap")),
        face.tables().cmap,
    ) else {
        return Ok(decided);
    };
    let count = cmap.subtables.len();
    if count > MAX_SUBTABLES {
        return Err(format!(
            "its character map has {count} subtables; folio reads at most {MAX_SUBTABLES}"
        ));
    }
    let mut claimed_total = 0u64;
    for i in 0..count {
        let Some(subtable) = cmap.subtables.get(i) else {
            break;
        };
        if !subtable.is_unicode() {
            continue;
        }
        let offset = u32_at(table, 4 + usize::from(i) * 8 + 4).unwrap_or(u32::MAX);
        let mut claimed = Vec::new();
        if let Some(data) = table.get(offset as usize..) {
            ranges(data, &mut claimed)?;
        }
        for (start, end) in merge(claimed) {
            claimed_total += u64::from(end - start) + 1;
            if claimed_total > MAX_CLAIMED {
                return Err(format!(
                    "its character map claims more than {MAX_CLAIMED} code points"
                ));
            }
            for c in (start..=end).filter_map(char::from_u32) {
                if let std::collections::hash_map::Entry::Vacant(slot) = decided.entry(c) {
                    if let Some(glyph) = subtable.glyph_index(u32::from(c)) {
                        slot.insert(glyph.0);
                    }
                }
            }
        }
    }
    decided.retain(|_, glyph| *glyph != 0);
    Ok(decided)
}

/// Ranges sorted and merged where they touch or overlap.
fn merge(mut ranges: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    ranges.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::new();
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1.saturating_add(1) => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A format-12 subtable with `groups` (start, end, first glyph).
    fn format12(groups: &[(u32, u32, u32)]) -> Vec<u8> {
        let mut t = Vec::new();
        t.extend(12u16.to_be_bytes());
        t.extend(0u16.to_be_bytes());
        t.extend((16 + 12 * groups.len() as u32).to_be_bytes());
        t.extend(0u32.to_be_bytes());
        t.extend((groups.len() as u32).to_be_bytes());
        for (s, e, g) in groups {
            t.extend(s.to_be_bytes());
            t.extend(e.to_be_bytes());
            t.extend(g.to_be_bytes());
        }
        t
    }

    #[test]
    fn ranges_are_clamped_to_unicode_and_merged() {
        let mut out = Vec::new();
        ranges(
            &format12(&[
                (0x41, 0xFFFF_FFFF, 1),
                (0x20, 0x30, 1),
                (0x11_0000, 0xFFFF_FFFF, 1),
            ]),
            &mut out,
        )
        .unwrap();
        assert_eq!(out, vec![(0x41, MAX_CODE_POINT), (0x20, 0x30)]);
        // A group count larger than the data: only what is there.
        let mut short = format12(&[(1, 2, 1)]);
        short[12..16].copy_from_slice(&1_000_000u32.to_be_bytes());
        let mut out = Vec::new();
        ranges(&short, &mut out).unwrap();
        assert_eq!(out, vec![(1, 2)]);
        // Many-to-one groups beyond any real font.
        let mut many = format12(&[(1, 2, 1)]);
        many[1] = 13;
        many[12..16].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(ranges(&many, &mut Vec::new()).is_err());
    }
}
