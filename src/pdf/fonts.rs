//! The fonts a print style names: folio's built-in families (compiled into the
//! binary, so a build needs nothing installed) or families from font files in
//! the book folder. Only the families the style uses are loaded.

use super::layout::cx::Fonts;
use super::layout::fonts::{Family, FontBook, FontId};
use super::style::{FamilyFiles, PrintStyle};
use crate::diag::{Diagnostic, Sink};
use crate::manuscript::paths;
use std::path::Path;

/// A built-in face: file name (for messages) and bytes.
type Face = (&'static str, &'static [u8]);

macro_rules! face {
    ($path:literal) => {
        ($path, include_bytes!(concat!("../../fonts/", $path)))
    };
}

/// Built-in families: regular, italic, bold, bold italic.
const BUILTIN: &[(&str, [Option<Face>; 4])] = &[
    (
        "EB Garamond",
        [
            Some(face!("eb-garamond/EBGaramond-Regular.ttf")),
            Some(face!("eb-garamond/EBGaramond-Italic.ttf")),
            Some(face!("eb-garamond/EBGaramond-Bold.ttf")),
            Some(face!("eb-garamond/EBGaramond-BoldItalic.ttf")),
        ],
    ),
    (
        "Source Sans 3",
        [
            Some(face!("source-sans-3/SourceSans3-Regular.ttf")),
            None,
            Some(face!("source-sans-3/SourceSans3-Bold.ttf")),
            None,
        ],
    ),
    (
        "JetBrains Mono",
        [
            Some(face!("jetbrains-mono/JetBrainsMono-Regular.ttf")),
            None,
            Some(face!("jetbrains-mono/JetBrainsMono-Bold.ttf")),
            None,
        ],
    ),
    (
        "DejaVu Sans",
        [Some(face!("dejavu/DejaVuSans.ttf")), None, None, None],
    ),
    (
        "Noto Emoji",
        [
            Some(face!("noto-emoji/NotoEmoji-Regular.ttf")),
            None,
            None,
            None,
        ],
    ),
];

/// Whether a loaded font's source names one of folio's built-in files
/// (as `--verbose` says where each font came from).
pub fn is_builtin_source(source: &str) -> bool {
    BUILTIN
        .iter()
        .flat_map(|(_, faces)| faces.iter().flatten())
        .any(|(name, _)| *name == source)
}

/// Names of the built-in families, for messages.
pub fn builtin_names() -> Vec<&'static str> {
    BUILTIN.iter().map(|(n, _)| *n).collect()
}

/// Loads the families `style` uses. Unknown family names and unreadable files
/// are errors naming the style file.
pub fn load(style: &PrintStyle, root: &Path, style_name: &str, sink: &mut Sink) -> Option<Fonts> {
    let max_bytes = crate::config::limits::Limits::default().file_bytes;
    load_limited(style, root, style_name, max_bytes, sink)
}

/// [`load`], reading font files of at most `max_bytes` (`[limits] file-bytes`).
pub fn load_limited(
    style: &PrintStyle,
    root: &Path,
    style_name: &str,
    max_bytes: u64,
    sink: &mut Sink,
) -> Option<Fonts> {
    let mut book = FontBook::new();
    let mut ok = true;
    let mut wanted: Vec<&str> = vec![&style.fonts.body, &style.fonts.heading, &style.fonts.code];
    wanted.extend(style.fonts.fallbacks.iter().map(String::as_str));
    let mut loaded: Vec<String> = Vec::new();
    for name in wanted {
        if loaded.iter().any(|l| l.eq_ignore_ascii_case(name)) {
            continue;
        }
        let family = if let Some(files) = style.fonts.families.get(name) {
            load_files(&mut book, files, root, style_name, max_bytes, sink)
        } else if let Some((_, faces)) = BUILTIN.iter().find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            load_builtin(&mut book, faces, sink)
        } else {
            sink.push(
                Diagnostic::error(None, format!("{style_name}: unknown font family `{name}`"))
                    .with_help(format!(
                        "use a built-in family ({}) or define it under [fonts.families]",
                        builtin_names().join(", ")
                    )),
            );
            None
        };
        match family {
            Some(f) => book.set_family(name, f),
            None => ok = false,
        }
        loaded.push(name.to_owned());
    }
    if !ok {
        return None;
    }
    let fallbacks: Vec<FontId> = style
        .fonts
        .fallbacks
        .iter()
        .filter_map(|n| book.face(n, false, false))
        .collect();
    Some(Fonts {
        book,
        body: style.fonts.body.clone(),
        heading: style.fonts.heading.clone(),
        code: style.fonts.code.clone(),
        fallbacks,
        chains: Vec::new(),
    })
}

fn load_builtin(book: &mut FontBook, faces: &[Option<Face>; 4], sink: &mut Sink) -> Option<Family> {
    let mut ids = [None; 4];
    for (slot, face) in ids.iter_mut().zip(faces) {
        if let Some((name, bytes)) = face {
            match book.load_bytes(name, bytes.to_vec(), 0) {
                Ok(id) => *slot = Some(id),
                Err(e) => {
                    sink.push(
                        Diagnostic::error(
                            None,
                            format!("built-in font {name} cannot be read: {e}"),
                        )
                        .with_help("this is a bug in folio; please report it"),
                    );
                    return None;
                }
            }
        }
    }
    Some(Family {
        regular: ids[0],
        italic: ids[1],
        bold: ids[2],
        bold_italic: ids[3],
    })
}

fn load_files(
    book: &mut FontBook,
    files: &FamilyFiles,
    root: &Path,
    style_name: &str,
    max_bytes: u64,
    sink: &mut Sink,
) -> Option<Family> {
    let mut load = |written: &str| -> Option<FontId> {
        let path = match paths::confine(root, root, written) {
            Ok(p) => p,
            Err(e) => {
                sink.push(
                    Diagnostic::error(None, format!("{style_name}: font {}", e.describe(written)))
                        .with_help("font paths in a style are relative to the book folder"),
                );
                return None;
            }
        };
        match paths::read_limited(&path, max_bytes)
            .map_err(|p| p.describe("the file"))
            .and_then(|bytes| {
                let id = book.load_bytes(written, bytes, 0)?;
                // Loaded for layout; checked now to embed in the PDF too.
                let font = book.font(id).ok_or("it was not kept")?;
                super::write::fonts::check_embeddable(font.data(), 0)
                    .map_err(|why| format!("it cannot be embedded in the PDF: {why}"))?;
                Ok(id)
            }) {
            Ok(id) => Some(id),
            Err(e) => {
                sink.push(
                    Diagnostic::error(
                        None,
                        format!("{style_name}: cannot use font `{written}`: {e}"),
                    )
                    .with_help("use a TrueType (.ttf) or OpenType (.otf) file"),
                );
                None
            }
        }
    };
    let regular = load(&files.regular)?;
    let italic = files.italic.as_deref().map(&mut load);
    let bold = files.bold.as_deref().map(&mut load);
    let bold_italic = files.bold_italic.as_deref().map(&mut load);
    if [italic, bold, bold_italic]
        .iter()
        .any(|f| matches!(f, Some(None)))
    {
        return None;
    }
    Some(Family {
        regular: Some(regular),
        italic: italic.flatten(),
        bold: bold.flatten(),
        bold_italic: bold_italic.flatten(),
    })
}
