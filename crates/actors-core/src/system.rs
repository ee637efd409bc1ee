//! The contract every design of the counter system answers to.

use std::time::Duration;

use crate::{AggregatedStats, CounterStats, Design, MailboxReport, Operation, OperationError};

// ANCHOR: receipt
/// What [`CounterSystem::apply`] can tell its caller about an operation.
///
/// The two families of design differ right here. A lock or an atomic applies
/// the operation before `apply` returns, so it knows the outcome. An actor
/// only puts a message in a mailbox: the outcome is decided later, by the
/// actor, and the caller learns it only by asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receipt {
    /// The operation has been applied.
    Applied,
    /// The operation was refused and counted in `rejected_operations`; the
    /// counter's value and operation count are as they were.
    Rejected(OperationError),
    /// The operation is in the counter's mailbox. It will be applied, or
    /// refused and counted, before the counter answers any question that the
    /// same task asks after this call returned.
    Queued,
    /// The counter's mailbox was full and its policy discarded this
    /// operation (drop newest). It is counted in the system's
    /// [`MailboxReport::dropped`], and never applied.
    Dropped,
    /// The operation is queued, and to make room the mailbox discarded the
    /// oldest operation waiting in it, returned here (drop oldest). That
    /// one is counted in [`MailboxReport::dropped`], and never applied.
    Evicted(Operation),
    /// The counter's mailbox was full, and the operation was queued at
    /// counter `to` instead (route). The totals are sums, so they stay
    /// exact; that counter's own figures now include it.
    Rerouted {
        /// The counter that took the operation.
        to: usize,
    },
}
// ANCHOR_END: receipt

// ANCHOR: system_error
/// Why a system could not do what was asked. Nothing changed in any case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SystemError {
    /// The index is not below [`CounterSystem::len`].
    #[error("there is no counter {index}: the system has {len}")]
    NoSuchCounter {
        /// The index asked for.
        index: usize,
        /// How many counters the system has.
        len: usize,
    },
    /// [`CounterSystem::shutdown`] has been called.
    #[error("the system has shut down")]
    ShutDown,
    /// The counter's actor has stopped (for example after a panic), so its
    /// mailbox refuses messages.
    #[error("counter {index} has stopped")]
    Stopped {
        /// Which counter.
        index: usize,
    },
    /// The counter took the question but did not answer in time.
    #[error("counter {index} did not answer within {timeout:?}")]
    Timeout {
        /// Which counter.
        index: usize,
        /// How long the caller waited.
        timeout: Duration,
    },
    /// The counter dropped the question without answering.
    #[error("counter {index} dropped the question without answering")]
    NoReply {
        /// Which counter.
        index: usize,
    },
    /// The counter failed and could not be reached again: its supervisor
    /// gave up restarting it, or a restart took longer than every retry.
    #[error("counter {index} could not be reached again after a failure")]
    GaveUp {
        /// Which counter.
        index: usize,
    },
    /// The counter's mailbox was full, and its policy hands the operation
    /// back rather than wait or drop it (fail fast, or a blocked sender
    /// whose wait timed out). Nothing was queued: what to do with `op` is
    /// the sender's decision.
    #[error("counter {index}'s mailbox is full: {op} was not sent")]
    MailboxFull {
        /// Which counter.
        index: usize,
        /// The operation, handed back.
        op: Operation,
    },
    /// A design that aggregates through an actor of its own could not get
    /// an answer from it.
    #[error("the aggregator did not answer: it has stopped or timed out")]
    AggregatorUnavailable,
}
// ANCHOR_END: system_error

// ANCHOR: contract
/// A system of `len()` counters, numbered from 0, whatever runs them.
///
/// Six designs implement this trait: two actor designs (ractor, and the
/// hand-rolled actor of the `handrolled` crate) and four lock-based ones (a
/// mutex, naive atomics, a seqlock snapshot and sharded atomics). The demo
/// and the conformance tests hold a `dyn CounterSystem` and never learn
/// which one they drive.
///
/// # What "applied" means
///
/// [`apply`](Self::apply) returns a [`Receipt`]. For a lock-based design the
/// receipt is final. For an actor it is [`Receipt::Queued`]: the operation is
/// in a mailbox. Every design keeps one promise, which the conformance tests
/// check: *a read that a task issues after its own `apply` calls returned
/// sees all of them.* For an actor this holds because a mailbox is FIFO: the
/// question is queued behind the task's operations, so the counter has
/// handled them by the time it reads its value.
///
/// # Shutting down
///
/// [`shutdown`](Self::shutdown) is called once every client has finished (the
/// driver joins its clients first). It handles everything already accepted,
/// stops the counters and returns their final figures, in index order.
/// Afterwards every call returns [`SystemError::ShutDown`].
///
/// # Why `async_trait`
///
/// The trait is used as `dyn CounterSystem`, so that the demo can pick a
/// design at run time. A trait with native `async fn` cannot be made into a
/// trait object, because each implementation returns a future of a different
/// size. The `async_trait` macro boxes those futures, which makes them one
/// type. That costs one allocation per call.
#[async_trait::async_trait]
pub trait CounterSystem: Send + Sync {
    /// Which of the six designs this is.
    fn design(&self) -> Design;

    /// How many counters the system has.
    fn len(&self) -> usize;

    /// True for a system of no counters.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Applies `op` to counter `index`, or queues it. See [`Receipt`].
    async fn apply(&self, index: usize, op: Operation) -> Result<Receipt, SystemError>;

    /// Counter `index`'s current value.
    async fn value(&self, index: usize) -> Result<i64, SystemError>;

    /// Counter `index`'s statistics.
    async fn stats(&self, index: usize) -> Result<CounterStats, SystemError>;

    /// The statistics of every counter, added up.
    async fn aggregate(&self) -> Result<AggregatedStats, SystemError>;

    /// Finishes all accepted work, stops the counters and returns each
    /// counter's final statistics, in index order.
    async fn shutdown(&self) -> Result<Vec<CounterStats>, SystemError>;

    /// Operations accepted and then destroyed by a failure, known once
    /// [`shutdown`](Self::shutdown) has returned. A design without failures
    /// to survive loses none.
    fn lost(&self) -> u64 {
        0
    }

    /// What the counters' mailboxes went through, added up: depth, peak,
    /// and what their policy dropped, refused or rerouted. `None` for a
    /// design whose mailboxes nobody measures.
    fn mailbox(&self) -> Option<MailboxReport> {
        None
    }
}
// ANCHOR_END: contract

/// Checks `index` against `len`: the first line of most implementations.
pub fn check_index(index: usize, len: usize) -> Result<(), SystemError> {
    if index < len {
        Ok(())
    } else {
        Err(SystemError::NoSuchCounter { index, len })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index past the end is named in the error, with the system's size.
    #[test]
    fn a_bad_index_says_what_exists() {
        assert_eq!(check_index(2, 3), Ok(()));
        let error = check_index(3, 3).unwrap_err();
        assert_eq!(error, SystemError::NoSuchCounter { index: 3, len: 3 });
        assert_eq!(error.to_string(), "there is no counter 3: the system has 3");
    }
}
