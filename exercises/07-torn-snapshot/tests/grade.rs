//! The graders of exercise 07.
//!
//! Each grader runs a loom model: two threads each call `add` once on one
//! shared counter while a third takes one snapshot. Loom runs the model
//! once for every way the threads can interleave, and the grader writes
//! down what it saw across all of them: every pair the snapshot returned,
//! marked torn if no moment of the run ever held it, and the counter's
//! figures once all three threads had finished. That report is compared
//! with the one the reference solution gives, so a torn read shows up as an
//! extra line.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::num::NonZeroU32;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc as StdArc, Mutex as StdMutex, PoisonError};

use exercise_07_torn_snapshot::{Counter, Snapshot};
use loom::sync::Arc;
use loom::thread;

/// What the model saw, added up over every interleaving.
///
/// It lives in std types, which loom does not track, so that it outlives
/// each execution and the grader can read it once the model is done.
#[derive(Debug, Default)]
struct Seen {
    /// Every pair the reader's snapshot returned.
    read: BTreeSet<Snapshot>,
    /// Every pair a snapshot returned once all threads had finished.
    finals: BTreeSet<Snapshot>,
    /// What the two adds returned, in thread order, as they read in code.
    returns: BTreeSet<[String; 2]>,
    /// How many interleavings loom ran.
    runs: usize,
}

impl Seen {
    /// Adds what another search saw to this one's.
    fn merge(&mut self, other: Seen) {
        self.read.extend(other.read);
        self.finals.extend(other.finals);
        self.returns.extend(other.returns);
        self.runs += other.runs;
    }
}

/// How many interleavings the second round may try once the first has
/// found a tear. A tear decides the grade, so the rest is only detail. Two
/// loads side by side need fewer than 500 and get their whole report; a
/// sequence lock with every ordering `Relaxed` would give loom some 76,000
/// to run, over a minute's work.
const AFTER_A_TEAR: usize = 1_000;

/// Runs two adds, one of `first` and one of `second`, against one snapshot,
/// under every interleaving loom generates. Returns the report, in which
/// each snapshot that is not one of the `moments` is marked torn.
///
/// The search has two rounds. The first stops no thread early: it takes a
/// moment, and orderings too weak already tear there. The second allows
/// one early stop, which a tear between two stores needs. If the first
/// round found a tear, the answer fails whatever else turns up, and the
/// second round stops after [`AFTER_A_TEAR`] interleavings.
fn explore(first: u32, second: u32, moments: &[(u32, u32)]) -> String {
    let amounts = [first, second].map(|amount| NonZeroU32::new(amount).expect("not zero"));
    let torn = |read: &Snapshot| !moments.contains(&(read.value, read.operations));
    let quick = search(amounts, 0, None);
    let limit = quick.read.iter().any(torn).then_some(AFTER_A_TEAR);
    let mut seen = search(amounts, 1, limit);
    let stopped = limit.is_some_and(|limit| seen.runs >= limit);
    let searched = if stopped {
        "part of the interleavings (one had torn, so the search stopped early)"
    } else {
        "every interleaving"
    };
    // Every interleaving of the first round is a real run too.
    seen.merge(quick);

    let (first, second) = (figure(first), figure(second));
    let mut report =
        format!("one thread adds {first}, another adds {second}, a third takes a snapshot\n");
    let _ = writeln!(report, "snapshots seen over {searched}:");
    let width = seen.read.iter().map(|&read| show(read).len()).max();
    for read in &seen.read {
        if torn(read) {
            let width = width.unwrap_or_default();
            let _ = writeln!(
                report,
                "  {:width$}  <- torn: no moment held this pair",
                show(*read)
            );
        } else {
            let _ = writeln!(report, "  {}", show(*read));
        }
    }
    let _ = writeln!(report, "figures once all three had finished:");
    for last in &seen.finals {
        let _ = writeln!(report, "  {}", show(*last));
    }
    let _ = writeln!(report, "what the two adds returned:");
    for [one, two] in &seen.returns {
        let _ = writeln!(report, "  add({first}) -> {one}, add({second}) -> {two}");
    }
    report
}

/// Runs the model, two adds of `amounts` and one snapshot, under every
/// interleaving in which loom stops a thread early at most `preemptions`
/// times, or under the first `limit` of them, and returns what it saw.
fn search(amounts: [NonZeroU32; 2], preemptions: usize, limit: Option<usize>) -> Seen {
    let seen = StdArc::new(StdMutex::new(Seen::default()));
    let mut builder = loom::model::Builder::new();
    // Set here, so that no LOOM_* variable in the environment changes what
    // the model explores: the report must be the same on every run. One
    // preemption is all a tear needs (stop a writer between its two
    // stores, or the reader between its two loads).
    builder.preemption_bound = Some(preemptions);
    builder.max_branches = 1_000;
    // Loom checks the limit before each run, every `checkpoint_interval`
    // runs, and does not start run number `max_permutations`.
    builder.max_permutations = limit.map(|limit| limit + 1);
    builder.checkpoint_interval = 1;
    builder.max_duration = None;
    builder.checkpoint_file = None;

    let outside = StdArc::clone(&seen);
    let model = move || {
        let counter = Arc::new(Counter::default());
        let writers = amounts.map(|amount| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || counter.add(amount))
        });
        let reader = thread::spawn({
            let counter = Arc::clone(&counter);
            move || counter.snapshot()
        });
        // Loom stops the whole model when one of its threads panics, so a
        // join that returns here returns a value.
        let returns = writers.map(|writer| writer.join().expect("loom stops on a panic"));
        let read = reader.join().expect("loom stops on a panic");
        let last = counter.snapshot();

        let mut seen = outside.lock().unwrap_or_else(PoisonError::into_inner);
        seen.read.insert(read);
        seen.finals.insert(last);
        seen.returns
            .insert(returns.map(|returned| format!("{returned:?}")));
        seen.runs += 1;
    };
    if let Err(panic) = panic::catch_unwind(AssertUnwindSafe(|| builder.check(model))) {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("(no message)");
        panic!("the counter panicked inside the loom model: {message}");
    }
    let mut seen = seen.lock().unwrap_or_else(PoisonError::into_inner);
    std::mem::take(&mut *seen)
}

/// Writes a number, with `u32::MAX` by name.
fn figure(n: u32) -> String {
    if n == u32::MAX {
        "u32::MAX".to_string()
    } else {
        n.to_string()
    }
}

/// Writes a snapshot as the pair of its figures.
fn show(snapshot: Snapshot) -> String {
    format!(
        "(value {}, operations {})",
        figure(snapshot.value),
        figure(snapshot.operations)
    )
}

/// While two adds of 1 and 10 run, a snapshot returns one of the four
/// pairs the counter really holds at some moment, and never a mix of two.
#[test]
fn snapshot_never_tears() {
    // Before both, after either one alone, after both.
    let moments = [(0, 0), (1, 1), (10, 1), (11, 2)];
    grading::assert_report!(explore(1, 10, &moments));
}

/// Two adds that cannot both fit: whichever comes second is refused with
/// `Overflow` and leaves no trace, and no snapshot shows a wrapped value.
#[test]
fn add_refuses_to_wrap() {
    // Before both, or after whichever add came first and was kept.
    let moments = [(0, 0), (u32::MAX, 1), (1, 1)];
    grading::assert_report!(explore(u32::MAX, 1, &moments));
}
