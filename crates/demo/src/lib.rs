//! # demo: the whole counter system, start to finish
//!
//! Last stop in the lesson order: `actors-core <- counter <- aggregator <- demo`.
//!
//! [`run`] wires a system together: counters, one client task per counter,
//! a final round once every client has finished, and a shutdown that loses
//! nothing. It holds the system as a `dyn CounterSystem`, which [`start`]
//! builds for any of the six designs; [`compare`] runs them all. Around it:
//! [`scenario`], the run as data and its flags; [`cli`], the command line
//! that `src/main.rs` dispatches; [`trace`], a run's messages as a diagram.
//!
//! The book: "Wiring the system" (`docs/demo.md`) and the pages after it.

pub mod cli;
pub mod failure;
pub mod footprint;
pub mod mailbox;
pub mod progress;
#[cfg(feature = "cluster")]
pub mod remote;
pub mod scenario;
pub mod trace;

use std::path::PathBuf;
use std::sync::Arc;

use actors_core::{
    AggregatedStats, CounterSystem, DriveError, SystemError, Transcript, drive, flow,
};
use aggregator::{AggregatorArgs, RactorSystem};
use backpressure::BoundedSystem;
use handrolled::HandRolledSystem;
use lockbased_baseline::{AtomicSystem, MutexSystem, NaiveAtomicSystem, ShardedSystem};
use ractor::SpawnErr;
use supervision::{Delivery, Recovery};
use supervision::{GaveUp, SupervisedSystem};

pub use actors_core::{Accounting, Design};
pub use failure::Chaos;
pub use mailbox::Pressure;
pub use scenario::{MAX_COUNTERS, MAX_DURATION, Scenario, ScenarioError};

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

/// Above this many counters, [`run`] prints the lines that every counter
/// prints (started, registered, stopped) for the first [`FIRST_FEW`] only,
/// then how many more there were.
pub const FOLD_ABOVE: usize = 16;

/// How many of each per-counter line a folded transcript keeps.
pub const FIRST_FEW: usize = 3;

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
    /// Counters failed faster than the supervisor's limit allows.
    #[error(transparent)]
    GaveUp(GaveUp),
    /// The client could not reach the node's counters; nothing was sent.
    #[cfg(feature = "cluster")]
    #[error(transparent)]
    Connect(#[from] cluster::ConnectError),
    /// The node, or the way to it, was lost during the run.
    #[error("the node at {addr} was lost during the run: counters {} did not answer", list(.counters))]
    NodeLost {
        /// The node's address.
        addr: std::net::SocketAddr,
        /// The counters a send or a question failed on.
        counters: Vec<usize>,
    },
    /// The trace file, created before the run, could not be written after it.
    #[error("cannot write the trace to {}: {source}", .path.display())]
    TraceWrite {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

/// `0, 1, 2`: indices for an error message.
fn list(indices: &[usize]) -> String {
    let words: Vec<String> = indices.iter().map(usize::to_string).collect();
    words.join(", ")
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
    let folding;
    let transcript = if scenario.workload.counters > FOLD_ABOVE {
        folding = transcript.folding(FIRST_FEW);
        &folding
    } else {
        transcript
    };
    announce(scenario, transcript);
    let (system, supervised) = match (&scenario.chaos, &scenario.pressure) {
        (Some(chaos), _) => {
            let supervised = start_supervised(chaos, scenario, transcript).await?;
            (
                Arc::clone(&supervised) as Arc<dyn CounterSystem>,
                Some(supervised),
            )
        }
        (None, Some(pressure)) => (start_pressed(pressure, scenario, transcript).await?, None),
        (None, None) => (
            start(
                scenario.design,
                scenario.workload.counters,
                scenario,
                transcript,
            )
            .await?,
            None,
        ),
    };
    if scenario.pressure.is_some() {
        progress::watch(&system);
    }
    run_system(system, supervised, scenario, transcript).await
}

/// The run's first line: the design and the workload.
fn announce(scenario: &Scenario, transcript: &Transcript) {
    let workload = &scenario.workload;
    transcript.line(format_args!(
        "Starting the counter system ({}): {} counters, {} operations per client, one every {} ms",
        scenario.design,
        workload.counters,
        workload.ops_per_client,
        workload.interval.as_millis()
    ));
}

/// Everything after the start, whatever started the system: the clients,
/// the final round, the shutdown, and the accounting.
async fn run_system(
    system: Arc<dyn CounterSystem>,
    supervised: Option<Arc<SupervisedSystem>>,
    scenario: &Scenario,
    transcript: &Transcript,
) -> Result<Outcome, DemoError> {
    let workload = &scenario.workload;

    transcript.summarize();
    transcript.line(format_args!("{} clients running", workload.counters));
    flow::phase(format_args!("{} clients start", workload.counters));
    let mut accounting = drive(Arc::clone(&system), workload).await?;
    let refused = match accounting.refused {
        0 => String::new(),
        refused => format!(", {refused} refused"),
    };
    transcript.line(format_args!(
        "Every client has finished: {} operations sent, {} undelivered{refused}",
        accounting.sent, accounting.undelivered
    ));
    flow::phase("every client has finished");
    if let Some(gave_up) = supervised.as_ref().and_then(|s| s.report().gave_up) {
        return Err(DemoError::GaveUp(gave_up));
    }

    tokio::time::sleep(scenario.linger).await;
    flow::phase("the final round");
    let stats = system.aggregate().await?;
    print_final(&stats, transcript);
    if let Some(supervised) = &supervised {
        print_failures(supervised, &stats, scenario, transcript);
    }

    transcript.line("Shutting down: finishing all accepted work");
    flow::phase("shutdown");
    let finals = system.shutdown().await?;
    transcript.summarize();
    accounting.settle(&finals);
    accounting.lost = system.lost();
    if let Some(report) = system.mailbox() {
        accounting.dropped = report.dropped;
        if let Some(pressure) = &scenario.pressure {
            transcript.line(mailbox::summary(pressure.mailbox, &report));
        }
    }
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

// ANCHOR: pressed
/// Starts an actor design whose counters take `pressure.work` over each
/// operation, behind mailboxes that follow `pressure.mailbox`: the
/// hand-rolled actor's own bounded mailbox, or a bounded front before
/// each ractor counter.
async fn start_pressed(
    pressure: &Pressure,
    scenario: &Scenario,
    transcript: &Transcript,
) -> Result<Arc<dyn CounterSystem>, DemoError> {
    transcript.line(pressure.describe());
    let (counters, Pressure { work, mailbox }) = (scenario.workload.counters, *pressure);
    Ok(match scenario.design {
        Design::Ractor => {
            let args = AggregatorArgs {
                collect_every: Some(scenario.collect_every),
                call_timeout: scenario.call_timeout,
                transcript: transcript.clone(),
            };
            Arc::new(BoundedSystem::start(counters, args, mailbox, work).await?)
        }
        Design::HandRolled => Arc::new(HandRolledSystem::start_with(
            counters, transcript, mailbox, work,
        )),
        // `Scenario::validate` refuses a mailbox for the others.
        design => return Err(ScenarioError::NoMailbox(design).into()),
    })
}
// ANCHOR_END: pressed

// ANCHOR: chaos
/// Starts the ractor design under a supervisor that restarts what
/// `chaos` crashes. Injected panics stay off standard error: the
/// transcript reports each one.
async fn start_supervised(
    chaos: &Chaos,
    scenario: &Scenario,
    transcript: &Transcript,
) -> Result<Arc<SupervisedSystem>, DemoError> {
    supervision::quiet_injected_panics();
    transcript.line(format_args!(
        "Failure on purpose: {} crashes drawn from seed {}; operations {}; \
         restarts from {}, at most {} in {} ms",
        chaos.crashes,
        chaos.seed,
        match chaos.delivery {
            Delivery::Acknowledged => "acknowledged and sent again",
            Delivery::FireAndForget => "cast without acknowledgement",
        },
        match chaos.recovery {
            Recovery::Checkpoint => "the last checkpoint",
            Recovery::Empty => "nothing",
        },
        chaos.intensity.max_restarts,
        chaos.intensity.period.as_millis(),
    ));
    let args = AggregatorArgs {
        collect_every: Some(scenario.collect_every),
        call_timeout: scenario.call_timeout,
        transcript: transcript.clone(),
    };
    let counters = scenario.workload.counters;
    let system = SupervisedSystem::start(counters, args, chaos.supervision(scenario)).await?;
    Ok(Arc::new(system))
}

/// The final block's failure lines: what failed, what was restarted, and
/// whether the totals are still the workload's.
fn print_failures(
    system: &SupervisedSystem,
    stats: &AggregatedStats,
    scenario: &Scenario,
    transcript: &Transcript,
) {
    let report = system.report();
    transcript.line(format_args!(
        "Crashes: {}, restarts: {}, failed starts: {}, operations sent again: {}",
        report.failures,
        report.restarts,
        report.failed_starts,
        system.retries()
    ));
    let workload = &scenario.workload;
    let (value, operations) = (
        workload.expected_total_value(),
        workload.expected_total_operations(),
    );
    if stats.total_value == value && stats.total_operations == operations {
        transcript.line("Exact: yes, every operation counted once");
    } else {
        transcript.line(format_args!(
            "Exact: no, the workload adds up to {value} over {operations} operations"
        ));
    }
    transcript.line("");
}
// ANCHOR_END: chaos

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
