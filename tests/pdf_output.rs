//! The PDF on real output, read back with poppler and qpdf: fonts embedded and
//! subset with Unicode maps, every word of the manuscript extractable, the
//! configured page size, a valid file, identical bytes across builds, and
//! links, outline and page labels that resolve.

mod common;

use common::{fixture, folio, root};
use std::path::{Path, PathBuf};
use std::process::Command;

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|_| {
        panic!("{name} is not installed: run `make test`, which installs poppler-utils and qpdf")
    });
    assert!(
        out.status.success(),
        "{name} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn build_pdf(book: &Path, out: &Path, extra: &[&str]) -> PathBuf {
    let mut args = vec![
        "build",
        book.to_str().expect("utf-8 path"),
        "--format",
        "pdf",
        "--out",
        out.to_str().expect("utf-8 path"),
        "-q",
    ];
    args.extend_from_slice(extra);
    let run = folio(&args);
    assert!(
        run.status.success(),
        "building {} failed:\n{}",
        book.display(),
        String::from_utf8_lossy(&run.stderr)
    );
    std::fs::read_dir(out)
        .expect("out")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .expect("a PDF was written")
}

#[test]
fn fonts_are_embedded_subset_and_mapped_to_unicode() {
    let temp = tempfile::tempdir().expect("temp");
    for (i, book) in [PathBuf::from("manuscript"), fixture("kitchen-sink")]
        .iter()
        .enumerate()
    {
        let pdf = build_pdf(book, &temp.path().join(i.to_string()), &[]);
        let report = tool("pdffonts", &[pdf.to_str().expect("path")]);
        let rows: Vec<&str> = report.lines().skip(2).collect();
        assert!(rows.len() >= 3, "{report}");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            let n = cols.len();
            assert_eq!(
                &cols[n - 5..n - 2],
                ["yes", "yes", "yes"],
                "emb/sub/uni in: {row}"
            );
            assert!(
                cols[0].len() > 7 && cols[0].as_bytes()[6] == b'+',
                "subset tag in {row}"
            );
        }
    }
}

/// Words of the manuscript: runs of letters and digits in its paragraphs,
/// headings, lists and quotes (the IR's text), lower-cased.
fn manuscript_words(book_dir: &str) -> Vec<String> {
    let mut sources = folio::source::Sources::new(root());
    let mut sink = folio::diag::Sink::new();
    let ms = folio::manuscript::load(&root().join(book_dir), None, &mut sources, &mut sink)
        .expect("loads");
    let book = folio::parse::book(&ms, &sources, &mut sink, None).expect("parses");
    let mut text = String::new();
    for chapter in &book.chapters {
        folio::ir::walk::blocks(&chapter.blocks, &mut |b| {
            for inlines in folio::ir::walk::own_inlines(b) {
                text.push_str(&folio::ir::plain_text(inlines));
                text.push(' ');
            }
        });
    }
    words(&text)
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn pdftotext_gives_back_every_word_of_the_sample() {
    let temp = tempfile::tempdir().expect("temp");
    let pdf = build_pdf(Path::new("manuscript"), temp.path(), &[]);
    // Only the text block (running heads and folios sit in the top margin).
    let text = tool(
        "pdftotext",
        &[
            "-x",
            "0",
            "-y",
            "54",
            "-W",
            "432",
            "-H",
            "540",
            pdf.to_str().expect("path"),
            "-",
        ],
    );
    let flat = text.replace('\x0c', "\n");
    // A line ending in a hyphen is either a hyphenated word (join it) or a
    // word with its own hyphen (keep it): accept the words of both readings.
    let mut joined = String::new();
    let mut kept = String::new();
    let lines: Vec<&str> = flat.lines().filter(|l| !l.trim().is_empty()).collect();
    for line in &lines {
        match line.strip_suffix('-') {
            Some(stem) => {
                joined.push_str(stem);
                kept.push_str(line);
                kept.push(' ');
            }
            None => {
                joined.push_str(line);
                joined.push(' ');
                kept.push_str(line);
                kept.push(' ');
            }
        }
    }
    let found: std::collections::HashSet<String> =
        words(&joined).into_iter().chain(words(&kept)).collect();
    // poppler itself joins a line ending in a word's own hyphen ("AI-" +
    // "assisted" → "AIassisted"), so a word may also appear inside another.
    let haystack = joined.to_lowercase();
    let missing: Vec<String> = manuscript_words("manuscript")
        .into_iter()
        .filter(|w| !found.contains(w) && !haystack.contains(w.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "words missing from pdftotext: {missing:?}"
    );
    assert!(
        text.contains('📝'),
        "the emoji comes from the fallback font"
    );
    assert!(text.contains("“perfect stack”"), "curly quotes survive");
}

#[test]
fn fallback_symbols_and_ligatures_extract_as_text() {
    let temp = tempfile::tempdir().expect("temp");
    let pdf = build_pdf(&fixture("kitchen-sink"), temp.path(), &[]);
    let text = tool("pdftotext", &[pdf.to_str().expect("path"), "-"]);
    for needle in [
        "←",
        "→",
        "📝",
        "fixture",
        "The First Step",
        "Tables and Figures",
    ] {
        assert!(text.contains(needle), "`{needle}` not extracted");
    }
}

#[test]
fn the_file_is_valid_and_the_page_size_is_the_configured_one() {
    let temp = tempfile::tempdir().expect("temp");
    let pdf = build_pdf(Path::new("manuscript"), &temp.path().join("default"), &[]);
    tool("qpdf", &["--check", pdf.to_str().expect("path")]);
    let info = tool("pdfinfo", &[pdf.to_str().expect("path")]);
    assert!(
        info.contains("Page size:       432 x 648 pts"),
        "6×9 in by default:\n{info}"
    );
    assert!(info.contains("PDF version:     1.7"), "{info}");
    assert!(
        info.contains("Title:           Python Serverless Book"),
        "{info}"
    );

    // A book with its own style: A5 pages, and a TrimBox/BleedBox from `bleed`.
    let book = temp.path().join("a5");
    std::fs::create_dir_all(&book).expect("dir");
    std::fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"A5\"\nlanguage = \"en\"\n\n[pdf]\nstyle = \"print.toml\"\n",
    )
    .expect("toml");
    std::fs::write(
        book.join("print.toml"),
        "[page]\nsize = \"a5\"\nbleed = \"3mm\"\n",
    )
    .expect("style");
    std::fs::write(book.join("01.md"), "# One\n\nText.\n").expect("md");
    let pdf = build_pdf(&book, &temp.path().join("a5-out"), &[]);
    let info = tool("pdfinfo", &["-box", pdf.to_str().expect("path")]);
    let boxed = |name: &str| -> Vec<String> {
        info.lines()
            .find(|l| l.starts_with(name))
            .map(|l| l.split_whitespace().skip(1).map(str::to_owned).collect())
            .unwrap_or_default()
    };
    assert_eq!(
        boxed("TrimBox:"),
        ["8.50", "8.50", "428.03", "603.78"],
        "A5 trim inside a 3 mm bleed:\n{info}"
    );
    assert_eq!(
        boxed("BleedBox:"),
        ["0.00", "0.00", "436.54", "612.28"],
        "{info}"
    );
    assert_eq!(
        boxed("MediaBox:"),
        ["0.00", "0.00", "436.54", "612.28"],
        "{info}"
    );
}

#[test]
fn same_input_same_bytes() {
    let temp = tempfile::tempdir().expect("temp");
    let a = build_pdf(&fixture("kitchen-sink"), &temp.path().join("a"), &[]);
    let b = build_pdf(&fixture("kitchen-sink"), &temp.path().join("b"), &[]);
    assert!(
        std::fs::read(&a).expect("a") == std::fs::read(&b).expect("b"),
        "two builds differ"
    );
}

/// An RGBA PNG (decoded and re-compressed by the writer, alpha as a soft
/// mask) or, without alpha, an RGB one (copied as it is).
fn gradient_png(size: u32, alpha: bool) -> Vec<u8> {
    let channels = if alpha { 4 } else { 3 };
    let mut data = Vec::new();
    for y in 0..size {
        for x in 0..size {
            let px = [
                (x * 7) as u8,
                (y * 5) as u8,
                ((x ^ y) * 3) as u8,
                (x + y) as u8,
            ];
            data.extend_from_slice(&px[..channels]);
        }
    }
    let mut out = Vec::new();
    let mut e = png::Encoder::new(&mut out, size, size);
    e.set_color(if alpha {
        png::ColorType::Rgba
    } else {
        png::ColorType::Rgb
    });
    e.set_depth(png::BitDepth::Eight);
    e.write_header()
        .and_then(|mut w| w.write_image_data(&data))
        .expect("png");
    out
}

/// The PDF of the book in `dir` as the backend renders it with its cache
/// set up by `configure` (a knob the tests compare both ways), the
/// messages the build gave, and what `measure` reads from the cache after.
fn render_pdf<T>(
    dir: &Path,
    profile: folio::pdf::Profile,
    configure: impl FnOnce(&mut folio::pdf::PdfCache),
    measure: impl FnOnce(&folio::pdf::PdfCache) -> T,
) -> (Vec<u8>, Vec<String>, T) {
    use folio::backend::Backend;
    let mut loaded = common::Loaded::new(dir);
    let (cx, sink) = loaded.cx();
    let backend = folio::pdf::PdfBackend::new(profile);
    configure(&mut backend.cache.lock().expect("cache"));
    let artifact = backend.render(&cx, sink).expect("renders");
    let measured = measure(&backend.cache.lock().expect("cache"));
    (artifact.bytes, loaded.messages(), measured)
}

/// The PDF with images prepared during the layout or (`serial`) by the
/// writer afterwards, and how many images the writer took from those
/// prepared during the layout.
fn pdf_images_prepared(dir: &Path, profile: folio::pdf::Profile, serial: bool) -> (Vec<u8>, usize) {
    let (bytes, _, taken) = render_pdf(
        dir,
        profile,
        |cache| cache.serial_images = serial,
        |cache| cache.images_prepared_ahead(),
    );
    (bytes, taken)
}

#[test]
fn images_prepared_during_layout_give_the_same_bytes() {
    let temp = tempfile::tempdir().expect("temp");
    let book = temp.path().join("book");
    let ks = fixture("kitchen-sink").join("src/images");
    let read = |name: &str| std::fs::read(ks.join(name)).expect("fixture image");
    let mut svg =
        String::from(r#"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="80"><defs>"#);
    for i in 0..6 {
        svg.push_str(&format!(
            r##"<linearGradient id="g{i}"><stop offset="0" stop-color="#{i}0{i}0{i}0"/><stop offset="1" stop-color="#fff"/></linearGradient>"##
        ));
    }
    svg.push_str("</defs>");
    for i in 0..6 {
        svg.push_str(&format!(
            r#"<rect x="{}" width="45" height="40" fill="url(#g{i})"/><text x="{}" y="70" font-family="serif">Step {i}</text>"#,
            i * 50,
            i * 50
        ));
    }
    svg.push_str("</svg>");
    let toml = format!("{}cover = \"src/cover.png\"\n", common::BOOK_TOML);
    let chapter = "# Figures\n\n![Steps](steps.svg)\n\n![Steps again](copy.svg)\n\n\
        ![Pipeline](pipeline.svg)\n\n![Alpha](alpha.png)\n\n![Plain](plain.png)\n\n\
        ![Chart](chart.png)\n";
    common::write_book(
        &book,
        &toml,
        &[
            ("src/SUMMARY.md", b"[Figures](figures.md)\n"),
            ("src/figures.md", chapter.as_bytes()),
            ("src/steps.svg", svg.as_bytes()),
            ("src/copy.svg", svg.as_bytes()),
            ("src/pipeline.svg", &read("pipeline.svg")),
            ("src/chart.png", &read("chart.png")),
            ("src/cover.png", &read("cover.png")),
            ("src/alpha.png", &gradient_png(96, true)),
            ("src/plain.png", &gradient_png(96, false)),
        ],
    );
    for (profile, prepared) in [
        // steps (its copy shares it), pipeline, alpha, plain, chart
        (folio::pdf::Profile::Print, 5),
        // and the cover
        (folio::pdf::Profile::Screen, 6),
    ] {
        let (serial, none) = pdf_images_prepared(&book, profile, true);
        let (ahead, taken) = pdf_images_prepared(&book, profile, false);
        assert_eq!(none, 0, "{profile:?}: serial build took prepared images");
        assert_eq!(
            taken, prepared,
            "{profile:?}: images taken from the layout's time"
        );
        assert!(
            ahead == serial,
            "{profile:?}: images prepared during layout change the PDF"
        );
    }
}

/// qpdf's JSON view of a PDF.
fn qpdf_json(pdf: &Path) -> serde_json::Value {
    serde_json::from_str(&tool(
        "qpdf",
        &[
            "--json=1",
            "--json-key=pages",
            "--json-key=outlines",
            "--json-key=pagelabels",
            "--json-key=objects",
            pdf.to_str().expect("path"),
        ],
    ))
    .expect("qpdf JSON")
}

#[test]
fn links_outline_and_labels_resolve() {
    let temp = tempfile::tempdir().expect("temp");
    let pdf = build_pdf(&fixture("kitchen-sink"), temp.path(), &[]);
    let json = qpdf_json(&pdf);
    let pages: Vec<String> = json["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .map(|p| p["object"].as_str().unwrap_or("").to_owned())
        .collect();
    // Page labels: roman, then arabic from 1.
    let labels: Vec<&serde_json::Value> = json["pagelabels"]
        .as_array()
        .expect("labels")
        .iter()
        .collect();
    assert_eq!(labels[0]["label"]["/S"], "/r");
    assert!(
        labels.iter().any(|l| l["label"]["/S"] == "/D"),
        "{labels:?}"
    );
    // Every outline item points at a page of the document.
    fn walk(items: &serde_json::Value, pages: &[String], count: &mut usize) {
        for item in items.as_array().into_iter().flatten() {
            let dest = item["destpageposfrom1"]
                .as_u64()
                .expect("outline item has a destination page");
            assert!(dest >= 1 && (dest as usize) <= pages.len());
            *count += 1;
            walk(&item["kids"], pages, count);
        }
    }
    let mut count = 0;
    walk(&json["outlines"], &pages, &mut count);
    assert!(count >= 10, "{count} outline items");
    // Every internal link names a destination that exists.
    let objects = json["objects"].as_object().expect("objects");
    let text = serde_json::to_string(objects).expect("json");
    let dest_links = text.matches("\"/Dest\"").count();
    assert!(
        dest_links >= 10,
        "TOC entries, cross-references and footnotes are links ({dest_links})"
    );
    let uris = text.matches("\"/URI\"").count();
    assert!(uris >= 1, "external links are URI actions");
}

#[test]
fn print_and_screen_editions_differ() {
    let temp = tempfile::tempdir().expect("temp");
    let print = build_pdf(
        &fixture("kitchen-sink"),
        &temp.path().join("print"),
        &["--profile", "print"],
    );
    let screen = build_pdf(
        &fixture("kitchen-sink"),
        &temp.path().join("screen"),
        &["--profile", "screen"],
    );
    let pages = |p: &Path| {
        tool("pdfinfo", &[p.to_str().expect("path")])
            .lines()
            .find_map(|l| {
                l.strip_prefix("Pages:")
                    .map(|n| n.trim().parse::<usize>().unwrap_or(0))
            })
            .unwrap_or(0)
    };
    assert!(pages(&print) > pages(&screen) - 1, "print has blank versos");
    // The screen edition's first page is the cover image.
    let images = tool(
        "pdfimages",
        &[
            "-list",
            "-f",
            "1",
            "-l",
            "1",
            screen.to_str().expect("path"),
        ],
    );
    assert!(
        images.lines().count() > 2,
        "cover image on page 1:\n{images}"
    );
    let images = tool(
        "pdfimages",
        &["-list", "-f", "1", "-l", "1", print.to_str().expect("path")],
    );
    assert_eq!(images.lines().count(), 2, "no cover in print:\n{images}");
}

/// Named destinations of a PDF → 0-based page index, from qpdf's JSON.
fn destinations(
    objects: &serde_json::Map<String, serde_json::Value>,
    pages: &[String],
) -> std::collections::HashMap<String, usize> {
    let catalog = objects
        .values()
        .find(|v| v["/Type"] == "/Catalog")
        .expect("catalog");
    let mut out = std::collections::HashMap::new();
    fn node<'a>(
        v: &'a serde_json::Value,
        objects: &'a serde_json::Map<String, serde_json::Value>,
    ) -> &'a serde_json::Value {
        v.as_str().and_then(|r| objects.get(r)).unwrap_or(v)
    }
    let mut stack = vec![node(&catalog["/Names"], objects)["/Dests"].clone()];
    while let Some(tree) = stack.pop() {
        let tree = node(&tree, objects).clone();
        for kid in tree["/Kids"].as_array().into_iter().flatten() {
            stack.push(kid.clone());
        }
        let names = tree["/Names"].as_array().cloned().unwrap_or_default();
        for pair in names.chunks(2) {
            let name = pair[0].as_str().unwrap_or("").to_owned();
            let array = node(&pair[1], objects);
            let page = array[0]
                .as_str()
                .and_then(|p| pages.iter().position(|q| q == p))
                .expect("destination on a page");
            out.insert(name, page);
        }
    }
    out
}

/// Printed label of page `index` from the catalog's /PageLabels.
fn page_label(objects: &serde_json::Map<String, serde_json::Value>, index: usize) -> String {
    let catalog = objects
        .values()
        .find(|v| v["/Type"] == "/Catalog")
        .expect("catalog");
    let nums = catalog["/PageLabels"]["/Nums"]
        .as_array()
        .expect("page labels");
    let mut label = (index + 1).to_string();
    for pair in nums.chunks(2) {
        let start = pair[0].as_u64().unwrap_or(0) as usize;
        if start > index {
            break;
        }
        let n = pair[1]["/St"].as_u64().unwrap_or(1) as usize + index - start;
        label = match pair[1]["/S"].as_str() {
            Some("/r") => folio::pdf::layout::roman(n),
            Some("/D") => n.to_string(),
            _ => String::new(),
        };
    }
    label
}

#[test]
fn every_contents_entry_prints_the_label_of_the_page_its_link_opens() {
    let temp = tempfile::tempdir().expect("temp");
    let pdf = build_pdf(&fixture("kitchen-sink"), temp.path(), &[]);
    let json: serde_json::Value = serde_json::from_str(&tool(
        "qpdf",
        &[
            "--json=1",
            "--json-key=objects",
            "--json-key=pages",
            pdf.to_str().expect("path"),
        ],
    ))
    .expect("json");
    let objects = json["objects"].as_object().expect("objects");
    let pages: Vec<String> = json["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .map(|p| p["object"].as_str().unwrap_or("").to_owned())
        .collect();
    let dests = destinations(objects, &pages);
    let toc = dests["toc"];
    // Words of the contents page with their boxes (top-left origin).
    let xml = tool(
        "pdftotext",
        &[
            "-bbox",
            "-f",
            &(toc + 1).to_string(),
            "-l",
            &(toc + 1).to_string(),
            pdf.to_str().expect("path"),
            "-",
        ],
    );
    let words: Vec<(f32, f32, String)> = xml
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let attr = |name: &str| {
                l.split(&format!("{name}=\""))
                    .nth(1)?
                    .split('"')
                    .next()?
                    .parse::<f32>()
                    .ok()
            };
            let text = l.split('>').nth(1)?.split('<').next()?.to_owned();
            Some(((attr("yMin")? + attr("yMax")?) / 2.0, attr("xMin")?, text))
        })
        .collect();
    let page = &objects[&pages[toc]];
    let mut checked = 0;
    for annot in page["/Annots"].as_array().into_iter().flatten() {
        let annot = &objects[annot.as_str().expect("annotation reference")];
        let Some(dest) = annot["/Dest"].as_str() else {
            continue;
        };
        let rect: Vec<f32> = annot["/Rect"]
            .as_array()
            .expect("rect")
            .iter()
            .map(|v| v.as_f64().unwrap_or(0.0) as f32)
            .collect();
        let (top, bottom) = (648.0 - rect[3], 648.0 - rect[1]);
        // The number is the right-most word of the entry's last line.
        let last_line = words
            .iter()
            .filter(|(y, _, _)| *y > top && *y < bottom)
            .map(|(y, _, _)| *y)
            .fold(f32::MIN, f32::max);
        let printed = words
            .iter()
            .filter(|(y, _, _)| (*y - last_line).abs() < 1.0)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|w| w.2.clone())
            .unwrap_or_default();
        let target = dests
            .get(dest)
            .unwrap_or_else(|| panic!("link to `{dest}` has no destination"));
        assert_eq!(
            printed,
            page_label(objects, *target),
            "contents entry for {dest}"
        );
        checked += 1;
    }
    assert!(checked >= 10, "{checked} entries checked");
}

#[test]
fn every_outline_item_opens_the_page_that_shows_its_title() {
    let temp = tempfile::tempdir().expect("temp");
    let pdf = build_pdf(&fixture("kitchen-sink"), temp.path(), &[]);
    let json: serde_json::Value = serde_json::from_str(&tool(
        "qpdf",
        &[
            "--json=1",
            "--json-key=outlines",
            pdf.to_str().expect("path"),
        ],
    ))
    .expect("json");
    let mut items = Vec::new();
    let mut stack: Vec<serde_json::Value> =
        json["outlines"].as_array().cloned().unwrap_or_default();
    while let Some(item) = stack.pop() {
        stack.extend(item["kids"].as_array().cloned().unwrap_or_default());
        items.push((
            item["title"].as_str().unwrap_or("").to_owned(),
            item["destpageposfrom1"].as_u64().unwrap_or(0),
        ));
    }
    assert!(items.len() >= 12);
    for (title, page) in items {
        let text = tool(
            "pdftotext",
            &[
                "-f",
                &page.to_string(),
                "-l",
                &page.to_string(),
                pdf.to_str().expect("path"),
                "-",
            ],
        );
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let bare = title
            .split_once(". ")
            .filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
            .map_or(title.as_str(), |(_, t)| t);
        assert!(
            flat.contains(bare),
            "outline item `{title}` opens page {page}, which does not show it:\n{flat}"
        );
    }
}

#[test]
fn page_references_print_the_target_page_and_link_to_it() {
    let temp = tempfile::tempdir().expect("temp");
    let pdf = build_pdf(&fixture("kitchen-sink"), temp.path(), &[]);
    let json: serde_json::Value = serde_json::from_str(&tool(
        "qpdf",
        &[
            "--json=1",
            "--json-key=objects",
            "--json-key=pages",
            pdf.to_str().expect("path"),
        ],
    ))
    .expect("json");
    let objects = json["objects"].as_object().expect("objects");
    let pages: Vec<String> = json["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .map(|p| p["object"].as_str().unwrap_or("").to_owned())
        .collect();
    let target = destinations(objects, &pages)["prerequisites"];
    let text = tool("pdftotext", &[pdf.to_str().expect("path"), "-"]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let expected = format!(
        "the prerequisites are on page {}.",
        page_label(objects, target)
    );
    assert!(flat.contains(&expected), "`{expected}` not in the text");
    // In the EPUB the same reference is a link with the heading's title.
    let epub = common::build_epub(&fixture("kitchen-sink"), &temp.path().join("epub"));
    let preface = common::zip_text(&epub, "OEBPS/preface.xhtml");
    assert!(
        preface.contains("<a href=\"installing.xhtml#prerequisites\">Prerequisites</a>"),
        "{preface}"
    );
}

/// The PDF with its chapters set on `threads` threads, the messages the
/// build gave, and how many chapters were set on worker threads.
fn pdf_with_layout_threads(
    dir: &Path,
    profile: folio::pdf::Profile,
    threads: usize,
) -> (Vec<u8>, Vec<String>, usize) {
    render_pdf(
        dir,
        profile,
        |cache| cache.layout_threads = Some(threads),
        |cache| cache.last_layout().chapters_ahead,
    )
}

#[test]
fn chapters_laid_out_in_parallel_give_the_same_bytes() {
    // Every effect a chapter has on the rest of the book, in chapters that
    // different workers set: images used again later (numbered by first
    // use), footnotes (numbered in the store; one in a table cell, one
    // referring to another), the same missing character and the same
    // unknown HTML class in several chapters (warned once each), a chapter
    // in another language, a page reference, headings for the structure.
    let temp = tempfile::tempdir().expect("temp");
    let book = temp.path().join("book");
    let ks = fixture("kitchen-sink").join("src/images");
    let read = |name: &str| std::fs::read(ks.join(name)).expect("fixture image");
    let mut summary = String::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..14 {
        let mut text = String::new();
        if i == 6 {
            text.push_str("+++\nlang = \"fr\"\n+++\n\n");
        }
        text.push_str(&format!("# Chapter {i}\n\n## Part {i}.1 {{#sec-{i}}}\n\n"));
        for p in 0..(3 + i % 4) {
            text.push_str(&format!(
                "Paragraph {p} of chapter {i}: the functions scale out with \
                 concurrency, cold starts and provisioned throughput, which \
                 the next sections measure in detail.\n\n"
            ));
        }
        if i % 3 == 1 {
            text.push_str(&format!("A claim.[^n{i}] Another.[^m{i}]\n\n"));
            text.push_str(&format!("[^n{i}]: The note of {i}, see also.[^m{i}]\n"));
            text.push_str(&format!("[^m{i}]: The second note of {i}.\n\n"));
        }
        if i % 4 == 2 {
            text.push_str(&format!(
                "| a | b |\n|---|---|\n| cell[^t{i}] | 2 |\n\n[^t{i}]: In a cell.\n\n"
            ));
        }
        if i % 5 == 0 {
            text.push_str("![Chart](chart.png)\n\n");
        }
        if i % 5 == 3 {
            text.push_str("![Pipeline](pipeline.svg)\n\n");
        }
        if i == 3 || i == 11 {
            text.push_str(
                "An odd sign: \u{1F6C8}.\n\n<div class=\"sidebar\">\n\nAside.\n\n</div>\n\n",
            );
        }
        if i >= 12 {
            // Set again on every pass once the page numbers are known, on
            // the workers too.
            text.push_str("As shown on page [{page}](ch2.md#sec-2).\n\n");
        }
        text.push_str("```python\ndef handler(event, context):\n    return {\"ok\": True}\n```\n");
        summary.push_str(&format!("- [Chapter {i}](ch{i}.md)\n"));
        files.push((format!("src/ch{i}.md"), text.into_bytes()));
    }
    files.push(("src/SUMMARY.md".into(), summary.into_bytes()));
    files.push(("src/chart.png".into(), read("chart.png")));
    files.push(("src/pipeline.svg".into(), read("pipeline.svg")));
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    common::write_book(&book, common::BOOK_TOML, &files);
    for profile in [folio::pdf::Profile::Print, folio::pdf::Profile::Screen] {
        let (serial, serial_messages, none) = pdf_with_layout_threads(&book, profile, 1);
        let (parallel, parallel_messages, ahead) = pdf_with_layout_threads(&book, profile, 4);
        assert_eq!(none, 0, "{profile:?}: one thread set chapters ahead");
        // Every chapter once, and the two with page references again.
        assert!(
            ahead >= 16,
            "{profile:?}: {ahead} chapters set by the workers"
        );
        assert_eq!(serial_messages, parallel_messages, "{profile:?}: messages");
        assert!(
            serial_messages
                .iter()
                .filter(|m| m.contains("U+1F6C8"))
                .count()
                == 1,
            "{profile:?}: {serial_messages:#?}"
        );
        assert!(
            serial == parallel,
            "{profile:?}: a parallel layout changes the PDF"
        );
    }
}

/// The print page map the layout hands the EPUB before decorating the
/// pages is the one the finished pages give: on the kitchen sink (images,
/// notes, tables, the contents) in both profiles (the screen one opens with
/// a cover page outside the numbering).
#[test]
fn the_print_page_map_given_early_is_the_finished_pages_map() {
    use folio::backend::Backend;
    for profile in [folio::pdf::Profile::Print, folio::pdf::Profile::Screen] {
        let mut loaded = common::Loaded::new(&fixture("kitchen-sink"));
        let slot = folio::pagemap::PageMapSlot::default();
        let (mut cx, sink) = loaded.cx();
        let doc = folio::pdf::layout(&cx, profile, sink, None).expect("lays out");
        let finished = folio::pdf::print_pages(&doc, cx.book);
        assert!(!finished.pages.is_empty() && !finished.anchors.is_empty());
        cx.print_pages = Some(&slot);
        // Render with a slot: the layout puts its early map first (only the
        // first put counts), the backend its map of the pages afterwards.
        folio::pdf::PdfBackend::new(profile)
            .render(&cx, sink)
            .expect("renders");
        let early = slot.wait().expect("a map");
        assert_eq!(*early, finished, "{profile:?}");
    }
}
