//! Drop oldest for a ractor counter: a bounded buffer in front of it that
//! can evict, forwarding one operation at a time.
//!
//! Once ractor holds a message, nothing can take it back out, so a full
//! mailbox cannot give up its oldest. The hand-rolled actor's mailbox can:
//! it is a queue the sender can reach into. So the operations wait there,
//! in a forwarding actor, and the ractor counter is handed one at a time.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use actors_core::{Mailbox, MailboxReport, Operation, Receipt, SystemError};
use counter::{CounterMessage, get_value};
use handrolled::actor::{Actor, Reply};
use handrolled::mailbox::{Handle, SendError, Sent, spawn_with};
use ractor::ActorRef;
use tokio::task::JoinHandle;

/// What the forwarder's mailbox carries.
enum Forward {
    /// An operation for the counter: bounded, and the one a full mailbox
    /// evicts.
    Op(Operation),
    /// Answer once everything sent before has been applied: a question,
    /// so it skips the bound and is never evicted.
    Flush(Reply<()>),
}

// ANCHOR: forwarder
/// The buffer's actor: passes each operation to the counter, and waits
/// until the counter has applied it before taking the next.
///
/// Waiting for the counter to *apply* it, not only to take it, is what
/// keeps the bound: an operation is either waiting in the buffer, where it
/// counts and can be evicted, or being handled, never waiting in the
/// counter's mailbox where nobody could evict it.
struct Forwarder {
    counter: ActorRef<CounterMessage>,
    /// How long to wait for the counter to apply one operation.
    patience: Duration,
}

impl Actor for Forwarder {
    type Message = Forward;

    async fn handle(&mut self, message: Forward) {
        match message {
            Forward::Op(op) => {
                if self.counter.cast(op.into()).is_err() {
                    tracing::warn!(%op, "the counter has stopped; operation not forwarded");
                    return;
                }
                // The counter's mailbox is FIFO: its answer comes after the
                // operation is applied.
                if let Err(error) = get_value(&self.counter, self.patience).await {
                    tracing::warn!(%error, "the counter did not confirm an operation");
                }
            }
            // Operations are forwarded one at a time and confirmed, so by
            // now every earlier one has been applied. Nobody waiting is fine.
            Forward::Flush(reply) => {
                let _ = reply.send(());
            }
        }
    }
}
// ANCHOR_END: forwarder

/// A bounded, evicting buffer in front of one ractor counter.
pub struct Buffer {
    handle: Handle<Forward>,
    /// The forwarder's task, taken by [`finish`](Self::finish).
    task: Mutex<Option<JoinHandle<Forwarder>>>,
}

impl Buffer {
    /// Starts a forwarder to `counter` with a mailbox of kind `mailbox`.
    /// `patience` bounds the wait for one operation to be applied.
    pub fn start(
        counter: ActorRef<CounterMessage>,
        mailbox: Mailbox,
        patience: Duration,
    ) -> Buffer {
        let (handle, task) = spawn_with(Forwarder { counter, patience }, mailbox);
        Buffer {
            handle,
            task: Mutex::new(Some(task)),
        }
    }

    // ANCHOR: send
    /// Queues `op`, bound for counter `index`, under the buffer's policy.
    /// Under drop oldest, a full buffer evicts its oldest operation and
    /// returns it in [`Receipt::Evicted`].
    pub async fn send(&self, index: usize, op: Operation) -> Result<Receipt, SystemError> {
        match self.handle.send(Forward::Op(op)).await {
            Ok(Sent::Queued) => Ok(Receipt::Queued),
            Ok(Sent::Dropped) => Ok(Receipt::Dropped),
            Ok(Sent::Evicted(Forward::Op(old))) => Ok(Receipt::Evicted(old)),
            // A flush is a question, and questions are never evicted.
            Ok(Sent::Evicted(Forward::Flush(_))) => Ok(Receipt::Queued),
            Err(SendError::Full(_)) => Err(SystemError::MailboxFull { index, op }),
            Err(SendError::Stopped(_)) => Err(SystemError::Stopped { index }),
        }
    }
    // ANCHOR_END: send

    /// Returns once every operation sent before has been applied by the
    /// counter, so that a question asked next sees them all.
    pub async fn flush(&self, index: usize) -> Result<(), SystemError> {
        self.handle
            .call(Forward::Flush)
            .await
            .map_err(|_| SystemError::Stopped { index })
    }

    /// Forwards everything still waiting, then stops the forwarder and
    /// waits for it. The counter itself keeps running.
    pub async fn finish(&self) {
        // Already stopped: nothing is waiting.
        let _ = self.handle.stop();
        let task = self
            .task
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(task) = task {
            // A forwarder that panicked has nothing left to forward.
            let _ = task.await;
        }
    }

    /// What the buffer has gone through: its depth is the operations
    /// waiting for the counter.
    pub fn report(&self) -> MailboxReport {
        self.handle.gauge().report()
    }
}
