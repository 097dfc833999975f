//! SVG figures, kept as vector graphics.
//!
//! `usvg` parses and simplifies the SVG, shaping any text with the book's
//! own fonts (never the machine's), and `svg2pdf` turns the result into a
//! Form XObject of 1×1 unit, drawn like a raster image. Text is outlined;
//! the streams are compressed with the writer's own (faster) compressor.
//! Images embedded in an SVG are not converted (that would pull in a full
//! image-decoding stack, and a nested SVG would escape the checks); the
//! caller warns about them. Nothing the SVG names is ever read.

use std::sync::Arc;

use pdf_writer::{Chunk, Pdf, Ref};
use svg2pdf::usvg;
use usvg::fontdb;

use crate::config::limits::{Limits, MAX_DEPTH};
use crate::parse::assets::ImageProblem;
use crate::pdf::layout::frame::FontData;

/// Most elements (with `<use>` expanded) the writer converts in one SVG.
const WRITER_SVG_ELEMENTS: u64 = 10_000_000;

/// A font database holding the book's own fonts, so SVG text is set in
/// them (and never in whatever happens to be installed on the machine).
/// Generic families map to them: serif → the first proportional font
/// without "Sans" in its name, sans-serif → the first with "Sans",
/// monospace → the first monospaced one.
pub(crate) fn font_database(fonts: &[Arc<FontData>]) -> Arc<fontdb::Database> {
    let mut db = fontdb::Database::new();
    for f in fonts {
        let src: Arc<dyn AsRef<[u8]> + Send + Sync> = f.bytes.clone();
        db.load_font_source(fontdb::Source::Binary(src));
    }
    let family = |pred: &dyn Fn(&fontdb::FaceInfo) -> bool| {
        db.faces()
            .find(|f| pred(f))
            .and_then(|f| f.families.first())
            .map(|(n, _)| n.clone())
    };
    let serif = family(&|f| !f.monospaced && !f.post_script_name.contains("Sans"));
    let sans = family(&|f| !f.monospaced && f.post_script_name.contains("Sans"));
    let mono = family(&|f| f.monospaced);
    let any = family(&|_| true);
    if let Some(s) = serif.clone().or_else(|| any.clone()) {
        db.set_serif_family(s);
    }
    if let Some(s) = sans.or_else(|| serif.clone()).or_else(|| any.clone()) {
        db.set_sans_serif_family(s);
    }
    if let Some(s) = mono.or_else(|| any.clone()) {
        db.set_monospace_family(s);
    }
    Arc::new(db)
}

/// Converts one SVG into a self-contained chunk holding a 1×1 Form
/// XObject (`root`); also tells whether the SVG embedded images, which are
/// left out.
/// `compress` is off only where the result is checked, not written.
pub(crate) fn convert(
    bytes: &[u8],
    fontdb: &Arc<fontdb::Database>,
    compress: bool,
) -> Result<(Chunk, Ref, bool), String> {
    // usvg expands every <use> and recurses over the tree: refuse SVGs that
    // would make it do unbounded work, whatever the book's [limits] allowed.
    let ceiling = Limits {
        svg_depth: MAX_DEPTH,
        svg_elements: WRITER_SVG_ELEMENTS,
        ..Limits::default()
    };
    let images = crate::parse::assets::check_svg(bytes, &ceiling).map_err(|p| match p {
        ImageProblem::Undecodable(why) => format!("cannot parse SVG: {why}"),
        ImageProblem::Active(why) => why,
        ImageProblem::TooLarge { what, .. } => format!("the SVG {what}"),
    })?;
    let mut opt = usvg::Options {
        fontdb: fontdb.clone(),
        ..usvg::Options::default()
    };
    // Never read files named by the SVG (`file:`, `http:`, paths outside
    // the book): output must depend only on the PagedDoc. Embedded images
    // (`data:` URLs) are not converted either: a nested SVG in one would be
    // a document the checks above never measured.
    opt.image_href_resolver.resolve_string = Box::new(|_, _| None);
    opt.image_href_resolver.resolve_data = Box::new(|_, _, _| None);
    if let Some(family) = fontdb.faces().next().and_then(|f| f.families.first()) {
        opt.font_family = family.0.clone();
    }
    let tree = usvg::Tree::from_data(bytes, &opt).map_err(|e| format!("cannot parse SVG: {e}"))?;
    in_range(&tree)?;
    // Text is outlined (embed_text: false): no second copy of the book's
    // fonts, and figure lettering looks the same in every viewer. Streams
    // are compressed by us, not by svg2pdf (see `compress_chunk_streams`).
    let options = svg2pdf::ConversionOptions {
        embed_text: false,
        compress: false,
        ..Default::default()
    };
    let (chunk, root) =
        svg2pdf::to_chunk(&tree, options).map_err(|e| format!("cannot convert SVG: {e}"))?;
    // Streams are compressed by us when the chunk is written (`folio check`
    // converts only to see that it can).
    let chunk = if compress {
        super::compress::compress_chunk_streams(&chunk, super::compress::LEVEL_BULK)
    } else {
        chunk
    };
    Ok((chunk, root, images > 0))
}

/// Largest coordinate, after every transform, the PDF may receive from an
/// SVG: readers convert PDF numbers to 32-bit values.
const MAX_COORDINATE: f32 = 1e9;

/// Checks that every transform and bounding box of the converted tree is
/// finite and within [`MAX_COORDINATE`]: numbers in range one by one (see
/// [`crate::parse::svg_check`]) can still multiply through nested
/// transforms.
fn in_range(tree: &usvg::Tree) -> Result<(), String> {
    let fine = |v: f32| v.is_finite() && v.abs() <= MAX_COORDINATE;
    let transform_fine =
        |t: usvg::Transform| [t.sx, t.kx, t.ky, t.sy, t.tx, t.ty].into_iter().all(fine);
    let rect_fine = |r: usvg::Rect| {
        [r.left(), r.top(), r.right(), r.bottom()]
            .into_iter()
            .all(fine)
    };
    let size = tree.size();
    if !(fine(size.width()) && fine(size.height())) || size.width() < 1e-4 || size.height() < 1e-4 {
        return Err("the SVG's size is out of range".to_owned());
    }
    let mut groups: Vec<&usvg::Group> = vec![tree.root()];
    let mut bad = false;
    while let Some(group) = groups.pop() {
        for node in group.children() {
            if !transform_fine(node.abs_transform())
                || !rect_fine(node.abs_bounding_box())
                || !rect_fine(node.abs_stroke_bounding_box())
            {
                bad = true;
            }
            if let usvg::Node::Group(g) = node {
                groups.push(g);
            }
            node.subroots(|g| {
                // A subroot (pattern, mask, clip path) is its own tree.
                if !transform_fine(g.abs_transform()) {
                    bad = true;
                }
                bad |= !subtree_fine(g, &transform_fine);
            });
        }
        if bad {
            return Err(
                "the SVG's coordinates grow out of range through its transforms".to_owned(),
            );
        }
    }
    Ok(())
}

/// [`in_range`]'s transform check over a subroot's tree.
fn subtree_fine(root: &usvg::Group, fine: &dyn Fn(usvg::Transform) -> bool) -> bool {
    let mut groups = vec![root];
    while let Some(group) = groups.pop() {
        for node in group.children() {
            if !fine(node.abs_transform()) {
                return false;
            }
            if let usvg::Node::Group(g) = node {
                groups.push(g);
            }
        }
    }
    true
}

/// Copies a converted SVG into `pdf` with fresh object numbers (in the
/// chunk's own order, so deterministic) and returns the XObject.
pub(crate) fn copy_into(chunk: &Chunk, root: Ref, pdf: &mut Pdf, refs: &mut Ref) -> Ref {
    let mut map = std::collections::BTreeMap::new();
    let renumbered = chunk.renumber(|old| *map.entry(old).or_insert_with(|| refs.bump()));
    pdf.extend(&renumbered);
    // `root` is defined in the chunk, so it was renumbered.
    map.get(&root).copied().unwrap_or(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// svg2pdf names resources from a `HashMap`: an SVG with many
    /// gradients must still convert to the same bytes every time.
    #[test]
    fn gradients_convert_to_the_same_bytes_every_time() {
        let mut svg = String::from(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40"><defs>"#,
        );
        for i in 0..12 {
            svg.push_str(&format!(
                r##"<linearGradient id="g{i}"><stop offset="0" stop-color="#{i:x}0{i:x}0{i:x}0"/><stop offset="1" stop-color="#fff"/></linearGradient>"##
            ));
        }
        svg.push_str("</defs>");
        for i in 0..12 {
            svg.push_str(&format!(
                r#"<rect x="{}" width="30" height="40" fill="url(#g{i})"/>"#,
                i * 32
            ));
        }
        svg.push_str("</svg>");
        let db = font_database(&[]);
        let first = convert(svg.as_bytes(), &db, true).unwrap().0;
        let text = String::from_utf8_lossy(first.as_bytes()).into_owned();
        assert!(text.contains("/po11"), "{}", &text[..text.len().min(3000)]);
        for _ in 0..8 {
            assert_eq!(
                convert(svg.as_bytes(), &db, true).unwrap().0.as_bytes(),
                first.as_bytes()
            );
        }
    }
}
