//! Layout: the document tree → pages of positioned glyphs, rules, images,
//! links and anchors ([`frame::PagedDoc`]). Nothing here writes PDF.

pub mod bidi;
pub mod blocks;
pub mod book;
mod cmap;
pub mod contents;
pub mod cx;
pub mod decorate;
pub mod dump;
pub mod flow;
pub mod fonts;
pub mod frame;
pub mod front_matter;
pub mod inline;
pub mod lang;
pub mod linebreak;
pub mod listing;
pub mod memo;
pub mod notes;
pub mod outline;
pub mod paginate;
pub mod segment;
pub mod shape;
pub mod stats;
pub mod table;
pub mod tagging;

#[cfg(test)]
mod paginate_tests;
#[cfg(test)]
mod testing;
