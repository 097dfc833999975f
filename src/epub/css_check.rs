//! Checks an author's stylesheet (`[epub] stylesheet` or `extra-css`) for
//! the two mistakes that break books in real readers, which folio's own
//! stylesheet avoids: a rule that sets a background without a text colour
//! (in a reader's dark mode the reader's light text lands on the author's
//! light background and vanishes), and `font-family: monospace` alone
//! (Blink and WebKit then set code at 13 px against 16 px text).
//! A scanner, not a CSS parser: it reads the declarations of each innermost
//! block and skips what it does not understand.

/// A problem in a stylesheet: the 1-based line of its rule and what to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CssProblem {
    /// Line of the rule's selector.
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: &'static str,
}

/// Scans `css` and returns its problems in order.
pub fn check(css: &str) -> Vec<CssProblem> {
    let text = strip_comments(css);
    let mut problems = Vec::new();
    let mut selector_start = 0;
    let mut i = 0;
    while let Some(open) = text[i..].find(['{', '}']).map(|o| o + i) {
        if text.as_bytes()[open] == b'}' {
            selector_start = open + 1;
            i = open + 1;
            continue;
        }
        let inner = open + 1;
        let close = text[inner..].find('}').map(|c| c + inner);
        let nested = text[inner..].find('{').map(|c| c + inner);
        match close {
            // An innermost block: declarations.
            Some(close) if nested.is_none_or(|n| close < n) => {
                let head = &text[selector_start..open];
                let selector = head.trim();
                if !selector.starts_with('@') {
                    let start = selector_start + (head.len() - head.trim_start().len());
                    let line = text[..start].matches('\n').count() + 1;
                    problems.extend(declarations(selector, &text[inner..close], line));
                }
                selector_start = close + 1;
                i = close + 1;
            }
            // `@media … {`: its rules follow.
            Some(_) => {
                selector_start = inner;
                i = inner;
            }
            None => break,
        }
    }
    problems
}

fn declarations(selector: &str, body: &str, line: usize) -> Vec<CssProblem> {
    let mut background = false;
    let mut color = false;
    let mut monospace_alone = false;
    for declaration in body.split(';') {
        let Some((property, value)) = declaration.split_once(':') else {
            continue;
        };
        let property = property.trim().to_ascii_lowercase();
        let value = value.trim().to_ascii_lowercase();
        match property.as_str() {
            "background" | "background-color" => {
                let none = ["transparent", "none", "inherit", "initial", "unset"]
                    .iter()
                    .any(|v| value.starts_with(v));
                background |= !none;
            }
            "color" => color = true,
            "font-family" => {
                let families: Vec<&str> = value
                    .trim_end_matches("!important")
                    .split(',')
                    .map(|f| f.trim().trim_matches(['"', '\'']))
                    .collect();
                monospace_alone |= families == ["monospace"];
            }
            _ => {}
        }
    }
    let selector = {
        let s = selector.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.chars().count() > 40 {
            format!("{}…", s.chars().take(40).collect::<String>())
        } else {
            s
        }
    };
    let mut out = Vec::new();
    if background && !color {
        out.push(CssProblem {
            line,
            message: format!(
                "`{selector}` sets a background but no text colour: in a reader's dark mode its text can vanish"
            ),
            help: "set `color` in the same rule (dark text on a light background)",
        });
    }
    if monospace_alone {
        out.push(CssProblem {
            line,
            message: format!(
                "`{selector}` sets `font-family: monospace` alone: Blink and WebKit then set it at 13 px against 16 px text"
            ),
            help: "write `font-family: monospace, monospace` (or name a font first) to keep the text size",
        });
    }
    out
}

/// The text with `/* … */` comments blanked (newlines kept, so lines count).
fn strip_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("*/").map_or(after.len(), |e| e + 2);
        out.push_str("  ");
        out.extend(
            after[..end]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' }),
        );
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn finds_backgrounds_without_colour_and_lone_monospace() {
        let css = "/* a comment\n with { braces } */\nbody { color: #111; }\n\npre {\n  background: #eee;\n  font-family: monospace;\n}\n@media (prefers-color-scheme: dark) {\n  .note { background-color: #222; color: #eee; }\n  .tip { background-color: #333 }\n}\ncode { font-family: monospace, monospace; background: transparent; }\n";
        let found = check(css);
        let lines: Vec<usize> = found.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![5, 5, 11], "{found:#?}");
        assert!(found[0].message.starts_with("`pre` sets a background"));
        assert!(found[1].message.contains("monospace"));
        assert!(found[2].message.starts_with("`.tip`"));
    }

    #[test]
    fn folios_own_stylesheet_is_clean() {
        assert_eq!(check(super::super::style::DEFAULT_CSS), Vec::new());
    }
}
