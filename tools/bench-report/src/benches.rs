//! The parts made from criterion's results: one table per section of the
//! results pages, the ratios the chapters quote, and one figure per
//! benchmark, named after its ID with `/` turned into `_`
//! (`counting_ractor_1`), in the unit its group counts in.

use actors_core::Design;
use bench::delivery::OPERATIONS;
use bench::ids::{
    self, BATCHES, BATCHING_PRODUCERS, BenchId, COUNTERS, FEATURE_TARGETS, Feature, Group,
    PRODUCERS, Question, Round, SPAWNED, Switch,
};
use bench::{Collection, DeliveryKind, INCREMENTS, SingleThreadFloor, TargetKind};

use crate::format::{
    Figure, MISSING, code, duration, maybe_ratio, number, producer_columns, table, thousands,
    with_interval,
};
use crate::machine::Machine;
use crate::parts::Parts;
use crate::results::{Measurement, Results};

/// A benchmark's time in the unit of its group, in ns: per increment, per
/// operation, per counter started, or per iteration (a question, a round).
pub fn in_unit(id: &BenchId, m: &Measurement) -> Figure {
    match id.group() {
        Group::RequestResponse | Group::Aggregation | Group::AggregationRemote => m.mean,
        Group::Supervision => m.per_element(OPERATIONS),
        Group::Spawn => m.per_element(SPAWNED as u64),
        _ => m.per_element(INCREMENTS),
    }
}

/// The slow link of the `aggregation_remote` benchmarks, as `1 ms`.
pub fn link_delay() -> String {
    format!("{} ms", bench::rounds::LINK_DELAY.as_millis())
}

/// `top` ÷ `bottom`, each in its unit, if both were measured.
pub fn ratio(results: &Results, top: &BenchId, bottom: &BenchId) -> Option<f64> {
    let (t, b) = (results.read(top)?, results.read(bottom)?);
    let bottom = in_unit(bottom, b).value;
    (bottom > 0.0).then(|| in_unit(top, t).value / bottom)
}

/// A table cell: the figure with its ± in its unit divided by `divisor`
/// (1000 for µs), or a dash.
fn cell(results: &Results, id: &BenchId, divisor: f64) -> String {
    let figure = results.read(id).map(|m| in_unit(id, m).divided_by(divisor));
    figure.map_or(MISSING.to_owned(), with_interval)
}

fn ratio_cell(results: &Results, top: &BenchId, bottom: &BenchId) -> String {
    maybe_ratio(ratio(results, top, bottom))
}

/// A counting row's label: its name, marked if it is a floor.
fn label(name: &str, floor: bool) -> String {
    let mark = if floor { " (floor)" } else { "" };
    format!("{}{mark}", code(name))
}

/// The counting table's rows: each target at every producer count, then the
/// single-thread floors, which run at one producer only.
fn counting_rows() -> Vec<(String, [Option<BenchId>; 4])> {
    let fed = TargetKind::ALL.map(|kind| {
        let ids = PRODUCERS.map(|p| Some(ids::counting(kind, p)));
        (label(kind.name(), kind.is_floor()), ids)
    });
    let alone = SingleThreadFloor::ALL.map(|floor| {
        let ids = PRODUCERS.map(|p| (p == 1).then(|| ids::single_thread(floor)));
        (label(floor.name(), true), ids)
    });
    fed.into_iter().chain(alone).collect()
}

/// The counting table, each cell `cell_of` its benchmark and producers.
fn counting(cell_of: &dyn Fn(&BenchId, usize) -> String) -> String {
    let rows = counting_rows().into_iter().map(|(label, ids)| {
        let cells = ids.iter().zip(PRODUCERS);
        let cells = cells.map(|(id, p)| id.as_ref().map_or(String::new(), |id| cell_of(id, p)));
        [label].into_iter().chain(cells).collect::<Vec<_>>()
    });
    table(&format!("Design|{}", producer_columns()), 1, rows)
}

/// At one producer, fastest first: ns per increment and × an uncontended
/// atomic add.
fn one_producer(results: &Results, atomic: &BenchId) -> String {
    let mut rows: Vec<(f64, Vec<String>)> = counting_rows()
        .into_iter()
        .filter_map(|(label, [id, ..])| {
            let id = id?;
            let time = results.read(&id).map(|m| in_unit(&id, m).value);
            let ratio = ratio_cell(results, &id, atomic);
            let row = vec![label, time.map_or(MISSING.to_owned(), number), ratio];
            Some((time.unwrap_or(f64::INFINITY), row))
        })
        .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    let header = format!("1 producer|ns per increment|× {}", code(atomic.function()));
    table(&header, 1, rows.into_iter().map(|(_, row)| row))
}

/// The two channel targets on one worker thread, each above its figures
/// with one worker per core.
fn one_worker(results: &Results) -> String {
    let mut rows = Vec::new();
    for kind in ids::ONE_WORKER_TARGETS {
        let layouts = [
            ("1", ids::one_worker as fn(_, _) -> _),
            ("one per core", ids::counting),
        ];
        for (workers, id_of) in layouts {
            let mut row = vec![label(kind.name(), kind.is_floor()), workers.to_owned()];
            row.extend(PRODUCERS.map(|p| cell(results, &id_of(kind, p), 1.0)));
            rows.push(row);
        }
    }
    let header = format!("Design|Worker threads|{}", producer_columns());
    table(&header, 2, rows)
}

/// The batched ractor counter against the unbatched one and the mutex,
/// with the command that runs just these.
fn batching(results: &Results) -> (String, String) {
    let at = |design| ids::counting(TargetKind::Design(design), BATCHING_PRODUCERS);
    let (ractor, mutex) = (at(Design::Ractor), at(Design::Mutex));
    let rows = BATCHES.map(|batch| {
        let id = ids::batching(batch);
        let vs = [&ractor, &mutex].map(|bottom| ratio_cell(results, &id, bottom));
        [
            vec![code(id.function()), cell(results, &id, 1.0)],
            vs.to_vec(),
        ]
        .concat()
    });
    let [r, m] = [&ractor, &mutex].map(|id| code(&id.to_string()));
    let header = format!("Batch|ns per increment|× {r}|× {m}");
    let mut shown = BATCHES.map(ids::batching).to_vec();
    shown.extend([ractor, mutex]);
    let command = ids::command_for(&shown).unwrap_or(ids::ALL_COMMAND.to_owned());
    (table(&header, 1, rows), command)
}

/// Question by question, against an atomic load.
fn requests(results: &Results) -> String {
    let baseline = ids::request(Question::AtomicLoad);
    let rows = Question::ALL.map(|question| {
        let id = ids::request(question);
        let vs = ratio_cell(results, &id, &baseline);
        vec![code(id.function()), cell(results, &id, 1.0), vs]
    });
    let header = format!("Function|ns per question|× {}", code(baseline.function()));
    table(&header, 1, rows)
}

/// Each supervised delivery at each producer count, then the two ratios
/// that price the answer and the checkpoints, each also a part of its own.
fn supervision(results: &Results, parts: &mut Parts) -> [String; 2] {
    let rows = DeliveryKind::ALL.map(|kind| {
        let mut row = vec![code(kind.name()), kind.meaning().to_owned()];
        row.extend(PRODUCERS.map(|p| cell(results, &ids::delivery(kind, p), 1.0)));
        row
    });
    let [acknowledged, fire_and_forget, unsupervised] = DeliveryKind::ALL;
    let pairs = [
        (acknowledged, fire_and_forget, "waiting for each answer"),
        (fire_and_forget, unsupervised, "numbers and checkpoints"),
    ];
    let ratios = pairs.map(|(top, bottom, prices)| {
        let names = format!("{} ÷ {}", code(top.name()), code(bottom.name()));
        let mut row = vec![names, prices.to_owned()];
        for p in PRODUCERS {
            let r = ratio_cell(results, &ids::delivery(top, p), &ids::delivery(bottom, p));
            parts.add(format!("supervision_ratio_{}_{p}", top.name()), r.clone());
            row.push(r);
        }
        row
    });
    let columns = producer_columns();
    [
        table(&format!("Function|What it is|{columns}"), 2, rows),
        table(&format!("Ratio|What it prices|{columns}"), 2, ratios),
    ]
}

/// The local rounds, or (`remote`) the rounds over the slow link, where
/// only the two ways of collecting ran, in µs or ms: a table at every
/// number of counters, the same at 1000 only, and the speed-up of asking
/// all at once. Each is a part, named after the group.
fn rounds(results: &Results, remote: bool, parts: &mut Parts) {
    let (group, rounds, divisor) = match remote {
        false => (Group::Aggregation, &Round::ALL[..], 1000.0),
        true => (Group::AggregationRemote, &Round::ALL[..2], 1e6),
    };
    let id = |round, counters| match round {
        Round::Collect(how) if remote => ids::aggregation_remote(how, counters),
        _ => ids::aggregation(round, counters),
    };
    let (name, command) = (group.name(), group.command());
    for (part, counters) in [("table", &COUNTERS[..]), ("1000", &[1000][..])] {
        let rows = rounds.iter().map(|&round| {
            let cells = counters
                .iter()
                .map(|&n| cell(results, &id(round, n), divisor));
            let names = [code(&round.name()), round.meaning().to_owned()];
            names.into_iter().chain(cells).collect::<Vec<_>>()
        });
        let header: String = counters.iter().map(|n| format!("|{n} counters")).collect();
        let table = table(&format!("Function|What it is{header}"), 2, rows);
        parts.table(&format!("{name}_{part}"), table, &command, None);
    }
    let [sequential, concurrent] = Collection::ALL.map(Round::Collect);
    let speed_up = COUNTERS.map(|n| {
        let r = ratio_cell(results, &id(sequential, n), &id(concurrent, n));
        vec![n.to_string(), r]
    });
    let table = table("Counters|Speed-up", 1, speed_up);
    parts.table(&format!("{name}_speed_up"), table, &command, None);
}

/// Starting a system of counters, per system and per counter.
fn spawn(results: &Results) -> String {
    let rows = Design::ALL.map(|design| {
        let id = ids::spawn(design);
        let system = results.read(&id).map(|m| m.mean.divided_by(1000.0));
        let system = system.map_or(MISSING.to_owned(), with_interval);
        vec![code(design.name()), system, cell(results, &id, 1.0)]
    });
    let spawned = thousands(SPAWNED as u64);
    table(
        &format!("Design|µs per {spawned} counters|ns per counter"),
        1,
        rows,
    )
}

/// A feature's on and off builds side by side, as a table and a ratio per
/// target; returns each ratio "for" its target, and the two commands.
fn built_with(results: &Results, feature: Feature, prefix: &str, parts: &mut Parts) -> [String; 2] {
    let mut sentence = Vec::new();
    let rows = FEATURE_TARGETS.map(|kind| {
        let [on, off] = Switch::ALL.map(|switch| ids::feature(feature, kind, switch));
        let r = ratio_cell(results, &on, &off);
        parts.add(format!("{prefix}_ratio_{}", kind.name()), r.clone());
        sentence.push(format!("{r} for `{}`", kind.name()));
        let cells = [&on, &off].map(|id| cell(results, id, 1.0));
        [vec![code(kind.name())], cells.to_vec(), vec![r]].concat()
    });
    let [on, off] = Switch::ALL.map(|switch| format!("{} {}", feature.title(), switch.name()));
    let [c_on, c_off] = Switch::ALL.map(|switch| feature.command(switch));
    let command = format!("{c_on}` and `{c_off}");
    let table = table(&format!("Function|{on}|{off}|On ÷ off"), 1, rows);
    parts.table(&format!("{prefix}_table"), table, &command, None);
    [sentence.join(", "), command]
}

/// Every part made from criterion's results.
pub fn add(results: &Results, parts: &mut Parts, machine: &Machine) {
    let counting_command = Group::Counting.command();
    let command = counting_command.as_str();
    let atomic = ids::single_thread(SingleThreadFloor::UncontendedAtomic);
    parts.table(
        "counting_one_producer",
        one_producer(results, &atomic),
        command,
        None,
    );
    let table = counting(&|id, _| cell(results, id, 1.0));
    parts.table("counting_table", table, command, None);
    let table = counting(&|id, _| ratio_cell(results, id, &atomic));
    parts.table("counting_vs_atomic", table, command, None);
    let bare = |p| ids::counting(TargetKind::BareRactor, p);
    let table = counting(&|id, p| ratio_cell(results, id, &bare(p)));
    parts.table("counting_vs_bare", table, command, None);
    let command = Group::CountingOneWorker.command();
    parts.table(
        "counting_one_worker_table",
        one_worker(results),
        &command,
        None,
    );
    let (table, command) = batching(results);
    parts.table("batching_table", table, &command, None);
    let command = Group::RequestResponse.command();
    parts.table("requests_table", requests(results), &command, None);
    let [table, ratios] = supervision(results, parts);
    let command = Group::Supervision.command();
    parts.table("supervision_table", table, &command, None);
    parts.table("supervision_ratio", ratios, &command, None);
    rounds(results, false, parts);
    rounds(results, true, parts);
    parts.table("spawn_table", spawn(results), &Group::Spawn.command(), None);

    built_with(results, Feature::SpanPropagation, "spans", parts);
    let [ratios, commands] = built_with(results, Feature::Cluster, "cluster_feature", parts);
    let sentence = format!(
        "cluster on ÷ off: {ratios}, in ns per increment with one producer (`{commands}`, on {machine})"
    );
    parts.add("cluster_feature_ratio", sentence);

    // One figure per benchmark, read without counting as read: a result
    // only here still belongs in "Other measurements".
    for id in ids::registered() {
        let m = results.iter().find(|m| m.id == id.to_string());
        let figure = m.map_or(MISSING.to_owned(), |m| duration(in_unit(&id, m).value));
        parts.add(id.to_string().replace('/', "_"), figure);
    }
}

/// The results no part has read, by ID: a benchmark the report does not
/// know yet still shows.
pub fn others(results: &Results) -> String {
    let read = results.read_ids();
    let rows: Vec<Vec<String>> = results
        .iter()
        .filter(|m| !read.contains(&m.id))
        .map(|m| {
            let elements = m
                .elements
                .map_or(MISSING.to_owned(), |n| format!("{n} elements"));
            vec![code(&m.id), duration(m.mean.value), elements]
        })
        .collect();
    if rows.is_empty() {
        return "None: every saved result has its place on one of the results pages.".to_owned();
    }
    let table = table("Benchmark|Per iteration|Throughput", 1, &rows);
    format!("Saved results that no results page expects, by criterion ID.\n\n{table}")
}
