//! The `folio` command: parse arguments, run the library, print diagnostics,
//! exit with 0 (success), 1 (the book has errors) or 2 (usage).

fn main() -> std::process::ExitCode {
    folio::cli::main()
}
