//! Rounds: one collection round over many idle counters, asked one after
//! another (the article's way) or all at once (ours), near and behind a
//! slow link; and a whole round through the contract's `aggregate`. The
//! `aggregation` bench program times these, and "What a question and a
//! round cost" (`docs/costs.md`) explains them.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actors_core::{CounterStats, CounterSystem, Design, Transcript, aggregate};
use aggregator::{AggregatorArgs, RactorSystem, SlowLink, ask_all};
use counter::{AskError, CounterActor, CounterMessage, get_stats};
use demo::Scenario;
use lockbased_baseline::MutexSystem;
use ractor::{Actor, ActorRef};

use crate::{MeasureError, PATIENCE, in_a_task, quiet_args};

/// How long a slow link holds each stats question back: about one hop to
/// another machine on a local network.
pub const LINK_DELAY: Duration = Duration::from_millis(1);

// ANCHOR: ask_in_turn
/// Asks the counters one after another, as the article's aggregator does:
/// each question is sent only when the previous one has been answered.
///
/// The aggregator never does this; the benchmark times it against
/// `aggregator::ask_all` on the same counters. The round lasts as long as
/// all the answers added up, and a silent counter costs a full timeout
/// before the next one is even asked.
pub async fn ask_in_turn<'a>(
    counters: impl IntoIterator<Item = &'a ActorRef<CounterMessage>>,
    timeout: Duration,
) -> Vec<Result<CounterStats, AskError>> {
    let mut answers = Vec::new();
    for counter in counters {
        answers.push(get_stats(counter, timeout).await);
    }
    answers
}
// ANCHOR_END: ask_in_turn

// ANCHOR: collection
/// How the aggregation benchmark collects from its counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Collection {
    /// The article's round: one question after another ([`ask_in_turn`]).
    Sequential,
    /// Ours: every question at once ([`ask_all`]).
    Concurrent,
}

/// `len` idle, quiet ractor counters, for the aggregation benchmark.
pub async fn spawn_counters(len: usize) -> Result<Arc<[ActorRef<CounterMessage>]>, MeasureError> {
    let mut counters = Vec::with_capacity(len);
    for _ in 0..len {
        counters.push(Actor::spawn(None, CounterActor, quiet_args()).await?.0);
    }
    Ok(counters.into())
}

/// `len` idle ractor counters, each behind a [`SlowLink`] that holds every
/// stats question back for `delay`: counters on other machines, as far as
/// the aggregator can tell.
pub async fn spawn_distant_counters(
    len: usize,
    delay: Duration,
) -> Result<Arc<[ActorRef<CounterMessage>]>, MeasureError> {
    let mut links = Vec::with_capacity(len);
    for counter in spawn_counters(len).await?.iter() {
        let link = SlowLink { delay };
        links.push(Actor::spawn(None, link, counter.clone()).await?.0);
    }
    Ok(links.into())
}

/// Times `rounds` collection rounds over `counters`, run by a task on the
/// runtime. Each round asks every counter for its statistics and adds them
/// up; every counter must answer.
pub async fn collect_rounds(
    counters: Arc<[ActorRef<CounterMessage>]>,
    how: Collection,
    rounds: u64,
) -> Result<Duration, MeasureError> {
    in_a_task(async move {
        let start = Instant::now();
        for _ in 0..rounds {
            let answers = match how {
                Collection::Sequential => ask_in_turn(counters.iter(), PATIENCE).await,
                Collection::Concurrent => ask_all(counters.iter(), PATIENCE).await,
            };
            let stats: Vec<CounterStats> = answers.into_iter().collect::<Result<_, _>>()?;
            black_box(aggregate(stats));
        }
        Ok(start.elapsed())
    })
    .await
}
// ANCHOR_END: collection

impl Collection {
    /// Both, the article's first.
    pub const ALL: [Collection; 2] = [Collection::Sequential, Collection::Concurrent];

    /// The name the benchmark files it under.
    pub const fn name(self) -> &'static str {
        match self {
            Collection::Sequential => "sequential",
            Collection::Concurrent => "concurrent",
        }
    }
}

/// A quiet system of `len` counters of `design` whose only rounds are the
/// ones it is asked for: the ractor design without its timer; every other
/// design has no timer to begin with.
pub async fn on_demand_system(
    design: Design,
    len: usize,
) -> Result<Arc<dyn CounterSystem>, MeasureError> {
    Ok(match design {
        Design::Ractor => {
            let args = AggregatorArgs {
                collect_every: None,
                call_timeout: PATIENCE,
                transcript: Transcript::discard(),
            };
            Arc::new(RactorSystem::start(len, args).await?)
        }
        Design::Mutex => Arc::new(MutexSystem::new(len)),
        other => demo::start(other, len, &Scenario::default(), &Transcript::discard()).await?,
    })
}

/// Times `rounds` calls of the contract's `aggregate`, run by a task on the
/// runtime.
pub async fn aggregate_rounds(
    system: Arc<dyn CounterSystem>,
    rounds: u64,
) -> Result<Duration, MeasureError> {
    in_a_task(async move {
        let start = Instant::now();
        for _ in 0..rounds {
            black_box(system.aggregate().await?);
        }
        Ok(start.elapsed())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both collections get an answer from every counter, and so do the
    /// contract's rounds of every design.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_round_hears_from_every_counter() {
        let counters = spawn_counters(20).await.unwrap();
        for how in Collection::ALL {
            assert!(collect_rounds(counters.clone(), how, 3).await.is_ok());
        }
        for design in Design::ALL {
            let system = on_demand_system(design, 20).await.unwrap();
            assert!(aggregate_rounds(system.clone(), 3).await.is_ok());
            assert_eq!(system.aggregate().await.unwrap().num_counters, 20);
            system.shutdown().await.unwrap();
        }
    }

    /// Counters behind a slow link answer both kinds of round. On the
    /// paused clock, the sequential round waits for each link in turn, at
    /// least one delay per counter, and the concurrent round waits for the
    /// links together, less than one delay per counter.
    #[tokio::test(start_paused = true)]
    async fn distant_counters_answer_every_round() {
        let counters = spawn_distant_counters(5, LINK_DELAY).await.unwrap();
        let start = tokio::time::Instant::now();
        collect_rounds(counters.clone(), Collection::Sequential, 1)
            .await
            .unwrap();
        assert!(start.elapsed() >= 5 * LINK_DELAY);
        let start = tokio::time::Instant::now();
        collect_rounds(counters, Collection::Concurrent, 1)
            .await
            .unwrap();
        let together = start.elapsed();
        assert!(together >= LINK_DELAY && together < 5 * LINK_DELAY);
    }

    /// A silent counter fails the round instead of being left out of it.
    #[tokio::test]
    async fn a_stopped_counter_fails_the_round() {
        let counters = spawn_counters(3).await.unwrap();
        counters[1].stop(None);
        tokio::task::yield_now().await;
        let round = collect_rounds(counters, Collection::Concurrent, 1).await;
        assert!(matches!(round, Err(MeasureError::Ask(_))));
    }

    /// Asked in turn, the answers come back in the counters' order, one
    /// per counter, and a stopped counter is an error in its own place.
    #[tokio::test]
    async fn in_turn_answers_keep_their_places() {
        let counters = spawn_counters(3).await.unwrap();
        counters[2].stop(None);
        tokio::task::yield_now().await;
        let answers = ask_in_turn(counters.iter(), PATIENCE).await;
        assert_eq!(answers.len(), 3);
        assert!(answers[0].is_ok() && answers[1].is_ok());
        assert!(answers[2].is_err());
    }
}
