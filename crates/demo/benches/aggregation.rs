//! Aggregation: one collection round over 10, 100 and 1,000 idle counters.
//! The article's round asks the counters one after another; ours asks them
//! all at once. Also timed: a whole round through our aggregator actor, and
//! the mutex design's sum, which asks nobody.
//!
//! ```text
//! cargo bench -p demo --bench aggregation
//! ```

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use demo::Design;
use demo::measure::{Collection, aggregate_rounds, collect_rounds, quiet_system, spawn_counters};

const COUNTERS: [usize; 3] = [10, 100, 1_000];

fn aggregation(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime starts");
    let mut group = c.benchmark_group("aggregation");
    for len in COUNTERS {
        group.throughput(Throughput::Elements(len as u64));
        let counters = runtime
            .block_on(spawn_counters(len))
            .expect("the counters start");
        for (name, how) in [
            ("sequential", Collection::Sequential),
            ("concurrent", Collection::Concurrent),
        ] {
            group.bench_function(BenchmarkId::new(name, len), |b| {
                b.iter_custom(|rounds| {
                    runtime
                        .block_on(collect_rounds(counters.clone(), how, rounds))
                        .expect("every counter answers")
                });
            });
        }
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

criterion_group!(benches, aggregation);
criterion_main!(benches);
