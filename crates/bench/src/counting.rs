//! Counting: one million increments, shared among 1 to 8 producers, into
//! every design and every floor; then the same million in batches. The
//! `counting` bench program times these, and the book's "Counting" and
//! "Batching" pages (`docs/measuring-counting.md`, `measuring-batching.md`)
//! explain them.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actors_core::{Design, Operation};
use counter::{CounterActor, CounterMessage, get_value};
use handrolled::actor::{self, Handle};
use handrolled::{CounterMsg, HandCounter};
use lockbased_baseline::{
    AtomicCounter, MutexCounter, NaiveAtomicCounter, ShardedCounter, SharedCounter,
};
use ractor::{Actor, ActorRef};

use crate::floors::{BareActor, spawn_raw_loop};
use crate::{MeasureError, PATIENCE, quiet_args};

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
// ANCHOR_END: target

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
    crate::expect_total(read, total)?;
    Ok(elapsed)
}
// ANCHOR_END: feed

/// Splits `total` into `producers` shares that differ by at most one.
pub(crate) fn shares(
    total: u64,
    producers: usize,
) -> Result<impl Iterator<Item = u64>, MeasureError> {
    let producers = u64::try_from(producers).unwrap_or(u64::MAX);
    if producers == 0 {
        return Err(MeasureError::NoProducers);
    }
    let (each, extra) = (total / producers, total % producers);
    Ok((0..producers).map(move |k| each + u64::from(k < extra)))
}

/// Which target the counting bench feeds: one of the six designs, or one
/// of the two actor floors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TargetKind {
    /// A counter of one of the six designs.
    Design(Design),
    /// [`BareActor`]: ractor with nothing on top.
    BareRactor,
    /// [`spawn_raw_loop`]: a tokio channel and a loop.
    RawMpsc,
}

impl TargetKind {
    /// Every kind, designs first, in the order of the results table.
    pub const ALL: [TargetKind; 8] = [
        TargetKind::Design(Design::Ractor),
        TargetKind::Design(Design::HandRolled),
        TargetKind::Design(Design::Mutex),
        TargetKind::Design(Design::Atomic),
        TargetKind::Design(Design::AtomicNaive),
        TargetKind::Design(Design::Sharded),
        TargetKind::BareRactor,
        TargetKind::RawMpsc,
    ];

    /// The name the benchmark files it under: a design's own name, or the
    /// floor's.
    pub const fn name(self) -> &'static str {
        match self {
            TargetKind::Design(design) => design.name(),
            TargetKind::BareRactor => "bare-ractor",
            TargetKind::RawMpsc => "raw-mpsc",
        }
    }

    /// Whether it is a floor rather than one of the six designs.
    pub const fn is_floor(self) -> bool {
        !matches!(self, TargetKind::Design(_))
    }
}

// ANCHOR: count
/// One run of the counting benchmark: starts a fresh target of `kind`
/// (untimed), times [`feed`], and stops the target (untimed).
pub async fn count(
    kind: TargetKind,
    producers: usize,
    total: u64,
) -> Result<Duration, MeasureError> {
    match kind {
        TargetKind::Design(Design::Ractor) => {
            let (counter, task) = Actor::spawn(None, CounterActor, quiet_args()).await?;
            let elapsed = feed(counter.clone(), producers, total).await;
            counter.stop(None);
            let _ = task.await;
            elapsed
        }
        TargetKind::Design(Design::HandRolled) => {
            let (handle, task) = actor::spawn(HandCounter::new("bench"));
            let elapsed = feed(handle.clone(), producers, total).await;
            drop(handle);
            let _ = task.await;
            elapsed
        }
        TargetKind::Design(Design::Mutex) => {
            feed(Arc::new(MutexCounter::new()), producers, total).await
        }
        TargetKind::Design(Design::Atomic) => {
            feed(Arc::new(AtomicCounter::new()), producers, total).await
        }
        TargetKind::Design(Design::AtomicNaive) => {
            feed(Arc::new(NaiveAtomicCounter::new()), producers, total).await
        }
        TargetKind::Design(Design::Sharded) => {
            feed(Arc::new(ShardedCounter::new()), producers, total).await
        }
        TargetKind::BareRactor => {
            let (bare, task) = Actor::spawn(None, BareActor, ()).await?;
            let elapsed = feed(bare.clone(), producers, total).await;
            bare.stop(None);
            let _ = task.await;
            elapsed
        }
        TargetKind::RawMpsc => feed(spawn_raw_loop(), producers, total).await,
    }
}
// ANCHOR_END: count

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

/// One run of the batching benchmark on a fresh, quiet ractor counter.
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

    /// Every target applies every increment at every producer count: the
    /// check at the end of `feed` would fail the run otherwise.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_target_counts_every_increment() {
        for kind in TargetKind::ALL {
            for producers in [1, 3, 8] {
                let timed = count(kind, producers, 1_001).await;
                assert!(timed.is_ok(), "{}: {timed:?}", kind.name());
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
    /// batch that is shorter than the rest; an empty batch is refused.
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

    /// Exactly the two actor floors are floors; a design never is.
    #[test]
    fn floors_are_told_apart_from_designs() {
        let floors: Vec<&str> = TargetKind::ALL
            .into_iter()
            .filter(|kind| kind.is_floor())
            .map(TargetKind::name)
            .collect();
        assert_eq!(floors, ["bare-ractor", "raw-mpsc"]);
    }
}
