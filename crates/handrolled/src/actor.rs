//! The smallest actor that works: a task, a channel and a loop.
//!
//! This is the shape of Alice Ryhl's "Actors with Tokio", split in two
//! halves: the *actor* is a value that a task owns and changes one message
//! at a time, and the *handle* is the cheap, cloneable sender that everybody
//! else holds.
//! Nothing here is specific to counters; `counter.rs` builds the counter
//! on top of it.

use std::future::Future;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

// ANCHOR: actor_trait
/// A value that lives inside its own task and changes only by handling
/// messages, one at a time.
///
/// Compare ractor's `Actor` trait: there the state is a separate type built
/// by `pre_start`, and `handle` also receives the actor's own reference.
/// Here the actor *is* its state, and there are no lifecycle hooks.
pub trait Actor: Send + 'static {
    /// What the actor's mailbox carries.
    type Message: Send + 'static;

    /// Handles one message. The next message waits until this returns.
    ///
    /// Written as a method returning `impl Future + Send`, so that
    /// implementations can use `async fn` and the loop can still run on a
    /// multi-threaded runtime.
    fn handle(&mut self, message: Self::Message) -> impl Future<Output = ()> + Send;
}
// ANCHOR_END: actor_trait

// ANCHOR: envelope
/// What travels through the mailbox: a message, or the request to stop.
///
/// Stop travels the same road as messages, so it arrives after everything
/// sent before it. That is the opposite of ractor's `stop`, which has a
/// port of its own that overtakes the mailbox.
pub(crate) enum Envelope<M> {
    Message(M),
    Stop,
}
// ANCHOR_END: envelope

// ANCHOR: handle
/// The way to reach an actor. Clone it freely: every clone feeds the same
/// mailbox.
///
/// The mailbox is unbounded, as ractor's is: a sender never waits, and a
/// sender faster than the actor makes the queue, and the memory, grow.
pub struct Handle<M> {
    mailbox: mpsc::UnboundedSender<Envelope<M>>,
}

// A derived `Clone` would require `M: Clone`, which a message with a reply
// sender is not. Cloning the sender never clones a message.
impl<M> Clone for Handle<M> {
    fn clone(&self) -> Self {
        Handle {
            mailbox: self.mailbox.clone(),
        }
    }
}

/// The actor has stopped, so its mailbox no longer takes messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the actor has stopped")]
pub struct Stopped;

/// Why a [`Handle::call`] got no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// The actor had stopped before the question could be sent.
    #[error("the actor has stopped")]
    Stopped,
    /// The actor dropped the reply sender without answering: it stopped
    /// (or panicked) with the question still in its mailbox, or its handler
    /// chose not to answer.
    #[error("the actor dropped the question without answering")]
    NoReply,
}

/// Where an actor puts the answer to a [`Handle::call`].
pub type Reply<T> = oneshot::Sender<T>;

impl<M: Send + 'static> Handle<M> {
    /// Sends `message` and returns at once: "tell", or in ractor's words,
    /// a cast. `Ok` means the message is in the mailbox and will be handled.
    pub fn cast(&self, message: M) -> Result<(), Stopped> {
        self.mailbox
            .send(Envelope::Message(message))
            .map_err(|_| Stopped)
    }

    /// Sends a question built around a fresh reply sender and waits for the
    /// answer: "ask", or in ractor's words, a call.
    ///
    /// There is no timeout: a handler that never answers makes this wait
    /// forever. (Adding one is the first "What to try" of the book's
    /// chapter "An actor from scratch".)
    pub async fn call<T>(&self, question: impl FnOnce(Reply<T>) -> M) -> Result<T, CallError> {
        let (reply, answer) = oneshot::channel();
        self.cast(question(reply)).map_err(|_| CallError::Stopped)?;
        answer.await.map_err(|_| CallError::NoReply)
    }

    /// Asks the actor to stop once it has handled everything already in its
    /// mailbox. Messages sent after this are refused when the actor reaches
    /// the stop, and the ones that slipped in before that are still handled.
    pub fn stop(&self) -> Result<(), Stopped> {
        self.mailbox.send(Envelope::Stop).map_err(|_| Stopped)
    }

    /// False once the actor's loop has ended.
    pub fn is_running(&self) -> bool {
        !self.mailbox.is_closed()
    }
}
// ANCHOR_END: handle

// ANCHOR: spawn
/// Starts `actor` in a task of its own and returns a handle to it, plus the
/// task's `JoinHandle`, which gives the actor back once it has stopped.
///
/// Must be called from inside a tokio runtime.
pub fn spawn<A: Actor>(actor: A) -> (Handle<A::Message>, JoinHandle<A>) {
    let (sender, receiver) = mpsc::unbounded_channel();
    let task = tokio::spawn(run(actor, receiver));
    (Handle { mailbox: sender }, task)
}

/// The actor's whole life: take a message, handle it, repeat.
///
/// The loop ends in one of two ways:
/// * every handle has been dropped and the mailbox is empty, so `recv`
///   returns `None` (nobody can ever send another message), or
/// * a stop request comes out of the mailbox.
pub(crate) async fn run<A: Actor>(mut actor: A, mut mailbox: impl Inbox<A::Message>) -> A {
    while let Some(envelope) = mailbox.recv().await {
        match envelope {
            Envelope::Message(message) => actor.handle(message).await,
            Envelope::Stop => {
                // Refuse new messages from now on, but handle the ones that
                // were accepted before the door closed: a sender that got
                // `Ok` from `cast` was promised that its message is handled.
                mailbox.close();
                while let Some(envelope) = mailbox.recv().await {
                    if let Envelope::Message(message) = envelope {
                        actor.handle(message).await;
                    }
                }
            }
        }
    }
    actor
}
// ANCHOR_END: spawn

/// The receiving end that [`run`] reads: the unbounded channel above, or the
/// bounded mailbox of `mailbox.rs`. One loop serves both, so the two actors
/// differ only in their mailbox.
pub(crate) trait Inbox<M>: Send {
    /// The next envelope, or `None` once no more can arrive: the inbox is
    /// closed and empty, or every handle is gone and it is empty.
    fn recv(&mut self) -> impl Future<Output = Option<Envelope<M>>> + Send;

    /// Refuses new messages from now on. Those already accepted still come
    /// out of [`recv`](Inbox::recv).
    fn close(&mut self);
}

impl<M: Send> Inbox<M> for mpsc::UnboundedReceiver<Envelope<M>> {
    fn recv(&mut self) -> impl Future<Output = Option<Envelope<M>>> + Send {
        // The inherent method, not this one: the channel does the work.
        mpsc::UnboundedReceiver::recv(self)
    }

    fn close(&mut self) {
        mpsc::UnboundedReceiver::close(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An actor that records what it handled.
    struct Recorder(Vec<u32>);

    enum Note {
        Write(u32),
        Read(Reply<Vec<u32>>),
    }

    impl Actor for Recorder {
        type Message = Note;

        async fn handle(&mut self, message: Note) {
            match message {
                Note::Write(n) => self.0.push(n),
                Note::Read(reply) => {
                    let _ = reply.send(self.0.clone());
                }
            }
        }
    }

    /// Messages from one handle are handled in the order they were sent,
    /// and a call sees every cast made before it.
    #[tokio::test]
    async fn one_sender_is_fifo() {
        let (handle, _task) = spawn(Recorder(Vec::new()));
        for n in 0..5 {
            handle.cast(Note::Write(n)).unwrap();
        }
        assert_eq!(handle.call(Note::Read).await, Ok(vec![0, 1, 2, 3, 4]));
    }

    /// Dropping the last handle ends the loop, after the queue is handled,
    /// and the task hands the actor back.
    #[tokio::test]
    async fn dropping_every_handle_stops_the_actor() {
        let (handle, task) = spawn(Recorder(Vec::new()));
        let other = handle.clone();
        handle.cast(Note::Write(1)).unwrap();
        drop(handle);
        other.cast(Note::Write(2)).unwrap();
        drop(other);
        let actor = task.await.unwrap();
        assert_eq!(actor.0, vec![1, 2]);
    }

    /// Stop waits its turn: everything queued before it is handled, and a
    /// cast after the actor stopped is refused with a typed error.
    #[tokio::test]
    async fn stop_is_queued_behind_earlier_messages() {
        let (handle, task) = spawn(Recorder(Vec::new()));
        for n in 0..1000 {
            handle.cast(Note::Write(n)).unwrap();
        }
        handle.stop().unwrap();
        let actor = task.await.unwrap();
        assert_eq!(actor.0.len(), 1000);
        assert!(!handle.is_running());
        assert_eq!(handle.cast(Note::Write(0)), Err(Stopped));
        assert_eq!(handle.call(Note::Read).await, Err(CallError::Stopped));
    }

    /// A message that got in between the stop request and the stop itself
    /// is still handled: `Ok` from `cast` is a promise.
    #[tokio::test]
    async fn a_message_sent_after_stop_but_accepted_is_handled() {
        let (handle, task) = spawn(Recorder(Vec::new()));
        handle.stop().unwrap();
        // The actor task has not run yet on this single-threaded runtime,
        // so the mailbox is still open and takes this message.
        handle.cast(Note::Write(7)).unwrap();
        let actor = task.await.unwrap();
        assert_eq!(actor.0, vec![7]);
    }

    /// A panic in a handler ends the task. Callers find out as typed errors,
    /// and the join handle reports the panic: nobody else is told, because
    /// this actor has no supervisor.
    #[tokio::test]
    async fn a_panic_ends_the_actor_and_nobody_is_told() {
        #[derive(Debug)]
        struct Fragile;
        impl Actor for Fragile {
            type Message = Reply<()>;
            async fn handle(&mut self, _reply: Reply<()>) {
                panic!("fragile actor");
            }
        }
        let (handle, task) = spawn(Fragile);
        assert_eq!(handle.call(|reply| reply).await, Err(CallError::NoReply));
        assert!(task.await.unwrap_err().is_panic());
        assert_eq!(handle.call(|reply| reply).await, Err(CallError::Stopped));
    }
}
