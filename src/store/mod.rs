//! Store preflight (`folio check --store kdp|apple|google|kobo|ingram`):
//! "will this upload pass?", answered with the rules each store documents
//! and folio can check — cover size and format, image pixels, file sizes,
//! required metadata, and for print (KDP, IngramSpark) trim, bleed, margins
//! by page count, page count and fonts, measured on a PDF laid out (and
//! written) in memory. Nothing is written to disk.
//!
//! [`facts`] measures, [`rules`] judges; this module runs the pipeline and
//! prints one line per rule.

pub mod facts;
pub mod rules;

use crate::backend::{Backend, RenderContext};
use crate::build::BuildOptions;
use crate::diag::Sink;
use crate::ir::Asset;
use crate::source::Sources;

/// A store folio knows the rules of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Store {
    /// Amazon Kindle Direct Publishing (Kindle eBook and paperback).
    Kdp,
    /// Apple Books.
    Apple,
    /// Google Play Books.
    Google,
    /// Kobo Writing Life.
    Kobo,
    /// IngramSpark (ebook and print).
    Ingram,
}

impl Store {
    /// The name used on the command line and in JSON.
    pub fn id(self) -> &'static str {
        match self {
            Store::Kdp => "kdp",
            Store::Apple => "apple",
            Store::Google => "google",
            Store::Kobo => "kobo",
            Store::Ingram => "ingram",
        }
    }

    /// The store's name in sentences.
    pub fn label(self) -> &'static str {
        match self {
            Store::Kdp => "KDP",
            Store::Apple => "Apple Books",
            Store::Google => "Google Play Books",
            Store::Kobo => "Kobo Writing Life",
            Store::Ingram => "IngramSpark",
        }
    }

    /// Whether the store prints the book (so the PDF is checked too).
    pub fn prints(self) -> bool {
        matches!(self, Store::Kdp | Store::Ingram)
    }
}

/// How a rule came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The book meets it.
    Pass,
    /// The book breaks a rule the store documents: the upload would fail.
    Fail,
    /// The book breaks a rule folio could not confirm in the store's own
    /// documents, or one the store states as advice.
    Warn,
}

impl Outcome {
    /// `pass`, `fail`, `warn`.
    pub fn id(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Warn => "warn",
        }
    }
}

/// One rule applied to one book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Whose rule.
    pub store: Store,
    /// Short id (`cover-size`, `authors`, `gutter` …).
    pub rule: &'static str,
    /// Pass, fail or warn.
    pub outcome: Outcome,
    /// What was measured and the store's number.
    pub message: String,
    /// What to do, when the rule is not met.
    pub help: Option<String>,
    /// The document the rule comes from.
    pub source: &'static str,
    /// Whether the store's own document states the number (otherwise the
    /// rule only warns).
    pub confirmed: bool,
}

impl Finding {
    /// One line: `kdp  fail  authors  no author given …  (help: …)`.
    pub fn line(&self) -> String {
        let mut line = format!(
            "{:<6} {:<4}  {:<15} {}",
            self.store.id(),
            self.outcome.id(),
            self.rule,
            self.message
        );
        if let Some(help) = &self.help {
            line.push_str(" — ");
            line.push_str(help);
        }
        if !self.confirmed {
            line.push_str(
                " (number from secondary guides, not confirmed in the store's documents)",
            );
        }
        line
    }

    /// One JSON object (for `--message-format json`).
    pub fn json(&self) -> String {
        let text = |s: &str| crate::diag::render::quote(s);
        format!(
            "{{\"store\":{},\"rule\":{},\"outcome\":{},\"message\":{},\"help\":{},\"source\":{},\"confirmed\":{}}}",
            text(self.store.id()),
            text(self.rule),
            text(self.outcome.id()),
            text(&self.message),
            self.help.as_deref().map_or_else(|| "null".to_owned(), text),
            text(self.source),
            self.confirmed
        )
    }
}

/// The stores' verdicts on a book, or the diagnostics that kept folio from
/// measuring it (the book does not load, or does not render).
#[derive(Debug, Default)]
pub struct Preflight {
    /// Every rule of every store asked for, in order.
    pub findings: Vec<Finding>,
    /// Rendered errors that stopped the check, if any.
    pub errors: Vec<String>,
}

impl Preflight {
    /// Whether any rule failed or the book could not be checked.
    pub fn failed(&self) -> bool {
        !self.errors.is_empty() || self.findings.iter().any(|f| f.outcome == Outcome::Fail)
    }
}

/// Loads the book, renders the EPUB and (for print stores) lays out and
/// writes the print PDF in memory, and applies every store's rules.
pub fn preflight(opts: &BuildOptions, stores: &[Store]) -> Preflight {
    let mut sources = Sources::new(&opts.display_base);
    let mut sink = Sink::new();
    let stopped = |sink: &Sink, sources: &Sources| Preflight {
        findings: Vec::new(),
        errors: sink
            .diagnostics()
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .map(|d| d.render(sources))
            .collect(),
    };
    let Ok(ms) = crate::manuscript::load(&opts.book_dir, &mut sources, &mut sink) else {
        return stopped(&sink, &sources);
    };
    let Ok(mut book) = crate::parse::book(&ms, &sources, &mut sink) else {
        return stopped(&sink, &sources);
    };
    crate::highlight::book(&mut book);
    let cover_generated = book.meta.cover.is_none();
    let mut quiet = Sink::new();
    crate::cover::ensure(
        &mut book,
        &ms.config,
        &ms.root,
        &sources,
        &mut quiet,
        &mut crate::cover::CoverCache::default(),
    );
    let cx = RenderContext {
        book: &book,
        config: &ms.config,
        root: &ms.root,
        sources: &sources,
        date: 0,
        print_pages: None,
    };
    let Ok(epub) = crate::epub::EpubBackend.render(&cx, &mut sink) else {
        return stopped(&sink, &sources);
    };
    let mut facts = facts::gather(
        &book,
        ms.config.book.language.is_some(),
        cover_generated,
        epub.bytes.len() as u64,
    );
    if stores.iter().any(|s| s.prints()) {
        let profile = crate::pdf::Profile::Print;
        let Some(doc) = crate::pdf::layout(&cx, profile, &mut sink) else {
            return stopped(&sink, &sources);
        };
        let mut print = facts::print(&doc, None);
        // The writer refuses fonts that may not be embedded; that is the
        // fonts rule's finding, not an error of the check.
        if print.fonts_not_embeddable.is_empty() {
            match crate::pdf::write::write_pdf(&doc) {
                Ok(out) => print.pdf_bytes = Some(out.bytes.len() as u64),
                Err(e) => {
                    return Preflight {
                        findings: Vec::new(),
                        errors: vec![format!("error: the print PDF cannot be written: {e}")],
                    };
                }
            }
        }
        facts.print = Some(print);
    }
    let mut seen = Vec::new();
    let findings = stores
        .iter()
        .filter(|s| {
            let first = !seen.contains(*s);
            seen.push(**s);
            first
        })
        .flat_map(|&store| rules::check(store, &facts))
        .collect();
    Preflight {
        findings,
        errors: Vec::new(),
    }
}

/// A warning about an author's cover: what is wrong and what to do.
pub struct CoverWarning {
    /// Names the store and its number.
    pub message: String,
    /// What to do.
    pub help: String,
}

/// Warnings for an author's cover below KDP's or Google Play's documented
/// minimum size (see [`rules`] for the documents).
pub fn cover_warnings(asset: &Asset) -> Vec<CoverWarning> {
    let (w, h) = (asset.width, asset.height);
    if asset.media_type == "image/svg+xml" {
        return vec![CoverWarning {
            message: format!(
                "the cover `{}` is an SVG; stores take JPEG or PNG covers",
                asset.href
            ),
            help: "export the cover as a JPEG or PNG of 1,600 × 2,560 pixels".to_owned(),
        }];
    }
    let (short, long) = (w.min(h), w.max(h));
    let mut out = Vec::new();
    let mut below = |store: &str, needs: String| {
        out.push(CoverWarning {
            message: format!(
                "the cover `{}` is {w} × {h} pixels, below the {needs} {store} takes at least",
                asset.href
            ),
            help: "use a cover of 1,600 × 2,560 pixels (the size KDP recommends), or remove `cover` for folio's own".to_owned(),
        });
    };
    if short < 625 || long < 1000 {
        below("KDP", "625 × 1,000 pixels".to_owned());
    }
    if short < 640 {
        below("Google Play Books", "640 pixels a side".to_owned());
    }
    // IngramSpark's 1,600-pixel minimum is left to `check --store ingram`:
    // a cover fine for every other store would warn in every build.
    out
}

#[cfg(test)]
mod tests {
    use super::cover_warnings;
    use crate::ir::Asset;

    fn cover(media_type: &'static str, width: u32, height: u32) -> Asset {
        Asset {
            path: std::path::PathBuf::new(),
            href: "c.png".into(),
            media_type,
            width,
            height,
            ppi: None,
            bytes: std::sync::Arc::new(Vec::new()),
        }
    }

    #[test]
    fn covers_below_kdp_or_google_warn_with_the_store_and_its_number() {
        let messages = |a: &Asset| -> Vec<String> {
            cover_warnings(a).into_iter().map(|w| w.message).collect()
        };
        assert!(messages(&cover("image/png", 1600, 2560)).is_empty());
        assert!(messages(&cover("image/png", 640, 1024)).is_empty());
        assert_eq!(
            messages(&cover("image/png", 700, 990)),
            [
                "the cover `c.png` is 700 × 990 pixels, below the 625 × 1,000 pixels KDP takes at least"
            ]
        );
        assert_eq!(
            messages(&cover("image/jpeg", 600, 1200)),
            [
                "the cover `c.png` is 600 × 1200 pixels, below the 625 × 1,000 pixels KDP takes at least",
                "the cover `c.png` is 600 × 1200 pixels, below the 640 pixels a side Google Play Books takes at least",
            ]
        );
        assert!(messages(&cover("image/svg+xml", 1600, 2560))[0].contains("is an SVG"));
    }
}
