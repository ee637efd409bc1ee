//! The six designs of the counter system, named once.

use std::fmt;
use std::str::FromStr;

// ANCHOR: design
/// The six designs that implement [`CounterSystem`](crate::CounterSystem).
///
/// Every place that names a design reads it from here: the demo's `--impl`
/// values, [`CounterSystem::design`](crate::CounterSystem::design), the
/// tests and the benchmark IDs. Renaming one is a change to [`Design::name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Design {
    /// `CounterActor`s and an `AggregatorActor` on ractor (crate `aggregator`).
    Ractor,
    /// The hand-rolled actor: a task, a channel, a loop (crate `handrolled`).
    HandRolled,
    /// One `std::sync::Mutex` per counter (crate `lockbased-baseline`).
    Mutex,
    /// A seqlock over atomics: snapshots that cannot tear.
    Atomic,
    /// Separate atomics: correct totals, snapshots that can tear.
    AtomicNaive,
    /// Cache-padded shards, summed on read.
    Sharded,
}

impl Design {
    /// Every design, in the order the book introduces them.
    pub const ALL: [Design; 6] = [
        Design::Ractor,
        Design::HandRolled,
        Design::Mutex,
        Design::Atomic,
        Design::AtomicNaive,
        Design::Sharded,
    ];

    /// The design's name: the one spelling, used by `--impl`, the tables
    /// and the benchmark IDs.
    pub const fn name(self) -> &'static str {
        match self {
            Design::Ractor => "ractor",
            Design::HandRolled => "handrolled",
            Design::Mutex => "mutex",
            Design::Atomic => "atomic",
            Design::AtomicNaive => "atomic-naive",
            Design::Sharded => "sharded",
        }
    }

    /// One line on what the design is, for `--help`.
    pub const fn summary(self) -> &'static str {
        match self {
            Design::Ractor => "Counter actors and an aggregator on ractor",
            Design::HandRolled => "The hand-rolled actor: a task, a channel, a loop",
            Design::Mutex => "One std::sync::Mutex per counter",
            Design::Atomic => "A seqlock over atomics: snapshots that cannot tear",
            Design::AtomicNaive => "Separate atomics: right totals, snapshots that can tear",
            Design::Sharded => "Cache-padded shards, summed on read",
        }
    }

    /// Whether the design runs its counters as actors, with mailboxes.
    pub const fn is_actor(self) -> bool {
        matches!(self, Design::Ractor | Design::HandRolled)
    }

    /// Whether a stats read returns figures that were true together at one
    /// moment. An actor answers between two messages, and the mutex and the
    /// seqlock read under their protocol; the naive atomics and the shards
    /// read figure by figure, so their reads can tear while writers are busy
    /// (the loom models in `lockbased-baseline` show how).
    pub const fn snapshots_are_consistent(self) -> bool {
        !matches!(self, Design::AtomicNaive | Design::Sharded)
    }
}
// ANCHOR_END: design

impl fmt::Display for Design {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not one of [`Design::ALL`]'s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("there is no design called {0:?}")]
pub struct UnknownDesign(pub String);

impl FromStr for Design {
    type Err = UnknownDesign;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Design::ALL
            .into_iter()
            .find(|design| design.name() == name)
            .ok_or_else(|| UnknownDesign(name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each name reads back as its design; nothing else reads as a design.
    #[test]
    fn names_round_trip() {
        for design in Design::ALL {
            assert_eq!(design.name().parse(), Ok(design));
        }
        assert_eq!(
            "all".parse::<Design>(),
            Err(UnknownDesign("all".to_owned()))
        );
    }

    /// No two designs share a name.
    #[test]
    fn names_are_distinct() {
        let mut names = Design::ALL.map(Design::name);
        names.sort_unstable();
        let before = names.len();
        let mut unique = names.to_vec();
        unique.dedup();
        assert_eq!(unique.len(), before);
    }
}
