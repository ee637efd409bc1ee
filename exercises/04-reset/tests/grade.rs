//! The grader for exercise 04: `reset` on a ractor counter.
//!
//! Each test plays a script against a fresh counter and writes down what
//! every step got back, one line per step, with the virtual time in front.
//! Time runs on tokio's paused clock, so "wait 2 s" takes no real time and
//! every rate comes out exact.
//!
//! A question the counter does not answer shows up in the report as
//! "no answer", with the reason. That is what a panic or an `Err` inside
//! `reset` looks like from outside: ractor stops the counter, and every
//! question after that fails at once instead of hanging.

use std::fmt::{self, Write};
use std::time::Duration;

use actors_core::CounterStats;
use counter::{AskError, ask};
use exercise_04_reset::{CounterMessage, ResettableCounter};
use ractor::{Actor, ActorRef};
use tokio::time::Instant;

/// How long the grader waits for any one answer, in virtual time.
const PATIENCE: Duration = Duration::from_secs(1);

/// One step of a script.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// Cast `Increment`, then report the value and whether it was rejected.
    Inc(i64),
    /// Cast `Decrement`, then report as for `Inc`.
    Dec(i64),
    /// Ask `GetValue`.
    Get,
    /// Ask `GetStats`.
    Stats,
    /// Ask `Reset`, and report its answer.
    Reset,
    /// Send `Reset` from a caller who has already stopped waiting.
    ResetUnheard,
    /// Let this many virtual milliseconds pass.
    Wait(u64),
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Inc(amount) => write!(f, "inc {amount}"),
            Step::Dec(amount) => write!(f, "dec {amount}"),
            Step::Get => write!(f, "get"),
            Step::Stats => write!(f, "stats"),
            Step::Reset => write!(f, "reset"),
            Step::ResetUnheard => write!(f, "reset, from a caller who no longer waits"),
            Step::Wait(ms) => write!(f, "wait {} s", *ms as f64 / 1000.0),
        }
    }
}

/// A period's figures in one phrase: "5 over 1 ops, 0 rejected, 0.50 ops/s".
fn figures(stats: &CounterStats) -> String {
    format!(
        "{} over {} ops, {} rejected, {:.2} ops/s",
        stats.current_value,
        stats.total_operations,
        stats.rejected_operations,
        stats.operations_per_second
    )
}

/// The same without the rate, where no time passes and every rate is zero.
fn counts(stats: &CounterStats) -> String {
    format!(
        "{} over {} ops, {} rejected",
        stats.current_value, stats.total_operations, stats.rejected_operations
    )
}

/// Starts a fresh counter.
async fn start() -> ActorRef<CounterMessage> {
    let (counter, _) = Actor::spawn(None, ResettableCounter, ())
        .await
        .expect("the given counter always starts");
    counter
}

async fn stats(counter: &ActorRef<CounterMessage>) -> Result<CounterStats, AskError> {
    ask(counter, CounterMessage::GetStats, PATIENCE).await
}

/// Casts an operation and says what became of it.
async fn operate(counter: &ActorRef<CounterMessage>, message: CounterMessage) -> String {
    let before = stats(counter).await;
    if counter.cast(message).is_err() {
        return "not sent: the counter has stopped".to_string();
    }
    match (before, stats(counter).await) {
        (Ok(before), Ok(after)) if after.rejected_operations > before.rejected_operations => {
            format!("rejected, value {}", after.current_value)
        }
        (_, Ok(after)) => format!("value {}", after.current_value),
        (_, Err(error)) => format!("no answer: {error}"),
    }
}

/// Plays `script` against a fresh counter and returns the report.
async fn play(script: &[Step]) -> String {
    let counter = start().await;
    let zero = Instant::now();
    let mut report = String::new();
    for &step in script {
        let at = zero.elapsed().as_secs_f64();
        let outcome = match step {
            Step::Inc(amount) => operate(&counter, CounterMessage::Increment { amount }).await,
            Step::Dec(amount) => operate(&counter, CounterMessage::Decrement { amount }).await,
            Step::Get => match ask(&counter, CounterMessage::GetValue, PATIENCE).await {
                Ok(value) => value.to_string(),
                Err(error) => format!("no answer: {error}"),
            },
            Step::Stats => match stats(&counter).await {
                Ok(stats) => figures(&stats),
                Err(error) => format!("no answer: {error}"),
            },
            Step::Reset => match ask(&counter, CounterMessage::Reset, PATIENCE).await {
                Ok(ended) => format!("was {}", figures(&ended)),
                Err(error) => format!("no answer: {error}"),
            },
            Step::ResetUnheard => {
                let (port, receiver) = tokio::sync::oneshot::channel();
                drop(receiver);
                match counter.cast(CounterMessage::Reset(port.into())) {
                    Ok(()) => String::new(),
                    Err(_) => "not sent: the counter has stopped".to_string(),
                }
            }
            Step::Wait(ms) => {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                String::new()
            }
        };
        write!(report, "{at:>4.1} s  {step}").unwrap();
        if !outcome.is_empty() {
            write!(report, " -> {outcome}").unwrap();
        }
        report.push('\n');
    }
    report
}

/// A reset answers with the period it ends (value, operations, rate over
/// the period) and the next period starts from zero, its clock included: a
/// second reset reports only what came after the first.
#[tokio::test(start_paused = true)]
async fn a_reset_answers_with_the_period_it_ends() {
    use Step::*;

    let report = play(&[
        Inc(5),
        Wait(2_000),
        Reset,
        Get,
        Stats,
        Inc(3),
        Dec(1),
        Wait(1_000),
        Stats,
        Reset,
        Wait(500),
        Reset,
    ])
    .await;

    grading::assert_report!(report);
}

/// A reset sees exactly the messages queued in front of it, in mailbox
/// order: 600 increments before it are in its answer, 400 after it are in
/// the next period, and none is lost or counted twice.
#[tokio::test(start_paused = true)]
async fn a_reset_splits_the_mailbox_where_it_stands() {
    const BEFORE: u64 = 600;
    const AFTER: u64 = 400;
    let counter = start().await;

    // Every message below is in the mailbox before the counter handles the
    // first: this task does not yield until it awaits the answers.
    let mut undelivered = 0;
    let one = || CounterMessage::Increment { amount: 1 };
    for _ in 0..BEFORE {
        undelivered += u64::from(counter.cast(one()).is_err());
    }
    let (port, reset_answer) = tokio::sync::oneshot::channel();
    counter.cast(CounterMessage::Reset(port.into())).unwrap();
    for _ in 0..AFTER {
        undelivered += u64::from(counter.cast(one()).is_err());
    }
    let after = stats(&counter).await;
    let ended = reset_answer.await;

    let mut report = format!(
        "queued: {BEFORE} x inc 1, reset, {AFTER} x inc 1, stats ({undelivered} not delivered)\n"
    );
    let mut accounted = 0;
    match ended {
        Ok(ended) => {
            accounted += ended.total_operations;
            writeln!(report, "reset -> was {}", counts(&ended)).unwrap();
        }
        Err(_) => report.push_str("reset -> no answer: the counter dropped the question\n"),
    }
    match after {
        Ok(after) => {
            accounted += after.total_operations;
            writeln!(report, "stats -> {}", counts(&after)).unwrap();
        }
        Err(error) => writeln!(report, "stats -> no answer: {error}").unwrap(),
    }
    writeln!(
        report,
        "accounted for: {accounted} of {} increments",
        BEFORE + AFTER
    )
    .unwrap();

    grading::assert_report!(report);
}

/// The reject rules hold on both sides of a reset. Rejections belong to
/// their period like everything else; a reset from `i64::MAX` or from a
/// negative value lands on exactly zero, and is not itself an operation
/// that could be refused.
#[tokio::test(start_paused = true)]
async fn the_reject_rules_hold_across_a_reset() {
    use Step::*;

    let report = play(&[
        Inc(i64::MAX),
        Inc(1),
        Dec(-3),
        Wait(1_000),
        Reset,
        Inc(1),
        Inc(-1),
        Dec(5),
        Wait(1_000),
        Reset,
        Stats,
        Inc(i64::MAX),
        Inc(1),
        Dec(i64::MAX),
    ])
    .await;

    grading::assert_report!(report);
}

/// A caller who stops waiting for the answer does not stop the counter:
/// the reset still happens, and the counter goes on answering.
#[tokio::test(start_paused = true)]
async fn a_caller_who_gives_up_does_not_stop_the_counter() {
    use Step::*;

    let report = play(&[
        Inc(7),
        Wait(1_000),
        ResetUnheard,
        Get,
        Inc(1),
        Wait(1_000),
        Stats,
    ])
    .await;

    grading::assert_report!(report);
}
