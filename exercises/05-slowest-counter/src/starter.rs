//! Your answer to exercise 05. Replace the `todo!()` and run
//! `just exercise 5` to grade it.

use crate::{Answer, Slowest};

// ANCHOR: slowest
/// Picks the slowest counter of one round.
///
/// `round` holds one [`Answer`] per registered counter, in registration
/// order. Return the counter with the lowest `operations_per_second`,
/// with that rate, following these rules:
///
/// * Only counters that answered take part. An `Err` means the counter has
///   no rate this round; it is neither fast nor slow, so leave it out.
/// * A counter that answered with a rate of 0 (it has done nothing) takes
///   part like any other.
/// * On a tie, the counter that comes first in `round` wins.
/// * If no counter answered, or `round` is empty, return `None`.
pub fn slowest(round: &[Answer]) -> Option<Slowest> {
    todo!("exercise 05: write `slowest` in src/starter.rs")
}
// ANCHOR_END: slowest
