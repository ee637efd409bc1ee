//! # actors-core: the words every design shares
//!
//! This crate is the first stop in the lesson order:
//!
//! ```text
//! actors-core  <-  counter  <-  aggregator  <-  demo
//!      ^-------  handrolled, lockbased-baseline
//! ```
//!
//! It holds no actor and no counter design, only what all six designs share,
//! so that two designs can differ in *how* they run, never in *what* they
//! compute:
//!
//! * [`Operation`] and [`Tally`]: an increment or a decrement, and the one
//!   rule for applying it without wrapping around, counting refusals.
//! * [`CounterStats`] and [`AggregatedStats`]: what a counter reports, and
//!   what a collection round adds up to.
//! * [`Ledger`]: numbered operations, applied at most once, with the
//!   missing ones counted: what a supervised counter checkpoints.
//! * [`Workload`]: the article's client workload as data, and its totals.
//! * [`Design`]: the six designs' names, written once.
//! * [`CounterSystem`]: the contract every design implements, and [`drive`],
//!   which runs a workload against any of them.
//! * [`Transcript`]: where the lines a person reads go, standard output or
//!   memory (behind a mutex, so that tasks can share it).
//! * [`flow`]: one `tracing` event per message sent, from which
//!   `demo run --trace` draws a sequence diagram.
//!
//! The book walks through this crate in "actors-core: the shared vocabulary"
//! (`docs/actors-core.md`) and "One contract, six designs" (`docs/contract.md`).

mod design;
mod driver;
pub mod flow;
mod ledger;
pub mod mailbox;
pub mod message;
mod operation;
mod stats;
mod system;
mod transcript;
mod workload;

pub use design::{Design, UnknownDesign};
pub use driver::{Accounting, DriveError, drive};
pub use ledger::{Ack, AckOutcome, ClientRecord, Ledger, Verdict};
pub use mailbox::{Mailbox, MailboxError, MailboxReport, Overflow};
pub use operation::{Operation, OperationError, Tally};
pub use stats::{AggregatedStats, CounterStats, aggregate};
pub use system::{CounterSystem, Receipt, SystemError, check_index};
pub use transcript::{Family, Transcript};
pub use workload::{Workload, WorkloadError};

/// The attribute that makes [`CounterSystem`] object-safe, re-exported so
/// that an implementation needs no dependency beyond this crate.
pub use async_trait::async_trait;
/// The clock every design reads. Inside a tokio runtime with a paused clock
/// it is virtual time; elsewhere it is `std::time::Instant`.
pub use tokio::time::Instant;
