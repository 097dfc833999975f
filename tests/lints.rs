//! `folio check` lints, one positive and one negative case each, plus the
//! seed chapter's mojibake and the `[lint]` levels that silence or deny.

mod common;

use common::{expect_file, fixture, folio};

/// Runs `folio check` on a temporary book with one chapter; returns stderr
/// (short format) and the exit code.
fn check(chapter: &str, extra_toml: &str, files: &[(&str, &[u8])]) -> (String, i32) {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::write(
        dir.path().join("book.toml"),
        format!("[book]\ntitle = \"Lint\"\nlanguage = \"en\"\nauthors = [\"A. Author\"]\nidentifier = \"978-0-306-40615-7\"\nchapters = [\"ch.md\"]\n{extra_toml}"),
    )
    .expect("toml");
    std::fs::write(dir.path().join("ch.md"), chapter).expect("chapter");
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(path, bytes).expect("file");
    }
    let run = folio(&[
        "check",
        &dir.path().to_string_lossy(),
        "--message-format",
        "short",
    ]);
    let stderr =
        String::from_utf8_lossy(&run.stderr).replace(&format!("{}/", dir.path().display()), "");
    (stderr, run.status.code().unwrap_or(-1))
}

fn png(width: u32, height: u32) -> Vec<u8> {
    // A whole (black) PNG: `check` decodes every image, as `build` does.
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Grayscale);
    let mut writer = encoder.write_header().expect("header");
    writer
        .write_image_data(&vec![0; (width * height) as usize])
        .expect("rows");
    writer.finish().expect("end");
    out
}

/// (lint id, chapter that triggers it at `ch.md:line:col`, chapter that does not).
const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "mojibake",
        "# One\n\nThe ā€œperfectā€ stack.\n",
        "ch.md:3:5",
        "# One\n\nThe “perfect” stack, café, naïve.\n",
    ),
    (
        "repeated-word",
        "# One\n\nIt was the the best.\n",
        "ch.md:3:8",
        "# One\n\nIt was the best; that that is, is.\n",
    ),
    (
        "unbalanced",
        "# One\n\nA (broken aside.\n",
        "ch.md:3:3",
        "# One\n\nA (whole) aside and [brackets].\n",
    ),
    (
        "heading-skip",
        "# One\n\nText.\n\n#### Deep\n\nText.\n",
        "ch.md:5:1",
        "# One\n\nText.\n\n## Two\n\n### Three\n",
    ),
    (
        "empty-chapter",
        "# Only a title\n",
        "ch.md:1:1",
        "# One\n\nText.\n",
    ),
    (
        "duplicate-id",
        "# One\n\n## A {#same}\n\n## B {#same}\n",
        "ch.md:5:1",
        "# One\n\n## A {#a}\n\nText.\n\n## B {#b}\n\nText.\n",
    ),
    (
        "long-code-line",
        "# One\n\n```\nshort\nthis line is much longer than the measure of a six by nine inch page at eight and a half points\n```\n",
        "ch.md:5:1",
        "# One\n\n```\nshort enough\n```\n",
    ),
    (
        "missing-alt",
        "# One\n\n![](img/a.png)\n",
        "ch.md:3:1",
        "# One\n\n![A chart](img/a.png)\n",
    ),
];

#[test]
fn each_lint_fires_where_it_should_and_only_there() {
    let image: &[u8] = &png(2000, 1000);
    let mut failures = Vec::new();
    for (id, positive, at, negative) in CASES {
        let files: &[(&str, &[u8])] = &[("img/a.png", image)];
        let (stderr, _) = check(positive, "", files);
        if !stderr.contains(&format!("{at}: warning")) {
            failures.push(format!("{id}: expected a warning at {at}, got:\n{stderr}"));
        }
        let (stderr, _) = check(negative, "", files);
        if stderr.contains(": warning") {
            failures.push(format!("{id}: the negative case warns:\n{stderr}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn straight_quotes_only_when_smart_punctuation_is_off() {
    let chapter = "# One\n\nShe said \"no\" -- twice.\n";
    let (off, _) = check(chapter, "\n[typography]\nsmart-punctuation = false\n", &[]);
    assert!(
        off.contains("ch.md:3:10: warning: straight `\"` in prose"),
        "{off}"
    );
    let (on, _) = check(chapter, "", &[]);
    assert!(!on.contains("straight"), "{on}");
}

#[test]
fn images_too_small_to_print_well_are_flagged() {
    let small = png(300, 200);
    let (stderr, _) = check(
        "# One\n\n![A small chart](a.png)\n",
        "",
        &[("a.png", &small)],
    );
    assert!(
        stderr.contains(
            "ch.md:3:1: warning: image `a.png` is 300 pixels wide: at 300 DPI it prints 1.0 in wide"
        ),
        "{stderr}"
    );
    let huge = png(3000, 2000);
    let (stderr, _) = check("# One\n\n![A huge chart](a.png)\n", "", &[("a.png", &huge)]);
    assert!(stderr.contains("above the 4 megapixels"), "{stderr}");
}

#[test]
fn lint_levels_silence_or_deny() {
    let chapter = "# One\n\nIt was the the best.\n";
    let (allowed, code) = check(chapter, "\n[lint]\nrepeated-word = \"allow\"\n", &[]);
    assert!(!allowed.contains("same word"), "{allowed}");
    assert_eq!(code, 0);
    let (denied, code) = check(chapter, "\n[lint]\nrepeated-word = \"deny\"\n", &[]);
    assert!(
        denied.contains("ch.md:3:8: error: `the the`: the same word twice"),
        "{denied}"
    );
    assert_eq!(code, 1);
    let (unknown, code) = check(chapter, "\n[lint]\nrepeated-words = \"allow\"\n", &[]);
    assert!(
        unknown.contains("unknown lint `repeated-words` in [lint]")
            && unknown.contains("did you mean `repeated-word`?"),
        "{unknown}"
    );
    assert_eq!(code, 1);
}

#[test]
fn the_seed_chapter_triggers_mojibake_with_the_right_repairs() {
    let run = folio(&[
        "check",
        "tests/fixtures/lint-seed",
        "--message-format",
        "short",
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    if let Some(diff) = expect_file(&fixture("lint-seed").join("expected.txt"), &stderr) {
        panic!("{diff}");
    }
    for repair in [
        "replace it with `📝`",
        "replace it with `“`",
        "replace it with `”`",
    ] {
        assert!(stderr.contains(repair), "{stderr}");
    }
}

#[test]
fn the_sample_book_is_lint_clean() {
    let run = folio(&["check", "manuscript", "--message-format", "json"]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    let lints: Vec<&str> = stdout.lines().filter(|l| l.contains("\"code\"")).collect();
    assert!(lints.is_empty(), "{lints:?}");
}
