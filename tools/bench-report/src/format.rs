//! How every number and table is written: three significant figures, a ±
//! to the same decimal place, a dash for what is missing, and Markdown
//! tables whose text columns lean left and number columns right.

/// What stands in for a figure with no result behind it.
pub const MISSING: &str = "–";

/// A time (or a time divided into a unit) with criterion's confidence
/// interval around it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    /// The point estimate.
    pub value: f64,
    /// The interval's lower bound.
    pub low: f64,
    /// The interval's upper bound.
    pub high: f64,
}

impl Figure {
    /// The same figure, interval and all, divided into `divisor` units.
    pub fn divided_by(self, divisor: f64) -> Figure {
        Figure {
            value: self.value / divisor,
            low: self.low / divisor,
            high: self.high / divisor,
        }
    }
}

/// Decimal places that give `x` three significant figures, none below 1 ×.
fn decimals(x: f64) -> usize {
    if x == 0.0 || !x.is_finite() {
        return 0;
    }
    (2.0 - x.abs().log10().floor()).clamp(0.0, 9.0) as usize
}

/// `x` to three significant figures (`0.142`, `20.3`, `386`, `31230`).
/// Rounding that adds a digit (9.996 to `10.00`) drops a decimal place.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return MISSING.to_owned();
    }
    let places = decimals(x);
    let text = format!("{x:.places$}");
    match text.parse::<f64>() {
        Ok(rounded) if places > 0 && decimals(rounded) < places => {
            format!("{x:.0$}", places - 1)
        }
        _ => text,
    }
}

/// A figure and the half width of its interval, to the same decimal place
/// (`386 ± 17`, `8.15 ± 1.19`).
pub fn with_interval(figure: Figure) -> String {
    if !figure.value.is_finite() {
        return MISSING.to_owned();
    }
    let value = number(figure.value);
    let places = value.split_once('.').map_or(0, |(_, tail)| tail.len());
    let half = (figure.high - figure.low).abs() / 2.0;
    format!("{value} ± {half:.places$}")
}

/// A ratio, as `1.04×`.
pub fn ratio(x: f64) -> String {
    if !x.is_finite() {
        return MISSING.to_owned();
    }
    format!("{}×", number(x))
}

/// A ratio that may be missing.
pub fn maybe_ratio(x: Option<f64>) -> String {
    x.map_or(MISSING.to_owned(), ratio)
}

/// Nanoseconds in the unit that keeps the figure between 1 and 1000.
pub fn duration(ns: f64) -> String {
    let (divisor, unit) = [(1e9, "s"), (1e6, "ms"), (1e3, "µs")]
        .into_iter()
        .find(|(divisor, _)| ns.abs() >= *divisor)
        .unwrap_or((1.0, "ns"));
    format!("{} {unit}", number(ns / divisor))
}

/// Bytes in decimal units (`771 kB`, `12.6 GB`).
pub fn size(bytes: f64) -> String {
    [(1e9, "GB"), (1e6, "MB"), (1e3, "kB")]
        .into_iter()
        .find(|(scale, _)| bytes.abs() >= *scale)
        .map_or(format!("{bytes:.0} B"), |(scale, unit)| {
            format!("{} {unit}", number(bytes / scale))
        })
}

/// Whole bytes, or a dash.
pub fn bytes(bytes: Option<f64>) -> String {
    bytes.map_or(MISSING.to_owned(), |b| format!("{b:.0}"))
}

/// A count with thousands separators: `1,000,000`.
pub fn thousands(n: u64) -> String {
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

/// `text` as inline code.
pub fn code(text: &str) -> String {
    format!("`{text}`")
}

/// "1 producer", "4 producers".
pub fn producers(n: usize) -> String {
    if n == 1 {
        "1 producer".to_owned()
    } else {
        format!("{n} producers")
    }
}

/// A Markdown table under `header`, its cells separated by `|`: the first
/// `text` columns lean left, the rest (the numbers) right.
pub fn table<R>(header: &str, text: usize, rows: impl IntoIterator<Item = R>) -> String
where
    R: AsRef<[String]>,
{
    let line = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
    let header: Vec<String> = header.split('|').map(str::to_owned).collect();
    let rule = (0..header.len()).map(|i| if i < text { ":---" } else { "---:" });
    let mut lines = vec![
        line(header.clone()),
        line(rule.map(str::to_owned).collect()),
    ];
    let escaped = |row: R| row.as_ref().iter().map(|c| c.replace('|', "\\|")).collect();
    lines.extend(rows.into_iter().map(|row| line(escaped(row))));
    lines.join("\n")
}

/// The header cells of one column per producer count.
pub fn producer_columns() -> String {
    bench::ids::PRODUCERS.map(producers).join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_three_significant_figures() {
        assert_eq!(number(0.29812), "0.298");
        assert_eq!(number(20.34), "20.3");
        assert_eq!(number(386.4), "386");
        assert_eq!(number(31230.2), "31230");
        assert_eq!(number(9.996), "10.0");
        assert_eq!(number(f64::NAN), MISSING);
    }

    #[test]
    fn the_interval_takes_the_figures_decimal_places() {
        let figure = Figure {
            value: 8.15,
            low: 6.96,
            high: 9.34,
        };
        assert_eq!(with_interval(figure), "8.15 ± 1.19");
        assert_eq!(with_interval(figure.divided_by(0.01)), "815 ± 119");
    }

    #[test]
    fn units_follow_the_size_of_the_figure() {
        assert_eq!(duration(4080.0), "4.08 µs");
        assert_eq!(duration(0.3), "0.300 ns");
        assert_eq!(size(771_000.0), "771 kB");
        assert_eq!(size(512.0), "512 B");
        assert_eq!(thousands(1_000_000u64), "1,000,000");
        assert_eq!(ratio(0.5263), "0.526×");
    }

    #[test]
    fn tables_align_text_left_and_numbers_right() {
        let rows = vec![vec!["`a|b`".to_owned(), "1.00".to_owned()]];
        assert_eq!(
            table("Design|ns", 1, &rows),
            "| Design | ns |\n| :--- | ---: |\n| `a\\|b` | 1.00 |"
        );
    }
}
