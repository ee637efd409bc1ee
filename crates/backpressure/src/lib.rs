//! # backpressure: what a ractor counter does when its mailbox fills up
//!
//! After the aggregator in the lesson order, beside `supervision`:
//!
//! ```text
//! actors-core  <-  counter  <-  aggregator  <-  backpressure  <-  demo
//! ```
//!
//! Every ractor mailbox is unbounded. This crate bounds one from outside.
//!
//! The book walks through it in "When the mailbox fills up"
//! (`docs/backpressure.md`) and the pages after it.
