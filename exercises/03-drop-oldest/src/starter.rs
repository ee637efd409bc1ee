//! Your answer to exercise 03. Replace the `todo!()` and run
//! `just exercise 3` to grade it.

use crate::DropOldest;

// ANCHOR: push
impl<T> DropOldest<T> {
    /// Puts `message` at the back of the mailbox and wakes the receiver.
    ///
    /// If the mailbox already holds `capacity` messages, the oldest one
    /// (the front) leaves first to make room: it is counted in
    /// `dropped` and returned. Otherwise nothing is dropped and this
    /// returns `None`. The mailbox never holds more than `capacity`.
    ///
    /// Given to you: `self.capacity`, `self.state()` (locks the waiting
    /// messages, `waiting`, and the drop count, `dropped`), and
    /// `self.arrived.notify_one()`, which wakes a waiting `recv`.
    pub fn push(&self, message: T) -> Option<T> {
        todo!("exercise 03: write `DropOldest::push` in src/starter.rs")
    }
}
// ANCHOR_END: push
