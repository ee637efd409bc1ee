//! How the pages write numbers: one rule everywhere, so that columns line up
//! and no figure claims more precision than the next.
//!
//! Figures keep three significant digits (`45.2`, `4.52`, `0.452`) and never
//! drop below whole units (`1234`, not `1.23e3`). Ratios use the same rule and
//! end in `×`. A missing figure is a dash.

/// What a table cell holds when the benchmark has no saved result.
pub const MISSING: &str = "–";

/// A measured value with its confidence interval, in one unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    /// The point estimate: criterion's mean.
    pub value: f64,
    /// The lower end of the confidence interval.
    pub low: f64,
    /// The upper end of the confidence interval.
    pub high: f64,
}

impl Figure {
    /// The same figure in a unit `divisor` times larger: nanoseconds per
    /// iteration divided by 1,000,000 gives nanoseconds per increment.
    pub fn divided_by(self, divisor: f64) -> Figure {
        Figure {
            value: self.value / divisor,
            low: self.low / divisor,
            high: self.high / divisor,
        }
    }

    /// Half the width of the confidence interval: the `±` the page prints.
    pub fn half_width(self) -> f64 {
        (self.high - self.low).abs() / 2.0
    }
}

/// How many decimals give `x` three significant digits, with no fewer than
/// zero and no more than nine.
fn decimals(x: f64) -> usize {
    if x == 0.0 || !x.is_finite() {
        return 0;
    }
    let magnitude = x.abs().log10().floor();
    // Clamped to 0..=9 first, so the cast cannot wrap.
    (2.0 - magnitude).clamp(0.0, 9.0) as usize
}

/// `x` with `places` decimals.
fn fixed(x: f64, places: usize) -> String {
    format!("{x:.places$}")
}

/// `x` to three significant digits: `45.2`, `0.452`, `1234`.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return MISSING.to_owned();
    }
    let places = decimals(x);
    let text = fixed(x, places);
    // 9.996 rounds up to 10.00: one digit too many. Drop it.
    match text.parse::<f64>() {
        Ok(rounded) if places > 0 && decimals(rounded) < places => fixed(x, places - 1),
        _ => text,
    }
}

/// A figure as `45.2 ± 0.3`: the `±` part gets as many decimals as the value.
pub fn with_interval(figure: Figure) -> String {
    if !figure.value.is_finite() {
        return MISSING.to_owned();
    }
    let value = number(figure.value);
    let places = value.split_once('.').map_or(0, |(_, tail)| tail.len());
    format!("{value} ± {}", fixed(figure.half_width(), places))
}

/// A ratio as `1.07×`.
pub fn ratio(x: f64) -> String {
    if !x.is_finite() {
        return MISSING.to_owned();
    }
    format!("{}×", number(x))
}

/// A tick label on a chart axis: three significant digits, no trailing
/// zeros (`0.02`, not `0.0200`).
pub fn tick(x: f64) -> String {
    let text = number(x);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// A time in nanoseconds, in whichever of ns, µs, ms and s reads best.
pub fn duration(ns: f64) -> String {
    let (value, unit) = if ns.abs() >= 1e9 {
        (ns / 1e9, "s")
    } else if ns.abs() >= 1e6 {
        (ns / 1e6, "ms")
    } else if ns.abs() >= 1e3 {
        (ns / 1e3, "µs")
    } else {
        (ns, "ns")
    };
    format!("{} {unit}", number(value))
}

/// Bytes in whichever of B, kB, MB and GB reads best, three significant
/// digits: `96.2 kB`, `8.63 GB`.
pub fn size(bytes: f64) -> String {
    [(1e9, "GB"), (1e6, "MB"), (1e3, "kB")]
        .into_iter()
        .find(|(scale, _)| bytes.abs() >= *scale)
        .map_or(format!("{bytes:.0} B"), |(scale, unit)| {
            format!("{} {unit}", number(bytes / scale))
        })
}

/// The slow link's delay, as the page names it: `1 ms`.
pub fn link_delay() -> String {
    format!("{} ms", bench::rounds::LINK_DELAY.as_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every figure keeps three significant digits, whatever its size.
    #[test]
    fn numbers_keep_three_significant_digits() {
        assert_eq!(number(45.234), "45.2");
        assert_eq!(number(4.5234), "4.52");
        assert_eq!(number(0.45234), "0.452");
        assert_eq!(number(0.0012345), "0.00123");
        assert_eq!(number(1234.6), "1235");
        assert_eq!(number(9.996), "10.0");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(f64::NAN), MISSING);
    }

    /// The `±` part uses the value's decimals, so the two read as one figure.
    #[test]
    fn intervals_match_the_value_decimals() {
        let figure = Figure {
            value: 45.23,
            low: 44.9,
            high: 45.5,
        };
        assert_eq!(with_interval(figure), "45.2 ± 0.3");
        assert_eq!(ratio(1.0712), "1.07×");
        assert_eq!(tick(0.019_999_999), "0.02");
        assert_eq!(tick(1_000.000_000_1), "1000");
        assert_eq!(duration(1_500.0), "1.50 µs");
        assert_eq!(size(8_604_000_000.0), "8.60 GB");
        assert_eq!(size(96_188.0), "96.2 kB");
        assert_eq!(size(-8.0), "-8 B");
    }
}
