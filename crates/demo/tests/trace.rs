//! `demo --trace`: the message flow of a run, recorded and drawn.
//!
//! The runs here go through `demo::run` on tokio's paused clock, with a
//! [`FlowRecorder`] installed as the test thread's subscriber. The test
//! runtime has a single thread, which runs every actor and client task too,
//! so the recorder sees all of their events and no other test's.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use actors_core::flow::Kind;
use actors_core::{Transcript, Workload};
use aggregator::{AggregatorActor, AggregatorArgs, AggregatorMessage, SlowLink};
use counter::{CounterActor, CounterArgs};
use demo::trace::{self, Arrow, Flow, FlowRecorder, Step};
use demo::{Design, Scenario, run};
use ractor::Actor;
use tracing_subscriber::layer::SubscriberExt;

/// Runs `scenario` to the end and returns every flow event it produced.
async fn record(scenario: &Scenario) -> Vec<Flow> {
    let recorder = FlowRecorder::new();
    let subscriber = tracing_subscriber::registry().with(recorder.layer());
    let _listening = tracing::subscriber::set_default(subscriber);
    recorder.start_clock();
    run(scenario, &Transcript::memory()).await.unwrap();
    recorder.flows()
}

/// Three counters, six operations each, a round every 25 ms: the run that
/// `docs/diagrams/round.mmd` zooms in on.
fn small_run() -> Scenario {
    Scenario {
        workload: Workload {
            counters: 3,
            ops_per_client: 6,
            ..Workload::default()
        },
        collect_every: Duration::from_millis(25),
        linger: Duration::ZERO,
        ..Scenario::default()
    }
}

/// A flow event, for the hand-made inputs of the unit tests below.
fn flow(ms: u64, kind: Kind, from: &str, to: &str, msg: &str) -> Flow {
    Flow {
        at: Duration::from_millis(ms),
        kind,
        from: from.into(),
        to: to.into(),
        msg: msg.into(),
    }
}

/// The labels of the arrows among `steps`, in order.
fn labels(steps: &[Step]) -> Vec<String> {
    steps
        .iter()
        .filter_map(|step| match step {
            Step::Arrow(arrow) => Some(format!("{}->{}: {}", arrow.from, arrow.to, arrow.label())),
            Step::Note { .. } | Step::Phase { .. } => None,
        })
        .collect()
}

/// The whole diagram of a small ractor run: startup, the clients'
/// operations cut by two periodic rounds, the final round and the
/// shutdown, every step stamped with virtual time.
#[tokio::test(start_paused = true)]
async fn diagram_of_a_small_run() {
    let flows = record(&small_run()).await;

    insta::assert_snapshot!(trace::diagram(&flows, &[]));
}

/// On the paused clock, two runs of the same scenario record the same
/// flow, event for event and millisecond for millisecond: this is what lets
/// a diagram be committed and checked.
#[tokio::test(start_paused = true)]
async fn virtual_runs_record_the_same_flow() {
    let first = record(&Scenario::default()).await;
    let second = record(&Scenario::default()).await;

    assert_eq!(first, second);
}

/// Every operation a client sends is in the trace, one `client-k` to
/// `counter-k` cast each: the article's 200 operations, 50 per client.
#[tokio::test(start_paused = true)]
async fn every_operation_is_recorded() {
    let flows = record(&Scenario::default()).await;

    for k in 0..4 {
        let sent = flows
            .iter()
            .filter(|f| f.kind == Kind::Cast && f.from == format!("client-{k}"))
            .filter(|f| f.to == format!("counter-{k}"))
            .count();
        assert_eq!(sent, 50, "client-{k}");
    }
}

/// Drawn one message per arrow, the article's run would be 244 arrows: 200
/// operations and 44 messages of start-up, rounds and shutdown. Collapsed,
/// it is 45 arrows: the four registrations fold into one, each client's
/// stream into one, and every other message keeps an arrow of its own.
#[tokio::test(start_paused = true)]
async fn collapsing_turns_the_articles_244_messages_into_45_arrows() {
    let flows = record(&Scenario::default()).await;

    let messages = flows
        .iter()
        .filter(|f| matches!(f.kind, Kind::Cast | Kind::Call | Kind::Reply))
        .count();
    let arrows = trace::collapse(&flows)
        .iter()
        .filter(|step| matches!(step, Step::Arrow(_)))
        .count();
    assert_eq!((messages, arrows), (244, 45));
}

/// A periodic round does not wait for the clients to finish: in the small
/// run, the first round asks each counter at 25 ms, after the client's
/// operation of 20 ms and before its operation of 30 ms, and each counter
/// answers with what it had handled so far: 3 operations.
#[tokio::test(start_paused = true)]
async fn a_round_falls_between_a_clients_operations() {
    let flows = record(&small_run()).await;

    for k in 0..3 {
        let (client, counter) = (format!("client-{k}"), format!("counter-{k}"));
        let to_counter: Vec<(u128, Kind, &str)> = flows
            .iter()
            .filter(|f| f.to == counter && (f.from == client || f.from == "aggregator"))
            .map(|f| (f.at.as_millis(), f.kind, f.from.as_str()))
            .collect();
        let question = to_counter
            .iter()
            .position(|&(_, kind, _)| kind == Kind::Call)
            .expect("the aggregator asked");
        assert_eq!(to_counter[question], (25, Kind::Call, "aggregator"));
        assert_eq!(to_counter[question - 1], (20, Kind::Cast, client.as_str()));
        assert_eq!(to_counter[question + 1], (30, Kind::Cast, client.as_str()));

        let answer = flows
            .iter()
            .find(|f| f.kind == Kind::Reply && f.from == counter && f.to == "aggregator")
            .expect("the counter answered");
        assert_eq!(answer.at.as_millis(), 25);
        assert!(answer.msg.ends_with("after 3 ops"), "{}", answer.msg);
    }
}
// ANCHOR_END: round_between_operations

/// The aggregator records the answers of a round once it has all of them:
/// an answer that came at once and one that crossed a 5 ms link both carry
/// the time of the slower one, while the questions carry the time they were
/// asked.
#[tokio::test(start_paused = true)]
async fn a_rounds_answers_are_recorded_when_the_last_one_arrives() {
    let recorder = FlowRecorder::new();
    let subscriber = tracing_subscriber::registry().with(recorder.layer());
    let _listening = tracing::subscriber::set_default(subscriber);
    recorder.start_clock();
    let args = AggregatorArgs {
        collect_every: None,
        ..AggregatorArgs::new(Transcript::memory())
    };
    let (aggregator, _) = Actor::spawn(None, AggregatorActor, args).await.unwrap();
    let mut counters = Vec::new();
    for id in ["near", "far"] {
        let args = CounterArgs {
            id: id.into(),
            transcript: Transcript::memory(),
        };
        counters.push(Actor::spawn(None, CounterActor, args).await.unwrap().0);
    }
    let delay = Duration::from_millis(5);
    let (far, _) = Actor::spawn(None, SlowLink { delay }, counters[1].clone())
        .await
        .unwrap();
    for (id, counter) in [("near", counters[0].clone()), ("far", far)] {
        let id = id.to_owned();
        aggregator
            .cast(AggregatorMessage::RegisterCounter { id, counter })
            .unwrap();
    }

    aggregator.cast(AggregatorMessage::CollectStats).unwrap();
    ractor::call_t!(aggregator, AggregatorMessage::GetTotalStats, 1_000).unwrap();

    let times = |kind: Kind| -> Vec<(String, u128)> {
        recorder
            .flows()
            .into_iter()
            .filter(|f| f.kind == kind)
            .map(|f| {
                (
                    if kind == Kind::Call { f.to } else { f.from },
                    f.at.as_millis(),
                )
            })
            .collect()
    };
    let pairs = |list: [(&str, u128); 2]| list.map(|(id, ms)| (id.to_owned(), ms)).to_vec();
    assert_eq!(times(Kind::Call), pairs([("near", 0), ("far", 0)]));
    assert_eq!(times(Kind::Reply), pairs([("near", 5), ("far", 5)]));
}

/// The hand-rolled design is traced too: its final stats questions come
/// from `main` straight to each counter (it has no aggregator), and its
/// shutdown sends each counter a `Stop`.
#[tokio::test(start_paused = true)]
async fn the_handrolled_design_is_traced_too() {
    let scenario = Scenario {
        design: Design::HandRolled,
        ..small_run()
    };
    let flows = record(&scenario).await;

    let steps = trace::collapse(&flows);
    let labels = labels(&steps);
    for k in 0..3 {
        let asked = format!("main->counter-{k}: GetStats (50 ms)");
        let answered = format!(
            "counter-{k}->main: value {} after 6 ops (50 ms)",
            2 * (k + 1)
        );
        let stopped = format!("counter-{k}->main: stopped (50 ms)");
        for expected in [&asked, &answered, &stopped] {
            assert!(
                labels.contains(expected),
                "{expected} missing from {labels:#?}"
            );
        }
    }
    assert!(!labels.iter().any(|label| label.contains("aggregator")));
}

/// Messages of one kind from one sender to one receiver fold into one
/// arrow, labelled with each message's count, in order of first
/// appearance, and the span of time they cover.
#[test]
fn a_stream_of_messages_becomes_one_arrow() {
    let flows: Vec<Flow> = (0..5)
        .map(|i| {
            let msg = if i % 3 == 0 { "Decrement" } else { "Increment" };
            flow(i * 10, Kind::Cast, "client-0", "counter-0", msg)
        })
        .collect();

    let steps = trace::collapse(&flows);

    assert_eq!(
        steps,
        [Step::Arrow(Arrow {
            kind: Kind::Cast,
            from: "client-0".into(),
            to: "counter-0".into(),
            messages: vec![("Decrement".into(), 2), ("Increment".into(), 3)],
            first: Duration::ZERO,
            last: Duration::from_millis(40),
        })]
    );
    assert_eq!(
        labels(&steps),
        ["client-0->counter-0: Decrement ×2, Increment ×3 (0–40 ms)"]
    );
}

/// Traffic between other participants leaves an arrow open: two clients
/// sending side by side stay two arrows, however their messages interleave.
#[test]
fn unrelated_traffic_does_not_split_an_arrow() {
    let mut flows = Vec::new();
    for ms in [0, 10, 20] {
        flows.push(flow(ms, Kind::Cast, "client-0", "counter-0", "Increment"));
        flows.push(flow(ms, Kind::Cast, "client-1", "counter-1", "Increment"));
    }

    assert_eq!(
        labels(&trace::collapse(&flows)),
        [
            "client-0->counter-0: Increment ×3 (0–20 ms)",
            "client-1->counter-1: Increment ×3 (0–20 ms)",
        ]
    );
}

/// A message that involves the sender or the receiver of an arrow closes
/// it: the client's stream goes on as a new arrow after the question, so
/// the diagram shows where the question fell.
#[test]
fn a_question_to_the_receiver_splits_the_stream() {
    let flows = [
        flow(0, Kind::Cast, "client-0", "counter-0", "Increment"),
        flow(10, Kind::Cast, "client-0", "counter-0", "Increment"),
        flow(15, Kind::Call, "aggregator", "counter-0", "GetStats"),
        flow(
            15,
            Kind::Reply,
            "counter-0",
            "aggregator",
            "value 2 after 2 ops",
        ),
        flow(20, Kind::Cast, "client-0", "counter-0", "Increment"),
    ];

    assert_eq!(
        labels(&trace::collapse(&flows)),
        [
            "client-0->counter-0: Increment ×2 (0–10 ms)",
            "aggregator->counter-0: GetStats (15 ms)",
            "counter-0->aggregator: value 2 after 2 ops (15 ms)",
            "client-0->counter-0: Increment (20 ms)",
        ]
    );
}

/// A question and its answer never fold together, even between the same
/// two participants: the kind is part of what makes two messages alike.
#[test]
fn a_cast_and_a_call_are_different_arrows() {
    let flows = [
        flow(0, Kind::Cast, "main", "aggregator", "CollectStats"),
        flow(0, Kind::Call, "main", "aggregator", "GetTotalStats"),
        flow(0, Kind::Reply, "aggregator", "main", "total 6 after 9 ops"),
    ];

    assert_eq!(trace::collapse(&flows).len(), 3);
}

/// A phase of the run closes every arrow, and a note closes the arrows of
/// the participant it is about.
#[test]
fn phases_and_notes_close_arrows() {
    let flows = [
        flow(0, Kind::Cast, "client-0", "counter-0", "Increment"),
        flow(0, Kind::Cast, "client-1", "counter-1", "Increment"),
        flow(5, Kind::Note, "counter-0", "counter-0", "a remark"),
        flow(10, Kind::Cast, "client-0", "counter-0", "Increment"),
        flow(10, Kind::Cast, "client-1", "counter-1", "Increment"),
        flow(15, Kind::Phase, "", "", "every client has finished"),
        flow(20, Kind::Cast, "client-1", "counter-1", "Increment"),
    ];

    assert_eq!(
        labels(&trace::collapse(&flows)),
        [
            "client-0->counter-0: Increment (0 ms)",
            "client-1->counter-1: Increment ×2 (0–10 ms)",
            "client-0->counter-0: Increment (10 ms)",
            "client-1->counter-1: Increment (20 ms)",
        ]
    );
}

/// The characters Mermaid reads as syntax in a label become entity codes,
/// `#` first among them so that no code is escaped twice, and a line break
/// becomes a space.
#[test]
fn labels_escape_what_mermaid_would_read_as_syntax() {
    assert_eq!(
        trace::escape("a;b#c:d<e>f\ng"),
        "a#59;b#35;c#58;d#lt;e#gt;f g"
    );
    assert_eq!(trace::escape("#59;"), "#35;59#59;");
    assert_eq!(
        trace::escape("Increment ×3 (0–20 ms)"),
        "Increment ×3 (0–20 ms)"
    );
}

/// Casts and questions are solid arrows, answers dashed; the participants
/// come in a fixed order (clients, counters by number, the aggregator,
/// `main`), and each gets an identifier Mermaid accepts.
#[test]
fn rendering_draws_each_kind_and_orders_the_participants() {
    let flows = [
        flow(0, Kind::Call, "main", "aggregator", "GetTotalStats"),
        flow(1, Kind::Cast, "client-10", "counter-10", "Increment"),
        flow(2, Kind::Cast, "client-2", "counter-2", "Decrement"),
        flow(3, Kind::Reply, "aggregator", "main", "12 counters: all"),
        flow(4, Kind::Phase, "", "", "shutdown"),
    ];

    let diagram = trace::diagram(&flows, &["made by hand".into()]);

    assert_eq!(
        diagram,
        "\
%% made by hand
sequenceDiagram
    participant client_2 as client-2
    participant client_10 as client-10
    participant counter_2 as counter-2
    participant counter_10 as counter-10
    participant aggregator
    participant main
    main->>aggregator: GetTotalStats (0 ms)
    client_10->>counter_10: Increment (1 ms)
    client_2->>counter_2: Decrement (2 ms)
    aggregator-->>main: 12 counters#58; all (3 ms)
    Note over client_2,main: shutdown (4 ms)
"
    );
}

/// A window keeps the flows between its two ends, both included.
#[test]
fn a_window_keeps_only_its_flows() {
    let flows: Vec<Flow> = (0..6)
        .map(|i| flow(i * 10, Kind::Cast, "client-0", "counter-0", "Increment"))
        .collect();

    let kept = trace::between(&flows, Duration::from_millis(20), Duration::from_millis(40));

    let times: Vec<u128> = kept.iter().map(|f| f.at.as_millis()).collect();
    assert_eq!(times, [20, 30, 40]);
}

// --- The binary and the committed diagrams ---

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The arguments after `cargo run -p demo --` in a diagram's first line.
fn generating_arguments(diagram: &str) -> Option<Vec<String>> {
    let first = diagram.lines().next()?;
    let arguments = first.strip_prefix("%% generated by: cargo run -p demo -- ")?;
    Some(arguments.split_whitespace().map(str::to_owned).collect())
}

/// Runs the demo binary with `arguments` in `dir`, and returns its standard
/// output.
fn demo_in(dir: &Path, arguments: &[String]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_demo"))
        .args(arguments)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .output()
        .expect("the demo binary runs");
    assert!(
        output.status.success(),
        "demo {arguments:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Each diagram in `docs/diagrams/` is exactly what the binary writes today
/// with the command in its first line, and `just diagrams` runs that
/// command: a change to the system that changes its message flow cannot
/// leave a stale picture in the book.
#[test]
fn committed_diagrams_are_up_to_date() {
    let root = workspace_root();
    let justfile = std::fs::read_to_string(root.join("justfile")).expect("the justfile");
    for name in ["scenario.mmd", "round.mmd"] {
        let relative = format!("docs/diagrams/{name}");
        let committed = std::fs::read_to_string(root.join(&relative))
            .unwrap_or_else(|error| panic!("{relative}: {error}; run `just diagrams`"));
        let arguments = generating_arguments(&committed).unwrap_or_else(|| {
            panic!("{relative} does not start with `%% generated by: cargo run -p demo -- ...`")
        });
        assert!(
            arguments
                .windows(2)
                .any(|pair| pair == ["--trace", &relative]),
            "{relative} was generated into another file: {arguments:?}"
        );
        assert!(
            justfile.contains(&format!("-p demo -- {}", arguments.join(" "))),
            "the `diagrams` recipe in the justfile does not run the command in {relative}"
        );

        // The same command, in a scratch directory, so that the check
        // never writes into docs/.
        let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("diagram-{name}"));
        std::fs::create_dir_all(scratch.join("docs/diagrams")).unwrap();
        demo_in(&scratch, &arguments);
        let fresh = std::fs::read_to_string(scratch.join(&relative)).unwrap();

        assert!(
            fresh == committed,
            "{relative} is out of date: run `just diagrams` and commit the result\n\
             --- committed\n{committed}\n--- generated now\n{fresh}"
        );
    }
}

/// `--trace` writes its file and leaves the transcript on standard output
/// exactly as it is without the flag.
#[test]
fn tracing_leaves_the_transcript_alone() {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("trace-transcript");
    std::fs::create_dir_all(&scratch).unwrap();
    let plain = demo_in(&scratch, &["--virtual-time".into()]);
    let traced = demo_in(
        &scratch,
        &["--virtual-time".into(), "--trace".into(), "run.mmd".into()],
    );

    assert_eq!(plain, traced);
    let diagram = std::fs::read_to_string(scratch.join("run.mmd")).unwrap();
    assert!(diagram.contains("\nsequenceDiagram\n"), "{diagram}");
}

/// `--trace` draws one run, so it refuses `--impl all`; the window flags
/// need `--trace`; and `--help` documents all three.
#[test]
fn trace_flags_are_checked_and_documented() {
    let demo = |arguments: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_demo"))
            .args(arguments)
            .env_remove("RUST_LOG")
            .output()
            .expect("the demo binary runs")
    };

    let all = demo(&["--virtual-time", "--impl", "all", "--trace", "unused.mmd"]);
    assert_eq!(all.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&all.stderr).contains("--trace draws one run"));
    assert!(all.stdout.is_empty());

    let window_alone = demo(&["--virtual-time", "--trace-from-ms", "20"]);
    assert_eq!(window_alone.status.code(), Some(2));

    let help = String::from_utf8_lossy(&demo(&["--help"]).stdout).into_owned();
    for flag in ["--trace <FILE>", "--trace-from-ms", "--trace-until-ms"] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
}

/// The flow events are ordinary `tracing` events: `RUST_LOG=flow=trace`
/// prints them to standard error, and standard output keeps the transcript.
#[test]
fn rust_log_prints_the_raw_events() {
    let output = Command::new(env!("CARGO_BIN_EXE_demo"))
        .args(["--virtual-time", "--counters", "1", "--ops", "3"])
        .env("RUST_LOG", "flow=trace")
        .output()
        .expect("the demo binary runs");

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    for expected in ["TRACE", "RegisterCounter", "client-0", "Decrement"] {
        assert!(
            stderr.contains(expected),
            "{expected} missing from {stderr}"
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("RegisterCounter"), "{stdout}");
}
