//! One counter with a full mailbox, step by step: what each policy tells
//! the sender, how long it waits, and that questions still get through.

use std::time::Duration;

use actors_core::{CounterSystem, Mailbox, Operation, Overflow, Receipt, SystemError, Transcript};
use aggregator::AggregatorArgs;
use backpressure::BoundedSystem;
use tokio::time::Instant;

/// Long enough that nothing leaves the mailbox while a test looks at it.
const WORK: Duration = Duration::from_secs(1);
const CAPACITY: usize = 2;
const ONE: Operation = Operation::Increment { amount: 1 };

fn args() -> AggregatorArgs {
    AggregatorArgs {
        collect_every: None,
        call_timeout: Duration::from_secs(60),
        transcript: Transcript::memory(),
    }
}

/// A system of `len` counters, with counter 0 busy on one operation and
/// `CAPACITY` more waiting: its mailbox is full.
async fn full(overflow: Overflow, len: usize) -> BoundedSystem {
    let mailbox = Mailbox::bounded(overflow, CAPACITY).unwrap();
    let system = BoundedSystem::start(len, args(), mailbox, WORK)
        .await
        .unwrap();
    assert_eq!(system.apply(0, ONE).await, Ok(Receipt::Queued));
    // Virtual time: the counter takes the first operation and starts work.
    tokio::time::sleep(Duration::from_millis(1)).await;
    for _ in 0..CAPACITY {
        assert_eq!(system.apply(0, ONE).await, Ok(Receipt::Queued));
    }
    let front = system.front(0).unwrap();
    assert_eq!(front.free_places(), Some(0));
    assert_eq!(front.report().depth, CAPACITY);
    system
}

/// Fail fast hands the operation back at once, counted as refused, and
/// nothing of it reaches the counter.
#[tokio::test(start_paused = true)]
async fn fail_fast_hands_the_operation_back_at_once() {
    let system = full(Overflow::FailFast, 1).await;
    let asked = Instant::now();
    let refusal = system.apply(0, Operation::Decrement { amount: 7 }).await;
    assert_eq!(
        refusal,
        Err(SystemError::MailboxFull {
            index: 0,
            op: Operation::Decrement { amount: 7 }
        })
    );
    assert_eq!(asked.elapsed(), Duration::ZERO);
    assert_eq!(system.mailbox().unwrap().refused, 1);
    let finals = system.shutdown().await.unwrap();
    assert_eq!(finals[0].current_value, 1 + CAPACITY as i64);
}

/// Block with a timeout waits exactly that long for a place, then hands
/// the operation back, counted as refused.
#[tokio::test(start_paused = true)]
async fn block_with_a_timeout_refuses_after_exactly_the_timeout() {
    let patience = Duration::from_millis(50);
    let system = full(
        Overflow::Block {
            timeout: Some(patience),
        },
        1,
    )
    .await;
    let asked = Instant::now();
    let refusal = system.apply(0, ONE).await;
    assert_eq!(refusal, Err(SystemError::MailboxFull { index: 0, op: ONE }));
    assert_eq!(asked.elapsed(), patience);
    assert_eq!(system.mailbox().unwrap().refused, 1);
}

/// Block without a timeout waits until the counter takes the next
/// operation: the end of the work in hand, 1 s after it began.
#[tokio::test(start_paused = true)]
async fn block_waits_for_the_counter_to_take_one() {
    let system = full(Overflow::Block { timeout: None }, 1).await;
    let asked = Instant::now();
    assert_eq!(system.apply(0, ONE).await, Ok(Receipt::Queued));
    // The work began 1 ms before `asked`.
    assert_eq!(asked.elapsed(), WORK - Duration::from_millis(1));
    assert_eq!(system.mailbox().unwrap().peak, CAPACITY);
}

/// Drop newest answers `Dropped` at once, and the counter never sees it.
#[tokio::test(start_paused = true)]
async fn drop_newest_answers_dropped() {
    let system = full(Overflow::DropNewest, 1).await;
    assert_eq!(system.apply(0, ONE).await, Ok(Receipt::Dropped));
    assert_eq!(system.mailbox().unwrap().dropped, 1);
    let finals = system.shutdown().await.unwrap();
    assert_eq!(finals[0].total_operations, 1 + CAPACITY as u64);
}

/// Questions skip the bound: a full mailbox still answers `value`,
/// `stats` and the aggregator, once the operations ahead of them are done.
#[tokio::test(start_paused = true)]
async fn questions_are_answered_while_the_mailbox_is_full() {
    let system = full(Overflow::FailFast, 2).await;
    let asked = Instant::now();
    assert_eq!(system.value(0).await, Ok(1 + CAPACITY as i64));
    // Behind the question: the rest of the work in hand, then two more.
    assert_eq!(asked.elapsed(), WORK * 3 - Duration::from_millis(1));
    // Fill it again: the question got through where an operation cannot.
    for _ in 0..CAPACITY {
        system.apply(0, ONE).await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(1)).await;
    system.apply(0, ONE).await.unwrap();
    assert!(matches!(
        system.apply(0, ONE).await,
        Err(SystemError::MailboxFull { .. })
    ));
    assert_eq!(system.stats(0).await.unwrap().total_operations, 6);
    let total = system.aggregate().await.unwrap();
    assert_eq!((total.total_value, total.num_counters), (6, 2));
}

/// Route sends what finds its counter full to the next counter with room,
/// and says where; the total stays exact.
#[tokio::test(start_paused = true)]
async fn route_says_where_each_operation_went() {
    let system = full(Overflow::Route, 3).await;
    // Counter 0 is full: counter 1 takes one operation now and two more
    // waiting, then counter 2 the same.
    let mut receipts = Vec::new();
    for _ in 0..2 * (1 + CAPACITY) {
        receipts.push(system.apply(0, ONE).await.unwrap());
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let to = |to| Receipt::Rerouted { to };
    assert_eq!(receipts, [to(1), to(1), to(1), to(2), to(2), to(2)]);
    // Nowhere has room now: the next waits for its own counter.
    assert_eq!(system.apply(0, ONE).await, Ok(Receipt::Queued));
    let report = system.mailbox().unwrap();
    assert_eq!((report.rerouted, report.peak), (6, CAPACITY));
    let finals = system.shutdown().await.unwrap();
    let values: Vec<i64> = finals.iter().map(|stats| stats.current_value).collect();
    assert_eq!(values, [4, 3, 3]);
}
