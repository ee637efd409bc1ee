//! The supervisor: starts the workers, turns ractor's supervision events
//! into an [`Exit`], and leaves the decision to
//! [`SupervisorState::on_exit`], the student's method.

use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort, SupervisionEvent};

use crate::{Exit, Log, RestartWindow, StartFailures, SupervisorState, WorkerError, WorkerMessage};

/// Runs `workers` workers, one for one, within a [`RestartWindow`].
pub struct Supervisor;

/// What a supervisor starts with.
pub struct SupervisorArgs {
    /// How many workers it runs: `worker-0` and up.
    pub workers: usize,
    /// Its intensity limit.
    pub window: RestartWindow,
    /// Where it and its workers tell what happened.
    pub log: Log,
    /// Handed to every worker it starts, for the grader to make starts fail.
    pub start_failures: StartFailures,
}

/// What a supervisor can be asked.
#[derive(Debug)]
pub enum SupervisorMessage {
    /// Replies with the running incarnation of every worker, `worker-0`
    /// first: a restarted worker has a new `ActorRef`.
    Workers(RpcReplyPort<Vec<ActorRef<WorkerMessage>>>),
}

// A message that stays in its process: see `actors_core::message`.
actors_core::local_message!(SupervisorMessage);

impl Actor for Supervisor {
    type Msg = SupervisorMessage;
    type State = SupervisorState;
    type Arguments = SupervisorArgs;

    async fn pre_start(
        &self,
        myself: ActorRef<Self::Msg>,
        args: SupervisorArgs,
    ) -> Result<SupervisorState, ActorProcessingErr> {
        let mut state = SupervisorState {
            workers: Vec::with_capacity(args.workers),
            window: args.window,
            log: args.log,
            start_failures: args.start_failures,
        };
        for index in 0..args.workers {
            let worker = state.start(&myself.get_cell(), index).await?;
            state.workers.push(worker);
        }
        Ok(state)
    }

    async fn handle(
        &self,
        _myself: ActorRef<Self::Msg>,
        message: SupervisorMessage,
        state: &mut SupervisorState,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            SupervisorMessage::Workers(reply) => {
                // A caller that gave up waiting is no reason to fail.
                let _ = reply.send(state.workers.clone());
            }
        }
        Ok(())
    }

    // ANCHOR: handle_supervisor_evt
    async fn handle_supervisor_evt(
        &self,
        myself: ActorRef<Self::Msg>,
        event: SupervisionEvent,
        state: &mut SupervisorState,
    ) -> Result<(), ActorProcessingErr> {
        let (cell, exit, how) = match &event {
            SupervisionEvent::ActorFailed(cell, error) => (cell, Exit::Failed, failure(error)),
            SupervisionEvent::ActorTerminated(cell, ..) => (cell, Exit::Stopped, "stopped cleanly"),
            // `ActorStarted`, process groups, and the variant ractor's
            // `cluster` feature adds: nothing to decide.
            _ => return Ok(()),
        };
        // An event from an incarnation that was already replaced, or from
        // an actor that is not ours, changes nothing.
        let Some(index) = state
            .workers
            .iter()
            .position(|w| w.get_id() == cell.get_id())
        else {
            return Ok(());
        };
        state
            .log
            .write("supervisor", format_args!("worker-{index} {how}"));
        state.on_exit(&myself.get_cell(), index, exit).await
    }
    // ANCHOR_END: handle_supervisor_evt
}

/// How a worker's failure reads in the log. ractor turns a panic into an
/// error holding the panic's message, or a stock sentence when the payload
/// is not text, as a [`WorkerPanic`](crate::WorkerPanic) is not.
fn failure(error: &ActorProcessingErr) -> &'static str {
    match error.downcast_ref::<WorkerError>() {
        Some(WorkerError::Crashed) => "failed: it returned an error",
        Some(WorkerError::Refused) => "failed: it refused to start",
        None => "failed: it panicked",
    }
}
