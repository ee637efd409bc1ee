//! The benchmarks the report knows: their IDs, and the commands that run them.
//!
//! Everything the page lays out comes from these lists. A result whose ID is
//! not here still reaches the page, in "Other measurements".

use std::collections::BTreeSet;

use crate::results::full_id;

/// Whether a row is one of the six designs or a floor to compare them with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One of the six designs of the counter system.
    Design,
    /// A floor: the least the same work can cost, with nothing of ours in it.
    Floor,
}

/// The six designs, in the book's order.
pub const DESIGNS: [&str; 6] = [
    "ractor",
    "handrolled",
    "mutex",
    "atomic",
    "atomic-naive",
    "sharded",
];

/// The rows of the counting tables: the designs, then the floors.
pub const COUNTING_ROWS: [(&str, Kind); 10] = [
    ("ractor", Kind::Design),
    ("handrolled", Kind::Design),
    ("mutex", Kind::Design),
    ("atomic", Kind::Design),
    ("atomic-naive", Kind::Design),
    ("sharded", Kind::Design),
    ("bare-ractor", Kind::Floor),
    ("raw-mpsc", Kind::Floor),
    ("plain-i64", Kind::Floor),
    ("uncontended-atomic", Kind::Floor),
];

/// The producer counts of the counting benches.
pub const PRODUCERS: [u32; 4] = [1, 2, 4, 8];

/// Increments per iteration in the counting, batching and span benches,
/// for results that saved no throughput.
pub const INCREMENTS: u64 = 1_000_000;

/// The batch sizes of the batching bench, as its function names.
pub const BATCHES: [(&str, u32); 3] = [("batch-1", 1), ("batch-16", 16), ("batch-256", 256)];

/// The one producer count the batching bench runs.
pub const BATCHING_PRODUCERS: u32 = 4;

/// The request–response functions: each answers one question per iteration.
pub const REQUESTS: [&str; 6] = [
    "ractor-call-in-runtime",
    "ractor-call-from-outside",
    "handrolled-call-in-runtime",
    "handrolled-call-from-outside",
    "mutex-read",
    "atomic-load",
];

/// The aggregation functions, with what each one is.
pub const AGGREGATIONS: [(&str, &str); 4] = [
    ("sequential", "the article's: ask each counter in turn"),
    ("concurrent", "ours: ask every counter at once"),
    ("aggregator-round", "ours, through the aggregator actor"),
    ("locks-sum", "the mutex design's sum"),
];

/// The counter counts of the aggregation bench.
pub const COUNTERS: [u32; 3] = [10, 100, 1000];

/// The aggregation functions that also run over a slow link: the two ways
/// of asking, without the aggregator or the locks.
pub const REMOTE_AGGREGATIONS: [&str; 2] = ["sequential", "concurrent"];

/// How long the slow link holds each stats question back, in milliseconds.
pub const LINK_DELAY_MS: u32 = 1;

/// How many counters the spawn bench starts.
pub const SPAWNED: u32 = 10_000;

/// The span-propagation rows.
pub const SPAN_FUNCTIONS: [&str; 2] = ["ractor", "bare-ractor"];

/// The span-propagation states: which run wrote the result.
pub const SPAN_STATES: [&str; 2] = ["spans-on", "spans-off"];

/// Runs the counting bench.
pub const COUNTING_COMMAND: &str = "cargo bench -p demo --bench counting -- counting/";
/// Runs the batching bench and the two counting results it is compared with.
pub const BATCHING_COMMAND: &str =
    "cargo bench -p demo --bench counting -- 'batching/|counting/(mutex|ractor)/4'";
/// Runs what goal (c) compares.
pub const GOAL_C_COMMAND: &str =
    "cargo bench -p demo --bench counting -- 'batching/batch-256/|counting/mutex/4'";
/// Runs the request–response bench.
pub const REQUEST_COMMAND: &str = "cargo bench -p demo --bench request_response";
/// Runs the aggregation bench.
pub const AGGREGATION_COMMAND: &str = "cargo bench -p demo --bench aggregation -- aggregation/";
/// Runs the aggregation bench over a slow link, and nothing else.
pub const AGGREGATION_REMOTE_COMMAND: &str =
    "cargo bench -p demo --bench aggregation -- aggregation_remote/";
/// Runs the spawn bench.
pub const SPAWN_COMMAND: &str = "cargo bench -p demo --bench spawn";
/// Runs the span bench with ractor's span propagation on (the default).
pub const SPANS_ON_COMMAND: &str = "cargo bench -p demo --bench counting -- span_propagation/";
/// Runs the span bench with ractor's span propagation off.
pub const SPANS_OFF_COMMAND: &str =
    "cargo bench -p demo --no-default-features --bench counting -- span_propagation/";
/// Prints the memory figures.
pub const MEMORY_COMMAND: &str = "cargo run --release -p demo -- --measure-memory";
/// Runs every bench.
pub const ALL_COMMAND: &str = "cargo bench -p demo";

/// `counting/<function>/<producers>`.
pub fn counting(function: &str, producers: u32) -> String {
    full_id("counting", Some(function), Some(&producers.to_string()))
}

/// `batching/<function>/4`.
pub fn batching(function: &str) -> String {
    full_id(
        "batching",
        Some(function),
        Some(&BATCHING_PRODUCERS.to_string()),
    )
}

/// `request_response/<function>`.
pub fn request(function: &str) -> String {
    full_id("request_response", Some(function), None)
}

/// `aggregation/<function>/<counters>`.
pub fn aggregation(function: &str, counters: u32) -> String {
    full_id("aggregation", Some(function), Some(&counters.to_string()))
}

/// `aggregation_remote/<function>/<counters>`: the same round as
/// [`aggregation`], with every counter behind a slow link.
pub fn aggregation_remote(function: &str, counters: u32) -> String {
    full_id(
        "aggregation_remote",
        Some(function),
        Some(&counters.to_string()),
    )
}

/// `spawn/<design>/10000`.
pub fn spawn(design: &str) -> String {
    full_id("spawn", Some(design), Some(&SPAWNED.to_string()))
}

/// `span_propagation/<function>/<state>`.
pub fn span(function: &str, state: &str) -> String {
    full_id("span_propagation", Some(function), Some(state))
}

/// Every ID that has a place in a table above "Other measurements".
pub fn known_ids() -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for (function, _) in COUNTING_ROWS {
        ids.extend(PRODUCERS.map(|p| counting(function, p)));
    }
    ids.extend(BATCHES.map(|(function, _)| batching(function)));
    ids.extend(REQUESTS.map(request));
    for (function, _) in AGGREGATIONS {
        ids.extend(COUNTERS.map(|n| aggregation(function, n)));
    }
    for function in REMOTE_AGGREGATIONS {
        ids.extend(COUNTERS.map(|n| aggregation_remote(function, n)));
    }
    ids.extend(DESIGNS.map(spawn));
    for function in SPAN_FUNCTIONS {
        ids.extend(SPAN_STATES.map(|state| span(function, state)));
    }
    ids
}
