//! The `remote` binary's two processes (see [`crate::remote`]). ractor's
//! registries of names and process groups are global to a process, so a
//! node and its client in one process would share them: the node runs in a
//! child, this same program started again with [`NODE_FLAG`], on loopback
//! and a free port, and the parent connects to it as `demo run --connect`
//! does. Every wait has a bound, and the child is killed and reaped
//! whatever happens to the parent's run.

use std::hash::{BuildHasher, RandomState};
use std::io::{self, BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use actors_core::{CounterSystem, SystemError, Transcript};
use cluster::{
    COOKIE_VAR, ConnectError, Cookie, CookieError, GROUP, Node, NodeConfig, NodeCounter,
    NodeCounterArgs, NodeError, RemoteCounterMessage, RemoteSystem,
};
use ractor::rpc::CallResult;
use ractor::{Actor, ActorRef};
use supervision::{Checkpoints, Faults, Intensity};

use crate::remote::{Kind, RemoteRound, Side};
use crate::{MeasureError, PATIENCE};

/// The flag that makes the program the node.
pub const NODE_FLAG: &str = "--node";

/// What the node prints, with its address, once a client can connect.
const READY: &str = "ready on";

/// How long the parent waits for the node to be ready, and for the
/// handshake.
pub const START_PATIENCE: Duration = Duration::from_secs(30);

/// How long a node waits for its parent to close its standard input. A
/// parent that was killed closes it too; this is for one that hangs.
const LIFETIME: Duration = Duration::from_secs(600);

/// Why the two processes could not be measured.
#[derive(Debug, thiserror::Error)]
pub enum LoopbackError {
    /// The child could not be started, or its output read.
    #[error("cannot run the node's process: {0}")]
    Spawn(#[from] io::Error),
    /// The child did not say it was ready in time, or said something else.
    #[error("the node's process was not ready within {START_PATIENCE:?}: {0:?}")]
    NotReady(String),
    /// The node has no usable cookie.
    #[error(transparent)]
    Cookie(#[from] CookieError),
    /// The node did not start.
    #[error(transparent)]
    Node(#[from] NodeError),
    /// The parent could not connect to the node.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// The node's counter is not in its group.
    #[error("the node's counter is not in group {GROUP}")]
    NoRemoteCounter,
    /// A side's run went wrong.
    #[error("the {} counter: {source}", side.name())]
    Run {
        /// Which counter.
        side: Side,
        /// What went wrong.
        source: MeasureError,
    },
}

// ANCHOR: node_process
/// A node in a child process. Dropping it kills the child and reaps it.
pub struct NodeProcess {
    child: Child,
    addr: SocketAddr,
    cookie: Cookie,
}

impl NodeProcess {
    /// Starts `program` with [`NODE_FLAG`] and a fresh cookie in its
    /// environment (never on its command line), and waits for its ready
    /// line.
    pub fn start(program: &Path) -> Result<NodeProcess, LoopbackError> {
        // The node listens on loopback, for seconds, to the parent that
        // made the cookie: 128 bits from std's random hasher keys will do.
        let word = || RandomState::new().hash_one(std::process::id());
        let secret = format!("{:016x}{:016x}", word(), word());
        let cookie = Cookie::new(secret.clone())?;
        let mut child = Command::new(program)
            .arg(NODE_FLAG)
            .env(COOKIE_VAR, secret)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let stdout = child.stdout.take();
        // From here on, any return kills the child.
        let mut node = NodeProcess {
            child,
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            cookie,
        };
        let stdout = stdout.ok_or_else(|| io::Error::other("no pipe from the child"))?;
        let (sender, lines) = std::sync::mpsc::channel();
        // A thread, so that the wait below has a bound: reading a pipe has none.
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        let line = lines
            .recv_timeout(START_PATIENCE)
            .map_err(|_| LoopbackError::NotReady("nothing".to_owned()))?;
        node.addr = line
            .trim()
            .strip_prefix(READY)
            .and_then(|addr| addr.trim().parse().ok())
            .ok_or_else(|| LoopbackError::NotReady(line.trim().to_owned()))?;
        Ok(node)
    }

    /// Where the node listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The cookie the node was given.
    pub fn cookie(&self) -> &Cookie {
        &self.cookie
    }
}

impl Drop for NodeProcess {
    fn drop(&mut self) {
        // It may have exited already; then there is nothing to kill.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
// ANCHOR_END: node_process

/// The child's part: a node with one counter on loopback and a free port,
/// its address on standard output, then a wait until the parent closes
/// standard input (or ten minutes pass).
pub async fn serve(cookie: &Cookie) -> Result<(), LoopbackError> {
    // The system picks a free port; the node binds it right after.
    let listen = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?.local_addr()?;
    let config = NodeConfig {
        listen,
        counters: 1,
        intensity: Intensity::default(),
        faults: Faults::default(),
    };
    let node = Node::start(config, cookie, &Transcript::discard()).await?;
    println!("{READY} {}", node.listen());
    let (closed, parent_gone) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = io::copy(&mut io::stdin().lock(), &mut io::sink());
        let _ = closed.send(());
    });
    let _ = tokio::time::timeout(LIFETIME, parent_gone).await;
    node.stop().await;
    Ok(())
}

/// What a run does: how many messages per figure, how many rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Increments per cast figure.
    pub casts: u64,
    /// Questions per call figure.
    pub calls: u64,
    /// Rounds of all four figures.
    pub rounds: u64,
}

/// The parent's part: a counter here and the node's over loopback, timed
/// in turn, round after round, after an untimed tenth of a round on each.
/// Runs as a task of the current runtime, as actors send.
pub async fn measure(node: &NodeProcess, plan: Plan) -> Result<Vec<RemoteRound>, LoopbackError> {
    let local_args = NodeCounterArgs {
        index: 0,
        incarnation: 0,
        checkpoints: Checkpoints::new(1),
        faults: Faults::default(),
        transcript: Transcript::discard(),
    };
    let (local, _task) = Actor::spawn(None, NodeCounter, local_args)
        .await
        .map_err(|e| run_error(Side::Local, e.into()))?;
    let transcript = Transcript::discard();
    let system =
        RemoteSystem::connect(node.addr, &node.cookie, 1, START_PATIENCE, &transcript).await?;
    // The local counter joined the group too, in this process.
    let remote = ractor::pg::get_members(&GROUP.to_owned())
        .into_iter()
        .find(|cell| !cell.get_id().is_local())
        .map(ActorRef::<RemoteCounterMessage>::from)
        .ok_or(LoopbackError::NoRemoteCounter)?;
    let sides = [
        Sender::new(Side::Local, local),
        Sender::new(Side::Remote, remote),
    ];
    let (rounds, sides) = tokio::spawn(rounds(sides, plan))
        .await
        .map_err(|_| run_error(Side::Local, MeasureError::TaskFailed))??;
    // Every increment reached the node, by its own count.
    let finals = system
        .shutdown()
        .await
        .map_err(|e| run_error(Side::Remote, e.into()))?;
    let [local, remote] = sides;
    let counted = finals.first().map_or(0, |stats| stats.total_operations);
    if u64::try_from(remote.sent) != Ok(counted) {
        let read = i64::try_from(counted).unwrap_or(i64::MAX);
        return Err(run_error(Side::Remote, wrong(remote.sent, read)));
    }
    local.counter.stop(None);
    Ok(rounds)
}

/// The timed part.
async fn rounds(
    mut sides: [Sender; 2],
    plan: Plan,
) -> Result<(Vec<RemoteRound>, [Sender; 2]), LoopbackError> {
    // Warm-up: the connection's buffers, the allocator, the caches.
    for side in &mut sides {
        side.time(Kind::Cast, plan.casts / 10 + 1).await?;
        side.time(Kind::Call, plan.calls / 10 + 1).await?;
    }
    let mut rounds = Vec::new();
    for _ in 0..plan.rounds {
        let mut round = RemoteRound::default();
        for (kind, messages) in [(Kind::Cast, plan.casts), (Kind::Call, plan.calls)] {
            for side in &mut sides {
                let elapsed = side.time(kind, messages).await?;
                round.side_mut(side.side).set(kind, elapsed, messages);
            }
        }
        rounds.push(round);
    }
    Ok((rounds, sides))
}

/// One counter, and the increments sent to it so far.
struct Sender {
    side: Side,
    counter: ActorRef<RemoteCounterMessage>,
    sent: i64,
}

impl Sender {
    fn new(side: Side, counter: ActorRef<RemoteCounterMessage>) -> Self {
        Sender {
            side,
            counter,
            sent: 0,
        }
    }

    /// Sends `messages` of `kind` and returns how long they took. Every
    /// answer must be the number of increments sent: a figure from a run
    /// that lost one would be wrong.
    async fn time(&mut self, kind: Kind, messages: u64) -> Result<Duration, LoopbackError> {
        let started = Instant::now();
        match kind {
            Kind::Cast => {
                for _ in 0..messages {
                    self.counter
                        .cast(RemoteCounterMessage::Increment(1))
                        .map_err(|_| run_error(self.side, MeasureError::Stopped))?;
                }
                self.sent += i64::try_from(messages).unwrap_or(i64::MAX);
                self.value().await?;
            }
            Kind::Call => {
                for _ in 0..messages {
                    self.value().await?;
                }
            }
        }
        Ok(started.elapsed())
    }

    /// One question, with [`PATIENCE`]; the answer must be what was sent.
    async fn value(&self) -> Result<(), LoopbackError> {
        let asked = self
            .counter
            .call(RemoteCounterMessage::GetValue, Some(PATIENCE))
            .await;
        let error = match asked {
            Ok(CallResult::Success(read)) if read == self.sent => return Ok(()),
            Ok(CallResult::Success(read)) => wrong(self.sent, read),
            Ok(CallResult::Timeout) => SystemError::Timeout {
                index: 0,
                timeout: PATIENCE,
            }
            .into(),
            Ok(CallResult::SenderError) => SystemError::NoReply { index: 0 }.into(),
            Err(_) => MeasureError::Stopped,
        };
        Err(run_error(self.side, error))
    }
}

fn run_error(side: Side, source: MeasureError) -> LoopbackError {
    LoopbackError::Run { side, source }
}

fn wrong(sent: i64, read: i64) -> MeasureError {
    MeasureError::WrongTotal {
        expected: u64::try_from(sent).unwrap_or(0),
        read,
    }
}
