//! Facts about the `AggregatorActor`, each shown by a test.
//!
//! Time-based tests run on tokio's paused clock. When every task is waiting,
//! the clock jumps straight to the next timer, so "a round took exactly one
//! timeout" is something a test can check to the nanosecond without waiting.

use std::time::Duration;

use actors_core::{AggregatedStats, Transcript};
use aggregator::{
    AggregatorActor, AggregatorArgs, AggregatorError, AggregatorMessage, HungCounter, SlowLink,
};
use counter::{CounterActor, CounterArgs, CounterMessage};
use ractor::{Actor, ActorRef};
use tokio::time::Instant;

const TIMEOUT: Duration = Duration::from_secs(1);

/// An aggregator that collects only when asked, writing to `transcript`.
async fn aggregator_on_request(transcript: &Transcript) -> ActorRef<AggregatorMessage> {
    let args = AggregatorArgs {
        collect_every: None,
        call_timeout: TIMEOUT,
        transcript: transcript.clone(),
    };
    let (aggregator, _) = Actor::spawn(None, AggregatorActor, args).await.unwrap();
    aggregator
}

async fn counter(id: &str, transcript: &Transcript) -> ActorRef<CounterMessage> {
    let args = CounterArgs {
        id: id.to_string(),
        transcript: transcript.clone(),
    };
    let (counter, _) = Actor::spawn(None, CounterActor, args).await.unwrap();
    counter
}

fn register(aggregator: &ActorRef<AggregatorMessage>, id: &str, counter: ActorRef<CounterMessage>) {
    aggregator
        .cast(AggregatorMessage::RegisterCounter {
            id: id.to_string(),
            counter,
        })
        .unwrap();
}

/// Runs one round and returns its result. The cast and the call come from the
/// same task, so the aggregator finishes the round before it answers.
async fn collect(aggregator: &ActorRef<AggregatorMessage>) -> AggregatedStats {
    aggregator.cast(AggregatorMessage::CollectStats).unwrap();
    total(aggregator).await
}

async fn total(aggregator: &ActorRef<AggregatorMessage>) -> AggregatedStats {
    ractor::call_t!(aggregator, AggregatorMessage::GetTotalStats, 5_000).unwrap()
}

/// Before any round has run, the total already knows how many counters are
/// registered. The article's version answers zero here.
#[tokio::test]
async fn total_before_the_first_round_counts_registered_counters() {
    let transcript = Transcript::memory();
    let aggregator = aggregator_on_request(&transcript).await;
    for id in ["a", "b", "c"] {
        register(&aggregator, id, counter(id, &transcript).await);
    }

    let stats = total(&aggregator).await;

    assert_eq!(stats.num_counters, 3);
    assert_eq!(stats.total_operations, 0);
}

/// A round adds up every counter's value and operations.
#[tokio::test]
async fn a_round_sums_every_counter() {
    let transcript = Transcript::memory();
    let aggregator = aggregator_on_request(&transcript).await;
    for (id, amount) in [("a", 1), ("b", 10), ("c", 100)] {
        let counter = counter(id, &transcript).await;
        counter.cast(CounterMessage::Increment { amount }).unwrap();
        counter.cast(CounterMessage::Increment { amount }).unwrap();
        register(&aggregator, id, counter);
    }

    let stats = collect(&aggregator).await;

    assert_eq!(stats.total_value, 222);
    assert_eq!(stats.total_operations, 6);
    assert_eq!(stats.num_counters, 3);
    assert_eq!(stats.unresponsive_counters, 0);
}

/// With a period, the aggregator collects on ractor's timer: the first round
/// one period after start, then one per period.
#[tokio::test(start_paused = true)]
async fn rounds_follow_the_timer() {
    let transcript = Transcript::memory();
    let args = AggregatorArgs::new(transcript.clone());
    let (aggregator, _) = Actor::spawn(None, AggregatorActor, args).await.unwrap();
    let counter = counter("a", &transcript).await;
    register(&aggregator, "a", counter.clone());
    counter
        .cast(CounterMessage::Increment { amount: 5 })
        .unwrap();

    tokio::time::sleep(Duration::from_millis(1_999)).await;
    let rounds_before_two_seconds = transcript.text().matches("round").count();
    tokio::time::sleep(Duration::from_millis(4_002)).await;
    let rounds_by_six_seconds = transcript.text().matches("round").count();

    assert_eq!(rounds_before_two_seconds, 0);
    assert_eq!(rounds_by_six_seconds, 3);
    assert_eq!(total(&aggregator).await.total_value, 5);
}

/// A counter that has stopped is removed on the first round that finds it
/// gone, counted once as dropped, and not asked again.
#[tokio::test]
async fn a_stopped_counter_leaves_the_registry() {
    let transcript = Transcript::memory();
    let aggregator = aggregator_on_request(&transcript).await;
    let mut counters = Vec::new();
    for id in ["a", "b", "c"] {
        let counter = counter(id, &transcript).await;
        register(&aggregator, id, counter.clone());
        counters.push(counter);
    }
    counters[1].stop_and_wait(None, None).await.unwrap();

    let first = collect(&aggregator).await;
    let second = collect(&aggregator).await;

    assert_eq!((first.num_counters, first.dropped_counters), (2, 1));
    assert_eq!((second.num_counters, second.dropped_counters), (2, 1));
    assert_eq!(transcript.text().matches("b has stopped").count(), 1);
}

/// A stopped counter costs the round no time at all: the question cannot be
/// sent, and that is known at once.
#[tokio::test(start_paused = true)]
async fn a_dead_counter_costs_no_waiting() {
    let transcript = Transcript::memory();
    let aggregator = aggregator_on_request(&transcript).await;
    let dead = counter("dead", &transcript).await;
    register(&aggregator, "dead", dead.clone());
    dead.stop_and_wait(None, None).await.unwrap();

    let started = Instant::now();
    collect(&aggregator).await;

    assert_eq!(started.elapsed(), Duration::ZERO);
}

/// Three counters that never answer cost the round one timeout, not three:
/// the questions are asked together and time out together. The counter that
/// does answer is still added up.
#[tokio::test(start_paused = true)]
async fn hung_counters_cost_one_timeout_per_round() {
    let transcript = Transcript::memory();
    let aggregator = aggregator_on_request(&transcript).await;
    for id in ["h1", "h2", "h3"] {
        let (hung, _) = Actor::spawn(None, HungCounter, ()).await.unwrap();
        register(&aggregator, id, hung);
    }
    let alive = counter("alive", &transcript).await;
    alive.cast(CounterMessage::Increment { amount: 9 }).unwrap();
    register(&aggregator, "alive", alive);

    let started = Instant::now();
    let stats = collect(&aggregator).await;

    assert_eq!(started.elapsed(), TIMEOUT);
    assert_eq!(stats.total_value, 9);
    assert_eq!(stats.num_counters, 4);
    assert_eq!(stats.unresponsive_counters, 3);
    assert!(transcript.text().contains("(3 of 4 did not answer)"));
}

/// Registering the same counter twice does not count it twice.
#[tokio::test]
async fn registering_twice_counts_once() {
    let transcript = Transcript::memory();
    let aggregator = aggregator_on_request(&transcript).await;
    let counter = counter("a", &transcript).await;
    counter
        .cast(CounterMessage::Increment { amount: 4 })
        .unwrap();
    register(&aggregator, "a", counter.clone());
    register(&aggregator, "a again", counter);

    let stats = collect(&aggregator).await;

    assert_eq!((stats.num_counters, stats.total_value), (1, 4));
    assert!(transcript.text().contains("a again is already registered"));
}

/// The total is not a snapshot. Two counters start at 0; a transfer moves 1
/// from `a` to `b`, so before it the sum is 0 and after it the sum is 0. The
/// round reads `a` before the transfer and `b` (over a slow link) after it,
/// and reports a sum of 1: a state the system was never in.
#[tokio::test(start_paused = true)]
async fn the_total_is_not_a_snapshot() {
    let transcript = Transcript::memory();
    let aggregator = aggregator_on_request(&transcript).await;
    let a = counter("a", &transcript).await;
    let b = counter("b", &transcript).await;
    let (b_slow, _) = Actor::spawn(
        None,
        SlowLink {
            delay: Duration::from_millis(5),
        },
        b.clone(),
    )
    .await
    .unwrap();
    register(&aggregator, "a", a.clone());
    register(&aggregator, "b", b_slow);

    aggregator.cast(AggregatorMessage::CollectStats).unwrap();
    // The round is under way: `a` has answered 0, `b`'s question is delayed.
    tokio::time::sleep(Duration::from_millis(1)).await;
    a.cast(CounterMessage::Decrement { amount: 1 }).unwrap();
    b.cast(CounterMessage::Increment { amount: 1 }).unwrap();
    let seen = total(&aggregator).await;

    assert_eq!(seen.total_value, 1);
    assert_eq!(collect(&aggregator).await.total_value, 0);
}

/// Settings that cannot work stop the aggregator from starting, with an
/// error that says which.
#[tokio::test]
async fn zero_settings_are_refused_at_start() {
    let transcript = Transcript::memory();
    let zero_period = AggregatorArgs {
        collect_every: Some(Duration::ZERO),
        ..AggregatorArgs::new(transcript.clone())
    };
    let zero_timeout = AggregatorArgs {
        call_timeout: Duration::ZERO,
        ..AggregatorArgs::new(transcript)
    };

    for (args, expected) in [
        (zero_period, AggregatorError::ZeroPeriod),
        (zero_timeout, AggregatorError::ZeroTimeout),
    ] {
        let error = Actor::spawn(None, AggregatorActor, args).await.unwrap_err();
        assert!(error.to_string().contains(&expected.to_string()), "{error}");
    }
}

/// Draining the aggregator ends its rounds, and its last line says how many
/// ran: in 4.5 virtual seconds, the timer fired at 2 s and at 4 s.
#[tokio::test(start_paused = true)]
async fn stopping_reports_the_rounds_that_ran() {
    let transcript = Transcript::memory();
    let args = AggregatorArgs::new(transcript.clone());
    let (aggregator, handle) = Actor::spawn(None, AggregatorActor, args).await.unwrap();
    tokio::time::sleep(Duration::from_millis(4_500)).await;

    aggregator.drain_and_wait(None).await.unwrap();
    handle.await.unwrap();

    assert_eq!(
        transcript.lines().last().unwrap(),
        "[aggregator] stopped after 2 rounds"
    );
}
