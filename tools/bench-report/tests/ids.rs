//! The report and the bench programs share one list of benchmarks,
//! `bench::ids`. These tests hold the report to it.
//!
//! What they guarantee: every ID the results pages, the goals, the charts
//! and the book's figures look up is an ID that `bench::ids` lists as
//! registered, and every registered ID has a place in the report. The bench
//! programs register only through `bench::ids` (each loops over its lists,
//! and a `Registrar` takes nothing but a `BenchId`), so a renamed or
//! dropped benchmark changes both sides or fails here. What they do not
//! guarantee: that a program really runs every case its list holds; `cargo
//! bench -p bench -- --test` runs each one, and a case it skipped would
//! show as a dash.

use std::collections::BTreeSet;

use bench::ids::{self, BenchId};
use bench_report::machine::Machine;
use bench_report::programs::Programs;
use bench_report::results::Results;
use jiff::civil::date;

/// Everything the report reads, with nothing measured.
fn read_by_the_report(results: &Results) -> BTreeSet<String> {
    let machine = Machine {
        cpu: "Test CPU".to_owned(),
        cores: Some(2),
        os: "linux".to_owned(),
        arch: "x86_64".to_owned(),
    };
    let files = bench_report::make(results, &Programs::default(), &machine, date(2025, 1, 2));
    assert!(files.unwrap().len() >= 5, "the pages and the figures file");
    results.read_ids()
}

fn registered() -> BTreeSet<String> {
    ids::registered().iter().map(BenchId::to_string).collect()
}

/// Every ID the report reads is registered by a bench program: no section
/// of the pages can wait for a result that no benchmark will ever save.
#[test]
fn every_id_the_report_reads_is_registered() {
    let read = read_by_the_report(&Results::default());
    let unregistered: Vec<String> = read.difference(&registered()).cloned().collect();
    assert!(
        unregistered.is_empty(),
        "the report reads IDs no bench registers: {unregistered:?}"
    );
}

/// Every registered benchmark has a place in the report, so none of them
/// is measured only to land in "Other measurements".
#[test]
fn every_registered_id_has_a_place() {
    let read = read_by_the_report(&Results::default());
    let unread: Vec<String> = registered().difference(&read).cloned().collect();
    assert!(unread.is_empty(), "registered but never shown: {unread:?}");
}

/// The check above can fail: a lookup of an ID that no program registers
/// (a batch size the batching group does not run) is caught.
#[test]
fn a_stray_lookup_is_caught() {
    let results = Results::default();
    read_by_the_report(&results);
    results.read(&ids::batching(64));
    let stray: Vec<String> = results
        .read_ids()
        .difference(&registered())
        .cloned()
        .collect();
    assert_eq!(stray, ["batching/batch-64/4"]);
}
