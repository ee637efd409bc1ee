//! `demo run --trace`: the message flow of whole runs, recorded and drawn.
//!
//! The runs here go through `demo::run` on tokio's paused clock, with a
//! [`FlowRecorder`] installed as the test thread's subscriber. The test
//! runtime has a single thread, which runs every actor and client task too,
//! so the recorder sees all of their events and no other test's. The steps
//! on hand-made flows are tested in `src/trace/`, next to their code.

use std::path::Path;
use std::time::Duration;

use actors_core::flow::Kind;
use actors_core::{Transcript, Workload};
use aggregator::{AggregatorActor, AggregatorArgs, AggregatorMessage, SlowLink};
use clap::Parser;
use counter::{CounterActor, CounterArgs};
use demo::cli::{Cli, Command};
use demo::trace::{self, Flow, FlowRecorder, Step};
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

/// Runs `demo ARGS` in-process, with its trace installed if it asks for
/// one, and returns the transcript.
async fn demo_in_process(args: &[&str]) -> String {
    let argv = std::iter::once("demo").chain(args.iter().copied());
    let Command::Run(run) = Cli::try_parse_from(argv).unwrap().into_command() else {
        panic!("not `run`");
    };
    let plan = run.prepare("").unwrap();
    let recorder = plan.trace.as_ref().map(|trace| trace.recorder().clone());
    let subscriber = tracing_subscriber::registry().with(recorder.map(|r| r.layer()));
    let _listening = tracing::subscriber::set_default(subscriber);
    let transcript = Transcript::memory();
    plan.execute(&transcript).await.unwrap();
    transcript.text()
}

/// `--trace` writes its file and leaves the transcript exactly as it is
/// without the flag: the diagram is drawn beside the run, not into it.
#[tokio::test(start_paused = true)]
async fn tracing_leaves_the_transcript_alone() {
    let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join("transcript-alone.mmd");
    let path = file.to_str().unwrap();

    let plain = demo_in_process(&["--virtual-time"]).await;
    let traced = demo_in_process(&["--virtual-time", "--trace", path]).await;

    assert_eq!(plain, traced);
    let diagram = std::fs::read_to_string(&file).unwrap();
    assert!(diagram.contains("\nsequenceDiagram\n"), "{diagram}");
}
