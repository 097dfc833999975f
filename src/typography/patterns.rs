//! Which hyphenation patterns serve a language, and loading them.
//!
//! Every pattern set the `hyphenation` crate ships (about 80, from TeX's
//! `hyph-utf8`) is embedded in the binary, already compiled to the crate's
//! bincode form, and deserialised the first time a book asks for that
//! language (then shared for the life of the process). Embedding all of them
//! costs 3.0 MB of binary and no build time (the crate copies its prebuilt
//! dictionaries); deserialising one costs about a millisecond (README,
//! "Languages"). A build never reads a dictionary from disk, so it works the
//! same on every machine.
//!
//! [`pattern_language`] maps a BCP 47 tag to a pattern set **of that
//! language only**: `de-CH` gets German, `pt-BR` Portuguese, `sr-Latn`
//! Serbo-Croatian in Latin script, but a language without patterns (Japanese,
//! Arabic, Hebrew, Chinese in Han characters) gets none rather than a
//! neighbour's: English patterns on German words would break them wrongly.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use hyphenation::{Language, Load, Standard};

/// The pattern set for a BCP 47 tag (`de`, `de-CH-1901`, `el-polyton`,
/// `sr-Latn`, `en-GB`, `und`…), compared case-insensitively; `None` when
/// the crate has none for that language.
pub fn pattern_language(tag: &str) -> Option<Language> {
    let normalized = tag.trim().replace('_', "-").to_ascii_lowercase();
    // Tags the crate spells out itself, private-use ones included
    // (`la-x-classic`, `fi-x-school`, `zh-latn-pinyin`).
    if let Some(exact) = Language::try_from_code(&normalized) {
        return Some(exact);
    }
    let tag = Subtags::parse(&normalized);
    let language = match tag.primary {
        "en" => match tag.region {
            // Commonwealth usage follows the British patterns.
            Some("gb" | "uk" | "au" | "nz" | "ie" | "za" | "in") => Language::EnglishGB,
            _ => Language::EnglishUS,
        },
        "de" | "gsw" => match (tag.has_variant("1901"), tag.region) {
            (true, Some("ch")) => Language::GermanSwiss,
            (true, _) => Language::German1901,
            // The reformed spelling (1996) is what German text is written in
            // today, in Switzerland too (which only drops ß).
            (false, _) => Language::German1996,
        },
        "el" if tag.has_variant("polyton") => Language::GreekPoly,
        "el" => Language::GreekMono,
        "grc" => Language::GreekAncient,
        // Serbian, Croatian, Bosnian and Montenegrin are standards of one
        // language; the Serbo-Croatian patterns cover both its scripts.
        "sr" if tag.script == Some("latn") => Language::SerbocroatianLatin,
        "sr" => Language::SerbianCyrillic,
        "sh" | "bs" | "cnr" if tag.script == Some("cyrl") => Language::SerbocroatianCyrillic,
        "sh" | "bs" | "cnr" => Language::SerbocroatianLatin,
        // Norwegian without a standard named: Bokmål, which most write.
        "no" => Language::NorwegianBokmal,
        "mn" if matches!(tag.script, None | Some("cyrl")) => Language::Mongolian,
        // Chinese patterns are for Hanyu Pinyin, never Han characters.
        "zh" if tag.script == Some("latn") => Language::Chinese,
        // The Ethiopic patterns are written for the script, whichever of its
        // languages uses it.
        "am" | "ti" | "gez" | "tig" => Language::Ethiopic,
        "ku" if tag.script != Some("arab") => Language::Kurmanji,
        "la" if tag.has_variant("x-classic") => Language::LatinClassic,
        "fi" if tag.has_variant("x-school") => Language::FinnishScholastic,
        primary => return Language::try_from_code(primary).filter(|l| !ambiguous(*l)),
    };
    Some(language)
}

/// Languages whose bare primary subtag the crate accepts but which need a
/// script or variant to mean these patterns (`mn` is also written in
/// Mongolian script; handled above).
fn ambiguous(language: Language) -> bool {
    matches!(language, Language::Mongolian | Language::Chinese)
}

/// The fewest characters kept before and after a pattern break: the
/// language's own TeX minima, never below two (a lone letter at a line end
/// or start reads as a typo in any language).
pub fn minima(language: Language) -> (usize, usize) {
    let (left, right) = language.minima();
    (left.max(2), right.max(2))
}

/// The subtags of a lower-case BCP 47 tag that choose patterns.
struct Subtags<'t> {
    primary: &'t str,
    script: Option<&'t str>,
    region: Option<&'t str>,
    /// Variants and private-use subtags, as written (`1901`, `polyton`,
    /// `x-classic`).
    rest: &'t str,
}

impl<'t> Subtags<'t> {
    fn parse(tag: &'t str) -> Subtags<'t> {
        let mut parts = tag.split('-');
        let primary = parts.next().unwrap_or("");
        let mut script = None;
        let mut region = None;
        let mut consumed = primary.len();
        for part in parts {
            let is_script = part.len() == 4 && part.chars().all(|c| c.is_ascii_alphabetic());
            let is_region = (part.len() == 2 && part.chars().all(|c| c.is_ascii_alphabetic()))
                || (part.len() == 3 && part.chars().all(|c| c.is_ascii_digit()));
            if script.is_none() && region.is_none() && is_script {
                script = Some(part);
            } else if region.is_none() && is_region {
                region = Some(part);
            } else {
                break;
            }
            consumed += 1 + part.len();
        }
        Subtags {
            primary,
            script,
            region,
            rest: tag.get(consumed..).unwrap_or("").trim_start_matches('-'),
        }
    }

    fn has_variant(&self, variant: &str) -> bool {
        self.rest == variant
            || self.rest.starts_with(&format!("{variant}-"))
            || self.rest.contains(&format!("-{variant}"))
    }
}

/// The dictionary for `language`, deserialised once per process; `None`
/// only if the embedded data is unreadable (a broken build).
pub fn load(language: Language) -> Option<Arc<Standard>> {
    type Registry = Mutex<HashMap<Language, Option<Arc<Standard>>>>;
    static LOADED: OnceLock<Registry> = OnceLock::new();
    let registry = LOADED.get_or_init(|| Mutex::new(HashMap::new()));
    // A poisoned lock only means another thread panicked mid-insert; the map
    // itself is still consistent, so keep using it.
    let mut loaded = registry
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    loaded
        .entry(language)
        .or_insert_with(|| Standard::from_embedded(language).ok().map(Arc::new))
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_choose_their_own_language() {
        let cases = [
            ("en", Some("en-us")),
            ("en-US", Some("en-us")),
            ("en-GB", Some("en-gb")),
            ("en_AU", Some("en-gb")),
            ("de", Some("de-1996")),
            ("de-AT", Some("de-1996")),
            ("de-CH", Some("de-1996")),
            ("de-1901", Some("de-1901")),
            ("de-CH-1901", Some("de-ch-1901")),
            ("fr-CA", Some("fr")),
            ("pt-BR", Some("pt")),
            ("es-419", Some("es")),
            ("ru", Some("ru")),
            ("uk", Some("uk")),
            ("el", Some("el-monoton")),
            ("el-polyton", Some("el-polyton")),
            ("grc", Some("grc")),
            ("sr", Some("sr-cyrl")),
            ("sr-Latn", Some("sh-latn")),
            ("sr-Latn-RS", Some("sh-latn")),
            ("hr", Some("hr")),
            ("no", Some("nb")),
            ("nn", Some("nn")),
            ("la-x-classic", Some("la-x-classic")),
            ("zh-Latn-pinyin", Some("zh-latn-pinyin")),
            ("hi", Some("hi")),
            ("am", Some("mul-ethi")),
            ("mn", Some("mn-cyrl")),
            ("mn-Mong", None),
            ("zh", None),
            ("zh-Hans", None),
            ("ja", None),
            ("ko", None),
            ("ar", None),
            ("he", None),
            ("und", None),
            ("", None),
            ("x-klingon", None),
        ];
        for (tag, expected) in cases {
            assert_eq!(pattern_language(tag).map(|l| l.code()), expected, "{tag}");
        }
    }

    #[test]
    fn every_embedded_language_loads() {
        // Each code the crate knows maps back to itself and deserialises.
        for code in ["en-us", "de-1996", "fr", "ru", "el-monoton", "hu", "th"] {
            let language = pattern_language(code);
            assert_eq!(language.map(|l| l.code()), Some(code));
            assert!(load(language.unwrap()).is_some(), "{code}");
        }
    }

    #[test]
    fn minima_never_below_two() {
        assert_eq!(minima(Language::EnglishUS), (2, 3));
        assert_eq!(minima(Language::Hindi), (2, 2));
        assert_eq!(minima(Language::German1996), (2, 2));
    }
}
