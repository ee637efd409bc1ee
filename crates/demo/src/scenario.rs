//! What a run does, and the flags that say it.
//!
//! [`Scenario`] is the run as data, [`Scenario::validate`] is the one place
//! that decides whether it can work, and [`ScenarioArgs`] is the "Scenario"
//! group of the command line, kept here so that a new setting and its flag
//! land in the same file.

use std::time::Duration;

use actors_core::{Design, Workload, WorkloadError};
use clap::Args;

use crate::cli::Unsupported;
use crate::failure::{Chaos, MAX_CRASHES};
use crate::mailbox::Pressure;

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
    /// Crash counters on purpose under a supervisor: `None` runs the
    /// design as it is, with nothing to fail.
    pub chaos: Option<Chaos>,
    /// Slow counters and bounded mailboxes: `None` runs the counters at
    /// full speed on their design's own mailboxes.
    pub pressure: Option<Pressure>,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            design: Design::Ractor,
            workload: Workload::default(),
            collect_every: Duration::from_secs(2),
            call_timeout: Duration::from_secs(1),
            linger: Duration::from_secs(3),
            chaos: None,
            pressure: None,
        }
    }
}
// ANCHOR_END: scenario

/// The longest duration a flag may ask for. Longer ones are almost certainly
/// typos, and durations near `u64::MAX` milliseconds overflow a clock.
pub const MAX_DURATION: Duration = Duration::from_secs(24 * 60 * 60);

/// The most counters a run may start: ten million, enough for any design
/// on a large machine. The real limit is the memory free on this one, which
/// `demo run` checks before it starts ([`crate::footprint`]); this cap
/// catches a stray zero first (`--counters 400000000`).
pub const MAX_COUNTERS: usize = 10_000_000;

/// Why a scenario cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// The workload itself is impossible.
    #[error(transparent)]
    Workload(#[from] WorkloadError),
    /// More counters than [`MAX_COUNTERS`].
    #[error("at most {MAX_COUNTERS} counters can run, got {0}")]
    TooManyCounters(usize),
    /// More crashes than [`MAX_CRASHES`].
    #[error("at most {MAX_CRASHES} crashes can be drawn, got {0}")]
    TooManyCrashes(usize),
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
    /// A mailbox setting for a design that has no mailbox.
    #[error("the {0} design has no mailbox to bound or slow down")]
    NoMailbox(Design),
    /// Crashes and bounded mailboxes in one run: each is a lesson of its
    /// own, and the supervised design has no bounded front.
    #[error("a run crashes counters or bounds their mailboxes, not both")]
    ChaosWithMailbox,
    /// `--block-timeout-ms` with a mailbox whose policy never waits.
    #[error("--block-timeout-ms needs --mailbox block, got --mailbox {0}")]
    TimeoutWithoutBlock(actors_core::Mailbox),
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
        if let Some(chaos) = &self.chaos {
            chaos.validate()?;
        }
        if let Some(pressure) = &self.pressure {
            if self.chaos.is_some() {
                return Err(ScenarioError::ChaosWithMailbox);
            }
            if !self.design.is_actor() {
                return Err(ScenarioError::NoMailbox(self.design));
            }
            pressure.validate()?;
        }
        Ok(())
    }
}

// ANCHOR: args
/// The "Scenario" flags: what the clients send, how the ractor design's
/// aggregator behaves, and which clock runs it all. Defaults come from
/// [`Scenario::default`], so the article's figures are written once.
#[derive(Debug, Clone, PartialEq, Eq, Args)]
#[command(next_help_heading = "Scenario")]
pub struct ScenarioArgs {
    /// How many counters, and so how many clients.
    #[arg(long, default_value_t = Scenario::default().workload.counters)]
    pub counters: usize,
    /// Operations each client sends.
    #[arg(long, default_value_t = Scenario::default().workload.ops_per_client)]
    pub ops: u64,
    /// Milliseconds between two operations of one client.
    #[arg(long, value_name = "MS", default_value_t = millis(Scenario::default().workload.interval))]
    pub interval_ms: u64,
    /// Milliseconds between two collection rounds. An `Option`, so that
    /// giving it to a design without an aggregator can be refused.
    #[arg(long, value_name = "MS",
        help = ractor_only("Milliseconds between two collection rounds", Scenario::default().collect_every))]
    pub collect_every_ms: Option<u64>,
    /// Milliseconds a round waits for each counter's answer. An `Option`
    /// for the same reason as `collect_every_ms`.
    #[arg(long, value_name = "MS",
        help = ractor_only("Milliseconds a round waits for each counter's answer", Scenario::default().call_timeout))]
    pub timeout_ms: Option<u64>,
    /// Milliseconds to keep running after the last client finished.
    #[arg(long, value_name = "MS", default_value_t = millis(Scenario::default().linger))]
    pub linger_ms: u64,
    /// Run on tokio's paused clock: the same story, in milliseconds.
    ///
    /// Timers fire in order as if the time had passed, and the transcript
    /// is the same on every run.
    #[arg(long)]
    pub virtual_time: bool,
}
// ANCHOR_END: args

impl ScenarioArgs {
    /// The scenario these flags describe, on `design`. Checks nothing:
    /// [`check`](Self::check) and [`Scenario::validate`] do that.
    pub fn scenario(&self, design: Design) -> Scenario {
        let article = Scenario::default();
        Scenario {
            design,
            workload: Workload {
                counters: self.counters,
                ops_per_client: self.ops,
                interval: Duration::from_millis(self.interval_ms),
                ..article.workload
            },
            collect_every: self
                .collect_every_ms
                .map_or(article.collect_every, Duration::from_millis),
            call_timeout: self
                .timeout_ms
                .map_or(article.call_timeout, Duration::from_millis),
            linger: Duration::from_millis(self.linger_ms),
            chaos: None,
            pressure: None,
        }
    }

    // ANCHOR: check
    /// Refuses an option that `design` would silently ignore: only the
    /// ractor design has an aggregator, which runs rounds and asks with a
    /// timeout.
    pub fn check(&self, design: Design) -> Result<(), Unsupported> {
        let aggregator_only = [
            ("--collect-every-ms", self.collect_every_ms.is_some()),
            ("--timeout-ms", self.timeout_ms.is_some()),
        ];
        for (option, given) in aggregator_only {
            if given && design != Design::Ractor {
                return Err(Unsupported {
                    option,
                    design,
                    reason: "only the ractor design has an aggregator",
                });
            }
        }
        Ok(())
    }
    // ANCHOR_END: check
}

/// A default duration as the whole milliseconds a flag takes.
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// The help of a flag that only the ractor design reads. Its default is
/// shown by hand, because an `Option` flag has none for clap to show.
fn ractor_only(what: &str, default: Duration) -> String {
    format!("{what} (ractor only) [default: {}]", default.as_millis())
}
