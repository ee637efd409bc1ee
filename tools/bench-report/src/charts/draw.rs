//! Drawing a [`Chart`] as SVG with plotters: the axes, the lines and the
//! legend.
//!
//! Plotters runs without its default features: no font files, no system
//! fonts, no bitmap backend. Its SVG backend writes every label as a
//! `<text>` element with a `sans-serif` family, and the reader's browser
//! picks the font. Text sizes are plotters' estimates, which is why the
//! legend sits in its own panel instead of on top of the lines.
//!
//! A log axis is plotters' own log coordinate, ticked where [`Axis`] says:
//! plotters would label only the powers of ten, or every integer below
//! ten, and the producer axis has ticks at 1, 2, 4 and 8 only. A linear
//! axis is plotters' own, ticks included.

use plotters::coord::Shift;
use plotters::coord::combinators::WithKeyPoints;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Axis, Chart, Scale, Series, Stroke};
use crate::format;

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

/// Draws `chart` and returns the SVG document.
pub fn render_svg(chart: &Chart) -> anyhow::Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw(&root, chart)?;
        // The backend writes the document into `svg` here.
        root.present()?;
    }
    Ok(svg)
}

/// Draws `charts` one above the other, each as tall as [`SIZE`] and a
/// quarter wider, for a legend of long labels, in one SVG document.
pub fn render_stacked_svg(charts: &[Chart]) -> anyhow::Result<String> {
    let rows = u32::try_from(charts.len()).unwrap_or(1).max(1);
    let mut svg = String::new();
    {
        let size = (SIZE.0 + SIZE.0 / 4, SIZE.1 * rows);
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let panels = root.split_evenly((charts.len().max(1), 1));
        for (panel, chart) in panels.iter().zip(charts) {
            draw(panel, chart)?;
        }
        root.present()?;
    }
    Ok(svg)
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    match (chart.x.scale, chart.y.scale) {
        (Scale::Log, Scale::Log) => draw_on(root, chart, chart.x.log(), chart.y.log()),
        (Scale::Log, Scale::Linear) => draw_on(root, chart, chart.x.log(), chart.y.linear()),
        (Scale::Linear, Scale::Log) => draw_on(root, chart, chart.x.linear(), chart.y.log()),
        (Scale::Linear, Scale::Linear) => draw_on(root, chart, chart.x.linear(), chart.y.linear()),
    }
}

fn draw_on<DB, X, Y>(
    root: &DrawingArea<DB, Shift>,
    chart: &Chart,
    x: X,
    y: Y,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>
where
    DB: DrawingBackend,
    X: AsRangedCoord<Value = f64>,
    Y: AsRangedCoord<Value = f64>,
    X::CoordDescType: ValueFormatter<f64>,
    Y::CoordDescType: ValueFormatter<f64>,
{
    root.fill(&WHITE)?;
    let body = root.titled(&chart.title, ("sans-serif", 26))?;
    let (width, _) = body.dim_in_pixel();
    let legend_width = legend_width(&chart.series).min(width / 2);
    let (plot_area, legend_area) = body.split_horizontally(width.saturating_sub(legend_width));

    let mut plot = ChartBuilder::on(&plot_area)
        .margin(12)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(x, y)?;

    let tick = |v: &f64| format::tick(*v);
    plot.configure_mesh()
        .x_desc(chart.x.label.as_str())
        .y_desc(chart.y.label.as_str())
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        // Light lines only where a log axis asks for them.
        .max_light_lines(0)
        .label_style(("sans-serif", 17))
        .axis_desc_style(("sans-serif", 19))
        .bold_line_style(RGBColor(0xCC, 0xCC, 0xCC))
        .light_line_style(RGBColor(0xEE, 0xEE, 0xEE))
        .axis_style(RGBColor(0x33, 0x33, 0x33))
        .draw()?;

    for series in &chart.series {
        let points = series.points.clone();
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

impl Axis {
    /// The axis as plotters' log coordinate, with our ticks and grid lines.
    fn log(&self) -> WithKeyPoints<LogCoord<f64>> {
        self.range
            .clone()
            .log_scale()
            .with_key_points(self.ticks.clone())
            .with_light_points(self.minor.clone())
    }

    /// The axis as plotters' linear coordinate, which picks its own ticks.
    fn linear(&self) -> RangedCoordf64 {
        self.range.clone().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::{PALETTE, aggregation, counting};
    use crate::results::Results;
    use crate::results::tests::measurement;

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
