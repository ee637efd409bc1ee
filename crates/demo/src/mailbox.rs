//! Slow counters and bounded mailboxes, and the flags that ask for them.
//!
//! [`Pressure`] is the run's overload as data: how long each counter spends
//! on an operation, and what its mailbox does when it fills up.
//! [`MailboxArgs`] is the "Mailbox" group of `demo run`, kept beside it.

use std::time::Duration;

use actors_core::{Design, Mailbox, MailboxReport, Overflow};
use clap::Args;

use crate::cli::Unsupported;
use crate::scenario::{MAX_DURATION, ScenarioError};

// ANCHOR: pressure
/// Counters slower than their clients, and the mailbox that takes the
/// difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pressure {
    /// How long each counter spends on each operation.
    pub work: Duration,
    /// What each counter's mailbox does when it is full.
    pub mailbox: Mailbox,
}
// ANCHOR_END: pressure

impl Pressure {
    /// Checks the numbers a flag can get wrong.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        if self.work > MAX_DURATION {
            let what = "the time a counter spends on an operation";
            return Err(ScenarioError::TooLong {
                what,
                got: self.work,
            });
        }
        if let Some(Overflow::Block {
            timeout: Some(timeout),
        }) = self.mailbox.overflow()
        {
            let what = "the block timeout";
            if timeout.is_zero() {
                return Err(ScenarioError::Zero { what });
            }
            if timeout > MAX_DURATION {
                return Err(ScenarioError::TooLong { what, got: timeout });
            }
        }
        Ok(())
    }

    /// One line for the transcript's head.
    pub fn describe(&self) -> String {
        let mailbox = match self.mailbox {
            Mailbox::Unbounded => "unbounded (measured)".to_owned(),
            Mailbox::Bounded { overflow, capacity } => {
                let wait = match overflow {
                    Overflow::Block {
                        timeout: Some(timeout),
                    } => format!(", waiting at most {} ms", timeout.as_millis()),
                    _ => String::new(),
                };
                format!("{}, capacity {capacity}{wait}", overflow.name())
            }
        };
        format!(
            "Mailboxes: {mailbox}; each counter spends {} ms on an operation",
            self.work.as_millis()
        )
    }
}

/// The final block's mailbox line.
pub fn summary(mailbox: Mailbox, report: &MailboxReport) -> String {
    format!(
        "Mailboxes ({mailbox}): peak depth {}{}; {} dropped, {} refused, {} rerouted",
        report.peak,
        match mailbox.capacity() {
            Some(capacity) => format!(" of {capacity}"),
            None => String::new(),
        },
        report.dropped,
        report.refused,
        report.rerouted,
    )
}

// ANCHOR: args
/// The "Mailbox" flags: make the counters slower than their clients, and
/// choose what a full mailbox does.
#[derive(Debug, Clone, PartialEq, Eq, Args)]
#[command(next_help_heading = "Mailbox")]
pub struct MailboxArgs {
    /// Each counter spends MS milliseconds on every operation, so that
    /// clients can outrun it (actor designs only).
    #[arg(long, value_name = "MS", conflicts_with = "chaos")]
    pub slow_counter_ms: Option<u64>,
    /// The counters' mailboxes: `unbounded`, or a policy (block, fail-fast,
    /// drop-newest, drop-oldest, route) with an optional capacity, such as
    /// `drop-newest:64` [default capacity: 64] (actor designs only).
    #[arg(long, value_name = "POLICY[:CAPACITY]", conflicts_with = "chaos")]
    pub mailbox: Option<Mailbox>,
    /// Under `--mailbox block`, how long a client waits for room before
    /// its operation is refused. Without it, a client waits for as long as
    /// it takes.
    #[arg(long, value_name = "MS", requires = "mailbox")]
    pub block_timeout_ms: Option<u64>,
}
// ANCHOR_END: args

impl MailboxArgs {
    /// The overload these flags ask for, if any: a slow counter alone gets
    /// an unbounded mailbox, measured; a mailbox alone gets counters at
    /// full speed.
    pub fn pressure(&self) -> Result<Option<Pressure>, ScenarioError> {
        if self.slow_counter_ms.is_none() && self.mailbox.is_none() {
            return Ok(None);
        }
        let mut mailbox = self.mailbox.unwrap_or(Mailbox::Unbounded);
        if let Some(ms) = self.block_timeout_ms {
            match &mut mailbox {
                Mailbox::Bounded {
                    overflow: Overflow::Block { timeout },
                    ..
                } => *timeout = Some(Duration::from_millis(ms)),
                _ => return Err(ScenarioError::TimeoutWithoutBlock(mailbox)),
            }
        }
        let pressure = Pressure {
            work: Duration::from_millis(self.slow_counter_ms.unwrap_or(0)),
            mailbox,
        };
        pressure.validate()?;
        Ok(Some(pressure))
    }

    // ANCHOR: check
    /// Refuses a mailbox flag for a design that has no mailbox: a lock or
    /// an atomic is applied by the client itself, which can only wait.
    pub fn check(&self, design: Design) -> Result<(), Unsupported> {
        let given = [
            ("--mailbox", self.mailbox.is_some()),
            ("--slow-counter-ms", self.slow_counter_ms.is_some()),
        ];
        for (option, given) in given {
            if given && !design.is_actor() {
                return Err(Unsupported {
                    option,
                    design,
                    reason: "a lock-based design has no mailbox: each client does the work itself",
                });
            }
        }
        Ok(())
    }
    // ANCHOR_END: check
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(slow: Option<u64>, mailbox: Option<&str>, timeout: Option<u64>) -> MailboxArgs {
        MailboxArgs {
            slow_counter_ms: slow,
            mailbox: mailbox.map(|text| text.parse().unwrap()),
            block_timeout_ms: timeout,
        }
    }

    /// A slow counter alone is measured on an unbounded mailbox; a block
    /// timeout lands in the policy.
    #[test]
    fn flags_make_the_pressure() {
        assert_eq!(args(None, None, None).pressure(), Ok(None));
        let slow = args(Some(5), None, None).pressure().unwrap().unwrap();
        assert_eq!(slow.mailbox, Mailbox::Unbounded);
        assert_eq!(slow.work, Duration::from_millis(5));
        let block = args(None, Some("block:8"), Some(20)).pressure().unwrap();
        let timeout = Some(Duration::from_millis(20));
        assert_eq!(
            block.unwrap().mailbox,
            Mailbox::Bounded {
                overflow: Overflow::Block { timeout },
                capacity: 8
            }
        );
    }

    /// A timeout for a policy that never waits, and a zero timeout, are
    /// refused.
    #[test]
    fn a_timeout_needs_a_policy_that_waits() {
        let refused = args(None, Some("drop-newest:8"), Some(20)).pressure();
        assert!(matches!(
            refused,
            Err(ScenarioError::TimeoutWithoutBlock(_))
        ));
        let zero = args(None, Some("block"), Some(0)).pressure();
        assert!(matches!(zero, Err(ScenarioError::Zero { .. })));
    }

    /// The lock-based designs refuse both flags; the actor designs take
    /// them.
    #[test]
    fn only_actor_designs_have_mailboxes() {
        let given = args(Some(5), Some("route:4"), None);
        for design in Design::ALL {
            assert_eq!(given.check(design).is_ok(), design.is_actor(), "{design}");
        }
    }
}
