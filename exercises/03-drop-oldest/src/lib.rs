//! # Exercise 03: a drop-oldest mailbox
//!
//! The hand-rolled actor of `handrolled::actor` has an unbounded mailbox:
//! a sender never waits, and a sender faster than the actor makes the queue
//! grow without limit. This exercise bounds it. [`DropOldest`] holds at most
//! `capacity` messages, and when a new one arrives at a full mailbox the
//! oldest waiting message makes room for it. That suits messages that go
//! stale, such as readings or progress reports, where the newest is the one
//! worth handling.
//!
//! Dropping is allowed; losing track is not. Every message the mailbox
//! throws away is counted, so that sent = handled + dropped + still waiting
//! always adds up.
//!
//! The given code is the mailbox's state, [`DropOldest::new`] (which
//! refuses a capacity of zero with [`ZeroCapacity`]), [`DropOldest::recv`]
//! and [`DropOldest::dropped`]. Your task is [`DropOldest::push`], in
//! `src/starter.rs`: the eviction rule and the count.
//!
//! The book's page is "Exercise 3: a drop-oldest mailbox"
//! (`docs/exercises/03-drop-oldest.md`), which follows the chapter "An actor
//! from scratch" (`docs/from-scratch.md`). Grade your answer with:
//!
//! ```text
//! just exercise 3
//! # which runs: cargo test -p exercise-03-drop-oldest --features starter
//! ```
//!
//! Without the `starter` feature the same grader runs against the reference
//! solution, which is how CI knows the grader can pass.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

// The switch between the two files. Each adds `push` to `DropOldest` in an
// `impl` block of its own. A method needs no re-export, so where other
// exercises say `pub use solution::*`, this one has nothing to say.
#[cfg(not(feature = "starter"))]
mod solution;

// The starter's parameters stay unused until the student writes the bodies.
#[cfg(feature = "starter")]
#[allow(unused_variables)]
mod starter;

// ANCHOR: mailbox
/// A bounded mailbox that makes room for a new message by dropping the
/// oldest waiting one, and counts what it dropped.
///
/// Any number of senders may [`push`](Self::push) through a shared
/// reference (put it in an `Arc`); one receiver takes messages out with
/// [`recv`](Self::recv), oldest first.
#[derive(Debug)]
pub struct DropOldest<T> {
    /// The most messages that may wait at once. Never zero.
    capacity: usize,
    /// The waiting messages and the drop count, behind one lock.
    ///
    /// A std mutex, not tokio's: it is never held across an `.await`, so
    /// it never blocks a task for longer than a few instructions.
    state: Mutex<State<T>>,
    /// Wakes the receiver when a message arrives.
    arrived: Notify,
}

/// What the lock guards.
#[derive(Debug)]
struct State<T> {
    /// The waiting messages, oldest at the front.
    waiting: VecDeque<T>,
    /// How many messages were dropped to make room, since the start.
    ///
    /// In the same lock as `waiting`, so that dropping a message and
    /// counting it are one step: nobody can see the message gone and the
    /// count not yet raised.
    dropped: u64,
}
// ANCHOR_END: mailbox

/// A mailbox with room for no message at all cannot take one: every push
/// would drop the message it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a mailbox needs room for at least one message")]
pub struct ZeroCapacity;

impl<T> DropOldest<T> {
    /// An empty mailbox with room for `capacity` messages.
    pub fn new(capacity: usize) -> Result<Self, ZeroCapacity> {
        if capacity == 0 {
            return Err(ZeroCapacity);
        }
        Ok(DropOldest {
            capacity,
            state: Mutex::new(State {
                waiting: VecDeque::with_capacity(capacity),
                dropped: 0,
            }),
            arrived: Notify::new(),
        })
    }

    /// The most messages that may wait at once.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many messages are waiting now.
    pub fn len(&self) -> usize {
        self.state().waiting.len()
    }

    /// True if no message is waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A copy of the waiting messages, oldest first, for reports and tests.
    pub fn snapshot(&self) -> Vec<T>
    where
        T: Clone,
    {
        self.state().waiting.iter().cloned().collect()
    }

    /// How many messages have been dropped to make room, since the start.
    pub fn dropped(&self) -> u64 {
        self.state().dropped
    }

    /// Takes the oldest waiting message, waiting for one if there is none.
    pub async fn recv(&self) -> T {
        loop {
            // Ask to be woken *before* looking, so that a push between the
            // look and the `.await` still wakes us: `notify_one` stores a
            // permit when nobody is waiting yet.
            let arrived = self.arrived.notified();
            if let Some(message) = self.state().waiting.pop_front() {
                return message;
            }
            arrived.await;
        }
    }

    /// Locks the state. A panic while the lock was held cannot leave the
    /// queue half-changed (every change is one `VecDeque` call and one
    /// addition), so a poisoned lock is safe to use.
    fn state(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
