//! # actors-core: the words every design shares
//!
//! This crate is the first stop in the lesson order:
//!
//! ```text
//! actors-core  <-  counter  <-  aggregator  <-  demo
//! ```
//!
//! It holds no actor and no lock. It is plain data and plain functions that
//! every design of the counter system uses, whether the counters live inside
//! ractor actors (the `counter` crate) or behind a mutex or atomics (a later
//! crate). Keeping the vocabulary here means that two designs can only differ
//! in *how* they run, never in *what* they compute.
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
//!
//! The book walks through this crate in the chapter "actors-core: the shared
//! vocabulary" (`docs/actors-core.md`).

mod operation;
mod stats;
mod transcript;
mod workload;

pub use operation::{Operation, OperationError, Tally};
pub use stats::{AggregatedStats, CounterStats, aggregate};
pub use transcript::Transcript;
pub use workload::{Workload, WorkloadError};
