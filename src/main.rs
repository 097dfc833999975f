//! The `folio` command: parse arguments, run the library, print diagnostics,
//! exit with 0 (success), 1 (the book has errors), 2 (usage), 3 (internal
//! error) or 130/143 (interrupted); see `folio::main`.

fn main() -> std::process::ExitCode {
    folio::main()
}

/// mimalloc instead of the system allocator: layout makes millions of small,
/// short-lived allocations (glyph runs, line candidates), and glibc's malloc
/// spent a fifth of a long book's build in them (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
