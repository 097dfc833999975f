//! Tagged PDF (PDF/UA-1) and the EPUB's print page numbers, read back from
//! the files a build writes: the PDF through qpdf's JSON (objects and
//! decoded content streams), the EPUB as XHTML.
//!
//! On the sample, the kitchen sink and the generated benchmark book (a
//! small scale here; `FOLIO_TAGGED_SCALE=1` checks the whole one), in both
//! profiles: MarkInfo, every page's `/StructParents` and `/Tabs /S`,
//! headings in order, every Figure with `/Alt`, table cells TH or TD in rows,
//! every text-showing operator inside marked content with an MCID or an
//! artifact, each MCID claimed by the element the parent tree names, link
//! annotations in the tree with `/Contents`, the XMP's `pdfuaid:part`,
//! `DisplayDocTitle`. The EPUB built with it has one page-break marker per
//! printed page that begins in the text, labelled as printed, the page list
//! pointing at them, and the text after a marker is the text the PDF's
//! page begins with. On the multilingual fixture, text in another language
//! than the book's is a `/Span` with its `/Lang` inside its element's
//! marked content.

mod common;

#[path = "../examples/genbook.rs"]
mod genbook;

use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A PDF as qpdf sees it: every object by reference, content streams decoded.
struct Pdf {
    objects: HashMap<String, Value>,
    streams: HashMap<String, Vec<u8>>,
    root: Value,
    pages: Vec<String>,
}

impl Pdf {
    fn read(path: &Path) -> Pdf {
        let out = Command::new("qpdf")
            .args([
                "--json=2",
                "--json-key=qpdf",
                "--json-key=pages",
                "--decode-level=generalized",
                "--json-stream-data=inline",
            ])
            .arg(path)
            .output()
            .expect("qpdf runs");
        assert!(out.status.success(), "qpdf failed on {}", path.display());
        let json: Value = serde_json::from_slice(&out.stdout).expect("qpdf JSON");
        let mut objects = HashMap::new();
        let mut streams = HashMap::new();
        for (key, value) in json["qpdf"][1].as_object().expect("objects") {
            let Some(reference) = key.strip_prefix("obj:") else {
                continue;
            };
            if let Some(stream) = value.get("stream") {
                if let Some(data) = stream["data"].as_str() {
                    streams.insert(reference.to_owned(), base64(data));
                }
                objects.insert(reference.to_owned(), stream["dict"].clone());
            } else {
                objects.insert(reference.to_owned(), value["value"].clone());
            }
        }
        let trailer = &json["qpdf"][1]["trailer"]["value"];
        let root = objects[trailer["/Root"].as_str().expect("root")].clone();
        let pages = json["pages"]
            .as_array()
            .expect("pages")
            .iter()
            .map(|p| p["object"].as_str().expect("page ref").to_owned())
            .collect();
        Pdf {
            objects,
            streams,
            root,
            pages,
        }
    }

    /// An object, following a reference (`"12 0 R"`).
    fn get<'a>(&'a self, value: &'a Value) -> &'a Value {
        match value.as_str() {
            Some(r) if r.ends_with(" R") => &self.objects[r],
            _ => value,
        }
    }

    /// The decoded content of a page.
    fn content(&self, page: usize) -> Vec<u8> {
        let dict = &self.objects[&self.pages[page]];
        let refs: Vec<&str> = match &dict["/Contents"] {
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            Value::String(s) => vec![s.as_str()],
            _ => Vec::new(),
        };
        refs.iter()
            .flat_map(|r| self.streams.get(*r).cloned().unwrap_or_default())
            .collect()
    }

    /// The printed label of every page, from `/PageLabels`.
    fn labels(&self) -> Vec<String> {
        let mut ranges: Vec<(usize, String, usize)> = Vec::new();
        if let Some(nums) = self.get(&self.root["/PageLabels"])["/Nums"].as_array() {
            for pair in nums.chunks(2) {
                let start = pair[0].as_u64().expect("index") as usize;
                let d = self.get(&pair[1]);
                let style = d["/S"].as_str().unwrap_or("").to_owned();
                let first = d["/St"].as_u64().unwrap_or(1) as usize;
                ranges.push((start, style, first));
            }
        }
        (0..self.pages.len())
            .map(|i| {
                let Some((start, style, first)) = ranges.iter().rev().find(|r| r.0 <= i) else {
                    return (i + 1).to_string();
                };
                let n = first + i - start;
                match style.as_str() {
                    "/D" => n.to_string(),
                    "/r" => folio::pdf::layout::decorate::roman(n),
                    _ => String::new(),
                }
            })
            .collect()
    }
}

fn base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.bytes() {
        let Some(v) = ALPHABET.iter().position(|&a| a == c) else {
            continue;
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// A content-stream token: an operator, or an operand (with its MCID when
/// it is a property list holding one).
#[derive(Debug, PartialEq)]
enum Token {
    Op(String),
    Name(String),
    Mcid(i64),
    /// A property list's `/Lang` (a literal string).
    Lang(String),
    Other,
}

/// The tokens of a content stream (strings, arrays and dictionaries are
/// skipped as single operands; a dictionary with `/MCID n` gives its MCID,
/// one with `/Lang (tag)` its language).
fn tokens(data: &[u8]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    let delimiter = |b: u8| b.is_ascii_whitespace() || b"()<>[]{}/%".contains(&b);
    while i < data.len() {
        let b = data[i];
        if b.is_ascii_whitespace() {
            i += 1;
        } else if b == b'%' {
            while i < data.len() && data[i] != b'\n' {
                i += 1;
            }
        } else if b == b'(' {
            let mut depth = 0;
            while i < data.len() {
                match data[i] {
                    b'\\' => i += 1,
                    b'(' => depth += 1,
                    b')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            i += 1;
            out.push(Token::Other);
        } else if data[i..].starts_with(b"<<") {
            let start = i;
            let mut depth = 0;
            while i < data.len() {
                if data[i..].starts_with(b"<<") {
                    depth += 1;
                    i += 2;
                } else if data[i..].starts_with(b">>") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            let dict = String::from_utf8_lossy(&data[start..i]);
            let mcid = dict.split("/MCID").nth(1).and_then(|rest| {
                rest.trim_start()
                    .split(|c: char| !c.is_ascii_digit())
                    .next()
                    .and_then(|n| n.parse().ok())
            });
            let lang = dict.split("/Lang").nth(1).and_then(|rest| {
                let rest = rest.trim_start().strip_prefix('(')?;
                rest.split(')').next().map(str::to_owned)
            });
            out.push(mcid.map_or(Token::Other, Token::Mcid));
            if let Some(lang) = lang {
                out.push(Token::Lang(lang));
            }
        } else if b == b'<' {
            while i < data.len() && data[i] != b'>' {
                i += 1;
            }
            i += 1;
            out.push(Token::Other);
        } else if b == b'[' || b == b']' {
            i += 1;
        } else if b == b'/' {
            let start = i + 1;
            i += 1;
            while i < data.len() && !delimiter(data[i]) {
                i += 1;
            }
            out.push(Token::Name(
                String::from_utf8_lossy(&data[start..i]).into_owned(),
            ));
        } else {
            let start = i;
            while i < data.len() && !delimiter(data[i]) {
                i += 1;
            }
            let word = String::from_utf8_lossy(&data[start..i]).into_owned();
            if word.parse::<f64>().is_ok() {
                out.push(Token::Other);
            } else {
                out.push(Token::Op(word));
            }
            if i == start {
                i += 1;
            }
        }
    }
    out
}

/// What the marked content of one page says.
#[derive(Debug, Default)]
struct PageContent {
    /// MCIDs in order, with the tag of their sequence.
    mcids: Vec<(i64, String)>,
    /// Text-showing operators outside an MCID or artifact sequence.
    untagged_text: usize,
    /// Text-showing operators inside artifacts.
    artifact_text: usize,
    /// Text-showing operators inside MCID sequences.
    tagged_text: usize,
    /// Text-showing operators inside a `/Span` with a `/Lang`, by language.
    lang_text: BTreeMap<String, usize>,
}

/// Checks one page's content stream: marked content and text objects nest
/// properly, and every text-showing operator is inside an MCID sequence or
/// an artifact.
fn scan(data: &[u8]) -> PageContent {
    let mut page = PageContent::default();
    // Open marked-content sequences: (is artifact, has MCID, opened in BT).
    let mut open: Vec<(bool, bool, bool)> = Vec::new();
    // The languages of open `/Span`s (None: one without `/Lang`).
    let mut langs: Vec<Option<String>> = Vec::new();
    let mut in_text = false;
    let mut operands: Vec<Token> = Vec::new();
    for token in tokens(data) {
        let Token::Op(op) = token else {
            operands.push(token);
            continue;
        };
        match op.as_str() {
            "BDC" | "BMC" => {
                let tag = operands.iter().find_map(|t| match t {
                    Token::Name(n) => Some(n.clone()),
                    _ => None,
                });
                let mcid = operands.iter().find_map(|t| match t {
                    Token::Mcid(m) => Some(*m),
                    _ => None,
                });
                let lang = operands.iter().find_map(|t| match t {
                    Token::Lang(l) => Some(l.clone()),
                    _ => None,
                });
                let tag = tag.expect("marked content has a tag");
                if let Some(m) = mcid {
                    page.mcids.push((m, tag.clone()));
                }
                if tag == "Span" {
                    // A language span: inside its element's sequence (or an
                    // artifact), never a structure-less island.
                    assert!(
                        mcid.is_none() && open.iter().any(|o| o.0 || o.1),
                        "a /Span outside its element's marked content"
                    );
                    langs.push(lang);
                } else {
                    langs.push(None);
                }
                open.push((tag == "Artifact", mcid.is_some(), in_text));
            }
            "EMC" => {
                langs.pop();
                let (_, _, began_in_text) = open.pop().expect("EMC closes a sequence");
                assert_eq!(
                    began_in_text, in_text,
                    "a marked-content sequence crosses a text object"
                );
            }
            "BT" => {
                assert!(!in_text, "BT inside a text object");
                in_text = true;
            }
            "ET" => {
                assert!(
                    open.last().is_none_or(|o| !o.2),
                    "ET inside a sequence begun in the text object"
                );
                in_text = false;
            }
            "Tj" | "TJ" | "'" | "\"" => {
                let artifact = open.iter().any(|o| o.0);
                let tagged = open.iter().any(|o| o.1);
                if let Some(Some(lang)) = langs.last() {
                    *page.lang_text.entry(lang.clone()).or_default() += 1;
                }
                if artifact {
                    page.artifact_text += 1;
                } else if tagged {
                    page.tagged_text += 1;
                } else {
                    page.untagged_text += 1;
                }
            }
            _ => {}
        }
        operands.clear();
    }
    assert!(open.is_empty(), "a marked-content sequence is left open");
    assert!(!in_text, "a text object is left open");
    page
}

/// An element of the structure tree, read back.
#[derive(Debug)]
struct Elem {
    role: String,
    reference: String,
    children: Vec<Elem>,
    /// (page index, MCID) of the marked content it owns.
    mcids: Vec<(usize, i64)>,
    /// Annotations it owns.
    annots: Vec<String>,
    alt: Option<String>,
    lang: Option<String>,
}

fn read_tree(pdf: &Pdf) -> Elem {
    let page_index: HashMap<&str, usize> = pdf
        .pages
        .iter()
        .enumerate()
        .map(|(i, r)| (r.as_str(), i))
        .collect();
    let root_ref = pdf.root["/StructTreeRoot"]
        .as_str()
        .expect("/StructTreeRoot");
    let root = pdf.get(&pdf.root["/StructTreeRoot"]);
    assert_eq!(root["/Type"], "/StructTreeRoot");
    fn walk(pdf: &Pdf, reference: &str, pages: &HashMap<&str, usize>, depth: usize) -> Elem {
        assert!(depth < 200, "the structure tree is too deep (a cycle?)");
        let e = &pdf.objects[reference];
        let page = e["/Pg"].as_str().and_then(|p| pages.get(p).copied());
        let mut elem = Elem {
            role: e["/S"]
                .as_str()
                .unwrap_or("")
                .trim_start_matches('/')
                .to_owned(),
            reference: reference.to_owned(),
            children: Vec::new(),
            mcids: Vec::new(),
            annots: Vec::new(),
            alt: e["/Alt"]
                .as_str()
                .map(|a| a.trim_start_matches("u:").to_owned()),
            lang: e["/Lang"]
                .as_str()
                .map(|l| l.trim_start_matches("u:").to_owned()),
        };
        let kids: Vec<Value> = match &e["/K"] {
            Value::Array(a) => a.clone(),
            Value::Null => Vec::new(),
            other => vec![other.clone()],
        };
        for kid in kids {
            match kid {
                Value::Number(n) => elem.mcids.push((
                    page.expect("an element with MCIDs names its page"),
                    n.as_i64().expect("MCID"),
                )),
                Value::String(r) => elem.children.push(walk(pdf, &r, pages, depth + 1)),
                Value::Object(d) if d.contains_key("/MCID") => elem.mcids.push((
                    pages[d["/Pg"].as_str().expect("MCR page")],
                    d["/MCID"].as_i64().expect("MCID"),
                )),
                Value::Object(d) if d.get("/Type").and_then(Value::as_str) == Some("/OBJR") => elem
                    .annots
                    .push(d["/Obj"].as_str().expect("OBJR object").to_owned()),
                other => panic!("unexpected kid {other}"),
            }
        }
        elem
    }
    let kids = match &root["/K"] {
        Value::Array(a) => a.clone(),
        other => vec![other.clone()],
    };
    assert_eq!(kids.len(), 1, "the tree has one root element");
    let document = walk(pdf, kids[0].as_str().expect("ref"), &page_index, 0);
    assert_eq!(document.role, "Document");
    let _ = root_ref;
    document
}

fn each<'a>(elem: &'a Elem, f: &mut dyn FnMut(&'a Elem, Option<&'a Elem>)) {
    fn go<'a>(
        e: &'a Elem,
        parent: Option<&'a Elem>,
        f: &mut dyn FnMut(&'a Elem, Option<&'a Elem>),
    ) {
        f(e, parent);
        for c in &e.children {
            go(c, Some(e), f);
        }
    }
    go(elem, None, f);
}

/// Every PDF/UA check the issue lists; returns the document element.
fn check_tagged(pdf_path: &Path) -> (Pdf, Elem, Vec<PageContent>) {
    let pdf = Pdf::read(pdf_path);
    let name = pdf_path.display();
    assert_eq!(pdf.root["/MarkInfo"]["/Marked"], true, "{name}: MarkInfo");
    assert_eq!(
        pdf.get(&pdf.root["/ViewerPreferences"])["/DisplayDocTitle"],
        true,
        "{name}: DisplayDocTitle"
    );
    assert!(
        pdf.root["/Lang"].as_str().is_some_and(|l| l.len() > 2),
        "{name}: /Lang"
    );
    let xmp = pdf.root["/Metadata"].as_str().expect("XMP");
    let xmp = String::from_utf8_lossy(&pdf.streams[xmp]).into_owned();
    assert!(
        xmp.contains("<pdfuaid:part>1</pdfuaid:part>") && xmp.contains("dc:title"),
        "{name}: XMP declares PDF/UA-1"
    );
    let tree = read_tree(&pdf);

    // Parent tree: page key → the element of each MCID.
    let root = pdf.get(&pdf.root["/StructTreeRoot"]);
    let nums = pdf.get(&root["/ParentTree"])["/Nums"]
        .as_array()
        .expect("flat parent tree")
        .clone();
    let mut parents: HashMap<i64, Value> = HashMap::new();
    for pair in nums.chunks(2) {
        parents.insert(pair[0].as_i64().expect("key"), pair[1].clone());
    }
    let mut owner: HashMap<(usize, i64), String> = HashMap::new();
    let mut annot_owner: HashMap<String, String> = HashMap::new();
    each(&tree, &mut |e, _| {
        for &m in &e.mcids {
            assert!(
                owner.insert(m, e.reference.clone()).is_none(),
                "{name}: MCID {m:?} claimed twice"
            );
        }
        for a in &e.annots {
            annot_owner.insert(a.clone(), e.reference.clone());
        }
    });

    let mut contents = Vec::new();
    for (i, page_ref) in pdf.pages.iter().enumerate() {
        let page = &pdf.objects[page_ref];
        assert_eq!(page["/Tabs"], "/S", "{name}: page {} /Tabs", i + 1);
        let key = page["/StructParents"]
            .as_i64()
            .unwrap_or_else(|| panic!("{name}: page {} has no /StructParents", i + 1));
        let content = scan(&pdf.content(i));
        assert_eq!(
            content.untagged_text,
            0,
            "{name}: page {} shows text outside marked content",
            i + 1
        );
        let listed = parents
            .get(&key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            listed.len(),
            content.mcids.len(),
            "{name}: page {}: parent tree entries for its MCIDs",
            i + 1
        );
        for (n, (mcid, _)) in content.mcids.iter().enumerate() {
            assert_eq!(*mcid, n as i64, "{name}: page {}: MCIDs in order", i + 1);
            assert_eq!(
                owner.get(&(i, *mcid)).map(String::as_str),
                listed[n].as_str(),
                "{name}: page {} MCID {mcid}: the parent tree names its element",
                i + 1
            );
        }
        for annot in page["/Annots"].as_array().into_iter().flatten() {
            let r = annot.as_str().expect("annotation ref");
            let a = &pdf.objects[r];
            assert!(
                a["/Contents"].as_str().is_some_and(|c| c.len() > 2),
                "{name}: page {}: link without /Contents",
                i + 1
            );
            let key = a["/StructParent"]
                .as_i64()
                .expect("annotation /StructParent");
            assert_eq!(
                parents.get(&key).and_then(Value::as_str),
                annot_owner.get(r).map(String::as_str),
                "{name}: annotation {r} is its Link's"
            );
        }
        contents.push(content);
    }

    // Headings in order, figures described, tables made of rows of cells.
    let mut last = 0u8;
    let mut headings = 0;
    each(&tree, &mut |e, parent| {
        if let Some(level) = e.role.strip_prefix('H').and_then(|l| l.parse::<u8>().ok()) {
            assert!(
                level <= last + 1,
                "{name}: H{level} follows H{last} (heading levels skip)"
            );
            last = level;
            headings += 1;
            // Not empty (pdfua's UA-14-001 is skipped on MCID arrays).
            let mut content = !e.mcids.is_empty();
            each(e, &mut |d, _| content |= !d.mcids.is_empty());
            assert!(content, "{name}: an empty H{level}");
        }
        match e.role.as_str() {
            "Figure" => assert!(
                e.alt.as_deref().is_some_and(|a| !a.trim().is_empty()),
                "{name}: a Figure without /Alt"
            ),
            "TR" => {
                assert!(
                    parent.is_some_and(
                        |p| ["Table", "THead", "TBody", "TFoot"].contains(&p.role.as_str())
                    ),
                    "{name}: TR outside a table"
                );
                assert!(
                    !e.children.is_empty()
                        && e.children.iter().all(|c| c.role == "TH" || c.role == "TD"),
                    "{name}: a table row holds something other than TH/TD cells"
                );
            }
            "TH" | "TD" => assert!(
                parent.is_some_and(|p| p.role == "TR"),
                "{name}: cell outside a row"
            ),
            "LI" => assert!(
                parent.is_some_and(|p| p.role == "L"),
                "{name}: LI outside a list"
            ),
            "Lbl" | "LBody" => assert!(parent.is_some_and(|p| p.role == "LI")),
            "TOCI" => assert!(parent.is_some_and(|p| p.role == "TOC")),
            "Link" => assert!(
                !e.annots.is_empty(),
                "{name}: a Link without its annotation"
            ),
            _ => {}
        }
    });
    assert!(headings > 0, "{name}: no headings");
    (pdf, tree, contents)
}

/// Builds `book` (both formats) into `out` and returns (pdf, epub).
fn build(book: &Path, out: &Path, profile: &str) -> (PathBuf, PathBuf) {
    let output = common::folio(&[
        "build",
        &book.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
        "--profile",
        profile,
    ]);
    assert!(
        output.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let find = |ext: &str| {
        std::fs::read_dir(out)
            .expect("out")
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == ext))
            .expect("artifact")
    };
    (find("pdf"), find("epub"))
}

/// The words of a string: runs of letters and digits (punctuation and
/// markup boundaries split words the same way in both formats).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Parses XHTML (which has a doctype).
fn parse_xhtml(text: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, options).expect("XHTML parses")
}

/// The EPUB's page-break markers (label → chapter file) and its page list.
struct EpubPages {
    /// label → (file, the first words after the marker)
    markers: BTreeMap<String, (String, Vec<String>)>,
    list: Vec<(String, String)>,
    opf: String,
}

fn epub_pages(epub: &Path) -> EpubPages {
    let nav = common::zip_text(epub, "OEBPS/nav.xhtml");
    let doc = parse_xhtml(&nav);
    let mut list = Vec::new();
    for nav in doc.descendants().filter(|n| n.has_tag_name("nav")) {
        let kind = nav.attribute(("http://www.idpf.org/2007/ops", "type"));
        if kind == Some("page-list") {
            for a in nav.descendants().filter(|n| n.has_tag_name("a")) {
                list.push((
                    a.attribute("href").expect("href").to_owned(),
                    a.text().unwrap_or("").to_owned(),
                ));
            }
        }
    }
    let mut markers = BTreeMap::new();
    for file in common::zip_names(epub) {
        if !file.ends_with(".xhtml") || file.ends_with("nav.xhtml") {
            continue;
        }
        let text = common::zip_text(epub, &file);
        let doc = parse_xhtml(&text);
        let nodes: Vec<_> = doc.descendants().collect();
        for (i, n) in nodes.iter().enumerate() {
            if n.attribute(("http://www.idpf.org/2007/ops", "type")) != Some("pagebreak") {
                continue;
            }
            assert_eq!(n.attribute("role"), Some("doc-pagebreak"));
            let label = n.attribute("aria-label").expect("labelled").to_owned();
            assert_eq!(n.attribute("id"), Some(format!("page-{label}").as_str()));
            // The text that follows the marker in document order (the
            // notes at the chapter's end aside).
            let mut after = String::new();
            for m in &nodes[i + 1..] {
                if m.is_text()
                    && !m.ancestors().any(|a| {
                        a.attribute(("http://www.idpf.org/2007/ops", "type")) == Some("footnote")
                    })
                {
                    after.push_str(m.text().unwrap_or(""));
                    after.push(' ');
                    if after.len() > 400 {
                        break;
                    }
                }
            }
            let name = file.trim_start_matches("OEBPS/").to_owned();
            assert!(
                markers
                    .insert(label.clone(), (name, words(&after)))
                    .is_none(),
                "page {label} marked twice"
            );
        }
    }
    EpubPages {
        markers,
        list,
        opf: common::zip_text(epub, "OEBPS/content.opf"),
    }
}

/// The words of every PDF page below the running heads.
fn page_words(pdf: &Path) -> Vec<Vec<String>> {
    let style = folio::pdf::style::PrintStyle::default();
    let top = (style.page.margin_top.0 - 2.0).max(0.0);
    let out = Command::new("pdftotext")
        .args(["-x", "0", "-y"])
        .arg(format!("{top:.0}"))
        .args(["-W", "2000", "-H", "2000", "-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    String::from_utf8_lossy(&out.stdout)
        .split('\u{c}')
        .map(words)
        .collect()
}

/// The page-list checks: one marker per printed page that begins in the
/// text, labelled as printed, listed in print order, and the text after
/// each sampled marker being the text its page begins with.
fn check_page_list(pdf_path: &Path, epub: &Path, pdf: &Pdf, tree: &Elem, contents: &[PageContent]) {
    let name = epub.display();
    let pages = epub_pages(epub);
    assert!(
        pages.opf.contains("<meta property=\"pageBreakSource\">"),
        "{name}: pageBreakSource"
    );
    assert!(
        pages.opf.contains(">printPageNumbers<"),
        "{name}: printPageNumbers"
    );
    // Pages that begin in the text: pages with tagged content of a chapter
    // (a section that opens with its title heading), not only of the pages
    // layout makes (cover, half-title, title and copyright pages: sections
    // without a heading; the contents).
    let mut generated_pages = HashSet::new();
    for sect in &tree.children {
        let chapter = sect
            .children
            .first()
            .is_some_and(|c| c.role.starts_with('H'))
            && !sect.children.iter().any(|c| c.role == "TOC");
        if !chapter {
            each(sect, &mut |e, _| {
                generated_pages.extend(e.mcids.iter().map(|&(p, _)| p));
            });
        }
    }
    let labels = pdf.labels();
    let expected: Vec<String> = (0..pdf.pages.len())
        .filter(|&i| !contents[i].mcids.is_empty() && !generated_pages.contains(&i))
        .map(|i| labels[i].clone())
        .collect();
    let listed: Vec<String> = pages.list.iter().map(|(_, l)| l.clone()).collect();
    assert_eq!(
        listed, expected,
        "{name}: one page-list entry per page beginning in the text"
    );
    for (href, label) in &pages.list {
        let (file, _) = pages
            .markers
            .get(label)
            .unwrap_or_else(|| panic!("{name}: page {label} is listed but not marked"));
        assert_eq!(
            href,
            &format!("{file}#page-{label}"),
            "{name}: page-list target"
        );
    }
    assert_eq!(
        pages.markers.len(),
        pages.list.len(),
        "{name}: every marker listed"
    );
    // The text after each marker is the text its page begins with (the
    // first words; a page opening with the end of a hyphenated word shows
    // the whole word in the EPUB).
    let index_of: HashMap<&str, usize> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    let printed_pages = page_words(pdf_path);
    let (mut same, mut total) = (0, 0);
    let mut elsewhere = Vec::new();
    for (label, (_, after)) in &pages.markers {
        let printed = &printed_pages[index_of[label.as_str()]];
        // Drawn before the page's text but not part of it: a listing's
        // "(continued)" cue, a list item's number.
        let lead = printed
            .iter()
            .take(2)
            .take_while(|w| *w == "continued" || w.chars().all(|c| c.is_ascii_digit()))
            .count();
        let printed = &printed[lead..];
        let want: Vec<&String> = after.iter().take(3).collect();
        if want.is_empty() {
            continue;
        }
        total += 1;
        // The page may open with the end of a word broken on the page
        // before (`charac-terize`, `build_context`, `open_token_event`):
        // the marker stands before the whole word (up to three parts in
        // `words`), whose last part the page begins with.
        let begins = (0..4).any(|skip| {
            let tail: Vec<&String> = after.iter().skip(skip).take(3).collect();
            printed.len() >= tail.len()
                && !tail.is_empty()
                && tail[0].ends_with(printed[0].as_str())
                && tail[1..].iter().zip(&printed[1..]).all(|(a, b)| *a == b)
        });
        // A page may open with a figure that floated there, or its table's
        // repeated header (and pdftotext reads table cells in its own
        // order, a word hyphenated in a narrow cell in two parts on two
        // of its lines): the marker's words are then among the page's first.
        let first: Vec<&String> = printed.iter().take(80).collect();
        let among = |w: &&String| {
            first.contains(w)
                || first.iter().any(|head| {
                    w.strip_prefix(head.as_str())
                        .is_some_and(|rest| !rest.is_empty() && first.iter().any(|t| *t == rest))
                })
        };
        let further =
            first.iter().any(|p| want[0].ends_with(p.as_str())) && want[1..].iter().all(among);
        assert!(
            begins || further,
            "{name}: page {label} begins with {:?} in the PDF, the EPUB's marker is before {want:?}",
            &printed[..printed.len().min(8)]
        );
        same += usize::from(begins);
        if !begins {
            elsewhere.push(format!(
                "page {label}: {:?} / {want:?}",
                &printed[..printed.len().min(6)]
            ));
        }
    }
    assert!(total > 0);
    assert!(
        same * 10 >= total * 8,
        "{name}: only {same} of {total} markers stand before the words their page begins with: {elsewhere:#?}"
    );
}

/// A second opinion: the `pdfua` checker (PyPI; the machine-checkable part
/// of PDF/UA-1 it implements), when installed (`make test` installs it).
/// veraPDF, the reference checker, has no apt, pip or npm package.
fn pdfua_check(pdf: &Path) {
    let Ok(out) = Command::new("pdfua")
        .args(["check", "--format", "json"])
        .arg(pdf)
        .output()
    else {
        eprintln!("skipped: pdfua is not installed (pip install pdfua)");
        return;
    };
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("pdfua JSON: {}", String::from_utf8_lossy(&out.stdout)));
    let findings: Vec<String> = report
        .pointer("/files/0/findings")
        .or_else(|| report.pointer("/findings"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|f| f.to_string())
        .collect();
    assert!(
        out.status.success() && findings.is_empty(),
        "pdfua on {}: {findings:#?}",
        pdf.display()
    );
}

/// A book built and checked, its files kept while this lives.
struct Checked {
    _tmp: tempfile::TempDir,
    pdf: PathBuf,
    epub: PathBuf,
    tree: Elem,
    contents: Vec<PageContent>,
}

fn check_book(book: &Path, profile: &str) -> Checked {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (pdf_path, epub) = build(book, tmp.path(), profile);
    pdfua_check(&pdf_path);
    let (pdf, tree, contents) = check_tagged(&pdf_path);
    check_page_list(&pdf_path, &epub, &pdf, &tree, &contents);
    // The screen profile's page list differs only in its numbers: one
    // EPUBCheck run per book (it is the slow part).
    if profile == "print" {
        let (ok, messages) = common::epubcheck(&epub);
        assert!(ok && messages.is_empty(), "EPUBCheck: {messages:?}");
    }
    Checked {
        _tmp: tmp,
        pdf: pdf_path,
        epub,
        tree,
        contents,
    }
}

#[test]
fn text_in_another_language_is_a_span_with_its_lang() {
    // The German multilingual fixture: chapters in French, Japanese,
    // Arabic, Greek and Russian, an English <span lang> in the German one.
    // Each is marked `/Span <</Lang …>>` inside its element's sequence (the
    // scan checks the nesting); German text needs none (the catalog's).
    // A chapter in another language says so on its Sect as well.
    let checked = check_book(&common::fixture("multilingual"), "print");
    let (tree, contents) = (&checked.tree, &checked.contents);
    let mut sections = Vec::new();
    each(tree, &mut |e, _| {
        if e.role == "Sect" {
            sections.extend(e.lang.clone());
        }
    });
    assert_eq!(sections, ["fr", "ja", "ar", "el", "ru"]);
    let mut shown: BTreeMap<String, usize> = BTreeMap::new();
    for page in contents {
        for (lang, n) in &page.lang_text {
            *shown.entry(lang.clone()).or_default() += n;
        }
    }
    let langs: Vec<&str> = shown.keys().map(String::as_str).collect();
    assert_eq!(langs, ["ar", "el", "en", "fr", "ja", "ru"], "{shown:?}");

    // A page reference reads the same in both formats, in the book's
    // words ("S. 5" in this German book).
    let xhtml = common::zip_text(&checked.epub, "OEBPS/ch-01-deutsch.xhtml");
    let doc = parse_xhtml(&xhtml);
    let reference = doc
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .filter_map(|a| a.text())
        .find(|t| t.starts_with("S.\u{a0}"))
        .unwrap_or_else(|| panic!("no page reference in the EPUB:\n{xhtml}"))
        .to_owned();
    let pdf_text = Command::new("pdftotext")
        .args([checked.pdf.as_os_str(), "-".as_ref()])
        .output()
        .expect("pdftotext");
    let pdf_text = String::from_utf8_lossy(&pdf_text.stdout).replace('\u{a0}', " ");
    assert!(
        pdf_text.contains(&format!("auf {}.", reference.replace('\u{a0}', " "))),
        "the PDF does not print `{reference}`"
    );
}

#[test]
fn the_sample_is_tagged_and_its_epub_knows_the_print_pages() {
    let book = common::root().join("manuscript");
    check_book(&book, "print");
    check_book(&book, "screen");
}

#[test]
fn the_kitchen_sink_is_tagged_and_its_epub_knows_the_print_pages() {
    let book = common::fixture("kitchen-sink");
    check_book(&book, "print");
    check_book(&book, "screen");
}

#[test]
fn the_benchmark_book_is_tagged_and_its_epub_knows_the_print_pages() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let book = tmp.path().join("book");
    let scale = std::env::var("FOLIO_TAGGED_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.1);
    genbook::generate(&book, scale).expect("generates");
    check_book(&book, "print");
    check_book(&book, "screen");
}

#[test]
fn an_epub_built_alone_has_no_print_pages() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let book = common::fixture("kitchen-sink");
    let output = common::folio(&[
        "build",
        &book.to_string_lossy(),
        "--format",
        "epub",
        "--out",
        &tmp.path().to_string_lossy(),
        "--verbose",
    ]);
    assert!(output.status.success());
    // `--verbose` says why.
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("no print page numbers: build the PDF"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let epub = tmp.path().join("the-kitchen-sink.epub");
    let pages = epub_pages(&epub);
    assert!(pages.markers.is_empty() && pages.list.is_empty());
    assert!(!pages.opf.contains("pageBreakSource") && !pages.opf.contains("printPageNumbers"));
}

#[test]
fn content_streams_are_scanned_for_untagged_text() {
    // The scanner itself: text outside marked content is found, artifacts
    // and MCID sequences are told apart, improper nesting is caught.
    let page = scan(b"BT /F1 9 Tf [<0001>] TJ ET /P <</MCID 0>> BDC BT [<0002>] TJ ET EMC /Artifact BMC BT (x) Tj ET EMC");
    assert_eq!(
        (page.untagged_text, page.tagged_text, page.artifact_text),
        (1, 1, 1)
    );
    assert_eq!(page.mcids, vec![(0, "P".to_owned())]);
    let span = scan(b"/P <</MCID 0>> BDC BT /Span <</Lang (ja)>> BDC [<01>] TJ EMC ET EMC");
    assert_eq!(span.lang_text.get("ja"), Some(&1));
    let island = std::panic::catch_unwind(|| scan(b"BT /Span <</Lang (ja)>> BDC [<01>] TJ EMC ET"));
    assert!(island.is_err());
    let crossing = std::panic::catch_unwind(|| scan(b"BT /P <</MCID 0>> BDC [<01>] TJ ET EMC"));
    assert!(crossing.is_err());
}
