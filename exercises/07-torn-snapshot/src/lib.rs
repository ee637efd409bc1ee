//! # Exercise 07: the torn snapshot
//!
//! A counter keeps two figures, its value and the number of operations that
//! made it, in two atomics. Each figure is always right; the pair is not. A
//! reader that loads them one after the other can get a value that counts an
//! operation next to a count that does not. This exercise is about reading
//! several figures as one: your [`Counter::snapshot`] must only ever return
//! a pair that was true at some moment.
//!
//! It belongs to the chapter "The same counters with locks, and loom"
//! (`docs/locks.md`), where `lockbased-baseline`'s step 2 (`s2_naive.rs`)
//! tears the same way and step 3 (`s3_snapshot.rs`) is one way out. The
//! task page is `docs/exercises/07-torn-snapshot.md`.
//!
//! The given code is [`Snapshot`] and [`CounterError`]. The counter itself
//! is yours, in `src/starter.rs`: it starts as the naive design, and you may
//! change its fields and its [`add`](Counter::add) as much as the fix needs.
//!
//! # Only inside loom
//!
//! The counter is built from [`loom`]'s atomics, not std's, in every build,
//! so that the graders run under a plain `cargo test` with no extra flags.
//! Loom's types only work inside `loom::model`, which runs a small program
//! once for every way its threads can interleave. Using the counter
//! anywhere else panics. This is a crate for learning, not for use.
//!
//! # Grading
//!
//! ```text
//! just exercise 7     # cargo test -p exercise-07-torn-snapshot --features starter
//! ```
//!
//! grades `src/starter.rs` with `tests/grade.rs`. Without the feature, the
//! same graders run against the reference solution, which is how the
//! workspace's own tests know that every grader can pass.

// ANCHOR: snapshot
/// Both figures of a counter, as they were at one moment.
///
/// Every operation adds at least one to the value and one to the count, so
/// a snapshot whose `operations` is larger than its `value` cannot be true
/// of any moment: it is torn. (A torn snapshot can also look harmless;
/// only knowing what the writers did can tell.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Snapshot {
    /// The sum of the amounts of every operation applied.
    pub value: u32,
    /// How many operations were applied.
    pub operations: u32,
}
// ANCHOR_END: snapshot

/// Why the counter refused an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CounterError {
    /// The value would pass `u32::MAX`. The counter is left as it was: no
    /// wrap, and the refused operation is not counted.
    #[error("the amount would take the value past u32::MAX")]
    Overflow,
}

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
