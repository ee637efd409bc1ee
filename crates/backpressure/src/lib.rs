//! # backpressure: what a ractor counter does when its mailbox fills up
//!
//! After the aggregator in the lesson order, beside `supervision`:
//!
//! ```text
//! actors-core  <-  counter  <-  aggregator  <-  backpressure  <-  demo
//! ```
//!
//! Every ractor mailbox is unbounded: a client faster than its counter
//! makes the queue, and the memory, grow without limit. This crate bounds
//! one from outside, with the words of `actors_core::mailbox`:
//!
//! * [`SlowCounter`]: the ractor counter, spending some work per operation,
//!   so that its clients can outrun it;
//! * [`Front`]: a semaphore of places per counter, each operation carrying
//!   its place inside its message, and the policy (block, fail fast, drop
//!   newest, route) for an operation that finds none;
//! * [`Buffer`]: drop oldest, which a semaphore cannot express, as a
//!   bounded hand-rolled actor in front of the counter that can evict;
//! * [`BoundedSystem`]: all of it behind the `CounterSystem` contract.
//!
//! The book walks through it in "When the mailbox fills up"
//! (`docs/backpressure.md`) and the pages after it.

mod buffer;
mod front;
mod slow;
mod system;

pub use buffer::Buffer;
pub use front::{Admission, Front, FrontError};
pub use slow::SlowCounter;
pub use system::BoundedSystem;
