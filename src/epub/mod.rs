//! The EPUB 3 backend: IR → XHTML documents, navigation, package metadata,
//! zipped by epub-builder, with the metadata block and navigation document
//! finished by folio ([`package::finish`]).

pub mod accessibility;
pub mod css_check;
pub mod css_resources;
pub mod names;
pub mod nav;
pub mod package;
pub mod pages;
pub mod style;
pub mod xhtml;

use crate::backend::{Artifact, Backend, RenderContext};
use crate::diag::{DiagResult, Diagnostic, Failed, Sink};
use crate::ir::{Matter, Role};
use crate::typography::lang;
use epub_builder::{EpubBuilder, EpubContent, EpubVersion, ReferenceType, ZipLibrary};
use names::Names;

/// Renders a book as an EPUB 3 file (with an NCX for EPUB 2 readers).
pub struct EpubBackend;

impl Backend for EpubBackend {
    fn name(&self) -> &'static str {
        "epub"
    }

    fn render(&self, cx: &RenderContext<'_>, sink: &mut Sink) -> DiagResult<Artifact> {
        let bytes = render(cx, sink)?;
        Ok(Artifact {
            file_name: format!("{}.epub", cx.book.meta.slug),
            bytes,
            pages: None,
            stages: Vec::new(),
            details: Vec::new(),
        })
    }
}

fn render(cx: &RenderContext<'_>, sink: &mut Sink) -> DiagResult<Vec<u8>> {
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
    for font in &stylesheet.fonts {
        epub.add_resource(&font.href, font.bytes.as_slice(), font.media_type)
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
    if !has_role(Role::Copyright) && pages::has_copyright_facts(meta) {
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

    let depth = cx.config.epub.toc_depth.max(1);
    let flat = nav::flat(book, &names, depth);
    let mut first_body = None;
    for item in &flat {
        let chapter = &book.chapters[item.chapter];
        crate::breadcrumb::enter_source("epub", "writing the EPUB of", chapter.span.source);
        let body = xhtml::chapter(book, item.chapter, &names, &labels);
        let body_type = match chapter.role.matter() {
            Matter::Front => "frontmatter",
            Matter::Body => "bodymatter",
            Matter::Back => "backmatter",
        };
        let doc = xhtml::document_in(
            chapter.language(meta),
            nav::direction(chapter, meta),
            &item.entry.title,
            body_type,
            &body,
        );
        let level = i32::try_from(item.level).unwrap_or(i32::MAX - 2) + 1;
        let mut content = EpubContent::new(names.chapter(item.chapter), doc.as_bytes())
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
    // epub-builder deflates every file; large compressed media (PNG,
    // JPEG…) only cost time that way, so they go in empty and
    // `package::finish` stores their bytes as they are. Small ones are
    // cheap to deflate and some (generated charts) still shrink a lot.
    let mut stored = std::collections::BTreeMap::new();
    for (i, asset) in book.assets.iter().enumerate() {
        if meta.cover.map(|c| c.0) == Some(i) {
            continue;
        }
        let href = names.asset(crate::ir::AssetId(i));
        let bytes =
            if package::already_compressed(asset.media_type) && asset.bytes.len() >= 64 << 10 {
                stored.insert(format!("OEBPS/{href}"), asset.bytes.as_slice());
                &[][..]
            } else {
                asset.bytes.as_slice()
            };
        epub.add_resource(href, bytes, asset.media_type)
            .map_err(|e| fail(sink, &e))?;
    }

    crate::breadcrumb::enter("epub", "assembling the EPUB", None);
    let mut raw = Vec::new();
    epub.generate(&mut raw).map_err(|e| fail(sink, &e))?;
    let a11y = accessibility::assess(book, true);
    let metadata = package::metadata_xml(meta, &a11y, cx.date, meta.cover.is_some());
    let nav_doc = nav::document(
        &meta.language,
        &nav::nest(&flat),
        &generated,
        first_body.as_deref(),
        &labels,
    );
    package::finish(&raw, &meta.language, &metadata, &nav_doc, &stored).map_err(|e| fail(sink, &e))
}
