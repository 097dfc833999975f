//! The stores' rules, each with the document it comes from. A rule whose
//! number is printed in the store's own documentation fails the check when
//! broken; a rule whose number folio could only find in secondary guides
//! (the store's page could not be read to confirm it) warns instead, and
//! says so. Numbers nobody could confirm are not checked at all (the
//! README's table lists them).

use super::facts::{Facts, ImageFact, PrintFacts};
use super::{Finding, Outcome, Store};

/// How firm a rule is, which decides whether breaking it fails the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Basis {
    /// The store's own document states it as a requirement: fails.
    Required,
    /// The store states it as advice, or it concerns a file folio does not
    /// make (a separate cover upload): warns.
    Advice,
    /// Only secondary guides give the number: warns, and says so.
    Unconfirmed,
}

const KDP_COVER: &str =
    "KDP Help, Cover Image Guidelines (kdp.amazon.com/en_US/help/topic/G6GTK3T3NUHKLEFX)";
const KDP_PAPERBACK: &str =
    "KDP Help, Paperback Submission Guidelines (kdp.amazon.com/en_US/help/topic/G201857950)";
const KDP_MARGINS: &str = "KDP Help, Set Trim Size, Bleed, and Margins (kdp.amazon.com/en_US/help/topic/GVBQ3CMEQW3W2VL6); number not confirmed there";
const KDP_PRINT_OPTIONS: &str = "KDP Help, Print Options (kdp.amazon.com/en_US/help/topic/G201834180); number not confirmed there";
const KDP_DETAILS: &str = "KDP's book details form (title, author and language are required)";
const APPLE: &str = "Apple Books for Authors, Prepare your book (itunespartner.apple.com/books/support/9-prepare-book)";
const APPLE_DETAILS: &str = "Apple Books metadata (title, author and language are required)";
const GOOGLE: &str = "Google Play Books Partner Center Help, Files and uploading overview (support.google.com/books/partner/answer/3424254)";
const GOOGLE_DETAILS: &str = "Google Play Books book details (title, contributor and language)";
const KOBO_DETAILS: &str = "Kobo Writing Life eBook details (title, contributor and language)";
const INGRAM_EPUB: &str = "IngramSpark, How to Create E-Book Files (ingramspark.com/plan-your-book/ebooks/epub-guidelines)";
const INGRAM_PRINT: &str = "IngramSpark, File Requirements for Print Books (ingramspark.com/blog/file-requirements-for-print-books)";
const INGRAM_DETAILS: &str =
    "IngramSpark title setup (title, contributor, language; an ISBN for every format)";

const MB: u64 = 1_000_000;
const GB: u64 = 1_000_000_000;

/// Every rule of `store` applied to `facts`, in a fixed order.
pub fn check(store: Store, facts: &Facts) -> Vec<Finding> {
    let mut out = Vec::new();
    let details = match store {
        Store::Kdp => KDP_DETAILS,
        Store::Apple => APPLE_DETAILS,
        Store::Google => GOOGLE_DETAILS,
        Store::Kobo => KOBO_DETAILS,
        Store::Ingram => INGRAM_DETAILS,
    };
    metadata(store, facts, details, &mut out);
    match store {
        Store::Kdp => {
            if let Some(cover) = &facts.cover {
                let (short, long) = sides(cover);
                let ok =
                    short >= 625 && long >= 1000 && cover.width <= 10_000 && cover.height <= 10_000;
                out.push(rule(
                    store,
                    "cover-size",
                    ok,
                    Basis::Required,
                    format!(
                        "the cover is {} × {} px; KDP takes 625 × 1,000 px at least, 10,000 × 10,000 px at most (1,600 × 2,560 recommended)",
                        cover.width, cover.height
                    ),
                    "use a cover of about 1,600 × 2,560 px, or remove `cover` from book.toml for folio's",
                    KDP_COVER,
                ));
                out.push(rule(
                    store,
                    "cover-file-size",
                    cover.bytes <= 50 * MB,
                    Basis::Required,
                    format!(
                        "the cover file is {}; KDP takes 50 MB at most",
                        size(cover.bytes)
                    ),
                    "save the cover as a JPEG of lower quality",
                    KDP_COVER,
                ));
            }
            if let Some(print) = &facts.print {
                kdp_print(print, &mut out);
            }
        }
        Store::Apple => {
            image_pixels(store, facts, 4_000_000, Basis::Advice, APPLE, &mut out);
            out.push(rule(
                store,
                "epub-file-size",
                facts.epub_bytes <= 2 * GB,
                Basis::Required,
                format!(
                    "the EPUB is {}; Apple Books takes 2 GB at most (under 1 GB recommended)",
                    size(facts.epub_bytes)
                ),
                "make the images smaller",
                APPLE,
            ));
        }
        Store::Google => {
            if let Some(cover) = &facts.cover {
                let (short, _) = sides(cover);
                out.push(rule(
                    store,
                    "cover-size",
                    short >= 640 && cover.width <= 7200 && cover.height <= 7200,
                    Basis::Required,
                    format!(
                        "the cover is {} × {} px; Google Play takes 640 px at least and 7,200 px at most a side",
                        cover.width, cover.height
                    ),
                    "use a cover of about 1,600 × 2,560 px",
                    GOOGLE,
                ));
                out.push(rule(
                    store,
                    "cover-format",
                    matches!(cover.media_type, "image/jpeg" | "image/png"),
                    Basis::Required,
                    format!(
                        "the cover is {}; Google Play takes JPEG, TIFF, PDF or PNG covers",
                        cover.media_type
                    ),
                    "export the cover as JPEG or PNG",
                    GOOGLE,
                ));
            }
            out.push(rule(
                store,
                "epub-file-size",
                facts.epub_bytes < 2 * GB,
                Basis::Required,
                format!(
                    "the EPUB is {}; Google Play takes files under 2 GB",
                    size(facts.epub_bytes)
                ),
                "make the images smaller",
                GOOGLE,
            ));
        }
        Store::Kobo => {}
        Store::Ingram => {
            out.push(rule(
                store,
                "isbn",
                facts.isbn.is_some(),
                Basis::Required,
                match &facts.isbn {
                    Some(isbn) => {
                        format!("ISBN {isbn}; IngramSpark needs an ISBN for every format")
                    }
                    None => "no ISBN; IngramSpark needs an ISBN for every format".to_owned(),
                },
                "set `identifier = \"978-…\"` in [book] in book.toml (one ISBN per format)",
                INGRAM_DETAILS,
            ));
            if let Some(cover) = &facts.cover {
                let (short, _) = sides(cover);
                out.push(rule(
                    store,
                    "cover-size",
                    short >= 1600,
                    Basis::Required,
                    format!(
                        "the cover is {} × {} px; IngramSpark takes 1,600 px at least on the shortest side (2,560 on the longest)",
                        cover.width, cover.height
                    ),
                    "use a cover of 1,600 × 2,560 px",
                    INGRAM_EPUB,
                ));
                out.push(rule(
                    store,
                    "cover-format",
                    cover.media_type == "image/jpeg",
                    Basis::Advice,
                    format!(
                        "the cover is {}; IngramSpark's separate cover upload must be a JPG (RGB)",
                        cover.media_type
                    ),
                    "upload the cover as an RGB JPEG next to the EPUB",
                    INGRAM_EPUB,
                ));
            }
            image_pixels(
                store,
                facts,
                3_200_000,
                Basis::Required,
                INGRAM_EPUB,
                &mut out,
            );
            out.push(rule(
                store,
                "epub-file-size",
                facts.epub_bytes <= 100 * MB,
                Basis::Required,
                format!(
                    "the EPUB is {}; IngramSpark takes 100 MB at most",
                    size(facts.epub_bytes)
                ),
                "make the images smaller",
                INGRAM_EPUB,
            ));
            if let Some(print) = &facts.print {
                let nearest = print
                    .inside
                    .min(print.outside)
                    .min(print.top)
                    .min(print.bottom);
                out.push(rule(
                    store,
                    "margins",
                    nearest + 0.005 >= 0.5,
                    Basis::Required,
                    format!(
                        "the nearest ink is {:.3} in from the trim (inside {:.3}, outside {:.3}, top {:.3}, bottom {:.3}); IngramSpark asks for 0.5 in on every side, page numbers included",
                        nearest, print.inside, print.outside, print.top, print.bottom
                    ),
                    "raise the margins in the print style ([page]) so heads and page numbers sit 0.5 in inside the trim",
                    INGRAM_PRINT,
                ));
                fonts_embedded(store, print, INGRAM_PRINT, &mut out);
            }
        }
    }
    out
}

fn metadata(store: Store, facts: &Facts, source: &'static str, out: &mut Vec<Finding>) {
    out.push(rule(
        store,
        "title",
        !facts.title.trim().is_empty(),
        Basis::Required,
        format!("title “{}”", facts.title),
        "set `title` in [book] in book.toml",
        source,
    ));
    out.push(rule(
        store,
        "authors",
        facts.authors.iter().any(|a| !a.trim().is_empty()),
        Basis::Required,
        if facts.authors.is_empty() {
            format!("no author given; {} requires at least one", store.label())
        } else {
            format!("by {}", facts.authors.join(", "))
        },
        "add `authors = [\"…\"]` to [book] in book.toml",
        source,
    ));
    out.push(rule(
        store,
        "language",
        facts.language_given,
        Basis::Advice,
        if facts.language_given {
            "the language is given".to_owned()
        } else {
            format!(
                "no language given (folio assumed English); {} asks for the book's language",
                store.label()
            )
        },
        "set `language = \"…\"` (a BCP 47 tag such as \"en\") in [book] in book.toml",
        source,
    ));
}

fn image_pixels(
    store: Store,
    facts: &Facts,
    limit: u64,
    basis: Basis,
    source: &'static str,
    out: &mut Vec<Finding>,
) {
    let largest = facts.images.iter().max_by_key(|i| i.pixels());
    let over: Vec<&ImageFact> = facts.images.iter().filter(|i| i.pixels() > limit).collect();
    let message = match (over.as_slice(), largest) {
        ([], Some(l)) => format!(
            "the largest image, `{}`, has {} pixels; {} takes {} at most in the EPUB",
            l.href,
            thousands(l.pixels()),
            store.label(),
            thousands(limit)
        ),
        ([], None) => "no images".to_owned(),
        (over, _) => format!(
            "{} above the {} pixels {} takes: {}",
            match over.len() {
                1 => "1 image".to_owned(),
                n => format!("{n} images"),
            },
            thousands(limit),
            store.label(),
            over.iter()
                .take(5)
                .map(|i| format!(
                    "`{}` ({} × {} = {})",
                    i.href,
                    i.width,
                    i.height,
                    thousands(i.pixels())
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let help = if over.iter().any(|i| i.href == "cover.png") && facts.cover_generated {
        "folio's cover is 1,600 × 2,560 (the size KDP recommends): set `cover` to an image within the limit for this store, and upload the large one separately"
    } else {
        "scale the images down, keeping width × height within the limit"
    };
    out.push(rule(
        store,
        "image-pixels",
        over.is_empty(),
        basis,
        message,
        help,
        source,
    ));
}

fn kdp_print(print: &PrintFacts, out: &mut Vec<Finding>) {
    let store = Store::Kdp;
    let (w, h) = (print.trim_width, print.trim_height);
    out.push(rule(
        store,
        "trim-size",
        (4.0 - 0.01..=8.5 + 0.01).contains(&w) && (6.0 - 0.01..=11.69 + 0.01).contains(&h),
        Basis::Unconfirmed,
        format!("the trim is {w:.2} × {h:.2} in; KDP paperbacks are 4 to 8.5 in wide and 6 to 11.69 in tall"),
        "choose a KDP trim size (`size` in [page] of the print style: 6x9, 5.5x8.5, 5x8, letter …)",
        KDP_PRINT_OPTIONS,
    ));
    out.push(rule(
        store,
        "bleed",
        print.bleed < 0.001 || (print.bleed - 0.125).abs() < 0.005,
        Basis::Unconfirmed,
        format!(
            "the bleed is {:.3} in; KDP takes none or 0.125 in",
            print.bleed
        ),
        "set `bleed = \"0.125in\"` (or 0) in [page] of the print style",
        KDP_MARGINS,
    ));
    let gutter = kdp_gutter(print.pages);
    out.push(rule(
        store,
        "gutter",
        print.inside + 0.005 >= gutter,
        Basis::Unconfirmed,
        format!(
            "the inside margin is {:.3} in at {} pages; KDP asks for {gutter} in",
            print.inside, print.pages
        ),
        &format!("set `margin-inside = \"{gutter}in\"` or more in [page] of the print style"),
        KDP_MARGINS,
    ));
    let minimum = if print.bleed > 0.001 { 0.375 } else { 0.25 };
    let nearest = print.outside.min(print.top).min(print.bottom);
    out.push(rule(
        store,
        "margins",
        nearest + 0.005 >= minimum,
        Basis::Unconfirmed,
        format!(
            "the nearest ink is {nearest:.3} in from the outer, top or bottom edge; KDP asks for {minimum} in {} bleed",
            if print.bleed > 0.001 { "with" } else { "without" }
        ),
        "raise the outside, top or bottom margin in [page] of the print style",
        KDP_MARGINS,
    ));
    out.push(rule(
        store,
        "page-count",
        (24..=828).contains(&print.pages),
        Basis::Unconfirmed,
        format!(
            "{} pages; KDP prints 24 to 828 (black ink on white paper; fewer for large trims and colour)",
            print.pages
        ),
        "KDP will not print a book outside these bounds",
        KDP_PRINT_OPTIONS,
    ));
    fonts_embedded(store, print, KDP_PAPERBACK, out);
    if let Some(bytes) = print.pdf_bytes {
        out.push(rule(
            store,
            "pdf-file-size",
            bytes <= 650 * MB,
            Basis::Required,
            format!("the print PDF is {}; KDP takes 650 MB at most", size(bytes)),
            "make the images smaller",
            KDP_PAPERBACK,
        ));
    }
}

/// KDP's minimum inside margin for a page count, in inches.
pub fn kdp_gutter(pages: usize) -> f32 {
    match pages {
        0..=150 => 0.375,
        151..=300 => 0.5,
        301..=500 => 0.625,
        501..=700 => 0.75,
        _ => 0.875,
    }
}

fn fonts_embedded(store: Store, print: &PrintFacts, source: &'static str, out: &mut Vec<Finding>) {
    out.push(rule(
        store,
        "fonts-embedded",
        print.fonts_not_embeddable.is_empty(),
        Basis::Required,
        if print.fonts_not_embeddable.is_empty() {
            format!(
                "all {} fonts are embedded (as subsets); {} requires every font embedded",
                print.fonts,
                store.label()
            )
        } else {
            format!(
                "the licence of {} forbids embedding; {} requires every font embedded",
                print.fonts_not_embeddable.join(", "),
                store.label()
            )
        },
        "use fonts whose licence allows embedding (folio's built-in fonts do)",
        source,
    ));
}

fn rule(
    store: Store,
    id: &'static str,
    ok: bool,
    basis: Basis,
    message: String,
    help: &str,
    source: &'static str,
) -> Finding {
    Finding {
        store,
        rule: id,
        outcome: match (ok, basis) {
            (true, _) => Outcome::Pass,
            (false, Basis::Required) => Outcome::Fail,
            (false, Basis::Advice | Basis::Unconfirmed) => Outcome::Warn,
        },
        message,
        help: (!ok).then(|| help.to_owned()),
        source,
        confirmed: basis != Basis::Unconfirmed,
    }
}

/// (shorter side, longer side).
fn sides(image: &ImageFact) -> (u32, u32) {
    (image.width.min(image.height), image.width.max(image.height))
}

fn size(bytes: u64) -> String {
    if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else {
        format!("{:.1} KB", bytes as f64 / 1000.0)
    }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::facts::{Facts, ImageFact, PrintFacts};
    use super::super::{Outcome, Store};
    use super::check;

    fn outcome(store: Store, facts: &Facts, rule: &str) -> Option<Outcome> {
        check(store, facts)
            .into_iter()
            .find(|f| f.rule == rule)
            .map(|f| f.outcome)
    }

    fn cover(bytes: u64) -> ImageFact {
        ImageFact {
            href: "cover.jpg".into(),
            media_type: "image/jpeg",
            width: 1600,
            height: 2000,
            bytes,
        }
    }

    /// The rules on sizes no test book reaches, each on both sides of the
    /// store's number.
    #[test]
    fn file_size_rules_on_both_sides_of_the_number() {
        let mut facts = Facts {
            title: "T".into(),
            authors: vec!["A".into()],
            language_given: true,
            cover: Some(cover(50_000_000)),
            print: Some(PrintFacts {
                trim_width: 6.0,
                trim_height: 9.0,
                pages: 100,
                inside: 0.9,
                outside: 0.6,
                top: 0.6,
                bottom: 0.6,
                pdf_bytes: Some(650_000_000),
                ..PrintFacts::default()
            }),
            epub_bytes: 100_000_000,
            ..Facts::default()
        };
        assert_eq!(
            outcome(Store::Kdp, &facts, "cover-file-size"),
            Some(Outcome::Pass)
        );
        assert_eq!(
            outcome(Store::Kdp, &facts, "pdf-file-size"),
            Some(Outcome::Pass)
        );
        assert_eq!(
            outcome(Store::Ingram, &facts, "epub-file-size"),
            Some(Outcome::Pass)
        );
        facts.cover = Some(cover(50_000_001));
        facts.epub_bytes = 100_000_001;
        if let Some(print) = &mut facts.print {
            print.pdf_bytes = Some(650_000_001);
        }
        assert_eq!(
            outcome(Store::Kdp, &facts, "cover-file-size"),
            Some(Outcome::Fail)
        );
        assert_eq!(
            outcome(Store::Kdp, &facts, "pdf-file-size"),
            Some(Outcome::Fail)
        );
        assert_eq!(
            outcome(Store::Ingram, &facts, "epub-file-size"),
            Some(Outcome::Fail)
        );

        facts.epub_bytes = 2_000_000_000;
        assert_eq!(
            outcome(Store::Apple, &facts, "epub-file-size"),
            Some(Outcome::Pass)
        );
        assert_eq!(
            outcome(Store::Google, &facts, "epub-file-size"),
            Some(Outcome::Fail)
        );
        facts.epub_bytes = 1_999_999_999;
        assert_eq!(
            outcome(Store::Google, &facts, "epub-file-size"),
            Some(Outcome::Pass)
        );
        facts.epub_bytes = 2_000_000_001;
        assert_eq!(
            outcome(Store::Apple, &facts, "epub-file-size"),
            Some(Outcome::Fail)
        );
    }

    #[test]
    fn a_blank_title_fails_and_the_gutter_grows_with_the_page_count() {
        let mut facts = Facts {
            title: " ".into(),
            ..Facts::default()
        };
        assert_eq!(outcome(Store::Kobo, &facts, "title"), Some(Outcome::Fail));
        facts.title = "T".into();
        assert_eq!(outcome(Store::Kobo, &facts, "title"), Some(Outcome::Pass));

        let print = |pages, inside| PrintFacts {
            trim_width: 6.0,
            trim_height: 9.0,
            pages,
            inside,
            outside: 0.5,
            top: 0.5,
            bottom: 0.5,
            ..PrintFacts::default()
        };
        facts.print = Some(print(300, 0.5));
        assert_eq!(outcome(Store::Kdp, &facts, "gutter"), Some(Outcome::Pass));
        facts.print = Some(print(301, 0.5));
        assert_eq!(outcome(Store::Kdp, &facts, "gutter"), Some(Outcome::Warn));
        facts.print = Some(print(829, 1.0));
        assert_eq!(
            outcome(Store::Kdp, &facts, "page-count"),
            Some(Outcome::Warn)
        );
    }
}
