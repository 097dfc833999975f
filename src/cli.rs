//! Command-line interface (clap derive). Converts arguments into library
//! options, runs the build, prints diagnostics and a summary, and maps the
//! outcome to an exit code. Nothing here decides anything about books.
//!
//! Exit codes: 0 success, 1 the book has errors, 2 usage, 3 internal error
//! (a panic, which is always a bug: it is caught here and reported with the
//! stage and file from [`crate::breadcrumb`]), 130/143 interrupted.

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
    crate::interrupt::install();
    let cli = Cli::parse();
    catch_internal_errors(|| run(cli))
}

/// The last panic's message and location, recorded by the panic hook.
static PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Runs `body`; a panic anywhere in it (worker threads included) becomes
/// "internal error while … `file`", exit code 3, instead of a backtrace.
fn catch_internal_errors(body: impl FnOnce() -> ExitCode) -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        if let Ok(mut slot) = PANIC.try_lock() {
            slot.get_or_insert(format!("{message}{at}"));
        }
    }));
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(code) => code,
        Err(_) => {
            let what = PANIC
                .try_lock()
                .ok()
                .and_then(|mut p| p.take())
                .unwrap_or_else(|| "unknown panic".to_owned());
            let place = crate::breadcrumb::describe().unwrap_or_else(|| "while starting".into());
            let _ = writeln!(
                std::io::stderr(),
                "error: internal error {place}: {what}\n  = help: this is a bug in folio, not a problem with your book; please report it, with the file named above if you can share it\n  = help: nothing was written: previous files in the output folder are as they were"
            );
            ExitCode::from(3)
        }
    }
}

fn run(cli: Cli) -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let (report, writing) = match cli.command {
        Command::Build(args) => {
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
