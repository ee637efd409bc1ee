//! The counters page: what starting a system of counters costs, what
//! each idle counter holds on the heap, and how far the designs scale.

use bench::ids::{Group, MEMORY_COMMAND, SPAWNED};
use bench::memory::MemoryFigures;
use bench::scale::{SCALE_COMMAND, ScaleFigures};

use super::{Page, PageInput, opening};
use crate::results::Results;
use crate::{cluster_memory, scale, tables};

/// The page's file name.
pub const PAGE: &str = "bench-results-counters.md";

/// The whole page.
pub(super) fn render(input: &PageInput<'_>) -> String {
    let mut page = Page::default();
    opening(
        &mut page,
        input,
        "Results: starting and keeping counters",
        "in this run, what did it cost to start a system of counters in each design, and \
         how many heap bytes does one idle counter hold?",
    );
    spawn(&mut page, input.results);
    memory(&mut page, input.memory);
    without_cluster(&mut page, input);
    scale_section(&mut page, input.scale);
    page.what_to_try(&[
        "Read [What a counter costs](costs-counters.md) for what a ractor actor holds that a \
         mutex does not, and why the lock-based start times measure the allocator.",
        "Run the memory binary with fewer counters, \
         `cargo run --release -p bench --bin memory -- 100`, and compare the table above.",
    ]);
    page.finish()
}

fn spawn(page: &mut Page, results: &Results) {
    page.heading(2, "Spawn");
    page.paragraph(format!(
        "Starting a whole system of {} counters, once per iteration.",
        tables::thousands(SPAWNED)
    ));
    page.table(&tables::spawn(results));
    page.command(&Group::Spawn.command());
}

fn memory(page: &mut Page, memory: Option<&MemoryFigures>) {
    page.heading(2, "Memory");
    page.paragraph(
        "Heap bytes that one idle counter holds: a system of N counters minus a system of none, \
         divided by N, counted by an instrumented global allocator. Time is not involved, so \
         criterion does not measure it.",
    );
    match memory {
        Some(figures) => {
            page.paragraph(format!(
                "N = {} counters per design.",
                tables::thousands(figures.counters)
            ));
            page.table(&tables::memory(Some(figures)));
            page.command(MEMORY_COMMAND);
            if !figures.ractor_parts.is_empty() {
                page.paragraph(
                    "Where a ractor counter's bytes go: each part measured alone, over as many \
                     of it, and what each bigger whole adds to the parts inside it.",
                );
                page.table(&scale::ractor_bytes(Some(figures)));
                page.command(MEMORY_COMMAND);
            }
        }
        None => page.paragraph(format!(
            "Not included in this report. Run `{MEMORY_COMMAND} > target/bench-memory.json`, and \
             pass the file to the report with `--memory target/bench-memory.json`."
        )),
    }
}

/// The memory figures of the build without ractor's `cluster` feature,
/// beside the default build's, if the report was given them.
fn without_cluster(page: &mut Page, input: &PageInput<'_>) {
    if input.memory_without_cluster.is_none() {
        return;
    }
    page.paragraph(
        "The figures above are the default build's, with ractor's `cluster` feature, which \
         gives every mailbox slot room for a serialized message. The same binary, built \
         without it:",
    );
    let table = cluster_memory::table(input.memory, input.memory_without_cluster);
    page.table(&table);
    page.command(&cluster_memory::commands());
}

fn scale_section(page: &mut Page, figures: Option<&ScaleFigures>) {
    page.heading(2, "Scale");
    page.paragraph(
        "The demo's workload (10 operations per client, 1 ms apart on tokio's paused clock) \
         at each size, each run in a process of its own: seconds of real time per phase, and \
         the process's peak resident memory.",
    );
    match figures {
        Some(figures) => {
            page.table(&scale::table(figures));
            page.paragraph(scale::goal(Some(figures)));
            page.command(&figures.command);
        }
        None => page.paragraph(format!(
            "Not included in this report. Run `just scale` (`{SCALE_COMMAND}`, minutes) and \
             then `just bench-report`."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::tests::{input, machine};
    use actors_core::Design;
    use bench::memory::DesignBytes;

    /// With nothing measured, both sections are there, and the memory
    /// section says how to include its figures.
    #[test]
    fn an_empty_run_says_how_to_add_memory() {
        let machine = machine();
        let text = render(&input(&Results::new(), &machine, None));
        assert!(text.starts_with("# Results: starting and keeping counters\n"));
        for heading in ["## Spawn", "## Memory", "## Scale", "## What to try"] {
            assert!(text.contains(&format!("\n{heading}\n")), "no {heading}");
        }
        assert!(text.contains("| `ractor` | – | – |"));
        assert!(text.contains(
            "Not included in this report. Run `cargo run --release -p bench --bin memory"
        ));
        assert!(text.contains("Not included in this report. Run `just scale`"));
    }

    /// Memory figures become a table with a row for every design, and a
    /// design the file lacks is a dash.
    #[test]
    fn memory_figures_are_a_table() {
        let figures = MemoryFigures {
            cluster: Some(true),
            counters: 10_000,
            designs: vec![DesignBytes {
                design: Design::Ractor,
                bytes_per_counter: 7723.4,
            }],
            ractor_parts: Vec::new(),
        };
        let machine = machine();
        let text = render(&input(&Results::new(), &machine, Some(&figures)));
        assert!(text.contains(
            "N = 10,000 counters per design.\n\n\
             | Design | Heap bytes per idle counter |\n| :--- | ---: |\n| `ractor` | 7723 |\n\
             | `handrolled` | – |"
        ));
        assert!(text.contains("Command: `cargo run --release -p bench --bin memory`"));
    }

    /// The figures of the build without ractor's `cluster` feature come
    /// after the default build's, with both commands, and only if given.
    #[test]
    fn the_build_without_cluster_is_compared_if_given() {
        let figures = |cluster, bytes| MemoryFigures {
            cluster: Some(cluster),
            counters: 10,
            designs: vec![DesignBytes {
                design: Design::Ractor,
                bytes_per_counter: bytes,
            }],
            ractor_parts: Vec::new(),
        };
        let (on, off) = (figures(true, 12_000.0), figures(false, 8_000.0));
        let (machine, results) = (machine(), Results::new());
        let mut both = input(&results, &machine, Some(&on));
        both.memory_without_cluster = Some(&off);
        let text = render(&both);
        assert!(text.contains(
            "| one idle ractor counter | `ractor` (memory table) | 12000 | 8000 | 4000 | 1.50× |"
        ));
        assert!(text.contains("--no-default-features --features span-propagation --bin memory`"));
        let alone = render(&input(&results, &machine, Some(&on)));
        assert!(!alone.contains("Cluster off"));
    }
}
