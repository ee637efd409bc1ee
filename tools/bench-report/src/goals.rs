//! The four goals, each a ratio of two measured times with a bound.
//!
//! A goal is checked once per setting (goal (a) once per producer count),
//! and each check ends in one of three verdicts: met, not met, or not
//! measured when either side has no result. A missing result never counts
//! as met.
//!
//! A goal may also carry a [`Comparison`]: a second ratio printed beside
//! it for context. A comparison has no bound and no verdict, and it is not
//! a check.

use std::fmt;

use actors_core::Design;
use bench::ids::{self, BenchId, Group, PRODUCERS, Round};
use bench::{Collection, INCREMENTS, TargetKind};

use crate::format;
use crate::results::Results;

/// Which way a ratio has to stay.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    /// The ratio must not exceed this: a cost.
    AtMost(f64),
    /// The ratio must reach this: a speed-up.
    AtLeast(f64),
}

impl Bound {
    /// Whether `ratio` keeps to the bound. The bound itself counts as met.
    pub fn holds(self, ratio: f64) -> bool {
        match self {
            Bound::AtMost(limit) => ratio <= limit,
            Bound::AtLeast(limit) => ratio >= limit,
        }
    }
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bound::AtMost(limit) => write!(f, "≤ {limit}×"),
            Bound::AtLeast(limit) => write!(f, "≥ {limit}×"),
        }
    }
}

/// How one check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Both sides measured, and the ratio keeps to the bound.
    Met,
    /// Both sides measured, and the ratio breaks the bound.
    NotMet,
    /// At least one side has no result.
    NotMeasured,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Met => "met",
            Verdict::NotMet => "not met",
            Verdict::NotMeasured => "not measured",
        })
    }
}

/// One ratio, checked against its goal's bound.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// The setting, such as `4 producers`.
    pub setting: String,
    /// The ID on top of the ratio.
    pub numerator: String,
    /// The ID below.
    pub denominator: String,
    /// The measured ratio, if both sides have results.
    pub ratio: Option<f64>,
    /// The IDs with no result.
    pub missing: Vec<String>,
    /// The verdict.
    pub verdict: Verdict,
}

/// The time a goal compares for one result: per increment for benches that
/// count increments, so that two benches of different sizes still compare,
/// and per iteration for the rest. `None` if there is no result.
pub fn unit_time(results: &Results, id: &BenchId) -> Option<f64> {
    let measurement = results.read(id)?;
    let fallback = match id.group() {
        Group::Counting
        | Group::CountingOneWorker
        | Group::Batching
        | Group::SpanPropagation
        | Group::ClusterFeature => INCREMENTS,
        _ => 1,
    };
    Some(measurement.per_element(fallback).value)
}

/// `top ÷ bottom` in unit times, if both are measured and `bottom` is not 0.
pub fn ratio(results: &Results, top: &BenchId, bottom: &BenchId) -> Option<f64> {
    match (unit_time(results, top), unit_time(results, bottom)) {
        (Some(top), Some(bottom)) if bottom > 0.0 => Some(top / bottom),
        _ => None,
    }
}

/// Checks `numerator ÷ denominator` against `bound`.
pub fn check(
    results: &Results,
    setting: impl Into<String>,
    numerator: &BenchId,
    denominator: &BenchId,
    bound: Bound,
) -> Check {
    let missing: Vec<String> = [numerator, denominator]
        .into_iter()
        .filter(|id| results.read(id).is_none())
        .map(BenchId::to_string)
        .collect();
    let ratio = ratio(results, numerator, denominator);
    let verdict = match ratio {
        Some(ratio) if bound.holds(ratio) => Verdict::Met,
        Some(_) => Verdict::NotMet,
        None => Verdict::NotMeasured,
    };
    Check {
        setting: setting.into(),
        numerator: numerator.to_string(),
        denominator: denominator.to_string(),
        ratio,
        missing,
        verdict,
    }
}

/// A ratio shown under a goal for context. It has no bound and no
/// verdict, so it never counts towards the goal.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Where the figures come from, such as `over a 1 ms link`.
    pub setting: String,
    /// The ID on top of the ratio.
    pub numerator: String,
    /// The ID below.
    pub denominator: String,
    /// The measured ratio, if both sides have results.
    pub ratio: Option<f64>,
    /// Why the reader should not hold this ratio to the goal.
    pub note: &'static str,
}

/// `numerator ÷ denominator` as a comparison, with no bound to keep.
pub fn compare(
    results: &Results,
    setting: impl Into<String>,
    numerator: &BenchId,
    denominator: &BenchId,
    note: &'static str,
) -> Comparison {
    Comparison {
        setting: setting.into(),
        numerator: numerator.to_string(),
        denominator: denominator.to_string(),
        ratio: ratio(results, numerator, denominator),
        note,
    }
}

/// One of the four goals, with its checks.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    /// `a` to `d`.
    pub key: char,
    /// A heading for the goal.
    pub title: &'static str,
    /// One sentence: what the ratio shows.
    pub meaning: &'static str,
    /// The bound every check must keep to.
    pub bound: Bound,
    /// One check per setting.
    pub checks: Vec<Check>,
    /// A ratio to read beside the checks, if the goal has one. It is not
    /// a check.
    pub comparison: Option<Comparison>,
    /// The command that produces the figures.
    pub command: String,
}

/// `1 producer`, `4 producers`.
pub fn producers_label(producers: usize) -> String {
    if producers == 1 {
        "1 producer".to_owned()
    } else {
        format!("{producers} producers")
    }
}

/// A goal checked at every producer count: `counting/<top>/P` ÷
/// `counting/<bottom>/P`.
fn per_producer_checks(
    results: &Results,
    top: TargetKind,
    bottom: TargetKind,
    bound: Bound,
) -> Vec<Check> {
    PRODUCERS
        .iter()
        .map(|&p| {
            let (top, bottom) = (ids::counting(top, p), ids::counting(bottom, p));
            check(results, producers_label(p), &top, &bottom, bound)
        })
        .collect()
}

/// Goal (b)'s checks. With one producer, the counting group's figures; with
/// more, the same two targets on one worker thread, where the producers
/// take turns. On one worker per core they fight over the channel from two
/// cores, at a price the machine sets from one moment to the next, and the
/// ratio of two benchmarks run minutes apart would measure the machine.
fn goal_b_checks(results: &Results, bound: Bound) -> Vec<Check> {
    let (top, bottom) = (TargetKind::Design(Design::HandRolled), TargetKind::RawMpsc);
    PRODUCERS
        .iter()
        .map(|&p| {
            let (top, bottom) = if p == 1 {
                (ids::counting(top, p), ids::counting(bottom, p))
            } else {
                (ids::one_worker(top, p), ids::one_worker(bottom, p))
            };
            check(results, producers_label(p), &top, &bottom, bound)
        })
        .collect()
}

/// The IDs goal (b) reads, for its command.
fn goal_b_ids() -> Vec<BenchId> {
    let kinds = [TargetKind::Design(Design::HandRolled), TargetKind::RawMpsc];
    PRODUCERS
        .iter()
        .flat_map(|&p| {
            kinds.map(|kind| {
                if p == 1 {
                    ids::counting(kind, p)
                } else {
                    ids::one_worker(kind, p)
                }
            })
        })
        .collect()
}

/// The four goals, checked against `results`.
pub fn evaluate(results: &Results) -> Vec<Goal> {
    let a = Bound::AtMost(1.1);
    let b = Bound::AtMost(1.3);
    let c = Bound::AtMost(3.0);
    let d = Bound::AtLeast(20.0);
    let ractor = TargetKind::Design(Design::Ractor);
    let goal_c = [
        ids::batching(256),
        ids::counting(TargetKind::Design(Design::Mutex), 4),
    ];
    let (sequential, concurrent) = (
        Round::Collect(Collection::Sequential),
        Round::Collect(Collection::Concurrent),
    );
    let link = format::link_delay();
    vec![
        Goal {
            key: 'a',
            title: "ractor's cost over a bare ractor actor",
            meaning: "The ractor counter against the thinnest ractor actor doing the same increments, \
                      in time per increment.",
            bound: a,
            checks: per_producer_checks(results, ractor, TargetKind::BareRactor, a),
            comparison: None,
            command: Group::Counting.command(),
        },
        Goal {
            key: 'b',
            title: "The hand-rolled actor's cost over a raw channel",
            meaning: "The hand-rolled counter against a bare mpsc channel loop doing the same \
                      increments, in time per increment. With 2 or more producers, both run on one \
                      worker thread: see [The two speeds of a channel](measuring-two-speeds.md).",
            bound: b,
            checks: goal_b_checks(results, b),
            comparison: None,
            command: ids::command_for(&goal_b_ids()).unwrap_or_else(|| ids::ALL_COMMAND.to_owned()),
        },
        Goal {
            key: 'c',
            title: "Batched messages against the mutex",
            meaning: "The ractor counter fed 256 increments per message against the mutex design, \
                      both with 4 producers, in time per increment.",
            bound: c,
            checks: vec![check(
                results,
                producers_label(4),
                &goal_c[0],
                &goal_c[1],
                c,
            )],
            comparison: None,
            command: ids::command_for(&goal_c).unwrap_or_else(|| ids::ALL_COMMAND.to_owned()),
        },
        Goal {
            key: 'd',
            title: "Asking all counters at once",
            meaning: "One collection round over 1000 counters: asking each in turn (the article's way) \
                      against asking them all at once (ours). The ratio is the speed-up.",
            bound: d,
            checks: vec![check(
                results,
                "1000 counters",
                &ids::aggregation(sequential, 1000),
                &ids::aggregation(concurrent, 1000),
                d,
            )],
            // The goal stays on the local figures. The same ratio over a
            // slow link is printed beside it, for contrast only.
            comparison: Some(compare(
                results,
                format!("over a {link} link"),
                &ids::aggregation_remote(Collection::Sequential, 1000),
                &ids::aggregation_remote(Collection::Concurrent, 1000),
                "not a goal; see [What a question and a round cost](costs.md#aggregation-asking-many-counters) for why the two differ",
            )),
            command: Group::Aggregation.command(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::tests::measurement;

    fn results(entries: &[(&str, f64)]) -> Results {
        entries
            .iter()
            .map(|&(id, ns)| measurement(id, ns, Some(INCREMENTS)))
            .collect()
    }

    /// A ratio inside its bound is met, one outside is not, and the bound
    /// itself counts as met.
    #[test]
    fn ratios_meet_or_miss_their_bounds() {
        let results = results(&[
            ("counting/ractor/1", 50_000_000.0),
            ("counting/bare-ractor/1", 48_000_000.0),
            ("counting/ractor/2", 80_000_000.0),
            ("counting/bare-ractor/2", 50_000_000.0),
            ("counting/ractor/4", 55_000_000.0),
            ("counting/bare-ractor/4", 50_000_000.0),
        ]);
        let ractor = TargetKind::Design(Design::Ractor);
        let checks =
            per_producer_checks(&results, ractor, TargetKind::BareRactor, Bound::AtMost(1.1));
        let verdicts: Vec<Verdict> = checks.iter().map(|c| c.verdict).collect();
        assert_eq!(
            verdicts,
            [
                Verdict::Met,
                Verdict::NotMet,
                Verdict::Met,
                Verdict::NotMeasured
            ]
        );
        let ratio = checks[1].ratio.unwrap();
        assert!((ratio - 1.6).abs() < 1e-12);
    }

    /// A speed-up goal is met from its bound upwards.
    #[test]
    fn speed_ups_must_reach_their_bound() {
        assert!(Bound::AtLeast(20.0).holds(20.0));
        assert!(Bound::AtLeast(20.0).holds(35.0));
        assert!(!Bound::AtLeast(20.0).holds(19.9));
        assert_eq!(Bound::AtLeast(20.0).to_string(), "≥ 20×");
        assert_eq!(Bound::AtMost(1.1).to_string(), "≤ 1.1×");
    }

    /// Goal (c) compares per increment, so a batching result that saved no
    /// throughput still compares with the mutex's 1,000,000 increments.
    #[test]
    fn goal_c_compares_per_increment() {
        let mut results = results(&[("counting/mutex/4", 20_000_000.0)]);
        results.insert(measurement("batching/batch-256/4", 50_000_000.0, None));
        let goals = evaluate(&results);
        let check = &goals[2].checks[0];
        assert_eq!(check.verdict, Verdict::Met);
        assert!((check.ratio.unwrap() - 2.5).abs() < 1e-12);
    }

    /// With no results, every check of every goal is "not measured" and
    /// names both missing IDs; none is met by default.
    #[test]
    fn missing_results_are_not_measured() {
        let goals = evaluate(&Results::new());
        assert_eq!(goals.len(), 4);
        let checks: Vec<&Check> = goals.iter().flat_map(|g| &g.checks).collect();
        assert_eq!(checks.len(), 10);
        for check in checks {
            assert_eq!(check.verdict, Verdict::NotMeasured);
            assert_eq!(check.ratio, None);
            assert_eq!(
                check.missing,
                [check.numerator.clone(), check.denominator.clone()]
            );
        }
    }

    /// Goal (d) is a speed-up: sequential over concurrent, at least 20.
    #[test]
    fn goal_d_is_a_speed_up() {
        let mut results = Results::new();
        results.insert(measurement(
            "aggregation/sequential/1000",
            30_000_000.0,
            None,
        ));
        results.insert(measurement(
            "aggregation/concurrent/1000",
            1_000_000.0,
            None,
        ));
        let goal = &evaluate(&results)[3];
        assert_eq!(goal.checks[0].verdict, Verdict::Met);
        results.insert(measurement(
            "aggregation/concurrent/1000",
            2_000_000.0,
            None,
        ));
        let goal = &evaluate(&results)[3];
        assert_eq!(goal.checks[0].verdict, Verdict::NotMet);
        assert_eq!(goal.checks[0].ratio, Some(15.0));
    }

    /// Goal (d)'s comparison over a slow link reports its ratio but is no
    /// check: it has no verdict, and the goal's checks do not change.
    #[test]
    fn goal_d_compares_over_a_slow_link_without_checking() {
        let goal = &evaluate(&Results::new())[3];
        let comparison = goal.comparison.as_ref().unwrap();
        assert_eq!(comparison.ratio, None);
        assert_eq!(comparison.numerator, "aggregation_remote/sequential/1000");

        let results: Results = [
            ("aggregation/sequential/1000", 5_000_000.0),
            ("aggregation/concurrent/1000", 1_000_000.0),
            ("aggregation_remote/sequential/1000", 2_000_000_000.0),
            ("aggregation_remote/concurrent/1000", 4_000_000.0),
        ]
        .iter()
        .map(|&(id, ns)| measurement(id, ns, Some(1000)))
        .collect();
        let goal = &evaluate(&results)[3];
        assert_eq!(goal.checks.len(), 1);
        assert_eq!(goal.checks[0].verdict, Verdict::NotMet);
        assert_eq!(goal.comparison.as_ref().unwrap().ratio, Some(500.0));
        let others = evaluate(&results);
        assert!(others[..3].iter().all(|g| g.comparison.is_none()));
    }
}
