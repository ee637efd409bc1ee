//! A stand-in for a counter at the far end of a slow link.

use std::time::Duration;

use counter::CounterMessage;
use ractor::{Actor, ActorProcessingErr, ActorRef};

// ANCHOR: slow_link
/// Passes every message on to a real counter, but holds each stats question
/// back for `delay` first, as a network link to another machine would.
///
/// The holding happens in a task of its own, so the link is not blocked
/// while a question travels: several questions can be on their way at
/// once, as on a real network. The aggregator's tests use it to make a
/// round read two counters at different moments, and the `aggregation`
/// benchmark uses it to show what asking one counter after another costs
/// when every answer takes time to arrive.
///
/// A `delay` below 1 ms is rounded up to 1 ms: that is the resolution of
/// tokio's timer.
pub struct SlowLink {
    /// How long each stats question takes to reach the counter.
    pub delay: Duration,
}

impl Actor for SlowLink {
    type Msg = CounterMessage;
    type State = ActorRef<CounterMessage>;
    type Arguments = ActorRef<CounterMessage>;

    async fn pre_start(
        &self,
        _: ActorRef<CounterMessage>,
        real: ActorRef<CounterMessage>,
    ) -> Result<Self::State, ActorProcessingErr> {
        Ok(real)
    }

    async fn handle(
        &self,
        _: ActorRef<CounterMessage>,
        message: CounterMessage,
        real: &mut Self::State,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            CounterMessage::GetStats(reply) => {
                let (real, delay) = (real.clone(), self.delay);
                tokio::spawn(async move {
                    tokio::time::sleep(delay).await;
                    let _ = real.cast(CounterMessage::GetStats(reply));
                });
            }
            other => real.cast(other)?,
        }
        Ok(())
    }
}
// ANCHOR_END: slow_link
