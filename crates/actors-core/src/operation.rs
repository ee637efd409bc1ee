//! Operations on a counter, and the one place where they are applied.

use std::fmt;

// ANCHOR: operation
/// One change to a counter's value.
///
/// The direction lives in the variant and the size in `amount`. An amount is
/// therefore never negative: `Increment { amount: -5 }` would be a second way
/// of writing `Decrement { amount: 5 }`, and a counter whose increments can
/// lower its value is a counter nobody can reason about. [`Operation::apply_to`]
/// rejects a negative amount with [`OperationError::NegativeAmount`].
///
/// An amount of zero is legal. It changes nothing but still counts as an
/// operation, just as a deposit of zero is still a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Add `amount` to the value.
    Increment {
        /// How much to add. Must not be negative.
        amount: i64,
    },
    /// Subtract `amount` from the value.
    Decrement {
        /// How much to subtract. Must not be negative.
        amount: i64,
    },
}
// ANCHOR_END: operation

// ANCHOR: operation_error
/// Why an operation was refused. The counter's state is unchanged in every case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OperationError {
    /// The amount was below zero. See [`Operation`] for why that is refused.
    #[error("{op} has a negative amount; use the opposite operation instead")]
    NegativeAmount {
        /// The refused operation.
        op: Operation,
    },
    /// The result does not fit in an `i64`.
    #[error("{op} on the value {value} would overflow i64")]
    Overflow {
        /// The value before the operation, which is also the value after it.
        value: i64,
        /// The refused operation.
        op: Operation,
    },
}
// ANCHOR_END: operation_error

impl Operation {
    /// The amount, whichever the direction.
    pub fn amount(self) -> i64 {
        match self {
            Operation::Increment { amount } | Operation::Decrement { amount } => amount,
        }
    }

    /// The name of the message that carries this operation to an actor,
    /// `Increment` or `Decrement`, as a message-flow diagram labels it.
    pub fn name(self) -> &'static str {
        match self {
            Operation::Increment { .. } => "Increment",
            Operation::Decrement { .. } => "Decrement",
        }
    }

    // ANCHOR: apply_to
    /// Returns the value after this operation, or why it cannot be applied.
    ///
    /// Uses checked arithmetic: `i64::MAX + 1` is an error here, never a panic
    /// (as it would be in a debug build) and never `i64::MIN` (as it would
    /// silently be in a release build).
    pub fn apply_to(self, value: i64) -> Result<i64, OperationError> {
        if self.amount() < 0 {
            return Err(OperationError::NegativeAmount { op: self });
        }
        let next = match self {
            Operation::Increment { amount } => value.checked_add(amount),
            Operation::Decrement { amount } => value.checked_sub(amount),
        };
        next.ok_or(OperationError::Overflow { value, op: self })
    }
    // ANCHOR_END: apply_to
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operation::Increment { amount } => write!(f, "increment by {amount}"),
            Operation::Decrement { amount } => write!(f, "decrement by {amount}"),
        }
    }
}

// ANCHOR: tally
/// The state of one counter: its value and how many operations it has seen.
///
/// Every design keeps one `Tally` per counter. The actor owns it outright; the
/// lock-based designs guard it. Either way, the rules for applying an
/// operation are these, and only these.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    value: i64,
    total_operations: u64,
    rejected_operations: u64,
}

impl Tally {
    /// Applies `op`. On success the value changes and `total_operations`
    /// grows by one. On failure only `rejected_operations` grows, and the
    /// error says why.
    pub fn apply(&mut self, op: Operation) -> Result<i64, OperationError> {
        match op.apply_to(self.value) {
            Ok(next) => {
                self.value = next;
                // A u64 count cannot realistically fill up: at one operation
                // per nanosecond it takes 584 years. Saturating keeps even
                // that case from wrapping to zero.
                self.total_operations = self.total_operations.saturating_add(1);
                Ok(next)
            }
            Err(error) => {
                self.rejected_operations = self.rejected_operations.saturating_add(1);
                Err(error)
            }
        }
    }
}
// ANCHOR_END: tally

impl Tally {
    /// The current value.
    pub fn value(&self) -> i64 {
        self.value
    }

    /// How many operations changed (or, for an amount of zero, kept) the value.
    pub fn total_operations(&self) -> u64 {
        self.total_operations
    }

    /// How many operations were refused.
    pub fn rejected_operations(&self) -> u64 {
        self.rejected_operations
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn inc(amount: i64) -> Operation {
        Operation::Increment { amount }
    }
    const fn dec(amount: i64) -> Operation {
        Operation::Decrement { amount }
    }

    /// Increments and decrements move the value both ways, through zero.
    #[test]
    fn applies_in_both_directions() {
        let mut tally = Tally::default();
        assert_eq!(tally.apply(inc(5)), Ok(5));
        assert_eq!(tally.apply(dec(8)), Ok(-3));
        assert_eq!(tally.value(), -3);
        assert_eq!(tally.total_operations(), 2);
        assert_eq!(tally.rejected_operations(), 0);
    }

    /// An amount of zero is an operation that changes nothing, and it counts.
    #[test]
    fn zero_amount_counts_as_an_operation() {
        let mut tally = Tally::default();
        assert_eq!(tally.apply(inc(0)), Ok(0));
        assert_eq!(tally.total_operations(), 1);
    }

    /// Going past `i64::MAX` is refused, and the state stays as it was.
    #[test]
    fn overflow_at_the_top_is_rejected() {
        let mut tally = Tally::default();
        tally.apply(inc(i64::MAX)).unwrap();
        let before = tally;

        let error = tally.apply(inc(1)).unwrap_err();

        assert_eq!(
            error,
            OperationError::Overflow {
                value: i64::MAX,
                op: inc(1)
            }
        );
        assert_eq!(tally.value(), before.value());
        assert_eq!(tally.total_operations(), before.total_operations());
        assert_eq!(tally.rejected_operations(), 1);
    }

    /// Going below `i64::MIN` is refused too. `i64::MIN` itself is reachable.
    #[test]
    fn overflow_at_the_bottom_is_rejected() {
        let mut tally = Tally::default();
        tally.apply(dec(i64::MAX)).unwrap();
        assert_eq!(tally.apply(dec(1)), Ok(i64::MIN));

        let error = tally.apply(dec(1)).unwrap_err();

        assert!(matches!(error, OperationError::Overflow { value, .. } if value == i64::MIN));
        assert_eq!(tally.value(), i64::MIN);
        assert_eq!(tally.total_operations(), 2);
        assert_eq!(tally.rejected_operations(), 1);
    }

    /// A negative amount is refused in either direction, whatever the value.
    #[test]
    fn negative_amounts_are_rejected() {
        let mut tally = Tally::default();
        for op in [inc(-1), dec(-1), inc(i64::MIN), dec(i64::MIN)] {
            assert_eq!(tally.apply(op), Err(OperationError::NegativeAmount { op }));
        }
        assert_eq!(
            tally,
            Tally {
                rejected_operations: 4,
                ..Tally::default()
            }
        );
    }

    /// The error messages say what was refused and why, in words.
    #[test]
    fn errors_read_well() {
        let overflow = inc(1).apply_to(i64::MAX).unwrap_err();
        assert_eq!(
            overflow.to_string(),
            "increment by 1 on the value 9223372036854775807 would overflow i64"
        );
        let negative = dec(-2).apply_to(0).unwrap_err();
        assert_eq!(
            negative.to_string(),
            "decrement by -2 has a negative amount; use the opposite operation instead"
        );
    }
}
