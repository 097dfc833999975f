//! SVG → PNG: the cover's SVG rendered by resvg (on tiny-skia) and encoded
//! as an opaque 8-bit RGB PNG with fixed settings, so the same SVG always
//! gives the same bytes.

/// Renders `svg` at its own pixel size and encodes it as PNG.
pub fn png(svg: &str) -> Result<(Vec<u8>, u32, u32), String> {
    let options = resvg::usvg::Options::default();
    let tree = resvg::usvg::Tree::from_str(svg, &options)
        .map_err(|e| format!("the cover's SVG does not parse: {e}"))?;
    let size = tree.size().to_int_size();
    let (width, height) = (size.width(), size.height());
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| format!("cannot allocate a {width} × {height} cover"))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    // Opaque by construction (a full-size background rectangle comes first),
    // so premultiplied RGBA is plain RGB: drop the alpha channel.
    let rgba = pixmap.data();
    let mut rgb = vec![0u8; rgba.len() / 4 * 3];
    for (out, px) in rgb.chunks_exact_mut(3).zip(rgba.chunks_exact(4)) {
        out.copy_from_slice(&px[..3]);
    }
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Default);
        encoder.set_filter(png::FilterType::Sub);
        let mut writer = encoder
            .write_header()
            .map_err(|e| format!("cannot encode the cover: {e}"))?;
        writer
            .write_image_data(&rgb)
            .map_err(|e| format!("cannot encode the cover: {e}"))?;
        writer
            .finish()
            .map_err(|e| format!("cannot encode the cover: {e}"))?;
    }
    Ok((bytes, width, height))
}
