//! Numbered operations: how a counter applies each one at most once, and
//! counts the ones it never saw.
//!
//! A client numbers its operations 0, 1, 2, … and sends each with its own
//! id. The counter keeps, per client, the next number it expects and the
//! answer it gave last. That is enough for two promises that no mailbox
//! makes on its own:
//!
//! * **nothing doubled**: an operation sent again (because its answer was
//!   lost in a crash) gets the recorded answer, not a second effect;
//! * **nothing lost unseen**: a number that arrives past the expected one
//!   means the operations in between never arrived, and they are counted.
//!
//! The book's chapter "When actors fail" (`docs/supervision-exactly-once.md`)
//! walks through it.

use std::collections::BTreeMap;

use crate::{Operation, OperationError, Tally};

// ANCHOR: ack
/// A counter's answer to one numbered operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ack {
    /// The operation's number.
    pub seq: u64,
    /// What became of it.
    pub outcome: AckOutcome,
}

/// What became of a numbered operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckOutcome {
    /// Applied now.
    Applied,
    /// Refused now, and counted in `rejected_operations`.
    Rejected(OperationError),
    /// Seen before: this is the answer recorded then, and nothing changed.
    Duplicate(Verdict),
    /// Older than the last answer the counter keeps. A client that waits for
    /// each answer before sending the next never sees this.
    Stale,
}

/// The first verdict on an operation, as recorded for its duplicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// It was applied.
    Applied,
    /// It was refused.
    Rejected(OperationError),
}
// ANCHOR_END: ack

// ANCHOR: client_record
/// What a counter remembers about one client's numbered operations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientRecord {
    /// The number expected next: every number below it was applied,
    /// refused, or counted in `missed`.
    pub next: u64,
    /// Numbers that never arrived: skipped over by a later number.
    pub missed: u64,
    /// The last verdict, kept so that a resent operation gets it again.
    pub last: Option<(u64, Verdict)>,
}
// ANCHOR_END: client_record

// ANCHOR: ledger
/// A counter's tally and its record of every client: the state a
/// supervised counter checkpoints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    tally: Tally,
    clients: BTreeMap<u64, ClientRecord>,
}

impl Ledger {
    /// Applies operation `seq` of `client`, at most once.
    pub fn apply(&mut self, client: u64, seq: u64, op: Operation) -> Ack {
        let record = self.clients.entry(client).or_default();
        if seq < record.next {
            let outcome = match record.last {
                Some((last, verdict)) if last == seq => AckOutcome::Duplicate(verdict),
                _ => AckOutcome::Stale,
            };
            return Ack { seq, outcome };
        }
        // Everything between the expected number and this one is gone.
        record.missed += seq - record.next;
        record.next = seq + 1;
        let verdict = match self.tally.apply(op) {
            Ok(_) => Verdict::Applied,
            Err(error) => Verdict::Rejected(error),
        };
        record.last = Some((seq, verdict));
        Ack {
            seq,
            outcome: verdict.into(),
        }
    }
    // ANCHOR_END: ledger

    /// Applies an operation that carries no number (a plain cast): it can
    /// be neither deduplicated nor missed.
    pub fn apply_unnumbered(&mut self, op: Operation) -> Result<i64, OperationError> {
        self.tally.apply(op)
    }

    /// The value and the operation counts.
    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    /// What the ledger knows of `client`: all zero for a client never seen.
    pub fn client(&self, client: u64) -> ClientRecord {
        self.clients.get(&client).copied().unwrap_or_default()
    }
}

impl From<Verdict> for AckOutcome {
    fn from(verdict: Verdict) -> Self {
        match verdict {
            Verdict::Applied => AckOutcome::Applied,
            Verdict::Rejected(error) => AckOutcome::Rejected(error),
        }
    }
}

impl AckOutcome {
    /// The verdict this answer reports, first-hand or recorded. `None` for
    /// [`AckOutcome::Stale`].
    pub fn verdict(self) -> Option<Verdict> {
        match self {
            AckOutcome::Applied => Some(Verdict::Applied),
            AckOutcome::Rejected(error) => Some(Verdict::Rejected(error)),
            AckOutcome::Duplicate(verdict) => Some(verdict),
            AckOutcome::Stale => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: Operation = Operation::Increment { amount: 1 };

    /// A resent operation gets the first answer again and changes nothing.
    #[test]
    fn a_duplicate_changes_nothing() {
        let mut ledger = Ledger::default();
        assert_eq!(ledger.apply(7, 0, ONE).outcome, AckOutcome::Applied);
        let before = ledger.clone();
        let again = ledger.apply(7, 0, ONE);
        assert_eq!(again.outcome, AckOutcome::Duplicate(Verdict::Applied));
        assert_eq!(ledger, before);
        assert_eq!(ledger.tally().value(), 1);
    }

    /// A refusal is recorded too: the duplicate of a refused operation is
    /// refused again, and not counted twice.
    #[test]
    fn a_refusal_is_remembered() {
        let mut ledger = Ledger::default();
        let bad = Operation::Increment { amount: -1 };
        let first = ledger.apply(1, 0, bad).outcome;
        assert!(matches!(first, AckOutcome::Rejected(_)));
        let again = ledger.apply(1, 0, bad).outcome;
        assert_eq!(again.verdict(), first.verdict());
        assert_eq!(ledger.tally().rejected_operations(), 1);
    }

    /// Numbers skipped over are counted as missed, once.
    #[test]
    fn a_gap_is_counted_as_missed() {
        let mut ledger = Ledger::default();
        ledger.apply(3, 0, ONE);
        ledger.apply(3, 4, ONE);
        let record = ledger.client(3);
        assert_eq!((record.next, record.missed), (5, 3));
        assert_eq!(ledger.tally().total_operations(), 2);
    }

    /// An answer older than the last one is not kept, and nothing changes.
    #[test]
    fn an_old_number_is_stale() {
        let mut ledger = Ledger::default();
        ledger.apply(3, 0, ONE);
        ledger.apply(3, 1, ONE);
        assert_eq!(ledger.apply(3, 0, ONE).outcome, AckOutcome::Stale);
        assert_eq!(ledger.tally().value(), 2);
    }

    /// Clients are counted apart: one client's numbers never hide another's.
    #[test]
    fn clients_have_their_own_numbers() {
        let mut ledger = Ledger::default();
        ledger.apply(1, 0, ONE);
        assert_eq!(ledger.apply(2, 0, ONE).outcome, AckOutcome::Applied);
        assert_eq!(ledger.tally().value(), 2);
    }
}
