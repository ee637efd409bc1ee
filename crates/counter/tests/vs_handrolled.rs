//! Where a ractor actor behaves differently from the hand-rolled actor of
//! `handrolled::actor`, each difference shown by a test on both sides.
//!
//! The hand-rolled side of each pair runs here too, so that the two halves
//! of every claim sit next to each other.

use std::time::Duration;

use actors_core::{Operation, Transcript};
use counter::{CounterActor, CounterArgs, CounterMessage, get_value};
use handrolled::actor::{self, CallError};
use handrolled::{CounterMsg, HandCounter};
use ractor::{Actor, ActorProcessingErr, ActorRef, SupervisionEvent};

const PATIENCE: Duration = Duration::from_secs(1);

/// A hand-rolled counter stops once the last handle is gone: nobody can
/// send it anything any more, so its loop ends and the task hands the
/// counter back.
#[tokio::test(start_paused = true)]
async fn dropping_every_handle_stops_a_handrolled_counter() {
    let (handle, task) = actor::spawn(HandCounter::new("counter-0"));
    handle
        .cast(CounterMsg::Apply(Operation::Increment { amount: 3 }))
        .unwrap();
    drop(handle);

    let counter = task.await.unwrap();
    assert_eq!(counter.stats().current_value, 3);
}

/// A ractor actor does not stop when every `ActorRef` in the caller's hands
/// is dropped: the actor holds a reference to itself (it is passed to every
/// handler as `myself`), and ractor's registry can hand out new ones. Here
/// an hour of virtual time later, the counter is still running, is found
/// again by name, and still answers with its value.
#[tokio::test(start_paused = true)]
async fn dropping_every_ref_leaves_a_ractor_counter_running() {
    // A name is the only way back to an actor whose refs are all gone. Names
    // are global to the process, so this one is used by no other test.
    let name = "vs-handrolled-orphan".to_string();
    let args = CounterArgs {
        id: name.clone(),
        transcript: Transcript::memory(),
    };
    let (counter, task) = Actor::spawn(Some(name.clone()), CounterActor, args)
        .await
        .unwrap();
    counter
        .cast(CounterMessage::Increment { amount: 3 })
        .unwrap();
    drop(counter);

    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert!(!task.is_finished());

    let found: ActorRef<CounterMessage> = ActorRef::where_is(name).expect("still registered");
    assert_eq!(get_value(&found, PATIENCE).await, Ok(3));
    found.stop(None);
    task.await.unwrap();
}

/// The hand-rolled `stop` waits in line: all thousand increments sent
/// before it are applied. (ractor's `stop` overtakes them instead; see
/// `stop_discards_queued_messages` in `tests/counter.rs`.)
#[tokio::test]
async fn handrolled_stop_applies_everything_sent_before_it() {
    let (handle, task) = actor::spawn(HandCounter::new("counter-0"));
    for _ in 0..1000 {
        handle
            .cast(CounterMsg::Apply(Operation::Increment { amount: 1 }))
            .unwrap();
    }
    handle.stop().unwrap();

    let counter = task.await.unwrap();
    assert_eq!(counter.stats().total_operations, 1000);
}

/// ractor's `call` takes a timeout and gives up with an error; the
/// hand-rolled `call` has none, so a question that is never answered keeps
/// its caller waiting. Here it is still waiting after a virtual hour.
#[tokio::test(start_paused = true)]
async fn a_handrolled_call_has_no_timeout() {
    /// Keeps every question and never answers one.
    struct Silent(Vec<actor::Reply<()>>);
    impl actor::Actor for Silent {
        type Message = actor::Reply<()>;
        async fn handle(&mut self, reply: actor::Reply<()>) {
            self.0.push(reply);
        }
    }
    // The join handle is dropped at once: it would otherwise keep the
    // stopped actor, and the questions it holds, alive.
    let (handle, _) = actor::spawn(Silent(Vec::new()));

    let waiting = tokio::time::timeout(Duration::from_secs(3600), handle.call(|reply| reply));
    assert!(waiting.await.is_err(), "the call returned");
    // The actor itself is fine: it took the question and moved on.
    assert!(handle.is_running());
    // Once it stops, the questions it kept are dropped, and a new one is
    // refused.
    handle.stop().unwrap();
    assert_eq!(handle.call(|reply| reply).await, Err(CallError::NoReply));
}

/// A ractor actor whose handler panics stops, and ractor tells its
/// supervisor why. (The hand-rolled actor tells nobody: see
/// `a_panic_ends_the_actor_and_nobody_is_told` in `actors-core`.)
#[tokio::test]
async fn a_panicking_ractor_actor_is_reported_to_its_supervisor() {
    /// Panics on its first message.
    struct Fragile;
    impl Actor for Fragile {
        type Msg = ();
        type State = ();
        type Arguments = ();
        async fn pre_start(&self, _: ActorRef<()>, _: ()) -> Result<(), ActorProcessingErr> {
            Ok(())
        }
        async fn handle(
            &self,
            _: ActorRef<()>,
            _: (),
            _: &mut (),
        ) -> Result<(), ActorProcessingErr> {
            panic!("fragile actor");
        }
    }

    /// Writes down every child failure it is told about.
    struct Supervisor;
    impl Actor for Supervisor {
        type Msg = ();
        type State = Transcript;
        type Arguments = Transcript;
        async fn pre_start(
            &self,
            _: ActorRef<()>,
            transcript: Transcript,
        ) -> Result<Transcript, ActorProcessingErr> {
            Ok(transcript)
        }
        async fn handle_supervisor_evt(
            &self,
            _: ActorRef<()>,
            event: SupervisionEvent,
            transcript: &mut Transcript,
        ) -> Result<(), ActorProcessingErr> {
            if let SupervisionEvent::ActorFailed(_, reason) = event {
                transcript.line(format_args!("child failed: {reason}"));
            }
            Ok(())
        }
    }

    let transcript = Transcript::memory();
    let (supervisor, supervisor_task) = Actor::spawn(None, Supervisor, transcript.clone())
        .await
        .unwrap();
    let (child, child_task) = Actor::spawn_linked(None, Fragile, (), supervisor.get_cell())
        .await
        .unwrap();

    child.cast(()).unwrap();
    // ractor caught the panic: the task ends normally, not with a panic.
    child_task.await.unwrap();
    // The supervisor handles its children's events before ordinary
    // messages, so by the time the drain is through, it has heard.
    supervisor.drain_and_wait(None).await.unwrap();
    supervisor_task.await.unwrap();

    let lines = transcript.lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("child failed: "), "{lines:?}");
    assert!(lines[0].contains("fragile actor"), "{lines:?}");
}
