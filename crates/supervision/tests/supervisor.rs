//! The supervisor and a supervised counter, message by message, on tokio's
//! paused clock: what is restarted and what is not, and what a resent
//! operation does.

use std::time::Duration;

use actors_core::{AckOutcome, Operation, Transcript, Verdict};
use counter::{CounterMessage, Numbered, ask};
use ractor::{Actor, ActorRef};
use supervision::{
    Fault, FaultKind, FaultPoint, Faults, Intensity, Recovery, SupervisionReport, Supervisor,
    SupervisorArgs, SupervisorMessage, quiet_injected_panics,
};
use tokio::sync::watch;

const PATIENCE: Duration = Duration::from_secs(1);
const ONE: Operation = Operation::Increment { amount: 1 };

/// A supervisor of one counter, with `faults`, and its report.
async fn supervise(
    faults: Faults,
) -> (
    ActorRef<SupervisorMessage>,
    watch::Receiver<SupervisionReport>,
) {
    quiet_injected_panics();
    let (report, watching) = watch::channel(SupervisionReport::default());
    let args = SupervisorArgs {
        counters: 1,
        recovery: Recovery::Checkpoint,
        intensity: Intensity::default(),
        faults,
        aggregator: None,
        transcript: Transcript::memory(),
        report,
    };
    let (supervisor, _task) = Actor::spawn(None, Supervisor, args).await.unwrap();
    (supervisor, watching)
}

async fn counter(supervisor: &ActorRef<SupervisorMessage>) -> Option<ActorRef<CounterMessage>> {
    let question = |reply| SupervisorMessage::WhereIs { index: 0, reply };
    ask(supervisor, question, PATIENCE).await.unwrap()
}

/// Operation `seq` of client 1, acknowledged.
async fn apply(counter: &ActorRef<CounterMessage>, seq: u64) -> Option<AckOutcome> {
    let numbered = |ack| {
        CounterMessage::Apply(Numbered {
            client: 1,
            seq,
            op: ONE,
            ack: Some(ack),
        })
    };
    let answer = ask(counter, numbered, PATIENCE).await;
    answer.ok().map(|ack| ack.outcome)
}

// ANCHOR: restarts
/// A panic and an error each end in a restart, under the same name and
/// with a new actor; a clean stop does not, and the slot stays empty.
#[tokio::test(start_paused = true)]
async fn a_panic_and_an_error_restart_a_clean_stop_does_not() {
    let faults = Faults::new([
        Fault {
            counter: 0,
            seq: 0,
            kind: FaultKind::Panic,
            point: FaultPoint::BeforeCheckpoint,
            failed_starts: 0,
        },
        Fault {
            counter: 0,
            seq: 1,
            kind: FaultKind::Error,
            point: FaultPoint::BeforeCheckpoint,
            failed_starts: 0,
        },
    ]);
    let (supervisor, report) = supervise(faults).await;

    let first = counter(&supervisor).await.unwrap();
    assert_eq!(apply(&first, 0).await, None, "the panic drops the question");
    let second = counter(&supervisor).await.unwrap();
    assert_ne!(first.get_id(), second.get_id());
    assert_eq!(apply(&second, 1).await, None, "so does the error");
    let third = counter(&supervisor).await.unwrap();
    assert_eq!(report.borrow().restarts, 2);

    third.stop_and_wait(None, Some(PATIENCE)).await.unwrap();
    tokio::task::yield_now().await;
    assert!(
        counter(&supervisor).await.is_none(),
        "a clean stop stays stopped"
    );
    assert_eq!(report.borrow().restarts, 2);
    assert_eq!(report.borrow().failures, 2);
}
// ANCHOR_END: restarts

/// An operation sent again, after its answer was lost in a crash, gets
/// the recorded answer and changes nothing; the checkpoint kept it.
#[tokio::test(start_paused = true)]
async fn a_duplicate_number_changes_nothing() {
    let faults = Faults::new([Fault {
        counter: 0,
        seq: 0,
        kind: FaultKind::Error,
        point: FaultPoint::AfterCheckpoint,
        failed_starts: 0,
    }]);
    let (supervisor, _report) = supervise(faults).await;

    let first = counter(&supervisor).await.unwrap();
    assert_eq!(
        apply(&first, 0).await,
        None,
        "applied, but the answer is lost"
    );
    let restarted = counter(&supervisor).await.unwrap();
    let again = apply(&restarted, 0).await;
    assert_eq!(again, Some(AckOutcome::Duplicate(Verdict::Applied)));
    let again = apply(&restarted, 0).await;
    assert_eq!(again, Some(AckOutcome::Duplicate(Verdict::Applied)));

    let value = ask(&restarted, CounterMessage::GetValue, PATIENCE).await;
    assert_eq!(value, Ok(1), "applied once, whatever the resends");
}
