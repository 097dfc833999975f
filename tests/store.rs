//! `folio check --store`: every store rule folio can check, on books built
//! to pass them all and books built to break them (the rules on sizes no
//! test book can reach — 50 MB covers, 2 GB EPUBs — are tested on numbers
//! in `src/store/rules.rs`). Each book is checked once, for every store.

mod common;

use common::{folio, write_book};
use std::collections::BTreeMap;
use std::path::Path;

/// `store rule` → outcome, from the JSON lines of `folio check --store …`.
fn outcomes(dir: &Path, extra: &[&str]) -> (BTreeMap<String, String>, i32, String) {
    let dir = dir.to_string_lossy();
    let mut args = vec!["check", &dir, "-q", "--message-format", "json"];
    for store in ["kdp", "apple", "google", "kobo", "ingram"] {
        args.extend(["--store", store]);
    }
    args.extend(extra);
    let run = folio(&args);
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    let mut map = BTreeMap::new();
    for line in stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("one JSON object a line");
        if v.get("store").is_none() {
            continue; // a diagnostic
        }
        for key in ["message", "source", "confirmed"] {
            assert!(v.get(key).is_some(), "{key} in {line}");
        }
        map.insert(
            format!(
                "{} {}",
                v["store"].as_str().unwrap(),
                v["rule"].as_str().unwrap()
            ),
            v["outcome"].as_str().unwrap().to_owned(),
        );
    }
    (map, run.status.code().unwrap_or(-1), stdout)
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Grayscale);
    let mut writer = encoder.write_header().unwrap();
    writer
        .write_image_data(&vec![200u8; (width * height) as usize])
        .unwrap();
    drop(writer);
    out
}

fn jpeg(width: u16, height: u16) -> Vec<u8> {
    let data = vec![90u8; usize::from(width) * usize::from(height) * 3];
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 80)
        .encode(&data, width, height, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

/// Chapters long enough for KDP's 24-page minimum.
fn chapters() -> Vec<(String, String)> {
    let paragraph = "The quick brown fox jumps over the lazy dog, and the typesetter \
                     hyphenates what it must and justifies the rest of the line. "
        .repeat(6);
    (0..6)
        .map(|c| {
            let mut text = format!("# Chapter {c}\n\n");
            for p in 0..12 {
                text.push_str(&format!("{p}. {paragraph}\n\n"));
            }
            (format!("{c:02}.md"), text)
        })
        .collect()
}

#[test]
fn a_book_made_for_the_stores_passes_every_rule() {
    let temp = tempfile::tempdir().unwrap();
    let cover = jpeg(1600, 2000); // 3.2 Mpx: IngramSpark's image limit, its cover minimum
    let chapters = chapters();
    let mut files: Vec<(&str, &[u8])> = chapters
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_bytes()))
        .collect();
    files.push(("cover.jpg", &cover));
    // Running heads half an inch inside the trim, as IngramSpark asks.
    files.push(("print.toml", b"[page]\nmargin-top = \"1in\"\n"));
    write_book(
        temp.path(),
        "[book]\ntitle = \"Ready\"\nauthors = [\"A. Author\"]\nlanguage = \"en\"\nidentifier = \"978-0-306-40615-7\"\ncover = \"cover.jpg\"\n[pdf]\nstyle = \"print.toml\"\n",
        &files,
    );
    let (map, code, stdout) = outcomes(temp.path(), &[]);
    let not_passed: Vec<_> = map.iter().filter(|(_, o)| *o != "pass").collect();
    assert!(not_passed.is_empty(), "{not_passed:?}\n{stdout}");
    assert_eq!(code, 0, "{stdout}");
    for rule in [
        "kdp title",
        "kdp authors",
        "kdp language",
        "kdp cover-size",
        "kdp cover-file-size",
        "kdp trim-size",
        "kdp bleed",
        "kdp gutter",
        "kdp margins",
        "kdp page-count",
        "kdp fonts-embedded",
        "kdp pdf-file-size",
        "apple image-pixels",
        "apple epub-file-size",
        "google cover-size",
        "google cover-format",
        "google epub-file-size",
        "kobo authors",
        "ingram isbn",
        "ingram cover-size",
        "ingram cover-format",
        "ingram image-pixels",
        "ingram epub-file-size",
        "ingram margins",
        "ingram fonts-embedded",
    ] {
        assert!(map.contains_key(rule), "{rule} checked:\n{stdout}");
    }
}

#[test]
fn a_book_that_breaks_the_rules_fails_or_warns_on_each() {
    let temp = tempfile::tempdir().unwrap();
    let big = png(2100, 2000); // 4.2 Mpx
    write_book(
        temp.path(),
        "[book]\ntitle = \"Rough\"\ncover = \"cover.svg\"\n[pdf]\nstyle = \"print.toml\"\n",
        &[
            ("01.md", b"# One\n\n![A photo](big.png)\n\nText.\n"),
            ("big.png", &big),
            (
                "cover.svg",
                b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"400\"><rect width=\"300\" height=\"400\"/></svg>",
            ),
            (
                "print.toml",
                b"[page]\nsize = \"custom\"\nwidth = \"3.5in\"\nheight = \"5in\"\nbleed = \"0.2in\"\nmargin-inside = \"0.3in\"\nmargin-outside = \"0.2in\"\nmargin-top = \"0.6in\"\nmargin-bottom = \"0.5in\"\n",
            ),
        ],
    );
    let (map, code, stdout) = outcomes(temp.path(), &[]);
    assert_eq!(code, 1, "{stdout}");
    let expected = [
        ("kdp authors", "fail"),
        ("kdp language", "warn"),
        ("kdp cover-size", "fail"),
        ("kdp trim-size", "warn"),
        ("kdp bleed", "warn"),
        ("kdp gutter", "warn"),
        ("kdp margins", "warn"),
        ("kdp page-count", "warn"),
        ("kdp fonts-embedded", "pass"),
        ("apple authors", "fail"),
        ("apple image-pixels", "warn"),
        ("google cover-size", "fail"),
        ("google cover-format", "fail"),
        ("kobo authors", "fail"),
        ("kobo language", "warn"),
        ("ingram isbn", "fail"),
        ("ingram cover-size", "fail"),
        ("ingram cover-format", "warn"),
        ("ingram image-pixels", "fail"),
        ("ingram margins", "fail"),
    ];
    for (rule, outcome) in expected {
        assert_eq!(
            map.get(rule).map(String::as_str),
            Some(outcome),
            "{rule}:\n{stdout}"
        );
    }
}

#[test]
fn a_font_that_may_not_be_embedded_fails_the_print_stores() {
    let temp = tempfile::tempdir().unwrap();
    let mut font = std::fs::read(common::root().join("fonts/dejavu/DejaVuSans.ttf")).unwrap();
    // OS/2 fsType = 2: "restricted licence embedding".
    let tables = usize::from(u16::from_be_bytes([font[4], font[5]]));
    let os2 = (0..tables)
        .map(|i| 12 + 16 * i)
        .find(|&r| &font[r..r + 4] == b"OS/2")
        .map(|r| u32::from_be_bytes(font[r + 8..r + 12].try_into().unwrap()) as usize)
        .expect("an OS/2 table");
    font[os2 + 8..os2 + 10].copy_from_slice(&2u16.to_be_bytes());
    write_book(
        temp.path(),
        &format!("{}[pdf]\nstyle = \"print.toml\"\n", common::BOOK_TOML),
        &[
            ("01.md", b"# One\n\nText.\n"),
            ("locked.ttf", &font),
            (
                "print.toml",
                b"[fonts]\nbody = \"Locked\"\n[fonts.families.Locked]\nregular = \"locked.ttf\"\n",
            ),
        ],
    );
    let (map, code, stdout) = outcomes(temp.path(), &[]);
    assert_eq!(
        map.get("kdp fonts-embedded").map(String::as_str),
        Some("fail"),
        "{stdout}"
    );
    assert_eq!(
        map.get("ingram fonts-embedded").map(String::as_str),
        Some("fail"),
        "{stdout}"
    );
    assert!(
        !map.contains_key("kdp pdf-file-size"),
        "no PDF is written: {stdout}"
    );
    assert_eq!(code, 1);
}

#[test]
fn the_sample_book_fails_kdp_without_authors_and_passes_with_them() {
    let run = folio(&["check", "manuscript", "--store", "kdp"]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(1), "{stdout}");
    let failed: Vec<&str> = stdout.lines().filter(|l| l.contains(" fail ")).collect();
    assert_eq!(failed.len(), 1, "{stdout}");
    assert!(
        failed[0].starts_with("kdp    fail  authors ")
            && failed[0].contains("KDP requires at least one")
            && failed[0].contains("add `authors = [\"…\"]`"),
        "{stdout}"
    );

    let temp = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(common::root().join("manuscript")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), temp.path().join(entry.file_name())).unwrap();
    }
    let toml = std::fs::read_to_string(temp.path().join("book.toml")).unwrap();
    std::fs::write(
        temp.path().join("book.toml"),
        toml.replace("[book]\n", "[book]\nauthors = [\"Ada Lovelace\"]\n"),
    )
    .unwrap();
    let dir = temp.path().to_string_lossy().into_owned();
    let run = folio(&["check", &dir, "--store", "kdp"]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("kdp    pass  authors         by Ada Lovelace"),
        "{stdout}"
    );
    // The sample is 13 pages: KDP's 24-page minimum is a number folio could
    // not confirm on KDP's page, so it warns and says so.
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("kdp    warn  page-count") && l.contains("not confirmed")),
        "{stdout}"
    );
}
