//! Memory: the heap bytes one idle counter holds, for every design. Not a
//! time, so criterion cannot measure it: the `memory` binary does
//! (`cargo run --release -p bench --bin memory`), with a counting global
//! allocator, and prints [`MemoryFigures`] as JSON for `bench-report`.
//! "What a counter costs to start, to keep and to trace"
//! (`docs/costs-counters.md`) explains the figures. [`ractor_parts`]
//! takes a ractor counter apart: a task, its channels, a bare actor, the
//! counter actor, each measured alone.

use std::alloc::System;
use std::collections::BTreeSet;

use actors_core::{Design, Transcript};
use counter::{CounterActor, CounterMessage};
use demo::Scenario;
use ractor::message::BoxedMessage;
use ractor::{Actor, ActorId, ActorRef, ActorStatus, Message, RpcReplyPort, Signal};
use serde::{Deserialize, Serialize};
use stats_alloc::{Region, StatsAlloc};
use tokio::sync::{mpsc, oneshot};

use crate::floors::{BareActor, BareMsg};
use crate::{MeasureError, PATIENCE, quiet_args};

/// How many counters the `memory` binary starts per design unless told
/// otherwise: as many as the `spawn` bench starts.
pub const COUNTERS: usize = 10_000;

// ANCHOR: memory
/// The heap bytes that one idle counter of `design` holds.
///
/// `allocator` must be the program's global allocator, so that it sees
/// every allocation. This starts a system of no counters and one of `len`
/// counters, and divides the difference in live heap bytes by `len`, so
/// that what every system has once (the ractor aggregator, the vectors of
/// handles) mostly cancels out. Task memory is heap memory in tokio: a
/// spawned task's future, with its state, lives in one allocation.
pub async fn heap_per_counter(
    design: Design,
    len: usize,
    allocator: &StatsAlloc<System>,
) -> Result<f64, MeasureError> {
    let empty = live_bytes_of(design, 0, allocator).await?;
    let full = live_bytes_of(design, len, allocator).await?;
    Ok((full - empty) as f64 / len.max(1) as f64)
}

/// Live heap bytes added by starting a quiet system of `len` counters.
async fn live_bytes_of(
    design: Design,
    len: usize,
    allocator: &StatsAlloc<System>,
) -> Result<isize, MeasureError> {
    let region = Region::new(allocator);
    let system = demo::start(design, len, &Scenario::default(), &Transcript::discard()).await?;
    // Let every new task run up to its first wait on an empty mailbox.
    tokio::task::yield_now().await;
    let live = live_bytes(&region);
    system.shutdown().await?;
    Ok(live)
}
// ANCHOR_END: memory

/// Heap bytes allocated and not freed since `region` began. The backlog
/// program samples the same figure while a run goes on.
pub(crate) fn live_bytes(region: &Region<'_, System>) -> isize {
    let change = region.change();
    change.bytes_allocated as isize - change.bytes_deallocated as isize + change.bytes_reallocated
}

// ANCHOR: parts
/// One piece of what an idle ractor counter holds, measured alone. Each
/// comes from ractor's own spawn: a task for the actor's loop, two
/// oneshot ports (signal, stop) and two unbounded ones (supervision,
/// messages), all tokio's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// A tokio task whose future never finishes and holds nothing.
    Task,
    /// A tokio oneshot channel of ractor's `Signal`.
    Oneshot,
    /// An empty tokio unbounded channel of ractor's `BoxedMessage`.
    Channel,
    /// The same channel after one message went through it.
    ChannelUsed,
    /// An empty tokio unbounded channel of ractor's `SupervisionEvent`.
    SupervisionChannel,
    /// The bare-ractor floor (state: one `i64`), before any message.
    BareActor,
    /// The same actor after it answered one question.
    BareActorUsed,
    /// The `CounterActor`, before any message.
    CounterActor,
    /// The same counter after it answered one question.
    CounterActorUsed,
}

impl Part {
    /// Every part, smallest piece first.
    pub const ALL: [Part; 9] = [
        Part::Task,
        Part::Oneshot,
        Part::Channel,
        Part::ChannelUsed,
        Part::SupervisionChannel,
        Part::BareActor,
        Part::BareActorUsed,
        Part::CounterActor,
        Part::CounterActorUsed,
    ];

    /// Its name in the JSON and in the tables.
    pub const fn name(self) -> &'static str {
        match self {
            Part::Task => "tokio-task",
            Part::Oneshot => "oneshot",
            Part::Channel => "unbounded-channel",
            Part::ChannelUsed => "unbounded-channel-used",
            Part::SupervisionChannel => "supervision-channel",
            Part::BareActor => "bare-actor",
            Part::BareActorUsed => "bare-actor-used",
            Part::CounterActor => "counter-actor",
            Part::CounterActorUsed => "counter-actor-used",
        }
    }

    /// What it is, in a few words, for the tables.
    pub const fn meaning(self) -> &'static str {
        match self {
            Part::Task => "a tokio task with a future that holds nothing",
            Part::Oneshot => "a tokio oneshot channel (an actor has two: signal, stop)",
            Part::Channel => "an empty unbounded channel of ractor's `BoxedMessage`",
            Part::ChannelUsed => "the same, after one message went through",
            Part::SupervisionChannel => "an empty unbounded channel of `SupervisionEvent`",
            Part::BareActor => "a ractor actor with one `i64` of state, no message yet",
            Part::BareActorUsed => "the same, after answering one question",
            Part::CounterActor => "the `CounterActor`, no message yet",
            Part::CounterActorUsed => "the same, after answering one question",
        }
    }
}

/// One part's figure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PartBytes {
    /// The part, by its name ([`Part::name`]).
    #[serde(with = "part_name")]
    pub part: Part,
    /// Heap bytes per part, averaged over [`MemoryFigures::counters`].
    pub bytes: f64,
}

/// The heap bytes of every [`Part`], each averaged over `len` of them.
///
/// Run it on a current-thread runtime: then every spawned task has run up
/// to its first wait before the bytes are read, as an idle counter has.
pub async fn ractor_parts(
    len: usize,
    allocator: &StatsAlloc<System>,
) -> Result<Vec<PartBytes>, MeasureError> {
    let len = len.max(1);
    let mut parts = Vec::with_capacity(Part::ALL.len());
    for part in Part::ALL {
        let live = match part {
            Part::Task => tasks(len, allocator).await,
            Part::Oneshot => kept(len, allocator, oneshot::channel::<Signal>),
            Part::Channel => kept(len, allocator, mpsc::unbounded_channel::<BoxedMessage>),
            Part::ChannelUsed => kept(len, allocator, used_channel),
            Part::SupervisionChannel => kept(len, allocator, || {
                mpsc::unbounded_channel::<ractor::SupervisionEvent>()
            }),
            Part::BareActor | Part::BareActorUsed => {
                let asked = part == Part::BareActorUsed;
                let bare = || (BareActor, ());
                actors(len, allocator, bare, BareMsg::Get, asked).await?
            }
            Part::CounterActor | Part::CounterActorUsed => {
                let asked = part == Part::CounterActorUsed;
                let counter = || (CounterActor, quiet_args());
                actors(len, allocator, counter, CounterMessage::GetStats, asked).await?
            }
        };
        let bytes = live as f64 / len as f64;
        parts.push(PartBytes { part, bytes });
    }
    Ok(parts)
}
// ANCHOR_END: parts

/// Live bytes of `len` things that `make` builds, kept until counted.
fn kept<T>(len: usize, allocator: &StatsAlloc<System>, make: impl Fn() -> T) -> isize {
    let mut kept = Vec::with_capacity(len);
    let region = Region::new(allocator);
    kept.extend((0..len).map(|_| make()));
    live_bytes(&region)
}

/// An unbounded channel of `BoxedMessage` that one message went through.
fn used_channel() -> (
    mpsc::UnboundedSender<BoxedMessage>,
    mpsc::UnboundedReceiver<BoxedMessage>,
) {
    let (sender, mut receiver) = mpsc::unbounded_channel();
    if let Ok(message) = ().box_message(&ActorId::Local(0)) {
        // Both ends are here: the send cannot fail, and the message is
        // taken out at once, as an actor takes it.
        let _ = sender.send(message);
        let _ = receiver.try_recv();
    }
    (sender, receiver)
}

/// Live bytes of `len` tasks that wait for ever, then ends them.
async fn tasks(len: usize, allocator: &StatsAlloc<System>) -> isize {
    let mut tasks = Vec::with_capacity(len);
    let region = Region::new(allocator);
    tasks.extend((0..len).map(|_| tokio::spawn(std::future::pending::<()>())));
    tokio::task::yield_now().await;
    let live = live_bytes(&region);
    for task in &tasks {
        task.abort();
    }
    for task in tasks {
        let _ = task.await;
    }
    live
}

/// Live bytes of `len` actors that `spawn` describes, each asked
/// `question` once if `asked`, then stops them.
async fn actors<A: Actor, T: Send + 'static>(
    len: usize,
    allocator: &StatsAlloc<System>,
    spawn: impl Fn() -> (A, A::Arguments),
    question: fn(RpcReplyPort<T>) -> A::Msg,
    asked: bool,
) -> Result<isize, MeasureError> {
    let mut actors: Vec<(ActorRef<A::Msg>, _)> = Vec::with_capacity(len);
    let region = Region::new(allocator);
    for _ in 0..len {
        let (actor, arguments) = spawn();
        let (actor, task) = Actor::spawn(None, actor, arguments).await?;
        if asked {
            counter::ask(&actor, question, PATIENCE).await?;
        }
        actors.push((actor, task));
    }
    // Every actor's task runs up to its first wait on an empty mailbox.
    while actors
        .iter()
        .any(|(actor, _)| actor.get_status() != ActorStatus::Running)
    {
        tokio::task::yield_now().await;
    }
    tokio::task::yield_now().await;
    let live = live_bytes(&region);
    for (actor, task) in actors {
        actor.stop(None);
        let _ = task.await;
    }
    Ok(live)
}

/// What the `memory` binary prints and `bench-report` reads: one figure per
/// design, and how many counters each figure was averaged over. Writing
/// and reading live here, side by side, so the two cannot disagree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemoryFigures {
    /// Whether ractor's `cluster` feature was on in the build that measured
    /// ([`actors_core::message::CLUSTER`]): it makes every mailbox slot
    /// bigger. Files from before the build was recorded do not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<bool>,
    /// Counters started per design.
    pub counters: usize,
    /// One row per design measured, in the order they were measured.
    pub designs: Vec<DesignBytes>,
    /// The parts of a ractor counter, measured alone, over as many of
    /// each. Files from before the parts were measured have none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ractor_parts: Vec<PartBytes>,
}

/// One design's figure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DesignBytes {
    /// The design, by its one name ([`Design::name`]).
    #[serde(with = "design_name")]
    pub design: Design,
    /// Heap bytes per idle counter, averaged over [`MemoryFigures::counters`].
    pub bytes_per_counter: f64,
}

/// Why a file of memory figures cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum MemoryFormatError {
    /// Not the JSON that the `memory` binary prints (a design name it does
    /// not know is one way).
    #[error("not the memory binary's JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The same design twice: two figures for one row.
    #[error("{0} has two figures")]
    Repeated(Design),
}

impl MemoryFigures {
    /// The figure of `design`, if it was measured.
    pub fn bytes_per_counter(&self, design: Design) -> Option<f64> {
        self.designs
            .iter()
            .find(|row| row.design == design)
            .map(|row| row.bytes_per_counter)
    }

    /// The figure of `part`, if it was measured.
    pub fn part_bytes(&self, part: Part) -> Option<f64> {
        self.ractor_parts
            .iter()
            .find(|row| row.part == part)
            .map(|row| row.bytes)
    }

    /// The figures as the binary prints them: one JSON document.
    pub fn to_json(&self) -> String {
        // A struct of strings and numbers always serializes.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads what [`to_json`](Self::to_json) wrote.
    pub fn from_json(text: &str) -> Result<Self, MemoryFormatError> {
        let figures: MemoryFigures = serde_json::from_str(text)?;
        let mut seen = BTreeSet::new();
        for row in &figures.designs {
            if !seen.insert(row.design) {
                return Err(MemoryFormatError::Repeated(row.design));
            }
        }
        Ok(figures)
    }
}

/// A [`Design`] in JSON is its name, and only a known name reads back.
pub(crate) mod design_name {
    use actors_core::Design;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(design: &Design, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(design.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Design, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// A [`Part`] in JSON is its name, and only a known name reads back.
mod part_name {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::Part;

    pub fn serialize<S: Serializer>(part: &Part, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(part.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Part, D::Error> {
        let name = String::deserialize(deserializer)?;
        Part::ALL
            .into_iter()
            .find(|part| part.name() == name)
            .ok_or_else(|| serde::de::Error::custom(format!("no part called {name:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures() -> MemoryFigures {
        MemoryFigures {
            cluster: Some(true),
            counters: 200,
            designs: vec![
                DesignBytes {
                    design: Design::Ractor,
                    bytes_per_counter: 7700.5,
                },
                DesignBytes {
                    design: Design::AtomicNaive,
                    bytes_per_counter: 24.0,
                },
            ],
            ractor_parts: vec![PartBytes {
                part: Part::ChannelUsed,
                bytes: 1280.0,
            }],
        }
    }

    /// What is written reads back the same, with designs by name.
    #[test]
    fn figures_round_trip() {
        let json = figures().to_json();
        assert!(json.contains("\"design\": \"atomic-naive\""));
        let read = MemoryFigures::from_json(&json).unwrap();
        assert_eq!(read, figures());
        assert_eq!(read.bytes_per_counter(Design::Ractor), Some(7700.5));
        assert_eq!(read.bytes_per_counter(Design::Mutex), None);
        assert!(json.contains("\"part\": \"unbounded-channel-used\""));
        assert!(json.contains("\"cluster\": true"));
        assert_eq!(read.part_bytes(Part::ChannelUsed), Some(1280.0));
        assert_eq!(read.part_bytes(Part::Task), None);
    }

    /// A file written before the parts were measured, or before the build
    /// was recorded, still reads, with no parts and no build; a part name it does not know is refused.
    #[test]
    fn files_without_parts_still_read() {
        let old =
            r#"{"counters": 10, "designs": [{"design": "mutex", "bytes_per_counter": 32.0}]}"#;
        let read = MemoryFigures::from_json(old).unwrap();
        assert!(read.ractor_parts.is_empty());
        assert_eq!(read.cluster, None);
        assert!(!read.to_json().contains("ractor_parts"));
        assert!(!read.to_json().contains("cluster"));
        let unknown = figures()
            .to_json()
            .replace("unbounded-channel-used", "mailbox");
        let refused = MemoryFigures::from_json(&unknown).unwrap_err();
        assert!(refused.to_string().contains("mailbox"), "{refused}");
    }

    /// An unknown design, a repeated one, or text that is not the binary's
    /// JSON at all is refused with its own error.
    #[test]
    fn foreign_figures_are_refused() {
        let unknown = figures().to_json().replace("atomic-naive", "atomic-ish");
        let refused = MemoryFigures::from_json(&unknown).unwrap_err();
        assert!(refused.to_string().contains("atomic-ish"), "{refused}");
        let repeated = figures().to_json().replace("atomic-naive", "ractor");
        assert!(matches!(
            MemoryFigures::from_json(&repeated),
            Err(MemoryFormatError::Repeated(Design::Ractor))
        ));
        let table = "design         bytes/counter\nractor                  7700\n";
        assert!(matches!(
            MemoryFigures::from_json(table),
            Err(MemoryFormatError::Json(_))
        ));
    }

    /// An allocator that is not the program's global one sees no
    /// allocation at all: the figure is only as good as what counts it.
    #[tokio::test]
    async fn a_private_allocator_sees_nothing() {
        let private = StatsAlloc::system();
        let bytes = heap_per_counter(Design::Mutex, 10, &private).await.unwrap();
        assert_eq!(bytes, 0.0);
        let parts = ractor_parts(10, &private).await.unwrap();
        let names: Vec<Part> = parts.iter().map(|row| row.part).collect();
        assert_eq!(names, Part::ALL);
        assert!(parts.iter().all(|row| row.bytes == 0.0));
    }
}
