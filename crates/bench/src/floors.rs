//! The floors: the least the counting work can cost with none of our code
//! in it. Two are actors with nothing on top, one on ractor and one on a
//! bare tokio channel; two are not concurrent at all. The counting bench
//! runs them next to the six designs, so that every design's figure has
//! something to be compared with.

use std::hint::black_box;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort};
use tokio::sync::{mpsc, oneshot};

use crate::counting::Target;
use crate::{MeasureError, PATIENCE, expect_total};

// ANCHOR: floor_actors
/// The least a ractor actor can do: add, and say how much it has. No
/// checks, no statistics. It is the floor that `CounterActor` is compared
/// against, not a counter anyone should use.
pub struct BareActor;

/// What [`BareActor`] understands.
#[derive(Debug)]
pub enum BareMsg {
    /// Add this much.
    Add(i64),
    /// Answer with the total.
    Get(RpcReplyPort<i64>),
}

// A message that stays in its process: see `actors_core::message`.
actors_core::local_message!(BareMsg);

impl Actor for BareActor {
    type Msg = BareMsg;
    type State = i64;
    type Arguments = ();

    async fn pre_start(&self, _: ActorRef<BareMsg>, _: ()) -> Result<i64, ActorProcessingErr> {
        Ok(0)
    }

    async fn handle(
        &self,
        _: ActorRef<BareMsg>,
        message: BareMsg,
        total: &mut i64,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            BareMsg::Add(n) => *total = total.wrapping_add(n),
            BareMsg::Get(reply) => {
                let _ = reply.send(*total);
            }
        }
        Ok(())
    }
}

/// What the raw loop of [`spawn_raw_loop`] understands: the same two
/// messages as [`BareMsg`], with a tokio oneshot for the answer.
#[derive(Debug)]
pub enum RawMsg {
    /// Add this much.
    Add(i64),
    /// Answer with the total.
    Get(oneshot::Sender<i64>),
}

/// The least any actor can be: a task, an unbounded tokio channel, and a
/// loop. The hand-rolled actor of `crates/handrolled` is this plus an
/// envelope, a `Tally` and a trait; this floor measures what those cost.
pub fn spawn_raw_loop() -> mpsc::UnboundedSender<RawMsg> {
    let (sender, mut receiver) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut total = 0_i64;
        while let Some(message) = receiver.recv().await {
            match message {
                RawMsg::Add(n) => total = total.wrapping_add(n),
                RawMsg::Get(reply) => {
                    let _ = reply.send(total);
                }
            }
        }
    });
    sender
}
// ANCHOR_END: floor_actors

impl Target for ActorRef<BareMsg> {
    fn increment(&self) -> Result<(), MeasureError> {
        self.cast(BareMsg::Add(1))
            .map_err(|_| MeasureError::Stopped)
    }

    async fn settle(&self) -> Result<i64, MeasureError> {
        Ok(counter::ask(self, BareMsg::Get, PATIENCE).await?)
    }
}

impl Target for mpsc::UnboundedSender<RawMsg> {
    fn increment(&self) -> Result<(), MeasureError> {
        self.send(RawMsg::Add(1)).map_err(|_| MeasureError::Stopped)
    }

    async fn settle(&self) -> Result<i64, MeasureError> {
        let (reply, answer) = oneshot::channel();
        self.send(RawMsg::Get(reply))
            .map_err(|_| MeasureError::Stopped)?;
        answer.await.map_err(|_| MeasureError::Stopped)
    }
}

/// The two floors that run on one thread, with no producers to share the
/// work: they have one figure each, at one producer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SingleThreadFloor {
    /// [`plain_i64`]: no concurrency at all.
    PlainI64,
    /// [`uncontended_atomic`]: an atomic that nobody else wants.
    UncontendedAtomic,
}

impl SingleThreadFloor {
    /// Both, cheapest first.
    pub const ALL: [SingleThreadFloor; 2] = [
        SingleThreadFloor::PlainI64,
        SingleThreadFloor::UncontendedAtomic,
    ];

    /// The name the counting bench files it under.
    pub const fn name(self) -> &'static str {
        match self {
            SingleThreadFloor::PlainI64 => "plain-i64",
            SingleThreadFloor::UncontendedAtomic => "uncontended-atomic",
        }
    }

    /// One run: `total` additions, timed.
    pub fn run(self, total: u64) -> Result<Duration, MeasureError> {
        match self {
            SingleThreadFloor::PlainI64 => plain_i64(total),
            SingleThreadFloor::UncontendedAtomic => uncontended_atomic(total),
        }
    }
}

// ANCHOR: floor_plain
/// The floor under every design: `total` additions to a plain `i64` on one
/// thread. `black_box` hides the value from the optimizer at every step,
/// so the loop cannot be folded into one addition.
pub fn plain_i64(total: u64) -> Result<Duration, MeasureError> {
    let mut value = 0_i64;
    let start = Instant::now();
    for _ in 0..total {
        value = black_box(value) + 1;
    }
    let elapsed = start.elapsed();
    expect_total(value, total)?;
    Ok(elapsed)
}

/// `total` increments of one atomic by one thread: what an atomic costs
/// when nobody else wants it.
pub fn uncontended_atomic(total: u64) -> Result<Duration, MeasureError> {
    let value = AtomicI64::new(0);
    let start = Instant::now();
    for _ in 0..total {
        black_box(&value).fetch_add(1, Ordering::Relaxed);
    }
    let elapsed = start.elapsed();
    expect_total(value.into_inner(), total)?;
    Ok(elapsed)
}
// ANCHOR_END: floor_plain

#[cfg(test)]
mod tests {
    use super::*;
    use crate::counting::feed;

    /// The single-threaded floors count what they say.
    #[test]
    fn single_thread_floors_count_every_step() {
        for floor in SingleThreadFloor::ALL {
            assert!(floor.run(1_000).is_ok(), "{}", floor.name());
        }
    }

    /// A floor that was handed a different total is caught: the check is
    /// on the value, not on the loop.
    #[test]
    fn a_floor_checks_its_total() {
        assert!(matches!(
            expect_total(999, 1_000),
            Err(MeasureError::WrongTotal {
                expected: 1_000,
                read: 999
            })
        ));
    }

    /// The raw loop answers with every increment sent before the question,
    /// and a loop whose task is gone says so instead of hanging.
    #[tokio::test]
    async fn the_raw_loop_counts_and_reports_a_stop() {
        let raw = spawn_raw_loop();
        assert!(feed(raw, 2, 100).await.is_ok());
        let (sender, receiver) = mpsc::unbounded_channel::<RawMsg>();
        drop(receiver);
        assert!(matches!(sender.increment(), Err(MeasureError::Stopped)));
    }
}
