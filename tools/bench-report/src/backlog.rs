//! The figures of the backlog: the `backlog` binary's runs as a table, the
//! unbounded peak against the bounded ones in a sentence, and a chart of
//! depth and heap over time, one line per mailbox.

use actors_core::Mailbox;
use bench::backlog::{BacklogFigures, PolicyRun};

use crate::charts::{Axis, Chart, PALETTE, Series, Stroke};
use crate::format::{self, MISSING};
use crate::tables::{Table, code, thousands};

/// The chart's file inside the output directory.
pub const CHART: &str = "img/bench-backlog.svg";

/// The overload every row shares, in one line.
pub fn setup(figures: &BacklogFigures) -> String {
    format!(
        "{} {} counters, {} operations per client, one every {} ms; {} ms of work per \
         operation; sampled every {} ms of virtual time",
        figures.counters,
        figures.design,
        thousands(usize::try_from(figures.ops_per_client).unwrap_or(usize::MAX)),
        figures.interval_ms,
        figures.work_ms,
        figures.sample_ms,
    )
}

/// One row per mailbox, in the order they ran.
pub fn table(figures: &BacklogFigures) -> Table {
    let count = |n: u64| thousands(usize::try_from(n).unwrap_or(usize::MAX));
    let rows = figures
        .runs
        .iter()
        .map(|run| {
            vec![
                code(&run.mailbox.to_string()),
                thousands(run.peak_depth),
                format::size(run.peak_heap_bytes as f64),
                count(run.dropped),
                count(run.refused),
                count(run.rerouted),
                count(run.applied),
                count(run.producers_done_ms),
                count(run.drained_ms),
            ]
        })
        .collect();
    let header = [
        "Mailbox",
        "Peak depth per mailbox",
        "Peak heap",
        "Dropped",
        "Refused",
        "Rerouted",
        "Applied",
        "Clients done at ms",
        "Drained at ms",
    ];
    Table {
        text_columns: 1,
        header: header.map(str::to_owned).to_vec(),
        rows,
    }
}

/// The unbounded run's peak heap against the highest of the bounded ones.
pub fn ratio(figures: Option<&BacklogFigures>) -> String {
    let runs = figures.map_or(&[][..], |f| f.runs.as_slice());
    let unbounded = runs.iter().find(|run| run.mailbox == Mailbox::Unbounded);
    let bounded = runs
        .iter()
        .filter(|run| run.mailbox != Mailbox::Unbounded)
        // The first of equal peaks: `max_by_key` keeps the last.
        .rev()
        .max_by_key(|run| run.peak_heap_bytes);
    match (unbounded, bounded) {
        (Some(unbounded), Some(bounded)) if bounded.peak_heap_bytes > 0 => format!(
            "unbounded peaked at {} of heap, {} the {} of the hungriest bounded policy, {}",
            format::size(unbounded.peak_heap_bytes as f64),
            format::ratio(unbounded.peak_heap_bytes as f64 / bounded.peak_heap_bytes as f64),
            format::size(bounded.peak_heap_bytes as f64),
            code(&bounded.mailbox.to_string()),
        ),
        _ => format!("unbounded against bounded: {MISSING}, not measured"),
    }
}

/// Depth over time (top) and heap over time (bottom), one line per mailbox
/// in the colour it has in both. A line that lies exactly on an earlier
/// one is dashed, and its label says which, so that neither hides.
pub fn charts(figures: &BacklogFigures) -> [Chart; 2] {
    let peak = figures.runs.iter().map(|r| r.peak_heap_bytes).max();
    let (divisor, unit) = match peak {
        Some(bytes) if bytes >= 10_000_000 => (1e6, "MB"),
        _ => (1e3, "kB"),
    };
    let depth = lines(figures, |s| s.depth as f64);
    let heap = lines(figures, |s| s.heap_bytes as f64 / divisor);
    let panel = |title: String, y: &str, series: Vec<Series>| {
        let xs = series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
        let ys = series.iter().flat_map(|s| s.points.iter().map(|p| p.1));
        Chart {
            title,
            x: Axis::linear_fit("virtual time (s)", xs),
            y: Axis::linear_fit(y, ys),
            series,
        }
    };
    [
        panel(
            format!("Backlog: {}", setup_short(figures)),
            "operations waiting, all mailboxes",
            depth,
        ),
        panel(
            "Live heap above the start".to_owned(),
            &format!("heap ({unit})"),
            heap,
        ),
    ]
}

/// The title's account of the overload.
fn setup_short(figures: &BacklogFigures) -> String {
    format!(
        "{} {} counters, each sent 1 op every {} ms, each taking {} ms",
        figures.counters, figures.design, figures.interval_ms, figures.work_ms
    )
}

/// One series per run, seconds against `value` of each sample.
fn lines(figures: &BacklogFigures, value: impl Fn(&bench::backlog::Sample) -> f64) -> Vec<Series> {
    let mut drawn: Vec<Series> = Vec::new();
    for (index, run) in figures.runs.iter().enumerate() {
        let points: Vec<(f64, f64)> = run
            .samples
            .iter()
            .map(|s| (s.ms as f64 / 1000.0, value(s)))
            .collect();
        let same = drawn.iter().find(|earlier| earlier.points == points);
        let label = label(run, same.map(|s| s.label.as_str()));
        drawn.push(Series {
            label,
            stroke: if same.is_some() {
                Stroke::Dashed
            } else {
                Stroke::Solid
            },
            points,
            markers: false,
            colour: PALETTE[index % PALETTE.len()],
        });
    }
    drawn
}

fn label(run: &PolicyRun, same_as: Option<&str>) -> String {
    match same_as {
        // The earlier label's policy, without its capacity or note.
        Some(earlier) => format!(
            "{} (= {})",
            run.mailbox,
            earlier.split([':', ' ']).next().unwrap_or(earlier)
        ),
        None => run.mailbox.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bench::backlog::{MAILBOXES, Sample};

    fn run(mailbox: Mailbox, heap: [i64; 3], dropped: u64) -> PolicyRun {
        PolicyRun {
            mailbox,
            peak_depth: 64,
            peak_total_depth: 256,
            peak_heap_bytes: heap.into_iter().max().unwrap_or(0),
            sent: 8000,
            refused: 0,
            undelivered: 0,
            dropped,
            rerouted: 0,
            applied: 8000 - dropped,
            rejected: 0,
            balances: true,
            producers_done_ms: 1999,
            drained_ms: 10_000,
            samples: (0..3)
                .map(|i| Sample {
                    ms: i * 25,
                    depth: 10 * i as usize,
                    heap_bytes: heap[i as usize],
                })
                .collect(),
        }
    }

    fn figures() -> BacklogFigures {
        BacklogFigures {
            command: "cargo run --release -p bench --bin backlog".to_owned(),
            design: actors_core::Design::Ractor,
            counters: 4,
            ops_per_client: 2000,
            interval_ms: 1,
            work_ms: 5,
            sample_ms: 25,
            runs: vec![
                run(MAILBOXES[0], [0, 400_000, 800_000], 0),
                run(MAILBOXES[3], [0, 90_000, 100_000], 6144),
                run(MAILBOXES[4], [0, 90_000, 100_000], 6144),
            ],
        }
    }

    /// A run is one row, heap in human units, counts with separators.
    #[test]
    fn runs_are_rows() {
        let table = table(&figures());
        assert_eq!(
            table.rows[1],
            [
                "`drop-newest:64`",
                "64",
                "100 kB",
                "6,144",
                "0",
                "0",
                "1,856",
                "1,999",
                "10,000"
            ]
        );
        assert_eq!(table.rows[0][2], "800 kB");
    }

    /// The ratio is unbounded's peak over the highest bounded peak, and a
    /// file without both says so.
    #[test]
    fn the_ratio_is_against_the_highest_bounded_peak() {
        assert_eq!(
            ratio(Some(&figures())),
            "unbounded peaked at 800 kB of heap, 8.00× the 100 kB of the hungriest bounded \
             policy, `drop-newest:64`"
        );
        let mut only = figures();
        only.runs.truncate(1);
        assert!(ratio(Some(&only)).contains("not measured"));
        assert!(ratio(None).contains("not measured"));
    }

    /// Both panels have a line per mailbox in the same colour; a line on
    /// top of an earlier one is dashed and says which it repeats.
    #[test]
    fn identical_lines_are_dashed_and_named() {
        let [depth, heap] = charts(&figures());
        assert_eq!(heap.y.label, "heap (kB)");
        assert_eq!(heap.series[0].points[2], (0.05, 800.0));
        assert_eq!(depth.series[2].label, "drop-oldest:64 (= unbounded)");
        assert_eq!(heap.series[2].label, "drop-oldest:64 (= drop-newest)");
        assert_eq!(heap.series[2].stroke, Stroke::Dashed);
        assert_eq!(heap.series[1].stroke, Stroke::Solid);
        assert_eq!(depth.series[1].colour, heap.series[1].colour);
    }
}
