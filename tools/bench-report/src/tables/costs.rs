//! The tables of questions, rounds, delivery, start-up and memory: the
//! costs pages' half of [`super`]. Every ID comes from `bench::ids`.

use actors_core::Design;
use bench::delivery::OPERATIONS;
use bench::ids::{
    self, BenchId, COUNTERS, FEATURE_TARGETS, Feature, PRODUCERS, Question, Round, SPAWNED, Switch,
};
use bench::memory::MemoryFigures;
use bench::{Collection, DeliveryKind};

use super::{Table, cell, code, per_increment, ratio_cell};
use crate::format::{self, Figure, MISSING};
use crate::goals::producers_label;
use crate::results::{Measurement, Results};

/// The request–response table: ns per question, and as a multiple of
/// loading an atomic.
pub fn requests(results: &Results) -> Table {
    let baseline = ids::request(Question::AtomicLoad);
    let rows = Question::ALL
        .iter()
        .map(|&question| {
            let id = ids::request(question);
            vec![
                code(id.function()),
                cell(results, &id, Measurement::per_iteration),
                ratio_cell(results, &id, &baseline),
            ]
        })
        .collect();
    Table {
        text_columns: 1,
        header: vec![
            "Function".to_owned(),
            "ns per question".to_owned(),
            format!("× {}", code(baseline.function())),
        ],
        rows,
    }
}

/// Nanoseconds per increment, for the supervision bench's smaller runs.
pub fn per_operation(m: &Measurement) -> Figure {
    m.per_element(OPERATIONS)
}

/// The supervision table: ns per increment for each delivery kind at every
/// producer count.
pub fn delivery(results: &Results) -> Table {
    let mut header = vec!["Function".to_owned(), "What it is".to_owned()];
    header.extend(PRODUCERS.map(producers_label));
    let rows = DeliveryKind::ALL
        .iter()
        .map(|&kind| {
            let mut row = vec![code(kind.name()), kind.meaning().to_owned()];
            row.extend(PRODUCERS.map(|p| cell(results, &ids::delivery(kind, p), per_operation)));
            row
        })
        .collect();
    Table {
        text_columns: 2,
        header,
        rows,
    }
}

/// The two prices the supervision table shows, at every producer count:
/// of the answer (acknowledged ÷ fire-and-forget), and of numbering and
/// checkpointing (fire-and-forget ÷ unsupervised).
pub fn delivery_ratios(results: &Results) -> Table {
    let [acknowledged, fire_and_forget, unsupervised] = DeliveryKind::ALL;
    let mut header = vec!["Ratio".to_owned(), "What it prices".to_owned()];
    header.extend(PRODUCERS.map(producers_label));
    let rows = [
        (acknowledged, fire_and_forget, "waiting for each answer"),
        (fire_and_forget, unsupervised, "numbers and checkpoints"),
    ]
    .iter()
    .map(|&(top, bottom, meaning)| {
        let mut row = vec![
            format!("{} ÷ {}", code(top.name()), code(bottom.name())),
            meaning.to_owned(),
        ];
        row.extend(
            PRODUCERS
                .map(|p| ratio_cell(results, &ids::delivery(top, p), &ids::delivery(bottom, p))),
        );
        row
    })
    .collect();
    Table {
        text_columns: 2,
        header,
        rows,
    }
}

/// What a round of the aggregation bench is, in a few words.
pub fn round_meaning(round: Round) -> &'static str {
    match round {
        Round::Collect(Collection::Sequential) => "the article's: ask each counter in turn",
        Round::Collect(Collection::Concurrent) => "ours: ask every counter at once",
        Round::Aggregate(Design::Ractor) => "ours, through the aggregator actor",
        Round::Aggregate(Design::Mutex) => "the mutex design's sum",
        Round::Aggregate(_) => "the design's own sum",
    }
}

/// Time per round for each of `rounds` at each of `counters`, in a unit of
/// `unit` nanoseconds; `id` names each benchmark.
pub fn rounds(
    results: &Results,
    rounds: &[Round],
    counters: &[usize],
    id: &dyn Fn(Round, usize) -> BenchId,
    unit: f64,
) -> Table {
    let mut header = vec!["Function".to_owned(), "What it is".to_owned()];
    header.extend(counters.iter().map(|n| format!("{n} counters")));
    let rows = rounds
        .iter()
        .map(|&round| {
            let mut row = vec![code(&round.name()), round_meaning(round).to_owned()];
            row.extend(counters.iter().map(|&n| {
                cell(results, &id(round, n), |m| {
                    m.per_iteration().divided_by(unit)
                })
            }));
            row
        })
        .collect();
    Table {
        text_columns: 2,
        header,
        rows,
    }
}

/// The two collections over a slow link, as [`rounds`] needs them.
pub fn remote_id(round: Round, counters: usize) -> BenchId {
    match round {
        Round::Collect(how) => ids::aggregation_remote(how, counters),
        // Only the two collections run over the link.
        Round::Aggregate(_) => ids::aggregation(round, counters),
    }
}

/// The two collections, as rounds.
pub const COLLECTIONS: [Round; 2] = [
    Round::Collect(Collection::Sequential),
    Round::Collect(Collection::Concurrent),
];

/// The speed-up of asking all at once, sequential ÷ concurrent, at every
/// counter count; `id` names each benchmark.
pub fn speed_up(results: &Results, id: &dyn Fn(Round, usize) -> BenchId) -> Table {
    let rows = COUNTERS
        .iter()
        .map(|&n| {
            vec![
                n.to_string(),
                ratio_cell(results, &id(COLLECTIONS[0], n), &id(COLLECTIONS[1], n)),
            ]
        })
        .collect();
    Table {
        text_columns: 1,
        header: vec!["Counters".to_owned(), "Speed-up".to_owned()],
        rows,
    }
}

/// The spawn table: a whole system, and per counter.
pub fn spawn(results: &Results) -> Table {
    let rows = Design::ALL
        .iter()
        .map(|&design| {
            let id = ids::spawn(design);
            vec![
                code(design.name()),
                cell(results, &id, |m| m.per_iteration().divided_by(1000.0)),
                cell(results, &id, |m| {
                    m.per_iteration().divided_by(SPAWNED as f64)
                }),
            ]
        })
        .collect();
    Table {
        text_columns: 1,
        header: vec![
            "Design".to_owned(),
            format!("µs per {} counters", thousands(SPAWNED)),
            "ns per counter".to_owned(),
        ],
        rows,
    }
}

/// A feature's table: each actor built with the feature and without, and
/// the ratio. The span table's columns read "Spans on", "Spans off".
pub fn built_with(results: &Results, feature: Feature) -> Table {
    let rows = FEATURE_TARGETS
        .iter()
        .map(|&kind| {
            let on = ids::feature(feature, kind, Switch::On);
            let off = ids::feature(feature, kind, Switch::Off);
            vec![
                code(kind.name()),
                cell(results, &on, per_increment),
                cell(results, &off, per_increment),
                ratio_cell(results, &on, &off),
            ]
        })
        .collect();
    let column = |switch: Switch| format!("{} {}", feature.title(), switch.name());
    Table {
        text_columns: 1,
        header: vec![
            "Function".to_owned(),
            column(Switch::On),
            column(Switch::Off),
            "On ÷ off".to_owned(),
        ],
        rows,
    }
}

/// Heap bytes per idle counter, a whole number, or a dash.
pub fn bytes(memory: Option<&MemoryFigures>, design: Design) -> String {
    memory
        .and_then(|m| m.bytes_per_counter(design))
        .map_or(MISSING.to_owned(), |b| format!("{b:.0}"))
}

/// The memory table: heap bytes per idle counter, for every design.
pub fn memory(memory: Option<&MemoryFigures>) -> Table {
    let rows = Design::ALL
        .iter()
        .map(|&design| vec![code(design.name()), bytes(memory, design)])
        .collect();
    Table {
        text_columns: 1,
        header: vec![
            "Design".to_owned(),
            "Heap bytes per idle counter".to_owned(),
        ],
        rows,
    }
}

/// Start-up time and memory side by side, per counter, for every design.
pub fn start_and_memory(results: &Results, memory: Option<&MemoryFigures>) -> Table {
    let rows = Design::ALL
        .iter()
        .map(|&design| {
            let per_counter = results
                .read(&ids::spawn(design))
                .map(|m| m.per_iteration().value / SPAWNED as f64 / 1000.0);
            vec![
                code(design.name()),
                per_counter.map_or(MISSING.to_owned(), format::number),
                bytes(memory, design),
            ]
        })
        .collect();
    Table {
        text_columns: 1,
        header: vec![
            "Design".to_owned(),
            "µs per counter to start".to_owned(),
            "Heap bytes per idle counter".to_owned(),
        ],
        rows,
    }
}

/// `10000` as `10,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}
