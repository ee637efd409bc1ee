//! Bounded mailboxes on the hand-rolled actor: what each policy does with
//! one operation too many, and the counts that show nothing went missing.
//!
//! Every test runs on tokio's paused clock, so a counter that works 5 ms
//! per operation takes no real time, and the depths and times are exact.

use std::sync::Arc;
use std::time::Duration;

use actors_core::{
    Accounting, CounterSystem, Mailbox, MailboxReport, Operation, Overflow, Receipt, SystemError,
    Transcript, Workload, drive,
};
use handrolled::HandRolledSystem;
use handrolled::actor::{Actor, Reply};
use handrolled::mailbox::{self, Handle, SendError, Sent};
use tokio::time::{Instant, sleep, timeout};

const fn inc(amount: i64) -> Operation {
    Operation::Increment { amount }
}

fn bounded(overflow: Overflow, capacity: usize) -> Mailbox {
    Mailbox::bounded(overflow, capacity).expect("a valid capacity")
}

/// Each counter's work per operation: five times the client's interval.
const WORK: Duration = Duration::from_millis(5);

/// Two clients, each sending 200 operations 1 ms apart to a counter that
/// needs 5 ms for one: the mailboxes fill up within a few milliseconds.
fn flood() -> Workload {
    Workload {
        counters: 2,
        ops_per_client: 200,
        interval: Duration::from_millis(1),
        ..Workload::default()
    }
}

fn system(len: usize, mailbox: Mailbox) -> HandRolledSystem {
    HandRolledSystem::start_with(len, &Transcript::memory(), mailbox, WORK)
}

/// What a flooded run came to.
struct Run {
    /// Settled from the final figures, with `dropped` from the mailboxes.
    books: Accounting,
    /// The mailboxes after shutdown.
    report: MailboxReport,
    /// How long the clients took to hand over their operations.
    producing: Duration,
}

/// Floods a two-counter system with `mailbox`, shuts it down and settles
/// the books.
async fn flooded(mailbox: Mailbox) -> Run {
    let system: Arc<dyn CounterSystem> = Arc::new(system(2, mailbox));
    let started = Instant::now();
    let mut books = drive(Arc::clone(&system), &flood()).await.unwrap();
    let producing = started.elapsed();
    let finals = system.shutdown().await.unwrap();
    books.settle(&finals);
    let report = system.mailbox().expect("start_with measures its mailboxes");
    books.dropped = report.dropped;
    Run {
        books,
        report,
        producing,
    }
}

/// Under every policy, a mailbox of 8 fills up to exactly 8 and never past
/// it, and every operation sent is applied, rejected or dropped, once.
#[tokio::test(start_paused = true)]
async fn every_policy_keeps_the_depth_within_the_capacity_and_the_books_exact() {
    let timed = Overflow::Block {
        timeout: Some(Duration::from_millis(3)),
    };
    for overflow in Overflow::ALL.into_iter().chain([timed]) {
        let Run { books, report, .. } = flooded(bounded(overflow, 8)).await;
        let name = overflow.name();
        assert_eq!(report.peak, 8, "{name}");
        assert_eq!(report.depth, 0, "{name}: shutdown handles everything");
        assert_eq!(
            books.applied + books.rejected + books.dropped,
            books.sent,
            "{name}: {books}"
        );
        assert!(books.balances(), "{name}: {books}");
        assert_eq!(books.sent + books.refused, 400, "{name}: {books}");
        assert_eq!(books.refused, report.refused, "{name}");
        assert_eq!(report.taken, books.applied + books.rejected, "{name}");
    }
}

/// The policies differ in where the excess goes: drop policies drop,
/// fail-fast and a timed block refuse, a patient block and route keep all.
#[tokio::test(start_paused = true)]
async fn each_policy_sends_the_excess_where_it_says() {
    let timed = Overflow::Block {
        timeout: Some(Duration::from_millis(3)),
    };
    for overflow in Overflow::ALL.into_iter().chain([timed]) {
        let Run { books, .. } = flooded(bounded(overflow, 8)).await;
        let (dropping, refusing) = match overflow {
            Overflow::DropNewest | Overflow::DropOldest => (true, false),
            Overflow::FailFast | Overflow::Block { timeout: Some(_) } => (false, true),
            Overflow::Block { timeout: None } | Overflow::Route => (false, false),
        };
        let name = overflow.name();
        assert_eq!(books.dropped > 0, dropping, "{name}: {books}");
        assert_eq!(books.refused > 0, refusing, "{name}: {books}");
    }
}

/// Fail-fast hands the operation back at once, in the error, and counts
/// it as refused; it is never applied.
#[tokio::test(start_paused = true)]
async fn fail_fast_hands_the_operation_back_and_counts_it_refused() {
    let system = system(1, bounded(Overflow::FailFast, 2));
    assert_eq!(system.apply(0, inc(1)).await, Ok(Receipt::Queued));
    assert_eq!(system.apply(0, inc(2)).await, Ok(Receipt::Queued));
    let started = Instant::now();
    assert_eq!(
        system.apply(0, inc(3)).await,
        Err(SystemError::MailboxFull {
            index: 0,
            op: inc(3)
        })
    );
    assert_eq!(started.elapsed(), Duration::ZERO);
    let finals = system.shutdown().await.unwrap();
    assert_eq!(finals[0].current_value, 3);
    let report = system.mailbox().unwrap();
    assert_eq!((report.refused, report.peak, report.dropped), (1, 2, 0));
}

/// A blocked sender with a timeout waits exactly that long, on the virtual
/// clock, then gets its operation back, counted as refused.
#[tokio::test(start_paused = true)]
async fn a_blocked_sender_is_refused_after_exactly_its_timeout() {
    let patience = Duration::from_millis(10);
    let mailbox = bounded(
        Overflow::Block {
            timeout: Some(patience),
        },
        1,
    );
    let system = HandRolledSystem::start_with(
        1,
        &Transcript::memory(),
        mailbox,
        Duration::from_millis(100),
    );
    assert_eq!(system.apply(0, inc(1)).await, Ok(Receipt::Queued));
    // The counter takes 1 as this sender waits, which makes room for 2.
    assert_eq!(system.apply(0, inc(2)).await, Ok(Receipt::Queued));
    let started = Instant::now();
    assert_eq!(
        system.apply(0, inc(3)).await,
        Err(SystemError::MailboxFull {
            index: 0,
            op: inc(3)
        })
    );
    assert_eq!(started.elapsed(), patience);
    assert_eq!(system.shutdown().await.unwrap()[0].current_value, 3);
    assert_eq!(system.mailbox().unwrap().refused, 1);
}

/// Block without a timeout drops and refuses nothing: the clients wait
/// instead, and finish when the counters have made room for their last
/// operation, not after their own 200 ms.
#[tokio::test(start_paused = true)]
async fn a_blocked_sender_without_timeout_waits_and_nothing_is_lost() {
    let Run {
        books,
        report,
        producing,
    } = flooded(bounded(Overflow::Block { timeout: None }, 8)).await;
    assert_eq!((books.sent, books.applied), (400, 400));
    assert_eq!((books.dropped, books.refused, report.refused), (0, 0, 0));
    // The 200th operation gets in when the counter takes its 192nd, which
    // it starts 191 x 5 ms after the first.
    assert_eq!(producing, Duration::from_millis(955));
}

/// Drop oldest returns the operation it evicted, and the operations that
/// remain are the newest ones.
#[tokio::test(start_paused = true)]
async fn drop_oldest_returns_the_evicted_operation_and_keeps_the_newest() {
    let system = system(1, bounded(Overflow::DropOldest, 3));
    system.apply(0, inc(1)).await.unwrap();
    // The counter takes 1 and works on it for 5 ms.
    sleep(Duration::from_millis(1)).await;
    for amount in 2..=4 {
        assert_eq!(system.apply(0, inc(amount)).await, Ok(Receipt::Queued));
    }
    assert_eq!(system.apply(0, inc(5)).await, Ok(Receipt::Evicted(inc(2))));
    assert_eq!(system.apply(0, inc(6)).await, Ok(Receipt::Evicted(inc(3))));
    let finals = system.shutdown().await.unwrap();
    assert_eq!(finals[0].current_value, 1 + 4 + 5 + 6);
    assert_eq!(finals[0].total_operations, 4);
    let report = system.mailbox().unwrap();
    assert_eq!((report.dropped, report.peak, report.taken), (2, 3, 4));
}

/// Drop newest discards the operation that finds the mailbox full, and
/// says so; what was already waiting is applied.
#[tokio::test(start_paused = true)]
async fn drop_newest_discards_the_operation_that_finds_the_mailbox_full() {
    let system = system(1, bounded(Overflow::DropNewest, 3));
    system.apply(0, inc(1)).await.unwrap();
    sleep(Duration::from_millis(1)).await;
    for amount in 2..=4 {
        assert_eq!(system.apply(0, inc(amount)).await, Ok(Receipt::Queued));
    }
    assert_eq!(system.apply(0, inc(5)).await, Ok(Receipt::Dropped));
    assert_eq!(system.apply(0, inc(6)).await, Ok(Receipt::Dropped));
    let finals = system.shutdown().await.unwrap();
    assert_eq!(finals[0].current_value, 1 + 2 + 3 + 4);
    let report = system.mailbox().unwrap();
    assert_eq!((report.dropped, report.peak), (2, 3));
}

/// Route tries the next counters, wrapping around past the last, and
/// counts each operation it moved on its home counter; the total is exact.
#[tokio::test(start_paused = true)]
async fn route_moves_an_operation_to_the_next_counter_with_room() {
    let system = system(3, bounded(Overflow::Route, 1));
    assert_eq!(system.apply(2, inc(1)).await, Ok(Receipt::Queued));
    assert_eq!(
        system.apply(2, inc(2)).await,
        Ok(Receipt::Rerouted { to: 0 })
    );
    assert_eq!(
        system.apply(2, inc(3)).await,
        Ok(Receipt::Rerouted { to: 1 })
    );
    let values: Vec<_> = system
        .shutdown()
        .await
        .unwrap()
        .iter()
        .map(|stats| stats.current_value)
        .collect();
    assert_eq!(values, [2, 3, 1]);
    let report = system.mailbox().unwrap();
    assert_eq!((report.rerouted, report.dropped, report.taken), (2, 0, 3));
}

/// When every counter is full, route waits for room at the home counter,
/// as block does: here until the counter finishes the operation it holds.
#[tokio::test(start_paused = true)]
async fn route_waits_at_home_when_every_counter_is_full() {
    let system = system(2, bounded(Overflow::Route, 1));
    let started = Instant::now();
    system.apply(0, inc(1)).await.unwrap();
    system.apply(1, inc(2)).await.unwrap();
    // Both counters take their operation and work until 5 ms.
    sleep(Duration::from_millis(1)).await;
    assert_eq!(system.apply(0, inc(3)).await, Ok(Receipt::Queued));
    assert_eq!(
        system.apply(0, inc(4)).await,
        Ok(Receipt::Rerouted { to: 1 })
    );
    assert_eq!(system.apply(1, inc(5)).await, Ok(Receipt::Queued));
    assert_eq!(started.elapsed(), WORK);
    let finals = system.shutdown().await.unwrap();
    let total: i64 = finals.iter().map(|stats| stats.current_value).sum();
    assert_eq!(total, 1 + 2 + 3 + 4 + 5);
    assert_eq!(system.mailbox().unwrap().rerouted, 1);
}

/// An unbounded mailbox has no limit, and its depth is still measured:
/// after 200 operations in 199 ms a counter has taken 40 (one every 5 ms,
/// from 0 to 195 ms), so 160 wait.
#[tokio::test(start_paused = true)]
async fn an_unbounded_mailbox_reports_its_exact_peak_depth() {
    let Run {
        books,
        report,
        producing,
    } = flooded(Mailbox::Unbounded).await;
    assert_eq!(report.peak, 160);
    assert_eq!((books.sent, books.applied, books.dropped), (400, 400, 0));
    assert_eq!(producing, Duration::from_millis(199));
}

/// Questions and the stop request skip the bound, so a full fail-fast
/// mailbox takes them, and they keep their place in line: the answer sees
/// the operation queued before it, and stop comes after everything sent.
#[tokio::test(start_paused = true)]
async fn questions_and_stop_skip_a_full_mailbox_in_fifo_order() {
    let system = system(1, bounded(Overflow::FailFast, 1));
    assert_eq!(system.apply(0, inc(1)).await, Ok(Receipt::Queued));
    assert!(system.apply(0, inc(2)).await.is_err());
    assert_eq!(system.value(0).await, Ok(1));
    assert_eq!(system.apply(0, inc(3)).await, Ok(Receipt::Queued));
    assert!(system.apply(0, inc(4)).await.is_err());
    assert_eq!(system.stats(0).await.unwrap().current_value, 4);
    assert_eq!(system.apply(0, inc(5)).await, Ok(Receipt::Queued));
    let finals = system.shutdown().await.unwrap();
    assert_eq!(finals[0].current_value, 9);
    assert_eq!(system.mailbox().unwrap().refused, 2);
}

// The deadlock: an actor that sends to itself through its own mailbox.

/// On `Start`, sends itself two echoes through the handle it is given:
/// one more than its mailbox of 1 holds while it is busy with `Start`.
#[derive(Default)]
struct Echoer {
    heard: Vec<u32>,
    handed_back: Vec<u32>,
}

enum Note {
    Start(Handle<Note>),
    Echo(u32),
    /// Answers with what was heard and what came back.
    Report(Reply<(Vec<u32>, Vec<u32>)>),
}

// ANCHOR: echoer
impl Actor for Echoer {
    type Message = Note;

    async fn handle(&mut self, note: Note) {
        match note {
            Note::Start(me) => {
                for n in [1, 2] {
                    match me.send(Note::Echo(n)).await {
                        Ok(_) => {}
                        Err(SendError::Full(Note::Echo(n))) => self.handed_back.push(n),
                        Err(_) => {}
                    }
                }
            }
            Note::Echo(n) => self.heard.push(n),
            Note::Report(reply) => {
                let _ = reply.send((self.heard.clone(), self.handed_back.clone()));
            }
        }
    }
}
// ANCHOR_END: echoer

/// Through a full blocking mailbox, the actor waits for room that only it
/// can make, by finishing the handler that waits: it never finishes. An
/// hour of virtual time passes and the question behind it gets no answer.
// ANCHOR: deadlock
#[tokio::test(start_paused = true)]
async fn an_actor_blocking_on_its_own_full_mailbox_never_finishes() {
    let (me, _task) = mailbox::spawn_with(
        Echoer::default(),
        bounded(Overflow::Block { timeout: None }, 1),
    );
    assert!(matches!(
        me.send(Note::Start(me.clone())).await,
        Ok(Sent::Queued)
    ));
    // Time for the actor to handle `Start`, before the question queues.
    sleep(Duration::from_millis(1)).await;
    let answer = timeout(Duration::from_secs(3600), me.call(Note::Report)).await;
    assert!(
        answer.is_err(),
        "the actor answered, so it did not deadlock"
    );
    let report = me.gauge().report();
    // Start was taken; echo 1 waits behind a handler that never returns.
    assert_eq!((report.taken, report.depth), (1, 1));
}
// ANCHOR_END: deadlock

/// The same actor with a fail-fast mailbox gets its second echo back,
/// finishes the handler, and goes on to handle the first.
#[tokio::test(start_paused = true)]
async fn the_same_actor_with_fail_fast_gets_its_message_back_and_finishes() {
    let (me, _task) = mailbox::spawn_with(Echoer::default(), bounded(Overflow::FailFast, 1));
    assert!(matches!(
        me.send(Note::Start(me.clone())).await,
        Ok(Sent::Queued)
    ));
    // Time for the actor to handle `Start`, before the question queues.
    sleep(Duration::from_millis(1)).await;
    let answer = timeout(Duration::from_secs(3600), me.call(Note::Report)).await;
    assert_eq!(answer.expect("no deadlock"), Ok((vec![1], vec![2])));
    assert_eq!(me.gauge().report().refused, 1);
}

/// `try_send` does the same under any policy, even block: it never waits,
/// and a full mailbox hands the message back.
#[tokio::test(start_paused = true)]
async fn try_send_never_waits_whatever_the_policy() {
    let (me, _task) = mailbox::spawn_with(
        Echoer::default(),
        bounded(Overflow::Block { timeout: None }, 1),
    );
    assert!(matches!(me.try_send(Note::Echo(1)), Ok(Sent::Queued)));
    match me.try_send(Note::Echo(2)) {
        Err(SendError::Full(Note::Echo(2))) => {}
        _ => panic!("a full mailbox hands the message back"),
    }
    // A probe is not a refusal: nothing is counted.
    assert_eq!(me.gauge().report().refused, 0);
}
