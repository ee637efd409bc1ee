//! The reference answer to exercise 04. The grader's snapshots were
//! recorded from it.

use std::mem;

use actors_core::CounterStats;
use ractor::{ActorProcessingErr, RpcReplyPort};
use tokio::time::Instant;

use crate::CounterState;

/// Handles [`CounterMessage::Reset`](crate::CounterMessage::Reset): ends the
/// counter's current period, answers with its figures, and starts a new one.
pub fn reset(
    state: &mut CounterState,
    reply: RpcReplyPort<CounterStats>,
) -> Result<(), ActorProcessingErr> {
    let now = Instant::now();
    // Read and clear in one step. Both happen inside one call to `handle`,
    // so no message can be applied between them: every operation lands
    // either in the answer or in the new period, never in neither.
    let ended = mem::take(&mut state.tally);
    let figures = CounterStats::measure(&ended, now.duration_since(state.started_at));
    state.started_at = now;
    // A caller who gave up has dropped the port. The reset still stands,
    // and the counter must not stop over it, so there is no `?` here.
    let _ = reply.send(figures);
    Ok(())
}
