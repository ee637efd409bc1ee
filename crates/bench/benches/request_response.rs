//! Request–response: what one question costs. A `call` to a counter actor
//! from a task inside the runtime and from a thread outside it, next to
//! reading a mutex-guarded counter and loading an atomic one.
//!
//! ```text
//! cargo bench -p demo --bench request_response
//! ```

use std::hint::black_box;
use std::time::Duration;

use actors_core::Design;
use bench::{Asked, ask_from_a_task, ask_from_outside};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lockbased_baseline::{AtomicCounter, MutexCounter, SharedCounter};

fn request_response(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime starts");
    let mut group = c.benchmark_group("request_response");
    group.throughput(Throughput::Elements(1));
    for design in [Design::Ractor, Design::HandRolled] {
        let asked = runtime
            .block_on(Asked::start(design))
            .expect("the counter starts");
        group.bench_function(format!("{design}-call-in-runtime"), |b| {
            b.iter_custom(|iters| {
                runtime
                    .block_on(ask_from_a_task(asked.clone(), iters))
                    .expect("every question is answered")
            });
        });
        group.bench_function(format!("{design}-call-from-outside"), |b| {
            b.iter_custom(|iters| {
                ask_from_outside(&runtime, &asked, iters).expect("every question is answered")
            });
        });
    }
    // The lock-based designs answer on the caller's own thread.
    let mutex = MutexCounter::new();
    group.bench_function("mutex-read", |b| b.iter(|| black_box(&mutex).value()));
    let atomic = AtomicCounter::new();
    group.bench_function("atomic-load", |b| b.iter(|| black_box(&atomic).value()));
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3));
    targets = request_response
}
criterion_main!(benches);
