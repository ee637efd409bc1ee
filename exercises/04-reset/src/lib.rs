//! # Exercise 04: reset a counter without losing a count
//!
//! A counter that can only grow is half a tool. Sooner or later someone
//! wants to read what it holds and start again from zero: a metrics scraper
//! every minute, a till at closing time. Done as two messages, a read and
//! then a reset, it loses every increment that slips in between the two.
//! Done as one message, it cannot: the actor handles one message at a time,
//! so "read" and "clear" happen in the same step and nothing comes between.
//!
//! This exercise adds that one message, `Reset`, to a ractor counter. It
//! follows the chapter "ractor: the counter" (`docs/counter.md`); its task
//! page is "Exercise 4: reset without losing a count"
//! (`docs/exercises/04-reset.md`).
//!
//! The counter of `crates/counter` has a closed message enum, so this crate
//! carries a small counter of its own, [`ResettableCounter`], as given code.
//! It keeps its figures in the same [`Tally`] as every other counter of the
//! workspace, so the rules for refusing an operation are the ones you
//! already know. You write one function, [`reset`], in `src/starter.rs`.
//!
//! Grade your answer with:
//!
//! ```text
//! just exercise 4
//! # which runs: cargo test -p exercise-04-reset --features starter
//! ```
//!
//! Without the `starter` feature the same grader runs against the reference
//! solution, which is how CI knows the grader can pass.

use actors_core::{CounterStats, Operation, Tally};
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort};
use tokio::time::Instant;

// The function under test. Both files have the same public items; the
// `starter` feature picks the student's.
#[cfg(not(feature = "starter"))]
mod solution;
#[cfg(not(feature = "starter"))]
pub use solution::*;

// The starter's parameters stay unused until the student writes the bodies.
#[cfg(feature = "starter")]
#[allow(unused_variables)]
mod starter;
#[cfg(feature = "starter")]
pub use starter::*;

// ANCHOR: message
/// Everything this counter understands: the chapter's counter messages, less
/// `Batch`, plus `Reset`.
#[derive(Debug)]
pub enum CounterMessage {
    /// Add `amount`. Sent with `cast`. A negative amount, or one that would
    /// overflow, is refused and counted as rejected.
    Increment {
        /// How much to add.
        amount: i64,
    },
    /// Subtract `amount`. Sent with `cast`, refused on the same rules.
    Decrement {
        /// How much to subtract.
        amount: i64,
    },
    /// Reply with the current value. Sent with `call`.
    GetValue(RpcReplyPort<i64>),
    /// Reply with the figures of the current period: the value, the
    /// operations applied and rejected, and their rate over the period.
    /// Sent with `call`.
    GetStats(RpcReplyPort<CounterStats>),
    /// New: end the current period. Reply with its figures, as `GetStats`
    /// would have given them a moment before, and start a new period from
    /// zero. Sent with `call`. Handled by [`reset`].
    Reset(RpcReplyPort<CounterStats>),
}

// A message that stays in its process: see `actors_core::message`.
actors_core::local_message!(CounterMessage);
// ANCHOR_END: message

// ANCHOR: state
/// The counter's behaviour. As in the chapter, it holds no data itself.
pub struct ResettableCounter;

/// The counter's private state: the figures of the current *period*.
///
/// A period begins when the counter starts, and again at every reset. Your
/// [`reset`] can reach both fields: `src/starter.rs` is a module of this
/// crate.
pub struct CounterState {
    /// The value and the operation counts since the period began.
    tally: Tally,
    /// When the period began, for operations per second. tokio's `Instant`,
    /// so that on the paused clock a period of 2 virtual seconds is exactly
    /// 2 seconds long.
    started_at: Instant,
}
// ANCHOR_END: state

// ANCHOR: handle
impl Actor for ResettableCounter {
    type Msg = CounterMessage;
    type State = CounterState;
    type Arguments = ();

    async fn pre_start(
        &self,
        _myself: ActorRef<Self::Msg>,
        _args: (),
    ) -> Result<CounterState, ActorProcessingErr> {
        Ok(CounterState {
            tally: Tally::default(),
            started_at: Instant::now(),
        })
    }

    async fn handle(
        &self,
        _myself: ActorRef<Self::Msg>,
        message: CounterMessage,
        state: &mut CounterState,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            // A refused operation is the sender's mistake, not the counter's
            // failure: the tally counts it, and `handle` still returns `Ok`.
            CounterMessage::Increment { amount } => {
                let _ = state.tally.apply(Operation::Increment { amount });
            }
            CounterMessage::Decrement { amount } => {
                let _ = state.tally.apply(Operation::Decrement { amount });
            }
            // A send fails only when the caller has stopped waiting. That is
            // no reason for the counter to stop, so the failure is dropped.
            CounterMessage::GetValue(reply) => {
                let _ = reply.send(state.tally.value());
            }
            CounterMessage::GetStats(reply) => {
                let stats = CounterStats::measure(&state.tally, state.started_at.elapsed());
                let _ = reply.send(stats);
            }
            // Your part. An `Err` from `reset` becomes an `Err` from
            // `handle`, and ractor stops an actor whose handler fails.
            CounterMessage::Reset(reply) => reset(state, reply)?,
        }
        Ok(())
    }
}
// ANCHOR_END: handle
