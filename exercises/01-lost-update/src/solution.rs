//! The reference solution of exercise 01. Do not read it before you have
//! tried `src/starter.rs`.
//!
//! Both functions are a compare-and-swap loop. `fetch_add` alone would lose
//! no update, but it cannot refuse: at `u64::MAX` it wraps to zero, and
//! `fetch_sub` at zero wraps to `u64::MAX`. The loop computes the next value
//! with the check, and stores it only if the counter still holds the value
//! that was checked.
//!
//! Every ordering is `Relaxed`. All changes to one atomic form a single
//! order that every thread agrees on, whatever the ordering argument, and a
//! counter that publishes no other data needs nothing more.

use crate::{AtomicU64, CounterError};
use loom::sync::atomic::Ordering::Relaxed;

/// Adds one to `counter` and returns the new value, or leaves the counter
/// alone and returns [`CounterError::Overflow`] if it is at `u64::MAX`.
pub fn increment(counter: &AtomicU64) -> Result<u64, CounterError> {
    let mut current = counter.load(Relaxed);
    loop {
        let next = current.checked_add(1).ok_or(CounterError::Overflow)?;
        // Store `next` only if the counter still holds `current`, the value
        // the check approved. Otherwise another thread got there first: try
        // again from the value it left.
        match counter.compare_exchange_weak(current, next, Relaxed, Relaxed) {
            Ok(_) => return Ok(next),
            Err(actual) => current = actual,
        }
    }
}

/// Takes one from `counter` and returns the new value, or leaves the
/// counter alone and returns [`CounterError::Underflow`] if it is at zero.
pub fn decrement(counter: &AtomicU64) -> Result<u64, CounterError> {
    // The same loop as `increment`, as the atomic types package it:
    // `fetch_update` retries the closure until its compare-and-swap wins,
    // and gives up as soon as the closure returns `None`.
    counter
        .fetch_update(Relaxed, Relaxed, |value| value.checked_sub(1))
        .map(|previous| previous - 1)
        .map_err(|_| CounterError::Underflow)
}
