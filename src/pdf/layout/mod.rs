//! Layout: the document tree → pages of positioned glyphs, rules, images,
//! links and anchors ([`frame::PagedDoc`]). Nothing here writes PDF.

pub mod blocks;
pub mod book;
pub mod cx;
pub mod dump;
pub mod flow;
pub mod fonts;
pub mod frame;
pub mod inline;
pub mod linebreak;
pub mod memo;
pub mod paginate;
pub mod shape;
pub mod tagging;

#[cfg(test)]
mod paginate_tests;
