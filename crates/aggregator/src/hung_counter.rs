//! A stand-in for a counter that never answers.

use actors_core::CounterStats;
use counter::CounterMessage;
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort};

/// Takes counter messages and never answers a stats question: it keeps
/// every reply port, so whoever asked can only time out.
///
/// Keeping the ports, rather than dropping them, is the point: a dropped
/// port tells the caller at once that no answer is coming, while a kept one
/// leaves it waiting, as a counter stuck on a slow handler would. The
/// aggregator's tests use it to show that a hung counter costs a round one
/// timeout, and exercise 5's grader to check that a silent counter is left
/// out of the slowest-counter report.
pub struct HungCounter;

impl Actor for HungCounter {
    type Msg = CounterMessage;
    type State = Vec<RpcReplyPort<CounterStats>>;
    type Arguments = ();

    async fn pre_start(
        &self,
        _myself: ActorRef<CounterMessage>,
        _args: (),
    ) -> Result<Self::State, ActorProcessingErr> {
        Ok(Vec::new())
    }

    async fn handle(
        &self,
        _myself: ActorRef<CounterMessage>,
        message: CounterMessage,
        kept: &mut Self::State,
    ) -> Result<(), ActorProcessingErr> {
        if let CounterMessage::GetStats(reply) = message {
            kept.push(reply);
        }
        Ok(())
    }
}
