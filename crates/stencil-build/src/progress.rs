//! [`Progress`]: how far a run is, readable from another thread while it runs (the CLI's
//! progress display). The emitters report each type and operation they finish
//! (`emit::Sink::done`); the renderer's sink counts them here.
//!
//! Architecture invariant: imports nothing from the crate; counting costs one relaxed atomic
//! addition per type and per operation of each part.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The units of work of a run (each type of the `types` part, each operation of the `client`
/// and `server` parts) and how many are made, shared with whoever displays them.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    counts: Arc<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    total: AtomicUsize,
    done: AtomicUsize,
}

impl Progress {
    /// Nothing to do yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many types and operations the run makes, over every part (0 until emitting starts).
    pub fn total(&self) -> usize {
        self.counts.total.load(Ordering::Relaxed)
    }

    /// How many of them are made so far.
    pub fn done(&self) -> usize {
        self.counts.done.load(Ordering::Relaxed)
    }

    pub(crate) fn start(&self, total: usize) {
        self.counts.done.store(0, Ordering::Relaxed);
        self.counts.total.store(total, Ordering::Relaxed);
    }

    pub(crate) fn advance(&self) {
        self.counts.done.fetch_add(1, Ordering::Relaxed);
    }
}
