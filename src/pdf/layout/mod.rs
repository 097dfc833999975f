//! Layout: the document tree → pages of positioned glyphs, rules, images,
//! links and anchors ([`frame::PagedDoc`]). Nothing here writes PDF.

pub(crate) mod bidi;
pub(crate) mod blocks;
pub(crate) mod book;
mod cmap;
pub(crate) mod contents;
pub(crate) mod cx;
pub(crate) mod decorate;
pub mod dump;
pub(crate) mod flow;
pub(crate) mod fonts;
pub mod frame;
pub(crate) mod front_matter;
pub(crate) mod inline;
pub(crate) mod lang;
pub mod linebreak;
pub(crate) mod listing;
pub(crate) mod memo;
pub(crate) mod notes;
pub(crate) mod outline;
pub(crate) mod paginate;
mod parallel;
pub(crate) mod segment;
pub mod shape;
pub mod stats;
pub(crate) mod table;
pub(crate) mod tagging;

#[cfg(test)]
mod paginate_tests;
#[cfg(test)]
mod testing;

/// The loaded fonts a layout sets text in, and the fallback chains by language.
pub use cx::{Chain, Fonts, Role};
/// Page labels as printed: the label of a page, and roman numerals.
pub use decorate::{label_of, roman};
/// Font files as layout reads them.
pub use fonts::{Family, Font, FontBook, FontId, FontMetrics};
/// Shaping cache counters ([`crate::pdf::LayoutStats`]).
pub use shape::CacheStats;
