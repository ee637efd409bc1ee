//! The reference solution to exercise 09. The grader runs it when the
//! `starter` feature is off; the book never shows it.

use ractor::{ActorCell, ActorProcessingErr};
use tokio::time::Instant;

use crate::{Exit, RestartWindow, SupervisorState};

impl RestartWindow {
    /// Says whether one more restart may happen at `now`, and if so counts
    /// it.
    ///
    /// * A restart counts against the limit while it is at most `period`
    ///   old: one made exactly `period` before `now` still counts, as in
    ///   Erlang/OTP. Older ones are forgotten.
    /// * If `max_restarts` restarts still count, the answer is `false` and
    ///   nothing is recorded. Otherwise the answer is `true`, and the
    ///   restart at `now` counts from now on.
    pub fn allow(&mut self, now: Instant) -> bool {
        // The window slides: forget what has left it, oldest first.
        while let Some(&oldest) = self.recent.front() {
            if now.duration_since(oldest) <= self.period {
                break;
            }
            self.recent.pop_front();
        }
        if self.recent.len() >= self.max_restarts {
            return false;
        }
        self.recent.push_back(now);
        true
    }
}

impl SupervisorState {
    /// Decides what the supervisor `myself` does now that worker `worker`
    /// has ended as `exit`.
    ///
    /// * A worker that stopped cleanly stays stopped.
    /// * A failed worker is started again with [`SupervisorState::restart`],
    ///   if `self.window` allows one more restart now.
    /// * A restart that fails in `pre_start` is one more failure: ask the
    ///   window again, and try again.
    /// * When the window refuses, stop the other workers and wait until
    ///   they have stopped, then fail with `self.window.exceeded()`, for
    ///   the supervisor's own supervisor to decide.
    pub async fn on_exit(
        &mut self,
        myself: &ActorCell,
        worker: usize,
        exit: Exit,
    ) -> Result<(), ActorProcessingErr> {
        if exit == Exit::Stopped {
            return Ok(());
        }
        loop {
            if !self.window.allow(Instant::now()) {
                // Stopped, not left to ractor: a failing supervisor kills
                // its children, and a killed worker's `post_stop` never runs.
                myself
                    .stop_children_and_wait(Some("the supervisor gives up".into()), None)
                    .await;
                return Err(self.window.exceeded().into());
            }
            // ractor sends no event for a start that fails in `pre_start`:
            // it is counted here, by going round again.
            if self.restart(myself, worker).await.is_ok() {
                return Ok(());
            }
        }
    }
}
