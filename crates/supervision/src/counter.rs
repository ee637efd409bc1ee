//! A counter that can be restarted: it checkpoints before it answers, and
//! fails on purpose when its [`Faults`] say so.

use actors_core::{CounterStats, Family, Ledger, Operation, Transcript};
use counter::{CounterMessage, Numbered};
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort};
use tokio::time::Instant;

use crate::faults::{self, FaultPoint, Faults, InjectedStartFailure};
use crate::store::{Checkpoints, Recovery};

/// The supervised counter's behaviour. It speaks [`CounterMessage`], so the
/// aggregator asks it as it asks any counter.
pub struct SupervisedCounter;

// ANCHOR: args
/// What each incarnation of a supervised counter is started with.
#[derive(Debug, Clone)]
pub struct SupervisedArgs {
    /// Its index among the supervisor's children, and its slot.
    pub index: usize,
    /// Its name, such as `counter-0`, the same in every life.
    pub id: String,
    /// 0 for the first start, then one more per restart.
    pub incarnation: u32,
    /// What a restart starts from.
    pub recovery: Recovery,
    /// The slots that outlive it.
    pub checkpoints: Checkpoints,
    /// When to fail on purpose.
    pub faults: Faults,
    /// Where its lines go.
    pub transcript: Transcript,
}
// ANCHOR_END: args

/// One incarnation's state.
pub struct SupervisedState {
    args: SupervisedArgs,
    ledger: Ledger,
    born: Instant,
}

impl Actor for SupervisedCounter {
    type Msg = CounterMessage;
    type State = SupervisedState;
    type Arguments = SupervisedArgs;

    // ANCHOR: pre_start
    async fn pre_start(
        &self,
        _myself: ActorRef<CounterMessage>,
        args: SupervisedArgs,
    ) -> Result<SupervisedState, ActorProcessingErr> {
        // A failure here sends the supervisor no event: `spawn_linked`
        // returns it instead, and the supervisor counts it.
        if args.faults.take_failed_start(args.index) {
            return Err(InjectedStartFailure.into());
        }
        let saved = match args.recovery {
            Recovery::Checkpoint => args.checkpoints.load(args.index),
            Recovery::Empty => None,
        };
        let t = &args.transcript;
        let (ledger, born) = match saved {
            _ if args.incarnation == 0 => {
                t.line_in(Family::Started, format_args!("[{}] started", args.id));
                (Ledger::default(), Instant::now())
            }
            Some(saved) => {
                let tally = saved.ledger.tally();
                t.line(format_args!(
                    "[{}] restarted from its checkpoint: value {} after {} operations",
                    args.id,
                    tally.value(),
                    tally.total_operations()
                ));
                (saved.ledger, saved.born)
            }
            None => {
                t.line(format_args!("[{}] restarted empty", args.id));
                (Ledger::default(), Instant::now())
            }
        };
        Ok(SupervisedState { args, ledger, born })
    }
    // ANCHOR_END: pre_start

    // ANCHOR: handle
    async fn handle(
        &self,
        _myself: ActorRef<CounterMessage>,
        message: CounterMessage,
        state: &mut SupervisedState,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            CounterMessage::Apply(numbered) => state.apply(numbered)?,
            CounterMessage::Increment { amount } => {
                state.apply_unnumbered([Operation::Increment { amount }])
            }
            CounterMessage::Decrement { amount } => {
                state.apply_unnumbered([Operation::Decrement { amount }])
            }
            CounterMessage::Batch(ops) => state.apply_unnumbered(ops),
            CounterMessage::Admitted { op, slot } => {
                slot.release();
                state.apply_unnumbered([op])
            }
            CounterMessage::GetValue(reply) => reply_to(reply, state.ledger.tally().value()),
            CounterMessage::GetStats(reply) => {
                let elapsed = state.born.elapsed();
                reply_to(reply, CounterStats::measure(state.ledger.tally(), elapsed));
            }
            CounterMessage::GetClient { client, reply } => {
                reply_to(reply, state.ledger.client(client))
            }
        }
        Ok(())
    }
    // ANCHOR_END: handle

    async fn post_stop(
        &self,
        _myself: ActorRef<CounterMessage>,
        state: &mut SupervisedState,
    ) -> Result<(), ActorProcessingErr> {
        let tally = state.ledger.tally();
        state.args.transcript.line_in(
            Family::Stopped,
            format_args!(
                "[{}] stopped: final value {} after {} operations ({} rejected)",
                state.args.id,
                tally.value(),
                tally.total_operations(),
                tally.rejected_operations(),
            ),
        );
        Ok(())
    }
}

impl SupervisedState {
    // ANCHOR: apply
    /// Applies a numbered operation, checkpoints, then answers. A fault
    /// before the checkpoint loses the operation with the mailbox; a fault
    /// after it loses only the answer, and the resent operation gets the
    /// recorded one.
    fn apply(&mut self, numbered: Numbered) -> Result<(), faults::InjectedFault> {
        let Numbered {
            client,
            seq,
            op,
            ack,
        } = numbered;
        let (index, faults) = (self.args.index, &self.args.faults);
        if let Some(kind) = faults.take(index, seq, FaultPoint::BeforeCheckpoint) {
            return Err(faults::fail(kind, seq));
        }
        let answer = self.ledger.apply(client, seq, op);
        self.checkpoint();
        if let Some(kind) = faults.take(index, seq, FaultPoint::AfterCheckpoint) {
            return Err(faults::fail(kind, seq));
        }
        if let Some(port) = ack {
            reply_to(port, answer);
        }
        Ok(())
    }
    // ANCHOR_END: apply

    fn apply_unnumbered(&mut self, ops: impl IntoIterator<Item = Operation>) {
        for op in ops {
            if let Err(error) = self.ledger.apply_unnumbered(op) {
                tracing::warn!(counter = %self.args.id, %error, "operation rejected");
            }
        }
        self.checkpoint();
    }

    fn checkpoint(&self) {
        if self.args.recovery == Recovery::Checkpoint {
            let (index, born) = (self.args.index, self.born);
            self.args.checkpoints.save(index, &self.ledger, born);
        }
    }
}

/// Answers, if anyone still waits: a caller that gave up is not the
/// counter's failure.
fn reply_to<T>(port: RpcReplyPort<T>, answer: T) {
    if port.send(answer).is_err() {
        tracing::debug!("caller stopped waiting; reply dropped");
    }
}
