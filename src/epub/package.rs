//! The package document's metadata. epub-builder writes the container,
//! manifest, spine and navigation; its `<metadata>` cannot express everything a
//! store needs (ISBN identifiers, subtitles, publisher, creator roles,
//! accessibility), so folio writes that block itself and swaps it in.

use super::accessibility::Accessibility;
use super::xhtml::escape;
use crate::date::iso8601;
use crate::ir::Metadata;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

/// The `<metadata>` element for the package document.
pub fn metadata_xml(
    meta: &Metadata,
    a11y: &Accessibility,
    modified: i64,
    has_cover: bool,
) -> String {
    let mut m = String::new();
    m.push_str("<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:opf=\"http://www.idpf.org/2007/opf\">\n");
    let mut line = |s: String| {
        m.push_str("    ");
        m.push_str(&s);
        m.push('\n');
    };
    line(format!(
        "<dc:identifier id=\"epub-id-1\">{}</dc:identifier>",
        escape(&meta.identifier.urn())
    ));
    if meta.identifier.isbn().is_some() {
        // ONIX code list 5, value 15: ISBN-13.
        line("<meta refines=\"#epub-id-1\" property=\"identifier-type\" scheme=\"onix:codelist5\">15</meta>".into());
    }
    line(format!(
        "<dc:title id=\"title\">{}</dc:title>",
        escape(&meta.title)
    ));
    line("<meta refines=\"#title\" property=\"title-type\">main</meta>".into());
    if let Some(subtitle) = &meta.subtitle {
        line(format!(
            "<dc:title id=\"subtitle\">{}</dc:title>",
            escape(subtitle)
        ));
        line("<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>".into());
    }
    line(format!(
        "<dc:language>{}</dc:language>",
        escape(&meta.language)
    ));
    for (i, author) in meta.authors.iter().enumerate() {
        let id = format!("creator-{}", i + 1);
        line(format!(
            "<dc:creator id=\"{id}\">{}</dc:creator>",
            escape(author)
        ));
        line(format!(
            "<meta refines=\"#{id}\" property=\"role\" scheme=\"marc:relators\">aut</meta>"
        ));
        line(format!(
            "<meta refines=\"#{id}\" property=\"display-seq\">{}</meta>",
            i + 1
        ));
    }
    if let Some(publisher) = &meta.publisher {
        line(format!(
            "<dc:publisher>{}</dc:publisher>",
            escape(publisher)
        ));
    }
    if let Some(date) = &meta.date {
        line(format!("<dc:date>{}</dc:date>", escape(date)));
    }
    if let Some(description) = &meta.description {
        line(format!(
            "<dc:description>{}</dc:description>",
            escape(description)
        ));
    }
    if let Some(rights) = &meta.rights {
        line(format!("<dc:rights>{}</dc:rights>", escape(rights)));
    }
    for subject in &meta.subjects {
        line(format!("<dc:subject>{}</dc:subject>", escape(subject)));
    }
    line(format!(
        "<meta property=\"dcterms:modified\">{}</meta>",
        iso8601(modified)
    ));
    for mode in &a11y.access_modes {
        line(format!(
            "<meta property=\"schema:accessMode\">{mode}</meta>"
        ));
    }
    for set in &a11y.sufficient {
        line(format!(
            "<meta property=\"schema:accessModeSufficient\">{set}</meta>"
        ));
    }
    for feature in &a11y.features {
        line(format!(
            "<meta property=\"schema:accessibilityFeature\">{feature}</meta>"
        ));
    }
    for hazard in &a11y.hazards {
        line(format!(
            "<meta property=\"schema:accessibilityHazard\">{hazard}</meta>"
        ));
    }
    line(format!(
        "<meta property=\"schema:accessibilitySummary\">{}</meta>",
        escape(&a11y.summary)
    ));
    if a11y.conforms {
        line("<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>".into());
    }
    if has_cover {
        // EPUB 2 readers (older Kindles, some Kobos) find the cover this way.
        line("<meta name=\"cover\" content=\"cover-image\"/>".into());
    }
    line("<meta name=\"generator\" content=\"folio\"/>".into());
    m.push_str("  </metadata>");
    m
}

/// Replaces the `<metadata>…</metadata>` block of `OEBPS/content.opf` and the
/// navigation document inside an EPUB zip, gives the package element the
/// book's language and direction (`xml:lang`, `dir`: Ace's `epub-lang` rule and
/// reading systems that pick fonts and hyphenation from it), and re-stamps
/// every entry with a fixed time so the archive is reproducible whatever the
/// zip library's defaults. Entries named in `stored` get those bytes,
/// uncompressed (see [`already_compressed`]); entries named in `deflated`
/// get those bytes, deflated here on several threads (see [`deflate_apart`]).
pub fn finish(
    epub: &[u8],
    language: &str,
    metadata: &str,
    nav: &str,
    stored: &BTreeMap<String, &[u8]>,
    deflated: &BTreeMap<String, Cow<'_, [u8]>>,
    kept: Option<&DeflateCache>,
) -> Result<Vec<u8>, String> {
    let deflated = deflate_apart(deflated, kept)?;
    let mut archive = zip::ZipArchive::new(Cursor::new(epub)).map_err(|e| e.to_string())?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(epub.len() + 4096)));
    let fixed = zip::DateTime::default();
    for i in 0..archive.len() {
        let name = archive
            .by_index_raw(i)
            .map_err(|e| e.to_string())?
            .name()
            .to_owned();
        let replacement = match name.as_str() {
            "OEBPS/content.opf" => {
                let mut opf = String::new();
                archive
                    .by_index(i)
                    .map_err(|e| e.to_string())?
                    .read_to_string(&mut opf)
                    .map_err(|e| e.to_string())?;
                Some(package_language(
                    &replace_metadata(&opf, metadata)?,
                    language,
                )?)
            }
            "OEBPS/nav.xhtml" => Some(nav.to_owned()),
            _ => None,
        };
        if let Some(alone) = deflated.get(name.as_str()) {
            let mut alone =
                zip::ZipArchive::new(Cursor::new(alone.as_slice())).map_err(|e| e.to_string())?;
            let file = alone.by_index_raw(0).map_err(|e| e.to_string())?;
            out.raw_copy_file_touch(file, fixed, Some(0o644))
                .map_err(|e| e.to_string())?;
        } else if let Some(bytes) = stored.get(&name) {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored)
                .last_modified_time(fixed)
                .unix_permissions(0o644);
            out.start_file(name, options).map_err(|e| e.to_string())?;
            out.write_all(bytes).map_err(|e| e.to_string())?;
        } else if let Some(text) = replacement {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .last_modified_time(fixed)
                .unix_permissions(0o644);
            out.start_file(name, options).map_err(|e| e.to_string())?;
            out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
        } else {
            let file = archive.by_index_raw(i).map_err(|e| e.to_string())?;
            out.raw_copy_file_touch(file, fixed, Some(0o644))
                .map_err(|e| e.to_string())?;
        }
    }
    let cursor = out.finish().map_err(|e| e.to_string())?;
    Ok(cursor.into_inner())
}

/// Each file zipped alone (deflated), on several threads, ready to be
/// copied raw into the archive. With `kept` (`folio watch`), a file with
/// the same name and bytes as in the last build is taken from it, and it is
/// left holding this build's files.
fn deflate_apart<'f>(
    files: &'f BTreeMap<String, Cow<'_, [u8]>>,
    kept: Option<&DeflateCache>,
) -> Result<BTreeMap<&'f str, Vec<u8>>, String> {
    let files: Vec<(&String, &Cow<'_, [u8]>)> = files.iter().collect();
    let mut last = kept.map(DeflateCache::take).unwrap_or_default();
    let keys: Vec<Option<[u8; 16]>> = files
        .iter()
        .map(|(name, bytes)| kept.map(|_| file_key(name, bytes)))
        .collect();
    let known: Vec<Option<Vec<u8>>> = keys
        .iter()
        .map(|key| key.and_then(|k| last.remove(&k)))
        .collect();
    drop(last);
    let alone = crate::threads::parallel_map(&files, 8, |i, (name, bytes)| {
        if let Some(Some(zipped)) = known.get(i) {
            return Ok((name.as_str(), zipped.clone()));
        }
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len() / 3 + 256)));
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .and_then(|()| zip.write_all(bytes).map_err(Into::into))
            .and_then(|()| zip.finish())
            .map(|cursor| (name.as_str(), cursor.into_inner()))
            .map_err(|e| e.to_string())
    });
    let alone: BTreeMap<&str, Vec<u8>> = alone.into_iter().collect::<Result<_, _>>()?;
    if let Some(kept) = kept {
        let now = keys
            .iter()
            .zip(&files)
            .filter_map(|(key, (name, _))| Some(((*key)?, alone.get(name.as_str())?.clone())))
            .collect();
        kept.put(now);
    }
    Ok(alone)
}

/// Chapters zipped alone in the last build, by name and text
/// ([`file_key`]), kept by `folio watch`: after a one-word edit every
/// other chapter deflates to the same bytes.
#[derive(Debug, Default)]
pub struct DeflateCache {
    files: std::sync::Mutex<std::collections::HashMap<[u8; 16], Vec<u8>>>,
}

impl DeflateCache {
    fn take(&self) -> std::collections::HashMap<[u8; 16], Vec<u8>> {
        std::mem::take(&mut *self.files.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn put(&self, files: std::collections::HashMap<[u8; 16], Vec<u8>>) {
        *self.files.lock().unwrap_or_else(|e| e.into_inner()) = files;
    }
}

/// A file's name and bytes, hashed ([`crate::digest`]).
fn file_key(name: &str, bytes: &[u8]) -> [u8; 16] {
    crate::digest::digest(&[name.as_bytes(), bytes])
}

/// Media types whose files are compressed already: deflating them again
/// gains about 2% for most of the EPUB's zip time on an illustrated book
/// (BENCHMARKS.md), so they are stored.
pub fn already_compressed(media_type: &str) -> bool {
    matches!(
        media_type,
        "image/png" | "image/jpeg" | "image/gif" | "image/webp" | "font/woff" | "font/woff2"
    ) || media_type.starts_with("audio/")
        || media_type.starts_with("video/")
}

/// Adds `xml:lang` and `dir` to the `<package>` start tag.
fn package_language(opf: &str, language: &str) -> Result<String, String> {
    let start = opf
        .find("<package")
        .ok_or("the package document has no <package>")?;
    let end = opf[start..]
        .find('>')
        .ok_or("the package start tag is not closed")?
        + start;
    Ok(format!(
        "{} xml:lang=\"{}\" dir=\"{}\"{}",
        &opf[..end],
        escape(language),
        crate::typography::lang::direction(language),
        &opf[end..]
    ))
}

fn replace_metadata(opf: &str, metadata: &str) -> Result<String, String> {
    let start = opf
        .find("<metadata")
        .ok_or("the package document has no <metadata>")?;
    let end = opf
        .find("</metadata>")
        .ok_or("the package document has no </metadata>")?
        + "</metadata>".len();
    Ok(format!("{}{}{}", &opf[..start], metadata, &opf[end..]))
}

#[cfg(test)]
mod tests {
    use super::package_language;

    #[test]
    fn the_package_element_gets_language_and_direction() {
        let opf = "<?xml version=\"1.0\"?>\n<package version=\"3.0\" unique-identifier=\"id\">\n<metadata/></package>";
        let done = package_language(opf, "ar-EG").expect("patched");
        assert!(
            done.contains(
                "<package version=\"3.0\" unique-identifier=\"id\" xml:lang=\"ar-EG\" dir=\"rtl\">"
            ),
            "{done}"
        );
        assert!(package_language("<metadata/>", "en").is_err());
    }
}
