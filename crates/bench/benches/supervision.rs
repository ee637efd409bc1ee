//! Supervision: what acknowledged delivery costs. A hundred thousand
//! increments, by 1, 2, 4 and 8 producers (one counter each), into the
//! supervised system with every increment answered, into the same system
//! fire-and-forget, and into the unsupervised ractor design.
//!
//! ```text
//! cargo bench -p bench --bench supervision                               # everything here
//! cargo bench -p bench --bench supervision -- supervision/acknowledged   # one kind
//! ```
//!
//! The workload is in `bench::delivery`, where a test checks that each run
//! applied every increment, and every ID comes from `bench::ids`. This file
//! only hands them to criterion.

mod common;

use bench::count_delivered;
use bench::delivery::OPERATIONS;
use bench::ids::{self, Group};
use common::{Registrar, runtime, total_of};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn supervision(c: &mut Criterion) {
    let runtime = runtime();
    let mut group = Registrar::new(c, Group::Supervision);
    group
        .settings()
        .throughput(Throughput::Elements(OPERATIONS));
    // As in `counting`: ten runs show the spread and keep `just bench` short.
    group.settings().sample_size(10);
    for (kind, producers) in ids::delivery_cases() {
        group.bench(&ids::delivery(kind, producers), |b| {
            b.iter_custom(|iters| {
                total_of(iters, || {
                    runtime.block_on(count_delivered(kind, producers, OPERATIONS))
                })
            });
        });
    }
    group.finish();
}

criterion_group!(benches, supervision);
criterion_main!(benches);
