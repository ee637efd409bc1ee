//! Failure on purpose, and the flags that ask for it.
//!
//! [`Chaos`] is the run's failure schedule as data: a seed, how many
//! crashes, and how the supervised design answers them. [`FailureArgs`] is
//! the "Failure" group of `demo run`, kept beside it.

use std::time::Duration;

use actors_core::Design;
use clap::{Args, ValueEnum};
use supervision::{Delivery, Faults, Intensity, Recovery, Supervision};

use crate::cli::Unsupported;
use crate::scenario::{MAX_DURATION, Scenario, ScenarioError};

// ANCHOR: chaos
/// A seeded failure schedule, and the supervision that answers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chaos {
    /// Draws the schedule: the same seed, the same crashes.
    pub seed: u64,
    /// How many crashes to draw.
    pub crashes: usize,
    /// How clients hand over operations.
    pub delivery: Delivery,
    /// What a restarted counter starts from.
    pub recovery: Recovery,
    /// When the supervisor gives up.
    pub intensity: Intensity,
}

impl Chaos {
    /// The supervised design's settings for a run of `scenario`, with its
    /// faults drawn: counter, operation, error or panic, before or after
    /// the checkpoint.
    pub fn supervision(&self, scenario: &Scenario) -> Supervision {
        let workload = &scenario.workload;
        let drawn = Faults::random(
            self.seed,
            workload.counters,
            workload.ops_per_client,
            self.crashes,
        );
        Supervision {
            delivery: self.delivery,
            recovery: self.recovery,
            intensity: self.intensity,
            faults: Faults::new(drawn),
        }
    }
}
// ANCHOR_END: chaos

/// The most crashes a schedule may draw: more would only hit the limit.
pub const MAX_CRASHES: usize = 1_000;

impl Chaos {
    /// Checks the numbers a flag can get wrong.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        if self.crashes > MAX_CRASHES {
            return Err(ScenarioError::TooManyCrashes(self.crashes));
        }
        let period = self.intensity.period;
        let what = "the restart period";
        if period.is_zero() {
            return Err(ScenarioError::Zero { what });
        }
        if period > MAX_DURATION {
            return Err(ScenarioError::TooLong { what, got: period });
        }
        Ok(())
    }
}

// ANCHOR: args
/// The "Failure" flags: crash counters on purpose, and choose how the
/// supervisor and the clients answer.
#[derive(Debug, Clone, PartialEq, Eq, Args)]
#[command(next_help_heading = "Failure")]
pub struct FailureArgs {
    /// Crash counters at moments drawn from SEED, under a supervisor that
    /// restarts them (ractor only).
    #[arg(long, value_name = "SEED")]
    pub chaos: Option<u64>,
    /// How many crashes to draw.
    #[arg(long, value_name = "N", default_value_t = 3, requires = "chaos")]
    pub crashes: usize,
    /// Send operations with `cast` and no acknowledgement, and count what a
    /// crash loses. Without it, each is a `call`, sent again until answered.
    #[arg(long, requires = "chaos")]
    pub fire_and_forget: bool,
    /// What a restarted counter starts from.
    #[arg(long, value_name = "STATE", value_enum, default_value_t = RestartFrom::Checkpoint,
        requires = "chaos")]
    pub restart_from: RestartFrom,
    /// Restarts allowed within the period before the supervisor gives up.
    #[arg(long, value_name = "N", default_value_t = Intensity::default().max_restarts,
        requires = "chaos")]
    pub max_restarts: u32,
    /// The period, in milliseconds, over which restarts are counted.
    #[arg(long, value_name = "MS", requires = "chaos",
        default_value_t = u64::try_from(Intensity::default().period.as_millis()).unwrap_or(u64::MAX))]
    pub restart_period_ms: u64,
}

/// `--restart-from`'s values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RestartFrom {
    /// The last state the counter saved before it answered.
    Checkpoint,
    /// Nothing: the value and the counts start from zero.
    Empty,
}
// ANCHOR_END: args

impl FailureArgs {
    /// The failure schedule, if `--chaos` was given.
    pub fn chaos(&self) -> Option<Chaos> {
        Some(Chaos {
            seed: self.chaos?,
            crashes: self.crashes,
            delivery: if self.fire_and_forget {
                Delivery::FireAndForget
            } else {
                Delivery::Acknowledged
            },
            recovery: match self.restart_from {
                RestartFrom::Checkpoint => Recovery::Checkpoint,
                RestartFrom::Empty => Recovery::Empty,
            },
            intensity: Intensity {
                max_restarts: self.max_restarts,
                period: Duration::from_millis(self.restart_period_ms),
            },
        })
    }

    // ANCHOR: check
    /// Refuses `--chaos` for a design with no supervisor to restart what
    /// it crashes.
    pub fn check(&self, design: Design) -> Result<(), Unsupported> {
        if self.chaos.is_some() && design != Design::Ractor {
            return Err(Unsupported {
                option: "--chaos",
                design,
                reason: "only the ractor design has a supervisor to restart what crashes",
            });
        }
        Ok(())
    }
    // ANCHOR_END: check
}
