//! The four designs behind the `CounterSystem` contract.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use actors_core::{
    AggregatedStats, CounterStats, CounterSystem, Design, Instant, Operation, Receipt, SystemError,
    aggregate, check_index,
};

use crate::{AtomicCounter, MutexCounter, NaiveAtomicCounter, ShardedCounter, SharedCounter};

// ANCHOR: system
/// `len` counters of one lock-based design, answering to [`CounterSystem`].
///
/// There is no task, no mailbox and no message: every call does its work on
/// the caller's thread and has the answer when it returns. So
/// [`apply`](CounterSystem::apply) says [`Receipt::Applied`] or
/// [`Receipt::Rejected`], never `Queued`, and no call can time out.
///
/// The `async` in the contract is there for the actors; here every method
/// finishes without ever waiting on anything but a lock held for a few
/// instructions.
#[derive(Debug)]
pub struct LockedSystem<C> {
    /// The counters, addressed by index.
    counters: Vec<C>,
    /// When the counters started, for the rate in their stats. The
    /// `actors_core` clock, so that on tokio's paused clock the rate is
    /// exact.
    started_at: Instant,
    /// Set by `shutdown`. std's atomic even under loom: no model runs a
    /// system.
    shut_down: AtomicBool,
}

/// One `std::sync::Mutex` per counter (design `"mutex"`).
pub type MutexSystem = LockedSystem<MutexCounter>;
/// Separate atomics per figure, whose snapshots can tear (design
/// `"atomic-naive"`).
pub type NaiveAtomicSystem = LockedSystem<NaiveAtomicCounter>;
/// A seqlock over atomics, whose snapshots cannot tear (design `"atomic"`).
pub type AtomicSystem = LockedSystem<AtomicCounter>;
/// Cache-padded shards summed on read (design `"sharded"`).
pub type ShardedSystem = LockedSystem<ShardedCounter>;

impl<C: SharedCounter> LockedSystem<C> {
    /// `len` counters at zero, started now.
    pub fn new(len: usize) -> Self {
        LockedSystem {
            counters: (0..len).map(|_| C::new()).collect(),
            started_at: Instant::now(),
            shut_down: AtomicBool::new(false),
        }
    }

    /// The counter at `index`, unless the system has shut down or has no
    /// such counter.
    fn counter(&self, index: usize) -> Result<&C, SystemError> {
        self.check_open()?;
        check_index(index, self.counters.len())?;
        Ok(&self.counters[index])
    }

    fn check_open(&self) -> Result<(), SystemError> {
        // Acquire pairs with the AcqRel swap in `shutdown`.
        if self.shut_down.load(Ordering::Acquire) {
            Err(SystemError::ShutDown)
        } else {
            Ok(())
        }
    }
}
// ANCHOR_END: system

// ANCHOR: sum
/// Adds up every counter's stats, `elapsed` into their life.
///
/// This plain function is the whole of the lock-based "aggregator". Set
/// beside the `AggregatorActor`, it gives up three things and needs none of
/// them:
///
/// * It has no schedule of its own. The actor collects every period,
///   whether anyone asks or not; this runs when it is called, and only then.
/// * It needs no timeouts, because nothing can hang: there is no mailbox to
///   wait in, only locks held for a few instructions.
/// * It runs on the caller's thread, which does the work of every counter's
///   read itself.
///
/// It is no more a snapshot than the actor's round: it reads the counters
/// one by one, so while writers are busy the total may pair counter 0's
/// state from one moment with counter 1's from another. (Each counter's own
/// figures are as consistent as its design makes them: see
/// [`Snapshot`](crate::Snapshot).)
pub fn sum<C: SharedCounter>(counters: &[C], elapsed: Duration) -> AggregatedStats {
    aggregate(
        counters
            .iter()
            .map(|counter| counter.snapshot().measure(elapsed)),
    )
}
// ANCHOR_END: sum

// ANCHOR: impl_system
#[actors_core::async_trait]
impl<C: SharedCounter> CounterSystem for LockedSystem<C> {
    fn design(&self) -> Design {
        C::DESIGN
    }

    fn len(&self) -> usize {
        self.counters.len()
    }

    async fn apply(&self, index: usize, op: Operation) -> Result<Receipt, SystemError> {
        Ok(match self.counter(index)?.apply(op) {
            Ok(()) => Receipt::Applied,
            Err(error) => Receipt::Rejected(error),
        })
    }

    async fn value(&self, index: usize) -> Result<i64, SystemError> {
        Ok(self.counter(index)?.value())
    }

    async fn stats(&self, index: usize) -> Result<CounterStats, SystemError> {
        let counter = self.counter(index)?;
        Ok(counter.snapshot().measure(self.started_at.elapsed()))
    }

    async fn aggregate(&self) -> Result<AggregatedStats, SystemError> {
        self.check_open()?;
        Ok(sum(&self.counters, self.started_at.elapsed()))
    }

    /// Closes the system and reads every counter one last time.
    ///
    /// There is nothing to drain: every operation that `apply` accepted was
    /// applied before `apply` returned. The contract has every client
    /// finished before this is called, so the final reads are exact even for
    /// the designs whose reads can tear. (A call that passed its closed check
    /// just before the flag was set could still land after the final read;
    /// without a lock around the whole system there is no sharper "after".)
    async fn shutdown(&self) -> Result<Vec<CounterStats>, SystemError> {
        // AcqRel: only the first caller gets the final figures; the others
        // see the flag and get `ShutDown`.
        if self.shut_down.swap(true, Ordering::AcqRel) {
            return Err(SystemError::ShutDown);
        }
        let elapsed = self.started_at.elapsed();
        Ok(self
            .counters
            .iter()
            .map(|counter| counter.snapshot().measure(elapsed))
            .collect())
    }
}
// ANCHOR_END: impl_system
