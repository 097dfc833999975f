//! `make bench` (or `cargo bench --bench pipeline`): how long folio takes and
//! how much memory it needs, on the sample book and on the generated book
//! (`examples/genbook.rs`) at ¼, ½, 1× and 2× size.
//!
//! 1. **Stages** (criterion): `load+parse`, `highlight`, `epub`, `pdf layout`
//!    and `pdf write`, called through the library, on the sample and the 1× book.
//! 2. **Whole process**: the release binary (`folio build --timings`) for
//!    `--format epub`, `pdf` and `all` on every input, one warm-up then
//!    `FOLIO_BENCH_RUNS` rounds (default 5) over all cells, round-robin so a
//!    change of load on a shared machine touches every cell alike; each run's wall time, CPU time and
//!    peak RSS come from `wait4` in a small launcher process (this binary
//!    again, see `run_once`), the per-stage wall and CPU times from
//!    `--timings`. The tables show medians.
//!
//! 3. **Real books**: the four books of `../shared/corpus` (found as the
//!    corpus tests find them, `FOLIO_CORPUS` names another folder; skipped
//!    with a note when absent), built with the command their README gives,
//!    like the generated books; a table compares the cost of every book per
//!    100,000 words of prose.
//!
//! The tables go to stdout and to `target/bench/report.md`. Settings, all
//! optional: `FOLIO_BENCH_RUNS=5`, `FOLIO_BENCH_SCALES=0.25,0.5,1,2`,
//! `FOLIO_BENCH_CRITERION=0` (skip the criterion part), `FOLIO_BENCH_CORPUS=0`
//! (skip the real books). Criterion arguments
//! pass through: `cargo bench --bench pipeline -- layout` runs only the
//! stages whose name contains `layout`. Under `cargo test --all-targets`
//! (no `--bench` argument) it only runs each stage once on the sample book.

#[path = "../tests/common/corpus.rs"]
#[allow(
    dead_code,
    reason = "the bench uses only where the corpus is and its commands"
)]
mod corpus;
#[path = "../examples/genbook.rs"]
mod genbook;

use criterion::{BatchSize, Criterion, SamplingMode};
use folio::backend::{Backend, RenderContext};
use folio::diag::Sink;
use folio::pdf::Profile;
use folio::source::Sources;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The binary's allocator, so the in-process measurements (criterion's
/// stages, the watch rebuilds) see what `folio` itself does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The stages `--timings` reports, in order.
const STAGES: &[&str] = &[
    "load+parse",
    "highlight",
    "epub",
    "pdf layout",
    "pdf write",
    "write",
];
const FORMATS: &[&str] = &["epub", "pdf", "all"];

struct Input {
    name: String,
    /// The book folder.
    dir: PathBuf,
    about: String,
    /// What kind of input: the generated books are the ones scaled, watched
    /// and held to the targets.
    kind: InputKind,
    /// `folio build` arguments naming the book, run in `cwd` (the corpus
    /// README's commands are relative to the corpus folder).
    args: Vec<String>,
    cwd: PathBuf,
    /// Words of prose (outside code blocks), counted alike for every book.
    words: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InputKind {
    Sample,
    Generated,
    Corpus,
}

impl Input {
    /// A book built as `folio build DIR`.
    fn plain(name: &str, dir: PathBuf, about: String, kind: InputKind) -> Input {
        Input {
            name: name.to_owned(),
            args: vec![dir.to_string_lossy().into_owned()],
            cwd: dir.clone(),
            words: prose_words(&dir.join("src")),
            dir,
            about,
            kind,
        }
    }
}

/// The corpus's four books, as its README builds them.
const CORPUS: &[&str] = &[
    "mdbook/guide",
    "rust-by-example",
    "async-book",
    "embedded-book",
];

/// Set (to anything) when this binary runs as the launcher of one measured
/// process; see [`launch`].
const LAUNCHER: &str = "FOLIO_BENCH_LAUNCHER";

fn main() {
    if std::env::var_os(LAUNCHER).is_some() {
        launch();
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // `cargo test --all-targets` runs this binary too, without `--bench`:
    // then only check that every stage runs once on the sample book.
    if !std::env::args().any(|a| a == "--bench") {
        let mut c = Criterion::default().configure_from_args();
        stages(
            &mut c,
            &Input::plain(
                "sample",
                root.join("manuscript"),
                String::new(),
                InputKind::Sample,
            ),
        );
        return;
    }
    let bench_dir = root.join("target/bench");
    let runs: usize = env_or("FOLIO_BENCH_RUNS", 5).max(1);
    let scales: Vec<f64> = std::env::var("FOLIO_BENCH_SCALES")
        .unwrap_or_else(|_| "0.25,0.5,1,2".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();

    let mut inputs = vec![Input::plain(
        "sample",
        root.join("manuscript"),
        "the sample book (manuscript/)".into(),
        InputKind::Sample,
    )];
    for &scale in &scales {
        let name = scale_name(scale);
        let dir = bench_dir.join("books").join(&name);
        let stats = genbook::generate(&dir, scale).expect("the generator writes the book");
        inputs.push(Input::plain(
            &name,
            dir,
            format!("generated book at {name}: {}", stats.describe()),
            InputKind::Generated,
        ));
    }
    if env_or("FOLIO_BENCH_CORPUS", 1) != 0 {
        if let Some(corpus_dir) = corpus::dir() {
            for &folder in CORPUS {
                let mut args = corpus::readme_command(&corpus_dir, folder);
                args.remove(0); // "build"
                let dir = corpus_dir.join(folder);
                let words = prose_words(&dir.join("src"));
                inputs.push(Input {
                    name: folder.rsplit('/').next().unwrap_or(folder).to_owned(),
                    about: format!(
                        "`{folder}` of the corpus (`folio build {}`), {words} words of prose",
                        args.join(" ")
                    ),
                    kind: InputKind::Corpus,
                    args,
                    cwd: corpus_dir.clone(),
                    words,
                    dir,
                });
            }
        }
    }

    if env_or("FOLIO_BENCH_CRITERION", 1) != 0 {
        let mut c = Criterion::default()
            .sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3))
            .configure_from_args();
        for input in inputs
            .iter()
            .filter(|i| i.kind == InputKind::Sample || i.name == "1x")
        {
            stages(&mut c, input);
        }
        c.final_summary();
    }

    let folio = PathBuf::from(env!("CARGO_BIN_EXE_folio"));
    let out_dir = bench_dir.join("out");
    let mut report = String::new();
    let _ = writeln!(report, "{}\n", machine());
    let _ = writeln!(
        report,
        "Whole process: `folio build BOOK --format F --timings`, median of {runs} runs after a warm-up, cells run round-robin. \
         Stage cells are wall / CPU seconds (CPU of all threads); peak RSS from `wait4`.\n"
    );
    // Every cell (input × format) is warmed up once, then the cells are run
    // round-robin, `runs` rounds: a change in the machine's load (it may be
    // shared) then touches every cell alike instead of skewing one input.
    let cells: Vec<(&Input, &str, PathBuf)> = inputs
        .iter()
        .flat_map(|input| {
            FORMATS
                .iter()
                .map(|&f| (input, f, out_dir.join(format!("{}-{f}", input.name))))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut runs_of: Vec<Vec<Run>> = cells.iter().map(|_| Vec::new()).collect();
    // A real book folio cannot build yet is reported, not fatal; a
    // generated book must build.
    let mut failed: Vec<Option<String>> = cells.iter().map(|_| None).collect();
    for round in 0..=runs {
        for (k, (input, format, out)) in cells.iter().enumerate() {
            if failed[k].is_some() {
                continue;
            }
            let run = run_once(&folio, input, out, format);
            if !run.ok {
                assert!(
                    input.kind == InputKind::Corpus,
                    "folio build {} --format {format} failed:\n{}",
                    input.dir.display(),
                    run.stderr
                );
                let first_error = run
                    .stderr
                    .lines()
                    .find(|l| l.starts_with("error"))
                    .unwrap_or("build failed")
                    .to_owned();
                failed[k] = Some(first_error);
                continue;
            }
            if round > 0 {
                runs_of[k].push(run);
            }
        }
    }
    let mut all_results: BTreeMap<(String, String), Measured> = BTreeMap::new();
    for input in &inputs {
        let mut table = format!(
            "### {}\n\n{}\n\n| format | {} | process wall | process CPU | peak RSS | output |\n|---|{}---:|---:|---:|---|\n",
            input.name,
            input.about,
            STAGES.join(" | "),
            "---:|".repeat(STAGES.len())
        );
        for &format in FORMATS {
            let k = cells
                .iter()
                .position(|(i, f, _)| i.name == input.name && *f == format)
                .expect("every cell was run");
            if let Some(error) = &failed[k] {
                let _ = writeln!(
                    table,
                    "| {format} | {} | – | – | – | folio cannot build it: {} |",
                    vec!["–"; STAGES.len()].join(" | "),
                    error.replace('|', "\\|")
                );
                continue;
            }
            let m = summarize(&runs_of[k], &cells[k].2, format);
            let cells: Vec<String> = STAGES
                .iter()
                .map(|s| match m.stages.get(*s) {
                    Some((w, c)) => format!("{w:.3} / {c:.3}"),
                    None => "–".into(),
                })
                .collect();
            let _ = writeln!(
                table,
                "| {format} | {} | {:.3} s | {:.3} s | {:.0} MiB | {} |",
                cells.join(" | "),
                m.wall,
                m.cpu,
                m.rss_mib,
                m.output
            );
            all_results.insert((input.name.clone(), format.to_owned()), m);
        }
        println!("\n{table}");
        report.push_str(&table);
        report.push('\n');
    }

    let growth = growth_table(&inputs, &all_results);
    println!("{growth}");
    report.push_str(&growth);
    let per_words = per_words_table(&inputs, &all_results);
    println!("{per_words}");
    report.push_str(&per_words);
    let (watch, watch_1x) = watch_table(&inputs, &out_dir, runs);
    println!("{watch}");
    report.push_str(&watch);
    let targets = targets_table(&all_results, watch_1x);
    println!("{targets}");
    report.push_str(&targets);
    let _ = writeln!(report, "Load average after the runs: {}", load_average());
    let path = bench_dir.join("report.md");
    std::fs::write(&path, &report).expect("the report is written");
    println!("(also written to {})", path.display());
}

fn scale_name(scale: f64) -> String {
    format!("{scale}x")
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Criterion benchmarks of each library stage on one input.
fn stages(c: &mut Criterion, input: &Input) {
    let cwd = std::env::current_dir().expect("a working directory");
    let load = || {
        let mut sources = Sources::new(&cwd);
        let mut sink = Sink::new();
        let ms = folio::manuscript::load(&input.dir, None, &mut sources, &mut sink).expect("loads");
        let book = folio::parse::book(&ms, &sources, &mut sink, None).expect("parses");
        (sources, ms, book)
    };
    let mut group = c.benchmark_group(&input.name);
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("load+parse", |b| b.iter(load));
    let (sources, ms, mut book) = load();
    group.bench_function("highlight", |b| {
        b.iter_batched(
            || book.clone(),
            |mut book| folio::highlight::book(&mut book, None),
            BatchSize::LargeInput,
        )
    });
    folio::highlight::book(&mut book, None);
    let cx = RenderContext {
        book: &book,
        config: &ms.config,
        root: &ms.root,
        sources: &sources,
        date: 1_700_000_000,
        print_pages: None,
    };
    group.bench_function("epub", |b| {
        b.iter(|| folio::epub::EpubBackend.render(&cx, &mut Sink::new()))
    });
    group.bench_function("pdf layout", |b| {
        b.iter(|| folio::pdf::layout(&cx, Profile::Print, &mut Sink::new(), None))
    });
    // The same with every chapter set on this thread: what the parallel
    // chapter layout (`layout::parallel`) saves.
    group.bench_function("pdf layout, one thread", |b| {
        b.iter(|| {
            let mut cache = folio::pdf::PdfCache::default();
            cache.layout_threads = Some(1);
            folio::pdf::layout(&cx, Profile::Print, &mut Sink::new(), Some(&mut cache))
        })
    });
    let doc = folio::pdf::layout(&cx, Profile::Print, &mut Sink::new(), None).expect("lays out");
    group.bench_function("pdf write", |b| {
        b.iter(|| folio::pdf::write::write_pdf(&doc, None))
    });
    group.finish();
}

/// Medians of several runs of one build.
#[derive(Debug, Default)]
struct Measured {
    wall: f64,
    cpu: f64,
    rss_mib: f64,
    /// Stage name → (wall, CPU) seconds.
    stages: BTreeMap<String, (f64, f64)>,
    /// Pages and sizes, from the last run.
    output: String,
    /// Pages of the PDF, from the last run.
    pages: Option<usize>,
}

struct Run {
    /// Whether folio exited 0.
    ok: bool,
    wall: f64,
    cpu: f64,
    rss_kib: u64,
    stderr: String,
}

/// Medians of the runs of one cell (one input, one format).
fn summarize(results: &[Run], out: &Path, format: &str) -> Measured {
    let mut stages: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for &stage in STAGES {
        let values: Vec<(f64, f64)> = results
            .iter()
            .filter_map(|r| stage_time(&r.stderr, stage))
            .collect();
        if values.len() == results.len() {
            stages.insert(
                stage.to_owned(),
                (
                    median(values.iter().map(|v| v.0).collect()),
                    median(values.iter().map(|v| v.1).collect()),
                ),
            );
        }
    }
    let output = std::fs::read_dir(out)
        .map(|entries| {
            let mut files: Vec<String> = entries
                .flatten()
                .filter(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    format == "all" || name.ends_with(&format!(".{format}"))
                })
                .map(|e| {
                    let size = e.metadata().map(|m| m.len()).unwrap_or(0);
                    let name = e.file_name().to_string_lossy().into_owned();
                    let ext = name.rsplit('.').next().unwrap_or("").to_owned();
                    format!("{ext} {:.1} MiB", size as f64 / 1048576.0)
                })
                .collect();
            files.sort();
            files.join(", ")
        })
        .unwrap_or_default();
    let page_count = results
        .last()
        .and_then(|r| r.stderr.lines().find_map(pages_of));
    let pages = page_count
        .map(|p| format!(", {p} pages"))
        .unwrap_or_default();
    Measured {
        wall: median(results.iter().map(|r| r.wall).collect()),
        cpu: median(results.iter().map(|r| r.cpu).collect()),
        rss_mib: median(results.iter().map(|r| r.rss_kib as f64 / 1024.0).collect()),
        stages,
        output: format!("{output}{pages}"),
        pages: page_count,
    }
}

/// `N` from folio's `wrote … (5.4 MiB, N pages) in 1.2 s` line.
fn pages_of(line: &str) -> Option<usize> {
    let (before, _) = line.strip_prefix("wrote ")?.split_once(" pages)")?;
    before.rsplit(' ').next()?.parse().ok()
}

fn stage_time(stderr: &str, stage: &str) -> Option<(f64, f64)> {
    stderr.lines().find_map(|line| {
        let rest = line.strip_prefix("timing: ")?;
        let rest = rest.strip_prefix(stage)?;
        let mut words = rest.split_whitespace();
        // "wall 0.123 s cpu 0.120 s"
        if words.next()? != "wall" {
            return None;
        }
        let wall = words.next()?.parse().ok()?;
        words.next()?;
        words.next()?;
        let cpu = words.next()?.parse().ok()?;
        Some((wall, cpu))
    })
}

/// Runs one build through the launcher (this binary, started afresh) and
/// reads its report.
///
/// Why a launcher: on Linux a child's peak RSS (`ru_maxrss`) starts from the
/// RSS of the process it was forked from, and this harness holds whole books
/// in memory after the criterion part. A freshly started launcher is small,
/// so the folio it forks reports its own peak.
fn run_once(folio: &Path, input: &Input, out: &Path, format: &str) -> Run {
    let _ = std::fs::remove_dir_all(out);
    let me = std::env::current_exe().expect("the harness knows its path");
    let mut child = Command::new(me)
        .env(LAUNCHER, "1")
        .arg(folio)
        .args(["build", "--timings", "--format", format, "--out"])
        .arg(out)
        .args(&input.args)
        .current_dir(&input.cwd)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the launcher starts");
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    let mut stdout = String::new();
    if let Some(mut pipe) = child.stdout.take() {
        let _ = pipe.read_to_string(&mut stdout);
    }
    let _ = child.wait();
    let fields: Vec<&str> = stdout.split_whitespace().collect();
    let field = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
    let (Some(ok), Some(wall), Some(cpu), Some(rss)) = (field(0), field(1), field(2), field(3))
    else {
        panic!("the launcher failed: {stdout}\n{stderr}");
    };
    Run {
        ok: ok == 1.0,
        wall,
        cpu,
        rss_kib: rss as u64,
        stderr,
    }
}

/// Launcher mode: runs the command in its arguments (stderr passed through)
/// and prints `OK WALL CPU MAXRSS_KIB` for it on stdout.
#[expect(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4 in `wait`, which also reads its rusage"
)]
fn launch() {
    let mut args = std::env::args_os().skip(1);
    let program = args.next().expect("a program to launch");
    let started = Instant::now();
    let child = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .spawn()
        .expect("the program starts");
    let (ok, (cpu, rss)) = wait(child.id());
    let wall = started.elapsed().as_secs_f64();
    println!("{} {wall:.6} {cpu:.6} {rss}", u8::from(ok));
}

/// Waits for the child and returns (success, (CPU seconds, peak RSS KiB)).
#[cfg(unix)]
fn wait(pid: u32) -> (bool, (f64, u64)) {
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for the kernel to overwrite.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet reaped; both pointers are valid.
    let rc = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid as libc::pid_t, "wait4 failed");
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    (
        ok,
        (
            secs(usage.ru_utime) + secs(usage.ru_stime),
            usage.ru_maxrss as u64,
        ),
    )
}

fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Whole-process wall time per format across the generated scales, and
/// each scale's time relative to 1×.
fn growth_table(inputs: &[Input], results: &BTreeMap<(String, String), Measured>) -> String {
    let generated: Vec<&Input> = inputs
        .iter()
        .filter(|i| i.kind == InputKind::Generated)
        .collect();
    let mut out = format!(
        "### Growth (whole-process wall time; in brackets: relative to 1×)\n\n| format | {} |\n|---|{}\n",
        generated
            .iter()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>()
            .join(" | "),
        "---:|".repeat(generated.len())
    );
    for &format in FORMATS {
        let base = results
            .get(&("1x".to_owned(), format.to_owned()))
            .map(|m| m.wall);
        let cells: Vec<String> = generated
            .iter()
            .map(
                |i| match results.get(&(i.name.clone(), format.to_owned())) {
                    Some(m) => match base {
                        Some(b) => format!("{:.3} s ({:.2}×)", m.wall, m.wall / b),
                        None => format!("{:.3} s", m.wall),
                    },
                    None => "–".into(),
                },
            )
            .collect();
        let _ = writeln!(out, "| {format} | {} |", cells.join(" | "));
    }
    out.push('\n');
    out
}

/// The issue's targets on the 1× book.
/// `folio watch` after a one-word edit: per generated book, one build in a
/// [`folio::build::Session`], then `runs` rebuilds, each after replacing one
/// more word of a chapter in the middle of the book. In-process (the
/// library's `build` in a watching session, as `watch` calls it), so the
/// wall time is the rebuild alone, without the file watcher's debounce.
/// Returns the table and the 1× median.
fn watch_table(inputs: &[Input], out_dir: &Path, runs: usize) -> (String, Option<f64>) {
    let mut out = String::from(
        "### `folio watch`: rebuild after a one-word edit (EPUB and PDF)\n\n\
         | input | cold build in the session | rebuild, median | rebuild, slowest |\n\
         |---|---:|---:|---:|\n",
    );
    let mut at_1x = None;
    for input in inputs.iter().filter(|i| i.kind == InputKind::Generated) {
        let mut chapters: Vec<PathBuf> = Vec::new();
        collect_markdown(&input.dir.join("src"), &mut chapters);
        chapters.retain(|p| p.file_name().is_some_and(|n| n != "SUMMARY.md"));
        chapters.sort();
        let Some(chapter) = chapters.get(chapters.len() / 2).cloned() else {
            continue;
        };
        let opts = folio::BuildOptions {
            book_dir: input.dir.clone(),
            root: None,
            out_dir: out_dir.join(format!("{}-watch", input.name)),
            format: folio::Format::All,
            strict: false,
            display_base: input.dir.clone(),
            source_date_epoch: Some("1700000000".into()),
            profile: None,
            font_paths: Vec::new(),
        };
        let mut session = folio::build::Session::watching();
        let started = Instant::now();
        let report = folio::build(&opts, &mut session);
        assert!(!report.failed, "the generated book builds");
        let cold = started.elapsed().as_secs_f64();
        let mut times = Vec::new();
        for _ in 0..runs.max(3) {
            let text = std::fs::read_to_string(&chapter).expect("chapter");
            let edited = text.replacen(" the ", " one ", 1);
            std::fs::write(&chapter, edited).expect("edit");
            session.files_changed(std::slice::from_ref(&chapter));
            let started = Instant::now();
            let report = folio::build(&opts, &mut session);
            assert!(!report.failed, "the edited book builds");
            times.push(started.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        if input.name == "1x" {
            at_1x = Some(median);
        }
        let _ = writeln!(
            out,
            "| {} | {cold:.3} s | {median:.3} s | {:.3} s |",
            input.name,
            times.last().copied().unwrap_or(median)
        );
    }
    out.push('\n');
    (out, at_1x)
}

fn collect_markdown(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_markdown(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

fn targets_table(results: &BTreeMap<(String, String), Measured>, watch_1x: Option<f64>) -> String {
    let get = |name: &str, format: &str| results.get(&(name.to_owned(), format.to_owned()));
    let mut out = String::from(
        "### Targets (issue 17; 1× book, whole process)\n\n\
         | target | measured | CPU (all threads) | met |\n|---|---:|---:|---|\n",
    );
    let mut row = |what: &str, value: Option<(f64, Option<f64>)>, limit: f64, unit: &str| {
        let (shown, cpu, met) = match value {
            Some((v, cpu)) => (
                format!("{v:.3} {unit}"),
                cpu.map_or("–".into(), |c| format!("{c:.3} s")),
                if v <= limit { "yes" } else { "no" },
            ),
            None => ("–".into(), "–".into(), "–"),
        };
        let _ = writeln!(out, "| {what} | {shown} | {cpu} | {met} |");
    };
    let time = |m: &Measured| (m.wall, Some(m.cpu));
    let rss = |m: &Measured| (m.rss_mib, None);
    row("epub ≤ 0.20 s", get("1x", "epub").map(time), 0.20, "s");
    row("pdf ≤ 0.80 s", get("1x", "pdf").map(time), 0.80, "s");
    row("all ≤ 0.90 s", get("1x", "all").map(time), 0.90, "s");
    row("epub ≤ 250 MiB", get("1x", "epub").map(rss), 250.0, "MiB");
    row("pdf ≤ 250 MiB", get("1x", "pdf").map(rss), 250.0, "MiB");
    row("all ≤ 250 MiB", get("1x", "all").map(rss), 250.0, "MiB");
    let ratio = match (get("2x", "all"), get("1x", "all")) {
        (Some(a), Some(b)) => Some((a.wall / b.wall, None)),
        _ => None,
    };
    row("all: 2× book ≤ 2.1 × 1×", ratio, 2.1, "×");
    row(
        "watch: one-word rebuild ≤ 0.15 s",
        watch_1x.map(|w| (w, None)),
        0.15,
        "s",
    );
    out.push('\n');
    out
}

/// Every generated and real book's cost per 100,000 words of prose: the
/// stages of `--format pdf` (the EPUB's of `--format epub`) and the whole
/// processes, wall / CPU seconds, so books of different lengths compare.
fn per_words_table(inputs: &[Input], results: &BTreeMap<(String, String), Measured>) -> String {
    let mut out = String::from(
        "### Cost per 100,000 words of prose (wall / CPU seconds)\n\n\
         Stages from `--format pdf` (epub from `--format epub`); words counted alike for every \
         book (whitespace-separated, outside code fences, in the Markdown under src/).\n\n\
         | book | words | pages | load+parse | highlight | epub | pdf layout | pdf write | epub process | pdf process | all process |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for input in inputs.iter().filter(|i| i.kind != InputKind::Sample) {
        let get = |format: &str| results.get(&(input.name.clone(), format.to_owned()));
        let per = 100_000.0 / input.words.max(1) as f64;
        let pair = |v: Option<(f64, f64)>| {
            v.map_or("–".into(), |(w, c)| {
                format!("{:.3} / {:.3}", w * per, c * per)
            })
        };
        let stage =
            |format: &str, name: &str| pair(get(format).and_then(|m| m.stages.get(name).copied()));
        let process = |format: &str| pair(get(format).map(|m| (m.wall, m.cpu)));
        let pages = get("pdf")
            .and_then(|m| m.pages)
            .map_or("–".into(), |p| p.to_string());
        let _ = writeln!(
            out,
            "| {} | {} | {pages} | {} | {} | {} | {} | {} | {} | {} | {} |",
            input.name,
            input.words,
            stage("pdf", "load+parse"),
            stage("pdf", "highlight"),
            stage("epub", "epub"),
            stage("pdf", "pdf layout"),
            stage("pdf", "pdf write"),
            process("epub"),
            process("pdf"),
            process("all"),
        );
    }
    out.push('\n');
    out
}

/// Whitespace-separated words in the Markdown files under `dir`, outside
/// fenced code blocks (`SUMMARY.md` left out).
fn prose_words(dir: &Path) -> usize {
    let mut files = Vec::new();
    collect_markdown(dir, &mut files);
    files
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n != "SUMMARY.md"))
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            let mut fence: Option<&str> = None;
            let mut words = 0;
            for line in text.lines() {
                let trimmed = line.trim_start();
                let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
                match (fence, marker) {
                    (None, Some(m)) => fence = Some(m),
                    (Some(open), Some(m)) if open == m && trimmed.trim_end() == m => fence = None,
                    (None, None) => words += line.split_whitespace().count(),
                    _ => {}
                }
            }
            words
        })
        .sum()
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// The machine, for the report.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")
                .map(|r| r.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").parse::<f64>().ok())
        .map(|kib| format!("{:.1} GiB", kib / 1048576.0))
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let rustc = Command::new("rustc")
        .arg("-V")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let load = load_average();
    format!(
        "Machine: {cores} cores ({model}), {mem} memory; {rustc}; folio {commit}; load average before the runs: {load}"
    )
}
