//! The one place where the lock-based designs get their mutex and atomics.
//!
//! In a normal build these are std's. Under `RUSTFLAGS="--cfg loom"` they are
//! loom's look-alikes, which record every access so that loom can run a
//! small model under every interleaving the memory model allows (see
//! `tests/loom.rs`). Each design imports from here and from nowhere else, so
//! the code that loom checks is the code that ships, not a copy of it.
//!
//! Only the counters' insides swap. The round-robin shard hint of
//! `s4_sharded` and the closed flag of `system` stay std's: neither is part
//! of any model.

// ANCHOR: swap
#[cfg(not(loom))]
pub(crate) use std::{
    hint::spin_loop,
    sync::Mutex,
    sync::atomic::{AtomicI64, AtomicU64, Ordering, fence},
};

// Loom's `spin_loop` also yields to the other model threads: it tells loom
// that this thread waits for another. A wait loop made of loads alone would
// give loom an endless supply of schedules in which the waiter spins again,
// and the model would stop with "exceeded maximum number of branches".
#[cfg(loom)]
pub(crate) use loom::{
    hint::spin_loop,
    sync::Mutex,
    sync::atomic::{AtomicI64, AtomicU64, Ordering, fence},
};
// ANCHOR_END: swap
