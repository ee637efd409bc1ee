//! Times your `Batching` target next to the mutex design and next to a
//! `CounterActor` sent one message per increment, with 1, 2, 4 and 8
//! producers, through the same `feed` workload as the counting benchmark.
//!
//! ```text
//! cargo bench -p exercise-08-your-own-target                      # the reference solution
//! cargo bench -p exercise-08-your-own-target --features starter   # your answer
//! cargo bench -p exercise-08-your-own-target -- --test            # each case once, untimed
//! ```
//!
//! `feed` checks the count at the end of every run, so a target that loses
//! an increment stops the bench instead of giving a figure.

use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::Duration;

use actors_core::Design;
use bench::{TargetKind, count};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use exercise_08_your_own_target::{Batching, MeasureError, feed};
use lockbased_baseline::{MutexCounter, SharedCounter};
use tokio::runtime::Runtime;

/// Increments per run: a tenth of the counting benchmark's million, so that
/// the whole group takes well under a minute.
const INCREMENTS: u64 = 100_000;

/// Producer counts, as in the counting benchmark.
const PRODUCERS: [usize; 4] = [1, 2, 4, 8];

/// Increments per batch. Try others, and set them beside the batching
/// table in `docs/measuring-batching.md`, where each producer batched by
/// itself.
const BATCH: NonZeroUsize = NonZeroUsize::new(64).unwrap();

// ANCHOR: run
/// One run of your target on a fresh counter: the start and the stop are
/// not timed, only `feed`.
async fn batching(producers: usize) -> Result<Duration, MeasureError> {
    let (target, task) = Batching::spawn(BATCH).await?;
    let elapsed = feed(target.clone(), producers, INCREMENTS).await;
    target.counter().stop(None);
    let _ = task.await;
    elapsed
}
// ANCHOR_END: run

/// Adds up the timed regions of `iters` runs.
fn total_of(iters: u64, mut run: impl FnMut() -> Result<Duration, MeasureError>) -> Duration {
    (0..iters)
        .map(|_| run().unwrap_or_else(|error| panic!("the run failed: {error}")))
        .sum()
}

// ANCHOR: group
fn your_target(c: &mut Criterion) {
    // One runtime for the whole program, built before anything is timed.
    let runtime = Runtime::new().expect("a runtime starts");
    let mut group = c.benchmark_group("your_target");
    group.throughput(Throughput::Elements(INCREMENTS));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(2));
    for producers in PRODUCERS {
        let id = BenchmarkId::new(format!("batching-{BATCH}"), producers);
        group.bench_function(id, |b| {
            b.iter_custom(|iters| total_of(iters, || runtime.block_on(batching(producers))));
        });
        group.bench_function(BenchmarkId::new("mutex", producers), |b| {
            b.iter_custom(|iters| {
                total_of(iters, || {
                    let counter = Arc::new(MutexCounter::new());
                    runtime.block_on(feed(counter, producers, INCREMENTS))
                })
            });
        });
        group.bench_function(BenchmarkId::new("ractor", producers), |b| {
            b.iter_custom(|iters| {
                total_of(iters, || {
                    let ractor = TargetKind::Design(Design::Ractor);
                    runtime.block_on(count(ractor, producers, INCREMENTS))
                })
            });
        });
    }
    group.finish();
}
// ANCHOR_END: group

criterion_group!(benches, your_target);
criterion_main!(benches);
