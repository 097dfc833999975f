//! Source files of a book (chapters, `book.toml`, `SUMMARY.md`, styles) held in
//! memory once, so every later stage can turn a byte offset into `file:line:col`.

use std::path::{Path, PathBuf};

/// Index of a file in [`Sources`]. Cheap to copy into every IR node's span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct SourceId(pub u32);

/// A byte range in one source file. Line and column are derived from it through
/// [`Sources`], so nodes stay small and positions can never disagree with the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    /// The file the range is in.
    pub source: SourceId,
    /// First byte of the range.
    pub start: u32,
    /// One past the last byte of the range.
    pub end: u32,
}

impl Span {
    /// A span covering `start..end` of `source`; offsets beyond 4 GiB are clamped
    /// (the manuscript size limit keeps real files far below that).
    pub fn new(source: SourceId, start: usize, end: usize) -> Span {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            source,
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }

    /// The span of a whole file, pointing at its first character; used for
    /// problems that concern a file as a whole (e.g. an empty chapter).
    pub fn file(source: SourceId) -> Span {
        Span::new(source, 0, 0)
    }
}

/// One file's text and where its lines start.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Absolute (canonical) path on disk.
    pub path: PathBuf,
    /// Path as shown to the author: relative to the working directory when the
    /// file is below it, so messages read like `manuscript/ch.md:14:5`.
    pub display: String,
    /// The text, BOM removed and lone CR turned into LF (same byte length, so
    /// offsets into the original file stay valid for the lines that follow).
    pub text: String,
    line_starts: Vec<usize>,
    /// For text assembled from several files (a chapter with
    /// `{{#include}}`s): where each piece came from, so positions point at
    /// the file the author wrote.
    origins: Vec<Origin>,
}

/// A piece of assembled text: bytes `start..start + len` of the assembled file
/// are bytes `offset..` of `source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// Start of the piece in the assembled text.
    pub start: usize,
    /// Length of the piece.
    pub len: usize,
    /// The file the piece was copied from.
    pub source: SourceId,
    /// Where in that file.
    pub offset: usize,
}

impl SourceFile {
    /// The 1-based line and column (in characters) of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let column = self.text[start..end].chars().count() + 1;
        (line + 1, column)
    }

    /// The text of 1-based line `line`, without its line ending.
    #[cfg(test)]
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

/// A resolved position, ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location<'a> {
    /// Display path of the file.
    pub path: &'a str,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

/// All source files of one run.
#[derive(Debug, Clone)]
pub struct Sources {
    base: PathBuf,
    files: Vec<SourceFile>,
}

/// Why a file could not be read as text.
#[derive(Debug)]
pub enum ReadError {
    /// The operating system refused (missing file, permissions…).
    Io(std::io::Error),
    /// The bytes are not UTF-8; line and column (in bytes) of the first bad byte.
    NotUtf8 {
        /// 1-based line of the first invalid byte.
        line: usize,
        /// 1-based byte column of the first invalid byte.
        byte_column: usize,
        /// The invalid byte itself, for the message.
        byte: u8,
    },
}

impl Sources {
    /// An empty set; display paths are made relative to `base` (usually the working directory).
    pub fn new(base: impl Into<PathBuf>) -> Sources {
        Sources {
            base: base.into(),
            files: Vec::new(),
        }
    }

    /// Registers text that is already in memory (tests, generated files).
    pub fn add(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> SourceId {
        let path = path.into();
        let display = display_path(&self.base, &path);
        let text = normalize_newlines(text.into());
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let id = SourceId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile {
            path,
            display,
            text,
            line_starts,
            origins: Vec::new(),
        });
        id
    }

    /// Registers text assembled from pieces of other registered files.
    pub fn add_assembled(
        &mut self,
        path: impl Into<PathBuf>,
        text: String,
        origins: Vec<Origin>,
    ) -> SourceId {
        let id = self.add(path, text);
        self.files[id.0 as usize].origins = origins;
        id
    }

    /// The span in the file the author wrote: spans in assembled text are
    /// mapped through their pieces' origins.
    pub fn resolve(&self, span: Span) -> Span {
        let file = self.get(span.source);
        if file.origins.is_empty() {
            return span;
        }
        let at = span.start as usize;
        let index = file
            .origins
            .partition_point(|o| o.start <= at)
            .saturating_sub(1);
        match file.origins.get(index) {
            Some(o) if at >= o.start && at <= o.start + o.len => {
                let len = (span.end.saturating_sub(span.start) as usize).min(o.start + o.len - at);
                let start = o.offset + (at - o.start);
                self.resolve(Span::new(o.source, start, start + len))
            }
            _ => span,
        }
    }

    /// Reads `path` as strict UTF-8 and registers it.
    pub fn read(&mut self, path: &Path) -> Result<SourceId, ReadError> {
        let bytes = std::fs::read(path).map_err(ReadError::Io)?;
        let text = decode_utf8(bytes)?;
        Ok(self.add(path, text))
    }

    /// The file behind `id`.
    pub fn get(&self, id: SourceId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The display path `path` would get, for messages about files not (yet) read.
    pub fn display(&self, path: &Path) -> String {
        display_path(&self.base, path)
    }

    /// Resolves a span's start to a printable location.
    pub fn locate(&self, span: Span) -> Location<'_> {
        let span = self.resolve(span);
        let file = self.get(span.source);
        let (line, column) = file.line_col(span.start as usize);
        Location {
            path: &file.display,
            line,
            column,
        }
    }

    /// Every registered file, in registration order.
    pub fn iter(&self) -> impl Iterator<Item = (SourceId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (SourceId(i as u32), f))
    }
}

/// Strict UTF-8 decoding that reports where the first invalid byte is, because
/// "invalid UTF-8" without a line is useless in a 5,000-line chapter.
pub fn decode_utf8(bytes: Vec<u8>) -> Result<String, ReadError> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.as_bytes();
            let line_start = bytes[..valid]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(ReadError::NotUtf8 {
                line,
                byte_column: valid - line_start + 1,
                byte: bytes[valid],
            })
        }
    }
}

/// Turns a lone CR (classic Mac line ending) into LF; CRLF is left for the
/// Markdown parser, which understands it. Byte length is unchanged.
fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            out.push(b'\n');
        } else {
            out.push(b);
        }
    }
    // Only ASCII bytes were swapped for ASCII bytes, so this stays valid UTF-8.
    String::from_utf8(out).unwrap_or(text)
}

fn display_path(base: &Path, path: &Path) -> String {
    let shown = path.strip_prefix(base).unwrap_or(path);
    shown.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let mut s = Sources::new("/book");
        let id = s.add("/book/ch.md", "first\nsécond line\n");
        let file = s.get(id);
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(6), (2, 1));
        // "sé" is 3 bytes; offset 9 is the 'c'.
        assert_eq!(file.line_col(9), (2, 3));
        assert_eq!(file.line_text(2), "sécond line");
        assert_eq!(file.display, "ch.md");
    }

    #[test]
    fn invalid_utf8_reports_line_and_byte() {
        let err = decode_utf8(b"ok\nab\xffc\n".to_vec()).unwrap_err();
        match err {
            ReadError::NotUtf8 {
                line,
                byte_column,
                byte,
            } => assert_eq!((line, byte_column, byte), (2, 3, 0xff)),
            ReadError::Io(e) => panic!("unexpected io error {e}"),
        }
    }

    #[test]
    fn bom_is_dropped_and_lone_cr_becomes_lf() {
        let text = decode_utf8("\u{feff}a\rb".as_bytes().to_vec()).unwrap();
        let mut s = Sources::new("/");
        let id = s.add("/x.md", text);
        assert_eq!(s.get(id).text, "a\nb");
        assert_eq!(s.get(id).line_col(2), (2, 1));
    }
}
