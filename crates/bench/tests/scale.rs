//! The `scale` binary, run as `just scale` runs it, on tiny sizes.

use std::process::{Command, Output};

use actors_core::Design;
use bench::ScaleFigures;
use bench::scale::{OPS_PER_CLIENT, Outcome};

fn scale(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scale"))
        .args(args)
        .output()
        .expect("the scale binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Each design and size asked for is one run, in that order, each in a
/// child of its own; the totals are the workload's exactly, every phase
/// took some time, the JSON names the command with its flags, and on
/// Linux each run has a peak above what it started with.
#[test]
fn runs_each_case_and_checks_its_totals() {
    let output = scale(&["--designs", "ractor,mutex", "--sizes", "100,50"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let figures = ScaleFigures::from_json(&text(&output.stdout)).expect("the binary's JSON");
    assert_eq!(
        figures.command,
        "cargo run --release -p bench --bin scale -- --designs ractor,mutex --sizes 100,50"
    );
    let cases: Vec<(Design, usize)> = figures
        .runs
        .iter()
        .map(|r| (r.design, r.counters))
        .collect();
    assert_eq!(
        cases,
        [
            (Design::Ractor, 100),
            (Design::Ractor, 50),
            (Design::Mutex, 100),
            (Design::Mutex, 50)
        ]
    );
    for run in &figures.runs {
        let Outcome::Ran(measured) = &run.outcome else {
            panic!("{} at {} did not run", run.design, run.counters);
        };
        let workload = bench::scale::workload(run.counters);
        assert!(measured.exact, "{}: {measured:?}", run.design);
        assert_eq!(measured.total_value, workload.expected_total_value());
        assert_eq!(
            measured.total_operations,
            run.counters as u64 * OPS_PER_CLIENT
        );
        assert!(measured.phases.total() > 0.0);
        if cfg!(target_os = "linux") {
            let memory = measured.memory.expect("Linux reports VmHWM");
            assert!(memory.peak >= memory.before && memory.before > 0);
        }
    }
}

/// An unknown design, a size of zero, above the limit, or not a number is
/// refused with exit code 2 and says why, before anything runs.
#[test]
fn refuses_impossible_flags() {
    for (args, why) in [
        (
            &["--designs", "actor"][..],
            "there is no design called \"actor\"",
        ),
        (&["--sizes", "0"][..], "must be 1 to 10000000, not 0"),
        (&["--sizes", "10,100000000"][..], "not 100000000"),
        (&["--sizes", "many"][..], "\"many\" is not a whole number"),
        (&["--sise", "10"][..], "unexpected argument"),
    ] {
        let output = scale(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}: no figures");
        let stderr = text(&output.stderr);
        assert!(stderr.contains(why), "{args:?}: {stderr}");
    }
}
