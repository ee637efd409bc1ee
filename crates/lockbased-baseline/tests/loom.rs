//! Interleavings, checked instead of hoped for.
//!
//! Each test runs a small model, a few threads sharing one counter, under
//! loom. Loom runs the model again and again, each time with a different
//! interleaving of the threads' atomic operations, and, for `Relaxed` and
//! `Acquire` loads, with each value the memory model allows the load to
//! return. The counters' code is the production code: under `--cfg loom`,
//! `src/sync.rs` hands it loom's atomics and mutex instead of std's.
//!
//! Run with:
//!
//! ```text
//! RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test -p lockbased-baseline --release
//! ```
//!
//! Every model puts the reader on a spawned thread and a writer on the
//! model's main thread. The other way round, loom 0.7 explores almost
//! nothing: a writer whose first access is a load is never moved ahead of
//! the main thread's reads (tokio-rs/loom#392), and the naive counter looks
//! perfect. So each model also records what the reader saw, and the tests
//! that find no tear check that the reader did meet the writers halfway.
#![cfg(loom)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::{Arc as StdArc, Mutex as StdMutex, PoisonError};

use actors_core::Operation;
use lockbased_baseline::{
    AtomicCounter, MutexCounter, NaiveAtomicCounter, ShardedCounter, SharedCounter,
};
use loom::sync::Arc;
use loom::thread;

const PLUS_ONE: Operation = Operation::Increment { amount: 1 };

/// What a model's executions saw, added up across all of them.
///
/// It lives in std types, which loom does not track, so that it outlives
/// every execution and the test can read it after `check` returns.
#[derive(Debug, Default)]
struct Findings {
    /// How many executions loom ran.
    executions: usize,
    /// How many of them ended with a torn snapshot.
    torn: usize,
    /// The distinct schedules of the torn executions, in the order loom
    /// first ran them.
    torn_schedules: Vec<Vec<String>>,
    /// Executions in which the snapshot began before some write returned and
    /// ended after that write began: the reader met a writer halfway.
    overlapping: usize,
    /// Every (value, operations) pair that a snapshot returned.
    seen: BTreeSet<(i64, u64)>,
}

/// The schedule of one execution at the level of the API: who called what,
/// and what the reader got.
///
/// Loom runs one model thread at a time and switches only at its own
/// operations. The std mutex around this list is not one of them, so a
/// thread adds its line without being interrupted, and the lines are in
/// the true order of the execution.
type Schedule = StdArc<StdMutex<Vec<String>>>;

fn note(schedule: &Schedule, line: String) {
    schedule
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(line);
}

/// Runs `writers` threads that each apply +1 (the first on the model's main
/// thread) against one reader that takes one snapshot, under every
/// interleaving loom generates with at most `preemptions` preemptions.
///
/// Inside each execution it checks what must hold whatever the design: once
/// every thread has finished, a fresh snapshot counts every write.
fn explore<C: SharedCounter>(writers: usize, preemptions: usize) -> Findings {
    let findings = StdArc::new(StdMutex::new(Findings::default()));
    let mut builder = loom::model::Builder::new();
    // Set explicitly, so that no LOOM_* variable in the environment changes
    // which executions run or in what order: the recorded schedules must be
    // the same on every run.
    builder.preemption_bound = Some(preemptions);
    builder.max_branches = 10_000;
    builder.max_permutations = None;
    builder.max_duration = None;
    builder.checkpoint_file = None;

    let outside = StdArc::clone(&findings);
    // ANCHOR: model
    builder.check(move || {
        let schedule = Schedule::default();
        let counter = Arc::new(C::new());

        let reader = thread::spawn({
            let (counter, schedule) = (Arc::clone(&counter), StdArc::clone(&schedule));
            move || {
                note(&schedule, "reader: snapshot begins".into());
                let snapshot = counter.snapshot();
                note(
                    &schedule,
                    format!(
                        "reader: snapshot -> value {}, operations {}",
                        snapshot.value, snapshot.total_operations
                    ),
                );
                snapshot
            }
        });
        let write = |name: String, counter: Arc<C>, schedule: Schedule| {
            move || {
                note(&schedule, format!("{name}: apply(+1) begins"));
                counter.apply(PLUS_ONE).expect("+1 from zero fits");
                note(&schedule, format!("{name}: apply(+1) returns"));
            }
        };
        let others: Vec<_> = (2..=writers)
            .map(|k| {
                let name = format!("writer {k}");
                thread::spawn(write(name, Arc::clone(&counter), StdArc::clone(&schedule)))
            })
            .collect();
        let name = if writers == 1 { "writer" } else { "writer 1" };
        write(name.into(), Arc::clone(&counter), StdArc::clone(&schedule))();

        let snapshot = reader.join().expect("the reader does not panic");
        for other in others {
            other.join().expect("a writer does not panic");
        }
        // ANCHOR_END: model
        // Whatever the design, nothing is lost once everyone has finished.
        let last = counter.snapshot();
        assert_eq!(
            (last.value, last.total_operations),
            (writers as i64, writers as u64)
        );

        let schedule = schedule
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let mut findings = outside.lock().unwrap_or_else(PoisonError::into_inner);
        findings.executions += 1;
        findings
            .seen
            .insert((snapshot.value, snapshot.total_operations));
        if overlaps(&schedule) {
            findings.overlapping += 1;
        }
        if snapshot.value != snapshot.total_operations as i64 {
            findings.torn += 1;
            if !findings.torn_schedules.contains(&schedule) {
                findings.torn_schedules.push(schedule);
            }
        }
    });

    StdMutex::into_inner(StdArc::into_inner(findings).expect("the model has ended"))
        .unwrap_or_else(PoisonError::into_inner)
}

/// True if the reader's snapshot and some write were in progress together:
/// each began before the other ended.
fn overlaps(schedule: &[String]) -> bool {
    let position = |line: &str| schedule.iter().position(|entry| entry == line);
    let read_begins = position("reader: snapshot begins");
    let read_ends = schedule
        .iter()
        .position(|entry| entry.starts_with("reader: snapshot ->"));
    let (Some(read_begins), Some(read_ends)) = (read_begins, read_ends) else {
        return false;
    };
    schedule
        .iter()
        .filter_map(|entry| entry.strip_suffix(": apply(+1) begins"))
        .any(|writer| {
            let write_begins = position(&format!("{writer}: apply(+1) begins"));
            let write_returns = position(&format!("{writer}: apply(+1) returns"));
            match (write_begins, write_returns) {
                (Some(begins), Some(returns)) => read_begins < returns && begins < read_ends,
                _ => false,
            }
        })
}

/// Writes the findings of a model that tore as the text the book shows.
fn report(findings: &Findings) -> String {
    let mut text = format!(
        "loom ran {} executions; in {} of them the snapshot tore.\n",
        findings.executions, findings.torn
    );
    let _ = writeln!(
        text,
        "The {} distinct schedules that tore, in the order loom found them:",
        findings.torn_schedules.len()
    );
    for (k, schedule) in findings.torn_schedules.iter().enumerate() {
        let _ = writeln!(text, "\nschedule {}:", k + 1);
        for line in schedule {
            let _ = writeln!(text, "  {line}");
        }
    }
    text
}

// ANCHOR: naive_test
/// A reader that loads the naive counter's figures one by one can get a
/// value that includes an operation its count does not, or the other way
/// round; loom finds such executions, and the snapshot records every
/// schedule in which it happened.
#[test]
fn naive_snapshot_can_tear() {
    let findings = explore::<NaiveAtomicCounter>(1, 3);

    assert!(findings.torn > 0, "no torn snapshot in {findings:?}");
    insta::assert_snapshot!("naive_tear_schedule", report(&findings));
}
// ANCHOR_END: naive_test

/// The sharded counter's snapshot tears the same way: under loom every
/// model thread draws the same shard, so this is the naive tear inside one
/// shard.
#[test]
fn sharded_snapshot_can_tear() {
    let findings = explore::<ShardedCounter>(1, 3);

    assert!(findings.torn > 0, "no torn snapshot in {findings:?}");
}

// ANCHOR: fixed_test
/// With two writers and a reader, the seqlock's snapshot never tears,
/// although the reader meets the writers halfway and sees each of the
/// counter's three states.
#[test]
fn fixed_snapshot_never_tears() {
    // Two spinning writers and a retrying reader give loom a great many
    // schedules: one preemption is what runs in seconds.
    let findings = explore::<AtomicCounter>(2, 1);

    assert_eq!(findings.torn_schedules, Vec::<Vec<String>>::new());
    assert!(findings.overlapping > 0, "{findings:?}");
    assert_eq!(findings.seen, BTreeSet::from([(0, 0), (1, 1), (2, 2)]));
}
// ANCHOR_END: fixed_test

/// The same model with the same bound tears the naive counter: the model is
/// sharp enough to catch a tear when there is one.
#[test]
fn the_same_model_tears_the_naive_counter() {
    let findings = explore::<NaiveAtomicCounter>(2, 1);

    assert!(findings.torn > 0, "no torn snapshot in {findings:?}");
}

/// With one writer and a reader, the seqlock's snapshot never tears even
/// when loom may preempt the threads three times.
#[test]
fn fixed_snapshot_never_tears_under_deeper_preemption() {
    let findings = explore::<AtomicCounter>(1, 3);

    assert_eq!(findings.torn_schedules, Vec::<Vec<String>>::new());
    assert!(findings.overlapping > 0, "{findings:?}");
    assert_eq!(findings.seen, BTreeSet::from([(0, 0), (1, 1)]));
}

/// With two writers and a reader, the mutex's snapshot never tears.
#[test]
fn mutex_snapshot_never_tears() {
    let findings = explore::<MutexCounter>(2, 3);

    assert_eq!(findings.torn_schedules, Vec::<Vec<String>>::new());
    assert!(findings.overlapping > 0, "{findings:?}");
    assert_eq!(findings.seen, BTreeSet::from([(0, 0), (1, 1), (2, 2)]));
}
