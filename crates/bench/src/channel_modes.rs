//! The two speeds of a channel: a probe that runs the counting work on a
//! runtime laid out on purpose (worker threads, LIFO slot) and records,
//! for every run, what the consumer task did while the producers ran. The
//! `channel_modes` binary prints it; the book's page "The two speeds of a
//! channel" (`docs/measuring-two-speeds.md`) reads it.

use std::collections::HashSet;
use std::future::poll_fn;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use tokio::runtime::{Builder, Runtime, RuntimeMetrics};
use tokio::sync::{mpsc, oneshot};

use crate::counting::shares;
use crate::{MeasureError, expect_total};

/// How a probe's runtime is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Worker threads of the multi-threaded runtime.
    pub workers: usize,
    /// Whether a woken task goes to its waker's LIFO slot, tokio's default.
    pub lifo: bool,
}

/// Why a layout cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum LayoutError {
    /// `disable_lifo_slot` is behind tokio's `tokio_unstable` cfg.
    #[error(
        "turning the LIFO slot off needs a build with RUSTFLAGS=\"--cfg tokio_unstable\" \
         (tokio marks `disable_lifo_slot` unstable)"
    )]
    LifoNeedsUnstable,
    /// The runtime would not start.
    #[error("the runtime did not start: {0}")]
    Runtime(#[from] std::io::Error),
}

impl Layout {
    /// A multi-threaded runtime with this layout.
    pub fn build(self) -> Result<Runtime, LayoutError> {
        let mut builder = Builder::new_multi_thread();
        builder.worker_threads(self.workers.max(1)).enable_all();
        if !self.lifo {
            #[cfg(tokio_unstable)]
            builder.disable_lifo_slot();
            #[cfg(not(tokio_unstable))]
            return Err(LayoutError::LifoNeedsUnstable);
        }
        Ok(builder.build()?)
    }
}

// ANCHOR: trace
/// How the producers of a probe send their share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Producers {
    /// A plain loop of sends, as in `feed`: an unbounded send never waits,
    /// so the task keeps its worker thread until its share is sent.
    Greedy,
    /// The same loop, spending tokio's cooperative budget on every send,
    /// so that the task yields its thread every 128 sends.
    Budgeted,
}

impl Producers {
    /// Sends `share` increments with `send`.
    pub async fn run(
        self,
        share: u64,
        send: impl Fn() -> Result<(), MeasureError>,
    ) -> Result<(), MeasureError> {
        for _ in 0..share {
            send()?;
            if self == Producers::Budgeted {
                tokio::task::consume_budget().await;
            }
        }
        Ok(())
    }
}

/// What one traced run of the raw channel loop did.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    /// The whole run: first spawn to the answer, as `feed` times it.
    pub elapsed: Duration,
    /// Until the last producer returned.
    pub producing: Duration,
    /// Increments the consumer had applied when the last producer
    /// returned: near the total if it kept up, near 0 if it was shut out.
    pub applied_meanwhile: u64,
    /// Times the consumer found its mailbox empty and waited for a wake-up.
    pub waits: u64,
    /// Times it gave up the thread with messages still queued: tokio's
    /// budget of 128 operations per poll ran out.
    pub budget_yields: u64,
    /// Times it resumed on another thread than the one it last ran on.
    pub hops: u64,
    /// Worker threads that ran a producer.
    pub producer_threads: usize,
    /// How long two or more producers were sending at the same moment.
    pub side_by_side: Duration,
    /// Whether it first resumed, after the producers started, on a thread
    /// that was running a producer.
    pub woke_beside_a_producer: bool,
    /// Runtime metrics, summed over the workers, during the run.
    pub workers: WorkerCounts,
}
// ANCHOR_END: trace

/// Stable runtime metrics, summed over every worker.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkerCounts {
    /// Times a worker parked: went to sleep with no task to run.
    pub parks: u64,
    /// Time workers spent running tasks.
    pub busy: Duration,
    /// Tasks stolen from another worker's queue; only in a build with
    /// `--cfg tokio_unstable`, where tokio exposes it.
    pub steals: Option<u64>,
}

impl WorkerCounts {
    /// The counts so far.
    pub fn read(metrics: &RuntimeMetrics) -> Self {
        let workers = 0..metrics.num_workers();
        #[cfg(tokio_unstable)]
        let steals = Some(workers.clone().map(|w| metrics.worker_steal_count(w)).sum());
        #[cfg(not(tokio_unstable))]
        let steals = None;
        WorkerCounts {
            parks: workers.clone().map(|w| metrics.worker_park_count(w)).sum(),
            busy: workers.map(|w| metrics.worker_total_busy_duration(w)).sum(),
            steals,
        }
    }

    /// What happened between `earlier` and `self`.
    pub fn since(self, earlier: WorkerCounts) -> Self {
        WorkerCounts {
            parks: self.parks - earlier.parks,
            busy: self.busy.saturating_sub(earlier.busy),
            steals: self
                .steals
                .zip(earlier.steals)
                .map(|(now, then)| now - then),
        }
    }
}

/// What the traced consumer shares with the run that times it.
#[derive(Default)]
struct Seen {
    /// Increments applied so far.
    applied: AtomicU64,
    /// `recv` found the mailbox empty.
    waits: AtomicU64,
    /// `recv` gave up the thread with messages queued.
    budget_yields: AtomicU64,
    /// The consumer resumed on another thread.
    hops: AtomicU64,
}

/// One traced run: `producers` tasks share `total` increments into the
/// raw channel loop of `floors`, written again here with counters around
/// its `recv`. Call it from inside the runtime's `block_on`, as the
/// counting bench does.
pub async fn trace(
    metrics: &RuntimeMetrics,
    producers: Producers,
    count: usize,
    total: u64,
) -> Result<Trace, MeasureError> {
    let seen = Arc::new(Seen::default());
    let producer_threads = Arc::new(std::sync::Mutex::new(Vec::<ThreadId>::new()));
    let spans = Arc::new(std::sync::Mutex::new(Vec::<(Instant, Instant)>::new()));
    let first_resume = Arc::new(std::sync::Mutex::new(None::<ThreadId>));
    let (sender, receiver) = mpsc::unbounded_channel::<Msg>();
    let consumer = tokio::spawn(consume(receiver, seen.clone(), first_resume.clone()));
    let before = WorkerCounts::read(metrics);

    let start = Instant::now();
    let tasks: Vec<_> = shares(total, count)?
        .map(|share| {
            let sender = sender.clone();
            let threads = producer_threads.clone();
            let spans = spans.clone();
            tokio::spawn(async move {
                let began = Instant::now();
                threads
                    .lock()
                    .map_err(|_| MeasureError::TaskFailed)?
                    .push(thread::current().id());
                producers
                    .run(share, || {
                        sender.send(Msg::Add(1)).map_err(|_| MeasureError::Stopped)
                    })
                    .await?;
                let ended = Instant::now();
                spans
                    .lock()
                    .map_err(|_| MeasureError::TaskFailed)?
                    .push((began, ended));
                Ok::<(), MeasureError>(())
            })
        })
        .collect();
    for task in tasks {
        task.await.map_err(|_| MeasureError::TaskFailed)??;
    }
    let producing = start.elapsed();
    let applied_meanwhile = seen.applied.load(Ordering::Relaxed);
    let (reply, answer) = oneshot::channel();
    sender
        .send(Msg::Get(reply))
        .map_err(|_| MeasureError::Stopped)?;
    let read = answer.await.map_err(|_| MeasureError::Stopped)?;
    let elapsed = start.elapsed();
    let workers = WorkerCounts::read(metrics).since(before);
    expect_total(read, total)?;
    drop(sender);
    consumer.await.map_err(|_| MeasureError::TaskFailed)?;

    let threads: HashSet<ThreadId> = producer_threads
        .lock()
        .map_err(|_| MeasureError::TaskFailed)?
        .iter()
        .copied()
        .collect();
    let first = *first_resume.lock().map_err(|_| MeasureError::TaskFailed)?;
    let spans = spans.lock().map_err(|_| MeasureError::TaskFailed)?;
    Ok(Trace {
        elapsed,
        producing,
        applied_meanwhile,
        waits: seen.waits.load(Ordering::Relaxed),
        budget_yields: seen.budget_yields.load(Ordering::Relaxed),
        hops: seen.hops.load(Ordering::Relaxed),
        producer_threads: threads.len(),
        side_by_side: side_by_side(&spans),
        woke_beside_a_producer: first.is_some_and(|t| threads.contains(&t)),
        workers,
    })
}

/// How long two or more of `spans` were open at the same moment.
fn side_by_side(spans: &[(Instant, Instant)]) -> Duration {
    let mut edges: Vec<(Instant, i32)> = spans
        .iter()
        .flat_map(|&(began, ended)| [(began, 1), (ended, -1)])
        .collect();
    edges.sort();
    let (mut open, mut total) = (0, Duration::ZERO);
    for pair in edges.windows(2) {
        open += pair[0].1;
        if open >= 2 {
            total += pair[1].0 - pair[0].0;
        }
    }
    total
}

/// The raw loop's two messages.
enum Msg {
    /// Add this much.
    Add(i64),
    /// Answer with the total.
    Get(oneshot::Sender<i64>),
}

/// The raw loop, counting why each `recv` returned `Pending` and where it
/// resumed.
async fn consume(
    mut receiver: mpsc::UnboundedReceiver<Msg>,
    seen: Arc<Seen>,
    first_resume: Arc<std::sync::Mutex<Option<ThreadId>>>,
) {
    let mut total = 0_i64;
    let mut applied = 0_u64;
    let mut last_thread = thread::current().id();
    let mut pending = false;
    loop {
        let next = poll_fn(|cx| {
            if pending {
                pending = false;
                let here = thread::current().id();
                if here != last_thread {
                    seen.hops.fetch_add(1, Ordering::Relaxed);
                    last_thread = here;
                }
                if let Ok(mut first) = first_resume.lock() {
                    first.get_or_insert(here);
                }
            }
            let poll = receiver.poll_recv(cx);
            if poll.is_pending() {
                pending = true;
                let why = if receiver.is_empty() {
                    &seen.waits
                } else {
                    &seen.budget_yields
                };
                why.fetch_add(1, Ordering::Relaxed);
            }
            poll
        })
        .await;
        match next {
            Some(Msg::Add(n)) => {
                total = total.wrapping_add(n);
                applied += 1;
                seen.applied.store(applied, Ordering::Relaxed);
            }
            Some(Msg::Get(reply)) => {
                let _ = reply.send(total);
            }
            None => break,
        }
    }
}

// ANCHOR: threads_only
/// The same million through the same kind of channel with no runtime at
/// all: `producers` threads send their shares, then this thread drains
/// the channel. No task is woken, parked or stolen here.
pub fn threads_only(producers: usize, total: u64) -> Result<Duration, MeasureError> {
    let (sender, mut receiver) = mpsc::unbounded_channel::<i64>();
    let start = Instant::now();
    thread::scope(|scope| {
        for share in shares(total, producers)? {
            let sender = sender.clone();
            scope.spawn(move || {
                for _ in 0..share {
                    let _ = sender.send(1);
                }
            });
        }
        Ok::<(), MeasureError>(())
    })?;
    drop(sender);
    let mut read = 0_i64;
    while let Ok(n) = receiver.try_recv() {
        read += n;
    }
    let elapsed = start.elapsed();
    expect_total(read, total)?;
    Ok(elapsed)
}
// ANCHOR_END: threads_only

// ANCHOR: ping_pong
/// The price of one cache line going from one core to the other and back,
/// with no runtime and no channel: two threads hand a number to and fro
/// `rounds` times. Returns the time of one round trip.
pub fn ping_pong(rounds: u64) -> Duration {
    let line = Arc::new(AtomicU64::new(0));
    let echo = {
        let line = line.clone();
        thread::spawn(move || {
            for round in 0..rounds {
                while line.load(Ordering::Acquire) != 2 * round + 1 {
                    std::hint::spin_loop();
                }
                // Release pairs with the Acquire of the waiting thread.
                line.store(2 * round + 2, Ordering::Release);
            }
        })
    };
    let start = Instant::now();
    for round in 0..rounds {
        line.store(2 * round + 1, Ordering::Release);
        while line.load(Ordering::Acquire) != 2 * round + 2 {
            std::hint::spin_loop();
        }
    }
    let elapsed = start.elapsed();
    let _ = echo.join();
    elapsed / u32::try_from(rounds.max(1)).unwrap_or(u32::MAX)
}
// ANCHOR_END: ping_pong

#[cfg(test)]
mod tests {
    use super::*;

    /// A traced run applies every increment, in either producer style,
    /// and its producing phase is part of the whole run.
    #[test]
    fn a_traced_run_counts_every_increment() {
        let layout = Layout {
            workers: 2,
            lifo: true,
        };
        let runtime = layout.build().unwrap();
        let metrics = runtime.metrics();
        for style in [Producers::Greedy, Producers::Budgeted] {
            let run = runtime.block_on(trace(&metrics, style, 3, 1_000)).unwrap();
            assert!(run.producing <= run.elapsed);
            assert!(run.applied_meanwhile <= 1_000);
            assert!((1..=3).contains(&run.producer_threads));
        }
    }

    /// Only the time two spans share counts as side by side.
    #[test]
    fn side_by_side_is_the_overlap() {
        let t = Instant::now();
        let ms = Duration::from_millis;
        let spans = [
            (t, t + ms(10)),
            (t + ms(4), t + ms(20)),
            (t + ms(30), t + ms(31)),
        ];
        assert_eq!(side_by_side(&spans), ms(6));
        assert_eq!(side_by_side(&spans[..1]), Duration::ZERO);
    }

    /// The runtime-free version counts every increment too.
    #[test]
    fn threads_alone_count_every_increment() {
        assert!(threads_only(2, 1_000).is_ok());
        assert!(matches!(
            threads_only(0, 1_000),
            Err(MeasureError::NoProducers)
        ));
    }

    /// Without tokio's unstable cfg, a layout with the LIFO slot off is
    /// refused before any runtime starts.
    #[cfg(not(tokio_unstable))]
    #[test]
    fn turning_the_lifo_slot_off_needs_unstable_tokio() {
        let layout = Layout {
            workers: 1,
            lifo: false,
        };
        assert!(matches!(
            layout.build(),
            Err(LayoutError::LifoNeedsUnstable)
        ));
    }
}
