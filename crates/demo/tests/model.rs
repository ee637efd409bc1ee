//! A model-based test: random operations from several concurrent clients,
//! checked against a sequential reference model, for every design.
//!
//! The amounts are small enough that no sum can overflow, so the operations
//! commute: however the clients interleave, the final state must be the one
//! that applying every client's operations one after another gives. Negative
//! amounts are in the mix too, and are refused whatever the order.
//!
//! Only the *final* state is compared. The naive atomic design passes here,
//! because once the clients have stopped its atomics agree again; what it
//! gets wrong is a snapshot taken *while* they run, which a test cannot catch
//! reliably and the loom model in `lockbased-baseline` proves instead.

use std::sync::Arc;

use actors_core::{Operation, Tally, Transcript};
use demo::{Design, Scenario};
use proptest::prelude::*;

const COUNTERS: usize = 3;

fn operation() -> impl Strategy<Value = Operation> {
    prop_oneof![
        4 => (0..1_000i64).prop_map(|amount| Operation::Increment { amount }),
        4 => (0..1_000i64).prop_map(|amount| Operation::Decrement { amount }),
        1 => (-5..0i64).prop_map(|amount| Operation::Increment { amount }),
        1 => (-5..0i64).prop_map(|amount| Operation::Decrement { amount }),
    ]
}

/// One to four clients, each with up to 40 operations on any counter.
fn clients() -> impl Strategy<Value = Vec<Vec<(usize, Operation)>>> {
    let client = prop::collection::vec((0..COUNTERS, operation()), 0..40);
    prop::collection::vec(client, 1..=4)
}

/// The reference: every client's operations, one client after another, on
/// plain `Tally`s.
fn sequential_model(clients: &[Vec<(usize, Operation)>]) -> Vec<Tally> {
    let mut model = vec![Tally::default(); COUNTERS];
    for (k, op) in clients.iter().flatten() {
        let _ = model[*k].apply(*op);
    }
    model
}

/// Runs the clients concurrently against `design` on a two-thread runtime
/// and compares every counter's final figures with the model's.
fn check(design: Design, clients: Vec<Vec<(usize, Operation)>>) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let finals = runtime.block_on(async {
        let system = demo::start(
            design,
            COUNTERS,
            &Scenario::default(),
            &Transcript::memory(),
        )
        .await
        .unwrap();
        let tasks: Vec<_> = clients
            .iter()
            .cloned()
            .map(|ops| {
                let system = Arc::clone(&system);
                tokio::spawn(async move {
                    for (k, op) in ops {
                        system.apply(k, op).await.unwrap();
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        system.shutdown().await.unwrap()
    });

    let model = sequential_model(&clients);
    for (k, (got, expected)) in finals.iter().zip(&model).enumerate() {
        assert_eq!(got.current_value, expected.value(), "{design}, counter {k}");
        assert_eq!(
            got.total_operations,
            expected.total_operations(),
            "{design}, counter {k}"
        );
        assert_eq!(
            got.rejected_operations,
            expected.rejected_operations(),
            "{design}, counter {k}"
        );
    }
}

/// One proptest per design, named after it.
macro_rules! model_test {
    ($name:ident, $design:expr) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(48))]
            /// Concurrent clients end in the state of the sequential model.
            #[test]
            fn $name(clients in clients()) {
                check($design, clients);
            }
        }
    };
}

model_test!(ractor_matches_the_sequential_model, Design::Ractor);
model_test!(handrolled_matches_the_sequential_model, Design::HandRolled);
model_test!(mutex_matches_the_sequential_model, Design::Mutex);
model_test!(atomic_matches_the_sequential_model, Design::Atomic);
model_test!(
    atomic_naive_matches_the_sequential_model,
    Design::AtomicNaive
);
model_test!(sharded_matches_the_sequential_model, Design::Sharded);
