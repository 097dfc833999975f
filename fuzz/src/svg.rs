//! Small arbitrary SVG documents for the `svg` target: elements that make
//! every kind of reference (`<use>`, `url(#…)` paint, clip paths, masks,
//! filters with `feImage`, markers, `href` templates, `textPath`, style
//! sheets), numbers from the ranges that break converters (1e30, 1e-30,
//! NaN, negative sizes), text, and now and then a DOCTYPE with entities.

use arbitrary::{Result, Unstructured};

const IDS: &[&str] = &["a", "b", "c", "d", "e"];

const TAGS: &[&str] = &[
    "g",
    "rect",
    "circle",
    "ellipse",
    "line",
    "path",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "use",
    "pattern",
    "mask",
    "clipPath",
    "filter",
    "feImage",
    "feGaussianBlur",
    "feOffset",
    "marker",
    "linearGradient",
    "radialGradient",
    "stop",
    "symbol",
    "defs",
    "image",
    "switch",
    "a",
    "svg",
    "style",
];

const NUMBERS: &[&str] = &[
    "0", "1", "-1", "0.5", "10", "100", "-50", "1e-30", "1e30", "1e7", "9999999", "-9999999",
    "1e-5", "3.4e38", "NaN", "inf", "", ".", "-", "1e", "2e2", "0.0001",
];

fn number(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(if u.ratio(1, 4)? {
        let v: f32 = u.arbitrary()?;
        format!("{v}")
    } else {
        (*u.choose(NUMBERS)?).to_owned()
    })
}

fn numbers(u: &mut Unstructured<'_>, n: usize, sep: &str) -> Result<String> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(number(u)?);
    }
    Ok(out.join(sep))
}

fn reference(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(match u.int_in_range(0..=5)? {
        0 => "none".to_owned(),
        1 => "red".to_owned(),
        2 => format!("url('#{}')", u.choose(IDS)?),
        _ => format!("url(#{})", u.choose(IDS)?),
    })
}

fn path(u: &mut Unstructured<'_>) -> Result<String> {
    let mut d = String::new();
    for _ in 0..u.int_in_range(1..=6)? {
        let c = *u.choose(&["M", "L", "C", "Q", "A", "H", "V", "Z", "m", "l", "s", "t"])?;
        d.push_str(c);
        let n = u.int_in_range(0..=7)?;
        d.push_str(&numbers(u, n, " ")?);
    }
    Ok(d)
}

fn attribute(u: &mut Unstructured<'_>, out: &mut String) -> Result<()> {
    let a = match u.int_in_range(0..=22)? {
        0 => format!("id=\"{}\"", u.choose(IDS)?),
        1 => format!("fill=\"{}\"", reference(u)?),
        2 => format!("stroke=\"{}\"", reference(u)?),
        3 => format!("clip-path=\"url(#{})\"", u.choose(IDS)?),
        4 => format!("mask=\"url(#{})\"", u.choose(IDS)?),
        5 => format!("filter=\"url(#{})\"", u.choose(IDS)?),
        6 => format!(
            "{}=\"url(#{})\"",
            u.choose(&["marker-start", "marker-mid", "marker-end", "marker"])?,
            u.choose(IDS)?
        ),
        7 => format!("href=\"#{}\"", u.choose(IDS)?),
        8 => format!("xlink:href=\"#{}\"", u.choose(IDS)?),
        9 => {
            let f = *u.choose(&["translate", "scale", "rotate", "matrix", "skewX"])?;
            let n = u.int_in_range(1..=6)?;
            format!("transform=\"{f}({})\"", numbers(u, n, ",")?)
        }
        10 => format!("viewBox=\"{}\"", numbers(u, 4, " ")?),
        11 => format!(
            "{}=\"{}\"",
            u.choose(&[
                "x", "y", "width", "height", "r", "rx", "ry", "cx", "cy", "x1", "y2"
            ])?,
            number(u)?
        ),
        12 => format!("d=\"{}\"", path(u)?),
        13 => {
            let n = u.int_in_range(0..=8)?;
            format!("points=\"{}\"", numbers(u, n, ",")?)
        }
        14 => format!(
            "{}=\"{}\"",
            u.choose(&[
                "patternUnits",
                "maskContentUnits",
                "clipPathUnits",
                "patternContentUnits"
            ])?,
            u.choose(&["userSpaceOnUse", "objectBoundingBox"])?
        ),
        15 => format!(
            "style=\"fill:{};stroke-width:{}\"",
            reference(u)?,
            number(u)?
        ),
        16 => format!("font-size=\"{}\"", number(u)?),
        17 => format!("stdDeviation=\"{}\"", number(u)?),
        18 => format!("offset=\"{}\"", number(u)?),
        19 => format!("stroke-width=\"{}\"", number(u)?),
        20 => format!(
            "markerWidth=\"{}\" markerHeight=\"{}\"",
            number(u)?,
            number(u)?
        ),
        21 => format!(
            "href=\"data:image/png;base64,{}\"",
            u.choose(&["", "iVBORw0KGgo=", "!!"])?
        ),
        _ => format!("opacity=\"{}\"", number(u)?),
    };
    out.push(' ');
    out.push_str(&a);
    Ok(())
}

fn text(u: &mut Unstructured<'_>) -> Result<String> {
    let s: String = u.arbitrary()?;
    Ok(s.chars()
        .take(40)
        .map(|c| match c {
            '<' | '>' | '&' => ' ',
            c if c.is_control() && c != '\n' => ' ',
            c => c,
        })
        .collect())
}

fn element(
    u: &mut Unstructured<'_>,
    out: &mut String,
    depth: usize,
    entities: &[String],
) -> Result<()> {
    let tag = *u.choose(TAGS)?;
    if tag == "style" {
        out.push_str(&format!(
            "<style>{} {{ fill: {}; stroke: {}; marker-mid: url(#{}) }}</style>",
            u.choose(&["rect", "*", "g > path", ".c", "#a", "circle:first-child"])?,
            reference(u)?,
            reference(u)?,
            u.choose(IDS)?
        ));
        return Ok(());
    }
    out.push('<');
    out.push_str(tag);
    for _ in 0..u.int_in_range(0..=5)? {
        attribute(u, out)?;
    }
    out.push('>');
    if matches!(tag, "text" | "tspan" | "textPath") && u.arbitrary()? {
        out.push_str(&text(u)?);
        if !entities.is_empty() && u.arbitrary()? {
            out.push_str(&format!("&{};", u.choose(entities)?));
        }
    }
    if depth < 6 {
        for _ in 0..u.int_in_range(0..=4)? {
            element(u, out, depth + 1, entities)?;
        }
    }
    out.push_str(&format!("</{tag}>"));
    Ok(())
}

/// An SVG document.
pub fn document(u: &mut Unstructured<'_>) -> Result<String> {
    let mut out = String::from("<?xml version=\"1.0\"?>");
    let mut entities = Vec::new();
    if u.ratio(1, 5)? {
        out.push_str("<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\" [");
        for i in 0..u.int_in_range(0..=4)? {
            let value = if i > 0 && u.arbitrary()? {
                format!(
                    "&e{};&e{};",
                    u.int_in_range(0..=i - 1)?,
                    u.int_in_range(0..=i)?
                )
            } else {
                text(u)?.replace(['"', '%'], "")
            };
            out.push_str(&format!("<!ENTITY e{i} \"{value}\">"));
            entities.push(format!("e{i}"));
        }
        out.push_str("]>");
    }
    out.push_str(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"",
    );
    if u.ratio(3, 4)? {
        out.push_str(&format!(" viewBox=\"0 0 {} {}\"", number(u)?, number(u)?));
    } else {
        out.push_str(&format!(
            " width=\"{}\" height=\"{}\"",
            number(u)?,
            number(u)?
        ));
    }
    out.push('>');
    for _ in 0..u.int_in_range(1..=6)? {
        element(u, &mut out, 0, &entities)?;
    }
    out.push_str("</svg>");
    Ok(out)
}
