//! The `remote` binary, run as `just remote` runs it, on a few messages:
//! it really starts its node in a second process, connects over loopback,
//! and times both counters. Only the shape of the figures is checked here;
//! timing belongs to the run itself.

use std::process::{Command, Output};

use bench::remote::{Kind, RemoteFigures, Side};

fn remote(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_remote"))
        .args(args)
        .output()
        .expect("the remote binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Two rounds of 200 casts and 20 calls: every round has all four figures,
/// the ratios exist, and the command and the machine say where they came
/// from. Each figure passed the run's own check: every answer was the
/// number of increments sent, and the node counted every one.
#[test]
fn times_both_sides_in_two_processes() {
    let output = remote(&["--casts", "200", "--calls", "20", "--rounds", "2"]);
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("node ready on 127.0.0.1:"), "{stderr}");
    let figures = RemoteFigures::from_json(&text(&output.stdout)).expect("the binary's JSON");
    assert_eq!(
        figures.command,
        "cargo run --release -p bench --bin remote -- --casts 200 --calls 20 --rounds 2"
    );
    assert_eq!((figures.casts, figures.calls), (200, 20));
    assert_eq!(figures.rounds.len(), 2);
    for round in &figures.rounds {
        for side in Side::ALL {
            for kind in Kind::ALL {
                let ns = round.side(side).get(kind);
                assert!(ns.is_finite() && ns > 0.0, "{side:?} {kind:?}: {ns}");
            }
        }
    }
    assert!(figures.ratio(Kind::Cast).is_some());
    assert!(figures.ratio(Kind::Call).is_some());
    assert!(!figures.machine.os.is_empty());
}

/// A number no run should use is refused with exit code 2, before any
/// process starts.
#[test]
fn refuses_impossible_numbers() {
    for (args, why) in [
        (["--casts", "0"], "increments per cast figure must be 1 to"),
        (["--rounds", "many"], "\"many\" is not a whole number"),
    ] {
        let output = remote(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}: no figures");
        let stderr = text(&output.stderr);
        assert!(stderr.contains(why), "{args:?}: {stderr}");
    }
}
