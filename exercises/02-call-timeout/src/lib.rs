//! # Exercise 02: a call with a deadline
//!
//! The hand-rolled actor of `handrolled::actor` answers questions through
//! [`Handle::call`](handrolled::actor::Handle::call), which waits for the
//! answer as long as it takes: forever, if the actor never replies. This
//! exercise adds the deadline that ractor's `call` has. You write one
//! function, [`call_timeout`], on top of the handle's public API, and it
//! must give up cleanly: the actor keeps running, the answer that comes too
//! late is thrown away without harm, and the question is asked only once.
//!
//! The book's page is "Exercise 2: a call with a deadline"
//! (`docs/exercises/02-call-timeout.md`), which follows the chapter "An
//! actor from scratch" (`docs/from-scratch.md`).
//!
//! Write your answer in `src/starter.rs`, then grade it:
//!
//! ```text
//! just exercise 2
//! # which runs: cargo test -p exercise-02-call-timeout --features starter
//! ```
//!
//! Without the `starter` feature the same grader runs against the reference
//! solution, which is how CI knows the grader can pass.

use std::time::Duration;

// The function under test. Both files have the same public items; the
// `starter` feature picks the student's.
#[cfg(not(feature = "starter"))]
mod solution;
#[cfg(not(feature = "starter"))]
pub use solution::*;

// The starter's parameters stay unused until the student writes the bodies.
#[cfg(feature = "starter")]
#[allow(unused_variables)]
mod starter;
#[cfg(feature = "starter")]
pub use starter::*;

// ANCHOR: call_error
/// Why a [`call_timeout`] came back without an answer.
///
/// The first two cases are those of `handrolled::actor::CallError`. That
/// enum cannot grow from outside its crate, so the exercise carries its own
/// copy with the third case added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// The actor had stopped before the question could be sent.
    #[error("the actor has stopped")]
    Stopped,
    /// The actor dropped the reply sender without answering.
    #[error("the actor dropped the question without answering")]
    NoReply,
    /// No answer came within the deadline, which the error carries. The
    /// question may still be in the mailbox, or in the middle of being
    /// handled: giving up does not take it back.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
}
// ANCHOR_END: call_error
