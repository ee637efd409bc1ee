//! Counting: one million increments, by 1, 2, 4 and 8 producers, into every
//! design and into the floors beneath them. Also batching, and the cost of
//! ractor's span propagation.
//!
//! ```text
//! cargo bench -p demo --bench counting                        # everything here
//! cargo bench -p demo --bench counting -- counting/mutex      # one design
//! cargo bench -p demo --no-default-features --bench counting -- span_propagation/
//! ```
//!
//! The workloads are in `bench`, where tests check that each run
//! applied every increment. This file only hands them to criterion.

use std::time::Duration;

use actors_core::Design;
use bench::{
    INCREMENTS, MeasureError, Subject, count, count_in_batches, plain_i64, uncontended_atomic,
};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use tokio::runtime::Runtime;

/// Producer counts. On a 2-core machine everything past 2 only adds
/// contention; on a laptop with 8 cores the same bench shows more.
const PRODUCERS: [usize; 4] = [1, 2, 4, 8];

/// Batch sizes for the batching group.
const BATCHES: [usize; 3] = [1, 16, 256];

/// Adds up the timed regions of `iters` runs. Only the runs' own timed
/// regions count: setting up and stopping each counter is left out.
fn total_of(iters: u64, mut run: impl FnMut() -> Result<Duration, MeasureError>) -> Duration {
    (0..iters)
        .map(|_| run().unwrap_or_else(|error| panic!("the run failed: {error}")))
        .sum()
}

/// The one runtime of this bench program, built before anything is timed.
fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime starts")
}

fn counting(c: &mut Criterion) {
    let runtime = runtime();
    let mut group = c.benchmark_group("counting");
    group.throughput(Throughput::Elements(INCREMENTS));
    // A million messages take a good part of a second: ten runs are enough
    // to see the spread, and keep `just bench` within minutes.
    group.sample_size(10);
    for subject in Subject::ALL {
        for producers in PRODUCERS {
            let id = BenchmarkId::new(subject.name(), producers);
            group.bench_function(id, |b| {
                b.iter_custom(|iters| {
                    total_of(iters, || {
                        runtime.block_on(count(subject, producers, INCREMENTS))
                    })
                });
            });
        }
    }
    group.bench_function(BenchmarkId::new("plain-i64", 1), |b| {
        b.iter_custom(|iters| total_of(iters, || plain_i64(INCREMENTS)));
    });
    group.bench_function(BenchmarkId::new("uncontended-atomic", 1), |b| {
        b.iter_custom(|iters| total_of(iters, || uncontended_atomic(INCREMENTS)));
    });
    group.finish();
}

fn batching(c: &mut Criterion) {
    let runtime = runtime();
    let mut group = c.benchmark_group("batching");
    group.throughput(Throughput::Elements(INCREMENTS));
    group.sample_size(10);
    let producers = 4;
    for batch in BATCHES {
        let id = BenchmarkId::new(format!("batch-{batch}"), producers);
        group.bench_function(id, |b| {
            b.iter_custom(|iters| {
                total_of(iters, || {
                    runtime.block_on(count_in_batches(producers, INCREMENTS, batch))
                })
            });
        });
    }
    group.finish();
}

/// The same two actors as in `counting`, filed under whether ractor was
/// built with span propagation. Run once with default features and once
/// with `--no-default-features`: each run fills in its own half.
fn span_propagation(c: &mut Criterion) {
    let runtime = runtime();
    let state = if cfg!(feature = "span-propagation") {
        "spans-on"
    } else {
        "spans-off"
    };
    let mut group = c.benchmark_group("span_propagation");
    group.throughput(Throughput::Elements(INCREMENTS));
    group.sample_size(10);
    for subject in [Subject::Design(Design::Ractor), Subject::BareRactor] {
        group.bench_function(BenchmarkId::new(subject.name(), state), |b| {
            b.iter_custom(|iters| {
                total_of(iters, || runtime.block_on(count(subject, 1, INCREMENTS)))
            });
        });
    }
    group.finish();
}

criterion_group!(benches, counting, batching, span_propagation);
criterion_main!(benches);
