//! Typography shared by every format: language-dependent words and
//! hyphenation by language. Lives beside the tree, never inside a backend.

pub mod hyphenate;
pub(crate) mod lang;
pub(crate) mod patterns;

/// The words a book's language gives generated text ("Contents", "Chapter").
pub use lang::Labels;
