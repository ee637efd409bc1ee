//! A client node: it connects to a node, finds its counters, and drives
//! them behind the same contract as every design in one process.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use actors_core::{
    AggregatedStats, CounterStats, CounterSystem, Design, Operation, Receipt, SystemError,
    Transcript, aggregate, check_index,
};
use ractor::rpc::CallResult;
use ractor::{Actor, ActorRef, ActorStatus};
use ractor_cluster::{ClientConnectErr, NodeServer, NodeServerMessage};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::{Instant, timeout_at};

use crate::cookie::Cookie;
use crate::counter::GROUP;
use crate::events::{SessionEvent, subscribe};
use crate::wire::{RemoteCounterMessage, WireStats};

/// Why a client could not begin. Nothing was sent to any counter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectError {
    /// Nothing accepted a connection at the address.
    #[error("no node at {addr}: {reason}")]
    NoNode {
        /// The address.
        addr: SocketAddr,
        /// What the operating system said.
        reason: String,
    },
    /// The session closed during the handshake. ractor_cluster does not say
    /// why; a wrong cookie is the usual reason.
    #[error("the node at {addr} closed the session during the handshake: is {var} the same on both sides?", var = crate::COOKIE_VAR)]
    Refused {
        /// The address.
        addr: SocketAddr,
    },
    /// The handshake did not finish in time.
    #[error("the node at {addr} did not finish the handshake within {timeout:?}")]
    HandshakeTimeout {
        /// The address.
        addr: SocketAddr,
        /// How long the client waited.
        timeout: Duration,
    },
    /// The node hosts a different number of counters than the run needs.
    #[error("the node at {addr} hosts {found} counters in group {GROUP}; the run needs {wanted}")]
    Counters {
        /// The address.
        addr: SocketAddr,
        /// How many the node hosts.
        found: usize,
        /// How many the run has clients for.
        wanted: usize,
    },
    /// The node's counters have counted before: totals would not be this
    /// run's.
    #[error(
        "the counters at {addr} have already counted {operations} operations: restart the node for a fresh run"
    )]
    NotFresh {
        /// The address.
        addr: SocketAddr,
        /// Operations they had counted.
        operations: u64,
    },
    /// A counter did not answer the first question.
    #[error("counter {index} at {addr} did not answer: {error}")]
    Silent {
        /// The address.
        addr: SocketAddr,
        /// Which counter.
        index: usize,
        /// What went wrong.
        error: SystemError,
    },
    /// The client's own node server did not start.
    #[error("the client's node did not start: {0}")]
    Spawn(String),
}

/// The counters of a node in another process, behind [`CounterSystem`].
///
/// Operations are casts, and questions are calls with a timeout, over one
/// TCP connection. The node keeps its counters when the client leaves:
/// [`shutdown`](CounterSystem::shutdown) reads their final figures and
/// closes the session, and stops nothing on the node.
pub struct RemoteSystem {
    addr: SocketAddr,
    server: ActorRef<NodeServerMessage>,
    server_task: Mutex<Option<JoinHandle<()>>>,
    counters: Vec<ActorRef<RemoteCounterMessage>>,
    call_timeout: Duration,
    /// Counters a send or a question failed on: the node, or the way to it,
    /// is gone.
    unreachable: Mutex<BTreeSet<usize>>,
    /// Becomes true with the first unreachable counter.
    lost: watch::Sender<bool>,
    shut_down: AtomicBool,
}

// ANCHOR: connect
impl RemoteSystem {
    /// Connects to the node at `addr`, waits until the session is
    /// authenticated and ready, finds `counters` counters in [`GROUP`] and
    /// checks that they have not counted yet. Every wait ends by
    /// `call_timeout` at the latest.
    pub async fn connect(
        addr: SocketAddr,
        cookie: &Cookie,
        counters: usize,
        call_timeout: Duration,
        transcript: &Transcript,
    ) -> Result<RemoteSystem, ConnectError> {
        let (server, server_task) = client_node(cookie).await?;
        let mut system = RemoteSystem {
            addr,
            server,
            server_task: Mutex::new(Some(server_task)),
            counters: Vec::new(),
            call_timeout,
            unreachable: Mutex::new(BTreeSet::new()),
            lost: watch::Sender::new(false),
            shut_down: AtomicBool::new(false),
        };
        // From here on, dropping `system` on an error stops the client node.
        let mut events = subscribe(&system.server, "client");
        let deadline = Instant::now() + call_timeout;
        // `client_connect` returns once TCP connects, before the handshake.
        if let Err(error) = ractor_cluster::client_connect(&system.server, addr).await {
            let reason = match error {
                ClientConnectErr::Socket(io) => io.to_string(),
                other => other.to_string(),
            };
            return Err(ConnectError::NoNode { addr, reason });
        }
        wait_until_ready(&mut events, addr, deadline, call_timeout).await?;
        system.counters = members(counters, addr, deadline).await?;
        let before = system.fresh().await?;
        transcript.line(format_args!(
            "[client] connected to {addr}: authenticated; {} counters in group {GROUP}, {before} operations counted so far",
            system.counters.len()
        ));
        Ok(system)
    }
    // ANCHOR_END: connect

    /// The node's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The counters a send or a question failed on, and before the
    /// client's own shutdown, those whose stand-in has stopped because its
    /// connection closed; in index order.
    pub fn unreachable(&self) -> Vec<usize> {
        let set = self.unreachable.lock().unwrap_or_else(|e| e.into_inner());
        let closed = |index: &usize| {
            let status = self.counters[*index].get_status();
            matches!(status, ActorStatus::Stopping | ActorStatus::Stopped)
        };
        let closed: BTreeSet<usize> = if self.shut_down.load(Ordering::Acquire) {
            BTreeSet::new()
        } else {
            (0..self.counters.len()).filter(closed).collect()
        };
        set.union(&closed).copied().collect()
    }

    // ANCHOR: watch
    /// Returns once a counter is unreachable. A send to a closed connection
    /// fails at once; a node that stopped answering without closing it
    /// sends nothing at all, and ractor_cluster has no timeout for missing
    /// pings. So this also asks every counter for its value once per call
    /// timeout, and a question without an answer counts as a loss.
    pub async fn watch(&self) {
        let mut lost = self.lost.subscribe();
        let mut tick = tokio::time::interval(self.call_timeout);
        loop {
            tokio::select! {
                _ = lost.wait_for(|lost| *lost) => return,
                _ = tick.tick() => {
                    let asked = (0..self.len()).map(|index| self.value(index));
                    futures::future::join_all(asked).await;
                }
            }
        }
    }
    // ANCHOR_END: watch

    /// Asks every counter for its figures and refuses counters that have
    /// counted already. Returns how many operations they had (zero).
    async fn fresh(&self) -> Result<u64, ConnectError> {
        let mut operations = 0;
        for index in 0..self.counters.len() {
            let stats = self
                .stats(index)
                .await
                .map_err(|error| ConnectError::Silent {
                    addr: self.addr,
                    index,
                    error,
                })?;
            operations += stats.total_operations + stats.rejected_operations;
        }
        if operations > 0 {
            return Err(ConnectError::NotFresh {
                addr: self.addr,
                operations,
            });
        }
        Ok(operations)
    }

    fn mark(&self, index: usize) {
        let mut set = self.unreachable.lock().unwrap_or_else(|e| e.into_inner());
        set.insert(index);
        self.lost.send_replace(true);
    }

    fn check(&self, index: usize) -> Result<&ActorRef<RemoteCounterMessage>, SystemError> {
        if self.shut_down.load(Ordering::Acquire) {
            return Err(SystemError::ShutDown);
        }
        check_index(index, self.counters.len())?;
        Ok(&self.counters[index])
    }

    // ANCHOR: ask
    /// A call with the timeout, every failure marked against the counter.
    async fn ask<T: Send + 'static>(
        &self,
        index: usize,
        question: impl FnOnce(ractor::RpcReplyPort<T>) -> RemoteCounterMessage,
    ) -> Result<T, SystemError> {
        let counter = self.check(index)?;
        let timeout = self.call_timeout;
        let error = match counter.call(question, Some(timeout)).await {
            Ok(CallResult::Success(answer)) => return Ok(answer),
            // Slow or gone: across a network, the caller cannot tell which.
            Ok(CallResult::Timeout) => SystemError::Timeout { index, timeout },
            // The session closed with the question in flight.
            Ok(CallResult::SenderError) => SystemError::NoReply { index },
            // The session had closed already: its remote actors are stopped.
            Err(_) => SystemError::Stopped { index },
        };
        self.mark(index);
        Err(error)
    }
    // ANCHOR_END: ask
}

impl Drop for RemoteSystem {
    fn drop(&mut self) {
        self.server.stop(None);
    }
}

/// Starts this process's own node, which the connection runs from. Its
/// listener is on loopback, on a port the system picks: nodes here never
/// connect to their peers' peers, so nobody connects to it, and no port
/// opens on the network.
async fn client_node(
    cookie: &Cookie,
) -> Result<(ActorRef<NodeServerMessage>, JoinHandle<()>), ConnectError> {
    let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let name = format!("demo-client-{}", std::process::id());
    let server =
        NodeServer::new(0, cookie.secret(), name, ip.to_string(), None, None).with_listen_addr(ip);
    Actor::spawn(None, server, ())
        .await
        .map_err(|error| ConnectError::Spawn(error.to_string()))
}

// ANCHOR: ready
/// Waits for the session to be ready. A session that closes first failed
/// its handshake: ractor_cluster says nothing more than that.
async fn wait_until_ready(
    events: &mut mpsc::UnboundedReceiver<SessionEvent>,
    addr: SocketAddr,
    deadline: Instant,
    timeout: Duration,
) -> Result<(), ConnectError> {
    loop {
        match timeout_at(deadline, events.recv()).await {
            Ok(Some(SessionEvent::Ready { .. })) => return Ok(()),
            Ok(Some(SessionEvent::Opened { .. })) => continue,
            Ok(Some(SessionEvent::Closed { .. }) | None) => {
                return Err(ConnectError::Refused { addr });
            }
            Err(_elapsed) => return Err(ConnectError::HandshakeTimeout { addr, timeout }),
        }
    }
}
// ANCHOR_END: ready

// ANCHOR: members
/// The counters of [`GROUP`] on other nodes, ordered by name. Ready means
/// the groups have been exchanged, but the last member may still be on its
/// way: the list is read again until it has `wanted` members, for at most
/// 50 reads or until the deadline.
async fn members(
    wanted: usize,
    addr: SocketAddr,
    deadline: Instant,
) -> Result<Vec<ActorRef<RemoteCounterMessage>>, ConnectError> {
    let mut found = Vec::new();
    for _ in 0..50 {
        let mut cells: Vec<_> = ractor::pg::get_members(&GROUP.to_owned())
            .into_iter()
            .filter(|cell| !cell.get_id().is_local())
            .collect();
        cells.sort_by_key(|cell| order(cell.get_name()));
        found = cells;
        if found.len() >= wanted || Instant::now() >= deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    if found.len() != wanted {
        return Err(ConnectError::Counters {
            addr,
            found: found.len(),
            wanted,
        });
    }
    Ok(found.into_iter().map(ActorRef::from).collect())
}
// ANCHOR_END: members

/// `counter-10` after `counter-9`: by the number in the name.
fn order(name: Option<String>) -> (u64, String) {
    let name = name.unwrap_or_default();
    let number = name
        .rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(u64::MAX);
    (number, name)
}

// ANCHOR: contract
#[async_trait::async_trait]
impl CounterSystem for RemoteSystem {
    /// ractor counters, on another node.
    fn design(&self) -> Design {
        Design::Ractor
    }

    fn len(&self) -> usize {
        self.counters.len()
    }

    async fn apply(&self, index: usize, op: Operation) -> Result<Receipt, SystemError> {
        let counter = self.check(index)?;
        match counter.cast(RemoteCounterMessage::from(op)) {
            // On its way: in this process's session, not yet on the wire.
            Ok(()) => Ok(Receipt::Queued),
            Err(_) => {
                self.mark(index);
                Err(SystemError::Stopped { index })
            }
        }
    }

    async fn value(&self, index: usize) -> Result<i64, SystemError> {
        self.ask(index, RemoteCounterMessage::GetValue).await
    }

    async fn stats(&self, index: usize) -> Result<CounterStats, SystemError> {
        match self.ask(index, RemoteCounterMessage::GetStats).await? {
            WireStats(Some(stats)) => Ok(stats),
            WireStats(None) => {
                self.mark(index);
                Err(SystemError::NoReply { index })
            }
        }
    }

    async fn aggregate(&self) -> Result<AggregatedStats, SystemError> {
        let asked = (0..self.len()).map(|index| self.stats(index));
        let answers = futures::future::join_all(asked).await;
        Ok(aggregate(
            answers.into_iter().collect::<Result<Vec<_>, _>>()?,
        ))
    }

    /// Reads every counter's final figures, behind the operations this
    /// client sent (one connection keeps each pair's order), then closes
    /// the session. The counters stay on the node.
    async fn shutdown(&self) -> Result<Vec<CounterStats>, SystemError> {
        let mut finals = Vec::with_capacity(self.len());
        for index in 0..self.len() {
            finals.push(self.stats(index).await?);
        }
        self.shut_down.store(true, Ordering::Release);
        self.server.stop(None);
        let task = self
            .server_task
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(task) = task {
            let _ = task.await;
        }
        Ok(finals)
    }
}
// ANCHOR_END: contract

#[cfg(test)]
mod tests {
    use super::*;

    /// Members arrive in no particular order; the names put them back in
    /// index order, `counter-10` after `counter-9`, and unnamed ones last.
    #[test]
    fn members_sort_by_the_number_in_their_name() {
        let mut names = [
            Some("counter-10".to_owned()),
            None,
            Some("counter-9".to_owned()),
            Some("counter-0".to_owned()),
        ];
        names.sort_by_key(|name| order(name.clone()));
        let sorted: Vec<_> = names.iter().map(|n| n.as_deref().unwrap_or("?")).collect();
        assert_eq!(sorted, ["counter-0", "counter-9", "counter-10", "?"]);
    }

    /// The refusals read as one sentence each, naming the address.
    #[test]
    fn connect_errors_name_the_address() {
        let addr: SocketAddr = "127.0.0.1:7420".parse().unwrap();
        let refused = ConnectError::Refused { addr }.to_string();
        assert!(refused.contains("127.0.0.1:7420") && refused.contains("DEMO_COOKIE"));
        let counters = ConnectError::Counters {
            addr,
            found: 2,
            wanted: 4,
        };
        assert_eq!(
            counters.to_string(),
            "the node at 127.0.0.1:7420 hosts 2 counters in group demo-counters; the run needs 4"
        );
    }
}
