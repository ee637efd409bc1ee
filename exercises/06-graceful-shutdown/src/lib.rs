//! # Exercise 06: a shutdown that loses nothing
//!
//! [`Counters`] is a handful of `counter::CounterActor`s, started the way
//! the demo starts them, with the task that runs each one. Clients have
//! cast thousands of operations at them, and many of those still sit in the
//! mailboxes. You write [`Counters::shutdown`], which has to stop every
//! counter and hand back each one's final figures, with four promises:
//!
//! * every message queued before the call is applied, none is dropped;
//! * each counter has fully stopped, `post_stop` included, before the call
//!   returns;
//! * the call is what stops the counters: no sleeping and hoping;
//! * a second call, or a counter that had already stopped, gives a
//!   [`ShutdownError`], never a panic or a hang.
//!
//! The chapter "Wiring the system: the demo and graceful shutdown"
//! (`docs/demo.md`, section "Shutting down without losing a message")
//! walks through the workspace's own shutdown. Work this one out with
//! ractor's API yourself rather than calling that one. The book's page is
//! "Exercise 6: a shutdown that loses nothing"
//! (`docs/exercises/06-graceful-shutdown.md`).
//!
//! Write your answer in `src/starter.rs`, then grade it:
//!
//! ```text
//! just exercise 6
//! # which runs: cargo test -p exercise-06-graceful-shutdown --features starter
//! ```
//!
//! Without the `starter` feature the same grader runs against the reference
//! solution, which is how CI knows the grader can pass.

use std::time::Duration;

use actors_core::Transcript;
use counter::{AskError, CounterActor, CounterArgs, CounterMessage};
use ractor::concurrency::JoinHandle;
use ractor::{Actor, ActorRef, SpawnErr};

// `Counters::shutdown`, the method under test. Either file adds it to
// `Counters` in an `impl` block of its own, so there is nothing to
// re-export; the `starter` feature picks the student's file.
#[cfg(not(feature = "starter"))]
mod solution;

// The starter's parameters stay unused until the student writes the bodies.
#[cfg(feature = "starter")]
#[allow(unused_variables)]
mod starter;

// Only `shutdown` reads `tasks`, and the untouched starter does not yet.
#[cfg_attr(feature = "starter", allow(dead_code))]
// ANCHOR: counters
/// A set of running counters, and the tasks that run them.
pub struct Counters {
    /// The counters, in the order they were started: `counter-0` first.
    /// They stay here after a shutdown, so that a caller holding this set
    /// can still try to reach them, and be refused.
    refs: Vec<ActorRef<CounterMessage>>,
    /// The task that runs each counter, in the same order. A task ends
    /// once its actor has stopped and `post_stop` has returned. `Some`
    /// until the first shutdown takes them: a `JoinHandle` can be awaited
    /// only once.
    tasks: Option<Vec<JoinHandle<()>>>,
}
// ANCHOR_END: counters

// ANCHOR: shutdown_error
/// Why [`Counters::shutdown`] could not give every counter's final figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ShutdownError {
    /// `shutdown` had already been called on this set.
    #[error("the counters were already shut down")]
    AlreadyShutDown,
    /// Counter `index` had stopped before the shutdown reached it, so it
    /// has no final figures to give.
    #[error("counter {index} had stopped before the shutdown")]
    NotRunning {
        /// Its position in the set, from 0.
        index: usize,
    },
    /// Counter `index` was running, but its final figures did not come.
    #[error("counter {index} did not give its final figures: {error}")]
    NoFigures {
        /// Its position in the set, from 0.
        index: usize,
        /// What became of the question.
        error: AskError,
    },
}
// ANCHOR_END: shutdown_error

/// How long to wait for one counter's answer. A counter with thousands of
/// operations queued reaches a question in milliseconds; five seconds
/// means it is stuck.
pub const PATIENCE: Duration = Duration::from_secs(5);

impl Counters {
    /// Starts `len` counters named `counter-0`, `counter-1`, and so on, each
    /// writing its "started" and "stopped" lines to `transcript`.
    pub async fn start(len: usize, transcript: &Transcript) -> Result<Self, SpawnErr> {
        let mut refs = Vec::with_capacity(len);
        let mut tasks = Vec::with_capacity(len);
        for k in 0..len {
            let args = CounterArgs {
                id: format!("counter-{k}"),
                transcript: transcript.clone(),
            };
            // No global name: ractor's registry is process-wide, and the
            // grader's tests run side by side in one process.
            let (counter, task) = Actor::spawn(None, CounterActor, args).await?;
            refs.push(counter);
            tasks.push(task);
        }
        Ok(Counters {
            refs,
            tasks: Some(tasks),
        })
    }

    /// The counters, `counter-0` first, for clients to send messages to.
    pub fn refs(&self) -> &[ActorRef<CounterMessage>] {
        &self.refs
    }
}
