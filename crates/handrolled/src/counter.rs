//! The article's counter, on the hand-rolled actor of `actor.rs`, and the
//! system of such counters behind the shared contract, with the plain
//! unbounded channel or with a mailbox of `mailbox.rs`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use futures::future::join_all;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use actors_core::{
    AggregatedStats, CounterStats, CounterSystem, Design, Family, Mailbox, MailboxReport,
    Operation, Overflow, Receipt, SystemError, Tally, Transcript, aggregate, check_index, flow,
};

use crate::actor::{self, Actor, CallError, Reply, Stopped};
use crate::mailbox::{self, SendError, Sent};

// ANCHOR: counter
/// What a hand-rolled counter understands. The ractor counter's
/// `CounterMessage` without `Batch`, with one `Apply` for both directions,
/// and a tokio oneshot sender where ractor has an `RpcReplyPort`.
#[derive(Debug)]
pub enum CounterMsg {
    /// Apply an operation. No answer.
    Apply(Operation),
    /// Answer with the current value.
    GetValue(Reply<i64>),
    /// Answer with the statistics.
    GetStats(Reply<CounterStats>),
}

/// One counter: the state its task owns.
#[derive(Debug)]
pub struct HandCounter {
    /// The counter's name, for logs.
    id: String,
    /// Value and operation counts, changed only by [`Tally::apply`].
    tally: Tally,
    /// When the counter started. `tokio::time::Instant`, so that tests on
    /// the paused clock get exact rates.
    started_at: Instant,
    /// How long each operation takes before it is applied. Zero is the
    /// article's counter; more makes a counter slower than its client.
    work: Duration,
}

impl Actor for HandCounter {
    type Message = CounterMsg;

    async fn handle(&mut self, message: CounterMsg) {
        match message {
            CounterMsg::Apply(op) => {
                // New: a slow counter (`start_with`) works first; zero sets no
                // timer. Boxed, so that the timer's state is not part of every
                // idle counter's task, slow or not.
                if !self.work.is_zero() {
                    Box::pin(tokio::time::sleep(self.work)).await;
                }
                if let Err(error) = self.tally.apply(op) {
                    tracing::warn!(counter = %self.id, %error, "operation rejected");
                }
            }
            // The caller may have given up; a reply nobody reads is fine.
            CounterMsg::GetValue(reply) => {
                let _ = reply.send(self.tally.value());
            }
            CounterMsg::GetStats(reply) => {
                let _ = reply.send(self.stats());
            }
        }
    }
}
// ANCHOR_END: counter

impl HandCounter {
    /// A counter at zero, started now.
    pub fn new(id: impl Into<String>) -> Self {
        HandCounter {
            id: id.into(),
            tally: Tally::default(),
            started_at: Instant::now(),
            work: Duration::ZERO,
        }
    }

    /// The same counter, spending `work` on each operation (on tokio's
    /// clock) before applying it, so that its mailbox can fill up.
    pub fn with_work(self, work: Duration) -> Self {
        HandCounter { work, ..self }
    }

    /// The counter's statistics at this moment.
    pub fn stats(&self) -> CounterStats {
        CounterStats::measure(&self.tally, self.started_at.elapsed())
    }
}

// ANCHOR: system
/// `len` hand-rolled counter actors behind the [`CounterSystem`] contract.
pub struct HandRolledSystem {
    counters: Counters,
    /// The counters' tasks, taken by `shutdown` to collect the final states.
    tasks: Mutex<Vec<JoinHandle<HandCounter>>>,
    shut_down: AtomicBool,
    transcript: Transcript,
}

/// How the counters are reached: the two kinds of mailbox.
enum Counters {
    /// `start`: the unbounded channel of `actor.rs`. Nothing is measured,
    /// so it costs what the article's counters cost.
    Plain(Vec<actor::Handle<CounterMsg>>),
    /// `start_with`: a mailbox of `mailbox.rs` each, measured, with the
    /// policy for a full one.
    Measured {
        handles: Vec<mailbox::Handle<CounterMsg>>,
        overflow: Option<Overflow>,
    },
}

impl HandRolledSystem {
    /// Starts `len` counters, each in its own task, with unbounded mailboxes
    /// that nobody measures: [`mailbox`](CounterSystem::mailbox) is `None`.
    /// Call from inside a tokio runtime.
    pub fn start(len: usize, transcript: &Transcript) -> Self {
        let (handles, tasks) = (0..len)
            .map(|k| actor::spawn(HandCounter::new(started(k, transcript))))
            .unzip();
        HandRolledSystem::assemble(Counters::Plain(handles), tasks, transcript)
    }

    /// Starts `len` counters with a mailbox each, bounded or not, and the
    /// policy `mailbox` names. Each counter spends `work` on an operation
    /// before applying it. [`mailbox`](CounterSystem::mailbox) reports the
    /// mailboxes, added up. Call from inside a tokio runtime.
    pub fn start_with(
        len: usize,
        transcript: &Transcript,
        mailbox: Mailbox,
        work: Duration,
    ) -> Self {
        let (handles, tasks) = (0..len)
            .map(|k| {
                let counter = HandCounter::new(started(k, transcript)).with_work(work);
                mailbox::spawn_with(counter, mailbox)
            })
            .unzip();
        let overflow = mailbox.overflow();
        HandRolledSystem::assemble(Counters::Measured { handles, overflow }, tasks, transcript)
    }
    // ANCHOR_END: system

    fn assemble(
        counters: Counters,
        tasks: Vec<JoinHandle<HandCounter>>,
        transcript: &Transcript,
    ) -> Self {
        HandRolledSystem {
            counters,
            tasks: Mutex::new(tasks),
            shut_down: AtomicBool::new(false),
            transcript: transcript.clone(),
        }
    }

    fn check(&self, index: usize) -> Result<(), SystemError> {
        if self.shut_down.load(Ordering::Acquire) {
            return Err(SystemError::ShutDown);
        }
        check_index(index, self.counters.len())
    }
}

/// Counter `k`'s name, announced in the transcript.
fn started(k: usize, transcript: &Transcript) -> String {
    let id = format!("counter-{k}");
    transcript.line_in(Family::Started, format_args!("[{id}] started"));
    id
}

impl Counters {
    fn len(&self) -> usize {
        match self {
            Counters::Plain(handles) => handles.len(),
            Counters::Measured { handles, .. } => handles.len(),
        }
    }

    async fn call<T>(
        &self,
        index: usize,
        question: impl FnOnce(Reply<T>) -> CounterMsg,
    ) -> Result<T, SystemError> {
        let answer = match self {
            Counters::Plain(handles) => handles[index].call(question).await,
            Counters::Measured { handles, .. } => handles[index].call(question).await,
        };
        answer.map_err(|error| call_error(index, error))
    }

    fn stop(&self, index: usize) -> Result<(), Stopped> {
        match self {
            Counters::Plain(handles) => handles[index].stop(),
            Counters::Measured { handles, .. } => handles[index].stop(),
        }
    }
}

fn call_error(index: usize, error: CallError) -> SystemError {
    match error {
        CallError::Stopped => SystemError::Stopped { index },
        CallError::NoReply => SystemError::NoReply { index },
    }
}

#[actors_core::async_trait]
impl CounterSystem for HandRolledSystem {
    fn design(&self) -> Design {
        Design::HandRolled
    }

    fn len(&self) -> usize {
        self.counters.len()
    }

    async fn apply(&self, index: usize, op: Operation) -> Result<Receipt, SystemError> {
        self.check(index)?;
        match &self.counters {
            Counters::Plain(handles) => {
                handles[index]
                    .cast(CounterMsg::Apply(op))
                    .map_err(|_| SystemError::Stopped { index })?;
                Ok(Receipt::Queued)
            }
            Counters::Measured {
                handles,
                overflow: Some(Overflow::Route),
            } => route(handles, index, op).await,
            Counters::Measured { handles, .. } => {
                receipt(index, op, handles[index].send(CounterMsg::Apply(op)).await)
            }
        }
    }

    async fn value(&self, index: usize) -> Result<i64, SystemError> {
        self.check(index)?;
        self.counters.call(index, CounterMsg::GetValue).await
    }

    async fn stats(&self, index: usize) -> Result<CounterStats, SystemError> {
        self.check(index)?;
        self.counters.call(index, CounterMsg::GetStats).await
    }

    /// Asks every counter at once and adds up the answers. A counter that
    /// cannot answer is counted as unresponsive rather than failing the sum.
    async fn aggregate(&self) -> Result<AggregatedStats, SystemError> {
        if self.shut_down.load(Ordering::Acquire) {
            return Err(SystemError::ShutDown);
        }
        let questions = (0..self.counters.len()).map(|k| async move {
            flow::call(flow::MAIN, format_args!("counter-{k}"), "GetStats");
            let answer = self.counters.call(k, CounterMsg::GetStats).await;
            if let Ok(stats) = &answer {
                flow::reply_stats(format_args!("counter-{k}"), flow::MAIN, stats);
            }
            answer
        });
        let answers = join_all(questions).await;
        let unresponsive = answers.iter().filter(|answer| answer.is_err()).count();
        let mut total = aggregate(answers.into_iter().flatten());
        total.num_counters += unresponsive;
        total.unresponsive_counters = unresponsive;
        Ok(total)
    }

    // ANCHOR: shutdown
    /// Queues a stop behind each counter's messages, then waits for every
    /// task to hand its counter back: its final state.
    async fn shutdown(&self) -> Result<Vec<CounterStats>, SystemError> {
        if self.shut_down.swap(true, Ordering::AcqRel) {
            return Err(SystemError::ShutDown);
        }
        for k in 0..self.counters.len() {
            flow::cast(flow::MAIN, format_args!("counter-{k}"), "Stop");
            // A counter that has stopped already has nothing left to drain.
            let _ = self.counters.stop(k);
        }
        let tasks = std::mem::take(&mut *self.tasks.lock().unwrap_or_else(PoisonError::into_inner));
        let mut finals = Vec::with_capacity(tasks.len());
        for (index, task) in tasks.into_iter().enumerate() {
            // A task that panicked has no state to hand back.
            let counter = task.await.map_err(|_| SystemError::Stopped { index })?;
            let stats = counter.stats();
            flow::reply(&counter.id, flow::MAIN, "stopped");
            self.transcript.line_in(
                Family::Stopped,
                format_args!(
                    "[{}] stopped: final value {} after {} operations ({} rejected)",
                    counter.id,
                    stats.current_value,
                    stats.total_operations,
                    stats.rejected_operations
                ),
            );
            finals.push(stats);
        }
        Ok(finals)
    }
    // ANCHOR_END: shutdown

    /// The counters' mailboxes added up, for a system made by `start_with`;
    /// `None` for one made by `start`, whose channels nobody measures.
    fn mailbox(&self) -> Option<MailboxReport> {
        match &self.counters {
            Counters::Plain(_) => None,
            Counters::Measured { handles, .. } => Some(
                handles
                    .iter()
                    .map(|handle| handle.gauge().report())
                    .fold(MailboxReport::default(), MailboxReport::merge),
            ),
        }
    }
}

/// What a mailbox said about `op`, in the contract's words.
fn receipt(
    index: usize,
    op: Operation,
    sent: Result<Sent<CounterMsg>, SendError<CounterMsg>>,
) -> Result<Receipt, SystemError> {
    match sent {
        Ok(Sent::Queued) => Ok(Receipt::Queued),
        Ok(Sent::Dropped) => Ok(Receipt::Dropped),
        Ok(Sent::Evicted(CounterMsg::Apply(oldest))) => Ok(Receipt::Evicted(oldest)),
        // Questions skip the bound, so only an `Apply` is ever evicted.
        Ok(Sent::Evicted(_)) => Ok(Receipt::Queued),
        // An `Operation` is `Copy`: the one handed back is `op` itself.
        Err(SendError::Full(_)) => Err(SystemError::MailboxFull { index, op }),
        Err(SendError::Stopped(_)) => Err(SystemError::Stopped { index }),
    }
}

// ANCHOR: route
/// The route policy. Counter `index` first, then the next ones, wrapping
/// around, each tried without waiting: the totals are sums, so any counter
/// may take the operation. With no room anywhere, wait at `index`, as
/// `Block` does.
async fn route(
    handles: &[mailbox::Handle<CounterMsg>],
    index: usize,
    op: Operation,
) -> Result<Receipt, SystemError> {
    let mut message = CounterMsg::Apply(op);
    for to in (0..handles.len()).map(|step| (index + step) % handles.len()) {
        message = match handles[to].try_send(message) {
            Ok(_) if to == index => return Ok(Receipt::Queued),
            Ok(_) => {
                // Counted at home: its mailbox is the one that was full.
                handles[index].gauge().rerouted();
                return Ok(Receipt::Rerouted { to });
            }
            Err(SendError::Stopped(_)) if to == index => {
                return Err(SystemError::Stopped { index });
            }
            // Full, or a neighbour that has stopped: try the next one.
            Err(refused) => refused.into_inner(),
        };
    }
    receipt(index, op, handles[index].send_or_wait(message, None).await)
}
// ANCHOR_END: route

#[cfg(test)]
mod tests {
    use super::*;

    /// A system of three counters answers by index and refuses a fourth.
    #[tokio::test]
    async fn counters_are_addressed_by_index() {
        let system = HandRolledSystem::start(3, &Transcript::memory());
        let receipt = system
            .apply(2, Operation::Increment { amount: 4 })
            .await
            .unwrap();
        assert_eq!(receipt, Receipt::Queued);
        assert_eq!(system.value(2).await, Ok(4));
        assert_eq!(system.value(0).await, Ok(0));
        assert_eq!(
            system.value(3).await,
            Err(SystemError::NoSuchCounter { index: 3, len: 3 })
        );
    }

    /// The plain system measures nothing, so that it costs what it always
    /// did; a system started with a mailbox reports it, even an unbounded one.
    #[tokio::test(start_paused = true)]
    async fn only_start_with_reports_its_mailboxes() {
        let transcript = Transcript::memory();
        let plain = HandRolledSystem::start(2, &transcript);
        assert_eq!(plain.mailbox(), None);
        let measured =
            HandRolledSystem::start_with(2, &transcript, Mailbox::Unbounded, Duration::ZERO);
        for _ in 0..3 {
            measured
                .apply(1, Operation::Increment { amount: 1 })
                .await
                .unwrap();
        }
        measured.shutdown().await.unwrap();
        let report = measured.mailbox().unwrap();
        assert_eq!((report.taken, report.peak, report.depth), (3, 3, 0));
    }

    /// A slow counter spends its work on each operation, on tokio's clock,
    /// before it applies it: a question behind three operations of 5 ms is
    /// answered at exactly 15 ms.
    #[tokio::test(start_paused = true)]
    async fn a_slow_counter_works_before_it_applies() {
        let work = Duration::from_millis(5);
        let system =
            HandRolledSystem::start_with(1, &Transcript::memory(), Mailbox::Unbounded, work);
        let started = Instant::now();
        for amount in 1..=3 {
            system
                .apply(0, Operation::Increment { amount })
                .await
                .unwrap();
        }
        assert_eq!(system.value(0).await, Ok(6));
        assert_eq!(started.elapsed(), 3 * work);
    }
}
