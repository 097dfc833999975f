//! The PDF writer checked from outside: hand-built `PagedDoc`s using the real
//! fonts in `fonts/` (glyphs shaped with rustybuzz, so EB Garamond's "ffi"
//! ligature is a real ligature glyph), written with `write_pdf`, then
//! inspected with qpdf and poppler (`qpdf --check`/`--json`, `pdffonts`,
//! `pdftotext`, `pdfinfo`, `pdftoppm`), as a reader's tools would see them.
//! `make test` installs those tools (Debian packages `qpdf`, `poppler-utils`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use folio::pdf::layout::frame::*;
use folio::pdf::write::*;

// ---------------------------------------------------------------- helpers --

const EB: u16 = 0;
const DEJAVU: u16 = 1;
const EMOJI: u16 = 2;
const MONO: u16 = 3;

const PNG_IMG: usize = 0;
const JPEG_IMG: usize = 1;
const SVG_IMG: usize = 2;
const CMYK_IMG: usize = 3;

fn font_file(rel: &str) -> Arc<FontData> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fonts")
        .join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let face = ttf_parser::Face::parse(&bytes, 0).expect("font parses");
    let ps = face
        .names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        // Unicode records decode with to_string; Mac Roman ones are ASCII.
        .map(|n| {
            n.to_string()
                .unwrap_or_else(|| n.name.iter().map(|&b| b as char).collect())
        })
        .next()
        .expect("PostScript name");
    Arc::new(FontData {
        bytes: Arc::new(bytes),
        index: 0,
        postscript_name: ps,
    })
}

fn fonts() -> Vec<Arc<FontData>> {
    vec![
        font_file("eb-garamond/EBGaramond-Regular.ttf"),
        font_file("dejavu/DejaVuSans.ttf"),
        font_file("noto-emoji/NotoEmoji-Regular.ttf"),
        font_file("jetbrains-mono/JetBrainsMono-Regular.ttf"),
    ]
}

/// Shapes `text` with rustybuzz (default features: kerning, ligatures) into
/// a run whose glyph ranges follow the shaping clusters, as layout does.
fn shape(fonts: &[Arc<FontData>], font: u16, text: &str, size: f32, x: f32, y: f32) -> GlyphRun {
    let data = &fonts[font as usize];
    let face = rustybuzz::Face::from_slice(&data.bytes, data.index).expect("face");
    let mut buf = rustybuzz::UnicodeBuffer::new();
    buf.push_str(text);
    let out = rustybuzz::shape(&face, &[], buf);
    let scale = size / f32::from(face.units_per_em() as u16);
    let infos = out.glyph_infos();
    let pos = out.glyph_positions();
    let mut clusters: Vec<u32> = infos.iter().map(|i| i.cluster).collect();
    clusters.push(text.len() as u32);
    clusters.sort_unstable();
    clusters.dedup();
    let mut pen = 0.0;
    let mut glyphs = Vec::new();
    for (i, (info, p)) in infos.iter().zip(pos).enumerate() {
        let start = info.cluster;
        let first_of_cluster = i == 0 || infos[i - 1].cluster != start;
        let end = if first_of_cluster {
            *clusters
                .iter()
                .find(|&&c| c > start)
                .unwrap_or(&(text.len() as u32))
        } else {
            start
        };
        glyphs.push(Glyph {
            id: info.glyph_id as u16,
            x: pen + p.x_offset as f32 * scale,
            y_offset: p.y_offset as f32 * scale,
            text_start: start,
            text_end: end,
        });
        pen += p.x_advance as f32 * scale;
    }
    GlyphRun {
        font: FontRef(font),
        size,
        color: Rgb::BLACK,
        x,
        y,
        glyphs: glyphs.into(),
        text: text.into(),
        lang: None,
    }
}

/// An 8×8 RGBA PNG: left half opaque red, right half fully transparent.
fn png_half_red() -> Vec<u8> {
    let mut data = Vec::new();
    for _y in 0..8 {
        for x in 0..8 {
            data.extend(if x < 4 {
                [255, 0, 0, 255]
            } else {
                [0, 0, 255, 0]
            });
        }
    }
    let mut out = Vec::new();
    {
        let mut e = png::Encoder::new(&mut out, 8, 8);
        e.set_color(png::ColorType::Rgba);
        e.set_depth(png::BitDepth::Eight);
        e.write_header().unwrap().write_image_data(&data).unwrap();
    }
    out
}

/// A 16×16 JPEG of one colour.
fn jpeg(pixel: &[u8], color: jpeg_encoder::ColorType) -> Vec<u8> {
    let data: Vec<u8> = pixel
        .iter()
        .copied()
        .cycle()
        .take(16 * 16 * pixel.len())
        .collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(&data, 16, 16, color)
        .unwrap();
    out
}

const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
  <rect x="0" y="0" width="200" height="100" fill="#0000ff"/>
  <text x="10" y="60" font-family="serif" font-size="30" fill="#ffffff">Figure</text>
</svg>"##;

fn image(bytes: Vec<u8>, media_type: &'static str, width: u32, height: u32) -> ImageData {
    ImageData {
        bytes: Arc::new(bytes),
        media_type,
        width,
        height,
    }
}

const PNG_RECT: Rect = Rect {
    x: 72.0,
    y: 150.0,
    w: 144.0,
    h: 96.0,
};
const JPEG_RECT: Rect = Rect {
    x: 250.0,
    y: 150.0,
    w: 100.0,
    h: 100.0,
};
const CMYK_RECT: Rect = Rect {
    x: 72.0,
    y: 300.0,
    w: 100.0,
    h: 100.0,
};
const SVG_RECT: Rect = Rect {
    x: 72.0,
    y: 100.0,
    w: 200.0,
    h: 100.0,
};

/// Four 6×9 in pages: i, ii (front matter), 1, 2.
fn sample(bleed: f32) -> PagedDoc {
    let fonts = fonts();
    let page = |items: Vec<Item>| Page {
        width: 432.0,
        height: 648.0,
        bleed,
        items,
    };
    let mut heading = shape(&fonts, EB, "Chapter One", 18.0, 72.0, 90.0);
    heading.color = Rgb(0.5, 0.0, 0.0);
    let code_bg = Item::Fill {
        rect: Rect {
            x: 66.0,
            y: 168.0,
            w: 300.0,
            h: 16.0,
        },
        color: Rgb(0.9, 0.9, 0.9),
    };
    let pages = vec![
        page(vec![
            Item::Anchor {
                name: "title".into(),
                y: 100.0,
            },
            Item::Glyphs(shape(&fonts, EB, "The office", 24.0, 72.0, 120.0)),
        ]),
        page(vec![
            Item::Glyphs(shape(&fonts, DEJAVU, "→ next", 14.0, 72.0, 100.0)),
            Item::Link {
                rect: Rect {
                    x: 72.0,
                    y: 88.0,
                    w: 60.0,
                    h: 16.0,
                },
                target: LinkTarget::Named("chapter-1".into()),
            },
            Item::Glyphs(shape(&fonts, EMOJI, "📝", 14.0, 72.0, 140.0)),
            code_bg,
            Item::Glyphs(shape(&fonts, MONO, "let x = 1;", 10.0, 72.0, 180.0)),
            Item::Line {
                x0: 72.0,
                y0: 200.0,
                x1: 360.0,
                y1: 200.0,
                width: 0.5,
                color: Rgb::BLACK,
            },
            Item::Link {
                rect: Rect {
                    x: 72.0,
                    y: 220.0,
                    w: 60.0,
                    h: 16.0,
                },
                target: LinkTarget::Uri("https://example.org/".into()),
            },
            Item::Link {
                rect: Rect {
                    x: 72.0,
                    y: 240.0,
                    w: 60.0,
                    h: 16.0,
                },
                target: LinkTarget::Named("nowhere".into()),
            },
        ]),
        page(vec![
            Item::Anchor {
                name: "chapter-1".into(),
                y: 72.0,
            },
            Item::Glyphs(heading),
            Item::Image {
                image: PNG_IMG,
                rect: PNG_RECT,
                alt: "red".into(),
            },
            Item::Image {
                image: JPEG_IMG,
                rect: JPEG_RECT,
                alt: "green".into(),
            },
            Item::Image {
                image: CMYK_IMG,
                rect: CMYK_RECT,
                alt: "cyan".into(),
            },
        ]),
        page(vec![
            Item::Anchor {
                name: "sec-1.1".into(),
                y: 300.0,
            },
            Item::Image {
                image: SVG_IMG,
                rect: SVG_RECT,
                alt: "figure".into(),
            },
            Item::Image {
                image: PNG_IMG,
                rect: Rect {
                    x: 300.0,
                    y: 400.0,
                    w: 50.0,
                    h: 50.0,
                },
                alt: "red again".into(),
            },
            Item::Link {
                rect: Rect {
                    x: 72.0,
                    y: 500.0,
                    w: 60.0,
                    h: 16.0,
                },
                target: LinkTarget::Named("title".into()),
            },
        ]),
    ];
    let item = |title: &str, page: usize, y: f32, children| OutlineItem {
        title: title.into(),
        page,
        y,
        children,
    };
    PagedDoc {
        pages,
        fonts,
        images: vec![
            image(png_half_red(), "image/png", 8, 8),
            image(
                jpeg(&[0, 200, 0], jpeg_encoder::ColorType::Rgb),
                "image/jpeg",
                16,
                16,
            ),
            image(SVG.as_bytes().to_vec(), "image/svg+xml", 200, 100),
            image(
                jpeg(&[255, 0, 0, 0], jpeg_encoder::ColorType::Cmyk),
                "image/jpeg",
                16,
                16,
            ),
        ],
        outline: vec![
            item(
                "Title page",
                0,
                100.0,
                vec![item("Arrows", 1, 100.0, vec![])],
            ),
            item(
                "Chapter One",
                2,
                72.0,
                vec![item(
                    "Section 1.1",
                    3,
                    300.0,
                    vec![item("Deep", 3, 400.0, vec![])],
                )],
            ),
        ],
        page_labels: vec![
            PageLabelRange {
                start: 0,
                style: LabelStyle::LowerRoman,
                first: 1,
            },
            PageLabelRange {
                start: 2,
                style: LabelStyle::Decimal,
                first: 1,
            },
        ],
        meta: DocMeta {
            title: "A Test Book".into(),
            authors: vec!["Ada Author".into(), "Bo Writer".into()],
            subject: Some("Checks the PDF writer".into()),
            keywords: vec!["pdf".into(), "test".into()],
            language: "en-GB".into(),
            date: 1_700_000_000,
            identifier: "urn:uuid:12345678-1234-5678-1234-567812345678".into(),
        },
        structure: Default::default(),
        page_starts: Vec::new(),
    }
}

/// Writes `doc` to a fresh file under the test temp dir.
fn write(doc: &PagedDoc, name: &str) -> (PathBuf, PdfOutput) {
    let out = write_pdf(doc, None).expect("write_pdf");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pdf_writer");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, &out.bytes).unwrap();
    (path, out)
}

/// Runs a qpdf/poppler tool on `pdf`, returning (success, stdout).
fn tool(name: &str, args: &[&str], pdf: &Path) -> (bool, String) {
    // pdftotext writes to a file unless the output is "-".
    let stdout: &[&str] = if name == "pdftotext" { &["-"] } else { &[] };
    let out = Command::new(name).args(args).arg(pdf).args(stdout).output().unwrap_or_else(|e| {
        panic!("{name} is not installed ({e}): run `make test`, which installs it (apt-get install poppler-utils qpdf)")
    });
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// Renders page `page` (1-based) at `dpi` and returns (width, height, RGB bytes).
fn render(pdf: &Path, page: usize, dpi: u32) -> (u32, u32, Vec<u8>) {
    let prefix = pdf.with_extension(format!("p{page}"));
    let p = page.to_string();
    let d = dpi.to_string();
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", &d, "-f", &p, "-l", &p, "-singlefile"])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .expect("pdftoppm is not installed: run `make test` (apt-get install poppler-utils)");
    assert!(status.success());
    let png_path = prefix.with_extension(format!("p{page}.png"));
    let mut dec = png::Decoder::new(std::fs::File::open(&png_path).unwrap());
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = dec.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let ch = info.color_type.samples();
    let rgb = buf
        .chunks(ch)
        .take((info.width * info.height) as usize)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    (info.width, info.height, rgb)
}

/// The colour at frame point (x, y) pt of a page rendered at `dpi`.
fn pixel(img: &(u32, u32, Vec<u8>), bleed: f32, dpi: u32, x: f32, y: f32) -> [u8; 3] {
    let s = dpi as f32 / 72.0;
    let px = ((bleed + x) * s) as usize;
    let py = ((bleed + y) * s) as usize;
    let i = (py * img.0 as usize + px) * 3;
    [img.2[i], img.2[i + 1], img.2[i + 2]]
}

fn qpdf_json(pdf: &Path) -> serde_json::Value {
    let (ok, out) = tool("qpdf", &["--json=2"], pdf);
    assert!(ok, "qpdf --json failed");
    serde_json::from_str(&out).expect("qpdf JSON")
}

/// The object dictionary `obj` ("N 0 R") from qpdf's JSON v2 object list.
fn object<'a>(json: &'a serde_json::Value, r: &str) -> &'a serde_json::Value {
    &json["qpdf"][1][format!("obj:{r}")]["value"]
}

/// A qpdf JSON v2 string value ("u:text" or "b:hex") as text.
fn json_str(v: &serde_json::Value) -> String {
    let s = v.as_str().unwrap_or_default();
    if let Some(t) = s.strip_prefix("u:") {
        t.to_owned()
    } else if let Some(h) = s.strip_prefix("b:") {
        let bytes: Vec<u8> = (0..h.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        s.to_owned()
    }
}

// ------------------------------------------------------------------ tests --

#[test]
fn output_is_valid_and_deterministic() {
    let doc = sample(0.0);
    let (path, out) = write(&doc, "sample.pdf");
    let (ok, check) = tool("qpdf", &["--check"], &path);
    assert!(
        ok && check.contains("No syntax or stream encoding errors"),
        "qpdf --check:\n{check}"
    );
    let again = write_pdf(&doc, None).unwrap();
    assert!(
        again.bytes == out.bytes,
        "two writes of the same document differ"
    );
    assert_eq!(again.warnings, out.warnings);
    assert!(out.bytes.starts_with(b"%PDF-1.7\n"));
}

#[test]
fn warnings_report_dropped_links() {
    let (_, out) = write(&sample(0.0), "warnings.pdf");
    assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    assert!(
        out.warnings[0].contains("nowhere") && out.warnings[0].contains("page 2"),
        "{:?}",
        out.warnings
    );
}

#[test]
fn fonts_are_embedded_subset_with_unicode_maps() {
    let (path, out) = write(&sample(0.0), "fonts.pdf");
    let (ok, list) = tool("pdffonts", &[], &path);
    assert!(ok, "pdffonts failed");
    let rows: Vec<&str> = list.lines().skip(2).collect();
    assert_eq!(rows.len(), 4, "one font per used FontData:\n{list}");
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type(2 words) encoding emb sub uni object ID
        let n = cols.len();
        let (emb, sub, uni) = (cols[n - 5], cols[n - 4], cols[n - 3]);
        assert_eq!((emb, sub, uni), ("yes", "yes", "yes"), "{row}");
        let name = cols[0];
        let (tag, _) = name
            .split_once('+')
            .unwrap_or_else(|| panic!("no subset tag: {name}"));
        assert!(
            tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()),
            "{name}"
        );
        assert!(row.contains("CID TrueType"), "{row}");
        assert!(row.contains("Identity-H"), "{row}");
    }
    for ps in [
        "EBGaramond-Regular",
        "DejaVuSans",
        "NotoEmoji-Regular",
        "JetBrainsMono-Regular",
    ] {
        assert!(list.contains(&format!("+{ps} ")), "{ps} missing:\n{list}");
    }
    // Subsetting really happened: the fonts total 2 MB+ unsubset.
    assert!(
        out.bytes.len() < 200_000,
        "PDF is {} bytes",
        out.bytes.len()
    );
}

#[test]
fn text_extracts_exactly_including_ligatures_and_symbols() {
    let doc = sample(0.0);
    // The ligature must really be one glyph, or this test proves nothing.
    let Item::Glyphs(run) = &doc.pages[0].items[1] else {
        panic!()
    };
    assert!(
        run.glyphs.len() < run.text.chars().count(),
        "EB Garamond formed no ligature in {:?}",
        run.text
    );
    let (path, _) = write(&doc, "text.pdf");
    let (ok, text) = tool("pdftotext", &["-enc", "UTF-8"], &path);
    assert!(ok);
    let text: String = text.replace('\u{c}', "\n");
    assert!(text.contains("The office"), "{text}");
    assert!(!text.contains("ofce"), "{text}");
    assert!(text.contains("→ next"), "{text}");
    assert!(text.contains("📝"), "{text}");
    assert!(text.contains("let x = 1;"), "{text}");
    assert!(text.contains("Chapter One"), "{text}");
}

#[test]
fn text_positions_match_layout() {
    // Glyphs land where layout put them: pdftotext's bounding boxes give
    // each word's x; compare with the run's first-glyph positions.
    let fonts = fonts();
    let mut run = shape(&fonts, EB, "AVA WAVE", 20.0, 100.0, 200.0);
    // Move the second word by hand: the writer must honour any x, not the
    // font's advances.
    let second = run.glyphs.iter().position(|g| g.text_start == 4).unwrap();
    for g in &mut Arc::make_mut(&mut run.glyphs)[second..] {
        g.x += 37.5;
    }
    let expect_second_x = 100.0 + run.glyphs[second].x;
    let doc = PagedDoc {
        pages: vec![Page {
            width: 432.0,
            height: 648.0,
            bleed: 9.0,
            items: vec![Item::Glyphs(run)],
        }],
        fonts,
        ..Default::default()
    };
    let (path, _) = write(&doc, "positions.pdf");
    let (ok, html) = tool("pdftotext", &["-bbox"], &path);
    assert!(ok);
    let words: Vec<(f32, f32, &str)> = html
        .lines()
        .filter(|l| l.trim_start().starts_with("<word"))
        .map(|l| {
            let attr = |k: &str| -> f32 {
                let s = &l[l.find(&format!("{k}=\"")).unwrap() + k.len() + 2..];
                s[..s.find('"').unwrap()].parse().unwrap()
            };
            (
                attr("xMin"),
                attr("yMax"),
                &l[l.find('>').unwrap() + 1..l.rfind("</").unwrap()],
            )
        })
        .collect();
    assert_eq!(
        words.iter().map(|w| w.2).collect::<Vec<_>>(),
        ["AVA", "WAVE"],
        "{html}"
    );
    // Media box includes the 9 pt bleed; the first glyph's origin is at
    // bleed + 100 (poppler reports the glyph box, which for 'A' starts
    // within a point of its origin).
    assert!((words[0].0 - 109.0).abs() < 1.5, "{words:?}");
    assert!(
        (words[1].0 - (9.0 + expect_second_x)).abs() < 1.5,
        "{words:?}"
    );
    // Baseline at y = 200 from the trim top: the glyph box bottom (yMax,
    // top-down) is near bleed + 200 (A, W, V sit on the baseline).
    assert!((words[0].1 - 209.0).abs() < 6.0, "{words:?}");
}

#[test]
fn y_offsets_restart_the_tj_at_an_absolute_position() {
    let fonts = fonts();
    let mut run = shape(&fonts, EB, "x2y", 10.0, 100.0, 200.0);
    Arc::make_mut(&mut run.glyphs)[1].y_offset = 4.0; // superscript "2"
    let x2 = 100.0 + run.glyphs[1].x;
    let x3 = 100.0 + run.glyphs[2].x;
    let doc = PagedDoc {
        pages: vec![Page {
            width: 432.0,
            height: 648.0,
            bleed: 0.0,
            items: vec![Item::Glyphs(run)],
        }],
        fonts,
        ..Default::default()
    };
    let (path, _) = write(&doc, "yoffset.pdf");
    let qdf = path.with_extension("qdf.pdf");
    let st = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(&path)
        .arg(&qdf)
        .status()
        .expect("qpdf is not installed: run `make test` (apt-get install qpdf)");
    assert!(st.success());
    let raw = String::from_utf8_lossy(&std::fs::read(&qdf).unwrap()).into_owned();
    // Text matrices: [1 0 0 1 x y], x and y to 1/1000 pt.
    let tms: Vec<(f32, f32)> = raw
        .lines()
        .filter(|l| l.ends_with(" Tm"))
        .map(|l| {
            let n: Vec<f32> = l
                .split_whitespace()
                .take(6)
                .map(|v| v.parse().unwrap())
                .collect();
            assert_eq!(n[..4], [1.0, 0.0, 0.0, 1.0], "{l}");
            (n[4], n[5])
        })
        .collect();
    let want = [(100.0, 448.0), (x2, 452.0), (x3, 448.0)];
    assert_eq!(tms.len(), 3, "{raw}");
    for (got, want) in tms.iter().zip(want) {
        assert!(
            (got.0 - want.0).abs() < 0.001 && (got.1 - want.1).abs() < 0.001,
            "{tms:?} vs {want:?}"
        );
    }
    assert_eq!(raw.lines().filter(|l| l.ends_with("TJ")).count(), 3);
    let (_, text) = tool("pdftotext", &["-enc", "UTF-8"], &path);
    assert!(text.contains("x2y"), "{text}");
}

#[test]
fn svg_raster_content_is_reported() {
    let mut doc = sample(0.0);
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><rect width="10" height="10" fill="red"/><image width="5" height="5" xlink:href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="/></svg>"#;
    doc.images[SVG_IMG].bytes = Arc::new(svg.as_bytes().to_vec());
    let out = write_pdf(&doc, None).unwrap();
    assert!(
        out.image_warnings
            .iter()
            .any(|(i, w)| *i == SVG_IMG && w.contains("embeds images, which are not converted")),
        "{:?}",
        out.image_warnings
    );
    // An image from outside the SVG is never read: the SVG is refused.
    let outside = svg.replace(
        "</svg>",
        r#"<image width="5" height="5" xlink:href="/etc/hostname"/></svg>"#,
    );
    doc.images[SVG_IMG].bytes = Arc::new(outside.into_bytes());
    match write_pdf(&doc, None) {
        Err(folio::pdf::write::WriteError::Image { reason, .. }) => {
            assert!(reason.contains("from outside itself"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn info_and_page_boxes() {
    let (path, _) = write(&sample(0.0), "info.pdf");
    let (ok, info) = tool("pdfinfo", &[], &path);
    assert!(ok);
    for want in [
        "Title:           A Test Book",
        "Subject:         Checks the PDF writer",
        "Keywords:        pdf, test",
        "Author:          Ada Author, Bo Writer",
        "Creator:         folio",
        "Producer:        folio",
        "Pages:           4",
        "Page size:       432 x 648 pts",
        "PDF version:     1.7",
    ] {
        assert!(info.contains(want), "missing {want:?}:\n{info}");
    }
    let (_, raw) = tool("pdfinfo", &["-rawdates"], &path);
    assert!(raw.contains("D:20231114221320+00'00'"), "{raw}");
    let (_, meta) = tool("pdfinfo", &["-meta"], &path);
    assert!(
        meta.contains("<rdf:li xml:lang=\"x-default\">A Test Book</rdf:li>"),
        "{meta}"
    );
    assert!(meta.contains("<rdf:li>Bo Writer</rdf:li>"), "{meta}");
    assert!(
        meta.contains("urn:uuid:12345678-1234-5678-1234-567812345678"),
        "{meta}"
    );

    // With bleed: media grows, trim stays, bleed box = media box.
    let (path, _) = write(&sample(9.0), "bleed.pdf");
    let (ok, boxes) = tool("pdfinfo", &["-box"], &path);
    assert!(ok);
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let boxes = squash(&boxes);
    for want in [
        "Page size:       450 x 666 pts",
        "MediaBox:           0.00     0.00   450.00   666.00",
        "CropBox:            0.00     0.00   450.00   666.00",
        "BleedBox:           0.00     0.00   450.00   666.00",
        "TrimBox:            9.00     9.00   441.00   657.00",
    ] {
        assert!(boxes.contains(&squash(want)), "missing {want:?}:\n{boxes}");
    }
    let (ok, check) = tool("qpdf", &["--check"], &path);
    assert!(ok, "{check}");
}

#[test]
fn catalog_has_language_viewer_prefs_and_file_id() {
    let (path, out) = write(&sample(0.0), "catalog.pdf");
    let json = qpdf_json(&path);
    let trailer = &json["qpdf"][1]["trailer"]["value"];
    let root = trailer["/Root"].as_str().unwrap();
    let cat = object(&json, root);
    assert_eq!(json_str(&cat["/Lang"]), "en-GB");
    assert_eq!(cat["/ViewerPreferences"]["/DisplayDocTitle"], true);
    assert!(cat["/Metadata"].is_string());
    let ids = trailer["/ID"].as_array().expect("/ID");
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[0], ids[1]);
    assert_eq!(
        ids[0].as_str().unwrap().len(),
        2 + 32,
        "16 bytes: {}",
        ids[0]
    );
    // The ID depends on the identifier.
    let mut other = sample(0.0);
    other.meta.identifier = "urn:isbn:9780000000002".into();
    let other = write_pdf(&other, None).unwrap();
    assert_ne!(other.bytes, out.bytes);
}

#[test]
fn links_and_named_destinations_resolve() {
    let (path, _) = write(&sample(0.0), "links.pdf");
    let json = qpdf_json(&path);
    let pages: Vec<String> = json["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["object"].as_str().unwrap().to_owned())
        .collect();
    let cat = object(
        &json,
        json["qpdf"][1]["trailer"]["value"]["/Root"]
            .as_str()
            .unwrap(),
    );
    let names = cat["/Names"]["/Dests"]["/Names"]
        .as_array()
        .expect("/Dests name tree");
    // Keys sorted byte-wise, each followed by a destination.
    let keys: Vec<String> = names.iter().step_by(2).map(json_str).collect();
    assert_eq!(keys, ["chapter-1", "sec-1.1", "title"]);
    let dest_page = |name: &str| -> (usize, f64) {
        let i = keys
            .iter()
            .position(|k| k == name)
            .unwrap_or_else(|| panic!("no dest {name}"));
        let d = object(&json, names[2 * i + 1].as_str().unwrap());
        let d = d.as_array().unwrap();
        assert_eq!(d[1], "/XYZ");
        assert!(d[4].is_null(), "zoom must be null: {d:?}");
        (
            pages
                .iter()
                .position(|p| p == d[0].as_str().unwrap())
                .unwrap(),
            d[3].as_f64().unwrap(),
        )
    };
    assert_eq!(dest_page("chapter-1"), (2, 648.0 - 72.0));
    assert_eq!(dest_page("title"), (0, 648.0 - 100.0));

    let annots = |page: usize| -> Vec<serde_json::Value> {
        let p = object(&json, &pages[page]);
        p["/Annots"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|r| object(&json, r.as_str().unwrap()).clone())
                    .collect()
            })
            .unwrap_or_default()
    };
    let p2 = annots(1);
    assert_eq!(
        p2.len(),
        2,
        "the link to a missing anchor is dropped: {p2:?}"
    );
    assert_eq!(p2[0]["/Subtype"], "/Link");
    assert_eq!(p2[0]["/Border"], serde_json::json!([0, 0, 0]));
    assert_eq!(dest_page(&json_str(&p2[0]["/Dest"])).0, 2);
    assert_eq!(json_str(&p2[1]["/A"]["/URI"]), "https://example.org/");
    assert_eq!(p2[1]["/A"]["/S"], "/URI");
    // Link rect in PDF space: x 72..132, y from 648-104 to 648-88.
    let rect: Vec<f64> = p2[0]["/Rect"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(rect, [72.0, 544.0, 132.0, 560.0]);
    let p4 = annots(3);
    assert_eq!(dest_page(&json_str(&p4[0]["/Dest"])).0, 0);

    // poppler agrees.
    let (ok, dests) = tool("pdfinfo", &["-dests"], &path);
    assert!(ok);
    assert!(dests.contains("\"chapter-1\""), "{dests}");
}

#[test]
fn outline_points_at_pages_with_counts() {
    let (path, _) = write(&sample(0.0), "outline.pdf");
    let json = qpdf_json(&path);
    let outlines = json["outlines"].as_array().unwrap();
    let flat = |o: &serde_json::Value| {
        (
            o["title"].as_str().unwrap().to_owned(),
            o["destpageposfrom1"].as_u64().unwrap(),
        )
    };
    assert_eq!(outlines.len(), 2);
    assert_eq!(flat(&outlines[0]), ("Title page".into(), 1));
    assert_eq!(flat(&outlines[0]["kids"][0]), ("Arrows".into(), 2));
    assert_eq!(flat(&outlines[1]), ("Chapter One".into(), 3));
    let sec = &outlines[1]["kids"][0];
    assert_eq!(flat(sec), ("Section 1.1".into(), 4));
    assert_eq!(flat(&sec["kids"][0]), ("Deep".into(), 4));
    // Top level open, deeper levels closed.
    assert!(outlines[1]["open"].as_bool().unwrap());
    assert!(!sec["open"].as_bool().unwrap());
    assert_eq!(
        object(&json, outlines[1]["object"].as_str().unwrap())["/Count"],
        1
    );
    assert_eq!(object(&json, sec["object"].as_str().unwrap())["/Count"], -1);
    let cat = object(
        &json,
        json["qpdf"][1]["trailer"]["value"]["/Root"]
            .as_str()
            .unwrap(),
    );
    let root = object(&json, cat["/Outlines"].as_str().unwrap());
    assert_eq!(root["/Count"], 4, "2 top-level items + 2 visible children");
}

#[test]
fn page_labels_are_i_ii_1_2() {
    let (path, _) = write(&sample(0.0), "labels.pdf");
    let json = qpdf_json(&path);
    let labels = json["pagelabels"].as_array().unwrap();
    let roman = |n: u64| ["", "i", "ii", "iii", "iv", "v"][n as usize].to_string();
    let mut out = Vec::new();
    for page in 0..4u64 {
        let range = labels
            .iter()
            .rfind(|l| l["index"].as_u64().unwrap() <= page)
            .unwrap();
        let d = &range["label"];
        let n = page - range["index"].as_u64().unwrap() + d["/St"].as_u64().unwrap_or(1);
        out.push(match d["/S"].as_str() {
            Some("/r") => roman(n),
            Some("/D") => n.to_string(),
            other => panic!("style {other:?}"),
        });
    }
    assert_eq!(out, ["i", "ii", "1", "2"]);
}

#[test]
fn identical_image_files_are_embedded_once() {
    // The sample's SVG and PNG again under other indices (a figure copied
    // under a second name), drawn on the last page.
    let mut doc = sample(0.0);
    let (svg, png) = (doc.images[SVG_IMG].clone(), doc.images[PNG_IMG].clone());
    doc.images.push(svg);
    doc.images.push(png);
    let last = doc.pages.len() - 1;
    for (image, y) in [(4, 400.0), (5, 500.0)] {
        doc.pages[last].items.push(Item::Image {
            image,
            rect: Rect {
                x: 72.0,
                y,
                w: 40.0,
                h: 20.0,
            },
            alt: "again".into(),
        });
    }
    let (path, _) = write(&doc, "same-images.pdf");
    let (base, _) = write(&sample(0.0), "same-images-base.pdf");
    // Same XObjects as the sample without the copies.
    for subtype in ["/Form", "/Image"] {
        assert_eq!(
            streams_of_subtype(&path, subtype),
            streams_of_subtype(&base, subtype),
            "{subtype}"
        );
    }
}

/// How many stream objects of `pdf` have this `/Subtype`.
fn streams_of_subtype(pdf: &Path, subtype: &str) -> usize {
    let json = qpdf_json(pdf);
    json["qpdf"][1]
        .as_object()
        .unwrap()
        .values()
        .filter(|o| o["stream"]["dict"]["/Subtype"] == subtype)
        .count()
}

#[test]
fn images_render_where_placed() {
    let bleed = 9.0;
    let (path, _) = write(&sample(bleed), "images.pdf");
    let dpi = 50;
    let p3 = render(&path, 3, dpi);
    let at =
        |img, r: Rect, fx: f32, fy: f32| pixel(img, bleed, dpi, r.x + r.w * fx, r.y + r.h * fy);
    let red = at(&p3, PNG_RECT, 0.25, 0.5);
    assert!(
        red[0] > 200 && red[1] < 60 && red[2] < 60,
        "PNG left half should be red: {red:?}"
    );
    let clear = at(&p3, PNG_RECT, 0.75, 0.5);
    assert!(
        clear.iter().all(|&c| c > 240),
        "PNG right half is transparent: {clear:?}"
    );
    let green = at(&p3, JPEG_RECT, 0.5, 0.5);
    assert!(
        green[1] > 150 && green[0] < 60 && green[2] < 60,
        "JPEG should be green: {green:?}"
    );
    let cyan = at(&p3, CMYK_RECT, 0.5, 0.5);
    assert!(
        cyan[0] < 80 && cyan[1] > 150 && cyan[2] > 150,
        "CMYK JPEG should be cyan: {cyan:?}"
    );
    let outside = pixel(&p3, bleed, dpi, 400.0, 600.0);
    assert!(outside.iter().all(|&c| c > 240), "{outside:?}");

    let p4 = render(&path, 4, dpi);
    let blue = at(&p4, SVG_RECT, 0.9, 0.2);
    assert!(
        blue[2] > 200 && blue[0] < 60 && blue[1] < 60,
        "SVG rect should be blue: {blue:?}"
    );
    // The SVG's text was drawn (outlined) in white somewhere on the blue.
    let (w, _, rgb) = &p4;
    let s = dpi as f32 / 72.0;
    let (x0, x1) = (
        ((bleed + SVG_RECT.x) * s) as usize,
        ((bleed + SVG_RECT.x + SVG_RECT.w / 2.0) * s) as usize,
    );
    let (y0, y1) = (
        ((bleed + SVG_RECT.y + 20.0) * s) as usize,
        ((bleed + SVG_RECT.y + 65.0) * s) as usize,
    );
    let white = (y0..y1)
        .flat_map(|y| (x0..x1).map(move |x| (y, x)))
        .any(|(y, x)| {
            let i = (y * *w as usize + x) * 3;
            rgb[i] > 200 && rgb[i + 1] > 200 && rgb[i + 2] > 200
        });
    assert!(white, "SVG text missing");
    // Same PNG drawn twice → one image XObject for it.
    let json = qpdf_json(&path);
    let images: Vec<String> = json["pages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            p["images"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["object"].as_str().unwrap().to_owned())
        })
        .collect();
    let png_uses = images.iter().filter(|o| *o == &images[0]).count();
    assert_eq!(png_uses, 2, "{images:?}");
}

#[test]
fn bad_input_gives_errors_not_panics() {
    let mut doc = sample(0.0);
    doc.images[JPEG_IMG].bytes = Arc::new(b"not a jpeg".to_vec());
    let err = write_pdf(&doc, None).unwrap_err();
    assert!(err.to_string().contains("image #1 (image/jpeg)"), "{err}");

    let mut doc = sample(0.0);
    doc.images[PNG_IMG].bytes = Arc::new(b"\x89PNG\r\n\x1a\ngarbage".to_vec());
    assert!(
        write_pdf(&doc, None)
            .unwrap_err()
            .to_string()
            .contains("image #0 (image/png)")
    );

    let mut doc = sample(0.0);
    doc.images[SVG_IMG].bytes = Arc::new(b"<svg".to_vec());
    assert!(
        write_pdf(&doc, None)
            .unwrap_err()
            .to_string()
            .contains("image #2 (image/svg+xml)")
    );

    let mut doc = sample(0.0);
    doc.pages[1].items.push(Item::Image {
        image: 99,
        rect: PNG_RECT,
        alt: String::new(),
    });
    assert!(matches!(
        write_pdf(&doc, None),
        Err(WriteError::MissingImage {
            page: 1,
            image: 99,
            ..
        })
    ));

    let mut doc = sample(0.0);
    doc.pages[0].items.push(Item::Glyphs(GlyphRun {
        font: FontRef(9),
        ..shape(&doc.fonts, EB, "x", 10.0, 0.0, 0.0)
    }));
    assert!(matches!(
        write_pdf(&doc, None),
        Err(WriteError::MissingFont { font: 9, .. })
    ));

    // Garbage numbers and ids: written (with warnings), never a panic.
    let mut doc = sample(0.0);
    let mut run = shape(&doc.fonts, EB, "ab", f32::NAN, f32::INFINITY, 0.0);
    run.size = 12.0;
    let glyphs = Arc::make_mut(&mut run.glyphs);
    glyphs[0].id = 60000;
    glyphs[1].text_start = 99;
    glyphs[1].x = f32::NAN;
    doc.pages[0].items.push(Item::Glyphs(run));
    doc.pages[0].items.push(Item::Line {
        x0: f32::NAN,
        y0: 0.0,
        x1: 1.0,
        y1: 1.0,
        width: -3.0,
        color: Rgb(2.0, -1.0, f32::NAN),
    });
    doc.pages[0].items.push(Item::Fill {
        rect: Rect {
            x: 0.0,
            y: 0.0,
            w: f32::NAN,
            h: 5.0,
        },
        color: Rgb::BLACK,
    });
    doc.outline.push(OutlineItem {
        title: "Past the end".into(),
        page: 42,
        y: 0.0,
        children: vec![],
    });
    doc.page_labels.push(PageLabelRange {
        start: 10,
        style: LabelStyle::None,
        first: 0,
    });
    let out = write_pdf(&doc, None).expect("still writes");
    assert!(
        out.warnings.iter().any(|w| w.contains("glyph id 60000")),
        "{:?}",
        out.warnings
    );
    assert!(
        out.warnings.iter().any(|w| w.contains("Past the end")),
        "{:?}",
        out.warnings
    );
    assert!(
        out.warnings.iter().any(|w| w.contains("page label range")),
        "{:?}",
        out.warnings
    );
    let (path, _) = write(&doc, "garbage.pdf");
    let (ok, check) = tool("qpdf", &["--check"], &path);
    assert!(ok, "{check}");

    let mut doc = sample(0.0);
    doc.pages[2].width = 0.0;
    assert!(matches!(
        write_pdf(&doc, None),
        Err(WriteError::InvalidPage { page: 2, .. })
    ));
}

#[test]
fn unsubsettable_font_is_embedded_whole_with_a_warning() {
    // Break DejaVu's `post` table (the subsetter needs it, rendering does
    // not) by shortening its directory length to the bare header.
    let fonts = fonts();
    let mut bytes = fonts[DEJAVU as usize].bytes.to_vec();
    let tables = u16::from_be_bytes([bytes[4], bytes[5]]) as usize;
    let rec = (0..tables)
        .map(|i| 12 + 16 * i)
        .find(|&r| &bytes[r..r + 4] == b"post")
        .expect("post table");
    bytes[rec + 12..rec + 16].copy_from_slice(&34u32.to_be_bytes());
    let broken = Arc::new(FontData {
        bytes: Arc::new(bytes),
        ..(*fonts[DEJAVU as usize]).clone()
    });
    let run = GlyphRun {
        font: FontRef(0),
        ..shape(&fonts, DEJAVU, "→ ok", 14.0, 72.0, 100.0)
    };
    let doc = PagedDoc {
        pages: vec![Page {
            width: 432.0,
            height: 648.0,
            bleed: 0.0,
            items: vec![Item::Glyphs(run)],
        }],
        fonts: vec![broken],
        ..Default::default()
    };
    let (path, out) = write(&doc, "whole-font.pdf");
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains("could not be subset")),
        "{:?}",
        out.warnings
    );
    let (_, list) = tool("pdffonts", &[], &path);
    let row = list.lines().nth(2).expect("one font");
    assert!(
        row.starts_with("DejaVuSans "),
        "no subset tag on a whole font: {row}"
    );
    assert!(
        row.contains("yes no  yes"),
        "emb yes, sub no, uni yes: {row}"
    );
    let (_, text) = tool("pdftotext", &["-enc", "UTF-8"], &path);
    assert!(text.contains("→ ok"), "{text}");
    let (ok, check) = tool("qpdf", &["--check"], &path);
    assert!(ok, "{check}");
}

#[test]
fn a_book_sized_document_writes_fast() {
    // 550 pages × 40 lines of ~60 shaped glyphs: the writer must stay
    // linear. The bound is loose for debug builds; release is ~20× faster.
    let fonts = fonts();
    let line = shape(
        &fonts,
        EB,
        "The quick brown fox jumps over the lazy dog; office affairs.",
        11.0,
        54.0,
        0.0,
    );
    let pages = (0..550)
        .map(|p| Page {
            width: 432.0,
            height: 648.0,
            bleed: 0.0,
            items: (0..40)
                .map(|l| {
                    Item::Glyphs(GlyphRun {
                        y: 60.0 + 13.5 * l as f32,
                        ..line.clone()
                    })
                })
                .chain([Item::Anchor {
                    name: format!("p{p}"),
                    y: 60.0,
                }])
                .collect(),
        })
        .collect();
    let doc = PagedDoc {
        pages,
        fonts,
        ..Default::default()
    };
    let t = std::time::Instant::now();
    let out = write_pdf(&doc, None).unwrap();
    let elapsed = t.elapsed();
    eprintln!("550 pages: {} bytes in {elapsed:?}", out.bytes.len());
    // Pages are painted on several threads: still reproducible.
    assert!(write_pdf(&doc, None).unwrap().bytes == out.bytes);
    assert!(
        elapsed.as_secs_f32() < if cfg!(debug_assertions) { 20.0 } else { 0.5 },
        "{elapsed:?}"
    );
}

#[test]
fn plain_pngs_are_embedded_as_they_are_and_render_right() {
    // A 64×64 opaque RGB PNG: a red left half, a blue right half and a
    // gradient row band, every row Paeth-filtered, so the PDF viewer has to
    // undo PNG's filters itself.
    let (w, h) = (64u32, 64u32);
    let mut data = Vec::new();
    for y in 0..h {
        for x in 0..w {
            data.extend(if (28..36).contains(&y) {
                [(x * 4) as u8, (x * 4) as u8, (x * 4) as u8]
            } else if x < w / 2 {
                [255, 0, 0]
            } else {
                [0, 0, 255]
            });
        }
    }
    let png_bytes = encode_png(w, h, png::ColorType::Rgb, png::FilterType::Paeth, &data);
    let rect = Rect {
        x: 72.0,
        y: 72.0,
        w: 144.0,
        h: 144.0,
    };
    let doc = one_png_page(png_bytes, w, h, rect);
    let (path, _) = write(&doc, "plain-png.pdf");
    // Copied, not re-encoded: the stream is the PNG's own, with the PNG predictors.
    let json = qpdf_json(&path);
    let text = json.to_string();
    assert!(
        text.contains("/Predictor"),
        "no PNG predictor in {text:.2000}"
    );
    let img = render(&path, 1, 72);
    let at = |fx: f32, fy: f32| pixel(&img, 0.0, 72, rect.x + rect.w * fx, rect.y + rect.h * fy);
    let red = at(0.25, 0.2);
    assert!(red[0] > 200 && red[1] < 40 && red[2] < 40, "{red:?}");
    let blue = at(0.75, 0.8);
    assert!(blue[2] > 200 && blue[0] < 40 && blue[1] < 40, "{blue:?}");
    // The grey band: dark on the left, light on the right.
    let (dark, light) = (at(0.1, 0.5), at(0.9, 0.5));
    assert!(dark[0] < 60 && light[0] > 190, "{dark:?} {light:?}");
    assert!(
        dark[0] == dark[1] && light[1] == light[2],
        "{dark:?} {light:?}"
    );
}

#[test]
fn decoded_rasters_are_up_predicted_and_render_right() {
    // A 64×48 RGBA PNG (decoded by folio, not copied): a red left half, a
    // green right half, a grey gradient column band, and a fully transparent
    // bottom third. Its colour and alpha planes are written as
    // "Up"-predicted rows; a wrong predictor or row width smears them.
    let (w, h) = (64u32, 48u32);
    let mut data = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let a = if y >= 32 { 0 } else { 255 };
            data.extend(if (28..36).contains(&x) {
                [(y * 5) as u8, (y * 5) as u8, (y * 5) as u8, a]
            } else if x < w / 2 {
                [255, 0, 0, a]
            } else {
                [0, 160, 0, a]
            });
        }
    }
    let png_bytes = encode_png(w, h, png::ColorType::Rgba, png::FilterType::Sub, &data);
    let rect = Rect {
        x: 72.0,
        y: 72.0,
        w: 128.0,
        h: 96.0,
    };
    let doc = one_png_page(png_bytes, w, h, rect);
    let (path, _) = write(&doc, "decoded-png.pdf");
    let text = qpdf_json(&path).to_string();
    assert!(text.contains("/SMask"), "no soft mask in {text:.2000}");
    assert!(text.contains("/Predictor"), "no predictor in {text:.2000}");
    let img = render(&path, 1, 72);
    let at = |fx: f32, fy: f32| pixel(&img, 0.0, 72, rect.x + rect.w * fx, rect.y + rect.h * fy);
    let red = at(0.2, 0.3);
    assert!(red[0] > 200 && red[1] < 40 && red[2] < 40, "{red:?}");
    let green = at(0.8, 0.5);
    assert!(
        green[1] > 120 && green[0] < 40 && green[2] < 40,
        "{green:?}"
    );
    // The band: darker at the top than lower down (rows differ, so a
    // predictor error would show here).
    let (top, lower) = (at(0.5, 0.05), at(0.5, 0.6));
    assert!(top[0] + 60 < lower[0], "{top:?} {lower:?}");
    // The transparent third shows the white page.
    let clear = at(0.2, 0.9);
    assert!(clear.iter().all(|c| *c > 240), "{clear:?}");
}

/// An 8-bit PNG of `data`, every row written with `filter`.
fn encode_png(
    w: u32,
    h: u32,
    color: png::ColorType,
    filter: png::FilterType,
    data: &[u8],
) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut e = png::Encoder::new(&mut out, w, h);
        e.set_color(color);
        e.set_depth(png::BitDepth::Eight);
        e.set_filter(filter);
        e.write_header().unwrap().write_image_data(data).unwrap();
    }
    out
}

/// A 6×9 in page showing one PNG of `w`×`h` pixels in `rect`.
fn one_png_page(png_bytes: Vec<u8>, w: u32, h: u32, rect: Rect) -> PagedDoc {
    PagedDoc {
        pages: vec![Page {
            width: 432.0,
            height: 648.0,
            bleed: 0.0,
            items: vec![Item::Image {
                image: 0,
                rect,
                alt: "halves".into(),
            }],
        }],
        images: vec![image(png_bytes, "image/png", w, h)],
        fonts: fonts(),
        ..Default::default()
    }
}
