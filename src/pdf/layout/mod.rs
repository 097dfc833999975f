//! Layout: the document tree → pages of positioned glyphs, rules, images,
//! links and anchors ([`frame::PagedDoc`]). Nothing here writes PDF.

pub mod flow;
pub mod fonts;
pub mod frame;
pub mod linebreak;
pub mod paginate;
pub mod shape;

#[cfg(test)]
mod paginate_tests;
