//! Aggregation: one collection round over 10, 100 and 1,000 idle counters.
//! The article's round asks the counters one after another; ours asks them
//! all at once. Also timed: a whole round through our aggregator actor, and
//! the mutex design's sum, which asks nobody.
//!
//! `aggregation_remote` repeats the first two over counters behind a link
//! that holds each question back for 1 ms, like counters on other
//! machines: there, asking one after another waits for every link in turn.
//!
//! ```text
//! cargo bench -p demo --bench aggregation
//! ```

use std::sync::Arc;
use std::time::Duration;

use actors_core::Design;
use bench::{
    Collection, aggregate_rounds, collect_rounds, quiet_system, spawn_counters,
    spawn_distant_counters,
};
use counter::CounterMessage;
use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main,
};
use ractor::ActorRef;
use tokio::runtime::Runtime;

const COUNTERS: [usize; 3] = [10, 100, 1_000];

/// How long each question to a distant counter takes to arrive.
const LINK_DELAY: Duration = Duration::from_millis(1);

const COLLECTIONS: [(&str, Collection); 2] = [
    ("sequential", Collection::Sequential),
    ("concurrent", Collection::Concurrent),
];

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime starts")
}

/// Times one round of each [`Collection`] over the same `counters`.
fn bench_collections(
    group: &mut BenchmarkGroup<'_, WallTime>,
    runtime: &Runtime,
    counters: &Arc<[ActorRef<CounterMessage>]>,
    len: usize,
) {
    for (name, how) in COLLECTIONS {
        group.bench_function(BenchmarkId::new(name, len), |b| {
            b.iter_custom(|rounds| {
                runtime
                    .block_on(collect_rounds(counters.clone(), how, rounds))
                    .expect("every counter answers")
            });
        });
    }
}

fn aggregation(c: &mut Criterion) {
    let runtime = runtime();
    let mut group = c.benchmark_group("aggregation");
    for len in COUNTERS {
        group.throughput(Throughput::Elements(len as u64));
        let counters = runtime
            .block_on(spawn_counters(len))
            .expect("the counters start");
        bench_collections(&mut group, &runtime, &counters, len);
        for (name, design) in [
            ("aggregator-round", Design::Ractor),
            ("locks-sum", Design::Mutex),
        ] {
            let system = runtime
                .block_on(quiet_system(design, len))
                .expect("the system starts");
            group.bench_function(BenchmarkId::new(name, len), |b| {
                b.iter_custom(|rounds| {
                    runtime
                        .block_on(aggregate_rounds(system.clone(), rounds))
                        .expect("every round completes")
                });
            });
            runtime
                .block_on(system.shutdown())
                .expect("the system shuts down");
        }
        for counter in counters.iter() {
            counter.stop(None);
        }
    }
    group.finish();
}

fn aggregation_remote(c: &mut Criterion) {
    let runtime = runtime();
    let mut group = c.benchmark_group("aggregation_remote");
    // A sequential round over 1,000 distant counters takes over a second.
    group.sample_size(10);
    for len in COUNTERS {
        group.throughput(Throughput::Elements(len as u64));
        let counters = runtime
            .block_on(spawn_distant_counters(len, LINK_DELAY))
            .expect("the counters start");
        bench_collections(&mut group, &runtime, &counters, len);
    }
    group.finish();
}

criterion_group!(benches, aggregation, aggregation_remote);
criterion_main!(benches);
