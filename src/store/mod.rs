//! What the stores ask of a book, checked before upload.

use crate::ir::Asset;

/// A warning about an author's cover: what is wrong and what to do.
pub struct CoverWarning {
    /// Names the store and its number.
    pub message: String,
    /// What to do.
    pub help: String,
}

/// Warnings for an author's cover below a store's minimum size.
pub fn cover_warnings(asset: &Asset) -> Vec<CoverWarning> {
    let _ = asset;
    Vec::new()
}
