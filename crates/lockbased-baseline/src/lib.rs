//! # lockbased-baseline: the same counters with locks
//!
//! This crate stands beside the actor crates, not in their line:
//!
//! ```text
//! actors-core  <-  counter  <-  aggregator  <-  demo  <-  bench
//!      ^                                          |
//!      +-------  lockbased-baseline  <------------+
//! ```
//!
//! It depends on `actors-core` alone, never on ractor, so that a
//! comparison with the actors compares designs and nothing else. Its four
//! designs are four steps, each a whole file that reads without the others,
//! with `// New:` on the lines that differ from the step before:
//!
//! 1. [`s1_mutex`]: a `std::sync::Mutex` around each counter's `Tally`.
//! 2. [`s2_naive`]: one atomic per figure; a read of all three can *tear*.
//! 3. [`s3_snapshot`]: the fix, a sequence lock. Readers never block and
//!    never tear; writers take turns.
//! 4. [`s4_sharded`]: a cell per thread, summed on read.
//!
//! All four implement [`SharedCounter`]; [`LockedSystem`] puts any of them
//! behind the `actors_core::CounterSystem` contract, with [`sum`] as its
//! aggregator. Under `RUSTFLAGS="--cfg loom"`, `src/sync.rs` swaps in
//! [loom](https://docs.rs/loom)'s atomics and `tests/loom.rs` checks the
//! claims about tearing. The book's chapter "The same counters with locks"
//! (`docs/locks.md` and the pages after it) walks through this crate.

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
