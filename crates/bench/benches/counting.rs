//! Counting: one million increments, by 1, 2, 4 and 8 producers, into every
//! design and into the floors beneath them; the two channel targets again
//! on one worker thread. Also batching, and the cost of two features that
//! change how ractor is built: span propagation and `cluster`.
//!
//! ```text
//! cargo bench -p bench --bench counting                        # everything here
//! cargo bench -p bench --bench counting -- counting/mutex      # one design
//! cargo bench -p bench --no-default-features --features cluster --bench counting -- span_propagation/
//! cargo bench -p bench --no-default-features --features span-propagation --bench counting -- cluster_feature/
//! ```
//!
//! The workloads are in `bench::counting`, where tests check that each run
//! applied every increment, and every ID comes from `bench::ids`. This file
//! only hands them to criterion.

mod common;

use bench::ids::{self, BATCHES, BATCHING_PRODUCERS, FEATURE_TARGETS, Feature, Group};
use bench::{INCREMENTS, SingleThreadFloor, count, count_in_batches};
use common::{Registrar, one_worker_runtime, runtime, total_of};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn counting(c: &mut Criterion) {
    let runtime = runtime();
    let mut group = Registrar::new(c, Group::Counting);
    group
        .settings()
        .throughput(Throughput::Elements(INCREMENTS));
    // A million messages take a good part of a second: ten runs are enough
    // to see the spread, and keep `just bench` within minutes.
    group.settings().sample_size(10);
    for (kind, producers) in ids::counting_cases() {
        group.bench(&ids::counting(kind, producers), |b| {
            b.iter_custom(|iters| {
                total_of(iters, || {
                    runtime.block_on(count(kind, producers, INCREMENTS))
                })
            });
        });
    }
    for floor in SingleThreadFloor::ALL {
        group.bench(&ids::single_thread(floor), |b| {
            b.iter_custom(|iters| total_of(iters, || floor.run(INCREMENTS)));
        });
    }
    group.finish();
}

/// The channel targets with their producers taking turns on one worker
/// thread. On two, the producers fight over the channel's tail from two
/// cores, at a price that the machine sets and that changes from one
/// moment to the next: the book's page "The two speeds of a channel".
fn counting_one_worker(c: &mut Criterion) {
    let runtime = one_worker_runtime();
    let mut group = Registrar::new(c, Group::CountingOneWorker);
    group
        .settings()
        .throughput(Throughput::Elements(INCREMENTS));
    group.settings().sample_size(10);
    for kind in ids::ONE_WORKER_TARGETS {
        for producers in ids::PRODUCERS {
            group.bench(&ids::one_worker(kind, producers), |b| {
                b.iter_custom(|iters| {
                    total_of(iters, || {
                        runtime.block_on(count(kind, producers, INCREMENTS))
                    })
                });
            });
        }
    }
    group.finish();
}

fn batching(c: &mut Criterion) {
    let runtime = runtime();
    let mut group = Registrar::new(c, Group::Batching);
    group
        .settings()
        .throughput(Throughput::Elements(INCREMENTS));
    group.settings().sample_size(10);
    for batch in BATCHES {
        group.bench(&ids::batching(batch), |b| {
            b.iter_custom(|iters| {
                total_of(iters, || {
                    runtime.block_on(count_in_batches(BATCHING_PRODUCERS, INCREMENTS, batch))
                })
            });
        });
    }
    group.finish();
}

/// The same two actors as in `counting`, one producer, filed under whether
/// this build has `feature`. Run once with default features and once
/// without this one (`Feature::command`): each run fills in its own half.
fn built_with(c: &mut Criterion, feature: Feature) {
    let runtime = runtime();
    let mut group = Registrar::new(c, feature.group());
    group
        .settings()
        .throughput(Throughput::Elements(INCREMENTS));
    group.settings().sample_size(10);
    for kind in FEATURE_TARGETS {
        group.bench(&ids::feature(feature, kind, feature.built()), |b| {
            b.iter_custom(|iters| total_of(iters, || runtime.block_on(count(kind, 1, INCREMENTS))));
        });
    }
    group.finish();
}

/// Whether ractor carries the sender's span with every message.
fn span_propagation(c: &mut Criterion) {
    built_with(c, Feature::SpanPropagation);
}

/// Whether ractor was built with its `cluster` feature, which every build
/// that includes the `cluster` crate has, even for messages that never
/// leave the process.
fn cluster_feature(c: &mut Criterion) {
    built_with(c, Feature::Cluster);
}

criterion_group!(
    benches,
    counting,
    counting_one_worker,
    batching,
    span_propagation,
    cluster_feature
);
criterion_main!(benches);
