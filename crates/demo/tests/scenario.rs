//! The whole system, run by `demo::run` on tokio's paused clock.
//!
//! A virtual run of the article's scenario covers 3.5 seconds of the
//! system's time in a few milliseconds, and prints the same lines every
//! time, which is what makes a snapshot of the whole transcript possible.

use std::time::Duration;

use actors_core::{Transcript, Workload, WorkloadError};
use demo::{
    Accounting, Chaos, Design, MAX_DURATION, Pressure, Scenario, ScenarioError, compare, run,
};
use supervision::{Delivery, Intensity, Recovery};

/// The article's scenario, start to finish: every line of the transcript,
/// rates included. Round 1 runs at 2 s, after the clients finished at
/// 0.49 s, so each counter reports 50 operations / 2 s = 25 ops/s. The final
/// round runs at 3.49 s: 50 / 3.49 = 14.33 ops/s.
#[tokio::test(start_paused = true)]
async fn article_scenario_transcript() {
    let transcript = Transcript::memory();

    run(&Scenario::default(), &transcript).await.unwrap();

    insta::assert_snapshot!(transcript.text());
}

/// The article's workload ends at 160 over 200 operations, and every one of
/// the 200 is accounted for.
#[tokio::test(start_paused = true)]
async fn article_totals_are_160_and_200() {
    let outcome = run(&Scenario::default(), &Transcript::memory())
        .await
        .unwrap();

    assert_eq!(outcome.stats.total_value, 160);
    assert_eq!(outcome.stats.total_operations, 200);
    assert_eq!(outcome.stats.num_counters, 4);
    assert_eq!(
        outcome.accounting,
        Accounting {
            sent: 200,
            undelivered: 0,
            applied: 200,
            rejected: 0,
            ..Accounting::default()
        }
    );
}

/// `demo compare`: every design runs the article's scenario on its own, and
/// the table shows 160 over 200 for each of them.
#[tokio::test(start_paused = true)]
async fn every_design_side_by_side() {
    let transcript = Transcript::memory();

    let outcomes = compare(&Scenario::default(), &transcript).await.unwrap();

    let designs: Vec<Design> = outcomes.iter().map(|outcome| outcome.design).collect();
    assert_eq!(designs, Design::ALL);
    for outcome in &outcomes {
        assert_eq!(outcome.stats.total_value, 160, "{}", outcome.design);
        assert_eq!(outcome.stats.total_operations, 200, "{}", outcome.design);
        assert!(outcome.accounting.balances(), "{}", outcome.design);
    }
    insta::assert_snapshot!(transcript.text());
}

/// The hand-rolled design tells the same story as ractor's, without the
/// aggregator's lines: it has no aggregator actor, and the counters' final
/// lines come from the system once each task has handed its counter back.
#[tokio::test(start_paused = true)]
async fn handrolled_transcript() {
    let transcript = Transcript::memory();
    let scenario = Scenario {
        design: Design::HandRolled,
        ..Scenario::default()
    };

    run(&scenario, &transcript).await.unwrap();

    insta::assert_snapshot!(transcript.text());
}

/// Other workloads end where the workload's own arithmetic says they must.
#[tokio::test(start_paused = true)]
async fn other_workloads_reach_their_expected_totals() {
    for (counters, ops_per_client, decrement_every) in
        [(1, 1, 3), (7, 31, 3), (3, 40, 2), (5, 9, 0)]
    {
        let workload = Workload {
            counters,
            ops_per_client,
            decrement_every,
            ..Workload::default()
        };
        let scenario = Scenario {
            workload: workload.clone(),
            ..Scenario::default()
        };

        let outcome = run(&scenario, &Transcript::memory()).await.unwrap();

        assert_eq!(outcome.stats.total_value, workload.expected_total_value());
        assert_eq!(
            outcome.stats.total_operations,
            workload.expected_total_operations()
        );
    }
}

/// When the clients outlast a collection period, the periodic rounds see the
/// system in motion, each round a little further along; the final round
/// still sees everything.
#[tokio::test(start_paused = true)]
async fn periodic_rounds_watch_the_clients_work() {
    let scenario = Scenario {
        workload: Workload {
            counters: 2,
            ops_per_client: 300,
            ..Workload::default()
        },
        collect_every: Duration::from_secs(1),
        linger: Duration::ZERO,
        ..Scenario::default()
    };
    let transcript = Transcript::memory();

    run(&scenario, &transcript).await.unwrap();

    let rounds: Vec<String> = transcript
        .lines()
        .into_iter()
        .filter(|line| line.contains("] round "))
        .collect();
    insta::assert_snapshot!(rounds.join("\n"));
}

/// A scenario that cannot work is refused with an error that names the
/// setting, before any actor starts.
#[tokio::test]
async fn impossible_scenarios_are_refused_before_anything_starts() {
    let zero_counters = Scenario {
        workload: Workload {
            counters: 0,
            ..Workload::default()
        },
        ..Scenario::default()
    };
    let zero_period = Scenario {
        collect_every: Duration::ZERO,
        ..Scenario::default()
    };
    let endless_timeout = Scenario {
        call_timeout: MAX_DURATION + Duration::from_millis(1),
        ..Scenario::default()
    };
    let slow = Pressure {
        work: Duration::from_millis(5),
        mailbox: "drop-newest:8".parse().unwrap(),
    };
    let mutex_mailbox = Scenario {
        design: Design::Mutex,
        pressure: Some(slow),
        ..Scenario::default()
    };
    let chaos = Chaos {
        seed: 7,
        crashes: 3,
        delivery: Delivery::Acknowledged,
        recovery: Recovery::Checkpoint,
        intensity: Intensity::default(),
    };
    let chaos_and_mailbox = Scenario {
        chaos: Some(chaos),
        pressure: Some(slow),
        ..Scenario::default()
    };

    for (scenario, expected) in [
        (
            zero_counters,
            ScenarioError::Workload(WorkloadError::NoCounters),
        ),
        (
            zero_period,
            ScenarioError::Zero {
                what: "the collection period",
            },
        ),
        (
            endless_timeout,
            ScenarioError::TooLong {
                what: "the call timeout",
                got: MAX_DURATION + Duration::from_millis(1),
            },
        ),
        (mutex_mailbox, ScenarioError::NoMailbox(Design::Mutex)),
        (chaos_and_mailbox, ScenarioError::ChaosWithMailbox),
    ] {
        let transcript = Transcript::memory();
        let error = run(&scenario, &transcript).await.unwrap_err();
        assert_eq!(error.to_string(), expected.to_string());
        assert!(transcript.lines().is_empty(), "something started anyway");
    }
}

/// The accounting balances only when every operation sent was applied or
/// rejected; an operation that vanished makes it fail.
#[test]
fn accounting_catches_a_missing_operation() {
    let balanced = Accounting {
        sent: 200,
        undelivered: 3,
        applied: 198,
        rejected: 2,
        ..Accounting::default()
    };
    let missing_one = Accounting {
        applied: 197,
        ..balanced
    };
    // A loss that is counted balances; one that is not does not.
    let counted_loss = Accounting {
        applied: 197,
        lost: 1,
        ..balanced
    };
    assert!(balanced.balances());
    assert!(!missing_one.balances());
    assert!(counted_loss.balances());
}
