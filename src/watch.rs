//! `folio watch`: notice when a book's files change and say which, so the
//! front end can rebuild. Polling the file list is cheap for a book (a few
//! hundred files) and works the same on every file system, including network
//! and container mounts where change notifications are unreliable.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Size and modification time of every watched file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot(BTreeMap<PathBuf, (Option<SystemTime>, u64)>);

/// Watches a book folder, ignoring the output folder, version control and
/// editors' temporary files.
pub struct Watcher {
    root: PathBuf,
    ignore: Vec<PathBuf>,
    last: Snapshot,
}

impl Watcher {
    /// Starts watching `root`; `ignore` lists folders to skip (the output).
    pub fn new(root: &Path, ignore: Vec<PathBuf>) -> Watcher {
        let root = resolve(root);
        let ignore = ignore.iter().map(|p| resolve(p)).collect();
        let mut w = Watcher {
            root,
            ignore,
            last: Snapshot::default(),
        };
        w.last = w.snapshot();
        w
    }

    /// Blocks until files change and stay unchanged for `quiet` (editors
    /// write in several steps); returns the changed paths, relative to the root.
    pub fn wait(&mut self, poll: Duration, quiet: Duration) -> Vec<PathBuf> {
        loop {
            std::thread::sleep(poll);
            let now = self.snapshot();
            if now == self.last {
                continue;
            }
            // Debounce: wait until two looks `quiet` apart agree.
            let mut settled = now;
            loop {
                std::thread::sleep(quiet);
                let again = self.snapshot();
                if again == settled {
                    break;
                }
                settled = again;
            }
            let changed = diff(&self.last, &settled, &self.root);
            self.last = settled;
            if !changed.is_empty() {
                return changed;
            }
        }
    }

    fn snapshot(&self) -> Snapshot {
        let mut files = BTreeMap::new();
        let mut stack = vec![self.root.clone()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                if ignored(&name) || self.ignore.iter().any(|i| path.starts_with(i)) {
                    continue;
                }
                let Ok(meta) = entry.metadata() else { continue };
                if meta.is_dir() {
                    if files.len() < 100_000 {
                        stack.push(path);
                    }
                } else {
                    files.insert(path, (meta.modified().ok(), meta.len()));
                }
            }
        }
        Snapshot(files)
    }
}

/// `path` with symlinks resolved, as the walk from the canonical root sees
/// it — also when it does not exist yet (an output folder the first build
/// will create): its nearest existing ancestor is resolved and the rest
/// appended. Otherwise a book reached through a symlink would never match
/// its ignored output folder, and each build would trigger the next.
fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map_or_else(|_| path.to_path_buf(), |cwd| cwd.join(path))
    };
    let mut rest = Vec::new();
    let mut base = absolute.as_path();
    loop {
        if let Ok(canonical) = base.canonicalize() {
            let mut out = canonical;
            for part in rest.iter().rev() {
                match part {
                    std::path::Component::ParentDir => {
                        out.pop();
                    }
                    std::path::Component::CurDir => {}
                    other => out.push(other.as_os_str()),
                }
            }
            return out;
        }
        match (base.parent(), base.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                base = parent;
            }
            _ => return absolute,
        }
    }
}

/// Files whose changes never matter: hidden files and folders (`.git`),
/// build folders, and editors' swap, backup and temporary files.
pub fn ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name == "4913" // vim's write test
        || name == "target"
        || name == "dist"
}

fn diff(old: &Snapshot, new: &Snapshot, root: &Path) -> Vec<PathBuf> {
    let mut changed: Vec<PathBuf> = new
        .0
        .iter()
        .filter(|(p, v)| old.0.get(*p) != Some(v))
        .map(|(p, _)| p.clone())
        .collect();
    changed.extend(old.0.keys().filter(|p| !new.0.contains_key(*p)).cloned());
    changed.sort();
    changed
        .into_iter()
        .map(|p| p.strip_prefix(root).map(Path::to_path_buf).unwrap_or(p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_are_ignored() {
        for name in [".ch.md.swp", "ch.md~", "#ch.md#", ".git", "4913", "x.tmp"] {
            assert!(ignored(name), "{name}");
        }
        assert!(!ignored("ch.md") && !ignored("image.png"));
    }

    #[test]
    fn reports_changed_added_and_removed_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "a").unwrap();
        std::fs::write(dir.path().join("b.md"), "b").unwrap();
        let mut w = Watcher::new(dir.path(), Vec::new());
        std::fs::write(dir.path().join("a.md"), "changed").unwrap();
        std::fs::remove_file(dir.path().join("b.md")).unwrap();
        std::fs::write(dir.path().join("c.md"), "c").unwrap();
        std::fs::write(dir.path().join(".a.md.swp"), "swap").unwrap();
        let changed = w.wait(Duration::from_millis(10), Duration::from_millis(10));
        assert_eq!(
            changed,
            [
                PathBuf::from("a.md"),
                PathBuf::from("b.md"),
                PathBuf::from("c.md")
            ]
        );
    }

    #[test]
    fn an_output_folder_not_made_yet_is_ignored_through_a_symlinked_book() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        std::fs::write(real.join("a.md"), "a").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        // The output folder lies inside the book, reached through the link,
        // and does not exist yet.
        let out = link.join("build-out");
        let mut w = Watcher::new(&link, vec![out.clone()]);
        std::fs::create_dir(real.join("build-out")).unwrap();
        std::fs::write(real.join("build-out/t.pdf"), "pdf").unwrap();
        std::fs::write(real.join("a.md"), "changed").unwrap();
        let changed = w.wait(Duration::from_millis(10), Duration::from_millis(10));
        assert_eq!(changed, [PathBuf::from("a.md")]);
        assert_eq!(
            resolve(&link.join("x/../y")),
            real.canonicalize().unwrap().join("y")
        );
    }
}
