//! The Knuth–Plass line breaker on arbitrary paragraphs and measures
//! (NaN, infinities, negative widths, forced and forbidden breaks): no panic,
//! breaks in order and inside the paragraph.
#![no_main]
use arbitrary::{Arbitrary, Unstructured};
use folio::pdf::layout::linebreak::{
    FIL, INFINITE_PENALTY, Item, Params, break_lines, finish_paragraph, greedy, lines,
};
use libfuzzer_sys::fuzz_target;

fn dimension(u: &mut Unstructured<'_>) -> arbitrary::Result<f32> {
    Ok(match u.int_in_range(0..=9)? {
        0 => f32::arbitrary(u)?,
        1 => 0.0,
        2 => FIL,
        3 => -1.0,
        _ => f32::from(u.int_in_range(0..=600u16)?) / 10.0,
    })
}

fn penalty(u: &mut Unstructured<'_>) -> arbitrary::Result<f32> {
    Ok(match u.int_in_range(0..=6)? {
        0 => f32::arbitrary(u)?,
        1 => INFINITE_PENALTY,
        2 => -INFINITE_PENALTY,
        _ => f32::from(u.int_in_range(0..=400u16)?) - 200.0,
    })
}

fn input(u: &mut Unstructured<'_>) -> arbitrary::Result<(Vec<Item>, Params)> {
    let mut params = Params::new(dimension(u)?);
    params.line_widths = (0..u.int_in_range(0..=4)?)
        .map(|_| dimension(u))
        .collect::<arbitrary::Result<_>>()?;
    params.tolerance = dimension(u)?;
    params.line_penalty = penalty(u)?;
    params.double_hyphen_demerits = penalty(u)?;
    params.final_hyphen_demerits = penalty(u)?;
    params.adjacent_fitness_demerits = penalty(u)?;
    params.max_consecutive_hyphens = u.int_in_range(0..=4)?;
    params.emergency_stretch = dimension(u)?;
    params.looseness = u.int_in_range(-3..=3)?;
    let mut items = Vec::new();
    while !u.is_empty() && items.len() < 4000 {
        items.push(match u.int_in_range(0..=2)? {
            0 => Item::boxed(dimension(u)?),
            1 => Item::glue(dimension(u)?, dimension(u)?, dimension(u)?),
            _ => Item::penalty(dimension(u)?, penalty(u)?, bool::arbitrary(u)?),
        });
    }
    if u.arbitrary().unwrap_or(true) {
        finish_paragraph(&mut items);
    }
    Ok((items, params))
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok((items, params)) = input(&mut u) else {
        return;
    };
    for breaks in [break_lines(&items, &params), greedy(&items, &params)] {
        let mut last = None;
        for b in &breaks.breaks {
            assert!(b.index <= items.len(), "break past the end");
            assert!(last.is_none_or(|l| b.index > l), "breaks out of order");
            assert!(!b.ratio.is_nan(), "NaN ratio");
            last = Some(b.index);
        }
        for range in lines(&items, &breaks) {
            assert!(range.start <= range.end && range.end <= items.len());
        }
    }
});
