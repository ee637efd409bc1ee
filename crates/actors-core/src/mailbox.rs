//! Bounded mailboxes: what happens when one fills up, and the counts that
//! prove nothing went missing.
//!
//! Three pieces, shared by both actor designs:
//! * [`Mailbox`]: the choice made at spawn, unbounded or a [`Overflow`]
//!   policy with a capacity, read from text such as `drop-newest:64`;
//! * [`Gauge`]: one mailbox's depth, its peak, and what its policy
//!   dropped, refused or sent elsewhere, read as a [`MailboxReport`];
//! * [`Slot`]: a place in a bounded mailbox, carried inside a message and
//!   given back when the message leaves the mailbox, or is dropped with it.
//!
//! The depth is the number of operations *waiting*: the one a counter is
//! handling has left the mailbox. Questions and stop requests skip the
//! bound, so the capacity counts operations only.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, TryAcquireError};

/// The capacity a policy gets when none is written: 64, the default
/// mailbox of the kameo actor library.
pub const DEFAULT_CAPACITY: usize = 64;

/// The largest capacity accepted. A bound bigger than this is not a bound
/// that anybody meant.
pub const MAX_CAPACITY: usize = 1_000_000;

// ANCHOR: overflow
/// What a full mailbox does with one more operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    /// The sender waits for room, for at most `timeout` if one is set.
    Block {
        /// How long a sender waits before it is refused; `None` waits for
        /// as long as it takes.
        timeout: Option<Duration>,
    },
    /// The sender gets the operation back at once, with an error.
    FailFast,
    /// The new operation is discarded and counted; the sender is told.
    DropNewest,
    /// The oldest waiting operation is discarded and counted, and the new
    /// one takes its place; the sender is told which one went.
    DropOldest,
    /// The operation goes to the next counter with room. Totals stay exact,
    /// because the aggregate is a sum. With no room anywhere, the sender
    /// waits for its own counter, as under `Block`.
    Route,
}
// ANCHOR_END: overflow

impl Overflow {
    /// Every policy, in the order the book presents them, with no timeout.
    pub const ALL: [Overflow; 5] = [
        Overflow::Block { timeout: None },
        Overflow::FailFast,
        Overflow::DropNewest,
        Overflow::DropOldest,
        Overflow::Route,
    ];

    /// The policy's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Overflow::Block { .. } => "block",
            Overflow::FailFast => "fail-fast",
            Overflow::DropNewest => "drop-newest",
            Overflow::DropOldest => "drop-oldest",
            Overflow::Route => "route",
        }
    }
}

// ANCHOR: mailbox
/// A mailbox, as chosen when its actor is spawned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mailbox {
    /// No bound: a sender never waits, and the queue grows as long as the
    /// sender is faster than the actor. ractor's only kind.
    Unbounded,
    /// At most `capacity` operations wait; `overflow` decides about the next.
    Bounded {
        /// What happens to an operation that finds the mailbox full.
        overflow: Overflow,
        /// How many operations may wait, at least 1.
        capacity: usize,
    },
}
// ANCHOR_END: mailbox

/// Why a mailbox cannot be built as asked. Checked before anything starts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailboxError {
    /// Not one of the policies.
    #[error(
        "unknown mailbox policy `{0}`: expected unbounded, block, fail-fast, \
         drop-newest, drop-oldest or route"
    )]
    UnknownPolicy(String),
    /// The capacity is not a whole number.
    #[error("the mailbox capacity `{0}` is not a whole number")]
    NotANumber(String),
    /// A capacity of zero would refuse every operation.
    #[error("a mailbox capacity must be at least 1")]
    ZeroCapacity,
    /// A capacity above [`MAX_CAPACITY`].
    #[error("a mailbox capacity must be at most {MAX_CAPACITY}, got {0}")]
    TooLarge(usize),
    /// `unbounded:64` says two opposite things.
    #[error("an unbounded mailbox has no capacity; write `unbounded` alone")]
    UnboundedWithCapacity,
}

impl Mailbox {
    /// A bounded mailbox, with its capacity checked.
    pub fn bounded(overflow: Overflow, capacity: usize) -> Result<Mailbox, MailboxError> {
        match capacity {
            0 => Err(MailboxError::ZeroCapacity),
            too_many if too_many > MAX_CAPACITY => Err(MailboxError::TooLarge(too_many)),
            _ => Ok(Mailbox::Bounded { overflow, capacity }),
        }
    }

    /// The capacity, or `None` for an unbounded mailbox.
    pub fn capacity(self) -> Option<usize> {
        match self {
            Mailbox::Unbounded => None,
            Mailbox::Bounded { capacity, .. } => Some(capacity),
        }
    }

    /// The policy, or `None` for an unbounded mailbox.
    pub fn overflow(self) -> Option<Overflow> {
        match self {
            Mailbox::Unbounded => None,
            Mailbox::Bounded { overflow, .. } => Some(overflow),
        }
    }
}

/// `unbounded`, or a policy with an optional capacity: `block`,
/// `drop-newest:64`. The capacity defaults to [`DEFAULT_CAPACITY`].
impl FromStr for Mailbox {
    type Err = MailboxError;

    fn from_str(text: &str) -> Result<Mailbox, MailboxError> {
        let (name, capacity) = match text.split_once(':') {
            Some((name, capacity)) => (name, Some(capacity)),
            None => (text, None),
        };
        if name == "unbounded" {
            return match capacity {
                None => Ok(Mailbox::Unbounded),
                Some(_) => Err(MailboxError::UnboundedWithCapacity),
            };
        }
        let overflow = Overflow::ALL
            .into_iter()
            .find(|overflow| overflow.name() == name)
            .ok_or_else(|| MailboxError::UnknownPolicy(name.to_owned()))?;
        let capacity = match capacity {
            None => DEFAULT_CAPACITY,
            Some(digits) => digits
                .parse()
                .map_err(|_| MailboxError::NotANumber(digits.to_owned()))?,
        };
        Mailbox::bounded(overflow, capacity)
    }
}

/// The text [`FromStr`] reads back: `unbounded`, `drop-newest:64`.
impl fmt::Display for Mailbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mailbox::Unbounded => f.write_str("unbounded"),
            Mailbox::Bounded { overflow, capacity } => {
                write!(f, "{}:{capacity}", overflow.name())
            }
        }
    }
}

// ANCHOR: report
/// What one mailbox, or several added up, went through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MailboxReport {
    /// Operations waiting now.
    pub depth: usize,
    /// The most operations that ever waited at once in one mailbox.
    pub peak: usize,
    /// Operations discarded by a drop policy.
    pub dropped: u64,
    /// Operations handed back to their sender: mailbox full under
    /// fail-fast, or a blocked sender's timeout.
    pub refused: u64,
    /// Operations that went to another counter under the route policy.
    pub rerouted: u64,
    /// Operations the actor took out of the mailbox to handle: applied,
    /// or refused by the counter and counted in its `rejected_operations`.
    pub taken: u64,
}
// ANCHOR_END: report

impl MailboxReport {
    /// Two reports as one: depths and counts add up, and the peak is the
    /// higher one, since a capacity bounds each mailbox, not their sum.
    pub fn merge(self, other: MailboxReport) -> MailboxReport {
        MailboxReport {
            depth: self.depth + other.depth,
            peak: self.peak.max(other.peak),
            dropped: self.dropped + other.dropped,
            refused: self.refused + other.refused,
            rerouted: self.rerouted + other.rerouted,
            taken: self.taken + other.taken,
        }
    }
}

// ANCHOR: gauge
/// One mailbox's counts, shared between its senders and its actor.
///
/// Every count is an atomic updated with `Relaxed`: each is a statistic of
/// its own, and nothing else is published through it.
#[derive(Debug, Default)]
pub struct Gauge {
    depth: AtomicUsize,
    peak: AtomicUsize,
    dropped: AtomicU64,
    refused: AtomicU64,
    rerouted: AtomicU64,
    taken: AtomicU64,
}

impl Gauge {
    /// An operation entered the mailbox. Returns the depth it made.
    pub fn enter(&self) -> usize {
        let depth = self.depth.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak.fetch_max(depth, Ordering::Relaxed);
        depth
    }

    /// An operation left the mailbox without being handled: evicted, or
    /// dropped with it.
    pub fn leave(&self) {
        self.depth.fetch_sub(1, Ordering::Relaxed);
    }

    /// The actor took an operation out of the mailbox to handle it.
    pub fn take(&self) {
        self.leave();
        self.taken.fetch_add(1, Ordering::Relaxed);
    }

    /// The policy discarded an operation.
    pub fn dropped(&self) {
        self.dropped.fetch_add(1, Ordering::Relaxed);
    }

    /// The policy handed an operation back to its sender.
    pub fn refused(&self) {
        self.refused.fetch_add(1, Ordering::Relaxed);
    }

    /// The route policy sent an operation to another counter.
    pub fn rerouted(&self) {
        self.rerouted.fetch_add(1, Ordering::Relaxed);
    }

    /// The counts so far.
    pub fn report(&self) -> MailboxReport {
        MailboxReport {
            depth: self.depth.load(Ordering::Relaxed),
            peak: self.peak.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
            refused: self.refused.load(Ordering::Relaxed),
            rerouted: self.rerouted.load(Ordering::Relaxed),
            taken: self.taken.load(Ordering::Relaxed),
        }
    }
}
// ANCHOR_END: gauge

// ANCHOR: slot
/// A place in a mailbox, held by the operation that waits in it.
///
/// For a mailbox the sender cannot see into (ractor's), the bound lives in
/// a semaphore of `capacity` permits in front of it, and each operation
/// carries its permit inside the message. The place is given back when the
/// actor takes the message out ([`Slot::release`]), or when the message is
/// dropped unread, for example with the mailbox of an actor that died. A
/// slot with no permit only keeps the depth of an unbounded mailbox.
#[derive(Debug)]
pub struct Slot {
    gauge: Arc<Gauge>,
    // Set by `release`: the actor took the message, rather than it being
    // dropped unread.
    taken: bool,
    // Held only to be dropped: that gives the place back.
    _permit: Option<OwnedSemaphorePermit>,
}

impl Slot {
    /// A place in an unbounded mailbox: always granted, only counted.
    pub fn unbounded(gauge: &Arc<Gauge>) -> Slot {
        gauge.enter();
        Slot {
            gauge: Arc::clone(gauge),
            taken: false,
            _permit: None,
        }
    }

    /// A place if one is free now, else `None`.
    pub fn try_take(places: &Arc<Semaphore>, gauge: &Arc<Gauge>) -> Option<Slot> {
        match Arc::clone(places).try_acquire_owned() {
            Ok(permit) => Some(Slot::holding(permit, gauge)),
            Err(TryAcquireError::NoPermits | TryAcquireError::Closed) => None,
        }
    }

    /// A place, waiting for one to be free. `None` if the semaphore was
    /// closed while waiting.
    pub async fn take(places: &Arc<Semaphore>, gauge: &Arc<Gauge>) -> Option<Slot> {
        let permit = Arc::clone(places).acquire_owned().await.ok()?;
        Some(Slot::holding(permit, gauge))
    }

    fn holding(permit: OwnedSemaphorePermit, gauge: &Arc<Gauge>) -> Slot {
        gauge.enter();
        Slot {
            gauge: Arc::clone(gauge),
            taken: false,
            _permit: Some(permit),
        }
    }

    /// The actor has taken the message out of the mailbox: its place is
    /// free for the next, and the gauge counts it as taken. A slot dropped
    /// without this (an unread message, dropped with a dead actor's
    /// mailbox) frees its place too, but is not counted as taken.
    pub fn release(mut self) {
        self.taken = true;
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if self.taken {
            self.gauge.take();
        } else {
            self.gauge.leave();
        }
        // The permit, if any, goes back to the semaphore as it drops.
    }
}
// ANCHOR_END: slot

#[cfg(test)]
mod tests {
    use super::*;

    /// Every policy reads back from the text it prints, and the capacity
    /// defaults to 64.
    #[test]
    fn policies_read_back_from_their_names() {
        assert_eq!("unbounded".parse(), Ok(Mailbox::Unbounded));
        for overflow in Overflow::ALL {
            let mailbox = Mailbox::bounded(overflow, 8).unwrap();
            assert_eq!(mailbox.to_string().parse(), Ok(mailbox));
            assert_eq!(
                overflow.name().parse::<Mailbox>().unwrap().capacity(),
                Some(DEFAULT_CAPACITY)
            );
        }
    }

    /// Bad text is refused with an error that says what is wrong.
    #[test]
    fn bad_text_is_refused_with_a_reason() {
        let refusals = [
            (
                "drop-middle:4",
                MailboxError::UnknownPolicy("drop-middle".into()),
            ),
            ("block:lots", MailboxError::NotANumber("lots".into())),
            ("block:-1", MailboxError::NotANumber("-1".into())),
            ("fail-fast:0", MailboxError::ZeroCapacity),
            ("route:1000001", MailboxError::TooLarge(1_000_001)),
            ("unbounded:64", MailboxError::UnboundedWithCapacity),
            ("", MailboxError::UnknownPolicy(String::new())),
        ];
        for (text, error) in refusals {
            assert_eq!(text.parse::<Mailbox>(), Err(error), "{text}");
        }
    }

    /// A slot holds its place until it is released or dropped, and the
    /// gauge's depth and peak follow.
    #[test]
    fn a_slot_holds_its_place_until_released() {
        let (places, gauge) = (Arc::new(Semaphore::new(2)), Arc::new(Gauge::default()));
        let first = Slot::try_take(&places, &gauge).unwrap();
        let second = Slot::try_take(&places, &gauge).unwrap();
        assert!(Slot::try_take(&places, &gauge).is_none());
        assert_eq!(gauge.report().depth, 2);
        first.release();
        let third = Slot::try_take(&places, &gauge).unwrap();
        drop((second, third));
        let report = gauge.report();
        assert_eq!((report.depth, report.peak), (0, 2));
        assert_eq!(places.available_permits(), 2);
    }

    /// An unbounded slot never waits, and its depth still counts.
    #[test]
    fn unbounded_slots_only_count() {
        let gauge = Arc::new(Gauge::default());
        let slots: Vec<_> = (0..100).map(|_| Slot::unbounded(&gauge)).collect();
        assert_eq!(gauge.report().depth, 100);
        drop(slots);
        assert_eq!(
            gauge.report(),
            MailboxReport {
                peak: 100,
                ..Default::default()
            }
        );
    }

    /// A released slot counts as taken; one dropped unread does not.
    #[test]
    fn only_a_released_slot_counts_as_taken() {
        let gauge = Arc::new(Gauge::default());
        Slot::unbounded(&gauge).release();
        drop(Slot::unbounded(&gauge));
        let report = gauge.report();
        assert_eq!((report.depth, report.taken), (0, 1));
    }

    /// Merged reports add counts and keep the highest peak.
    #[test]
    fn merged_reports_keep_the_highest_peak() {
        let a = MailboxReport {
            depth: 1,
            peak: 5,
            dropped: 2,
            refused: 0,
            rerouted: 1,
            taken: 7,
        };
        let b = MailboxReport {
            depth: 2,
            peak: 3,
            dropped: 1,
            refused: 4,
            rerouted: 0,
            taken: 1,
        };
        let merged = MailboxReport {
            depth: 3,
            peak: 5,
            dropped: 3,
            refused: 4,
            rerouted: 1,
            taken: 8,
        };
        assert_eq!(a.merge(b), merged);
    }
}
