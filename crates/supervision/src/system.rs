//! The supervised design behind the shared contract, with its clients'
//! sessions: numbers, acknowledgements and retries.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use actors_core::flow;
use actors_core::{
    AggregatedStats, ClientRecord, CounterStats, CounterSystem, Design, Operation, Receipt,
    SystemError, Transcript, Verdict, check_index,
};
use aggregator::{AggregatorActor, AggregatorArgs, AggregatorMessage, drain, round_now};
use counter::{CounterMessage, Numbered};
use ractor::concurrency::JoinHandle;
use ractor::{Actor, ActorRef, RpcReplyPort, SpawnErr};
use tokio::sync::watch;

use crate::faults::Faults;
use crate::store::Recovery;
use crate::supervisor::{
    Intensity, SUPERVISOR, SupervisionReport, Supervisor, SupervisorArgs, SupervisorMessage,
};

// ANCHOR: delivery
/// How a client hands over its operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Each operation is a `call`, sent again until the counter answers:
    /// nothing lost, and the numbers keep anything from applying twice.
    Acknowledged,
    /// Each operation is a `cast`: fast, and lost when the counter dies
    /// with it in its mailbox. The numbers still count every loss.
    FireAndForget,
}
// ANCHOR_END: delivery

/// Everything the supervised design is started with, beyond the counters'
/// number and the aggregator's settings.
#[derive(Debug, Clone)]
pub struct Supervision {
    /// How clients hand over operations.
    pub delivery: Delivery,
    /// What a restarted counter starts from.
    pub recovery: Recovery,
    /// The supervisor's restart limit.
    pub intensity: Intensity,
    /// Failures to inject.
    pub faults: Faults,
}

impl Default for Supervision {
    /// Acknowledged, from checkpoints, 5 restarts in 5 s, no faults.
    fn default() -> Self {
        Supervision {
            delivery: Delivery::Acknowledged,
            recovery: Recovery::Checkpoint,
            intensity: Intensity::default(),
            faults: Faults::default(),
        }
    }
}

/// How many times a client tries one operation before it gives up, and the
/// first pause between tries, doubled each time: about a quarter of a
/// second in all, far longer than a restart takes.
const ATTEMPTS: u32 = 8;
const FIRST_PAUSE: Duration = Duration::from_millis(1);

// ANCHOR: system
/// Counters under a [`Supervisor`], an aggregator that follows their
/// restarts, and one session per client.
pub struct SupervisedSystem {
    supervisor: ActorRef<SupervisorMessage>,
    aggregator: ActorRef<AggregatorMessage>,
    /// The two actors' tasks, aggregator first, taken by `shutdown`.
    tasks: Mutex<Vec<JoinHandle<()>>>,
    /// Client `k`'s session with counter `k`. Its lock keeps one operation
    /// in flight per client, so the numbers arrive in order.
    sessions: Vec<tokio::sync::Mutex<Session>>,
    delivery: Delivery,
    call_timeout: Duration,
    report: watch::Receiver<SupervisionReport>,
    retries: AtomicU64,
    lost: AtomicU64,
    shut_down: AtomicBool,
}

/// What a client knows: where its counter was last seen, and its next
/// operation's number.
#[derive(Default)]
struct Session {
    counter: Option<ActorRef<CounterMessage>>,
    next: u64,
}
// ANCHOR_END: system

impl SupervisedSystem {
    /// Starts the aggregator, then the supervisor, which starts `len`
    /// counters and registers them with the aggregator.
    pub async fn start(
        len: usize,
        aggregator_args: AggregatorArgs,
        supervision: Supervision,
    ) -> Result<Self, SpawnErr> {
        let transcript: Transcript = aggregator_args.transcript.clone();
        let call_timeout = aggregator_args.call_timeout;
        let (aggregator, aggregator_task) =
            Actor::spawn(None, AggregatorActor, aggregator_args).await?;
        let (report_sender, report) = watch::channel(SupervisionReport::default());
        let args = SupervisorArgs {
            counters: len,
            recovery: supervision.recovery,
            intensity: supervision.intensity,
            faults: supervision.faults,
            aggregator: Some(aggregator.clone()),
            transcript: transcript.clone(),
            report: report_sender,
        };
        let (supervisor, supervisor_task) = Actor::spawn(None, Supervisor, args).await?;
        let system = SupervisedSystem {
            supervisor,
            aggregator,
            tasks: Mutex::new(vec![aggregator_task, supervisor_task]),
            sessions: (0..len).map(|_| Default::default()).collect(),
            delivery: supervision.delivery,
            call_timeout,
            report,
            retries: AtomicU64::new(0),
            lost: AtomicU64::new(0),
            shut_down: AtomicBool::new(false),
        };
        if let Ok(stats) = round_now(&system.aggregator, call_timeout, false).await {
            transcript.line(format_args!(
                "The aggregator tracks {} counters, all supervised",
                stats.num_counters
            ));
        }
        Ok(system)
    }

    /// What the supervisor has done so far.
    pub fn report(&self) -> SupervisionReport {
        self.report.borrow().clone()
    }

    /// Operations that clients sent again after a failure.
    pub fn retries(&self) -> u64 {
        self.retries.load(Ordering::Relaxed)
    }

    fn session(&self, index: usize) -> Result<&tokio::sync::Mutex<Session>, SystemError> {
        if self.shut_down.load(Ordering::Acquire) {
            return Err(SystemError::ShutDown);
        }
        check_index(index, self.sessions.len())?;
        Ok(&self.sessions[index])
    }

    // ANCHOR: attempt
    /// Asks counter `index` the question `question` builds, and asks again
    /// after a failure, finding the restarted counter through the
    /// supervisor. `question` builds the same message, with the same
    /// number, every time.
    async fn ask<T: Send + 'static>(
        &self,
        index: usize,
        session: &mut Session,
        question: impl Fn(RpcReplyPort<T>) -> CounterMessage,
    ) -> Result<T, SystemError> {
        for attempt in 0..ATTEMPTS {
            if let Some(counter) = self.reach(index, session, attempt).await? {
                // A call that comes back unanswered may still have had its
                // effect; the number makes asking again safe.
                match counter::ask(&counter, &question, self.call_timeout).await {
                    Ok(answer) => return Ok(answer),
                    Err(error) => tracing::debug!(index, %error, "asking again"),
                }
            }
        }
        Err(self.unreachable(index))
    }

    /// Casts what `message` builds to counter `index`, again while the cast
    /// fails: a cast that fails was never delivered, so sending it again is
    /// always safe. A cast that succeeds can still be lost in the mailbox.
    async fn cast(
        &self,
        index: usize,
        session: &mut Session,
        message: impl Fn() -> CounterMessage,
    ) -> Result<(), SystemError> {
        for attempt in 0..ATTEMPTS {
            if let Some(counter) = self.reach(index, session, attempt).await?
                && counter.cast(message()).is_ok()
            {
                return Ok(());
            }
        }
        Err(self.unreachable(index))
    }

    /// The counter to try for attempt `attempt`: the one last seen at
    /// first, then, after a pause that doubles each time, the one the
    /// supervisor names now.
    async fn reach(
        &self,
        index: usize,
        session: &mut Session,
        attempt: u32,
    ) -> Result<Option<ActorRef<CounterMessage>>, SystemError> {
        if attempt > 0 {
            self.retries.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(FIRST_PAUSE * 2u32.pow(attempt - 1)).await;
            session.counter = None;
        }
        if session.counter.is_none() {
            session.counter = self.where_is(index).await?;
        }
        if attempt > 0 {
            flow::note(format_args!("client-{index}"), "sends it again");
        }
        Ok(session.counter.clone())
    }
    // ANCHOR_END: attempt

    fn unreachable(&self, index: usize) -> SystemError {
        match self.report().gave_up {
            Some(_) => SystemError::GaveUp { index },
            None => SystemError::NoReply { index },
        }
    }

    /// The counter that answers for `index` now, as the supervisor says.
    async fn where_is(
        &self,
        index: usize,
    ) -> Result<Option<ActorRef<CounterMessage>>, SystemError> {
        let client = format!("client-{index}");
        flow::call(&client, SUPERVISOR, "WhereIs");
        let question = |reply| SupervisorMessage::WhereIs { index, reply };
        let counter = counter::ask(&self.supervisor, question, self.call_timeout)
            .await
            .map_err(|_| SystemError::GaveUp { index })?;
        flow::reply(SUPERVISOR, &client, "the counter now");
        Ok(counter)
    }
}

#[async_trait::async_trait]
impl CounterSystem for SupervisedSystem {
    fn design(&self) -> Design {
        Design::Ractor
    }

    fn len(&self) -> usize {
        self.sessions.len()
    }

    // ANCHOR: apply
    /// Numbers the operation with the client's next number and hands it
    /// over, acknowledged or not. The number is used up once the operation
    /// may have reached a counter, so it is never given to another one.
    async fn apply(&self, index: usize, op: Operation) -> Result<Receipt, SystemError> {
        let mut session = self.session(index)?.lock().await;
        let (client, seq) = (index as u64, session.next);
        let numbered = |ack| {
            CounterMessage::Apply(Numbered {
                client,
                seq,
                op,
                ack,
            })
        };
        if self.delivery == Delivery::FireAndForget {
            self.cast(index, &mut session, || numbered(None)).await?;
            session.next += 1;
            return Ok(Receipt::Queued);
        }
        let answer = self
            .ask(index, &mut session, |port| numbered(Some(port)))
            .await;
        // Used up even without an answer: the counter may have applied it.
        session.next += 1;
        match answer?.outcome.verdict() {
            Some(Verdict::Applied) => Ok(Receipt::Applied),
            Some(Verdict::Rejected(error)) => Ok(Receipt::Rejected(error)),
            // One operation in flight per client: an answer is never older.
            None => Err(SystemError::NoReply { index }),
        }
    }
    // ANCHOR_END: apply

    async fn value(&self, index: usize) -> Result<i64, SystemError> {
        let mut session = self.session(index)?.lock().await;
        self.ask(index, &mut session, CounterMessage::GetValue)
            .await
    }

    async fn stats(&self, index: usize) -> Result<CounterStats, SystemError> {
        let mut session = self.session(index)?.lock().await;
        self.ask(index, &mut session, CounterMessage::GetStats)
            .await
    }

    async fn aggregate(&self) -> Result<AggregatedStats, SystemError> {
        if self.shut_down.load(Ordering::Acquire) {
            return Err(SystemError::ShutDown);
        }
        round_now(&self.aggregator, self.call_timeout, true)
            .await
            .map_err(|_| SystemError::AggregatorUnavailable)
    }

    // ANCHOR: shutdown
    /// Stops the aggregator, then settles each counter: its figures, what
    /// it knows of its client's numbers, and a drain. The losses are the
    /// numbers it skipped, and the numbers sent after its last one.
    async fn shutdown(&self) -> Result<Vec<CounterStats>, SystemError> {
        if self.shut_down.swap(true, Ordering::AcqRel) {
            return Err(SystemError::ShutDown);
        }
        let tasks = std::mem::take(&mut *self.tasks.lock().unwrap_or_else(PoisonError::into_inner));
        let mut tasks = tasks.into_iter();
        if let Some(task) = tasks.next() {
            drain("aggregator", self.aggregator.get_cell(), task)
                .await
                .map_err(|_| SystemError::AggregatorUnavailable)?;
        }
        let mut finals = Vec::with_capacity(self.sessions.len());
        for (index, session) in self.sessions.iter().enumerate() {
            let mut session = session.lock().await;
            let client = index as u64;
            let stats = self
                .ask(index, &mut session, CounterMessage::GetStats)
                .await?;
            let question = |reply| CounterMessage::GetClient { client, reply };
            let record: ClientRecord = self.ask(index, &mut session, question).await?;
            // The counter cannot have seen a number that was never sent.
            let unseen = session.next.checked_sub(record.next);
            let lost = unseen.ok_or(SystemError::NoReply { index })? + record.missed;
            self.lost.fetch_add(lost, Ordering::Relaxed);
            if let Some(counter) = session.counter.take() {
                // A clean stop, which the supervisor does not restart.
                let id = format!("counter-{index}");
                flow::call(flow::MAIN, &id, "drain");
                let _ = counter.drain_and_wait(Some(self.call_timeout)).await;
                flow::reply(&id, flow::MAIN, "stopped");
            }
            finals.push(stats);
        }
        self.supervisor.stop(None);
        if let Some(task) = tasks.next() {
            let _ = task.await;
        }
        Ok(finals)
    }
    // ANCHOR_END: shutdown

    fn lost(&self) -> u64 {
        self.lost.load(Ordering::Relaxed)
    }
}
