//! Every benchmark's ID, named once: the programs in `benches/` register
//! their benchmarks only through this module, and `bench-report` reads the
//! results pages' figures through it. Rename a benchmark here and both
//! follow; drop one that a page still reads and `bench-report`'s tests
//! fail.
//!
//! An ID is criterion's `group/function/value`. Design names come from
//! [`Design::name`], target names from [`TargetKind::name`] and
//! [`DeliveryKind::name`]. The commands quoted under every table are built
//! here too, from the same names. The groups that need a build of their
//! own, one per [`Feature`], are in `ids/features.rs`.

mod features;

use std::collections::BTreeSet;
use std::fmt;

use actors_core::Design;

use crate::counting::TargetKind;
use crate::delivery::DeliveryKind;
use crate::floors::SingleThreadFloor;
use crate::rounds::Collection;

pub use features::{Feature, Switch, feature};

/// Producer counts of the counting and supervision groups. On a 2-core
/// machine everything past 2 only adds contention; on a laptop with 8
/// cores it shows more.
pub const PRODUCERS: [usize; 4] = [1, 2, 4, 8];

/// Increments per message in the batching group.
pub const BATCHES: [usize; 3] = [1, 16, 256];

/// The one producer count of the batching group.
pub const BATCHING_PRODUCERS: usize = 4;

/// Counters per round in the aggregation groups.
pub const COUNTERS: [usize; 3] = [10, 100, 1_000];

/// Counters per system in the spawn group: as many as the memory binary's.
pub const SPAWNED: usize = crate::memory::COUNTERS;

/// The two channel targets that the counting bench also runs on a runtime
/// of one worker thread, where their producers take turns instead of
/// fighting over the channel from two cores (see "The two speeds of a
/// channel" in the book).
pub const ONE_WORKER_TARGETS: [TargetKind; 2] =
    [TargetKind::Design(Design::HandRolled), TargetKind::RawMpsc];

/// The two actor targets timed with and without each [`Feature`]: the
/// counter as the designs use it, and ractor with nothing on top.
pub const FEATURE_TARGETS: [TargetKind; 2] =
    [TargetKind::Design(Design::Ractor), TargetKind::BareRactor];

/// Runs every benchmark.
pub const ALL_COMMAND: &str = "cargo bench -p bench";

/// Prints the memory figures, as JSON for `bench-report --memory`.
pub const MEMORY_COMMAND: &str = "cargo run --release -p bench --bin memory";

/// The memory binary in the build with ractor's `cluster` feature (the
/// default, [`MEMORY_COMMAND`]) or without it.
pub fn memory_command(cluster: Switch) -> String {
    format!(
        "cargo run --release -p bench{} --bin memory",
        Feature::Cluster.flags(cluster)
    )
}

/// A criterion group, and the bench program (`benches/<program>.rs`) it
/// lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    /// One million increments into every target.
    Counting,
    /// The same million into the two channel targets, on one worker thread.
    CountingOneWorker,
    /// The same million into the ractor counter, in batches.
    Batching,
    /// Two actor targets, with ractor's span propagation on or off.
    SpanPropagation,
    /// The same two, with ractor's `cluster` feature on or off.
    ClusterFeature,
    /// One question and its answer.
    RequestResponse,
    /// Increments into the supervised system, answered or not, and into
    /// the unsupervised one.
    Supervision,
    /// One collection round over idle counters.
    Aggregation,
    /// The same rounds, with every counter behind a slow link.
    AggregationRemote,
    /// Starting a whole system.
    Spawn,
}

impl Group {
    /// Every group, in the order of the results pages.
    pub const ALL: [Group; 10] = [
        Group::Counting,
        Group::CountingOneWorker,
        Group::Batching,
        Group::SpanPropagation,
        Group::ClusterFeature,
        Group::RequestResponse,
        Group::Supervision,
        Group::Aggregation,
        Group::AggregationRemote,
        Group::Spawn,
    ];

    /// The group's name: the first part of its IDs.
    pub const fn name(self) -> &'static str {
        match self {
            Group::Counting => "counting",
            Group::CountingOneWorker => "counting_one_worker",
            Group::Batching => "batching",
            Group::SpanPropagation => "span_propagation",
            Group::ClusterFeature => "cluster_feature",
            Group::RequestResponse => "request_response",
            Group::Supervision => "supervision",
            Group::Aggregation => "aggregation",
            Group::AggregationRemote => "aggregation_remote",
            Group::Spawn => "spawn",
        }
    }

    /// The bench program that runs it: a `[[bench]]` of `crates/bench`.
    pub const fn program(self) -> &'static str {
        match self {
            Group::Counting
            | Group::CountingOneWorker
            | Group::Batching
            | Group::SpanPropagation
            | Group::ClusterFeature => "counting",
            Group::RequestResponse => "request_response",
            Group::Supervision => "supervision",
            Group::Aggregation | Group::AggregationRemote => "aggregation",
            Group::Spawn => "spawn",
        }
    }

    /// The command that runs this group and nothing else. For a group of a
    /// [`Feature`] it is the default build's; see [`Feature::command`].
    pub fn command(self) -> String {
        format!(
            "cargo bench -p bench --bench {} -- {}/",
            self.program(),
            self.name()
        )
    }

    /// Every ID the group registers. A group of a [`Feature`] lists both
    /// builds, though one build registers only its own half
    /// ([`Feature::built`]).
    pub fn ids(self) -> Vec<BenchId> {
        match self {
            Group::Counting => counting_cases()
                .map(|(kind, producers)| counting(kind, producers))
                .chain(SingleThreadFloor::ALL.map(single_thread))
                .collect(),
            Group::CountingOneWorker => ONE_WORKER_TARGETS
                .into_iter()
                .flat_map(|kind| PRODUCERS.map(|producers| one_worker(kind, producers)))
                .collect(),
            Group::Batching => BATCHES.map(batching).to_vec(),
            Group::SpanPropagation => Feature::SpanPropagation.ids(),
            Group::ClusterFeature => Feature::Cluster.ids(),
            Group::RequestResponse => Question::ALL.map(request).to_vec(),
            Group::Supervision => delivery_cases()
                .map(|(kind, producers)| delivery(kind, producers))
                .collect(),
            Group::Aggregation => Round::ALL
                .into_iter()
                .flat_map(|round| COUNTERS.map(|n| aggregation(round, n)))
                .collect(),
            Group::AggregationRemote => Collection::ALL
                .into_iter()
                .flat_map(|how| COUNTERS.map(|n| aggregation_remote(how, n)))
                .collect(),
            Group::Spawn => Design::ALL.map(spawn).to_vec(),
        }
    }
}

/// One benchmark, as criterion files it: `group/function/value`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BenchId {
    group: Group,
    function: String,
    value: Option<String>,
}

impl BenchId {
    fn new(group: Group, function: impl Into<String>, value: Option<String>) -> Self {
        BenchId {
            group,
            function: function.into(),
            value,
        }
    }

    /// The group it belongs to.
    pub fn group(&self) -> Group {
        self.group
    }

    /// The function within the group: criterion's `function_id`.
    pub fn function(&self) -> &str {
        &self.function
    }

    /// The parameter, if any: criterion's `value_str`.
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }
}

/// Criterion's full ID: the parts that are present, joined by `/`.
impl fmt::Display for BenchId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.group.name(), self.function)?;
        match &self.value {
            Some(value) => write!(f, "/{value}"),
            None => Ok(()),
        }
    }
}

/// The command that runs exactly `ids`, if they all come from one program
/// and none needs a build of its own (a [`Feature`] off). The filter is
/// anchored, so that `…/10` does not also run `…/100`.
pub fn command_for(ids: &[BenchId]) -> Option<String> {
    let program = ids.first()?.group.program();
    let alone =
        |id: &BenchId| id.group.program() == program && !features::needs_a_build_of_its_own(id);
    if !ids.iter().all(alone) {
        return None;
    }
    let names: Vec<String> = ids.iter().map(BenchId::to_string).collect();
    Some(format!(
        "cargo bench -p bench --bench {program} -- '^({})$'",
        names.join("|")
    ))
}

/// Every ID some program registers, in any build.
pub fn registered() -> BTreeSet<BenchId> {
    Group::ALL.into_iter().flat_map(Group::ids).collect()
}

/// Every target at every producer count: the counting group's list.
pub fn counting_cases() -> impl Iterator<Item = (TargetKind, usize)> {
    TargetKind::ALL
        .into_iter()
        .flat_map(|kind| PRODUCERS.map(|producers| (kind, producers)))
}

/// `counting/<target>/<producers>`.
pub fn counting(kind: TargetKind, producers: usize) -> BenchId {
    BenchId::new(Group::Counting, kind.name(), Some(producers.to_string()))
}

/// `counting_one_worker/<target>/<producers>`: the same work as
/// [`counting`], on a runtime of one worker thread.
pub fn one_worker(kind: TargetKind, producers: usize) -> BenchId {
    BenchId::new(
        Group::CountingOneWorker,
        kind.name(),
        Some(producers.to_string()),
    )
}

/// `counting/<floor>/1`: a single-thread floor has one producer, itself.
pub fn single_thread(floor: SingleThreadFloor) -> BenchId {
    BenchId::new(Group::Counting, floor.name(), Some("1".to_owned()))
}

/// `batching/batch-<size>/4`.
pub fn batching(batch: usize) -> BenchId {
    BenchId::new(
        Group::Batching,
        format!("batch-{batch}"),
        Some(BATCHING_PRODUCERS.to_string()),
    )
}

/// Every delivery kind at every producer count: the supervision group's
/// list.
pub fn delivery_cases() -> impl Iterator<Item = (DeliveryKind, usize)> {
    DeliveryKind::ALL
        .into_iter()
        .flat_map(|kind| PRODUCERS.map(|producers| (kind, producers)))
}

/// `supervision/<kind>/<producers>`: as many counters as producers.
pub fn delivery(kind: DeliveryKind, producers: usize) -> BenchId {
    BenchId::new(Group::Supervision, kind.name(), Some(producers.to_string()))
}

/// What the request–response group asks, and of whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Question {
    /// A `call` to an actor design's counter, from a task on the runtime.
    InRuntime(Design),
    /// The same `call`, from a thread outside the runtime.
    FromOutside(Design),
    /// Reading a mutex-guarded counter on the caller's own thread.
    MutexRead,
    /// Loading an atomic counter on the caller's own thread.
    AtomicLoad,
}

impl Question {
    /// Every question the group asks, in the order of its table.
    pub const ALL: [Question; 6] = [
        Question::InRuntime(Design::Ractor),
        Question::FromOutside(Design::Ractor),
        Question::InRuntime(Design::HandRolled),
        Question::FromOutside(Design::HandRolled),
        Question::MutexRead,
        Question::AtomicLoad,
    ];

    /// Its function name.
    pub fn name(self) -> String {
        match self {
            Question::InRuntime(design) => format!("{design}-call-in-runtime"),
            Question::FromOutside(design) => format!("{design}-call-from-outside"),
            Question::MutexRead => "mutex-read".to_owned(),
            Question::AtomicLoad => "atomic-load".to_owned(),
        }
    }
}

/// `request_response/<question>`.
pub fn request(question: Question) -> BenchId {
    BenchId::new(Group::RequestResponse, question.name(), None)
}

/// One kind of collection round in the aggregation group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Round {
    /// Counters asked by the bench itself, in one of two ways.
    Collect(Collection),
    /// A whole round through the contract's `aggregate`, of an on-demand
    /// system of this design.
    Aggregate(Design),
}

impl Round {
    /// Every round the group times, in the order of its table.
    pub const ALL: [Round; 4] = [
        Round::Collect(Collection::Sequential),
        Round::Collect(Collection::Concurrent),
        Round::Aggregate(Design::Ractor),
        Round::Aggregate(Design::Mutex),
    ];

    /// Its function name.
    pub fn name(self) -> String {
        match self {
            Round::Collect(how) => how.name().to_owned(),
            Round::Aggregate(design) => format!("{design}-aggregate"),
        }
    }

    /// What it is, in a few words, for the tables.
    pub const fn meaning(self) -> &'static str {
        match self {
            Round::Collect(Collection::Sequential) => "the article's: ask each counter in turn",
            Round::Collect(Collection::Concurrent) => "ours: ask every counter at once",
            Round::Aggregate(Design::Ractor) => "ours, through the aggregator actor",
            Round::Aggregate(Design::Mutex) => "the mutex design's sum",
            Round::Aggregate(_) => "the design's own sum",
        }
    }
}

/// `aggregation/<round>/<counters>`.
pub fn aggregation(round: Round, counters: usize) -> BenchId {
    BenchId::new(Group::Aggregation, round.name(), Some(counters.to_string()))
}

/// `aggregation_remote/<collection>/<counters>`: the same round as
/// [`aggregation`], with every counter behind a slow link.
pub fn aggregation_remote(how: Collection, counters: usize) -> BenchId {
    BenchId::new(
        Group::AggregationRemote,
        how.name(),
        Some(counters.to_string()),
    )
}

/// `spawn/<design>/10000`.
pub fn spawn(design: Design) -> BenchId {
    BenchId::new(Group::Spawn, design.name(), Some(SPAWNED.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// IDs read as criterion writes them, with design names from `Design`.
    #[test]
    fn ids_read_as_criterion_files_them() {
        let ractor = TargetKind::Design(Design::Ractor);
        assert_eq!(counting(ractor, 4).to_string(), "counting/ractor/4");
        assert_eq!(
            single_thread(SingleThreadFloor::PlainI64).to_string(),
            "counting/plain-i64/1"
        );
        assert_eq!(batching(256).to_string(), "batching/batch-256/4");
        assert_eq!(
            one_worker(TargetKind::RawMpsc, 2).to_string(),
            "counting_one_worker/raw-mpsc/2"
        );
        assert_eq!(
            request(Question::FromOutside(Design::HandRolled)).to_string(),
            "request_response/handrolled-call-from-outside"
        );
        assert_eq!(
            aggregation(Round::Aggregate(Design::Mutex), 10).to_string(),
            "aggregation/mutex-aggregate/10"
        );
        assert_eq!(
            spawn(Design::AtomicNaive).to_string(),
            "spawn/atomic-naive/10000"
        );
        assert_eq!(
            delivery(DeliveryKind::Unsupervised, 2).to_string(),
            "supervision/unsupervised/2"
        );
    }

    /// No two registered benchmarks share an ID, and every group has some.
    #[test]
    fn registered_ids_are_distinct() {
        let listed: usize = Group::ALL.iter().map(|g| g.ids().len()).sum();
        assert_eq!(registered().len(), listed);
        assert!(Group::ALL.iter().all(|g| !g.ids().is_empty()));
        assert_eq!(Group::Counting.ids().len(), 8 * 4 + 2);
    }

    /// Every program a command names is a `[[bench]]` of this crate, so a
    /// quoted command never names a program that does not exist.
    #[test]
    fn every_program_is_a_bench_target() {
        let manifest = include_str!("../Cargo.toml");
        for group in Group::ALL {
            let entry = format!("[[bench]]\nname = \"{}\"", group.program());
            assert!(manifest.contains(&entry), "no {entry:?} in Cargo.toml");
        }
    }

    /// A command for a few IDs runs exactly those, anchored; IDs from two
    /// programs, or from a build without a feature, have no one command.
    #[test]
    fn commands_run_what_they_name() {
        let ids = [
            batching(256),
            counting(TargetKind::Design(Design::Mutex), 4),
        ];
        assert_eq!(
            command_for(&ids).as_deref(),
            Some(
                "cargo bench -p bench --bench counting -- '^(batching/batch-256/4|counting/mutex/4)$'"
            )
        );
        assert_eq!(command_for(&[batching(1), spawn(Design::Mutex)]), None);
        for built in Feature::ALL {
            let off = feature(built, TargetKind::BareRactor, Switch::Off);
            assert_eq!(command_for(&[off]), None);
            let on = feature(built, TargetKind::BareRactor, Switch::On);
            assert!(command_for(&[on]).is_some());
        }
        assert_eq!(command_for(&[]), None);
        assert_eq!(
            Group::Aggregation.command(),
            "cargo bench -p bench --bench aggregation -- aggregation/"
        );
    }

    /// The memory binary's two builds: the default, and the same without
    /// ractor's `cluster` feature, spans kept.
    #[test]
    fn memory_commands_name_their_build() {
        assert_eq!(memory_command(Switch::On), MEMORY_COMMAND);
        assert_eq!(
            memory_command(Switch::Off),
            "cargo run --release -p bench --no-default-features --features span-propagation --bin memory"
        );
    }
}
