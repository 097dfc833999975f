//! The generated cover: a 1600 × 2560 PNG in every book without one, the
//! same bytes every build, the EPUB's cover-image and the screen PDF's first
//! page; its text is outlines inside the margins in the style's colours.

mod common;

use common::{build_epub, folio, write_book, zip_names};
use std::io::Read;
use std::path::Path;

fn cover_png(epub: &Path) -> Vec<u8> {
    let file = std::fs::File::open(epub).expect("epub");
    let mut archive = zip::ZipArchive::new(file).expect("zip");
    let mut entry = archive.by_name("OEBPS/media/cover.png").expect("a cover");
    let mut bytes = Vec::new();
    entry.read_to_end(&mut bytes).expect("read");
    bytes
}

#[test]
fn a_book_without_a_cover_gets_one_the_same_every_build() {
    let temp = tempfile::tempdir().expect("temp dir");
    let a = build_epub(Path::new("manuscript"), &temp.path().join("a"));
    let b = build_epub(Path::new("manuscript"), &temp.path().join("b"));
    let png = cover_png(&a);
    assert_eq!(png, cover_png(&b), "the cover is deterministic");
    let decoder = png::Decoder::new(std::io::Cursor::new(&png));
    let reader = decoder.read_info().expect("a PNG");
    let info = reader.info();
    assert_eq!((info.width, info.height), (1600, 2560));
    assert_eq!(info.color_type, png::ColorType::Rgb, "opaque RGB");
    let opf = common::zip_text(&a, "OEBPS/content.opf");
    assert!(
        opf.contains("href=\"media/cover.png\"") && opf.contains("properties=\"cover-image\""),
        "{opf}"
    );
    assert!(zip_names(&a).contains(&"OEBPS/cover.xhtml".to_owned()));

    // The screen PDF opens on it.
    let out = temp.path().join("pdf");
    let run = folio(&[
        "build",
        "manuscript",
        "--format",
        "pdf",
        "--profile",
        "screen",
        "--out",
        &out.to_string_lossy(),
        "-q",
    ]);
    assert!(run.status.success());
    let pdf = out.join("python-serverless-book.pdf");
    let list = std::process::Command::new("pdfimages")
        .args(["-list", "-f", "1", "-l", "1"])
        .arg(&pdf)
        .output()
        .expect("pdfimages is installed (make test-deps)");
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(
        list.lines()
            .any(|l| l.split_whitespace().nth(3) == Some("1600")
                && l.split_whitespace().nth(4) == Some("2560")),
        "the 1600 × 2560 cover on page 1:\n{list}"
    );
}

#[test]
fn the_cover_sets_its_text_as_outlines_inside_the_margins_in_the_styles_colours() {
    let temp = tempfile::tempdir().expect("temp dir");
    write_book(
        temp.path(),
        "[book]\ntitle = \"A Considerably Long Title About Incomprehensibilities And Other Unwieldy Words That Must Still Fit\"\nsubtitle = \"With a subtitle\"\nauthors = [\"Ada Lovelace\", \"Charles Babbage\"]\nlanguage = \"en\"\n[pdf]\nstyle = \"print.toml\"\n",
        &[
            ("01.md", b"# One\n\nText.\n"),
            (
                "print.toml",
                b"[cover]\nbackground = \"#204020\"\ntext = \"#fafafa\"\naccent = \"#c0a060\"\n",
            ),
        ],
    );
    let mut loaded = common::Loaded::new(temp.path());
    let (cx, sink) = loaded.cx();
    let (style, name) = folio::pdf::load_style(&cx, sink).expect("style");
    let fonts = folio::pdf::fonts::load(&style, temp.path(), &name, sink).expect("fonts");
    let svg = folio::cover::svg(cx.book, &style, &fonts);
    assert!(!svg.contains("<text"), "outlines, not text");
    for colour in ["#204020", "#fafafa", "#c0a060"] {
        assert!(svg.contains(colour), "{colour} in the cover");
    }
    // Every glyph point inside the 200 px margins (the frame sits at 80).
    let tree = svg.split("<path ").skip(1).map(|p| {
        p.split(" d=\"")
            .nth(1)
            .unwrap_or("")
            .split('"')
            .next()
            .unwrap_or("")
    });
    let mut points = 0;
    for data in tree {
        let numbers: Vec<f32> = data
            .split(|c: char| c.is_ascii_alphabetic() || c.is_whitespace())
            .filter_map(|n| n.parse().ok())
            .collect();
        for xy in numbers.chunks_exact(2) {
            points += 1;
            assert!(
                (190.0..=1410.0).contains(&xy[0]) && (0.0..=2560.0).contains(&xy[1]),
                "point {xy:?} outside the margins"
            );
        }
    }
    assert!(points > 1000, "the text was drawn ({points} points)");
    let (png, w, h) = folio::cover::raster::png(&svg).expect("rasterised");
    assert_eq!((w, h), (1600, 2560));
    assert!(png.starts_with(b"\x89PNG"));
}
