//! Request–response: what one question costs. A `call` to a counter actor
//! from a task inside the runtime and from a thread outside it, next to
//! reading a mutex-guarded counter and loading an atomic one.
//!
//! ```text
//! cargo bench -p bench --bench request_response
//! ```

mod common;

use std::hint::black_box;
use std::time::Duration;

use bench::ids::{self, Group, Question};
use bench::{ActorTarget, ask_from_a_task, ask_from_outside};
use common::{Registrar, runtime};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lockbased_baseline::{AtomicCounter, MutexCounter, SharedCounter};

fn request_response(c: &mut Criterion) {
    let runtime = runtime();
    let mut group = Registrar::new(c, Group::RequestResponse);
    group.settings().throughput(Throughput::Elements(1));
    // The lock-based designs answer on the caller's own thread.
    let mutex = MutexCounter::new();
    let atomic = AtomicCounter::new();
    for question in Question::ALL {
        let id = ids::request(question);
        match question {
            Question::InRuntime(design) => {
                let target = runtime
                    .block_on(ActorTarget::start(design))
                    .expect("the counter starts");
                group.bench(&id, |b| {
                    b.iter_custom(|iters| {
                        runtime
                            .block_on(ask_from_a_task(target.clone(), iters))
                            .expect("every question is answered")
                    });
                });
            }
            Question::FromOutside(design) => {
                let target = runtime
                    .block_on(ActorTarget::start(design))
                    .expect("the counter starts");
                group.bench(&id, |b| {
                    b.iter_custom(|iters| {
                        ask_from_outside(&runtime, &target, iters)
                            .expect("every question is answered")
                    });
                });
            }
            Question::MutexRead => group.bench(&id, |b| b.iter(|| black_box(&mutex).value())),
            Question::AtomicLoad => group.bench(&id, |b| b.iter(|| black_box(&atomic).value())),
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3));
    targets = request_response
}
criterion_main!(benches);
