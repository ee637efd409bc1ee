//! Aggregation: one collection round over 10, 100 and 1,000 idle counters.
//! The article's round asks the counters one after another; ours asks them
//! all at once. Also timed: a whole round through the contract's
//! `aggregate`, for the ractor design (its aggregator actor) and the mutex
//! design (a sum that asks nobody).
//!
//! `aggregation_remote` repeats the first two over counters behind a link
//! that holds each question back for 1 ms, like counters on other
//! machines: there, asking one after another waits for every link in turn.
//!
//! ```text
//! cargo bench -p bench --bench aggregation
//! ```

mod common;

use std::sync::Arc;

use bench::ids::{self, COUNTERS, Group, Round};
use bench::rounds::LINK_DELAY;
use bench::{
    Collection, aggregate_rounds, collect_rounds, on_demand_system, spawn_counters,
    spawn_distant_counters,
};
use common::{Registrar, runtime};
use counter::CounterMessage;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ractor::ActorRef;
use tokio::runtime::Runtime;

/// Times one round of `how` over `counters`, as the benchmark `id`.
fn bench_collection(
    group: &mut Registrar<'_>,
    id: &ids::BenchId,
    runtime: &Runtime,
    counters: &Arc<[ActorRef<CounterMessage>]>,
    how: Collection,
) {
    group.bench(id, |b| {
        b.iter_custom(|rounds| {
            runtime
                .block_on(collect_rounds(counters.clone(), how, rounds))
                .expect("every counter answers")
        });
    });
}

fn aggregation(c: &mut Criterion) {
    let runtime = runtime();
    let mut group = Registrar::new(c, Group::Aggregation);
    for len in COUNTERS {
        group
            .settings()
            .throughput(Throughput::Elements(len as u64));
        let counters = runtime
            .block_on(spawn_counters(len))
            .expect("the counters start");
        for round in Round::ALL {
            let id = ids::aggregation(round, len);
            match round {
                Round::Collect(how) => bench_collection(&mut group, &id, &runtime, &counters, how),
                Round::Aggregate(design) => {
                    let system = runtime
                        .block_on(on_demand_system(design, len))
                        .expect("the system starts");
                    group.bench(&id, |b| {
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
            }
        }
        for counter in counters.iter() {
            counter.stop(None);
        }
    }
    group.finish();
}

fn aggregation_remote(c: &mut Criterion) {
    let runtime = runtime();
    let mut group = Registrar::new(c, Group::AggregationRemote);
    // A sequential round over 1,000 distant counters takes over a second.
    group.settings().sample_size(10);
    for len in COUNTERS {
        group
            .settings()
            .throughput(Throughput::Elements(len as u64));
        let counters = runtime
            .block_on(spawn_distant_counters(len, LINK_DELAY))
            .expect("the counters start");
        for how in Collection::ALL {
            let id = ids::aggregation_remote(how, len);
            bench_collection(&mut group, &id, &runtime, &counters, how);
        }
    }
    group.finish();
}

criterion_group!(benches, aggregation, aggregation_remote);
criterion_main!(benches);
