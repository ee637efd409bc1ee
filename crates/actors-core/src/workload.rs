//! The article's client workload, as data.

use std::time::Duration;

use crate::Operation;

// ANCHOR: workload
/// What the clients do: one client per counter, each sending a fixed pattern
/// of increments and decrements at a steady pace.
///
/// [`Workload::default`] is the article's scenario. Change any field to make
/// another one, for example `Workload { counters: 8, ..Workload::default() }`,
/// then call [`Workload::validate`] before running it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workload {
    /// How many counters there are, and so how many clients.
    pub counters: usize,
    /// How many operations each client sends.
    pub ops_per_client: u64,
    /// The pause between two operations of one client. Must not be zero.
    pub interval: Duration,
    /// Operation `i` is a decrement when `i % decrement_every == 0`, and an
    /// increment otherwise. Zero means "never decrement".
    pub decrement_every: u64,
    /// Client `k` sends amounts of `first_amount + k`. Must not be negative.
    pub first_amount: i64,
}

impl Default for Workload {
    /// The article's scenario: 4 counters, 50 operations per client 10 ms
    /// apart, every third operation a decrement, client `k` using amount `k + 1`.
    fn default() -> Self {
        Workload {
            counters: 4,
            ops_per_client: 50,
            interval: Duration::from_millis(10),
            decrement_every: 3,
            first_amount: 1,
        }
    }
}
// ANCHOR_END: workload

/// Why a workload cannot be run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkloadError {
    /// A system needs at least one counter.
    #[error("the number of counters must be at least 1")]
    NoCounters,
    /// A pause of zero between operations has no meaning for a timer.
    #[error("the interval between operations must be at least 1 ms")]
    ZeroInterval,
    /// Amounts must not be negative (see [`Operation`]).
    #[error("the first amount must not be negative, got {first_amount}")]
    NegativeAmount {
        /// The refused amount.
        first_amount: i64,
    },
    /// The last client's amount, `first_amount + counters - 1`, is past `i64::MAX`.
    #[error("{counters} counters starting at amount {first_amount} give amounts past i64::MAX")]
    AmountTooLarge {
        /// The number of counters asked for.
        counters: usize,
        /// The first amount asked for.
        first_amount: i64,
    },
}

impl Workload {
    /// Checks that the workload can be run as described.
    pub fn validate(&self) -> Result<(), WorkloadError> {
        if self.counters == 0 {
            return Err(WorkloadError::NoCounters);
        }
        if self.interval.is_zero() {
            return Err(WorkloadError::ZeroInterval);
        }
        if self.first_amount < 0 {
            return Err(WorkloadError::NegativeAmount {
                first_amount: self.first_amount,
            });
        }
        let last_client = i64::try_from(self.counters - 1).ok();
        if last_client
            .and_then(|k| self.first_amount.checked_add(k))
            .is_none()
        {
            return Err(WorkloadError::AmountTooLarge {
                counters: self.counters,
                first_amount: self.first_amount,
            });
        }
        Ok(())
    }

    // ANCHOR: operations
    /// The amount that client `client` uses.
    ///
    /// Exact for every client of a workload that passed
    /// [`validate`](Self::validate); saturates at `i64::MAX` otherwise.
    pub fn amount(&self, client: usize) -> i64 {
        let client = i64::try_from(client).unwrap_or(i64::MAX);
        self.first_amount.saturating_add(client)
    }

    /// Whether operation number `i` (counting from zero) is a decrement.
    pub fn is_decrement(&self, i: u64) -> bool {
        i.checked_rem(self.decrement_every) == Some(0)
    }

    /// The operations that client `client` sends, in order.
    pub fn operations(&self, client: usize) -> impl Iterator<Item = Operation> + use<> {
        let amount = self.amount(client);
        let workload = self.clone();
        (0..self.ops_per_client).map(move |i| {
            if workload.is_decrement(i) {
                Operation::Decrement { amount }
            } else {
                Operation::Increment { amount }
            }
        })
    }
    // ANCHOR_END: operations

    // ANCHOR: expected
    /// How many of one client's operations are decrements.
    pub fn decrements_per_client(&self) -> u64 {
        match self.decrement_every {
            0 => 0,
            // Operations 0, d, 2d, ... below `ops_per_client`: a ceiling division.
            every => self.ops_per_client.div_ceil(every),
        }
    }

    /// The value counter `client` ends with, provided that no operation
    /// overflowed on the way.
    pub fn expected_value(&self, client: usize) -> i128 {
        let decrements = i128::from(self.decrements_per_client());
        let increments = i128::from(self.ops_per_client) - decrements;
        i128::from(self.amount(client)) * (increments - decrements)
    }

    /// The sum of every counter's expected value: 160 for the article.
    pub fn expected_total_value(&self) -> i128 {
        (0..self.counters)
            .map(|client| self.expected_value(client))
            .fold(0, i128::saturating_add)
    }

    /// The number of operations all clients send together: 200 for the article.
    pub fn expected_total_operations(&self) -> u64 {
        let counters = u64::try_from(self.counters).unwrap_or(u64::MAX);
        counters.saturating_mul(self.ops_per_client)
    }
    // ANCHOR_END: expected
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The article's workload adds up to 160 over 200 operations.
    #[test]
    fn article_totals() {
        let workload = Workload::default();
        assert_eq!(workload.validate(), Ok(()));
        assert_eq!(workload.decrements_per_client(), 17);
        assert_eq!(
            (0..4)
                .map(|k| workload.expected_value(k))
                .collect::<Vec<_>>(),
            [16, 32, 48, 64]
        );
        assert_eq!(workload.expected_total_value(), 160);
        assert_eq!(workload.expected_total_operations(), 200);
    }

    /// The expected values agree with actually applying the operations.
    #[test]
    fn expected_value_matches_applying_the_operations() {
        for workload in [
            Workload::default(),
            Workload {
                ops_per_client: 7,
                decrement_every: 2,
                first_amount: 0,
                ..Workload::default()
            },
            Workload {
                decrement_every: 0,
                ..Workload::default()
            },
            Workload {
                decrement_every: 1,
                ..Workload::default()
            },
        ] {
            for client in 0..workload.counters {
                let mut tally = crate::Tally::default();
                for op in workload.operations(client) {
                    tally.apply(op).unwrap();
                }
                assert_eq!(i128::from(tally.value()), workload.expected_value(client));
                assert_eq!(tally.total_operations(), workload.ops_per_client);
            }
        }
    }

    /// The first operation is a decrement, then two increments, and so on;
    /// client k uses amount k + 1.
    #[test]
    fn pattern_of_one_client() {
        let ops: Vec<_> = Workload::default().operations(2).take(4).collect();
        assert_eq!(
            ops,
            [
                Operation::Decrement { amount: 3 },
                Operation::Increment { amount: 3 },
                Operation::Increment { amount: 3 },
                Operation::Decrement { amount: 3 },
            ]
        );
    }

    /// Each impossible workload gets its own error instead of a panic later.
    #[test]
    fn invalid_workloads_are_refused() {
        let base = Workload::default();
        let cases = [
            (
                Workload {
                    counters: 0,
                    ..base.clone()
                },
                WorkloadError::NoCounters,
            ),
            (
                Workload {
                    interval: Duration::ZERO,
                    ..base.clone()
                },
                WorkloadError::ZeroInterval,
            ),
            (
                Workload {
                    first_amount: -1,
                    ..base.clone()
                },
                WorkloadError::NegativeAmount { first_amount: -1 },
            ),
            (
                Workload {
                    first_amount: i64::MAX,
                    ..base.clone()
                },
                WorkloadError::AmountTooLarge {
                    counters: 4,
                    first_amount: i64::MAX,
                },
            ),
        ];
        for (workload, error) in cases {
            assert_eq!(workload.validate(), Err(error));
        }
    }
}
