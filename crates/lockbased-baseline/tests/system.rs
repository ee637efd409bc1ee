//! Facts about `LockedSystem`, the four designs behind the `CounterSystem`
//! contract. (What every design must do, actor or lock, is checked by the
//! conformance suite in `crates/demo/tests/conformance.rs`; this file keeps
//! to what is particular to the lock-based systems.)
#![cfg(not(loom))]

use std::time::Duration;

use actors_core::{CounterSystem, Design, Operation, OperationError, Receipt, SystemError};
use lockbased_baseline::{
    AtomicSystem, MutexCounter, MutexSystem, NaiveAtomicSystem, SHARD_MAX, ShardedSystem,
    SharedCounter, sum,
};

const fn inc(amount: i64) -> Operation {
    Operation::Increment { amount }
}

/// Each system says which design it is.
#[test]
fn each_system_knows_its_design() {
    let designs = [
        MutexSystem::new(1).design(),
        NaiveAtomicSystem::new(1).design(),
        AtomicSystem::new(1).design(),
        ShardedSystem::new(1).design(),
    ];
    assert_eq!(
        designs,
        [
            Design::Mutex,
            Design::AtomicNaive,
            Design::Atomic,
            Design::Sharded
        ]
    );
}

/// `apply` knows the outcome when it returns: `Applied`, or `Rejected` with
/// the reason. A lock-based system never answers `Queued`.
#[tokio::test]
async fn apply_reports_the_outcome() {
    let system = MutexSystem::new(2);

    assert_eq!(system.apply(1, inc(3)).await, Ok(Receipt::Applied));
    let refused = system.apply(1, inc(-3)).await;

    assert_eq!(
        refused,
        Ok(Receipt::Rejected(OperationError::NegativeAmount {
            op: inc(-3)
        }))
    );
    assert_eq!(system.value(1).await, Ok(3));
    assert_eq!(system.value(0).await, Ok(0));
    let stats = system.stats(1).await.unwrap();
    assert_eq!((stats.total_operations, stats.rejected_operations), (1, 1));
}

/// The sharded system's receipt names the shard's bound as the overflow,
/// far below `i64::MAX`.
#[tokio::test]
async fn the_sharded_receipt_names_the_shard_bound() {
    let system = ShardedSystem::new(1);
    let receipt = system.apply(0, inc(SHARD_MAX + 1)).await;
    assert_eq!(
        receipt,
        Ok(Receipt::Rejected(OperationError::Overflow {
            value: 0,
            op: inc(SHARD_MAX + 1)
        }))
    );
}

/// A counter past the end is refused with a typed error that says how many
/// counters there are.
#[tokio::test]
async fn a_bad_index_is_refused() {
    let system = AtomicSystem::new(3);
    let missing = SystemError::NoSuchCounter { index: 3, len: 3 };
    assert_eq!(system.apply(3, inc(1)).await, Err(missing));
    assert_eq!(system.value(3).await, Err(missing));
    assert_eq!(system.stats(3).await.unwrap_err(), missing);
}

/// Shutdown returns every counter's final figures in index order; after it,
/// every call, a second shutdown included, gets `ShutDown`.
#[tokio::test]
async fn shutdown_returns_the_finals_then_closes() {
    let system = NaiveAtomicSystem::new(3);
    for (index, amount) in [(0, 5), (2, 7), (2, 1)] {
        system.apply(index, inc(amount)).await.unwrap();
    }

    let finals = system.shutdown().await.unwrap();

    let values: Vec<i64> = finals.iter().map(|s| s.current_value).collect();
    let operations: Vec<u64> = finals.iter().map(|s| s.total_operations).collect();
    assert_eq!(values, [5, 0, 8]);
    assert_eq!(operations, [1, 0, 2]);
    assert_eq!(system.apply(0, inc(1)).await, Err(SystemError::ShutDown));
    assert_eq!(system.value(0).await, Err(SystemError::ShutDown));
    assert_eq!(system.stats(0).await.unwrap_err(), SystemError::ShutDown);
    assert_eq!(system.aggregate().await.unwrap_err(), SystemError::ShutDown);
    assert_eq!(system.shutdown().await.unwrap_err(), SystemError::ShutDown);
}

/// On tokio's paused clock the rate is exact: 50 operations over 2 virtual
/// seconds is 25 per second, for each counter and for the aggregate.
#[tokio::test(start_paused = true)]
async fn rates_are_exact_in_virtual_time() {
    let system = ShardedSystem::new(2);
    for _ in 0..50 {
        system.apply(0, inc(1)).await.unwrap();
        system.apply(1, inc(2)).await.unwrap();
    }

    tokio::time::advance(Duration::from_secs(2)).await;

    assert_eq!(system.stats(0).await.unwrap().operations_per_second, 25.0);
    let total = system.aggregate().await.unwrap();
    assert_eq!(total.total_value, 150);
    assert_eq!(total.total_operations, 100);
    assert_eq!(total.num_counters, 2);
    assert_eq!(total.unresponsive_counters, 0);
    assert_eq!(total.avg_ops_per_second, 25.0);
}

/// `sum` is a plain function over counters: no system, no runtime, no
/// clock of its own. Refusals are added up with the rest.
#[test]
fn sum_is_a_plain_function() {
    let counters: Vec<MutexCounter> = (0..3).map(|_| MutexCounter::new()).collect();
    counters[0].apply(inc(i64::MAX)).unwrap();
    counters[1].apply(inc(i64::MAX)).unwrap();
    let _ = counters[2].apply(inc(-1));

    let total = sum(&counters, Duration::from_secs(1));

    assert_eq!(total.total_value, 2 * i128::from(i64::MAX));
    assert_eq!(total.total_operations, 2);
    assert_eq!(total.rejected_operations, 1);
    assert_eq!(total.num_counters, 3);
}
