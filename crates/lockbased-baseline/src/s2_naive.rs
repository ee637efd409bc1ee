//! Step 2: one atomic per figure. Exact totals, torn snapshots.
//!
//! The mutex of step 1 makes every caller wait for every other. The obvious
//! next step is to drop the lock and make each figure an atomic of its own.
//! Each figure then stays exact: no increment is lost and no overflow gets
//! through. What is lost is the link *between* the figures. A reader that
//! loads them one by one can get a value from after an operation and an
//! operation count from before it, or, since nothing orders the loads, the
//! other way round.
//!
//! This design is wrong for statistics and it stays in the crate on purpose:
//! `tests/loom.rs` (`naive_snapshot_can_tear`) finds the schedules that tear
//! it, and step 3 is the fix.

use actors_core::{Design, Operation, OperationError};

// New: atomics, where step 1 took a mutex.
use crate::sync::{AtomicI64, AtomicU64, Ordering::Relaxed};
use crate::{SharedCounter, Snapshot, count_one};

// ANCHOR: struct
/// Three independent atomics: value, operation count, rejection count.
///
/// Every access is `Relaxed`. All the changes to *one* atomic form a single
/// order that every thread agrees on, whatever the ordering argument, and
/// that is all exact totals need. `Relaxed` promises nothing about how two
/// *different* atomics relate, and this design has nothing else to offer:
/// see [`snapshot`](SharedCounter::snapshot).
#[derive(Debug)]
pub struct NaiveAtomicCounter {
    // New: three atomics of their own, where step 1 locked one `Tally`.
    /// The value. Changed only by a compare-and-swap that checked the result.
    value: AtomicI64,
    /// Operations applied, bumped *after* the value changed.
    total_operations: AtomicU64,
    /// Operations refused.
    rejected_operations: AtomicU64,
}

// ANCHOR_END: struct

impl SharedCounter for NaiveAtomicCounter {
    const DESIGN: Design = Design::AtomicNaive;

    fn new() -> Self {
        // New: three atomics at zero, not a locked `Tally::default()`.
        NaiveAtomicCounter {
            value: AtomicI64::new(0),
            total_operations: AtomicU64::new(0),
            rejected_operations: AtomicU64::new(0),
        }
    }

    // ANCHOR: apply
    fn apply(&self, op: Operation) -> Result<(), OperationError> {
        // New: no lock to take, so the value changes by compare-and-swap.
        // A plain `fetch_add` could not refuse an overflow: it would wrap.
        // Instead: read, check with the shared rules, and store only if
        // nobody changed the value in between; otherwise check again against
        // the value that won.
        let mut current = self.value.load(Relaxed);
        loop {
            let next = match op.apply_to(current) {
                Ok(next) => next,
                Err(error) => {
                    // New: each count is an atomic, bumped on its own.
                    count_one(&self.rejected_operations);
                    return Err(error);
                }
            };
            match self
                .value
                .compare_exchange_weak(current, next, Relaxed, Relaxed)
            {
                Ok(_) => break,
                Err(actual) => current = actual,
            }
        }
        // The gap: the value has changed and the count has not, and any
        // reader that looks now sees exactly that.
        count_one(&self.total_operations);
        Ok(())
    }
    // ANCHOR_END: apply

    fn value(&self) -> i64 {
        // New: one load, and no lock to wait for.
        self.value.load(Relaxed)
    }

    // ANCHOR: snapshot
    /// Three loads, three moments. Correct for each figure, wrong for the
    /// three together, for two reasons. A writer may run between the loads,
    /// or be halfway through an operation during all of them. And even a
    /// writer that has finished may be seen in part: `Relaxed` loads of two
    /// atomics may each return an older or a newer value, independently.
    fn snapshot(&self) -> Snapshot {
        // New: three separate loads, where step 1 copied the `Tally` under
        // the lock.
        Snapshot {
            value: self.value.load(Relaxed),
            total_operations: self.total_operations.load(Relaxed),
            rejected_operations: self.rejected_operations.load(Relaxed),
        }
    }
    // ANCHOR_END: snapshot
}
