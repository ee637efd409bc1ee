//! # Exercise 12: a message that crosses the wire
//!
//! In one process, a message is moved from one task to another and never
//! changes form. Between two processes it has to become bytes, and the
//! bytes have to become the same message again on the other side. ractor
//! leaves the bytes to you: a type that travels implements
//! `ractor::BytesConvertable`, and a message enum that travels derives
//! `RactorClusterMessage`, which writes each variant as its name and its
//! fields' bytes. The chapter "Across processes" (`docs/cluster.md`) shows
//! the counters' own messages doing this between two processes.
//!
//! Here a tally in another process answers [`Reading`]s. You write, in
//! `src/starter.rs`, how a reading becomes bytes and back, and you turn
//! `TallyMessage`, a message for one process as given, into one that can
//! travel. Nothing here opens a socket: the grader plays the wire itself,
//! with `Message::serialize` on one side and `Message::deserialize` on the
//! other. The book's page is "Exercise 12: a message that crosses the
//! wire" (`docs/exercises/12-on-the-wire.md`).
//!
//! Write your answer in `src/starter.rs`, then grade it:
//!
//! ```text
//! just exercise 12
//! # which runs: cargo test -p exercise-12-on-the-wire --features starter
//! ```
//!
//! Without the `starter` feature the same grader runs against the reference
//! solution, which is how CI knows the grader can pass.

#[cfg(not(feature = "starter"))]
mod solution;
#[cfg(not(feature = "starter"))]
pub use solution::TallyMessage;

// The starter's parameters stay unused until the student writes the bodies.
#[cfg(feature = "starter")]
#[allow(unused_variables)]
mod starter;
#[cfg(feature = "starter")]
pub use starter::TallyMessage;

// ANCHOR: reading
/// A tally's answer to a read, as the caller receives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// The tally's figures.
    Tally {
        /// How many operations it has applied.
        count: u64,
        /// What they add up to.
        value: i64,
    },
    /// Bytes arrived that are not a tally: too few, or too many.
    Garbled {
        /// How many bytes arrived. Only a receiver makes a garbled reading
        /// and it never travels, so this may be a `usize`.
        len: usize,
    },
}

/// How many bytes a tally takes on the wire: its `u64`, then its `i64`.
pub const TALLY_BYTES: usize = 16;
// ANCHOR_END: reading
