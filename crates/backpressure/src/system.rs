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

use crate::front::{Admission, Front};
use crate::slow::SlowCounter;

// ANCHOR: system
/// [`RactorSystem`]'s counters, each slowed down by `work` per operation
/// and behind a [`Front`] that bounds its mailbox.
///
/// Everything but `apply` is the ractor system's own: questions go straight
/// to the counters and skip the bound, and `shutdown` drains each mailbox.
pub struct BoundedSystem {
    inner: RactorSystem,
    /// One per counter, in index order.
    fronts: Vec<Front>,
    mailbox: Mailbox,
    shut_down: AtomicBool,
}
// ANCHOR_END: system

impl BoundedSystem {
    /// Starts `len` [`SlowCounter`]s and the aggregator, as
    /// [`RactorSystem::start`] does, with a front for `mailbox` in front of
    /// each counter.
    pub async fn start(
        len: usize,
        args: AggregatorArgs,
        mailbox: Mailbox,
        work: Duration,
    ) -> Result<BoundedSystem, SpawnErr> {
        // Checked before any actor starts.
        let fronts = (0..len)
            .map(|_| Front::new(mailbox))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| SpawnErr::StartupFailed(error.into()))?;
        let inner = RactorSystem::start_with(len, args, || SlowCounter { work }).await?;
        Ok(BoundedSystem {
            inner,
            fronts,
            mailbox,
            shut_down: AtomicBool::new(false),
        })
    }

    /// The mailbox every counter was given.
    pub fn mailbox_kind(&self) -> Mailbox {
        self.mailbox
    }

    /// Counter `index`'s front, to read its places and counts.
    pub fn front(&self, index: usize) -> Option<&Front> {
        self.fronts.get(index)
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
    async fn route(&self, home: usize, op: Operation) -> Result<Receipt, SystemError> {
        let len = self.fronts.len();
        for to in (home..len).chain(0..home) {
            if let Some(slot) = self.fronts[to].try_place() {
                self.send(to, op, Admission::Placed(slot))?;
                if to == home {
                    return Ok(Receipt::Queued);
                }
                self.fronts[home].count_rerouted();
                return Ok(Receipt::Rerouted { to });
            }
        }
        let admission = self.fronts[home].admit(home, op).await?;
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
        self.fronts.len()
    }

    async fn apply(&self, index: usize, op: Operation) -> Result<Receipt, SystemError> {
        if self.shut_down.load(Ordering::Acquire) {
            return Err(SystemError::ShutDown);
        }
        check_index(index, self.fronts.len())?;
        if self.mailbox.overflow() == Some(Overflow::Route) {
            return self.route(index, op).await;
        }
        let admission = self.fronts[index].admit(index, op).await?;
        self.send(index, op, admission)
    }

    async fn value(&self, index: usize) -> Result<i64, SystemError> {
        self.inner.value(index).await
    }

    async fn stats(&self, index: usize) -> Result<CounterStats, SystemError> {
        self.inner.stats(index).await
    }

    async fn aggregate(&self) -> Result<AggregatedStats, SystemError> {
        self.inner.aggregate().await
    }

    async fn shutdown(&self) -> Result<Vec<CounterStats>, SystemError> {
        self.shut_down.store(true, Ordering::Release);
        self.inner.shutdown().await
    }

    fn mailbox(&self) -> Option<MailboxReport> {
        let reports = self.fronts.iter().map(Front::report);
        Some(reports.fold(MailboxReport::default(), MailboxReport::merge))
    }
}
