//! Document-level metadata: the Info dictionary, the XMP metadata stream,
//! page labels and the file identifier.
//!
//! Dates come only from [`DocMeta::date`] (never the clock), formatted in
//! UTC by a small civil-calendar conversion, so a rebuild of the same book
//! is byte-identical. The trailer `/ID` is a hash of the book's identifier
//! and the file's content for the same reason.

use pdf_writer::writers::Catalog;
use pdf_writer::{Finish, Name, Pdf, Ref, Str, TextStr};

use crate::pdf::layout::frame::{DocMeta, LabelStyle, PageLabelRange};

/// Writes the Info dictionary (title, authors, subject, keywords, creator,
/// producer, dates).
pub(crate) fn write_info(meta: &DocMeta, pdf: &mut Pdf, id: Ref) {
    let date = pdf_date(meta.date);
    let authors = meta.authors.join(", ");
    let keywords = meta.keywords.join(", ");
    let mut info = pdf.document_info(id);
    if !meta.title.is_empty() {
        info.title(TextStr(&meta.title));
    }
    if !authors.is_empty() {
        info.author(TextStr(&authors));
    }
    if let Some(s) = meta.subject.as_deref().filter(|s| !s.is_empty()) {
        info.subject(TextStr(s));
    }
    if !keywords.is_empty() {
        info.keywords(TextStr(&keywords));
    }
    info.creator(TextStr("folio"));
    info.producer(TextStr("folio"));
    info.pair(Name(b"CreationDate"), Str(date.as_bytes()));
    info.pair(Name(b"ModDate"), Str(date.as_bytes()));
    info.finish();
}

/// Writes the XMP packet (uncompressed, as PDF/X and PDF/A checkers expect)
/// that mirrors the Info dictionary; a tagged document declares PDF/UA-1
/// (`pdfuaid:part`).
pub(crate) fn write_xmp(meta: &DocMeta, tagged: bool, pdf: &mut Pdf, id: Ref) {
    let xml = xmp(meta, tagged);
    pdf.metadata(id, xml.as_bytes()).finish();
}

/// Builds the XMP packet.
fn xmp(meta: &DocMeta, tagged: bool) -> String {
    let date = xmp_date(meta.date);
    let mut x = String::with_capacity(2048);
    x.push_str("<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
    x.push_str("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n");
    x.push_str(" <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    x.push_str("  <rdf:Description rdf:about=\"\"\n");
    x.push_str("    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n");
    x.push_str("    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n");
    x.push_str("    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n");
    x.push_str("    xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\"");
    if tagged {
        x.push_str("\n    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"");
    }
    x.push_str(">\n");
    if tagged {
        x.push_str("   <pdfuaid:part>1</pdfuaid:part>\n");
    }
    x.push_str("   <dc:format>application/pdf</dc:format>\n");
    if !meta.title.is_empty() {
        lang_alt(&mut x, "dc:title", &meta.title);
    }
    if !meta.authors.is_empty() {
        list(&mut x, "dc:creator", "rdf:Seq", &meta.authors);
    }
    if let Some(s) = meta.subject.as_deref().filter(|s| !s.is_empty()) {
        lang_alt(&mut x, "dc:description", s);
    }
    if !meta.keywords.is_empty() {
        list(&mut x, "dc:subject", "rdf:Bag", &meta.keywords);
    }
    if !meta.language.is_empty() {
        list(
            &mut x,
            "dc:language",
            "rdf:Bag",
            std::slice::from_ref(&meta.language),
        );
    }
    for tag in ["xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"] {
        x.push_str(&format!("   <{tag}>{date}</{tag}>\n"));
    }
    x.push_str("   <xmp:CreatorTool>folio</xmp:CreatorTool>\n");
    x.push_str("   <pdf:Producer>folio</pdf:Producer>\n");
    if !meta.keywords.is_empty() {
        x.push_str(&format!(
            "   <pdf:Keywords>{}</pdf:Keywords>\n",
            esc(&meta.keywords.join(", "))
        ));
    }
    if !meta.identifier.is_empty() {
        x.push_str(&format!(
            "   <xmpMM:DocumentID>{}</xmpMM:DocumentID>\n",
            esc(&meta.identifier)
        ));
    }
    x.push_str("  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n");
    // Padding lets editors update the packet in place.
    for _ in 0..10 {
        x.push_str(&" ".repeat(99));
        x.push('\n');
    }
    x.push_str("<?xpacket end=\"w\"?>");
    x
}

/// `<tag><rdf:Alt><rdf:li xml:lang="x-default">text</rdf:li></rdf:Alt></tag>`
fn lang_alt(x: &mut String, tag: &str, text: &str) {
    x.push_str(&format!(
        "   <{tag}><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></{tag}>\n",
        esc(text)
    ));
}

/// `<tag><kind><rdf:li>a</rdf:li>…</kind></tag>`
fn list(x: &mut String, tag: &str, kind: &str, items: &[String]) {
    x.push_str(&format!("   <{tag}><{kind}>"));
    for i in items {
        x.push_str(&format!("<rdf:li>{}</rdf:li>", esc(i)));
    }
    x.push_str(&format!("</{kind}></{tag}>\n"));
}

/// Escapes XML text and drops characters XML 1.0 forbids.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\t' | '\n' | '\r' => o.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => o.push(c),
        }
    }
    o
}

/// Writes `/PageLabels` from the layout's ranges: `/S /r` for lower roman,
/// `/S /D` for decimal, no `/S` for none, `/St` the first number.
///
/// Ranges are sorted by start; ranges starting past the last page are
/// dropped and a missing range for page 0 is added (decimal from 1), both
/// with a warning, since the number tree must start at 0.
pub(crate) fn write_page_labels(
    catalog: &mut Catalog<'_>,
    ranges: &[PageLabelRange],
    pages: usize,
    warnings: &mut Vec<String>,
) {
    if ranges.is_empty() || pages == 0 {
        return;
    }
    let mut sorted: Vec<&PageLabelRange> = Vec::with_capacity(ranges.len());
    for r in ranges {
        if r.start >= pages {
            warnings.push(format!(
                "page label range starting at page {} is past the last page ({pages}); ignored",
                r.start + 1
            ));
        } else {
            sorted.push(r);
        }
    }
    sorted.sort_by_key(|r| r.start);
    sorted.dedup_by_key(|r| r.start);
    let implicit = PageLabelRange {
        start: 0,
        style: LabelStyle::Decimal,
        first: 1,
    };
    if sorted.first().is_none_or(|r| r.start != 0) {
        warnings.push("page labels do not cover the first page; it is labelled from 1".into());
        sorted.insert(0, &implicit);
    }
    let mut tree = catalog.insert(Name(b"PageLabels")).dict();
    let mut nums = tree.insert(Name(b"Nums")).array();
    for r in sorted {
        nums.item(r.start.min(i32::MAX as usize) as i32);
        let mut d = nums.push().dict();
        match r.style {
            LabelStyle::LowerRoman => {
                d.pair(Name(b"S"), Name(b"r"));
            }
            LabelStyle::Decimal => {
                d.pair(Name(b"S"), Name(b"D"));
            }
            LabelStyle::None => {}
        }
        d.pair(Name(b"St"), r.first.clamp(1, i32::MAX as u32) as i32);
        d.finish();
    }
    nums.finish();
    tree.finish();
}

/// The 16-byte file identifier: a hash of the book identifier and the file
/// content written so far. Both `/ID` entries use it (a new file, not a
/// revision).
pub(crate) fn document_id(identifier: &str, content: &[u8]) -> [u8; 16] {
    super::hash128(&[identifier.as_bytes(), content])
}

/// Date and time (UTC) of a Unix timestamp: (year, month, day, hour, minute,
/// second). Clamped to years 0–9999, which PDF dates can express.
fn civil(epoch: i64) -> (i64, u32, u32, u32, u32, u32) {
    // 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
    let t = epoch.clamp(-62_167_219_200, 253_402_300_799);
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        month,
        day,
        (secs / 3600) as u32,
        (secs / 60 % 60) as u32,
        (secs % 60) as u32,
    )
}

/// PDF date string `D:YYYYMMDDHHmmSS+00'00'`.
fn pdf_date(epoch: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(epoch);
    format!("D:{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}+00'00'")
}

/// XMP (ISO 8601) date `YYYY-MM-DDTHH:MM:SS+00:00`.
fn xmp_date(epoch: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(epoch);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}+00:00")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(pdf_date(0), "D:19700101000000+00'00'");
        assert_eq!(pdf_date(951_782_400), "D:20000229000000+00'00'"); // leap day
        assert_eq!(pdf_date(1_700_000_000), "D:20231114221320+00'00'");
        assert_eq!(pdf_date(-1), "D:19691231235959+00'00'");
        assert_eq!(xmp_date(1_709_251_199), "2024-02-29T23:59:59+00:00");
        assert_eq!(pdf_date(i64::MAX), "D:99991231235959+00'00'");
        assert_eq!(pdf_date(i64::MIN), "D:00000101000000+00'00'");
    }

    #[test]
    fn xmp_is_escaped_and_complete() {
        let meta = DocMeta {
            title: "Fish & <Chips>".into(),
            authors: vec!["A. Author".into(), "B. Writer".into()],
            subject: Some("About \"things\"\u{1}".into()),
            keywords: vec!["k1".into()],
            language: "en-GB".into(),
            date: 0,
            identifier: "urn:isbn:9780000000000".into(),
        };
        let x = xmp(&meta, true);
        assert!(x.contains("<pdfuaid:part>1</pdfuaid:part>"));
        assert!(!xmp(&meta, false).contains("pdfuaid"));
        assert!(x.contains("Fish &amp; &lt;Chips&gt;"));
        assert!(
            x.contains("<rdf:Seq><rdf:li>A. Author</rdf:li><rdf:li>B. Writer</rdf:li></rdf:Seq>")
        );
        assert!(x.contains("About &quot;things&quot;</rdf:li>"));
        assert!(x.contains("<xmpMM:DocumentID>urn:isbn:9780000000000</xmpMM:DocumentID>"));
        assert!(x.contains("<xmp:CreateDate>1970-01-01T00:00:00+00:00</xmp:CreateDate>"));
        assert!(x.contains("<dc:language><rdf:Bag><rdf:li>en-GB</rdf:li></rdf:Bag></dc:language>"));
    }
}
