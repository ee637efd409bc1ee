//! A counter slower than its clients, so that its mailbox fills up.

use std::time::Duration;

use counter::{CounterActor, CounterArgs, CounterMessage, CounterState};
use ractor::{Actor, ActorProcessingErr, ActorRef};

// ANCHOR: slow
/// A [`CounterActor`] that spends `work` on every message that carries an
/// operation, as a counter doing real work per operation would.
///
/// It is the counter itself, wrapped: each message goes to
/// [`CounterActor`]'s own `handle`, which gives an admitted operation's
/// place back as it takes it, then applies it. The work comes after, so a
/// place is free while the counter works, as a mailbox's place is. The
/// sleep is tokio's: on a paused clock it costs no real time.
pub struct SlowCounter {
    /// How long each operation takes.
    pub work: Duration,
}

impl Actor for SlowCounter {
    type Msg = CounterMessage;
    type State = CounterState;
    type Arguments = CounterArgs;

    async fn pre_start(
        &self,
        myself: ActorRef<CounterMessage>,
        args: CounterArgs,
    ) -> Result<CounterState, ActorProcessingErr> {
        CounterActor.pre_start(myself, args).await
    }

    async fn handle(
        &self,
        myself: ActorRef<CounterMessage>,
        message: CounterMessage,
        state: &mut CounterState,
    ) -> Result<(), ActorProcessingErr> {
        let operations = operations_in(&message);
        CounterActor.handle(myself, message, state).await?;
        // New: the work, once per operation the message carried. No work, no
        // sleep: tokio's timer counts in whole milliseconds, so even a sleep
        // of zero would wait for the next tick.
        if operations > 0 && !self.work.is_zero() {
            tokio::time::sleep(self.work.saturating_mul(operations)).await;
        }
        Ok(())
    }

    async fn post_stop(
        &self,
        myself: ActorRef<CounterMessage>,
        state: &mut CounterState,
    ) -> Result<(), ActorProcessingErr> {
        CounterActor.post_stop(myself, state).await
    }
}
// ANCHOR_END: slow

/// How many operations `message` carries; questions carry none.
fn operations_in(message: &CounterMessage) -> u32 {
    match message {
        CounterMessage::Increment { .. }
        | CounterMessage::Decrement { .. }
        | CounterMessage::Apply(_)
        | CounterMessage::Admitted { .. } => 1,
        CounterMessage::Batch(ops) => u32::try_from(ops.len()).unwrap_or(u32::MAX),
        CounterMessage::GetValue(_)
        | CounterMessage::GetStats(_)
        | CounterMessage::GetClient { .. } => 0,
    }
}
