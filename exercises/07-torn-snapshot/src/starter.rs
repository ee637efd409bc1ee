//! Your file for exercise 07. Make [`Counter::snapshot`] return a pair that
//! was true at one moment, whatever the writers are doing.
//!
//! The counter below is the naive design, two atomics side by side, and
//! [`Counter::add`] works. Reading its two atomics one after the other
//! cannot give a true pair, however you order the loads: the fix needs
//! [`Counter::add`] and the fields to change as well. Change anything in
//! this file, but keep the three public names and their signatures: the
//! graders in `tests/grade.rs` use them. Run them with `just exercise 7`.
//!
//! Everything here runs inside a loom model: take atomics, locks and
//! `spin_loop` from `loom`, not from `std`.

// ANCHOR: task
use std::num::NonZeroU32;

use loom::sync::atomic::{AtomicU32, Ordering::Relaxed};

use crate::{CounterError, Snapshot};

/// A value and the number of operations that made it, shared by threads.
///
/// `Default` gives the empty counter: value 0, no operations.
#[derive(Debug, Default)]
pub struct Counter {
    /// The sum of every amount added.
    value: AtomicU32,
    /// How many adds succeeded. Bumped just *after* the value changed.
    operations: AtomicU32,
}

impl Counter {
    /// Adds `amount` to the value and counts one operation, or changes
    /// nothing and returns [`CounterError::Overflow`] if the value would
    /// pass `u32::MAX`.
    pub fn add(&self, amount: NonZeroU32) -> Result<(), CounterError> {
        // A compare-and-swap loop that refuses to wrap.
        self.value
            .fetch_update(Relaxed, Relaxed, |value| value.checked_add(amount.get()))
            .map_err(|_| CounterError::Overflow)?;
        // The gap: the value counts this operation and `operations` does not
        // yet. Every amount is at least one, so there are never more
        // operations than the value, and this cannot pass `u32::MAX`.
        self.operations.fetch_add(1, Relaxed);
        Ok(())
    }

    /// Both figures as they were at one moment, while other threads may be
    /// calling [`add`](Counter::add).
    pub fn snapshot(&self) -> Snapshot {
        todo!("exercise 07: write `snapshot` in exercises/07-torn-snapshot/src/starter.rs")
    }
}
// ANCHOR_END: task
