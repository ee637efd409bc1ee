//! # supervision: counters that crash, restart, and still count
//!
//! After the aggregator in the lesson order:
//!
//! ```text
//! actors-core  <-  counter  <-  aggregator  <-  supervision  <-  demo
//! ```
//!
//! ractor supplies links and [`ractor::SupervisionEvent`]s, and no policy.
//! This crate writes one: a [`Supervisor`] that restarts each failed
//! [`SupervisedCounter`] on its own (one-for-one) and gives up when
//! restarts pass an [`Intensity`] limit. Around it:
//!
//! * [`Faults`]: failures on purpose, by error or by panic, from a seed;
//! * [`Checkpoints`] and [`Recovery`]: what a restarted counter starts from;
//! * [`SupervisedSystem`]: the design behind the shared contract, whose
//!   clients number their operations ([`Delivery::Acknowledged`] resends
//!   until answered, [`Delivery::FireAndForget`] does not), so that nothing
//!   is applied twice and every loss is counted.
//!
//! The book walks through it in "When actors fail" (`docs/supervision.md`)
//! and the pages after it.

mod counter;
mod faults;
mod store;
mod supervisor;
mod system;

pub use counter::{SupervisedArgs, SupervisedCounter, SupervisedState};
pub use faults::{
    Fault, FaultKind, FaultPoint, Faults, InjectedFault, InjectedStartFailure, fail,
    quiet_injected_panics,
};
pub use store::{Checkpoint, Checkpoints, Recovery};
pub use supervisor::{
    GaveUp, Intensity, RestartWindow, SUPERVISOR, SupervisionReport, Supervisor, SupervisorArgs,
    SupervisorMessage, SupervisorState,
};
pub use system::{Delivery, SupervisedSystem, Supervision};
