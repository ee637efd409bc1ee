//! Facts about one `CounterActor`, each shown by a test.
//!
//! Every test runs on tokio's current-thread runtime, and the ones that need
//! time run on its paused clock, so none of them waits in real time.

use std::time::Duration;

use actors_core::{Operation, Transcript};
use counter::{AskError, CounterActor, CounterArgs, CounterMessage, get_stats, get_value};
use ractor::{Actor, ActorRef};

const PATIENCE: Duration = Duration::from_secs(1);

/// Starts a counter that writes into a transcript the test can read.
async fn start(id: &str) -> (ActorRef<CounterMessage>, Transcript) {
    let transcript = Transcript::memory();
    let args = CounterArgs {
        id: id.to_string(),
        transcript: transcript.clone(),
    };
    let (counter, _handle) = Actor::spawn(None, CounterActor, args)
        .await
        .expect("a counter always starts");
    (counter, transcript)
}

fn cast(counter: &ActorRef<CounterMessage>, message: CounterMessage) {
    counter.cast(message).expect("the counter is running");
}

/// A `call` made after a run of casts from the same task sees all of them:
/// one sender's messages arrive in the order they were sent.
#[tokio::test]
async fn a_call_after_casts_sees_every_cast() {
    let (counter, _) = start("c").await;
    for i in 0..100 {
        let message = if i % 4 == 0 {
            CounterMessage::Decrement { amount: 3 }
        } else {
            CounterMessage::Increment { amount: 2 }
        };
        cast(&counter, message);
    }
    // 75 increments by 2, 25 decrements by 3.
    assert_eq!(get_value(&counter, PATIENCE).await, Ok(75));
}

/// Operations per second are exact on the paused clock: 50 operations, then
/// 2 virtual seconds, give 25.0, with no rounding to hide behind.
#[tokio::test(start_paused = true)]
async fn rate_is_exact_in_virtual_time() {
    let (counter, _) = start("c").await;
    for _ in 0..50 {
        cast(&counter, CounterMessage::Increment { amount: 1 });
    }
    tokio::time::sleep(Duration::from_secs(2)).await;

    let stats = get_stats(&counter, PATIENCE).await.unwrap();

    assert_eq!(stats.current_value, 50);
    assert_eq!(stats.total_operations, 50);
    assert_eq!(stats.operations_per_second, 25.0);
}

/// Overflow past `i64::MAX` is refused: the value stays, the operation is
/// not counted as applied, and it is counted as rejected.
#[tokio::test]
async fn overflow_at_the_top_is_rejected() {
    let (counter, _) = start("c").await;
    cast(&counter, CounterMessage::Increment { amount: i64::MAX });
    cast(&counter, CounterMessage::Increment { amount: 1 });

    let stats = get_stats(&counter, PATIENCE).await.unwrap();

    assert_eq!(stats.current_value, i64::MAX);
    assert_eq!(stats.total_operations, 1);
    assert_eq!(stats.rejected_operations, 1);
}

/// Overflow past `i64::MIN` is refused the same way, and the counter keeps
/// working afterwards.
#[tokio::test]
async fn overflow_at_the_bottom_is_rejected() {
    let (counter, _) = start("c").await;
    cast(&counter, CounterMessage::Decrement { amount: i64::MAX });
    cast(&counter, CounterMessage::Decrement { amount: 2 });
    cast(&counter, CounterMessage::Decrement { amount: 1 });

    let stats = get_stats(&counter, PATIENCE).await.unwrap();
    assert_eq!(stats.current_value, i64::MIN);
    assert_eq!(stats.total_operations, 2);
    assert_eq!(stats.rejected_operations, 1);

    cast(&counter, CounterMessage::Increment { amount: 5 });
    assert_eq!(get_value(&counter, PATIENCE).await, Ok(i64::MIN + 5));
}

/// A negative amount is refused in both directions and changes nothing.
#[tokio::test]
async fn negative_amounts_are_rejected() {
    let (counter, _) = start("c").await;
    cast(&counter, CounterMessage::Increment { amount: 10 });
    cast(&counter, CounterMessage::Increment { amount: -4 });
    cast(&counter, CounterMessage::Decrement { amount: -4 });

    let stats = get_stats(&counter, PATIENCE).await.unwrap();

    assert_eq!(stats.current_value, 10);
    assert_eq!(stats.total_operations, 1);
    assert_eq!(stats.rejected_operations, 2);
}

/// A batch applies its operations in order, each checked on its own: the
/// one that would overflow is refused and counted, and the rest still apply,
/// exactly as if each had come in a message of its own.
#[tokio::test]
async fn a_batch_checks_each_operation_on_its_own() {
    let (counter, _) = start("c").await;
    cast(
        &counter,
        CounterMessage::Batch(vec![
            Operation::Increment {
                amount: i64::MAX - 1,
            },
            Operation::Increment { amount: 5 },
            Operation::Decrement { amount: 2 },
            Operation::Increment { amount: -1 },
        ]),
    );
    cast(&counter, CounterMessage::Batch(Vec::new()));

    let stats = get_stats(&counter, PATIENCE).await.unwrap();

    assert_eq!(stats.current_value, i64::MAX - 3);
    assert_eq!(stats.total_operations, 2);
    assert_eq!(stats.rejected_operations, 2);
}

/// Asking a counter that has stopped is an error the caller can match on,
/// not a panic and not a hang.
#[tokio::test]
async fn asking_a_stopped_counter_is_an_error() {
    let (counter, _) = start("c").await;
    counter.stop_and_wait(None, None).await.unwrap();

    assert_eq!(
        get_value(&counter, PATIENCE).await,
        Err(AskError::NotRunning)
    );
    assert_eq!(
        get_stats(&counter, PATIENCE).await,
        Err(AskError::NotRunning)
    );
}

/// A caller that stops waiting for its reply does not take the counter down
/// with it. (The article's `reply.send(..)?` would have stopped the actor.)
#[tokio::test]
async fn a_caller_that_gives_up_does_not_stop_the_counter() {
    let (counter, _) = start("c").await;
    let (port, receiver) = tokio::sync::oneshot::channel();
    drop(receiver);

    cast(&counter, CounterMessage::GetValue(port.into()));
    cast(&counter, CounterMessage::Increment { amount: 7 });

    assert_eq!(get_value(&counter, PATIENCE).await, Ok(7));
}

/// `drain` lets the counter work through everything already in its mailbox
/// before it stops: a thousand casts, then a drain, give exactly a thousand
/// applied operations.
#[tokio::test]
async fn drain_applies_every_queued_message() {
    let (counter, transcript) = start("c").await;
    for _ in 0..1000 {
        cast(&counter, CounterMessage::Increment { amount: 1 });
    }

    counter.drain_and_wait(None).await.unwrap();

    assert_eq!(
        transcript.lines(),
        [
            "[c] started",
            "[c] stopped: final value 1000 after 1000 operations (0 rejected)"
        ]
    );
}

/// `stop` jumps the queue: ractor handles a stop request before any ordinary
/// message that is still waiting. The article stops its counters this way,
/// and any increment still queued at that moment is lost.
#[tokio::test]
async fn stop_discards_queued_messages() {
    let (counter, transcript) = start("c").await;
    for _ in 0..1000 {
        cast(&counter, CounterMessage::Increment { amount: 1 });
    }

    counter.stop_and_wait(None, None).await.unwrap();

    let last = transcript.lines().pop().unwrap();
    let applied: u64 = last
        .strip_prefix("[c] stopped: final value ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|value| value.parse().ok())
        .unwrap();
    assert!(applied < 1000, "stop kept all messages: {last}");
}

/// A message sent after a drain has begun is refused at once, so the sender
/// knows it was not delivered: nothing is lost without a trace.
#[tokio::test]
async fn a_draining_counter_refuses_new_messages() {
    let (counter, _) = start("c").await;
    counter.drain().unwrap();

    let refused = counter.cast(CounterMessage::Increment { amount: 1 });

    assert!(refused.is_err());
}

/// A stand-in that answers the article's way, with `reply.send(..)?`.
struct ArticleStyleCounter;

impl Actor for ArticleStyleCounter {
    type Msg = CounterMessage;
    type State = i64;
    type Arguments = ();

    async fn pre_start(
        &self,
        _: ActorRef<CounterMessage>,
        _: (),
    ) -> Result<i64, ractor::ActorProcessingErr> {
        Ok(0)
    }

    async fn handle(
        &self,
        _: ActorRef<CounterMessage>,
        message: CounterMessage,
        value: &mut i64,
    ) -> Result<(), ractor::ActorProcessingErr> {
        if let CounterMessage::GetValue(reply) = message {
            reply.send(*value)?;
        }
        Ok(())
    }
}

/// Why our counter swallows failed replies: ractor stops an actor whose
/// `handle` returns an error. Answered the article's way, one caller that
/// stopped waiting is enough to stop the counter for everyone.
#[tokio::test]
async fn an_error_from_handle_stops_the_actor() {
    let (counter, task) = Actor::spawn(None, ArticleStyleCounter, ()).await.unwrap();
    let (port, receiver) = tokio::sync::oneshot::channel();
    drop(receiver);

    cast(&counter, CounterMessage::GetValue(port.into()));
    task.await.unwrap();

    assert_eq!(
        get_value(&counter, PATIENCE).await,
        Err(AskError::NotRunning)
    );
}
