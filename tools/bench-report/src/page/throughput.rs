//! The throughput page: increments flowing one way, in every design, in
//! batches, and with two features that change how ractor is built (span
//! propagation, `cluster`) on and off.

use actors_core::Design;
use bench::ids::{self, ALL_COMMAND, FEATURE_TARGETS, Feature, Group, Switch};
use bench::{SingleThreadFloor, TargetKind};

use super::{BATCHING_CHART, COUNTING_CHART, Page, PageInput, opening};
use crate::results::Results;
use crate::tables::{self, cell, code, per_increment, ratio_cell};

/// The page's file name.
pub const PAGE: &str = "bench-results-throughput.md";

/// The whole page.
pub(super) fn render(input: &PageInput<'_>) -> String {
    let mut page = Page::default();
    opening(
        &mut page,
        input,
        "Results: throughput",
        "in this run, what did one increment cost in each design, and how much did \
         batching, tracing and ractor's cluster feature change that?",
    );
    counting(&mut page, input.results);
    batching(&mut page, input.results);
    spans(&mut page, input.results);
    cluster(&mut page, input.results);
    page.what_to_try(&[
        "Read [Counting](measuring-counting.md) for what the floors are, \
         [Batching](measuring-batching.md) for why one message can carry many increments, \
         and [Span propagation](costs-counters.md#span-propagation) for why the two span \
         columns differ by more than spans.",
        "Run the spans-off command twice and see how far its column moves between the two \
         runs: a change in the on ÷ off ratio smaller than that says nothing about spans.",
        "Run the cluster-off command twice too: is the cluster feature's ratio further from 1× \
         than one build's figure moves between two runs?",
    ]);
    page.finish()
}

fn counting(page: &mut Page, results: &Results) {
    page.heading(2, "Counting");
    page.paragraph(
        "Each iteration makes 1,000,000 increments, shared among the producers. The six designs \
         come first, then the floors: the least the same work costs with none of our code in it. \
         A floor that runs on one thread has no figure past one producer. Figures are ns per \
         increment.",
    );
    let command = Group::Counting.command();
    page.table(&tables::counting(&|id| cell(results, id, per_increment)));
    page.command(&command);
    page.paragraph(
        "At 2 producers and more, the two channel rows, `handrolled` and `raw-mpsc`, run at one \
         of two speeds, and can change speed in the middle of a benchmark: the producers fight \
         over the channel from two cores, and what that costs is set by the machine at the \
         moment, not by the design. [The two speeds of a channel](measuring-two-speeds.md) \
         shows the evidence. Read those cells with their ±, and compare the two designs on one \
         worker thread, at the end of this section.",
    );

    let atomic = ids::single_thread(SingleThreadFloor::UncontendedAtomic);
    page.paragraph(format!(
        "The same, as multiples of one uncontended atomic add ({}):",
        code(&atomic.to_string())
    ));
    page.table(&tables::counting(&|id| ratio_cell(results, id, &atomic)));
    page.command(&command);

    page.paragraph(format!(
        "The same, as multiples of the bare ractor actor at the same producer count ({}):",
        code("counting/bare-ractor/P")
    ));
    page.table(&tables::counting(&|id| {
        let producers = id.value().and_then(|p| p.parse().ok()).unwrap_or(1);
        ratio_cell(
            results,
            id,
            &ids::counting(TargetKind::BareRactor, producers),
        )
    }));
    page.command(&command);

    page.image(
        "Counting throughput in million increments per second against producers, one line per design and floor",
        COUNTING_CHART,
    );
    page.command(&command);

    page.heading(3, "The channels on one worker thread");
    page.paragraph(
        "The same work into the two channel targets on a runtime of one worker thread, where \
         the producers take turns instead of sending from two cores at once; below each, its \
         figures from the table above. Goal (b) reads the one-worker figures at 2 producers \
         and more. Figures are ns per increment.",
    );
    page.table(&tables::one_worker(results));
    page.command(&Group::CountingOneWorker.command());
}

fn batching(page: &mut Page, results: &Results) {
    page.heading(2, "Batching");
    page.paragraph(format!(
        "The ractor counter fed batches: one message carries {} increments. \
         {} producers, 1,000,000 increments per iteration. Figures are ns per increment.",
        list(&ids::BATCHES.map(|b| b.to_string())),
        ids::BATCHING_PRODUCERS
    ));
    let table = tables::batching(results);
    let mut shown: Vec<ids::BenchId> = ids::BATCHES.map(ids::batching).to_vec();
    shown.extend(
        [Design::Ractor, Design::Mutex]
            .map(|design| ids::counting(TargetKind::Design(design), ids::BATCHING_PRODUCERS)),
    );
    let command = ids::command_for(&shown).unwrap_or_else(|| ALL_COMMAND.to_owned());
    page.table(&table);
    page.command(&command);
    page.image(
        "Batching: ns per increment against increments per message, with the unbatched ractor counter and the mutex design for reference",
        BATCHING_CHART,
    );
    page.command(&command);
}

/// `1, 16 or 256`.
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn spans(page: &mut Page, results: &Results) {
    page.heading(2, "Span propagation");
    page.paragraph(
        "ractor can carry the sender's tracing span along with each message (ractor's \
         `message_span_propogation` feature, in ractor's own spelling). In this workspace that \
         is the `span-propagation` feature of the `bench` crate (and of the `demo` crate it \
         turns on), on by default; `--no-default-features --features cluster` turns it off and \
         keeps the other feature. These benches count 1,000,000 increments with one producer. \
         The \"Spans on\" column comes from the normal run, \"Spans off\" from the run without \
         it. Figures are ns per increment.",
    );
    both_builds(page, results, Feature::SpanPropagation);
}

fn cluster(page: &mut Page, results: &Results) {
    page.heading(2, "The cluster feature");
    page.paragraph(
        "Building the `cluster` crate turns on ractor's own `cluster` feature, for every crate in \
         the build, and it changes how every message is sent, even one that never leaves its \
         process: ractor asks whether the actor is local or remote, and boxes the message with \
         room for a serialized form. In this workspace that is the `cluster` feature of the \
         `bench` crate (and of the `demo` crate it turns on), on by default; a build without it \
         does not compile the `cluster` crate at all. That room is in every slot of a mailbox \
         too, so the [memory](bench-results-counters.md#memory) figures, taken in the default \
         build, include it. The same two benches as for spans, both builds with spans on. \
         Figures are ns per increment.",
    );
    both_builds(page, results, Feature::Cluster);
}

/// A feature's table, a note for each build with no results, and the two
/// commands.
fn both_builds(page: &mut Page, results: &Results, feature: Feature) {
    page.table(&tables::built_with(results, feature));
    for switch in Switch::ALL {
        let measured = FEATURE_TARGETS
            .iter()
            .any(|&kind| results.read(&ids::feature(feature, kind, switch)).is_some());
        if !measured {
            page.paragraph(format!(
                "The run with {} {} is missing, so there is no ratio. Run it with `{}`.",
                feature.word(),
                switch.name(),
                feature.command(switch)
            ));
        }
    }
    for switch in Switch::ALL {
        page.paragraph(format!(
            "Command: `{}` ({} {})",
            feature.command(switch),
            feature.word(),
            switch.name()
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::tests::{input, machine};

    /// With nothing measured, every section is there, every cell is a
    /// dash, and the page says which span run is missing.
    #[test]
    fn an_empty_run_is_all_dashes() {
        let machine = machine();
        let text = render(&input(&Results::new(), &machine, None));
        assert!(text.starts_with("# Results: throughput\n"));
        for heading in [
            "## Counting",
            "## Batching",
            "## Span propagation",
            "## The cluster feature",
            "## What to try",
        ] {
            assert!(text.contains(&format!("\n{heading}\n")), "no {heading}");
        }
        assert!(text.contains("| `ractor` | – | – | – | – |"));
        assert!(text.contains("| `plain-i64` (floor) | – |  |  |  |"));
        assert!(text.contains("The run with spans on is missing"));
        assert!(text.contains("The run with spans off is missing"));
        assert!(text.contains("The run with cluster off is missing"));
        assert!(text.contains("The [Results](bench-results.md) page says how to read"));
    }

    /// A list of batch sizes reads as a sentence.
    #[test]
    fn lists_end_with_or() {
        let items = ["1", "16", "256"].map(str::to_owned);
        assert_eq!(list(&items), "1, 16 or 256");
        assert_eq!(list(&items[..1]), "1");
    }
}
