//! The `backlog` binary, run as `just backlog` runs it, on a short
//! overload. Each run is a process of its own, so its counting allocator
//! sees only its own heap, and its clock is paused, so the depths and
//! times are the same every run.

use std::process::{Command, Output};

use actors_core::{Design, Mailbox};
use bench::BacklogFigures;
use bench::backlog::MAILBOXES;

fn backlog(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_backlog"))
        .args(args)
        .output()
        .expect("the backlog binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Four clients sending 200 operations each, one a millisecond, to
/// counters that need 5 ms apiece: every policy, in the order asked.
fn short_run(design: &str) -> BacklogFigures {
    let output = backlog(&["--design", design, "--ops", "200", "--sample-ms", "10"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let figures = BacklogFigures::from_json(&text(&output.stdout)).expect("the binary's JSON");
    let mailboxes: Vec<Mailbox> = figures.runs.iter().map(|run| run.mailbox).collect();
    assert_eq!(mailboxes, MAILBOXES);
    figures
}

/// A bound holds at every sample: never more than 64 waiting per mailbox.
/// Unbounded, the backlog grows while the clients send (160 per counter
/// after 200 ms) and the heap with it, above every bounded policy's peak.
#[test]
fn bounded_stays_flat_and_unbounded_grows() {
    let figures = short_run("ractor");
    assert_eq!(
        figures.command,
        "cargo run --release -p bench --bin backlog -- --ops 200 --sample-ms 10"
    );
    let (unbounded, bounded) = figures.runs.split_first().expect("runs");
    let flat = figures.counters * 64;
    for run in bounded {
        assert!(run.peak_depth <= 64, "{}: {}", run.mailbox, run.peak_depth);
        assert!(
            run.samples.iter().all(|s| s.depth <= flat),
            "{}",
            run.mailbox
        );
        assert!(
            unbounded.peak_heap_bytes > run.peak_heap_bytes,
            "{}: {} bytes against unbounded {}",
            run.mailbox,
            run.peak_heap_bytes,
            unbounded.peak_heap_bytes
        );
    }
    assert_eq!(unbounded.peak_depth, 160);
    assert_eq!(unbounded.peak_total_depth, 640);
    let sending: Vec<usize> = unbounded
        .samples
        .iter()
        .take_while(|s| s.ms <= unbounded.producers_done_ms)
        .map(|s| s.depth)
        .collect();
    assert!(
        sending.windows(2).all(|pair| pair[0] <= pair[1]),
        "{sending:?}"
    );
    assert_eq!(unbounded.samples.last().map(|s| s.depth), Some(0));
}

/// Every operation is accounted for: handed over or handed back, then
/// applied, rejected or dropped. Each count appears only under the
/// policy that makes it.
#[test]
fn every_operation_is_accounted_for() {
    for design in ["ractor", "handrolled"] {
        let figures = short_run(design);
        assert_eq!(figures.design.name(), design);
        for run in &figures.runs {
            let policy = run.mailbox.overflow().map(|o| o.name());
            assert!(run.balances, "{design} {}: {run:?}", run.mailbox);
            assert_eq!(run.sent + run.refused + run.undelivered, 800);
            assert_eq!(run.applied + run.rejected + run.dropped, run.sent);
            let dropping = matches!(policy, Some("drop-newest" | "drop-oldest"));
            assert_eq!(run.dropped > 0, dropping, "{design} {}", run.mailbox);
            assert_eq!(run.refused > 0, policy == Some("fail-fast"));
            assert!(run.producers_done_ms <= run.drained_ms);
        }
    }
}

/// A lock-based design, a mailbox that does not read, or a number out of
/// range is refused with exit code 2 and says why, before anything runs.
#[test]
fn refuses_impossible_flags() {
    for (args, why) in [
        (&["--design", "mutex"][..], "only the actor designs"),
        (&["--design", "actor"][..], "no design called \"actor\""),
        (
            &["--mailboxes", "drop-middle:4"][..],
            "unknown mailbox policy",
        ),
        (&["--mailboxes", "unbounded:64"][..], "has no capacity"),
        (&["--ops", "0"][..], "must be 1 to 100000, not 0"),
        (&["--work-ms", "soon"][..], "\"soon\" is not a whole number"),
        (&["--sample-ms", "0"][..], "must be 1 to 1000, not 0"),
        (&["--counters", "0"][..], "not 0"),
    ] {
        let output = backlog(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}: no figures");
        let stderr = text(&output.stderr);
        assert!(stderr.contains(why), "{args:?}: {stderr}");
    }
    assert_eq!(Design::ALL.iter().filter(|d| d.is_actor()).count(), 2);
}
