//! The print style (`styles/print.toml`): page size and margins, fonts and
//! fallbacks, sizes and spacing, colours. One serde struct; every table and key
//! may be left out of a book's own style file, taking folio's default (which
//! `styles/print.toml` documents, and a test keeps identical to [`Default`]).

use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;

/// A length in points, written in a style file as a number of points or a
/// string with a unit: `"0.75in"`, `"18mm"`, `"2cm"`, `"11pt"`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Length(pub f32);

impl Length {
    /// Points in an inch.
    pub const INCH: f32 = 72.0;

    /// A length in inches.
    pub fn inches(v: f32) -> Length {
        Length(v * Self::INCH)
    }

    /// Parses `12`, `12pt`, `0.5in`, `18mm`, `2cm`.
    pub fn parse(text: &str) -> Result<Length, String> {
        let t = text.trim();
        let split = t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len());
        let (number, unit) = t.split_at(split);
        let value: f32 = number.trim().parse().map_err(|_| {
            format!("`{text}` is not a length (write e.g. \"0.75in\", \"18mm\" or \"11pt\")")
        })?;
        let factor = match unit.trim() {
            "" | "pt" => 1.0,
            "in" => Self::INCH,
            "mm" => Self::INCH / 25.4,
            "cm" => Self::INCH / 2.54,
            other => {
                return Err(format!(
                    "unknown unit `{other}` in `{text}`; use pt, in, mm or cm"
                ));
            }
        };
        if !value.is_finite() || value < 0.0 {
            return Err(format!("`{text}` must be a positive length"));
        }
        Ok(Length(value * factor))
    }
}

impl<'de> Deserialize<'de> for Length {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Length, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(f64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Number(n) if n.is_finite() && n >= 0.0 => Ok(Length(n as f32)),
            Raw::Number(n) => Err(serde::de::Error::custom(format!(
                "{n} is not a positive length"
            ))),
            Raw::Text(t) => Length::parse(&t).map_err(serde::de::Error::custom),
        }
    }
}

/// Range checks for every number in a print style, applied as each value
/// is read, so a bad one is an error at its `file:line:col`: a negative or
/// tiny size sends layout loops on forever, zero or NaN makes text vanish,
/// and a huge bleed writes numbers PDF readers overflow on.
mod range {
    use super::Length;
    use serde::{Deserialize, Deserializer, de::Error};

    fn check(v: f64, min: f64, max: f64, what: &str, unit: &str) -> Result<f32, String> {
        if v.is_finite() && (min..=max).contains(&v) {
            Ok(v as f32)
        } else if v.is_finite() && v != 0.0 && (v.abs() < 1e-4 || v.abs() >= 1e6) {
            // As written (1e-30, 1e30), not thirty digits.
            Err(format!(
                "{what} must be between {min} and {max}{unit}, not {:e}",
                v as f32
            ))
        } else {
            Err(format!(
                "{what} must be between {min} and {max}{unit}, not {v}"
            ))
        }
    }

    fn number<'de, D: Deserializer<'de>>(
        d: D,
        min: f64,
        max: f64,
        what: &str,
        unit: &str,
    ) -> Result<f32, D::Error> {
        check(f64::deserialize(d)?, min, max, what, unit).map_err(D::Error::custom)
    }

    fn length<'de, D: Deserializer<'de>>(
        d: D,
        min: f64,
        max: f64,
        what: &str,
    ) -> Result<Length, D::Error> {
        let l = Length::deserialize(d)?;
        check(f64::from(l.0), min, max, what, " pt")
            .map(Length)
            .map_err(D::Error::custom)
    }

    /// A font size in points.
    pub fn size<'de, D: Deserializer<'de>>(d: D) -> Result<f32, D::Error> {
        number(d, 4.0, 144.0, "a font size", " pt")
    }

    /// A baseline-to-baseline distance in points.
    pub fn leading<'de, D: Deserializer<'de>>(d: D) -> Result<f32, D::Error> {
        number(d, 4.0, 288.0, "a leading", " pt")
    }

    /// Space above or below a block, or padding, in points.
    pub fn space<'de, D: Deserializer<'de>>(d: D) -> Result<f32, D::Error> {
        number(d, 0.0, 288.0, "a space", " pt")
    }

    /// The first-line indent, in ems.
    pub fn indent<'de, D: Deserializer<'de>>(d: D) -> Result<f32, D::Error> {
        number(d, 0.0, 10.0, "the indent", " em")
    }

    /// Letter spacing of code, in ems: from a fifth of an em tighter
    /// (monospace glyphs still clear each other) to a whole em looser.
    pub fn tracking<'de, D: Deserializer<'de>>(d: D) -> Result<f32, D::Error> {
        number(d, -0.2, 1.0, "the tracking", " em")
    }

    /// A margin or a drop, up to ten inches.
    pub fn margin<'de, D: Deserializer<'de>>(d: D) -> Result<Length, D::Error> {
        length(d, 0.0, 720.0, "a margin")
    }

    /// An indent of quotes or lists, up to four inches.
    pub fn block_indent<'de, D: Deserializer<'de>>(d: D) -> Result<Length, D::Error> {
        length(d, 0.0, 288.0, "an indent")
    }

    /// The bleed, up to one inch (printers ask for an eighth).
    pub fn bleed<'de, D: Deserializer<'de>>(d: D) -> Result<Length, D::Error> {
        length(d, 0.0, 72.0, "the bleed")
    }

    /// A custom page side, 2 to 27 inches.
    pub fn page_side<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Length>, D::Error> {
        length(d, 144.0, 2000.0, "a page side").map(Some)
    }
}

/// A colour written as `"#rrggbb"`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Color(pub f32, pub f32, pub f32);

impl Color {
    /// Parses `#rrggbb` or `#rgb`.
    pub fn parse(text: &str) -> Result<Color, String> {
        let hex = text
            .trim()
            .strip_prefix('#')
            .ok_or_else(|| format!("`{text}` is not a colour (write \"#rrggbb\")"))?;
        let digits: Vec<u8> = match hex.len() {
            3 => hex
                .chars()
                .map(|c| c.to_digit(16).map(|d| (d * 17) as u8))
                .collect::<Option<_>>(),
            6 => (0..3)
                .map(|i| u8::from_str_radix(&hex[i * 2..i * 2 + 2], 16).ok())
                .collect::<Option<_>>(),
            _ => None,
        }
        .ok_or_else(|| format!("`{text}` is not a colour (write \"#rrggbb\")"))?;
        Ok(Color(
            f32::from(digits[0]) / 255.0,
            f32::from(digits[1]) / 255.0,
            f32::from(digits[2]) / 255.0,
        ))
    }

    const fn hex(rgb: u32) -> Color {
        Color(
            ((rgb >> 16) & 0xff) as f32 / 255.0,
            ((rgb >> 8) & 0xff) as f32 / 255.0,
            (rgb & 0xff) as f32 / 255.0,
        )
    }
}

impl<'de> Deserialize<'de> for Color {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Color, D::Error> {
        let text = String::deserialize(d)?;
        Color::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The whole print style.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct PrintStyle {
    /// Trim size and margins.
    pub page: PageStyle,
    /// Font families and fallbacks.
    pub fonts: FontsStyle,
    /// Body text.
    pub text: TextStyle,
    /// Headings, by level.
    pub headings: HeadingsStyle,
    /// Code blocks and inline code.
    pub code: CodeStyle,
    /// Block quotes, lists, figures, tables, footnotes.
    pub blocks: BlocksStyle,
    /// Colours of rules and links.
    pub colors: ColorsStyle,
    /// What the running heads show.
    pub running_heads: RunningHeadsStyle,
    /// Colours of the cover folio generates when the book has none.
    pub cover: CoverStyle,
}

/// `[page]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct PageStyle {
    /// `6x9` (trade paperback), `5.5x8.5`, `a5`, `a4`, `letter` or `custom`.
    pub size: String,
    /// Width for `size = "custom"`.
    #[serde(deserialize_with = "range::page_side")]
    pub width: Option<Length>,
    /// Height for `size = "custom"`.
    #[serde(deserialize_with = "range::page_side")]
    pub height: Option<Length>,
    /// Space above the text block (the running head sits in it).
    #[serde(deserialize_with = "range::margin")]
    pub margin_top: Length,
    /// Space below the text block (the folio sits in it).
    #[serde(deserialize_with = "range::margin")]
    pub margin_bottom: Length,
    /// Margin at the spine (gutter) in print; the left margin on screen.
    #[serde(deserialize_with = "range::margin")]
    pub margin_inside: Length,
    /// Margin at the fore-edge.
    #[serde(deserialize_with = "range::margin")]
    pub margin_outside: Length,
    /// Bleed added around the trim on every side (print only).
    #[serde(deserialize_with = "range::bleed")]
    pub bleed: Length,
}

impl Default for PageStyle {
    fn default() -> Self {
        PageStyle {
            size: "6x9".into(),
            width: None,
            height: None,
            margin_top: Length::inches(0.75),
            margin_bottom: Length::inches(0.75),
            margin_inside: Length::inches(0.875),
            margin_outside: Length::inches(0.625),
            bleed: Length(0.0),
        }
    }
}

impl PageStyle {
    /// Trim width and height in points, or why the size is unusable.
    pub fn dimensions(&self) -> Result<(f32, f32), String> {
        let (w, h) = match self.size.to_ascii_lowercase().as_str() {
            "6x9" => (6.0 * 72.0, 9.0 * 72.0),
            "5.5x8.5" => (5.5 * 72.0, 8.5 * 72.0),
            "5x8" => (5.0 * 72.0, 8.0 * 72.0),
            "a5" => (148.0 * 72.0 / 25.4, 210.0 * 72.0 / 25.4),
            "a4" => (210.0 * 72.0 / 25.4, 297.0 * 72.0 / 25.4),
            "letter" => (8.5 * 72.0, 11.0 * 72.0),
            "custom" => match (self.width, self.height) {
                (Some(w), Some(h)) => (w.0, h.0),
                _ => return Err("`size = \"custom\"` needs `width` and `height`".into()),
            },
            other => {
                return Err(format!(
                    "unknown page size `{other}`; use 6x9, 5.5x8.5, 5x8, a5, a4, letter or custom"
                ));
            }
        };
        if w < 144.0 || h < 144.0 || w > 2000.0 || h > 2000.0 {
            return Err(format!("a page of {w:.0}×{h:.0} pt is outside 2–27 inches"));
        }
        Ok((w, h))
    }
}

/// A font family's files (relative to the book folder) for a style-defined family.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FamilyFiles {
    /// Upright regular.
    pub regular: String,
    /// Italic.
    pub italic: Option<String>,
    /// Bold.
    pub bold: Option<String>,
    /// Bold italic.
    pub bold_italic: Option<String>,
}

/// `[fonts]`: which families set which text. Built-in families: `EB Garamond`,
/// `Source Sans 3`, `JetBrains Mono`, `DejaVu Sans`, `Noto Emoji`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct FontsStyle {
    /// Body text family.
    pub body: String,
    /// Headings family.
    pub heading: String,
    /// Code family.
    pub code: String,
    /// Families tried, in order, for characters the main family lacks.
    pub fallbacks: Vec<String>,
    /// Extra families from font files in the book folder.
    pub families: BTreeMap<String, FamilyFiles>,
}

impl Default for FontsStyle {
    fn default() -> Self {
        FontsStyle {
            body: "EB Garamond".into(),
            heading: "EB Garamond".into(),
            code: "JetBrains Mono".into(),
            fallbacks: vec!["DejaVu Sans".into(), "Noto Emoji".into()],
            families: BTreeMap::new(),
        }
    }
}

/// `[text]`: running text.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct TextStyle {
    /// Font size in points.
    #[serde(deserialize_with = "range::size")]
    pub size: f32,
    /// Baseline-to-baseline distance in points.
    #[serde(deserialize_with = "range::leading")]
    pub leading: f32,
    /// First-line indent in ems (none after headings and blocks).
    #[serde(deserialize_with = "range::indent")]
    pub indent: f32,
    /// Justify paragraphs (ragged right otherwise).
    pub justify: bool,
    /// Hyphenate body text.
    pub hyphenate: bool,
    /// Most hyphenated lines in a row.
    pub max_consecutive_hyphens: u8,
    /// Text colour.
    pub color: Color,
}

impl Default for TextStyle {
    fn default() -> Self {
        TextStyle {
            size: 11.0,
            leading: 14.5,
            indent: 1.2,
            justify: true,
            hyphenate: true,
            max_consecutive_hyphens: 2,
            color: Color::hex(0x000000),
        }
    }
}

/// One heading level.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HeadingLevel {
    /// Font size in points.
    #[serde(deserialize_with = "range::size")]
    pub size: f32,
    /// Baseline-to-baseline distance of wrapped heading lines.
    #[serde(deserialize_with = "range::leading")]
    pub leading: f32,
    /// Space above, in points.
    #[serde(deserialize_with = "range::space")]
    pub space_before: f32,
    /// Space below, in points.
    #[serde(deserialize_with = "range::space")]
    pub space_after: f32,
    /// Bold face.
    pub bold: bool,
    /// Italic face.
    pub italic: bool,
}

/// `[headings]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct HeadingsStyle {
    /// Chapter titles.
    pub h1: HeadingLevel,
    /// Sections.
    pub h2: HeadingLevel,
    /// Subsections.
    pub h3: HeadingLevel,
    /// Levels 4 to 6.
    pub h4: HeadingLevel,
    /// Space from the top of the text block to a chapter title's label.
    #[serde(deserialize_with = "range::margin")]
    pub chapter_drop: Length,
    /// Print "Chapter N" above numbered chapter titles.
    pub chapter_label: bool,
    /// Heading colour.
    pub color: Color,
}

impl Default for HeadingsStyle {
    fn default() -> Self {
        HeadingsStyle {
            h1: HeadingLevel {
                size: 24.0,
                leading: 28.0,
                space_before: 0.0,
                space_after: 30.0,
                bold: false,
                italic: false,
            },
            h2: HeadingLevel {
                size: 14.5,
                leading: 18.0,
                space_before: 20.0,
                space_after: 8.0,
                bold: true,
                italic: false,
            },
            h3: HeadingLevel {
                size: 12.0,
                leading: 15.0,
                space_before: 14.0,
                space_after: 5.0,
                bold: true,
                italic: true,
            },
            h4: HeadingLevel {
                size: 11.0,
                leading: 14.5,
                space_before: 10.0,
                space_after: 3.0,
                bold: false,
                italic: true,
            },
            chapter_drop: Length::inches(1.0),
            chapter_label: true,
            color: Color::hex(0x000000),
        }
    }
}

/// Syntax colours, the same token classes as the EPUB's CSS.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct SyntaxColors {
    /// Comments.
    pub comment: Color,
    /// Strings.
    pub string: Color,
    /// Numbers and constants.
    pub number: Color,
    /// Keywords.
    pub keyword: Color,
    /// Operators.
    pub operator: Color,
    /// Function names.
    pub function: Color,
    /// Type names.
    pub type_name: Color,
    /// Markup tags.
    pub tag: Color,
    /// Attributes and keys.
    pub attribute: Color,
}

impl Default for SyntaxColors {
    fn default() -> Self {
        SyntaxColors {
            comment: Color::hex(0x6a6a6a),
            string: Color::hex(0x0a6e31),
            number: Color::hex(0x8a4b00),
            keyword: Color::hex(0x1f3f99),
            operator: Color::hex(0x444444),
            function: Color::hex(0x6b2c91),
            type_name: Color::hex(0x00607a),
            tag: Color::hex(0x1f3f99),
            attribute: Color::hex(0x8a4b00),
        }
    }
}

/// `[code]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct CodeStyle {
    /// Code block font size.
    #[serde(deserialize_with = "range::size")]
    pub size: f32,
    /// Code block line distance.
    #[serde(deserialize_with = "range::leading")]
    pub leading: f32,
    /// Inline code size: `"x-height"` (the code's x-height equals the
    /// text's, so code looks the size of the words around it) or a factor
    /// of the text size (checked when read, 0.25 to 4).
    pub inline_scale: InlineScale,
    /// Letter spacing of code, in ems (negative tightens): added to every
    /// glyph's advance, so columns stay aligned.
    #[serde(deserialize_with = "range::tracking")]
    pub tracking: f32,
    /// Code block background.
    pub background: Color,
    /// Padding inside the tinted box.
    #[serde(deserialize_with = "range::space")]
    pub padding: f32,
    /// Syntax colours.
    pub syntax: SyntaxColors,
}

/// How inline code is sized against the text around it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum InlineScale {
    /// Scaled so the code font's x-height equals the text font's.
    XHeight,
    /// This factor of the text size.
    Factor(f32),
}

impl<'de> Deserialize<'de> for InlineScale {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<InlineScale, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(f64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            // From a quarter to four times the text: a factor near zero
            // sets code no one can read (and no reader can place).
            Raw::Number(n) if n.is_finite() && (0.25..=4.0).contains(&n) => {
                Ok(InlineScale::Factor(n as f32))
            }
            Raw::Number(n) => Err(serde::de::Error::custom(format!(
                "{n} is not a usable scale (write a factor between 0.25 and 4, such as 0.85, or \"x-height\")"
            ))),
            Raw::Text(t) if t == "x-height" => Ok(InlineScale::XHeight),
            Raw::Text(t) => Err(serde::de::Error::custom(format!(
                "`{t}` is not a scale (write \"x-height\" or a factor such as 0.85)"
            ))),
        }
    }
}

impl CodeStyle {
    /// Monospace columns a code block holds in a text block `width` wide,
    /// for a code font advancing 0.6 em per character (JetBrains Mono,
    /// DejaVu Sans Mono, Source Code Pro all do).
    pub fn columns(&self, width: f32) -> usize {
        let advance = (0.6 + self.tracking) * self.size;
        ((width - 2.0 * self.padding) / advance.max(0.1))
            .floor()
            .max(20.0) as usize
    }
}

impl Default for CodeStyle {
    fn default() -> Self {
        CodeStyle {
            size: 7.5,
            leading: 10.0,
            inline_scale: InlineScale::XHeight,
            tracking: -0.04,
            background: Color::hex(0xf3f3ef),
            padding: 5.0,
            syntax: SyntaxColors::default(),
        }
    }
}

/// `[blocks]`: spacing of non-paragraph blocks.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct BlocksStyle {
    /// Space above and below blocks (quotes, lists, code, figures, tables).
    #[serde(deserialize_with = "range::space")]
    pub space: f32,
    /// Left indent of block quotes.
    #[serde(deserialize_with = "range::block_indent")]
    pub quote_indent: Length,
    /// Block quote font size.
    #[serde(deserialize_with = "range::size")]
    pub quote_size: f32,
    /// Indent per list level.
    #[serde(deserialize_with = "range::block_indent")]
    pub list_indent: Length,
    /// Caption font size.
    #[serde(deserialize_with = "range::size")]
    pub caption_size: f32,
    /// Table font size.
    #[serde(deserialize_with = "range::size")]
    pub table_size: f32,
    /// Footnote font size.
    #[serde(deserialize_with = "range::size")]
    pub footnote_size: f32,
    /// Footnote line distance.
    #[serde(deserialize_with = "range::leading")]
    pub footnote_leading: f32,
}

impl Default for BlocksStyle {
    fn default() -> Self {
        BlocksStyle {
            space: 8.0,
            quote_indent: Length(18.0),
            quote_size: 10.5,
            list_indent: Length(18.0),
            caption_size: 9.5,
            table_size: 9.5,
            footnote_size: 8.5,
            footnote_leading: 10.5,
        }
    }
}

/// What a running head shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HeadContent {
    /// The book's title.
    Title,
    /// The authors.
    Author,
    /// The chapter's title.
    Chapter,
    /// The last section heading started on or before the page (the chapter
    /// title until the first section).
    Section,
    /// Nothing.
    None,
}

/// `[running-heads]`: the line above the text block on pages that are not
/// chapter openings.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct RunningHeadsStyle {
    /// Left-hand (even) pages.
    pub verso: HeadContent,
    /// Right-hand (odd) pages.
    pub recto: HeadContent,
    /// Font size of the head and folio.
    #[serde(deserialize_with = "range::size")]
    pub size: f32,
}

impl Default for RunningHeadsStyle {
    fn default() -> Self {
        RunningHeadsStyle {
            verso: HeadContent::Title,
            recto: HeadContent::Chapter,
            size: 9.0,
        }
    }
}

/// `[colors]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct ColorsStyle {
    /// Rules (thematic breaks, table lines, footnote rule).
    pub rule: Color,
    /// Links in the screen profile (print keeps text colour).
    pub link: Color,
}

impl Default for ColorsStyle {
    fn default() -> Self {
        ColorsStyle {
            rule: Color::hex(0x555555),
            link: Color::hex(0x1f3f99),
        }
    }
}

/// `[cover]`: the generated cover (a book with its own `cover` ignores it).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct CoverStyle {
    /// The field behind the text; `None`: the link colour of `[colors]`.
    pub background: Option<Color>,
    /// Title, subtitle and authors.
    pub text: Color,
    /// The rule under the title and the publisher's name.
    pub accent: Color,
}

impl Default for CoverStyle {
    fn default() -> Self {
        CoverStyle {
            background: None,
            text: Color::hex(0xf6f2e8),
            accent: Color::hex(0xd4b26a),
        }
    }
}

impl PrintStyle {
    /// The heading style for a level (4 and below share one).
    pub fn heading(&self, level: u8) -> &HeadingLevel {
        match level {
            1 => &self.headings.h1,
            2 => &self.headings.h2,
            3 => &self.headings.h3,
            _ => &self.headings.h4,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_style_file_is_the_default() {
        let text = include_str!("../../styles/print.toml");
        let parsed: PrintStyle = toml::from_str(text).expect("styles/print.toml parses");
        assert_eq!(parsed, PrintStyle::default());
    }

    #[test]
    fn lengths_and_colours() {
        assert_eq!(Length::parse("1in"), Ok(Length(72.0)));
        assert!((Length::parse("25.4mm").unwrap().0 - 72.0).abs() < 1e-3);
        assert!(Length::parse("3 furlongs").is_err());
        assert_eq!(Color::parse("#fff"), Ok(Color(1.0, 1.0, 1.0)));
        assert!(Color::parse("red").is_err());
    }

    #[test]
    fn partial_style_files_keep_defaults() {
        let s: PrintStyle = toml::from_str("[page]\nsize = \"a5\"\n").expect("parses");
        assert_eq!(s.page.size, "a5");
        assert_eq!(s.page.margin_top, PageStyle::default().margin_top);
        assert_eq!(s.text, TextStyle::default());
        assert!(toml::from_str::<PrintStyle>("[page]\nsise = \"a5\"\n").is_err());
        let (w, h) = PageStyle::default().dimensions().unwrap();
        assert_eq!((w, h), (432.0, 648.0));
    }

    #[test]
    fn every_number_is_range_checked_where_it_is_written() {
        let bad = [
            (
                "[text]\nsize = -1\n",
                "a font size must be between 4 and 144 pt, not -1",
            ),
            (
                "[text]\nsize = 1e-30\n",
                "a font size must be between 4 and 144 pt",
            ),
            (
                "[text]\nsize = nan\n",
                "a font size must be between 4 and 144 pt, not NaN",
            ),
            (
                "[text]\nleading = inf\n",
                "a leading must be between 4 and 288 pt, not inf",
            ),
            (
                "[text]\nindent = -2\n",
                "the indent must be between 0 and 10 em",
            ),
            (
                "[page]\nbleed = 1e30\n",
                "the bleed must be between 0 and 72 pt",
            ),
            (
                "[page]\nbleed = 1e300\n",
                "the bleed must be between 0 and 72 pt, not inf",
            ),
            (
                "[page]\nbleed = \"20000in\"\n",
                "the bleed must be between 0 and 72 pt, not 1.44e6",
            ),
            (
                "[page]\nmargin-top = \"900in\"\n",
                "a margin must be between 0 and 720 pt",
            ),
            (
                "[code]\npadding = -5\n",
                "a space must be between 0 and 288 pt",
            ),
            (
                "[code]\ninline-scale = 0\n",
                "0 is not a usable scale (write a factor between 0.25 and 4",
            ),
            ("[code]\ninline-scale = 1e-30\n", "is not a usable scale"),
            ("[code]\ninline-scale = \"huge\"\n", "`huge` is not a scale"),
            (
                "[code]\ntracking = -0.6\n",
                "the tracking must be between -0.2 and 1 em",
            ),
            (
                "[code]\ntracking = nan\n",
                "the tracking must be between -0.2 and 1 em",
            ),
            (
                "[blocks]\nfootnote-size = 0\n",
                "a font size must be between 4 and 144 pt",
            ),
            ("[blocks]\nlist-indent = -1\n", "is not a positive length"),
            (
                "[running-heads]\nsize = 1000\n",
                "a font size must be between 4 and 144 pt",
            ),
            (
                "[headings]\nh2 = { size = 14, leading = 18, space-before = -20, space-after = 8, bold = true, italic = false }\n",
                "a space must be between 0 and 288 pt, not -20",
            ),
            (
                "[page]\nsize = \"custom\"\nwidth = 1\nheight = 600\n",
                "a page side must be between 144 and 2000 pt",
            ),
        ];
        for (text, message) in bad {
            let e = toml::from_str::<PrintStyle>(text).expect_err(text);
            assert!(e.message().contains(message), "{text}: {}", e.message());
            // The error points at the value, so the message gets its line.
            let span = e.span().expect("a span");
            assert!(span.start > 0, "{text}");
        }
        assert!(toml::from_str::<PrintStyle>("[text]\nsize = 12\nleading = 16\n").is_ok());
    }
}
