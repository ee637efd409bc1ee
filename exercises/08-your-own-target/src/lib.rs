//! # Exercise 08: measure a target of your own
//!
//! The book's "Measuring" chapter (`docs/measuring-batching.md`)
//! shows that one message per increment costs a ractor counter many times
//! what a mutex costs, and how much of that a `CounterMessage::Batch`
//! buys back. Its batching benchmark has each producer build its batches
//! by hand. Here you hide the batching behind the same
//! [`Target`] trait that every design in the benchmarks implements, so
//! that producers call `increment` one at a time and never know.
//!
//! [`Batching`] is given: a `CounterActor`, a buffer that every clone
//! shares, and a batch size. You implement [`Target`] for it:
//!
//! * `increment` adds one to the buffer and, when the buffer holds a full
//!   batch, sends it to the counter as one `CounterMessage::Batch`;
//! * `settle` answers with the counter's value once every increment handed
//!   over before it has been applied, including the ones still waiting in
//!   a batch that is not full.
//!
//! The grader runs the benchmarks' own `feed` workload with 1, 2, 4 and 8
//! producers and checks the count; it also watches which messages reach
//! the counter. Then `benches/your_target.rs` times your target against the
//! mutex design and a counter sent one message per increment. The book's
//! page is "Exercise 8: measure a target of your own"
//! (`docs/exercises/08-your-own-target.md`).
//!
//! Write your answer in `src/starter.rs`, then grade it and time it:
//!
//! ```text
//! just exercise 8
//! # which runs: cargo test -p exercise-08-your-own-target --features starter
//! cargo bench -p exercise-08-your-own-target --features starter
//! ```
//!
//! Without the `starter` feature the same grader and bench run against the
//! reference solution, which is how CI knows they can pass.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use actors_core::{Operation, Transcript};
use counter::{CounterActor, CounterArgs, CounterMessage};
use ractor::concurrency::JoinHandle;
use ractor::{Actor, ActorRef, SpawnErr};

/// The trait you implement, and the workload that grades it, as the
/// benchmarks of `crates/bench` use them.
pub use bench::{MeasureError, Target, feed};

// `impl Target for Batching`, the code under test. Either file holds it,
// so there is nothing to re-export; the `starter` feature picks the
// student's file.
#[cfg(not(feature = "starter"))]
mod solution;

// The starter's parameters stay unused until the student writes the bodies.
#[cfg(feature = "starter")]
#[allow(unused_variables)]
mod starter;

// Only `impl Target` reads `buffer` and `batch`, and the untouched
// starter does not yet.
#[cfg_attr(feature = "starter", allow(dead_code))]
// ANCHOR: batching
/// A front for a `CounterActor` that collects increments and sends them in
/// batches of `batch`.
///
/// Cloning it gives another handle to the same buffer and the same
/// counter: `feed` hands each producer a clone, and all of them fill one
/// buffer.
#[derive(Clone)]
pub struct Batching {
    /// The counter the batches go to.
    counter: ActorRef<CounterMessage>,
    /// Increments handed over but not sent yet, shared by every clone.
    /// A std mutex, not tokio's: `increment` is not `async`, and the lock
    /// is never held across an `.await`.
    buffer: Arc<Mutex<Vec<Operation>>>,
    /// How many increments make a full batch. Never zero.
    batch: NonZeroUsize,
}
// ANCHOR_END: batching

impl Batching {
    /// A front for `counter` that sends batches of `batch` increments.
    pub fn new(counter: ActorRef<CounterMessage>, batch: NonZeroUsize) -> Self {
        Batching {
            counter,
            buffer: Arc::new(Mutex::new(Vec::with_capacity(batch.get()))),
            batch,
        }
    }

    /// Starts a fresh `CounterActor` with no transcript, and a front for
    /// it. The task ends once the counter has stopped.
    pub async fn spawn(batch: NonZeroUsize) -> Result<(Self, JoinHandle<()>), SpawnErr> {
        let args = CounterArgs {
            id: "batched".to_string(),
            transcript: Transcript::discard(),
        };
        let (counter, task) = Actor::spawn(None, CounterActor, args).await?;
        Ok((Batching::new(counter, batch), task))
    }

    /// The counter behind the front, to ask it directly or to stop it.
    pub fn counter(&self) -> &ActorRef<CounterMessage> {
        &self.counter
    }
}
