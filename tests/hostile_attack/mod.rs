//! The books of issue 12's outside attack, one or more per class of defect
//! it found (SVG references fanning out, SVG text, font character maps,
//! print-style numbers, lost footnotes and figures, memory, EPUB names and
//! stylesheets, slugs, bad images, ids and messages without a place), made
//! here from scratch and run by `tests/hostile.rs` like every hostile book.

/// One book: its name, what is appended to the minimal `book.toml` (or, when
/// it starts with `[book]`, the whole `book.toml`), and its files.
pub struct Book {
    pub name: &'static str,
    pub toml: String,
    pub files: Vec<(String, Vec<u8>)>,
}

fn book(name: &'static str, toml: &str, files: Vec<(&str, Vec<u8>)>) -> Book {
    Book {
        name,
        toml: toml.to_owned(),
        files: files.into_iter().map(|(p, b)| (p.to_owned(), b)).collect(),
    }
}

/// A book whose chapter shows `images/{file}` as a figure with a caption.
fn figure(name: &'static str, file: &str, bytes: Vec<u8>) -> Book {
    book(
        name,
        "",
        vec![
            (
                "01.md",
                format!("# Pictures\n\n![A picture](images/{file} \"Caption of {name}\")\n\nText after.\n")
                    .into_bytes(),
            ),
            (&format!("images/{file}"), bytes),
        ],
    )
}

/// A book with the print style `style.toml`.
fn styled(name: &'static str, style: &str) -> Book {
    book(
        name,
        "[pdf]\nstyle = \"style.toml\"\n",
        vec![
            (
                "01.md",
                b"# A\n\nSome text, `code`, a quote:\n\n> quoted[^n]\n\n[^n]: A note.\n".to_vec(),
            ),
            ("style.toml", style.as_bytes().to_vec()),
        ],
    )
}

pub fn svg(body: &str) -> Vec<u8> {
    format!(r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">{body}</svg>"#).into_bytes()
}

/// Nine levels of `<{def}>` each referring ten times to the level below with
/// `reference(level - 1)`, drawn once: 10⁹ elements once expanded, from a
/// few kilobytes.
fn fan_out(def: &str, reference: &dyn Fn(usize) -> String) -> Vec<u8> {
    let mut body = String::from(r#"<defs><g id="l0"><rect width="1" height="1"/></g>"#);
    for level in 1..=9 {
        body.push_str(&format!(r#"<{def} id="l{level}">"#));
        for _ in 0..10 {
            body.push_str(&reference(level - 1));
        }
        body.push_str(&format!("</{def}>"));
    }
    body.push_str("</defs>");
    body.push_str(&reference(9));
    svg(&body)
}

// Fonts: JetBrains Mono (the smallest built-in) with a table replaced.

pub const BASE_FONT: &[u8] = include_bytes!("../../fonts/jetbrains-mono/JetBrainsMono-Regular.ttf");

/// `font` with table `tag` replaced by `data`, appended at the end and the
/// table directory pointed at it (checksums are not checked by readers).
pub fn with_table(font: &[u8], tag: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = font.to_vec();
    while out.len() % 4 != 0 {
        out.push(0);
    }
    let offset = u32::try_from(out.len()).expect("small font");
    out.extend_from_slice(data);
    let tables = usize::from(u16::from_be_bytes([font[4], font[5]]));
    for i in 0..tables {
        let record = 12 + i * 16;
        if &out[record..record + 4] == tag {
            out[record + 8..record + 12].copy_from_slice(&offset.to_be_bytes());
            let len = u32::try_from(data.len()).expect("small table");
            out[record + 12..record + 16].copy_from_slice(&len.to_be_bytes());
        }
    }
    out
}

/// A `cmap` table of `records` Unicode records, all pointing at one
/// format-12 subtable with `groups` (first, last code point, first glyph).
pub fn cmap12(records: u16, groups: &[(u32, u32, u32)]) -> Vec<u8> {
    let mut t = Vec::new();
    t.extend(0u16.to_be_bytes());
    t.extend(records.to_be_bytes());
    let subtable = 4 + 8 * u32::from(records);
    for _ in 0..records {
        t.extend(3u16.to_be_bytes());
        t.extend(10u16.to_be_bytes());
        t.extend(subtable.to_be_bytes());
    }
    t.extend(12u16.to_be_bytes());
    t.extend(0u16.to_be_bytes());
    t.extend((16 + 12 * groups.len() as u32).to_be_bytes());
    t.extend(0u32.to_be_bytes());
    t.extend((groups.len() as u32).to_be_bytes());
    for (first, last, glyph) in groups {
        t.extend(first.to_be_bytes());
        t.extend(last.to_be_bytes());
        t.extend(glyph.to_be_bytes());
    }
    t
}

/// A `name` table naming the family `family` (Windows, UTF-16).
fn name_table(family: &str) -> Vec<u8> {
    let names: [(u16, String); 4] = [
        (1, family.to_owned()),
        (2, "Regular".to_owned()),
        (4, family.to_owned()),
        (6, "EvilFont-Regular".to_owned()),
    ];
    let encoded: Vec<Vec<u8>> = names
        .iter()
        .map(|(_, s)| s.encode_utf16().flat_map(u16::to_be_bytes).collect())
        .collect();
    let mut t = Vec::new();
    t.extend(0u16.to_be_bytes());
    t.extend((names.len() as u16).to_be_bytes());
    t.extend((6 + 12 * names.len() as u16).to_be_bytes());
    let mut offset = 0u16;
    for ((id, _), bytes) in names.iter().zip(&encoded) {
        for v in [3u16, 1, 0x409, *id, bytes.len() as u16, offset] {
            t.extend(v.to_be_bytes());
        }
        offset += bytes.len() as u16;
    }
    for bytes in encoded {
        t.extend(bytes);
    }
    t
}

/// A book whose body font is `font`.
fn body_font(name: &'static str, font: Vec<u8>) -> Book {
    book(
        name,
        "[pdf]\nstyle = \"style.toml\"\n",
        vec![
            ("01.md", b"# Fonts\n\nSome text in the font.\n".to_vec()),
            (
                "style.toml",
                b"[fonts]\nbody = \"Evil\"\n[fonts.families.\"Evil\"]\nregular = \"fonts/evil.ttf\"\n"
                    .to_vec(),
            ),
            ("fonts/evil.ttf", font),
        ],
    )
}

// Raster images.

pub fn gif(w: u16, h: u16) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let palette = [0u8, 0, 0, 200, 30, 30, 30, 30, 200, 255, 255, 255];
        let mut e = gif::Encoder::new(&mut out, w, h, &palette).expect("gif");
        let pixels: Vec<u8> = (0..u32::from(w) * u32::from(h))
            .map(|i| ((i / 7 + i / u32::from(w)) % 4) as u8)
            .collect();
        let frame = gif::Frame::from_indexed_pixels(w, h, pixels, None);
        e.write_frame(&frame).expect("frame");
    }
    out
}

pub fn webp(w: u32, h: u32) -> Vec<u8> {
    let rgba: Vec<u8> = (0..w * h)
        .flat_map(|i| [(i % 256) as u8, (i / w % 256) as u8, 128, 255])
        .collect();
    let mut out = Vec::new();
    image_webp::WebPEncoder::new(&mut out)
        .encode(&rgba, w, h, image_webp::ColorType::Rgba8)
        .expect("webp");
    out
}

fn jpeg(w: u16, h: u16) -> Vec<u8> {
    let rgb: Vec<u8> = (0..u32::from(w) * u32::from(h))
        .flat_map(|i| [(i % 251) as u8, (i % 13 * 19) as u8, 90])
        .collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 85)
        .encode(&rgb, w, h, jpeg_encoder::ColorType::Rgb)
        .expect("jpeg");
    out
}

/// An RGBA PNG of `w`×`h` whose rows repeat one gradient (small file, full
/// decode).
pub fn png_rgba(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = png::Encoder::new(&mut out, w, h);
    e.set_color(png::ColorType::Rgba);
    e.set_compression(png::Compression::Fast);
    let mut writer = e.write_header().expect("header");
    let row: Vec<u8> = (0..w * 4).map(|i| (i * 7 % 256) as u8).collect();
    let mut stream = writer.stream_writer().expect("stream");
    for _ in 0..h {
        std::io::Write::write_all(&mut stream, &row).expect("row");
    }
    stream.finish().expect("end");
    drop(writer);
    out
}

pub fn books() -> Vec<Book> {
    let rect = |extra: &str| format!(r#"<rect width="1" height="1" {extra}/>"#);
    let mut books = vec![
        // 1. Every way SVG content can be instanced counts.
        figure(
            "svg-fan-out-pattern-fill",
            "p.svg",
            fan_out("pattern", &|l| rect(&format!(r##"fill="url(#l{l})""##))),
        ),
        figure(
            "svg-fan-out-mask",
            "m.svg",
            fan_out("mask", &|l| rect(&format!(r##"mask="url(#l{l})""##))),
        ),
        figure(
            "svg-fan-out-clip-path",
            "c.svg",
            fan_out("clipPath", &|l| rect(&format!(r##"clip-path="url(#l{l})""##))),
        ),
        figure(
            "svg-fan-out-filter-feimage",
            "f.svg",
            fan_out("filter", &|l| format!(r##"<feImage href="#l{l}"/>"##)),
        ),
        figure(
            "svg-fan-out-markers",
            "k.svg",
            fan_out("marker", &|l| format!(r##"<path d="M0 0L1 1" marker-end="url(#l{l})"/>"##)),
        ),
        figure("svg-marker-on-every-vertex", "v.svg", {
            svg(&format!(
                r#"<defs><marker id="m">{}</marker></defs><polyline points="{}" marker-mid="url(#m)"/>"#,
                "<rect/>".repeat(1000),
                "1,1 ".repeat(1000)
            ))
        }),
        figure("svg-fill-from-style-sheet", "s.svg", {
            svg(&format!(
                r#"<style>rect {{ fill: url(#p) }}</style><defs><pattern id="p">{}</pattern></defs>{}"#,
                "<circle r=\"1\"/>".repeat(1000),
                "<rect width=\"1\" height=\"1\"/>".repeat(1000)
            ))
        }),
        figure(
            "svg-pattern-loop",
            "loop.svg",
            svg(r##"<defs><pattern id="a"><rect width="1" height="1" fill="url(#b)"/></pattern><pattern id="b"><rect width="1" height="1" fill="url(#a)"/></pattern></defs><rect width="5" height="5" fill="url(#a)"/>"##),
        ),
        // 2. SVG text is bounded.
        figure(
            "svg-text-100k-characters",
            "t.svg",
            svg(&format!("<text y=\"5\" font-size=\"1\">{}</text>", "abcdefghi ".repeat(10_000))),
        ),
        figure(
            "svg-text-within-the-limit",
            "t.svg",
            svg(&format!("<text y=\"5\" font-size=\"0.1\">{}</text>", "abcdefghi ".repeat(200))),
        ),
        // 11 (issue 11's point 3). A DOCTYPE from real tools; entities bounded; nothing fetched.
        figure(
            "svg-graphviz-doctype",
            "g.svg",
            br#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"
 "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<!-- Generated by graphviz -->
<svg width="62pt" height="116pt" viewBox="0.00 0.00 62.00 116.00" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
<g id="graph0" class="graph" transform="scale(1 1) rotate(0) translate(4 112)">
<polygon fill="white" stroke="none" points="-4,4 -4,-112 58,-112 58,4 -4,4"/>
<g id="node1" class="node"><ellipse fill="none" stroke="black" cx="27" cy="-90" rx="27" ry="18"/>
<text text-anchor="middle" x="27" y="-86.3" font-family="Times,serif" font-size="14.00">a</text></g>
<g id="edge1" class="edge"><path fill="none" stroke="black" d="M27,-71.7C27,-63.98 27,-54.71 27,-46.11"/>
<polygon fill="black" stroke="black" points="30.5,-46.1 27,-36.1 23.5,-46.1 30.5,-46.1"/></g>
</g></svg>
"#.to_vec(),
        ),
        figure(
            "svg-illustrator-entities",
            "i.svg",
            br#"<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [
	<!ENTITY ns_svg "http://www.w3.org/2000/svg">
	<!ENTITY ns_xlink "http://www.w3.org/1999/xlink">
	<!ENTITY st0 "fill:#1F3F99;">
]><svg xmlns="&ns_svg;" xmlns:xlink="&ns_xlink;" viewBox="0 0 20 10"><rect style="&st0;" width="20" height="10"/></svg>"#.to_vec(),
        ),
        figure("svg-billion-laughs", "laughs.svg", {
            let mut dtd = String::from(r#"<!ENTITY l0 "lol">"#);
            for i in 1..=9 {
                dtd.push_str(&format!(r#"<!ENTITY l{i} "{}">"#, format!("&l{};", i - 1).repeat(10)));
            }
            format!(r#"<?xml version="1.0"?><!DOCTYPE svg [{dtd}]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&l9;</text></svg>"#).into_bytes()
        }),
        figure(
            "svg-external-entity",
            "x.svg",
            br#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&secret;</text></svg>"#.to_vec(),
        ),
        figure(
            "svg-external-references",
            "r.svg",
            svg(r##"<image href="file:///etc/passwd" width="5" height="5"/><image href="http://example.com/x.png" width="5" height="5"/><image href="../../outside.png" width="5" height="5"/><use href="other.svg#x"/><rect width="4" height="4" fill="url(other.svg#g)"/>"##),
        ),
        // 13. Numbers no PDF reader converts.
        figure(
            "svg-view-box-1e30",
            "huge.svg",
            br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1e30 1e30"><rect width="1e29" height="1e29"/></svg>"#.to_vec(),
        ),
        // 3. Font character maps reaching 0xFFFFFFFF; more subtables than any font.
        body_font(
            "font-cmap-groups-to-ffffffff",
            with_table(
                BASE_FONT,
                b"cmap",
                &cmap12(1, &[(0x20, 0xFFFF_FFFF, 3); 8]),
            ),
        ),
        body_font(
            "font-cmap-1000-subtables",
            with_table(BASE_FONT, b"cmap", &cmap12(1000, &[(0x20, 0x7E, 3)])),
        ),
        body_font("font-not-a-font", b"not a font at all, only text".to_vec()),
        // 4. Every print-style number has a range, checked where written.
        styled("style-size-negative", "[text]\nsize = -11\n"),
        styled("style-size-tiny", "[text]\nsize = 1e-30\n"),
        styled("style-size-zero", "[text]\nsize = 0\n"),
        styled("style-size-nan", "[text]\nsize = nan\n"),
        styled("style-leading-infinite", "[text]\nleading = inf\n"),
        styled(
            "style-negative-spaces",
            "[headings]\nh2 = { size = 14, leading = 18, space-before = -20, space-after = 8, bold = true, italic = false }\n",
        ),
        styled("style-negative-padding", "[code]\npadding = -5.0\n"),
        styled("style-footnote-size-zero", "[blocks]\nfootnote-size = 0\n"),
        styled("style-bleed-1e30", "[page]\nbleed = 1e30\n"),
        styled("style-bleed-1e300", "[page]\nbleed = 1e300\n"),
        styled("style-toml-syntax-error", "[text\nsize = 11\n"),
        // 5. Footnotes referenced from a title, a heading, table cells and
        // another note all print.
        book(
            "notes-everywhere",
            "",
            vec![(
                "01.md",
                b"# Chapter with a note[^t]\n\n## A heading with a note[^h]\n\nText.\n\n| Head[^th] | B |\n|---|---|\n| cell[^td] | x |\n\nBody with an outer note.[^outer]\n\n[^t]: NOTE-IN-TITLE.\n[^h]: NOTE-IN-HEADING.\n[^th]: NOTE-IN-HEADER-CELL.\n[^td]: NOTE-IN-BODY-CELL.\n[^outer]: NOTE-OUTER refers on.[^inner]\n[^inner]: NOTE-INNER.\n".to_vec(),
            )],
        ),
        // 6. GIF and WebP figures are drawn.
        figure("gif-figure", "g.gif", gif(120, 80)),
        figure("webp-figure", "w.webp", webp(120, 80)),
        figure("gif-truncated", "g.gif", gif(120, 80)[..200].to_vec()),
        // 7. Memory: decoded images do not pile up; text is bounded by what
        // it lays out.
        Book {
            name: "png-six-7000-square",
            toml: String::new(),
            files: {
                let png = png_rgba(7000, 7000);
                let mut files = vec![(
                    "01.md".to_owned(),
                    (0..6)
                        .map(|i| format!("![Photo {i}](images/p{i}.png)\n\n"))
                        .collect::<String>()
                        .into_bytes(),
                )];
                files.extend((0..6).map(|i| (format!("images/p{i}.png"), png.clone())));
                files
            },
        },
        book(
            "blocks-over-the-limit",
            "",
            vec![("01.md", "a\n\n".repeat(200_001).into_bytes())],
        ),
        book("table-cells-over-the-limit", "", {
            // Eleven tables of 20,000 one-letter cells (each within
            // `table-cells`), 1 MB in all: the cells are what is laid out.
            let row = "| a | a | a | a | a |\n";
            let table = format!("| h | h | h | h | h |\n|---|---|---|---|---|\n{}\n", row.repeat(3_999));
            vec![("01.md", table.repeat(11).into_bytes())]
        }),
        book(
            "headings-over-the-limit",
            "",
            vec![("01.md", "## h\n\n".repeat(20_001).into_bytes())],
        ),
        // 8. Script past the sanitizer: namespaced elements are not elements
        // to an HTML reader (they stay text); an SVG file that would run
        // something is refused (the EPUB packages SVG files as written).
        book(
            "html-namespaced-script",
            "",
            vec![(
                "01.md",
                b"# Script\n\nBefore.\n\n<h:script xmlns:h=\"http://www.w3.org/1999/xhtml\">alert(1)</h:script>\n\n<h:iframe xmlns:h=\"http://www.w3.org/1999/xhtml\" src=\"https://example.com/\"></h:iframe>\n\nInline <h:script>alert(2)</h:script> and <script>alert(3)</script> text.\n\nAfter.\n".to_vec(),
            )],
        ),
        figure(
            "svg-file-with-script",
            "s.svg",
            svg(r#"<script>alert(1)</script><rect width="5" height="5"/>"#),
        ),
        figure(
            "svg-file-with-event-handler",
            "h.svg",
            svg(r#"<rect width="5" height="5" onclick="alert(1)"/>"#),
        ),
        figure(
            "svg-file-with-javascript-link",
            "j.svg",
            svg(r#"<a href="javascript:alert(1)"><rect width="5" height="5"/></a>"#),
        ),
        // 9. What else reached the EPUB: inline SVG and MathML, a remote
        // video, `>` in alt text, javascript: and data: links, <h7>.
        book(
            "epub-html-the-package-cannot-hold",
            "",
            vec![
                (
                    "01.md",
                    b"# Markup\n\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><circle r=\"4\"/></svg>\n\nA formula: <math><mi>x</mi><mo>=</mo><mn>2</mn></math> inline.\n\n<video src=\"https://example.com/v.mp4\">VIDEO-FALLBACK-TEXT</video>\n\n<img src=\"images/a.png\" alt=\"a > b\">\n\n[JS-LINK-TEXT](javascript:alert(1)) and [DATA-LINK-TEXT](data:text/html,hi) and <a href=\"javascript:x()\">HTML-JS-LINK</a>.\n\n<h7>SEVENTH-LEVEL</h7>\n".to_vec(),
                ),
                ("images/a.png", png_rgba(16, 16)),
            ],
        ),
        // 9. Ids folio generates are not the author's to take.
        book(
            "ids-taking-generated-ones",
            "",
            vec![(
                "intro.md",
                b"# Intro\n\n## Notes {#fn-intro-1}\n\n## Title {#intro-title}\n\n## Contents {#toc}\n\nText[^a].\n\n[^a]: A note.\n".to_vec(),
            )],
        ),
        book(
            "heading-slugs-step-around-generated-ids",
            "",
            vec![(
                "intro.md",
                b"# Intro\n\n## Fn Intro 1\n\n## TOC\n\nText[^a].\n\n[^a]: A note.\n".to_vec(),
            )],
        ),
        // 9. Files an author's stylesheet names are packaged; remote ones refused.
        book(
            "epub-css-url-resources",
            "[epub]\nextra-css = [\"styles/extra.css\"]\n",
            vec![
                ("01.md", b"# A\n\nText.\n".to_vec()),
                (
                    "styles/extra.css",
                    b"body { background: url(\"../img/paper.gif\"); }\n/* url(ignored.png) */\n@font-face { font-family: \"Mono\"; src: url(../fonts/mono.ttf); }\n".to_vec(),
                ),
                ("img/paper.gif", gif(8, 8)),
                ("fonts/mono.ttf", BASE_FONT.to_vec()),
            ],
        ),
        book(
            "epub-css-remote-and-missing",
            "[epub]\nextra-css = [\"extra.css\"]\n",
            vec![
                ("01.md", b"# A\n\nText.\n".to_vec()),
                (
                    "extra.css",
                    b"body {\n  background: url(https://example.com/bg.png);\n}\np { background: url(nothere.png) }\n@import \"other.css\";\n".to_vec(),
                ),
            ],
        ),
        // 9. A font family name with a backslash, a quote and a newline.
        book(
            "epub-font-name-breaking-css",
            "[epub]\nfonts = [\"fonts/evil.ttf\"]\n",
            vec![
                ("01.md", b"# A\n\nText.\n".to_vec()),
                (
                    "fonts/evil.ttf",
                    with_table(BASE_FONT, b"name", &name_table("Evil\\\"Font\n} body { color: red")),
                ),
            ],
        ),
        // 10. Same-named EPUB fonts.
        book(
            "epub-fonts-with-one-name",
            "[epub]\nfonts = [\"a/F.ttf\", \"b/F.ttf\", \"My Font.ttf\", \"My_Font.ttf\"]\n",
            vec![
                ("01.md", b"# A\n\nText.\n".to_vec()),
                ("a/F.ttf", BASE_FONT.to_vec()),
                ("b/F.ttf", BASE_FONT.to_vec()),
                ("My Font.ttf", BASE_FONT.to_vec()),
                ("My_Font.ttf", BASE_FONT.to_vec()),
            ],
        ),
        // 11. A long title and no slug: cut like an explicit one.
        book(
            "title-500-characters-no-slug",
            &format!(
                "[book]\ntitle = \"{}\"\nlanguage = \"en\"\nauthors = [\"A. Author\"]\nidentifier = \"978-0-306-40615-7\"\n",
                "A very long title ".repeat(28)
            ),
            vec![("01.md", b"# A\n\nText.\n".to_vec())],
        ),
        book(
            "slug-too-long",
            &format!("slug = \"{}\"\n", "s".repeat(300)),
            vec![("01.md", b"# A\n\nText.\n".to_vec())],
        ),
        // 12. What check must find as build does.
        book(
            "hyphenation-exception-bad",
            "[typography]\nhyphenation-exceptions = [\"ta--ble\", \"\"]\n",
            vec![("01.md", b"# A\n\nA table.\n".to_vec())],
        ),
        // 13 and 15. Bad images: an error at the line that shows them.
        figure("jpeg-truncated", "cut.jpg", {
            let j = jpeg(64, 48);
            j[..j.len() * 2 / 3].to_vec()
        }),
        figure("png-corrupt-data", "bad.png", {
            let mut p = png_rgba(64, 48);
            let at = p.len() / 2;
            p[at..at + 8].copy_from_slice(b"garbage!");
            p
        }),
        // 15. A chapter named toc.md; overflow warned at its line; NFD names.
        book(
            "chapter-named-toc",
            "",
            vec![
                ("toc.md", b"# TOC\n\nThe list of contents.\n".to_vec()),
                ("z.md", b"# Z\n\nText.\n".to_vec()),
            ],
        ),
        book(
            "long-heading-overflows",
            "",
            vec![(
                "01.md",
                format!("# A\n\n## {}\n\nText.\n", "x".repeat(300)).into_bytes(),
            )],
        ),
        book(
            "nfd-chapter-name",
            "chapters = [\"cafe\u{301}.md\"]\n",
            vec![("café.md", b"# Caf\xc3\xa9\n\nText.\n".to_vec())],
        ),
    ];
    books.push(figure("png-truncated-names-its-line", "t.png", {
        let p = png_rgba(64, 48);
        p[..p.len() / 2].to_vec()
    }));
    books
}
