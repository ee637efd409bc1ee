//! # Exercise 10: a registry that stays linear
//!
//! The article's aggregator checks each new counter against every counter
//! already registered. At four counters nobody notices; at 100,000 that is
//! five billion comparisons, and registration never ends. The chapter "How
//! many actors fit?" (`docs/scale.md`) runs into this on its way to a
//! million counters.
//!
//! Here you write the fix: a [`Registry`] that keeps its entries in the
//! order they came, refuses a key it already holds, and drops the entries a
//! round found stopped, each in a constant amount of work per entry. You
//! write two methods in `src/starter.rs`: [`Registry::insert`] and
//! [`Registry::retain`]. The book's page is "Exercise 10: a registry that
//! stays linear" (`docs/exercises/10-linear-registry.md`).
//!
//! Write your answer in `src/starter.rs`, then grade it:
//!
//! ```text
//! just exercise 10
//! # which runs: cargo test -p exercise-10-linear-registry --features starter
//! ```
//!
//! Without the `starter` feature the same grader runs against the reference
//! solution, which is how CI knows the grader can pass.

use std::collections::HashSet;

// `Registry::insert` and `Registry::retain`, the methods under test. Either
// file adds them in an `impl` block of its own, so there is nothing to
// re-export; the `starter` feature picks the student's file.
#[cfg(not(feature = "starter"))]
mod solution;

// The starter's parameters stay unused until the student writes the bodies.
#[cfg(feature = "starter")]
#[allow(unused_variables)]
mod starter;

// Only `insert` and `retain` read `keys`, and the untouched starter does not yet.
#[cfg_attr(feature = "starter", allow(dead_code))]
// ANCHOR: registry
/// Values of type `V` under unique keys of type `K`, in the order they came.
///
/// The two fields hold the same keys: `entries` for the order, `keys` to
/// find a key in one lookup. Every method keeps them in step.
#[derive(Debug)]
pub struct Registry<K, V> {
    /// Every entry, oldest first.
    entries: Vec<(K, V)>,
    /// The key of every entry, and nothing else.
    keys: HashSet<K>,
}
// ANCHOR_END: registry

// ANCHOR: given
impl<K, V> Registry<K, V> {
    /// An empty registry.
    pub fn new() -> Self {
        Registry {
            entries: Vec::new(),
            keys: HashSet::new(),
        }
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The values, oldest first.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, value)| value)
    }
}
// ANCHOR_END: given

impl<K, V> Default for Registry<K, V> {
    fn default() -> Self {
        Registry::new()
    }
}
