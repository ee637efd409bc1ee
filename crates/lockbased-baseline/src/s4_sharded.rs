//! Step 4: spread the writers out. Each thread writes its own shard; a read
//! adds the shards up.
//!
//! Steps 1 to 3 all have one place that every writer must change: a lock, a
//! sequence number, or at least the value's atomic. When many threads write
//! the same counter, they queue for that place. Sharding gives each thread
//! a place of its own. A counter becomes [`SHARDS`] cells; a writer changes
//! only its thread's cell, and the counter's value is the sum of the cells.
//!
//! Writers gain, and readers and the bounds pay:
//!
//! * A read visits every shard, one after another. It is not a snapshot:
//!   like step 2, it can pair a value with an operation count from another
//!   moment (`tests/loom.rs`, `sharded_snapshot_can_tear`).
//! * A shard cannot check the counter's overflow rule, because the rule is
//!   about the *sum*, and no shard sees the sum. Each shard therefore keeps
//!   to its share of the `i64` range, and the counter refuses earlier than
//!   the others do: see [`SHARD_MAX`].

// New: a plain std atomic that hands out shards (see `NEXT_SHARD`).
use std::sync::atomic::{AtomicUsize, Ordering as HintOrdering};

use actors_core::{Design, Operation, OperationError};

// New: back to step 2's `Relaxed` atomics and `count_one`; no sequence, no
// fences, because no read here claims to be a snapshot.
use crate::sync::{AtomicI64, AtomicU64, Ordering::Relaxed};
use crate::{SharedCounter, Snapshot, count_one};

// ANCHOR: bounds
// New: a range per shard, because no writer sees the sum.
/// How many shards each counter has.
///
/// Sixteen is more than the cores of a typical laptop or small server, so
/// two threads rarely share a shard, and it is small enough that a read (16
/// loads per figure) and the memory (16 × 128 bytes = 2 KiB per counter)
/// stay modest. More shards would shrink each shard's share of the range,
/// too: see [`SHARD_MAX`].
pub const SHARDS: usize = 16;

/// The largest value one shard may hold: its share of `i64::MAX`.
///
/// # Why a bound per shard
///
/// The other designs refuse an operation exactly when the counter's value
/// would leave `i64`. Here nobody knows the value at the moment of a write,
/// only the writer's own shard, and a global rule cannot be checked without
/// a global view. What a shard *can* promise is that the sum stays
/// representable whatever the other shards hold: if each of the sixteen
/// stays within a sixteenth of the range, so does their total. The price is
/// that a counter may refuse an increment that the other designs would
/// accept: a single thread reaches its shard's bound at `i64::MAX / 16`.
/// That is the cost of not having a global view, and the design owns it
/// (`one_shard_stops_at_its_share` in `tests/designs.rs`).
pub const SHARD_MAX: i64 = i64::MAX / SHARDS as i64;

/// The smallest value one shard may hold: its share of `i64::MIN`.
pub const SHARD_MIN: i64 = i64::MIN / SHARDS as i64;

// Checked by the compiler: sixteen shards at either bound still add up to an
// `i64`, so the sums in `value` and `snapshot` cannot overflow.
const _: () = {
    assert!(SHARD_MAX.checked_mul(SHARDS as i64).is_some());
    assert!(SHARD_MIN.checked_mul(SHARDS as i64).is_some());
};
// ANCHOR_END: bounds

// ANCHOR: shard
/// One thread's share of a counter, alone on its stretch of memory.
///
/// # Why `align(128)`: false sharing
///
/// Processors do not move single variables between their caches; they move
/// *cache lines*, blocks of 64 bytes on most current chips. Two shards in one
/// line would be shared in all but name: each write by one core takes the
/// line away from the other, and the two cores would pass the line back and
/// forth as if they were writing the same variable. Aligning each shard to
/// 128 bytes gives it a line of its own, and also keeps it clear of its
/// neighbour's line, because some processors fetch lines in pairs, and some
/// have 128-byte lines.
#[derive(Debug)]
#[repr(align(128))]
struct Shard {
    // New: step 2's three figures, one set per shard, each set on a cache
    // line of its own.
    /// This shard's part of the value, within `SHARD_MIN..=SHARD_MAX`.
    value: AtomicI64,
    /// Operations applied through this shard.
    total_operations: AtomicU64,
    /// Operations refused by this shard.
    rejected_operations: AtomicU64,
}
// ANCHOR_END: shard

// ANCHOR: pick
// New: which shard a thread writes to, drawn once per thread.
/// Hands out shard numbers round-robin, one per thread.
///
/// Only a hint for spreading threads out, so it is std's atomic even under
/// loom, and wrapping at `usize::MAX` is harmless: the modulo below still
/// gives a shard.
static NEXT_SHARD: AtomicUsize = AtomicUsize::new(0);

std::thread_local! {
    /// This thread's shard, drawn the first time the thread writes.
    static THIS_THREADS_SHARD: usize = NEXT_SHARD.fetch_add(1, HintOrdering::Relaxed) % SHARDS;
}

/// The shard that the calling thread writes to, in every sharded counter.
///
/// Threads draw shards in turn, so the first sixteen threads get sixteen
/// different shards. A tokio task writes to the shard of whichever worker
/// thread runs it at the time.
pub fn this_threads_shard() -> usize {
    THIS_THREADS_SHARD.with(|shard| *shard)
}
// ANCHOR_END: pick

/// A counter split into [`SHARDS`] cache-padded cells, summed on read.
#[derive(Debug)]
pub struct ShardedCounter {
    // New: an array of shards, where step 3 had one set of figures and a
    // sequence.
    /// One cell per shard; a thread writes only to its own.
    shards: [Shard; SHARDS],
}

impl SharedCounter for ShardedCounter {
    const DESIGN: Design = Design::Sharded;

    fn new() -> Self {
        // New: every shard at zero.
        ShardedCounter {
            shards: std::array::from_fn(|_| Shard {
                value: AtomicI64::new(0),
                total_operations: AtomicU64::new(0),
                rejected_operations: AtomicU64::new(0),
            }),
        }
    }

    // ANCHOR: apply
    /// Applies `op` to the calling thread's shard, if the shard stays within
    /// its share of the range.
    ///
    /// A refusal for leaving the share is an [`OperationError::Overflow`]
    /// whose `value` is the *shard's* value, the number the check was made
    /// against; the counter's value is not known here.
    fn apply(&self, op: Operation) -> Result<(), OperationError> {
        // New: this thread's shard, not the whole counter.
        let shard = &self.shards[this_threads_shard()];
        // New: no turn to take. Another thread may share this shard, so the
        // update is step 2's compare-and-swap loop; usually nobody interferes.
        let mut current = shard.value.load(Relaxed);
        loop {
            // New: the result must also stay within the shard's share.
            let next = op.apply_to(current).and_then(|next| {
                if (SHARD_MIN..=SHARD_MAX).contains(&next) {
                    Ok(next)
                } else {
                    Err(OperationError::Overflow { value: current, op })
                }
            });
            let next = match next {
                Ok(next) => next,
                Err(error) => {
                    count_one(&shard.rejected_operations);
                    return Err(error);
                }
            };
            match shard
                .value
                .compare_exchange_weak(current, next, Relaxed, Relaxed)
            {
                Ok(_) => break,
                Err(actual) => current = actual,
            }
        }
        count_one(&shard.total_operations);
        Ok(())
    }
    // ANCHOR_END: apply

    // ANCHOR: read
    fn value(&self) -> i64 {
        // New: a sum over the shards, where step 3 loaded one value.
        // Cannot overflow: every shard is within its share (see `SHARD_MAX`).
        self.shards
            .iter()
            .map(|shard| shard.value.load(Relaxed))
            .sum()
    }

    /// Visits the shards one by one, so each shard's figures, and each
    /// shard against the next, may come from different moments.
    fn snapshot(&self) -> Snapshot {
        // New: no sequence to check; the figures are summed shard by shard.
        self.shards
            .iter()
            .fold(Snapshot::default(), |total, shard| Snapshot {
                // Cannot overflow: every shard is within its share.
                value: total.value + shard.value.load(Relaxed),
                total_operations: total
                    .total_operations
                    .saturating_add(shard.total_operations.load(Relaxed)),
                rejected_operations: total
                    .rejected_operations
                    .saturating_add(shard.rejected_operations.load(Relaxed)),
            })
    }
    // ANCHOR_END: read
}
