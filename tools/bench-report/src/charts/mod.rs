//! The book's charts: which lines each one shows, in which colour, on
//! which axes. [`draw`] turns a [`Chart`] into SVG.
//!
//! The benchmark charts' axes are logarithmic: producers, counters and
//! batch sizes grow by factors, and so do the figures. The backlog's are
//! linear: time passes, and a queue grows by steps.

use std::ops::Range;

use plotters::style::RGBColor;

use actors_core::Design;
use bench::ids::{self, BATCHES, BATCHING_PRODUCERS, BenchId, COUNTERS, PRODUCERS, Round};
use bench::{INCREMENTS, TargetKind};

use crate::format;
use crate::results::Results;
use crate::tables::{COLLECTIONS, CountingRow, remote_id};

pub mod draw;

pub use draw::{SIZE, render_stacked_svg, render_svg};

/// Colours from the Tableau 10 palette, without its yellow, which is hard
/// to see on white. Each is far enough from the others to tell apart.
pub(crate) const PALETTE: [RGBColor; 9] = [
    RGBColor(0x4E, 0x79, 0xA7), // blue
    RGBColor(0xF2, 0x8E, 0x2B), // orange
    RGBColor(0xE1, 0x57, 0x59), // red
    RGBColor(0x76, 0xB7, 0xB2), // teal
    RGBColor(0x59, 0xA1, 0x4F), // green
    RGBColor(0xB0, 0x7A, 0xA1), // purple
    RGBColor(0x55, 0x55, 0x55), // dark grey
    RGBColor(0x9C, 0x75, 0x5F), // brown
    RGBColor(0xFF, 0x9D, 0xA7), // pink
];

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stroke {
    /// A solid line: one of our designs.
    Solid,
    /// A dashed line: a floor, a reference, or a function over a slow
    /// link, drawn in the colour of its local line.
    Dashed,
}

/// One line on a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The legend entry.
    pub label: String,
    /// The points, in data units, in order of x.
    pub points: Vec<(f64, f64)>,
    /// Solid or dashed.
    pub stroke: Stroke,
    /// Whether each point gets a dot: yes for measurements, no for a flat
    /// reference line.
    pub markers: bool,
    /// The line's colour.
    pub colour: RGBColor,
}

/// How values are placed along an axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// By their logarithm: equal factors, equal distances.
    Log,
    /// As they are: equal differences, equal distances.
    Linear,
}

/// One axis, in data units.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The axis title, with its unit.
    pub label: String,
    /// The visible range.
    pub range: Range<f64>,
    /// Where the labelled ticks go on a log axis; plotters places a linear
    /// axis's own.
    pub ticks: Vec<f64>,
    /// Where unlabelled grid lines go on a log axis.
    pub minor: Vec<f64>,
    /// Logarithmic or linear.
    pub scale: Scale,
}

impl Axis {
    /// A log axis over fixed categories, such as producer counts 1, 2, 4, 8,
    /// with some room either side.
    pub fn log_categories(label: &str, ticks: &[f64]) -> Axis {
        let first = ticks.first().copied().unwrap_or(1.0);
        let last = ticks.last().copied().unwrap_or(10.0);
        let pad = (last / first).powf(0.06).max(1.1);
        Axis {
            label: label.to_owned(),
            range: first / pad..last * pad,
            ticks: ticks.to_vec(),
            minor: Vec::new(),
            scale: Scale::Log,
        }
    }

    /// A log axis wide enough for `values`, ticked at 1, 2 and 5 times each
    /// power of ten (or only at the powers, if the range is wide).
    pub fn log_fit(label: &str, values: impl IntoIterator<Item = f64>) -> Axis {
        let (low, high) = bounds(values).unwrap_or((1.0, 1000.0));
        let range = low / 1.5..high * 1.5;
        let first = range.start.log10().floor() as i32;
        let last = range.end.log10().ceil() as i32;
        let steps: &[f64] = if last - first > 4 {
            &[1.0]
        } else {
            &[1.0, 2.0, 5.0]
        };
        let inside = |v: &f64| range.contains(v);
        let decades = || (first..=last).map(|e| 10f64.powi(e));
        let ticks = decades()
            .flat_map(|d| steps.iter().map(move |s| s * d))
            .filter(inside)
            .collect();
        let minor = decades()
            .flat_map(|d| (2..10).map(move |s| f64::from(s) * d))
            .filter(inside)
            .collect();
        Axis {
            label: label.to_owned(),
            range,
            ticks,
            minor,
            scale: Scale::Log,
        }
    }

    /// A linear axis from zero (or the lowest value, if negative) to a
    /// little above the highest. Plotters picks its ticks.
    pub fn linear_fit(label: &str, values: impl IntoIterator<Item = f64>) -> Axis {
        let (low, high) = values
            .into_iter()
            .filter(|v| v.is_finite())
            .fold((0.0, 0.0), |(low, high): (f64, f64), v| {
                (low.min(v), high.max(v))
            });
        let span = if high > low { high - low } else { 1.0 };
        Axis {
            label: label.to_owned(),
            range: low - span * 0.02..high + span * 0.05,
            ticks: Vec::new(),
            minor: Vec::new(),
            scale: Scale::Linear,
        }
    }
}

/// The smallest and largest of the positive, finite values.
fn bounds(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((low, high)) => Some((low.min(v), high.max(v))),
        })
}

/// A whole chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The title above the plot.
    pub title: String,
    /// The horizontal axis.
    pub x: Axis,
    /// The vertical axis.
    pub y: Axis,
    /// The lines, in legend order.
    pub series: Vec<Series>,
}

/// The colour of a counting row's line: the same target keeps its colour
/// from chart to chart.
fn colour_of(name: &str) -> RGBColor {
    let index = CountingRow::all()
        .position(|row| row.name() == name)
        .unwrap_or(0);
    PALETTE[index % PALETTE.len()]
}

/// Millions of increments per second against producers, one line per
/// design and floor measured at two or more producer counts. The y axis is
/// logarithmic: the designs differ by orders of magnitude, and on a linear
/// axis the actors would lie flat along the bottom.
pub fn counting(results: &Results) -> Chart {
    let series: Vec<Series> = CountingRow::all()
        .filter_map(|row| {
            let points: Vec<(f64, f64)> = PRODUCERS
                .iter()
                .filter_map(|&p| {
                    let ns = results.read(&row.id(p)?)?.per_element(INCREMENTS).value;
                    // 1 / ns per increment = 10^9 per s = 1000 millions per s.
                    (ns > 0.0).then(|| (p as f64, 1000.0 / ns))
                })
                .collect();
            let floor = row.is_floor();
            (points.len() >= 2).then(|| Series {
                label: if floor {
                    format!("{} (floor)", row.name())
                } else {
                    row.name().to_owned()
                },
                points,
                stroke: if floor { Stroke::Dashed } else { Stroke::Solid },
                colour: colour_of(row.name()),
                markers: true,
            })
        })
        .collect();
    let ys = series.iter().flat_map(|s| s.points.iter().map(|p| p.1));
    Chart {
        title: "Counting: throughput by producers".to_owned(),
        x: Axis::log_categories("producers", &PRODUCERS.map(|p| p as f64)),
        y: Axis::log_fit("million increments per second (log scale)", ys),
        series,
    }
}

/// Microseconds per collection round against counters, log on both axes,
/// one solid line per function. Each function that also ran over a slow
/// link gets a dashed line in the same colour, so the two pair up. The y
/// axis spans both: from the fastest local round to the slowest distant
/// one, many powers of ten apart.
pub fn aggregation(results: &Results) -> Chart {
    // One line of rounds, in µs, for `round`, with `id` naming each benchmark.
    let line = |round: Round, label: String, stroke, id: &dyn Fn(Round, usize) -> BenchId| {
        let points: Vec<(f64, f64)> = COUNTERS
            .iter()
            .filter_map(|&n| {
                let ns = results.read(&id(round, n))?.per_iteration().value;
                (ns > 0.0).then(|| (n as f64, ns / 1000.0))
            })
            .collect();
        (!points.is_empty()).then(|| Series {
            label,
            points,
            stroke,
            colour: aggregation_colour(round),
            markers: true,
        })
    };
    let local = Round::ALL
        .iter()
        .filter_map(|&round| line(round, round.name(), Stroke::Solid, &ids::aggregation));
    let link = format::link_delay();
    let remote = COLLECTIONS.iter().filter_map(|&round| {
        line(
            round,
            format!("{}, {link} link", round.name()),
            Stroke::Dashed,
            &remote_id,
        )
    });
    let series: Vec<Series> = local.chain(remote).collect();
    let ys = series.iter().flat_map(|s| s.points.iter().map(|p| p.1));
    Chart {
        title: "Aggregation: one collection round".to_owned(),
        x: Axis::log_categories("counters", &COUNTERS.map(|n| n as f64)),
        y: Axis::log_fit("µs per round (log scale)", ys),
        series,
    }
}

/// The colour of a round's lines, local and distant alike.
fn aggregation_colour(round: Round) -> RGBColor {
    let index = Round::ALL
        .iter()
        .position(|&r| r == round)
        .unwrap_or(Round::ALL.len());
    PALETTE[index % PALETTE.len()]
}

/// Nanoseconds per increment against batch size, with the unbatched ractor
/// counter and the mutex design at 4 producers as flat dashed references.
pub fn batching(results: &Results) -> Chart {
    let batched: Vec<(f64, f64)> = BATCHES
        .iter()
        .filter_map(|&size| {
            let ns = results
                .read(&ids::batching(size))?
                .per_element(INCREMENTS)
                .value;
            (ns > 0.0).then_some((size as f64, ns))
        })
        .collect();
    let first = BATCHES[0] as f64;
    let last = BATCHES[BATCHES.len() - 1] as f64;
    let mut series = Vec::new();
    if !batched.is_empty() {
        series.push(Series {
            label: "ractor, batched".to_owned(),
            points: batched,
            stroke: Stroke::Solid,
            colour: colour_of(Design::Ractor.name()),
            markers: true,
        });
    }
    for design in [Design::Ractor, Design::Mutex] {
        let id = ids::counting(TargetKind::Design(design), BATCHING_PRODUCERS);
        if let Some(measurement) = results.read(&id) {
            let ns = measurement.per_element(INCREMENTS).value;
            series.push(Series {
                label: id.to_string(),
                points: vec![(first, ns), (last, ns)],
                stroke: Stroke::Dashed,
                colour: colour_of(design.name()),
                markers: false,
            });
        }
    }
    let ys = series.iter().flat_map(|s| s.points.iter().map(|p| p.1));
    Chart {
        title: format!("Batching: {BATCHING_PRODUCERS} producers"),
        x: Axis::log_categories("increments per message", &BATCHES.map(|n| n as f64)),
        y: Axis::log_fit("ns per increment (log scale)", ys),
        series,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::tests::measurement;

    /// Counting lines need two producer counts: `plain-i64`, measured at one
    /// producer only, gets no line. Throughput is 1000 ÷ ns per increment.
    #[test]
    fn counting_draws_lines_with_several_points() {
        let results: Results = [
            measurement("counting/mutex/1", 20_000_000.0, Some(INCREMENTS)),
            measurement("counting/mutex/2", 40_000_000.0, Some(INCREMENTS)),
            measurement("counting/plain-i64/1", 300_000.0, Some(INCREMENTS)),
        ]
        .into_iter()
        .collect();
        let chart = counting(&results);
        assert_eq!(chart.series.len(), 1);
        assert_eq!(chart.series[0].label, "mutex");
        assert_eq!(chart.series[0].points, [(1.0, 50.0), (2.0, 25.0)]);
        assert_eq!(chart.y.ticks, [20.0, 50.0]);
    }

    /// Log ticks fall at 1, 2 and 5 times the powers of ten inside the range.
    #[test]
    fn log_ticks_fall_on_round_values() {
        let axis = Axis::log_fit("µs", [3.0, 40.0]);
        assert_eq!(axis.range, 2.0..60.0);
        assert_eq!(axis.ticks, [2.0, 5.0, 10.0, 20.0, 50.0]);
    }

    /// Over a slow link, each function gets a dashed line in its local
    /// line's colour, and the y axis stretches from the fastest local round
    /// to the slowest distant one.
    #[test]
    fn aggregation_pairs_slow_link_lines_with_local_ones() {
        let results: Results = [
            measurement("aggregation/sequential/10", 50_000.0, None),
            measurement("aggregation/sequential/1000", 5_000_000.0, None),
            measurement("aggregation/mutex-aggregate/10", 300.0, None),
            measurement("aggregation_remote/sequential/10", 20_000_000.0, None),
            measurement("aggregation_remote/sequential/1000", 2_000_000_000.0, None),
            measurement("aggregation_remote/concurrent/1000", 4_000_000.0, None),
        ]
        .into_iter()
        .collect();
        let chart = aggregation(&results);
        let labels: Vec<&str> = chart.series.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "sequential",
                "mutex-aggregate",
                "sequential, 1 ms link",
                "concurrent, 1 ms link"
            ]
        );
        let (local, remote) = (&chart.series[0], &chart.series[2]);
        assert_eq!(local.colour, remote.colour);
        assert_eq!(
            (local.stroke, remote.stroke),
            (Stroke::Solid, Stroke::Dashed)
        );
        assert_eq!(remote.points, [(10.0, 20_000.0), (1000.0, 2_000_000.0)]);
        assert_eq!(chart.series[3].colour, aggregation_colour(COLLECTIONS[1]));
        assert!(chart.y.range.start < 0.3 && chart.y.range.end > 2_000_000.0);
        assert_eq!(chart.y.ticks.first(), Some(&1.0));
        assert_eq!(chart.y.ticks.last(), Some(&1_000_000.0));
    }
}
