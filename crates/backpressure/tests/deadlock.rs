//! The deadlock a blocking bound invites: two actors that send to each
//! other, each waiting for a place that only the other can free.

use std::sync::Arc;
use std::time::Duration;

use actors_core::mailbox::Slot;
use actors_core::{Mailbox, Operation, Overflow, SystemError};
use backpressure::{Admission, Front};
use counter::ask;
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort};

/// Each relay passes every increment it gets on to its peer twice, until
/// the increment has made `hops` hops.
enum Relay {
    /// Who the peer is, and the front that bounds the peer's mailbox.
    Meet(ActorRef<Relay>, Arc<Front>),
    /// An increment with hops left, holding its place in this relay's
    /// mailbox.
    Pass { hops: u32, slot: Slot },
    /// How many increments this relay has handled. A question: it skips
    /// the bound.
    Handled(RpcReplyPort<u64>),
}

// A message that stays in its process: see `actors_core::message`.
actors_core::local_message!(Relay);

struct RelayActor;

#[derive(Default)]
struct RelayState {
    peer: Option<(ActorRef<Relay>, Arc<Front>)>,
    handled: u64,
}

const ONE: Operation = Operation::Increment { amount: 1 };

impl Actor for RelayActor {
    type Msg = Relay;
    type State = RelayState;
    type Arguments = ();

    async fn pre_start(
        &self,
        _: ActorRef<Relay>,
        (): (),
    ) -> Result<RelayState, ActorProcessingErr> {
        Ok(RelayState::default())
    }

    // ANCHOR: relay
    async fn handle(
        &self,
        _: ActorRef<Relay>,
        message: Relay,
        state: &mut RelayState,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            Relay::Meet(peer, front) => state.peer = Some((peer, front)),
            Relay::Pass { hops, slot } => {
                slot.release();
                state.handled += 1;
                let Some((peer, front)) = &state.peer else {
                    return Ok(());
                };
                if hops == 0 {
                    return Ok(());
                }
                for _ in 0..2 {
                    // Under block this waits, inside the handler, for a
                    // place in the peer's mailbox.
                    match front.admit(1, ONE).await {
                        Ok(Admission::Placed(slot)) => peer.cast(Relay::Pass {
                            hops: hops - 1,
                            slot,
                        })?,
                        // Handed back, and counted by the front: this
                        // relay goes on without it.
                        Ok(Admission::Dropped) | Err(SystemError::MailboxFull { .. }) => {}
                        Err(error) => return Err(error.into()),
                    }
                }
            }
            Relay::Handled(reply) => {
                let _ = reply.send(state.handled);
            }
        }
        Ok(())
    }
    // ANCHOR_END: relay
}

/// Two relays, each behind a front of one place.
struct Pair {
    relays: [ActorRef<Relay>; 2],
    fronts: [Arc<Front>; 2],
}

impl Pair {
    /// Starts the pair, fronts for `overflow`, and gives the first relay an
    /// increment of 12 hops.
    async fn start(overflow: Overflow) -> Pair {
        let mailbox = Mailbox::bounded(overflow, 1).unwrap();
        let fronts = [0, 1].map(|_| Arc::new(Front::new(mailbox).unwrap()));
        let (a, _) = Actor::spawn(None, RelayActor, ()).await.unwrap();
        let (b, _) = Actor::spawn(None, RelayActor, ()).await.unwrap();
        a.cast(Relay::Meet(b.clone(), Arc::clone(&fronts[1])))
            .unwrap();
        b.cast(Relay::Meet(a.clone(), Arc::clone(&fronts[0])))
            .unwrap();
        let Ok(Admission::Placed(slot)) = fronts[0].admit(0, ONE).await else {
            panic!("an empty front has a place");
        };
        a.cast(Relay::Pass { hops: 12, slot }).unwrap();
        Pair {
            relays: [a, b],
            fronts,
        }
    }

    /// How many increments each relay handled, asked once both are between
    /// two messages, or an hour of virtual time passed. On the paused clock
    /// the hour costs no real time.
    async fn answers(&self) -> Option<[u64; 2]> {
        let hour = Duration::from_secs(3600);
        // Each question would wait longer than the hour: the hour decides.
        let asking = async {
            let [a, b] = &self.relays;
            let a = ask(a, Relay::Handled, 2 * hour).await.unwrap();
            let b = ask(b, Relay::Handled, 2 * hour).await.unwrap();
            [a, b]
        };
        tokio::time::timeout(hour, asking).await.ok()
    }

    /// The passes the two fronts handed back.
    fn refused(&self) -> u64 {
        self.fronts.iter().map(|front| front.report().refused).sum()
    }
}

// ANCHOR: pair
/// Under block, both relays end up inside a handler, each waiting for the
/// one place in the other's mailbox, which the other's waiting pass holds:
/// neither ever answers.
#[tokio::test(start_paused = true)]
async fn blocking_fronts_between_two_actors_deadlock() {
    let pair = Pair::start(Overflow::Block { timeout: None }).await;
    assert_eq!(pair.answers().await, None);
    let full = pair.fronts.iter().map(|front| front.free_places());
    assert!(full.eq([Some(0), Some(0)]), "both mailboxes are full");
}

/// Under fail fast, a full mailbox hands the pass back instead of making
/// the relay wait inside its handler: both answer.
#[tokio::test(start_paused = true)]
async fn fail_fast_fronts_break_the_deadlock() {
    let pair = Pair::start(Overflow::FailFast).await;
    let [a, b] = pair.answers().await.expect("fail fast never waits");
    assert!(a > 0 && b > 0, "both relays handled increments: {a}, {b}");
    assert!(pair.refused() > 0);
}

/// A timeout on the block breaks it too: a relay waits at most that long,
/// then drops the pass and goes on.
#[tokio::test(start_paused = true)]
async fn a_timeout_on_the_block_breaks_the_deadlock_too() {
    let timeout = Some(Duration::from_millis(10));
    let pair = Pair::start(Overflow::Block { timeout }).await;
    assert!(pair.answers().await.is_some());
    assert!(pair.refused() > 0);
}
// ANCHOR_END: pair
