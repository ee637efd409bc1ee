//! The worker: an actor that does nothing but fail, stop or refuse to
//! start when the grader says so, and writes each start and clean stop in
//! the [`Log`].

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ractor::{Actor, ActorProcessingErr, ActorRef};

use crate::Log;

// ANCHOR: message
/// What a worker can be told.
#[derive(Debug)]
pub enum WorkerMessage {
    /// Fail now, in the way given.
    Crash(Crash),
    /// Stop cleanly, as a worker does when its job is done.
    Stop,
}

// A message that stays in its process: see `actors_core::message`.
actors_core::local_message!(WorkerMessage);

/// The two ways a ractor handler fails. ractor catches both and tells the
/// supervisor `ActorFailed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crash {
    /// Return an `Err` from `handle`.
    Error,
    /// Panic inside `handle`, with a [`WorkerPanic`] as the payload.
    Panic,
}
// ANCHOR_END: message

/// The payload of a worker's panic on purpose. A type of its own, so that a
/// panic hook can tell it from a real bug and stay silent.
#[derive(Debug, Clone, Copy)]
pub struct WorkerPanic;

/// Why a worker failed, when it failed through the error path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WorkerError {
    /// [`Crash::Error`] told it to.
    #[error("it returned an error")]
    Crashed,
    /// Its `pre_start` was made to fail through [`StartFailures`].
    #[error("it refused to start")]
    Refused,
}

/// How many of the next worker starts fail in `pre_start`, whichever worker
/// is starting. Cloning gives another handle to the same count, so the
/// grader can set it while the supervisor passes it to every worker.
#[derive(Debug, Clone, Default)]
pub struct StartFailures(Arc<AtomicUsize>);

impl StartFailures {
    /// No start fails until [`StartFailures::fail_next`] says so.
    pub fn new() -> Self {
        StartFailures::default()
    }

    /// Makes the next `count` starts fail.
    pub fn fail_next(&self, count: usize) {
        // Relaxed: the count guards no other data.
        self.0.store(count, Ordering::Relaxed);
    }

    /// Uses up one failure, if one is left: true when this start must fail.
    fn take_one(&self) -> bool {
        self.0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
            .is_ok()
    }
}

/// A worker of the [`Supervisor`](crate::Supervisor).
pub struct Worker;

/// What a worker starts with.
pub struct WorkerArgs {
    /// Its place among the supervisor's workers: `worker-{index}`.
    pub index: usize,
    /// Where it writes "started" and "stopped".
    pub log: Log,
    /// Whether this start must fail.
    pub start_failures: StartFailures,
}

/// A worker's state: only what it needs to write its lines.
pub struct WorkerState {
    /// Who it is in the log: `worker-{index}`.
    name: String,
    /// Where it writes.
    log: Log,
}

impl Actor for Worker {
    type Msg = WorkerMessage;
    type State = WorkerState;
    type Arguments = WorkerArgs;

    async fn pre_start(
        &self,
        _myself: ActorRef<Self::Msg>,
        args: WorkerArgs,
    ) -> Result<WorkerState, ActorProcessingErr> {
        let name = format!("worker-{}", args.index);
        if args.start_failures.take_one() {
            args.log.write(&name, "refused to start");
            return Err(WorkerError::Refused.into());
        }
        args.log.write(&name, "started");
        Ok(WorkerState {
            name,
            log: args.log,
        })
    }

    async fn handle(
        &self,
        myself: ActorRef<Self::Msg>,
        message: WorkerMessage,
        _state: &mut WorkerState,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            WorkerMessage::Crash(Crash::Error) => Err(WorkerError::Crashed.into()),
            WorkerMessage::Crash(Crash::Panic) => std::panic::panic_any(WorkerPanic),
            WorkerMessage::Stop => {
                myself.stop(None);
                Ok(())
            }
        }
    }

    /// Runs after a clean stop only: ractor skips it when an actor fails or
    /// is killed, so a missing "stopped" line means one of those.
    async fn post_stop(
        &self,
        _myself: ActorRef<Self::Msg>,
        state: &mut WorkerState,
    ) -> Result<(), ActorProcessingErr> {
        state.log.write(&state.name, "stopped");
        Ok(())
    }
}
