//! The workloads that the benchmarks time.
//!
//! They live in the library, not in `benches/`, for two reasons. The tests
//! in this module run each one on a small scale and check that it did what
//! it claims: every increment was applied, every question answered. And
//! the book's "Measuring" chapter includes them from here, so the code it
//! explains is the code that was timed.
//!
//! Every function does its setup first, untimed, then times only the work,
//! and returns that time for criterion's `iter_custom`. Time is read from
//! `std::time::Instant`: a benchmark measures real time, and never runs on
//! tokio's paused clock.
//!
//! The benches build one multi-threaded runtime per bench program, outside
//! every timed region, and run these functions on it.

use std::alloc::System;
use std::future::Future;
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use actors_core::{
    CounterStats, CounterSystem, Operation, OperationError, SystemError, Transcript, aggregate,
};
use aggregator::{AggregatorArgs, RactorSystem, SlowLink, ask_all, ask_in_turn};
use counter::{AskError, CounterActor, CounterArgs, CounterMessage, get_value};
use handrolled::actor::{self, CallError, Handle};
use handrolled::{CounterMsg, HandCounter};
use lockbased_baseline::{
    AtomicCounter, MutexCounter, MutexSystem, NaiveAtomicCounter, ShardedCounter, SharedCounter,
};
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort, SpawnErr};
use stats_alloc::{Region, StatsAlloc};
use tokio::sync::{mpsc, oneshot};

use demo::{DemoError, Design, Scenario};

/// Increments per iteration of the counting benchmark: Savina's "Counting
/// Actor" sends one million.
pub const INCREMENTS: u64 = 1_000_000;

/// How long a benchmark waits for an answer before calling the run broken.
/// A counter with a million increments queued needs well under a second to
/// reach the question; a minute means something is wrong.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// Why a measurement could not be taken. A benchmark stops on any of them:
/// a figure from a run that lost work would be a wrong figure.
#[derive(Debug, thiserror::Error)]
pub enum MeasureError {
    /// A run needs at least one producer.
    #[error("at least one producer is needed")]
    NoProducers,
    /// A batch must hold at least one operation.
    #[error("a batch must hold at least one operation")]
    EmptyBatch,
    /// The counter stopped while the run still had work for it.
    #[error("the counter stopped before the run was over")]
    Stopped,
    /// A producer or asker task panicked or was cancelled.
    #[error("a task of the run panicked or was cancelled")]
    TaskFailed,
    /// A lock-based counter refused an increment.
    #[error("the counter refused an increment: {0}")]
    Refused(#[from] OperationError),
    /// The counter's final value is not the number of increments sent.
    #[error("expected {expected} after the run, read {read}")]
    WrongTotal {
        /// Increments the producers sent.
        expected: u64,
        /// The value the counter reported.
        read: i64,
    },
    /// A ractor actor did not answer.
    #[error(transparent)]
    Ask(#[from] AskError),
    /// A hand-rolled actor did not answer.
    #[error(transparent)]
    Call(#[from] CallError),
    /// A ractor actor failed to start.
    #[error("an actor failed to start: {0}")]
    Spawn(#[from] SpawnErr),
    /// A system failed to start.
    #[error(transparent)]
    Demo(#[from] DemoError),
    /// A system refused a question.
    #[error(transparent)]
    System(#[from] SystemError),
    /// Only the two actor designs answer questions by message.
    #[error("{0} is not an actor design")]
    NotAnActor(Design),
}

// ANCHOR: floor_actors
/// The least a ractor actor can do: add, and say how much it has. No
/// checks, no statistics. It is the floor that `CounterActor` is compared
/// against, not a counter anyone should use.
pub struct BareActor;

/// What [`BareActor`] understands.
#[derive(Debug)]
pub enum BareMsg {
    /// Add this much.
    Add(i64),
    /// Answer with the total.
    Get(RpcReplyPort<i64>),
}

impl Actor for BareActor {
    type Msg = BareMsg;
    type State = i64;
    type Arguments = ();

    async fn pre_start(&self, _: ActorRef<BareMsg>, _: ()) -> Result<i64, ActorProcessingErr> {
        Ok(0)
    }

    async fn handle(
        &self,
        _: ActorRef<BareMsg>,
        message: BareMsg,
        total: &mut i64,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            BareMsg::Add(n) => *total = total.wrapping_add(n),
            BareMsg::Get(reply) => {
                let _ = reply.send(*total);
            }
        }
        Ok(())
    }
}

/// What the raw loop of [`spawn_raw_loop`] understands: the same two
/// messages as [`BareMsg`], with a tokio oneshot for the answer.
#[derive(Debug)]
pub enum RawMsg {
    /// Add this much.
    Add(i64),
    /// Answer with the total.
    Get(oneshot::Sender<i64>),
}

/// The least any actor can be: a task, an unbounded tokio channel, and a
/// loop. The hand-rolled actor of `actors-core` is this plus an envelope,
/// a `Tally` and a trait; this floor measures what those cost.
pub fn spawn_raw_loop() -> mpsc::UnboundedSender<RawMsg> {
    let (sender, mut receiver) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut total = 0_i64;
        while let Some(message) = receiver.recv().await {
            match message {
                RawMsg::Add(n) => total = total.wrapping_add(n),
                RawMsg::Get(reply) => {
                    let _ = reply.send(total);
                }
            }
        }
    });
    sender
}
// ANCHOR_END: floor_actors

// ANCHOR: target
/// Something that producers can hand increments to, and then wait on until
/// every increment has been applied.
pub trait Target: Clone + Send + Sync + 'static {
    /// Hands over one increment. A lock-based counter applies it now; an
    /// actor only queues it.
    fn increment(&self) -> Result<(), MeasureError>;

    /// The value, once every increment handed over before this call has
    /// been applied. For an actor this is a question that waits its turn in
    /// the mailbox behind all of them, so it is what "done" means.
    fn settle(&self) -> impl Future<Output = Result<i64, MeasureError>> + Send;
}

impl Target for ActorRef<CounterMessage> {
    fn increment(&self) -> Result<(), MeasureError> {
        let one = CounterMessage::Increment { amount: 1 };
        self.cast(one).map_err(|_| MeasureError::Stopped)
    }

    async fn settle(&self) -> Result<i64, MeasureError> {
        Ok(get_value(self, PATIENCE).await?)
    }
}

impl Target for Handle<CounterMsg> {
    fn increment(&self) -> Result<(), MeasureError> {
        let one = CounterMsg::Apply(Operation::Increment { amount: 1 });
        self.cast(one).map_err(|_| MeasureError::Stopped)
    }

    async fn settle(&self) -> Result<i64, MeasureError> {
        Ok(self.call(CounterMsg::GetValue).await?)
    }
}

impl<C: SharedCounter> Target for Arc<C> {
    fn increment(&self) -> Result<(), MeasureError> {
        Ok(self.apply(Operation::Increment { amount: 1 })?)
    }

    async fn settle(&self) -> Result<i64, MeasureError> {
        // Every producer has returned, so every increment is in.
        Ok(self.value())
    }
}

impl Target for ActorRef<BareMsg> {
    fn increment(&self) -> Result<(), MeasureError> {
        self.cast(BareMsg::Add(1))
            .map_err(|_| MeasureError::Stopped)
    }

    async fn settle(&self) -> Result<i64, MeasureError> {
        Ok(counter::ask(self, BareMsg::Get, PATIENCE).await?)
    }
}

impl Target for mpsc::UnboundedSender<RawMsg> {
    fn increment(&self) -> Result<(), MeasureError> {
        self.send(RawMsg::Add(1)).map_err(|_| MeasureError::Stopped)
    }

    async fn settle(&self) -> Result<i64, MeasureError> {
        let (reply, answer) = oneshot::channel();
        self.send(RawMsg::Get(reply))
            .map_err(|_| MeasureError::Stopped)?;
        answer.await.map_err(|_| MeasureError::Stopped)
    }
}
// ANCHOR_END: target

// ANCHOR: feed
/// Times `producers` tasks that share `total` increments to `target`, from
/// the first spawn until `settle` has answered.
///
/// The producers are tokio tasks on the current runtime, for every design:
/// the lock-based counters are called from the same kind of task that
/// sends the actors their messages, so the only difference left is the
/// design. The value read at the end must be `total`, or the run fails.
pub async fn feed<T: Target>(
    target: T,
    producers: usize,
    total: u64,
) -> Result<Duration, MeasureError> {
    let producer = |share| {
        let target = target.clone();
        async move {
            for _ in 0..share {
                target.increment()?;
            }
            Ok(())
        }
    };
    time_producers(producers, total, producer, || target.settle()).await
}

/// Spawns one task per share of `total`, waits for all of them, then for
/// `settle`, and checks the value it returns.
async fn time_producers<P, F, S, G>(
    producers: usize,
    total: u64,
    producer: P,
    settle: S,
) -> Result<Duration, MeasureError>
where
    P: Fn(u64) -> F,
    F: Future<Output = Result<(), MeasureError>> + Send + 'static,
    S: FnOnce() -> G,
    G: Future<Output = Result<i64, MeasureError>>,
{
    let start = Instant::now();
    let tasks: Vec<_> = shares(total, producers)?
        .map(|share| tokio::spawn(producer(share)))
        .collect();
    for task in tasks {
        task.await.map_err(|_| MeasureError::TaskFailed)??;
    }
    let read = settle().await?;
    let elapsed = start.elapsed();
    if u64::try_from(read) != Ok(total) {
        return Err(MeasureError::WrongTotal {
            expected: total,
            read,
        });
    }
    Ok(elapsed)
}
// ANCHOR_END: feed

/// Splits `total` into `producers` shares that differ by at most one.
fn shares(total: u64, producers: usize) -> Result<impl Iterator<Item = u64>, MeasureError> {
    let producers = u64::try_from(producers).unwrap_or(u64::MAX);
    if producers == 0 {
        return Err(MeasureError::NoProducers);
    }
    let (each, extra) = (total / producers, total % producers);
    Ok((0..producers).map(move |k| each + u64::from(k < extra)))
}

/// What the counting benchmark feeds: one of the six designs, or one of
/// the two actor floors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A counter of one of the six designs.
    Design(Design),
    /// [`BareActor`]: ractor with nothing on top.
    BareRactor,
    /// [`spawn_raw_loop`]: a tokio channel and a loop.
    RawMpsc,
}

impl Subject {
    /// Every subject, designs first, in the order of the results table.
    pub const ALL: [Subject; 8] = [
        Subject::Design(Design::Ractor),
        Subject::Design(Design::HandRolled),
        Subject::Design(Design::Mutex),
        Subject::Design(Design::Atomic),
        Subject::Design(Design::AtomicNaive),
        Subject::Design(Design::Sharded),
        Subject::BareRactor,
        Subject::RawMpsc,
    ];

    /// The name the benchmark reports it under.
    pub fn name(self) -> &'static str {
        match self {
            Subject::Design(design) => design.name(),
            Subject::BareRactor => "bare-ractor",
            Subject::RawMpsc => "raw-mpsc",
        }
    }
}

// ANCHOR: count
/// One run of the counting benchmark: starts a fresh counter of `subject`
/// (untimed), times [`feed`], and stops the counter (untimed).
pub async fn count(
    subject: Subject,
    producers: usize,
    total: u64,
) -> Result<Duration, MeasureError> {
    match subject {
        Subject::Design(Design::Ractor) => {
            let (counter, task) = Actor::spawn(None, CounterActor, quiet_args()).await?;
            let elapsed = feed(counter.clone(), producers, total).await;
            counter.stop(None);
            let _ = task.await;
            elapsed
        }
        Subject::Design(Design::HandRolled) => {
            let (handle, task) = actor::spawn(HandCounter::new("bench"));
            let elapsed = feed(handle.clone(), producers, total).await;
            drop(handle);
            let _ = task.await;
            elapsed
        }
        Subject::Design(Design::Mutex) => {
            feed(Arc::new(MutexCounter::new()), producers, total).await
        }
        Subject::Design(Design::Atomic) => {
            feed(Arc::new(AtomicCounter::new()), producers, total).await
        }
        Subject::Design(Design::AtomicNaive) => {
            feed(Arc::new(NaiveAtomicCounter::new()), producers, total).await
        }
        Subject::Design(Design::Sharded) => {
            feed(Arc::new(ShardedCounter::new()), producers, total).await
        }
        Subject::BareRactor => {
            let (bare, task) = Actor::spawn(None, BareActor, ()).await?;
            let elapsed = feed(bare.clone(), producers, total).await;
            bare.stop(None);
            let _ = task.await;
            elapsed
        }
        Subject::RawMpsc => feed(spawn_raw_loop(), producers, total).await,
    }
}
// ANCHOR_END: count

/// A counter's arguments for a benchmark: its lines go nowhere.
fn quiet_args() -> CounterArgs {
    CounterArgs {
        id: "bench".to_string(),
        transcript: Transcript::discard(),
    }
}

// ANCHOR: floor_plain
/// The floor under every design: `total` additions to a plain `i64` on one
/// thread. `black_box` hides the value from the optimizer at every step,
/// so the loop cannot be folded into one addition.
pub fn plain_i64(total: u64) -> Result<Duration, MeasureError> {
    let mut value = 0_i64;
    let start = Instant::now();
    for _ in 0..total {
        value = black_box(value) + 1;
    }
    let elapsed = start.elapsed();
    expect_total(value, total)?;
    Ok(elapsed)
}

/// `total` increments of one atomic by one thread: what an atomic costs
/// when nobody else wants it.
pub fn uncontended_atomic(total: u64) -> Result<Duration, MeasureError> {
    let value = AtomicI64::new(0);
    let start = Instant::now();
    for _ in 0..total {
        black_box(&value).fetch_add(1, Ordering::Relaxed);
    }
    let elapsed = start.elapsed();
    expect_total(value.into_inner(), total)?;
    Ok(elapsed)
}
// ANCHOR_END: floor_plain

fn expect_total(read: i64, expected: u64) -> Result<(), MeasureError> {
    if u64::try_from(read) == Ok(expected) {
        Ok(())
    } else {
        Err(MeasureError::WrongTotal { expected, read })
    }
}

// ANCHOR: batches
/// Like [`feed`] for the ractor counter, but each producer sends its share
/// in [`CounterMessage::Batch`]es of up to `batch` increments. The last
/// batch of a share may be shorter, so the total stays exact.
pub async fn feed_batches(
    counter: ActorRef<CounterMessage>,
    producers: usize,
    total: u64,
    batch: usize,
) -> Result<Duration, MeasureError> {
    if batch == 0 {
        return Err(MeasureError::EmptyBatch);
    }
    let producer = |share: u64| {
        let counter = counter.clone();
        async move {
            let mut left = share;
            while left > 0 {
                let size = usize::try_from(left).map_or(batch, |left| left.min(batch));
                let ops = vec![Operation::Increment { amount: 1 }; size];
                counter
                    .cast(CounterMessage::Batch(ops))
                    .map_err(|_| MeasureError::Stopped)?;
                left -= size as u64;
            }
            Ok(())
        }
    };
    time_producers(producers, total, producer, || counter.settle()).await
}
// ANCHOR_END: batches

/// One run of the batching benchmark on a fresh ractor counter.
pub async fn count_in_batches(
    producers: usize,
    total: u64,
    batch: usize,
) -> Result<Duration, MeasureError> {
    let (counter, task) = Actor::spawn(None, CounterActor, quiet_args()).await?;
    let elapsed = feed_batches(counter.clone(), producers, total, batch).await;
    counter.stop(None);
    let _ = task.await;
    elapsed
}

// ANCHOR: asked
/// A counter actor to ask for its value, in either actor design.
#[derive(Clone)]
pub enum Asked {
    /// A ractor `CounterActor`, asked with `call` through
    /// [`counter::get_value`], timeout included, as the demo asks.
    Ractor(ActorRef<CounterMessage>),
    /// A hand-rolled counter, asked with its `call`.
    HandRolled(Handle<CounterMsg>),
}

impl Asked {
    /// Starts a counter of `design`, which must be one of the two actor
    /// designs. Call from inside a runtime.
    pub async fn start(design: Design) -> Result<Self, MeasureError> {
        match design {
            Design::Ractor => Ok(Asked::Ractor(
                Actor::spawn(None, CounterActor, quiet_args()).await?.0,
            )),
            Design::HandRolled => Ok(Asked::HandRolled(actor::spawn(HandCounter::new("bench")).0)),
            other => Err(MeasureError::NotAnActor(other)),
        }
    }

    /// One question, one answer.
    pub async fn value(&self) -> Result<i64, MeasureError> {
        match self {
            Asked::Ractor(counter) => Ok(get_value(counter, PATIENCE).await?),
            Asked::HandRolled(handle) => Ok(handle.call(CounterMsg::GetValue).await?),
        }
    }
}

/// Times `questions` questions asked one after another by a task on the
/// runtime: the caller and the counter are both tasks, and may share a
/// worker thread.
pub async fn ask_from_a_task(asked: Asked, questions: u64) -> Result<Duration, MeasureError> {
    in_a_task(async move {
        let start = Instant::now();
        for _ in 0..questions {
            black_box(asked.value().await?);
        }
        Ok(start.elapsed())
    })
    .await
}

/// Times `questions` questions asked from a thread outside the runtime,
/// which blocks on each answer: every answer has to wake a parked thread.
pub fn ask_from_outside(
    runtime: &tokio::runtime::Runtime,
    asked: &Asked,
    questions: u64,
) -> Result<Duration, MeasureError> {
    let start = Instant::now();
    for _ in 0..questions {
        black_box(runtime.block_on(asked.value())?);
    }
    Ok(start.elapsed())
}
// ANCHOR_END: asked

/// Runs `work` as a task of the runtime, not on the thread that awaits it.
async fn in_a_task<T: Send + 'static>(
    work: impl Future<Output = Result<T, MeasureError>> + Send + 'static,
) -> Result<T, MeasureError> {
    tokio::spawn(work)
        .await
        .map_err(|_| MeasureError::TaskFailed)?
}

// ANCHOR: collection
/// How the aggregation benchmark collects from its counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    /// The article's round: one question after another ([`ask_in_turn`]).
    Sequential,
    /// Ours: every question at once ([`ask_all`]).
    Concurrent,
}

/// `len` idle ractor counters, for the aggregation benchmark.
pub async fn spawn_counters(len: usize) -> Result<Arc<[ActorRef<CounterMessage>]>, MeasureError> {
    let mut counters = Vec::with_capacity(len);
    for _ in 0..len {
        counters.push(Actor::spawn(None, CounterActor, quiet_args()).await?.0);
    }
    Ok(counters.into())
}

/// `len` idle ractor counters, each behind a [`SlowLink`] that holds every
/// stats question back for `delay`: counters on other machines, as far as
/// the aggregator can tell.
pub async fn spawn_distant_counters(
    len: usize,
    delay: Duration,
) -> Result<Arc<[ActorRef<CounterMessage>]>, MeasureError> {
    let mut links = Vec::with_capacity(len);
    for counter in spawn_counters(len).await?.iter() {
        let link = SlowLink { delay };
        links.push(Actor::spawn(None, link, counter.clone()).await?.0);
    }
    Ok(links.into())
}

/// Times `rounds` collection rounds over `counters`, run by a task on the
/// runtime. Each round asks every counter for its statistics and adds them
/// up; every counter must answer.
pub async fn collect_rounds(
    counters: Arc<[ActorRef<CounterMessage>]>,
    how: Collection,
    rounds: u64,
) -> Result<Duration, MeasureError> {
    in_a_task(async move {
        let start = Instant::now();
        for _ in 0..rounds {
            let answers = match how {
                Collection::Sequential => ask_in_turn(counters.iter(), PATIENCE).await,
                Collection::Concurrent => ask_all(counters.iter(), PATIENCE).await,
            };
            let stats: Vec<CounterStats> = answers.into_iter().collect::<Result<_, _>>()?;
            black_box(aggregate(stats));
        }
        Ok(start.elapsed())
    })
    .await
}
// ANCHOR_END: collection

/// A system of `len` counters whose only rounds are the ones it is asked
/// for: the ractor design without its timer, or the mutex design.
pub async fn quiet_system(
    design: Design,
    len: usize,
) -> Result<Arc<dyn CounterSystem>, MeasureError> {
    Ok(match design {
        Design::Ractor => {
            let args = AggregatorArgs {
                collect_every: None,
                call_timeout: PATIENCE,
                transcript: Transcript::discard(),
            };
            Arc::new(RactorSystem::start(len, args).await?)
        }
        Design::Mutex => Arc::new(MutexSystem::new(len)),
        other => demo::start(other, len, &Scenario::default(), &Transcript::discard()).await?,
    })
}

/// Times `rounds` calls of the contract's `aggregate`, run by a task on the
/// runtime.
pub async fn aggregate_rounds(
    system: Arc<dyn CounterSystem>,
    rounds: u64,
) -> Result<Duration, MeasureError> {
    in_a_task(async move {
        let start = Instant::now();
        for _ in 0..rounds {
            black_box(system.aggregate().await?);
        }
        Ok(start.elapsed())
    })
    .await
}

// ANCHOR: spawn
/// Times the start of a system of `len` counters of `design`, and shuts it
/// down again, untimed.
pub async fn start_system(design: Design, len: usize) -> Result<Duration, MeasureError> {
    let scenario = Scenario::default();
    let transcript = Transcript::discard();
    let start = Instant::now();
    let system = demo::start(design, len, &scenario, &transcript).await?;
    let elapsed = start.elapsed();
    system.shutdown().await?;
    Ok(elapsed)
}
// ANCHOR_END: spawn

// ANCHOR: memory
/// The heap bytes that one idle counter of `design` holds.
///
/// `allocator` must be the program's global allocator, so that it sees
/// every allocation. This starts a system of no counters and one of `len`
/// counters, and divides the difference in live heap bytes by `len`, so
/// that what every system has once (the ractor aggregator, the vectors of
/// handles) mostly cancels out. Task memory is heap memory in tokio: a
/// spawned task's future, with its state, lives in one allocation.
pub async fn heap_per_counter(
    design: Design,
    len: usize,
    allocator: &StatsAlloc<System>,
) -> Result<f64, MeasureError> {
    let empty = live_bytes_of(design, 0, allocator).await?;
    let full = live_bytes_of(design, len, allocator).await?;
    Ok((full - empty) as f64 / len.max(1) as f64)
}

/// Live heap bytes added by starting a system of `len` counters.
async fn live_bytes_of(
    design: Design,
    len: usize,
    allocator: &StatsAlloc<System>,
) -> Result<isize, MeasureError> {
    let region = Region::new(allocator);
    let system = demo::start(design, len, &Scenario::default(), &Transcript::discard()).await?;
    // Let every new task run up to its first wait on an empty mailbox.
    tokio::task::yield_now().await;
    let change = region.change();
    let live = change.bytes_allocated as isize - change.bytes_deallocated as isize
        + change.bytes_reallocated;
    system.shutdown().await?;
    Ok(live)
}
// ANCHOR_END: memory

#[cfg(test)]
mod tests {
    use super::*;

    /// The shares add up to the total and differ by at most one.
    #[test]
    fn shares_add_up() {
        let split: Vec<u64> = shares(10, 4).unwrap().collect();
        assert_eq!(split, [3, 3, 2, 2]);
        assert_eq!(shares(1_000_000, 8).unwrap().sum::<u64>(), 1_000_000);
        assert!(matches!(shares(10, 0), Err(MeasureError::NoProducers)));
    }

    /// Every subject applies every increment at every producer count: the
    /// check at the end of `feed` would fail the run otherwise.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_subject_counts_every_increment() {
        for subject in Subject::ALL {
            for producers in [1, 3, 8] {
                let timed = count(subject, producers, 1_001).await;
                assert!(timed.is_ok(), "{}: {timed:?}", subject.name());
            }
        }
    }

    /// A target that drops increments is caught, not timed.
    #[tokio::test]
    async fn a_short_count_fails_the_run() {
        let counter = Arc::new(MutexCounter::new());
        counter.apply(Operation::Decrement { amount: 1 }).unwrap();
        let run = feed(counter, 2, 100).await;
        assert!(matches!(
            run,
            Err(MeasureError::WrongTotal {
                expected: 100,
                read: 99
            })
        ));
    }

    /// Batches of every size deliver exactly the total, including a last
    /// batch that is shorter than the rest.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn batches_deliver_the_exact_total() {
        for batch in [1, 16, 256] {
            assert!(count_in_batches(4, 1_001, batch).await.is_ok());
        }
        assert!(matches!(
            count_in_batches(1, 10, 0).await,
            Err(MeasureError::EmptyBatch)
        ));
    }

    /// The single-threaded floors count what they say.
    #[test]
    fn floors_count_every_step() {
        assert!(plain_i64(1_000).is_ok());
        assert!(uncontended_atomic(1_000).is_ok());
    }

    /// Both actor designs answer questions asked from a task.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn questions_are_answered() {
        for design in [Design::Ractor, Design::HandRolled] {
            let asked = Asked::start(design).await.unwrap();
            assert!(ask_from_a_task(asked, 10).await.is_ok());
        }
    }

    /// Questions from outside the runtime are answered too.
    #[test]
    fn questions_from_outside_are_answered() {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        for design in [Design::Ractor, Design::HandRolled] {
            let asked = runtime.block_on(Asked::start(design)).unwrap();
            assert!(ask_from_outside(&runtime, &asked, 10).is_ok());
        }
    }

    /// Both collections get an answer from every counter, and so do the
    /// contract's rounds.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_round_hears_from_every_counter() {
        let counters = spawn_counters(20).await.unwrap();
        for how in [Collection::Sequential, Collection::Concurrent] {
            assert!(collect_rounds(counters.clone(), how, 3).await.is_ok());
        }
        for design in [Design::Ractor, Design::Mutex] {
            let system = quiet_system(design, 20).await.unwrap();
            assert!(aggregate_rounds(system.clone(), 3).await.is_ok());
            assert_eq!(system.aggregate().await.unwrap().num_counters, 20);
        }
    }

    /// Counters behind a slow link answer both kinds of round, and the
    /// sequential round waits for each link in turn: at least one delay
    /// per counter.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn distant_counters_answer_every_round() {
        let delay = Duration::from_millis(1);
        let counters = spawn_distant_counters(5, delay).await.unwrap();
        let sequential = collect_rounds(counters.clone(), Collection::Sequential, 1);
        assert!(sequential.await.unwrap() >= 5 * delay);
        let concurrent = collect_rounds(counters, Collection::Concurrent, 1);
        assert!(concurrent.await.unwrap() >= delay);
    }

    /// A silent counter fails the round instead of being left out of it.
    #[tokio::test]
    async fn a_stopped_counter_fails_the_round() {
        let counters = spawn_counters(3).await.unwrap();
        counters[1].stop(None);
        tokio::task::yield_now().await;
        let round = collect_rounds(counters, Collection::Concurrent, 1).await;
        assert!(matches!(round, Err(MeasureError::Ask(_))));
    }

    /// Every design starts and shuts down.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_design_starts_and_stops() {
        for design in Design::ALL {
            assert!(start_system(design, 50).await.is_ok());
        }
    }
}
