//! # demo: the whole counter system, start to finish
//!
//! Last stop in the lesson order:
//!
//! ```text
//! actors-core  <-  counter  <-  aggregator  <-  demo
//! ```
//!
//! [`run`] wires the article's system together: one aggregator, one counter
//! per client, one client task per counter, periodic collection, a final
//! round once every client has finished, and a shutdown that loses nothing.
//! The binary (`src/main.rs`) only parses flags, picks a clock and calls it.
//!
//! Everything the run says goes to a [`Transcript`], so that the integration
//! tests can run the same code on tokio's paused clock and snapshot every
//! line.
//!
//! The book walks through this crate in "demo: wiring the system"
//! (`docs/demo.md`).

use std::time::Duration;

use actors_core::{AggregatedStats, Transcript, Workload, WorkloadError};
use aggregator::{AggregatorActor, AggregatorArgs, AggregatorMessage};
use counter::{AskError, CounterActor, CounterArgs, CounterMessage, ask};
use ractor::concurrency::JoinHandle;
use ractor::{Actor, ActorCell, ActorRef, MessagingErr, RactorErr, SpawnErr};

// ANCHOR: scenario
/// Everything that shapes a run. [`Scenario::default`] is the article's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
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
    /// A client or actor task panicked or was cancelled.
    #[error("a task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// The aggregator could not be reached, or did not answer.
    #[error("the aggregator did not answer: {0}")]
    Aggregator(#[from] AskError),
    /// An actor could not be drained.
    #[error("an actor did not shut down cleanly: {0}")]
    Shutdown(#[from] RactorErr<()>),
    /// The final figures do not account for every operation the clients sent.
    #[error("operations went missing: {0}")]
    Lost(Accounting),
}

// ANCHOR: accounting
/// Where every operation went. A run succeeds only if this balances.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Accounting {
    /// Operations the clients handed to a counter's mailbox.
    pub sent: u64,
    /// Operations a client could not hand over, because the counter had stopped.
    pub undelivered: u64,
    /// Operations the counters applied, according to the final round.
    pub applied: u64,
    /// Operations the counters refused, according to the final round.
    pub rejected: u64,
}

impl Accounting {
    /// True when every operation sent was either applied or rejected.
    pub fn balances(&self) -> bool {
        self.applied.checked_add(self.rejected) == Some(self.sent)
    }
}

impl std::fmt::Display for Accounting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} sent, {} undelivered; {} applied, {} rejected",
            self.sent, self.undelivered, self.applied, self.rejected
        )
    }
}
// ANCHOR_END: accounting

/// What a finished run reports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// The final round's figures.
    pub stats: AggregatedStats,
    /// Where every operation went.
    pub accounting: Accounting,
}

/// A counter and the handle of the task that runs it.
struct Running {
    id: String,
    counter: ActorRef<CounterMessage>,
    task: JoinHandle<()>,
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
        "Starting the counter system: {} counters, {} operations per client, one every {} ms",
        workload.counters,
        workload.ops_per_client,
        workload.interval.as_millis()
    ));

    let aggregator_args = AggregatorArgs {
        collect_every: Some(scenario.collect_every),
        call_timeout: scenario.call_timeout,
        transcript: transcript.clone(),
    };
    let (aggregator, aggregator_task) =
        Actor::spawn(None, AggregatorActor, aggregator_args).await?;

    let counters = start_counters(workload.counters, transcript).await?;
    register_all(&aggregator, &counters, scenario.call_timeout, transcript).await?;

    let mut accounting = run_clients(workload, &counters, transcript).await?;

    tokio::time::sleep(scenario.linger).await;
    let stats = final_round(&aggregator, scenario.call_timeout).await?;
    print_final(&stats, transcript);

    shut_down(aggregator, aggregator_task, counters, transcript).await?;

    accounting.applied = stats.total_operations;
    accounting.rejected = stats.rejected_operations;
    transcript.line(format_args!("Accounting: {accounting}"));
    if !accounting.balances() {
        return Err(DemoError::Lost(accounting));
    }
    Ok(Outcome { stats, accounting })
}
// ANCHOR_END: run

async fn start_counters(count: usize, transcript: &Transcript) -> Result<Vec<Running>, SpawnErr> {
    let mut counters = Vec::with_capacity(count);
    for k in 0..count {
        let id = format!("counter-{k}");
        let args = CounterArgs {
            id: id.clone(),
            transcript: transcript.clone(),
        };
        // No global name: ractor's registry is process-wide, and tests that
        // run side by side in one process would fight over "counter-0".
        let (counter, task) = Actor::spawn(None, CounterActor, args).await?;
        counters.push(Running { id, counter, task });
    }
    Ok(counters)
}

// ANCHOR: register
/// Registers every counter, then waits until the aggregator has taken them
/// all in. The registrations are casts; the `GetTotalStats` call that
/// follows them from the same task is answered only after all of them were
/// handled, so its `num_counters` confirms the registry.
async fn register_all(
    aggregator: &ActorRef<AggregatorMessage>,
    counters: &[Running],
    timeout: Duration,
    transcript: &Transcript,
) -> Result<(), DemoError> {
    for running in counters {
        aggregator
            .cast(AggregatorMessage::RegisterCounter {
                id: running.id.clone(),
                counter: running.counter.clone(),
            })
            .map_err(|_| AskError::NotRunning)?;
    }
    let stats = ask(aggregator, AggregatorMessage::GetTotalStats, timeout).await?;
    transcript.line(format_args!(
        "The aggregator tracks {} counters",
        stats.num_counters
    ));
    Ok(())
}
// ANCHOR_END: register

// ANCHOR: clients
/// Starts one client per counter, waits for all of them, and returns how many
/// operations were sent and how many could not be delivered.
async fn run_clients(
    workload: &Workload,
    counters: &[Running],
    transcript: &Transcript,
) -> Result<Accounting, DemoError> {
    let clients: Vec<_> = counters
        .iter()
        .enumerate()
        .map(|(k, running)| tokio::spawn(client(workload.clone(), k, running.counter.clone())))
        .collect();
    transcript.line(format_args!("{} clients running", clients.len()));

    let mut total = Accounting::default();
    for client in clients {
        let delivery = client.await?;
        total.sent += delivery.sent;
        total.undelivered += delivery.undelivered;
    }
    transcript.line(format_args!(
        "Every client has finished: {} operations sent, {} undelivered",
        total.sent, total.undelivered
    ));
    Ok(total)
}

/// One client: the workload's operations for client `k`, one per tick.
async fn client(workload: Workload, k: usize, counter: ActorRef<CounterMessage>) -> Accounting {
    let mut ticks = tokio::time::interval(workload.interval);
    let mut delivery = Accounting::default();
    for op in workload.operations(k) {
        ticks.tick().await;
        match counter.cast(op.into()) {
            Ok(()) => delivery.sent += 1,
            // The counter has stopped. The operation is not lost silently:
            // it is counted, and the final accounting shows it.
            Err(_) => delivery.undelivered += 1,
        }
    }
    delivery
}
// ANCHOR_END: clients

// ANCHOR: final_round
/// Runs one more round and returns its figures.
///
/// Every client has finished, so every operation is already in a counter's
/// mailbox, ahead of the question this round puts there. The round therefore
/// sees all of them. (The article waits 3 s instead and reads whatever the
/// last periodic round saw.)
async fn final_round(
    aggregator: &ActorRef<AggregatorMessage>,
    timeout: Duration,
) -> Result<AggregatedStats, DemoError> {
    aggregator
        .cast(AggregatorMessage::CollectStats)
        .map_err(|_| AskError::NotRunning)?;
    // A round lasts at most one call timeout; the answer comes right after.
    Ok(ask(aggregator, AggregatorMessage::GetTotalStats, timeout * 2).await?)
}
// ANCHOR_END: final_round

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

// ANCHOR: shut_down
/// Stops everything without losing a message.
///
/// `drain` puts a marker at the back of an actor's mailbox: the actor handles
/// everything in front of it, then stops. `drain_and_wait` returns once the
/// actor has stopped, and awaiting its task makes sure `post_stop` has run.
/// The aggregator goes first, so that no round asks a counter that is
/// already gone. The article uses `stop`, which overtakes the queue, and then
/// sleeps for 100 ms in the hope that the actors are done by then.
async fn shut_down(
    aggregator: ActorRef<AggregatorMessage>,
    aggregator_task: JoinHandle<()>,
    counters: Vec<Running>,
    transcript: &Transcript,
) -> Result<(), DemoError> {
    transcript.line("Shutting down: draining every mailbox");
    drain(aggregator.get_cell(), aggregator_task).await?;
    for running in counters {
        drain(running.counter.get_cell(), running.task).await?;
    }
    Ok(())
}

async fn drain(actor: ActorCell, task: JoinHandle<()>) -> Result<(), DemoError> {
    match actor.drain_and_wait(None).await {
        // An actor that already stopped has nothing left to drain.
        Ok(()) | Err(RactorErr::Messaging(MessagingErr::SendErr(()))) => {}
        Err(error) => return Err(error.into()),
    }
    Ok(task.await?)
}
// ANCHOR_END: shut_down
