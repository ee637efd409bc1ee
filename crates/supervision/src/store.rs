//! Where a supervised counter keeps its state between lives.

use std::sync::{Arc, Mutex, PoisonError};

use actors_core::Ledger;
use tokio::time::Instant;

// ANCHOR: recovery
/// What a restarted counter starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// Nothing: the value, the counts and every client's numbers start at
    /// zero. This is what a bare restart gives, as in the article.
    Empty,
    /// The last checkpoint: the state as it was after the last operation the
    /// counter answered for.
    Checkpoint,
}
// ANCHOR_END: recovery

// ANCHOR: checkpoints
/// One checkpoint slot per counter, outliving every incarnation of it.
///
/// It lives in memory, so it survives a counter's crash but not the
/// process's: a store that must outlive the process writes to disk or to
/// another machine, and pays for it on every operation.
#[derive(Debug, Clone)]
pub struct Checkpoints {
    slots: Arc<[Mutex<Option<Checkpoint>>]>,
}

/// A counter's state, as last saved.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    /// The tally and every client's numbers.
    pub ledger: Ledger,
    /// When the counter first started, so that its rate spans its lives.
    pub born: Instant,
}

impl Checkpoints {
    /// Empty slots for `counters` counters.
    pub fn new(counters: usize) -> Self {
        Checkpoints {
            slots: (0..counters).map(|_| Mutex::new(None)).collect(),
        }
    }

    /// Replaces counter `index`'s checkpoint. Called before the counter
    /// answers, so that what it acknowledged is never lost.
    pub fn save(&self, index: usize, ledger: &Ledger, born: Instant) {
        let mut slot = self.slots[index]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match &mut *slot {
            // `clone_from` reuses the saved ledger's allocations.
            Some(saved) => saved.ledger.clone_from(ledger),
            None => {
                *slot = Some(Checkpoint {
                    ledger: ledger.clone(),
                    born,
                })
            }
        }
    }

    /// Counter `index`'s last checkpoint, if it ever saved one.
    pub fn load(&self, index: usize) -> Option<Checkpoint> {
        self.slots[index]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}
// ANCHOR_END: checkpoints
