//! The counters in another process: `demo node`, and `demo run --connect`.
//!
//! [`NodeArgs`] are the flags of `demo node`, and [`RemoteArgs`] the
//! "Cluster" group of `demo run`. The cookie comes from the environment
//! only (`DEMO_COOKIE`), and is checked before anything starts.

use std::net::SocketAddr;
use std::sync::Arc;

use actors_core::{CounterSystem, Design, Transcript};
use clap::Args;
use cluster::{Cookie, CookieError, Node, NodeConfig, NodeError, RemoteSystem};
use supervision::{Faults, Intensity};

use crate::cli::Unsupported;
use crate::scenario::{MAX_COUNTERS, Scenario};
use crate::{DemoError, Outcome, announce, run_system};

/// Where `demo node` listens unless told otherwise: loopback only.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:7420";

// ANCHOR: args
/// The flags of `demo node`. The cookie is not one of them: it comes from
/// `DEMO_COOKIE`, where other users of the machine cannot read it.
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct NodeArgs {
    /// Where to listen for clients. Loopback by default: the cookie is the
    /// only lock, and the traffic is not encrypted.
    #[arg(long, value_name = "ADDR", default_value = DEFAULT_LISTEN, value_parser = listen_addr)]
    pub listen: SocketAddr,
    /// How many counters to host.
    #[arg(long, default_value_t = Scenario::default().workload.counters,
        value_parser = node_counters)]
    pub counters: usize,
}

/// The "Cluster" flags of `demo run`.
#[derive(Debug, Clone, PartialEq, Eq, Args)]
#[command(next_help_heading = "Cluster")]
pub struct RemoteArgs {
    /// Drive the counters of the node at ADDR (`demo node`) instead of
    /// starting any here. The cookie comes from DEMO_COOKIE.
    #[arg(long, value_name = "ADDR", conflicts_with_all = ["chaos", "mailbox", "slow_counter_ms", "virtual_time"])]
    pub connect: Option<SocketAddr>,
}
// ANCHOR_END: args

/// `--listen`: an address with a port other than 0, which a client could
/// not find.
fn listen_addr(text: &str) -> Result<SocketAddr, String> {
    let addr: SocketAddr = text
        .parse()
        .map_err(|_| "an IP address and a port, such as 127.0.0.1:7420".to_owned())?;
    if addr.port() == 0 {
        return Err("port 0 would be chosen at random, and no client could find it".to_owned());
    }
    Ok(addr)
}

/// `--counters` of `demo node`: 1 to [`MAX_COUNTERS`].
fn node_counters(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (1..=MAX_COUNTERS).contains(&n) => Ok(n),
        _ => Err(format!("a node hosts 1 to {MAX_COUNTERS} counters")),
    }
}

/// Where a run's counters are, and the secret to reach them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    /// The node's address.
    pub addr: SocketAddr,
    /// The cookie, read from the environment.
    pub cookie: Cookie,
}

impl RemoteArgs {
    /// Refuses `--connect` for a design other than ractor, then reads the
    /// cookie: both before anything starts.
    pub fn remote(&self, design: Design) -> Result<Option<Remote>, RemoteError> {
        let Some(addr) = self.connect else {
            return Ok(None);
        };
        if design != Design::Ractor {
            return Err(RemoteError::Unsupported(Unsupported {
                option: "--connect",
                design,
                reason: "a node hosts ractor counters",
            }));
        }
        let cookie = Cookie::from_env()?;
        Ok(Some(Remote { addr, cookie }))
    }
}

/// Why `demo node` or `demo run --connect` cannot start.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// No usable cookie.
    #[error(transparent)]
    Cookie(#[from] CookieError),
    /// `--connect` for a design no node hosts.
    #[error(transparent)]
    Unsupported(#[from] Unsupported),
}

// ANCHOR: run_remote
/// Runs `scenario` against the counters of the node at `remote.addr`: the
/// same clients, final round and accounting as [`crate::run`], with
/// [`RemoteSystem`] behind the contract. A counter that a send or a
/// question failed on makes the run fail at once, with the list of them.
pub async fn run(
    scenario: &Scenario,
    remote: &Remote,
    transcript: &Transcript,
) -> Result<Outcome, DemoError> {
    scenario.validate()?;
    announce(scenario, transcript);
    let counters = scenario.workload.counters;
    let timeout = scenario.call_timeout;
    let system = Arc::new(
        RemoteSystem::connect(remote.addr, &remote.cookie, counters, timeout, transcript).await?,
    );
    let run = run_system(
        Arc::clone(&system) as Arc<dyn CounterSystem>,
        None,
        scenario,
        transcript,
    );
    // The run, unless a counter is lost first: then the report comes within
    // a call timeout, not after the clients' last tick.
    let outcome = tokio::select! {
        outcome = run => outcome,
        () = system.watch() => Err(DemoError::NodeLost {
            addr: remote.addr,
            counters: Vec::new(),
        }),
    };
    let lost = system.unreachable();
    if !lost.is_empty() {
        return Err(DemoError::NodeLost {
            addr: remote.addr,
            counters: lost,
        });
    }
    outcome
}
// ANCHOR_END: run_remote

// ANCHOR: node
/// `demo node`: hosts the counters until `stop` completes (Ctrl-C, or
/// SIGTERM in the binary), then stops them, each with its final line.
pub async fn serve(
    args: &NodeArgs,
    cookie: &Cookie,
    stop: impl Future<Output = ()>,
    transcript: &Transcript,
) -> Result<(), NodeError> {
    let config = NodeConfig {
        listen: args.listen,
        counters: args.counters,
        intensity: Intensity::default(),
        faults: Faults::default(),
    };
    let mut node = Node::start(config, cookie, transcript).await?;
    if !args.listen.ip().is_loopback() {
        transcript.line(
            "[node] reachable from other machines: the cookie is checked, but nothing is encrypted",
        );
    }
    tokio::select! {
        () = stop => {
            transcript.line("[node] stopping");
            node.stop().await;
            Ok(())
        }
        gave_up = node.gave_up() => Err(gave_up),
    }
}
// ANCHOR_END: node
