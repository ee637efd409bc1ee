//! The reference solution to exercise 06. The grader runs it when the
//! `starter` feature is off; the book never shows it.

use actors_core::CounterStats;
use counter::{AskError, get_stats};

use crate::{Counters, PATIENCE, ShutdownError};

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
    pub async fn shutdown(&mut self) -> Result<Vec<CounterStats>, ShutdownError> {
        // Taking the tasks is what marks the set as shut down.
        let tasks = self.tasks.take().ok_or(ShutdownError::AlreadyShutDown)?;
        let mut finals = Vec::with_capacity(self.refs.len());
        let mut first_error = None;
        for (index, (counter, task)) in self.refs.iter().zip(tasks).enumerate() {
            // The question joins the back of the mailbox, behind everything
            // cast before this call, so its answer counts all of it.
            match get_stats(counter, PATIENCE).await {
                Ok(stats) => finals.push(stats),
                Err(error) => {
                    first_error.get_or_insert(match error {
                        AskError::NotRunning => ShutdownError::NotRunning { index },
                        error => ShutdownError::NoFigures { index, error },
                    });
                }
            }
            // `drain` refuses new messages and puts a marker at the back of
            // the mailbox: the actor handles what is in front of it, then
            // stops. (`stop` would jump the queue instead.) A counter that
            // has stopped already refuses the marker; nothing to drain.
            let _ = counter.drain();
            // The task ends after `post_stop` has returned. Its result
            // carries nothing: ractor catches an actor's panic inside it.
            let _ = task.await;
        }
        // Every counter is stopped, even if one of them had no figures.
        match first_error {
            Some(error) => Err(error),
            None => Ok(finals),
        }
    }
}
