//! Failure on purpose: which counter fails, on which operation, and how.
//!
//! A fault is tied to an operation's number, not to a clock, so a schedule
//! means the same on every run and on any machine: "counter 2 panics when
//! operation 17 arrives". Each fault fires once; the operation, sent again
//! after the restart, then goes through.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, Once, PoisonError};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

// ANCHOR: fault
/// How a counter fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// `handle` returns an `Err`: the error path.
    Error,
    /// `handle` panics. ractor catches the unwind, unless the build sets
    /// `panic = "abort"`, which ends the whole process instead.
    Panic,
}

/// When, in the handling of an operation, the counter fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultPoint {
    /// Before the operation touches the state: it is lost with the
    /// mailbox, unless its client sends it again.
    BeforeCheckpoint,
    /// After the operation is applied and checkpointed, before the answer:
    /// the client cannot tell this from the other case, and sends it again.
    AfterCheckpoint,
}

/// One failure: counter `counter` fails when operation `seq` arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fault {
    /// Which counter, by index.
    pub counter: usize,
    /// The number of the operation that triggers it.
    pub seq: u64,
    /// Error or panic.
    pub kind: FaultKind,
    /// Before or after the checkpoint.
    pub point: FaultPoint,
    /// How many times the restart after it fails in `pre_start`.
    pub failed_starts: u32,
}
// ANCHOR_END: fault

/// The error a counter returns for a [`FaultKind::Error`]. For a
/// [`FaultKind::Panic`], its message is the panic's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{INJECTED} {} on operation {seq}", match .kind {
    FaultKind::Error => "error",
    FaultKind::Panic => "panic",
})]
pub struct InjectedFault {
    /// Error or panic.
    pub kind: FaultKind,
    /// The operation that triggered it.
    pub seq: u64,
}

/// The error a counter's `pre_start` returns for an injected failed start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("injected failure to start")]
pub struct InjectedStartFailure;

// ANCHOR: plan
/// A failure schedule, shared by every incarnation of every counter.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    armed: Arc<Mutex<Armed>>,
}

#[derive(Debug, Default)]
struct Armed {
    /// Faults not fired yet, by counter and operation number.
    on_operation: BTreeMap<(usize, u64), Fault>,
    /// Starts still to fail, by counter.
    failed_starts: BTreeMap<usize, u32>,
}

impl Faults {
    /// A schedule of these faults. A second fault for the same counter and
    /// operation replaces the first.
    pub fn new(faults: impl IntoIterator<Item = Fault>) -> Self {
        let on_operation = faults
            .into_iter()
            .map(|fault| ((fault.counter, fault.seq), fault))
            .collect();
        Faults {
            armed: Arc::new(Mutex::new(Armed {
                on_operation,
                failed_starts: BTreeMap::new(),
            })),
        }
    }

    /// `crashes` faults drawn from `seed`, over `counters` counters that each
    /// receive operations `0..ops_per_client`: a random counter, operation,
    /// kind and point each. The first crash that draws it (one in four) is
    /// followed by a failed start; later ones are not, so that a schedule
    /// uses at most `crashes + 1` restarts. The same seed always draws the
    /// same schedule.
    pub fn random(seed: u64, counters: usize, ops_per_client: u64, crashes: usize) -> Vec<Fault> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        if counters == 0 || ops_per_client == 0 {
            return Vec::new();
        }
        let mut failed_start_left = true;
        (0..crashes)
            .map(|_| Fault {
                counter: rng.random_range(0..counters),
                seq: rng.random_range(0..ops_per_client),
                kind: if rng.random_bool(0.5) {
                    FaultKind::Panic
                } else {
                    FaultKind::Error
                },
                point: if rng.random_bool(0.5) {
                    FaultPoint::BeforeCheckpoint
                } else {
                    FaultPoint::AfterCheckpoint
                },
                failed_starts: {
                    let failed = rng.random_ratio(1, 4) && failed_start_left;
                    failed_start_left &= !failed;
                    u32::from(failed)
                },
            })
            .collect()
    }

    /// Takes the fault for operation `seq` of counter `counter` at `point`,
    /// if one is armed: it will not fire again. Its failed starts are armed
    /// in its place.
    pub fn take(&self, counter: usize, seq: u64, point: FaultPoint) -> Option<FaultKind> {
        let mut armed = self.armed.lock().unwrap_or_else(PoisonError::into_inner);
        let fault = *armed.on_operation.get(&(counter, seq))?;
        if fault.point != point {
            return None;
        }
        armed.on_operation.remove(&(counter, seq));
        if fault.failed_starts > 0 {
            *armed.failed_starts.entry(counter).or_default() += fault.failed_starts;
        }
        Some(fault.kind)
    }

    /// True if this start of counter `counter` must fail, and counts it.
    pub fn take_failed_start(&self, counter: usize) -> bool {
        let mut armed = self.armed.lock().unwrap_or_else(PoisonError::into_inner);
        match armed.failed_starts.get_mut(&counter) {
            Some(left) if *left > 0 => {
                *left -= 1;
                true
            }
            _ => false,
        }
    }
}
// ANCHOR_END: plan

/// How every injected failure's message begins.
const INJECTED: &str = "injected";

/// Fails the way `kind` says, for operation `seq`.
pub fn fail(kind: FaultKind, seq: u64) -> InjectedFault {
    let fault = InjectedFault { kind, seq };
    match kind {
        FaultKind::Error => fault,
        // A `String` payload: ractor reports only a string's text.
        FaultKind::Panic => std::panic::panic_any(fault.to_string()),
    }
}

// ANCHOR: quiet
/// Keeps injected panics out of standard error: the transcript reports
/// each crash already. Any other panic still prints as usual.
pub fn quiet_injected_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = info.payload().downcast_ref::<String>();
            if !message.is_some_and(|m| m.starts_with(INJECTED)) {
                default(info);
            }
        }));
    });
}
// ANCHOR_END: quiet

#[cfg(test)]
mod tests {
    use super::*;

    /// The same seed draws the same schedule; another seed, another one.
    #[test]
    fn a_seed_draws_the_same_schedule() {
        assert_eq!(Faults::random(7, 4, 50, 3), Faults::random(7, 4, 50, 3));
        assert_ne!(Faults::random(7, 4, 50, 3), Faults::random(8, 4, 50, 3));
        let many = Faults::random(7, 4, 50, 100);
        for fault in &many {
            assert!(fault.counter < 4 && fault.seq < 50);
        }
        let failed_starts: u32 = many.iter().map(|fault| fault.failed_starts).sum();
        assert_eq!(
            failed_starts, 1,
            "one failed start at most, and 100 draws find it"
        );
    }

    /// A fault fires once, only at its point, and arms its failed starts.
    #[test]
    fn a_fault_fires_once() {
        let faults = Faults::new([Fault {
            counter: 1,
            seq: 5,
            kind: FaultKind::Error,
            point: FaultPoint::AfterCheckpoint,
            failed_starts: 2,
        }]);
        assert_eq!(faults.take(1, 5, FaultPoint::BeforeCheckpoint), None);
        assert!(!faults.take_failed_start(1));
        assert_eq!(
            faults.take(1, 5, FaultPoint::AfterCheckpoint),
            Some(FaultKind::Error)
        );
        assert_eq!(faults.take(1, 5, FaultPoint::AfterCheckpoint), None);
        assert!(faults.take_failed_start(1));
        assert!(faults.take_failed_start(1));
        assert!(!faults.take_failed_start(1));
    }
}
