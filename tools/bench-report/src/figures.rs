//! The figures the chapters quote, as one file of anchored parts.
//!
//! A chapter never retypes a number: it includes it, as mdBook includes
//! code, with `{{#include bench-figures.txt:NAME}}`. Each part sits between
//! `<!-- ANCHOR: NAME -->` and `<!-- ANCHOR_END: NAME -->` lines, which
//! mdBook finds in any file. A table part ends with the command that
//! produces it; a single figure is one line with its unit, so it can stand
//! inside a sentence or a table cell.
//!
//! Names: a benchmark's figure is its ID with `/` turned into `_`
//! (`counting_ractor_1`), in the unit its group counts in (per increment,
//! per question, per round, per counter). Goal checks are `goal_a_1` (goal
//! a at 1 producer) and `goal_a_1_verdict`; memory is `memory_<design>`;
//! a supervision ratio is `supervision_ratio_<top>_<producers>`; a feature's
//! table and ratios are `spans_table`, `spans_ratio_<target>`, and
//! `cluster_feature_table`, `cluster_feature_ratio_<target>`, with
//! `cluster_feature_ratio` in a sentence with its commands and machine; the
//! scale figures are `scale_table`, `scale_goal` and `ractor_bytes`, the
//! backlog's `backlog_setup`, `backlog_table` and `backlog_ratio`, and the
//! remote binary's `remote_setup`, `remote_table` and `remote_ratio`, each
//! with the machine it ran on; memory with the cluster feature and without
//! is `cluster_memory`.

use std::fmt::Write as _;

use actors_core::Design;
use bench::DeliveryKind;
use bench::backlog::BACKLOG_COMMAND;
use bench::ids::{
    self, BenchId, FEATURE_TARGETS, Feature, Group, MEMORY_COMMAND, PRODUCERS, Round, Switch,
};
use bench::scale::SCALE_COMMAND;

use crate::backlog;
use crate::cluster_memory;
use crate::format::{self, MISSING};
use crate::goals::{self, ratio};
use crate::machine::Machine;
use crate::page::PageInput;
use crate::remote;
use crate::results::{Measurement, Results};
use crate::scale;
use crate::tables::{self, COLLECTIONS, Table};

/// The name of the figures file inside the output directory.
pub const FIGURES: &str = "bench-figures.txt";

/// The whole file, made from what the page is made from.
pub fn render(input: &PageInput<'_>) -> String {
    let results = input.results;
    let mut file = Parts::default();
    file.text(
        "Figures for the book's chapters, written by `just bench-report` (tools/bench-report)\n\
         from the results of `just bench`, beside bench-results.md. Do not edit by hand:\n\
         a chapter includes each part by its anchor.",
    );

    file.text("Where and when.");
    file.part("machine", &input.machine.to_string());
    file.part("date", &input.date.to_string());

    file.text("Tables, each with the command that produces it.");
    let counting = Group::Counting.command();
    file.table(
        "counting_one_producer",
        &tables::one_producer(results),
        &counting,
    );
    file.table(
        "counting_table",
        &tables::counting(&|id| tables::cell(results, id, tables::per_increment)),
        &counting,
    );
    file.table(
        "counting_one_worker_table",
        &tables::one_worker(results),
        &Group::CountingOneWorker.command(),
    );
    file.table(
        "batching_table",
        &tables::batching(results),
        &batching_command(),
    );
    file.table(
        "requests_table",
        &tables::requests(results),
        &Group::RequestResponse.command(),
    );
    let supervision = Group::Supervision.command();
    file.table(
        "supervision_table",
        &tables::delivery(results),
        &supervision,
    );
    file.table(
        "supervision_ratio",
        &tables::delivery_ratios(results),
        &supervision,
    );
    file.table(
        "aggregation_1000",
        &tables::rounds(results, &Round::ALL, &[1000], &ids::aggregation, 1000.0),
        &Group::Aggregation.command(),
    );
    file.table(
        "aggregation_remote_1000",
        &tables::rounds(results, &COLLECTIONS, &[1000], &tables::remote_id, 1e6),
        &Group::AggregationRemote.command(),
    );
    file.table(
        "start_and_memory",
        &tables::start_and_memory(results, input.memory),
        &format!("{}` and `{MEMORY_COMMAND}", Group::Spawn.command()),
    );
    for feature in Feature::ALL {
        file.table(
            &format!("{}_table", prefix(feature)),
            &tables::built_with(results, feature),
            &both_commands(feature),
        );
    }

    file.text("Goals: each check's ratio and verdict, as on the results page.");
    for goal in goals::evaluate(results) {
        for check in &goal.checks {
            let name = format!("goal_{}_{}", goal.key, first_number(&check.setting));
            file.part(
                &name,
                &check.ratio.map_or(MISSING.to_owned(), format::ratio),
            );
            file.part(&format!("{name}_verdict"), &check.verdict.to_string());
        }
        if let Some(comparison) = &goal.comparison {
            let name = format!("goal_{}_link", goal.key);
            file.part(
                &name,
                &comparison.ratio.map_or(MISSING.to_owned(), format::ratio),
            );
        }
    }

    file.text(
        "Features that change how ractor is built, each on ÷ off: span propagation, then\n\
         ractor's `cluster` feature; per target, then the cluster pair in a sentence.",
    );
    for feature in Feature::ALL {
        let mut sentence = Vec::new();
        for kind in FEATURE_TARGETS {
            let on = ids::feature(feature, kind, Switch::On);
            let off = ids::feature(feature, kind, Switch::Off);
            let figure = ratio(results, &on, &off).map_or(MISSING.to_owned(), format::ratio);
            sentence.push(format!("{figure} for `{}`", kind.name()));
            file.part(
                &format!("{}_ratio_{}", prefix(feature), kind.name()),
                &figure,
            );
        }
        if feature == Feature::Cluster {
            file.part(
                "cluster_feature_ratio",
                &format!(
                    "cluster on ÷ off: {}, in ns per increment with one producer (`{}`, on {})",
                    sentence.join(", "),
                    both_commands(feature),
                    input.machine
                ),
            );
        }
    }

    file.text(
        "Supervision, at each producer count: acknowledged ÷ fire-and-forget (the answer),\n\
         fire-and-forget ÷ unsupervised (numbers and checkpoints).",
    );
    let [acknowledged, fire_and_forget, unsupervised] = DeliveryKind::ALL;
    for producers in PRODUCERS {
        for (top, bottom) in [
            (acknowledged, fire_and_forget),
            (fire_and_forget, unsupervised),
        ] {
            let (top, bottom) = (
                ids::delivery(top, producers),
                ids::delivery(bottom, producers),
            );
            file.part(
                &format!("supervision_ratio_{}_{producers}", top.function()),
                &ratio(results, &top, &bottom).map_or(MISSING.to_owned(), format::ratio),
            );
        }
    }

    file.text("Memory: heap bytes per idle counter.");
    file.part(
        "memory_counters",
        &input
            .memory
            .map_or(MISSING.to_owned(), |m| tables::thousands(m.counters)),
    );
    for design in Design::ALL {
        let bytes = tables::bytes(input.memory, design);
        let text = if bytes == MISSING {
            bytes
        } else {
            format!("{bytes} bytes")
        };
        file.part(&format!("memory_{}", design.name()), &text);
    }
    file.table_on(
        "cluster_memory",
        &cluster_memory::table(input.memory, input.memory_without_cluster),
        &cluster_memory::commands(),
        input.machine,
    );

    file.text(
        "How many actors fit: the scale binary's runs, the goal, and where a ractor\n\
         counter's heap bytes go.",
    );
    let scale_command = input.scale.map_or(SCALE_COMMAND, |s| s.command.as_str());
    match input.scale {
        Some(figures) => file.table_on(
            "scale_table",
            &scale::table(figures),
            scale_command,
            input.machine,
        ),
        None => file.part("scale_table", MISSING),
    }
    file.part(
        "scale_goal",
        &format!(
            "{} (`{scale_command}`, on {})",
            scale::goal(input.scale),
            input.machine
        ),
    );
    file.table_on(
        "ractor_bytes",
        &scale::ractor_bytes(input.memory),
        MEMORY_COMMAND,
        input.machine,
    );

    file.text(
        "Backlog: clients that outrun a slow counter, once per mailbox policy, on a paused\n\
         clock; peak heap is live heap bytes above the start, sampled.",
    );
    let backlog_command = input
        .backlog
        .map_or(BACKLOG_COMMAND, |b| b.command.as_str());
    match input.backlog {
        Some(figures) => {
            file.part("backlog_setup", &backlog::setup(figures));
            file.table_on(
                "backlog_table",
                &backlog::table(figures),
                backlog_command,
                input.machine,
            );
        }
        None => {
            file.part("backlog_setup", MISSING);
            file.part("backlog_table", MISSING);
        }
    }
    file.part(
        "backlog_ratio",
        &format!(
            "{} (`{backlog_command}`, on {})",
            backlog::ratio(input.backlog),
            input.machine
        ),
    );

    file.text(
        "Remote against local: a node's counter in a second process, over loopback, and the\n\
         same counter in the sender's process; medians of one run's rounds.",
    );
    match input.remote {
        Some(figures) => {
            file.part("remote_setup", &remote::setup(figures));
            file.table_on(
                "remote_table",
                &remote::table(figures),
                &figures.command,
                &figures.machine,
            );
        }
        None => {
            file.part("remote_setup", MISSING);
            file.part("remote_table", MISSING);
        }
    }
    file.part("remote_ratio", &remote::ratio(input.remote));

    file.text(
        "One figure per benchmark, in its group's unit: per increment (counting, batching,\n\
         span_propagation, cluster_feature, supervision), per question (request_response), per round\n\
         (aggregation, aggregation_remote), per counter (spawn).",
    );
    for id in ids::registered() {
        file.part(&anchor(&id), &figure(results, &id));
    }
    file.finish()
}

/// The anchor of a benchmark's figure: its ID with `/` turned into `_`.
pub fn anchor(id: &BenchId) -> String {
    id.to_string().replace('/', "_")
}

/// One benchmark's figure in its group's unit, with the unit, or a dash.
fn figure(results: &Results, id: &BenchId) -> String {
    let per = |m: &Measurement| match id.group() {
        Group::Counting
        | Group::CountingOneWorker
        | Group::Batching
        | Group::SpanPropagation
        | Group::ClusterFeature => tables::per_increment(m).value,
        Group::Supervision => tables::per_operation(m).value,
        Group::Spawn => m.per_iteration().value / ids::SPAWNED as f64,
        Group::RequestResponse | Group::Aggregation | Group::AggregationRemote => {
            m.per_iteration().value
        }
    };
    results
        .read(id)
        .map_or(MISSING.to_owned(), |m| format::duration(per(m)))
}

/// What a feature's anchors begin with: `spans_table`,
/// `cluster_feature_ratio_ractor`.
fn prefix(feature: Feature) -> &'static str {
    match feature {
        Feature::SpanPropagation => "spans",
        Feature::Cluster => Group::ClusterFeature.name(),
    }
}

/// The two builds' commands, as the text between a pair of backticks.
fn both_commands(feature: Feature) -> String {
    format!(
        "{}` and `{}",
        feature.command(Switch::On),
        feature.command(Switch::Off)
    )
}

/// The batching table's command: the batches, and the two counting
/// results they are compared with.
fn batching_command() -> String {
    let mut shown: Vec<BenchId> = ids::BATCHES.map(ids::batching).to_vec();
    shown.extend(
        [Design::Ractor, Design::Mutex].map(|design| {
            ids::counting(bench::TargetKind::Design(design), ids::BATCHING_PRODUCERS)
        }),
    );
    ids::command_for(&shown).unwrap_or_else(|| ids::ALL_COMMAND.to_owned())
}

/// `4` from `4 producers`, `1000` from `1000 counters`.
fn first_number(setting: &str) -> &str {
    setting.split(' ').next().unwrap_or(setting)
}

/// The file under construction.
#[derive(Debug, Default)]
struct Parts {
    text: String,
}

impl Parts {
    /// A line or two between parts, for whoever opens the file.
    fn text(&mut self, text: &str) {
        if !self.text.is_empty() && !self.text.ends_with("\n\n") {
            self.text.push('\n');
        }
        let _ = writeln!(self.text, "{text}\n");
    }

    /// One anchored part.
    fn part(&mut self, name: &str, body: &str) {
        let _ = writeln!(
            self.text,
            "<!-- ANCHOR: {name} -->\n{body}\n<!-- ANCHOR_END: {name} -->"
        );
    }

    /// A table, then the command that produces it.
    fn table(&mut self, name: &str, table: &Table, command: &str) {
        let body = format!("{}\n\nCommand: `{command}`", table.to_markdown());
        self.part(name, &body);
    }

    /// A table, then the command that produces it and the machine it ran on.
    fn table_on(&mut self, name: &str, table: &Table, command: &str, machine: &Machine) {
        let body = format!(
            "{}\n\nCommand: `{command}`, on {machine}.",
            table.to_markdown()
        );
        self.part(name, &body);
    }

    fn finish(self) -> String {
        format!("{}\n", self.text.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page;
    use crate::results::tests::measurement;
    use bench::INCREMENTS;

    fn render_with(results: &Results) -> String {
        render(&page::tests::input(results, &page::tests::machine(), None))
    }

    /// The part between two anchors of `name`, as mdBook would include it.
    fn part<'a>(file: &'a str, name: &str) -> &'a str {
        let start = format!("<!-- ANCHOR: {name} -->\n");
        let end = format!("\n<!-- ANCHOR_END: {name} -->");
        let from = file.find(&start).map(|i| i + start.len()).unwrap();
        let to = from + file[from..].find(&end).unwrap();
        &file[from..to]
    }

    /// A single figure is one line with its unit, so it can stand in a
    /// sentence; a missing one is a dash.
    #[test]
    fn figures_are_one_line_with_a_unit() {
        let results: Results = [
            measurement("counting/ractor/1", 259_000_000.0, Some(INCREMENTS)),
            measurement("aggregation/sequential/1000", 1_310_000.0, Some(1000)),
            measurement("spawn/ractor/10000", 126_000_000.0, Some(10_000)),
        ]
        .into_iter()
        .collect();
        let file = render_with(&results);
        assert_eq!(part(&file, "counting_ractor_1"), "259 ns");
        assert_eq!(part(&file, "aggregation_sequential_1000"), "1.31 ms");
        assert_eq!(part(&file, "spawn_ractor_10000"), "12.6 µs");
        assert_eq!(part(&file, "counting_mutex_1"), MISSING);
        assert_eq!(
            part(&file, "machine"),
            "Test CPU, 2 logical cores, linux x86_64"
        );
        assert_eq!(part(&file, "memory_ractor"), MISSING);
    }

    /// Goal checks carry their ratio and verdict, and tables end with the
    /// command that produces them.
    #[test]
    fn goals_and_tables_are_parts_too() {
        let results: Results = [
            measurement("counting/ractor/1", 99_000_000.0, Some(INCREMENTS)),
            measurement("counting/bare-ractor/1", 100_000_000.0, Some(INCREMENTS)),
        ]
        .into_iter()
        .collect();
        let file = render_with(&results);
        assert_eq!(part(&file, "goal_a_1"), "0.990×");
        assert_eq!(part(&file, "goal_a_1_verdict"), "met");
        assert_eq!(part(&file, "goal_d_1000_verdict"), "not measured");
        assert!(part(&file, "requests_table").ends_with(
            "\n\nCommand: `cargo bench -p bench --bench request_response -- request_response/`"
        ));
        assert!(part(&file, "batching_table").contains(
            "Command: `cargo bench -p bench --bench counting -- \
             '^(batching/batch-1/4|batching/batch-16/4|batching/batch-256/4|counting/ractor/4|counting/mutex/4)$'`"
        ));
    }

    /// Every anchor opens once and closes once: mdBook would otherwise
    /// include the wrong lines, or none.
    #[test]
    fn every_anchor_is_unique_and_closed() {
        let file = render_with(&Results::new());
        let opened: Vec<&str> = file
            .lines()
            .filter_map(|l| l.strip_prefix("<!-- ANCHOR: "))
            .collect();
        let closed: Vec<&str> = file
            .lines()
            .filter_map(|l| l.strip_prefix("<!-- ANCHOR_END: "))
            .collect();
        assert_eq!(opened, closed);
        let unique: std::collections::BTreeSet<&&str> = opened.iter().collect();
        assert_eq!(unique.len(), opened.len());
        assert!(opened.len() > ids::registered().len());
    }
}
