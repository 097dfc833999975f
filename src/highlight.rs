//! Syntax highlighting shared by every backend: code is tokenized once into a
//! handful of semantic classes (comment, string, keyword…), stored in the IR, and
//! each backend maps the classes to its own presentation (CSS classes in the
//! EPUB, colours in the PDF), so both formats agree and readers can override.

use crate::ir::{Block, BlockKind, Book, CodeToken, TokenClass};
use std::collections::HashMap;
use std::sync::OnceLock;
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};

/// Lines longer than this are left plain: regex highlighters can take seconds
/// on a minified file, and nobody reads colours in a 5,000-character line.
const MAX_LINE: usize = 5_000;

/// Code blocks larger than this are left plain: highlighting costs tens of
/// microseconds a line, so a pasted 10 MB log would take minutes, and no
/// book prints a 5,000-line listing.
const MAX_BLOCK: usize = 256 * 1024;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// Common names authors write after a fence that are not the syntax's own token.
fn alias(lang: &str) -> &str {
    match lang {
        // Django templates are HTML with template tags; plain Jinja may template anything.
        "django" | "htmldjango" | "html+django" | "html+jinja" | "html.j2" => "HTML (Jinja2)",
        "jinja" | "jinja2" | "j2" => "Jinja2",
        "shell" | "sh" | "bash" | "zsh" => "bash",
        "py" | "python3" | "py3" => "python",
        "yml" => "yaml",
        "rs" => "rust",
        "js" | "javascript" | "node" => "js",
        "ts" | "typescript" => "ts",
        "dockerfile" | "docker" => "Dockerfile",
        "toml" => "TOML",
        other => other,
    }
}

/// The syntax for a fence language, if folio knows one.
fn syntax_for(lang: &str) -> Option<&'static SyntaxReference> {
    let lower = lang.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "text" | "txt" | "plain" | "plaintext" | "output" | "none" | "log" | "stdout" | "stderr"
    ) || is_session(&lower)
    {
        return None;
    }
    let set = syntaxes();
    let name = alias(&lower);
    set.find_syntax_by_name(name)
        .or_else(|| set.find_syntax_by_token(name))
}

/// Whether folio can highlight `lang` (used by tests and `folio check`).
pub fn knows(lang: &str) -> bool {
    syntax_for(lang).is_some() || is_session(&lang.to_ascii_lowercase())
}

/// Terminal sessions: prompts and commands, then whatever the program
/// printed, which is not code and must not be coloured as if it were.
fn is_session(lang: &str) -> bool {
    matches!(
        lang,
        "console" | "shell-session" | "sh-session" | "bash-session" | "terminal" | "session"
    )
}

/// The prompt at the start of a session line (`$ `, `% `, `> `, `❯ `,
/// `PS C:\> `, `user@host:~/dir$ `), as a byte length.
fn prompt_len(line: &str) -> Option<usize> {
    for prompt in ["$ ", "% ", "> ", "❯ ", "➜ "] {
        if line.starts_with(prompt) {
            return Some(prompt.len());
        }
    }
    if line.trim_end() == "$" {
        return Some(1);
    }
    if line.starts_with("PS") {
        if let Some(end) = line.find("> ") {
            if !line[..end].contains(' ') || line[..end].contains(':') {
                return Some(end + 2);
            }
        }
    }
    // `user@host:~/dir$ ` or `[user@host dir]# `: a prompt holds `@` or `:`
    // before its `$`/`#` and no space before that (or a bracketed one).
    let head = &line[..line.len().min(80)];
    for (i, c) in head.char_indices() {
        if (c == '$' || c == '#') && head[i + 1..].starts_with(' ') {
            let before = &head[..i];
            let bracketed = before.starts_with('[') && before.ends_with(']');
            if (before.contains('@') || before.contains(':'))
                && (bracketed || !before.contains(' '))
            {
                return Some(i + 2);
            }
            return None;
        }
    }
    None
}

/// A session's tokens: each prompt as a comment, each command highlighted
/// as shell on its own line; output lines stay plain.
fn tokenize_session(text: &str, classes: &mut ClassCache) -> Vec<CodeToken> {
    let Some(shell) = syntax_for("bash") else {
        return Vec::new();
    };
    let mut tokens = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if let Some(prompt) = prompt_len(line).filter(|_| line.len() <= MAX_LINE) {
            push_token(
                &mut tokens,
                Some(TokenClass::Comment),
                line_start,
                line_start + prompt,
            );
            let command = &line[prompt..];
            for token in tokenize_lines(shell, command, classes) {
                let offset = (line_start + prompt) as u32;
                push_token(
                    &mut tokens,
                    Some(token.class),
                    (token.start + offset) as usize,
                    (token.end + offset) as usize,
                );
            }
        }
        line_start += line.len();
    }
    tokens
}

/// One code block to tokenize: its language, its text and where the tokens go.
type Job<'b> = (&'b str, &'b str, &'b mut Vec<CodeToken>);

/// Tokenizes every code block of the book that names a known language.
///
/// Highlighting is the costliest stage of an EPUB build (syntect's regexes
/// run over every line) and blocks are independent, so they are spread over
/// up to `MAX_THREADS` threads. Each block's tokens depend only on its own
/// text, so the result is the same whatever the thread count.
///
/// With a `cache` (`folio watch`), the tokens of unchanged blocks come from
/// it, and it is left holding exactly this build's blocks (so it never grows
/// past one book).
pub fn book(book: &mut Book, cache: Option<&mut HighlightCache>) {
    match cache {
        Some(cache) => run_cached(jobs(book), cache),
        None => run(&mut jobs(book), threads()),
    }
}

/// Highlighting started while the book is parsed: the parse shows each
/// chapter's blocks as it goes ([`crate::parse::book_observed`]), and one
/// thread tokenizes their code meanwhile, on the core the parse leaves
/// idle. When the parse is done, [`book_ahead`] takes what that thread
/// finished and tokenizes the rest as [`book`] does, on every core. A
/// block's tokens depend only on its language and text, so which thread
/// made them changes nothing; a block whose text changed after it was
/// shown (or that was never shown) is simply tokenized then.
pub struct Ahead {
    jobs: Option<std::sync::mpsc::Sender<(String, String)>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    worker: Option<std::thread::JoinHandle<Tokenized>>,
}

/// Tokens by language and text.
type Tokenized = HashMap<(String, String), Vec<CodeToken>>;

impl Ahead {
    /// Starts the thread, unless this machine has one core (the parse
    /// would only be slowed down).
    pub fn start() -> Ahead {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        if threads() < 2 {
            return Ahead {
                jobs: None,
                stop,
                worker: None,
            };
        }
        let (jobs, incoming) = std::sync::mpsc::channel::<(String, String)>();
        let stopped = stop.clone();
        let worker = std::thread::Builder::new()
            .name("highlight-ahead".into())
            .spawn(move || {
                let mut classes = ClassCache::default();
                let mut done = Tokenized::new();
                while let Ok((lang, text)) = incoming.recv() {
                    if stopped.load(std::sync::atomic::Ordering::Relaxed) {
                        break;
                    }
                    if done.contains_key(&(lang.clone(), text.clone())) {
                        continue;
                    }
                    let tokens = tokenize_with(&lang, &text, &mut classes);
                    done.insert((lang, text), tokens);
                }
                done
            })
            .ok();
        Ahead {
            jobs: worker.is_some().then_some(jobs),
            stop,
            worker,
        }
    }

    /// Queues the code blocks in `blocks` (nested ones too) that name a
    /// language.
    pub fn blocks(&self, blocks: &[Block]) {
        let Some(jobs) = &self.jobs else { return };
        crate::ir::walk::blocks(blocks, &mut |block| {
            if let BlockKind::Code {
                lang: Some(lang),
                text,
                ..
            } = &block.kind
            {
                // A closed channel (the thread is gone) just means the
                // block is tokenized later.
                let _ = jobs.send((lang.clone(), text.clone()));
            }
        });
    }

    /// Stops the thread after the block it is on; what it finished.
    fn finish(mut self) -> Tokenized {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.jobs = None;
        self.worker
            .take()
            .and_then(|w| w.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for Ahead {
    /// A build that stops before highlighting (an error in the book) stops
    /// the thread after the block it is on, not after the whole queue.
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// [`book`] for a one-off build that started highlighting during the
/// parse: blocks `ahead` tokenized take its tokens, the others are
/// tokenized here on every core.
pub fn book_ahead(book: &mut Book, ahead: Ahead) {
    let done = ahead.finish();
    let mut misses = Vec::new();
    for (lang, text, tokens) in jobs(book) {
        match done.get(&(lang.to_owned(), text.to_owned())) {
            Some(known) => tokens.clone_from(known),
            None => misses.push((lang, text, tokens)),
        }
    }
    run(&mut misses, threads());
}

/// Tokens of the code blocks of the last build, by language and text, kept
/// by `folio watch` so that an edit re-highlights only the blocks it touched
/// (highlighting is otherwise the costliest step of a rebuild after layout).
#[derive(Debug, Default)]
pub struct HighlightCache {
    tokens: HashMap<String, HashMap<String, Vec<CodeToken>>>,
}

/// Every code block of the book that names a language, notes included.
fn jobs(book: &mut Book) -> Vec<Job<'_>> {
    let mut jobs: Vec<Job<'_>> = Vec::new();
    for chapter in &mut book.chapters {
        collect(&mut chapter.blocks, &mut jobs);
        for note in &mut chapter.notes {
            collect(&mut note.blocks, &mut jobs);
        }
    }
    jobs
}

/// How many highlighting threads this machine gets.
fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_THREADS)
}

/// Takes the tokens of known blocks from `cache`, tokenizes the others, and
/// leaves in `cache` exactly these blocks.
fn run_cached(jobs: Vec<Job<'_>>, cache: &mut HighlightCache) {
    let mut old = std::mem::take(&mut cache.tokens);
    let mut misses = Vec::new();
    for (lang, text, tokens) in jobs {
        let known = old.get_mut(lang).and_then(|texts| texts.remove(text));
        match known {
            Some(known) => {
                tokens.clone_from(&known);
                let texts = cache.tokens.entry(lang.to_owned()).or_default();
                texts.insert(text.to_owned(), known);
            }
            None => misses.push((lang, text, tokens)),
        }
    }
    drop(old);
    run(&mut misses, threads());
    for (lang, text, tokens) in &misses {
        let texts = cache.tokens.entry((*lang).to_owned()).or_default();
        texts.insert((*text).to_owned(), (**tokens).clone());
    }
}

/// At most this many highlighting threads (the gain flattens past the
/// machine's cores, and tiny books are done on the calling thread).
const MAX_THREADS: usize = 4;

/// Below this much code (bytes) threads cost more than they save.
const PARALLEL_BYTES: usize = 16 * 1024;

fn collect<'b>(blocks: &'b mut [Block], jobs: &mut Vec<Job<'b>>) {
    for block in blocks {
        if matches!(block.kind, BlockKind::Code { .. }) {
            if let BlockKind::Code {
                lang: Some(lang),
                text,
                tokens,
            } = &mut block.kind
            {
                jobs.push((lang.as_str(), text.as_str(), tokens));
            }
        } else {
            for inner in crate::ir::walk::child_blocks_mut(block) {
                collect(inner, jobs);
            }
        }
    }
}

/// Tokenizes `jobs` on up to `threads` threads, balancing by text length
/// (longest first, each to the least loaded thread).
fn run(jobs: &mut [Job<'_>], threads: usize) {
    let total: usize = jobs.iter().map(|j| j.1.len()).sum();
    if threads <= 1 || jobs.len() < 2 || total < PARALLEL_BYTES {
        let mut classes = ClassCache::default();
        for (lang, text, tokens) in jobs {
            **tokens = tokenize_with(lang, text, &mut classes);
        }
        return;
    }
    let mut jobs: Vec<&mut Job<'_>> = jobs.iter_mut().collect();
    jobs.sort_by_key(|j| std::cmp::Reverse(j.1.len()));
    let mut shares: Vec<(usize, Vec<&mut Job<'_>>)> =
        (0..threads).map(|_| (0, Vec::new())).collect();
    for job in jobs {
        if let Some(share) = shares.iter_mut().min_by_key(|s| s.0) {
            share.0 += job.1.len();
            share.1.push(job);
        }
    }
    std::thread::scope(|scope| {
        for (_, share) in shares {
            scope.spawn(move || {
                let mut classes = ClassCache::default();
                for (lang, text, tokens) in share {
                    **tokens = tokenize_with(lang, text, &mut classes);
                }
            });
        }
    });
}

/// Classified byte ranges of `text`; text between tokens is plain.
pub fn tokenize(lang: &str, text: &str) -> Vec<CodeToken> {
    tokenize_with(lang, text, &mut ClassCache::default())
}

fn tokenize_with(lang: &str, text: &str, classes: &mut ClassCache) -> Vec<CodeToken> {
    if text.len() > MAX_BLOCK {
        return Vec::new();
    }
    if is_session(&lang.to_ascii_lowercase()) {
        return tokenize_session(text, classes);
    }
    let Some(syntax) = syntax_for(lang) else {
        return Vec::new();
    };
    tokenize_lines(syntax, text, classes)
}

/// Tokens of `text` in `syntax`, line by line.
fn tokenize_lines(
    syntax: &SyntaxReference,
    text: &str,
    classes: &mut ClassCache,
) -> Vec<CodeToken> {
    let set = syntaxes();
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut tokens: Vec<CodeToken> = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if line.len() > MAX_LINE {
            // Restart state after a skipped line; colours resume on the next one.
            state = ParseState::new(syntax);
            stack = ScopeStack::new();
            line_start += line.len();
            continue;
        }
        let Ok(ops) = state.parse_line(line, set) else {
            break;
        };
        let mut pos = 0;
        for (at, op) in ops {
            push_token(
                &mut tokens,
                classes.of(&stack),
                line_start + pos,
                line_start + at,
            );
            pos = at;
            if stack.apply(&op).is_err() {
                break;
            }
        }
        push_token(
            &mut tokens,
            classes.of(&stack),
            line_start + pos,
            line_start + line.len(),
        );
        line_start += line.len();
    }
    tokens
}

fn push_token(tokens: &mut Vec<CodeToken>, class: Option<TokenClass>, start: usize, end: usize) {
    let Some(class) = class else { return };
    if end <= start {
        return;
    }
    let (start, end) = (start as u32, end as u32);
    if let Some(last) = tokens.last_mut() {
        if last.class == class && last.end == start {
            last.end = end;
            return;
        }
    }
    tokens.push(CodeToken { class, start, end });
}

/// Scope → class, memoized: a scope stack's class is that of its innermost
/// scope that has one.
#[derive(Default)]
struct ClassCache {
    scopes: HashMap<Scope, Option<TokenClass>>,
}

impl ClassCache {
    fn of(&mut self, stack: &ScopeStack) -> Option<TokenClass> {
        stack.as_slice().iter().rev().find_map(|scope| {
            *self
                .scopes
                .entry(*scope)
                .or_insert_with(|| classify(&scope.build_string()))
        })
    }
}

/// The class of one TextMate scope name.
fn classify(scope: &str) -> Option<TokenClass> {
    const RULES: &[(&str, TokenClass)] = &[
        ("comment", TokenClass::Comment),
        ("punctuation.definition.comment", TokenClass::Comment),
        ("string", TokenClass::String),
        ("punctuation.definition.string", TokenClass::String),
        ("constant.character.escape", TokenClass::String),
        ("constant.numeric", TokenClass::Number),
        ("constant.language", TokenClass::Constant),
        ("constant.other", TokenClass::Constant),
        ("support.constant", TokenClass::Constant),
        ("keyword.operator", TokenClass::Operator),
        ("keyword", TokenClass::Keyword),
        ("storage", TokenClass::Keyword),
        ("punctuation.section.embedded", TokenClass::Keyword),
        ("entity.name.function", TokenClass::Function),
        ("support.function", TokenClass::Function),
        ("variable.function", TokenClass::Function),
        ("entity.name.type", TokenClass::Type),
        ("entity.name.class", TokenClass::Type),
        ("entity.other.inherited-class", TokenClass::Type),
        ("support.type", TokenClass::Type),
        ("support.class", TokenClass::Type),
        ("entity.name.tag", TokenClass::Tag),
        ("meta.tag.sgml", TokenClass::Tag),
        ("entity.other.attribute-name", TokenClass::Attribute),
        ("meta.mapping.key", TokenClass::Attribute),
        ("entity.name.key", TokenClass::Attribute),
        ("variable.language", TokenClass::Constant),
        ("meta.decorator", TokenClass::Function),
        ("entity.name.decorator", TokenClass::Function),
    ];
    RULES
        .iter()
        .find(|(prefix, _)| scope == *prefix || scope.starts_with(&format!("{prefix}.")))
        .map(|(_, class)| *class)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(lang: &str, text: &str) -> Vec<(TokenClass, String)> {
        tokenize(lang, text)
            .into_iter()
            .map(|t| (t.class, text[t.start as usize..t.end as usize].to_owned()))
            .collect()
    }

    #[test]
    fn required_languages_are_known() {
        for lang in [
            "python", "py", "shell", "bash", "sh", "json", "yaml", "yml", "html", "django",
            "jinja", "jinja2", "rust", "rs",
        ] {
            assert!(knows(lang), "{lang}");
        }
        assert!(!knows("text"));
        assert!(!knows("klingon"));
    }

    #[test]
    fn python_tokens() {
        let got = classes("python", "def f(x):\n    # hi\n    return \"s\" + 1\n");
        assert!(
            got.contains(&(TokenClass::Keyword, "def".into())),
            "{got:?}"
        );
        assert!(got.contains(&(TokenClass::Function, "f".into())), "{got:?}");
        assert!(
            got.iter()
                .any(|(c, t)| *c == TokenClass::Comment && t.contains("# hi")),
            "{got:?}"
        );
        assert!(
            got.contains(&(TokenClass::String, "\"s\"".into())),
            "{got:?}"
        );
        assert!(got.contains(&(TokenClass::Number, "1".into())), "{got:?}");
    }

    #[test]
    fn threads_give_the_same_tokens() {
        // Enough code to take the threaded path, in several languages.
        let blocks: Vec<(&str, String)> = (0..60)
            .map(|i| {
                let lang = ["python", "rust", "json", "django", "bash", "klingon"][i % 6];
                let line = format!("def f{i}(x): return \"s{i}\" + {i}  # note\n");
                (lang, line.repeat(4 + i % 9))
            })
            .collect();
        assert!(blocks.iter().map(|b| b.1.len()).sum::<usize>() > PARALLEL_BYTES);
        let tokens_with = |threads: usize| {
            let mut out: Vec<Vec<CodeToken>> = vec![Vec::new(); blocks.len()];
            let mut jobs: Vec<Job<'_>> = blocks
                .iter()
                .zip(out.iter_mut())
                .map(|((lang, text), tokens)| (*lang, text.as_str(), tokens))
                .collect();
            run(&mut jobs, threads);
            out
        };
        let one = tokens_with(1);
        assert_eq!(one, tokens_with(3));
        assert!(!one[0].is_empty() && one[5].is_empty());
        assert_eq!(one[1], tokenize("rust", &blocks[1].1));
    }

    #[test]
    fn the_cache_gives_the_same_tokens_and_keeps_only_this_build() {
        let mut cache = HighlightCache::default();
        let run_with = |blocks: &[(&str, &str)], cache: &mut HighlightCache| {
            let mut out: Vec<Vec<CodeToken>> = vec![Vec::new(); blocks.len()];
            let jobs: Vec<Job<'_>> = blocks
                .iter()
                .zip(out.iter_mut())
                .map(|((lang, text), tokens)| (*lang, *text, tokens))
                .collect();
            run_cached(jobs, cache);
            out
        };
        let first = run_with(
            &[("python", "x = 1\n"), ("rust", "fn f() {}\n")],
            &mut cache,
        );
        assert_eq!(first[0], tokenize("python", "x = 1\n"));
        assert_eq!(first[1], tokenize("rust", "fn f() {}\n"));
        assert!(!first[0].is_empty());
        // From the cache now; the same text in another language is its own entry.
        let second = run_with(&[("python", "x = 1\n"), ("ruby", "x = 1\n")], &mut cache);
        assert_eq!(second[0], first[0]);
        assert_eq!(second[1], tokenize("ruby", "x = 1\n"));
        // A hit is not tokenized again: a planted entry comes back as is.
        let planted = vec![CodeToken {
            class: TokenClass::Comment,
            start: 0,
            end: 1,
        }];
        let texts = cache.tokens.entry("python".into()).or_default();
        texts.insert("x = 1\n".into(), planted.clone());
        let third = run_with(&[("python", "x = 1\n"), ("ruby", "x = 1\n")], &mut cache);
        assert_eq!(third[0], planted);
        // The rust block is gone from this build, so from the cache.
        let mut kept: Vec<&str> = cache.tokens.keys().map(String::as_str).collect();
        kept.sort_unstable();
        assert_eq!(kept, ["python", "ruby"]);
    }

    #[test]
    fn jinja_delimiters_and_html_tags() {
        let got = classes("django", "<p>{% if user %}{{ user.name }}{% endif %}</p>\n");
        assert!(
            got.iter()
                .any(|(c, t)| *c == TokenClass::Keyword && t.contains("if")),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|(c, t)| *c == TokenClass::Tag && t.contains('p')),
            "{got:?}"
        );
    }

    #[test]
    fn sessions_colour_prompts_and_commands_only() {
        let text = "$ cargo build --release\n   Compiling hello v0.1.0\nerror: could not compile `x` \"y\"\nuser@box:~/src$ ls -l\n";
        let got = classes("console", text);
        let coloured: String = got.iter().map(|(_, t)| t.as_str()).collect();
        assert!(
            got.contains(&(TokenClass::Comment, "$ ".to_owned())),
            "{got:?}"
        );
        assert!(
            got.contains(&(TokenClass::Comment, "user@box:~/src$ ".to_owned())),
            "{got:?}"
        );
        for output in ["Compiling", "error", "could", "\"y\""] {
            assert!(!coloured.contains(output), "{output} coloured: {got:?}");
        }
        assert_eq!(classes("shell-session", "no prompt here\n"), vec![]);
    }

    #[test]
    fn text_and_output_are_never_highlighted() {
        for lang in ["text", "output", "plain", "txt", "TEXT"] {
            assert!(tokenize(lang, "if x == \"a\" { return 1; } // no\n").is_empty());
        }
    }

    /// A book of code blocks in `langs`, each with its own text.
    fn code_book(langs: &[&str]) -> Book {
        let span = crate::diag::Span::file(crate::source::SourceId(0));
        let blocks = langs
            .iter()
            .enumerate()
            .map(|(i, lang)| Block {
                kind: BlockKind::Code {
                    lang: Some((*lang).to_owned()),
                    text: format!("def f{i}(x):\n    return \"s\" + {i}  # n\n"),
                    tokens: Vec::new(),
                },
                span,
            })
            .collect();
        Book {
            chapters: vec![crate::ir::Chapter {
                id: "c".into(),
                title: Vec::new(),
                role: crate::ir::Role::Chapter,
                depth: 0,
                title_heading: false,
                number: None,
                blocks,
                notes: Vec::new(),
                span,
                lang: None,
                dir: None,
            }],
            meta: crate::ir::Metadata::default(),
            assets: Vec::new(),
        }
    }

    fn all_tokens(book: &Book) -> Vec<Vec<CodeToken>> {
        let mut out = Vec::new();
        crate::ir::walk::blocks(&book.chapters[0].blocks, &mut |b| {
            if let BlockKind::Code { tokens, .. } = &b.kind {
                out.push(tokens.clone());
            }
        });
        out
    }

    #[test]
    fn highlighting_ahead_gives_the_tokens_of_highlighting_after() {
        let langs = ["python", "python", "py", "rust", "python"];
        let mut after = code_book(&langs);
        book(&mut after, None);
        // Shown during the parse: all blocks, some, or none; one block's
        // text changes after it was shown.
        for shown in [5, 2, 0] {
            let mut ahead_book = code_book(&langs);
            let ahead = Ahead::start();
            ahead.blocks(&ahead_book.chapters[0].blocks[..shown]);
            if shown > 0 {
                if let BlockKind::Code { text, .. } = &mut ahead_book.chapters[0].blocks[0].kind {
                    text.push_str("x = 1\n");
                }
            }
            book_ahead(&mut ahead_book, ahead);
            let mut expected = all_tokens(&after);
            if shown > 0 {
                let mut changed = code_book(&langs);
                if let BlockKind::Code { text, .. } = &mut changed.chapters[0].blocks[0].kind {
                    text.push_str("x = 1\n");
                }
                book(&mut changed, None);
                expected = all_tokens(&changed);
            }
            assert_eq!(all_tokens(&ahead_book), expected, "{shown} shown");
            assert!(all_tokens(&ahead_book).iter().all(|t| !t.is_empty()));
        }
    }
}
