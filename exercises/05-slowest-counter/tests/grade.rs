//! The grader for exercise 05: `slowest`, called by the aggregator on
//! every round.
//!
//! The counters are the real `counter::CounterActor`. Each test feeds them
//! increments at different paces on tokio's paused clock, then asks the
//! aggregator for the slowest. Two virtual seconds take no real time, and
//! every rate is exact: 8 operations in 2 s is 4.00 ops/s, every run.
//!
//! Each report lists what every counter did, as the grader saw it, and ends
//! with the aggregator's answer. If `slowest` panics, ractor stops the
//! aggregator, and the report says that the question went unanswered.

use std::fmt::Write;
use std::time::Duration;

use actors_core::{CounterStats, Transcript};
use aggregator::HungCounter;
use counter::{CounterActor, CounterArgs, CounterMessage, ask, get_stats};
use exercise_05_slowest_counter::{SlowestAggregator, SlowestMessage};
use ractor::{Actor, ActorRef};
use tokio::time::Instant;

/// How long a round waits for each counter, in virtual time.
const CALL_TIMEOUT: Duration = Duration::from_secs(1);

/// How long the grader waits for the aggregator's answer: more than a round.
const PATIENCE: Duration = Duration::from_secs(10);

/// The feeding clock's step. Every pace below is a multiple of it.
const TICK_MS: u64 = 50;

async fn aggregator() -> ActorRef<SlowestMessage> {
    let (aggregator, _) = Actor::spawn(None, SlowestAggregator, CALL_TIMEOUT)
        .await
        .expect("the given aggregator always starts");
    aggregator
}

/// Starts a real counter. Its transcript is discarded: the report is the
/// grader's own.
async fn counter(id: &str) -> ActorRef<CounterMessage> {
    let args = CounterArgs {
        id: id.to_string(),
        transcript: Transcript::discard(),
    };
    let (counter, _) = Actor::spawn(None, CounterActor, args)
        .await
        .expect("a counter always starts");
    counter
}

fn register(aggregator: &ActorRef<SlowestMessage>, id: &str, counter: &ActorRef<CounterMessage>) {
    aggregator
        .cast(SlowestMessage::Register {
            id: id.to_string(),
            counter: counter.clone(),
        })
        .expect("the aggregator is running");
}

/// Lets `for_ms` virtual milliseconds pass, casting one increment to each
/// counter every `pace_ms` of its own, the first at once.
async fn feed(counters: &[(&ActorRef<CounterMessage>, u64)], for_ms: u64) {
    for tick in 0..for_ms / TICK_MS {
        for &(counter, pace_ms) in counters {
            if (tick * TICK_MS) % pace_ms == 0 {
                counter
                    .cast(CounterMessage::Increment { amount: 1 })
                    .expect("the counter is running");
            }
        }
        tokio::time::sleep(Duration::from_millis(TICK_MS)).await;
    }
}

/// "counter-0: 20 ops, 10.00 ops/s", read straight from the counter.
async fn line(id: &str, counter: &ActorRef<CounterMessage>) -> String {
    match get_stats(counter, CALL_TIMEOUT).await {
        Ok(CounterStats {
            total_operations,
            operations_per_second,
            ..
        }) => format!("{id}: {total_operations} ops, {operations_per_second:.2} ops/s"),
        Err(error) => format!("{id}: {error}"),
    }
}

/// The aggregator's answer, or why there was none.
async fn ask_slowest(aggregator: &ActorRef<SlowestMessage>) -> String {
    match ask(aggregator, SlowestMessage::GetSlowest, PATIENCE).await {
        Ok(report) => report.to_string(),
        Err(error) => format!("slowest: no answer from the aggregator: {error}"),
    }
}

/// Three counters fed at three paces for 2 s: the slowest is the one with
/// the lowest rate, and its rate is the one it reported.
#[tokio::test(start_paused = true)]
async fn the_slowest_has_the_lowest_rate() {
    let aggregator = aggregator().await;
    let ids = ["counter-0", "counter-1", "counter-2"];
    let mut counters = Vec::new();
    for id in ids {
        let counter = counter(id).await;
        register(&aggregator, id, &counter);
        counters.push(counter);
    }

    // One increment every 100 ms, 250 ms and 50 ms.
    feed(
        &[(&counters[0], 100), (&counters[1], 250), (&counters[2], 50)],
        2_000,
    )
    .await;

    let mut report = String::new();
    for (id, counter) in ids.iter().zip(&counters) {
        writeln!(report, "{}", line(id, counter).await).unwrap();
    }
    writeln!(report, "{}", ask_slowest(&aggregator).await).unwrap();
    grading::assert_report!(report);
}

/// Two counters tie at the lowest rate: the one registered first is the
/// slowest. Here that is `counter-b`, which was registered before
/// `counter-a`, so neither name order nor "the last one seen" gives it.
#[tokio::test(start_paused = true)]
async fn a_tie_goes_to_the_counter_registered_first() {
    let aggregator = aggregator().await;
    let ids = ["counter-c", "counter-b", "counter-a"];
    let mut counters = Vec::new();
    for id in ids {
        let counter = counter(id).await;
        register(&aggregator, id, &counter);
        counters.push(counter);
    }

    feed(
        &[
            (&counters[0], 100),
            (&counters[1], 250),
            (&counters[2], 250),
        ],
        2_000,
    )
    .await;

    let mut report = String::from("registered in this order:\n");
    for (id, counter) in ids.iter().zip(&counters) {
        writeln!(report, "{}", line(id, counter).await).unwrap();
    }
    writeln!(report, "{}", ask_slowest(&aggregator).await).unwrap();
    grading::assert_report!(report);
}

/// A counter that has done nothing answers with 0 ops/s, and it is the
/// slowest: it answered, so it takes part.
#[tokio::test(start_paused = true)]
async fn a_counter_that_did_nothing_is_the_slowest() {
    let aggregator = aggregator().await;
    let busy = counter("busy").await;
    let idle = counter("idle").await;
    register(&aggregator, "busy", &busy);
    register(&aggregator, "idle", &idle);

    feed(&[(&busy, 100)], 2_000).await;

    let mut report = String::new();
    writeln!(report, "{}", line("busy", &busy).await).unwrap();
    writeln!(report, "{}", line("idle", &idle).await).unwrap();
    writeln!(report, "{}", ask_slowest(&aggregator).await).unwrap();
    grading::assert_report!(report);
}

/// Counters that do not answer (one that never replies, one that has
/// stopped) are left out of the choice, not taken as 0 ops/s, and the
/// report says how many there were. The round waits one timeout for the
/// one that never replies.
#[tokio::test(start_paused = true)]
async fn counters_that_do_not_answer_are_left_out() {
    let aggregator = aggregator().await;
    let fast = counter("counter-0").await;
    let (deaf, _) = Actor::spawn(None, HungCounter, ()).await.unwrap();
    let slow = counter("counter-2").await;
    let stopped = counter("counter-3").await;
    register(&aggregator, "counter-0", &fast);
    register(&aggregator, "counter-1", &deaf);
    register(&aggregator, "counter-2", &slow);
    register(&aggregator, "counter-3", &stopped);
    stopped.stop_and_wait(None, None).await.unwrap();

    feed(&[(&fast, 100), (&slow, 250)], 2_000).await;

    let mut report = String::new();
    writeln!(report, "{}", line("counter-0", &fast).await).unwrap();
    writeln!(report, "counter-1: never answers").unwrap();
    writeln!(report, "{}", line("counter-2", &slow).await).unwrap();
    writeln!(report, "counter-3: stopped before the round").unwrap();
    let started = Instant::now();
    writeln!(report, "{}", ask_slowest(&aggregator).await).unwrap();
    writeln!(
        report,
        "the round took {:.1} s",
        started.elapsed().as_secs_f64()
    )
    .unwrap();
    grading::assert_report!(report);
}

/// With no answer there is no slowest counter: neither in an empty system
/// nor when every registered counter is silent. The aggregator says so and
/// keeps running.
#[tokio::test(start_paused = true)]
async fn no_answers_no_slowest() {
    let empty = aggregator().await;
    let all_silent = aggregator().await;
    let (deaf, _) = Actor::spawn(None, HungCounter, ()).await.unwrap();
    let stopped = counter("counter-1").await;
    register(&all_silent, "counter-0", &deaf);
    register(&all_silent, "counter-1", &stopped);
    stopped.stop_and_wait(None, None).await.unwrap();

    let mut report = String::new();
    writeln!(report, "no counters:   {}", ask_slowest(&empty).await).unwrap();
    writeln!(report, "asked again:   {}", ask_slowest(&empty).await).unwrap();
    writeln!(report, "none answers:  {}", ask_slowest(&all_silent).await).unwrap();
    grading::assert_report!(report);
}

/// The rate is over each counter's own lifetime, not a count of operations:
/// a counter started late with fewer operations can still be the faster
/// one. `early` has done 11 operations in 2 s (5.50 ops/s); `late`, started
/// at 1.5 s, has done 3 in 0.5 s (6.00 ops/s).
#[tokio::test(start_paused = true)]
async fn the_rate_is_over_each_counters_own_lifetime() {
    let aggregator = aggregator().await;
    let early = counter("early").await;
    register(&aggregator, "early", &early);

    feed(&[(&early, 200)], 1_500).await;
    let late = counter("late").await;
    register(&aggregator, "late", &late);
    feed(&[(&early, 200), (&late, 200)], 500).await;

    let mut report = String::new();
    writeln!(report, "{}, started at 0.0 s", line("early", &early).await).unwrap();
    writeln!(report, "{}, started at 1.5 s", line("late", &late).await).unwrap();
    writeln!(report, "{}", ask_slowest(&aggregator).await).unwrap();
    grading::assert_report!(report);
}
