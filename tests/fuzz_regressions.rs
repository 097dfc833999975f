//! Regression tests for what the fuzz targets (`fuzz/`, see the README's
//! Fuzzing section) found: each crash or hang, reduced to a named input. The
//! fuzz inputs themselves are kept as seeds in `fuzz/seeds/<target>/`.
//!
//! Findings so far:
//! - `epub/code-token-ends-before-start`: [`code_token_ending_before_it_starts`];
//! - `epub` with the well-formedness check (every XML part of the EPUB
//!   must parse): `]]>` in raw HTML text, and a NUL in a heading's title or
//!   id, reached the XHTML and the NCX — [`cdata_end_in_raw_html_is_escaped`],
//!   [`nul_in_heading_title_and_id_keeps_the_ncx_well_formed`]
//!   (`epub/nul-in-anchor-breaks-ncx`);
//! - `pdf/header-only-pages` (timeout) and `pdf/header-only-pages-oom`: a
//!   table whose repeated header and first row fill a page looped forever in
//!   pagination — [`a_table_whose_rows_fill_pages_ends`] here, and the
//!   paginator unit test `a_repeated_table_header_alone_never_makes_a_page`;
//! - `svg/tiny-root-width`: an SVG 1e-30 wide (no viewBox) passed the checks
//!   and was scaled by 1e30 into numbers no PDF reader converts —
//!   [`an_svg_too_narrow_to_scale_is_refused`];
//! - `svg/infinite-view-box`: a viewBox of `0 0 2e2 inf` passed the loader
//!   (Rust reads `inf` as a number) and failed in the writer —
//!   [`an_infinite_view_box_is_no_size`];
//! - `font/many-subtables-slow` (timeouts): a character map of dozens of
//!   subtables, each claiming all of Unicode, made every code point a search
//!   through all of them — [`a_character_map_claiming_unicode_many_times_loads_quickly`].

#[allow(dead_code, reason = "the font helpers only")]
#[path = "hostile_attack/mod.rs"]
mod hostile_attack;

use folio::backend::{Backend, RenderContext};
use folio::config::BookConfig;
use folio::diag::{Sink, Span};
use folio::ir::{Block, BlockKind, Book, Chapter, CodeToken, Role, TokenClass};
use folio::source::{SourceId, Sources};

fn span() -> Span {
    Span::new(SourceId(0), 0, 1)
}

/// A one-chapter book holding `blocks`.
fn book(blocks: Vec<Block>) -> Book {
    Book {
        meta: folio::ir::Metadata {
            title: "T".into(),
            language: "en".into(),
            slug: "t".into(),
            ..Default::default()
        },
        chapters: vec![Chapter {
            id: "c".into(),
            title: Vec::new(),
            role: Role::Chapter,
            depth: 0,
            title_heading: false,
            number: Some(1),
            blocks,
            notes: Vec::new(),
            span: span(),
            lang: None,
            dir: None,
        }],
        assets: Vec::new(),
    }
}

/// Every XML part of an EPUB (XHTML, OPF, NCX) parses.
fn assert_well_formed(epub: &[u8]) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).expect("a zip");
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("an entry");
        let name = entry.name().to_owned();
        if !(name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".ncx")) {
            continue;
        }
        let mut text = String::new();
        std::io::Read::read_to_string(&mut entry, &mut text).expect("UTF-8");
        let opts = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        if let Err(e) = roxmltree::Document::parse_with_options(&text, opts) {
            panic!("{name} is not well-formed: {e}");
        }
    }
}

/// Renders `book` as EPUB and lays it out and writes it as PDF.
fn render_both(book: &Book) {
    let config = BookConfig::default();
    let mut sources = Sources::new("/fuzz");
    sources.add("/fuzz/ch.md", "x\n".repeat(10));
    let root = std::env::temp_dir();
    let cx = RenderContext {
        book,
        config: &config,
        root: &root,
        sources: &sources,
        date: 0,
        print_pages: None,
    };
    let mut sink = Sink::new();
    let epub = folio::epub::EpubBackend
        .render(&cx, &mut sink)
        .expect("the EPUB renders");
    assert!(epub.bytes.starts_with(b"PK"));
    assert_well_formed(&epub.bytes);
    let doc =
        folio::pdf::layout(&cx, folio::pdf::Profile::Print, &mut sink).expect("the book lays out");
    let pdf = folio::pdf::write::write_pdf(&doc).unwrap_or_else(|e| panic!("{e}"));
    assert!(pdf.bytes.starts_with(b"%PDF-"));
}

/// fuzz/seeds/epub/code-token-ends-before-start: a highlighted range whose
/// end lies before its start made the XHTML writer slice backwards.
#[test]
fn code_token_ending_before_it_starts() {
    let code = Block {
        kind: BlockKind::Code {
            lang: Some("python".into()),
            text: "<&>\"' <&>\"' <&>\"' <&>\"'\n".into(),
            tokens: vec![
                CodeToken {
                    class: TokenClass::Keyword,
                    start: 19,
                    end: 7,
                },
                CodeToken {
                    class: TokenClass::String,
                    start: 2,
                    end: 400,
                },
            ],
        },
        span: span(),
    };
    render_both(&book(vec![code]));
}

/// fuzz/seeds/pdf/header-only-pages: table rows of half a page each, the last
/// kept with the one before, under a header repeated on every page.
#[test]
fn a_table_whose_rows_fill_pages_ends() {
    use folio::ir::{Align, Cell, Inline, InlineKind, Table};
    let cell = |text: &str| Cell {
        content: vec![Inline {
            kind: InlineKind::Text(text.to_owned()),
            span: span(),
        }],
        span: span(),
    };
    // Cells of 150 words in a narrow column: rows of most of a page.
    let tall = "word ".repeat(150);
    let table = Table {
        align: vec![Align::None; 3],
        head: vec![cell("A"), cell("B"), cell("C")],
        rows: (0..4)
            .map(|_| vec![cell(&tall), cell("x"), cell(&tall)])
            .collect(),
    };
    let started = std::time::Instant::now();
    render_both(&book(vec![Block {
        kind: BlockKind::Table(table),
        span: span(),
    }]));
    assert!(started.elapsed().as_secs() < 30);
}

/// Found by the `epub` target once it checked well-formedness: raw HTML text
/// holding `]]>`, which XML forbids outside CDATA, went through as is. Raw
/// HTML is now read into nodes, whose text the writer escapes; the same
/// input, and text in every kind of HTML node, must stay well-formed.
#[test]
fn cdata_end_in_raw_html_is_escaped() {
    let body = folio::parse::markdown::parse(
        folio::source::SourceId(0),
        "<p>a ]]> b</p>\n\n<div class=\"x]]>\" title=\"]]>\">\n\n]]> <kbd>]]></kbd>\n\n</div>\n\n<details><summary>]]></summary>]]></details>\n",
        0,
        true,
    );
    assert!(body.blocks.len() >= 3, "{:?}", body.blocks);
    render_both(&book(body.blocks));
}

/// fuzz/seeds/epub/nul-in-anchor-breaks-ncx: a NUL in a heading's text and
/// id went into the navigation's titles and links, making the NCX (written
/// by epub-builder, which escapes markup but not control characters)
/// unreadable.
#[test]
fn nul_in_heading_title_and_id_keeps_the_ncx_well_formed() {
    use folio::ir::{Inline, InlineKind};
    let heading = |text: &str, id: &str| Block {
        kind: BlockKind::Heading {
            level: 2,
            id: id.into(),
            classes: Vec::new(),
            content: vec![Inline {
                kind: InlineKind::Text(text.into()),
                span: span(),
            }],
        },
        span: span(),
    };
    let mut b = book(vec![heading("Ti\0tle", "a\0b"), heading("\0", "c\0d")]);
    b.chapters[0].title = vec![Inline {
        kind: InlineKind::Text("Chap\0ter \u{1e}".into()),
        span: span(),
    }];
    b.meta.title = "Bo\0ok".into();
    render_both(&b);
}

#[test]
fn an_svg_too_narrow_to_scale_is_refused() {
    let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="1e-30" height="9999999"><g></g></svg>"#;
    let refused = folio::parse::assets::identify(svg).expect_err("refused");
    assert!(refused.contains("too small to scale"), "{refused}");
    // The writer refuses it too, whatever passed before it.
    let converted = folio::pdf::write::check_svg(svg, &[]);
    assert!(converted.is_err(), "{converted:?}");
}

#[test]
fn an_infinite_view_box_is_no_size() {
    for svg in [
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2e2 inf"><circle r="1"/></svg>"#,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 inf 0.0001"><text font-size="0.0001">;</text></svg>"#,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 NaN 10"><g/></svg>"#,
    ] {
        let refused = folio::parse::assets::identify(svg.as_bytes()).expect_err(svg);
        assert!(
            refused.contains("neither width/height nor a viewBox"),
            "{refused}"
        );
    }
}

#[test]
fn a_character_map_claiming_unicode_many_times_loads_quickly() {
    use folio::pdf::layout::fonts::FontBook;
    let started = std::time::Instant::now();
    // 31 records pointing at one subtable whose group claims all of Unicode.
    let many = hostile_attack::with_table(
        hostile_attack::BASE_FONT,
        b"cmap",
        &hostile_attack::cmap12(31, &[(0, 0xFFFF_FFFF, 5)]),
    );
    let refused = FontBook::new()
        .load_bytes("many.ttf", many, 0)
        .expect_err("refused");
    assert!(refused.contains("claims more than"), "{refused}");
    // Twice is what a real font may claim: it loads.
    let twice = hostile_attack::with_table(
        hostile_attack::BASE_FONT,
        b"cmap",
        &hostile_attack::cmap12(2, &[(0x20, 0xFFFF_FFFF, 5)]),
    );
    assert!(FontBook::new().load_bytes("twice.ttf", twice, 0).is_ok());
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}
