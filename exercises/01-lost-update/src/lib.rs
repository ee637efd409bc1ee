//! # Exercise 01: the lost update
//!
//! Two threads add one to the same counter, and the counter ends at one.
//! This exercise is about why that happens and how to write an increment
//! that cannot lose an update, or wrap around, however the threads
//! interleave. It belongs to the chapter "Why shared state hurts"
//! (`docs/why-shared-state.md`); the task page is
//! `docs/exercises/01-lost-update.md`.
//!
//! The given code is [`increment_racy`]: a load, a check, a store. Each
//! step is atomic and the whole is not. Your task is [`increment`] and
//! [`decrement`], in `src/starter.rs`.
//!
//! # Only inside loom
//!
//! The counter is [`loom`]'s `AtomicU64`, not std's, in every build, so
//! that the graders run under a plain `cargo test` with no extra flags.
//! Loom's atomics only work inside `loom::model`, which runs a small
//! program once for every way its threads can interleave. Calling these
//! functions anywhere else panics. This is a crate for learning, not for
//! use.
//!
//! # Grading
//!
//! ```text
//! just exercise 1     # cargo test -p exercise-01-lost-update --features starter
//! ```
//!
//! grades `src/starter.rs` with `tests/grade.rs`. Without the feature, the
//! same graders run against the reference solution, which is how the
//! workspace's own tests know that every grader can pass.

use loom::sync::atomic::Ordering::Relaxed;

/// The counter's type: loom's stand-in for `std::sync::atomic::AtomicU64`.
///
/// It has the same methods as std's, and it lets loom stop the thread
/// before and after each of them to run another thread instead.
pub use loom::sync::atomic::AtomicU64;

// ANCHOR: error
/// Why the counter refused to change: the change would have wrapped
/// around.
///
/// A `u64` cannot go below zero or above `u64::MAX`. Plain `+ 1` on a
/// `u64` panics in a debug build and silently wraps in a release build;
/// `fetch_add` and `fetch_sub` wrap in both. Neither is what a caller
/// wants to learn about a seat count or a stock level, so the counter
/// refuses instead and says why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CounterError {
    /// The counter is at `u64::MAX`; one more would wrap to zero.
    #[error("the counter is at u64::MAX and cannot count higher")]
    Overflow,
    /// The counter is at zero; one less would wrap to `u64::MAX`.
    #[error("the counter is at zero and cannot count lower")]
    Underflow,
}
// ANCHOR_END: error

// ANCHOR: racy
/// The increment as it is first written: read the value, check it, write
/// back one more. Returns the new value.
///
/// Every step is atomic, and the increment still is not. Another thread
/// can load the same value between this thread's load and its store; then
/// both store the same sum, and one of the two increments is lost. The
/// check has the same hole: it approves a value that may be stale by the
/// time the store lands.
pub fn increment_racy(counter: &AtomicU64) -> Result<u64, CounterError> {
    let value = counter.load(Relaxed);
    let next = value.checked_add(1).ok_or(CounterError::Overflow)?;
    // The gap: whatever another thread stores from here on is overwritten.
    counter.store(next, Relaxed);
    Ok(next)
}
// ANCHOR_END: racy

#[cfg(not(feature = "starter"))]
mod solution;
#[cfg(not(feature = "starter"))]
pub use solution::*;

// The starter's parameters stay unused until the student writes the bodies.
#[cfg(feature = "starter")]
#[allow(unused_variables)]
mod starter;
#[cfg(feature = "starter")]
pub use starter::*;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::{Arc as StdArc, Mutex as StdMutex, PoisonError};

    use loom::sync::Arc;
    use loom::thread;

    use super::*;

    /// The given `increment_racy` loses an update: over every
    /// interleaving of two calls from zero, the counter sometimes ends at
    /// one. (The graders hold the task to the opposite.)
    #[test]
    fn the_racy_increment_loses_updates() {
        let finals = StdArc::new(StdMutex::new(BTreeSet::new()));
        let seen = StdArc::clone(&finals);
        let mut builder = loom::model::Builder::new();
        // One preemption: stop a thread between its load and its store.
        builder.preemption_bound = Some(1);
        builder.check(move || {
            let counter = Arc::new(AtomicU64::new(0));
            let other = thread::spawn({
                let counter = Arc::clone(&counter);
                move || increment_racy(&counter)
            });
            increment_racy(&counter).expect("1 fits in a u64");
            other.join().expect("no panic").expect("2 fits in a u64");
            seen.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(counter.load(Relaxed));
        });
        let finals = finals.lock().unwrap_or_else(PoisonError::into_inner);
        assert_eq!(*finals, BTreeSet::from([1, 2]));
    }
}
