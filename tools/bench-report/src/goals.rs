//! The four goals set for the designs, each a bound on a ratio of two
//! results, checked at each setting where it applies. The results page
//! says what each goal means; the parts here give the checks, their
//! verdicts, and a count of them.

use actors_core::Design;
use bench::ids::{self, BenchId, Group, PRODUCERS, Round};
use bench::{Collection, TargetKind};

use crate::benches::{link_delay, ratio};
use crate::format::{code, maybe_ratio, producers};
use crate::parts::Parts;
use crate::results::Results;

/// One check of a goal: its setting, and the two results it divides.
type Check = (String, BenchId, BenchId);

/// Each goal: its key, whether the ratio must stay at most (or at least)
/// its limit, the limit, its checks, and the command that reruns them.
fn goals() -> [(char, bool, f64, Vec<Check>, String); 4] {
    let [ractor, handrolled, mutex] =
        [Design::Ractor, Design::HandRolled, Design::Mutex].map(TargetKind::Design);
    let check = |setting: String, top, bottom| (setting, top, bottom);
    let a = PRODUCERS.map(|p| {
        let [top, bottom] = [ractor, TargetKind::BareRactor].map(|kind| ids::counting(kind, p));
        check(producers(p), top, bottom)
    });
    // With 2 or more producers, goal (b) reads the runs on one worker
    // thread: see "The two speeds of a channel".
    let b = PRODUCERS.map(|p| {
        let id = if p == 1 {
            ids::counting
        } else {
            ids::one_worker
        };
        check(producers(p), id(handrolled, p), id(TargetKind::RawMpsc, p))
    });
    let c = [check(
        producers(4),
        ids::batching(256),
        ids::counting(mutex, 4),
    )];
    let [sequential, concurrent] =
        Collection::ALL.map(|how| ids::aggregation(Round::Collect(how), 1000));
    let d = [check("1000 counters".to_owned(), sequential, concurrent)];
    let only = |checks: &[Check]| {
        let pairs = checks
            .iter()
            .map(|(_, top, bottom)| [top.clone(), bottom.clone()]);
        let shown: Vec<BenchId> = pairs.flatten().collect();
        ids::command_for(&shown).unwrap_or(ids::ALL_COMMAND.to_owned())
    };
    [
        ('a', true, 1.1, a.to_vec(), Group::Counting.command()),
        ('b', true, 1.3, b.to_vec(), only(&b)),
        ('c', true, 3.0, c.to_vec(), only(&c)),
        ('d', false, 20.0, d.to_vec(), Group::Aggregation.command()),
    ]
}

/// Every goal's parts: `goal_<key>_bound`, `goal_<key>_checks` (a list,
/// then the command), and per check `goal_<key>_<n>` (its ratio) and
/// `goal_<key>_<n>_verdict`, `<n>` being the setting's number; then
/// `goals_summary`, and goal (d)'s comparison over the slow link.
pub fn add(results: &Results, parts: &mut Parts) {
    let mut verdicts = Vec::new();
    for (key, at_most, limit, checks, command) in goals() {
        let bound = format!("{} {limit}×", if at_most { "≤" } else { "≥" });
        let mut lines = Vec::new();
        for (setting, top, bottom) in &checks {
            let ratio = ratio(results, top, bottom);
            let verdict = match ratio {
                Some(r) if r == limit || (r < limit) == at_most => "met",
                Some(_) => "not met",
                None => "not measured",
            };
            let number = setting.split(' ').next().unwrap_or_default();
            let name = format!("goal_{key}_{number}");
            parts.add(&name, maybe_ratio(ratio));
            parts.add(format!("{name}_verdict"), verdict);
            let division = format!("{} ÷ {}", code(&top.to_string()), code(&bottom.to_string()));
            let missing = [top, bottom]
                .into_iter()
                .filter(|id| results.read(id).is_none());
            let missing: Vec<String> = missing.map(|id| code(&id.to_string())).collect();
            lines.push(match ratio {
                Some(_) => format!(
                    "- {setting}: {division} = {} (goal {bound}): **{verdict}**",
                    maybe_ratio(ratio)
                ),
                None => format!(
                    "- {setting}: {division}: **not measured**, no result for {} (goal {bound})",
                    missing.join(" or ")
                ),
            });
            verdicts.push(verdict);
        }
        parts.add(format!("goal_{key}_bound"), bound);
        let checks = format!("{}\n\nCommand: `{command}`", lines.join("\n"));
        parts.add(format!("goal_{key}_checks"), checks);
    }
    let [met, not_met, unmeasured] =
        ["met", "not met", "not measured"].map(|v| verdicts.iter().filter(|&&w| w == v).count());
    let summary = format!(
        "Checks: {met} met, {not_met} not met, {unmeasured} not measured (of {}).",
        verdicts.len()
    );
    parts.add("goals_summary", summary);

    let [sequential, concurrent] = Collection::ALL.map(|how| ids::aggregation_remote(how, 1000));
    let over_link = ratio(results, &sequential, &concurrent);
    parts.add("goal_d_link", maybe_ratio(over_link));
    let value = over_link.map_or(": not measured".to_owned(), |_| {
        format!(" = {}", maybe_ratio(over_link))
    });
    let [sequential, concurrent] = [sequential, concurrent].map(|id| code(&id.to_string()));
    let link = link_delay();
    let comparison = format!("over a {link} link: {sequential} ÷ {concurrent}{value}");
    parts.add("goal_d_comparison", comparison);
}
