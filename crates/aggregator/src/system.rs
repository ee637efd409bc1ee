//! The ractor design of the whole system, behind the shared contract.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use actors_core::flow::{self, AGGREGATOR, MAIN};
use actors_core::{
    AggregatedStats, CounterStats, CounterSystem, Design, Operation, Receipt, SystemError,
    check_index,
};
use counter::{AskError, CounterActor, CounterArgs, CounterMessage, ask, get_stats, get_value};
use ractor::concurrency::JoinHandle;
use ractor::{Actor, ActorCell, ActorRef, MessagingErr, RactorErr, SpawnErr};

use crate::{AggregatorActor, AggregatorArgs, AggregatorMessage};

// ANCHOR: ractor_system
/// The article's system on ractor: `len` [`CounterActor`]s, all registered
/// with one [`AggregatorActor`], behind the [`CounterSystem`] contract.
pub struct RactorSystem {
    counters: Vec<ActorRef<CounterMessage>>,
    aggregator: ActorRef<AggregatorMessage>,
    /// The actors' tasks, aggregator first, taken by `shutdown`.
    tasks: Mutex<Vec<JoinHandle<()>>>,
    call_timeout: Duration,
    shut_down: AtomicBool,
}
// ANCHOR_END: ractor_system

impl RactorSystem {
    // ANCHOR: start
    /// Starts the aggregator and `len` counters, registers every counter, and
    /// returns once the aggregator has confirmed the registry.
    ///
    /// The registrations are casts. The `GetTotalStats` call that follows
    /// them from the same task is answered only after all of them were
    /// handled, so its `num_counters` confirms the registry.
    pub async fn start(len: usize, aggregator_args: AggregatorArgs) -> Result<Self, SpawnErr> {
        RactorSystem::start_with(len, aggregator_args, || CounterActor).await
    }

    /// As [`start`](Self::start), with each counter's behaviour built by
    /// `counter`: any actor that speaks [`CounterMessage`] and starts from
    /// [`CounterArgs`], such as a counter that works slowly.
    pub async fn start_with<A>(
        len: usize,
        aggregator_args: AggregatorArgs,
        counter: impl Fn() -> A,
    ) -> Result<Self, SpawnErr>
    where
        A: Actor<Msg = CounterMessage, Arguments = CounterArgs>,
    {
        let transcript = aggregator_args.transcript.clone();
        let call_timeout = aggregator_args.call_timeout;
        let (aggregator, aggregator_task) =
            Actor::spawn(None, AggregatorActor, aggregator_args).await?;
        let mut counters = Vec::with_capacity(len);
        let mut tasks = vec![aggregator_task];
        for k in 0..len {
            let args = CounterArgs {
                id: format!("counter-{k}"),
                transcript: transcript.clone(),
            };
            // No global name: ractor's registry is process-wide, and tests
            // that run side by side in one process would fight over
            // "counter-0".
            let (counter, task) = Actor::spawn(None, counter(), args).await?;
            counters.push(counter);
            tasks.push(task);
        }
        for (k, counter) in counters.iter().enumerate() {
            // A cast to an aggregator that has just started cannot fail;
            // if it did, the confirmation below would show a short count.
            flow::cast(MAIN, AGGREGATOR, "RegisterCounter");
            let _ = aggregator.cast(AggregatorMessage::RegisterCounter {
                id: format!("counter-{k}"),
                counter: counter.clone(),
            });
        }
        let system = RactorSystem {
            counters,
            aggregator,
            tasks: Mutex::new(tasks),
            call_timeout,
            shut_down: AtomicBool::new(false),
        };
        flow::call(MAIN, AGGREGATOR, "GetTotalStats");
        match ask(
            &system.aggregator,
            AggregatorMessage::GetTotalStats,
            call_timeout,
        )
        .await
        {
            Ok(stats) => {
                flow::reply_total(AGGREGATOR, MAIN, &stats);
                transcript.line(format_args!(
                    "The aggregator tracks {} counters",
                    stats.num_counters
                ));
            }
            Err(error) => tracing::warn!(%error, "the aggregator did not confirm the registry"),
        }
        Ok(system)
    }
    // ANCHOR_END: start

    /// The counters, in index order, for a design that sends to them
    /// itself.
    pub fn counters(&self) -> &[ActorRef<CounterMessage>] {
        &self.counters
    }

    fn counter(&self, index: usize) -> Result<&ActorRef<CounterMessage>, SystemError> {
        if self.shut_down.load(Ordering::Acquire) {
            return Err(SystemError::ShutDown);
        }
        check_index(index, self.counters.len())?;
        Ok(&self.counters[index])
    }
}

/// Turns the answer to a question for counter `index` into the contract's
/// error.
fn system_error(index: usize, error: AskError) -> SystemError {
    match error {
        AskError::NotRunning => SystemError::Stopped { index },
        AskError::Timeout(timeout) => SystemError::Timeout { index, timeout },
        AskError::NoReply => SystemError::NoReply { index },
    }
}

#[async_trait::async_trait]
impl CounterSystem for RactorSystem {
    fn design(&self) -> Design {
        Design::Ractor
    }

    fn len(&self) -> usize {
        self.counters.len()
    }

    async fn apply(&self, index: usize, op: Operation) -> Result<Receipt, SystemError> {
        let counter = self.counter(index)?;
        counter
            .cast(op.into())
            .map_err(|_| SystemError::Stopped { index })?;
        Ok(Receipt::Queued)
    }

    async fn value(&self, index: usize) -> Result<i64, SystemError> {
        let counter = self.counter(index)?;
        get_value(counter, self.call_timeout)
            .await
            .map_err(|error| system_error(index, error))
    }

    async fn stats(&self, index: usize) -> Result<CounterStats, SystemError> {
        let counter = self.counter(index)?;
        get_stats(counter, self.call_timeout)
            .await
            .map_err(|error| system_error(index, error))
    }

    // ANCHOR: aggregate
    /// Asks the aggregator for a round now, and for its figures, through
    /// [`round_now`] below.
    async fn aggregate(&self) -> Result<AggregatedStats, SystemError> {
        if self.shut_down.load(Ordering::Acquire) {
            return Err(SystemError::ShutDown);
        }
        round_now(&self.aggregator, self.call_timeout, true)
            .await
            .map_err(|_| SystemError::AggregatorUnavailable)
    }
    // ANCHOR_END: aggregate

    // ANCHOR: shutdown
    /// Stops everything without losing a message.
    ///
    /// The aggregator goes first, so that no round asks a counter that is
    /// already gone. Then each counter is asked for its figures: every
    /// client has finished, so every operation is already in the mailbox,
    /// ahead of the question. Last, `drain` puts a marker at the back of the
    /// mailbox; the actor handles what is in front of it and stops, and
    /// awaiting the task makes sure `post_stop` has run.
    ///
    /// The article calls `stop` instead, which overtakes the queue, and
    /// sleeps for 100 ms in the hope that the actors are done by then.
    async fn shutdown(&self) -> Result<Vec<CounterStats>, SystemError> {
        if self.shut_down.swap(true, Ordering::AcqRel) {
            return Err(SystemError::ShutDown);
        }
        let tasks = std::mem::take(&mut *self.tasks.lock().unwrap_or_else(PoisonError::into_inner));
        let mut tasks = tasks.into_iter();
        if let Some(task) = tasks.next() {
            drain(AGGREGATOR, self.aggregator.get_cell(), task)
                .await
                .map_err(|_| SystemError::AggregatorUnavailable)?;
        }
        let mut finals = Vec::with_capacity(self.counters.len());
        for (index, (counter, task)) in self.counters.iter().zip(tasks).enumerate() {
            let id = format!("counter-{index}");
            flow::call(MAIN, &id, "GetStats");
            let stats = get_stats(counter, self.call_timeout)
                .await
                .map_err(|error| system_error(index, error))?;
            flow::reply_stats(&id, MAIN, &stats);
            drain(&id, counter.get_cell(), task)
                .await
                .map_err(|_| SystemError::Stopped { index })?;
            finals.push(stats);
        }
        Ok(finals)
    }
    // ANCHOR_END: shutdown
}

// ANCHOR: round_now
/// Asks `aggregator` for its figures, after a round run now if `collect`.
///
/// Both messages come from this task, so the question is queued behind
/// the round and is answered with that round's figures. A round lasts at
/// most one call timeout, so two timeouts are enough for the answer.
pub async fn round_now(
    aggregator: &ActorRef<AggregatorMessage>,
    call_timeout: Duration,
    collect: bool,
) -> Result<AggregatedStats, AskError> {
    if collect {
        flow::cast(MAIN, AGGREGATOR, "CollectStats");
        aggregator
            .cast(AggregatorMessage::CollectStats)
            .map_err(|_| AskError::NotRunning)?;
    }
    flow::call(MAIN, AGGREGATOR, "GetTotalStats");
    let total = ask(
        aggregator,
        AggregatorMessage::GetTotalStats,
        call_timeout * 2,
    )
    .await?;
    flow::reply_total(AGGREGATOR, MAIN, &total);
    Ok(total)
}
// ANCHOR_END: round_now

/// Drains one actor, named `who` in the message flow, and waits for its
/// task to finish.
pub async fn drain(who: &str, actor: ActorCell, task: JoinHandle<()>) -> Result<(), RactorErr<()>> {
    flow::call(MAIN, who, "drain");
    match actor.drain_and_wait(None).await {
        // An actor that already stopped has nothing left to drain.
        Ok(()) | Err(RactorErr::Messaging(MessagingErr::SendErr(()))) => {}
        Err(error) => return Err(error),
    }
    // A task that panicked has already stopped; there is nothing to wait for.
    let _ = task.await;
    flow::reply(who, MAIN, "stopped");
    Ok(())
}
