//! What the four lock-based designs have in common: one trait and one
//! answer type.

use std::time::Duration;

use actors_core::{CounterStats, Design, Operation, OperationError, Tally};

use crate::sync::{AtomicU64, Ordering::Relaxed};

// ANCHOR: shared_counter
/// One counter that many threads can change at once through `&self`.
///
/// The actor designs give each counter an owner, and everyone else sends it
/// messages. The designs in this crate have no owner: every caller changes
/// the counter itself, on its own thread, and the type decides how callers
/// keep out of each other's way. The four implementations differ only in
/// that decision.
///
/// [`apply`](Self::apply) returns `()` on success, not the new value as
/// [`Tally::apply`](actors_core::Tally::apply) does, because the sharded
/// design does not know the counter's value without visiting every shard,
/// and an answer that costs that much should be asked for, not handed out.
pub trait SharedCounter: Send + Sync + 'static {
    /// Which of the six designs this counter is.
    const DESIGN: Design;

    /// A counter at zero that has seen no operation.
    fn new() -> Self
    where
        Self: Sized;

    /// Applies `op`, or counts it as rejected and says why.
    fn apply(&self, op: Operation) -> Result<(), OperationError>;

    /// The current value. In the first three designs it is one number, read
    /// at once, so it cannot tear. The sharded design adds its shards up one
    /// by one, so its value is no more a snapshot than its `snapshot` is.
    fn value(&self) -> i64;

    /// Value, operation count and rejection count. Whether the three belong
    /// to one moment depends on the design: see [`Snapshot`].
    fn snapshot(&self) -> Snapshot;
}
// ANCHOR_END: shared_counter

// ANCHOR: snapshot
/// A counter's three figures as one read returned them.
///
/// In the mutex and seqlock designs the three were true together at one
/// moment. In the naive and sharded designs each was read at a moment of its
/// own, so, while writers are busy, `value` may already include an operation
/// that `total_operations` does not count yet: the read *tore*.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// The counter's value.
    pub value: i64,
    /// Operations applied so far.
    pub total_operations: u64,
    /// Operations refused so far.
    pub rejected_operations: u64,
}
// ANCHOR_END: snapshot

impl Snapshot {
    /// The figures as [`CounterStats`], `elapsed` into the counter's life.
    ///
    /// The rate comes from [`CounterStats::from_figures`], the function that
    /// computes it for an actor's `Tally` too (a lifetime average, zero at
    /// time zero), so that the two families of design report the same thing.
    pub fn measure(self, elapsed: Duration) -> CounterStats {
        CounterStats::from_figures(
            self.value,
            self.total_operations,
            self.rejected_operations,
            elapsed,
        )
    }
}

/// A whole `Tally` is a snapshot that cannot tear: it was read as one value.
impl From<Tally> for Snapshot {
    fn from(tally: Tally) -> Self {
        Snapshot {
            value: tally.value(),
            total_operations: tally.total_operations(),
            rejected_operations: tally.rejected_operations(),
        }
    }
}

// ANCHOR: count_one
/// Adds one to an atomic count, stopping at `u64::MAX` rather than wrapping
/// to zero, as `Tally` does.
///
/// A plain `fetch_add` wraps, and a count that silently restarts from zero
/// is worse than one that stops. Nobody will reach `u64::MAX` in practice
/// (at one operation per nanosecond it takes 584 years), but the rule is
/// the same everywhere: no silent wrap. The price is a compare-and-swap loop
/// where `fetch_add` would be a single instruction: when two threads count
/// at the same moment, one of them tries again.
pub(crate) fn count_one(count: &AtomicU64) {
    // Refusing at `u64::MAX` is the saturation: the count stays there.
    let _ = count.fetch_update(Relaxed, Relaxed, |n| n.checked_add(1));
}
// ANCHOR_END: count_one
