//! Line-break opportunities that spaces do not mark: between the characters
//! of Chinese, Japanese and Korean text, by the Unicode line breaking
//! algorithm (UAX #14, the `unicode-linebreak` crate).
//!
//! Space-separated scripts keep folio's own rules (spaces, hyphenation,
//! dashes, the technical breaks of URLs and code), which are finer than
//! UAX #14 for prose. UAX #14 is consulted where no space is: an opportunity
//! is taken when a wide (East Asian) character stands on either side of it,
//! so ideographs and kana break between any two characters, a Latin word
//! inside Japanese text breaks from its neighbours, and the algorithm's
//! rules keep closing punctuation (`。` `、` `」` `)`), small kana and `ー`
//! from starting a line and opening brackets (`「` `(`) from ending one —
//! the kinsoku rules (`CJ` resolves to `NS`, the strict rules, as UAX #14
//! does by default).
//!
//! Thai, Lao, Khmer and Burmese, which need a dictionary to find word
//! boundaries, are not broken inside a run (see the README).

use unicode_linebreak::{BreakOpportunity, linebreaks};

/// Byte offsets inside `word` (text without spaces) where a line may break
/// without a hyphen, by UAX #14 in East Asian context; empty for words
/// without wide characters, so other text costs one scan.
pub fn breaks(word: &str) -> Vec<usize> {
    // Wide characters start at U+1100, whose UTF-8 lead byte is 0xE1: most
    // words are decided by one pass over their bytes.
    if !word.bytes().any(|b| b >= 0xE1) || !word.chars().any(is_wide) {
        return Vec::new();
    }
    linebreaks(word)
        .filter(|&(at, kind)| kind == BreakOpportunity::Allowed && at > 0 && at < word.len())
        .filter(|&(at, _)| {
            let before = word[..at].chars().next_back();
            let after = word[at..].chars().next();
            before.is_some_and(is_wide) || after.is_some_and(is_wide)
        })
        .map(|(at, _)| at)
        .collect()
}

/// Whether a line may break between two pieces of text that touch without
/// a space (`日本語**太字**`: a format change between two ideographs), by the
/// same rule as [`breaks`].
pub fn breaks_between(before: &str, after: &str) -> bool {
    let (Some(b), Some(a)) = (before.chars().next_back(), after.chars().next()) else {
        return false;
    };
    if !is_wide(b) && !is_wide(a) {
        return false;
    }
    let mut pair = String::with_capacity(8);
    pair.push(b);
    pair.push(a);
    let split = b.len_utf8();
    linebreaks(&pair).any(|(at, kind)| at == split && kind == BreakOpportunity::Allowed)
}

/// East Asian Wide and Fullwidth characters (UAX #11), the scripts set on a
/// square grid: CJK ideographs and punctuation, kana, Hangul, fullwidth
/// forms. `std` has no width table; these blocks are the ones text uses.
pub fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{303E}'
        | '\u{3041}'..='\u{33FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{A000}'..='\u{A4CF}'
        | '\u{A960}'..='\u{A97F}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE10}'..='\u{FE19}'
        | '\u{FE30}'..='\u{FE6F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{1B000}'..='\u{1B16F}'
        | '\u{20000}'..='\u{2FFFD}'
        | '\u{30000}'..='\u{3FFFD}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word cut at its breaks, for readable assertions.
    fn cut(word: &str) -> Vec<&str> {
        let mut parts = Vec::new();
        let mut last = 0;
        for at in breaks(word) {
            parts.push(&word[last..at]);
            last = at;
        }
        parts.push(&word[last..]);
        parts
    }

    #[test]
    fn ideographs_break_anywhere_but_kinsoku_holds() {
        assert_eq!(cut("日本語"), ["日", "本", "語"]);
        // No line starts with 。、」 or a small kana or ー; none ends with 「.
        assert_eq!(
            cut("「吾輩は猫である。」"),
            ["「吾", "輩", "は", "猫", "で", "あ", "る。」"]
        );
        assert_eq!(cut("ファイル、"), ["ファ", "イ", "ル、"]);
        assert_eq!(cut("コーヒー"), ["コー", "ヒー"]);
    }

    #[test]
    fn latin_inside_cjk_is_kept_whole_and_set_apart() {
        assert_eq!(cut("Unicodeの規格"), ["Unicode", "の", "規", "格"]);
        // UAX #14 lets digits and ideographs part (no rule joins ID and NU).
        assert_eq!(cut("第3章"), ["第", "3", "章"]);
    }

    #[test]
    fn other_scripts_are_left_alone() {
        for word in [
            "well-known",
            "and/or",
            "https://example.com/a/b",
            "Silbentrennung",
            "العربية",
        ] {
            assert!(breaks(word).is_empty(), "{word}");
        }
    }

    #[test]
    fn pieces_that_touch() {
        assert!(breaks_between("日本", "語"));
        assert!(!breaks_between("日本", "。"));
        assert!(!breaks_between("「", "語"));
        assert!(!breaks_between("word", "word"));
        assert!(!breaks_between("", "語"));
    }
}
