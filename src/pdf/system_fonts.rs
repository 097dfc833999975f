//! Fonts beyond the style's: those installed on the machine and those in the
//! folders of `--font-path` and `[pdf] font-paths`, for the characters the
//! style's fonts lack (Japanese, Devanagari, …).
//!
//! The fallback order is the style's faces (its body, heading and code
//! families, then its `fallbacks`, folio's bundled fonts by default), then
//! fonts found here. Discovery happens only when the book has a character
//! the style's fonts lack, so a book they cover never scans the system.
//!
//! Choice is deterministic: faces are ranked by how well they fit the
//! language (a `JP` face for Japanese, `SC` for Simplified Chinese), then the
//! style (serif for a serif body), then how many of the missing characters
//! they have, then family name, file path and face index, never by the order
//! a directory lists its files. The same fonts installed give the same
//! bytes.
//!
//! Files found here are trusted less than bundled ones: a face is only
//! loaded if its file is a regular file within `[limits] file-bytes`, it
//! loads through the same checked parser as the style's fonts, a face that
//! fails is skipped (never an error: the author did not name it), and at
//! most [`MAX_PICKS_PER_LANGUAGE`] faces are taken per language.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::font_needs::Needs;
use super::layout::cx::{Chain, Fonts};
use super::layout::fonts::FontId;

/// Most faces added for one language: real books need one or two (a face
/// and its bold); the cap bounds the work a book of stray symbols can cause.
pub const MAX_PICKS_PER_LANGUAGE: usize = 6;

/// Where fonts beyond the style's may come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FontSources {
    /// Folders of `[pdf] font-paths`, inside the book folder `root`: a face
    /// found through a symlink leading out of it is not used.
    pub book_dirs: Vec<PathBuf>,
    /// The canonical book folder.
    pub root: PathBuf,
    /// Folders given with `--font-path` (anywhere: the user's choice).
    pub dirs: Vec<PathBuf>,
    /// Whether the system's font folders are searched too.
    pub system: bool,
}

/// The sources a build may take fonts from: `[pdf] font-paths` (each
/// confined to the book folder; an error otherwise), `cli_dirs`
/// (`--font-path`), and the system's unless `[pdf] system-fonts = false`.
pub fn sources(
    cx: &crate::backend::RenderContext<'_>,
    cli_dirs: &[PathBuf],
    sink: &mut crate::diag::Sink,
) -> Option<FontSources> {
    let config_source = cx
        .sources
        .iter()
        .find(|(_, f)| f.path.file_name().is_some_and(|n| n == "book.toml"))
        .map(|(id, _)| id);
    let mut book_dirs = Vec::new();
    let mut ok = true;
    for written in &cx.config.pdf.font_paths {
        let span = config_source
            .map(|id| crate::diag::Span::new(id, written.span().start, written.span().end));
        match crate::manuscript::paths::confine(cx.root, cx.root, written.get_ref()) {
            Ok(dir) if dir.is_dir() => book_dirs.push(dir),
            Ok(_) => {
                sink.push(
                    crate::diag::Diagnostic::error(
                        span,
                        format!("font path `{}` is not a folder", written.get_ref()),
                    )
                    .with_help("`font-paths` lists folders of .ttf, .otf and .ttc files"),
                );
                ok = false;
            }
            Err(e) => {
                sink.push(
                    crate::diag::Diagnostic::error(span, e.describe(written.get_ref()))
                        .with_help("font paths are relative to the book folder"),
                );
                ok = false;
            }
        }
    }
    ok.then(|| FontSources {
        book_dirs,
        root: cx.root.to_path_buf(),
        dirs: cli_dirs.to_vec(),
        system: cx.config.pdf.system_fonts.unwrap_or(true),
    })
}

/// The faces found in the sources, sorted, not yet loaded.
pub struct Catalog {
    db: fontdb::Database,
    faces: Vec<Candidate>,
}

/// One face of a font file on disk.
#[derive(Debug, Clone)]
struct Candidate {
    id: fontdb::ID,
    family: String,
    /// Lower-case words of the family name, for matching markers.
    words: Vec<String>,
    path: PathBuf,
    index: u32,
    weight: u16,
    italic: bool,
    /// From a `--font-path`/`font-paths` folder (searched first).
    named: bool,
}

impl Catalog {
    /// Lists the faces of `sources`; unreadable folders and files are
    /// skipped.
    pub fn discover(sources: &FontSources) -> Catalog {
        let mut db = fontdb::Database::new();
        for dir in &sources.book_dirs {
            db.load_fonts_dir(dir);
        }
        // fontdb follows symlinks and records where they lead.
        let escaped: Vec<fontdb::ID> = db
            .faces()
            .filter(|f| match &f.source {
                fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => {
                    !p.starts_with(&sources.root)
                }
                fontdb::Source::Binary(_) => true,
            })
            .map(|f| f.id)
            .collect();
        for id in escaped {
            db.remove_face(id);
        }
        for dir in &sources.dirs {
            db.load_fonts_dir(dir);
        }
        let named: BTreeSet<fontdb::ID> = db.faces().map(|f| f.id).collect();
        if sources.system {
            db.load_system_fonts();
        }
        let mut faces: Vec<Candidate> = db
            .faces()
            .filter_map(|face| {
                let path = match &face.source {
                    fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => {
                        path.clone()
                    }
                    fontdb::Source::Binary(_) => return None,
                };
                let family = face.families.first()?.0.clone();
                Some(Candidate {
                    id: face.id,
                    words: family
                        .to_lowercase()
                        .split(|c: char| !c.is_alphanumeric())
                        .filter(|w| !w.is_empty())
                        .map(str::to_owned)
                        .collect(),
                    family,
                    path,
                    index: face.index,
                    weight: face.weight.0,
                    italic: face.style != fontdb::Style::Normal,
                    named: named.contains(&face.id),
                })
            })
            .collect();
        // A folder given twice, or also a system folder, lists a face twice.
        faces.sort_by(|a, b| {
            (&a.path, a.index, &a.family, a.weight).cmp(&(&b.path, b.index, &b.family, b.weight))
        });
        faces.dedup_by(|a, b| a.path == b.path && a.index == b.index);
        faces.sort_by(|a, b| {
            (!a.named, &a.family, &a.path, a.index).cmp(&(!b.named, &b.family, &b.path, b.index))
        });
        Catalog { db, faces }
    }

    /// How many faces were found.
    pub fn len(&self) -> usize {
        self.faces.len()
    }

    /// Whether no face was found.
    pub fn is_empty(&self) -> bool {
        self.faces.is_empty()
    }

    /// Which of `chars` face `k` maps to a glyph, in order.
    fn coverage(&self, k: usize, chars: &[char]) -> Vec<bool> {
        let face = &self.faces[k];
        self.db
            .with_face_data(face.id, |data, index| {
                match ttf_parser::Face::parse(data, index) {
                    Ok(parsed) => chars
                        .iter()
                        .map(|&c| parsed.glyph_index(c).is_some_and(|g| g.0 != 0))
                        .collect(),
                    Err(_) => vec![false; chars.len()],
                }
            })
            .unwrap_or_else(|| vec![false; chars.len()])
    }
}

/// A face added from the sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picked {
    /// Family name.
    pub family: String,
    /// The file and the face's index in it.
    pub path: PathBuf,
    /// Face index (collections hold several).
    pub index: u32,
    /// The language it was picked for.
    pub lang: String,
    /// Bold (a second face of the family, for bold text).
    pub bold: bool,
}

/// What [`extend`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extended {
    /// Faces added, in the order they were chosen.
    pub picked: Vec<Picked>,
    /// Faces found in the sources (0 if none was searched).
    pub candidates: usize,
}

/// The characters of `needs` that the style's faces lack, by language.
pub fn uncovered(fonts: &Fonts, needs: &Needs) -> Needs {
    let roles: Vec<FontId> = [&fonts.body, &fonts.heading, &fonts.code]
        .into_iter()
        .filter_map(|family| fonts.book.face(family, false, false))
        .collect();
    let covered = |c: char| {
        fonts.fallbacks.iter().any(|&f| fonts.book.has_char(f, c))
            || (!roles.is_empty() && roles.iter().all(|&f| fonts.book.has_char(f, c)))
    };
    needs
        .iter()
        .map(|(lang, chars)| {
            let missing: BTreeSet<char> = chars.iter().copied().filter(|&c| !covered(c)).collect();
            (lang.clone(), missing)
        })
        .filter(|(_, missing)| !missing.is_empty())
        .collect()
}

/// Adds to `fonts` faces from `catalog` for the characters of `missing`
/// (see [`uncovered`]) and builds a fallback chain per language. Faces in
/// files over `max_bytes` or that fail to load are skipped.
pub fn extend(fonts: &mut Fonts, catalog: &Catalog, missing: &Needs, max_bytes: u64) -> Extended {
    let mut extended = Extended {
        candidates: catalog.len(),
        ..Extended::default()
    };
    let taste = Taste::of(&fonts.body);
    let mut files: BTreeMap<PathBuf, Option<Arc<Vec<u8>>>> = BTreeMap::new();
    // Loaded faces by (path, index), so two languages picking one face share it.
    let mut loaded: BTreeMap<(PathBuf, u32), Option<FontId>> = BTreeMap::new();
    let mut per_lang: Vec<(String, Vec<FontId>, Vec<FontId>)> = Vec::new();
    for (lang, chars) in missing {
        let chars: Vec<char> = chars.iter().copied().collect();
        let coverage: Vec<Vec<bool>> = (0..catalog.len())
            .map(|k| catalog.coverage(k, &chars))
            .collect();
        let mut remaining = vec![true; chars.len()];
        let mut regular = Vec::new();
        let mut bold = Vec::new();
        while remaining.iter().any(|&r| r) && regular.len() < MAX_PICKS_PER_LANGUAGE {
            let best = (0..catalog.len())
                .filter(|&k| !catalog.faces[k].italic)
                .filter_map(|k| {
                    let gain = coverage[k]
                        .iter()
                        .zip(&remaining)
                        .filter(|(has, want)| **has && **want)
                        .count();
                    (gain > 0).then(|| (rank(&catalog.faces[k], lang, taste, gain), k))
                })
                .min();
            let Some((_, k)) = best else { break };
            // Counted as tried whether or not it loads, so a broken file is
            // never picked again.
            for (want, has) in remaining.iter_mut().zip(&coverage[k]) {
                if *has {
                    *want = false;
                }
            }
            let face = &catalog.faces[k];
            let Some(id) = load(fonts, &mut files, &mut loaded, face, max_bytes) else {
                continue;
            };
            extended.picked.push(Picked {
                family: face.family.clone(),
                path: face.path.clone(),
                index: face.index,
                lang: lang.clone(),
                bold: false,
            });
            regular.push(id);
            let bold_face = bold_of(catalog, k).and_then(|b| {
                let face = &catalog.faces[b];
                let id = load(fonts, &mut files, &mut loaded, face, max_bytes)?;
                extended.picked.push(Picked {
                    family: face.family.clone(),
                    path: face.path.clone(),
                    index: face.index,
                    lang: lang.clone(),
                    bold: true,
                });
                Some(id)
            });
            bold.push(bold_face.unwrap_or(id));
        }
        per_lang.push((lang.clone(), regular, bold));
    }
    if per_lang.iter().all(|(_, r, _)| r.is_empty()) {
        return extended;
    }
    // Each chain: the style's fallbacks, this language's picks, then every
    // other language's, so text set in an unexpected language (a running
    // head, a generated label) still finds its characters. The first chain
    // holds every pick and serves languages without their own.
    let mut chains = vec![chain("", &fonts.fallbacks, &per_lang, None)];
    for (i, (lang, _, _)) in per_lang.iter().enumerate() {
        chains.push(chain(lang, &fonts.fallbacks, &per_lang, Some(i)));
    }
    fonts.chains = chains;
    extended
}

fn chain(
    lang: &str,
    style: &[FontId],
    per_lang: &[(String, Vec<FontId>, Vec<FontId>)],
    first: Option<usize>,
) -> Chain {
    let order: Vec<usize> = first
        .into_iter()
        .chain((0..per_lang.len()).filter(|&i| Some(i) != first))
        .collect();
    let mut regular: Vec<FontId> = style.to_vec();
    let mut bold: Vec<FontId> = style.to_vec();
    for i in order {
        for &id in &per_lang[i].1 {
            if !regular.contains(&id) {
                regular.push(id);
            }
        }
        for &id in &per_lang[i].2 {
            if !bold.contains(&id) {
                bold.push(id);
            }
        }
    }
    Chain {
        lang: lang.to_owned(),
        regular,
        bold,
    }
}

/// Loads one face (its file read once), or `None` when it cannot be used.
fn load(
    fonts: &mut Fonts,
    files: &mut BTreeMap<PathBuf, Option<Arc<Vec<u8>>>>,
    loaded: &mut BTreeMap<(PathBuf, u32), Option<FontId>>,
    face: &Candidate,
    max_bytes: u64,
) -> Option<FontId> {
    let key = (face.path.clone(), face.index);
    if let Some(id) = loaded.get(&key) {
        return *id;
    }
    let bytes = files
        .entry(face.path.clone())
        .or_insert_with(|| read(&face.path, max_bytes))
        .clone();
    let id = bytes.and_then(|bytes| {
        fonts
            .book
            .load_shared(&source_name(&face.path, face.index), bytes, face.index)
            .ok()
            .filter(|&id| fonts.book.font(id).is_some_and(|f| f.is_embeddable()))
    });
    loaded.insert(key, id);
    id
}

/// A file's bytes if it is a regular file within the limit.
fn read(path: &Path, max_bytes: u64) -> Option<Arc<Vec<u8>>> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > max_bytes {
        return None;
    }
    crate::manuscript::paths::read_limited(path, max_bytes)
        .ok()
        .map(Arc::new)
}

/// How a face is named in messages and `--verbose`: its path, and the face
/// index inside a collection.
pub fn source_name(path: &Path, index: u32) -> String {
    if index == 0 {
        path.display().to_string()
    } else {
        format!("{}#{index}", path.display())
    }
}

/// The bold face of candidate `k`'s family (weight 600 or more, upright,
/// nearest to 700), if the sources have one.
fn bold_of(catalog: &Catalog, k: usize) -> Option<usize> {
    let family = &catalog.faces[k].family;
    catalog
        .faces
        .iter()
        .enumerate()
        .filter(|(_, f)| f.family == *family && !f.italic && f.weight >= 600)
        .min_by_key(|(_, f)| (f.weight.abs_diff(700), f.path.clone(), f.index))
        .map(|(b, _)| b)
}

/// Sort key of a candidate for `lang`: lower is better.
fn rank(
    face: &Candidate,
    lang: &str,
    taste: Taste,
    gain: usize,
) -> (
    u8,
    u8,
    u8,
    std::cmp::Reverse<usize>,
    u16,
    String,
    PathBuf,
    u32,
) {
    (
        u8::from(!face.named),
        language_fit(&face.words, lang),
        taste.fit(&face.words),
        std::cmp::Reverse(gain),
        face.weight.abs_diff(400),
        face.family.clone(),
        face.path.clone(),
        face.index,
    )
}

/// Words in family names that mark the language a CJK face's glyph forms
/// follow (Han characters are drawn differently in Japan, China, Taiwan,
/// Hong Kong and Korea).
const CJK_MARKERS: [(&str, &[&str]); 5] = [
    ("ja", &["jp", "japanese", "mincho", "gothic"]),
    (
        "ko",
        &["kr", "korean", "batang", "gulim", "dotum", "myungjo"],
    ),
    ("zh-hk", &["hk"]),
    ("zh-hant", &["tc", "tw"]),
    ("zh-hans", &["sc", "cn"]),
];

/// 0: the family is marked for `lang`; 1: unmarked; 2: marked for another
/// CJK language.
fn language_fit(words: &[String], lang: &str) -> u8 {
    let own = cjk_key(lang);
    let mut other = false;
    for (key, markers) in CJK_MARKERS {
        if words.iter().any(|w| markers.contains(&w.as_str())) {
            if Some(key) == own {
                return 0;
            }
            other = true;
        }
    }
    u8::from(other) * 2 + u8::from(!other)
}

/// Which entry of [`CJK_MARKERS`] a language tag means.
fn cjk_key(lang: &str) -> Option<&'static str> {
    let parts: Vec<&str> = lang.split('-').collect();
    match parts.first().copied() {
        Some("ja") => Some("ja"),
        Some("ko") => Some("ko"),
        Some("zh" | "yue") => {
            if parts.contains(&"hans") {
                Some("zh-hans")
            } else if parts.contains(&"hk")
                || parts.contains(&"mo")
                || parts.first() == Some(&"yue")
            {
                Some("zh-hk")
            } else if parts.contains(&"hant") || parts.contains(&"tw") {
                Some("zh-hant")
            } else {
                Some("zh-hans")
            }
        }
        _ => None,
    }
}

/// Serif or sans, judged from the body family's name, so fallback text
/// matches the running text's kind of letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Taste {
    Serif,
    Sans,
}

const SERIF_WORDS: &[&str] = &[
    "serif", "mincho", "ming", "song", "batang", "myungjo", "naskh",
];
const SANS_WORDS: &[&str] = &["sans", "gothic", "hei", "gulim", "dotum", "kufi", "ui"];

impl Taste {
    fn of(body: &str) -> Taste {
        let lower = body.to_lowercase();
        if lower.split(' ').any(|w| SANS_WORDS.contains(&w)) && !lower.contains("serif") {
            Taste::Sans
        } else {
            Taste::Serif
        }
    }

    /// 0: same kind; 1: unknown; 2: the other kind (or monospaced).
    fn fit(self, words: &[String]) -> u8 {
        let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
        let serif = has(SERIF_WORDS);
        let sans = !serif && has(SANS_WORDS);
        if words.iter().any(|w| w == "mono") {
            return 2;
        }
        match (self, serif, sans) {
            (Taste::Serif, true, _) | (Taste::Sans, false, true) => 0,
            (_, false, false) => 1,
            _ => 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(family: &str) -> Vec<String> {
        family
            .to_lowercase()
            .split(' ')
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn han_faces_follow_the_language() {
        let jp = words("Noto Serif CJK JP");
        let sc = words("Noto Serif CJK SC");
        let plain = words("Droid Sans Fallback");
        assert_eq!(language_fit(&jp, "ja"), 0);
        assert_eq!(language_fit(&sc, "ja"), 2);
        assert_eq!(language_fit(&plain, "ja"), 1);
        assert_eq!(language_fit(&sc, "zh"), 0);
        assert_eq!(language_fit(&sc, "zh-tw"), 2);
        assert_eq!(language_fit(&words("Noto Sans CJK TC"), "zh-hant-tw"), 0);
        assert_eq!(language_fit(&words("Noto Sans CJK HK"), "zh-hk"), 0);
        assert_eq!(language_fit(&words("Noto Sans CJK KR"), "ko"), 0);
        assert_eq!(language_fit(&words("Noto Naskh Arabic"), "ar"), 1);
    }

    #[test]
    fn taste_follows_the_body() {
        assert_eq!(Taste::of("EB Garamond"), Taste::Serif);
        assert_eq!(Taste::of("Source Sans 3"), Taste::Sans);
        let serif = Taste::Serif;
        assert_eq!(serif.fit(&words("Noto Serif CJK JP")), 0);
        assert_eq!(serif.fit(&words("Noto Sans CJK JP")), 2);
        assert_eq!(serif.fit(&words("Noto Sans Mono CJK JP")), 2);
        assert_eq!(serif.fit(&words("Amiri")), 1);
        assert_eq!(Taste::Sans.fit(&words("Noto Sans CJK JP")), 0);
    }

    #[test]
    fn an_empty_catalog_adds_nothing() {
        let catalog = Catalog::discover(&FontSources {
            dirs: vec![PathBuf::from("/nonexistent/fonts")],
            ..FontSources::default()
        });
        assert!(catalog.is_empty());
        let mut fonts = Fonts {
            book: Default::default(),
            body: "EB Garamond".into(),
            heading: String::new(),
            code: String::new(),
            fallbacks: Vec::new(),
            chains: Vec::new(),
        };
        let mut missing = Needs::new();
        missing.insert("ja".into(), ['日'].into_iter().collect());
        let extended = extend(&mut fonts, &catalog, &missing, 1 << 20);
        assert!(extended.picked.is_empty());
        assert!(fonts.chains.is_empty());
    }
}
