//! # demo: the whole counter system, start to finish
//!
//! Last stop in the lesson order:
//!
//! ```text
//! actors-core  <-  counter  <-  aggregator  <-  demo
//! ```
//!
//! [`run`] wires the article's system together: counters, one client task
//! per counter, a final round once every client has finished, and a
//! shutdown that loses nothing. It holds the system as a
//! `dyn CounterSystem`, so the same run works for all six designs: the
//! ractor actors (with the aggregator's periodic rounds), the hand-rolled
//! actor, and the four lock-based designs. [`compare`] runs them all and
//! prints a table. The binary (`src/main.rs`) only parses flags, picks a
//! clock and calls one of the two.
//!
//! Everything the run says goes to a [`Transcript`], so that the integration
//! tests can run the same code on tokio's paused clock and snapshot every
//! line.
//!
//! Every message sent along the way is also a `tracing` event with the
//! target `"flow"` ([`actors_core::flow`]), and [`run`] adds one at each
//! phase of the run. [`trace`] collects them and draws a Mermaid sequence
//! diagram, which is what `demo --trace FILE` writes.
//!
//! The book walks through this crate in "demo: wiring the system"
//! (`docs/demo.md`).

pub mod trace;

use std::sync::Arc;
use std::time::Duration;

use actors_core::{
    AggregatedStats, CounterSystem, DriveError, SystemError, Transcript, Workload, WorkloadError,
    drive, flow,
};
use aggregator::{AggregatorArgs, RactorSystem};
use handrolled::HandRolledSystem;
use lockbased_baseline::{AtomicSystem, MutexSystem, NaiveAtomicSystem, ShardedSystem};
use ractor::SpawnErr;

pub use actors_core::{Accounting, Design};

// ANCHOR: start
/// Starts a system of `counters` counters of `design`, behind the contract.
/// This is the one place that knows every design's crate. Only the ractor
/// design uses the scenario's collection period and timeout: the others have
/// no aggregator of their own.
pub async fn start(
    design: Design,
    counters: usize,
    scenario: &Scenario,
    transcript: &Transcript,
) -> Result<Arc<dyn CounterSystem>, DemoError> {
    Ok(match design {
        Design::Ractor => {
            let args = AggregatorArgs {
                collect_every: Some(scenario.collect_every),
                call_timeout: scenario.call_timeout,
                transcript: transcript.clone(),
            };
            Arc::new(RactorSystem::start(counters, args).await?)
        }
        Design::HandRolled => Arc::new(HandRolledSystem::start(counters, transcript)),
        Design::Mutex => Arc::new(MutexSystem::new(counters)),
        Design::Atomic => Arc::new(AtomicSystem::new(counters)),
        Design::AtomicNaive => Arc::new(NaiveAtomicSystem::new(counters)),
        Design::Sharded => Arc::new(ShardedSystem::new(counters)),
    })
}
// ANCHOR_END: start

// ANCHOR: scenario
/// Everything that shapes a run. [`Scenario::default`] is the article's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    /// Which design runs the counters.
    pub design: Design,
    /// What the clients send, and how fast.
    pub workload: Workload,
    /// The aggregator's period between two rounds.
    pub collect_every: Duration,
    /// How long a round waits for each counter's answer.
    pub call_timeout: Duration,
    /// How long the system keeps running after the last client finished,
    /// before the final round. The article waits 3 s here and then reads
    /// the totals, hoping a round ran in between. Here the final figures come
    /// from a round of their own, so the wait only decides how many periodic
    /// rounds you get to watch.
    pub linger: Duration,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            design: Design::Ractor,
            workload: Workload::default(),
            collect_every: Duration::from_secs(2),
            call_timeout: Duration::from_secs(1),
            linger: Duration::from_secs(3),
        }
    }
}
// ANCHOR_END: scenario

/// The longest duration a flag may ask for. Longer ones are almost certainly
/// typos, and durations near `u64::MAX` milliseconds overflow a clock.
pub const MAX_DURATION: Duration = Duration::from_secs(24 * 60 * 60);

/// The most counters a run may start. Each idle actor costs a few KiB and a
/// task, so a stray zero (`--counters 40000000`) would exhaust memory rather
/// than teach anything.
pub const MAX_COUNTERS: usize = 100_000;

/// Why a scenario cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// The workload itself is impossible.
    #[error(transparent)]
    Workload(#[from] WorkloadError),
    /// More counters than [`MAX_COUNTERS`].
    #[error("at most {MAX_COUNTERS} counters can run, got {0}")]
    TooManyCounters(usize),
    /// A duration that must be positive is zero.
    #[error("{what} must be at least 1 ms")]
    Zero {
        /// Which setting, in words.
        what: &'static str,
    },
    /// A duration is longer than [`MAX_DURATION`].
    #[error("{what} must be at most {} ms, got {} ms", MAX_DURATION.as_millis(), .got.as_millis())]
    TooLong {
        /// Which setting, in words.
        what: &'static str,
        /// The duration asked for.
        got: Duration,
    },
}

impl Scenario {
    /// Checks every setting, so that a run never fails half-way on one.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        self.workload.validate()?;
        if self.workload.counters > MAX_COUNTERS {
            return Err(ScenarioError::TooManyCounters(self.workload.counters));
        }
        let durations = [
            (
                "the interval between operations",
                self.workload.interval,
                true,
            ),
            ("the collection period", self.collect_every, true),
            ("the call timeout", self.call_timeout, true),
            ("the linger time", self.linger, false),
        ];
        for (what, got, must_be_positive) in durations {
            if must_be_positive && got.is_zero() {
                return Err(ScenarioError::Zero { what });
            }
            if got > MAX_DURATION {
                return Err(ScenarioError::TooLong { what, got });
            }
        }
        Ok(())
    }
}

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The scenario was refused before anything started.
    #[error(transparent)]
    Invalid(#[from] ScenarioError),
    /// An actor failed to start.
    #[error("an actor failed to start: {0}")]
    Spawn(#[from] SpawnErr),
    /// The clients could not be run.
    #[error(transparent)]
    Drive(#[from] DriveError),
    /// The system refused a question or could not shut down cleanly.
    #[error(transparent)]
    System(#[from] SystemError),
    /// The final figures do not account for every operation the clients sent.
    #[error("operations went missing: {0}")]
    Lost(Accounting),
}

/// What a finished run reports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// The design that ran.
    pub design: Design,
    /// The final round's figures.
    pub stats: AggregatedStats,
    /// Where every operation went.
    pub accounting: Accounting,
}

// ANCHOR: run
/// Runs `scenario` from start to finish, writing its story to `transcript`.
///
/// On tokio's paused clock this takes a few milliseconds of real time; on a
/// normal runtime it takes as long as the scenario says (about 3.5 s for the
/// article's).
pub async fn run(scenario: &Scenario, transcript: &Transcript) -> Result<Outcome, DemoError> {
    scenario.validate()?;
    let workload = &scenario.workload;
    transcript.line(format_args!(
        "Starting the counter system ({}): {} counters, {} operations per client, one every {} ms",
        scenario.design,
        workload.counters,
        workload.ops_per_client,
        workload.interval.as_millis()
    ));
    let system = start(scenario.design, workload.counters, scenario, transcript).await?;

    transcript.line(format_args!("{} clients running", workload.counters));
    flow::phase(format_args!("{} clients start", workload.counters));
    let mut accounting = drive(Arc::clone(&system), workload).await?;
    transcript.line(format_args!(
        "Every client has finished: {} operations sent, {} undelivered",
        accounting.sent, accounting.undelivered
    ));
    flow::phase("every client has finished");

    tokio::time::sleep(scenario.linger).await;
    flow::phase("the final round");
    let stats = system.aggregate().await?;
    print_final(&stats, transcript);

    transcript.line("Shutting down: finishing all accepted work");
    flow::phase("shutdown");
    let finals = system.shutdown().await?;
    accounting.settle(&finals);
    transcript.line(format_args!("Accounting: {accounting}"));
    if !accounting.balances() {
        return Err(DemoError::Lost(accounting));
    }
    Ok(Outcome {
        design: scenario.design,
        stats,
        accounting,
    })
}
// ANCHOR_END: run

fn print_final(stats: &AggregatedStats, transcript: &Transcript) {
    transcript.line("");
    transcript.line("=== Final System Statistics ===");
    transcript.line(format_args!(
        "Total value across all counters: {}",
        stats.total_value
    ));
    transcript.line(format_args!("Total operations: {}", stats.total_operations));
    transcript.line(format_args!("Number of counters: {}", stats.num_counters));
    transcript.line(format_args!(
        "Average ops/second per counter: {:.2}",
        stats.avg_ops_per_second
    ));
    transcript.line("");
}

// ANCHOR: compare
/// Runs `scenario` once per design, each with a transcript of its own, and
/// prints a table of the final figures to `transcript`.
///
/// The rate is the article's: each counter's operations over its lifetime,
/// averaged. It measures the clients' pace, which is the same for every
/// design, not the design's speed.
pub async fn compare(
    scenario: &Scenario,
    transcript: &Transcript,
) -> Result<Vec<Outcome>, DemoError> {
    scenario.validate()?;
    let mut outcomes = Vec::with_capacity(Design::ALL.len());
    for design in Design::ALL {
        let one = Scenario {
            design,
            ..scenario.clone()
        };
        outcomes.push(run(&one, &Transcript::memory()).await?);
    }
    transcript.line(format_args!(
        "{:<12} {:>12} {:>10} {:>9} {:>13}",
        "design", "total value", "total ops", "rejected", "avg ops/sec"
    ));
    for outcome in &outcomes {
        transcript.line(format_args!(
            "{:<12} {:>12} {:>10} {:>9} {:>13.2}",
            outcome.design.name(),
            outcome.stats.total_value,
            outcome.stats.total_operations,
            outcome.stats.rejected_operations,
            outcome.stats.avg_ops_per_second
        ));
    }
    Ok(outcomes)
}
// ANCHOR_END: compare
