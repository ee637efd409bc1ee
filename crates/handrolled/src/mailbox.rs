//! A mailbox with a bound, for the actor of `actor.rs`.
//!
//! ractor owns its mailbox, an unbounded channel. The hand-rolled actor owns
//! its own, so it can have a real bound and a policy for a full one, chosen
//! at [`spawn_with`]: the [`Mailbox`] and [`Overflow`] of `actors-core`.
//!
//! The mailbox is a queue behind a std `Mutex`, never held across an
//! `.await`, and two [`Notify`]s: "something arrived" wakes the actor, "there
//! is room" wakes blocked senders. Only operations, what [`Handle::send`]
//! carries, count against the capacity. Questions ([`Handle::call`]) and the
//! stop request skip the bound but queue in the same line, so a question
//! still sees every operation sent before it. The [`Gauge`] measures the
//! depth: the operations waiting, not the one being handled.

use std::collections::VecDeque;
use std::pin::pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use actors_core::mailbox::Gauge;
use actors_core::{Mailbox, Overflow};
use tokio::sync::{Notify, oneshot};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::actor::{self, Actor, CallError, Envelope, Inbox, Reply, Stopped};

/// What became of a message the mailbox took.
#[derive(Debug, PartialEq, Eq)]
pub enum Sent<M> {
    /// It waits in the mailbox, and will be handled.
    Queued,
    /// It waits in the mailbox, and the oldest operation waiting was evicted
    /// to make room (drop oldest). Here it is: it will never be handled.
    Evicted(M),
    /// The mailbox was full and discarded it (drop newest). It will never
    /// be handled.
    Dropped,
}

/// Why a message was not taken. The message comes back: what to do with it
/// is the sender's decision.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SendError<M> {
    /// The mailbox is full: fail fast, a blocked send that timed out, or a
    /// [`Handle::try_send`].
    #[error("the mailbox is full")]
    Full(M),
    /// The actor has stopped.
    #[error("the actor has stopped")]
    Stopped(M),
}

impl<M> SendError<M> {
    /// The message that was not sent.
    pub fn into_inner(self) -> M {
        match self {
            SendError::Full(message) | SendError::Stopped(message) => message,
        }
    }
}

/// One place in line.
enum Entry<M> {
    /// Sent by `send` or `try_send`: counts against the capacity.
    Operation(M),
    /// Sent by `call`: skips the bound, keeps its place.
    Question(M),
    Stop,
}

struct Queue<M> {
    entries: VecDeque<Entry<M>>,
    /// How many of `entries` are operations: what the capacity bounds.
    operations: usize,
    /// False once the actor has reached a stop, or ended.
    open: bool,
    /// Live handles. At zero, with the queue empty, the actor's loop ends.
    handles: usize,
}

struct Shared<M> {
    queue: Mutex<Queue<M>>,
    /// Wakes the actor: an entry arrived, or the last handle went.
    arrived: Notify,
    /// Wakes blocked senders: an operation left, or the mailbox closed.
    room: Notify,
    gauge: Gauge,
    /// `None` for an unbounded mailbox.
    capacity: Option<usize>,
    overflow: Option<Overflow>,
}

impl<M> Shared<M> {
    /// Nothing under the lock can leave the queue half-changed, so even a
    /// poisoned lock guards a whole queue.
    fn lock(&self) -> MutexGuard<'_, Queue<M>> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn has_room(&self, queue: &Queue<M>) -> bool {
        self.capacity
            .is_none_or(|capacity| queue.operations < capacity)
    }

    /// Called with the lock held, so that the depth the gauge records never
    /// passes the capacity, even for a moment.
    fn push_operation(&self, queue: &mut Queue<M>, message: M) {
        queue.entries.push_back(Entry::Operation(message));
        queue.operations += 1;
        self.gauge.enter();
    }
}

/// The way to reach an actor with a measured, maybe bounded, mailbox. Clone
/// it freely: every clone feeds the same mailbox.
pub struct Handle<M> {
    shared: Arc<Shared<M>>,
}

impl<M> Clone for Handle<M> {
    fn clone(&self) -> Self {
        self.shared.lock().handles += 1;
        Handle {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<M> Drop for Handle<M> {
    fn drop(&mut self) {
        let mut queue = self.shared.lock();
        queue.handles -= 1;
        let last = queue.handles == 0;
        drop(queue);
        if last {
            self.shared.arrived.notify_one();
        }
    }
}

impl<M: Send + 'static> Handle<M> {
    /// Queues `message` if there is room now, whatever the policy, and never
    /// waits. A full mailbox hands it back as [`SendError::Full`] and counts
    /// nothing: this is a probe, and the route policy probes with it.
    pub fn try_send(&self, message: M) -> Result<Sent<M>, SendError<M>> {
        let mut queue = self.shared.lock();
        if !queue.open {
            return Err(SendError::Stopped(message));
        }
        if !self.shared.has_room(&queue) {
            return Err(SendError::Full(message));
        }
        self.shared.push_operation(&mut queue, message);
        drop(queue);
        self.shared.arrived.notify_one();
        Ok(Sent::Queued)
    }

    // ANCHOR: overflow
    /// Sends `message` as an operation, applying the mailbox's policy when it
    /// is full. Only `Block` waits. `Route` behaves as [`try_send`](Self::try_send)
    /// here: routing to another actor is the caller's job.
    pub async fn send(&self, message: M) -> Result<Sent<M>, SendError<M>> {
        let message = match self.try_send(message) {
            Err(SendError::Full(message)) => message,
            queued_or_stopped => return queued_or_stopped,
        };
        let gauge = &self.shared.gauge;
        match self.shared.overflow {
            Some(Overflow::Block { timeout }) => self.send_or_wait(message, timeout).await,
            Some(Overflow::FailFast) => {
                gauge.refused();
                Err(SendError::Full(message))
            }
            Some(Overflow::DropNewest) => {
                gauge.dropped();
                drop(message);
                Ok(Sent::Dropped)
            }
            Some(Overflow::DropOldest) => self.evict_oldest(message),
            // An unbounded mailbox is never full, so only `Route` gets here.
            Some(Overflow::Route) | None => Err(SendError::Full(message)),
        }
    }
    // ANCHOR_END: overflow

    /// Waits for room, whatever the policy, as `Block` does. With a `timeout`
    /// the message comes back as [`SendError::Full`] once it has passed,
    /// counted as refused. The route policy waits here when no actor has room.
    pub async fn send_or_wait(
        &self,
        mut message: M,
        timeout: Option<Duration>,
    ) -> Result<Sent<M>, SendError<M>> {
        // tokio's Instant: on a paused clock the wait is virtual. A timeout
        // too far away to add is no timeout.
        let deadline = timeout.and_then(|timeout| Instant::now().checked_add(timeout));
        loop {
            let mut room = pin!(self.shared.room.notified());
            // In line before looking: room made between the look and the
            // wait still wakes this sender.
            room.as_mut().enable();
            message = match self.try_send(message) {
                Err(SendError::Full(message)) => message,
                queued_or_stopped => return queued_or_stopped,
            };
            let woken = match deadline {
                None => {
                    room.await;
                    true
                }
                Some(deadline) => tokio::time::timeout_at(deadline, room).await.is_ok(),
            };
            if !woken {
                self.shared.gauge.refused();
                return Err(SendError::Full(message));
            }
        }
    }

    // ANCHOR: evict
    /// Drop oldest: the oldest waiting operation leaves, unhandled, and
    /// `message` takes a place at the back. The lock is held throughout, so
    /// no other sender can take the place in between.
    fn evict_oldest(&self, message: M) -> Result<Sent<M>, SendError<M>> {
        let mut queue = self.shared.lock();
        if !queue.open {
            return Err(SendError::Stopped(message));
        }
        let mut evicted = None;
        if !self.shared.has_room(&queue) {
            // The oldest operation, not the oldest entry: a question ahead
            // of it skips the bound, so it keeps its place.
            let oldest = queue
                .entries
                .iter()
                .position(|entry| matches!(entry, Entry::Operation(_)));
            if let Some(Entry::Operation(old)) = oldest.and_then(|at| queue.entries.remove(at)) {
                queue.operations -= 1;
                self.shared.gauge.leave();
                self.shared.gauge.dropped();
                evicted = Some(old);
            }
        }
        self.shared.push_operation(&mut queue, message);
        drop(queue);
        self.shared.arrived.notify_one();
        Ok(evicted.map_or(Sent::Queued, Sent::Evicted))
    }
    // ANCHOR_END: evict

    /// Asks a question and waits for the answer. The question skips the
    /// bound, so a full mailbox never refuses it, and it queues behind every
    /// operation sent before it, so the answer sees them all.
    pub async fn call<T>(&self, question: impl FnOnce(Reply<T>) -> M) -> Result<T, CallError> {
        let (reply, answer) = oneshot::channel();
        self.push(Entry::Question(question(reply)))
            .map_err(|_| CallError::Stopped)?;
        answer.await.map_err(|_| CallError::NoReply)
    }

    /// Asks the actor to stop once it has handled everything queued before
    /// this. Skips the bound, like a question. Sends that slip in before the
    /// actor reaches the stop are still handled; later ones are refused.
    pub fn stop(&self) -> Result<(), Stopped> {
        self.push(Entry::Stop)
    }

    /// Queues an entry that skips the bound.
    fn push(&self, entry: Entry<M>) -> Result<(), Stopped> {
        let mut queue = self.shared.lock();
        if !queue.open {
            return Err(Stopped);
        }
        queue.entries.push_back(entry);
        drop(queue);
        self.shared.arrived.notify_one();
        Ok(())
    }

    /// False once the actor has reached a stop, or its loop has ended.
    pub fn is_running(&self) -> bool {
        self.shared.lock().open
    }

    /// The mailbox's counts: depth, peak, and what its policy did.
    pub fn gauge(&self) -> &Gauge {
        &self.shared.gauge
    }
}

/// The actor's end of the mailbox, read by the loop of `actor.rs`.
struct Receiver<M> {
    shared: Arc<Shared<M>>,
}

impl<M: Send> Inbox<M> for Receiver<M> {
    async fn recv(&mut self) -> Option<Envelope<M>> {
        loop {
            // `notify_one` keeps a permit when nobody waits, so an arrival
            // between the look below and the wait is not missed.
            let arrived = self.shared.arrived.notified();
            {
                let mut queue = self.shared.lock();
                match queue.entries.pop_front() {
                    Some(Entry::Operation(message)) => {
                        queue.operations -= 1;
                        self.shared.gauge.take();
                        drop(queue);
                        self.shared.room.notify_one();
                        return Some(Envelope::Message(message));
                    }
                    Some(Entry::Question(message)) => return Some(Envelope::Message(message)),
                    Some(Entry::Stop) => return Some(Envelope::Stop),
                    None if !queue.open || queue.handles == 0 => return None,
                    None => {}
                }
            }
            arrived.await;
        }
    }

    fn close(&mut self) {
        self.shared.lock().open = false;
        // Blocked senders wake to find the mailbox closed.
        self.shared.room.notify_waiters();
    }
}

/// The loop has ended, handled or not (a panic in a handler ends it too).
/// What is still queued leaves unhandled: a question's caller sees
/// `NoReply`, and the depth goes back to zero.
impl<M> Drop for Receiver<M> {
    fn drop(&mut self) {
        let unread = {
            let mut queue = self.shared.lock();
            queue.open = false;
            for _ in 0..queue.operations {
                self.shared.gauge.leave();
            }
            queue.operations = 0;
            std::mem::take(&mut queue.entries)
        };
        // Outside the lock: dropping a question wakes its caller.
        drop(unread);
        self.shared.room.notify_waiters();
    }
}

// ANCHOR: spawn_with
/// Starts `actor` in a task of its own, with the mailbox chosen, and returns
/// a handle to it plus the task's `JoinHandle`, as [`actor::spawn`] does.
/// An unbounded mailbox has no limit but is measured all the same.
///
/// A capacity of zero, which [`Mailbox::bounded`] refuses, is taken as 1:
/// a mailbox that can hold nothing would refuse, or block, every operation.
/// Must be called from inside a tokio runtime.
pub fn spawn_with<A: Actor>(actor: A, mailbox: Mailbox) -> (Handle<A::Message>, JoinHandle<A>) {
    let shared = Arc::new(Shared {
        queue: Mutex::new(Queue {
            entries: VecDeque::new(),
            operations: 0,
            open: true,
            handles: 1,
        }),
        arrived: Notify::new(),
        room: Notify::new(),
        gauge: Gauge::default(),
        capacity: mailbox.capacity().map(|capacity| capacity.max(1)),
        overflow: mailbox.overflow(),
    });
    let receiver = Receiver {
        shared: Arc::clone(&shared),
    };
    let task = tokio::spawn(actor::run(actor, receiver));
    (Handle { shared }, task)
}
// ANCHOR_END: spawn_with

#[cfg(test)]
mod tests {
    use std::pin::pin;

    use futures::poll;

    use super::*;

    /// An actor that records what it handled, and can be told to panic.
    #[derive(Debug)]
    struct Recorder(Vec<u32>);

    #[derive(Debug)]
    enum Note {
        Write(u32),
        Read(Reply<Vec<u32>>),
        Panic,
    }

    impl Actor for Recorder {
        type Message = Note;

        async fn handle(&mut self, note: Note) {
            match note {
                Note::Write(n) => self.0.push(n),
                Note::Read(reply) => {
                    let _ = reply.send(self.0.clone());
                }
                Note::Panic => panic!("recorder told to panic"),
            }
        }
    }

    /// Stop skips the bound but waits its turn: a full mailbox takes it,
    /// everything before it is handled, and a send after it is refused
    /// with the message handed back.
    #[tokio::test(start_paused = true)]
    async fn stop_skips_the_bound_and_is_queued_behind_earlier_messages() {
        let fail_fast = Mailbox::bounded(Overflow::FailFast, 2).unwrap();
        let (handle, task) = spawn_with(Recorder(Vec::new()), fail_fast);
        handle.send(Note::Write(1)).await.unwrap();
        handle.send(Note::Write(2)).await.unwrap();
        assert!(handle.send(Note::Write(0)).await.is_err());
        assert_eq!(handle.stop(), Ok(()));
        assert_eq!(task.await.unwrap().0, vec![1, 2]);
        assert!(!handle.is_running());
        assert!(matches!(
            handle.send(Note::Write(3)).await,
            Err(SendError::Stopped(Note::Write(3)))
        ));
        assert_eq!(handle.call(Note::Read).await, Err(CallError::Stopped));
    }

    /// Dropping every handle ends the loop once the queue is handled.
    #[tokio::test(start_paused = true)]
    async fn dropping_every_handle_stops_the_actor() {
        let (handle, task) = spawn_with(Recorder(Vec::new()), Mailbox::Unbounded);
        let other = handle.clone();
        handle.send(Note::Write(1)).await.unwrap();
        drop(handle);
        other.send(Note::Write(2)).await.unwrap();
        drop(other);
        assert_eq!(task.await.unwrap().0, vec![1, 2]);
    }

    /// A sender blocked on a full mailbox is woken when the actor reaches
    /// a stop, and gets its message back.
    #[tokio::test(start_paused = true)]
    async fn a_blocked_sender_is_told_when_the_actor_stops() {
        let block = Mailbox::bounded(Overflow::Block { timeout: None }, 1).unwrap();
        let (handle, task) = spawn_with(Recorder(Vec::new()), block);
        handle.stop().unwrap();
        handle.send(Note::Write(1)).await.unwrap();
        // Full: this waits, the actor reaches the stop and closes the door.
        assert!(matches!(
            handle.send(Note::Write(2)).await,
            Err(SendError::Stopped(Note::Write(2)))
        ));
        assert_eq!(task.await.unwrap().0, vec![1]);
    }

    /// Drop oldest evicts the oldest operation, not a question queued
    /// before it: the question keeps its place and is answered first.
    #[tokio::test(start_paused = true)]
    async fn drop_oldest_evicts_an_operation_never_a_question() {
        let drop_oldest = Mailbox::bounded(Overflow::DropOldest, 1).unwrap();
        let (handle, _task) = spawn_with(Recorder(Vec::new()), drop_oldest);
        handle.send(Note::Write(1)).await.unwrap();
        let mut read = pin!(handle.call(Note::Read));
        // Polled once: the question is in line, behind 1.
        assert!(poll!(read.as_mut()).is_pending());
        assert!(matches!(
            handle.send(Note::Write(2)).await,
            Ok(Sent::Evicted(Note::Write(1)))
        ));
        assert_eq!(read.await, Ok(vec![]));
        assert_eq!(handle.call(Note::Read).await, Ok(vec![2]));
        let report = handle.gauge().report();
        assert_eq!((report.dropped, report.peak, report.taken), (1, 1, 1));
    }

    /// A panic ends the loop, and what was still queued leaves unhandled:
    /// the depth returns to zero and the question behind gets no answer.
    #[tokio::test(start_paused = true)]
    async fn a_panic_empties_the_mailbox() {
        let fail_fast = Mailbox::bounded(Overflow::FailFast, 4).unwrap();
        let (handle, task) = spawn_with(Recorder(Vec::new()), fail_fast);
        handle.send(Note::Panic).await.unwrap();
        handle.send(Note::Write(1)).await.unwrap();
        assert_eq!(handle.call(Note::Read).await, Err(CallError::NoReply));
        assert!(task.await.unwrap_err().is_panic());
        let report = handle.gauge().report();
        assert_eq!((report.depth, report.peak, report.taken), (0, 2, 1));
        assert!(matches!(
            handle.send(Note::Write(2)).await,
            Err(SendError::Stopped(Note::Write(2)))
        ));
    }
}
