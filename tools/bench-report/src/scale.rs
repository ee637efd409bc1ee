//! The figures of "How many actors fit?": the `scale` binary's runs as a
//! table and a goal line, and the `memory` binary's parts of a ractor
//! counter as a sum that adds up to the whole.

use actors_core::Design;
use bench::memory::{MemoryFigures, Part};
use bench::scale::{GOAL, GOAL_COUNTERS, Outcome, ScaleFigures};

use crate::format::{self, MISSING};
use crate::tables::{Table, code, thousands};

/// One row per design and size, in the order they ran: seconds per phase,
/// the peak and what the run added to it per counter, and whether the
/// totals were exact. A skipped run says why in place of "exact".
pub fn table(figures: &ScaleFigures) -> Table {
    let rows = figures
        .runs
        .iter()
        .map(|run| {
            let mut row = vec![code(run.design.name()), thousands(run.counters)];
            match &run.outcome {
                Outcome::Ran(measured) => {
                    let phases = measured.phases;
                    let seconds = [
                        phases.start,
                        phases.feed,
                        phases.collect,
                        phases.drain,
                        phases.total(),
                    ];
                    row.extend(seconds.map(format::number));
                    row.push(
                        measured
                            .memory
                            .map_or(MISSING.to_owned(), |m| format::size(m.peak as f64)),
                    );
                    row.push(measured.memory.map_or(MISSING.to_owned(), |m| {
                        format!("{:.0}", m.per_counter(run.counters))
                    }));
                    row.push(if measured.exact { "yes" } else { "no" }.to_owned());
                }
                Outcome::Skipped { reason } => {
                    row.extend([MISSING; 7].map(str::to_owned));
                    row.push(format!("skipped: {reason}"));
                }
            }
            row
        })
        .collect();
    let header = [
        "Design",
        "Counters",
        "Start s",
        "Feed s",
        "Collect s",
        "Drain s",
        "Total s",
        "Peak memory",
        "Bytes per counter",
        "Exact",
    ];
    Table {
        text_columns: 2,
        header: header.map(str::to_owned).to_vec(),
        rows,
    }
}

/// The ractor design at the goal's size against the goal, in one line.
pub fn goal(figures: Option<&ScaleFigures>) -> String {
    let what = format!("{} ractor counters", thousands(GOAL_COUNTERS));
    let goal = GOAL.as_secs();
    let run = figures.and_then(|f| f.run(Design::Ractor, GOAL_COUNTERS));
    match run.map(|run| &run.outcome) {
        None => format!("{what}: not measured (goal: under {goal} s)"),
        Some(Outcome::Skipped { reason }) => format!("{what}: skipped, {reason}"),
        Some(Outcome::Ran(measured)) => {
            let total = measured.phases.total();
            let verdict = match (total <= GOAL.as_secs_f64(), measured.exact) {
                (_, false) => "not met: the totals were wrong",
                (true, true) => "met",
                (false, true) => "not met",
            };
            format!(
                "{what}: {} s from start to drain, exact (goal: under {goal} s): {verdict}",
                format::number(total)
            )
        }
    }
}

/// Where an idle ractor counter's heap bytes go: each part measured
/// alone, then what each bigger whole adds to the parts inside it, down
/// to the whole counter of the `ractor` design.
pub fn ractor_bytes(memory: Option<&MemoryFigures>) -> Table {
    let part = |part: Part| memory.and_then(|m| m.part_bytes(part));
    let whole = memory.and_then(|m| m.bytes_per_counter(Design::Ractor));
    let [task, oneshot, channel, supervision] = [
        Part::Task,
        Part::Oneshot,
        Part::Channel,
        Part::SupervisionChannel,
    ]
    .map(part);
    let inside = [task, oneshot.map(|o| 2.0 * o), channel, supervision];
    let pieces: Option<f64> = inside.iter().copied().sum();
    let minus = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a - b);
    let (bare, counter) = (part(Part::BareActor), part(Part::CounterActor));
    let name = |part: Part| code(part.name());
    let rows = [
        ("a tokio task".to_owned(), name(Part::Task), task),
        (
            "two oneshot ports: signal, stop".to_owned(),
            format!("2 × {}", name(Part::Oneshot)),
            inside[1],
        ),
        (
            "the message port: an unbounded channel and its first block of slots".to_owned(),
            name(Part::Channel),
            channel,
        ),
        (
            "the supervision port: the same, for supervision events".to_owned(),
            name(Part::SupervisionChannel),
            supervision,
        ),
        (
            "the rest of an actor: its shared properties, its loop's futures".to_owned(),
            format!("{} − the rows above", name(Part::BareActor)),
            minus(bare, pieces),
        ),
        (
            "the counter's own state: name, ledger, clock, transcript".to_owned(),
            format!("{} − {}", name(Part::CounterActor), name(Part::BareActor)),
            minus(counter, bare),
        ),
        (
            "its share of the system: registry entry, handles".to_owned(),
            format!(
                "{} − {}",
                code(Design::Ractor.name()),
                name(Part::CounterActor)
            ),
            minus(whole, counter),
        ),
        (
            "**one idle ractor counter**".to_owned(),
            format!("{} (memory table)", code(Design::Ractor.name())),
            whole,
        ),
        (
            "what answering one question adds to it".to_owned(),
            format!(
                "{} − {}",
                name(Part::CounterActorUsed),
                name(Part::CounterActor)
            ),
            minus(part(Part::CounterActorUsed), counter),
        ),
    ];
    Table {
        text_columns: 2,
        header: ["Piece", "Measured as", "Heap bytes"]
            .map(str::to_owned)
            .to_vec(),
        rows: rows
            .into_iter()
            .map(|(piece, how, bytes)| {
                let bytes = bytes.map_or(MISSING.to_owned(), |b| format!("{b:.0}"));
                vec![piece, how, bytes]
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bench::memory::{DesignBytes, PartBytes};
    use bench::scale::{Measured, Phases, Resident, ScaleRun};

    fn ran(design: Design, counters: usize, seconds: f64, exact: bool) -> ScaleRun {
        ScaleRun {
            design,
            counters,
            outcome: Outcome::Ran(Measured {
                phases: Phases {
                    start: seconds / 2.0,
                    feed: seconds / 4.0,
                    collect: seconds / 8.0,
                    drain: seconds / 8.0,
                },
                memory: Some(Resident {
                    before: 4_000_000,
                    peak: 8_604_000_000,
                }),
                total_value: 0,
                total_operations: 0,
                exact,
            }),
        }
    }

    fn figures(runs: Vec<ScaleRun>) -> ScaleFigures {
        ScaleFigures {
            command: "cargo run --release -p bench --bin scale".to_owned(),
            ops_per_client: 10,
            interval_ms: 1,
            runs,
        }
    }

    /// A run is one row of seconds, memory and a verdict; a skipped one
    /// says why.
    #[test]
    fn runs_are_rows() {
        let skipped = ScaleRun {
            design: Design::Mutex,
            counters: 10,
            outcome: Outcome::Skipped {
                reason: "too big".to_owned(),
            },
        };
        let table = table(&figures(vec![
            ran(Design::Ractor, 1_000_000, 40.0, true),
            skipped,
        ]));
        assert_eq!(
            table.rows[0],
            [
                "`ractor`",
                "1,000,000",
                "20.0",
                "10.0",
                "5.00",
                "5.00",
                "40.0",
                "8.60 GB",
                "8600",
                "yes"
            ]
        );
        assert_eq!(table.rows[1][9], "skipped: too big");
        assert_eq!(table.rows[1][2], MISSING);
    }

    /// The goal is met in time and exact, not met otherwise, and not
    /// measured without the run.
    #[test]
    fn the_goal_needs_time_and_exact_totals() {
        let line = |run| goal(Some(&figures(vec![run])));
        assert!(line(ran(Design::Ractor, 1_000_000, 40.0, true)).ends_with(": met"));
        assert!(line(ran(Design::Ractor, 1_000_000, 61.0, true)).ends_with(": not met"));
        assert!(line(ran(Design::Ractor, 1_000_000, 4.0, false)).contains("totals were wrong"));
        assert!(line(ran(Design::Ractor, 100_000, 4.0, true)).contains("not measured"));
        assert!(goal(None).contains("not measured"));
    }

    /// The pieces add up to the whole counter, and a missing part is a
    /// dash, not a wrong difference.
    #[test]
    fn the_pieces_add_up() {
        let parts = [
            (Part::Task, 100.0),
            (Part::Oneshot, 50.0),
            (Part::Channel, 2000.0),
            (Part::SupervisionChannel, 3000.0),
            (Part::BareActor, 7000.0),
            (Part::CounterActor, 7100.0),
            (Part::CounterActorUsed, 7100.0),
        ];
        let memory = MemoryFigures {
            cluster: Some(true),
            counters: 10,
            designs: vec![DesignBytes {
                design: Design::Ractor,
                bytes_per_counter: 7300.0,
            }],
            ractor_parts: parts
                .map(|(part, bytes)| PartBytes { part, bytes })
                .to_vec(),
        };
        let table = ractor_bytes(Some(&memory));
        let bytes: Vec<&str> = table.rows.iter().map(|r| r[2].as_str()).collect();
        assert_eq!(
            bytes,
            [
                "100", "100", "2000", "3000", "1800", "100", "200", "7300", "0"
            ]
        );
        let empty = ractor_bytes(None);
        assert!(empty.rows.iter().all(|r| r[2] == MISSING));
    }
}
