//! Where a word may take a discretionary hyphen.
//!
//! The line breaker needs, for every word of a paragraph, the places where it
//! may split the word and add a hyphen. This module answers that question with
//! Liang's patterns of the word's own language (the `hyphenation` crate; which
//! tag gets which patterns, and their loading, is [`super::patterns`]),
//! refined by the rules a book needs and the patterns alone do not give:
//!
//! * the author's exception list (`"ta-ble"`, `"Py-thon"`) wins over the
//!   patterns, matched case-insensitively on the whole word;
//! * at least the language's minimum of characters (two or more, see
//!   [`super::patterns::minima`]) stays before a break and after it, and
//!   words shorter than [`MIN_WORD_CHARS`] are never split;
//! * an apostrophe counts as a word edge for those minima: no break at or
//!   next to it (`does-n't`, `projec-t's` never happen);
//! * words with digits, URLs, e-mail addresses, paths or identifiers (anything
//!   with a character other than letters, combining marks, apostrophes and
//!   dashes) are never hyphenated: a split `v1.2-rc` or `example.com` misleads;
//! * a compound that already has a hyphen (`well-known`) breaks only right
//!   after its own hyphens, never at a second, pattern-made place;
//! * an author's soft hyphen (U+00AD) is an explicit wish and the only place
//!   such a word breaks;
//! * quotes, brackets and punctuation around a word are ignored, and every
//!   offset returned is a byte offset into the word as given, on a `char`
//!   boundary, whatever its case or script.
//!
//! A [`Hyphenator`] serves one language; [`Hyphenator::for_language`] makes
//! the one for another language with the same exceptions. It is cheap to
//! clone and `Send + Sync`: each dictionary is deserialised once per process
//! and shared. It keeps no per-word cache: the
//! PDF layout remembers each distinct word's points itself (`Cx`), so a
//! second cache here would only hold the same answers twice.

use std::collections::HashMap;
use std::sync::Arc;

use hyphenation::{Hyphenator as _, Standard};

use super::patterns;

/// Fewest characters kept before a pattern or exception break ("ex-", never
/// "e-") in English; other languages have their own (see
/// [`patterns::minima`]), never fewer than two.
pub const LEFT_MIN: usize = 2;

/// Fewest characters carried to the next line after a pattern or exception
/// break ("-ble", never "-ly" alone) in English; see [`LEFT_MIN`].
pub const RIGHT_MIN: usize = 3;

/// Words with fewer characters than this are never split: the saving is
/// never worth the hyphen.
pub const MIN_WORD_CHARS: usize = 5;

/// How well the requested language is served, so the caller can warn once per
/// book instead of silently setting unhyphenated (and therefore looser) text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Support {
    /// Patterns for the requested language are loaded.
    Native {
        /// Code of the pattern set in use, e.g. `"en-us"`.
        patterns: &'static str,
    },
    /// No patterns for this language: only explicit hyphens, soft hyphens and
    /// the exception list produce breaks.
    Unsupported {
        /// The tag the caller asked for.
        requested: String,
    },
}

/// Finds discretionary-hyphen positions in words of one language.
///
/// Build it once per book (or per language) and share it: cloning is an
/// `Arc` bump and the dictionary is loaded only once per process.
#[derive(Debug, Clone)]
pub struct Hyphenator {
    inner: Arc<Inner>,
}

struct Inner {
    dictionary: Option<Arc<Standard>>,
    /// Folded (lower-cased) word → break positions counted in `char`s of the
    /// folded word. Counting chars rather than bytes keeps the positions valid
    /// whatever case the word appears in. The author's list, shared by the
    /// hyphenators of every language of the book.
    exceptions: Arc<HashMap<String, Vec<usize>>>,
    /// Characters kept before and after a pattern or exception break.
    minima: (usize, usize),
    support: Support,
    /// The language tag asked for, as given.
    tag: String,
}

/// Prints the language support and exception count, not the dictionary's
/// tens of thousands of patterns.
impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hyphenator")
            .field("support", &self.support)
            .field("exceptions", &self.exceptions.len())
            .finish()
    }
}

impl Hyphenator {
    /// Creates a hyphenator for a BCP 47 language tag (`en`, `en-US`, `en-GB`,
    /// …) with the author's exception list.
    ///
    /// An unknown or unembedded language is not an error: the result never
    /// hyphenates by pattern, and [`Hyphenator::support`] says so, so the
    /// caller can warn. Only a malformed exception is an error, because it is
    /// a typo in the author's configuration that they should fix.
    pub fn new(lang: &str, exceptions: &[String]) -> Result<Hyphenator, String> {
        let exceptions = Arc::new(parse_exceptions(exceptions)?);
        Ok(Hyphenator::with_exceptions(lang, exceptions))
    }

    /// The hyphenator for another language (a chapter or a passage in
    /// another language), with the same exception list: the author's
    /// exceptions are words, whatever language surrounds them.
    pub fn for_language(&self, lang: &str) -> Hyphenator {
        Hyphenator::with_exceptions(lang, Arc::clone(&self.inner.exceptions))
    }

    fn with_exceptions(lang: &str, exceptions: Arc<HashMap<String, Vec<usize>>>) -> Hyphenator {
        let language = patterns::pattern_language(lang);
        let dictionary = language.and_then(patterns::load);
        let (support, minima) = match (language, &dictionary) {
            (Some(language), Some(_)) => (
                Support::Native {
                    patterns: language.code(),
                },
                patterns::minima(language),
            ),
            _ => (
                Support::Unsupported {
                    requested: lang.to_string(),
                },
                (LEFT_MIN, RIGHT_MIN),
            ),
        };
        Hyphenator {
            inner: Arc::new(Inner {
                dictionary,
                exceptions,
                minima,
                support,
                tag: lang.to_string(),
            }),
        }
    }

    /// The language tag this hyphenator was made for, as given.
    pub fn tag(&self) -> &str {
        &self.inner.tag
    }

    /// How the requested language is served; see [`Support`].
    pub fn support(&self) -> &Support {
        &self.inner.support
    }

    /// Whether any pattern dictionary is in use (false for
    /// [`Support::Unsupported`]).
    pub fn has_patterns(&self) -> bool {
        self.inner.dictionary.is_some()
    }

    /// Byte offsets inside `word` where the line may be broken.
    ///
    /// At an offset `i`, the line ends with `word[..i]` and the next starts
    /// with `word[i..]`. If `word[..i]` already ends with a dash the break is
    /// explicit and no hyphen is added (see [`is_explicit_break`]); otherwise
    /// the layout adds a hyphen glyph. Offsets are strictly increasing and
    /// always on `char` boundaries. `word` may carry surrounding punctuation
    /// (`"(example,"`); it should not contain spaces.
    pub fn points(&self, word: &str) -> Vec<usize> {
        let (start, core) = strip_punctuation(word);
        if !is_hyphenable(core) {
            return Vec::new();
        }
        let points = if core.contains(SOFT_HYPHEN) {
            soft_hyphen_points(core)
        } else if core
            .chars()
            .any(|c| is_break_dash(c) || c == NON_BREAKING_HYPHEN)
        {
            dash_points(core)
        } else if core.chars().count() < MIN_WORD_CHARS {
            Vec::new()
        } else {
            self.pattern_points(core)
        };
        points.into_iter().map(|p| p + start).collect()
    }

    /// Exception or pattern breaks of a plain word (letters only), within the
    /// left/right minima.
    fn pattern_points(&self, core: &str) -> Vec<usize> {
        let folded = Folded::new(core);
        let candidates: Vec<usize> = match self.inner.exceptions.get(&folded.text) {
            Some(char_positions) => char_positions
                .iter()
                .filter_map(|&n| folded.text.char_indices().nth(n).map(|(i, _)| i))
                .collect(),
            None => match &self.inner.dictionary {
                // `opportunities` consults the dictionary's own exceptions
                // before its patterns, and wants a lower-case word.
                Some(dictionary) => dictionary.opportunities(&folded.text),
                None => Vec::new(),
            },
        };
        let total_chars = core.chars().count();
        let (left_min, right_min) = self.inner.minima;
        let mut points: Vec<usize> = candidates
            .into_iter()
            .filter_map(|f| folded.original_offset(f))
            .filter(|&i| {
                let before = core[..i].chars().count();
                before >= left_min
                    && total_chars - before >= right_min
                    && letters_around(core, i)
                    && clear_of_apostrophes(core, i)
            })
            .collect();
        points.sort_unstable();
        points.dedup();
        points
    }
}

/// Whether a break at byte offset `offset` of `word` (as returned by
/// [`Hyphenator::points`]) follows a dash already in the text, in which case
/// the layout must not add a hyphen.
pub fn is_explicit_break(word: &str, offset: usize) -> bool {
    word.get(..offset)
        .and_then(|before| before.chars().next_back())
        .is_some_and(is_break_dash)
}

const SOFT_HYPHEN: char = '\u{00AD}';

/// U+2011 marks a compound the author wants kept whole; it still makes the
/// word a compound, so patterns never apply to it.
const NON_BREAKING_HYPHEN: char = '\u{2011}';

/// Dashes after which a compound may break: hyphen-minus, U+2010 hyphen, en
/// and em dash. U+2011 (non-breaking hyphen) is deliberately absent.
fn is_break_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2013}' | '\u{2014}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

/// Combining diacritics, so decomposed (NFD) words like "cafe\u{301}" still
/// count as words. `std` has no general-category lookup; these blocks cover
/// the marks Latin, Greek and Cyrillic text uses.
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// Splits off leading and trailing punctuation (quotes, brackets, commas, …)
/// and returns the core with its byte offset in `word`.
fn strip_punctuation(word: &str) -> (usize, &str) {
    let is_edge = |c: char| !c.is_alphanumeric() && !is_combining_mark(c);
    let trimmed_start = word.trim_start_matches(is_edge);
    let start = word.len() - trimmed_start.len();
    (start, trimmed_start.trim_end_matches(is_edge))
}

/// A word may be hyphenated only if it is made of letters, combining marks,
/// apostrophes, dashes and soft hyphens. Digits, `@`, `/`, `:`, `.`, `_` and
/// the like mark numbers, URLs, addresses and code, which must not be split.
fn is_hyphenable(core: &str) -> bool {
    !core.is_empty()
        && core.chars().all(|c| {
            c.is_alphabetic()
                || is_combining_mark(c)
                || is_apostrophe(c)
                || is_break_dash(c)
                || c == SOFT_HYPHEN
                || c == NON_BREAKING_HYPHEN
        })
}

/// Whether the characters on both sides of byte offset `i` are letters, so a
/// break never separates a mark from its base or an apostrophe from its word.
fn letters_around(core: &str, i: usize) -> bool {
    let before = core[..i].chars().next_back();
    let after = core[i..].chars().next();
    before.is_some_and(char::is_alphabetic) && after.is_some_and(char::is_alphabetic)
}

/// Whether a break at byte `i` keeps its distance from apostrophes: an
/// apostrophe ends a word part as the word's edges do, so at least
/// [`LEFT_MIN`] letters separate the break from the apostrophe before it and
/// [`RIGHT_MIN`] from the one after it. No "does-n't", "projec-t's",
/// "val-ue's" or "o'-clock"; "proj-ect's" is fine.
fn clear_of_apostrophes(core: &str, i: usize) -> bool {
    let before = core[..i]
        .chars()
        .rev()
        .take_while(|&c| !is_apostrophe(c))
        .count();
    let after = core[i..].chars().take_while(|&c| !is_apostrophe(c)).count();
    let apostrophe_before = core[..i].chars().any(is_apostrophe);
    let apostrophe_after = core[i..].chars().any(is_apostrophe);
    (!apostrophe_before || before >= LEFT_MIN) && (!apostrophe_after || after >= RIGHT_MIN)
}

/// Breaks right after each soft hyphen that sits between letters.
fn soft_hyphen_points(core: &str) -> Vec<usize> {
    core.char_indices()
        .filter(|&(_, c)| c == SOFT_HYPHEN)
        .map(|(i, c)| i + c.len_utf8())
        .filter(|&i| {
            let before = core[..i - SOFT_HYPHEN.len_utf8()].chars().next_back();
            let after = core[i..].chars().next();
            before.is_some_and(char::is_alphabetic) && after.is_some_and(char::is_alphabetic)
        })
        .collect()
}

/// Breaks right after each dash of a compound, provided a letter precedes the
/// dash and one follows the break (so `a--b` breaks only after the second
/// dash, and a leading or trailing dash never breaks).
fn dash_points(core: &str) -> Vec<usize> {
    if core.chars().count() < MIN_WORD_CHARS {
        return Vec::new();
    }
    core.char_indices()
        .filter(|&(_, c)| is_break_dash(c))
        .map(|(i, c)| i + c.len_utf8())
        .filter(|&i| {
            let has_letter_before = core[..i].chars().any(char::is_alphabetic);
            let after = core[i..].chars().next();
            has_letter_before && after.is_some_and(char::is_alphabetic)
        })
        .collect()
}

/// A word lower-cased one `char` at a time, remembering where each original
/// character starts in both strings. Lower-casing can change byte lengths
/// (`İ` → `i̇`, `Ⱥ` → `ⱥ`), so offsets found in the folded text must be mapped
/// back before they are valid in the original.
struct Folded {
    text: String,
    /// `(folded byte offset, original byte offset)` for every original char,
    /// in increasing order.
    starts: Vec<(usize, usize)>,
    original_len: usize,
}

impl Folded {
    fn new(word: &str) -> Folded {
        let mut text = String::with_capacity(word.len());
        let mut starts = Vec::with_capacity(word.len());
        for (i, c) in word.char_indices() {
            starts.push((text.len(), i));
            text.extend(c.to_lowercase());
        }
        Folded {
            text,
            starts,
            original_len: word.len(),
        }
    }

    /// The original offset matching folded offset `f`, if `f` falls between
    /// two original characters (and not inside one character's expansion).
    fn original_offset(&self, f: usize) -> Option<usize> {
        if f == self.text.len() {
            return Some(self.original_len);
        }
        self.starts
            .binary_search_by_key(&f, |&(folded, _)| folded)
            .ok()
            .map(|k| self.starts[k].1)
    }
}

/// Parses `"ta-ble"`-style exceptions into folded word → char positions.
fn parse_exceptions(exceptions: &[String]) -> Result<HashMap<String, Vec<usize>>, String> {
    let mut map = HashMap::with_capacity(exceptions.len());
    for raw in exceptions {
        let (word, positions) = parse_exception(raw)?;
        map.insert(word, positions);
    }
    Ok(map)
}

fn parse_exception(raw: &str) -> Result<(String, Vec<usize>), String> {
    let entry = raw.trim();
    let bad = |why: &str| format!("hyphenation exception {raw:?}: {why}");
    if entry.is_empty() {
        return Err(bad("is empty"));
    }
    if let Some(c) = entry
        .chars()
        .find(|&c| c != '-' && !c.is_alphabetic() && !is_combining_mark(c) && !is_apostrophe(c))
    {
        return Err(bad(&format!(
            "contains {c:?}; write a single word with `-` at each allowed break"
        )));
    }
    let mut word = String::with_capacity(entry.len());
    let mut positions = Vec::new();
    let mut chars_so_far = 0;
    for (n, part) in entry.split('-').enumerate() {
        if part.is_empty() {
            return Err(bad("has a leading, trailing or doubled `-`"));
        }
        if n > 0 {
            positions.push(chars_so_far);
        }
        for c in part.chars().flat_map(char::to_lowercase) {
            word.push(c);
            chars_so_far += 1;
        }
    }
    Ok((word, positions))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en(exceptions: &[&str]) -> Hyphenator {
        let exceptions: Vec<String> = exceptions.iter().map(|s| s.to_string()).collect();
        match Hyphenator::new("en-US", &exceptions) {
            Ok(h) => h,
            Err(e) => panic!("{e}"),
        }
    }

    /// Renders the breaks as `hy-phen-ation` for readable assertions.
    fn show(word: &str, points: &[usize]) -> String {
        let mut out = String::new();
        let mut last = 0;
        for &p in points {
            out.push_str(&word[last..p]);
            if !is_explicit_break(word, p) {
                out.push('-');
            } else {
                out.push('|');
            }
            last = p;
        }
        out.push_str(&word[last..]);
        out
    }

    #[test]
    fn hyphenation_gets_points() {
        let h = en(&[]);
        let points = h.points("hyphenation");
        // The embedded en-US patterns give "hy-phen-a-tion" (TeX's own
        // hyphen.tex exception list says "hy-phen-ation"; either is fine).
        assert!(points.contains(&2) && points.contains(&6), "{points:?}");
        assert_eq!(h.support(), &Support::Native { patterns: "en-us" });
    }

    #[test]
    fn never_at_or_next_to_an_apostrophe() {
        let h = en(&[]);
        for word in [
            "doesn't",
            "doesn’t",
            "isn't",
            "project's",
            "project’s",
            "value's",
            "o'clock",
            "couldn't",
            "programmer's",
            "everybody's",
            "shouldn’t",
        ] {
            for p in h.points(word) {
                let (left, right) = word.split_at(p);
                let tail = right.chars().take_while(|&c| !is_apostrophe(c)).count();
                let head = left
                    .chars()
                    .rev()
                    .take_while(|&c| !is_apostrophe(c))
                    .count();
                assert!(
                    (!right.contains(is_apostrophe) || tail >= RIGHT_MIN)
                        && (!left.contains(is_apostrophe) || head >= LEFT_MIN),
                    "{word} breaks as {}",
                    show(word, &h.points(word))
                );
            }
        }
        // Words with an apostrophe still hyphenate away from it.
        assert!(!h.points("programmer's").is_empty());
    }

    #[test]
    fn exception_wins_over_patterns_and_keeps_case() {
        let h = en(&["ta-ble", "Py-thon"]);
        assert_eq!(h.points("table"), vec![2]);
        assert_eq!(h.points("Table"), vec![2]);
        assert_eq!(h.points("TABLE"), vec![2]);
        assert_eq!(h.points("python"), vec![2]);
        // An exception without hyphens forbids hyphenation of that word.
        let h = en(&["hyphenation"]);
        assert!(h.points("Hyphenation").is_empty());
    }

    #[test]
    fn exception_positions_survive_case_changes_in_byte_length() {
        // 'İ' (2 bytes) lower-cases to "i̇" (3 bytes): positions must still
        // land on the right char of the original.
        let h = en(&["İs-tan-bul"]);
        let word = "İSTANBUL";
        let points = h.points(word);
        assert_eq!(show(word, &points), "İS-TAN-BUL");
    }

    #[test]
    fn compound_breaks_only_after_its_hyphens() {
        let h = en(&[]);
        assert_eq!(h.points("co-op"), vec![3]);
        assert_eq!(show("well-known", &h.points("well-known")), "well-|known");
        assert_eq!(
            show("mother-in-law", &h.points("mother-in-law")),
            "mother-|in-|law"
        );
        assert!(is_explicit_break("co-op", 3));
        assert!(h.points("-ly").is_empty());
        assert_eq!(h.points("a--bcd"), vec![3]);
        // A non-breaking hyphen is no break.
        assert!(h.points("co\u{2011}operate").is_empty());
    }

    #[test]
    fn non_ascii_words_are_safe() {
        let h = en(&[]);
        for word in [
            "café",
            "naïve",
            "Æsthetic",
            "cafe\u{301}teria",
            "Ärger",
            "señorita",
        ] {
            for p in h.points(word) {
                assert!(word.is_char_boundary(p), "{word} at {p}");
                assert!(p > 0 && p < word.len());
            }
        }
        let word = "encyclopædia";
        for p in h.points(word) {
            assert!(word.is_char_boundary(p));
        }
    }

    #[test]
    fn punctuation_is_stripped_and_offsets_shifted() {
        let h = en(&[]);
        let bare = h.points("example");
        assert!(!bare.is_empty());
        let shifted: Vec<usize> = bare.iter().map(|p| p + 1).collect();
        assert_eq!(h.points("(example,"), shifted);
        let quoted = "“example.”";
        let open = "“".len();
        let shifted: Vec<usize> = bare.iter().map(|p| p + open).collect();
        assert_eq!(h.points(quoted), shifted);
    }

    #[test]
    fn short_words_numbers_and_urls_never_break() {
        let h = en(&[]);
        for word in [
            "into",
            "1234567",
            "abc123def",
            "user@example.com",
            "https://example.com/hyphenation",
            "and/or/whatever",
            "folio.toml",
            "snake_case_identifier",
            "",
            "—",
            "''",
        ] {
            assert!(h.points(word).is_empty(), "{word:?}");
        }
    }

    #[test]
    fn minima_hold() {
        let h = en(&[]);
        for word in [
            "hyphenation",
            "extraordinary",
            "uncharacteristically",
            "Looking",
        ] {
            let n = word.chars().count();
            for p in h.points(word) {
                let before = word[..p].chars().count();
                assert!(before >= LEFT_MIN && n - before >= RIGHT_MIN, "{word} {p}");
            }
        }
    }

    #[test]
    fn soft_hyphens_are_the_only_breaks() {
        let h = en(&[]);
        let word = "hy\u{AD}phenation";
        assert_eq!(h.points(word), vec![4]);
    }

    #[test]
    fn bad_exceptions_are_reported() {
        for bad in ["", "ta--ble", "-table", "table-", "ta ble", "v1-2"] {
            let err = Hyphenator::new("en", &[bad.to_string()]).unwrap_err();
            assert!(err.contains("hyphenation exception"), "{err}");
        }
    }

    #[test]
    fn languages_resolve() {
        let h = Hyphenator::new("en", &[]).unwrap();
        assert_eq!(h.support(), &Support::Native { patterns: "en-us" });
        let gb = Hyphenator::new("en-GB", &[]).unwrap();
        assert_eq!(gb.support(), &Support::Native { patterns: "en-gb" });
        let de = gb.for_language("de");
        assert_eq!(
            de.support(),
            &Support::Native {
                patterns: "de-1996"
            }
        );
        // The exceptions travel to the other language.
        let with = Hyphenator::new("en", &["Py-thon".to_string()]).unwrap();
        assert_eq!(with.for_language("fr").points("Python"), vec![2]);
        // A language without patterns gets none, not English ones.
        let ja = with.for_language("ja");
        assert!(!ja.has_patterns());
        assert!(ja.points("hyphenation").is_empty());
        let xx = Hyphenator::new("tlh", &["qa-pla".to_string()]).unwrap();
        assert!(!xx.has_patterns());
        assert!(matches!(xx.support(), Support::Unsupported { .. }));
        assert!(xx.points("hyphenation").is_empty());
        // Exceptions and explicit hyphens still apply without patterns.
        assert_eq!(xx.points("Qapla"), vec![2]);
        assert_eq!(xx.points("co-op"), vec![3]);
        let weird = Hyphenator::new("", &[]).unwrap();
        assert!(weird.points("hyphenation").is_empty());
    }

    #[test]
    fn debug_output_stays_short() {
        let shown = format!("{:?}", en(&["ta-ble"]));
        assert!(shown.len() < 200, "{shown}");
    }

    #[test]
    fn shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Hyphenator>();
        let h = en(&[]);
        let clone = h.clone();
        let handle = std::thread::spawn(move || clone.points("hyphenation"));
        assert_eq!(handle.join().unwrap(), h.points("hyphenation"));
    }
}
