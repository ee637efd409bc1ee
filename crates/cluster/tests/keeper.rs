//! A node's keeper, in one process: a counter that fails comes back from
//! its checkpoint as a new actor, in the group again, and too many failures
//! make the node give up.
//!
//! A node needs a listening address even with no client, so each test
//! starts a real `NodeServer` on loopback. The process groups are global to
//! the process, so the tests take turns (`one_at_a_time`) and each leaves
//! the group empty.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::time::Duration;

use actors_core::Transcript;
use cluster::{Cookie, GROUP, Node, NodeConfig, NodeError, RemoteCounterMessage};
use ractor::rpc::CallResult;
use ractor::{ActorId, ActorRef};
use supervision::{Fault, FaultKind, FaultPoint, Faults, Intensity};
use tokio::sync::{Mutex, MutexGuard};

/// How many times a test asks again before it concludes that something
/// that should have happened did not.
const POLLS: usize = 1_000;

/// How long a `call` may take before the test fails.
const CALL: Duration = Duration::from_secs(5);

/// Counter 1 loses operation 3 with a failure before its checkpoint, and is
/// restarted from the checkpoint of operations 0 to 2 (value 111), as a new
/// actor in the group.
#[tokio::test]
async fn a_failed_counter_returns_from_its_checkpoint_into_the_group() {
    let _turn = one_at_a_time().await;
    let transcript = Transcript::memory();
    let faults = Faults::new([fault(1, 3)]);
    let node = start(2, Intensity::default(), faults, &transcript).await;
    let before = counter(&node, 1).await;

    for amount in [1, 10, 100, 1000] {
        cast(&before, RemoteCounterMessage::Increment(amount));
    }
    let after = next_incarnation(&node, 1, before.get_id()).await;

    assert_eq!(value(&after).await, 111, "operation 3 (1000) was lost");
    assert_eq!(
        members(),
        sorted(vec![counter(&node, 0).await.get_id(), after.get_id()]),
        "the group has both counters, counter 1 under its new id"
    );
    let restarted =
        format!("[counter-1] restarted from its checkpoint (value 111), in group {GROUP} again");
    assert!(
        transcript.lines().contains(&restarted),
        "{}",
        transcript.text()
    );
    node.stop().await;
    assert_eq!(members(), Vec::new(), "stopped counters leave the group");
}

/// With room for one restart, the second failure makes the keeper give
/// up: `gave_up` returns with the limit, and the counter it had restarted
/// stops with it, so that no client finds a counter nobody supervises.
#[tokio::test]
async fn a_second_failure_beyond_the_limit_makes_the_node_give_up() {
    let _turn = one_at_a_time().await;
    let transcript = Transcript::memory();
    let once = Intensity {
        max_restarts: 1,
        period: Duration::from_secs(60),
    };
    let faults = Faults::new([fault(0, 0), fault(1, 0)]);
    let mut node = start(2, once, faults, &transcript).await;

    for counter in node.counters().await {
        cast(&counter, RemoteCounterMessage::Increment(1));
    }
    let gave_up = tokio::time::timeout(CALL, node.gave_up()).await;

    let Ok(NodeError::GaveUp(limit)) = gave_up else {
        panic!("the node did not give up: {}", transcript.text());
    };
    assert_eq!(limit, once);
    let text = transcript.text();
    assert!(text.contains("restarted from its checkpoint"), "{text}");
    assert!(
        text.ends_with("[node] too many failures: giving up\n"),
        "{text}"
    );
    assert_eq!(
        group_emptied().await,
        Vec::new(),
        "the counter restarted first stops with its keeper"
    );
}

/// A restart whose start fails is tried again, and counts against the
/// limit like any restart: here one failed start, then a good one.
#[tokio::test]
async fn a_failed_start_is_tried_again() {
    let _turn = one_at_a_time().await;
    let transcript = Transcript::memory();
    let faults = Faults::new([Fault {
        failed_starts: 1,
        ..fault(1, 2)
    }]);
    let node = start(2, Intensity::default(), faults, &transcript).await;
    let before = counter(&node, 1).await;

    for amount in [1, 10, 100] {
        cast(&before, RemoteCounterMessage::Increment(amount));
    }
    let after = next_incarnation(&node, 1, before.get_id()).await;

    assert_eq!(value(&after).await, 11, "operation 2 (100) was lost");
    let text = transcript.text();
    assert!(text.contains("[node] counter-1 failed to start"), "{text}");
    assert!(
        text.contains("[counter-1] restarted from its checkpoint (value 11)"),
        "{text}"
    );
    node.stop().await;
}

/// Takes the process groups for the length of one test.
async fn one_at_a_time() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::const_new(());
    TURN.lock().await
}

/// Counter `counter` fails with an error when operation `seq` arrives,
/// before it saves that operation.
fn fault(counter: usize, seq: u64) -> Fault {
    Fault {
        counter,
        seq,
        kind: FaultKind::Error,
        point: FaultPoint::BeforeCheckpoint,
        failed_starts: 0,
    }
}

/// A node with `counters` counters on a free loopback port. Another
/// program may take the port between the probe and the bind: then again,
/// on another port.
async fn start(
    counters: usize,
    intensity: Intensity,
    faults: Faults,
    transcript: &Transcript,
) -> Node {
    let cookie = Cookie::new("keeper-test-cookie-0123".to_owned()).expect("long enough");
    for _ in 0..10 {
        let config = NodeConfig {
            listen: free_port(),
            counters,
            intensity,
            faults: faults.clone(),
        };
        match Node::start(config, &cookie, transcript).await {
            Ok(node) => return node,
            Err(NodeError::Listen { .. }) => continue,
            Err(error) => panic!("the node did not start: {error}"),
        }
    }
    panic!("no free port in 10 attempts");
}

/// A loopback address whose port was free a moment ago.
fn free_port() -> SocketAddr {
    let probe = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("loopback is available");
    probe.local_addr().expect("a bound socket has an address")
}

/// The current incarnation of counter `index`.
async fn counter(node: &Node, index: usize) -> ActorRef<RemoteCounterMessage> {
    let counters = node.counters().await;
    counters.get(index).cloned().expect("the keeper answers")
}

/// Asks the keeper until counter `index` is no longer the actor `old`.
async fn next_incarnation(
    node: &Node,
    index: usize,
    old: ActorId,
) -> ActorRef<RemoteCounterMessage> {
    for _ in 0..POLLS {
        let current = counter(node, index).await;
        if current.get_id() != old {
            return current;
        }
        tokio::task::yield_now().await;
    }
    panic!("counter {index} was not restarted after {POLLS} questions");
}

fn cast(counter: &ActorRef<RemoteCounterMessage>, message: RemoteCounterMessage) {
    counter.cast(message).expect("the counter is running");
}

/// The counter's value: a call, so answered after every earlier cast.
async fn value(counter: &ActorRef<RemoteCounterMessage>) -> i64 {
    match counter
        .call(RemoteCounterMessage::GetValue, Some(CALL))
        .await
    {
        Ok(CallResult::Success(value)) => value,
        other => panic!("the counter did not answer: {other:?}"),
    }
}

/// The ids in [`GROUP`], sorted.
fn members() -> Vec<ActorId> {
    let cells = ractor::pg::get_members(&GROUP.to_owned());
    sorted(cells.iter().map(|cell| cell.get_id()).collect())
}

fn sorted(mut ids: Vec<ActorId>) -> Vec<ActorId> {
    ids.sort();
    ids
}

/// The members of [`GROUP`] once it is empty, or after [`POLLS`] turns
/// given to the other tasks: a killed actor leaves the group from its own
/// task.
async fn group_emptied() -> Vec<ActorId> {
    for _ in 0..POLLS {
        if members().is_empty() {
            break;
        }
        tokio::task::yield_now().await;
    }
    members()
}
