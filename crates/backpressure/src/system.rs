//! The ractor design with a bound in front of every counter, behind the
//! shared contract.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use actors_core::{
    AggregatedStats, CounterStats, CounterSystem, Design, Mailbox, MailboxReport, Operation,
    Overflow, Receipt, SystemError, check_index,
};
use aggregator::{AggregatorArgs, RactorSystem};
use counter::CounterMessage;
use ractor::SpawnErr;

use crate::buffer::Buffer;
use crate::front::{Admission, Front, FrontError};
use crate::slow::SlowCounter;

// ANCHOR: system
/// [`RactorSystem`]'s counters, each slowed down by `work` per operation
/// and bounded from outside.
///
/// Everything but `apply` is the ractor system's own: questions skip the
/// bound, and `shutdown` drains each mailbox.
pub struct BoundedSystem {
    inner: RactorSystem,
    /// What stands in front of the counters, one per counter.
    lanes: Lanes,
    mailbox: Mailbox,
    shut_down: AtomicBool,
}

/// A front per counter, or for drop oldest, a buffer per counter.
enum Lanes {
    /// Unbounded, block, fail fast, drop newest and route: the counter's
    /// own mailbox holds the waiting operations, bounded by a semaphore.
    Fronts(Vec<Front>),
    /// Drop oldest: the operations wait in a buffer that can evict.
    Buffers(Vec<Buffer>),
}
// ANCHOR_END: system

impl BoundedSystem {
    /// Starts `len` [`SlowCounter`]s and the aggregator, as
    /// [`RactorSystem::start`] does, with a [`Front`] for `mailbox` in front
    /// of each counter, or under drop oldest a [`Buffer`].
    pub async fn start(
        len: usize,
        args: AggregatorArgs,
        mailbox: Mailbox,
        work: Duration,
    ) -> Result<BoundedSystem, SpawnErr> {
        let patience = args.call_timeout;
        let inner = RactorSystem::start_with(len, args, || SlowCounter { work }).await?;
        let lanes = if mailbox.overflow() == Some(Overflow::DropOldest) {
            let counters = inner.counters().iter().cloned();
            Lanes::Buffers(
                counters
                    .map(|counter| Buffer::start(counter, mailbox, patience))
                    .collect(),
            )
        } else {
            let fronts = (0..len).map(|_| Front::new(mailbox));
            Lanes::Fronts(
                fronts
                    .collect::<Result<_, FrontError>>()
                    .map_err(|error| SpawnErr::StartupFailed(error.into()))?,
            )
        };
        Ok(BoundedSystem {
            inner,
            lanes,
            mailbox,
            shut_down: AtomicBool::new(false),
        })
    }

    /// `Err(ShutDown)` once [`shutdown`](CounterSystem::shutdown) began.
    fn check_open(&self) -> Result<(), SystemError> {
        if self.shut_down.load(Ordering::Acquire) {
            return Err(SystemError::ShutDown);
        }
        Ok(())
    }

    /// Counter `index`'s front, to read its places and counts; `None`
    /// under drop oldest, where a buffer stands in front instead.
    pub fn front(&self, index: usize) -> Option<&Front> {
        match &self.lanes {
            Lanes::Fronts(fronts) => fronts.get(index),
            Lanes::Buffers(_) => None,
        }
    }

    /// Counter `index`'s buffer under drop oldest; `None` otherwise.
    pub fn buffer(&self, index: usize) -> Option<&Buffer> {
        match &self.lanes {
            Lanes::Fronts(_) => None,
            Lanes::Buffers(buffers) => buffers.get(index),
        }
    }

    /// Returns once counter `index` has applied every operation this task
    /// sent it, so that a question asked next sees them. Only a buffer can
    /// hold operations back; a front's are already in the mailbox.
    async fn flush(&self, index: usize) -> Result<(), SystemError> {
        match self.buffer(index) {
            Some(buffer) => buffer.flush(index).await,
            None => Ok(()),
        }
    }

    /// Sends `op` with its place to counter `to`. A message the counter
    /// refuses (it has stopped) is dropped here, and its slot with it, so
    /// the place comes back.
    fn send(&self, to: usize, op: Operation, admission: Admission) -> Result<Receipt, SystemError> {
        let slot = match admission {
            Admission::Placed(slot) => slot,
            Admission::Dropped => return Ok(Receipt::Dropped),
        };
        self.inner.counters()[to]
            .cast(CounterMessage::Admitted { op, slot })
            .map_err(|_| SystemError::Stopped { index: to })?;
        Ok(Receipt::Queued)
    }

    // ANCHOR: route
    /// Route: the first counter with a free place, from `home` on and
    /// wrapping around, without waiting. The rerouted operation counts on
    /// its home counter's gauge, and its place on the counter that took it.
    /// With no place anywhere, the operation waits at home, as under block.
    async fn route(
        &self,
        fronts: &[Front],
        home: usize,
        op: Operation,
    ) -> Result<Receipt, SystemError> {
        let len = fronts.len();
        for to in (home..len).chain(0..home) {
            if let Some(slot) = fronts[to].try_place() {
                self.send(to, op, Admission::Placed(slot))?;
                if to == home {
                    return Ok(Receipt::Queued);
                }
                fronts[home].count_rerouted();
                return Ok(Receipt::Rerouted { to });
            }
        }
        let admission = fronts[home].admit(home, op).await?;
        self.send(home, op, admission)
    }
    // ANCHOR_END: route
}

#[async_trait::async_trait]
impl CounterSystem for BoundedSystem {
    fn design(&self) -> Design {
        Design::Ractor
    }

    fn len(&self) -> usize {
        self.inner.len()
    }

    async fn apply(&self, index: usize, op: Operation) -> Result<Receipt, SystemError> {
        self.check_open()?;
        check_index(index, self.len())?;
        match &self.lanes {
            Lanes::Buffers(buffers) => buffers[index].send(index, op).await,
            Lanes::Fronts(fronts) if self.mailbox.overflow() == Some(Overflow::Route) => {
                self.route(fronts, index, op).await
            }
            Lanes::Fronts(fronts) => {
                let admission = fronts[index].admit(index, op).await?;
                self.send(index, op, admission)
            }
        }
    }

    async fn value(&self, index: usize) -> Result<i64, SystemError> {
        self.check_open()?;
        self.flush(index).await?;
        self.inner.value(index).await
    }

    async fn stats(&self, index: usize) -> Result<CounterStats, SystemError> {
        self.check_open()?;
        self.flush(index).await?;
        self.inner.stats(index).await
    }

    async fn aggregate(&self) -> Result<AggregatedStats, SystemError> {
        self.inner.aggregate().await
    }

    /// Forwards what the buffers hold, if any, then shuts the ractor
    /// system down, which drains each counter's mailbox.
    async fn shutdown(&self) -> Result<Vec<CounterStats>, SystemError> {
        if self.shut_down.swap(true, Ordering::AcqRel) {
            return Err(SystemError::ShutDown);
        }
        if let Lanes::Buffers(buffers) = &self.lanes {
            for buffer in buffers {
                buffer.finish().await;
            }
        }
        self.inner.shutdown().await
    }

    fn mailbox(&self) -> Option<MailboxReport> {
        let reports: Vec<MailboxReport> = match &self.lanes {
            Lanes::Fronts(fronts) => fronts.iter().map(Front::report).collect(),
            Lanes::Buffers(buffers) => buffers.iter().map(Buffer::report).collect(),
        };
        Some(
            reports
                .into_iter()
                .fold(MailboxReport::default(), MailboxReport::merge),
        )
    }
}
