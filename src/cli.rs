//! Command-line interface (clap derive). Converts arguments into library
//! options, runs the build, prints diagnostics and a summary, and maps the
//! outcome to an exit code. Nothing here decides anything about books.
//!
//! Exit codes: 0 success, 1 the book has errors, 2 usage, 3 internal error
//! (a panic, which is always a bug: it is caught here and reported with the
//! stage and file from [`crate::breadcrumb`]), 130/143 interrupted.

use crate::build::{self, BuildOptions, BuildReport, Format};
use crate::diag::Severity;
use crate::diag::render::{self, render};
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
    /// How to print diagnostics: `human` (source line and caret), `short`
    /// (one `file:line:col` line each) or `json` (one object per line, on stdout).
    #[arg(long, value_enum, global = true, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
}

/// `--message-format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// Source excerpt with a caret and help lines.
    Human,
    /// `file:line:col: severity: message`.
    Short,
    /// One JSON object per diagnostic.
    Json,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the book into dist/<slug>.epub (and .pdf).
    #[allow(
        rustdoc::invalid_html_tags,
        reason = "clap prints this line as `folio build`'s help; `<slug>` is a placeholder, not HTML"
    )]
    Build(BuildArgs),
    /// Load, parse and resolve the book, run the lints, and report every
    /// problem, writing nothing.
    Check(CheckArgs),
    /// Build, then rebuild whenever a chapter, image, style, font or
    /// book.toml changes; the last good artifacts stay when a build fails.
    Watch(BuildArgs),
    /// Create a new book that builds at once.
    New {
        /// Folder to create (must be empty or not exist).
        dir: PathBuf,
    },
    /// Print shell completions for `folio`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) for `folio`.
    Manpage,
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
    /// A folder holding the book folder from which chapters, includes and
    /// images may also be read (as Typst's `--root`). Only the command line
    /// can widen where a book reads from, never book.toml. Default: the book
    /// folder.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// PDF profile: `print` (mirrored margins, recto chapter openings) or
    /// `screen` (cover, coloured links, no blank pages). Default: `[pdf] profile`, else print.
    #[arg(long, value_enum)]
    pub profile: Option<ProfileArg>,
    /// A folder of font files (.ttf, .otf, .ttc) for characters the print
    /// style's fonts lack, searched before the system's fonts; repeatable.
    #[arg(long = "font-path", value_name = "DIR")]
    pub font_paths: Vec<PathBuf>,
}

/// `--profile` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ProfileArg {
    /// For the printer.
    Print,
    /// For reading on screens.
    Screen,
}

impl From<ProfileArg> for crate::pdf::Profile {
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
    /// A folder holding the book folder from which chapters, includes and
    /// images may also be read (as Typst's `--root`). Only the command line
    /// can widen where a book reads from, never book.toml. Default: the book
    /// folder.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Also check the rules of a store (repeatable): one line per rule,
    /// exit 1 when one fails. Print stores (kdp, ingram) lay out the PDF.
    #[arg(long = "store", value_enum)]
    pub stores: Vec<StoreArg>,
    /// Print every lint (id, default level, what it finds) and exit; the
    /// ids are what `[lint]` in book.toml takes.
    #[arg(long)]
    pub list_lints: bool,
}

/// `--store` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StoreArg {
    /// Amazon KDP: Kindle eBook and paperback.
    Kdp,
    /// Apple Books.
    Apple,
    /// Google Play Books.
    Google,
    /// Kobo Writing Life.
    Kobo,
    /// IngramSpark: ebook and print.
    Ingram,
}

impl From<StoreArg> for crate::store::Store {
    fn from(s: StoreArg) -> Self {
        match s {
            StoreArg::Kdp => Self::Kdp,
            StoreArg::Apple => Self::Apple,
            StoreArg::Google => Self::Google,
            StoreArg::Kobo => Self::Kobo,
            StoreArg::Ingram => Self::Ingram,
        }
    }
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
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
/// The first panic: where (stage and file) and what.
static PANIC: std::sync::Mutex<Option<(String, String)>> = std::sync::Mutex::new(None);

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
        // Where, as seen by the panicking thread (stages are per thread).
        let place = crate::breadcrumb::describe().unwrap_or_else(|| "while starting".into());
        if let Ok(mut slot) = PANIC.try_lock() {
            slot.get_or_insert((place, format!("{message}{at}")));
        }
    }));
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(code) => code,
        Err(_) => {
            let (place, what) = PANIC
                .try_lock()
                .ok()
                .and_then(|mut p| p.take())
                .unwrap_or_else(|| ("while starting".to_owned(), "unknown panic".to_owned()));
            let _ = writeln!(
                std::io::stderr(),
                "error: internal error {place}: {what}\n  = help: this is a bug in folio, not a problem with your book; please report it, with the file named above if you can share it\n  = help: nothing was written: previous files in the output folder are as they were"
            );
            ExitCode::from(3)
        }
    }
}

fn run(cli: Cli) -> ExitCode {
    match &cli.command {
        Command::New { dir } => return new_book(dir, cli.quiet),
        Command::Completions { shell } => {
            // Into a buffer first: a closed pipe (`| head`) is not an error.
            let mut script = Vec::new();
            clap_complete::generate(
                *shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "folio",
                &mut script,
            );
            let _ = std::io::stdout().write_all(&script);
            return ExitCode::SUCCESS;
        }
        Command::Manpage => {
            let mut page = Vec::new();
            let man = clap_mangen::Man::new(<Cli as clap::CommandFactory>::command());
            return match man.render(&mut page) {
                Ok(()) => {
                    let _ = std::io::stdout().write_all(&page);
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: cannot render the man page: {e}");
                    ExitCode::from(1)
                }
            };
        }
        Command::Watch(args) => {
            let format = message_format(cli.message_format);
            return watch(args, cli.quiet, cli.verbose, format);
        }
        Command::Check(args) if args.list_lints => {
            let _ = std::io::stdout().write_all(crate::diag::Lint::listing().as_bytes());
            return ExitCode::SUCCESS;
        }
        Command::Build(_) | Command::Check(_) => {}
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let mut timings = false;
    let mut stores: Vec<crate::store::Store> = Vec::new();
    let mut check_opts = None;
    let (report, writing) = match cli.command {
        Command::Build(args) => {
            timings = args.timings;
            let opts = BuildOptions {
                book_dir: args.book_dir,
                root: args.root,
                out_dir: args.out,
                format: args.format.into(),
                strict: args.strict,
                source_date_epoch: epoch,
                profile: args.profile.map(Into::into),
                font_paths: args.font_paths.iter().map(|p| cwd.join(p)).collect(),
                display_base: cwd,
            };
            let progress = std::sync::Arc::new(Spinner::new(!cli.quiet));
            let mut session = build::Session::default()
                .exiting()
                .reporting(progress.clone());
            let report = build::build(&opts, &mut session);
            progress.finish();
            // The process ends after the report: its fonts, shaped words and
            // images are left for the OS to take back (`Session::exiting`).
            std::mem::forget(session);
            (report, true)
        }
        Command::Check(args) => {
            let opts = BuildOptions {
                book_dir: args.book_dir,
                root: args.root,
                out_dir: PathBuf::from("dist"),
                format: Format::All,
                strict: args.strict,
                display_base: cwd,
                source_date_epoch: epoch,
                profile: None,
                font_paths: Vec::new(),
            };
            stores = args.stores.iter().map(|&s| s.into()).collect();
            let report = build::check(&opts);
            check_opts = Some(opts);
            (report, false)
        }
        Command::New { .. }
        | Command::Completions { .. }
        | Command::Manpage
        | Command::Watch(_) => {
            return ExitCode::SUCCESS;
        }
    };
    let format = message_format(cli.message_format);
    print_report(&report, cli.quiet, cli.verbose, writing, format);
    if timings {
        let mut err = std::io::stderr().lock();
        for line in crate::timing::render(&report.stages) {
            let _ = writeln!(err, "{line}");
        }
    }
    let failed = report.failed;
    if writing {
        // `folio build` ends here: the sources need not be freed either.
        std::mem::forget(report);
    }
    if failed {
        return ExitCode::from(1);
    }
    match check_opts.filter(|_| !stores.is_empty()) {
        Some(opts) => store_preflight(&opts, &stores, format),
        None => ExitCode::SUCCESS,
    }
}

/// `folio check --store …`: one line per rule on stdout (JSON objects with
/// `--message-format json`); exit 1 when a rule fails.
fn store_preflight(
    opts: &BuildOptions,
    stores: &[crate::store::Store],
    format: render::Format,
) -> ExitCode {
    let preflight = crate::store::preflight(opts, stores);
    let mut out = std::io::stdout().lock();
    for error in &preflight.errors {
        eprintln!("{error}");
    }
    for finding in &preflight.findings {
        let _ = match format {
            render::Format::Json => writeln!(out, "{}", finding.json()),
            _ => writeln!(out, "{}", finding.line()),
        };
    }
    if preflight.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Colour only when stderr is a terminal and the user has not asked for none.
fn wants_color() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none()
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

fn print_report(
    report: &BuildReport,
    quiet: bool,
    verbose: bool,
    writing: bool,
    format: render::Format,
) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for diag in &report.diagnostics {
        let show = match diag.severity {
            Severity::Error => true,
            Severity::Warning | Severity::Note => !quiet,
        };
        if !show {
            continue;
        }
        let text = render(diag, &report.sources, format);
        let _ = match format {
            render::Format::Json => writeln!(out, "{text}"),
            render::Format::Human { .. } => writeln!(err, "{text}\n"),
            render::Format::Short => writeln!(err, "{text}"),
        };
    }
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    if quiet {
        return;
    }
    for w in &report.written {
        let _ = writeln!(
            err,
            "wrote {} ({}{}) in {:.2} s{}",
            shown(&w.path),
            human_size(w.size),
            w.pages.map(|p| format!(", {p} pages")).unwrap_or_default(),
            w.elapsed.as_secs_f64(),
            match w.warnings {
                0 => String::new(),
                1 => ", 1 warning".to_owned(),
                n => format!(", {n} warnings"),
            }
        );
        if verbose {
            for line in &w.details {
                let _ = writeln!(err, "  {line}");
            }
        }
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

fn new_book(dir: &std::path::Path, quiet: bool) -> ExitCode {
    match crate::scaffold::create(dir) {
        Ok(files) => {
            if !quiet {
                eprintln!("created {} with {}", dir.display(), files.join(", "));
                eprintln!("build it with: folio build {}", dir.display());
            }
            ExitCode::SUCCESS
        }
        Err(crate::scaffold::NewError::NotEmpty) => {
            eprintln!(
                "error: `{}` is not empty; folio new never overwrites files\n  = help: choose a new folder name",
                dir.display()
            );
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: cannot create `{}`: {e}", dir.display());
            ExitCode::from(1)
        }
    }
}

/// A spinner on stderr for builds that take more than half a second, drawn
/// only on a terminal, so quick builds and logs stay clean.
struct Spinner {
    bar: indicatif::ProgressBar,
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Spinner {
    fn new(wanted: bool) -> Spinner {
        use std::io::IsTerminal;
        use std::sync::atomic::Ordering;
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::hidden());
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        if wanted && std::io::stderr().is_terminal() {
            let (bar, done) = (bar.clone(), done.clone());
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(500));
                if !done.load(Ordering::Acquire) {
                    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                    bar.enable_steady_tick(std::time::Duration::from_millis(120));
                }
            });
        }
        Spinner { bar, done }
    }

    fn finish(&self) {
        self.done.store(true, std::sync::atomic::Ordering::Release);
        self.bar.finish_and_clear();
    }
}

impl crate::progress::Progress for Spinner {
    fn step(&self, message: &str) {
        self.bar.set_message(message.to_owned());
    }
}

fn message_format(format: MessageFormat) -> render::Format {
    match format {
        MessageFormat::Human => render::Format::Human {
            color: wants_color(),
        },
        MessageFormat::Short => render::Format::Short,
        MessageFormat::Json => render::Format::Json,
    }
}

/// `folio watch`: build, then rebuild on every change, reusing parsed
/// chapters, fonts and shaped words from the previous build.
fn watch(args: &BuildArgs, quiet: bool, verbose: bool, format: render::Format) -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let opts = BuildOptions {
        book_dir: args.book_dir.clone(),
        root: args.root.clone(),
        out_dir: args.out.clone(),
        format: args.format.into(),
        strict: args.strict,
        display_base: cwd.clone(),
        source_date_epoch: std::env::var("SOURCE_DATE_EPOCH").ok(),
        profile: args.profile.map(Into::into),
        font_paths: args.font_paths.iter().map(|p| cwd.join(p)).collect(),
    };
    if !args.book_dir.is_dir() {
        eprintln!("error: `{}` is not a book folder", args.book_dir.display());
        return ExitCode::from(1);
    }
    let out = if args.out.is_absolute() {
        args.out.clone()
    } else {
        cwd.join(&args.out)
    };
    let mut watcher = crate::watch::Watcher::new(&args.book_dir, vec![out]);
    let mut session = build::Session::watching();
    eprintln!(
        "watching {} for changes (Ctrl-C to stop)",
        args.book_dir.display()
    );
    loop {
        let started = std::time::Instant::now();
        let report = build::build(&opts, &mut session);
        print_report(&report, quiet, verbose, true, format);
        if args.timings {
            for line in crate::timing::render(&report.stages) {
                eprintln!("{line}");
            }
        }
        let took = started.elapsed().as_secs_f64();
        if report.failed {
            eprintln!("[watch] build failed in {took:.2} s; the last good artifacts are kept");
        } else {
            eprintln!("[watch] built in {took:.2} s");
        }
        let changed = watcher.wait(
            std::time::Duration::from_millis(150),
            std::time::Duration::from_millis(100),
        );
        session.files_changed(&changed);
        let list: Vec<String> = changed.iter().map(|p| p.display().to_string()).collect();
        eprintln!("[watch] changed: {}", list.join(", "));
    }
}
