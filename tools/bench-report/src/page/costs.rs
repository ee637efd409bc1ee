//! The questions-and-rounds page: one question and its answer, every
//! increment answered, then one round over many counters, near and behind a
//! slow link.

use bench::delivery::OPERATIONS;
use bench::ids::{self, COUNTERS, Group, Round};

use super::{AGGREGATION_CHART, Page, PageInput, opening};
use crate::format;
use crate::results::Results;
use crate::tables::{self, COLLECTIONS, code};

/// The page's file name.
pub const PAGE: &str = "bench-results-costs.md";

/// The whole page.
pub(super) fn render(input: &PageInput<'_>) -> String {
    let mut page = Page::default();
    opening(
        &mut page,
        input,
        "Results: questions and rounds",
        "in this run, what did one question to a counter cost, an increment that waits for \
         its answer, and one round that asks many counters, near and over a slow link?",
    );
    request_response(&mut page, input.results);
    delivery(&mut page, input.results);
    aggregation(&mut page, input.results);
    aggregation_remote(&mut page, input.results);
    page.what_to_try(&[
        "Read [What a question and a round cost](costs.md) for why a question asked from \
         outside the runtime costs so much more, and why asking every counter at once pays \
         off when the answers wait, as they do over a slow link.",
        "Run `cargo bench -p bench --bench aggregation -- aggregation/` on a machine with \
         more cores: does the local speed-up move toward goal (d)?",
        &format!(
            "Run `{}` on a machine with more cores: does waiting for each answer still cost \
             more as producers are added?",
            Group::Supervision.command()
        ),
    ]);
    page.finish()
}

fn request_response(page: &mut Page, results: &Results) {
    page.heading(2, "Request–response");
    page.paragraph(
        "One question and its answer per iteration. In the `-call-in-runtime` functions the \
         question is asked by a task on the tokio runtime, so the caller and the counter may \
         share a worker thread. In the `-call-from-outside` functions it is asked by a thread \
         outside the runtime, which blocks on each answer with `Runtime::block_on`, so every \
         answer has to wake a parked thread. `mutex-read` and `atomic-load` read the counter on \
         the caller's own thread. Figures are ns per question.",
    );
    page.table(&tables::requests(results));
    page.command(&Group::RequestResponse.command());
}

fn delivery(page: &mut Page, results: &Results) {
    page.heading(2, "Acknowledged delivery");
    page.paragraph(format!(
        "{} increments per iteration, shared by the producers, each producer the one client of \
         a counter of its own. The supervised system takes them acknowledged (each a call that \
         waits for its answer) or fire-and-forget (each a cast); the unsupervised ractor design \
         takes them as plain casts. A run ends when every counter has answered a read. Figures \
         are ns per increment.",
        tables::thousands(OPERATIONS as usize)
    ));
    let command = Group::Supervision.command();
    page.table(&tables::delivery(results));
    page.command(&command);
    page.paragraph(
        "The two prices, from the same run: of the answer, and of the numbers and checkpoints \
         that let a restarted counter go on.",
    );
    page.table(&tables::delivery_ratios(results));
    page.command(&command);
}

fn aggregation(page: &mut Page, results: &Results) {
    page.heading(2, "Aggregation");
    page.paragraph(
        "One collection round per iteration: every counter reports once. Figures are µs per round.",
    );
    let command = Group::Aggregation.command();
    page.table(&tables::rounds(
        results,
        &Round::ALL,
        &COUNTERS,
        &ids::aggregation,
        1000.0,
    ));
    page.command(&command);
    speed_up(
        page,
        results,
        "The speed-up of asking all counters at once",
        &ids::aggregation,
        &command,
    );
    page.image(
        &format!(
            "Aggregation: µs per round against counters, log scales, one line per function, \
             and a dashed line of the same colour for each function over a {} link",
            format::link_delay()
        ),
        AGGREGATION_CHART,
    );
    page.command(&command);
}

fn aggregation_remote(page: &mut Page, results: &Results) {
    page.heading(2, "Aggregation over a slow link");
    page.paragraph(format!(
        "The same rounds as {} and {} above, but each counter sits behind a link that holds \
         every stats question back for {}, like counters on other machines. \
         Tokio's timer rounds that up, so one hop costs about 1–2 ms. The aggregation chart \
         above draws these rounds as dashed lines. Figures are ms per round.",
        code(&COLLECTIONS[0].name()),
        code(&COLLECTIONS[1].name()),
        format::link_delay(),
    ));
    let command = Group::AggregationRemote.command();
    page.table(&tables::rounds(
        results,
        &COLLECTIONS,
        &COUNTERS,
        &tables::remote_id,
        1e6,
    ));
    page.command(&command);
    speed_up(
        page,
        results,
        "The speed-up of asking all counters at once over the link",
        &tables::remote_id,
        &command,
    );
}

/// The speed-up table, sequential ÷ concurrent, with its sentence and command.
fn speed_up(
    page: &mut Page,
    results: &Results,
    sentence: &str,
    id: &dyn Fn(Round, usize) -> ids::BenchId,
    command: &str,
) {
    page.paragraph(format!(
        "{sentence}: {} ÷ {}.",
        code(&COLLECTIONS[0].name()),
        code(&COLLECTIONS[1].name())
    ));
    page.table(&tables::speed_up(results, id));
    page.command(command);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::tests::{input, machine};
    use crate::results::tests::measurement;

    /// With nothing measured, every section is there and every cell is a dash.
    #[test]
    fn an_empty_run_is_all_dashes() {
        let machine = machine();
        let text = render(&input(&Results::new(), &machine, None));
        assert!(text.starts_with("# Results: questions and rounds\n"));
        for heading in [
            "## Request–response",
            "## Acknowledged delivery",
            "## Aggregation",
            "## Aggregation over a slow link",
            "## What to try",
        ] {
            assert!(text.contains(&format!("\n{heading}\n")), "no {heading}");
        }
        assert!(text.contains("| `atomic-load` | – | – |"));
        assert!(text.contains("| 1000 | – |"));
    }

    /// Acknowledged delivery sits between the one question and the rounds,
    /// in ns per increment, with both prices taken at the same producer
    /// count.
    #[test]
    fn delivery_shows_both_prices() {
        let results: Results = [
            ("acknowledged", 300_000_000.0),
            ("fire-and-forget", 100_000_000.0),
            ("unsupervised", 50_000_000.0),
        ]
        .into_iter()
        .map(|(kind, ns)| measurement(&format!("supervision/{kind}/2"), ns, Some(OPERATIONS)))
        .collect();
        let machine = machine();
        let text = render(&input(&results, &machine, None));
        let section = |heading: &str| text.find(&format!("\n## {heading}\n")).unwrap();
        assert!(section("Request–response") < section("Acknowledged delivery"));
        assert!(section("Acknowledged delivery") < section("Aggregation"));
        for line in [
            "| `acknowledged` | supervised: a numbered call, answered after its checkpoint \
             | – | 3000 ± 30 | – | – |",
            "| `acknowledged` ÷ `fire-and-forget` | waiting for each answer | – | 3.00× | – | – |",
            "| `fire-and-forget` ÷ `unsupervised` | numbers and checkpoints | – | 2.00× | – | – |",
            "Command: `cargo bench -p bench --bench supervision -- supervision/`",
        ] {
            assert!(text.contains(line), "no {line:?}");
        }
    }

    /// The slow-link rounds come after the local ones, in ms, with their
    /// own speed-up.
    #[test]
    fn the_slow_link_follows_the_local_rounds() {
        let results: Results = [
            measurement("aggregation_remote/sequential/1000", 2_000_000_000.0, None),
            measurement("aggregation_remote/concurrent/1000", 4_000_000.0, None),
        ]
        .into_iter()
        .collect();
        let machine = machine();
        let text = render(&input(&results, &machine, None));
        let local = text.find("\n## Aggregation\n").unwrap();
        let remote = text.find("\n## Aggregation over a slow link\n").unwrap();
        assert!(local < remote);
        assert!(text[remote..].contains("| 1000 | 500× |"));
        assert!(!text[..remote].contains("500×"));
    }
}
