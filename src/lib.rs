//! folio: a Markdown book manuscript in, a store-ready EPUB and a typeset PDF out.
//!
//! The pipeline is [`manuscript::load`] → [`parse::book`] (one [`ir::Book`])
//! → backends ([`epub`], [`pdf`]) → every file written all or nothing; [`build()`]
//! runs it. The binary (`src/main.rs`) only calls [`main`]; everything else
//! lives here so it can be tested as a library.

// The library's conventions, kept by the compiler: no `unwrap`/`expect`
// outside tests (a bad input is a diagnostic, never a panic), and no `unsafe`
// but the documented call in `timing`.
#![warn(clippy::unwrap_used, clippy::expect_used)]
#![deny(unsafe_code)]
// Everything public is documented and can be named: a type reachable
// through the API is re-exported where callers find it.
#![warn(missing_docs, unnameable_types)]

pub mod backend;
mod breadcrumb;
pub mod build;
pub mod config;
pub mod cover;
mod date;
pub mod diag;
mod digest;
pub mod epub;
mod fault;
mod interrupt;
pub mod ir;
pub mod lint;
pub mod manuscript;
mod output;
pub mod pagemap;
pub mod parse;
pub mod progress;
mod raster;
mod scaffold;
pub mod source;
mod store;
mod threads;
mod timing;

pub use build::{BuildOptions, BuildReport, Format, build, check};
/// The `folio` command line (`src/main.rs` is only this call): parses the
/// arguments, runs the command, prints diagnostics and returns the exit code.
pub use cli::main;
mod cli;
pub mod highlight;
pub mod pdf;
pub mod typography;
mod watch;
