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
/// under us) and no temporary file is left.
pub fn write_all_atomic(dir: &Path, files: &[(&str, &[u8])]) -> Result<Vec<PathBuf>, WriteFailure> {
    let fail = |name: &str, error: std::io::Error| WriteFailure {
        path: dir.join(name),
        error,
    };
    let first = files.first().map_or("", |f| f.0);
    if dir.exists() && !dir.is_dir() {
        return Err(fail(
            first,
            std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a directory"),
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| fail(first, e))?;
    let mut temps = Vec::with_capacity(files.len());
    let result = (|| {
        // Each file is written and flushed on a thread of its own: the
        // flushes wait for the disk side by side (a rebuild in `folio
        // watch` writes both formats).
        let flushed: Vec<_> = std::thread::scope(|scope| {
            let handles: Vec<_> = files
                .iter()
                .map(|(name, bytes)| scope.spawn(move || write_temp(dir, name, bytes)))
                .collect();
            crate::threads::join_all(handles)
        });
        // Kept in order, so every temporary file made is removed on error.
        let mut first_error = None;
        for ((name, _), result) in files.iter().zip(flushed) {
            match result {
                Ok(temp) => temps.push(temp),
                Err(e) => {
                    first_error.get_or_insert_with(|| fail(name, e));
                }
            }
        }
        if let Some(error) = first_error {
            return Err(error);
        }
        // Phase 2: rename, holding the lock so a signal sees each file either
        // as a temporary (and removes it) or as renamed (and complete).
        let mut registry = in_flight();
        // The one rename failure we can foresee: a folder in the way.
        if let Some((name, _)) = files.iter().find(|(name, _)| dir.join(name).is_dir()) {
            return Err(fail(
                name,
                std::io::Error::new(std::io::ErrorKind::IsADirectory, "a folder is in the way"),
            ));
        }
        let mut written = Vec::with_capacity(files.len());
        for ((name, _), temp) in files.iter().zip(temps.drain(..)) {
            let path = temp.path().to_path_buf();
            registry.retain(|p| *p != path);
            let target = dir.join(name);
            temp.persist(&target).map_err(|e| fail(name, e.error))?;
            written.push(target);
        }
        Ok(written)
    })();
    if result.is_err() {
        // Dropping the temporary files removes them.
        let mut registry = in_flight();
        for temp in temps.drain(..) {
            registry.retain(|p| p != temp.path());
        }
    } else if let Ok(d) = std::fs::File::open(dir) {
        // Make the renames themselves durable.
        let _ = d.sync_all();
    }
    result
}

/// Phase 1 for one file: a flushed temporary file next to the target.
fn write_temp(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let mut temp = {
        let mut registry = in_flight();
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)?;
        registry.push(temp.path().to_path_buf());
        temp
    };
    temp.write_all(bytes)?;
    crate::fault::write_delay();
    temp.as_file().sync_all()?;
    // Readers of a shared folder get the usual file permissions, not 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = temp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    Ok(temp)
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
}
