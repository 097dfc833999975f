//! Layout: the document tree → pages of positioned glyphs, rules, images,
//! links and anchors ([`frame::PagedDoc`]). Nothing here writes PDF.

pub mod flow;
pub mod frame;
pub mod paginate;

#[cfg(test)]
mod paginate_tests;
