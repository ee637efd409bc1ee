//! Step 3: the fix. A snapshot that cannot tear, with no lock for readers.
//!
//! Step 2 tore because a reader could look between a writer's two stores.
//! The fix is a *sequence lock* (seqlock): one more atomic, a sequence
//! number that says whether a write is in progress and how many have
//! finished. A reader does not stop writers. It reads the sequence, the
//! figures, and the sequence again; if the sequence moved, a write
//! overlapped the read, and the reader throws its copy away and tries again.
//!
//! Every field is an atomic, so the whole thing is safe Rust: a reader that
//! races with a writer gets a mix of old and new numbers, never a broken one,
//! and the sequence check tells it to throw that mix away. (Over plain
//! fields, the same race would be a data race, which is undefined behaviour
//! even if the torn copy is thrown away; this crate forbids `unsafe` anyway.)
//!
//! `tests/loom.rs` (`fixed_snapshot_never_tears`) runs two writers and a
//! reader under every interleaving loom generates with one preemption, and
//! finds no torn read.

use actors_core::{Design, Operation, OperationError};

// New: Acquire and Release, fences and a spin hint, where step 2 had only
// `Relaxed`; and no `count_one`, because a writer has the counts to itself.
use crate::sync::{
    AtomicI64, AtomicU64,
    Ordering::{Acquire, Relaxed, Release},
    fence, spin_loop,
};
use crate::{SharedCounter, Snapshot};

// ANCHOR: counter
/// The three figures behind a sequence number: writers take turns, readers
/// retry.
///
/// # Why not one atomic word
///
/// If the three figures fitted in one atomic, a single load would read them
/// together and no protocol would be needed. They do not: an `i64` and two
/// `u64`s are 192 bits, and the widest atomic that stable Rust offers is 64
/// bits (128-bit compare-and-swap exists on some processors, but not as a
/// stable `std` type, and 128 bits would still be too few).
///
/// # What it costs
///
/// * Writers take turns. An odd sequence number is a spin lock: a writer
///   that finds it odd waits, burning its time slice, until the writer
///   inside finishes. So this design does not let writers run side by side
///   any more than the mutex does; it frees the *readers*.
/// * A reader never blocks a writer, but under a constant stream of writes a
///   reader may have to retry, in theory without end.
#[derive(Debug)]
pub struct AtomicCounter {
    // New: one more atomic, which says whether a write is in progress.
    /// Even: no write in progress. Odd: a writer is between its first and
    /// last store. Grows by two per write.
    sequence: AtomicU64,
    /// The value. Written only by the writer that made `sequence` odd.
    value: AtomicI64,
    /// Operations applied. Written only by the writer that made `sequence` odd.
    total_operations: AtomicU64,
    /// Operations refused. Written only by the writer that made `sequence` odd.
    rejected_operations: AtomicU64,
}
// ANCHOR_END: counter

// ANCHOR: write
// New: the whole protocol. A writer takes the turn (odd) and hands it back
// (even); step 2 had no turns at all.
impl AtomicCounter {
    /// Waits for the sequence to be even, then makes it odd: from here on
    /// this thread is the only writer. Returns the odd number it stored.
    fn begin_write(&self) -> u64 {
        loop {
            let seen = self.sequence.load(Relaxed);
            // Odd: another writer holds the turn. Taking it from an odd
            // number would make it even, and publish a half-done write.
            if seen % 2 == 0
                && self
                    .sequence
                    // Acquire pairs with the Release in `end_write`: the
                    // previous writer's stores are visible to this one, so
                    // it continues from the figures that writer left.
                    .compare_exchange_weak(seen, seen + 1, Acquire, Relaxed)
                    .is_ok()
            {
                // Release fence, paired with the Acquire fence in
                // `snapshot`: a reader that sees any store this writer
                // makes from here on also sees the odd sequence above, and
                // so knows to retry.
                fence(Release);
                return seen + 1;
            }
            spin_loop();
        }
    }

    /// Makes the sequence even again, which publishes the write.
    fn end_write(&self, odd: u64) {
        // Release, paired with the Acquire load in `snapshot` and the
        // Acquire in `begin_write`: everything this writer stored is visible
        // to whoever reads this new sequence number.
        //
        // Wrapping is deliberate and harmless: the number only has to
        // change on every write and stay even when idle, and it takes 2^63
        // writes to come round.
        self.sequence.store(odd.wrapping_add(1), Release);
    }
}
// ANCHOR_END: write

impl SharedCounter for AtomicCounter {
    const DESIGN: Design = Design::Atomic;

    fn new() -> Self {
        AtomicCounter {
            // New: even, so no write is in progress.
            sequence: AtomicU64::new(0),
            value: AtomicI64::new(0),
            total_operations: AtomicU64::new(0),
            rejected_operations: AtomicU64::new(0),
        }
    }

    // ANCHOR: apply
    fn apply(&self, op: Operation) -> Result<(), OperationError> {
        // New: take the turn first, and hand it back at the end.
        let odd = self.begin_write();
        // New: the only writer, so plain loads and stores, as if under a
        // lock, replace step 2's compare-and-swap loop and `count_one`.
        let outcome = op.apply_to(self.value.load(Relaxed));
        match outcome {
            Ok(next) => {
                self.value.store(next, Relaxed);
                let applied = self.total_operations.load(Relaxed);
                self.total_operations
                    .store(applied.saturating_add(1), Relaxed);
            }
            Err(_) => {
                let rejected = self.rejected_operations.load(Relaxed);
                self.rejected_operations
                    .store(rejected.saturating_add(1), Relaxed);
            }
        }
        self.end_write(odd);
        outcome.map(|_| ())
    }
    // ANCHOR_END: apply

    /// One field cannot tear, so the value needs no sequence check.
    fn value(&self) -> i64 {
        self.value.load(Relaxed)
    }

    // ANCHOR: read
    fn snapshot(&self) -> Snapshot {
        // New: step 2's three loads, between two loads of the sequence, and
        // again from the top if a write overlapped them.
        loop {
            // Acquire, paired with the Release in `end_write`: the figures
            // are at least as new as the write that stored `before`.
            let before = self.sequence.load(Acquire);
            if before % 2 == 0 {
                let snapshot = Snapshot {
                    value: self.value.load(Relaxed),
                    total_operations: self.total_operations.load(Relaxed),
                    rejected_operations: self.rejected_operations.load(Relaxed),
                };
                // Acquire fence, paired with the Release fence in
                // `begin_write`: if any load above saw a store from a later
                // writer, that writer's odd sequence is visible below.
                fence(Acquire);
                if self.sequence.load(Relaxed) == before {
                    // No write began since `before` was published, so the
                    // three figures are exactly that write's.
                    return snapshot;
                }
            }
            spin_loop();
        }
    }
    // ANCHOR_END: read
}
