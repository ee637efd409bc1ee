//! The book's charts, as SVG: which lines each one shows, in which colour,
//! and how plotters draws them.
//!
//! The benchmark charts are log–log: producers, counters and batch sizes
//! grow by factors, and so do the figures. Their x axes are ticked at the
//! values measured, their y axes at round figures. The backlog's axes are
//! linear: time passes, and a queue grows by steps; plotters picks their
//! ticks.
//!
//! Plotters runs without its default features: no font files, no system
//! fonts. Its SVG backend writes each label as a `<text>` element in
//! `sans-serif`, and the reader's browser picks the font.

use std::ops::Range;

use actors_core::{Design, Overflow};
use bench::backlog::{BacklogFigures, Sample};
use bench::ids::{self, BATCHES, BATCHING_PRODUCERS, BenchId, COUNTERS, PRODUCERS, Round};
use bench::{Collection, INCREMENTS, TargetKind};
use plotters::coord::{Shift, ranged1d::AsRangedCoord, ranged1d::ValueFormatter};
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use crate::results::Results;

/// Where a chart is drawn: part of an SVG document.
type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Width and height of one chart, in pixels.
const SIZE: (u32, u32) = (800, 480);

/// Tableau 10 without its yellow, which is hard to see on white: blue,
/// orange, red, teal, green, purple, dark grey, brown, pink.
const PALETTE: [u32; 9] = [
    0x4E79A7, 0xF28E2B, 0xE15759, 0x76B7B2, 0x59A14F, 0xB07AA1, 0x555555, 0x9C755F, 0xFF9DA7,
];

/// One line on a chart: its legend entry, its points in data units, its
/// colour; dashed for a floor, a reference or a round over a slow link.
/// On log axes each point gets a dot, unless the line is a flat reference.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    label: String,
    points: Vec<(f64, f64)>,
    colour: RGBColor,
    dashed: bool,
    dots: bool,
}

/// One chart, or one panel of a stacked chart, with its axis titles.
/// `categories` are the x values measured (producer counts 1, 2, 4, 8),
/// on log axes both; none for linear axes.
#[derive(Debug, Clone, PartialEq)]
struct Chart {
    title: String,
    x_desc: &'static str,
    y_desc: String,
    categories: &'static [usize],
    lines: Vec<Line>,
}

/// Every chart the results pages show, as (path relative to the output
/// directory, SVG text). The backlog chart only when its figures are given.
pub fn render_all(
    results: &Results,
    backlog: Option<&BacklogFigures>,
) -> anyhow::Result<Vec<(&'static str, String)>> {
    let mut charts = vec![
        ("img/bench-counting.svg", vec![counting(results)]),
        ("img/bench-aggregation.svg", vec![aggregation(results)]),
        ("img/bench-batching.svg", vec![batching(results)]),
    ];
    charts.extend(backlog.map(|b| ("img/bench-backlog.svg", backlog_panels(b))));
    let svg = |(path, panels): (_, Vec<Chart>)| Ok((path, render(&panels)?));
    charts.into_iter().map(svg).collect()
}

/// The palette's colour at `index`, or its first.
fn colour(index: Option<usize>) -> RGBColor {
    let [_, r, g, b] = PALETTE[index.unwrap_or(0) % PALETTE.len()].to_be_bytes();
    RGBColor(r, g, b)
}

/// A target's colour, the same on every chart.
fn target_colour(kind: TargetKind) -> RGBColor {
    colour(TargetKind::ALL.iter().position(|&k| k == kind))
}

/// A line of measurements, with a dot on each point.
fn line(label: impl Into<String>, points: Vec<(f64, f64)>, colour: RGBColor, dashed: bool) -> Line {
    Line {
        label: label.into(),
        points,
        colour,
        dashed,
        dots: true,
    }
}

/// (x, y) for each of `xs` whose y is a positive, finite figure.
fn points(xs: &[usize], y: impl Fn(usize) -> Option<f64>) -> Vec<(f64, f64)> {
    let point = |x| Some((x as f64, y(x).filter(|y| y.is_normal() && *y > 0.0)?));
    xs.iter().filter_map(|&x| point(x)).collect()
}

/// Nanoseconds per increment of benchmark `id`, if it was measured.
fn per_increment(results: &Results, id: BenchId) -> Option<f64> {
    Some(results.read(&id)?.per_element(INCREMENTS).value)
}

/// Millions of increments per second against producers, one line per
/// target measured at two or more producer counts; floors dashed.
fn counting(results: &Results) -> Chart {
    let lines = TargetKind::ALL.into_iter().filter_map(|kind| {
        // 1 / ns per increment = 10^9 per s = 1000 millions per s.
        let per_second = |p| Some(1000.0 / per_increment(results, ids::counting(kind, p))?);
        let points = points(&PRODUCERS, per_second);
        let floor = kind.is_floor().then_some(" (floor)");
        let label = format!("{}{}", kind.name(), floor.unwrap_or_default());
        (points.len() >= 2).then(|| line(label, points, target_colour(kind), floor.is_some()))
    });
    Chart {
        title: "Counting: throughput by producers".to_owned(),
        x_desc: "producers",
        y_desc: "million increments per second (log scale)".to_owned(),
        categories: &PRODUCERS,
        lines: lines.collect(),
    }
}

/// Microseconds per collection round against counters, one solid line per
/// round, and one dashed in the same colour for each collection that also
/// ran over a slow link.
fn aggregation(results: &Results) -> Chart {
    let link = crate::benches::link_delay();
    let local = Round::ALL.map(|round| (round, None));
    let remote = Collection::ALL.map(|how| (Round::Collect(how), Some(how)));
    let rounds = local.into_iter().chain(remote);
    let lines = rounds.filter_map(|(round, remote)| {
        let id = |n| match remote {
            Some(how) => ids::aggregation_remote(how, n),
            None => ids::aggregation(round, n),
        };
        let micros = |n| Some(results.read(&id(n))?.per_iteration().value / 1000.0);
        let points = points(&COUNTERS, micros);
        let label = match remote {
            Some(how) => format!("{}, {link} link", how.name()),
            None => round.name(),
        };
        let colour = colour(Round::ALL.iter().position(|&r| r == round));
        (!points.is_empty()).then(|| line(label, points, colour, remote.is_some()))
    });
    Chart {
        title: "Aggregation: one collection round".to_owned(),
        x_desc: "counters",
        y_desc: "µs per round (log scale)".to_owned(),
        categories: &COUNTERS,
        lines: lines.collect(),
    }
}

/// Nanoseconds per increment against batch size, with the unbatched ractor
/// counter and the mutex design at the same producers as flat references.
fn batching(results: &Results) -> Chart {
    let ractor = TargetKind::Design(Design::Ractor);
    let points = points(&BATCHES, |size| per_increment(results, ids::batching(size)));
    let batched = line("ractor, batched", points, target_colour(ractor), false);
    let (first, last) = (BATCHES[0] as f64, BATCHES[BATCHES.len() - 1] as f64);
    let references = [ractor, TargetKind::Design(Design::Mutex)].map(|kind| {
        let id = ids::counting(kind, BATCHING_PRODUCERS);
        let ns = per_increment(results, id.clone())?;
        let flat = vec![(first, ns), (last, ns)];
        let mut line = line(id.to_string(), flat, target_colour(kind), true);
        line.dots = false;
        Some(line)
    });
    let batched = (!batched.points.is_empty()).then_some(batched);
    Chart {
        title: format!("Batching: {BATCHING_PRODUCERS} producers"),
        x_desc: "increments per message",
        y_desc: "ns per increment (log scale)".to_owned(),
        categories: &BATCHES,
        lines: [batched].into_iter().chain(references).flatten().collect(),
    }
}

/// Depth over time (top) and heap over time (bottom), one line per mailbox
/// in the colour it has in both.
fn backlog_panels(figures: &BacklogFigures) -> Vec<Chart> {
    let peak = figures.runs.iter().map(|r| r.peak_heap_bytes).max();
    let mega = peak >= Some(10_000_000);
    let (divisor, unit) = if mega { (1e6, "MB") } else { (1e3, "kB") };
    let depth = Chart {
        title: format!(
            "Backlog: {} {} counters, each sent 1 op every {} ms, each taking {} ms",
            figures.counters, figures.design, figures.interval_ms, figures.work_ms
        ),
        x_desc: "virtual time (s)",
        y_desc: "operations waiting, all mailboxes".to_owned(),
        categories: &[],
        lines: backlog_lines(figures, |s| s.depth as f64),
    };
    let heap = Chart {
        title: "Live heap above the start".to_owned(),
        y_desc: format!("heap ({unit})"),
        lines: backlog_lines(figures, |s| s.heap_bytes as f64 / divisor),
        ..depth.clone()
    };
    vec![depth, heap]
}

/// One line per run, seconds against `value` of each sample. A line that
/// lies exactly on an earlier one is dashed, and its label names the
/// earlier one's policy, so that neither hides.
fn backlog_lines(figures: &BacklogFigures, value: impl Fn(&Sample) -> f64) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    for (index, run) in figures.runs.iter().enumerate() {
        let seconds = |s: &Sample| (s.ms as f64 / 1000.0, value(s));
        let points: Vec<_> = run.samples.iter().map(seconds).collect();
        let same = lines.iter().position(|earlier| earlier.points == points);
        let label = match same.map(|i| figures.runs[i].mailbox.overflow()) {
            Some(earlier) => {
                let policy = earlier.map_or("unbounded", Overflow::name);
                format!("{} (= {policy})", run.mailbox)
            }
            None => run.mailbox.to_string(),
        };
        lines.push(line(label, points, colour(Some(index)), same.is_some()));
    }
    lines
}

/// Draws `panels` one above the other in one SVG document; the backlog's
/// are a quarter wider, for its legend's long labels.
fn render(panels: &[Chart]) -> anyhow::Result<String> {
    let rows = panels.len() as u32;
    let size = (SIZE.0 + (rows - 1) * SIZE.0 / 4, SIZE.1 * rows);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE)?;
        for (area, chart) in root.split_evenly((panels.len(), 1)).iter().zip(panels) {
            let points = chart.lines.iter().flat_map(|l| l.points.iter().copied());
            let (xs, ys): (Vec<f64>, Vec<f64>) = points.unzip();
            if let &[first, .., last] = chart.categories {
                // Some room either side of the first and last category.
                let (first, last) = (first as f64, last as f64);
                let pad = (last / first).powf(0.06).max(1.1);
                let ticks = chart.categories.iter().map(|&c| c as f64).collect();
                let x = (first / pad..last * pad).log_scale().with_key_points(ticks);
                let low = ys.iter().copied().fold(f64::MAX, f64::min);
                let high = ys.iter().copied().fold(0.0, f64::max);
                let y = (high > 0.0).then(|| low / 1.5..high * 1.5);
                let y = y.unwrap_or(1.0..1000.0);
                let (labelled, light) = log_ticks(&y);
                let y = y.log_scale().with_key_points(labelled);
                draw(area, chart, x, y.with_light_points(light))?;
            } else {
                draw(area, chart, linear(&xs), linear(&ys))?;
            }
        }
        // The backend writes the document into `svg` here.
        root.present()?;
    }
    Ok(svg)
}

/// A linear axis from zero (or the lowest value, if negative) to a little
/// above the highest.
fn linear(values: &[f64]) -> Range<f64> {
    let low = values.iter().copied().fold(0.0, f64::min);
    let high = values.iter().copied().fold(0.0, f64::max);
    let span = if high > low { high - low } else { 1.0 };
    low - span * 0.02..high + span * 0.05
}

/// Where a log axis over `range` gets labelled ticks: at 1, 2 and 5 times
/// each power of ten, or at the powers alone if the range spans more than
/// four; and light grid lines at every whole multiple of the powers.
/// Plotters' own log ticks label the powers alone: only two on a short
/// range such as the batching chart's.
fn log_ticks(range: &Range<f64>) -> (Vec<f64>, Vec<f64>) {
    let low = range.start.log10().floor() as i32;
    let high = range.end.log10().ceil() as i32;
    let at = |steps: &[f64]| -> Vec<f64> {
        let all = (low..=high).flat_map(|e| steps.iter().map(move |s| s * 10f64.powi(e)));
        all.filter(|v| range.contains(v)).collect()
    };
    let wide = high - low > 4;
    let labelled = if wide {
        at(&[1.0])
    } else {
        at(&[1.0, 2.0, 5.0])
    };
    (labelled, at(&[2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]))
}

/// Draws one chart on `area`: the title, the mesh, the lines, and beside
/// the plot, where it covers no line, the legend.
fn draw<X, Y>(area: &Area, chart: &Chart, x: X, y: Y) -> anyhow::Result<()>
where
    X: AsRangedCoord<Value = f64, CoordDescType: ValueFormatter<f64>>,
    Y: AsRangedCoord<Value = f64, CoordDescType: ValueFormatter<f64>>,
{
    let font = TextStyle::from(("sans-serif", 17));
    let mut widest = 0;
    for line in &chart.lines {
        widest = widest.max(area.estimate_text_size(&line.label, &font)?.0);
    }
    let body = area.titled(&chart.title, ("sans-serif", 26))?;
    // The legend's swatches and margins, and room to spare: the browser's
    // font may be wider than plotters guesses.
    let plot_width = body.dim_in_pixel().0.saturating_sub((widest + 90).max(190));
    let (plot_area, legend_area) = body.split_horizontally(plot_width);
    let mut plot = ChartBuilder::on(&plot_area)
        .margin(12)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(x, y)?;
    // Plotters draws series labels only inside a plotting area, so the
    // legend is a chart of its own: its series are empty, their labels not.
    let mut legend = ChartBuilder::on(&legend_area).build_cartesian_2d(0..1, 0..1)?;
    // To a thousandth, without float noise: `0.1`, not `0.09999999999999999`.
    let tick = |v: &f64| format!("{}", (v * 1000.0).round() / 1000.0);
    plot.configure_mesh()
        .x_desc(chart.x_desc)
        .y_desc(&chart.y_desc)
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        // Light lines only where a log axis asks for them.
        .max_light_lines(0)
        .label_style(font.clone())
        .axis_desc_style(("sans-serif", 19))
        .draw()?;

    let log = !chart.categories.is_empty();
    for line in &chart.lines {
        let style = line.colour.stroke_width(2);
        // A dash longer than any chart draws a solid line.
        let (dash, gap) = if line.dashed { (8, 5) } else { (10_000, 0) };
        let dot = if line.dots && log { 4 } else { 0 };
        plot.draw_series(DashedLineSeries::new(line.points.clone(), dash, gap, style))?;
        if dot > 0 {
            let dot_at = |&p| Circle::new(p, dot, style.filled());
            plot.draw_series(line.points.iter().map(dot_at))?;
        }
        let swatch = move |(x, y)| {
            EmptyElement::at((x, y))
                + DashedPathElement::new([(0, 0), (32, 0)], dash, gap, style)
                + Circle::new((16, 0), dot, style.filled())
        };
        let empty = None::<Circle<(i32, i32), i32>>;
        legend.draw_series(empty)?.label(&line.label).legend(swatch);
    }
    let mut labels = legend.configure_series_labels();
    labels.position(SeriesLabelPosition::Coordinate(10, 12));
    Ok(labels.legend_area_size(45).label_font(font).draw()?)
}

#[cfg(test)]
mod tests;
