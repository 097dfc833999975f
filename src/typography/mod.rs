//! Typography shared by every format: language-dependent words and, later,
//! hyphenation. Lives beside the tree, never inside a backend.

pub mod hyphenate;
pub mod lang;
