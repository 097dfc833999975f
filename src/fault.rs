//! Fault injection for the integration tests, compiled into debug builds only
//! (release builds get empty functions). It lets `tests/` make the real binary
//! panic at a chosen pipeline stage, or write slowly, to test the panic
//! handler and the signal handling end to end:
//!
//! - `FOLIO_DEBUG_PANIC=<stage>` panics when [`crate::breadcrumb::enter`] is
//!   called with that stage (e.g. `parse`, `epub`, `pdf-layout`, `write`);
//! - `FOLIO_DEBUG_WRITE_DELAY_MS=<n>` sleeps after each artifact's bytes are
//!   written to its temporary file, before it is flushed and renamed.

/// Panics if `FOLIO_DEBUG_PANIC` names `stage` (debug builds only).
#[inline]
pub fn panic_point(stage: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("FOLIO_DEBUG_PANIC").is_ok_and(|s| s == stage) {
        panic!("injected panic at stage `{stage}` (FOLIO_DEBUG_PANIC)");
    }
    #[cfg(not(debug_assertions))]
    let _ = stage;
}

/// Sleeps `FOLIO_DEBUG_WRITE_DELAY_MS` milliseconds (debug builds only).
#[inline]
pub fn write_delay() {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("FOLIO_DEBUG_WRITE_DELAY_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}
