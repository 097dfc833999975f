//! The PDF backend: the IR laid out into positioned pages ([`layout`](mod@layout)), then
//! encoded ([`write`](mod@write)). Layout never imports the writer; the writer makes no
//! layout decisions.

pub(crate) mod font_needs;
pub mod fonts;
pub mod layout;
pub mod style;
pub(crate) mod system_fonts;
pub mod write;

use crate::backend::RenderContext;
use crate::diag::{Diagnostic, Sink, Span};
use layout::book::{BookInput, Geometry};
use layout::cx::Cx;
use layout::frame::PagedDoc;
use style::PrintStyle;

/// Print (mirrored margins, recto chapter openings, no link colour, no cover)
/// or screen (symmetric margins, no blank pages, coloured links, cover first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// For the printer.
    Print,
    /// For reading on a screen.
    Screen,
}

/// The print measures `folio check`'s lints compare against: how many
/// characters a code line holds before the PDF wraps it, and how many pixels
/// an image needs across the text width at 300 DPI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrintMeasures {
    /// Monospace columns in a code block.
    pub code_columns: usize,
    /// Pixels across the text width at 300 DPI.
    pub full_width_pixels: u32,
}

/// The measures of the book's print style, or of the default style when the
/// book's does not load (the build itself reports why).
pub fn print_measures(cx: &RenderContext<'_>) -> PrintMeasures {
    let mut ignored = Sink::new();
    let style = load_style(cx, &mut ignored)
        .map(|(s, _)| s)
        .unwrap_or_default();
    // A 6×9 in page when the size is unusable (reported by the build).
    let (page_width, _) = style.page.dimensions().unwrap_or((432.0, 648.0));
    let width = page_width - style.page.margin_inside.0 - style.page.margin_outside.0;
    PrintMeasures {
        code_columns: style.code.columns(width),
        full_width_pixels: (width / 72.0 * 300.0).round() as u32,
    }
}

/// Loads the print style a book selects (`[pdf] style`), or folio's default.
pub fn load_style(cx: &RenderContext<'_>, sink: &mut Sink) -> Option<(PrintStyle, String)> {
    let Some(written) = &cx.config.pdf.style else {
        return Some((PrintStyle::default(), "styles/print.toml".to_owned()));
    };
    let span = cx
        .sources
        .iter()
        .find(|(_, f)| f.path.file_name().is_some_and(|n| n == "book.toml"))
        .map(|(id, _)| Span::new(id, written.span().start, written.span().end));
    let path = match crate::manuscript::paths::confine(cx.root, cx.root, written.get_ref()) {
        Ok(p) => p,
        Err(e) => {
            sink.push(
                Diagnostic::error(span, e.describe(written.get_ref()))
                    .with_help("the style path is relative to the book folder"),
            );
            return None;
        }
    };
    let bytes = crate::manuscript::paths::read_limited(&path, cx.config.limits.file_bytes);
    let text = match bytes.map(String::from_utf8) {
        Ok(Ok(t)) => t,
        Ok(Err(_)) => {
            sink.error(
                span,
                format!("the print style `{}` is not UTF-8 text", written.get_ref()),
            );
            return None;
        }
        Err(problem) => {
            sink.error(
                span,
                problem.describe(&format!("the print style `{}`", written.get_ref())),
            );
            return None;
        }
    };
    match toml::from_str::<PrintStyle>(&text) {
        Ok(style) => Some((style, written.get_ref().clone())),
        Err(e) => {
            let mut sources = crate::source::Sources::new(cx.root);
            let id = sources.add(&path, text.clone());
            let (line, col) = sources.get(id).line_col(e.span().map_or(0, |r| r.start));
            sink.push(
                Diagnostic::error(
                    None,
                    format!(
                        "{}:{line}:{col}: invalid print style: {}",
                        written.get_ref(),
                        e.message().lines().next().unwrap_or("")
                    ),
                )
                .with_help("see styles/print.toml for every key and its default"),
            );
            None
        }
    }
}

/// Work kept between builds of the same book (`folio watch`): the loaded
/// fonts of a style, every word shaped so far, compressed pages and images.
#[derive(Default)]
pub struct PdfCache {
    fonts: Option<CachedFonts>,
    /// The fonts found in the sources (`folio watch` scans them once).
    catalog: Option<(
        system_fonts::FontSources,
        std::sync::Arc<system_fonts::Catalog>,
    )>,
    /// Folders given with `--font-path`.
    pub font_dirs: Vec<std::path::PathBuf>,
    shapes: layout::shape::ShapeCache,
    /// Compressed pages and converted images; made with these fonts.
    write: write::WriteCache,
    /// Chapter flows of the last layout; set with these fonts.
    chapters: layout::memo::ChapterMemos,
    /// What the last layout with this cache did.
    last_layout: LayoutStats,
    /// Prepare images in the writer, after the layout, rather than during
    /// it (the tests compare both; the output is the same).
    pub serial_images: bool,
    /// Threads to set chapters on; `None`: one per core, at most four
    /// (past that the merge and the words shaped once per thread eat the
    /// gain). The tests compare 1 with several: the output is the same.
    pub layout_threads: Option<usize>,
    /// The process ends after this build ([`PdfBackend::exiting`]).
    exits: bool,
}

/// The fonts of the last layout and what they were made for: a style, a
/// book folder, the characters the style's fonts lacked (by language) and
/// where other fonts could come from.
struct CachedFonts {
    style: PrintStyle,
    root: std::path::PathBuf,
    missing: font_needs::Needs,
    sources: Option<system_fonts::FontSources>,
    fonts: std::sync::Arc<layout::cx::Fonts>,
}

impl PdfCache {
    /// A cache that keeps chapter flows, compressed pages and converted
    /// images for the next build (`folio watch`); the default keeps only
    /// fonts and shaped words, which every build makes anyway.
    pub fn keeping() -> PdfCache {
        let mut cache = PdfCache::default();
        cache.write.keep = true;
        cache.chapters.keep = true;
        cache
    }

    /// How many images the last PDF took from those prepared during layout.
    pub fn images_prepared_ahead(&self) -> usize {
        self.write.images_prepared_ahead()
    }

    /// How much work the last [`layout()`] with this cache did: deterministic
    /// counters, so tests can guard against performance regressions without
    /// timing anything.
    pub fn last_layout(&self) -> LayoutStats {
        self.last_layout
    }
}

/// Work counters of one layout: deterministic, so tests can guard against
/// performance regressions without timing anything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LayoutStats {
    /// Shaping cache lookups; `misses` is the number of real shaping calls.
    pub shaping: layout::shape::CacheStats,
    /// Chapters whose flow came from the last layout (see `layout::memo`).
    pub chapters_reused: usize,
    /// Chapters set afresh through the memos (`folio watch`; each pass of
    /// the page numbers that sets a chapter counts).
    pub chapters_set: usize,
    /// Chapters set on worker threads (see `layout::parallel`).
    pub chapters_ahead: usize,
}

/// What the PDF needs before layout, with every problem the book's settings
/// can cause found: the print style (each number range-checked as it is
/// read), the page geometry, the fonts (loaded, and checked to embed), the
/// hyphenation exceptions. A build runs it first; `folio check` runs it too.
pub(crate) struct Prepared {
    /// The print style.
    pub style: PrintStyle,
    /// Page and text block.
    pub geometry: Geometry,
    /// The loaded fonts.
    pub fonts: std::sync::Arc<layout::cx::Fonts>,
    /// Hyphenation with the book's exceptions.
    pub hyphenator: crate::typography::hyphenate::Hyphenator,
    /// The exceptions as written.
    pub exceptions: Vec<String>,
}

/// Runs the steps before layout (see [`Prepared`]), reusing `cache`'s fonts
/// when the style is unchanged.
pub(crate) fn prepare(
    cx: &RenderContext<'_>,
    sink: &mut Sink,
    cache: &mut PdfCache,
) -> Option<Prepared> {
    let (style, style_name) = load_style(cx, sink)?;
    let (page_width, page_height) = match style.page.dimensions() {
        Ok(d) => d,
        Err(e) => {
            sink.push(Diagnostic::error(None, format!("{style_name}: {e}")));
            return None;
        }
    };
    let p = &style.page;
    let geometry = Geometry {
        page_width,
        page_height,
        width: page_width - p.margin_inside.0 - p.margin_outside.0,
        height: page_height - p.margin_top.0 - p.margin_bottom.0,
        top: p.margin_top.0,
        inside: p.margin_inside.0,
        outside: p.margin_outside.0,
        bleed: p.bleed.0,
    };
    if geometry.width < 72.0 || geometry.height < 72.0 {
        sink.push(
            Diagnostic::error(
                None,
                format!(
                    "{style_name}: the margins leave a text block of {:.0}×{:.0} pt",
                    geometry.width, geometry.height
                ),
            )
            .with_help("reduce the margins"),
        );
        return None;
    }
    let labels = crate::typography::lang::labels(&cx.book.meta.language);
    let fonts = book_fonts(cx, &style, &style_name, &labels, cache, sink)?;
    let exceptions: Vec<String> = cx
        .config
        .typography
        .hyphenation_exceptions
        .iter()
        .map(|e| e.get_ref().clone())
        .collect();
    let hyphenator =
        match crate::typography::hyphenate::Hyphenator::new(&cx.book.meta.language, &exceptions) {
            Ok(h) => h,
            Err(e) => {
                // At the exception the message quotes, in book.toml.
                let written = cx
                    .config
                    .typography
                    .hyphenation_exceptions
                    .iter()
                    .find(|x| e.contains(&format!("{:?}", x.get_ref())));
                let config = cx
                    .sources
                    .iter()
                    .find(|(_, f)| f.path.file_name().is_some_and(|n| n == "book.toml"))
                    .map(|(id, _)| id);
                let span = written
                    .zip(config)
                    .map(|(x, id)| Span::new(id, x.span().start, x.span().end));
                let message = if span.is_some() {
                    e
                } else {
                    format!("book.toml: [typography] hyphenation-exceptions: {e}")
                };
                sink.push(
                    Diagnostic::error(span, message)
                        .with_help("write the word with `-` where it may break, like `ta-ble`"),
                );
                return None;
            }
        };
    Some(Prepared {
        style,
        geometry,
        fonts,
        hyphenator,
        exceptions,
    })
}

/// What `folio check` finds that only the PDF would meet: `prepare`'s
/// problems, and each SVG converted as the writer converts it (nothing is
/// laid out or written).
pub fn check(cx: &RenderContext<'_>, sink: &mut Sink) {
    let Some(prepared) = prepare(cx, sink, &mut PdfCache::default()) else {
        return;
    };
    let svgs: Vec<&crate::ir::Asset> = cx
        .book
        .assets
        .iter()
        .filter(|a| a.media_type == "image/svg+xml")
        .collect();
    if svgs.is_empty() {
        return;
    }
    let fonts = layout::book::font_data(&prepared.fonts);
    for asset in svgs {
        if let Err(reason) = write::check_svg(&asset.bytes, &fonts) {
            let mut d = Diagnostic::error(
                None,
                format!("image `{}` cannot be put in the PDF: {reason}", asset.href),
            )
            .with_help("simplify it, or export it again as PNG, JPEG or plain SVG");
            match first_use(cx.book, asset) {
                Some(span) => d.span = Some(span),
                None => d = d.with_path(cx.sources.display(&asset.path)),
            }
            sink.push(d);
        }
    }
}

/// Lays out the book (no PDF written): the entry point for tests and the
/// backend. With a `cache` (`folio watch`, the backend) it reuses and
/// refreshes the fonts, shaped words and chapter flows kept there, and
/// records how much work it did ([`PdfCache::last_layout`]).
pub fn layout(
    cx: &RenderContext<'_>,
    profile: Profile,
    sink: &mut Sink,
    cache: Option<&mut PdfCache>,
) -> Option<PagedDoc> {
    let mut one_off = PdfCache::default();
    let cache = cache.unwrap_or(&mut one_off);
    layout_then(cx, profile, sink, cache, |_, _| {})
}

/// [`layout()`], calling `fonts_known` once the fonts are chosen, before
/// any page is laid out (the backend starts preparing images then).
fn layout_then(
    cx: &RenderContext<'_>,
    profile: Profile,
    sink: &mut Sink,
    cache: &mut PdfCache,
    fonts_known: impl FnOnce(&layout::cx::Fonts, &mut PdfCache),
) -> Option<PagedDoc> {
    crate::breadcrumb::enter("pdf-layout", "preparing the PDF layout", None);
    let Prepared {
        style,
        geometry,
        fonts,
        hyphenator,
        exceptions,
        ..
    } = prepare(cx, sink, cache)?;
    fonts_known(&fonts, cache);
    let labels = crate::typography::lang::labels(&cx.book.meta.language);
    let mut lcx = Cx::new(
        &style,
        &fonts,
        &hyphenator,
        &labels,
        profile == Profile::Screen,
        std::mem::take(&mut cache.shapes),
    );
    let toc_depth = cx.config.pdf.toc_depth.unwrap_or(2).max(1);
    // The EPUB of the same build waits for the print page map (the first
    // map put in the slot counts; `render_in` puts it again from the pages).
    let put = |pages| {
        if let Some(slot) = cx.print_pages {
            slot.put(Some(pages));
        }
    };
    let mut doc = layout::book::layout_book(
        &mut lcx,
        &BookInput {
            book: cx.book,
            profile,
            toc_depth,
            labels: &labels,
            hyphenation_exceptions: &exceptions,
            threads: cache.layout_threads.unwrap_or_else(|| {
                std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
            }),
            pages_known: cx
                .print_pages
                .is_some()
                .then_some(&put as &dyn Fn(crate::pagemap::PrintPages)),
        },
        geometry,
        &mut cache.chapters,
    );
    doc.meta.date = cx.date;
    cache.last_layout = LayoutStats {
        shaping: lcx.shaper.stats(),
        chapters_reused: cache.chapters.reused,
        chapters_set: cache.chapters.set,
        chapters_ahead: lcx.chapters_ahead,
    };
    let (messages, shapes) = lcx.into_parts();
    sink.extend(messages);
    cache.shapes = shapes;
    Some(doc)
}

/// The print page map of a laid-out book (see [`crate::pagemap`]): the
/// label and text position of every page that begins in a chapter's text,
/// and the page label of every named place.
pub fn print_pages(doc: &PagedDoc, book: &crate::ir::Book) -> crate::pagemap::PrintPages {
    use layout::frame::Item;
    let mut map = PrintPagesOf::new(book, &doc.page_labels);
    for (index, page) in doc.pages.iter().enumerate() {
        map.page(index, doc.page_starts.get(index).copied().flatten());
        for item in &page.items {
            if let Item::Anchor { name, .. } = item {
                map.anchor(index, name);
            }
        }
    }
    map.finish()
}

/// Builds a [`crate::pagemap::PrintPages`] page by page: from the written
/// pages ([`print_pages`]) or, earlier, from the pages' bodies before their
/// heads and folios are added (the layout hands the map to the EPUB then,
/// see `BookInput::pages_known`); both see the same page starts and
/// anchors, so the map is the same.
pub(crate) struct PrintPagesOf<'a> {
    labels: &'a [layout::frame::PageLabelRange],
    chapter_dests: std::collections::HashMap<String, usize>,
    out: crate::pagemap::PrintPages,
}

impl<'a> PrintPagesOf<'a> {
    /// An empty map for `book`'s chapters, pages labelled by `labels`.
    pub(crate) fn new(
        book: &crate::ir::Book,
        labels: &'a [layout::frame::PageLabelRange],
    ) -> PrintPagesOf<'a> {
        PrintPagesOf {
            labels,
            chapter_dests: book
                .chapters
                .iter()
                .enumerate()
                .map(|(i, c)| (layout::blocks::chapter_dest(&c.id), i))
                .collect(),
            out: crate::pagemap::PrintPages {
                chapters: vec![None; book.chapters.len()],
                ..Default::default()
            },
        }
    }

    /// Page `index`, whose text begins at `start` (if it begins in a chapter).
    pub(crate) fn page(&mut self, index: usize, start: Option<crate::pagemap::TextPosition>) {
        if let Some(at) = start {
            let printed = layout::decorate::label_of(self.labels, index);
            if !printed.is_empty() {
                self.out
                    .pages
                    .push(crate::pagemap::PrintPage { label: printed, at });
            }
        }
    }

    /// The named place `name` on page `index`.
    pub(crate) fn anchor(&mut self, index: usize, name: &str) {
        let labels = self.labels;
        let label = || layout::decorate::label_of(labels, index);
        match self.chapter_dests.get(name) {
            Some(&chapter) => {
                self.out.chapters[chapter].get_or_insert_with(label);
            }
            None => {
                if !self.out.anchors.contains_key(name) {
                    self.out.anchors.insert(name.to_owned(), label());
                }
            }
        }
    }

    /// The map.
    pub(crate) fn finish(self) -> crate::pagemap::PrintPages {
        self.out
    }
}

/// The style's fonts, and fonts from `--font-path`, `[pdf] font-paths` and
/// the system for the characters they lack; reused from `cache` while the
/// style, the book folder, the lacking characters and the sources are the
/// same (a new face empties the caches made with the old ones).
fn book_fonts(
    cx: &RenderContext<'_>,
    style: &PrintStyle,
    style_name: &str,
    labels: &crate::typography::lang::Labels,
    cache: &mut PdfCache,
    sink: &mut Sink,
) -> Option<std::sync::Arc<layout::cx::Fonts>> {
    let needs = font_needs::collect(cx.book, labels);
    let load_style_fonts = |sink: &mut Sink| {
        fonts::load(
            style,
            cx.root,
            style_name,
            cx.config.limits.file_bytes,
            sink,
        )
    };
    let same_style = cache
        .fonts
        .as_ref()
        .is_some_and(|c| c.style == *style && c.root == cx.root);
    let fresh = if same_style {
        None
    } else {
        Some(load_style_fonts(sink)?)
    };
    let missing = match (&fresh, &cache.fonts) {
        (Some(fonts), _) => system_fonts::uncovered(fonts, &needs),
        (None, Some(cached)) => system_fonts::uncovered(&cached.fonts, &needs),
        (None, None) => return None,
    };
    let sources = if missing.is_empty() {
        None
    } else {
        Some(system_fonts::sources(cx, &cache.font_dirs, sink)?)
    };
    if let Some(cached) = &cache.fonts {
        if fresh.is_none() && cached.missing == missing && cached.sources == sources {
            return Some(cached.fonts.clone());
        }
    }
    let mut fonts = match fresh {
        Some(fonts) if cache.fonts.is_none() || missing.is_empty() => fonts,
        Some(fonts) => fonts,
        None => load_style_fonts(sink)?,
    };
    if let Some(sources) = &sources {
        let catalog = match &cache.catalog {
            Some((known, catalog)) if known == sources => catalog.clone(),
            _ => {
                let catalog = std::sync::Arc::new(system_fonts::Catalog::discover(sources));
                cache.catalog = Some((sources.clone(), catalog.clone()));
                catalog
            }
        };
        system_fonts::extend(&mut fonts, &catalog, &missing, cx.config.limits.file_bytes);
    }
    let fonts = std::sync::Arc::new(fonts);
    cache.fonts = Some(CachedFonts {
        style: style.clone(),
        root: cx.root.to_path_buf(),
        missing,
        sources,
        fonts: fonts.clone(),
    });
    cache.shapes = layout::shape::ShapeCache::default();
    cache.write.clear();
    cache.chapters.clear();
    Some(fonts)
}

/// Renders a book as a typeset PDF.
pub struct PdfBackend {
    /// Print or screen profile.
    pub profile: Profile,
    /// Fonts and shaped words kept from the previous build.
    pub cache: std::sync::Mutex<PdfCache>,
}

impl PdfBackend {
    /// A backend for `profile` with an empty cache.
    pub fn new(profile: Profile) -> PdfBackend {
        PdfBackend {
            profile,
            cache: std::sync::Mutex::new(PdfCache::default()),
        }
    }

    /// The same backend, also taking fonts from `dirs` (`--font-path`).
    pub fn with_font_paths(self, dirs: &[std::path::PathBuf]) -> PdfBackend {
        let mut cache = self
            .cache
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cache.font_dirs = dirs.to_vec();
        PdfBackend {
            profile: self.profile,
            cache: std::sync::Mutex::new(cache),
        }
    }

    /// The same backend in a process that ends after its one build (`folio
    /// build`): the laid-out pages are left for the OS to take back at exit
    /// instead of being freed one by one before the files are written (a
    /// few milliseconds on a 1,000-page book). Never for a backend that
    /// builds again: each build would leave its pages behind.
    pub fn exiting(self, exits: bool) -> PdfBackend {
        let mut cache = self
            .cache
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cache.exits = exits;
        PdfBackend {
            profile: self.profile,
            cache: std::sync::Mutex::new(cache),
        }
    }

    /// A backend that keeps work for the next build ([`PdfCache::keeping`]).
    pub fn keeping(profile: Profile) -> PdfBackend {
        PdfBackend {
            profile,
            cache: std::sync::Mutex::new(PdfCache::keeping()),
        }
    }
}

impl crate::backend::Backend for PdfBackend {
    fn name(&self) -> &'static str {
        "pdf"
    }

    fn render(
        &self,
        cx: &RenderContext<'_>,
        sink: &mut Sink,
    ) -> crate::diag::DiagResult<crate::backend::Artifact> {
        // Images are prepared on other threads while the pages are laid out.
        std::thread::scope(|scope| self.render_in(scope, cx, sink))
    }
}

impl PdfBackend {
    /// [`Backend::render`](crate::backend::Backend::render), with the
    /// images prepared on threads of `scope` during the layout (unless
    /// [`PdfCache::serial_images`]), collected by the writer.
    fn render_in<'scope, 'env: 'scope>(
        &self,
        scope: &'scope std::thread::Scope<'scope, 'env>,
        cx: &'env RenderContext<'env>,
        sink: &mut Sink,
    ) -> crate::diag::DiagResult<crate::backend::Artifact> {
        let watch = crate::timing::Stopwatch::start();
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut ahead = None;
        let laid_out = layout_then(cx, self.profile, sink, &mut cache, |fonts, cache| {
            if !cache.serial_images {
                ahead = Some(write::ImagesAhead::start(
                    scope,
                    pdf_images(cx.book, self.profile),
                    layout::book::font_data(fonts),
                    &cache.write.known_images(),
                ));
            }
        });
        let doc = laid_out.ok_or(crate::diag::Failed)?;
        // In a process that ends with this build ([`PdfBackend::exiting`])
        // the pages are left to the OS, not freed before the file is handed
        // back.
        let mut owned = None;
        let doc: &PagedDoc = if cache.exits {
            Box::leak(Box::new(doc))
        } else {
            owned.insert(doc)
        };
        if let Some(slot) = cx.print_pages {
            slot.put(Some(print_pages(doc, cx.book)));
        }
        let details = cache
            .fonts
            .as_ref()
            .map(|f| fonts_used(doc, &f.fonts))
            .unwrap_or_default();
        let mut stages = vec![watch.stop("pdf layout")];
        let pages = doc.pages.len();
        crate::breadcrumb::enter("pdf-write", "writing the PDF", None);
        let written = crate::timing::stage(&mut stages, "pdf write", || {
            write::write_pdf_ahead(doc, &mut cache.write, ahead)
        });
        drop(cache);
        // The writer only knows an image's index: name its file, and the
        // first place the book shows it.
        let asset_of = |image: usize| {
            doc.images.get(image).and_then(|data| {
                cx.book
                    .assets
                    .iter()
                    .find(|a| std::sync::Arc::ptr_eq(&a.bytes, &data.bytes))
            })
        };
        let image_diagnostic = |mut d: Diagnostic, image: usize| {
            if let Some(a) = asset_of(image) {
                match first_use(cx.book, a) {
                    Some(span) => d.span = Some(span),
                    None => d = d.with_path(cx.sources.display(&a.path)),
                }
            }
            d
        };
        let image_name =
            |image: usize| asset_of(image).map_or_else(|| format!("#{image}"), |a| a.href.clone());
        let result = match written {
            Ok(out) => {
                for warning in out.warnings {
                    sink.push(Diagnostic::warning(None, format!("PDF: {warning}")));
                }
                for (image, warning) in out.image_warnings {
                    sink.push(image_diagnostic(
                        Diagnostic::warning(
                            None,
                            format!("image `{}` in the PDF: {warning}", image_name(image)),
                        ),
                        image,
                    ));
                }
                Ok(crate::backend::Artifact {
                    file_name: format!("{}.pdf", cx.book.meta.slug),
                    bytes: out.bytes,
                    pages: Some(pages),
                    stages,
                    details,
                })
            }
            Err(write::WriteError::Image { image, reason, .. }) => {
                sink.push(image_diagnostic(
                    Diagnostic::error(
                        None,
                        format!(
                            "image `{}` cannot be put in the PDF: {reason}",
                            image_name(image)
                        ),
                    )
                    .with_help("simplify it, or export it again as PNG, JPEG or plain SVG"),
                    image,
                ));
                Err(crate::diag::Failed)
            }
            Err(e) => {
                sink.push(
                    Diagnostic::error(None, format!("could not write the PDF: {e}")).with_help(
                        "this is a bug in folio; please report it with the book that triggers it",
                    ),
                );
                Err(crate::diag::Failed)
            }
        };
        // Freeing a book's pages (every glyph run of every page) took 5 %
        // of a `folio watch` rebuild, on its critical path: a thread of its
        // own does it while the files are written (or this one, if no
        // thread can be made: the closure is dropped with the pages).
        if let Some(doc) = owned.take() {
            let _ = std::thread::Builder::new()
                .name("folio-free".into())
                .spawn(move || drop(doc));
        }
        result
    }
}

/// Where the book first shows `asset` (a figure or an inline image), for
/// messages about it.
fn first_use(book: &crate::ir::Book, asset: &crate::ir::Asset) -> Option<Span> {
    let id = book.assets.iter().position(|a| std::ptr::eq(a, asset))?;
    let shows = |image: &crate::ir::Image| image.asset.map(|a| a.0) == Some(id);
    let mut found = None;
    for blocks in book
        .chapters
        .iter()
        .flat_map(|c| std::iter::once(&c.blocks).chain(c.notes.iter().map(|n| &n.blocks)))
    {
        crate::ir::walk::blocks(blocks, &mut |block| {
            if found.is_some() {
                return;
            }
            if let crate::ir::BlockKind::Figure(f) = &block.kind {
                if shows(&f.image) {
                    found = Some(block.span);
                }
            }
            for inlines in crate::ir::walk::own_inlines(block) {
                crate::ir::walk::inlines(inlines, &mut |inline| {
                    if let crate::ir::InlineKind::Image(image) = &inline.kind {
                        if found.is_none() && shows(image) {
                            found = Some(inline.span);
                        }
                    }
                });
            }
        });
        if found.is_some() {
            break;
        }
    }
    found
}

/// The image files the PDF may draw, as the layout registers them: PNG,
/// JPEG, GIF, WebP and SVG assets, the cover only where a page shows it.
fn pdf_images(book: &crate::ir::Book, profile: Profile) -> Vec<write::ImageFile<'_>> {
    book.assets
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            profile == Profile::Screen || book.meta.cover != Some(crate::ir::AssetId(*i))
        })
        .filter(|(_, a)| {
            matches!(
                a.media_type,
                "image/png" | "image/jpeg" | "image/gif" | "image/webp" | "image/svg+xml"
            )
        })
        .map(|(_, a)| (a.media_type, a.bytes.as_slice()))
        .collect()
}

/// One line per font the pages draw with: family, PostScript name and
/// where it came from (built in, the book's file, or a file on the system),
/// for `--verbose`.
fn fonts_used(doc: &PagedDoc, fonts: &layout::cx::Fonts) -> Vec<String> {
    let mut used = std::collections::BTreeSet::new();
    for item in doc.pages.iter().flat_map(|p| &p.items) {
        if let layout::frame::Item::Glyphs(run) = item {
            used.insert(run.font.0);
        }
    }
    used.into_iter()
        .filter_map(|id| fonts.book.font(layout::fonts::FontId(id)))
        .map(|f| {
            let origin = if fonts::is_builtin_source(f.source()) {
                "built in".to_owned()
            } else {
                format!("from {}", f.source())
            };
            format!(
                "font: {} ({}) {origin}",
                f.family_name(),
                f.postscript_name()
            )
        })
        .collect()
}

/// The profile a build uses: the command line's, else `[pdf] profile`, else print.
pub fn profile(
    cli: Option<Profile>,
    cx: &crate::config::BookConfig,
    sink: &mut Sink,
    config_source: Option<crate::source::SourceId>,
) -> Profile {
    if let Some(p) = cli {
        return p;
    }
    match cx
        .pdf
        .profile
        .as_ref()
        .map(|p| (p.get_ref().as_str(), p.span()))
    {
        None | Some(("print", _)) => Profile::Print,
        Some(("screen", _)) => Profile::Screen,
        Some((other, span)) => {
            sink.push(
                Diagnostic::error(
                    config_source.map(|s| Span::new(s, span.start, span.end)),
                    format!("unknown PDF profile `{other}`"),
                )
                .with_help("use `print` or `screen`"),
            );
            Profile::Print
        }
    }
}
