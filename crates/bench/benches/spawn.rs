//! Spawn: the time to start a system of 10,000 counters, for every design.
//! Memory per idle counter is not a time, so criterion cannot measure it:
//! `cargo run --release -p demo -- --measure-memory` does.
//!
//! ```text
//! cargo bench -p demo --bench spawn
//! ```

use std::time::Duration;

use actors_core::Design;
use bench::start_system;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const COUNTERS: usize = 10_000;

fn spawn(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime starts");
    let mut group = c.benchmark_group("spawn");
    group.throughput(Throughput::Elements(COUNTERS as u64));
    group.sample_size(10);
    for design in Design::ALL {
        group.bench_function(BenchmarkId::new(design.name(), COUNTERS), |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| {
                        runtime
                            .block_on(start_system(design, COUNTERS))
                            .expect("the system starts and stops")
                    })
                    .sum::<Duration>()
            });
        });
    }
    group.finish();
}

criterion_group!(benches, spawn);
criterion_main!(benches);
