//! The reference answer to exercise 05. The grader's snapshots were
//! recorded from it.

use crate::{Answer, Slowest};

/// Picks the slowest counter of one round: the lowest rate among the
/// counters that answered, the first of them on a tie, `None` if none
/// answered.
pub fn slowest(round: &[Answer]) -> Option<Slowest> {
    let mut slowest: Option<Slowest> = None;
    for answer in round {
        // No answer, no rate: reading it as 0 would make every silent
        // counter the slowest.
        let Ok(stats) = &answer.stats else {
            continue;
        };
        let rate = stats.operations_per_second;
        // Strictly lower, so that on a tie the counter met first stays.
        if slowest
            .as_ref()
            .is_none_or(|so_far| rate < so_far.ops_per_second)
        {
            slowest = Some(Slowest {
                id: answer.id.clone(),
                ops_per_second: rate,
            });
        }
    }
    slowest
}
