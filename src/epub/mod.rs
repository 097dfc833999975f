//! The EPUB 3 backend: IR → XHTML documents, navigation, package metadata,
//! zipped by epub-builder, with the metadata block and navigation document
//! finished by folio (`package::finish`).

pub(crate) mod accessibility;
pub(crate) mod css_check;
pub(crate) mod css_resources;
pub(crate) mod names;
pub(crate) mod nav;
pub(crate) mod package;
pub(crate) mod pages;
pub(crate) mod style;
pub(crate) mod xhtml;

use crate::backend::{Artifact, Backend, RenderContext};
use crate::diag::{DiagResult, Diagnostic, Failed, Sink};
use crate::ir::{Matter, Role};
use crate::typography::lang;
use epub_builder::{EpubBuilder, EpubContent, EpubVersion, ReferenceType, ZipLibrary};
use names::Names;

/// Renders a book as an EPUB 3 file (with an NCX for EPUB 2 readers).
pub struct EpubBackend;

/// [`EpubBackend`] for `folio watch`: keeps each chapter's zipped entry, so
/// a rebuild deflates only the chapters whose XHTML changed. The EPUB is
/// the same as a one-off build's.
#[derive(Debug, Default)]
pub struct KeepingEpubBackend {
    deflated: package::DeflateCache,
}

impl Backend for EpubBackend {
    fn name(&self) -> &'static str {
        "epub"
    }

    fn render(&self, cx: &RenderContext<'_>, sink: &mut Sink) -> DiagResult<Artifact> {
        artifact(cx, sink, None)
    }
}

impl Backend for KeepingEpubBackend {
    fn name(&self) -> &'static str {
        "epub"
    }

    fn render(&self, cx: &RenderContext<'_>, sink: &mut Sink) -> DiagResult<Artifact> {
        artifact(cx, sink, Some(&self.deflated))
    }
}

/// The EPUB artifact, with chapters zipped alone taken from `kept` where
/// it has them.
fn artifact(
    cx: &RenderContext<'_>,
    sink: &mut Sink,
    kept: Option<&package::DeflateCache>,
) -> DiagResult<Artifact> {
    let (bytes, print_pages) = render(cx, sink, kept)?;
    let details = vec![match print_pages {
        0 => "no print page numbers: build the PDF in the same run (--format all) for page-break markers and a page list".to_owned(),
        n => format!("{n} print page numbers (page-break markers and a page list from the PDF)"),
    }];
    Ok(Artifact {
        file_name: format!("{}.epub", cx.book.meta.slug),
        bytes,
        pages: None,
        stages: Vec::new(),
        details,
    })
}

/// The EPUB's bytes and how many print pages it marks.
fn render(
    cx: &RenderContext<'_>,
    sink: &mut Sink,
    kept: Option<&package::DeflateCache>,
) -> DiagResult<(Vec<u8>, usize)> {
    let book = cx.book;
    let meta = &book.meta;
    let labels = lang::labels(&meta.language);
    let names = Names::new(book);
    let stylesheet = style::stylesheet(cx, sink)?;

    let fail = |sink: &mut Sink, e: &dyn std::fmt::Display| {
        sink.push(
            Diagnostic::error(None, format!("could not assemble the EPUB: {e}"))
                .with_help("this is a bug in folio; please report it"),
        );
        Failed
    };
    let zip = ZipLibrary::new().map_err(|e| fail(sink, &e))?;
    let mut epub = EpubBuilder::new(zip).map_err(|e| fail(sink, &e))?;
    epub.epub_version(EpubVersion::V30);
    epub.set_lang(meta.language.clone());
    if lang::direction(&meta.language) == "rtl" {
        epub.epub_direction(epub_builder::PageDirection::Rtl);
    }
    epub.set_title(xhtml::xml_chars(&meta.title));
    epub.set_toc_name(labels.contents);
    epub.stylesheet(stylesheet.css.as_bytes())
        .map_err(|e| fail(sink, &e))?;
    // Resources and chapters go into epub-builder empty, their bytes into
    // `zipped` (see `add_resource`).
    let mut zipped = Zipped::default();
    for font in &stylesheet.fonts {
        let bytes = font.bytes.as_slice();
        add_resource(&mut epub, &mut zipped, &font.href, bytes, font.media_type)
            .map_err(|e| fail(sink, &e))?;
    }

    // Generated front pages, in the order a printed book has them.
    let mut generated = Vec::new();
    let has_role = |role: Role| book.chapters.iter().any(|c| c.role == role);
    if let Some(cover) = meta.cover {
        let asset = &book.assets[cover.0];
        let href = names.asset(cover);
        epub.add_cover_image(&href, asset.bytes.as_slice(), asset.media_type)
            .map_err(|e| fail(sink, &e))?;
        let page = pages::cover(meta, &href, &labels);
        epub.add_content(
            EpubContent::new("cover.xhtml", page.as_bytes())
                .title(labels.cover)
                .reftype(ReferenceType::Cover),
        )
        .map_err(|e| fail(sink, &e))?;
        generated.push(nav::Generated {
            title: labels.cover.to_owned(),
            href: "cover.xhtml".into(),
            landmark: "cover",
        });
    }
    if !has_role(Role::TitlePage) {
        let page = pages::title_page(meta, &labels);
        epub.add_content(
            EpubContent::new("titlepage.xhtml", page.as_bytes())
                .title(labels.title_page)
                .reftype(ReferenceType::TitlePage),
        )
        .map_err(|e| fail(sink, &e))?;
        generated.push(nav::Generated {
            title: labels.title_page.to_owned(),
            href: "titlepage.xhtml".into(),
            landmark: "titlepage",
        });
    }
    if !has_role(Role::Copyright) && meta.has_copyright_facts() {
        let page = pages::copyright(meta, &labels);
        epub.add_content(
            EpubContent::new("copyright.xhtml", page.as_bytes())
                .title(labels.copyright)
                .reftype(ReferenceType::Copyright),
        )
        .map_err(|e| fail(sink, &e))?;
        generated.push(nav::Generated {
            title: labels.copyright.to_owned(),
            href: "copyright.xhtml".into(),
            landmark: "copyright-page",
        });
    }

    // The print edition's pages, when this build lays out the PDF too.
    let print = cx.print_pages.and_then(crate::pagemap::PageMapSlot::wait);
    let (mut markers, page_list) = print_markers(book, &names, print.as_deref());
    let depth = cx.config.epub.toc_depth.max(1);
    let flat = nav::flat(book, &names, depth);
    let mut first_body = None;
    let pages: Vec<xhtml::PageMarkers> = flat
        .iter()
        .map(|item| xhtml::PageMarkers {
            by_block: markers.remove(&item.chapter).unwrap_or_default(),
            anchors: print.clone(),
        })
        .collect();
    // Each chapter's XHTML depends on the book alone: written on several
    // threads (in book order, whatever the threads' timing).
    let docs = crate::threads::parallel_map(&flat, 8, |i, item| {
        let chapter = &book.chapters[item.chapter];
        crate::breadcrumb::enter_source("epub", "writing the EPUB of", chapter.span.source);
        let body = xhtml::chapter(book, item.chapter, &names, &labels, &pages[i]);
        let body_type = match chapter.role.matter() {
            Matter::Front => "frontmatter",
            Matter::Body => "bodymatter",
            Matter::Back => "backmatter",
        };
        xhtml::document(
            chapter.language(meta),
            nav::direction(chapter, meta),
            &item.entry.title,
            body_type,
            &body,
        )
    });
    drop(pages);
    // The chapters go into epub-builder empty too.
    for (item, doc) in flat.iter().zip(docs) {
        let chapter = &book.chapters[item.chapter];
        let level = i32::try_from(item.level).unwrap_or(i32::MAX - 2) + 1;
        zipped.deflated.insert(
            format!("OEBPS/{}", names.chapter(item.chapter)),
            std::borrow::Cow::Owned(doc.into_bytes()),
        );
        let mut content = EpubContent::new(names.chapter(item.chapter), &[][..])
            .title(item.entry.title.clone())
            .level(level);
        for section in &item.entry.children {
            content = content.child(nav::to_builder(section, level + 1));
        }
        if chapter.role.matter() == Matter::Body && first_body.is_none() {
            first_body = Some(names.chapter(item.chapter).to_owned());
            content = content.reftype(ReferenceType::Text);
        }
        epub.add_content(content).map_err(|e| fail(sink, &e))?;
    }
    for (i, asset) in book.assets.iter().enumerate() {
        if meta.cover.map(|c| c.0) == Some(i) {
            continue;
        }
        let href = names.asset(crate::ir::AssetId(i));
        let bytes = asset.bytes.as_slice();
        add_resource(&mut epub, &mut zipped, &href, bytes, asset.media_type)
            .map_err(|e| fail(sink, &e))?;
    }

    crate::breadcrumb::enter("epub", "assembling the EPUB", None);
    let mut raw = Vec::new();
    epub.generate(&mut raw).map_err(|e| fail(sink, &e))?;
    let mut a11y = accessibility::assess(book, true);
    let page_source = (!page_list.is_empty()).then(|| print_source(meta));
    if page_source.is_some() {
        a11y.features.push("printPageNumbers");
        a11y.features.push("pageNavigation");
        a11y.summary.push_str(
            " Page break markers and a page list give the page numbers of the print edition.",
        );
    }
    let metadata = package::metadata_xml(meta, &a11y, cx.date, meta.cover.is_some());
    let metadata = match &page_source {
        Some(source) => metadata.replace(
            "\n  </metadata>",
            &format!(
                "\n    <meta property=\"pageBreakSource\">{}</meta>\n  </metadata>",
                xhtml::escape(source)
            ),
        ),
        None => metadata,
    };
    let nav_doc = nav::document(
        &meta.language,
        &nav::nest(&flat),
        &generated,
        first_body.as_deref(),
        &labels,
        &page_list,
    );
    package::finish(
        &raw,
        &meta.language,
        &metadata,
        &nav_doc,
        &zipped.stored,
        &zipped.deflated,
        kept,
    )
    .map(|bytes| (bytes, page_list.len()))
    .map_err(|e| fail(sink, &e))
}

/// Files `package::finish` puts in the archive in place of the empty
/// ones epub-builder was given, by name in the archive.
#[derive(Default)]
struct Zipped<'a> {
    /// Stored as they are (large compressed media).
    stored: std::collections::BTreeMap<String, &'a [u8]>,
    /// Deflated apart (chapters, style sheets' fonts, small media).
    deflated: std::collections::BTreeMap<String, std::borrow::Cow<'a, [u8]>>,
}

/// Adds a resource to `epub` empty, its bytes to `zipped`: large
/// compressed media (PNG, JPEG…) only cost time deflated, so they are
/// stored; the rest is deflated apart, on several threads, and kept by
/// `folio watch` (see `package::finish`). Small media are cheap to deflate
/// and some (generated charts) still shrink a lot.
fn add_resource<'a>(
    epub: &mut EpubBuilder<ZipLibrary>,
    zipped: &mut Zipped<'a>,
    href: &str,
    bytes: &'a [u8],
    media_type: &str,
) -> epub_builder::Result<()> {
    let name = format!("OEBPS/{href}");
    if package::already_compressed(media_type) && bytes.len() >= 64 << 10 {
        zipped.stored.insert(name, bytes);
    } else {
        zipped
            .deflated
            .insert(name, std::borrow::Cow::Borrowed(bytes));
    }
    epub.add_resource(href, &[][..], media_type).map(|_| ())
}

/// One chapter's page-break markers: by block, (character offset, label).
type ChapterMarkers = std::collections::HashMap<Option<u32>, Vec<(u32, String)>>;

/// Page-break markers by chapter and block, and the page list (file#id,
/// label) in print order, from the print page map. A label printed twice
/// (it should not be) keeps its first page.
fn print_markers(
    book: &crate::ir::Book,
    names: &Names,
    print: Option<&crate::pagemap::PrintPages>,
) -> (
    std::collections::HashMap<usize, ChapterMarkers>,
    Vec<(String, String)>,
) {
    let mut markers: std::collections::HashMap<usize, std::collections::HashMap<_, Vec<_>>> =
        std::collections::HashMap::new();
    let mut list = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for page in print.map_or(&[][..], |p| &p.pages) {
        if page.at.chapter >= book.chapters.len() || !seen.insert(page.label.clone()) {
            continue;
        }
        markers
            .entry(page.at.chapter)
            .or_default()
            .entry(page.at.block)
            .or_default()
            .push((page.at.offset, page.label.clone()));
        list.push((
            format!(
                "{}#{}",
                names.chapter(page.at.chapter),
                xhtml::page_id(&page.label)
            ),
            page.label.clone(),
        ));
    }
    (markers, list)
}

/// The print edition the page numbers come from (`pageBreakSource`): its
/// ISBN when `[book] print-identifier` gives one, else the book's identifier
/// marked as the print edition's.
fn print_source(meta: &crate::ir::Metadata) -> String {
    match &meta.print_identifier {
        Some(isbn) => format!("urn:isbn:{isbn}"),
        None => format!("{}#print", meta.identifier.urn()),
    }
}
