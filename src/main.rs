//! The `folio` command: parse arguments, run the library, print diagnostics,
//! exit with 0 (success), 1 (the book has errors), 2 (usage), 3 (internal
//! error) or 130/143 (interrupted); see `folio::main`.

fn main() -> std::process::ExitCode {
    let watching = std::env::args_os().nth(1).is_some_and(|a| a == "watch");
    if !watching {
        return_freed_memory_while_building();
    }
    folio::main()
}

/// mimalloc 3 keeps freed memory for a second before it gives it back to
/// the OS (its `purge_delay`, 1,000 ms), and a build lasts about that long:
/// the layout's scratch and the worker threads' freed pages stayed
/// resident to the end, ~35 MiB of the 1× benchmark book's peak (249 →
/// 200 MiB, in no more time; BENCHMARKS.md, "Peak memory"). 10 ms is
/// mimalloc 2's default. `folio watch` keeps the default: it builds again
/// and again in one process, and there reusing the pages is cheaper than
/// asking the OS for them back. `MIMALLOC_PURGE_DELAY` still wins.
fn return_freed_memory_while_building() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: a plain option store, made before any other thread exists.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 10) };
    }
}

/// `mi_option_purge_delay` in mimalloc.h's `mi_option_e`: the crate names
/// no constant for it, and mimalloc keeps the numbering stable with
/// placeholders for retired options (the test below reads it back).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc instead of the system allocator: layout makes millions of small,
/// short-lived allocations (glyph runs, line candidates), and glibc's malloc
/// spent a fifth of a long book's build in them (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(test)]
mod tests {
    /// Option 15 is the purge delay: mimalloc 3 reads 1,000 ms for it by
    /// default, and no other option has that value. Fails if an upgrade of
    /// mimalloc renumbers its options.
    #[test]
    fn the_option_set_is_the_purge_delay() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: a plain option read.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }
}
