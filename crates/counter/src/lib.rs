//! # counter: the article's counter as a ractor actor
//!
//! Second stop in the lesson order:
//!
//! ```text
//! actors-core  <-  counter  <-  aggregator  <-  demo
//! ```
//!
//! A [`CounterActor`] owns one [`Ledger`] (its tally, and what it knows of
//! each client's numbered operations) and changes it only when a
//! [`CounterMessage`] arrives. Nothing else can reach the tally, so there is
//! no lock: ractor runs `handle` for one message at a time, and the state is
//! a plain `&mut` for the length of each call.
//!
//! The crate is written against ractor 0.16, where the `Actor` trait uses
//! native `async fn` and needs no attribute macro from the `async-trait`
//! crate. It also fixes two weaknesses of the article's version:
//!
//! * an operation that would overflow `i64` is refused and counted, instead
//!   of panicking (debug builds) or wrapping around (release builds);
//! * a reply that nobody waits for any more is dropped quietly, instead of
//!   failing the handler, which in ractor stops the actor.
//!
//! [`get_value`] and [`get_stats`] wrap ractor's `call` into one typed
//! [`AskError`] through [`ask`], so callers never have to unpack
//! `CallResult` by hand.
//!
//! The book walks through this crate in "ractor: the counter"
//! (`docs/counter.md`), "Asking a counter" (`docs/counter-asking.md`) and
//! "The mailbox's order" (`docs/counter-mailbox.md`).

use std::time::Duration;

use actors_core::mailbox::Slot;
use actors_core::{Ack, ClientRecord, CounterStats, Family, Ledger, Operation, Transcript};
use ractor::rpc::CallResult;
use ractor::{Actor, ActorProcessingErr, ActorRef, Message, RpcReplyPort};
use tokio::time::Instant;

// ANCHOR: message
/// Everything a counter understands. `Increment`, `Decrement`, `GetValue`
/// and `GetStats` are the article's; the others serve later chapters.
#[derive(Debug)]
pub enum CounterMessage {
    /// Add `amount`. Fire and forget: sent with `cast`, no reply.
    Increment {
        /// How much to add. Negative amounts are refused.
        amount: i64,
    },
    /// Subtract `amount`. Fire and forget: sent with `cast`, no reply.
    Decrement {
        /// How much to subtract. Negative amounts are refused.
        amount: i64,
    },
    /// Apply several operations, in order, as if each had come in a message
    /// of its own: each is checked by itself, so one refused operation is
    /// counted and the others still apply. Not in the article; the
    /// benchmarks use it to show how batching buys back throughput.
    Batch(Vec<Operation>),
    /// Reply with the current value. Sent with `call`.
    GetValue(RpcReplyPort<i64>),
    /// Reply with the current statistics. Sent with `call`.
    GetStats(RpcReplyPort<CounterStats>),
    /// Apply a numbered operation at most once. Not in the article; the
    /// supervised counters of `docs/supervision.md` need it.
    Apply(Numbered),
    /// Reply with what the counter knows of one client's numbered
    /// operations: the next number it expects, and how many never came.
    GetClient {
        /// The client's id, as in [`Numbered::client`].
        client: u64,
        /// Where the answer goes.
        reply: RpcReplyPort<ClientRecord>,
    },
    /// An operation that holds a place in a bounded front (`backpressure`);
    /// the place is given back as the counter takes it, before the work.
    Admitted {
        /// The change itself.
        op: Operation,
        /// The place it held while it waited.
        slot: Slot,
    },
}
// ANCHOR_END: message

// A message that stays in its process: see `actors_core::message`.
actors_core::local_message!(CounterMessage);

// ANCHOR: numbered
/// One operation with its idempotency key: who sent it, and its number.
#[derive(Debug)]
pub struct Numbered {
    /// The client's id. Each client numbers its operations from 0.
    pub client: u64,
    /// The operation's number: one more than the client's previous one.
    pub seq: u64,
    /// The change itself.
    pub op: Operation,
    /// Where the acknowledgement goes; `None` for fire and forget.
    pub ack: Option<RpcReplyPort<Ack>>,
}
// ANCHOR_END: numbered

impl From<Operation> for CounterMessage {
    fn from(op: Operation) -> Self {
        match op {
            Operation::Increment { amount } => CounterMessage::Increment { amount },
            Operation::Decrement { amount } => CounterMessage::Decrement { amount },
        }
    }
}

// ANCHOR: actor
/// The counter's behaviour. It holds no data: ractor keeps the state apart,
/// in [`CounterState`], and hands it to every call.
pub struct CounterActor;

/// What a counter is started with.
pub struct CounterArgs {
    /// The name it uses in the transcript and in logs, such as `counter-0`.
    pub id: String,
    /// Where the starting and stopping lines go.
    pub transcript: Transcript,
}

/// A counter's private state. Only the actor's own task ever touches it.
pub struct CounterState {
    /// The name from [`CounterArgs::id`].
    id: String,
    /// The value and the operation counts, and each client's numbers.
    ledger: Ledger,
    /// When the counter started, for operations per second. This is tokio's
    /// `Instant`, not std's: on tokio's paused clock it reads virtual time,
    /// so a test that runs 2 virtual seconds sees exactly 2 seconds.
    started_at: Instant,
    /// From [`CounterArgs::transcript`].
    transcript: Transcript,
}
// ANCHOR_END: actor

// ANCHOR: impl_actor
impl Actor for CounterActor {
    type Msg = CounterMessage;
    type State = CounterState;
    type Arguments = CounterArgs;

    async fn pre_start(
        &self,
        _myself: ActorRef<Self::Msg>,
        args: CounterArgs,
    ) -> Result<CounterState, ActorProcessingErr> {
        args.transcript
            .line_in(Family::Started, format_args!("[{}] started", args.id));
        Ok(CounterState {
            id: args.id,
            ledger: Ledger::default(),
            started_at: Instant::now(),
            transcript: args.transcript,
        })
    }

    async fn handle(
        &self,
        _myself: ActorRef<Self::Msg>,
        message: CounterMessage,
        state: &mut CounterState,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            CounterMessage::Increment { amount } => {
                state.apply(Operation::Increment { amount });
            }
            CounterMessage::Decrement { amount } => {
                state.apply(Operation::Decrement { amount });
            }
            CounterMessage::Batch(ops) => {
                for op in ops {
                    state.apply(op);
                }
            }
            CounterMessage::GetValue(reply) => {
                state.reply(reply, state.ledger.tally().value());
            }
            CounterMessage::GetStats(reply) => {
                let stats = CounterStats::measure(state.ledger.tally(), state.started_at.elapsed());
                state.reply(reply, stats);
            }
            CounterMessage::Apply(numbered) => {
                let ack = state
                    .ledger
                    .apply(numbered.client, numbered.seq, numbered.op);
                if let Some(port) = numbered.ack {
                    state.reply(port, ack);
                }
            }
            CounterMessage::GetClient { client, reply } => {
                state.reply(reply, state.ledger.client(client));
            }
            CounterMessage::Admitted { op, slot } => {
                slot.release();
                state.apply(op);
            }
        }
        Ok(())
    }

    async fn post_stop(
        &self,
        _myself: ActorRef<Self::Msg>,
        state: &mut CounterState,
    ) -> Result<(), ActorProcessingErr> {
        state.transcript.line_in(
            Family::Stopped,
            format_args!(
                "[{}] stopped: final value {} after {} operations ({} rejected)",
                state.id,
                state.ledger.tally().value(),
                state.ledger.tally().total_operations(),
                state.ledger.tally().rejected_operations(),
            ),
        );
        Ok(())
    }
}
// ANCHOR_END: impl_actor

// ANCHOR: state_helpers
impl CounterState {
    /// Applies one operation. A refused operation leaves the value alone,
    /// is counted in `rejected_operations`, and is logged.
    fn apply(&mut self, op: Operation) {
        if let Err(error) = self.ledger.apply_unnumbered(op) {
            tracing::warn!(counter = %self.id, %error, "operation rejected");
        }
    }

    /// Sends a reply, if anyone still waits for it.
    ///
    /// A caller whose `call` timed out has dropped its end of the port, and
    /// sending then fails. The article answers with `reply.send(..)?`, which
    /// turns that failure into an error from `handle`, and ractor stops an
    /// actor whose handler fails: one impatient caller would kill the
    /// counter. The caller's impatience is not the counter's fault.
    fn reply<T>(&self, reply: RpcReplyPort<T>, answer: T) {
        if reply.send(answer).is_err() {
            tracing::debug!(counter = %self.id, "caller stopped waiting; reply dropped");
        }
    }
}
// ANCHOR_END: state_helpers

// ANCHOR: ask
/// Why a question to an actor got no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AskError {
    /// The actor is not running (it has stopped, or is draining), so the
    /// question could not even be sent.
    #[error("the actor is not running")]
    NotRunning,
    /// The actor did not answer within the timeout.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The actor dropped the question without answering, which happens
    /// when it stops with the question still in its mailbox.
    #[error("the actor dropped the question without answering")]
    NoReply,
}

/// Asks `counter` for its value, waiting at most `timeout`.
pub async fn get_value(
    counter: &ActorRef<CounterMessage>,
    timeout: Duration,
) -> Result<i64, AskError> {
    ask(counter, CounterMessage::GetValue, timeout).await
}

/// Asks `counter` for its statistics, waiting at most `timeout`.
pub async fn get_stats(
    counter: &ActorRef<CounterMessage>,
    timeout: Duration,
) -> Result<CounterStats, AskError> {
    ask(counter, CounterMessage::GetStats, timeout).await
}

/// Sends `actor` the message that `question` builds around a reply port, and
/// waits at most `timeout` for the answer.
///
/// ractor's `call` has two layers of result: the outer `Result` says whether
/// the message was sent, and `CallResult` says what became of the reply.
/// This folds both into one error type. It works for any actor; the
/// aggregator and the demo use it too.
pub async fn ask<M: Message, T: Send + 'static>(
    actor: &ActorRef<M>,
    question: impl FnOnce(RpcReplyPort<T>) -> M,
    timeout: Duration,
) -> Result<T, AskError> {
    match actor.call(question, Some(timeout)).await {
        Ok(CallResult::Success(answer)) => Ok(answer),
        Ok(CallResult::Timeout) => Err(AskError::Timeout(timeout)),
        Ok(CallResult::SenderError) => Err(AskError::NoReply),
        Err(_not_sent) => Err(AskError::NotRunning),
    }
}
// ANCHOR_END: ask

#[cfg(test)]
mod tests {
    use super::*;

    /// An `Operation` from actors-core becomes the message of the same
    /// direction and amount, so a workload can be cast to a counter as is.
    #[test]
    fn operations_become_messages() {
        let increment = CounterMessage::from(Operation::Increment { amount: 3 });
        let decrement = CounterMessage::from(Operation::Decrement { amount: 4 });
        assert!(matches!(increment, CounterMessage::Increment { amount: 3 }));
        assert!(matches!(decrement, CounterMessage::Decrement { amount: 4 }));
    }

    /// An admitted operation is applied, and its place is given back and
    /// counted as taken.
    #[tokio::test]
    async fn an_admitted_operation_gives_its_place_back() {
        use actors_core::mailbox::Gauge;
        use std::sync::Arc;
        use tokio::sync::Semaphore;

        let (places, gauge) = (Arc::new(Semaphore::new(1)), Arc::new(Gauge::default()));
        let args = CounterArgs {
            id: "c".into(),
            transcript: Transcript::memory(),
        };
        let (counter, _task) = Actor::spawn(None, CounterActor, args).await.unwrap();
        let slot = Slot::try_take(&places, &gauge).unwrap();
        let op = Operation::Increment { amount: 5 };
        counter.cast(CounterMessage::Admitted { op, slot }).unwrap();
        assert_eq!(get_value(&counter, Duration::from_secs(1)).await, Ok(5));
        assert_eq!(places.available_permits(), 1);
        let report = gauge.report();
        assert_eq!((report.depth, report.taken), (0, 1));
    }

    /// The error messages read as sentences about the actor.
    #[test]
    fn ask_errors_read_well() {
        assert_eq!(
            AskError::Timeout(Duration::from_millis(1500)).to_string(),
            "no answer within 1.5s"
        );
        assert_eq!(AskError::NotRunning.to_string(), "the actor is not running");
    }
}
