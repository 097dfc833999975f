//! Confinement: every kind of path a book names — chapters in `chapters =
//! [...]` and in SUMMARY.md, images in Markdown and in raw HTML, the cover,
//! `[epub] stylesheet`, `extra-css` and `fonts`, `[pdf] style`, and font
//! files in a style's `[fonts.families]` — is refused when it leaves the book
//! folder in any of the four ways: an absolute path, a `..` escape, a symlink
//! to a file outside, a path through a symlinked folder outside. Each is an
//! error naming where the path is written, exit code 1, and nothing is
//! packaged: the output folder keeps exactly its previous artifacts. Also
//! `book.toml`, `SUMMARY.md` and `[book] src` themselves as symlinks out.

mod common;

use common::{BOOK_TOML, dir_contents, root, seed_previous, write_book};
use std::path::Path;
use std::process::Command;

/// The four ways out of the book folder.
#[derive(Debug, Clone, Copy)]
enum Way {
    Absolute,
    DotDot,
    FileSymlink,
    DirSymlink,
}

const WAYS: [Way; 4] = [
    Way::Absolute,
    Way::DotDot,
    Way::FileSymlink,
    Way::DirSymlink,
];

/// What the error says for each way.
fn reason(way: Way) -> &'static str {
    match way {
        Way::Absolute => "is an absolute path; paths in a book are relative to the book folder",
        Way::DotDot => "points outside the book folder",
        Way::FileSymlink | Way::DirSymlink => {
            "is a symbolic link to a file outside the book folder"
        }
    }
}

/// A secret file outside the book, of each kind a book names.
const SECRETS: &[(&str, &[u8])] = &[
    ("secret.md", b"# The secret chapter\n\nSECRET-TEXT\n"),
    ("secret.svg", br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>SECRET-TEXT</text></svg>"#),
    ("secret.css", b"p { content: 'SECRET-TEXT'; }\n"),
    ("secret.ttf", b"SECRET-TEXT not really a font"),
    ("secret.toml", b"# SECRET-TEXT\n[text]\nsize = 30.0\n"),
];

/// Sets up `outside/` and the symlinks for `way`, and returns the path to
/// write in the book for the outside file `name`, and the path written
/// relative to the book root (for messages).
fn escape(temp: &Path, book: &Path, way: Way, name: &str) -> String {
    let outside = temp.join("outside");
    match way {
        Way::Absolute => outside.join(name).to_string_lossy().into_owned(),
        Way::DotDot => format!("../outside/{name}"),
        Way::FileSymlink => {
            let link = format!("link-{name}");
            let _ = std::os::unix::fs::symlink(outside.join(name), book.join(&link));
            link
        }
        Way::DirSymlink => {
            let _ = std::os::unix::fs::symlink(&outside, book.join("linked"));
            format!("linked/{name}")
        }
    }
}

/// `book.toml` tail and files (path, text) of a book naming a path.
type Layout = (String, Vec<(String, String)>);

/// Sets up a book folder.
type Setup<'a> = Box<dyn Fn(&Path) + 'a>;

/// One book: extra `book.toml` text and files, given the escaping path.
struct Kind {
    name: &'static str,
    /// Which outside file it names.
    secret: &'static str,
    /// Builds the book around the escaping path `p`: (book.toml tail, files).
    book: fn(&str) -> Layout,
    /// The file the error must be reported in (`book.toml:` …).
    reported_in: &'static str,
}

fn chapter() -> (String, String) {
    ("01-one.md".into(), "# One\n\nText.\n".into())
}

fn kinds() -> Vec<Kind> {
    vec![
        Kind {
            name: "chapter in chapters = [...]",
            secret: "secret.md",
            book: |p| {
                (
                    format!("chapters = [\"01-one.md\", {p:?}]\n"),
                    vec![chapter()],
                )
            },
            reported_in: "book.toml:6:",
        },
        Kind {
            name: "chapter in SUMMARY.md",
            secret: "secret.md",
            book: |p| {
                (
                    String::new(),
                    vec![
                        chapter(),
                        (
                            "SUMMARY.md".into(),
                            format!("# Summary\n\n- [One](01-one.md)\n- [Secret]({p})\n"),
                        ),
                    ],
                )
            },
            reported_in: "SUMMARY.md:4:1:",
        },
        Kind {
            name: "image in Markdown",
            secret: "secret.svg",
            book: |p| {
                (
                    String::new(),
                    vec![("01-one.md".into(), format!("# One\n\n![A secret]({p})\n"))],
                )
            },
            reported_in: "01-one.md:3:1:",
        },
        Kind {
            name: "image in raw HTML",
            secret: "secret.svg",
            book: |p| {
                (
                    String::new(),
                    vec![(
                        "01-one.md".into(),
                        format!("# One\n\n<p><img src=\"{p}\" alt=\"A secret\"/></p>\n"),
                    )],
                )
            },
            reported_in: "01-one.md:3:1:",
        },
        Kind {
            name: "cover",
            secret: "secret.svg",
            book: |p| (format!("cover = {p:?}\n"), vec![chapter()]),
            reported_in: "book.toml:6:9:",
        },
        Kind {
            name: "[epub] stylesheet",
            secret: "secret.css",
            book: |p| (format!("[epub]\nstylesheet = {p:?}\n"), vec![chapter()]),
            reported_in: "book.toml:7:14:",
        },
        Kind {
            name: "[epub] extra-css",
            secret: "secret.css",
            book: |p| (format!("[epub]\nextra-css = [{p:?}]\n"), vec![chapter()]),
            reported_in: "book.toml:7:14:",
        },
        Kind {
            name: "[epub] fonts",
            secret: "secret.ttf",
            book: |p| (format!("[epub]\nfonts = [{p:?}]\n"), vec![chapter()]),
            reported_in: "book.toml:7:10:",
        },
        Kind {
            name: "[pdf] style",
            secret: "secret.toml",
            book: |p| (format!("[pdf]\nstyle = {p:?}\n"), vec![chapter()]),
            reported_in: "book.toml:7:9:",
        },
        Kind {
            name: "font in a style's [fonts.families]",
            secret: "secret.ttf",
            book: |p| {
                (
                    "[pdf]\nstyle = \"styles/mine.toml\"\n".into(),
                    vec![
                        chapter(),
                        (
                            "styles/mine.toml".into(),
                            format!(
                                "[fonts]\nbody = \"Mine\"\n[fonts.families.\"Mine\"]\nregular = {p:?}\n"
                            ),
                        ),
                    ],
                )
            },
            reported_in: "styles/mine.toml: font `",
        },
    ]
}

fn build(book: &Path, out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("build")
        .arg(book)
        .args(["--message-format", "short"])
        .arg("--out")
        .arg(out)
        .current_dir(book)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("folio runs")
}

#[test]
fn every_way_out_is_closed_for_every_kind_of_path() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for kind in kinds() {
        for way in WAYS {
            let temp = tempfile::tempdir().expect("temp dir");
            let outside = temp.path().join("outside");
            std::fs::create_dir(&outside).expect("outside");
            for (name, bytes) in SECRETS {
                std::fs::write(outside.join(name), bytes).expect("secret");
            }
            let book = temp.path().join("book");
            std::fs::create_dir(&book).expect("book");
            let written = escape(temp.path(), &book, way, kind.secret);
            let (toml_tail, files) = (kind.book)(&written);
            let files: Vec<(&str, &[u8])> = files
                .iter()
                .map(|(p, t)| (p.as_str(), t.as_bytes()))
                .collect();
            write_book(&book, &format!("{BOOK_TOML}{toml_tail}"), &files);
            let out = temp.path().join("out");
            seed_previous(&out);
            let before = dir_contents(&out);

            let run = build(&book, &out);
            checked += 1;
            let stderr = String::from_utf8_lossy(&run.stderr);
            let expected = format!("`{written}` {}", reason(way));
            let what = format!("{} / {way:?}", kind.name);
            if run.status.code() != Some(1) {
                failures.push(format!("{what}: exit {:?}\n{stderr}", run.status.code()));
            }
            let reported = stderr.lines().any(|l| {
                l.contains(kind.reported_in) && l.contains(": error: ") && l.contains(&expected)
                    || (kind.reported_in.ends_with("font `")
                        && l.starts_with("error: styles/mine.toml: font `")
                        && l.contains(&expected))
            });
            if !reported {
                failures.push(format!(
                    "{what}: expected an error in `{}` saying {expected:?}, got:\n{stderr}",
                    kind.reported_in
                ));
            }
            if stderr.contains("SECRET-TEXT") {
                failures.push(format!("{what}: the secret leaked into the messages"));
            }
            if dir_contents(&out) != before {
                failures.push(format!("{what}: the output folder changed"));
            }
        }
    }
    assert_eq!(checked, 40);
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn the_book_files_themselves_cannot_be_symlinks_out() {
    let temp = tempfile::tempdir().expect("temp dir");
    let outside = temp.path().join("outside");
    std::fs::create_dir_all(outside.join("src")).expect("outside");
    std::fs::write(outside.join("book.toml"), BOOK_TOML).expect("toml");
    std::fs::write(outside.join("SUMMARY.md"), "- [S](secret.md)\n").expect("summary");
    std::fs::write(outside.join("src/secret.md"), "# Secret\n").expect("chapter");
    let link = |target: &Path, at: &Path| {
        std::os::unix::fs::symlink(target, at).expect("symlink");
    };
    let cases: Vec<(&str, Setup<'_>, &str)> = vec![
        (
            "book.toml",
            Box::new(|book: &Path| link(&outside.join("book.toml"), &book.join("book.toml"))),
            "book.toml: error: `book.toml` is a symbolic link to a file outside the book folder",
        ),
        (
            "SUMMARY.md",
            Box::new(|book: &Path| {
                std::fs::write(book.join("book.toml"), BOOK_TOML).expect("toml");
                std::fs::write(book.join("01.md"), "# One\n").expect("chapter");
                link(&outside.join("SUMMARY.md"), &book.join("SUMMARY.md"));
            }),
            "SUMMARY.md: error: `SUMMARY.md` is a symbolic link to a file outside the book folder",
        ),
        (
            "[book] src",
            Box::new(|book: &Path| {
                std::fs::write(
                    book.join("book.toml"),
                    format!("{BOOK_TOML}src = \"src\"\n"),
                )
                .expect("toml");
                link(&outside.join("src"), &book.join("src"));
            }),
            "book.toml:6:7: error: `src` is a symbolic link to a file outside the book folder",
        ),
    ];
    for (name, setup, expected) in cases {
        let book = temp
            .path()
            .join(format!("book-{}", name.replace(['[', ']', ' '], "")));
        std::fs::create_dir(&book).expect("book");
        setup(&book);
        let out = temp.path().join(format!("out-{}", name.len()));
        seed_previous(&out);
        let before = dir_contents(&out);
        let run = build(&book, &out);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert_eq!(dir_contents(&out), before, "{name}");
    }
    let _ = root();
}
