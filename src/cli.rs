//! Command-line interface (clap derive). Converts arguments into library
//! options, runs the build, prints diagnostics and a summary, and maps the
//! outcome to an exit code. Nothing here decides anything about books.

use crate::build::{self, BuildOptions, BuildReport, Format};
use crate::diag::Severity;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// folio: turn a Markdown book into a store-ready EPUB and a typeset PDF.
#[derive(Debug, Parser)]
#[command(name = "folio", version, about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print notes and timing details too.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the book into dist/<slug>.epub (and .pdf).
    Build(BuildArgs),
    /// Load, parse and resolve the book and report every problem, writing nothing.
    Check(CheckArgs),
}

/// Arguments of `folio build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The book folder (holding book.toml).
    #[arg(default_value = ".")]
    pub book_dir: PathBuf,
    /// Which formats to build.
    #[arg(long, value_enum, default_value_t = FormatArg::All)]
    pub format: FormatArg,
    /// Output folder.
    #[arg(long, default_value = "dist")]
    pub out: PathBuf,
    /// Treat every warning as an error (for release builds).
    #[arg(long)]
    pub strict: bool,
    /// Print the wall-clock and CPU time of each stage (load+parse, highlight,
    /// epub, pdf layout, pdf write, write) to stderr.
    #[arg(long)]
    pub timings: bool,
    /// PDF profile: `print` (mirrored margins, recto chapter openings) or
    /// `screen` (cover, coloured links, no blank pages). Default: `[pdf] profile`, else print.
    #[arg(long, value_enum)]
    pub profile: Option<ProfileArg>,
}

/// `--profile` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProfileArg {
    /// For the printer.
    Print,
    /// For reading on screens.
    Screen,
}

impl From<ProfileArg> for crate::pdf::layout::book::Profile {
    fn from(p: ProfileArg) -> Self {
        match p {
            ProfileArg::Print => Self::Print,
            ProfileArg::Screen => Self::Screen,
        }
    }
}

/// Arguments of `folio check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The book folder (holding book.toml).
    #[arg(default_value = ".")]
    pub book_dir: PathBuf,
    /// Treat every warning as an error.
    #[arg(long)]
    pub strict: bool,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// EPUB 3 only.
    Epub,
    /// PDF only.
    Pdf,
    /// Every format.
    All,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Epub => Format::Epub,
            FormatArg::Pdf => Format::Pdf,
            FormatArg::All => Format::All,
        }
    }
}

/// Entry point used by `src/main.rs`.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    run(cli)
}

fn run(cli: Cli) -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let mut timings = false;
    let (report, writing) = match cli.command {
        Command::Build(args) => {
            timings = args.timings;
            let opts = BuildOptions {
                book_dir: args.book_dir,
                out_dir: args.out,
                format: args.format.into(),
                strict: args.strict,
                display_base: cwd,
                source_date_epoch: epoch,
                profile: args.profile.map(Into::into),
            };
            (build::build(&opts), true)
        }
        Command::Check(args) => {
            let opts = BuildOptions {
                book_dir: args.book_dir,
                out_dir: PathBuf::from("dist"),
                format: Format::All,
                strict: args.strict,
                display_base: cwd,
                source_date_epoch: epoch,
                profile: None,
            };
            (build::check(&opts), false)
        }
    };
    print_report(&report, cli.quiet, cli.verbose, writing);
    if timings {
        let mut err = std::io::stderr().lock();
        for line in crate::timing::render(&report.stages) {
            let _ = writeln!(err, "{line}");
        }
    }
    if report.failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_report(report: &BuildReport, quiet: bool, verbose: bool, writing: bool) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for (diag, text) in report.diagnostics.iter().zip(report.rendered()) {
        let show = match diag.severity {
            Severity::Error => true,
            Severity::Warning => !quiet,
            Severity::Note => !quiet,
        };
        if show {
            let _ = writeln!(err, "{text}");
        }
    }
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    if quiet {
        return;
    }
    for w in &report.written {
        let _ = writeln!(
            err,
            "wrote {} ({}) in {:.2} s{}",
            shown(&w.path),
            human_size(w.size),
            w.elapsed.as_secs_f64(),
            w.pages.map(|p| format!(", {p} pages")).unwrap_or_default()
        );
    }
    if errors > 0 {
        let _ = writeln!(
            err,
            "{}: {errors} error{}, {warnings} warning{}{}",
            if writing {
                "build failed"
            } else {
                "check failed"
            },
            plural(errors),
            plural(warnings),
            if writing { "; nothing was written" } else { "" }
        );
    } else if warnings > 0 || verbose {
        let _ = writeln!(err, "{} warning{}", warnings, plural(warnings));
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

/// A path relative to the working directory when it is below it.
fn shown(path: &std::path::Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}
