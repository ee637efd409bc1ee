//! # bench: the measuring lab
//!
//! Last in the lesson order, after the demo it measures:
//! `actors-core <- counter <- aggregator <- demo <- bench`. Every design,
//! including the demo's wiring of it, is timed against the same work, next
//! to *floors*: the least that work costs with none of our code in it. The
//! "Measuring" chapter (`docs/measuring.md` and the five pages after it)
//! includes this code, so what it explains is what was timed.
//!
//! One module per bench program or book page: [`floors`], [`counting`],
//! [`asking`], [`rounds`], [`start_up`], [`memory`], [`delivery`],
//! [`scale`], [`backlog`], [`channel_modes`], [`remote`] (with
//! `loopback`, its two processes, built with the `cluster` feature); [`ids`]
//! names every benchmark once, for the programs in `benches/` and for
//! `bench-report`, and [`machine`] says where figures were taken.
//!
//! Words, one meaning each. A *target* is what a benchmark measures: the
//! [`Target`] trait is how producers feed one, [`TargetKind`] picks one for
//! the counting bench, [`ActorTarget`] is one that answers questions. A
//! *quiet* counter writes nothing: its transcript is discarded. An
//! *on-demand* system runs a collection round only when asked for one.
//! A *run* is one timed region, returned as a `Duration` for criterion's
//! `iter_custom`; its setup and teardown are never in it.

use std::future::Future;
use std::time::Duration;

use actors_core::{Design, OperationError, SystemError, Transcript};
use counter::{AskError, CounterArgs};
use demo::DemoError;
use handrolled::actor::CallError;
use ractor::SpawnErr;

pub mod asking;
pub mod backlog;
pub mod channel_modes;
pub mod counting;
pub mod delivery;
pub mod floors;
pub mod ids;
#[cfg(feature = "cluster")]
pub mod loopback;
pub mod machine;
pub mod memory;
pub mod remote;
pub mod rounds;
pub mod scale;
pub mod start_up;

pub use asking::{ActorTarget, ask_from_a_task, ask_from_outside};
pub use backlog::{BacklogFigures, run_policy};
pub use counting::{Target, TargetKind, count, count_in_batches, feed, feed_batches};
pub use delivery::{DeliveryKind, count_delivered, deliver};
pub use floors::{BareActor, BareMsg, RawMsg, SingleThreadFloor, spawn_raw_loop};
pub use memory::{MemoryFigures, heap_per_counter, ractor_parts};
pub use rounds::{
    Collection, aggregate_rounds, ask_in_turn, collect_rounds, on_demand_system, spawn_counters,
    spawn_distant_counters,
};
pub use scale::{ScaleFigures, run_once};
pub use start_up::start_system;

/// Increments per iteration of the counting benchmark: Savina's "Counting
/// Actor" sends one million.
pub const INCREMENTS: u64 = 1_000_000;

/// How long a benchmark waits for an answer before calling the run broken.
/// A counter with a million increments queued needs well under a second to
/// reach the question; a minute means something is wrong.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// Why a measurement could not be taken. A benchmark stops on any of them:
/// a figure from a run that lost work would be a wrong figure.
#[derive(Debug, thiserror::Error)]
pub enum MeasureError {
    /// A run needs at least one producer.
    #[error("at least one producer is needed")]
    NoProducers,
    /// A batch must hold at least one operation.
    #[error("a batch must hold at least one operation")]
    EmptyBatch,
    /// The counter stopped while the run still had work for it.
    #[error("the counter stopped before the run was over")]
    Stopped,
    /// A producer or asker task panicked or was cancelled.
    #[error("a task of the run panicked or was cancelled")]
    TaskFailed,
    /// A lock-based counter refused an increment.
    #[error("the counter refused an increment: {0}")]
    Refused(#[from] OperationError),
    /// The counter's final value is not the number of increments sent.
    #[error("expected {expected} after the run, read {read}")]
    WrongTotal {
        /// Increments the producers sent.
        expected: u64,
        /// The value the counter reported.
        read: i64,
    },
    /// A ractor actor did not answer.
    #[error(transparent)]
    Ask(#[from] AskError),
    /// A hand-rolled actor did not answer.
    #[error(transparent)]
    Call(#[from] CallError),
    /// A ractor actor failed to start.
    #[error("an actor failed to start: {0}")]
    Spawn(#[from] SpawnErr),
    /// A system failed to start.
    #[error(transparent)]
    Demo(#[from] DemoError),
    /// A system refused a question.
    #[error(transparent)]
    System(#[from] SystemError),
    /// Only the two actor designs answer questions by message.
    #[error("{0} is not an actor design")]
    NotAnActor(Design),
}

/// A quiet counter's arguments: its transcript lines go nowhere.
fn quiet_args() -> CounterArgs {
    CounterArgs {
        id: "bench".to_string(),
        transcript: Transcript::discard(),
    }
}

/// Checks that a run ends on the value it was meant to reach.
fn expect_total(read: i64, expected: u64) -> Result<(), MeasureError> {
    if u64::try_from(read) == Ok(expected) {
        Ok(())
    } else {
        Err(MeasureError::WrongTotal { expected, read })
    }
}

/// Runs `work` as a task of the runtime, not on the thread that awaits it.
async fn in_a_task<T: Send + 'static>(
    work: impl Future<Output = Result<T, MeasureError>> + Send + 'static,
) -> Result<T, MeasureError> {
    tokio::spawn(work)
        .await
        .map_err(|_| MeasureError::TaskFailed)?
}

/// A count of counters that no run should be asked for.
#[derive(Debug, thiserror::Error)]
pub enum CountError {
    /// Not a whole number.
    #[error("{0:?} is not a whole number")]
    NotANumber(String),
    /// Zero, or more than the demo allows.
    #[error("the count of counters must be 1 to {max}, not {0}", max = demo::MAX_COUNTERS)]
    OutOfRange(usize),
}

/// Reads a count of counters from a command line: the `memory` and
/// `scale` programs' value parser, so both refuse the same counts.
pub fn counters_arg(arg: &str) -> Result<usize, CountError> {
    let n: usize = arg
        .parse()
        .map_err(|_| CountError::NotANumber(arg.to_owned()))?;
    if (1..=demo::MAX_COUNTERS).contains(&n) {
        Ok(n)
    } else {
        Err(CountError::OutOfRange(n))
    }
}
