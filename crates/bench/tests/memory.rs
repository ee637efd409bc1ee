//! The `memory` binary, run as `just bench-report` runs it.

use std::process::{Command, Output};

use actors_core::Design;
use bench::MemoryFigures;
use bench::memory::Part;

fn memory(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_memory"))
        .args(args)
        .output()
        .expect("the memory binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The binary prints one figure per design, in the book's order, as JSON
/// that `bench-report` can read; every counter holds at least its own
/// figures (a `Tally` is three 8-byte numbers), and an actor holds much
/// more than that (a task and a mailbox).
#[test]
fn reports_every_design() {
    let output = memory(&["200"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let figures = MemoryFigures::from_json(&text(&output.stdout)).expect("the binary's JSON");
    assert_eq!(figures.counters, 200);
    let designs: Vec<Design> = figures.designs.iter().map(|row| row.design).collect();
    assert_eq!(designs, Design::ALL);
    for row in &figures.designs {
        assert!(
            row.bytes_per_counter >= 24.0,
            "{}: {} bytes per counter",
            row.design,
            row.bytes_per_counter
        );
    }
    let ractor = figures
        .bytes_per_counter(Design::Ractor)
        .unwrap_or_default();
    assert!(
        ractor > 1_000.0,
        "a ractor actor holds a task and mailboxes"
    );
}

/// The JSON names the build it was measured in, so that the figures of a
/// build without ractor's `cluster` feature are never taken for the
/// default build's.
#[test]
fn names_its_build() {
    let output = memory(&["10"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let figures = MemoryFigures::from_json(&text(&output.stdout)).expect("the binary's JSON");
    assert_eq!(figures.cluster, Some(actors_core::message::CLUSTER));
}

/// Every part of a ractor counter is measured, and the wholes hold more
/// than their parts: a bare actor more than a task and its two unbounded
/// channels, a counter in a system more than the counter actor alone.
#[test]
fn takes_a_ractor_counter_apart() {
    let output = memory(&["200"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let figures = MemoryFigures::from_json(&text(&output.stdout)).expect("the binary's JSON");
    let parts: Vec<Part> = figures.ractor_parts.iter().map(|row| row.part).collect();
    assert_eq!(parts, Part::ALL);
    let bytes = |part| figures.part_bytes(part).unwrap_or_default();
    assert!(bytes(Part::Task) > 0.0);
    let inside = bytes(Part::Task) + bytes(Part::Channel) + bytes(Part::SupervisionChannel);
    assert!(bytes(Part::BareActor) > inside, "{figures:?}");
    let system = figures
        .bytes_per_counter(Design::Ractor)
        .unwrap_or_default();
    assert!(system > bytes(Part::CounterActor), "{figures:?}");
}

/// A count of zero, above the limit, or not a number is refused with exit
/// code 2 and says why, before anything starts.
#[test]
fn refuses_impossible_counts() {
    for (count, why) in [
        ("0", "must be 1 to 10000000, not 0"),
        ("100000000", "must be 1 to 10000000, not 100000000"),
        ("many", "\"many\" is not a whole number"),
    ] {
        let output = memory(&[count]);
        assert_eq!(output.status.code(), Some(2), "{count}");
        assert!(
            output.stdout.is_empty(),
            "{count}: no figures for a refused count"
        );
        let stderr = text(&output.stderr);
        assert!(stderr.contains(why), "{count}: {stderr}");
    }
}

/// `demo run` refuses a run that would not fit in free memory, from its own
/// figure of bytes per counter (`demo::footprint`). That figure must never
/// be below what a counter holds, or the demo would start a run that the
/// machine then kills.
#[test]
fn the_demo_never_underestimates() {
    let output = memory(&["2000"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let figures = MemoryFigures::from_json(&text(&output.stdout)).expect("the binary's JSON");
    for row in &figures.designs {
        let assumed = demo::footprint::counter_bytes(row.design) as f64;
        assert!(
            row.bytes_per_counter <= assumed,
            "{}: {} bytes measured, the demo assumes {assumed}",
            row.design,
            row.bytes_per_counter
        );
    }
}
