//! SIGINT and SIGTERM during a build: the temporary files being written are
//! removed and folio exits with 130 or 143 (128 + the signal), leaving every
//! previous artifact as it was. `tempfile` removes its files on drop, but a
//! signal's default action skips destructors, hence this handler.
//!
//! SIGXFSZ (a write over `ulimit -f`) is ignored, so the write fails with
//! EFBIG and is reported like a full disk instead of killing the process.

use signal_hook::consts::{SIGINT, SIGTERM, SIGXFSZ};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// Installs the handlers; a thread waits for the signals. Call once, early,
/// from the binary (a library must not take over its host's signals).
pub fn install() {
    // A handler that only sets a flag: the signal no longer kills.
    let _ = signal_hook::flag::register(SIGXFSZ, Arc::new(AtomicBool::new(false)));
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("folio-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Held until exit: no temporary file can be created meanwhile.
                let _writes = crate::output::abandon_writes();
                let name = if signal == SIGINT { "SIGINT" } else { "SIGTERM" };
                eprintln!(
                    "folio: interrupted ({name}); nothing was written, previous files were left as they were"
                );
                std::process::exit(128 + signal);
            }
        });
}
