//! Runs a [`Workload`] against any [`CounterSystem`].

use std::fmt;
use std::sync::Arc;

use crate::{CounterStats, CounterSystem, Receipt, SystemError, Workload, flow};

// ANCHOR: accounting
/// Where every operation went. A run succeeds only if this balances.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Accounting {
    /// Operations the clients handed over: applied on the spot, refused on
    /// the spot, or queued in a mailbox.
    pub sent: u64,
    /// Operations a client could not hand over, because the counter had
    /// stopped or the system had shut down.
    pub undelivered: u64,
    /// Operations a full mailbox handed back to their client, which
    /// counted them and went on (fail fast, or a blocked send that timed
    /// out). Never sent, so never applied.
    pub refused: u64,
    /// Operations the counters applied, according to their final figures.
    pub applied: u64,
    /// Operations the counters refused, according to their final figures.
    pub rejected: u64,
    /// Operations handed over and then destroyed by a failure: in the
    /// mailbox of a counter that crashed, or in the state of one that
    /// restarted empty. Only a supervised design can lose any, and it
    /// counts them from the gaps in each client's numbers.
    pub lost: u64,
    /// Operations handed over and then discarded by a full mailbox's drop
    /// policy, as the system's mailboxes counted them.
    pub dropped: u64,
}

impl Accounting {
    /// True when every operation sent was applied, rejected, or counted as
    /// lost or dropped.
    pub fn balances(&self) -> bool {
        [self.rejected, self.lost, self.dropped]
            .into_iter()
            .try_fold(self.applied, u64::checked_add)
            == Some(self.sent)
    }

    /// Fills in `applied` and `rejected` from the counters' final figures.
    pub fn settle(&mut self, finals: &[CounterStats]) {
        self.applied = finals.iter().map(|s| s.total_operations).sum();
        self.rejected = finals.iter().map(|s| s.rejected_operations).sum();
    }
}

impl fmt::Display for Accounting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} sent, {} undelivered", self.sent, self.undelivered)?;
        // Each of these is said only when it happened: a run without
        // failures or a bounded mailbox keeps the line it always had.
        if self.refused > 0 {
            write!(f, ", {} refused", self.refused)?;
        }
        write!(f, "; {} applied, {} rejected", self.applied, self.rejected)?;
        for (count, what) in [(self.lost, "lost"), (self.dropped, "dropped")] {
            if count > 0 {
                write!(f, ", {count} {what}")?;
            }
        }
        Ok(())
    }
}
// ANCHOR_END: accounting

/// Why a workload could not be driven.
#[derive(Debug, thiserror::Error)]
pub enum DriveError {
    /// The workload has one client per counter, so the sizes must agree.
    #[error("the workload has {clients} clients but the system has {counters} counters")]
    SizeMismatch {
        /// Clients in the workload.
        clients: usize,
        /// Counters in the system.
        counters: usize,
    },
    /// A client task panicked or was cancelled.
    #[error("a client task failed: {0}")]
    Client(#[from] tokio::task::JoinError),
}

// ANCHOR: drive
/// Runs `workload` against `system`: one client task per counter, client `k`
/// sending its operations to counter `k`, one per tick of a tokio interval.
/// Returns once every client has finished, with `sent` and `undelivered`
/// filled in. The operations may still be queued in mailboxes at that point;
/// `shutdown` is what waits for them.
///
/// The pace comes from `tokio::time`, so on a paused clock the run takes
/// no real time at all. Each operation is recorded as a [`flow`] event from
/// `client-k` to `counter-k` just before it is handed over.
pub async fn drive(
    system: Arc<dyn CounterSystem>,
    workload: &Workload,
) -> Result<Accounting, DriveError> {
    if workload.counters != system.len() {
        return Err(DriveError::SizeMismatch {
            clients: workload.counters,
            counters: system.len(),
        });
    }
    let clients: Vec<_> = (0..workload.counters)
        .map(|k| tokio::spawn(client(Arc::clone(&system), workload.clone(), k)))
        .collect();
    let mut total = Accounting::default();
    for client in clients {
        let delivery = client.await?;
        total.sent += delivery.sent;
        total.undelivered += delivery.undelivered;
        total.refused += delivery.refused;
    }
    Ok(total)
}

/// One client: the workload's operations for client `k`, one per tick.
async fn client(system: Arc<dyn CounterSystem>, workload: Workload, k: usize) -> Accounting {
    let mut ticks = tokio::time::interval(workload.interval);
    let mut delivery = Accounting::default();
    let (name, counter) = (format!("client-{k}"), format!("counter-{k}"));
    for op in workload.operations(k) {
        ticks.tick().await;
        flow::cast(&name, &counter, op.name());
        match system.apply(k, op).await {
            // Handed over. A dropped or evicted operation is the mailbox's
            // to count, and the system's report says how many.
            Ok(
                Receipt::Applied
                | Receipt::Rejected(_)
                | Receipt::Queued
                | Receipt::Dropped
                | Receipt::Evicted(_)
                | Receipt::Rerouted { .. },
            ) => delivery.sent += 1,
            // Handed back: this client's answer is to count it and go on.
            Err(SystemError::MailboxFull { .. }) => delivery.refused += 1,
            // Not lost silently: counted, and the final accounting shows it.
            Err(_) => delivery.undelivered += 1,
        }
    }
    delivery
}
// ANCHOR_END: drive
