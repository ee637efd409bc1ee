//! Drop oldest on ractor: the operations wait in a buffer that can evict,
//! and the counter is handed one at a time.

use std::time::Duration;

use actors_core::{CounterSystem, Mailbox, Operation, Overflow, Receipt, Transcript};
use aggregator::AggregatorArgs;
use backpressure::BoundedSystem;
use tokio::time::Instant;

const WORK: Duration = Duration::from_secs(1);

fn add(amount: i64) -> Operation {
    Operation::Increment { amount }
}

async fn system() -> BoundedSystem {
    let args = AggregatorArgs {
        collect_every: None,
        call_timeout: Duration::from_secs(60),
        transcript: Transcript::memory(),
    };
    let mailbox = Mailbox::bounded(Overflow::DropOldest, 2).unwrap();
    BoundedSystem::start(1, args, mailbox, WORK).await.unwrap()
}

/// A full buffer gives up its oldest waiting operation for the new one,
/// hands it back in the receipt, and counts it as dropped; the counter
/// never applies it.
#[tokio::test(start_paused = true)]
async fn a_full_buffer_evicts_its_oldest_operation() {
    let system = system().await;
    assert_eq!(system.apply(0, add(1)).await, Ok(Receipt::Queued));
    // Virtual time: 1 is forwarded, and the counter starts work on it.
    tokio::time::sleep(Duration::from_millis(1)).await;
    assert_eq!(system.apply(0, add(2)).await, Ok(Receipt::Queued));
    assert_eq!(system.apply(0, add(3)).await, Ok(Receipt::Queued));
    assert_eq!(system.apply(0, add(4)).await, Ok(Receipt::Evicted(add(2))));
    let report = system.mailbox().unwrap();
    assert_eq!((report.depth, report.peak, report.dropped), (2, 2, 1));
    assert_eq!(system.value(0).await, Ok(1 + 3 + 4));
}

/// A question goes through the buffer, behind the operations sent before
/// it, so it sees them all applied, however long that takes.
#[tokio::test(start_paused = true)]
async fn a_question_waits_for_the_buffer_ahead_of_it() {
    let system = system().await;
    // As many as the buffer holds: none is evicted.
    for amount in 1..=2 {
        system.apply(0, add(amount)).await.unwrap();
    }
    let asked = Instant::now();
    let stats = system.stats(0).await.unwrap();
    assert_eq!((stats.current_value, stats.total_operations), (3, 2));
    assert_eq!(asked.elapsed(), WORK * 2);
}

/// Shutdown forwards what the buffer still holds before it stops the
/// counter: nothing accepted is lost.
#[tokio::test(start_paused = true)]
async fn shutdown_forwards_what_the_buffer_holds() {
    let system = system().await;
    for amount in 1..=2 {
        system.apply(0, add(amount)).await.unwrap();
    }
    let finals = system.shutdown().await.unwrap();
    assert_eq!(finals[0].total_operations, 2);
    let report = system.mailbox().unwrap();
    assert_eq!((report.depth, report.taken, report.dropped), (0, 2, 0));
}
