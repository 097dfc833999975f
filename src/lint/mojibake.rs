//! Finding UTF-8 text that was decoded as a Windows code page (`â€™` for `’`,
//! `ā€œ` for `“`, `šŸ“` for `📝`) and computing the repair: the run of
//! characters is turned back into the bytes some Windows code page gives them;
//! if those bytes are valid UTF-8, that is what the author meant.

use std::ops::Range;

/// A mis-decoded run and its repair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mojibake {
    /// Byte range of the run in the scanned text.
    pub range: Range<usize>,
    /// What the author meant.
    pub repaired: String,
}

const PAGES: [&encoding_rs::Encoding; 3] = [
    encoding_rs::WINDOWS_1252,
    encoding_rs::WINDOWS_1257,
    encoding_rs::WINDOWS_1250,
];

/// Longest run examined; real mojibake runs are a few characters per symbol.
const MAX_RUN: usize = 16;

/// Every mis-decoded run in `text`.
pub fn find(text: &str) -> Vec<Mojibake> {
    let mut found = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_ascii() {
            continue;
        }
        let mut run: Vec<char> = vec![c];
        let mut end = start + c.len_utf8();
        while let Some(&(i, next)) = chars.peek() {
            if next.is_ascii() {
                break;
            }
            run.push(next);
            end = i + next.len_utf8();
            chars.next();
        }
        if run.len() >= 2 && run.len() <= MAX_RUN {
            if let Some(repaired) = repair(&run) {
                found.push(Mojibake {
                    range: start..end,
                    repaired,
                });
            }
        }
    }
    found
}

/// The bytes each code page gives a character (C1 controls stand for themselves).
fn candidates(c: char) -> Vec<u8> {
    let mut out = Vec::new();
    if ('\u{80}'..='\u{9f}').contains(&c) {
        out.push(c as u32 as u8);
    }
    let mut buf = [0u8; 4];
    let s = c.encode_utf8(&mut buf);
    for page in PAGES {
        let (bytes, _, errors) = page.encode(s);
        if !errors && bytes.len() == 1 && bytes[0] >= 0x80 && !out.contains(&bytes[0]) {
            out.push(bytes[0]);
        }
    }
    out
}

/// Searches byte choices that make the run valid UTF-8 with at least one
/// multi-byte character. A sequence cut short by exactly one byte is completed
/// with 0x9D, the byte Windows code pages leave undefined and lose (the
/// closing `”` is E2 80 9D).
fn repair(run: &[char]) -> Option<String> {
    let options: Vec<Vec<u8>> = run.iter().map(|&c| candidates(c)).collect();
    if options.iter().any(Vec::is_empty) {
        return None;
    }
    let mut bytes = Vec::with_capacity(run.len() + 1);
    search(&options, &mut bytes)
}

fn search(options: &[Vec<u8>], bytes: &mut Vec<u8>) -> Option<String> {
    if bytes.len() == options.len() {
        if let Ok(s) = std::str::from_utf8(bytes) {
            return Some(s.to_owned());
        }
        let mut completed = bytes.clone();
        completed.push(0x9d);
        return std::str::from_utf8(&completed).ok().map(str::to_owned);
    }
    for &b in &options[bytes.len()] {
        bytes.push(b);
        // Prune: the prefix must be valid UTF-8 or end in an unfinished sequence.
        let viable = match std::str::from_utf8(bytes) {
            Ok(_) => true,
            Err(e) => e.error_len().is_none(),
        };
        if viable {
            if let Some(found) = search(options, bytes) {
                return Some(found);
            }
        }
        bytes.pop();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(text: &str) -> Vec<String> {
        find(text).into_iter().map(|m| m.repaired).collect()
    }

    #[test]
    fn repairs_the_seed_chapters_mojibake() {
        assert_eq!(repaired("the ā€œperfect stackā€ for"), ["“", "”"]);
        assert_eq!(repaired("\u{161}\u{178}\u{201c} Context"), ["📝"]);
        assert_eq!(repaired("donâ€™t"), ["’"]);
        assert_eq!(repaired("cafÃ©"), ["é"]);
    }

    #[test]
    fn leaves_real_text_alone() {
        assert!(find("café, naïve, “quoted” — dash… €5 ±1 Ångström żółć").is_empty());
        assert!(find("plain ASCII").is_empty());
    }
}
