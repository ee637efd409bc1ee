//! Your file for exercise 01. Write the two functions below.
//!
//! The graders in `tests/grade.rs` call them from two loom threads at once,
//! on one counter, and look at every interleaving. Run them with
//! `just exercise 1`. `increment_racy` in `src/lib.rs` shows what not to do.

use crate::{AtomicU64, CounterError};

// ANCHOR: task
/// Adds one to `counter` and returns the new value, or leaves the counter
/// alone and returns [`CounterError::Overflow`] if it is at `u64::MAX`.
///
/// Other threads call this on the same counter at the same time, and no
/// call may be lost: two calls from zero must leave the counter at two.
pub fn increment(counter: &AtomicU64) -> Result<u64, CounterError> {
    todo!("exercise 01: write `increment` in exercises/01-lost-update/src/starter.rs")
}

/// Takes one from `counter` and returns the new value, or leaves the
/// counter alone and returns [`CounterError::Underflow`] if it is at zero.
///
/// Two calls on a counter at one: one of them gets `Ok(0)`, the other the
/// error, and the counter ends at zero, never at `u64::MAX`.
pub fn decrement(counter: &AtomicU64) -> Result<u64, CounterError> {
    todo!("exercise 01: write `decrement` in exercises/01-lost-update/src/starter.rs")
}
// ANCHOR_END: task
