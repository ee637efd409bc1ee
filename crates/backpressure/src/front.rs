//! The bound in front of one ractor counter: a semaphore of places, a gauge,
//! and the policy that decides about an operation that finds no place.

use std::sync::Arc;
use std::time::Duration;

use actors_core::mailbox::{Gauge, Slot};
use actors_core::{Mailbox, MailboxReport, Operation, Overflow, SystemError};
use tokio::sync::Semaphore;

/// Why a front cannot be built for a mailbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FrontError {
    /// Drop oldest must take an operation back out of the mailbox, and
    /// ractor's mailbox gives nothing back once it holds it. A buffer in
    /// front of the counter does it instead (see [`crate::Buffer`]).
    #[error(
        "drop-oldest needs a buffer that can evict; a semaphore front cannot take back a sent message"
    )]
    CannotEvict,
}

/// What the policy decided about one operation, when it did not refuse it.
#[derive(Debug)]
pub enum Admission {
    /// The operation has a place: send it with this slot inside.
    Placed(Slot),
    /// The mailbox was full and the policy discarded the operation; it is
    /// counted in the gauge's `dropped`.
    Dropped,
}

// ANCHOR: front
/// The places in front of one counter's mailbox.
///
/// ractor's mailbox cannot say how full it is, so the count lives here: a
/// semaphore of `capacity` permits, one taken by each operation sent and
/// carried inside its message as a [`Slot`]. The counter gives the permit
/// back as it takes the message out; if the message is never read (its
/// counter died), dropping it gives the permit back all the same.
#[derive(Debug)]
pub struct Front {
    /// Block, fail fast, drop newest or route; `None` for unbounded.
    overflow: Option<Overflow>,
    /// `capacity` permits; `None` for unbounded, which only counts.
    places: Option<Arc<Semaphore>>,
    /// Depth, peak and the policy's counts, shared with every slot.
    gauge: Arc<Gauge>,
}
// ANCHOR_END: front

impl Front {
    /// A front for `mailbox`. Refuses drop oldest, which a semaphore cannot
    /// express.
    pub fn new(mailbox: Mailbox) -> Result<Front, FrontError> {
        let (overflow, places) = match mailbox {
            Mailbox::Unbounded => (None, None),
            Mailbox::Bounded {
                overflow: Overflow::DropOldest,
                ..
            } => return Err(FrontError::CannotEvict),
            Mailbox::Bounded { overflow, capacity } => {
                (Some(overflow), Some(Arc::new(Semaphore::new(capacity))))
            }
        };
        Ok(Front {
            overflow,
            places,
            gauge: Arc::default(),
        })
    }

    /// What this mailbox has gone through so far.
    pub fn report(&self) -> MailboxReport {
        self.gauge.report()
    }

    /// How many places are free now; `None` for an unbounded mailbox.
    pub fn free_places(&self) -> Option<usize> {
        self.places
            .as_ref()
            .map(|places| places.available_permits())
    }

    /// A place if one is free now, without waiting. An unbounded mailbox
    /// always has one.
    pub fn try_place(&self) -> Option<Slot> {
        match &self.places {
            None => Some(Slot::unbounded(&self.gauge)),
            Some(places) => Slot::try_take(places, &self.gauge),
        }
    }

    /// Counts an operation that this counter's full mailbox sent to another
    /// counter (route).
    pub fn count_rerouted(&self) {
        self.gauge.rerouted();
    }

    // ANCHOR: admit
    /// Decides about `op`, bound for counter `index`: a place, or what the
    /// policy does when there is none. `Err(MailboxFull)` hands the
    /// operation back, counted as refused.
    ///
    /// Route waits here as block does: the routing to other counters has
    /// already been tried by the caller, who knows the other fronts.
    pub async fn admit(&self, index: usize, op: Operation) -> Result<Admission, SystemError> {
        if let Some(slot) = self.try_place() {
            return Ok(Admission::Placed(slot));
        }
        match self.overflow {
            // `try_place` never fails without a bound, nor for drop oldest,
            // which `new` refused.
            None | Some(Overflow::DropOldest) => Err(SystemError::ShutDown),
            Some(Overflow::FailFast) => {
                self.gauge.refused();
                Err(SystemError::MailboxFull { index, op })
            }
            Some(Overflow::DropNewest) => {
                self.gauge.dropped();
                Ok(Admission::Dropped)
            }
            Some(Overflow::Block { timeout }) => self.wait(index, op, timeout).await,
            Some(Overflow::Route) => self.wait(index, op, None).await,
        }
    }

    /// Waits for a place, for at most `timeout` if one is set. The clock is
    /// tokio's, so a test on a paused clock sees the timeout exactly.
    async fn wait(
        &self,
        index: usize,
        op: Operation,
        timeout: Option<Duration>,
    ) -> Result<Admission, SystemError> {
        let Some(places) = &self.places else {
            return Ok(Admission::Placed(Slot::unbounded(&self.gauge)));
        };
        let waiting = Slot::take(places, &self.gauge);
        let slot = match timeout {
            None => waiting.await,
            Some(patience) => match tokio::time::timeout(patience, waiting).await {
                Ok(slot) => slot,
                Err(_elapsed) => {
                    self.gauge.refused();
                    return Err(SystemError::MailboxFull { index, op });
                }
            },
        };
        // The semaphore is never closed, so a wait ends with a place.
        slot.map(Admission::Placed).ok_or(SystemError::ShutDown)
    }
    // ANCHOR_END: admit
}

#[cfg(test)]
mod tests {
    use super::*;

    const OP: Operation = Operation::Increment { amount: 1 };

    /// Drop oldest is refused with a reason, before anything starts.
    #[test]
    fn drop_oldest_is_refused() {
        let mailbox = Mailbox::bounded(Overflow::DropOldest, 4).unwrap();
        assert_eq!(Front::new(mailbox).unwrap_err(), FrontError::CannotEvict);
    }

    /// A full fail-fast front hands the operation back and counts it.
    #[tokio::test]
    async fn a_full_fail_fast_front_refuses() {
        let front = Front::new(Mailbox::bounded(Overflow::FailFast, 1).unwrap()).unwrap();
        let _held = front.admit(0, OP).await.unwrap();
        let refusal = front.admit(3, OP).await.unwrap_err();
        assert_eq!(refusal, SystemError::MailboxFull { index: 3, op: OP });
        assert_eq!(front.report().refused, 1);
    }

    /// A full drop-newest front discards the operation and counts it.
    #[tokio::test]
    async fn a_full_drop_newest_front_drops() {
        let front = Front::new(Mailbox::bounded(Overflow::DropNewest, 1).unwrap()).unwrap();
        let _held = front.admit(0, OP).await.unwrap();
        assert!(matches!(front.admit(0, OP).await, Ok(Admission::Dropped)));
        assert_eq!(front.report().dropped, 1);
    }
}
