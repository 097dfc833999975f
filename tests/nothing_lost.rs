//! Nothing lost: whatever stops a build — SIGINT or SIGTERM while it writes or
//! renders, a full disk, a file size limit, a read-only or impossible output
//! folder, a bug (a panic) — the output folder keeps exactly what it held
//! (the previous artifacts, byte for byte) and no temporary file, and folio
//! says what happened with the right exit code.
//!
//! Signals and panics are injected into the real binary through the debug-only
//! hooks of `folio::fault`.

mod common;

use common::{dir_contents, long_book, root, seed_previous};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn folio_cmd(book: &Path, out: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_folio"));
    cmd.args(["build", "--message-format", "short"])
        .arg(book)
        .arg("--out")
        .arg(out)
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env_remove("FOLIO_DEBUG_PANIC")
        .env_remove("FOLIO_DEBUG_WRITE_DELAY_MS");
    cmd
}

/// A small book (slug `t`, like the seeded artifacts) in `dir`.
fn book(dir: &Path) -> std::path::PathBuf {
    let book = dir.join("book");
    long_book(&book, 2, 6);
    book
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Spawns a build, waits until `ready` says so (or it ends), sends `signal`.
fn interrupt(cmd: &mut Command, signal: i32, ready: impl Fn() -> bool) -> Output {
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("folio starts");
    let started = Instant::now();
    while !ready() && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let pid = i32::try_from(child.id()).expect("pid fits");
    // SAFETY: plain kill(2) on our own child, which has not been waited for.
    unsafe {
        libc::kill(pid, signal);
    }
    child.wait_with_output().expect("folio ends")
}

fn has_temp_file(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|d| {
        d.flatten()
            .any(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
    })
}

#[test]
fn a_signal_during_the_write_removes_the_temporary_file_and_keeps_the_previous_artifacts() {
    for (signal, code, name) in [
        (libc::SIGTERM, 143, "SIGTERM"),
        (libc::SIGINT, 130, "SIGINT"),
    ] {
        let temp = tempfile::tempdir().expect("temp dir");
        let out = temp.path().join("out");
        seed_previous(&out);
        let before = dir_contents(&out);
        let mut cmd = folio_cmd(&book(temp.path()), &out);
        cmd.env("FOLIO_DEBUG_WRITE_DELAY_MS", "20000");
        let run = interrupt(&mut cmd, signal, || has_temp_file(&out));
        assert_eq!(run.status.code(), Some(code), "{name}: {}", stderr(&run));
        assert!(
            stderr(&run).contains(&format!("interrupted ({name})")),
            "{}",
            stderr(&run)
        );
        assert_eq!(
            dir_contents(&out),
            before,
            "{name}: the folder is as it was"
        );
    }
}

#[test]
fn a_signal_while_rendering_writes_nothing() {
    let temp = tempfile::tempdir().expect("temp dir");
    let book = temp.path().join("book");
    long_book(&book, 30, 40);
    let out = temp.path().join("out");
    seed_previous(&out);
    let before = dir_contents(&out);
    let started = Instant::now();
    let run = interrupt(&mut folio_cmd(&book, &out), libc::SIGTERM, || {
        started.elapsed() > Duration::from_millis(300)
    });
    assert_eq!(run.status.code(), Some(143), "{}", stderr(&run));
    assert_eq!(dir_contents(&out), before);
}

/// A tmpfs mounted for the test, unmounted when dropped.
struct Mount(std::path::PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn mount(args: &[&str], dir: &Path) -> Option<Mount> {
    let ok = Command::new("mount")
        .args(args)
        .arg(dir)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then(|| Mount(dir.to_path_buf()))
}

#[test]
fn a_full_disk_is_a_clear_error() {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("small");
    std::fs::create_dir(&out).expect("mount point");
    let Some(_mounted) = mount(&["-t", "tmpfs", "-o", "size=16k", "tmpfs"], &out) else {
        eprintln!("skipped: cannot mount a tmpfs here (the file size limit test covers the path)");
        return;
    };
    seed_previous(&out);
    let before = dir_contents(&out);
    let run = folio_cmd(&book(temp.path()), &out).output().expect("runs");
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let err = stderr(&run);
    assert!(
        err.contains("there is not enough space (No space left on device (os error 28))"),
        "{err}"
    );
    assert!(err.contains("nothing was replaced"), "{err}");
    assert_eq!(dir_contents(&out), before);
}

#[test]
fn a_file_size_limit_is_a_clear_error_not_a_killed_process() {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("out");
    seed_previous(&out);
    let before = dir_contents(&out);
    // `ulimit -f 8`: writes past 8 KiB fail; SIGXFSZ must not kill folio.
    let run = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "ulimit -f 8; exec '{}' build '{}' --out '{}'",
            env!("CARGO_BIN_EXE_folio"),
            book(temp.path()).display(),
            out.display()
        ))
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("bash runs");
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("there is not enough space (File too large (os error 27))"),
        "{}",
        stderr(&run)
    );
    assert_eq!(dir_contents(&out), before);
}

#[test]
fn a_read_only_output_folder_is_a_clear_error() {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("out");
    seed_previous(&out);
    let before = dir_contents(&out);
    // As root, permission bits do not stop writes: use a read-only bind mount.
    // SAFETY: geteuid has no preconditions.
    let root_user = unsafe { libc::geteuid() } == 0;
    let _mounted = if root_user {
        let Some(bind) = mount(&["--bind", out.to_str().expect("utf-8 path")], &out) else {
            eprintln!(
                "skipped: running as root and cannot bind-mount (see the file-in-the-way test)"
            );
            return;
        };
        let remounted = Command::new("mount")
            .args(["-o", "remount,ro,bind"])
            .arg(&out)
            .status()
            .is_ok_and(|s| s.success());
        if !remounted {
            eprintln!("skipped: cannot remount read-only");
            return;
        }
        Some(bind)
    } else {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o555)).expect("chmod");
        None
    };
    let run = folio_cmd(&book(temp.path()), &out).output().expect("runs");
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let err = stderr(&run);
    assert!(
        err.contains("/out` is not writable (Read-only file system (os error 30))")
            || err.contains("/out` is not writable (Permission denied (os error 13))"),
        "{err}"
    );
    assert_eq!(dir_contents(&out), before);
    if !root_user {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o755));
    }
}

#[test]
fn a_file_where_the_output_folder_should_be_is_a_clear_error() {
    let temp = tempfile::tempdir().expect("temp dir");
    let file = temp.path().join("dist");
    std::fs::write(&file, b"not a folder").expect("file");
    let run = folio_cmd(&book(temp.path()), &file).output().expect("runs");
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("/dist` is a file\n  = help: remove or rename that file, or pass another folder with --out"),
        "{}",
        stderr(&run)
    );
    assert_eq!(std::fs::read(&file).expect("still there"), b"not a folder");
    // Below a file: the folder cannot be created.
    let run = folio_cmd(&book(temp.path()), &file.join("sub"))
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("/dist/sub` is a file"),
        "{}",
        stderr(&run)
    );
    // A folder where the PDF should go: nothing is replaced, not even the EPUB.
    let out = temp.path().join("out");
    seed_previous(&out);
    std::fs::remove_file(out.join("t.pdf")).expect("remove");
    std::fs::create_dir_all(out.join("t.pdf/inside")).expect("folder in the way");
    let before = dir_contents(&out);
    let run = folio_cmd(&book(temp.path()), &out)
        .arg("--quiet")
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("/t.pdf`: a folder named"),
        "{}",
        stderr(&run)
    );
    assert_eq!(dir_contents(&out), before);
}

#[test]
fn a_panic_is_an_internal_error_naming_the_file_with_exit_code_3() {
    let cases = [
        ("parse", "while parsing `"),
        ("epub", "while writing the EPUB of `"),
        ("pdf-chapter", "while laying out the PDF of `"),
        ("pdf-write", "while writing the PDF"),
        ("write", "while writing to `"),
    ];
    for (stage, expected) in cases {
        let temp = tempfile::tempdir().expect("temp dir");
        let out = temp.path().join("out");
        seed_previous(&out);
        let before = dir_contents(&out);
        let run = folio_cmd(&book(temp.path()), &out)
            .env("FOLIO_DEBUG_PANIC", stage)
            .output()
            .expect("runs");
        let err = stderr(&run);
        assert_eq!(run.status.code(), Some(3), "{stage}: {err}");
        assert!(
            err.starts_with(&format!("error: internal error {expected}")),
            "{stage}: {err}"
        );
        if stage != "pdf-write" && stage != "write" {
            assert!(
                err.contains("/book/000.md`: injected panic"),
                "{stage}: {err}"
            );
        }
        assert!(err.contains("this is a bug in folio"), "{stage}: {err}");
        assert!(
            !err.contains("panicked at") && !err.contains("stack backtrace"),
            "{stage}: the raw panic is not shown: {err}"
        );
        assert_eq!(dir_contents(&out), before, "{stage}");
    }
}
