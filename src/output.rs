//! Writing artifacts so that a reader of the output folder only ever sees a
//! complete old file or a complete new one: write to a temporary file in the same
//! folder, flush it to disk, then rename over the target.
//!
//! Several artifacts are written in two phases — every temporary file first,
//! then every rename — so a full disk while writing the PDF leaves the
//! previous EPUB in place too. Temporary files being written are listed in
//! `IN_FLIGHT`, so the SIGINT/SIGTERM handler ([`crate::interrupt`]) can
//! remove them before the process exits (`tempfile` removes them on drop,
//! but a signal skips destructors).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// Temporary files created and not yet renamed or removed. The lock is held
/// while a temporary file is created and while the renames happen, so a
/// signal handler holding it sees every temporary file that exists.
static IN_FLIGHT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn in_flight() -> MutexGuard<'static, Vec<PathBuf>> {
    IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes every temporary file still being written and returns the lock, so
/// no new one can be created before the caller exits. For signal handlers.
pub fn abandon_writes() -> MutexGuard<'static, Vec<PathBuf>> {
    let mut files = in_flight();
    for path in files.drain(..) {
        let _ = std::fs::remove_file(path);
    }
    files
}

/// Why an artifact could not be written.
#[derive(Debug)]
pub struct WriteFailure {
    /// The file that could not be written (`dir/name`).
    pub path: PathBuf,
    /// What the operating system said.
    pub error: std::io::Error,
}

/// Writes every `(name, bytes)` into `dir`, all or nothing: each goes to a
/// temporary file that is flushed to disk, and only when all are written are
/// they renamed over their targets. On error no target has changed (short of
/// a rename failing after another succeeded, which needs the folder to change
/// under us) and no temporary file is left. (The build calls
/// [`write_rest_atomic`], having staged some files already.)
#[cfg(test)]
pub fn write_all_atomic(dir: &Path, files: &[(&str, &[u8])]) -> Result<Vec<PathBuf>, WriteFailure> {
    let none = files.iter().map(|_| None).collect();
    write_rest_atomic(dir, files, none)
}

/// [`write_all_atomic`] for files some of which were staged already:
/// `early[i]`, when there, is what staging `files[i]` gave.
pub fn write_rest_atomic(
    dir: &Path,
    files: &[(&str, &[u8])],
    early: Vec<Option<Result<Staged, WriteFailure>>>,
) -> Result<Vec<PathBuf>, WriteFailure> {
    // Each file is written and flushed on a thread of its own: the flushes
    // wait for the disk side by side (a rebuild in `folio watch` writes both
    // formats).
    let staged: Vec<_> = std::thread::scope(|scope| {
        let pending: Vec<_> = files
            .iter()
            .zip(early)
            .map(|((name, bytes), early)| match early {
                Some(done) => Err(done),
                None => Ok(scope.spawn(move || stage(dir, name, bytes))),
            })
            .collect();
        pending
            .into_iter()
            .map(|p| match p {
                Err(done) => done,
                Ok(handle) => crate::threads::join_all(vec![handle])
                    .pop()
                    .unwrap_or_else(|| {
                        Err(WriteFailure {
                            path: dir.to_path_buf(),
                            error: std::io::Error::other("a write thread gave nothing"),
                        })
                    }),
            })
            .collect()
    });
    // Every one collected first, so each temporary file made is removed on error.
    let staged: Result<Vec<Staged>, WriteFailure> = staged.into_iter().collect();
    commit(dir, staged?)
}

/// Phase 1 for one artifact: `bytes` in a temporary file beside its target
/// in `dir` (made if missing), flushed to disk. A build stages an artifact
/// as soon as it is rendered while the other format is still rendering, so
/// the disk works in the meantime. Dropped without [`commit`], the file is
/// removed.
pub fn stage(dir: &Path, name: &str, bytes: &[u8]) -> Result<Staged, WriteFailure> {
    let fail = |error: std::io::Error| WriteFailure {
        path: dir.join(name),
        error,
    };
    if dir.exists() && !dir.is_dir() {
        return Err(fail(std::io::Error::new(
            std::io::ErrorKind::NotADirectory,
            "not a directory",
        )));
    }
    std::fs::create_dir_all(dir).map_err(fail)?;
    let mut staged = {
        let mut registry = in_flight();
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(fail)?;
        registry.push(temp.path().to_path_buf());
        Staged {
            name: name.to_owned(),
            temp: Some(temp),
        }
    };
    let Some(temp) = staged.temp.as_mut() else {
        return Err(fail(std::io::Error::other("no temporary file")));
    };
    temp.write_all(bytes).map_err(fail)?;
    crate::fault::write_delay();
    temp.as_file().sync_all().map_err(fail)?;
    // Readers of a shared folder get the usual file permissions, not 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = temp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    Ok(staged)
}

/// An artifact written and flushed to a temporary file ([`stage`]),
/// waiting for [`commit`] to rename it over its target.
#[derive(Debug)]
pub struct Staged {
    /// The target's file name in the folder.
    name: String,
    /// The temporary file; taken by [`commit`].
    temp: Option<tempfile::NamedTempFile>,
}

impl Drop for Staged {
    /// An uncommitted file is removed (by `tempfile`) and leaves the list
    /// the signal handler cleans up.
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            let mut registry = in_flight();
            registry.retain(|p| p != temp.path());
            drop(temp);
        }
    }
}

/// Phase 2: renames every staged file over its target in `dir`, holding
/// the lock so a signal sees each file either as a temporary (and removes
/// it) or as renamed (and complete); then flushes the folder so the renames
/// are durable too. Nothing is renamed when a folder is in the way of any.
pub fn commit(dir: &Path, mut staged: Vec<Staged>) -> Result<Vec<PathBuf>, WriteFailure> {
    let fail = |name: &str, error: std::io::Error| WriteFailure {
        path: dir.join(name),
        error,
    };
    let mut registry = in_flight();
    // The one rename failure we can foresee: a folder in the way.
    if let Some(s) = staged.iter().find(|s| dir.join(&s.name).is_dir()) {
        return Err(fail(
            &s.name,
            std::io::Error::new(std::io::ErrorKind::IsADirectory, "a folder is in the way"),
        ));
    }
    let mut written = Vec::with_capacity(staged.len());
    for s in &mut staged {
        let Some(temp) = s.temp.take() else { continue };
        let path = temp.path().to_path_buf();
        registry.retain(|p| *p != path);
        let target = dir.join(&s.name);
        temp.persist(&target).map_err(|e| fail(&s.name, e.error))?;
        written.push(target);
    }
    drop(registry);
    if let Ok(d) = std::fs::File::open(dir) {
        // Make the renames themselves durable.
        let _ = d.sync_all();
    }
    Ok(written)
}

/// The build timestamp: `SOURCE_DATE_EPOCH` when set (reproducible builds),
/// otherwise the newest modification time among `inputs`, so an unchanged
/// manuscript still gives identical bytes.
pub fn build_date(env_value: Option<&str>, inputs: &[PathBuf]) -> Result<i64, String> {
    if let Some(value) = env_value {
        return value
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|v| (0..=253_402_300_799).contains(v))
            .ok_or_else(|| {
                format!("SOURCE_DATE_EPOCH=`{value}` is not a number of seconds since 1970")
            });
    }
    let newest = inputs
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok()?.modified().ok())
        .filter_map(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64)
        .max();
    Ok(newest.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `bytes` to `dir/name` atomically. On any error the previous file (if
    /// any) is untouched and no temporary file is left behind.
    fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
        write_all_atomic(dir, &[(name, bytes)])
            .map(|mut paths| paths.pop().unwrap_or_else(|| dir.join(name)))
            .map_err(|f| f.error)
    }

    #[test]
    fn source_date_epoch_wins_and_is_checked() {
        assert_eq!(build_date(Some("1234"), &[]), Ok(1234));
        assert!(build_date(Some("soon"), &[]).is_err());
        assert_eq!(build_date(None, &[]), Ok(0));
    }

    #[test]
    fn a_failed_second_write_keeps_the_first_target_too() {
        let dir = tempfile::tempdir().unwrap();
        write_atomic(dir.path(), "a.epub", b"old").unwrap();
        // A folder where the second file should go: its rename fails.
        std::fs::create_dir(dir.path().join("a.pdf")).unwrap();
        std::fs::write(dir.path().join("a.pdf/x"), b"").unwrap();
        let err = write_all_atomic(dir.path(), &[("a.epub", b"new"), ("a.pdf", b"pdf")]);
        assert!(err.is_err());
        assert_eq!(std::fs::read(dir.path().join("a.epub")).unwrap(), b"old");
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["a.epub", "a.pdf"]);
        assert!(!in_flight().iter().any(|p| p.starts_with(dir.path())));
    }

    #[test]
    fn atomic_write_replaces_whole_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        write_atomic(dir.path(), "a.epub", b"old").unwrap();
        write_atomic(dir.path(), "a.epub", b"new").unwrap();
        assert_eq!(std::fs::read(dir.path().join("a.epub")).unwrap(), b"new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.epub"]);
    }

    #[test]
    fn a_file_staged_early_waits_for_the_others_and_goes_if_the_build_fails() {
        let dir = tempfile::tempdir().unwrap();
        write_atomic(dir.path(), "a.epub", b"old").unwrap();
        let listing = || {
            let mut names: Vec<_> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect();
            names.sort();
            names
        };
        // Staged while the PDF renders: the old EPUB is still there.
        let early = stage(dir.path(), "a.epub", b"new").unwrap();
        assert_eq!(std::fs::read(dir.path().join("a.epub")).unwrap(), b"old");
        assert_eq!(
            listing().len(),
            2,
            "the EPUB's temporary file: {:?}",
            listing()
        );
        // The PDF failed: the staged file goes, and leaves the signal list.
        drop(early);
        assert_eq!(listing(), ["a.epub"]);
        assert!(!in_flight().iter().any(|p| p.starts_with(dir.path())));
        // The PDF rendered: both replace their targets together.
        let early = stage(dir.path(), "a.epub", b"new").unwrap();
        let files: [(&str, &[u8]); 2] = [("a.epub", b"new"), ("a.pdf", b"pdf")];
        let written = write_rest_atomic(dir.path(), &files, vec![Some(Ok(early)), None]).unwrap();
        assert_eq!(
            written,
            [dir.path().join("a.epub"), dir.path().join("a.pdf")]
        );
        assert_eq!(listing(), ["a.epub", "a.pdf"]);
        assert_eq!(std::fs::read(dir.path().join("a.epub")).unwrap(), b"new");
    }
}
