//! The command line beyond `build`: `new` scaffolds a book that builds with no
//! warnings and never overwrites; completions and the man page come from the
//! argument definitions.

mod common;

use common::folio;

#[test]
fn a_new_book_builds_with_no_warnings() {
    let temp = tempfile::tempdir().expect("temp");
    let dir = temp.path().join("my-first-book");
    let run = folio(&["new", &dir.to_string_lossy()]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out = temp.path().join("out");
    let run = folio(&[
        "build",
        &dir.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
        "--strict",
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(out.join("my-first-book.epub").is_file() && out.join("my-first-book.pdf").is_file());
    let (ok, messages) = common::epubcheck(&out.join("my-first-book.epub"));
    assert!(
        ok && messages
            .iter()
            .all(|(s, _, _)| !matches!(s.as_str(), "FATAL" | "ERROR" | "WARNING")),
        "{messages:?}"
    );
    // Lints find nothing either.
    let check = folio(&["check", &dir.to_string_lossy()]);
    assert!(check.status.success() && !String::from_utf8_lossy(&check.stderr).contains("warning"));
}

#[test]
fn new_never_overwrites() {
    let temp = tempfile::tempdir().expect("temp");
    std::fs::write(temp.path().join("notes.txt"), "mine").expect("seed");
    let run = folio(&["new", &temp.path().to_string_lossy()]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("is not empty"));
    assert_eq!(
        std::fs::read_to_string(temp.path().join("notes.txt")).expect("kept"),
        "mine"
    );
    assert_eq!(std::fs::read_dir(temp.path()).expect("dir").count(), 1);
}

#[test]
fn completions_and_man_page_come_from_the_arguments() {
    for shell in ["bash", "zsh", "fish"] {
        let run = folio(&["completions", shell]);
        let script = String::from_utf8_lossy(&run.stdout);
        assert!(
            run.status.success() && script.contains("folio") && script.contains("format"),
            "{shell}"
        );
    }
    let run = folio(&["manpage"]);
    let page = String::from_utf8_lossy(&run.stdout);
    assert!(
        page.starts_with(".ie") && page.contains(".TH folio 1") && page.contains("build"),
        "{page}"
    );
}

/// Lines of a child's stderr, read on a thread so waits can time out.
struct Lines {
    rx: std::sync::mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Lines {
    fn of(stderr: std::process::ChildStderr) -> Lines {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Lines {
            rx,
            seen: Vec::new(),
        }
    }

    /// The lines printed within `wait`.
    fn during(&mut self, wait: std::time::Duration) -> Vec<String> {
        let deadline = std::time::Instant::now() + wait;
        let mut got = Vec::new();
        while let Ok(line) = self
            .rx
            .recv_timeout(deadline.saturating_duration_since(std::time::Instant::now()))
        {
            got.push(line);
        }
        got
    }

    /// Waits (up to a generous timeout) for a line containing `needle`.
    fn wait_for(&mut self, needle: &str) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "`{needle}` did not appear; the watcher printed:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }
}

#[test]
fn watch_rebuilds_on_change_and_keeps_the_last_good_book_on_error() {
    let temp = tempfile::tempdir().expect("temp");
    let book = temp.path().join("book");
    std::fs::create_dir_all(&book).expect("dir");
    std::fs::write(book.join("book.toml"), "[book]\ntitle = \"Watched\"\nlanguage = \"en\"\nauthors = [\"A\"]\nidentifier = \"978-0-306-40615-7\"\n").expect("toml");
    std::fs::write(book.join("01.md"), "# One\n\nFirst words.\n").expect("chapter");
    let out = temp.path().join("out");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args([
            "watch",
            &book.to_string_lossy(),
            "--format",
            "epub",
            "--out",
            &out.to_string_lossy(),
            "--message-format",
            "short",
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("watch starts");
    let mut lines = Lines::of(child.stderr.take().expect("stderr"));
    lines.wait_for("[watch] built in");
    let epub = out.join("watched.epub");
    assert!(common::zip_text(&epub, "OEBPS/ch-01.xhtml").contains("First words."));

    // An edit is noticed, named and rebuilt.
    std::fs::write(book.join("01.md"), "# One\n\nSecond words.\n").expect("edit");
    assert!(lines.wait_for("[watch] changed:").contains("01.md"));
    lines.wait_for("[watch] built in");
    assert!(common::zip_text(&epub, "OEBPS/ch-01.xhtml").contains("Second words."));
    let good = std::fs::read(&epub).expect("good book");

    // A broken chapter is reported; the last good book stays.
    std::fs::write(book.join("01.md"), "# One\n\nSee:\n\n![gone](gone.png)\n").expect("break");
    lines.wait_for("[watch] changed:");
    assert!(
        lines
            .wait_for("error:")
            .contains("01.md:5:1: error: image `gone.png` not found")
    );
    lines.wait_for("[watch] build failed");
    assert_eq!(std::fs::read(&epub).expect("still there"), good);

    // Editors' swap files do not trigger builds; fixing the file does.
    std::fs::write(book.join(".01.md.swp"), "swap").expect("swap");
    std::fs::write(book.join("01.md"), "# One\n\nFixed.\n").expect("fix");
    let changed = lines.wait_for("[watch] changed:");
    assert!(!changed.contains(".swp"), "{changed}");
    lines.wait_for("[watch] built in");
    assert!(common::zip_text(&epub, "OEBPS/ch-01.xhtml").contains("Fixed."));
    let _ = child.kill();
    let _ = child.wait();
}

/// A book reached through a symlink, with its output folder inside it and
/// not there yet: the watcher builds once and then waits, instead of
/// rebuilding on its own output for ever.
#[test]
fn watch_through_a_symlink_ignores_its_own_output() {
    let temp = tempfile::tempdir().expect("temp");
    let real = temp.path().join("real");
    std::fs::create_dir_all(&real).expect("dir");
    std::fs::write(real.join("book.toml"), "[book]\ntitle = \"Watched\"\nlanguage = \"en\"\nauthors = [\"A\"]\nidentifier = \"978-0-306-40615-7\"\n").expect("toml");
    std::fs::write(real.join("01.md"), "# One\n\nWords.\n").expect("chapter");
    let link = temp.path().join("link");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    let out = link.join("build-out");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args([
            "watch",
            &link.to_string_lossy(),
            "--format",
            "epub",
            "--out",
            &out.to_string_lossy(),
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("watch starts");
    let mut lines = Lines::of(child.stderr.take().expect("stderr"));
    lines.wait_for("[watch] built in");
    let later = lines.during(std::time::Duration::from_secs(2));
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        !later.iter().any(|l| l.contains("[watch] changed")),
        "rebuilt on its own output: {later:#?}"
    );
}
