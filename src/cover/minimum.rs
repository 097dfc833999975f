//! The minimum sizes stores take an author's cover at, as warnings in every
//! build (`folio check --store` judges the rest of each store's rules). Here
//! rather than in `store` because the cover stage raises them, and `store`
//! runs the whole pipeline.

use crate::ir::Asset;

/// A warning about an author's cover: what is wrong and what to do.
pub struct CoverWarning {
    /// Names the store and its number.
    pub message: String,
    /// What to do.
    pub help: String,
}

/// Warnings for an author's cover below KDP's or Google Play's documented
/// minimum size (see `store::rules` for the documents).
pub fn cover_warnings(asset: &Asset) -> Vec<CoverWarning> {
    let (w, h) = (asset.width, asset.height);
    if asset.media_type == "image/svg+xml" {
        return vec![CoverWarning {
            message: format!(
                "the cover `{}` is an SVG; stores take JPEG or PNG covers",
                asset.href
            ),
            help: "export the cover as a JPEG or PNG of 1,600 × 2,560 pixels".to_owned(),
        }];
    }
    let (short, long) = (w.min(h), w.max(h));
    let mut out = Vec::new();
    let mut below = |store: &str, needs: String| {
        out.push(CoverWarning {
            message: format!(
                "the cover `{}` is {w} × {h} pixels, below the {needs} {store} takes at least",
                asset.href
            ),
            help: "use a cover of 1,600 × 2,560 pixels (the size KDP recommends), or remove `cover` for folio's own".to_owned(),
        });
    };
    if short < 625 || long < 1000 {
        below("KDP", "625 × 1,000 pixels".to_owned());
    }
    if short < 640 {
        below("Google Play Books", "640 pixels a side".to_owned());
    }
    // IngramSpark's 1,600-pixel minimum is left to `check --store ingram`:
    // a cover fine for every other store would warn in every build.
    out
}

#[cfg(test)]
mod tests {
    use super::cover_warnings;
    use crate::ir::Asset;

    fn cover(media_type: &'static str, width: u32, height: u32) -> Asset {
        Asset {
            path: std::path::PathBuf::new(),
            href: "c.png".into(),
            media_type,
            width,
            height,
            ppi: None,
            bytes: std::sync::Arc::new(Vec::new()),
        }
    }

    #[test]
    fn covers_below_kdp_or_google_warn_with_the_store_and_its_number() {
        let messages = |a: &Asset| -> Vec<String> {
            cover_warnings(a).into_iter().map(|w| w.message).collect()
        };
        assert!(messages(&cover("image/png", 1600, 2560)).is_empty());
        assert!(messages(&cover("image/png", 640, 1024)).is_empty());
        assert_eq!(
            messages(&cover("image/png", 700, 990)),
            [
                "the cover `c.png` is 700 × 990 pixels, below the 625 × 1,000 pixels KDP takes at least"
            ]
        );
        assert_eq!(
            messages(&cover("image/jpeg", 600, 1200)),
            [
                "the cover `c.png` is 600 × 1200 pixels, below the 625 × 1,000 pixels KDP takes at least",
                "the cover `c.png` is 600 × 1200 pixels, below the 640 pixels a side Google Play Books takes at least",
            ]
        );
        assert!(messages(&cover("image/svg+xml", 1600, 2560))[0].contains("is an SVG"));
    }
}
