//! folio: a Markdown book manuscript in, a store-ready EPUB and a typeset PDF out.
//!
//! The pipeline is `manuscript::load` → `parse::book` (one [`ir::Book`]) →
//! backends ([`epub`]) → [`output::write_atomic`]. The binary (`src/main.rs`) only
//! parses arguments and prints diagnostics; everything else lives here so it can
//! be tested as a library.

pub mod backend;
pub mod breadcrumb;
pub mod build;
pub mod config;
pub mod cover;
pub mod diag;
pub mod epub;
pub mod fault;
pub mod interrupt;
pub mod ir;
pub mod lint;
pub mod manuscript;
pub mod output;
pub mod pagemap;
pub mod parse;
pub mod progress;
pub mod raster;
pub mod scaffold;
pub mod source;
pub mod store;
pub mod timing;

pub use build::{BuildOptions, BuildReport, Format, build, check};
pub mod cli;
pub mod highlight;
pub mod pdf;
pub mod typography;
pub mod watch;
