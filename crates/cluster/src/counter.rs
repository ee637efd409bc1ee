//! A node's counter: the article's counter, reachable from other processes.

use actors_core::{CounterStats, Family, Ledger, Operation, Transcript};
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort};
use supervision::{Checkpoints, FaultPoint, Faults};
use tokio::time::Instant;

use crate::wire::{RemoteCounterMessage, WireStats};

/// The process group a node's counters join, and clients look up.
pub const GROUP: &str = "demo-counters";

/// A counter on a node. It speaks [`RemoteCounterMessage`], so it can be
/// reached from another process, and it joins [`GROUP`] each time it
/// starts, so that it can be found there.
pub struct NodeCounter;

/// What each incarnation of a node's counter starts with.
#[derive(Debug, Clone)]
pub struct NodeCounterArgs {
    /// Its index on the node, and its checkpoint slot.
    pub index: usize,
    /// 0 for the first start, then one more per restart.
    pub incarnation: u32,
    /// Where it saves its ledger after every operation.
    pub checkpoints: Checkpoints,
    /// Failures to inject, by operation number: for tests of the restart.
    pub faults: Faults,
    /// Where its lines go.
    pub transcript: Transcript,
}

/// One incarnation's state.
pub struct NodeCounterState {
    args: NodeCounterArgs,
    ledger: Ledger,
    born: Instant,
}

impl NodeCounterArgs {
    /// The counter's name, the same in every life: `counter-0`. Clients
    /// order the group's members by it.
    pub fn name(&self) -> String {
        format!("counter-{}", self.index)
    }
}

impl Actor for NodeCounter {
    type Msg = RemoteCounterMessage;
    type State = NodeCounterState;
    type Arguments = NodeCounterArgs;

    // ANCHOR: pre_start
    async fn pre_start(
        &self,
        myself: ActorRef<RemoteCounterMessage>,
        args: NodeCounterArgs,
    ) -> Result<NodeCounterState, ActorProcessingErr> {
        if args.faults.take_failed_start(args.index) {
            return Err(supervision::InjectedStartFailure.into());
        }
        let (ledger, born) = match args.checkpoints.load(args.index) {
            Some(saved) => (saved.ledger, saved.born),
            None => (Ledger::default(), Instant::now()),
        };
        // A restart is a new actor with a new id: the group must hear of it
        // again. ractor_cluster tells every connected node.
        ractor::pg::join(GROUP.to_owned(), vec![myself.get_cell()]);
        let name = args.name();
        if args.incarnation == 0 {
            args.transcript.line_in(
                Family::Started,
                format_args!("[{name}] started, in group {GROUP}"),
            );
        } else {
            args.transcript.line(format_args!(
                "[{name}] restarted from its checkpoint (value {}), in group {GROUP} again",
                ledger.tally().value()
            ));
        }
        Ok(NodeCounterState { args, ledger, born })
    }
    // ANCHOR_END: pre_start

    async fn handle(
        &self,
        _myself: ActorRef<RemoteCounterMessage>,
        message: RemoteCounterMessage,
        state: &mut NodeCounterState,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            RemoteCounterMessage::Increment(amount) => {
                state.apply(Operation::Increment { amount })?;
            }
            RemoteCounterMessage::Decrement(amount) => {
                state.apply(Operation::Decrement { amount })?;
            }
            RemoteCounterMessage::GetValue(reply) => {
                reply_to(reply, state.ledger.tally().value());
            }
            RemoteCounterMessage::GetStats(reply) => {
                let elapsed = state.born.elapsed();
                let stats = CounterStats::measure(state.ledger.tally(), elapsed);
                reply_to(reply, WireStats(Some(stats)));
            }
        }
        Ok(())
    }

    async fn post_stop(
        &self,
        _myself: ActorRef<RemoteCounterMessage>,
        state: &mut NodeCounterState,
    ) -> Result<(), ActorProcessingErr> {
        let tally = state.ledger.tally();
        state.args.transcript.line_in(
            Family::Stopped,
            format_args!(
                "[{}] stopped: final value {} after {} operations ({} rejected)",
                state.args.name(),
                tally.value(),
                tally.total_operations(),
                tally.rejected_operations(),
            ),
        );
        Ok(())
    }
}

impl NodeCounterState {
    /// Applies `op` and saves the ledger, or fails on purpose first if the
    /// fault schedule says so. Operations are numbered by arrival.
    fn apply(&mut self, op: Operation) -> Result<(), ActorProcessingErr> {
        let tally = self.ledger.tally();
        let seq = tally.total_operations() + tally.rejected_operations();
        let index = self.args.index;
        if let Some(kind) = self
            .args
            .faults
            .take(index, seq, FaultPoint::BeforeCheckpoint)
        {
            return Err(supervision::fail(kind, seq).into());
        }
        if let Err(error) = self.ledger.apply_unnumbered(op) {
            tracing::warn!(counter = index, %error, "operation rejected");
        }
        self.args.checkpoints.save(index, &self.ledger, self.born);
        Ok(())
    }
}

/// Sends a reply, if the caller still waits: a remote caller that timed out
/// is no reason to fail.
fn reply_to<T>(reply: RpcReplyPort<T>, answer: T) {
    if reply.send(answer).is_err() {
        tracing::debug!("caller stopped waiting; reply dropped");
    }
}
