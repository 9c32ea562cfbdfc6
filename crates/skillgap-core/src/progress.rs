//! A way for long jobs (parsing, loading) to report progress without knowing who is watching.

/// Receives progress of a long job; the CLI draws bars, tests and servers ignore it.
pub trait Progress: Send + Sync {
    /// A new step begins with `total` units of work (0 when unknown).
    fn begin(&self, step: &str, total: u64);
    /// `n` more units of the current step are done.
    fn advance(&self, n: u64);
    /// The current step is finished.
    fn end(&self);
}

/// Progress that goes nowhere.
#[derive(Debug, Default, Clone, Copy)]
pub struct SilentProgress;

impl Progress for SilentProgress {
    fn begin(&self, _step: &str, _total: u64) {}
    fn advance(&self, _n: u64) {}
    fn end(&self) {}
}
