//! Step 1: one mutex around the whole counter.
//!
//! The simplest design that is correct. Each counter is a [`Tally`] behind a
//! lock, and every call takes the lock, does its work and lets go. Since a
//! caller holds the lock for the whole of [`Tally::apply`], nobody can see a
//! value without its operation count: a snapshot cannot tear.

use std::sync::PoisonError;

use actors_core::{Design, Operation, OperationError, Tally};

use crate::sync::Mutex;
use crate::{SharedCounter, Snapshot};

// ANCHOR: counter
/// A [`Tally`] behind a `std::sync::Mutex`.
///
/// # Why std's mutex and not tokio's
///
/// The lock is held for a checked add and two stores, and the code that holds
/// it is not `async`: it cannot reach an `.await` while it has the lock.
/// That is exactly the case std's mutex is for. `tokio::sync::Mutex` exists
/// for the other case, a lock that must stay held across an `.await`; to
/// allow that it queues waiting *tasks* instead of blocking threads, which
/// makes every lock and unlock do more work. Paying for that here would buy
/// nothing, and would make [`apply`](SharedCounter::apply) `async` for no
/// reason. A worker thread that blocks on this lock waits for a few
/// instructions at most.
#[derive(Debug)]
pub struct MutexCounter {
    /// The whole state, one lock for all three figures.
    tally: Mutex<Tally>,
}

impl MutexCounter {
    /// Runs `f` with the lock held. The guard never leaves this function, so
    /// no caller can hold it across an `.await`, or forget to let go.
    fn with<R>(&self, f: impl FnOnce(&mut Tally) -> R) -> R {
        // Unlocking (when the guard drops) happens-before the next `lock()`
        // of the same mutex returns: the next caller sees this caller's work.
        //
        // Poisoning: std marks a mutex poisoned when a thread panics while
        // holding it, in case the panic left the data half-changed. The only
        // code that ever runs under this lock is `Tally::apply`, a read or a
        // copy, and none of them can panic: the arithmetic is checked or
        // saturating.
        // Even if a panic came from somewhere we did not foresee, a `Tally`
        // changes its value and its count with nothing that can fail in
        // between, so the data behind the lock is whole. Taking it with
        // `into_inner` is therefore sound, and it keeps this function free of
        // any panic of its own.
        let mut tally = self.tally.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut tally)
    }
}
// ANCHOR_END: counter

// ANCHOR: impl
impl SharedCounter for MutexCounter {
    const DESIGN: Design = Design::Mutex;

    fn new() -> Self {
        MutexCounter {
            tally: Mutex::new(Tally::default()),
        }
    }

    fn apply(&self, op: Operation) -> Result<(), OperationError> {
        self.with(|tally| tally.apply(op).map(|_| ()))
    }

    fn value(&self) -> i64 {
        self.with(|tally| tally.value())
    }

    fn snapshot(&self) -> Snapshot {
        self.with(|tally| Snapshot::from(*tally))
    }
}
// ANCHOR_END: impl
