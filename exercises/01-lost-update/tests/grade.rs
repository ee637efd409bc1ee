//! The graders of exercise 01.
//!
//! Each grader runs a loom model: two threads call one of your functions
//! once each, on one shared counter, and a third thread reads the counter
//! once. Loom runs the model once for every way the threads can interleave,
//! and the grader writes down what it saw across all of them: the values
//! the reader read, the values the counter ended at, and what the two calls
//! returned. That report is compared with the one the reference solution
//! gives, so a lost update shows up as an extra final value, and a wrap
//! (even one that is undone a moment later) as an extra value read.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc as StdArc, Mutex as StdMutex, PoisonError};

use exercise_01_lost_update::{AtomicU64, CounterError, decrement, increment};
use loom::sync::Arc;
use loom::sync::atomic::Ordering::Relaxed;
use loom::thread;

/// One of the two functions under test.
type Step = fn(&AtomicU64) -> Result<u64, CounterError>;

/// What the model saw, added up over every interleaving.
///
/// It lives in std types, which loom does not track, so that it outlives
/// each execution and the grader can read it once the model is done.
#[derive(Debug, Default)]
struct Seen {
    /// Each value a third thread read while the two calls ran.
    observed: BTreeSet<u64>,
    /// Each value the counter held once both calls had returned.
    finals: BTreeSet<u64>,
    /// What the two calls returned, as a sorted pair of readable words,
    /// so that which thread ran first does not matter.
    returns: BTreeSet<[String; 2]>,
}

/// Runs `step` on two threads against a counter that starts at `start`,
/// with a third thread that reads the counter once, under every
/// interleaving loom generates. Returns the report.
fn explore(name: &str, step: Step, start: u64) -> String {
    let seen = StdArc::new(StdMutex::new(Seen::default()));
    let mut builder = loom::model::Builder::new();
    // Set here, so that no LOOM_* variable in the environment changes what
    // the model explores: the report must be the same on every run. One
    // preemption is all a lost update needs (stop a thread between its load
    // and its store), and it keeps the three graders under a second.
    builder.preemption_bound = Some(1);
    builder.max_branches = 1_000;
    builder.max_permutations = None;
    builder.max_duration = None;
    builder.checkpoint_file = None;

    let outside = StdArc::clone(&seen);
    let model = move || {
        let counter = Arc::new(AtomicU64::new(start));
        let calls: [_; 2] = std::array::from_fn(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || step(&counter))
        });
        // The observer catches a value that is there for a moment only,
        // such as a wrap that a later step undoes.
        let observer = thread::spawn({
            let counter = Arc::clone(&counter);
            move || counter.load(Relaxed)
        });
        // Loom stops the whole model when one of its threads panics, so a
        // join that returns here returns a value.
        let mut pair = calls.map(|call| call.join().expect("loom stops on a panic"));
        pair.sort_by_key(|returned| match returned {
            Ok(value) => (0, *value),
            Err(error) => (1, *error as u64),
        });
        let observed = observer.join().expect("a load does not panic");

        let mut seen = outside.lock().unwrap_or_else(PoisonError::into_inner);
        seen.observed.insert(observed);
        seen.finals.insert(counter.load(Relaxed));
        seen.returns
            .insert(pair.map(|returned| show_return(&returned)));
    };
    if let Err(panic) = panic::catch_unwind(AssertUnwindSafe(|| builder.check(model))) {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("(no message)");
        panic!("`{name}` panicked inside the loom model: {message}");
    }

    let seen = seen.lock().unwrap_or_else(PoisonError::into_inner);
    let list = |values: &BTreeSet<u64>| {
        let shown: Vec<_> = values.iter().map(|&value| show(value)).collect();
        shown.join(", ")
    };
    let mut report = format!(
        "the counter starts at {}; two threads call {name} once each\n",
        show(start)
    );
    let _ = writeln!(
        report,
        "values a third thread read meanwhile: {}",
        list(&seen.observed)
    );
    let _ = writeln!(
        report,
        "final values seen over every interleaving: {}",
        list(&seen.finals)
    );
    let _ = writeln!(
        report,
        "what the two calls returned, over every interleaving:"
    );
    for [first, second] in &seen.returns {
        let _ = writeln!(report, "  {first}, {second}");
    }
    report
}

/// Writes values near the top as `u64::MAX - k`, which reads better than
/// twenty digits.
fn show(value: u64) -> String {
    match u64::MAX - value {
        0 => "u64::MAX".to_string(),
        below @ 1..=9 => format!("u64::MAX - {below}"),
        _ => value.to_string(),
    }
}

/// Writes one call's return as it would read in code.
fn show_return(returned: &Result<u64, CounterError>) -> String {
    match returned {
        Ok(value) => format!("Ok({})", show(*value)),
        Err(error) => format!("Err({error:?})"),
    }
}

/// Two increments from zero leave the counter at two, whatever the
/// interleaving: neither update is lost.
#[test]
fn two_increments_from_zero_make_two() {
    grading::assert_report!(explore("increment", increment, 0));
}

/// Two increments from one below the top: one reaches `u64::MAX`, the
/// other is refused with `Overflow`, and the counter never wraps to zero.
#[test]
fn increment_refuses_to_wrap_past_the_top() {
    grading::assert_report!(explore("increment", increment, u64::MAX - 1));
}

/// Two decrements from one: one reaches zero, the other is refused with
/// `Underflow`, and the counter never wraps to `u64::MAX`. One seat left is
/// sold once.
#[test]
fn decrement_refuses_to_go_below_zero() {
    grading::assert_report!(explore("decrement", decrement, 1));
}
