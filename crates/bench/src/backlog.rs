//! Backlog: clients that outrun a deliberately slow counter, once per
//! mailbox policy, watched over time. Not a time, so criterion cannot
//! measure it: the `backlog` binary does
//! (`cargo run --release -p bench --bin backlog`), with a counting global
//! allocator, and prints [`BacklogFigures`] as JSON for
//! `bench-report --backlog`.
//!
//! Each run is the demo's overload: every client sends one operation a
//! millisecond, every counter spends [`WORK`] on one. On tokio's paused
//! clock the depths and times are exact, and ten seconds of overload take
//! well under one of real time. A sampler task reads the mailboxes' depth
//! and the live heap bytes every [`SAMPLE_EVERY`] of virtual time.

use std::alloc::System;
use std::sync::Arc;
use std::time::Duration;

use actors_core::{CounterSystem, Design, Instant, Mailbox, Overflow, Transcript, Workload, drive};
use aggregator::AggregatorArgs;
use backpressure::BoundedSystem;
use handrolled::HandRolledSystem;
use serde::{Deserialize, Serialize};
use stats_alloc::{Region, StatsAlloc};
use tokio::sync::oneshot;

use crate::memory::design_name;
use crate::{MeasureError, PATIENCE};

/// Prints the backlog figures, as JSON for `bench-report --backlog`.
pub const BACKLOG_COMMAND: &str = "cargo run --release -p bench --bin backlog";

/// Counters, and so clients, unless told otherwise: the demo's four.
pub const COUNTERS: usize = 4;

/// Operations per client: 2,000 at one a millisecond is two seconds of
/// sending, long enough for an unbounded mailbox to grow to 1,600.
pub const OPS_PER_CLIENT: u64 = 2_000;

/// The pause between a client's operations: 1 ms, five times faster than
/// a counter works.
pub const INTERVAL: Duration = Duration::from_millis(1);

/// How long a counter spends on each operation.
pub const WORK: Duration = Duration::from_millis(5);

/// How often the sampler reads depth and heap, in virtual time.
pub const SAMPLE_EVERY: Duration = Duration::from_millis(25);

/// The mailboxes compared: unbounded, then every policy with a bound of 64.
pub const MAILBOXES: [Mailbox; 6] = [
    Mailbox::Unbounded,
    bounded(Overflow::Block { timeout: None }),
    bounded(Overflow::FailFast),
    bounded(Overflow::DropNewest),
    bounded(Overflow::DropOldest),
    bounded(Overflow::Route),
];

const fn bounded(overflow: Overflow) -> Mailbox {
    Mailbox::Bounded {
        overflow,
        capacity: actors_core::mailbox::DEFAULT_CAPACITY,
    }
}

/// The overload every policy gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overload {
    /// Which actor design runs the counters.
    pub design: Design,
    /// How many counters, one client each.
    pub counters: usize,
    /// Operations each client sends, one every [`INTERVAL`].
    pub ops_per_client: u64,
    /// What each counter spends on each operation.
    pub work: Duration,
    /// How often the sampler reads.
    pub sample_every: Duration,
}

impl Default for Overload {
    /// The ractor design, with the constants above.
    fn default() -> Self {
        Overload {
            design: Design::Ractor,
            counters: COUNTERS,
            ops_per_client: OPS_PER_CLIENT,
            work: WORK,
            sample_every: SAMPLE_EVERY,
        }
    }
}

impl Overload {
    /// The clients' workload: the demo's, one operation a millisecond.
    pub fn workload(&self) -> Workload {
        Workload {
            counters: self.counters,
            ops_per_client: self.ops_per_client,
            interval: INTERVAL,
            ..Workload::default()
        }
    }
}

// ANCHOR: run_policy
/// Runs the overload against counters behind `mailbox`, sampling as it
/// goes, until every counter has drained its mailbox and stopped.
///
/// `allocator` must be the program's global allocator (see
/// [`heap_per_counter`](crate::heap_per_counter)). Run it on a
/// current-thread runtime with a paused clock: then the sampler reads
/// between steps of the run, never in the middle of one.
pub async fn run_policy(
    overload: &Overload,
    mailbox: Mailbox,
    allocator: &'static StatsAlloc<System>,
) -> Result<PolicyRun, MeasureError> {
    let workload = overload.workload();
    // The baseline: what the program held before the system started.
    let region = Region::new(allocator);
    let begun = Instant::now();
    let system = start(overload, mailbox).await?;
    let (stop, stopped) = oneshot::channel();
    let sampler = tokio::spawn(sample(
        Arc::clone(&system),
        region,
        begun,
        overload.sample_every,
        stopped,
    ));
    let mut accounting = drive(Arc::clone(&system), &workload)
        .await
        .map_err(demo::DemoError::from)?;
    let producers_done = millis(begun.elapsed());
    let finals = system.shutdown().await?;
    let drained = millis(begun.elapsed());
    let _ = stop.send(());
    let samples = sampler.await.map_err(|_| MeasureError::TaskFailed)?;
    let report = system.mailbox().unwrap_or_default();
    accounting.settle(&finals);
    accounting.dropped = report.dropped;
    Ok(PolicyRun {
        mailbox,
        peak_depth: report.peak,
        peak_total_depth: samples.iter().map(|s| s.depth).max().unwrap_or(0),
        peak_heap_bytes: samples.iter().map(|s| s.heap_bytes).max().unwrap_or(0),
        sent: accounting.sent,
        refused: accounting.refused,
        undelivered: accounting.undelivered,
        dropped: report.dropped,
        rerouted: report.rerouted,
        applied: accounting.applied,
        rejected: accounting.rejected,
        balances: accounting.balances(),
        producers_done_ms: producers_done,
        drained_ms: drained,
        samples,
    })
}
// ANCHOR_END: run_policy

/// Starts `overload.design` behind `mailbox`, quiet and with no timed
/// rounds: nothing but the clients and the sampler allocates.
async fn start(
    overload: &Overload,
    mailbox: Mailbox,
) -> Result<Arc<dyn CounterSystem>, MeasureError> {
    let (counters, work) = (overload.counters, overload.work);
    Ok(match overload.design {
        Design::Ractor => {
            // Shutdown asks each counter for its figures behind its whole
            // backlog: give it the time that backlog takes, and more.
            let backlog = u32::try_from(overload.ops_per_client).unwrap_or(u32::MAX);
            let args = AggregatorArgs {
                collect_every: None,
                call_timeout: work.saturating_mul(backlog).saturating_add(PATIENCE),
                transcript: Transcript::discard(),
            };
            Arc::new(BoundedSystem::start(counters, args, mailbox, work).await?)
        }
        Design::HandRolled => Arc::new(HandRolledSystem::start_with(
            counters,
            &Transcript::discard(),
            mailbox,
            work,
        )),
        design => return Err(MeasureError::NotAnActor(design)),
    })
}

/// Reads depth and heap every `every` until `stopped`, then once more.
async fn sample(
    system: Arc<dyn CounterSystem>,
    region: Region<'static, System>,
    begun: Instant,
    every: Duration,
    mut stopped: oneshot::Receiver<()>,
) -> Vec<Sample> {
    let mut samples: Vec<Sample> = Vec::new();
    let read = |samples: &mut Vec<Sample>| {
        let live = crate::memory::live_bytes(&region) as i64;
        // The samples' own vector is on the heap too; it is not the backlog.
        let own = (samples.capacity() * size_of::<Sample>()) as i64;
        let depth = system.mailbox().unwrap_or_default().depth;
        let ms = millis(begun.elapsed());
        samples.push(Sample {
            ms,
            depth,
            heap_bytes: live - own,
        });
    };
    let mut ticks = tokio::time::interval(every);
    loop {
        tokio::select! {
            biased;
            _ = &mut stopped => break,
            _ = ticks.tick() => read(&mut samples),
        }
    }
    read(&mut samples);
    samples
}

fn millis(elapsed: Duration) -> u64 {
    u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)
}

/// What the `backlog` binary prints and `bench-report` reads. Writing and
/// reading live here, side by side, so the two cannot disagree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacklogFigures {
    /// The command that produced the figures, flags and all.
    pub command: String,
    /// The actor design that ran the counters.
    #[serde(with = "design_name")]
    pub design: Design,
    /// Counters, one client each.
    pub counters: usize,
    /// Operations each client sent.
    pub ops_per_client: u64,
    /// Milliseconds between a client's operations.
    pub interval_ms: u64,
    /// Milliseconds a counter spends on each operation.
    pub work_ms: u64,
    /// Milliseconds of virtual time between samples.
    pub sample_ms: u64,
    /// One run per mailbox, in the order they ran.
    pub runs: Vec<PolicyRun>,
}

/// One mailbox's run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyRun {
    /// The mailbox, as the demo's `--mailbox` writes it: `drop-newest:64`.
    #[serde(with = "mailbox_text")]
    pub mailbox: Mailbox,
    /// The most operations that waited at once in one mailbox.
    pub peak_depth: usize,
    /// The most that waited in all the mailboxes together, as sampled.
    pub peak_total_depth: usize,
    /// The most live heap bytes above the baseline, as sampled.
    pub peak_heap_bytes: i64,
    /// Operations the clients handed over.
    pub sent: u64,
    /// Operations a full mailbox handed back (fail fast).
    pub refused: u64,
    /// Operations a client could not hand over at all.
    pub undelivered: u64,
    /// Operations a drop policy discarded.
    pub dropped: u64,
    /// Operations the route policy sent to another counter.
    pub rerouted: u64,
    /// Operations the counters applied.
    pub applied: u64,
    /// Operations the counters refused (a decrement below zero).
    pub rejected: u64,
    /// Whether every operation sent was applied, rejected or dropped.
    pub balances: bool,
    /// Virtual milliseconds from the start until the last client finished.
    pub producers_done_ms: u64,
    /// Virtual milliseconds until every mailbox was drained.
    pub drained_ms: u64,
    /// The readings, in order of time.
    pub samples: Vec<Sample>,
}

/// One reading of the sampler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    /// Virtual milliseconds since the system started.
    pub ms: u64,
    /// Operations waiting, summed over every counter's mailbox.
    pub depth: usize,
    /// Live heap bytes above the baseline taken before the system started.
    pub heap_bytes: i64,
}

/// Why a file of backlog figures cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("not the backlog binary's JSON: {0}")]
pub struct BacklogFormatError(#[from] serde_json::Error);

impl BacklogFigures {
    /// The figures as the binary prints them: one JSON document.
    pub fn to_json(&self) -> String {
        // Strings, numbers and vectors of them always serialize.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads what [`to_json`](Self::to_json) wrote.
    pub fn from_json(text: &str) -> Result<Self, BacklogFormatError> {
        Ok(serde_json::from_str(text)?)
    }
}

/// A [`Mailbox`] in JSON is its text, and only text that reads back as a
/// mailbox is accepted.
mod mailbox_text {
    use actors_core::Mailbox;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(mailbox: &Mailbox, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(mailbox)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Mailbox, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A number on the `backlog` command line that no run should be asked for.
#[derive(Debug, thiserror::Error)]
pub enum FlagError {
    /// Not a whole number.
    #[error("{0:?} is not a whole number")]
    NotANumber(String),
    /// Outside what a run can use.
    #[error("{what} must be {min} to {max}, not {got}")]
    OutOfRange {
        /// Which number.
        what: &'static str,
        /// The least accepted.
        min: u64,
        /// The most accepted.
        max: u64,
        /// The number given.
        got: u64,
    },
    /// No design by that name.
    #[error(transparent)]
    Unknown(#[from] actors_core::UnknownDesign),
    /// A lock-based design has no mailbox to fill.
    #[error("{0} has no mailbox: only the actor designs (ractor, handrolled) can be overloaded")]
    NotAnActor(Design),
}

/// `arg` as a whole number from `min` to `max`: every numeric flag of the
/// lab's binaries reads this way.
pub(crate) fn whole(arg: &str, what: &'static str, min: u64, max: u64) -> Result<u64, FlagError> {
    let got: u64 = arg
        .parse()
        .map_err(|_| FlagError::NotANumber(arg.to_owned()))?;
    if (min..=max).contains(&got) {
        Ok(got)
    } else {
        Err(FlagError::OutOfRange {
            what,
            min,
            max,
            got,
        })
    }
}

/// `--ops`: 1 to 100,000 operations per client. Every one may wait in an
/// unbounded mailbox at once, so the bound keeps the run in memory.
pub fn ops_arg(arg: &str) -> Result<u64, FlagError> {
    whole(arg, "operations per client", 1, 100_000)
}

/// `--work-ms` and `--sample-ms`: 1 to 1,000 milliseconds.
pub fn millis_arg(arg: &str) -> Result<Duration, FlagError> {
    whole(arg, "a time in milliseconds", 1, 1000).map(Duration::from_millis)
}

/// `--design`: one of the two actor designs.
pub fn design_arg(arg: &str) -> Result<Design, FlagError> {
    let design: Design = arg.parse()?;
    if design.is_actor() {
        Ok(design)
    } else {
        Err(FlagError::NotAnActor(design))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What is written reads back the same, with mailboxes by their text;
    /// a mailbox that does not read is refused.
    #[test]
    fn figures_round_trip() {
        let figures = BacklogFigures {
            command: BACKLOG_COMMAND.to_owned(),
            design: Design::HandRolled,
            counters: 1,
            ops_per_client: 3,
            interval_ms: 1,
            work_ms: 5,
            sample_ms: 25,
            runs: vec![PolicyRun {
                mailbox: MAILBOXES[3],
                peak_depth: 2,
                peak_total_depth: 2,
                peak_heap_bytes: 900,
                sent: 3,
                refused: 0,
                undelivered: 0,
                dropped: 1,
                rerouted: 0,
                applied: 2,
                rejected: 0,
                balances: true,
                producers_done_ms: 2,
                drained_ms: 10,
                samples: vec![Sample {
                    ms: 0,
                    depth: 0,
                    heap_bytes: -8,
                }],
            }],
        };
        let json = figures.to_json();
        assert!(json.contains("\"mailbox\": \"drop-newest:64\""), "{json}");
        assert!(json.contains("\"design\": \"handrolled\""), "{json}");
        assert_eq!(BacklogFigures::from_json(&json).unwrap(), figures);
        let unknown = json.replace("drop-newest:64", "drop-middle:64");
        let refused = BacklogFigures::from_json(&unknown).unwrap_err();
        assert!(refused.to_string().contains("drop-middle"), "{refused}");
    }

    /// Each flag refuses what a run cannot use, and says what it wanted.
    #[test]
    fn flags_refuse_what_a_run_cannot_use() {
        assert_eq!(ops_arg("2000").unwrap(), 2000);
        assert!(matches!(ops_arg("0"), Err(FlagError::OutOfRange { .. })));
        assert!(matches!(ops_arg("lots"), Err(FlagError::NotANumber(_))));
        assert_eq!(millis_arg("5").unwrap(), WORK);
        assert!(millis_arg("1001").is_err());
        assert_eq!(design_arg("handrolled").unwrap(), Design::HandRolled);
        assert!(matches!(
            design_arg("mutex"),
            Err(FlagError::NotAnActor(Design::Mutex))
        ));
        assert!(matches!(design_arg("actor"), Err(FlagError::Unknown(_))));
    }

    /// A lock-based design is refused before anything starts.
    #[tokio::test(start_paused = true)]
    async fn only_actor_designs_run() {
        static PRIVATE: StatsAlloc<System> = StatsAlloc::system();
        let overload = Overload {
            design: Design::Mutex,
            ..Overload::default()
        };
        let refused = run_policy(&overload, Mailbox::Unbounded, &PRIVATE).await;
        assert!(matches!(
            refused,
            Err(MeasureError::NotAnActor(Design::Mutex))
        ));
    }
}
