//! Font files for the `font` target: a real font (JetBrains Mono, the
//! smallest built-in) with some tables replaced by arbitrary or damaged
//! bytes, a character map of arbitrary format-12 groups, or bytes alone.

use arbitrary::{Result, Unstructured};

const BASE: &[u8] = include_bytes!("../../fonts/jetbrains-mono/JetBrainsMono-Regular.ttf");

const TAGS: &[&[u8; 4]] = &[
    b"cmap", b"GSUB", b"GPOS", b"GDEF", b"kern", b"glyf", b"loca", b"head", b"hhea", b"hmtx",
    b"maxp", b"name", b"OS/2", b"post",
];

/// The bytes of table `tag` in `font`, if any.
fn table<'f>(font: &'f [u8], tag: &[u8; 4]) -> Option<&'f [u8]> {
    let n = usize::from(u16::from_be_bytes([font[4], font[5]]));
    (0..n).find_map(|i| {
        let r = 12 + i * 16;
        (&font[r..r + 4] == tag).then(|| {
            let off = u32::from_be_bytes(font[r + 8..r + 12].try_into().ok()?) as usize;
            let len = u32::from_be_bytes(font[r + 12..r + 16].try_into().ok()?) as usize;
            font.get(off..off + len)
        })?
    })
}

/// `font` with table `tag` replaced by `data` (appended, directory updated).
pub fn with_table(font: &[u8], tag: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = font.to_vec();
    while out.len() % 4 != 0 {
        out.push(0);
    }
    let offset = out.len() as u32;
    out.extend_from_slice(data);
    let n = usize::from(u16::from_be_bytes([font[4], font[5]]));
    for i in 0..n {
        let r = 12 + i * 16;
        if &out[r..r + 4] == tag {
            out[r + 8..r + 12].copy_from_slice(&offset.to_be_bytes());
            out[r + 12..r + 16].copy_from_slice(&(data.len() as u32).to_be_bytes());
        }
    }
    out
}

fn code_point(u: &mut Unstructured<'_>) -> Result<u32> {
    Ok(match u.int_in_range(0..=4)? {
        0 => 0xFFFF_FFFF,
        1 => 0x10_FFFF,
        2 => 0x20,
        3 => u.int_in_range(0..=0x2FFFF)?,
        _ => u.arbitrary()?,
    })
}

/// A font to load.
pub fn font(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    Ok(match u.int_in_range(0..=5)? {
        0 => u.arbitrary::<Vec<u8>>()?,
        1 => {
            // A character map of arbitrary format-12 (or 13) groups.
            let format: u16 = if u.arbitrary()? { 12 } else { 13 };
            let records: u16 = u.int_in_range(1..=80)?;
            let groups = u.int_in_range(0..=20)?;
            let mut t = Vec::new();
            t.extend(0u16.to_be_bytes());
            t.extend(records.to_be_bytes());
            for _ in 0..records {
                t.extend(3u16.to_be_bytes());
                t.extend(10u16.to_be_bytes());
                t.extend((4 + 8 * u32::from(records)).to_be_bytes());
            }
            t.extend(format.to_be_bytes());
            t.extend(0u16.to_be_bytes());
            t.extend((16 + 12 * groups as u32).to_be_bytes());
            t.extend(0u32.to_be_bytes());
            let claimed: u32 = if u.ratio(1, 8)? {
                u.arbitrary()?
            } else {
                groups as u32
            };
            t.extend(claimed.to_be_bytes());
            for _ in 0..groups {
                let start = code_point(u)?;
                t.extend(start.to_be_bytes());
                t.extend(code_point(u)?.to_be_bytes());
                t.extend(u.int_in_range(0u32..=70_000)?.to_be_bytes());
            }
            with_table(BASE, b"cmap", &t)
        }
        _ => {
            // One to three tables damaged: replaced by bytes, or flipped.
            let mut font = BASE.to_vec();
            for _ in 0..u.int_in_range(1..=3)? {
                let tag = *u.choose(TAGS)?;
                let data = if u.arbitrary()? {
                    u.arbitrary::<Vec<u8>>()?
                } else {
                    let mut t = table(&font, tag).map(<[u8]>::to_vec).unwrap_or_default();
                    for _ in 0..u.int_in_range(1..=16)? {
                        if t.is_empty() {
                            break;
                        }
                        let at = u.int_in_range(0..=t.len() - 1)?;
                        t[at] = u.arbitrary()?;
                    }
                    let keep = u.int_in_range(0..=t.len())?;
                    t.truncate(keep.max(t.len() / 2));
                    t
                };
                font = with_table(&font, tag, &data);
            }
            font
        }
    })
}
