//! Semantic checks on `book.toml` values (language tags, ISBN checksums, dates,
//! slugs) and the conversion into the IR's [`Metadata`].

use super::BookConfig;
use crate::diag::{Diagnostic, Sink, Span};
use crate::ir::{Identifier, Metadata};
use crate::source::SourceId;
use toml::Spanned;

/// Builds validated metadata from `[book]`. Problems go to `sink`; the result is
/// still usable (with defaults) so later stages can report their problems too.
pub fn metadata(config: &BookConfig, source: SourceId, sink: &mut Sink) -> Metadata {
    let book = &config.book;
    let span_of = |s: &Spanned<String>| Span::new(source, s.span().start, s.span().end);
    let title = match &book.title {
        Some(t) if !t.get_ref().trim().is_empty() => t.get_ref().trim().to_owned(),
        Some(t) => {
            sink.error(span_of(t), "the book title is empty");
            String::new()
        }
        None => {
            sink.push(
                Diagnostic::error(Span::file(source), "book.toml has no `title` in [book]")
                    .with_help("add `title = \"…\"` under [book]"),
            );
            String::new()
        }
    };

    let language = match &book.language {
        Some(tag) => match check_language(tag.get_ref()) {
            Ok(()) => tag.get_ref().clone(),
            Err(why) => {
                sink.push(
                    Diagnostic::error(
                        span_of(tag),
                        format!(
                            "`{}` is not a valid BCP 47 language tag: {why}",
                            tag.get_ref()
                        ),
                    )
                    .with_help("use a tag such as `en`, `en-GB`, `fr` or `pt-BR`"),
                );
                "en".to_owned()
            }
        },
        None => {
            sink.push(
                Diagnostic::warning(Span::file(source), "no `language` in [book]; assuming `en`")
                    .with_help("add `language = \"en\"` (or the book's BCP 47 tag) under [book]"),
            );
            "en".to_owned()
        }
    };

    let identifier = match &book.identifier {
        Some(id) => match parse_identifier(id.get_ref()) {
            Ok(identifier) => identifier,
            Err(why) => {
                sink.push(
                    Diagnostic::error(span_of(id), why)
                        .with_help("use an ISBN-13 (`978-…`) or a UUID"),
                );
                derived_identifier(&title)
            }
        },
        None => {
            sink.push(
                Diagnostic::warning(
                    Span::file(source),
                    "no `identifier` in [book]; using a UUID derived from the title",
                )
                .with_help("stores need a stable identifier: add the ISBN-13 (`identifier = \"978-…\"`) or a UUID"),
            );
            derived_identifier(&title)
        }
    };

    let print_identifier = book.print_identifier.as_ref().and_then(|id| {
        match parse_identifier(id.get_ref()) {
            Ok(Identifier::Isbn13(isbn)) => Some(isbn),
            Ok(_) => {
                sink.push(
                    Diagnostic::error(span_of(id), format!("`{}` is not an ISBN-13", id.get_ref()))
                        .with_help("give the print edition's ISBN-13 (`978-…`), or leave `print-identifier` out"),
                );
                None
            }
            Err(why) => {
                sink.push(
                    Diagnostic::error(span_of(id), why)
                        .with_help("give the print edition's ISBN-13 (`978-…`)"),
                );
                None
            }
        }
    });

    if book.authors.is_empty() {
        sink.push(
            Diagnostic::warning(Span::file(source), "no `authors` in [book]").with_help(
                "add `authors = [\"Your Name\"]` under [book]; stores require a creator",
            ),
        );
    }

    let date = book
        .date
        .as_ref()
        .and_then(|d| match check_date(d.get_ref()) {
            Ok(()) => Some(d.get_ref().clone()),
            Err(why) => {
                sink.push(
                    Diagnostic::error(
                        span_of(d),
                        format!("invalid `date` `{}`: {why}", d.get_ref()),
                    )
                    .with_help("write the date as YYYY, YYYY-MM or YYYY-MM-DD"),
                );
                None
            }
        });

    let slug = match &book.slug {
        Some(s) if is_valid_slug(s.get_ref()) => s.get_ref().clone(),
        Some(s) if s.get_ref().len() > MAX_SLUG => {
            sink.push(
                Diagnostic::error(
                    span_of(s),
                    format!(
                        "the slug is {} characters long; a file name may have {MAX_SLUG}",
                        s.get_ref().chars().count()
                    ),
                )
                .with_help("shorten it"),
            );
            slugify(&title)
        }
        Some(s) => {
            sink.push(
                Diagnostic::error(
                    span_of(s),
                    format!("`{}` is not a usable file name", s.get_ref()),
                )
                .with_help("use lowercase letters, digits, `-`, `_` and `.` only"),
            );
            slugify(&title)
        }
        None => slugify(&title),
    };

    if let Some(url) = &book.url {
        if !is_web_url(url.get_ref().trim()) {
            sink.push(
                Diagnostic::error(
                    span_of(url),
                    format!("`{}` is not a web address", url.get_ref()),
                )
                .with_help("give the full address the book is published at, like `https://example.com/my-book/`"),
            );
        }
    }

    for key in config.lint.keys() {
        if !crate::lint::LINTS.iter().any(|(id, _)| id == key) {
            let mut d = Diagnostic::error(
                Span::file(source),
                format!("unknown lint `{key}` in [lint]"),
            );
            d = match crate::diag::suggest(key, crate::lint::LINTS.iter().map(|(id, _)| *id)) {
                Some(close) => d.with_help(format!("did you mean `{close}`?")),
                None => d.with_help(format!(
                    "lints are: {}",
                    crate::lint::LINTS
                        .iter()
                        .map(|(id, _)| *id)
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            sink.push(d);
        }
    }

    Metadata {
        title,
        subtitle: book.subtitle.clone(),
        authors: book.authors.clone(),
        language,
        identifier,
        print_identifier,
        publisher: book.publisher.clone(),
        date,
        edition: book.edition.clone(),
        description: book.description.clone(),
        rights: book.rights.clone(),
        subjects: book.subjects.clone(),
        cover: None,
        slug,
    }
}

/// An absolute `http:` or `https:` address with a host.
pub fn is_web_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !text.chars().any(char::is_whitespace)
    })
}

/// A stable UUID (v5) from the title, so an unnamed book keeps its identity across builds.
fn derived_identifier(title: &str) -> Identifier {
    let namespace = uuid::Uuid::NAMESPACE_URL;
    let uuid = uuid::Uuid::new_v5(&namespace, format!("folio:book:{title}").as_bytes());
    Identifier::Derived(uuid.hyphenated().to_string())
}

/// An ISBN-13 (hyphens and spaces allowed, `urn:isbn:` prefix allowed) or a UUID.
pub fn parse_identifier(text: &str) -> Result<Identifier, String> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("urn:uuid:") {
        return parse_uuid(rest);
    }
    let isbn_part = lower.strip_prefix("urn:isbn:").unwrap_or(&lower);
    let isbn_part = isbn_part
        .strip_prefix("isbn")
        .unwrap_or(isbn_part)
        .trim_start_matches([':', ' ']);
    let digits: String = isbn_part
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .collect();
    if digits.len() == 13 && digits.chars().all(|c| c.is_ascii_digit()) {
        return check_isbn13(&digits).map(|()| Identifier::Isbn13(digits));
    }
    if digits.chars().all(|c| c.is_ascii_digit()) && !digits.is_empty() {
        return Err(format!(
            "`{text}` looks like an ISBN but has {} digits; an ISBN-13 has 13",
            digits.len()
        ));
    }
    parse_uuid(&lower).map_err(|_| format!("`{text}` is neither an ISBN-13 nor a UUID"))
}

fn parse_uuid(text: &str) -> Result<Identifier, String> {
    uuid::Uuid::parse_str(text)
        .map(|u| Identifier::Uuid(u.hyphenated().to_string()))
        .map_err(|e| format!("`{text}` is not a valid UUID: {e}"))
}

/// ISBN-13 checksum: digits weighted 1,3,1,3… sum to a multiple of ten.
fn check_isbn13(digits: &str) -> Result<(), String> {
    if !(digits.starts_with("978") || digits.starts_with("979")) {
        return Err(format!("ISBN-13 `{digits}` must start with 978 or 979"));
    }
    let sum: u32 = digits
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    if sum % 10 == 0 {
        Ok(())
    } else {
        let body: u32 = digits
            .bytes()
            .take(12)
            .enumerate()
            .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
            .sum();
        let expected = (10 - body % 10) % 10;
        Err(format!(
            "ISBN-13 `{digits}` has a wrong check digit (the last digit should be {expected})"
        ))
    }
}

/// Syntax of a BCP 47 tag (RFC 5646): language[-script][-region][-variant]*
/// [-extension]*[-x-private], with the primary language checked against ISO 639-1
/// when it has two letters, so `english` or `uk-en` typos are caught.
pub fn check_language(tag: &str) -> Result<(), String> {
    if tag.is_empty() {
        return Err("it is empty".into());
    }
    let parts: Vec<&str> = tag.split('-').collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || p.len() > 8 || !p.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return Err("subtags are 1 to 8 letters or digits separated by `-`".into());
    }
    let primary = parts[0].to_ascii_lowercase();
    if primary == "x" {
        return Ok(());
    }
    if !primary.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err("the language subtag must be letters".into());
    }
    match primary.len() {
        2 if !ISO_639_1.split(' ').any(|c| c == primary) => {
            return Err(format!("`{primary}` is not an ISO 639 language code"));
        }
        2 | 3 => {}
        _ => {
            return Err(format!(
                "`{primary}` is not a language code (use 2 or 3 letters)"
            ));
        }
    }
    let mut i = 1;
    // Up to three extended language subtags (3 letters).
    while i < parts.len()
        && i <= 3
        && parts[i].len() == 3
        && parts[i].chars().all(|c| c.is_ascii_alphabetic())
    {
        i += 1;
    }
    if i < parts.len() && parts[i].len() == 4 && parts[i].chars().all(|c| c.is_ascii_alphabetic()) {
        i += 1; // script
    }
    if i < parts.len()
        && ((parts[i].len() == 2 && parts[i].chars().all(|c| c.is_ascii_alphabetic()))
            || (parts[i].len() == 3 && parts[i].chars().all(|c| c.is_ascii_digit())))
    {
        i += 1; // region
    }
    while i < parts.len() {
        let p = parts[i];
        let variant =
            (5..=8).contains(&p.len()) || (p.len() == 4 && p.as_bytes()[0].is_ascii_digit());
        if variant {
            i += 1;
            continue;
        }
        if p.len() == 1 {
            // Extension or private use: the rest is free-form subtags.
            if i + 1 >= parts.len() {
                return Err(format!(
                    "the `{p}` extension needs at least one subtag after it"
                ));
            }
            return Ok(());
        }
        return Err(format!(
            "`{p}` is not a valid script, region or variant subtag"
        ));
    }
    Ok(())
}

/// W3C date formats accepted by EPUB `dc:date`.
fn check_date(date: &str) -> Result<(), String> {
    let parts: Vec<&str> = date.split('-').collect();
    let num = |s: &str, len: usize| {
        (s.len() == len && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    match parts.as_slice() {
        [y] if num(y, 4).is_some() => Ok(()),
        [y, m] if num(y, 4).is_some() && num(m, 2).is_some_and(|m| (1..=12).contains(&m)) => Ok(()),
        [y, m, d] => {
            let (Some(y), Some(m), Some(d)) = (num(y, 4), num(m, 2), num(d, 2)) else {
                return Err("expected YYYY-MM-DD".into());
            };
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let days = match m {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if leap => 29,
                2 => 28,
                _ => return Err("the month must be 01 to 12".into()),
            };
            if (1..=days).contains(&d) {
                Ok(())
            } else {
                Err(format!("day {d} does not exist in that month"))
            }
        }
        _ => Err("expected YYYY, YYYY-MM or YYYY-MM-DD".into()),
    }
}

/// The output file stem derived from a title: lowercase ASCII letters and digits
/// joined by `-` ("Python: The Good Parts" → `python-the-good-parts`).
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let mut slug = slug.trim_end_matches('-');
    // As long as an explicit slug may be, cut at a word: with `.epub` and a
    // temporary file's suffix it stays under every file system's 255 bytes.
    if slug.len() > MAX_SLUG {
        let cut = &slug[..MAX_SLUG];
        slug = cut.rsplit_once('-').map_or(cut, |(head, _)| head);
    }
    if slug.is_empty() {
        "book".to_owned()
    } else {
        slug.to_owned()
    }
}

/// Longest slug, in bytes (slugs are ASCII).
const MAX_SLUG: usize = 200;

/// A slug can be used as a file name on every system.
fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('.')
        && slug.len() <= MAX_SLUG
        && slug
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Drops common Latin accents so `Café` slugs to `cafe`, not `caf`.
pub fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        _ => c,
    }
}

/// ISO 639-1 two-letter language codes.
const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        for ok in [
            "en",
            "en-GB",
            "pt-BR",
            "zh-Hant-TW",
            "sr-Latn",
            "de-CH-1996",
            "es-419",
            "haw",
            "x-klingon",
            "en-US-x-twain",
        ] {
            assert!(check_language(ok).is_ok(), "{ok}");
        }
        for bad in ["", "english", "xx", "en_GB", "en-", "e", "en-toolongsubtag"] {
            assert!(check_language(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn isbn_checksum() {
        assert_eq!(
            parse_identifier("978-0-306-40615-7"),
            Ok(Identifier::Isbn13("9780306406157".into()))
        );
        assert!(
            parse_identifier("978-0-306-40615-8")
                .unwrap_err()
                .contains("should be 7")
        );
        assert!(
            parse_identifier("0-306-40615-2")
                .unwrap_err()
                .contains("10 digits")
        );
        assert!(matches!(
            parse_identifier("urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
            Ok(Identifier::Uuid(_))
        ));
        assert!(parse_identifier("my-book").is_err());
    }

    #[test]
    fn dates() {
        assert!(check_date("2024").is_ok());
        assert!(check_date("2024-02-29").is_ok());
        assert!(check_date("2023-02-29").is_err());
        assert!(check_date("24-01-01").is_err());
        assert!(check_date("2024-13").is_err());
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Python: The Good Parts!"), "python-the-good-parts");
        assert_eq!(slugify("Café au lait"), "cafe-au-lait");
        assert_eq!(slugify("???"), "book");
        // A long title gives a slug as long as an explicit one may be, cut at a word.
        let long = slugify(&"Wordy title ".repeat(100));
        assert!(long.len() <= MAX_SLUG && is_valid_slug(&long), "{long}");
        assert!(long.ends_with("title") || long.ends_with("wordy"), "{long}");
        assert_eq!(slugify(&"x".repeat(500)).len(), MAX_SLUG);
    }
}
