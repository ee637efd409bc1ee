//! The reference solution to exercise 10. The grader runs it when the
//! `starter` feature is off; the book never shows it.

use std::hash::Hash;

use crate::Registry;

impl<K: Hash + Eq + Copy, V> Registry<K, V> {
    /// Adds `value` under `key` as the newest entry, unless `key` is
    /// already there: then the answer is `Err(value)`, the value comes
    /// back, and nothing changes.
    ///
    /// A few comparisons and hashes of keys, whatever the registry holds:
    /// never one per entry.
    pub fn insert(&mut self, key: K, value: V) -> Result<(), V> {
        // One hash finds the key and adds it if it is new.
        if !self.keys.insert(key) {
            return Err(value);
        }
        self.entries.push((key, value));
        Ok(())
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
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &V) -> bool) {
        // `Vec::retain` asks about each entry once, in order, and closes the
        // gaps as it goes. The closure borrows the field `self.keys`, which
        // `self.entries.retain` leaves free.
        self.entries.retain(|(key, value)| {
            let stays = keep(key, value);
            if !stays {
                self.keys.remove(key);
            }
            stays
        });
    }
}
