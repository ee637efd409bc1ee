//! A one-for-one supervisor with an intensity limit, in the manner of
//! Erlang/OTP: ractor supplies the links and the events, and this file
//! supplies the policy.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use actors_core::Transcript;
use actors_core::flow::{self, AGGREGATOR};
use aggregator::AggregatorMessage;
use counter::CounterMessage;
use ractor::{Actor, ActorId, ActorProcessingErr, ActorRef, RpcReplyPort, SupervisionEvent};
use tokio::sync::watch;
use tokio::time::Instant;

use crate::counter::{SupervisedArgs, SupervisedCounter};
use crate::faults::Faults;
use crate::store::{Checkpoints, Recovery};

// ANCHOR: intensity
/// How many restarts a supervisor allows within a period before it gives
/// up: OTP's "maximum restart intensity".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Intensity {
    /// Restarts allowed within `period`. One more fails the supervisor.
    pub max_restarts: u32,
    /// The sliding window the restarts are counted in.
    pub period: Duration,
}

impl Default for Intensity {
    /// 5 restarts in 5 seconds, kameo's default. OTP's is 1 in 5.
    fn default() -> Self {
        Intensity {
            max_restarts: 5,
            period: Duration::from_secs(5),
        }
    }
}

// ANCHOR_END: intensity

// ANCHOR: window
/// The restarts of the last `period`, oldest first.
#[derive(Debug)]
pub struct RestartWindow {
    intensity: Intensity,
    recent: VecDeque<Instant>,
}

impl RestartWindow {
    /// A window with no restarts in it.
    pub fn new(intensity: Intensity) -> Self {
        RestartWindow {
            intensity,
            recent: VecDeque::new(),
        }
    }

    /// Records a restart at `now` and returns true, or returns false if it
    /// would make more than `max_restarts` within the period. A restart
    /// exactly one period old still counts, as in OTP.
    pub fn allow(&mut self, now: Instant) -> bool {
        let period = self.intensity.period;
        while let Some(&oldest) = self.recent.front() {
            if now.duration_since(oldest) <= period {
                break;
            }
            self.recent.pop_front();
        }
        if self.recent.len() >= self.intensity.max_restarts as usize {
            return false;
        }
        self.recent.push_back(now);
        true
    }
}
// ANCHOR_END: window

// ANCHOR: report
/// What a supervisor has done so far, published as it happens. It outlives
/// the supervisor, so it can say why the supervisor stopped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SupervisionReport {
    /// Children that failed: an error or a panic while running.
    pub failures: u64,
    /// Restarts that succeeded.
    pub restarts: u64,
    /// Restarts whose `pre_start` failed. Each used up the window as
    /// much as a restart that succeeded.
    pub failed_starts: u64,
    /// Set when the supervisor gave up: why.
    pub gave_up: Option<GaveUp>,
}

/// Why a supervisor gave up, and its error when it fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{id} needed more than {} restarts within {:?}; the supervisor gave up",
    .intensity.max_restarts, .intensity.period)]
pub struct GaveUp {
    /// The child whose restart was one too many.
    pub id: String,
    /// The limit it passed.
    pub intensity: Intensity,
}
// ANCHOR_END: report

// ANCHOR: messages
/// What a supervisor answers.
#[derive(Debug)]
pub enum SupervisorMessage {
    /// Reply with the counter that answers for `index` now: `None` if it
    /// stopped cleanly, which is not restarted.
    WhereIs {
        /// The child's index.
        index: usize,
        /// Where the answer goes.
        reply: RpcReplyPort<Option<ActorRef<CounterMessage>>>,
    },
}

// A message that stays in its process: see `actors_core::message`.
actors_core::local_message!(SupervisorMessage);

/// What a supervisor is started with.
#[derive(Debug, Clone)]
pub struct SupervisorArgs {
    /// How many counters to start and watch.
    pub counters: usize,
    /// What a restarted counter starts from.
    pub recovery: Recovery,
    /// The restart limit.
    pub intensity: Intensity,
    /// Failures to inject.
    pub faults: Faults,
    /// Told of every counter started, so that it follows restarts.
    pub aggregator: Option<ActorRef<AggregatorMessage>>,
    /// Where the supervisor's lines go.
    pub transcript: Transcript,
    /// Where the supervisor publishes its report.
    pub report: watch::Sender<SupervisionReport>,
}
// ANCHOR_END: messages

/// The supervisor's name in the transcript and in the message flow.
pub const SUPERVISOR: &str = "supervisor";

/// The supervisor's behaviour.
pub struct Supervisor;

/// The supervisor's state.
pub struct SupervisorState {
    args: SupervisorArgs,
    checkpoints: Checkpoints,
    children: Vec<Child>,
    /// Which child each running actor is: one lookup per event, so that a
    /// million children stop in linear time.
    by_actor: HashMap<ActorId, usize>,
    window: RestartWindow,
}

/// One child slot.
struct Child {
    id: String,
    incarnation: u32,
    /// `None` once it stopped cleanly.
    counter: Option<ActorRef<CounterMessage>>,
}

impl Actor for Supervisor {
    type Msg = SupervisorMessage;
    type State = SupervisorState;
    type Arguments = SupervisorArgs;

    async fn pre_start(
        &self,
        myself: ActorRef<SupervisorMessage>,
        args: SupervisorArgs,
    ) -> Result<SupervisorState, ActorProcessingErr> {
        let mut state = SupervisorState {
            checkpoints: Checkpoints::new(args.counters),
            window: RestartWindow::new(args.intensity),
            children: Vec::with_capacity(args.counters),
            by_actor: HashMap::with_capacity(args.counters),
            args,
        };
        for index in 0..state.args.counters {
            let id = format!("counter-{index}");
            state.children.push(Child {
                id: id.clone(),
                incarnation: 0,
                counter: None,
            });
            let counter = state.spawn(&myself, index).await?;
            state.place(index, Some(counter.clone()));
            if let Some(aggregator) = &state.args.aggregator {
                flow::cast(SUPERVISOR, AGGREGATOR, "RegisterSupervised");
                aggregator.cast(AggregatorMessage::RegisterSupervised { id, counter })?;
            }
        }
        Ok(state)
    }

    async fn handle(
        &self,
        _myself: ActorRef<SupervisorMessage>,
        message: SupervisorMessage,
        state: &mut SupervisorState,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            SupervisorMessage::WhereIs { index, reply } => {
                let counter = state.children.get(index).and_then(|c| c.counter.clone());
                if reply.send(counter).is_err() {
                    tracing::debug!("caller stopped waiting for a counter's address");
                }
            }
        }
        Ok(())
    }

    // ANCHOR: events
    async fn handle_supervisor_evt(
        &self,
        myself: ActorRef<SupervisorMessage>,
        event: SupervisionEvent,
        state: &mut SupervisorState,
    ) -> Result<(), ActorProcessingErr> {
        match event {
            SupervisionEvent::ActorFailed(cell, error) => {
                let Some(index) = state.index_of(cell.get_id()) else {
                    return Ok(());
                };
                let id = &state.children[index].id;
                flow::cast(id, SUPERVISOR, "ActorFailed");
                state.args.transcript.line(format_args!(
                    "[supervisor] {id} failed: {error}; its mailbox is gone"
                ));
                state.args.report.send_modify(|report| report.failures += 1);
                state.restart(&myself, index).await?;
            }
            // A clean stop is not a failure: the child stays stopped.
            SupervisionEvent::ActorTerminated(cell, _, _) => {
                if let Some(index) = state.index_of(cell.get_id()) {
                    state.place(index, None);
                }
            }
            // `ActorStarted`, process groups, and with the `cluster` feature
            // one more variant: nothing to do.
            _ => {}
        }
        Ok(())
    }
    // ANCHOR_END: events
}

impl SupervisorState {
    fn index_of(&self, id: ActorId) -> Option<usize> {
        self.by_actor.get(&id).copied()
    }

    /// Makes `counter` the actor of child `index`, or none.
    fn place(&mut self, index: usize, counter: Option<ActorRef<CounterMessage>>) {
        if let Some(old) = &self.children[index].counter {
            self.by_actor.remove(&old.get_id());
        }
        if let Some(new) = &counter {
            self.by_actor.insert(new.get_id(), index);
        }
        self.children[index].counter = counter;
    }

    // ANCHOR: spawn
    async fn spawn(
        &self,
        myself: &ActorRef<SupervisorMessage>,
        index: usize,
    ) -> Result<ActorRef<CounterMessage>, ractor::SpawnErr> {
        let child = &self.children[index];
        let args = SupervisedArgs {
            index,
            id: child.id.clone(),
            incarnation: child.incarnation,
            recovery: self.args.recovery,
            checkpoints: self.checkpoints.clone(),
            faults: self.args.faults.clone(),
            transcript: self.args.transcript.clone(),
        };
        // No global name: tests run many systems side by side in one
        // process, and ractor's registry is process-wide.
        let (counter, _task) =
            Actor::spawn_linked(None, SupervisedCounter, args, myself.get_cell()).await?;
        Ok(counter)
    }
    // ANCHOR_END: spawn

    // ANCHOR: restart
    /// Restarts child `index`, one-for-one. A start that fails is one more
    /// restart, so a child that cannot start uses up the window too.
    async fn restart(
        &mut self,
        myself: &ActorRef<SupervisorMessage>,
        index: usize,
    ) -> Result<(), GaveUp> {
        self.place(index, None);
        loop {
            if !self.window.allow(Instant::now()) {
                return Err(self.give_up(index));
            }
            self.children[index].incarnation += 1;
            let id = self.children[index].id.clone();
            flow::call(SUPERVISOR, &id, "spawn_linked");
            match self.spawn(myself, index).await {
                Ok(counter) => {
                    flow::reply(&id, SUPERVISOR, "started");
                    self.args.report.send_modify(|report| report.restarts += 1);
                    self.args
                        .transcript
                        .line(format_args!("[supervisor] restarted {id}"));
                    self.place(index, Some(counter.clone()));
                    if let Some(aggregator) = &self.args.aggregator {
                        flow::cast(SUPERVISOR, AGGREGATOR, "CounterRestarted");
                        let restarted = AggregatorMessage::CounterRestarted { id, counter };
                        if aggregator.cast(restarted).is_err() {
                            tracing::debug!("the aggregator has stopped; not told of a restart");
                        }
                    }
                    return Ok(());
                }
                Err(error) => {
                    flow::reply(&id, SUPERVISOR, "start failed");
                    self.args.transcript.line(format_args!(
                        "[supervisor] {id} failed to start again: {error}"
                    ));
                    self.args
                        .report
                        .send_modify(|report| report.failed_starts += 1);
                }
            }
        }
    }

    /// Stops every child and reports why; the caller then fails, which
    /// passes the decision to whoever supervises this supervisor.
    fn give_up(&mut self, index: usize) -> GaveUp {
        let gave_up = GaveUp {
            id: self.children[index].id.clone(),
            intensity: self.args.intensity,
        };
        self.args
            .transcript
            .line(format_args!("[supervisor] {gave_up}"));
        for index in 0..self.children.len() {
            if let Some(counter) = &self.children[index].counter {
                counter.stop(Some("the supervisor gave up".into()));
            }
            self.place(index, None);
        }
        self.args
            .report
            .send_modify(|report| report.gave_up = Some(gave_up.clone()));
        gave_up
    }
    // ANCHOR_END: restart
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(max_restarts: u32, period_ms: u64) -> RestartWindow {
        RestartWindow::new(Intensity {
            max_restarts,
            period: Duration::from_millis(period_ms),
        })
    }

    /// `max_restarts` fit in the period; one more does not.
    #[tokio::test(start_paused = true)]
    async fn the_window_refuses_one_more_than_the_limit() {
        let mut window = window(3, 1000);
        let now = Instant::now();
        assert!(window.allow(now));
        assert!(window.allow(now));
        assert!(window.allow(now));
        assert!(!window.allow(now));
    }

    /// A restart exactly one period old still counts; a moment later, it
    /// no longer does.
    #[tokio::test(start_paused = true)]
    async fn old_restarts_leave_the_window() {
        let mut window = window(2, 1000);
        let start = Instant::now();
        assert!(window.allow(start));
        assert!(window.allow(start + Duration::from_millis(500)));
        assert!(!window.allow(start + Duration::from_millis(1000)));
        assert!(window.allow(start + Duration::from_millis(1001)));
    }

    /// A limit of zero refuses the first restart: the first failure escalates.
    #[tokio::test(start_paused = true)]
    async fn zero_restarts_means_never() {
        assert!(!window(0, 1000).allow(Instant::now()));
    }
}
