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
//! The tables go to stdout and to `target/bench/report.md`. Settings, all
//! optional: `FOLIO_BENCH_RUNS=5`, `FOLIO_BENCH_SCALES=0.25,0.5,1,2`,
//! `FOLIO_BENCH_CRITERION=0` (skip the criterion part). Criterion arguments
//! pass through: `cargo bench --bench pipeline -- layout` runs only the
//! stages whose name contains `layout`. Under `cargo test --all-targets`
//! (no `--bench` argument) it only runs each stage once on the sample book.

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
    dir: PathBuf,
    about: String,
}

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
            &Input {
                name: "sample".into(),
                dir: root.join("manuscript"),
                about: String::new(),
            },
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

    let mut inputs = vec![Input {
        name: "sample".into(),
        dir: root.join("manuscript"),
        about: "the sample book (manuscript/)".into(),
    }];
    for &scale in &scales {
        let name = scale_name(scale);
        let dir = bench_dir.join("books").join(&name);
        let stats = genbook::generate(&dir, scale).expect("the generator writes the book");
        inputs.push(Input {
            about: format!(
                "generated book at {name}: {} chapters, {} words, {} code blocks ({} lines over the measure), \
                 {} figures, {} tables ({} longer than a page), {} footnotes, {:.1} MiB of Markdown",
                stats.chapters,
                stats.words,
                stats.code_blocks,
                stats.long_code_lines,
                stats.figures,
                stats.tables,
                stats.long_tables,
                stats.footnotes,
                stats.markdown_bytes as f64 / 1048576.0
            ),
            name,
            dir,
        });
    }

    if env_or("FOLIO_BENCH_CRITERION", 1) != 0 {
        let mut c = Criterion::default()
            .sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3))
            .configure_from_args();
        for input in inputs
            .iter()
            .filter(|i| i.name == "sample" || i.name == "1x")
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
    for round in 0..=runs {
        for (k, (input, format, out)) in cells.iter().enumerate() {
            let run = run_once(&folio, &input.dir, out, format);
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
    let (watch, watch_1x) = watch_table(&inputs, &out_dir, runs);
    println!("{watch}");
    report.push_str(&watch);
    let targets = targets_table(&all_results, watch_1x);
    println!("{targets}");
    report.push_str(&targets);
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
        let ms = folio::manuscript::load(&input.dir, &mut sources, &mut sink).expect("loads");
        let book = folio::parse::book(&ms, &sources, &mut sink).expect("parses");
        (sources, ms, book)
    };
    let mut group = c.benchmark_group(&input.name);
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("load+parse", |b| b.iter(load));
    let (sources, ms, mut book) = load();
    group.bench_function("highlight", |b| {
        b.iter_batched(
            || book.clone(),
            |mut book| folio::highlight::book(&mut book),
            BatchSize::LargeInput,
        )
    });
    folio::highlight::book(&mut book);
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
        b.iter(|| folio::pdf::layout(&cx, Profile::Print, &mut Sink::new()))
    });
    let doc = folio::pdf::layout(&cx, Profile::Print, &mut Sink::new()).expect("lays out");
    group.bench_function("pdf write", |b| {
        b.iter(|| folio::pdf::write::write_pdf(&doc))
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
}

struct Run {
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
    let pages = results
        .last()
        .and_then(|r| r.stderr.lines().find_map(pages_of))
        .map(|p| format!(", {p} pages"))
        .unwrap_or_default();
    Measured {
        wall: median(results.iter().map(|r| r.wall).collect()),
        cpu: median(results.iter().map(|r| r.cpu).collect()),
        rss_mib: median(results.iter().map(|r| r.rss_kib as f64 / 1024.0).collect()),
        stages,
        output: format!("{output}{pages}"),
    }
}

/// `N` from folio's `wrote … in 1.2 s, N pages` line.
fn pages_of(line: &str) -> Option<usize> {
    let rest = line.strip_suffix(" pages")?;
    rest.rsplit(' ').next()?.parse().ok()
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
fn run_once(folio: &Path, book: &Path, out: &Path, format: &str) -> Run {
    let _ = std::fs::remove_dir_all(out);
    let me = std::env::current_exe().expect("the harness knows its path");
    let mut child = Command::new(me)
        .env(LAUNCHER, "1")
        .arg(folio)
        .args(["build", "--timings", "--format", format, "--out"])
        .arg(out)
        .arg(book)
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
    assert!(
        ok == 1.0,
        "folio build {} --format {format} failed:\n{stderr}",
        book.display()
    );
    Run {
        wall,
        cpu,
        rss_kib: rss as u64,
        stderr,
    }
}

/// Launcher mode: runs the command in its arguments (stderr passed through)
/// and prints `OK WALL CPU MAXRSS_KIB` for it on stdout.
#[allow(
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
    let generated: Vec<&Input> = inputs.iter().filter(|i| i.name != "sample").collect();
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

/// The targets on the 1× book.
/// `folio watch` after a one-word edit: per generated book, one build in a
/// [`folio::build::Session`], then `runs` rebuilds, each after replacing one
/// more word of a chapter in the middle of the book. In-process (the
/// library's `build_in`, as `watch` calls it), so the wall time is the
/// rebuild alone, without the file watcher's debounce. Returns the table
/// and the 1× median.
fn watch_table(inputs: &[Input], out_dir: &Path, runs: usize) -> (String, Option<f64>) {
    let mut out = String::from(
        "### `folio watch`: rebuild after a one-word edit (EPUB and PDF)\n\n\
         | input | cold build in the session | rebuild, median | rebuild, slowest |\n\
         |---|---:|---:|---:|\n",
    );
    let mut at_1x = None;
    for input in inputs.iter().filter(|i| i.name != "sample") {
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
        let report = folio::build::build_in(&mut session, &opts, &folio::progress::Silent);
        assert!(!report.failed, "the generated book builds");
        let cold = started.elapsed().as_secs_f64();
        let mut times = Vec::new();
        for _ in 0..runs.max(3) {
            let text = std::fs::read_to_string(&chapter).expect("chapter");
            let edited = text.replacen(" the ", " one ", 1);
            std::fs::write(&chapter, edited).expect("edit");
            session.files_changed(std::slice::from_ref(&chapter));
            let started = Instant::now();
            let report = folio::build::build_in(&mut session, &opts, &folio::progress::Silent);
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
        "### Targets (1× book, whole process)\n\n| target | measured | met |\n|---|---:|---|\n",
    );
    let mut row = |what: &str, value: Option<f64>, limit: f64, unit: &str| {
        let (shown, met) = match value {
            Some(v) => (
                format!("{v:.3} {unit}"),
                if v <= limit { "yes" } else { "no" },
            ),
            None => ("–".into(), "–"),
        };
        let _ = writeln!(out, "| {what} | {shown} | {met} |");
    };
    row(
        "epub ≤ 0.25 s",
        get("1x", "epub").map(|m| m.wall),
        0.25,
        "s",
    );
    row(
        "epub ≤ 100 MiB",
        get("1x", "epub").map(|m| m.rss_mib),
        100.0,
        "MiB",
    );
    row("pdf ≤ 1.0 s", get("1x", "pdf").map(|m| m.wall), 1.0, "s");
    row(
        "pdf ≤ 250 MiB",
        get("1x", "pdf").map(|m| m.rss_mib),
        250.0,
        "MiB",
    );
    row("all ≤ 1.2 s", get("1x", "all").map(|m| m.wall), 1.2, "s");
    let ratio = match (get("2x", "all"), get("1x", "all")) {
        (Some(a), Some(b)) => Some(a.wall / b.wall),
        _ => None,
    };
    row("all: 2× book ≤ 2.2 × 1×", ratio, 2.2, "×");
    row("watch: one-word rebuild ≤ 0.3 s", watch_1x, 0.3, "s");
    out.push('\n');
    out
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
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    format!(
        "Machine: {cores} cores ({model}), {mem} memory; {rustc}; folio {commit}; load average before the runs: {load}"
    )
}
