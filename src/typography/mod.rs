//! Typography shared by every format: language-dependent words and
//! hyphenation by language. Lives beside the tree, never inside a backend.

pub mod hyphenate;
pub mod lang;
pub mod patterns;
