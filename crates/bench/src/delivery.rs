//! Delivery: what it costs to have every operation answered. The same
//! increments go into the supervised system, acknowledged or fire-and-forget,
//! and into the unsupervised ractor design as the reference. The
//! `supervision` bench program times these, and the results page "Results:
//! questions and rounds" (`docs/bench-results-costs.md`) shows the ratios.

use std::sync::Arc;
use std::time::{Duration, Instant};

use actors_core::{CounterSystem, Design, Operation, Transcript};
use aggregator::AggregatorArgs;
use supervision::{Delivery, SupervisedSystem, Supervision};

use crate::counting::shares;
use crate::rounds::on_demand_system;
use crate::{MeasureError, PATIENCE};

/// Increments per iteration: a tenth of the counting bench's million,
/// because an acknowledged increment waits for its answer, and a million
/// round trips would keep `just bench` busy for minutes.
pub const OPERATIONS: u64 = 100_000;

/// Which system the delivery bench feeds, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryKind {
    /// [`SupervisedSystem`]: numbered operations, a checkpoint for each,
    /// handed over as its [`Delivery`] says.
    Supervised(Delivery),
    /// `aggregator::RactorSystem`: a plain cast, no numbers, no supervisor.
    Unsupervised,
}

impl DeliveryKind {
    /// Every kind, in the order of the results table.
    pub const ALL: [DeliveryKind; 3] = [
        DeliveryKind::Supervised(Delivery::Acknowledged),
        DeliveryKind::Supervised(Delivery::FireAndForget),
        DeliveryKind::Unsupervised,
    ];

    /// The name the benchmark files it under.
    pub const fn name(self) -> &'static str {
        match self {
            DeliveryKind::Supervised(Delivery::Acknowledged) => "acknowledged",
            DeliveryKind::Supervised(Delivery::FireAndForget) => "fire-and-forget",
            DeliveryKind::Unsupervised => "unsupervised",
        }
    }

    /// What one increment is, in a few words.
    pub const fn meaning(self) -> &'static str {
        match self {
            DeliveryKind::Supervised(Delivery::Acknowledged) => {
                "supervised: a numbered call, answered after its checkpoint"
            }
            DeliveryKind::Supervised(Delivery::FireAndForget) => {
                "supervised: a numbered cast, checkpointed"
            }
            DeliveryKind::Unsupervised => "the ractor design: a plain cast, no supervisor",
        }
    }

    /// A quiet system of `counters` counters of this kind, with no timer of
    /// rounds and no faults.
    pub async fn start(self, counters: usize) -> Result<Arc<dyn CounterSystem>, MeasureError> {
        let delivery = match self {
            DeliveryKind::Supervised(delivery) => delivery,
            DeliveryKind::Unsupervised => return on_demand_system(Design::Ractor, counters).await,
        };
        let args = AggregatorArgs {
            collect_every: None,
            call_timeout: PATIENCE,
            transcript: Transcript::discard(),
        };
        let supervision = Supervision {
            delivery,
            ..Supervision::default()
        };
        Ok(Arc::new(
            SupervisedSystem::start(counters, args, supervision).await?,
        ))
    }
}

// ANCHOR: deliver
/// Times `producers` tasks that share `total` increments, through the
/// contract's `apply`, until every counter's value has been read.
///
/// Producer `k` is the one client of counter `k`: the supervised system
/// keeps one session per counter, with one operation in flight, so two
/// producers on one counter would only queue for its session. A read of
/// each counter ends the run; it waits in the mailbox behind the casts, so
/// it is answered only once they are all applied.
pub async fn deliver(
    system: Arc<dyn CounterSystem>,
    producers: usize,
    total: u64,
) -> Result<Duration, MeasureError> {
    let start = Instant::now();
    let tasks: Vec<_> = shares(total, producers)?
        .enumerate()
        .map(|(k, share)| {
            let system = system.clone();
            tokio::spawn(async move {
                for _ in 0..share {
                    system.apply(k, Operation::Increment { amount: 1 }).await?;
                }
                system.value(k).await.map_err(MeasureError::from)
            })
        })
        .collect();
    let mut read = 0;
    for task in tasks {
        read += task.await.map_err(|_| MeasureError::TaskFailed)??;
    }
    let elapsed = start.elapsed();
    crate::expect_total(read, total)?;
    Ok(elapsed)
}
// ANCHOR_END: deliver

/// One run of the delivery benchmark: starts a system of `kind` with one
/// counter per producer (untimed), times [`deliver`], and shuts the system
/// down (untimed).
pub async fn count_delivered(
    kind: DeliveryKind,
    producers: usize,
    total: u64,
) -> Result<Duration, MeasureError> {
    let system = kind.start(producers).await?;
    let elapsed = deliver(system.clone(), producers, total).await;
    system.shutdown().await?;
    elapsed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind applies every increment at every producer count, the
    /// fire-and-forget ones included: the check at the end of `deliver`
    /// would fail the run otherwise.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_kind_delivers_every_increment() {
        for kind in DeliveryKind::ALL {
            for producers in [1, 3, 8] {
                let timed = count_delivered(kind, producers, 1_001).await;
                assert!(timed.is_ok(), "{}: {timed:?}", kind.name());
            }
        }
    }

    /// Without producers there is no run.
    #[tokio::test]
    async fn no_producers_no_run() {
        let run = count_delivered(DeliveryKind::Unsupervised, 0, 10).await;
        assert!(matches!(run, Err(MeasureError::NoProducers)));
    }
}
