//! Confinement: every path a manuscript names must resolve inside the book folder
//! (or the wider folder the command line names with `--root`, see [`Fence`]).
//! Distributors build books they did not write, so `../../etc/passwd`, absolute
//! paths and symlinks that leave the folder are refused, never read.

use std::path::{Component, Path, PathBuf};

/// Why a manuscript path was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// `/etc/passwd`, `C:\…` or `\\server\share`.
    Absolute,
    /// `..` climbs above the book folder.
    Escapes,
    /// The path resolves (through a symlink) to a file outside the book folder.
    SymlinkEscapes,
    /// Nothing exists at the path.
    NotFound,
    /// The path exists but could not be resolved.
    Io(String),
}

impl PathError {
    /// A sentence for diagnostics, naming the path as written.
    pub fn describe(&self, written: &str) -> String {
        match self {
            PathError::Absolute => format!(
                "`{written}` is an absolute path; paths in a book are relative to the book folder"
            ),
            PathError::Escapes => format!("`{written}` points outside the book folder"),
            PathError::SymlinkEscapes => {
                format!("`{written}` is a symbolic link to a file outside the book folder")
            }
            PathError::NotFound => format!("`{written}` does not exist"),
            PathError::Io(e) => format!("`{written}` cannot be read: {e}"),
        }
    }
}

/// The folder chapters, includes and images may be read from: the book folder,
/// or a wider folder given with `--root` on the command line. Only the command
/// line can widen it, so a manuscript from elsewhere cannot give itself access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence {
    /// Canonical folder; nothing outside it is read.
    pub dir: PathBuf,
    /// Whether `--root` named it (messages then name `--root`, not the book folder).
    pub widened: bool,
}

impl Fence {
    /// The message for a path refused by [`confine`] against this fence.
    pub fn describe(&self, error: &PathError, written: &str) -> String {
        match (error, self.widened) {
            (PathError::Escapes, true) => format!(
                "`{written}` points outside the folder given with `--root` (`{}`)",
                self.dir.display()
            ),
            (PathError::SymlinkEscapes, true) => format!(
                "`{written}` is a symbolic link to a file outside the folder given with `--root` (`{}`)",
                self.dir.display()
            ),
            _ => error.describe(written),
        }
    }

    /// What to do about a refused path.
    pub fn help(&self) -> &'static str {
        if self.widened {
            "a book may only read files inside the `--root` folder; pass a wider `--root DIR` to reach this one"
        } else {
            "a book may only use files inside its own folder; `--root DIR` on the command line widens that to DIR"
        }
    }
}

/// Resolves `written` (relative to `base`, a folder inside `root`) to a canonical
/// path that is inside `root`. `root` must already be canonical.
pub fn confine(root: &Path, base: &Path, written: &str) -> Result<PathBuf, PathError> {
    let written_path = Path::new(written);
    if written.starts_with('/')
        || written.starts_with('\\')
        || written_path.is_absolute()
        || has_drive(written)
    {
        return Err(PathError::Absolute);
    }
    let joined = normalize(&base.join(written_path)).ok_or(PathError::Escapes)?;
    if !joined.starts_with(root) {
        return Err(PathError::Escapes);
    }
    let canonical = match joined.canonicalize() {
        Ok(p) => p,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A dangling symlink is reported as escaping if it points outside.
            if std::fs::symlink_metadata(&joined).is_ok() {
                return Err(PathError::SymlinkEscapes);
            }
            return Err(PathError::NotFound);
        }
        Err(e) => return Err(PathError::Io(e.to_string())),
    };
    if !canonical.starts_with(root) {
        return Err(PathError::SymlinkEscapes);
    }
    Ok(canonical)
}

/// Why a confined file could not be read by [`read_limited`].
#[derive(Debug)]
pub enum ReadProblem {
    /// A folder, FIFO, socket or device: reading it could block forever.
    NotAFile,
    /// Bigger than the limit (`size` is at least `limit + 1`).
    TooLarge {
        /// The file's size, or `limit + 1` if it grew while being read.
        size: u64,
        /// The limit it broke.
        limit: u64,
    },
    /// The operating system refused.
    Io(std::io::Error),
}

impl ReadProblem {
    /// A sentence for diagnostics about `what` (e.g. "image `a.png`").
    pub fn describe(&self, what: &str) -> String {
        use crate::config::limits::human_bytes;
        match self {
            ReadProblem::NotAFile => format!("{what} is not a regular file"),
            ReadProblem::TooLarge { size, limit } => format!(
                "{what} is {}, above the limit of {}",
                human_bytes(*size),
                human_bytes(*limit)
            ),
            ReadProblem::Io(e) => format!("cannot read {what}: {e}"),
        }
    }
}

/// Reads a regular file of at most `limit` bytes. The size is checked before
/// reading, so a 10 GB file costs nothing; FIFOs and devices are refused
/// before they are opened (reading one would block or never end); and a file
/// that grows while it is read is cut off at `limit + 1` bytes and refused.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadProblem> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(ReadProblem::Io)?;
    if !meta.is_file() {
        return Err(ReadProblem::NotAFile);
    }
    if meta.len() > limit {
        return Err(ReadProblem::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let file = std::fs::File::open(path).map_err(ReadProblem::Io)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadProblem::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadProblem::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// `C:` style prefixes, refused on every platform so a book behaves the same everywhere.
fn has_drive(written: &str) -> bool {
    let b = written.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

/// Removes `.` and resolves `..` lexically, without touching the disk;
/// `None` when `..` climbs above the start. (Also resolves links between
/// chapters, `parse::links`.)
pub(crate) fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    Some(out)
}

/// Decodes `%20`-style escapes in a Markdown link or image destination.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_way_out_is_closed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir(root.join("book")).unwrap();
        let book = root.join("book");
        std::fs::write(book.join("ok.md"), "x").unwrap();
        std::fs::write(root.join("secret.txt"), "x").unwrap();
        assert_eq!(confine(&book, &book, "ok.md"), Ok(book.join("ok.md")));
        assert_eq!(confine(&book, &book, "./ok.md"), Ok(book.join("ok.md")));
        assert_eq!(
            confine(&book, &book, "../secret.txt"),
            Err(PathError::Escapes)
        );
        assert_eq!(
            confine(&book, &book, "a/../../secret.txt"),
            Err(PathError::Escapes)
        );
        assert_eq!(
            confine(&book, &book, "/etc/passwd"),
            Err(PathError::Absolute)
        );
        assert_eq!(confine(&book, &book, "C:/x"), Err(PathError::Absolute));
        assert_eq!(
            confine(&book, &book, "missing.md"),
            Err(PathError::NotFound)
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("secret.txt"), book.join("link.md")).unwrap();
            assert_eq!(
                confine(&book, &book, "link.md"),
                Err(PathError::SymlinkEscapes)
            );
            std::os::unix::fs::symlink(root.join("nowhere"), book.join("dangling.md")).unwrap();
            assert_eq!(
                confine(&book, &book, "dangling.md"),
                Err(PathError::SymlinkEscapes)
            );
        }
    }

    #[test]
    fn percent_escapes() {
        assert_eq!(percent_decode("my%20image.png"), "my image.png");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("a%zz"), "a%zz");
    }
}
