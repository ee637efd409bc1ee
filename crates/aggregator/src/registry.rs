//! The aggregator's registry: its counters in registration order, with a
//! set beside them so that a duplicate is found in one lookup.
//!
//! The article checks each new counter against every registered one. That
//! is n²/2 comparisons for n counters: nothing at 4, 50 million at 10,000,
//! and registering 100,000 took minutes. The set makes each check one hash
//! and, on a collision, one comparison.

use std::collections::HashSet;
use std::hash::Hash;

// ANCHOR: registry
/// Entries of type `V` under unique keys `K`, in the order they came.
#[derive(Debug)]
pub struct Registry<K, V> {
    entries: Vec<(K, V)>,
    keys: HashSet<K>,
}

impl<K: Hash + Eq + Copy, V> Registry<K, V> {
    /// Adds `value` under `key`, unless the key is already there: then
    /// nothing changes and the value comes back.
    pub fn insert(&mut self, key: K, value: V) -> Result<(), V> {
        if !self.keys.insert(key) {
            return Err(value);
        }
        self.entries.push((key, value));
        Ok(())
    }
    // ANCHOR_END: registry

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The values, in registration order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, value)| value)
    }

    /// The first value that `matches`, to change it. A scan: for the rare
    /// lookup by something other than the key.
    pub fn find_mut(&mut self, matches: impl Fn(&V) -> bool) -> Option<&mut V> {
        let entry = self.entries.iter_mut().find(|(_, value)| matches(value));
        entry.map(|(_, value)| value)
    }

    /// Changes the key of the entry now under `old`. Refused, changing
    /// nothing, if `new` is taken or `old` is not there.
    pub fn rekey(&mut self, old: K, new: K) -> bool {
        if self.keys.contains(&new) || !self.keys.remove(&old) {
            return false;
        }
        self.keys.insert(new);
        if let Some(entry) = self.entries.iter_mut().find(|(key, _)| *key == old) {
            entry.0 = new;
        }
        true
    }

    /// Takes every entry out, in order, leaving the registry empty: a
    /// round takes them all and puts back those that stay, in one pass.
    pub fn take_all(&mut self) -> Vec<(K, V)> {
        self.keys.clear();
        std::mem::take(&mut self.entries)
    }
}

impl<K, V> Default for Registry<K, V> {
    fn default() -> Self {
        Registry {
            entries: Vec::new(),
            keys: HashSet::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::hash::Hasher;

    use super::*;

    thread_local! {
        /// Every comparison and every hash of a [`Counted`] key, on this thread.
        static WORK: Cell<u64> = const { Cell::new(0) };
    }

    /// A key that counts the work done with it.
    #[derive(Debug, Clone, Copy)]
    struct Counted(u64);

    impl PartialEq for Counted {
        fn eq(&self, other: &Self) -> bool {
            WORK.set(WORK.get() + 1);
            self.0 == other.0
        }
    }

    impl Eq for Counted {}

    impl Hash for Counted {
        fn hash<H: Hasher>(&self, state: &mut H) {
            WORK.set(WORK.get() + 1);
            self.0.hash(state);
        }
    }

    // ANCHOR: linear
    /// Registering n keys costs a few comparisons and hashes per key, not
    /// n per key: 100,000 registrations, then 100,000 duplicates refused,
    /// stay within 4 per call. A scan would need 5 billion for the first
    /// half alone. Nothing is timed; the work is counted.
    #[test]
    fn registering_costs_a_constant_per_counter() {
        const N: u64 = 100_000;
        let mut registry = Registry::default();
        WORK.set(0);
        for k in 0..N {
            assert!(registry.insert(Counted(k), k).is_ok());
        }
        for k in 0..N {
            assert_eq!(registry.insert(Counted(k), k), Err(k));
        }
        let work = WORK.get();
        assert!(
            work <= 4 * 2 * N,
            "{work} comparisons and hashes for {N} counters"
        );
        assert_eq!(registry.len(), N as usize);
    }
    // ANCHOR_END: linear

    /// The order is the order of registration, and a refused duplicate
    /// leaves everything as it was.
    #[test]
    fn order_is_kept_and_duplicates_change_nothing() {
        let mut registry = Registry::default();
        registry.insert(3, "c").unwrap();
        registry.insert(1, "a").unwrap();
        assert_eq!(registry.insert(3, "x"), Err("x"));
        assert_eq!(registry.values().copied().collect::<Vec<_>>(), ["c", "a"]);
    }

    /// A new key for an entry keeps its place; a taken key is refused.
    #[test]
    fn rekeying_keeps_the_place() {
        let mut registry = Registry::default();
        registry.insert(1, "a").unwrap();
        registry.insert(2, "b").unwrap();
        assert!(!registry.rekey(1, 2));
        assert!(registry.rekey(1, 7));
        assert_eq!(registry.insert(1, "again"), Ok(()));
        assert_eq!(registry.insert(7, "taken"), Err("taken"));
        assert_eq!(
            registry.values().copied().collect::<Vec<_>>(),
            ["a", "b", "again"]
        );
    }
}
