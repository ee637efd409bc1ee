//! Asking: what one question and its answer cost, asked of an actor target
//! from a task on the runtime and from a thread outside it. The
//! `request_response` bench program times these, next to reading a lock
//! and loading an atomic; "What a question and a round cost"
//! (`docs/costs.md`) explains them.

use std::hint::black_box;
use std::time::{Duration, Instant};

use actors_core::Design;
use counter::{CounterActor, CounterMessage, get_value};
use handrolled::actor::{self, Handle};
use handrolled::{CounterMsg, HandCounter};
use ractor::{Actor, ActorRef};

use crate::{MeasureError, PATIENCE, in_a_task, quiet_args};

// ANCHOR: asked
/// A quiet counter of one of the two actor designs, to ask for its value.
#[derive(Clone)]
pub enum ActorTarget {
    /// A ractor `CounterActor`, asked with `call` through
    /// [`counter::get_value`], timeout included, as the demo asks.
    Ractor(ActorRef<CounterMessage>),
    /// A hand-rolled counter, asked with its `call`.
    HandRolled(Handle<CounterMsg>),
}

impl ActorTarget {
    /// Starts a counter of `design`, which must be one of the two actor
    /// designs. Call from inside a runtime.
    pub async fn start(design: Design) -> Result<Self, MeasureError> {
        match design {
            Design::Ractor => Ok(ActorTarget::Ractor(
                Actor::spawn(None, CounterActor, quiet_args()).await?.0,
            )),
            Design::HandRolled => Ok(ActorTarget::HandRolled(
                actor::spawn(HandCounter::new("bench")).0,
            )),
            other => Err(MeasureError::NotAnActor(other)),
        }
    }

    /// One question, one answer.
    pub async fn value(&self) -> Result<i64, MeasureError> {
        match self {
            ActorTarget::Ractor(counter) => Ok(get_value(counter, PATIENCE).await?),
            ActorTarget::HandRolled(handle) => Ok(handle.call(CounterMsg::GetValue).await?),
        }
    }
}

/// Times `questions` questions asked one after another by a task on the
/// runtime: the caller and the counter are both tasks, and may share a
/// worker thread.
pub async fn ask_from_a_task(
    target: ActorTarget,
    questions: u64,
) -> Result<Duration, MeasureError> {
    in_a_task(async move {
        let start = Instant::now();
        for _ in 0..questions {
            black_box(target.value().await?);
        }
        Ok(start.elapsed())
    })
    .await
}

/// Times `questions` questions asked from a thread outside the runtime,
/// which blocks on each answer: every answer has to wake a parked thread.
pub fn ask_from_outside(
    runtime: &tokio::runtime::Runtime,
    target: &ActorTarget,
    questions: u64,
) -> Result<Duration, MeasureError> {
    let start = Instant::now();
    for _ in 0..questions {
        black_box(runtime.block_on(target.value())?);
    }
    Ok(start.elapsed())
}
// ANCHOR_END: asked

#[cfg(test)]
mod tests {
    use super::*;

    /// Both actor designs answer questions asked from a task.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn questions_are_answered() {
        for design in [Design::Ractor, Design::HandRolled] {
            let target = ActorTarget::start(design).await.unwrap();
            assert!(ask_from_a_task(target, 10).await.is_ok());
        }
    }

    /// Questions from outside the runtime are answered too.
    #[test]
    fn questions_from_outside_are_answered() {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        for design in [Design::Ractor, Design::HandRolled] {
            let target = runtime.block_on(ActorTarget::start(design)).unwrap();
            assert!(ask_from_outside(&runtime, &target, 10).is_ok());
        }
    }

    /// A design without a mailbox is refused before anything starts,
    /// with its name in the error.
    #[tokio::test]
    async fn only_actor_designs_can_be_asked() {
        for design in Design::ALL.into_iter().filter(|d| !d.is_actor()) {
            let refused = ActorTarget::start(design).await.err();
            assert!(matches!(refused, Some(MeasureError::NotAnActor(d)) if d == design));
        }
    }

    /// A counter that has stopped fails the question instead of hanging.
    #[tokio::test]
    async fn a_stopped_counter_fails_the_question() {
        let (counter, _) = Actor::spawn(None, CounterActor, quiet_args())
            .await
            .unwrap();
        let target = ActorTarget::Ractor(counter.clone());
        counter.stop(None);
        tokio::task::yield_now().await;
        assert!(matches!(target.value().await, Err(MeasureError::Ask(_))));
    }
}
