//! Progress of a build, reported by the library and drawn (or not) by the
//! front end: the library never decides whether a terminal is attached.

/// Receives progress while a book builds.
pub trait Progress: Send + Sync {
    /// A new stage, or news within one ("laid out 312 pages").
    fn step(&self, message: &str);
}

/// Progress nobody watches.
pub struct Silent;

impl Progress for Silent {
    fn step(&self, _: &str) {}
}
