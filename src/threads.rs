//! Work spread over the machine's cores, shared by the stages and both
//! backends: one map whose results come back in the input's order, so the
//! output never depends on how many threads ran or how they were scheduled.

/// Maps `f` over `items` (with their indices) on up to four threads, in
/// contiguous chunks, returning the results in order. Inputs of fewer than
/// `min_per_thread` items per thread stay on the calling thread.
pub(crate) fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    min_per_thread: usize,
    f: impl Fn(usize, &T) -> R + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4)
        .min(items.len() / min_per_thread.max(1))
        .max(1);
    if threads == 1 {
        return items.iter().enumerate().map(|(i, t)| f(i, t)).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .enumerate()
            .map(|(c, part)| {
                scope.spawn(move || {
                    part.iter()
                        .enumerate()
                        .map(|(i, t)| f(c * chunk + i, t))
                        .collect::<Vec<R>>()
                })
            })
            .collect();
        join_all(handles).into_iter().flatten().collect()
    })
}

/// Joins scoped threads in order, their results in a vector; a thread's
/// panic goes on in the caller (it is a bug, reported as one by `main`).
pub(crate) fn join_all<R>(handles: Vec<std::thread::ScopedJoinHandle<'_, R>>) -> Vec<R> {
    handles
        .into_iter()
        .map(|h| {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_map_keeps_order() {
        let items: Vec<usize> = (0..1000).collect();
        let out = parallel_map(&items, 16, |i, &v| (i, v * 2));
        assert!(
            out.iter()
                .enumerate()
                .all(|(i, &(j, v))| i == j && v == 2 * i)
        );
        assert_eq!(parallel_map(&[7], 1, |i, &v| i + v), vec![7]);
        assert!(parallel_map(&[] as &[u8], 1, |_, _| 0).is_empty());
    }
}
