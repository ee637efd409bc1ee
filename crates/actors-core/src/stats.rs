//! What one counter reports, and what many counters add up to.

use std::fmt;
use std::time::Duration;

use crate::Tally;

// ANCHOR: counter_stats
/// A counter's answer to "how are you doing?".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CounterStats {
    /// The value when the counter answered.
    pub current_value: i64,
    /// Operations applied since the counter started.
    pub total_operations: u64,
    /// Operations refused since the counter started (negative amount or
    /// overflow). They are not part of `total_operations`.
    pub rejected_operations: u64,
    /// `total_operations` divided by the seconds since the counter started.
    ///
    /// This is a lifetime average, as in the article, not a current rate: a
    /// counter that did 50 operations in its first half second and then sat
    /// idle reports 25 ops/s at 2 s and 12.5 ops/s at 4 s.
    pub operations_per_second: f64,
}
// ANCHOR_END: counter_stats

impl CounterStats {
    /// Reads `tally` as it is after `elapsed` of the counter's life.
    ///
    /// The caller measures `elapsed`. The actor measures it with
    /// `tokio::time::Instant`, so that a test on tokio's paused clock gets an
    /// exact rate.
    pub fn measure(tally: &Tally, elapsed: Duration) -> Self {
        Self::from_figures(
            tally.value(),
            tally.total_operations(),
            tally.rejected_operations(),
            elapsed,
        )
    }

    /// The same as [`measure`](Self::measure), for a design that keeps its
    /// figures somewhere other than a [`Tally`] (the lock-based designs keep
    /// them in atomics). One function computes the rate for every design, so
    /// that they all report the same thing.
    pub fn from_figures(
        current_value: i64,
        total_operations: u64,
        rejected_operations: u64,
        elapsed: Duration,
    ) -> Self {
        let seconds = elapsed.as_secs_f64();
        let operations_per_second = if seconds > 0.0 {
            total_operations as f64 / seconds
        } else {
            0.0
        };
        CounterStats {
            current_value,
            total_operations,
            rejected_operations,
            operations_per_second,
        }
    }
}

// ANCHOR: aggregated_stats
/// The sum over a group of counters, as one collection round saw them.
///
/// It is not a snapshot of one moment: each counter answered when it got to
/// the question, so two counters may be read microseconds (or, under load,
/// much longer) apart. The book's aggregator chapter shows a test in which the
/// total is a value the system never held.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AggregatedStats {
    /// The sum of the counters' values. An `i128`, because the sum of many
    /// `i64` values can overflow an `i64` but not an `i128`.
    pub total_value: i128,
    /// The sum of the counters' applied operations.
    pub total_operations: u64,
    /// The sum of the counters' rejected operations.
    pub rejected_operations: u64,
    /// How many counters the stats cover. For an aggregator, the counters
    /// still registered, including any that did not answer in time.
    pub num_counters: usize,
    /// Of `num_counters`, how many did not answer this round.
    pub unresponsive_counters: usize,
    /// How many counters have stopped and left the registry so far.
    pub dropped_counters: usize,
    /// How many times a supervisor restarted a counter, as far as the
    /// aggregator has heard. Always 0 without a supervisor.
    pub restarts: u64,
    /// The mean of `operations_per_second` over the counters that answered.
    pub avg_ops_per_second: f64,
}
// ANCHOR_END: aggregated_stats

// ANCHOR: aggregate
/// Adds up the stats of a group of counters.
///
/// This is the whole of "aggregation" once the numbers are in hand. The actor
/// design and the lock-based designs differ only in how they get the numbers.
pub fn aggregate(stats: impl IntoIterator<Item = CounterStats>) -> AggregatedStats {
    let mut total = AggregatedStats::default();
    let mut rate_sum = 0.0;
    for counter in stats {
        total.total_value += i128::from(counter.current_value);
        total.total_operations = total
            .total_operations
            .saturating_add(counter.total_operations);
        total.rejected_operations = total
            .rejected_operations
            .saturating_add(counter.rejected_operations);
        total.num_counters += 1;
        rate_sum += counter.operations_per_second;
    }
    if total.num_counters > 0 {
        total.avg_ops_per_second = rate_sum / total.num_counters as f64;
    }
    total
}
// ANCHOR_END: aggregate

/// The one-line summary that the aggregator prints after each round.
impl fmt::Display for AggregatedStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Total value: {}, Total ops: {}, Avg ops/sec: {:.2}",
            self.total_value, self.total_operations, self.avg_ops_per_second
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Operation;

    fn stats(current_value: i64, total_operations: u64, rate: f64) -> CounterStats {
        CounterStats {
            current_value,
            total_operations,
            rejected_operations: 0,
            operations_per_second: rate,
        }
    }

    /// The rate is operations over elapsed seconds, and zero at time zero
    /// rather than infinite or NaN.
    #[test]
    fn rate_is_a_lifetime_average() {
        let mut tally = Tally::default();
        for _ in 0..50 {
            tally.apply(Operation::Increment { amount: 1 }).unwrap();
        }
        let at_two = CounterStats::measure(&tally, Duration::from_secs(2));
        assert_eq!(at_two.operations_per_second, 25.0);
        let at_four = CounterStats::measure(&tally, Duration::from_secs(4));
        assert_eq!(at_four.operations_per_second, 12.5);
        let at_zero = CounterStats::measure(&tally, Duration::ZERO);
        assert_eq!(at_zero.operations_per_second, 0.0);
    }

    /// Values, operations and rates add up; the rate is averaged.
    #[test]
    fn aggregate_sums_and_averages() {
        let total = aggregate([stats(16, 50, 25.0), stats(-4, 10, 5.0)]);
        assert_eq!(total.total_value, 12);
        assert_eq!(total.total_operations, 60);
        assert_eq!(total.num_counters, 2);
        assert_eq!(total.avg_ops_per_second, 15.0);
    }

    /// Nothing to add up gives zeros, not a division by zero.
    #[test]
    fn aggregate_of_nothing_is_zero() {
        assert_eq!(aggregate([]), AggregatedStats::default());
    }

    /// Two counters at `i64::MAX` add up to twice `i64::MAX`, exactly.
    #[test]
    fn total_value_does_not_overflow() {
        let total = aggregate([stats(i64::MAX, 1, 0.0), stats(i64::MAX, 1, 0.0)]);
        assert_eq!(total.total_value, 2 * i128::from(i64::MAX));
    }

    /// The summary line has the article's three figures.
    #[test]
    fn summary_line() {
        let total = aggregate([stats(160, 200, 25.0)]);
        assert_eq!(
            total.to_string(),
            "Total value: 160, Total ops: 200, Avg ops/sec: 25.00"
        );
    }
}
