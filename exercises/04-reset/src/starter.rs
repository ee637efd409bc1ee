//! Your answer to exercise 04. Replace the `todo!()` and run
//! `just exercise 4` to grade it.

use actors_core::CounterStats;
use ractor::{ActorProcessingErr, RpcReplyPort};

use crate::CounterState;

// ANCHOR: reset
/// Handles [`CounterMessage::Reset`](crate::CounterMessage::Reset): ends the
/// counter's current period and starts a new one.
///
/// * Answer through `reply` with the figures of the period that ends here:
///   the value, the operations applied and rejected, and the rate, exactly
///   as `GetStats` would have reported them just before the reset.
/// * Start the new period from nothing: value 0, no operations applied, none
///   rejected, and the period's clock (`state.started_at`) starting now.
/// * The reset itself is not an operation, and is counted nowhere.
/// * The reset stands even if nobody waits for the answer any more, and the
///   counter keeps running either way.
pub fn reset(
    state: &mut CounterState,
    reply: RpcReplyPort<CounterStats>,
) -> Result<(), ActorProcessingErr> {
    todo!("exercise 04: write `reset` in src/starter.rs")
}
// ANCHOR_END: reset
