//! # Exercise 09: a supervisor with an intensity limit
//!
//! ractor links a child to its supervisor (`spawn_linked`) and tells the
//! supervisor when the child fails or stops (`SupervisionEvent`), but it
//! restarts nothing: the policy is the supervisor's to write. Here a
//! [`Supervisor`] runs a few [`Worker`]s one for one: when a worker fails,
//! that worker alone starts again. You write the policy, in two parts:
//!
//! * [`RestartWindow::allow`], the bookkeeping: at most `max_restarts`
//!   restarts within any `period`, counted as Erlang/OTP counts them;
//! * [`SupervisorState::on_exit`], the decision: a failed worker restarts
//!   while the window allows it, a clean stop is left alone, a restart that
//!   fails in `pre_start` counts as one more failure, and when the window
//!   says no, the supervisor stops its workers and fails itself, so that
//!   its own supervisor decides (escalation).
//!
//! The chapter "When actors fail" (`docs/supervision.md`) gives the
//! background. The book's page is "Exercise 9: a supervisor with an
//! intensity limit" (`docs/exercises/09-supervisor.md`).
//!
//! Write your answer in `src/starter.rs`, then grade it:
//!
//! ```text
//! just exercise 9
//! # which runs: cargo test -p exercise-09-supervisor --features starter
//! ```
//!
//! Without the `starter` feature the same grader runs against the reference
//! solution, which is how CI knows the grader can pass.

use std::collections::VecDeque;
use std::fmt::Display;
use std::time::Duration;

use actors_core::Transcript;
use ractor::{Actor, ActorCell, ActorRef, SpawnErr};
use tokio::time::Instant;

mod supervisor;
mod worker;

pub use supervisor::{Supervisor, SupervisorArgs, SupervisorMessage};
pub use worker::{
    Crash, StartFailures, Worker, WorkerArgs, WorkerError, WorkerMessage, WorkerPanic,
};

// `RestartWindow::allow` and `SupervisorState::on_exit`, the methods under
// test. Either file adds them in `impl` blocks of its own, so there is
// nothing to re-export; the `starter` feature picks the student's file.
#[cfg(not(feature = "starter"))]
mod solution;

// The starter's parameters stay unused until the student writes the bodies.
#[cfg(feature = "starter")]
#[allow(unused_variables)]
mod starter;

// Only `allow` reads `recent`, and the untouched starter does not yet.
#[cfg_attr(feature = "starter", allow(dead_code))]
// ANCHOR: restart_window
/// The intensity limit: how many restarts a supervisor may make within a
/// sliding period of time before it gives up.
#[derive(Debug, Clone)]
pub struct RestartWindow {
    /// The most restarts allowed within any `period`.
    max_restarts: usize,
    /// How long a restart counts against the limit.
    period: Duration,
    /// When each restart that still counts was allowed, oldest first.
    /// tokio's `Instant`, so that on the paused clock the grader's seconds
    /// are virtual and exact.
    recent: VecDeque<Instant>,
}
// ANCHOR_END: restart_window

impl RestartWindow {
    /// A window that allows `max_restarts` restarts within any `period`.
    pub fn new(max_restarts: usize, period: Duration) -> Self {
        RestartWindow {
            max_restarts,
            period,
            recent: VecDeque::with_capacity(max_restarts + 1),
        }
    }

    /// The error a supervisor fails with when this window refuses a restart.
    pub fn exceeded(&self) -> TooManyRestarts {
        TooManyRestarts {
            max_restarts: self.max_restarts,
            period: self.period,
        }
    }
}

/// Why a supervisor gave up: its workers failed more often than its
/// [`RestartWindow`] allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("more than {max_restarts} restarts within {period:?}")]
pub struct TooManyRestarts {
    /// The window's `max_restarts`.
    pub max_restarts: usize,
    /// The window's `period`.
    pub period: Duration,
}

// ANCHOR: exit
/// How a worker ended, as its supervision event told the supervisor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// It returned an `Err` from a handler, or panicked: `ActorFailed`.
    Failed,
    /// It stopped cleanly, on its own or when told to: `ActorTerminated`.
    Stopped,
}
// ANCHOR_END: exit

// Only `on_exit` reads `window`, and the untouched starter does not yet.
#[cfg_attr(feature = "starter", allow(dead_code))]
// ANCHOR: state
/// What the [`Supervisor`] keeps between two events.
pub struct SupervisorState {
    /// The running incarnation of each worker: `workers[1]` is `worker-1`.
    /// A restart puts the new `ActorRef` in place of the old one.
    workers: Vec<ActorRef<WorkerMessage>>,
    /// The intensity limit, and the restarts that count against it.
    window: RestartWindow,
    /// Where the supervisor and its workers tell what happened.
    log: Log,
    /// Handed to every worker the supervisor starts.
    start_failures: StartFailures,
}

impl SupervisorState {
    /// Starts worker `index` again, linked to the supervisor `myself`, and
    /// puts the new incarnation in place of the old one. An `Err` means
    /// that its `pre_start` failed: ractor sends no supervision event for
    /// that, so the caller has to count it.
    pub async fn restart(&mut self, myself: &ActorCell, index: usize) -> Result<(), SpawnErr> {
        self.workers[index] = self.start(myself, index).await?;
        Ok(())
    }
}
// ANCHOR_END: state

impl SupervisorState {
    /// Starts worker `index`, linked to the supervisor `myself`.
    async fn start(
        &self,
        myself: &ActorCell,
        index: usize,
    ) -> Result<ActorRef<WorkerMessage>, SpawnErr> {
        let args = WorkerArgs {
            index,
            log: self.log.clone(),
            start_failures: self.start_failures.clone(),
        };
        // No global name: ractor's registry is process-wide, and the
        // grader's tests run side by side in one process.
        let (worker, _task) = Actor::spawn_linked(None, Worker, args, myself.clone()).await?;
        Ok(worker)
    }
}

/// The story of one run: a line for each thing that happened, stamped with
/// the time since the log was made.
#[derive(Debug, Clone)]
pub struct Log {
    /// The lines, kept in memory for the grader to read.
    transcript: Transcript,
    /// Time zero of the stamps. tokio's `Instant`: on the paused clock a
    /// stamp is virtual time, the same on every run.
    start: Instant,
}

impl Log {
    /// An empty log whose time zero is now.
    pub fn new() -> Self {
        Log {
            transcript: Transcript::memory(),
            start: Instant::now(),
        }
    }

    /// Adds one line: the time, who speaks, and what happened.
    pub fn write(&self, who: &str, what: impl Display) {
        let seconds = self.start.elapsed().as_secs_f64();
        self.transcript
            .line(format_args!("{seconds:>5.1} s  {who:<10}  {what}"));
    }

    /// The lines so far, oldest first.
    pub fn lines(&self) -> Vec<String> {
        self.transcript.lines()
    }
}

impl Default for Log {
    fn default() -> Self {
        Log::new()
    }
}
