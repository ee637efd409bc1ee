//! The `bench-report` binary with the figures of the bench programs (the
//! memory, scale, backlog and remote binaries): each file's anchors, and
//! the refusal of a file that is not what its name says.

mod common;

use std::fs;

use common::*;
use serde_json::json;

/// A memory file that is not the memory binary's JSON (here, the old human
/// table) stops the report before it writes anything, and says which file.
#[test]
fn a_foreign_memory_file_writes_nothing() {
    let table = "design         bytes/counter\nractor                  7700\n";
    refuses_foreign_file("memory", table, "the memory binary's figures");
}

/// Memory figures given for the wrong build (here, the default build's as
/// the build without ractor's `cluster` feature) stop the report before it
/// writes anything.
#[test]
fn a_memory_file_of_the_other_build_writes_nothing() {
    let json = r#"{"cluster": true, "counters": 10, "designs": []}"#;
    refuses_foreign_file(
        "memory-no-cluster",
        json,
        "the memory figures of the build its name says",
    );
}

/// With the memory figures of both builds, the figures hold a table of an
/// idle ractor counter and of the parts that grow with ractor's `cluster`
/// feature, in both builds, with both commands and the machine.
#[test]
fn writes_the_cluster_memory_figures() {
    let temp = scratch();
    let dir = temp.path();
    let criterion = dir.join("criterion");
    fake_criterion(&criterion);
    let json = |cluster: bool, counter: f64, actor: f64, port: f64| {
        json!({
            "cluster": cluster,
            "counters": 500,
            "designs": [{ "design": "ractor", "bytes_per_counter": counter }],
            "ractor_parts": [
                { "part": "unbounded-channel", "bytes": port },
                { "part": "bare-actor", "bytes": actor },
            ],
        })
    };
    let (on, off) = (
        program_file(dir, "memory"),
        program_file(dir, "memory-no-cluster"),
    );
    write_json(&on, &json(true, 11624.0, 11256.0, 5408.0));
    write_json(&off, &json(false, 7889.0, 7521.0, 2336.0));
    let out = dir.join("docs");
    let output = report_in(dir, &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let figures = fs::read_to_string(out.join("bench-figures.txt")).unwrap();
    let expected = "<!-- ANCHOR: cluster_memory -->\n\
        | Heap bytes of | Measured as | Cluster on | Cluster off | On − off | On ÷ off |\n\
        | :--- | :--- | ---: | ---: | ---: | ---: |\n\
        | one idle ractor counter | `ractor` (memory table) | 11624 | 7889 | 3735 | 1.47× |\n\
        | a bare ractor actor inside it | `bare-actor` | 11256 | 7521 | 3735 | 1.50× |\n\
        | its message port: an unbounded channel and its first block of slots | \
        `unbounded-channel` | 5408 | 2336 | 3072 | 2.32× |\n\n\
        Command: `cargo run --release -p bench --bin memory` and `cargo run --release -p bench \
        --no-default-features --features span-propagation --bin memory`, on ";
    assert!(
        figures.contains(expected),
        "the figures lack {expected:?}:\n{figures}"
    );
}

/// A scale file that is not the scale binary's JSON stops the report
/// before it writes anything, and says which file.
#[test]
fn a_foreign_scale_file_writes_nothing() {
    let json = r#"{"runs": "ractor, 55 s"}"#;
    refuses_foreign_file("scale", json, "the scale binary's figures");
}

/// A backlog file that is not the backlog binary's JSON (here, a mailbox
/// policy it does not know) stops the report before it writes anything.
#[test]
fn a_foreign_backlog_file_writes_nothing() {
    let json = r#"{"command": "backlog", "design": "ractor", "counters": 4, "ops_per_client": 2,
        "interval_ms": 1, "work_ms": 5, "sample_ms": 25, "runs": [{"mailbox": "drop-middle:64"}]}"#;
    refuses_foreign_file("backlog", json, "the backlog binary's figures");
}

/// With a backlog file, the figures hold its table and ratio, and the
/// chart has both panels, each with a line per mailbox in its legend.
#[test]
fn writes_the_backlog_figures_and_chart() {
    let temp = scratch();
    let dir = temp.path();
    let criterion = dir.join("criterion");
    fake_criterion(&criterion);
    let run = |mailbox: &str, heap: u64| {
        json!({
            "mailbox": mailbox, "peak_depth": 64, "peak_total_depth": 256,
            "peak_heap_bytes": heap, "sent": 8, "refused": 0, "undelivered": 0, "dropped": 0,
            "rerouted": 0, "applied": 8, "rejected": 0, "balances": true,
            "producers_done_ms": 8, "drained_ms": 40,
            "samples": [
                { "ms": 0, "depth": 0, "heap_bytes": 0 },
                { "ms": 25, "depth": 9, "heap_bytes": heap },
            ],
        })
    };
    let backlog = program_file(dir, "backlog");
    let json = json!({
        "command": "cargo run --release -p bench --bin backlog", "design": "ractor",
        "counters": 4, "ops_per_client": 2, "interval_ms": 1, "work_ms": 5, "sample_ms": 25,
        "runs": [run("unbounded", 500_000), run("block:64", 50_000)],
    });
    write_json(&backlog, &json);
    let out = dir.join("docs");
    let output = report_in(dir, &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let figures = fs::read_to_string(out.join("bench-figures.txt")).unwrap();
    assert!(figures.contains("| `block:64` | 64 | 50.0 kB | 0 | 0 | 0 | 8 | 8 | 40 |"));
    assert!(figures.contains("unbounded peaked at 500 kB of heap, 10.0× the 50.0 kB"));
    let svg = fs::read_to_string(out.join("img/bench-backlog.svg")).unwrap();
    for label in [
        "heap (kB)",
        "operations waiting, all mailboxes",
        "block:64",
        "unbounded",
    ] {
        assert!(has_text(&svg, label), "no {label} in the chart");
    }
}

/// A remote file that is not the remote binary's JSON (here, without the
/// machine it ran on) stops the report before it writes anything.
#[test]
fn a_foreign_remote_file_writes_nothing() {
    let json = r#"{"command": "remote", "casts": 10, "calls": 2, "rounds": []}"#;
    refuses_foreign_file("remote", json, "the remote binary's figures");
}

/// With a remote file, the figures hold its setup, its table of medians
/// and its ratios, with its command and the machine the file names.
#[test]
fn writes_the_remote_figures() {
    let temp = scratch();
    let dir = temp.path();
    let criterion = dir.join("criterion");
    fake_criterion(&criterion);
    let round = |local: f64, remote: f64| {
        json!({
            "local": { "cast_ns": local, "call_ns": local * 2.0 },
            "remote": { "cast_ns": remote, "call_ns": remote * 30.0 },
        })
    };
    let remote = program_file(dir, "remote");
    let json = json!({
        "command": "cargo run --release -p bench --bin remote -- --rounds 3",
        "machine": { "cpu": "Remote CPU", "cores": 4, "os": "linux", "arch": "aarch64" },
        "casts": 100000, "calls": 2000,
        "rounds": [round(500.0, 5000.0), round(450.0, 5500.0), round(550.0, 4500.0)],
    });
    write_json(&remote, &json);
    let out = dir.join("docs");
    let output = report_in(dir, &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let figures = fs::read_to_string(out.join("bench-figures.txt")).unwrap();
    for part in [
        "| `cast` (100,000 increments, then one call) | 500 ns | 5.00 µs | 10.0× |",
        "| `call` (2,000 in turn) | 1.00 µs | 150 µs | 150× |\n\n\
         Command: `cargo run --release -p bench --bin remote -- --rounds 3`, on Remote CPU, \
         4 logical cores, linux aarch64.\n<!-- ANCHOR_END: remote_table -->",
        "<!-- ANCHOR: remote_ratio -->\nremote ÷ local: 10.0× per cast, 150× per call \
         (medians of 3 rounds; `cargo run --release -p bench --bin remote -- --rounds 3`, \
         on Remote CPU, 4 logical cores, linux aarch64)\n",
        "<!-- ANCHOR: remote_setup -->\none `cluster::NodeCounter` in the sender's process",
    ] {
        assert!(
            figures.contains(part),
            "the figures lack {part:?}:\n{figures}"
        );
    }
}
