//! One contract, six designs: the conformance suite.
//!
//! Every test here is written once, against `dyn CounterSystem`, and the
//! `conformance!` macro at the bottom runs it for each design, and for the
//! ractor design under a supervisor, calm and crashing, and for both actor
//! designs behind bounded mailboxes that make senders wait. A test's full
//! name says which design it covered, for example
//! `mutex::shutdown_loses_nothing`.

use std::sync::Arc;
use std::time::Duration;

use ::handrolled::HandRolledSystem;
use actors_core::{
    Accounting, CounterSystem, Mailbox, Operation, Overflow, Receipt, SystemError, Tally,
    Transcript, Workload, drive,
};
use aggregator::AggregatorArgs;
use backpressure::BoundedSystem;
use demo::{Design, Scenario};
use futures::future::join_all;
use supervision::{Fault, FaultKind, FaultPoint, Faults, Intensity, SupervisedSystem, Supervision};

const fn inc(amount: i64) -> Operation {
    Operation::Increment { amount }
}
const fn dec(amount: i64) -> Operation {
    Operation::Decrement { amount }
}

/// What a test runs against: one of the six designs as `demo run` starts
/// it, the ractor design under a supervisor, with or without counters
/// that crash while the test runs, or an actor design behind bounded
/// mailboxes.
#[derive(Debug, Clone, Copy)]
enum Subject {
    Plain(Design),
    Supervised {
        crashing: bool,
    },
    /// An actor design behind mailboxes of four places that make senders
    /// wait: the one policy that keeps every figure of the plain design.
    Blocking(Design),
}

impl Subject {
    fn design(self) -> Design {
        match self {
            Subject::Plain(design) | Subject::Blocking(design) => design,
            Subject::Supervised { .. } => Design::Ractor,
        }
    }
}

async fn start(subject: Subject, counters: usize) -> Arc<dyn CounterSystem> {
    let transcript = Transcript::memory();
    let crashing = match subject {
        Subject::Plain(design) => {
            let scenario = Scenario::default();
            let system = demo::start(design, counters, &scenario, &transcript).await;
            return system.expect("the system starts");
        }
        Subject::Supervised { crashing } => crashing,
        Subject::Blocking(design) => return start_blocking(design, counters, transcript).await,
    };
    supervision::quiet_injected_panics();
    // Each counter fails three times, by panic and by error, before and
    // after its checkpoint, early in every test's stream of operations.
    let kinds = [FaultKind::Panic, FaultKind::Error];
    let points = [FaultPoint::BeforeCheckpoint, FaultPoint::AfterCheckpoint];
    let faults = (0..counters).flat_map(|counter| {
        [3, 17, 120]
            .into_iter()
            .enumerate()
            .map(move |(i, seq)| Fault {
                counter,
                seq,
                kind: kinds[(counter + i) % 2],
                point: points[i % 2],
                failed_starts: 0,
            })
    });
    let supervision = Supervision {
        faults: if crashing {
            Faults::new(faults)
        } else {
            Faults::default()
        },
        intensity: Intensity {
            max_restarts: 100,
            ..Intensity::default()
        },
        ..Supervision::default()
    };
    let args = AggregatorArgs::new(transcript);
    let system = SupervisedSystem::start(counters, args, supervision).await;
    Arc::new(system.expect("the system starts"))
}

/// `design` with bounded, blocking mailboxes: the hand-rolled actor's own,
/// or a bounded front before each ractor counter.
async fn start_blocking(
    design: Design,
    counters: usize,
    transcript: Transcript,
) -> Arc<dyn CounterSystem> {
    let mailbox = Mailbox::bounded(Overflow::Block { timeout: None }, 4).unwrap();
    match design {
        Design::HandRolled => Arc::new(HandRolledSystem::start_with(
            counters,
            &transcript,
            mailbox,
            Duration::ZERO,
        )),
        Design::Ractor => {
            let args = AggregatorArgs::new(transcript);
            let system = BoundedSystem::start(counters, args, mailbox, Duration::ZERO).await;
            Arc::new(system.expect("the system starts"))
        }
        design => panic!("the {design} design has no mailbox"),
    }
}

/// Operation `i` of client `c` in the load tests: mostly increments of
/// `c + 1`, every fifth a decrement of 3, spread over the counters.
fn load_op(c: usize, i: usize, counters: usize) -> (usize, Operation) {
    let op = if i % 5 == 0 {
        dec(3)
    } else {
        inc(c as i64 + 1)
    };
    ((c + i) % counters, op)
}

/// What the counters must hold after `clients` clients each sent `ops`
/// load operations, applied one after another.
fn load_model(clients: usize, ops: usize, counters: usize) -> Vec<Tally> {
    let mut model = vec![Tally::default(); counters];
    for c in 0..clients {
        for i in 0..ops {
            let (k, op) = load_op(c, i, counters);
            let _ = model[k].apply(op);
        }
    }
    model
}

/// Sends client `c`'s load operations, each as soon as the previous one was
/// handed over, and returns how many were handed over.
async fn load_client(system: Arc<dyn CounterSystem>, c: usize, ops: usize) -> u64 {
    let mut sent = 0;
    for i in 0..ops {
        let (k, op) = load_op(c, i, system.len());
        system.apply(k, op).await.expect("the system is running");
        sent += 1;
    }
    sent
}

/// Checks each counter's figures against the model's.
async fn assert_matches(system: &dyn CounterSystem, model: &[Tally]) {
    for (k, expected) in model.iter().enumerate() {
        let stats = system.stats(k).await.unwrap();
        assert_eq!(stats.current_value, expected.value(), "counter {k}");
        assert_eq!(
            stats.total_operations,
            expected.total_operations(),
            "counter {k}"
        );
        assert_eq!(
            stats.rejected_operations,
            expected.rejected_operations(),
            "counter {k}"
        );
    }
}

/// The article's workload, driven through the contract, ends at a total
/// value of 160 over 200 operations, and every operation is accounted for.
async fn the_article_workload_gives_160_over_200(subject: Subject) {
    let system = start(subject, 4).await;
    let mut accounting = drive(Arc::clone(&system), &Workload::default())
        .await
        .unwrap();

    let total = system.aggregate().await.unwrap();
    assert_eq!(total.total_value, 160);
    assert_eq!(total.total_operations, 200);
    assert_eq!(total.num_counters, 4);

    accounting.settle(&system.shutdown().await.unwrap());
    assert_eq!(
        accounting,
        Accounting {
            sent: 200,
            undelivered: 0,
            applied: 200,
            rejected: 0,
            ..Accounting::default()
        }
    );
}

/// Eight clients hammering three counters at once, on a multi-threaded
/// runtime, end with exactly the totals of a sequential run.
async fn many_concurrent_clients_give_exact_totals(subject: Subject) {
    const CLIENTS: usize = 8;
    const OPS: usize = 2_000;
    let system = start(subject, 3).await;

    let clients = (0..CLIENTS).map(|c| tokio::spawn(load_client(Arc::clone(&system), c, OPS)));
    for client in join_all(clients).await {
        client.unwrap();
    }

    let model = load_model(CLIENTS, OPS, 3);
    assert_matches(system.as_ref(), &model).await;
    let total = system.aggregate().await.unwrap();
    let expected: i128 = model.iter().map(|t| i128::from(t.value())).sum();
    assert_eq!(total.total_value, expected);
    assert_eq!(total.total_operations, (CLIENTS * OPS) as u64);
}

/// The promise behind `Receipt::Queued`: a read that a client issues after
/// its own `apply` calls returned sees every one of them, even while other
/// clients are busy with other counters.
async fn a_read_after_your_writes_sees_them(subject: Subject) {
    const OPS: usize = 1_000;
    let system = start(subject, 4).await;

    let clients = (0..4).map(|k| {
        let system = Arc::clone(&system);
        tokio::spawn(async move {
            let mut model = Tally::default();
            for i in 0..OPS {
                let op = if i % 3 == 0 {
                    dec(2)
                } else {
                    inc(k as i64 + 1)
                };
                let _ = model.apply(op);
                system.apply(k, op).await.unwrap();
            }
            (system.value(k).await.unwrap(), model.value())
        })
    });
    for client in join_all(clients).await {
        let (read, expected) = client.unwrap();
        assert_eq!(read, expected);
    }
}

/// An operation that would take a counter past `i64` is refused and leaves
/// the value and the operation count as they were; only the rejection count
/// moves. A negative amount is refused the same way.
///
/// Every design refuses what would overflow `i64`. The sharded design
/// refuses earlier, because it checks each shard against its share of the
/// range (see the book's chapter on locks); the exact designs refuse
/// nothing else.
async fn overflow_is_rejected_and_the_state_stays(subject: Subject) {
    let design = subject.design();
    let system = start(subject, 1).await;
    let exact = design != Design::Sharded;
    let mut rejections = 0;
    for op in [
        inc(i64::MAX),
        inc(1),
        dec(i64::MAX),
        dec(i64::MAX),
        dec(2),
        inc(-5),
    ] {
        let before = system.stats(0).await.unwrap();
        let receipt = system.apply(0, op).await.unwrap();
        let after = system.stats(0).await.unwrap();

        let fits = op.apply_to(before.current_value).ok();
        let refused = after.rejected_operations == before.rejected_operations + 1;
        if refused {
            rejections += 1;
            assert_eq!(after.current_value, before.current_value, "{op}");
            assert_eq!(after.total_operations, before.total_operations, "{op}");
            assert!(fits.is_none() || !exact, "{design} refused {op}");
            assert!(matches!(receipt, Receipt::Rejected(_) | Receipt::Queued));
        } else {
            assert_eq!(Some(after.current_value), fits, "{design} applied {op}");
            assert_eq!(after.total_operations, before.total_operations + 1);
            assert!(matches!(receipt, Receipt::Applied | Receipt::Queued));
        }
    }
    // In i64: MAX, refuse +1, 0, -MAX, refuse -2, refuse -5.
    if exact {
        assert_eq!(system.value(0).await, Ok(-i64::MAX));
        assert_eq!(rejections, 3);
    }
    assert!(rejections >= 2, "{design} refused only {rejections}");
}

/// Shutting down straight after the clients finished loses nothing: an
/// actor's mailbox may still hold thousands of operations at that moment,
/// and the final figures include every one of them.
async fn shutdown_loses_nothing(subject: Subject) {
    const CLIENTS: usize = 8;
    const OPS: usize = 5_000;
    let system = start(subject, 4).await;

    let clients = (0..CLIENTS).map(|c| tokio::spawn(load_client(Arc::clone(&system), c, OPS)));
    let mut accounting = Accounting::default();
    for client in join_all(clients).await {
        accounting.sent += client.unwrap();
    }
    let finals = system.shutdown().await.unwrap();
    accounting.settle(&finals);

    assert!(accounting.balances(), "{accounting}");
    let model = load_model(CLIENTS, OPS, 4);
    let values: Vec<i64> = finals.iter().map(|s| s.current_value).collect();
    let expected: Vec<i64> = model.iter().map(Tally::value).collect();
    assert_eq!(values, expected);
}

/// Stats read while four writers are busy are consistent for every design
/// that promises it: with every operation a +1, the value must equal the
/// operation count in each read. The naive and sharded designs make no such
/// promise; for them the reads are taken but only the final figures are
/// checked (the loom models show their torn reads instead).
async fn stats_read_during_a_run_are_consistent(subject: Subject) {
    let design = subject.design();
    const WRITERS: usize = 4;
    const OPS: usize = 5_000;
    let system = start(subject, 1).await;

    let writers: Vec<_> = (0..WRITERS)
        .map(|_| {
            let system = Arc::clone(&system);
            tokio::spawn(async move {
                for _ in 0..OPS {
                    system.apply(0, inc(1)).await.unwrap();
                }
            })
        })
        .collect();
    let mut reads = 0;
    while !writers.iter().all(|writer| writer.is_finished()) {
        let stats = system.stats(0).await.unwrap();
        reads += 1;
        if design.snapshots_are_consistent() {
            assert_eq!(
                u64::try_from(stats.current_value).ok(),
                Some(stats.total_operations),
                "{design}: read {reads} tore"
            );
        }
        tokio::task::yield_now().await;
    }
    for writer in writers {
        writer.await.unwrap();
    }

    let last = system.stats(0).await.unwrap();
    assert_eq!(last.current_value, (WRITERS * OPS) as i64);
    assert_eq!(last.total_operations, (WRITERS * OPS) as u64);
}

/// A counter that does not exist, and any call after shutdown, get a typed
/// error instead of a panic.
async fn bad_requests_get_typed_errors(subject: Subject) {
    let system = start(subject, 2).await;
    let missing = SystemError::NoSuchCounter { index: 2, len: 2 };
    assert_eq!(system.apply(2, inc(1)).await, Err(missing));
    assert_eq!(system.value(2).await, Err(missing));
    assert_eq!(system.stats(2).await.unwrap_err(), missing);

    system.apply(1, inc(1)).await.unwrap();
    let finals = system.shutdown().await.unwrap();
    assert_eq!(finals.len(), 2);
    assert_eq!(finals[1].current_value, 1);

    assert_eq!(system.apply(0, inc(1)).await, Err(SystemError::ShutDown));
    assert_eq!(system.value(0).await, Err(SystemError::ShutDown));
    assert_eq!(system.aggregate().await.unwrap_err(), SystemError::ShutDown);
    assert_eq!(system.shutdown().await.unwrap_err(), SystemError::ShutDown);
}

/// The design reports the name that `--impl` uses for it.
async fn the_design_knows_its_name(subject: Subject) {
    let design = subject.design();
    let system = start(subject, 1).await;
    assert_eq!(system.design(), design);
    system.shutdown().await.unwrap();
}

// ANCHOR: conformance_macro
/// Runs every test above against one design, in a module named after it.
macro_rules! conformance {
    ($module:ident, $design:expr) => {
        mod $module {
            use super::*;

            #[tokio::test(start_paused = true)]
            async fn the_article_workload_gives_160_over_200() {
                super::the_article_workload_gives_160_over_200($design).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn many_concurrent_clients_give_exact_totals() {
                super::many_concurrent_clients_give_exact_totals($design).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn a_read_after_your_writes_sees_them() {
                super::a_read_after_your_writes_sees_them($design).await;
            }

            #[tokio::test]
            async fn overflow_is_rejected_and_the_state_stays() {
                super::overflow_is_rejected_and_the_state_stays($design).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn shutdown_loses_nothing() {
                super::shutdown_loses_nothing($design).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn stats_read_during_a_run_are_consistent() {
                super::stats_read_during_a_run_are_consistent($design).await;
            }

            #[tokio::test]
            async fn bad_requests_get_typed_errors() {
                super::bad_requests_get_typed_errors($design).await;
            }

            #[tokio::test]
            async fn the_design_knows_its_name() {
                super::the_design_knows_its_name($design).await;
            }
        }
    };
}

conformance!(ractor, Subject::Plain(Design::Ractor));
conformance!(handrolled, Subject::Plain(Design::HandRolled));
conformance!(mutex, Subject::Plain(Design::Mutex));
conformance!(atomic, Subject::Plain(Design::Atomic));
conformance!(atomic_naive, Subject::Plain(Design::AtomicNaive));
conformance!(sharded, Subject::Plain(Design::Sharded));
// The ractor design under its supervisor keeps every promise of the
// contract, also while its counters crash and restart.
conformance!(supervised, Subject::Supervised { crashing: false });
conformance!(supervised_crashing, Subject::Supervised { crashing: true });
// The actor designs again, behind bounded mailboxes whose senders wait.
conformance!(blocking_ractor, Subject::Blocking(Design::Ractor));
conformance!(blocking_handrolled, Subject::Blocking(Design::HandRolled));
// ANCHOR_END: conformance_macro
