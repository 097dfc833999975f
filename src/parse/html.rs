//! Raw HTML in Markdown made into well-formed XHTML: void elements closed,
//! attributes quoted, HTML-only entities turned into characters, and the result
//! checked with an XML parser. What cannot be repaired is rejected with its line.

/// Elements HTML writes without a closing tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Elements a book must not carry (scripting, forms, embedded browsing contexts).
const FORBIDDEN: &[&str] = &[
    "script", "iframe", "object", "embed", "form", "input", "button", "select", "textarea",
    "frame", "frameset", "applet", "base", "link", "meta", "style",
];

/// A problem in raw HTML, at a byte offset inside the HTML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlError {
    /// Byte offset into the HTML as written.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// Rewrites `html` as XHTML tag by tag (no structural check).
pub fn normalize(html: &str) -> Result<String, HtmlError> {
    let mut out = String::with_capacity(html.len() + 16);
    let mut rest = html;
    let mut pos = 0;
    while let Some(lt) = rest.find(['<', '&']) {
        push_text(&rest[..lt], &mut out);
        let at = pos + lt;
        let tail = &rest[lt..];
        let consumed = if tail.starts_with('&') {
            entity(tail, &mut out).map_err(|message| HtmlError {
                offset: at,
                message,
            })?
        } else if tail.starts_with("<!--") {
            let end = tail.find("-->").map(|i| i + 3).ok_or_else(|| HtmlError {
                offset: at,
                message: "an HTML comment is not closed with `-->`".into(),
            })?;
            out.push_str(&tail[..end]);
            end
        } else if tail.starts_with("<![CDATA[") {
            let end = tail.find("]]>").map(|i| i + 3).ok_or_else(|| HtmlError {
                offset: at,
                message: "a CDATA section is not closed".into(),
            })?;
            out.push_str(&tail[..end]);
            end
        } else if tail.starts_with("<!") || tail.starts_with("<?") {
            tail.find('>').map(|i| i + 1).unwrap_or(tail.len()) // doctype or processing instruction: dropped
        } else {
            tag(tail, &mut out).map_err(|message| HtmlError {
                offset: at,
                message,
            })?
        };
        rest = &tail[consumed..];
        pos = at + consumed;
    }
    push_text(rest, &mut out);
    Ok(out)
}

/// Copies text between tags; `]]>`, which XML forbids in text, is escaped.
fn push_text(text: &str, out: &mut String) {
    if text.contains("]]>") {
        out.push_str(&text.replace("]]>", "]]&gt;"));
    } else {
        out.push_str(text);
    }
}

/// Checks that `xhtml` (already normalized) is well-formed, and returns the `id`
/// attributes it defines (so Markdown links can target them).
pub fn check(xhtml: &str) -> Result<Vec<String>, HtmlError> {
    check_nested(
        xhtml,
        crate::config::limits::Limits::default().nesting_depth,
    )
}

/// [`check`], also refusing elements nested more than `max_depth` deep: the
/// PDF layout walks raw HTML recursively.
pub fn check_nested(xhtml: &str, max_depth: u32) -> Result<Vec<String>, HtmlError> {
    const OPEN: &str = "<div xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\">\n";
    let wrapped = format!("{OPEN}{xhtml}\n</div>");
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 1_000_000,
        ..Default::default()
    };
    match roxmltree::Document::parse_with_options(&wrapped, opts) {
        Ok(doc) => {
            // Iterative (pre-order, parents first): the document itself may
            // be 100,000 elements deep. The wrapper <div> is level 1.
            let mut depth = vec![0u32; doc.descendants().count()];
            for n in doc.descendants().filter(|n| n.is_element()) {
                let parent = n.parent().map_or(0, |p| depth[p.id().get_usize()]);
                let d = parent + 1;
                depth[n.id().get_usize()] = d;
                if d > max_depth.saturating_add(1) {
                    return Err(HtmlError {
                        offset: n.range().start.saturating_sub(OPEN.len()).min(xhtml.len()),
                        message: format!(
                            "raw HTML elements are nested more than {max_depth} levels deep"
                        ),
                    });
                }
            }
            Ok(doc
                .descendants()
                .filter_map(|n| n.attribute("id").map(str::to_owned))
                .collect())
        }
        Err(e) => {
            let p = e.pos();
            let line = (p.row as usize).saturating_sub(2);
            let offset = xhtml
                .split_inclusive('\n')
                .take(line)
                .map(str::len)
                .sum::<usize>();
            let mut message = e.to_string();
            if let Some(i) = message.find(" at ") {
                message.truncate(i);
            }
            Err(HtmlError {
                offset: offset.min(xhtml.len()),
                message: format!("raw HTML is not well-formed: {message}"),
            })
        }
    }
}

/// The `src` (byte range of its value) and `alt` of every `<img>` in
/// normalized XHTML, so the images can be packaged and their paths rewritten.
pub fn img_sources(xhtml: &str) -> Vec<crate::ir::HtmlImage> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = xhtml[from..].find("<img ") {
        let start = from + i;
        let end = xhtml[start..].find('>').map_or(xhtml.len(), |e| start + e);
        let tag = &xhtml[start..end];
        let attr = |name: &str| {
            let key = format!(" {name}=\"");
            tag.find(&key).map(|k| {
                let value_start = k + key.len();
                let value_end = tag[value_start..]
                    .find('"')
                    .map_or(tag.len(), |e| value_start + e);
                (start + value_start, start + value_end)
            })
        };
        if let Some((src_start, src_end)) = attr("src") {
            let alt = attr("alt").map(|(a, b)| unescape(&xhtml[a..b]));
            found.push(crate::ir::HtmlImage {
                src_start,
                src_end,
                asset: None,
                alt,
            });
        }
        from = end;
    }
    found
}

/// Decodes the entities normalization writes, for attribute values read back.
pub fn unescape(value: &str) -> String {
    if !value.contains('&') {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').unwrap_or(0);
        let name = &tail[1..end.max(1)];
        let c = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => name
                .strip_prefix('#')
                .and_then(|n| n.parse::<u32>().ok())
                .and_then(char::from_u32),
        };
        match c {
            Some(c) if end > 0 => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            _ => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Converts one tag at the start of `tail`; returns the bytes consumed.
fn tag(tail: &str, out: &mut String) -> Result<usize, String> {
    let bytes = tail.as_bytes();
    let closing = bytes.get(1) == Some(&b'/');
    let name_start = if closing { 2 } else { 1 };
    let name_len = tail[name_start..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
        .unwrap_or(tail.len() - name_start);
    if name_len == 0 {
        // A lone `<` in text.
        out.push_str("&lt;");
        return Ok(1);
    }
    let name = tail[name_start..name_start + name_len].to_ascii_lowercase();
    if FORBIDDEN.contains(&name.as_str()) {
        return Err(format!("<{name}> is not allowed in a book"));
    }
    let mut i = name_start + name_len;
    if closing {
        let end = tail[i..]
            .find('>')
            .ok_or_else(|| format!("the closing tag </{name}> has no `>`"))?;
        if VOID.contains(&name.as_str()) {
            return Ok(i + end + 1); // `</br>`: dropped, the opening tag was self-closed.
        }
        out.push_str("</");
        out.push_str(&name);
        out.push('>');
        return Ok(i + end + 1);
    }
    out.push('<');
    out.push_str(&name);
    let mut self_closing = false;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i) {
            None => return Err(format!("the tag <{name}> has no `>`")),
            Some(b'>') => {
                i += 1;
                break;
            }
            Some(b'/') if bytes.get(i + 1) == Some(&b'>') => {
                self_closing = true;
                i += 2;
                break;
            }
            _ => {}
        }
        let attr_len = tail[i..]
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>' || c == '/')
            .unwrap_or(tail.len() - i);
        if attr_len == 0 {
            return Err(format!(
                "unexpected `{}` in the tag <{name}>",
                &tail[i..i + 1]
            ));
        }
        let attr = tail[i..i + attr_len].to_ascii_lowercase();
        if attr.starts_with("on") {
            return Err(format!(
                "event handler attribute `{attr}` is not allowed in a book"
            ));
        }
        i += attr_len;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let value = if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = tail[i + 1..]
                        .find(q as char)
                        .ok_or_else(|| format!("an attribute value in <{name}> is not closed"))?;
                    let v = &tail[i + 1..i + 1 + end];
                    i += end + 2;
                    v.to_owned()
                }
                _ => {
                    let end = tail[i..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .unwrap_or(tail.len() - i);
                    let v = &tail[i..i + end];
                    i += end;
                    v.to_owned()
                }
            }
        } else {
            attr.clone() // boolean attribute: `hidden` → hidden="hidden"
        };
        out.push(' ');
        out.push_str(&attr);
        out.push_str("=\"");
        let mut escaped = String::new();
        normalize_attr(&value, &mut escaped)?;
        out.push_str(&escaped);
        out.push('"');
    }
    if self_closing || VOID.contains(&name.as_str()) {
        out.push_str("/>");
    } else {
        out.push('>');
    }
    Ok(i)
}

fn normalize_attr(value: &str, out: &mut String) -> Result<(), String> {
    let mut rest = value;
    while let Some(i) = rest.find(['&', '"', '<']) {
        out.push_str(&rest[..i]);
        match rest.as_bytes()[i] {
            b'"' => {
                out.push_str("&quot;");
                rest = &rest[i + 1..];
            }
            b'<' => {
                out.push_str("&lt;");
                rest = &rest[i + 1..];
            }
            _ => {
                let used = entity(&rest[i..], out)?;
                rest = &rest[i + used..];
            }
        }
    }
    out.push_str(rest);
    Ok(())
}

/// Copies an entity reference, turning HTML-only named entities into numeric
/// ones XML understands; a bare `&` becomes `&amp;`.
fn entity(tail: &str, out: &mut String) -> Result<usize, String> {
    let end = tail[1..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
        .map(|i| i + 1);
    let Some(end) = end.filter(|&e| tail.as_bytes().get(e) == Some(&b';') && e > 1) else {
        out.push_str("&amp;");
        return Ok(1);
    };
    let name = &tail[1..end];
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse().ok(),
        };
        match code.and_then(char::from_u32) {
            Some(c) if c != '\0' => out.push_str(&format!("&#{};", c as u32)),
            _ => return Err(format!("`&{name};` is not a valid character reference")),
        }
    } else if matches!(name, "amp" | "lt" | "gt" | "quot" | "apos") {
        out.push_str(&tail[..=end]);
    } else if let Some(c) = named_entity(name) {
        out.push_str(&format!("&#{};", c as u32));
    } else {
        return Err(format!(
            "unknown entity `&{name};`; write the character itself"
        ));
    }
    Ok(end + 1)
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "nbsp" => '\u{a0}',
        "shy" => '\u{ad}',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "times" => '×',
        "divide" => '÷',
        "deg" => '°',
        "plusmn" => '±',
        "para" => '¶',
        "sect" => '§',
        "middot" => '·',
        "bull" => '•',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "harr" => '↔',
        "rArr" => '⇒',
        "lArr" => '⇐',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "thinsp" => '\u{2009}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "zwj" => '\u{200d}',
        "zwnj" => '\u{200c}',
        "check" => '✓',
        "le" => '≤',
        "ge" => '≥',
        "ne" => '≠',
        "infin" => '∞',
        "micro" => 'µ',
        "frac12" => '½',
        "frac14" => '¼',
        "frac34" => '¾',
        "sup2" => '²',
        "sup3" => '³',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_common_html() {
        assert_eq!(
            normalize("<br><img src=a.png alt='x'>").unwrap(),
            "<br/><img src=\"a.png\" alt=\"x\"/>"
        );
        assert_eq!(
            normalize("<details open>a &nbsp;&amp; b & c</details>").unwrap(),
            "<details open=\"open\">a &#160;&amp; b &amp; c</details>"
        );
        assert_eq!(
            normalize("<DIV Class=\"x\">t</DIV>").unwrap(),
            "<div class=\"x\">t</div>"
        );
        assert_eq!(normalize("a < b").unwrap(), "a &lt; b");
        // Found by fuzzing: `]]>` is not allowed in XML text.
        assert_eq!(normalize("<b>x]]>y</b>").unwrap(), "<b>x]]&gt;y</b>");
        assert!(check(&normalize("<b>x]]>y</b>").unwrap()).is_ok());
    }

    #[test]
    fn rejects_what_cannot_be_repaired() {
        assert!(normalize("<script>x</script>").is_err());
        assert!(normalize("<a onclick=\"x\">").is_err());
        assert!(normalize("&bogus;").is_err());
        let err = check("<div>\n<p>unclosed\n</div>").unwrap_err();
        assert_eq!(err.offset, "<div>\n<p>unclosed\n".len());
        assert_eq!(
            check("<a id=\"here\"></a><span id=\"s\"/>"),
            Ok(vec!["here".into(), "s".into()])
        );
    }
}
