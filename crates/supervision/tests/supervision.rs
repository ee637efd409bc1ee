//! The supervised design under failure, on tokio's paused clock: exact
//! totals when operations are acknowledged, counted losses when they are
//! not, and the intensity limit.

use std::sync::Arc;
use std::time::Duration;

use actors_core::{
    Accounting, AggregatedStats, CounterSystem, Operation, SystemError, Transcript, Workload, drive,
};
use aggregator::AggregatorArgs;
use supervision::{
    Delivery, Fault, FaultKind, FaultPoint, Faults, Intensity, Recovery, SupervisedSystem,
    Supervision, SupervisionReport, quiet_injected_panics,
};

const ONE: Operation = Operation::Increment { amount: 1 };

fn crash(counter: usize, seq: u64, kind: FaultKind, point: FaultPoint) -> Fault {
    Fault {
        counter,
        seq,
        kind,
        point,
        failed_starts: 0,
    }
}

fn intensity(max_restarts: u32, period_secs: u64) -> Intensity {
    Intensity {
        max_restarts,
        period: Duration::from_secs(period_secs),
    }
}

async fn start(counters: usize, supervision: Supervision) -> Arc<SupervisedSystem> {
    quiet_injected_panics();
    let args = AggregatorArgs {
        collect_every: Some(Duration::from_millis(100)),
        call_timeout: Duration::from_secs(1),
        transcript: Transcript::memory(),
    };
    let system = SupervisedSystem::start(counters, args, supervision).await;
    Arc::new(system.expect("the system starts"))
}

/// What a whole run ends with.
struct Run {
    stats: AggregatedStats,
    accounting: Accounting,
    report: SupervisionReport,
}

/// Drives `workload`, then takes a final round and shuts down, as the demo
/// does.
async fn run(workload: &Workload, supervision: Supervision) -> Run {
    let system = start(workload.counters, supervision).await;
    let mut accounting = drive(system.clone(), workload).await.expect("clients run");
    let stats = system.aggregate().await.expect("a final round");
    let finals = system.shutdown().await.expect("a clean shutdown");
    accounting.settle(&finals);
    accounting.lost = system.lost();
    Run {
        stats,
        accounting,
        report: system.report(),
    }
}

fn small_workload() -> Workload {
    Workload {
        counters: 3,
        ops_per_client: 20,
        interval: Duration::from_millis(1),
        ..Workload::default()
    }
}

// ANCHOR: thousand
/// A thousand seeded crash schedules, three crashes each, errors and
/// panics, before and after the checkpoint, some with failed restarts: the
/// totals are exact every time, and nothing is counted as lost.
#[tokio::test(start_paused = true)]
async fn acknowledged_totals_are_exact_under_a_thousand_crash_schedules() {
    let workload = small_workload();
    for seed in 0..1000 {
        let faults = Faults::random(seed, workload.counters, workload.ops_per_client, 3);
        let supervision = Supervision {
            faults: Faults::new(faults),
            intensity: intensity(10, 5),
            ..Supervision::default()
        };
        let run = run(&workload, supervision).await;
        assert_eq!(
            run.stats.total_value,
            workload.expected_total_value(),
            "seed {seed}"
        );
        assert_eq!(
            run.stats.total_operations,
            workload.expected_total_operations(),
            "seed {seed}"
        );
        assert_eq!(run.accounting.lost, 0, "seed {seed}");
        assert!(run.accounting.balances(), "seed {seed}: {}", run.accounting);
        assert!(run.report.failures >= 1, "seed {seed}: no crash happened");
        assert_eq!(run.report.gave_up, None, "seed {seed}");
        assert_eq!(run.stats.restarts, run.report.restarts, "seed {seed}");
    }
}
// ANCHOR_END: thousand

// ANCHOR: fire_and_forget
/// Casts lost in a crash are lost for good, and counted: both the gap that
/// a later operation reveals and the tail that nothing came after.
#[tokio::test(start_paused = true)]
async fn fire_and_forget_loses_what_the_accounting_reports() {
    let supervision = Supervision {
        delivery: Delivery::FireAndForget,
        faults: Faults::new([crash(0, 10, FaultKind::Panic, FaultPoint::BeforeCheckpoint)]),
        ..Supervision::default()
    };
    let system = start(1, supervision).await;
    // 50 casts queue up at once; the counter dies at the 11th, with the
    // rest in its mailbox. Then 50 more reach the restarted counter.
    for _ in 0..50 {
        system.apply(0, ONE).await.expect("queued");
    }
    tokio::time::sleep(Duration::from_millis(10)).await;
    for _ in 0..50 {
        system.apply(0, ONE).await.expect("queued");
    }
    let value = system.value(0).await.expect("a value");
    let finals = system.shutdown().await.expect("a clean shutdown");
    let mut accounting = Accounting {
        sent: 100,
        ..Accounting::default()
    };
    accounting.settle(&finals);
    accounting.lost = system.lost();

    // Every operation adds 1, so what is missing from the value was lost.
    assert_eq!(value, 60);
    assert_eq!(accounting.lost, 100 - 60);
    assert!(accounting.balances(), "{accounting}");
    assert_eq!(system.report().restarts, 1);
}
// ANCHOR_END: fire_and_forget

/// A restart from nothing forgets what was applied, and the numbers count
/// it as lost: the acknowledged mode is exact only with a checkpoint.
#[tokio::test(start_paused = true)]
async fn a_restart_from_nothing_loses_the_state_and_counts_it() {
    let supervision = Supervision {
        recovery: Recovery::Empty,
        faults: Faults::new([crash(0, 5, FaultKind::Error, FaultPoint::BeforeCheckpoint)]),
        ..Supervision::default()
    };
    let system = start(1, supervision).await;
    for _ in 0..10 {
        system.apply(0, ONE).await.expect("acknowledged");
    }
    let finals = system.shutdown().await.expect("a clean shutdown");
    assert_eq!(finals[0].current_value, 5, "operations 5 to 9 only");
    assert_eq!(
        system.lost(),
        5,
        "operations 0 to 4, applied and then forgotten"
    );
}

// ANCHOR: intensity
/// With a limit of 3 restarts in 5 s, three crashes are restarted and the
/// fourth makes the supervisor give up: the client's operation fails with
/// a typed error, and the report says why.
#[tokio::test(start_paused = true)]
async fn the_limit_gives_up_after_exactly_max_restarts() {
    let faults = (0..4).map(|seq| crash(0, seq, FaultKind::Error, FaultPoint::AfterCheckpoint));
    let supervision = Supervision {
        faults: Faults::new(faults),
        intensity: intensity(3, 5),
        ..Supervision::default()
    };
    let system = start(1, supervision).await;
    for _ in 0..3 {
        system.apply(0, ONE).await.expect("restarted, then applied");
    }
    let report = system.report();
    assert_eq!((report.failures, report.restarts), (3, 3));
    assert_eq!(report.gave_up, None, "not before the limit");

    let error = system.apply(0, ONE).await.unwrap_err();
    assert_eq!(error, SystemError::GaveUp { index: 0 });
    let report = system.report();
    assert_eq!((report.failures, report.restarts), (4, 3));
    let gave_up = report.gave_up.expect("the supervisor gave up");
    assert_eq!(gave_up.id, "counter-0");
}
// ANCHOR_END: intensity

/// The same four crashes, 6 s apart, never pass a limit of 3 in 5 s.
#[tokio::test(start_paused = true)]
async fn crashes_spread_wider_than_the_period_never_give_up() {
    let faults = (0..4).map(|seq| crash(0, seq, FaultKind::Panic, FaultPoint::BeforeCheckpoint));
    let supervision = Supervision {
        faults: Faults::new(faults),
        intensity: intensity(3, 5),
        ..Supervision::default()
    };
    let system = start(1, supervision).await;
    for _ in 0..4 {
        system.apply(0, ONE).await.expect("restarted, then applied");
        tokio::time::sleep(Duration::from_secs(6)).await;
    }
    let report = system.report();
    assert_eq!(
        (report.failures, report.restarts, report.gave_up),
        (4, 4, None)
    );
    assert_eq!(system.value(0).await, Ok(4));
}

/// A restart whose `pre_start` fails sends no event; the supervisor counts
/// it against the limit all the same, and tries again.
#[tokio::test(start_paused = true)]
async fn a_failed_start_counts_against_the_limit() {
    let failing = |failed_starts| Fault {
        failed_starts,
        ..crash(0, 0, FaultKind::Error, FaultPoint::BeforeCheckpoint)
    };
    let supervision = |fault, max_restarts| Supervision {
        faults: Faults::new([fault]),
        intensity: intensity(max_restarts, 5),
        ..Supervision::default()
    };

    let system = start(1, supervision(failing(2), 3)).await;
    system
        .apply(0, ONE)
        .await
        .expect("the third start succeeds");
    let report = system.report();
    assert_eq!((report.restarts, report.failed_starts), (1, 2));

    let system = start(1, supervision(failing(2), 2)).await;
    let error = system.apply(0, ONE).await.unwrap_err();
    assert_eq!(error, SystemError::GaveUp { index: 0 });
    let report = system.report();
    assert_eq!((report.restarts, report.failed_starts), (0, 2));
}

/// The aggregator follows every restart: each round asks the new counter,
/// none is dropped, and its figures count the restarts.
#[tokio::test(start_paused = true)]
async fn the_aggregator_follows_restarts() {
    let workload = small_workload();
    let faults = (0..3).map(|k| crash(k, 7, FaultKind::Panic, FaultPoint::AfterCheckpoint));
    let supervision = Supervision {
        faults: Faults::new(faults),
        ..Supervision::default()
    };
    let run = run(&workload, supervision).await;
    assert_eq!(run.stats.restarts, 3);
    assert_eq!(run.stats.num_counters, 3);
    assert_eq!(run.stats.dropped_counters, 0);
    assert_eq!(run.stats.total_value, workload.expected_total_value());
}
