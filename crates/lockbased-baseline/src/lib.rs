//! # lockbased-baseline: the same counters with locks
//!
//! This crate stands beside the actor crates, not in their line:
//!
//! ```text
//! actors-core  <-  counter  <-  aggregator  <-  demo
//!      ^                                          |
//!      +-------  lockbased-baseline  <------------+
//! ```
//!
//! It depends on `actors-core` alone (no ractor, no tokio), so that a
//! comparison with the actors compares designs and nothing else. It builds
//! the same counters the way most programs would without actors: shared
//! memory that every thread changes in place, guarded by a lock or by
//! atomics. The four designs are four steps, each in a file of its own that
//! reads without the others:
//!
//! 1. [`s1_mutex`]: a `std::sync::Mutex` around each counter's `Tally`.
//!    Simple and exact.
//! 2. [`s2_naive`]: one atomic per figure. Exact totals, but a read of all
//!    three figures can *tear*: the value from after an operation, the
//!    count from before it.
//! 3. [`s3_snapshot`]: the fix, a sequence lock. Readers never block and
//!    never tear; writers take turns.
//! 4. [`s4_sharded`]: a cell per thread, summed on read. Writers stop
//!    meeting each other, readers pay for it, and each cell may only use its
//!    share of the `i64` range.
//!
//! All four implement [`SharedCounter`], and [`LockedSystem`] puts any of
//! them behind the `actors_core::CounterSystem` contract, with [`sum`] as
//! its aggregator.
//!
//! The claims about tearing are not argued, they are checked: under
//! `RUSTFLAGS="--cfg loom"`, [`loom`](https://docs.rs/loom) replaces std's
//! atomics and mutex (see `src/sync.rs`) and `tests/loom.rs` runs each
//! design under the interleavings loom generates.
//!
//! The book walks through this crate in "The same counters with locks"
//! (`docs/locks.md`), and through its loom models in "Every interleaving,
//! with loom" (`docs/loom.md`).

pub mod s1_mutex;
pub mod s2_naive;
pub mod s3_snapshot;
pub mod s4_sharded;
mod shared;
mod sync;
mod system;

pub use s1_mutex::MutexCounter;
pub use s2_naive::NaiveAtomicCounter;
pub use s3_snapshot::AtomicCounter;
pub use s4_sharded::{SHARD_MAX, SHARD_MIN, SHARDS, ShardedCounter, this_threads_shard};
pub(crate) use shared::count_one;
pub use shared::{SharedCounter, Snapshot};
pub use system::{AtomicSystem, LockedSystem, MutexSystem, NaiveAtomicSystem, ShardedSystem, sum};
