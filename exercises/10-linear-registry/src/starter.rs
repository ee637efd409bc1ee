//! Your answer to exercise 10. Replace both `todo!()`s and run
//! `just exercise 10` to grade it.

use std::hash::Hash;

use crate::Registry;

// ANCHOR: methods
impl<K: Hash + Eq + Copy, V> Registry<K, V> {
    /// Adds `value` under `key` as the newest entry, unless `key` is
    /// already there: then the answer is `Err(value)`, the value comes
    /// back, and nothing changes.
    ///
    /// A few comparisons and hashes of keys, whatever the registry holds:
    /// never one per entry.
    pub fn insert(&mut self, key: K, value: V) -> Result<(), V> {
        todo!("exercise 10: write `Registry::insert` in src/starter.rs")
    }

    /// Keeps the entries that `keep` accepts and drops the others, in one
    /// pass: `keep` is asked about every entry exactly once, oldest first.
    ///
    /// * The entries that stay keep their order.
    /// * A dropped key is gone from `keys` too, so it can be inserted
    ///   again.
    ///
    /// A few comparisons and hashes per entry, never a search through the
    /// entries for each one dropped.
    pub fn retain(&mut self, keep: impl FnMut(&K, &V) -> bool) {
        todo!("exercise 10: write `Registry::retain` in src/starter.rs")
    }
}
// ANCHOR_END: methods
