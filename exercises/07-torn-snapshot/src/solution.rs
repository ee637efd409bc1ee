//! The reference solution of exercise 07. Do not read it before you have
//! tried `src/starter.rs`.
//!
//! Two figures of 32 bits fit in one atomic word of 64, and one atomic
//! word cannot tear: a load reads all of it as it was at one moment, and a
//! compare-and-swap replaces all of it at once. So the fix is to have one
//! atomic instead of two. No protocol, no retry on the reader's side, and
//! no ordering subtler than `Relaxed`: all changes to one atomic form one
//! order that every thread agrees on.
//!
//! It only works because both figures fit. For three figures of 64 bits,
//! as in `lockbased-baseline`, see its sequence lock in `s3_snapshot.rs`.

use std::num::NonZeroU32;

use loom::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crate::{CounterError, Snapshot};

/// A value and the number of operations that made it, shared by threads.
///
/// `Default` gives the empty counter: value 0, no operations.
#[derive(Debug, Default)]
pub struct Counter {
    /// New: both figures in one word, the value in the high 32 bits and
    /// the operation count in the low 32 (see [`pack`]).
    both: AtomicU64,
}

/// Puts a snapshot into one word: value high, operations low.
fn pack(snapshot: Snapshot) -> u64 {
    (u64::from(snapshot.value) << 32) | u64::from(snapshot.operations)
}

/// Takes a word made by [`pack`] apart again.
fn unpack(word: u64) -> Snapshot {
    Snapshot {
        value: (word >> 32) as u32,
        // `as` keeps the low 32 bits, which is exactly the count.
        operations: word as u32,
    }
}

impl Counter {
    /// Adds `amount` to the value and counts one operation, or changes
    /// nothing and returns [`CounterError::Overflow`] if the value would
    /// pass `u32::MAX`.
    pub fn add(&self, amount: NonZeroU32) -> Result<(), CounterError> {
        // Not `fetch_add((amount << 32) | 1)`: an overflowing value would
        // fall off the top of the word without a sound. The loop checks
        // first, and stores both new figures in one step.
        self.both
            .fetch_update(Relaxed, Relaxed, |word| {
                let before = unpack(word);
                let value = before.value.checked_add(amount.get())?;
                // Every amount is at least one, so there are never more
                // operations than the value: this cannot pass `u32::MAX`.
                let operations = before.operations + 1;
                Some(pack(Snapshot { value, operations }))
            })
            .map(|_| ())
            .map_err(|_| CounterError::Overflow)
    }

    /// Both figures as they were at one moment: one load of one word.
    pub fn snapshot(&self) -> Snapshot {
        unpack(self.both.load(Relaxed))
    }
}
