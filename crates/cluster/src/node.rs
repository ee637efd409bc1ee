//! A node: a `NodeServer` on an address, and supervised counters behind it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use actors_core::Transcript;
use ractor::{
    Actor, ActorCell, ActorId, ActorProcessingErr, ActorRef, RpcReplyPort, SpawnErr,
    SupervisionEvent,
};
use ractor_cluster::{NodeServer, NodeServerMessage};
use supervision::{Checkpoints, Faults, Intensity, RestartWindow};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::cookie::Cookie;
use crate::counter::{GROUP, NodeCounter, NodeCounterArgs};
use crate::events::{SessionEvent, subscribe};
use crate::wire::RemoteCounterMessage;

/// The name a node gives itself in the handshake.
pub const NODE_NAME: &str = "demo-node";

/// What to start a node with.
#[derive(Debug, Clone)]
pub struct NodeConfig {
    /// Where to listen. Loopback unless said otherwise: the cookie is the
    /// only lock on the door, and nothing on the wire is encrypted.
    pub listen: SocketAddr,
    /// How many counters to host.
    pub counters: usize,
    /// How often the counters may fail before the node gives up.
    pub intensity: Intensity,
    /// Failures to inject, for tests of the restart.
    pub faults: Faults,
}

/// Why a node did not start or did not keep running.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    /// The address has no port: a client must know where to connect.
    #[error("--listen {0} has port 0: a client must know the port, so name one")]
    NoPort(SocketAddr),
    /// The address could not be bound, or an actor did not start.
    #[error("cannot listen on {addr}: {reason}")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// What the system said.
        reason: String,
    },
    /// A counter failed to start.
    #[error("a counter failed to start: {0}")]
    Spawn(#[from] SpawnErr),
    /// The counters failed faster than the restart limit allows.
    #[error("the counters failed more than {} times in {:?}; the node gave up", .0.max_restarts, .0.period)]
    GaveUp(Intensity),
}

/// A running node.
pub struct Node {
    listen: SocketAddr,
    server: ActorRef<NodeServerMessage>,
    server_task: JoinHandle<()>,
    keeper: ActorRef<KeeperMessage>,
    /// `None` once [`Node::gave_up`] has seen it end.
    keeper_task: Option<JoinHandle<()>>,
    intensity: Intensity,
}

// ANCHOR: start
impl Node {
    /// Listens on `config.listen`, then starts the counters, each of which
    /// joins [`GROUP`]. Every session that opens, authenticates or closes
    /// is written to `transcript`.
    pub async fn start(
        config: NodeConfig,
        cookie: &Cookie,
        transcript: &Transcript,
    ) -> Result<Node, NodeError> {
        let listen = config.listen;
        if listen.port() == 0 {
            return Err(NodeError::NoPort(listen));
        }
        let server = NodeServer::new(
            listen.port(),
            cookie.secret(),
            NODE_NAME.to_owned(),
            listen.ip().to_string(),
            None, // no TLS: see the book's "What the cookie does not do"
            None, // isolated: no transitive connections to a client's peers
        )
        .with_listen_addr(listen.ip());
        let (server, server_task) =
            Actor::spawn(None, server, ())
                .await
                .map_err(|error| NodeError::Listen {
                    addr: listen,
                    reason: innermost(&error),
                })?;
        log_sessions(&server, transcript.clone());
        transcript.line(format_args!(
            "[node] listening on {listen} as {NODE_NAME}: {} counters in group {GROUP}",
            config.counters
        ));
        let args = KeeperArgs {
            counters: config.counters,
            intensity: config.intensity,
            faults: config.faults,
            transcript: transcript.clone(),
        };
        let (keeper, keeper_task) = Actor::spawn(None, Keeper, args).await?;
        Ok(Node {
            listen,
            server,
            server_task,
            keeper,
            keeper_task: Some(keeper_task),
            intensity: config.intensity,
        })
    }
    // ANCHOR_END: start

    /// The address the node listens on.
    pub fn listen(&self) -> SocketAddr {
        self.listen
    }

    /// The counters' current incarnations, in index order.
    pub async fn counters(&self) -> Vec<ActorRef<RemoteCounterMessage>> {
        let asked = self
            .keeper
            .call(KeeperMessage::Counters, Some(Duration::from_secs(5)))
            .await;
        match asked {
            Ok(ractor::rpc::CallResult::Success(counters)) => counters,
            _ => Vec::new(),
        }
    }

    /// Waits until the counters' supervisor stops, which only happens when
    /// it gives up. A node runs until told to stop, or until this returns.
    pub async fn gave_up(&mut self) -> NodeError {
        if let Some(task) = &mut self.keeper_task {
            // The task ends only when the keeper stops; its result is no news.
            let _ = task.await;
            self.keeper_task = None;
        }
        NodeError::GaveUp(self.intensity)
    }

    /// Stops the counters (each writes its final line), then the server,
    /// which closes every session.
    pub async fn stop(self) {
        let wait = Some(Duration::from_secs(5));
        let counters = self.counters().await;
        for counter in counters {
            if let Err(error) = counter.stop_and_wait(None, wait).await {
                tracing::warn!(%error, "a counter did not stop in time");
            }
        }
        self.keeper.stop(None);
        if let Some(task) = self.keeper_task {
            let _ = task.await;
        }
        self.server.stop(None);
        let _ = self.server_task.await;
    }
}

/// The reason inside ractor's nested startup errors: the listener's failure
/// reaches us wrapped once by the listener and once by the node server, as
/// "Actor panicked during startup '...'" twice around the system's words.
fn innermost(error: &SpawnErr) -> String {
    const WRAPPER: &str = "Actor panicked during startup '";
    let mut text = error.to_string();
    while let Some(inner) = text
        .strip_prefix(WRAPPER)
        .and_then(|t| t.strip_suffix('\''))
    {
        text = inner.to_owned();
    }
    text
}

/// Writes a line for every session event, from a task of its own. A
/// session that closes without having been ready failed its handshake.
fn log_sessions(server: &ActorRef<NodeServerMessage>, transcript: Transcript) {
    let mut events = subscribe(server, "node-log");
    tokio::spawn(async move {
        let mut ready = std::collections::HashSet::new();
        while let Some(event) = events.recv().await {
            match event {
                SessionEvent::Opened { peer, .. } => {
                    transcript.line(format_args!("[node] session from {peer} opened"));
                }
                SessionEvent::Ready { node, peer } => {
                    ready.insert(node);
                    transcript.line(format_args!(
                        "[node] session from {peer} authenticated and ready"
                    ));
                }
                SessionEvent::Closed { node, peer } => {
                    let why = if ready.remove(&node) {
                        ""
                    } else {
                        " before it authenticated: a wrong cookie, or not a node"
                    };
                    transcript.line(format_args!("[node] session from {peer} closed{why}"));
                }
            }
        }
    });
}

// ANCHOR: keeper
/// The counters' supervisor on a node: it restarts a failed counter from
/// its checkpoint, up to the restart limit. It lives on the node; nothing
/// on another node hears of a failure, apart from the group's change.
pub struct Keeper;

/// What a keeper is started with.
pub struct KeeperArgs {
    counters: usize,
    intensity: Intensity,
    faults: Faults,
    transcript: Transcript,
}

/// What a keeper answers.
#[derive(Debug)]
pub enum KeeperMessage {
    /// The current incarnation of every counter, in index order.
    Counters(RpcReplyPort<Vec<ActorRef<RemoteCounterMessage>>>),
}
actors_core::local_message!(KeeperMessage);

/// A keeper's state.
pub struct KeeperState {
    children: Vec<Child>,
    by_actor: HashMap<ActorId, usize>,
    checkpoints: Checkpoints,
    window: RestartWindow,
    args: KeeperArgs,
}

struct Child {
    counter: ActorRef<RemoteCounterMessage>,
    incarnation: u32,
}

impl Actor for Keeper {
    type Msg = KeeperMessage;
    type State = KeeperState;
    type Arguments = KeeperArgs;

    async fn pre_start(
        &self,
        myself: ActorRef<KeeperMessage>,
        args: KeeperArgs,
    ) -> Result<KeeperState, ActorProcessingErr> {
        let mut state = KeeperState {
            children: Vec::with_capacity(args.counters),
            by_actor: HashMap::with_capacity(args.counters),
            checkpoints: Checkpoints::new(args.counters),
            window: RestartWindow::new(args.intensity),
            args,
        };
        for index in 0..state.args.counters {
            let counter = state.spawn(myself.get_cell(), index, 0).await?;
            state.by_actor.insert(counter.get_id(), index);
            state.children.push(Child {
                counter,
                incarnation: 0,
            });
        }
        Ok(state)
    }

    async fn handle(
        &self,
        _myself: ActorRef<KeeperMessage>,
        message: KeeperMessage,
        state: &mut KeeperState,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            KeeperMessage::Counters(reply) => {
                let counters = state.children.iter().map(|c| c.counter.clone()).collect();
                if reply.send(counters).is_err() {
                    tracing::debug!("caller stopped waiting for the counters");
                }
            }
        }
        Ok(())
    }

    // ANCHOR: restart
    async fn handle_supervisor_evt(
        &self,
        myself: ActorRef<KeeperMessage>,
        event: SupervisionEvent,
        state: &mut KeeperState,
    ) -> Result<(), ActorProcessingErr> {
        // With the `cluster` feature, `SupervisionEvent` has a variant for
        // process groups too: the wildcard arm is not optional.
        let SupervisionEvent::ActorFailed(cell, error) = event else {
            return Ok(());
        };
        let Some(index) = state.by_actor.remove(&cell.get_id()) else {
            return Ok(());
        };
        let transcript = &state.args.transcript;
        transcript.line(format_args!("[node] counter-{index} failed: {error}"));
        if !state.window.allow(Instant::now()) {
            transcript.line("[node] too many failures: giving up");
            return Err(NodeError::GaveUp(state.args.intensity).into());
        }
        // A start that fails is one more restart against the limit.
        let mut incarnation = state.children[index].incarnation;
        let counter = loop {
            incarnation += 1;
            match state.spawn(myself.get_cell(), index, incarnation).await {
                Ok(counter) => break counter,
                Err(error) => {
                    transcript.line(format_args!(
                        "[node] counter-{index} failed to start: {error}"
                    ));
                    if !state.window.allow(Instant::now()) {
                        transcript.line("[node] too many failures: giving up");
                        return Err(NodeError::GaveUp(state.args.intensity).into());
                    }
                }
            }
        };
        state.by_actor.insert(counter.get_id(), index);
        state.children[index] = Child {
            counter,
            incarnation,
        };
        Ok(())
    }
    // ANCHOR_END: restart
}
// ANCHOR_END: keeper

impl KeeperState {
    async fn spawn(
        &self,
        supervisor: ActorCell,
        index: usize,
        incarnation: u32,
    ) -> Result<ActorRef<RemoteCounterMessage>, SpawnErr> {
        let args = NodeCounterArgs {
            index,
            incarnation,
            checkpoints: self.checkpoints.clone(),
            faults: self.args.faults.clone(),
            transcript: self.args.transcript.clone(),
        };
        // The name travels with the group's membership: clients order the
        // counters by it.
        let name = Some(args.name());
        let (counter, _task) = Actor::spawn_linked(name, NodeCounter, args, supervisor).await?;
        Ok(counter)
    }
}
