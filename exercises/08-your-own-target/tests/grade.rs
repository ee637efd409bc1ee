//! The grader for exercise 08: `Batching` as a benchmark target.
//!
//! The first test runs the counting benchmark's own workload, `feed`, at a
//! small scale, and reports counts, never timings: wherever it runs,
//! every increment sent must be applied. The second puts a recording actor
//! behind the front, in place of a `CounterActor`, and lists every message
//! that reaches it.

use std::num::NonZeroUsize;
use std::time::Duration;

use actors_core::{CounterStats, Operation, Transcript};
use counter::{CounterMessage, get_stats, get_value};
use exercise_08_your_own_target::{Batching, MeasureError, Target, feed};
use ractor::{Actor, ActorProcessingErr, ActorRef};

/// How long the grader waits for an answer of its own.
const PATIENCE: Duration = Duration::from_secs(10);

/// Runs `feed` with 1, 2, 4 and 8 producers, `total` increments each time,
/// into a fresh counter behind a front of batches of `batch`, and reports
/// what `settle` read and what the counter holds.
async fn feed_report(total: u64, batch: NonZeroUsize) -> String {
    let mut report = format!("{total} increments, batches of {batch}, into one CounterActor\n");
    let mut broken = false;
    for producers in [1, 2, 4, 8] {
        // A run that panicked says so once; the others would only repeat it.
        if broken {
            report.push_str(&format!("producers {producers}: not run\n"));
            continue;
        }
        let (target, task) = Batching::spawn(batch).await.expect("a counter starts");
        let read = match feed(target.clone(), producers, total).await {
            Ok(_elapsed) => format!("settle read {total} of {total}"),
            Err(MeasureError::WrongTotal { expected, read }) => {
                format!("settle read {read} of {expected}")
            }
            Err(error) => {
                broken = true;
                format!("failed: {error}")
            }
        };
        // The grader's own question, after `settle`: what the counter
        // really holds, whatever `settle` said.
        let holds = match get_value(target.counter(), PATIENCE).await {
            Ok(value) => value.to_string(),
            Err(error) => format!("no answer ({error})"),
        };
        report.push_str(&format!(
            "producers {producers}: {read}, the counter holds {holds}\n"
        ));
        target.counter().stop(None);
        let _ = task.await;
    }
    report
}

/// The counting workload, with 1, 2, 4 and 8 producers on two worker
/// threads: every increment handed over is applied by the time `settle`
/// answers, including the last batch, which is not full.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_increment_arrives_at_every_producer_count() {
    // 10,000 is not a multiple of 64: 16 increments are left over for the
    // last, short batch.
    let report = feed_report(10_000, NonZeroUsize::new(64).unwrap()).await;
    grading::assert_report!(report);
}

/// An actor that understands a counter's messages and writes down each one
/// it receives. It adds up what it is sent, so that `GetValue` has an
/// answer. `GetStats` is the grader's own way to wait until the actor has
/// handled everything sent before it, and is not written down.
struct Recorder;

impl Actor for Recorder {
    type Msg = CounterMessage;
    type State = (i64, Transcript);
    type Arguments = Transcript;

    async fn pre_start(
        &self,
        _: ActorRef<CounterMessage>,
        log: Transcript,
    ) -> Result<(i64, Transcript), ActorProcessingErr> {
        Ok((0, log))
    }

    async fn handle(
        &self,
        _: ActorRef<CounterMessage>,
        message: CounterMessage,
        (total, log): &mut (i64, Transcript),
    ) -> Result<(), ActorProcessingErr> {
        match message {
            CounterMessage::Increment { amount } => {
                *total += amount;
                log.line(format_args!("  Increment by {amount}"));
            }
            CounterMessage::Decrement { amount } => {
                *total -= amount;
                log.line(format_args!("  Decrement by {amount}"));
            }
            CounterMessage::Batch(ops) => {
                for op in &ops {
                    match op {
                        Operation::Increment { amount } => *total += amount,
                        Operation::Decrement { amount } => *total -= amount,
                    }
                }
                log.line(format_args!("  Batch of {}", ops.len()));
            }
            CounterMessage::GetValue(reply) => {
                log.line(format_args!("  GetValue, answered {total}"));
                let _ = reply.send(*total);
            }
            CounterMessage::GetStats(reply) => {
                let _ = reply.send(CounterStats::from_figures(*total, 0, 0, Duration::ZERO));
            }
            // Numbered and admitted operations belong to supervision and
            // backpressure; no target sends them.
            other @ (CounterMessage::Apply(_)
            | CounterMessage::GetClient { .. }
            | CounterMessage::Admitted { .. }) => {
                log.line(format_args!("  unexpected {other:?}"));
            }
        }
        Ok(())
    }
}

/// Increments travel in full batches, the leftover goes out with `settle`
/// ahead of its question, and a `settle` with nothing new sends nothing
/// but the question: no empty batch, no increment sent twice.
#[tokio::test]
async fn increments_travel_in_full_batches() {
    let log = Transcript::memory();
    let (recorder, _task) = Actor::spawn(None, Recorder, log.clone())
        .await
        .expect("the recorder starts");
    let target = Batching::new(recorder.clone(), NonZeroUsize::new(4).unwrap());

    let mut report = String::new();
    let mut seen = 0;
    let steps: [(&str, u32); 3] = [
        ("10 increments, then settle", 10),
        ("settle again, with nothing new", 0),
        ("4 more increments, then settle", 4),
    ];
    for (title, increments) in steps {
        for _ in 0..increments {
            target
                .increment()
                .expect("the recorder takes every message");
        }
        let settled = target.settle().await;
        // Everything sent before this question has been handled when it
        // is answered, so the log is complete up to here.
        get_stats(&recorder, PATIENCE)
            .await
            .expect("the recorder answers");
        report.push_str(&format!("{title}:\n"));
        let lines = log.lines();
        for line in &lines[seen..] {
            report.push_str(line);
            report.push('\n');
        }
        seen = lines.len();
        report.push_str(&format!("  settle returned {settled:?}\n"));
    }
    grading::assert_report!(report);
}
