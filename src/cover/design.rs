//! The typographic cover's design: where the title, subtitle and authors go,
//! how large, on how many lines, in which colours — as an SVG document of
//! 1600 × 2560 pixels whose text is already outlines.
//!
//! The grid: a solid field in the cover colour, the title centred in the
//! upper half in the heading face, as large as it can be on at most four
//! balanced lines; a short rule; the subtitle in the body italic; the
//! authors at the foot in tracked capitals; the publisher below them.

use super::shape::{Face, Line};
use std::fmt::Write as _;

/// Pixel size of the cover: the 1:1.6 ratio and the 2,560-pixel height the
/// large ebook stores recommend.
pub const WIDTH: u32 = 1600;
/// See [`WIDTH`].
pub const HEIGHT: u32 = 2560;

/// Horizontal margin: text never comes closer to the edge (stores crop
/// thumbnails, and a title touching the edge looks accidental).
const MARGIN: f32 = 200.0;

/// Inset of the frame line from the edge.
const FRAME: f32 = 80.0;

/// What the cover says.
#[derive(Debug, Clone, Default)]
pub struct Text<'a> {
    /// The title.
    pub title: &'a str,
    /// The subtitle, if any.
    pub subtitle: Option<&'a str>,
    /// Authors, in order.
    pub authors: &'a [String],
    /// The publisher, if any.
    pub publisher: Option<&'a str>,
}

/// Colours as `#rrggbb`.
#[derive(Debug, Clone)]
pub struct Palette {
    /// The field behind everything.
    pub background: String,
    /// Title, subtitle and authors.
    pub text: String,
    /// The rule between title and subtitle, and the publisher.
    pub accent: String,
}

/// The faces cover text is set in.
#[derive(Debug, Clone, Copy)]
pub struct Faces<'a> {
    /// Title.
    pub title: Face<'a>,
    /// Subtitle (italic where the family has one).
    pub subtitle: Face<'a>,
    /// Authors and publisher.
    pub authors: Face<'a>,
}

/// Builds the cover as an SVG document.
pub fn svg(text: &Text<'_>, faces: &Faces<'_>, palette: &Palette) -> String {
    let book = faces.title.book;
    let measure = WIDTH as f32 - 2.0 * MARGIN;
    let centre = WIDTH as f32 / 2.0;
    let mut paths: Vec<(String, &str, f32)> = Vec::new();
    let mut rules = String::new();

    // Title: the largest size that sets it on at most four balanced lines;
    // under it a short rule, then the subtitle. The group is centred on a
    // line 40% down the cover, never higher than the upper fifth.
    let title = set_title(text.title, &faces.title, measure);
    let leading = title.size * 1.08;
    let subtitle_size = (title.size * 0.42).clamp(54.0, 80.0);
    let subtitle_leading = subtitle_size * 1.3;
    let subtitle = text
        .subtitle
        .filter(|s| !s.trim().is_empty())
        .map(|s| wrap_balanced(s, &faces.subtitle, subtitle_size, measure, 4))
        .unwrap_or_default();
    let title_height = title.size * 0.75 + (title.lines.len().max(1) - 1) as f32 * leading;
    let rule_gap = title.size * 0.45 + 70.0;
    let subtitle_height = if subtitle.is_empty() {
        0.0
    } else {
        96.0 + subtitle_size * 0.75 + (subtitle.len() - 1) as f32 * subtitle_leading
    };
    let group = title_height + rule_gap + 6.0 + subtitle_height;
    let top = (HEIGHT as f32 * 0.40 - group / 2.0).max(HEIGHT as f32 * 0.2);

    let mut baseline = top + title.size * 0.75;
    for line in &title.lines {
        paths.push((
            line.path(book, centre - line.width / 2.0, baseline),
            &palette.text,
            1.0,
        ));
        baseline += leading;
    }
    let y = top + title_height + rule_gap;
    let _ = write!(
        rules,
        "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"160\" height=\"6\" fill=\"{}\"/>",
        centre - 80.0,
        y,
        palette.accent
    );
    let mut baseline = y + 6.0 + 96.0 + subtitle_size * 0.75;
    for line in &subtitle {
        paths.push((
            line.path(book, centre - line.width / 2.0, baseline),
            &palette.text,
            0.92,
        ));
        baseline += subtitle_leading;
    }

    // Authors at the foot, the publisher under them.
    let author_size = 58.0;
    let author_tracking = 0.14;
    let names: Vec<String> = text
        .authors
        .iter()
        .map(|a| a.trim().to_uppercase())
        .filter(|a| !a.is_empty())
        .collect();
    let mut foot = HEIGHT as f32 - 300.0;
    if let Some(publisher) = text.publisher.filter(|p| !p.trim().is_empty()) {
        let lines = wrap(
            &publisher.to_uppercase(),
            &faces.authors,
            40.0,
            0.2,
            measure,
            2,
        );
        let mut baseline = HEIGHT as f32 - 170.0 - (lines.len() as f32 - 1.0) * 48.0;
        for line in &lines {
            paths.push((
                line.path(book, centre - line.width / 2.0, baseline),
                &palette.accent,
                1.0,
            ));
            baseline += 48.0;
        }
        foot -= (lines.len() as f32 - 1.0) * 48.0;
    }
    let joined = names.join("  ·  ");
    let author_lines: Vec<Line> = if names.is_empty() {
        Vec::new()
    } else if faces
        .authors
        .line(&joined, author_size, author_tracking)
        .width
        <= measure
    {
        vec![faces.authors.line(&joined, author_size, author_tracking)]
    } else {
        names
            .iter()
            .take(6)
            .flat_map(|name| {
                wrap(
                    name,
                    &faces.authors,
                    author_size,
                    author_tracking,
                    measure,
                    2,
                )
            })
            .collect()
    };
    let author_leading = author_size * 1.45;
    let mut baseline = foot - (author_lines.len() as f32 - 1.0) * author_leading;
    for line in &author_lines {
        paths.push((
            line.path(book, centre - line.width / 2.0, baseline),
            &palette.text,
            1.0,
        ));
        baseline += author_leading;
    }

    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\">\n<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{}\"/>\n",
        palette.background
    );
    // A thin frame inset from the edge: the cover reads as finished, not as
    // a coloured page, even as a thumbnail.
    let _ = writeln!(
        svg,
        "<rect x=\"{FRAME}\" y=\"{FRAME}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"4\"/>",
        WIDTH as f32 - 2.0 * FRAME,
        HEIGHT as f32 - 2.0 * FRAME,
        palette.accent
    );
    svg.push_str(&rules);
    svg.push('\n');
    for (data, colour, opacity) in paths {
        if data.is_empty() {
            continue;
        }
        let _ = write!(svg, "<path fill=\"{colour}\"");
        if opacity < 1.0 {
            let _ = write!(svg, " fill-opacity=\"{opacity}\"");
        }
        let _ = writeln!(svg, " d=\"{}\"/>", data.trim_end());
    }
    svg.push_str("</svg>\n");
    svg
}

/// The title's lines and size.
struct Title {
    lines: Vec<Line>,
    size: f32,
}

/// Largest and smallest title sizes in pixels; below the smallest, a very
/// long title is cut with an ellipsis rather than set in small type.
const TITLE_MAX: f32 = 260.0;
const TITLE_MIN: f32 = 84.0;
const TITLE_LINES: usize = 4;

fn set_title(title: &str, face: &Face<'_>, measure: f32) -> Title {
    // More words than four lines can hold at any size are cut anyway.
    let words: Vec<&str> = title.split_whitespace().take(64).collect();
    // Widths scale with the size (outlines are not hinted): measure once.
    let unit: Vec<f32> = words.iter().map(|w| face.line(w, 1.0, 0.0).width).collect();
    let space = face.line("a a", 1.0, 0.0).width - 2.0 * face.line("a", 1.0, 0.0).width;
    let widest = unit.iter().copied().fold(0.0f32, f32::max);
    let mut size = TITLE_MAX;
    let breaks = loop {
        let fits_words = widest * size <= measure;
        if fits_words {
            if let Some(breaks) = balanced(&unit, space, size, measure, TITLE_LINES)
                .filter(|b| b.len() == 1 || !strands_a_short_word(&words, b))
            {
                break breaks;
            }
        }
        if size <= TITLE_MIN {
            // A word wider than the measure shrinks the type below the
            // minimum; too many words are cut.
            if !fits_words && widest > 0.0 {
                size = measure / widest;
            }
            break greedy(&unit, space, size, measure, TITLE_LINES + 2);
        }
        size -= 4.0;
    };
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, &end) in breaks.iter().enumerate() {
        let mut text = words[start..end].join(" ");
        if i + 1 == breaks.len() && end < title.split_whitespace().count() {
            text.push_str(" …");
        }
        lines.push(face.line(&text, size, 0.0));
        start = end;
    }
    Title { lines, size }
}

/// Whether a line holds nothing but a word of three letters or fewer ("The",
/// "of"): a title reads better a size smaller than broken like that.
fn strands_a_short_word(words: &[&str], ends: &[usize]) -> bool {
    let mut start = 0;
    ends.iter().any(|&end| {
        let alone = end - start == 1 && words[start].chars().count() <= 3;
        start = end;
        alone
    })
}

/// Line ends (exclusive word indices) setting the words on as few lines as
/// fit, at most `max_lines`, with the lines as even as possible; `None` when
/// they need more lines.
fn balanced(
    unit: &[f32],
    space: f32,
    size: f32,
    measure: f32,
    max_lines: usize,
) -> Option<Vec<usize>> {
    let n = unit.len();
    if n == 0 {
        return Some(Vec::new());
    }
    let fewest = greedy(unit, space, size, measure, usize::MAX).len();
    if fewest > max_lines {
        return None;
    }
    let mut prefix = vec![0.0f32; n + 1];
    for (i, w) in unit.iter().enumerate() {
        prefix[i + 1] = prefix[i] + w;
    }
    let width = |a: usize, b: usize| -> f32 {
        (prefix[b] - prefix[a]) * size + (b - a - 1) as f32 * space * size
    };
    // cost[k][j]: best cost of setting words[..j] on k lines.
    let mut cost = vec![vec![f32::INFINITY; n + 1]; fewest + 1];
    let mut from = vec![vec![0usize; n + 1]; fewest + 1];
    cost[0][0] = 0.0;
    for k in 1..=fewest {
        for j in 1..=n {
            for i in (k - 1)..j {
                let w = width(i, j);
                if w > measure || !cost[k - 1][i].is_finite() {
                    continue;
                }
                let slack = (measure - w) / measure;
                let c = cost[k - 1][i] + slack * slack;
                // On a tie the upper line takes the extra word.
                if c <= cost[k][j] {
                    cost[k][j] = c;
                    from[k][j] = i;
                }
            }
        }
    }
    if !cost[fewest][n].is_finite() {
        return None;
    }
    let mut ends = Vec::with_capacity(fewest);
    let mut j = n;
    for k in (1..=fewest).rev() {
        ends.push(j);
        j = from[k][j];
    }
    ends.reverse();
    Some(ends)
}

/// Line ends filling each line as far as it goes, at most `max_lines` lines
/// (the words left over are dropped).
fn greedy(unit: &[f32], space: f32, size: f32, measure: f32, max_lines: usize) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut width = 0.0;
    for (i, w) in unit.iter().enumerate() {
        let w = w * size;
        if i > 0 && width + space * size + w > measure {
            ends.push(i);
            if ends.len() == max_lines {
                return ends;
            }
            width = w;
        } else if i == 0 {
            width = w;
        } else {
            width += space * size + w;
        }
    }
    if !unit.is_empty() {
        ends.push(unit.len());
    }
    ends.truncate(max_lines);
    ends
}

/// Wraps `text` at `size` into as few lines as fit (at most `max_lines`),
/// as even as possible; greedily when it needs more.
fn wrap_balanced(
    text: &str,
    face: &Face<'_>,
    size: f32,
    measure: f32,
    max_lines: usize,
) -> Vec<Line> {
    let words: Vec<&str> = text.split_whitespace().take(200).collect();
    let unit: Vec<f32> = words.iter().map(|w| face.line(w, 1.0, 0.0).width).collect();
    let space = face.line("a a", 1.0, 0.0).width - 2.0 * face.line("a", 1.0, 0.0).width;
    match balanced(&unit, space, size, measure, max_lines) {
        Some(ends) => {
            let mut start = 0;
            ends.iter()
                .map(|&end| {
                    let line = face.line(&words[start..end].join(" "), size, 0.0);
                    start = end;
                    line
                })
                .collect()
        }
        None => wrap(text, face, size, 0.0, measure, max_lines),
    }
}

/// Wraps `text` greedily at `size` into at most `max_lines` lines.
fn wrap(
    text: &str,
    face: &Face<'_>,
    size: f32,
    tracking: f32,
    measure: f32,
    max_lines: usize,
) -> Vec<Line> {
    let words: Vec<&str> = text.split_whitespace().take(200).collect();
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in words {
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if !current.is_empty() && face.line(&candidate, size, tracking).width > measure {
            lines.push(std::mem::take(&mut current));
            current = word.to_owned();
            if lines.len() == max_lines {
                break;
            }
        } else {
            current = candidate;
        }
    }
    if !current.is_empty() && lines.len() < max_lines {
        lines.push(current);
    }
    lines
        .iter()
        .map(|l| {
            let line = face.line(l, size, tracking);
            if line.width > measure {
                // One word wider than the measure: smaller, not off the edge.
                face.line(l, size * measure / line.width, tracking)
            } else {
                line
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{balanced, greedy};

    #[test]
    fn balanced_lines_are_even_and_few() {
        // Five words of width 1, space 0.25, measure 4: greedy puts 3 + 2,
        // balanced the same count but no line longer than needed.
        let unit = [1.0; 5];
        assert_eq!(greedy(&unit, 0.25, 1.0, 4.0, 9), vec![3, 5]);
        assert_eq!(balanced(&unit, 0.25, 1.0, 4.0, 4), Some(vec![3, 5]));
        // "A Very Long Title Here" — one long word does not strand a short one.
        let unit = [0.5, 2.0, 2.0, 2.0, 2.0];
        let ends = balanced(&unit, 0.25, 1.0, 4.8, 4).expect("fits");
        assert_eq!(ends.len(), 3);
        assert_eq!(balanced(&[5.0; 9], 0.25, 1.0, 5.0, 4), None);
        assert_eq!(balanced(&[], 0.25, 1.0, 5.0, 4), Some(Vec::new()));
    }
}
