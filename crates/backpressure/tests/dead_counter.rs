//! A counter that dies with operations waiting in its mailbox gives every
//! place back: the bound does not leak.

use std::time::Duration;

use actors_core::{Mailbox, MailboxReport, Operation, Overflow, Transcript};
use backpressure::{Admission, Front, SlowCounter};
use counter::{CounterArgs, CounterMessage};
use ractor::{Actor, ActorRef};

const CAPACITY: usize = 4;
const ONE: Operation = Operation::Increment { amount: 1 };

/// A slow counter with a block front, busy with one operation and with
/// `CAPACITY` more waiting: every place is taken.
async fn full_counter() -> (
    Front,
    ActorRef<CounterMessage>,
    ractor::concurrency::JoinHandle<()>,
) {
    let front =
        Front::new(Mailbox::bounded(Overflow::Block { timeout: None }, CAPACITY).unwrap()).unwrap();
    let args = CounterArgs {
        id: "counter-0".into(),
        transcript: Transcript::memory(),
    };
    let work = Duration::from_secs(1);
    let (counter, task) = Actor::spawn(None, SlowCounter { work }, args)
        .await
        .unwrap();
    let send = |admission| match admission {
        Admission::Placed(slot) => counter
            .cast(CounterMessage::Admitted { op: ONE, slot })
            .unwrap(),
        Admission::Dropped => unreachable!("block never drops"),
    };
    send(front.admit(0, ONE).await.unwrap());
    // Virtual time: the counter takes the first one and starts work.
    tokio::time::sleep(Duration::from_millis(1)).await;
    for _ in 0..CAPACITY {
        send(front.admit(0, ONE).await.unwrap());
    }
    assert_eq!(front.free_places(), Some(0));
    assert_eq!(front.report().depth, CAPACITY);
    (front, counter, task)
}

/// What the gauge says after the counter died: nothing waiting, the one
/// taken counted, and the peak it reached.
fn after_death() -> MailboxReport {
    MailboxReport {
        depth: 0,
        peak: CAPACITY,
        taken: 1,
        ..MailboxReport::default()
    }
}

/// `kill` ends the counter mid-work; the unread messages are dropped with
/// its mailbox, and each gives its place back.
#[tokio::test(start_paused = true)]
async fn a_killed_counter_gives_every_place_back() {
    let (front, counter, task) = full_counter().await;
    let killing = tokio::time::Instant::now();
    counter.kill();
    task.await.unwrap();
    assert_eq!(killing.elapsed(), Duration::ZERO, "the work was cut short");
    assert_eq!(front.free_places(), Some(CAPACITY));
    assert_eq!(front.report(), after_death());
}

/// `stop` ends the counter after the work in hand, without reading the
/// rest: the same places come back.
#[tokio::test(start_paused = true)]
async fn a_stopped_counter_gives_every_place_back() {
    let (front, counter, task) = full_counter().await;
    let stopping = tokio::time::Instant::now();
    counter.stop(None);
    task.await.unwrap();
    // The work began 1 ms before the stop.
    assert_eq!(stopping.elapsed(), Duration::from_millis(999));
    assert_eq!(front.free_places(), Some(CAPACITY));
    assert_eq!(front.report(), after_death());
}

/// A sender blocked at a dead counter's front is let through by the
/// places that come back, and its message is refused by the mailbox,
/// which gives its place back too.
#[tokio::test(start_paused = true)]
async fn a_blocked_sender_is_released_when_the_counter_dies() {
    let (front, counter, task) = full_counter().await;
    let waiting = front.admit(0, ONE);
    let killer = async {
        counter.kill();
        task.await.unwrap();
    };
    let (admission, ()) = tokio::join!(waiting, killer);
    let Ok(Admission::Placed(slot)) = admission else {
        panic!("a place was expected, got {admission:?}");
    };
    assert!(
        counter
            .cast(CounterMessage::Admitted { op: ONE, slot })
            .is_err()
    );
    assert_eq!(front.free_places(), Some(CAPACITY));
    assert_eq!(front.report().depth, 0);
}
