//! Spawn: the time to start a system of 10,000 counters, for every design.
//! Memory per idle counter is not a time, so criterion cannot measure it:
//! `cargo run --release -p bench --bin memory` does.
//!
//! ```text
//! cargo bench -p bench --bench spawn
//! ```

mod common;

use std::time::Duration;

use actors_core::Design;
use bench::ids::{self, Group, SPAWNED};
use bench::start_system;
use common::{Registrar, runtime};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn spawn(c: &mut Criterion) {
    let runtime = runtime();
    let mut group = Registrar::new(c, Group::Spawn);
    group
        .settings()
        .throughput(Throughput::Elements(SPAWNED as u64));
    group.settings().sample_size(10);
    for design in Design::ALL {
        group.bench(&ids::spawn(design), |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| {
                        runtime
                            .block_on(start_system(design, SPAWNED))
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
