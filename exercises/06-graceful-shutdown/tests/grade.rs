//! The grader for exercise 06: `Counters::shutdown` against full mailboxes.
//!
//! Everything runs on tokio's paused clock, in one thread. The grader casts
//! its operations without ever yielding, so when `shutdown` is called not
//! one of them has been handled yet: every mailbox is full, and the report
//! is the same on every run.
//!
//! Each call of `shutdown` is wrapped twice. A panic is caught and shows in
//! the report as "panicked: ...", with its message. And a call that has not
//! returned after a virtual minute shows as "did not return", instead of
//! hanging the test. A sleep inside `shutdown` shows too: the report gives
//! the virtual time each call took.

use std::fmt::Write;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use actors_core::{CounterStats, Transcript};
use counter::CounterMessage;
use exercise_06_graceful_shutdown::{Counters, ShutdownError};
use futures::FutureExt;
use ractor::ActorStatus;
use tokio::time::Instant;

/// How long the grader waits for `shutdown` before it reports "did not
/// return". Virtual time: it costs nothing.
const LIMIT: Duration = Duration::from_secs(60);

/// What became of one call of `shutdown`.
enum Outcome {
    /// It returned this.
    Returned(Result<Vec<CounterStats>, ShutdownError>),
    /// It panicked with this message.
    Panicked(String),
    /// It had not returned after [`LIMIT`].
    Hung,
}

/// One call of `shutdown`, and what the grader saw the moment it ended.
struct Call {
    /// What it returned.
    outcome: Outcome,
    /// Virtual time it took.
    took: Duration,
    /// Each counter's status when the call ended.
    statuses: Vec<ActorStatus>,
    /// How many transcript lines had been written when the call ended.
    lines_before: usize,
}

/// Calls `shutdown` once, catching a panic and giving up after [`LIMIT`].
async fn call_shutdown(counters: &mut Counters, transcript: &Transcript) -> Call {
    let start = Instant::now();
    let attempt = AssertUnwindSafe(counters.shutdown()).catch_unwind();
    let outcome = match tokio::time::timeout(LIMIT, attempt).await {
        Ok(Ok(result)) => Outcome::Returned(result),
        Ok(Err(panic)) => Outcome::Panicked(panic_message(panic.as_ref())),
        Err(_) => Outcome::Hung,
    };
    Call {
        outcome,
        took: start.elapsed(),
        statuses: counters.refs().iter().map(|c| c.get_status()).collect(),
        lines_before: transcript.lines().len(),
    }
}

/// The text of a panic, as `todo!()` and `panic!` write it.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "(a panic without a message)".to_string()
    }
}

impl Call {
    /// One line: what the call did, and how much virtual time it took.
    fn summary(&self) -> String {
        let what = match &self.outcome {
            Outcome::Returned(Ok(finals)) => {
                format!("returned Ok with {} counters' figures", finals.len())
            }
            Outcome::Returned(Err(error)) => format!("returned Err: {error}"),
            Outcome::Panicked(message) => format!("panicked: {message}"),
            Outcome::Hung => format!("did not return within {} s", LIMIT.as_secs()),
        };
        format!("{what}, in {} ms of virtual time", self.took.as_millis())
    }

    /// The figures it returned, if it returned them.
    fn finals(&self) -> &[CounterStats] {
        match &self.outcome {
            Outcome::Returned(Ok(finals)) => finals,
            _ => &[],
        }
    }
}

/// Starts `len` counters and waits until each has answered a question, so
/// that all of them are up and idle, waiting on an empty mailbox.
async fn start(len: usize, transcript: &Transcript) -> Counters {
    let counters = Counters::start(len, transcript).await.unwrap();
    for counter in counters.refs() {
        counter::get_value(counter, LIMIT)
            .await
            .expect("a new counter answers");
    }
    counters
}

/// Casts `per_counter` increments to every counter, of 1 to `counter-0`, of
/// 2 to `counter-1`, and so on, without yielding: when this returns, all of
/// them are queued and none handled. Returns how many were sent.
fn fill_mailboxes(counters: &Counters, per_counter: u64) -> u64 {
    let mut sent = 0;
    for (k, counter) in counters.refs().iter().enumerate() {
        let amount = k as i64 + 1;
        for _ in 0..per_counter {
            counter
                .cast(CounterMessage::Increment { amount })
                .expect("a running counter takes a cast");
            sent += 1;
        }
    }
    sent
}

/// Stops whatever `shutdown` left running, the way the workspace does it,
/// so that every counter has printed its last line before the report is
/// written. First a virtual second passes, in which a counter that was
/// told to stop but not waited for can finish.
async fn clean_up(counters: &Counters) {
    tokio::time::sleep(Duration::from_secs(1)).await;
    for counter in counters.refs() {
        if counter.get_status() != ActorStatus::Stopped {
            let _ = counter.drain_and_wait(Some(LIMIT)).await;
        }
    }
}

/// A counter's "stopped" line, read back: its id, final value, and
/// operations.
fn stopped_line(line: &str) -> Option<(&str, i64, u64)> {
    let (id, rest) = line
        .strip_prefix('[')?
        .split_once("] stopped: final value ")?;
    let (value, rest) = rest.split_once(" after ")?;
    let (operations, _) = rest.split_once(" operations")?;
    Some((id, value.parse().ok()?, operations.parse().ok()?))
}

/// The "stopped" lines written before the call ended and after it, each
/// group sorted, so that the order in which the counters stopped does not
/// matter, only whether they stopped in time.
fn stop_lines(call: &Call, transcript: &Transcript) -> String {
    let lines = transcript.lines();
    let (before, after) = lines.split_at(call.lines_before.min(lines.len()));
    let mut report = String::new();
    for (title, group) in [
        ("printed before shutdown returned:", before),
        ("printed after shutdown returned:", after),
    ] {
        let mut stops: Vec<&String> = group
            .iter()
            .filter(|line| stopped_line(line).is_some())
            .collect();
        stops.sort();
        writeln!(report, "{title}").unwrap();
        if stops.is_empty() {
            writeln!(report, "  (nothing)").unwrap();
        }
        for line in stops {
            writeln!(report, "  {line}").unwrap();
        }
    }
    report
}

/// Each counter's status at the moment the call ended.
fn statuses(call: &Call) -> String {
    let mut report = String::from("status of each counter when shutdown returned:\n");
    for (k, status) in call.statuses.iter().enumerate() {
        writeln!(report, "  counter-{k}  {status:?}").unwrap();
    }
    report
}

/// Thousands of operations are still queued when `shutdown` is called. All
/// of them are applied before the counters stop, and the figures it
/// returns are the ones each counter printed as it stopped.
#[tokio::test(start_paused = true)]
async fn nothing_queued_is_lost() {
    let transcript = Transcript::memory();
    let mut counters = start(3, &transcript).await;
    let sent = fill_mailboxes(&counters, 1000);

    let call = call_shutdown(&mut counters, &transcript).await;
    clean_up(&counters).await;

    let mut printed = vec![None; counters.refs().len()];
    for line in transcript.lines() {
        if let Some((id, value, operations)) = stopped_line(&line) {
            let k: usize = id.trim_start_matches("counter-").parse().unwrap();
            printed[k] = Some((value, operations));
        }
    }
    let mut report = format!("shutdown {}\n", call.summary());
    writeln!(report, "{:<11}{:<26}printed as it stopped", "", "returned").unwrap();
    let mut applied = 0;
    for (k, printed) in printed.iter().enumerate() {
        let returned = match call.finals().get(k) {
            Some(stats) => format!(
                "{} after {} ops",
                stats.current_value, stats.total_operations
            ),
            None => "-".to_string(),
        };
        let printed = match printed {
            Some((value, operations)) => {
                applied += operations;
                let late = if call.statuses[k] == ActorStatus::Stopped {
                    ""
                } else {
                    ", stopped later by the grader"
                };
                format!("{value} after {operations} ops{late}")
            }
            None => "nothing".to_string(),
        };
        writeln!(report, "counter-{k:<3}{returned:<26}{printed}").unwrap();
    }
    let lost = sent.saturating_sub(applied);
    writeln!(report, "sent {sent}, applied {applied}, lost {lost}").unwrap();
    grading::assert_report!(report);
}

/// When `shutdown` returns, every counter has stopped and its `post_stop`
/// has printed its final line: nothing is left to finish afterwards.
#[tokio::test(start_paused = true)]
async fn every_counter_has_stopped_when_shutdown_returns() {
    let transcript = Transcript::memory();
    let mut counters = start(3, &transcript).await;
    fill_mailboxes(&counters, 100);

    let call = call_shutdown(&mut counters, &transcript).await;
    clean_up(&counters).await;

    let mut report = format!("shutdown {}\n", call.summary());
    report.push_str(&statuses(&call));
    report.push_str(&stop_lines(&call, &transcript));
    grading::assert_report!(report);
}

/// A second call of `shutdown` is refused with a typed error, at once:
/// no panic, no hang.
#[tokio::test(start_paused = true)]
async fn a_second_shutdown_is_refused() {
    let transcript = Transcript::memory();
    let mut counters = start(2, &transcript).await;
    fill_mailboxes(&counters, 10);

    let first = call_shutdown(&mut counters, &transcript).await;
    let second = call_shutdown(&mut counters, &transcript).await;
    clean_up(&counters).await;

    let values: Vec<i64> = first.finals().iter().map(|s| s.current_value).collect();
    let report = format!(
        "first call:  {}\n  final values {values:?}\nsecond call: {}\n",
        first.summary(),
        second.summary(),
    );
    grading::assert_report!(report);
}

/// A counter that had stopped before the shutdown is named in a typed
/// error, and the counters after it are still shut down properly: a
/// shutdown that gives up halfway leaves actors running.
#[tokio::test(start_paused = true)]
async fn a_counter_that_had_stopped_is_named_and_the_rest_still_stop() {
    let transcript = Transcript::memory();
    let mut counters = start(3, &transcript).await;
    counters.refs()[1]
        .stop_and_wait(None, None)
        .await
        .expect("counter-1 stops");
    for k in [0, 2] {
        for _ in 0..50 {
            let one = CounterMessage::Increment { amount: 1 };
            counters.refs()[k]
                .cast(one)
                .expect("a running counter takes a cast");
        }
    }

    let call = call_shutdown(&mut counters, &transcript).await;
    clean_up(&counters).await;

    let mut report = String::from("counter-1 was stopped before the shutdown\n");
    writeln!(report, "shutdown {}", call.summary()).unwrap();
    report.push_str(&statuses(&call));
    report.push_str(&stop_lines(&call, &transcript));
    grading::assert_report!(report);
}
