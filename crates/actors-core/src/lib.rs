//! # actors-core: the words every design shares
//!
//! This crate is the first stop in the lesson order:
//!
//! ```text
//! actors-core  <-  counter  <-  aggregator  <-  demo
//! ```
//!
//! It holds no ractor and no lock. It is the plain data and plain functions
//! that every design of the counter system uses, whether the counters live
//! inside ractor actors (the `counter` crate), inside the hand-rolled actor
//! of this crate, or behind a mutex or atomics (`lockbased-baseline`).
//! Keeping the vocabulary here means that two designs can only differ in
//! *how* they run, never in *what* they compute.
//!
//! * [`Operation`]: an increment or a decrement by an amount, and the rules
//!   for applying one to a value without ever wrapping around.
//! * [`Tally`]: the state of one counter, which applies operations and
//!   counts the ones it had to reject.
//! * [`CounterStats`] and [`AggregatedStats`]: what a counter reports, and
//!   what a collection round over many counters adds up to.
//! * [`Workload`]: the article's client workload as data, with every number a
//!   parameter, and the totals that it must produce.
//! * [`Transcript`]: where the lines a person reads go, either to standard
//!   output or into memory for a snapshot test.
//! * [`CounterSystem`]: the contract that all six designs implement, and
//!   [`drive`], which runs a workload against any of them.
//! * [`actor`]: the smallest actor that works, on a tokio channel, and
//!   [`HandRolledSystem`], the counter built on it.
//! * [`flow`]: one `tracing` event per message sent, with the target
//!   `"flow"` ([`flow::TARGET`]), from which `demo --trace` draws a sequence
//!   diagram. [`drive`] records every operation a client sends, and the
//!   hand-rolled system its questions and its shutdown.
//!
//! The book walks through this crate in the chapters "actors-core: the shared
//! vocabulary" (`docs/actors-core.md`) and "An actor from scratch"
//! (`docs/from-scratch.md`).

pub mod actor;
mod driver;
pub mod flow;
mod handrolled;
mod operation;
mod stats;
mod system;
mod transcript;
mod workload;

pub use driver::{Accounting, DriveError, drive};
pub use handrolled::{CounterMsg, HandCounter, HandRolledSystem};
pub use operation::{Operation, OperationError, Tally};
pub use stats::{AggregatedStats, CounterStats, aggregate};
pub use system::{CounterSystem, Receipt, SystemError, check_index};
pub use transcript::Transcript;
pub use workload::{Workload, WorkloadError};

/// The attribute that makes [`CounterSystem`] object-safe, re-exported so
/// that an implementation needs no dependency beyond this crate.
pub use async_trait::async_trait;
/// The clock every design reads. Inside a tokio runtime with a paused clock
/// it is virtual time; elsewhere it is `std::time::Instant`.
pub use tokio::time::Instant;
