//! # aggregator: collecting statistics from many counters
//!
//! Third stop in the lesson order:
//!
//! ```text
//! actors-core  <-  counter  <-  aggregator  <-  demo
//! ```
//!
//! An [`AggregatorActor`] keeps a registry of counters. Every so often (every
//! 2 seconds in the article) it runs a *collection round*: it asks each
//! counter for its [`CounterStats`] and adds up the answers into an
//! [`AggregatedStats`], which anyone may ask for with
//! [`AggregatorMessage::GetTotalStats`].
//!
//! It keeps the article's messages and behaviour, and mends five weaknesses:
//!
//! 1. The period comes from ractor's own timer, `send_interval`, which the
//!    aggregator cancels when it stops. The article re-arms itself with a
//!    `tokio::spawn` and a sleep after every round: a task that nobody owns,
//!    which can outlive the actor and then send to an actor that is gone.
//! 2. A round asks every counter at once, each with its own timeout, and then
//!    awaits all the answers together. A counter that hangs costs the round
//!    one timeout, however many counters hang. The article asks one counter
//!    after another, so each silent counter adds a whole timeout.
//! 3. A counter that has stopped leaves the registry the first time a round
//!    finds it gone, and the stats count it in `dropped_counters`. The
//!    article keeps it and fails to reach it on every round.
//! 4. `GetTotalStats` before the first round reports how many counters are
//!    registered. The article answers `num_counters: 0`.
//! 5. Registering the same counter twice is refused, so it cannot be counted
//!    twice.
//!
//! What it does not mend, because no aggregator of independent actors can:
//! the total is **not a snapshot of one moment**. Each counter answers when
//! it reaches the question in its mailbox, so the round reads the counters at
//! different moments, and the sum can be a value that the system as a whole
//! never held. The test `the_total_is_not_a_snapshot` shows one.
//!
//! Every message the aggregator sends or receives in a round is also a
//! `tracing` event with the target `"flow"` (see `actors_core::flow`): the
//! timer's `CollectStats`, each `GetStats` question, each answer (recorded
//! when the round has them all in hand) and a note with the round's
//! figures. [`RactorSystem`] records what it sends too, from the
//! participant `main`. `demo --trace` turns these events into a sequence
//! diagram; without a listener they cost next to nothing.
//!
//! [`RactorSystem`] puts the counters and the aggregator together behind
//! the [`CounterSystem`](actors_core::CounterSystem) contract that every
//! design of the workspace implements.
//!
//! The book walks through this crate in "ractor: the aggregator and
//! request–response" (`docs/aggregator.md`) and "A round: every counter
//! asked at once" (`docs/aggregator-round.md`).

mod hung_counter;
mod registry;
mod slow_link;
mod system;

pub use hung_counter::HungCounter;
pub use registry::Registry;
pub use slow_link::SlowLink;
pub use system::{RactorSystem, drain, round_now};

use std::time::Duration;

use actors_core::flow::{self, AGGREGATOR};
use actors_core::{AggregatedStats, CounterStats, Family, Transcript, aggregate};
use counter::{AskError, CounterMessage};
use ractor::concurrency::JoinHandle;
use ractor::{Actor, ActorId, ActorProcessingErr, ActorRef, RpcReplyPort};
use tokio::sync::oneshot;
use tokio::time::Instant;

// ANCHOR: message
/// Everything the aggregator understands. The names are the article's.
#[derive(Debug)]
pub enum AggregatorMessage {
    /// Add a counter to the registry. The `id` names it in the transcript.
    RegisterCounter {
        /// The counter's name, such as `counter-0`.
        id: String,
        /// Where to send the counter's questions.
        counter: ActorRef<CounterMessage>,
    },
    /// Run one collection round now. The timer sends this every period; any
    /// other actor or task may send it too.
    CollectStats,
    /// Reply with the result of the latest round.
    GetTotalStats(RpcReplyPort<AggregatedStats>),
    // ANCHOR: supervised_messages
    /// Add a counter that a supervisor restarts when it fails. A round that
    /// finds it not running keeps it, since a new one is on its way.
    RegisterSupervised {
        /// The counter's name, such as `counter-0`.
        id: String,
        /// Where to send the counter's questions, until it restarts.
        counter: ActorRef<CounterMessage>,
    },
    /// A supervisor restarted counter `id`: ask `counter` from now on.
    CounterRestarted {
        /// The counter's name, as registered.
        id: String,
        /// The new actor, which answers for the name now.
        counter: ActorRef<CounterMessage>,
    },
    // ANCHOR_END: supervised_messages
}

// A message that stays in its process: see `actors_core::message`.
actors_core::local_message!(AggregatorMessage);
// ANCHOR_END: message

// ANCHOR: args
/// The aggregator's behaviour. Like the counter, it holds no data itself.
pub struct AggregatorActor;

/// What an aggregator is started with.
#[derive(Debug, Clone)]
pub struct AggregatorArgs {
    /// How often to run a round on its own. `None` means only when asked
    /// with [`AggregatorMessage::CollectStats`]. Must not be zero.
    pub collect_every: Option<Duration>,
    /// How long a round waits for each counter's answer. Must not be zero.
    pub call_timeout: Duration,
    /// Where the aggregator's lines go.
    pub transcript: Transcript,
}

impl AggregatorArgs {
    /// The article's settings: a round every 2 seconds, 1 second of patience
    /// per counter.
    pub fn new(transcript: Transcript) -> Self {
        AggregatorArgs {
            collect_every: Some(Duration::from_secs(2)),
            call_timeout: Duration::from_secs(1),
            transcript,
        }
    }
}

/// Why an aggregator refused to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AggregatorError {
    /// A timer with a period of zero would fire without end.
    #[error("the collection period must be at least 1 ms")]
    ZeroPeriod,
    /// A timeout of zero would fail every question before it was asked.
    #[error("the call timeout must be at least 1 ms")]
    ZeroTimeout,
}
// ANCHOR_END: args

// ANCHOR: state
/// The aggregator's private state.
pub struct AggregatorState {
    /// The counters still believed to be running, in registration order,
    /// under their actors' ids.
    counters: Registry<ActorId, Registered>,
    /// The result of the latest round, with `num_counters` kept up to date
    /// as counters register, so that it is right even before the first round.
    latest: AggregatedStats,
    /// How many rounds have run.
    rounds: u64,
    /// The periodic timer, cancelled in `post_stop`. Without that, the timer
    /// task would live on until its next tick noticed the actor was gone.
    timer: Option<JoinHandle<()>>,
    /// From [`AggregatorArgs::call_timeout`].
    call_timeout: Duration,
    /// From [`AggregatorArgs::transcript`].
    transcript: Transcript,
}

/// One entry of the registry.
struct Registered {
    id: String,
    counter: ActorRef<CounterMessage>,
    /// Restarted by a supervisor when it fails, so never dropped.
    supervised: bool,
}
// ANCHOR_END: state

impl Actor for AggregatorActor {
    type Msg = AggregatorMessage;
    type State = AggregatorState;
    type Arguments = AggregatorArgs;

    // ANCHOR: pre_start
    async fn pre_start(
        &self,
        myself: ActorRef<Self::Msg>,
        args: AggregatorArgs,
    ) -> Result<AggregatorState, ActorProcessingErr> {
        if args.call_timeout.is_zero() {
            return Err(AggregatorError::ZeroTimeout.into());
        }
        let timer = match args.collect_every {
            Some(period) if period.is_zero() => return Err(AggregatorError::ZeroPeriod.into()),
            Some(period) => {
                args.transcript.line(format_args!(
                    "[aggregator] started; collecting every {} ms",
                    period.as_millis()
                ));
                // ractor's timer: a task that sends `CollectStats` to this
                // actor once per period, the first time one period from now.
                // It builds each message just before sending it, which is
                // where the flow event goes.
                Some(myself.send_interval(period, || {
                    flow::cast(AGGREGATOR, AGGREGATOR, "CollectStats");
                    AggregatorMessage::CollectStats
                }))
            }
            None => {
                args.transcript
                    .line("[aggregator] started; collecting when asked");
                None
            }
        };
        Ok(AggregatorState {
            counters: Registry::default(),
            latest: AggregatedStats::default(),
            rounds: 0,
            timer,
            call_timeout: args.call_timeout,
            transcript: args.transcript,
        })
    }
    // ANCHOR_END: pre_start

    // ANCHOR: handle
    async fn handle(
        &self,
        _myself: ActorRef<Self::Msg>,
        message: AggregatorMessage,
        state: &mut AggregatorState,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            AggregatorMessage::RegisterCounter { id, counter } => {
                state.register(id, counter, false)
            }
            AggregatorMessage::RegisterSupervised { id, counter } => {
                state.register(id, counter, true)
            }
            AggregatorMessage::CounterRestarted { id, counter } => state.follow(id, counter),
            AggregatorMessage::CollectStats => state.collect().await,
            AggregatorMessage::GetTotalStats(reply) => {
                if reply.send(state.latest).is_err() {
                    tracing::debug!("caller stopped waiting for the total; reply dropped");
                }
            }
        }
        Ok(())
    }
    // ANCHOR_END: handle

    async fn post_stop(
        &self,
        _myself: ActorRef<Self::Msg>,
        state: &mut AggregatorState,
    ) -> Result<(), ActorProcessingErr> {
        if let Some(timer) = state.timer.take() {
            timer.abort();
        }
        state.transcript.line(format_args!(
            "[aggregator] stopped after {} rounds",
            state.rounds
        ));
        Ok(())
    }
}

impl AggregatorState {
    // ANCHOR: register
    fn register(&mut self, id: String, counter: ActorRef<CounterMessage>, supervised: bool) {
        let key = counter.get_id();
        let entry = Registered {
            id: id.clone(),
            counter,
            supervised,
        };
        if self.counters.insert(key, entry).is_err() {
            tracing::warn!(counter = %id, "counter registered twice; ignored");
            self.transcript.line(format_args!(
                "[aggregator] {id} is already registered; ignored"
            ));
            return;
        }
        self.transcript.line_in(
            Family::Registered,
            format_args!("[aggregator] registered {id}"),
        );
        self.latest.num_counters = self.counters.len();
    }
    // ANCHOR_END: register

    // ANCHOR: follow
    /// Points the registry's entry for `id` at its restarted counter. A
    /// scan, as restarts are rare.
    fn follow(&mut self, id: String, counter: ActorRef<CounterMessage>) {
        let new = counter.get_id();
        let Some(known) = self.counters.find_mut(|known| known.id == id) else {
            tracing::warn!(counter = %id, "restart of an unknown counter; ignored");
            return;
        };
        let old = std::mem::replace(&mut known.counter, counter).get_id();
        self.counters.rekey(old, new);
        self.latest.restarts += 1;
    }
    // ANCHOR_END: follow

    // ANCHOR: collect
    /// One collection round.
    async fn collect(&mut self) {
        for registered in self.counters.values() {
            flow::call(AGGREGATOR, &registered.id, "GetStats");
        }
        let registered = self.counters.values().map(|registered| &registered.counter);
        let answers = ask_all(registered, self.call_timeout).await;

        let mut answered = Vec::with_capacity(answers.len());
        let mut unresponsive = 0;
        let mut dropped = 0;
        let registry = self.counters.take_all();
        for ((key, registered), answer) in registry.into_iter().zip(answers) {
            match answer {
                Ok(stats) => {
                    flow::reply_stats(&registered.id, AGGREGATOR, &stats);
                    answered.push(stats);
                    self.keep(key, registered);
                }
                // Its supervisor is restarting it: the new one will answer
                // next round.
                Err(AskError::NotRunning) if registered.supervised => {
                    flow::note(&registered.id, "not running; its supervisor restarts it");
                    unresponsive += 1;
                    self.keep(key, registered);
                }
                // The counter is gone for good: asking again next round would
                // only fail again, so it leaves the registry.
                Err(AskError::NotRunning) => {
                    flow::note(&registered.id, "not running, so it leaves the registry");
                    dropped += 1;
                    self.transcript.line(format_args!(
                        "[aggregator] {} has stopped; removed from the registry",
                        registered.id
                    ));
                }
                // The counter may only be busy. It stays, and is asked again
                // next round.
                Err(error @ (AskError::Timeout(_) | AskError::NoReply)) => {
                    unresponsive += 1;
                    flow::note(&registered.id, format_args!("no answer ({error})"));
                    tracing::warn!(counter = %registered.id, %error, "no stats this round");
                    self.keep(key, registered);
                }
            }
        }

        let mut stats = aggregate(answered);
        stats.num_counters = self.counters.len();
        stats.unresponsive_counters = unresponsive;
        stats.dropped_counters = self.latest.dropped_counters + dropped;
        stats.restarts = self.latest.restarts;
        self.rounds += 1;
        flow::note_round(AGGREGATOR, self.rounds, &stats);
        self.latest = stats;
        self.transcript.line(round_summary(self.rounds, &stats));
    }
    // ANCHOR_END: collect

    /// Puts an entry taken out for a round back, in its place.
    fn keep(&mut self, key: ActorId, registered: Registered) {
        if self.counters.insert(key, registered).is_err() {
            tracing::warn!("a counter kept after a round was already back; ignored");
        }
    }
}

// ANCHOR: ask_all
/// Asks every counter for its statistics at once, and returns the answers
/// in the counters' order.
///
/// Every question goes out before any answer is awaited, so the counters
/// work on them side by side, and one deadline covers them all: the wait
/// lasts as long as the slowest answer, never longer than one timeout,
/// however many counters hang. This is how the aggregator collects.
///
/// Then the answers are awaited one by one, in order: each is awaited once
/// and woken once, so a round over n counters costs O(n). Joining n
/// `call`s as n futures (`join_all`) gives the same answers, but inside an
/// actor's handler it measured quadratic: 0.19 s for 25,000 counters and
/// 3.4 s for 100,000.
pub async fn ask_all<'a>(
    counters: impl IntoIterator<Item = &'a ActorRef<CounterMessage>>,
    timeout: Duration,
) -> Vec<Result<CounterStats, AskError>> {
    let deadline = Instant::now() + timeout;
    let questions: Vec<_> = counters
        .into_iter()
        .map(|counter| {
            let (port, answer) = oneshot::channel();
            let question = CounterMessage::GetStats(port.into());
            counter.cast(question).map(|()| answer)
        })
        .collect();
    let mut answers = Vec::with_capacity(questions.len());
    for question in questions {
        answers.push(match question {
            Err(_not_sent) => Err(AskError::NotRunning),
            Ok(answer) => match tokio::time::timeout_at(deadline, answer).await {
                Ok(Ok(stats)) => Ok(stats),
                Ok(Err(_port_dropped)) => Err(AskError::NoReply),
                Err(_elapsed) => Err(AskError::Timeout(timeout)),
            },
        });
    }
    answers
}
// ANCHOR_END: ask_all

/// The transcript line for one round: the totals, and who did not answer.
fn round_summary(round: u64, stats: &AggregatedStats) -> String {
    let mut line = format!("[aggregator] round {round}: {stats}");
    if stats.unresponsive_counters > 0 {
        line += &format!(
            " ({} of {} did not answer)",
            stats.unresponsive_counters, stats.num_counters
        );
    }
    if stats.restarts > 0 {
        line += &format!(" ({} restarts so far)", stats.restarts);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default settings are the article's: a round every 2 s, and 1 s
    /// of patience per counter.
    #[test]
    fn default_settings_are_the_articles() {
        let args = AggregatorArgs::new(Transcript::memory());
        assert_eq!(args.collect_every, Some(Duration::from_secs(2)));
        assert_eq!(args.call_timeout, Duration::from_secs(1));
    }

    /// A round's line gives the article's three figures, and says how many
    /// counters were silent only when some were.
    #[test]
    fn round_summary_mentions_silent_counters_only_when_there_are_some() {
        let all_answered = AggregatedStats {
            total_value: 160,
            total_operations: 200,
            num_counters: 4,
            avg_ops_per_second: 25.0,
            ..AggregatedStats::default()
        };
        let one_silent = AggregatedStats {
            unresponsive_counters: 1,
            ..all_answered
        };
        assert_eq!(
            round_summary(1, &all_answered),
            "[aggregator] round 1: Total value: 160, Total ops: 200, Avg ops/sec: 25.00"
        );
        assert_eq!(
            round_summary(2, &one_silent),
            "[aggregator] round 2: Total value: 160, Total ops: 200, Avg ops/sec: 25.00 \
             (1 of 4 did not answer)"
        );
    }
}
