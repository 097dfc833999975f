//! Layout: the document tree → pages of positioned glyphs, rules, images,
//! links and anchors ([`frame::PagedDoc`]). Nothing here writes PDF.

pub mod bidi;
pub mod blocks;
pub mod book;
pub mod cx;
pub mod dump;
pub mod flow;
pub mod fonts;
pub mod frame;
pub mod inline;
pub mod lang;
pub mod linebreak;
pub mod memo;
pub mod paginate;
pub mod segment;
pub mod shape;
pub mod tagging;

#[cfg(test)]
mod paginate_tests;
