//! Facts about each lock-based design on its own, without the
//! `CounterSystem` around it.
//!
//! Every fact is written once, as a generic function, and the `facts!`
//! macro at the bottom checks it for each design in a module named after
//! the design: `mutex::many_threads_give_exact_totals`, and so on.
#![cfg(not(loom))]

use std::thread;
use std::time::Duration;

use actors_core::{CounterStats, Operation, OperationError, Tally};
use lockbased_baseline::{
    AtomicCounter, MutexCounter, NaiveAtomicCounter, SHARD_MAX, SHARD_MIN, ShardedCounter,
    SharedCounter, Snapshot, this_threads_shard,
};

const fn inc(amount: i64) -> Operation {
    Operation::Increment { amount }
}
const fn dec(amount: i64) -> Operation {
    Operation::Decrement { amount }
}

fn figures(value: i64, total_operations: u64, rejected_operations: u64) -> Snapshot {
    Snapshot {
        value,
        total_operations,
        rejected_operations,
    }
}

/// Increments and decrements move the value both ways, through zero, and
/// each one is counted.
fn applies_in_both_directions<C: SharedCounter>() {
    let counter = C::new();
    assert_eq!(counter.apply(inc(5)), Ok(()));
    assert_eq!(counter.apply(dec(8)), Ok(()));
    assert_eq!(counter.value(), -3);
    assert_eq!(counter.snapshot(), figures(-3, 2, 0));
}

/// A negative amount is refused with a typed error, in either direction;
/// the value and the operation count stay, and the refusal is counted.
fn negative_amounts_are_refused<C: SharedCounter>() {
    let counter = C::new();
    counter.apply(inc(7)).unwrap();
    for op in [inc(-1), dec(-1), inc(i64::MIN)] {
        assert_eq!(
            counter.apply(op),
            Err(OperationError::NegativeAmount { op })
        );
    }
    assert_eq!(counter.snapshot(), figures(7, 1, 3));
}

/// Going past the top is refused with the value it was refused at, and the
/// state stays as it was. `top` is `i64::MAX`, except for the sharded
/// design, which stops at its shard's share of it.
fn overflow_at_the_top_is_refused<C: SharedCounter>(top: i64) {
    let counter = C::new();
    counter.apply(inc(top)).unwrap();

    let error = counter.apply(inc(1)).unwrap_err();

    assert_eq!(
        error,
        OperationError::Overflow {
            value: top,
            op: inc(1)
        }
    );
    assert_eq!(counter.snapshot(), figures(top, 1, 1));
}

/// Going below the bottom is refused the same way, and the bottom itself
/// (`i64::MIN`, or the shard's share of it) is reachable.
fn overflow_at_the_bottom_is_refused<C: SharedCounter>(bottom: i64) {
    let counter = C::new();
    counter.apply(dec(-(bottom + 1))).unwrap();
    counter.apply(dec(1)).unwrap();
    assert_eq!(counter.value(), bottom);

    let error = counter.apply(dec(1)).unwrap_err();

    assert_eq!(
        error,
        OperationError::Overflow {
            value: bottom,
            op: dec(1)
        }
    );
    assert_eq!(counter.snapshot(), figures(bottom, 2, 1));
}

/// Operation `i` of thread `t` in the load test: mostly increments of
/// `t + 1`, every fourth a decrement of 3, every hundredth a negative
/// amount that must be refused.
fn load_op(t: usize, i: usize) -> Operation {
    if i % 100 == 0 {
        inc(-1)
    } else if i % 4 == 0 {
        dec(3)
    } else {
        inc(t as i64 + 1)
    }
}

/// Eight threads changing one counter at once end with exactly the figures
/// of the same operations applied one after another: no update is lost and
/// no refusal goes uncounted.
fn many_threads_give_exact_totals<C: SharedCounter>() {
    const THREADS: usize = 8;
    const OPS: usize = 10_000;
    let counter = C::new();

    thread::scope(|scope| {
        for t in 0..THREADS {
            let counter = &counter;
            scope.spawn(move || {
                for i in 0..OPS {
                    let _ = counter.apply(load_op(t, i));
                }
            });
        }
    });

    let mut model = Tally::default();
    for t in 0..THREADS {
        for i in 0..OPS {
            let _ = model.apply(load_op(t, i));
        }
    }
    assert_eq!(counter.snapshot(), Snapshot::from(model));
    assert_eq!(counter.value(), model.value());
    assert_eq!(model.rejected_operations(), (THREADS * OPS / 100) as u64);
}

/// Runs every fact above against one design, in a module named after it.
macro_rules! facts {
    ($module:ident, $counter:ty, top: $top:expr, bottom: $bottom:expr) => {
        mod $module {
            use super::*;

            #[test]
            fn applies_in_both_directions() {
                super::applies_in_both_directions::<$counter>();
            }

            #[test]
            fn negative_amounts_are_refused() {
                super::negative_amounts_are_refused::<$counter>();
            }

            #[test]
            fn overflow_at_the_top_is_refused() {
                super::overflow_at_the_top_is_refused::<$counter>($top);
            }

            #[test]
            fn overflow_at_the_bottom_is_refused() {
                super::overflow_at_the_bottom_is_refused::<$counter>($bottom);
            }

            #[test]
            fn many_threads_give_exact_totals() {
                super::many_threads_give_exact_totals::<$counter>();
            }
        }
    };
}

facts!(mutex, MutexCounter, top: i64::MAX, bottom: i64::MIN);
facts!(atomic_naive, NaiveAtomicCounter, top: i64::MAX, bottom: i64::MIN);
facts!(atomic, AtomicCounter, top: i64::MAX, bottom: i64::MIN);
facts!(sharded, ShardedCounter, top: SHARD_MAX, bottom: SHARD_MIN);

/// The sharded counter refuses, at its shard's share of the range, an
/// increment that the exact designs accept: the price of checking a bound
/// without a global view.
#[test]
fn one_shard_stops_at_its_share() {
    let sharded = ShardedCounter::new();
    let exact = MutexCounter::new();
    sharded.apply(inc(SHARD_MAX)).unwrap();
    exact.apply(inc(SHARD_MAX)).unwrap();

    assert!(sharded.apply(inc(1)).is_err());
    assert_eq!(exact.apply(inc(1)), Ok(()));
    assert_eq!(sharded.value(), SHARD_MAX);
    assert_eq!(exact.value(), SHARD_MAX + 1);
}

/// An increment that one thread's shard refuses is accepted from a thread
/// with another shard: what the sharded counter refuses depends on who
/// asks, not only on the counter's value.
#[test]
fn another_thread_can_go_further() {
    let counter = ShardedCounter::new();
    counter.apply(inc(SHARD_MAX)).unwrap();
    let mine = this_threads_shard();
    assert!(counter.apply(inc(1)).is_err());

    // Threads draw shards in turn, so one of the next few is elsewhere.
    let mut went_further = false;
    for _ in 0..4 * lockbased_baseline::SHARDS {
        let (shard, outcome) = thread::scope(|scope| {
            scope
                .spawn(|| (this_threads_shard(), counter.apply(inc(1))))
                .join()
                .expect("the thread does not panic")
        });
        assert_eq!(outcome.is_ok(), shard != mine, "shard {shard}, mine {mine}");
        if outcome.is_ok() {
            went_further = true;
            break;
        }
    }

    assert!(went_further);
    assert_eq!(counter.value(), SHARD_MAX + 1);
}

/// A snapshot reports the same rate as an actor's `Tally` with the same
/// history: operations over seconds, and zero at time zero.
#[test]
fn the_rate_is_computed_as_for_an_actor() {
    let counter = AtomicCounter::new();
    let mut tally = Tally::default();
    for op in [inc(4), dec(1), inc(-2), inc(9)] {
        let _ = counter.apply(op);
        let _ = tally.apply(op);
    }
    for elapsed in [
        Duration::ZERO,
        Duration::from_millis(1500),
        Duration::from_secs(4),
    ] {
        assert_eq!(
            counter.snapshot().measure(elapsed),
            CounterStats::measure(&tally, elapsed),
            "{elapsed:?}"
        );
    }
}
