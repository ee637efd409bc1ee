//! The tables, built once: the results pages print them with the command
//! under each, and the book's figures file holds the same tables for the
//! chapters to include. Every ID comes from `bench::ids`. The counting
//! and batching tables are here; the costs tables are in `costs.rs`.

mod costs;

pub use costs::*;

use actors_core::Design;
use bench::ids::{self, BATCHES, BATCHING_PRODUCERS, BenchId, PRODUCERS};
use bench::{INCREMENTS, SingleThreadFloor, TargetKind};

use crate::format::{self, Figure, MISSING};
use crate::goals::{producers_label, ratio};
use crate::results::{Measurement, Results};

/// A Markdown table: the first `text_columns` columns are text
/// (left-aligned), the rest figures (right-aligned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// How many columns on the left hold text.
    pub text_columns: usize,
    /// The header row.
    pub header: Vec<String>,
    /// The body rows, each as long as the header.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The table as Markdown, without a trailing newline.
    pub fn to_markdown(&self) -> String {
        let line = |cells: &[String]| {
            let cells: Vec<String> = cells.iter().map(|c| c.replace('|', "\\|")).collect();
            format!("| {} |", cells.join(" | "))
        };
        let rule: Vec<String> = (0..self.header.len())
            .map(|i| {
                if i < self.text_columns {
                    ":---"
                } else {
                    "---:"
                }
                .to_owned()
            })
            .collect();
        let mut lines = vec![line(&self.header), line(&rule)];
        lines.extend(self.rows.iter().map(|row| line(row)));
        lines.join("\n")
    }
}

/// `text` as inline code.
pub fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// The figure of `id` in the unit `unit` picks, with its interval, or a dash.
pub fn cell(results: &Results, id: &BenchId, unit: impl Fn(&Measurement) -> Figure) -> String {
    results
        .read(id)
        .map_or(MISSING.to_owned(), |m| format::with_interval(unit(m)))
}

/// The ratio of two results' unit times, or a dash.
pub fn ratio_cell(results: &Results, top: &BenchId, bottom: &BenchId) -> String {
    ratio(results, top, bottom).map_or(MISSING.to_owned(), format::ratio)
}

/// Nanoseconds per increment, for the benches that count increments.
pub fn per_increment(m: &Measurement) -> Figure {
    m.per_element(INCREMENTS)
}

/// A counting row's label: the target, marked if it is a floor.
fn label(name: &str, floor: bool) -> String {
    if floor {
        format!("{} (floor)", code(name))
    } else {
        code(name)
    }
}

/// One row of the counting table: a fed target at every producer count, or
/// a single-thread floor at one producer and nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountingRow {
    /// A target fed by producers.
    Fed(TargetKind),
    /// A floor with no producers to share its work.
    Alone(SingleThreadFloor),
}

impl CountingRow {
    /// The rows in table order: the designs, the actor floors, the
    /// single-thread floors.
    pub fn all() -> impl Iterator<Item = CountingRow> {
        let fed = TargetKind::ALL.map(CountingRow::Fed);
        let alone = SingleThreadFloor::ALL.map(CountingRow::Alone);
        fed.into_iter().chain(alone)
    }

    /// Its name in the benchmark IDs.
    pub fn name(self) -> &'static str {
        match self {
            CountingRow::Fed(kind) => kind.name(),
            CountingRow::Alone(floor) => floor.name(),
        }
    }

    /// Whether it is a floor.
    pub fn is_floor(self) -> bool {
        match self {
            CountingRow::Fed(kind) => kind.is_floor(),
            CountingRow::Alone(_) => true,
        }
    }

    /// Its benchmark at `producers`, if it has one there.
    pub fn id(self, producers: usize) -> Option<BenchId> {
        match self {
            CountingRow::Fed(kind) => Some(ids::counting(kind, producers)),
            CountingRow::Alone(floor) => (producers == 1).then(|| ids::single_thread(floor)),
        }
    }

    /// The label of its row.
    pub fn label(self) -> String {
        label(self.name(), self.is_floor())
    }
}

/// The counting table: one row per target and floor, one column per
/// producer count, each cell `cell_of` its benchmark. A single-thread floor
/// has no benchmark past one producer, and its cells there stay empty.
pub fn counting(cell_of: &dyn Fn(&BenchId) -> String) -> Table {
    let mut header = vec!["Design".to_owned()];
    header.extend(PRODUCERS.map(producers_label));
    let rows = CountingRow::all()
        .map(|row| {
            let mut cells = vec![row.label()];
            cells.extend(PRODUCERS.map(|p| row.id(p).map_or_else(String::new, |id| cell_of(&id))));
            cells
        })
        .collect();
    Table {
        text_columns: 1,
        header,
        rows,
    }
}

/// The two channel targets on one worker thread, each above its figures
/// from the counting group's runtime of one worker per core: ns per
/// increment, with criterion's interval.
pub fn one_worker(results: &Results) -> Table {
    let mut header = vec!["Design".to_owned(), "Worker threads".to_owned()];
    header.extend(PRODUCERS.map(producers_label));
    let mut rows = Vec::new();
    for kind in ids::ONE_WORKER_TARGETS {
        let layouts: [(&str, &dyn Fn(usize) -> BenchId); 2] = [
            ("1", &|p| ids::one_worker(kind, p)),
            ("one per core", &|p| ids::counting(kind, p)),
        ];
        for (workers, id_of) in layouts {
            let mut cells = vec![label(kind.name(), kind.is_floor()), workers.to_owned()];
            cells.extend(PRODUCERS.map(|p| cell(results, &id_of(p), per_increment)));
            rows.push(cells);
        }
    }
    Table {
        text_columns: 2,
        header,
        rows,
    }
}

/// Every target and floor with one producer, cheapest first: the ladder of
/// what one increment costs. Rows without a result go last.
pub fn one_producer(results: &Results) -> Table {
    let atomic = ids::single_thread(SingleThreadFloor::UncontendedAtomic);
    let mut rows: Vec<(Option<f64>, Vec<String>)> = CountingRow::all()
        .filter_map(|row| {
            let id = row.id(1)?;
            let time = results.read(&id).map(|m| per_increment(m).value);
            let cells = vec![
                row.label(),
                time.map_or(MISSING.to_owned(), format::number),
                ratio_cell(results, &id, &atomic),
            ];
            Some((time, cells))
        })
        .collect();
    rows.sort_by(|(a, _), (b, _)| match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    Table {
        text_columns: 1,
        header: vec![
            "1 producer".to_owned(),
            "ns per increment".to_owned(),
            format!("× {}", code(SingleThreadFloor::UncontendedAtomic.name())),
        ],
        rows: rows.into_iter().map(|(_, cells)| cells).collect(),
    }
}

/// The batching table: ns per increment for each batch size, and as a
/// multiple of the unbatched ractor counter and of the mutex.
pub fn batching(results: &Results) -> Table {
    let ractor = ids::counting(TargetKind::Design(Design::Ractor), BATCHING_PRODUCERS);
    let mutex = ids::counting(TargetKind::Design(Design::Mutex), BATCHING_PRODUCERS);
    let rows = BATCHES
        .iter()
        .map(|&batch| {
            let id = ids::batching(batch);
            vec![
                code(id.function()),
                cell(results, &id, per_increment),
                ratio_cell(results, &id, &ractor),
                ratio_cell(results, &id, &mutex),
            ]
        })
        .collect();
    Table {
        text_columns: 1,
        header: vec![
            "Batch".to_owned(),
            "ns per increment".to_owned(),
            format!("× {}", code(&ractor.to_string())),
            format!("× {}", code(&mutex.to_string())),
        ],
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::tests::measurement;

    /// Text columns align left, figures right, and a `|` in a cell cannot
    /// end it early.
    #[test]
    fn tables_render_as_markdown() {
        let table = Table {
            text_columns: 1,
            header: vec!["a".to_owned(), "b".to_owned()],
            rows: vec![vec!["x|y".to_owned(), "1".to_owned()]],
        };
        assert_eq!(
            table.to_markdown(),
            "| a | b |\n| :--- | ---: |\n| x\\|y | 1 |"
        );
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(999), "999");
    }

    /// The one-producer ladder runs cheapest first, and a target with no
    /// result goes to the bottom with a dash.
    #[test]
    fn the_ladder_runs_cheapest_first() {
        let results: Results = [
            measurement("counting/mutex/1", 12_000_000.0, Some(INCREMENTS)),
            measurement("counting/plain-i64/1", 300_000.0, Some(INCREMENTS)),
            measurement(
                "counting/uncontended-atomic/1",
                4_000_000.0,
                Some(INCREMENTS),
            ),
        ]
        .into_iter()
        .collect();
        let table = one_producer(&results);
        let first: Vec<&str> = table.rows.iter().take(3).map(|r| r[0].as_str()).collect();
        assert_eq!(
            first,
            [
                "`plain-i64` (floor)",
                "`uncontended-atomic` (floor)",
                "`mutex`"
            ]
        );
        assert_eq!(table.rows[2][1..], ["12.0", "3.00×"]);
        assert_eq!(table.rows.len(), 10);
        assert_eq!(table.rows[9][1], MISSING);
    }

    /// A single-thread floor has a cell at one producer only; the others
    /// stay empty rather than showing a dash for a result nobody runs.
    #[test]
    fn single_thread_floors_fill_one_column() {
        let table = counting(&|id| id.to_string());
        let plain = table
            .rows
            .iter()
            .find(|r| r[0].contains("plain-i64"))
            .unwrap();
        assert_eq!(plain[1..], ["counting/plain-i64/1", "", "", ""]);
    }
}
