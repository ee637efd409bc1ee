//! ractor's own answer to a full mailbox: the factory, shown in tests.
//!
//! A plain ractor actor's mailbox is an unbounded channel, read only from
//! the front, so it cannot evict: drop-oldest needs a queue that can. ractor
//! has one in its `factory` module. A factory keeps waiting jobs in its own
//! queue in front of its workers, bounds that queue with `DiscardSettings`,
//! and tells a `DiscardHandler` about every job it throws away, and why. Its
//! `RateLimitedRouter` sheds the jobs over a rate instead of delaying them.
//!
//! Every test runs one slow worker (5 ms of virtual time per job) on tokio's
//! paused clock, and accounts for every job it sent: handled + discarded ==
//! sent. The book's "When the mailbox fills up" pages include the setups.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ractor::factory::queues::DefaultQueue;
use ractor::factory::routing::{QueuerRouting, RoundRobinRouting};
use ractor::factory::{
    DiscardHandler, DiscardMode, DiscardReason, DiscardSettings, Factory, FactoryArguments,
    FactoryMessage, FactoryRef, Job, LeakyBucketRateLimiter, RateLimitedRouter, Worker,
    WorkerBuilder, WorkerId, worker_builder,
};
use ractor::rpc::CallResult;
use ractor::{Actor, ActorProcessingErr, ActorRef};
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// A job is known by its number, which is also the order it was sent in.
type JobId = u64;

/// How long the worker spends on each job, in virtual time.
const JOB_TIME: Duration = Duration::from_millis(5);

/// Long enough for any scenario here, short enough to fail fast if one hangs.
const PATIENCE: Duration = Duration::from_secs(10);

/// What happened to every job, with the virtual millisecond it happened at.
///
/// The worker writes `handled`; the factory, as our `DiscardHandler`,
/// writes `discarded`. Times count from the ledger's creation.
#[derive(Clone)]
struct Ledger {
    start: Instant,
    handled: Arc<Mutex<Vec<(JobId, u64)>>>,
    discarded: Arc<Mutex<Vec<(JobId, DiscardReason, u64)>>>,
}

impl Ledger {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            handled: Arc::default(),
            discarded: Arc::default(),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).expect("tests run for milliseconds")
    }

    fn handled(&self) -> Vec<(JobId, u64)> {
        self.handled.lock().unwrap().clone()
    }

    fn discarded(&self) -> Vec<(JobId, DiscardReason, u64)> {
        self.discarded.lock().unwrap().clone()
    }
}

/// The factory calls this for each job it drops, before dropping it.
impl DiscardHandler<JobId, ()> for Ledger {
    fn discard(&self, reason: DiscardReason, job: &mut Job<JobId, ()>) {
        let at = self.now_ms();
        self.discarded.lock().unwrap().push((job.key, reason, at));
    }
}

/// One job at a time, `JOB_TIME` each: a worker the sender can outrun.
struct SlowWorker {
    ledger: Ledger,
}

impl Worker for SlowWorker {
    type Key = JobId;
    type Message = ();
    type Arguments = ();
    type State = ();

    async fn pre_start(
        &self,
        _wid: WorkerId,
        _factory: &ActorRef<FactoryMessage<JobId, ()>>,
        _arguments: (),
    ) -> Result<(), ActorProcessingErr> {
        Ok(())
    }

    async fn handle(
        &self,
        _wid: WorkerId,
        _factory: &ActorRef<FactoryMessage<JobId, ()>>,
        job: Job<JobId, ()>,
        _state: &mut (),
    ) -> Result<JobId, ActorProcessingErr> {
        tokio::time::sleep(JOB_TIME).await;
        let at = self.ledger.now_ms();
        self.ledger.handled.lock().unwrap().push((job.key, at));
        // The factory tracks jobs in flight by key: returning it frees the worker.
        Ok(job.key)
    }
}

/// Builds every worker the factory asks for (it rebuilds one that fails).
fn slow_workers(ledger: &Ledger) -> Box<dyn WorkerBuilder<SlowWorker, ()>> {
    let ledger = ledger.clone();
    Box::new(worker_builder(move |_wid| {
        let worker = SlowWorker {
            ledger: ledger.clone(),
        };
        (worker, ())
    }))
}

/// A factory that queues jobs itself and hands each to the first free worker.
type Queued = Factory<JobId, (), (), SlowWorker, QueuerRouting<JobId, ()>, DefaultQueue<JobId, ()>>;

/// A factory that checks a leaky bucket before routing round-robin.
type RateLimited = Factory<
    JobId,
    (),
    (),
    SlowWorker,
    RateLimitedRouter<RoundRobinRouting<JobId, ()>, LeakyBucketRateLimiter>,
    DefaultQueue<JobId, ()>,
>;

/// A leaky bucket in front of the factory's own queue.
type RateLimitedQueue = Factory<
    JobId,
    (),
    (),
    SlowWorker,
    RateLimitedRouter<QueuerRouting<JobId, ()>, LeakyBucketRateLimiter>,
    DefaultQueue<JobId, ()>,
>;

fn dispatch(factory: &FactoryRef<JobId, ()>, id: JobId) {
    factory.dispatch(id, ()).expect("the factory is running");
}

/// The number of jobs waiting in the factory's own queue.
async fn queue_depth(factory: &FactoryRef<JobId, ()>) -> usize {
    match factory.queue_depth(Some(PATIENCE)).await {
        Ok(CallResult::Success(depth)) => depth,
        other => panic!("the factory did not report its depth: {other:?}"),
    }
}

/// Lets the factory finish every job it accepted, then waits for it to stop.
async fn drain(factory: &FactoryRef<JobId, ()>, stopped: JoinHandle<()>) {
    factory.drain_requests().expect("the factory is running");
    tokio::time::timeout(PATIENCE, stopped)
        .await
        .expect("the factory drains in virtual time")
        .expect("the factory stops cleanly");
}

/// Every discard in `discarded`, checked to have `reason`, as (job, ms) pairs.
fn only(reason: DiscardReason, discarded: &[(JobId, DiscardReason, u64)]) -> Vec<(JobId, u64)> {
    discarded
        .iter()
        .map(|(id, why, at)| {
            assert_eq!(*why, reason, "job {id} was discarded for another reason");
            (*id, *at)
        })
        .collect()
}

/// A factory of one slow worker whose queue holds `LIMIT` jobs, and
/// discards by `mode` beyond that, telling `ledger` about each.
async fn bounded_factory(
    mode: DiscardMode,
    ledger: &Ledger,
) -> (FactoryRef<JobId, ()>, JoinHandle<()>) {
    // ANCHOR: discard
    let arguments = FactoryArguments::builder()
        .worker_builder(slow_workers(ledger))
        .num_initial_workers(1)
        .router(QueuerRouting::default())
        .queue(DefaultQueue::default())
        .discard_settings(DiscardSettings::Static { limit: LIMIT, mode })
        .discard_handler(Arc::new(ledger.clone()))
        .build();
    Actor::spawn(None, Queued::default(), arguments)
        .await
        .expect("the factory starts")
    // ANCHOR_END: discard
}

/// How many jobs the bounded factories' queues hold.
const LIMIT: usize = 4;

/// Sends `SENT` jobs at once to a bounded factory, reading the queue's depth
/// after each, then lets it finish. Returns the depths.
async fn flood(mode: DiscardMode, ledger: &Ledger) -> Vec<usize> {
    let (factory, stopped) = bounded_factory(mode, ledger).await;
    let mut depths = Vec::new();
    for id in 0..SENT {
        dispatch(&factory, id);
        depths.push(queue_depth(&factory).await);
    }
    drain(&factory, stopped).await;
    // Job 0 went straight to the worker: the depth counts only waiting jobs.
    let expected: Vec<usize> = (0..SENT).map(|id| (id as usize).min(LIMIT)).collect();
    assert_eq!(depths, expected, "the queue never holds more than {LIMIT}");
    assert_eq!(
        ledger.handled().len() + ledger.discarded().len(),
        SENT as usize,
        "every job handled or discarded"
    );
    depths
}

/// How many jobs a flood sends at once.
const SENT: JobId = 50;

/// With `DiscardMode::Oldest`, a job that arrives at a full queue evicts the
/// job at its head. The queue never holds more than the limit, the job in
/// progress is never evicted, and the newest jobs are the ones handled.
#[tokio::test(start_paused = true)]
async fn a_factory_discards_the_oldest_job() {
    let ledger = Ledger::new();
    flood(DiscardMode::Oldest, &ledger).await;
    // Each arrival from job 5 on evicted the oldest waiting job, at once.
    let evicted: Vec<(JobId, u64)> = (1..=45).map(|id| (id, 0)).collect();
    assert_eq!(only(DiscardReason::Loadshed, &ledger.discarded()), evicted);
    // The job in progress, then the last four sent, at the worker's pace.
    assert_eq!(
        ledger.handled(),
        [(0, 5), (46, 10), (47, 15), (48, 20), (49, 25)]
    );
}

/// With `DiscardMode::Newest`, a job that arrives at a full queue is refused
/// instead: the queue keeps the first jobs and every later one is dropped.
#[tokio::test(start_paused = true)]
async fn a_factory_discards_the_newest_job() {
    let ledger = Ledger::new();
    flood(DiscardMode::Newest, &ledger).await;
    let refused: Vec<(JobId, u64)> = (5..SENT).map(|id| (id, 0)).collect();
    assert_eq!(only(DiscardReason::Loadshed, &ledger.discarded()), refused);
    assert_eq!(
        ledger.handled(),
        [(0, 5), (1, 10), (2, 15), (3, 20), (4, 25)]
    );
}

/// A leaky bucket of 5 jobs per 100 ms sheds the rest of a burst the moment
/// it arrives, with `DiscardReason::RateLimited`: nothing waits for the next
/// refill. The 5 it lets through finish at the worker's pace, and a burst
/// one period later gets exactly 5 more.
#[tokio::test(start_paused = true)]
async fn a_leaky_bucket_sheds_a_burst_instead_of_delaying_it() {
    const RATE: usize = 5;
    const PERIOD: Duration = Duration::from_millis(100);
    const BURST: JobId = 50;
    let ledger = Ledger::new();

    // ANCHOR: leaky_bucket
    // Starts full (`initial` defaults to `max`), gains RATE tokens per PERIOD.
    let bucket = LeakyBucketRateLimiter::builder()
        .refill(RATE)
        .interval(PERIOD)
        .max(RATE)
        .build();
    let arguments = FactoryArguments::builder()
        .worker_builder(slow_workers(&ledger))
        .num_initial_workers(1)
        .router(
            RateLimitedRouter::builder()
                .router(RoundRobinRouting::default())
                .rate_limiter(bucket)
                .build(),
        )
        .queue(DefaultQueue::default())
        .discard_handler(Arc::new(ledger.clone()))
        .build();
    let (factory, stopped) = Actor::spawn(None, RateLimited::default(), arguments)
        .await
        .expect("the factory starts");
    // ANCHOR_END: leaky_bucket

    for id in 0..BURST {
        dispatch(&factory, id);
    }
    tokio::time::sleep_until(ledger.start + PERIOD).await;
    for id in BURST..2 * BURST {
        dispatch(&factory, id);
    }
    drain(&factory, stopped).await;

    // Shed at the moment each was sent: 0 ms for the first burst, 100 for the second.
    let shed: Vec<(JobId, u64)> = (5..BURST)
        .map(|id| (id, 0))
        .chain((BURST + 5..2 * BURST).map(|id| (id, 100)))
        .collect();
    assert_eq!(only(DiscardReason::RateLimited, &ledger.discarded()), shed);
    assert_eq!(
        ledger.handled(),
        [
            (0, 5),
            (1, 10),
            (2, 15),
            (3, 20),
            (4, 25),
            (50, 105),
            (51, 110),
            (52, 115),
            (53, 120),
            (54, 125)
        ]
    );
    assert_eq!(
        ledger.handled().len() + ledger.discarded().len(),
        2 * BURST as usize
    );
}

/// In front of the factory's own queue, the bucket is checked when a job
/// arrives but spent only when a job is handed to a worker. A burst bigger
/// than the bucket is admitted whole, waits, and the jobs past the tokens
/// are shed later, when their turn comes: here they wait 15 ms to be dropped.
#[tokio::test(start_paused = true)]
async fn behind_a_queue_the_bucket_is_spent_at_hand_off() {
    const RATE: usize = 3;
    const BURST: JobId = 10;
    let ledger = Ledger::new();

    let bucket = LeakyBucketRateLimiter::builder()
        .refill(RATE)
        .interval(Duration::from_secs(1))
        .max(RATE)
        .build();
    let arguments = FactoryArguments::builder()
        .worker_builder(slow_workers(&ledger))
        .num_initial_workers(1)
        .router(
            RateLimitedRouter::builder()
                .router(QueuerRouting::default()) // New: the factory queues
                .rate_limiter(bucket)
                .build(),
        )
        .queue(DefaultQueue::default())
        .discard_handler(Arc::new(ledger.clone()))
        .build();
    let (factory, stopped) = Actor::spawn(None, RateLimitedQueue::default(), arguments)
        .await
        .expect("the factory starts");

    for id in 0..BURST {
        dispatch(&factory, id);
    }
    // Nothing refused on arrival: all but the job in progress wait in the queue.
    assert_eq!(queue_depth(&factory).await, 9);
    assert_eq!(ledger.discarded(), []);
    drain(&factory, stopped).await;

    assert_eq!(ledger.handled(), [(0, 5), (1, 10), (2, 15)]);
    let shed: Vec<(JobId, u64)> = (3..BURST).map(|id| (id, 15)).collect();
    assert_eq!(only(DiscardReason::RateLimited, &ledger.discarded()), shed);
    assert_eq!(
        ledger.handled().len() + ledger.discarded().len(),
        BURST as usize
    );
}
