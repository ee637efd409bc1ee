//! # Exercise 05: which counter is the slowest?
//!
//! An aggregator already asks every counter for its [`CounterStats`] in
//! each round. This exercise has it answer one more question with those
//! same answers: which counter is doing the least work? You write one
//! function, [`slowest`], in `src/starter.rs`. The aggregator calls it on
//! every round's answers, including answers that are errors, and rounds
//! with no answers at all.
//!
//! **The definition.** The slowest counter of a round is the one with the
//! lowest `operations_per_second` among the counters that answered. That
//! rate is each counter's own lifetime average: operations applied since
//! it started, divided by the seconds since it started. A counter that did
//! not answer (it timed out, dropped the question, or has stopped) has no
//! rate this round and takes no part. On a tie the counter registered
//! first wins. With no answer at all, including with no counter at all,
//! there is no slowest counter.
//!
//! It follows the chapter "ractor: the aggregator and request–response"
//! (`docs/aggregator.md`); its task page is "Exercise 5: the slowest
//! counter" (`docs/exercises/05-slowest-counter.md`).
//!
//! The `AggregatorActor` of `crates/aggregator` has a closed message enum,
//! so this crate carries a small aggregator of its own,
//! [`SlowestAggregator`], as given code. Its counters are the real
//! `counter::CounterActor`, and it collects a round with the same
//! `aggregator::ask_all`.
//!
//! Grade your answer with:
//!
//! ```text
//! just exercise 5
//! # which runs: cargo test -p exercise-05-slowest-counter --features starter
//! ```
//!
//! Without the `starter` feature the same grader runs against the reference
//! solution, which is how CI knows the grader can pass.

use std::fmt;
use std::time::Duration;

use actors_core::CounterStats;
use aggregator::ask_all;
use counter::{AskError, CounterMessage};
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort};

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

// ANCHOR: answer
/// One counter's answer in a round, as the aggregator hands it to
/// [`slowest`].
#[derive(Debug, Clone)]
pub struct Answer {
    /// The name the counter was registered under, such as `counter-2`.
    pub id: String,
    /// What `ask_all` got back from it: its statistics, or why there were
    /// none this round.
    pub stats: Result<CounterStats, AskError>,
}

/// The slowest counter of a round: what [`slowest`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Slowest {
    /// The counter's name, from [`Answer::id`].
    pub id: String,
    /// Its rate, as it reported it in this round.
    pub ops_per_second: f64,
}
// ANCHOR_END: answer

/// What the aggregator answers to [`SlowestMessage::GetSlowest`]: the
/// slowest counter, if any, and how many counters the round covered.
#[derive(Debug, Clone, PartialEq)]
pub struct SlowestReport {
    /// What [`slowest`] made of the round.
    pub slowest: Option<Slowest>,
    /// How many counters the round asked.
    pub counters: usize,
    /// Of those, how many did not answer.
    pub silent: usize,
}

/// One line: `slowest: counter-2 at 4.00 ops/s (of 3 counters)`.
impl fmt::Display for SlowestReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.slowest {
            Some(slowest) => write!(
                f,
                "slowest: {} at {:.2} ops/s",
                slowest.id, slowest.ops_per_second
            )?,
            None => write!(f, "slowest: none")?,
        }
        let noun = if self.counters == 1 {
            "counter"
        } else {
            "counters"
        };
        write!(f, " (of {} {noun}", self.counters)?;
        if self.silent > 0 {
            write!(f, ", {} did not answer", self.silent)?;
        }
        write!(f, ")")
    }
}

// ANCHOR: message
/// Everything this aggregator understands.
#[derive(Debug)]
pub enum SlowestMessage {
    /// Add a counter to the registry, at the end.
    Register {
        /// The counter's name, which the report uses.
        id: String,
        /// Where to send the counter's questions.
        counter: ActorRef<CounterMessage>,
    },
    /// Run a round now and reply with its [`SlowestReport`]. Sent with
    /// `call`; the round may take up to one call timeout.
    GetSlowest(RpcReplyPort<SlowestReport>),
}

// A message that stays in its process: see `actors_core::message`.
actors_core::local_message!(SlowestMessage);
// ANCHOR_END: message

/// An aggregator that answers one question: which counter is the slowest?
pub struct SlowestAggregator;

/// The aggregator's private state.
pub struct SlowestState {
    /// The registered counters, in registration order: the order of every
    /// round's answers, and so the order that settles a tie.
    counters: Vec<(String, ActorRef<CounterMessage>)>,
    /// How long a round waits for each counter's answer.
    call_timeout: Duration,
}

// ANCHOR: handle
impl Actor for SlowestAggregator {
    type Msg = SlowestMessage;
    type State = SlowestState;
    /// How long a round waits for each counter's answer.
    type Arguments = Duration;

    async fn pre_start(
        &self,
        _myself: ActorRef<Self::Msg>,
        call_timeout: Duration,
    ) -> Result<SlowestState, ActorProcessingErr> {
        Ok(SlowestState {
            counters: Vec::new(),
            call_timeout,
        })
    }

    async fn handle(
        &self,
        _myself: ActorRef<Self::Msg>,
        message: SlowestMessage,
        state: &mut SlowestState,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            SlowestMessage::Register { id, counter } => state.counters.push((id, counter)),
            SlowestMessage::GetSlowest(reply) => {
                // A round, as the aggregator runs one: every counter asked
                // at once, the answers in registration order.
                let refs = state.counters.iter().map(|(_, counter)| counter);
                let answers = ask_all(refs, state.call_timeout).await;
                let round: Vec<Answer> = state
                    .counters
                    .iter()
                    .zip(answers)
                    .map(|((id, _), stats)| Answer {
                        id: id.clone(),
                        stats,
                    })
                    .collect();
                let report = SlowestReport {
                    // Your part.
                    slowest: slowest(&round),
                    counters: round.len(),
                    silent: round.iter().filter(|answer| answer.stats.is_err()).count(),
                };
                // The caller may have stopped waiting; that is no reason to stop.
                let _ = reply.send(report);
            }
        }
        Ok(())
    }
}
// ANCHOR_END: handle
