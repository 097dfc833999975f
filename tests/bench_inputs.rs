//! The benchmark's inputs and instruments, checked without timing anything:
//! the generated book is deterministic and valid, `--timings` reports every
//! stage, and the layout's shaping work stays proportional to the distinct
//! words of a fixed book (a regression guard that cannot flake).

mod common;

#[path = "../examples/genbook.rs"]
mod genbook;

use folio::diag::Severity;
use folio::pdf::Profile;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// Every file under `dir`, relative path → bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .expect("inside")
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read(&path).expect("readable"));
            }
        }
    }
    out
}

#[test]
fn generated_book_is_deterministic_and_scales_by_prefix() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    let stats = genbook::generate(&a, 0.05).expect("generates");
    assert_eq!(genbook::generate(&b, 0.05).expect("generates"), stats);
    assert_eq!(files(&a), files(&b), "same scale, same bytes");
    assert_eq!(stats.chapters, 6);
    assert!(stats.words > 6 * 1_200, "{stats:?}");
    assert!(
        stats.code_blocks >= 6 * 6 && stats.long_code_lines > 0,
        "{stats:?}"
    );
    assert!(
        stats.figures >= 1 && stats.svgs >= 1 && stats.footnotes > 0 && stats.tables > 0,
        "{stats:?}"
    );
    // What real books carry: listings included from files, `<Listing>`
    // wrappers, warning blocks, `.html` links.
    assert!(
        stats.included * 2 > stats.code_blocks && stats.listing_files >= 6 && stats.wrapped > 0,
        "{stats:?}"
    );
    let text: String = files(&a)
        .iter()
        .filter(|(p, _)| p.ends_with(".md"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    for needle in [
        "{{#include ../../listings/",
        "<Listing number=",
        "<div class=\"warning\">",
        ".html#c00",
    ] {
        assert!(text.contains(needle), "no {needle} in the book");
    }
    // A bigger book starts with the same chapters.
    genbook::generate(&c, 0.1).expect("generates");
    let (small, big) = (files(&a), files(&c));
    for (path, bytes) in &small {
        if path.contains("ch-") || path.starts_with("listings") {
            assert_eq!(Some(bytes), big.get(path), "{path}");
        }
    }
}

/// The screenshots weigh what real ones do: about 3,000 pixels wide (under
/// the 4 megapixels that would warn), with content that does not compress
/// to nothing; every other one has an alpha channel.
#[test]
fn screenshots_are_large_and_not_flat() {
    for k in [0, 1] {
        let bytes = genbook::figures::png_screenshot(k).expect("encodes");
        let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
        let reader = decoder.read_info().expect("a PNG");
        let info = reader.info();
        let (w, h) = (info.width, info.height);
        assert!((2800..=3100).contains(&w) && w * h <= 4_000_000, "{w}×{h}");
        let channels = if k % 2 == 1 { 4 } else { 3 };
        assert_eq!(info.color_type.samples(), channels);
        let raw = (w * h) as usize * channels;
        assert!(
            bytes.len() > raw / 40 && bytes.len() < raw / 4,
            "{} bytes for {raw} bytes of pixels",
            bytes.len()
        );
    }
}

#[test]
fn generated_book_builds_without_warnings_and_passes_epubcheck() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let book = tmp.path().join("book");
    genbook::generate(&book, 0.05).expect("generates");
    let out = tmp.path().join("out");
    let output = common::folio(&[
        "build",
        &book.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
        "--timings",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(out.join("serverless-systems-at-scale.pdf").exists());
    // The benchmark's book is a store-ready book too: no EPUBCheck problem.
    let (ok, messages) = common::epubcheck(&out.join("serverless-systems-at-scale.epub"));
    let problems: Vec<_> = messages
        .iter()
        .filter(|(sev, _, _)| matches!(sev.as_str(), "FATAL" | "ERROR" | "WARNING"))
        .collect();
    assert!(ok && problems.is_empty(), "{problems:#?}");
}

#[test]
fn timings_report_every_stage() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().to_string_lossy().into_owned();
    for (format, stages) in [
        (
            "epub",
            &["load+parse", "highlight", "cover", "epub", "write"][..],
        ),
        (
            "pdf",
            &[
                "load+parse",
                "highlight",
                "cover",
                "pdf layout",
                "pdf write",
                "write",
            ][..],
        ),
        (
            "all",
            &[
                "load+parse",
                "highlight",
                "cover",
                "epub",
                "pdf layout",
                "pdf write",
                "write",
            ][..],
        ),
    ] {
        let output = common::folio(&[
            "build",
            "manuscript",
            "--format",
            format,
            "--out",
            &out,
            "--timings",
            "-q",
        ]);
        assert!(output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        let got: Vec<&str> = stderr
            .lines()
            .filter_map(|l| l.strip_prefix("timing: "))
            .collect();
        let names: Vec<&str> = got
            .iter()
            .map(|l| l.split("  wall").next().unwrap_or("").trim_end())
            .collect();
        assert_eq!(names, stages, "{stderr}");
        for line in got {
            let words: Vec<&str> = line.split_whitespace().collect();
            let n = words.len();
            assert_eq!(&words[n - 6..n - 5], ["wall"], "{line}");
            assert!(
                words[n - 5].parse::<f64>().is_ok_and(|s| s >= 0.0),
                "{line}"
            );
            assert!(
                words[n - 2].parse::<f64>().is_ok_and(|s| s >= 0.0),
                "{line}"
            );
        }
    }
    // Without the flag, nothing is printed.
    let output = common::folio(&[
        "build",
        "manuscript",
        "--format",
        "epub",
        "--out",
        &out,
        "-q",
    ]);
    assert!(output.stderr.is_empty());
}

/// The layout shapes each distinct (word, font, features) once: the number of
/// real shaping calls on a fixed generated book stays within 1.25 × the
/// distinct whitespace-separated tokens and lines of its Markdown (code is
/// shaped per coloured segment of a line), and the cache lookups within three
/// per token (today: 0.93 × and 2.3 ×). A change that defeats the cache, or
/// lays the book out many more times, fails here; a deliberate change of
/// that kind updates the bounds.
#[test]
fn shaping_work_is_proportional_to_distinct_words() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("book");
    genbook::generate(&dir, 0.05).expect("generates");
    let mut distinct = HashSet::new();
    let mut tokens = 0usize;
    // Chapters and the listing files they include.
    for (path, bytes) in files(&dir.join("src"))
        .into_iter()
        .chain(files(&dir.join("listings")))
    {
        if path.ends_with(".png") || path.ends_with(".svg") {
            continue;
        }
        for line in String::from_utf8(bytes).expect("utf-8").lines() {
            distinct.insert(line.to_owned());
            for word in line.split_whitespace() {
                tokens += 1;
                distinct.insert(word.to_owned());
            }
        }
    }

    let mut loaded = common::Loaded::new(&dir);
    let (cx, sink) = loaded.cx();
    let mut cache = folio::pdf::PdfCache::default();
    // One thread: each worker of a parallel layout shapes its own words.
    cache.layout_threads = Some(1);
    let doc = folio::pdf::layout(&cx, Profile::Print, sink, Some(&mut cache)).expect("lays out");
    let stats = cache.last_layout();
    assert!(
        !sink
            .diagnostics()
            .iter()
            .any(|d| d.severity == Severity::Error)
    );
    assert!(doc.pages.len() > 20);
    let lookups = stats.shaping.hits + stats.shaping.misses;
    assert!(
        (stats.shaping.misses as usize) * 4 < distinct.len() * 5,
        "{stats:?}: {} distinct tokens and lines",
        distinct.len()
    );
    assert!(
        (lookups as usize) < 3 * tokens,
        "{stats:?}: {lookups} lookups for {tokens} tokens"
    );
    eprintln!(
        "shaping: {stats:?}, {} distinct tokens and lines, {tokens} tokens",
        distinct.len()
    );
}
