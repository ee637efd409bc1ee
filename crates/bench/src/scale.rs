//! Scale: the demo's workload at 10,000, 100,000 and a million counters,
//! for every design, each run timed phase by phase with a real clock and
//! weighed by its peak resident memory. The `scale` binary
//! (`cargo run --release -p bench --bin scale`) runs each case in a fresh
//! process of its own, so that each peak is its own, and prints
//! [`ScaleFigures`] as JSON for `bench-report --scale`. "How many actors
//! fit?" quotes the figures.

use std::time::{Duration, Instant};

use actors_core::{Design, Transcript, Workload, drive};
use demo::Scenario;
use demo::footprint::{self, WontFit};
use serde::{Deserialize, Serialize};

use crate::MeasureError;
use crate::memory::design_name;

/// The sizes the binary runs unless told otherwise.
pub const SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];

/// Operations per client: the demo's `--ops 10`.
pub const OPS_PER_CLIENT: u64 = 10;

/// The pause between a client's operations: the demo's `--interval-ms 1`.
/// On the paused clock it costs no real time.
pub const INTERVAL: Duration = Duration::from_millis(1);

/// What [`GOAL_COUNTERS`] ractor counters should take, start to drain.
pub const GOAL: Duration = Duration::from_secs(60);

/// The size the goal is for: a million counters in one process.
pub const GOAL_COUNTERS: usize = 1_000_000;

/// Prints the scale figures, as JSON for `bench-report --scale`.
pub const SCALE_COMMAND: &str = "cargo run --release -p bench --bin scale";

/// Where the peak comes from, on the one platform that has it.
pub const PEAK_SOURCE: &str = "VmHWM in /proc/self/status";

/// The demo's workload for `counters` counters: `--ops 10 --interval-ms 1`.
pub fn workload(counters: usize) -> Workload {
    Workload {
        counters,
        ops_per_client: OPS_PER_CLIENT,
        interval: INTERVAL,
        ..Workload::default()
    }
}

/// Refuses a run that `demo run` would refuse: one that would not fit in
/// the memory free now.
pub fn fits(design: Design, counters: usize) -> Result<(), WontFit> {
    footprint::check(design, counters, footprint::available())
}

// ANCHOR: run_once
/// Runs the demo's workload on a quiet system of `counters` counters of
/// `design`, timing each phase, and checks the totals.
///
/// Run it on a current-thread runtime with a paused clock, as
/// `demo --virtual-time` does: the clients' pauses and the round's
/// timeouts are then virtual, and the phases measure only the work.
pub async fn run_once(design: Design, counters: usize) -> Result<Measured, MeasureError> {
    let workload = workload(counters);
    let scenario = Scenario {
        design,
        workload: workload.clone(),
        ..Scenario::default()
    };
    let before = peak_resident();
    let mut laps = Laps::start();
    let system = demo::start(design, counters, &scenario, &Transcript::discard()).await?;
    let start = laps.lap();
    let mut accounting = drive(system.clone(), &workload)
        .await
        .map_err(demo::DemoError::from)?;
    let feed = laps.lap();
    let stats = system.aggregate().await?;
    let collect = laps.lap();
    let finals = system.shutdown().await?;
    let drain = laps.lap();
    accounting.settle(&finals);
    let memory = before
        .zip(peak_resident())
        .map(|(before, peak)| Resident { before, peak });
    Ok(Measured {
        phases: Phases::from_laps(start, feed, collect, drain),
        memory,
        total_value: stats.total_value,
        total_operations: stats.total_operations,
        exact: stats.total_value == workload.expected_total_value()
            && stats.total_operations == workload.expected_total_operations()
            && accounting.balances()
            && accounting.undelivered == 0,
    })
}
// ANCHOR_END: run_once

/// A real clock that hands out the time since its previous reading.
#[derive(Debug)]
struct Laps {
    last: Instant,
}

impl Laps {
    fn start() -> Self {
        Laps {
            last: Instant::now(),
        }
    }

    fn lap(&mut self) -> Duration {
        let now = Instant::now();
        let lap = now - self.last;
        self.last = now;
        lap
    }
}

/// This process's peak resident memory so far, in bytes: `VmHWM` of
/// `/proc/self/status`. `None` where there is no such file (not Linux).
pub fn peak_resident() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status_kilobytes(&status, "VmHWM").map(|kb| kb * 1024)
}

/// The value of `field` in the text of `/proc/self/status`, which gives
/// memory in kB (`VmHWM:  8800 kB`, a tab after the colon).
pub fn status_kilobytes(status: &str, field: &str) -> Option<u64> {
    status.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        let number = value.trim().strip_suffix("kB")?;
        (key == field).then(|| number.trim().parse().ok())?
    })
}

/// What the `scale` binary prints and `bench-report` reads. Writing and
/// reading live here, side by side, so the two cannot disagree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleFigures {
    /// The command that produced the figures, flags and all.
    pub command: String,
    /// Operations per client.
    pub ops_per_client: u64,
    /// Milliseconds between a client's operations, on the paused clock.
    pub interval_ms: u64,
    /// One entry per design and size, in the order they ran.
    pub runs: Vec<ScaleRun>,
}

/// One design at one size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleRun {
    /// The design, by its one name.
    #[serde(with = "design_name")]
    pub design: Design,
    /// How many counters, and so how many clients.
    pub counters: usize,
    /// What became of it.
    pub outcome: Outcome,
}

/// A run that ran, or why it did not. In JSON, `{"ran": {...}}` or
/// `{"skipped": {"reason": "..."}}`: serde's internally tagged enums
/// cannot read back an `i128`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// It ran to the end.
    Ran(Measured),
    /// It was not started.
    Skipped {
        /// Why, in words: what it needs and what was free.
        reason: String,
    },
}

/// The figures of a run that ran.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Measured {
    /// Real time per phase.
    pub phases: Phases,
    /// Resident memory, where the platform reports it.
    pub memory: Option<Resident>,
    /// The final round's total value.
    pub total_value: i128,
    /// The final round's total operations.
    pub total_operations: u64,
    /// Whether both totals are the workload's and every operation sent
    /// was applied.
    pub exact: bool,
}

/// Seconds of real time in each phase of a run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Phases {
    /// `demo::start`: spawning the counters (and registering them).
    pub start: f64,
    /// `drive`: the clients, until every one has finished.
    pub feed: f64,
    /// `aggregate`: one round over every counter.
    pub collect: f64,
    /// `shutdown`: every mailbox drained, every counter stopped.
    pub drain: f64,
}

impl Phases {
    /// The four phases, from the durations a clock gave them.
    pub fn from_laps(start: Duration, feed: Duration, collect: Duration, drain: Duration) -> Self {
        Phases {
            start: start.as_secs_f64(),
            feed: feed.as_secs_f64(),
            collect: collect.as_secs_f64(),
            drain: drain.as_secs_f64(),
        }
    }

    /// The whole run, start to drain.
    pub fn total(&self) -> f64 {
        self.start + self.feed + self.collect + self.drain
    }
}

/// A child process's resident memory, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resident {
    /// Its peak before the system started: the runtime and the program.
    pub before: u64,
    /// Its peak by the end of the run.
    pub peak: u64,
}

impl Resident {
    /// What the run added to the peak, per counter: a counter and its
    /// client, with everything they share divided among them.
    pub fn per_counter(&self, counters: usize) -> f64 {
        self.peak.saturating_sub(self.before) as f64 / counters.max(1) as f64
    }
}

/// Why a file of scale figures cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("not the scale binary's JSON: {0}")]
pub struct ScaleFormatError(#[from] serde_json::Error);

impl ScaleFigures {
    /// The run of `design` at `counters`, if there is one.
    pub fn run(&self, design: Design, counters: usize) -> Option<&ScaleRun> {
        self.runs
            .iter()
            .find(|run| run.design == design && run.counters == counters)
    }

    /// The figures as the binary prints them: one JSON document.
    pub fn to_json(&self) -> String {
        // Strings, numbers and enums of them always serialize.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads what [`to_json`](Self::to_json) wrote.
    pub fn from_json(text: &str) -> Result<Self, ScaleFormatError> {
        Ok(serde_json::from_str(text)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures() -> ScaleFigures {
        let phases = Phases::from_laps(
            Duration::from_millis(1500),
            Duration::from_millis(2250),
            Duration::from_millis(125),
            Duration::from_millis(625),
        );
        ScaleFigures {
            command: SCALE_COMMAND.to_owned(),
            ops_per_client: OPS_PER_CLIENT,
            interval_ms: 1,
            runs: vec![
                ScaleRun {
                    design: Design::AtomicNaive,
                    counters: 100,
                    outcome: Outcome::Ran(Measured {
                        phases,
                        memory: Some(Resident {
                            before: 4_000_000,
                            peak: 4_100_000,
                        }),
                        total_value: 10_100,
                        total_operations: 1000,
                        exact: true,
                    }),
                },
                ScaleRun {
                    design: Design::Ractor,
                    counters: 1_000_000,
                    outcome: Outcome::Skipped {
                        reason: "too big".to_owned(),
                    },
                },
            ],
        }
    }

    /// What is written reads back the same, with designs by name, the
    /// outcome tagged and the total an `i128`.
    #[test]
    fn figures_round_trip() {
        let json = figures().to_json();
        assert!(json.contains("\"design\": \"atomic-naive\""), "{json}");
        assert!(json.contains("\"skipped\": {"), "{json}");
        assert_eq!(ScaleFigures::from_json(&json).unwrap(), figures());
        let unknown = json.replace("atomic-naive", "atomic-ish");
        assert!(ScaleFigures::from_json(&unknown).is_err());
    }

    /// The phases add up to the run, and the bytes per counter are what
    /// the run added to the peak, shared out.
    #[test]
    fn phases_and_bytes_add_up() {
        let figures = figures();
        let run = figures.run(Design::AtomicNaive, 100).unwrap();
        let Outcome::Ran(measured) = &run.outcome else {
            panic!("ran");
        };
        assert_eq!(measured.phases.total(), 4.5);
        assert_eq!(measured.memory.unwrap().per_counter(100), 1000.0);
        let shrunk = Resident { before: 9, peak: 5 };
        assert_eq!(shrunk.per_counter(0), 0.0);
        assert!(figures.run(Design::Mutex, 100).is_none());
    }

    /// The clock hands out each lap once: laps add up to the time since
    /// it started.
    #[test]
    fn laps_do_not_overlap() {
        let begun = Instant::now();
        let mut laps = Laps::start();
        let first = laps.lap();
        let second = laps.lap();
        assert!(first + second <= begun.elapsed());
    }

    /// `VmHWM` is read in kB from its own line, not from a field whose
    /// name merely contains it.
    #[test]
    fn status_fields_are_read_by_name() {
        let status = "Name:\tscale\nVmPeak:\t  9000 kB\nVmHWM:\t  8800 kB\nThreads:\t1\n";
        assert_eq!(status_kilobytes(status, "VmHWM"), Some(8800));
        assert_eq!(status_kilobytes(status, "Threads"), None);
        assert_eq!(status_kilobytes(status, "HWM"), None);
        if cfg!(target_os = "linux") {
            assert!(peak_resident().unwrap_or_default() > 0);
        }
    }

    /// A tiny run of every design ends exact, on the paused clock.
    #[tokio::test(start_paused = true)]
    async fn every_design_ends_exact() {
        for design in Design::ALL {
            let measured = run_once(design, 20).await.unwrap();
            assert!(measured.exact, "{design}: {measured:?}");
            assert_eq!(measured.total_operations, 200);
        }
    }
}
