//! The reference answer to exercise 03. The book never shows this file.

use crate::DropOldest;

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
        let evicted = {
            let mut state = self.state();
            // Make room first, so the mailbox is never over capacity, not
            // even inside the lock.
            let evicted = if state.waiting.len() == self.capacity {
                state.dropped += 1;
                state.waiting.pop_front()
            } else {
                None
            };
            state.waiting.push_back(message);
            evicted
        };
        // Wake after unlocking: the receiver's first move is to take the
        // lock, and it should find it free.
        self.arrived.notify_one();
        evicted
    }
}
