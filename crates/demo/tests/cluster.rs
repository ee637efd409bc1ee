//! `demo node` and `demo run --connect`, as two real processes on loopback.
//!
//! Each test starts its own node on a port the system just handed out, and
//! waits for the node's `listening on` line before it starts a client:
//! every wait reads a process's output, with a time limit, and never
//! sleeps. A process still running at the end of a test is killed and
//! reaped by [`Running`]'s `Drop`.
#![cfg(feature = "cluster")]

use std::io::{BufRead, BufReader, Read};
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use cluster::{COOKIE_VAR, MIN_COOKIE_LEN};

/// The cookie every node and client of these tests shares.
const COOKIE: &str = "cluster-test-cookie-0123";

/// How long a node may take to listen, or a short run to end.
const PATIENCE: Duration = Duration::from_secs(20);

/// How long a client may take to report a lost node: its clients still
/// send for their 2 s, each send failing at once, then it reports.
const LOST_WITHIN: Duration = Duration::from_secs(10);

/// The article's workload, without the 10 ms between operations and the
/// 3 s linger: the totals do not depend on either.
const QUICK: [&str; 4] = ["--interval-ms", "1", "--linger-ms", "0"];

/// The article's totals come back through the cluster path: 4 counters on
/// the node, 4 clients in another process, 160 and 200 as in one process.
#[test]
fn a_client_process_gets_the_article_totals_from_a_node() {
    let node = Node::start(COOKIE);

    let run = client(&node.addr, COOKIE, &QUICK).finish(PATIENCE);

    assert!(run.status.success(), "{run:?}");
    assert!(
        run.stdout.contains("Total value across all counters: 160"),
        "{run:?}"
    );
    assert!(run.stdout.contains("Total operations: 200"), "{run:?}");
}

/// A client with another cookie is turned away during the handshake, and
/// the node reports a session that closed before it authenticated.
#[test]
fn a_wrong_cookie_is_refused_at_the_handshake() {
    let mut node = Node::start(COOKIE);

    let run = client(&node.addr, "another-cookie-of-24-chars", &QUICK).finish(PATIENCE);

    assert!(!run.status.success(), "{run:?}");
    let refused = format!(
        "error: the node at {} closed the session during the handshake: is {COOKIE_VAR} the same on both sides?",
        node.addr
    );
    assert!(run.stderr.contains(&refused), "{run:?}");
    node.process
        .wait_for("closed before it authenticated", PATIENCE)
        .unwrap_or_else(|seen| panic!("the node did not report it: {seen}"));
}

/// A node without a cookie refuses to start, with exit code 2, before it
/// listens.
#[test]
fn a_node_without_a_cookie_refuses_to_start() {
    let mut command = demo(&["node", "--listen", &free_addr().to_string()]);
    command.env_remove(COOKIE_VAR);

    let run = Running::spawn(command).finish(PATIENCE);

    assert_eq!(run.status.code(), Some(2), "{run:?}");
    assert!(
        run.stderr.contains(&format!("{COOKIE_VAR} is not set")),
        "{run:?}"
    );
    assert!(run.stdout.is_empty(), "{run:?}");
}

/// A cookie one character short of the minimum is refused the same way.
#[test]
fn a_node_with_a_short_cookie_refuses_to_start() {
    let short = "x".repeat(MIN_COOKIE_LEN - 1);
    let mut command = demo(&["node", "--listen", &free_addr().to_string()]);
    command.env(COOKIE_VAR, &short);

    let run = Running::spawn(command).finish(PATIENCE);

    assert_eq!(run.status.code(), Some(2), "{run:?}");
    let says = format!("{COOKIE_VAR} has {} characters", MIN_COOKIE_LEN - 1);
    assert!(run.stderr.contains(&says), "{run:?}");
}

/// A node killed outright in the middle of a run (SIGKILL: no goodbye) is
/// reported by the client, which names every counter that went with it
/// and fails once its clients have had their turn, within [`LOST_WITHIN`].
#[test]
fn a_node_killed_mid_run_is_reported_by_the_client() {
    let mut node = Node::start(COOKIE);
    // 100 operations 20 ms apart: 2 s of sending, long enough to kill
    // the node in the middle.
    let slow = ["--ops", "100", "--interval-ms", "20", "--linger-ms", "0"];
    let mut client = client(&node.addr, COOKIE, &slow);
    client
        .wait_for("clients running", PATIENCE)
        .unwrap_or_else(|seen| panic!("the run did not start: {seen}"));

    node.process.kill();
    let run = client.finish(LOST_WITHIN);

    assert!(!run.status.success(), "{run:?}");
    let lost = format!(
        "error: the node at {} was lost during the run: counters 0, 1, 2, 3 did not answer",
        node.addr
    );
    assert!(run.stderr.contains(&lost), "{run:?}");
}

/// With nothing listening at the address, the client stops before the run
/// and says so.
#[test]
fn no_node_at_the_address_is_reported() {
    let addr = free_addr();

    let run = client(&addr, COOKIE, &QUICK).finish(PATIENCE);

    assert!(!run.status.success(), "{run:?}");
    assert!(
        run.stderr.contains(&format!("error: no node at {addr}")),
        "{run:?}"
    );
}

/// A `demo node` that has said it listens.
struct Node {
    addr: SocketAddr,
    process: Running,
}

impl Node {
    /// Starts a node on a free port and waits for its `listening on` line.
    /// Another program may take the port between the probe and the bind:
    /// then again, on another port, a few times.
    fn start(cookie: &str) -> Node {
        let mut refusals = Vec::new();
        for _ in 0..5 {
            let addr = free_addr();
            let mut command = demo(&["node", "--listen", &addr.to_string()]);
            command.env(COOKIE_VAR, cookie);
            let mut process = Running::spawn(command);
            match process.wait_for("[node] listening on", PATIENCE) {
                Ok(()) => return Node { addr, process },
                Err(seen) if seen.contains("cannot listen on") => refusals.push(seen),
                Err(seen) => panic!("the node did not start: {seen}"),
            }
        }
        panic!("no free port in 5 attempts: {refusals:#?}");
    }
}

/// `demo run --connect addr` with `cookie` and the `extra` flags.
fn client(addr: &SocketAddr, cookie: &str, extra: &[&str]) -> Running {
    let mut args = vec!["run", "--connect"];
    let addr = addr.to_string();
    args.push(&addr);
    args.extend_from_slice(extra);
    let mut command = demo(&args);
    command.env(COOKIE_VAR, cookie);
    Running::spawn(command)
}

/// The demo binary with `args`, its `RUST_LOG` the default one whatever
/// the developer's shell says, so that only the transcript and errors print.
fn demo(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_demo"));
    command.args(args).env_remove("RUST_LOG");
    command
}

/// A loopback address whose port was free a moment ago.
fn free_addr() -> SocketAddr {
    let probe = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("loopback is available");
    probe.local_addr().expect("a bound socket has an address")
}

/// One line a process printed, and where.
enum Line {
    Stdout(String),
    Stderr(String),
}

/// A process of the demo binary, its two outputs read line by line by a
/// thread each. Dropping it kills the process and waits for it.
struct Running {
    child: Child,
    lines: Receiver<Line>,
    stdout: String,
    stderr: String,
}

/// How a process ended, and everything it printed.
#[derive(Debug)]
struct Finished {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl Running {
    fn spawn(mut command: Command) -> Running {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("the demo binary starts");
        let (sender, lines) = mpsc::channel();
        let out = child.stdout.take().expect("stdout is piped");
        let err = child.stderr.take().expect("stderr is piped");
        forward(out, sender.clone(), Line::Stdout);
        forward(err, sender, Line::Stderr);
        Running {
            child,
            lines,
            stdout: String::new(),
            stderr: String::new(),
        }
    }

    /// Reads until a line of standard output contains `text`. Fails with
    /// everything read so far if the process ends or `within` passes first.
    fn wait_for(&mut self, text: &str, within: Duration) -> Result<(), String> {
        let deadline = Instant::now() + within;
        while let Some(line) = self.next_line(deadline) {
            if let Line::Stdout(line) = line
                && line.contains(text)
            {
                return Ok(());
            }
        }
        Err(self.printed())
    }

    /// Reads both outputs to their end, then reaps the process. Fails if
    /// it has not closed them within `within`.
    fn finish(mut self, within: Duration) -> Finished {
        let deadline = Instant::now() + within;
        while self.next_line(deadline).is_some() {}
        if Instant::now() >= deadline {
            panic!("still running after {within:?}: {}", self.printed());
        }
        let status = self.child.wait().expect("the process can be waited for");
        Finished {
            status,
            stdout: std::mem::take(&mut self.stdout),
            stderr: std::mem::take(&mut self.stderr),
        }
    }

    /// The next line, kept in `stdout` or `stderr` too; `None` once both
    /// outputs have closed or at `deadline`.
    fn next_line(&mut self, deadline: Instant) -> Option<Line> {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = match self.lines.recv_timeout(left) {
            Ok(line) => line,
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
        };
        let (Line::Stdout(text) | Line::Stderr(text)) = &line;
        let kept = match line {
            Line::Stdout(_) => &mut self.stdout,
            Line::Stderr(_) => &mut self.stderr,
        };
        kept.push_str(text);
        kept.push('\n');
        Some(line)
    }

    /// Everything printed so far, for a failure message.
    fn printed(&self) -> String {
        format!("stdout:\n{}stderr:\n{}", self.stdout, self.stderr)
    }

    /// Kills the process at once: SIGKILL on Unix.
    fn kill(&mut self) {
        self.child.kill().expect("the process can be killed");
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // Already ended, or killed: either way there is nothing to report.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends each line of `output` down `lines`, from a thread of its own,
/// until the output closes or nobody listens.
fn forward(
    output: impl Read + Send + 'static,
    lines: mpsc::Sender<Line>,
    wrap: fn(String) -> Line,
) {
    thread::spawn(move || {
        for line in BufReader::new(output).lines() {
            let Ok(line) = line else { break };
            if lines.send(wrap(line)).is_err() {
                break;
            }
        }
    });
}
