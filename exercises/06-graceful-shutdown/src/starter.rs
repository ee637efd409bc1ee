//! Your answer to exercise 06. Replace the `todo!()` and run
//! `just exercise 6` to grade it.

use actors_core::CounterStats;

use crate::{Counters, ShutdownError};

// ANCHOR: shutdown
impl Counters {
    /// Stops every counter and returns each one's final figures, in the
    /// order of [`Counters::refs`].
    ///
    /// * Every message queued before this call is applied: the figures
    ///   include all of them.
    /// * When this returns, every counter has stopped and its `post_stop`
    ///   has run (its "stopped" line is in the transcript).
    /// * Nothing else stops the counters, and nothing sleeps.
    /// * A second call returns [`ShutdownError::AlreadyShutDown`].
    /// * A counter that had already stopped gives
    ///   [`ShutdownError::NotRunning`]; the others are still shut down
    ///   properly before the error is returned.
    ///
    /// Ask with `counter::get_stats` and the crate's [`PATIENCE`](crate::PATIENCE).
    pub async fn shutdown(&mut self) -> Result<Vec<CounterStats>, ShutdownError> {
        todo!("exercise 06: write `Counters::shutdown` in src/starter.rs")
    }
}
// ANCHOR_END: shutdown
