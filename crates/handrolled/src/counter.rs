//! The article's counter, on the hand-rolled actor of `actor.rs`, and the
//! system of such counters behind the shared contract.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use futures::future::join_all;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use actors_core::{
    AggregatedStats, CounterStats, CounterSystem, Design, Family, Operation, Receipt, SystemError,
    Tally, Transcript, aggregate, check_index, flow,
};

use crate::actor::{self, Actor, CallError, Handle, Reply};

// ANCHOR: counter
/// What a hand-rolled counter understands. The ractor counter's
/// `CounterMessage` without `Batch`, with one `Apply` for both directions,
/// and a tokio oneshot sender where ractor has an `RpcReplyPort`.
#[derive(Debug)]
pub enum CounterMsg {
    /// Apply an operation. No answer.
    Apply(Operation),
    /// Answer with the current value.
    GetValue(Reply<i64>),
    /// Answer with the statistics.
    GetStats(Reply<CounterStats>),
}

/// One counter: the state its task owns.
#[derive(Debug)]
pub struct HandCounter {
    /// The counter's name, for logs.
    id: String,
    /// Value and operation counts, changed only by [`Tally::apply`].
    tally: Tally,
    /// When the counter started. `tokio::time::Instant`, so that tests on
    /// the paused clock get exact rates.
    started_at: Instant,
}

impl Actor for HandCounter {
    type Message = CounterMsg;

    async fn handle(&mut self, message: CounterMsg) {
        match message {
            CounterMsg::Apply(op) => {
                if let Err(error) = self.tally.apply(op) {
                    tracing::warn!(counter = %self.id, %error, "operation rejected");
                }
            }
            // The caller may have given up; a reply nobody reads is fine.
            CounterMsg::GetValue(reply) => {
                let _ = reply.send(self.tally.value());
            }
            CounterMsg::GetStats(reply) => {
                let _ = reply.send(self.stats());
            }
        }
    }
}
// ANCHOR_END: counter

impl HandCounter {
    /// A counter at zero, started now.
    pub fn new(id: impl Into<String>) -> Self {
        HandCounter {
            id: id.into(),
            tally: Tally::default(),
            started_at: Instant::now(),
        }
    }

    /// The counter's statistics at this moment.
    pub fn stats(&self) -> CounterStats {
        CounterStats::measure(&self.tally, self.started_at.elapsed())
    }
}

// ANCHOR: system
/// `len` hand-rolled counter actors behind the [`CounterSystem`] contract.
pub struct HandRolledSystem {
    handles: Vec<Handle<CounterMsg>>,
    /// The counters' tasks, taken by `shutdown` to collect the final states.
    tasks: Mutex<Vec<JoinHandle<HandCounter>>>,
    shut_down: AtomicBool,
    transcript: Transcript,
}

impl HandRolledSystem {
    /// Starts `len` counters, each in its own task. Call from inside a tokio
    /// runtime.
    pub fn start(len: usize, transcript: &Transcript) -> Self {
        let (handles, tasks) = (0..len)
            .map(|k| {
                let id = format!("counter-{k}");
                transcript.line_in(Family::Started, format_args!("[{id}] started"));
                actor::spawn(HandCounter::new(id))
            })
            .unzip();
        HandRolledSystem {
            handles,
            tasks: Mutex::new(tasks),
            shut_down: AtomicBool::new(false),
            transcript: transcript.clone(),
        }
    }

    fn handle(&self, index: usize) -> Result<&Handle<CounterMsg>, SystemError> {
        if self.shut_down.load(Ordering::Acquire) {
            return Err(SystemError::ShutDown);
        }
        check_index(index, self.handles.len())?;
        Ok(&self.handles[index])
    }
}

fn call_error(index: usize, error: CallError) -> SystemError {
    match error {
        CallError::Stopped => SystemError::Stopped { index },
        CallError::NoReply => SystemError::NoReply { index },
    }
}

#[actors_core::async_trait]
impl CounterSystem for HandRolledSystem {
    fn design(&self) -> Design {
        Design::HandRolled
    }

    fn len(&self) -> usize {
        self.handles.len()
    }

    async fn apply(&self, index: usize, op: Operation) -> Result<Receipt, SystemError> {
        let handle = self.handle(index)?;
        handle
            .cast(CounterMsg::Apply(op))
            .map_err(|_| SystemError::Stopped { index })?;
        Ok(Receipt::Queued)
    }

    async fn value(&self, index: usize) -> Result<i64, SystemError> {
        let handle = self.handle(index)?;
        handle
            .call(CounterMsg::GetValue)
            .await
            .map_err(|error| call_error(index, error))
    }

    async fn stats(&self, index: usize) -> Result<CounterStats, SystemError> {
        let handle = self.handle(index)?;
        handle
            .call(CounterMsg::GetStats)
            .await
            .map_err(|error| call_error(index, error))
    }

    /// Asks every counter at once and adds up the answers. A counter that
    /// cannot answer is counted as unresponsive rather than failing the sum.
    async fn aggregate(&self) -> Result<AggregatedStats, SystemError> {
        if self.shut_down.load(Ordering::Acquire) {
            return Err(SystemError::ShutDown);
        }
        let questions = self
            .handles
            .iter()
            .enumerate()
            .map(|(k, handle)| async move {
                flow::call(flow::MAIN, format_args!("counter-{k}"), "GetStats");
                let answer = handle.call(CounterMsg::GetStats).await;
                if let Ok(stats) = &answer {
                    flow::reply_stats(format_args!("counter-{k}"), flow::MAIN, stats);
                }
                answer
            });
        let answers = join_all(questions).await;
        let unresponsive = answers.iter().filter(|answer| answer.is_err()).count();
        let mut total = aggregate(answers.into_iter().flatten());
        total.num_counters += unresponsive;
        total.unresponsive_counters = unresponsive;
        Ok(total)
    }

    /// Queues a stop behind each counter's messages, then waits for every
    /// task to hand its counter back: its final state.
    async fn shutdown(&self) -> Result<Vec<CounterStats>, SystemError> {
        if self.shut_down.swap(true, Ordering::AcqRel) {
            return Err(SystemError::ShutDown);
        }
        for (k, handle) in self.handles.iter().enumerate() {
            flow::cast(flow::MAIN, format_args!("counter-{k}"), "Stop");
            // A counter that has stopped already has nothing left to drain.
            let _ = handle.stop();
        }
        let tasks = std::mem::take(&mut *self.tasks.lock().unwrap_or_else(PoisonError::into_inner));
        let mut finals = Vec::with_capacity(tasks.len());
        for (index, task) in tasks.into_iter().enumerate() {
            // A task that panicked has no state to hand back.
            let counter = task.await.map_err(|_| SystemError::Stopped { index })?;
            let stats = counter.stats();
            flow::reply(&counter.id, flow::MAIN, "stopped");
            self.transcript.line_in(
                Family::Stopped,
                format_args!(
                    "[{}] stopped: final value {} after {} operations ({} rejected)",
                    counter.id,
                    stats.current_value,
                    stats.total_operations,
                    stats.rejected_operations
                ),
            );
            finals.push(stats);
        }
        Ok(finals)
    }
}
// ANCHOR_END: system

#[cfg(test)]
mod tests {
    use super::*;

    /// A system of three counters answers by index and refuses a fourth.
    #[tokio::test]
    async fn counters_are_addressed_by_index() {
        let system = HandRolledSystem::start(3, &Transcript::memory());
        let receipt = system
            .apply(2, Operation::Increment { amount: 4 })
            .await
            .unwrap();
        assert_eq!(receipt, Receipt::Queued);
        assert_eq!(system.value(2).await, Ok(4));
        assert_eq!(system.value(0).await, Ok(0));
        assert_eq!(
            system.value(3).await,
            Err(SystemError::NoSuchCounter { index: 3, len: 3 })
        );
    }
}
