//! The book's charts, drawn as SVG with plotters.
//!
//! Plotters runs without its default features: no font files, no system
//! fonts, no bitmap backend. Its SVG backend writes every label as a
//! `<text>` element with a `sans-serif` family, and the reader's browser
//! picks the font. Text sizes are plotters' estimates, which is why the
//! legend sits in its own panel instead of on top of the lines.
//!
//! Every axis is logarithmic: producers, counters and batch sizes grow by
//! factors, and so do the figures. Plotters draws `log10` of each value on
//! a linear axis, with ticks placed by hand and labelled with the values
//! they stand for.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use actors_core::Design;
use bench::ids::{self, BATCHES, BATCHING_PRODUCERS, BenchId, COUNTERS, PRODUCERS, Round};
use bench::{INCREMENTS, TargetKind};

use crate::format;
use crate::results::Results;
use crate::tables::{COLLECTIONS, CountingRow, remote_id};

/// Width and height of every chart, in pixels.
pub const SIZE: (u32, u32) = (800, 480);

/// The narrowest the legend panel on the right gets.
const LEGEND_WIDTH: u32 = 190;

/// Where a legend label starts, from the panel's left edge.
const LEGEND_TEXT_X: i32 = 48;

/// A generous guess at the width of one legend character, in pixels. The
/// browser picks the font, so the real width is unknown. Plotters writes
/// the legend's 17-point text as about 14 pixels high and guesses about 8
/// pixels a character; 9 leaves room to spare.
const LEGEND_CHAR_WIDTH: u32 = 9;

/// Colours from the Tableau 10 palette, without its yellow, which is hard
/// to see on white. Each is far enough from the others to tell apart.
const PALETTE: [RGBColor; 9] = [
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

/// One logarithmic axis, in data units.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The axis title, with its unit.
    pub label: String,
    /// The visible range.
    pub range: Range<f64>,
    /// Where the labelled ticks go.
    pub ticks: Vec<f64>,
    /// Where unlabelled grid lines go.
    pub minor: Vec<f64>,
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
        }
    }

    /// Where a data value goes on the drawn axis.
    fn plot(&self, value: f64) -> f64 {
        value.log10()
    }

    /// The tick label for a position on the drawn axis.
    fn label_at(&self, plotted: f64) -> String {
        format::tick(10f64.powf(plotted))
    }

    /// The axis as plotters draws it: plotted values, hand-placed ticks.
    fn ticked(&self) -> Ticked {
        let plotted = |values: &[f64]| values.iter().map(|&v| self.plot(v)).collect();
        Ticked {
            start: self.plot(self.range.start),
            end: self.plot(self.range.end),
            ticks: plotted(&self.ticks),
            minor: plotted(&self.minor),
        }
    }
}

/// A linear plotters coordinate with the ticks we choose.
///
/// Plotters' own `with_key_points` does the same, but in plotters 0.3.7 a
/// mesh cannot be drawn on its `f64` result, so the axis is spelled out.
#[derive(Debug, Clone)]
struct Ticked {
    start: f64,
    end: f64,
    ticks: Vec<f64>,
    minor: Vec<f64>,
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, (low, high): (i32, i32)) -> i32 {
        let span = self.end - self.start;
        if span == 0.0 || !value.is_finite() {
            return low + (high - low) / 2;
        }
        let fraction = ((value - self.start) / span).clamp(-1.0, 2.0);
        // Clamped above, so the pixel stays within a chart's width of the area.
        low + (f64::from(high - low) * fraction).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Plotters asks once for the labelled lines and once for the light ones.
        if hint.weight().allow_light_points() {
            self.minor.clone()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.start..self.end
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

/// Plotters could not draw a chart.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ChartError(String);

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

/// Draws `chart` and returns the SVG document.
pub fn render_svg(chart: &Chart) -> Result<String, ChartError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw(&root, chart).map_err(|err| ChartError(err.to_string()))?;
        // The backend writes the document into `svg` here.
        root.present().map_err(|err| ChartError(err.to_string()))?;
    }
    Ok(svg)
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let body = root.titled(&chart.title, ("sans-serif", 26))?;
    let (width, _) = body.dim_in_pixel();
    let legend_width = legend_width(&chart.series).min(width / 2);
    let (plot_area, legend_area) = body.split_horizontally(width.saturating_sub(legend_width));

    let mut plot = ChartBuilder::on(&plot_area)
        .margin(12)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(chart.x.ticked(), chart.y.ticked())?;

    let x_label = |v: &f64| chart.x.label_at(*v);
    let y_label = |v: &f64| chart.y.label_at(*v);
    plot.configure_mesh()
        .x_desc(chart.x.label.as_str())
        .y_desc(chart.y.label.as_str())
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .label_style(("sans-serif", 17))
        .axis_desc_style(("sans-serif", 19))
        .bold_line_style(RGBColor(0xCC, 0xCC, 0xCC))
        .light_line_style(RGBColor(0xEE, 0xEE, 0xEE))
        .axis_style(RGBColor(0x33, 0x33, 0x33))
        .draw()?;

    for series in &chart.series {
        let points: Vec<(f64, f64)> = series
            .points
            .iter()
            .map(|&(x, y)| (chart.x.plot(x), chart.y.plot(y)))
            .collect();
        let line = series.colour.stroke_width(2);
        match series.stroke {
            Stroke::Solid => plot.draw_series(LineSeries::new(points.clone(), line))?,
            Stroke::Dashed => {
                plot.draw_series(DashedLineSeries::new(points.clone(), 8, 5, line))?
            }
        };
        if series.markers {
            let dot = |p| Circle::new(p, 4, series.colour.filled());
            plot.draw_series(points.into_iter().map(dot))?;
        }
    }

    if chart.series.is_empty() {
        let (w, h) = plot_area.dim_in_pixel();
        let centre = (
            i32::try_from(w / 2).unwrap_or(0),
            i32::try_from(h / 2).unwrap_or(0),
        );
        let style = TextStyle::from(("sans-serif", 20))
            .color(&RGBColor(0x55, 0x55, 0x55))
            .pos(Pos::new(HPos::Center, VPos::Center));
        plot_area.draw(&Text::new(
            "No results yet: run `just bench`",
            centre,
            style,
        ))?;
    }

    draw_legend(&legend_area, &chart.series)
}

/// How wide the legend panel must be for its longest label, and never
/// narrower than [`LEGEND_WIDTH`].
fn legend_width(series: &[Series]) -> u32 {
    let longest = series
        .iter()
        .map(|s| s.label.chars().count())
        .max()
        .unwrap_or(0);
    let chars = u32::try_from(longest).unwrap_or(u32::MAX);
    // The label's start, its length, and a little room at the edge.
    let needed = chars
        .saturating_mul(LEGEND_CHAR_WIDTH)
        .saturating_add(LEGEND_TEXT_X.unsigned_abs() + 8);
    needed.max(LEGEND_WIDTH)
}

/// One row per line: a swatch in the line's colour and stroke, then its label.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[Series],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let label_style = TextStyle::from(("sans-serif", 17))
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (row, series) in (0i32..).zip(series) {
        let y = 30 + row * 26;
        let line = series.colour.stroke_width(2);
        let segments: &[(i32, i32)] = match series.stroke {
            Stroke::Solid => &[(4, 40)],
            Stroke::Dashed => &[(4, 14), (19, 29), (34, 40)],
        };
        for &(from, to) in segments {
            area.draw(&PathElement::new(vec![(from, y), (to, y)], line))?;
        }
        if series.markers {
            area.draw(&Circle::new((22, y), 4, series.colour.filled()))?;
        }
        area.draw(&Text::new(
            series.label.clone(),
            (LEGEND_TEXT_X, y),
            label_style.clone(),
        ))?;
    }
    Ok(())
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

    /// Whether the SVG has a `<text>` element reading exactly `text`.
    fn has_text(svg: &str, text: &str) -> bool {
        svg.contains(&format!(">\n{text}\n</text>"))
    }

    /// The SVG holds the title, the axis labels, the tick labels and the
    /// legend as text, for the browser to render.
    #[test]
    fn svg_holds_its_text() {
        let results: Results = [
            measurement("aggregation/sequential/10", 100_000.0, None),
            measurement("aggregation/sequential/1000", 10_000_000.0, None),
        ]
        .into_iter()
        .collect();
        let svg = render_svg(&aggregation(&results)).unwrap();
        assert!(svg.starts_with("<svg width=\"800\" height=\"480\""));
        for text in [
            "Aggregation: one collection round",
            "counters",
            "µs per round (log scale)",
            "sequential",
            "1000",
        ] {
            assert!(has_text(&svg, text), "no {text} in the SVG");
        }
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

    /// The legend widens for long labels, and never narrows below its
    /// usual width.
    #[test]
    fn the_legend_fits_its_longest_label() {
        let line = |label: &str| Series {
            label: label.to_owned(),
            points: Vec::new(),
            stroke: Stroke::Solid,
            markers: false,
            colour: PALETTE[0],
        };
        assert_eq!(legend_width(&[]), LEGEND_WIDTH);
        assert_eq!(legend_width(&[line("mutex")]), LEGEND_WIDTH);
        // 21 characters at 9 pixels, after 48 pixels of swatch, plus 8.
        assert_eq!(legend_width(&[line("sequential, 1 ms link")]), 245);
    }

    /// With no results a chart still draws, and says why it is empty.
    #[test]
    fn empty_charts_say_so() {
        let svg = render_svg(&counting(&Results::new())).unwrap();
        assert!(has_text(&svg, "No results yet: run `just bench`"));
        assert!(has_text(&svg, "producers"));
    }
}
