//! # handrolled: an actor from scratch
//!
//! The second design in the book, and the first actor: no framework, only
//! tokio.
//!
//! ```text
//! actors-core  <-  handrolled  <-  demo
//! ```
//!
//! * [`actor`]: the smallest actor that works. A task owns the state, a
//!   channel is its mailbox, a loop handles one message at a time, and a
//!   [`Handle`](actor::Handle) is what everybody else holds.
//! * [`mailbox`]: the same actor with a mailbox of its own, measured and
//!   maybe bounded, with a policy for when it is full.
//! * [`HandCounter`] and [`HandRolledSystem`]: the article's counter on that
//!   actor, and a system of them behind the shared
//!   [`CounterSystem`](actors_core::CounterSystem) contract.
//!
//! It depends on `actors-core` only, never on ractor: what ractor adds is
//! the subject of `counter/tests/vs_handrolled.rs`. The book walks through
//! this crate in "An actor from scratch" (`docs/from-scratch.md`).

pub mod actor;
mod counter;
pub mod mailbox;

pub use counter::{CounterMsg, HandCounter, HandRolledSystem};
