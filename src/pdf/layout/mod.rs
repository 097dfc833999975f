//! Layout: the document tree → pages of positioned glyphs, rules, images,
//! links and anchors ([`frame::PagedDoc`]). Nothing here writes PDF.

pub(crate) mod bidi;
pub(crate) mod blocks;
pub(crate) mod book;
mod cmap;
pub(crate) mod contents;
pub mod cx;
pub mod decorate;
pub mod dump;
pub(crate) mod flow;
pub mod fonts;
pub mod frame;
pub(crate) mod front_matter;
pub(crate) mod inline;
pub mod lang;
pub mod linebreak;
pub(crate) mod listing;
pub(crate) mod memo;
pub(crate) mod notes;
pub(crate) mod outline;
pub(crate) mod paginate;
pub(crate) mod segment;
pub mod shape;
pub mod stats;
pub(crate) mod table;

#[cfg(test)]
mod paginate_tests;
#[cfg(test)]
mod testing;
