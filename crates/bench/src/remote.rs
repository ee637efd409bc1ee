//! Remote against local: what a message to a node's counter costs when the
//! counter is in another process, over loopback TCP, against the same
//! counter in the sender's own process. Two processes are more than
//! criterion runs, so the `remote` binary measures it
//! (`cargo run --release -p bench --bin remote`, built with the `cluster`
//! feature; its two processes are in `loopback`) and prints
//! [`RemoteFigures`] as JSON for `bench-report --remote`.
//!
//! Both sides are a `cluster::NodeCounter` behind an
//! `ActorRef<RemoteCounterMessage>`: the same code sends to both, and only
//! where the actor lives differs. A *cast* figure is [`CASTS`] increments
//! and then one call, divided by [`CASTS`]: the counter answers the call
//! after every cast before it, since one sender's messages arrive in order,
//! in one process and over the nodes' one connection alike. A *call*
//! figure is [`CALLS`] questions asked in turn, each waiting for its
//! answer. The machine is shared and noisy, so a run takes [`ROUNDS`]
//! rounds of all four, and the report reads medians, and their ratios.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::backlog::{FlagError, whole};
use crate::machine::Machine;

/// Prints the remote figures, as JSON for `bench-report --remote`.
pub const REMOTE_COMMAND: &str = "cargo run --release -p bench --bin remote";

/// Increments per cast figure: enough that the one call at the end is a
/// rounding error in the figure, on either side.
pub const CASTS: u64 = 100_000;

/// Questions per call figure. A question across loopback waits for a TCP
/// round trip, so fewer are enough.
pub const CALLS: u64 = 2_000;

/// Rounds per run; the report takes the median of each figure.
pub const ROUNDS: u64 = 5;

/// Where the counter lives, as seen from the sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// In the sender's own process.
    Local,
    /// In a node in another process, over loopback.
    Remote,
}

impl Side {
    /// Both, in the order of the table.
    pub const ALL: [Side; 2] = [Side::Local, Side::Remote];

    /// `local` or `remote`.
    pub const fn name(self) -> &'static str {
        match self {
            Side::Local => "local",
            Side::Remote => "remote",
        }
    }
}

/// The two kinds of message a figure is taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Sent and not answered: `cast`.
    Cast,
    /// Asked and waited for: `call`.
    Call,
}

impl Kind {
    /// Both, in the order of the table.
    pub const ALL: [Kind; 2] = [Kind::Cast, Kind::Call];

    /// `cast` or `call`.
    pub const fn name(self) -> &'static str {
        match self {
            Kind::Cast => "cast",
            Kind::Call => "call",
        }
    }
}

/// One side's figures in one round, in nanoseconds per message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Costs {
    /// Per increment sent, the closing call included.
    pub cast_ns: f64,
    /// Per question answered.
    pub call_ns: f64,
}

impl Costs {
    /// The figure for `kind`.
    pub fn get(&self, kind: Kind) -> f64 {
        match kind {
            Kind::Cast => self.cast_ns,
            Kind::Call => self.call_ns,
        }
    }

    /// Sets the figure for `kind` from `elapsed` over `messages`.
    pub fn set(&mut self, kind: Kind, elapsed: Duration, messages: u64) {
        let ns = elapsed.as_nanos() as f64 / messages.max(1) as f64;
        match kind {
            Kind::Cast => self.cast_ns = ns,
            Kind::Call => self.call_ns = ns,
        }
    }
}

/// One round: both sides, each timed for both kinds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct RemoteRound {
    /// The counter in the sender's process.
    pub local: Costs,
    /// The counter in the node's process.
    pub remote: Costs,
}

impl RemoteRound {
    /// The side's figures.
    pub fn side(&self, side: Side) -> &Costs {
        match side {
            Side::Local => &self.local,
            Side::Remote => &self.remote,
        }
    }

    /// The side's figures, to fill in.
    pub fn side_mut(&mut self, side: Side) -> &mut Costs {
        match side {
            Side::Local => &mut self.local,
            Side::Remote => &mut self.remote,
        }
    }
}

/// What the `remote` binary prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemoteFigures {
    /// The command that produced them, flags included.
    pub command: String,
    /// The machine both processes ran on.
    pub machine: Machine,
    /// Increments per cast figure.
    pub casts: u64,
    /// Questions per call figure.
    pub calls: u64,
    /// Every round, in the order they ran.
    pub rounds: Vec<RemoteRound>,
}

/// Why a file of remote figures cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("not the remote binary's JSON: {0}")]
pub struct RemoteFormatError(#[from] serde_json::Error);

impl RemoteFigures {
    /// The median over the rounds of one figure, if there are rounds.
    pub fn median(&self, side: Side, kind: Kind) -> Option<f64> {
        let figures: Vec<f64> = self.rounds.iter().map(|r| r.side(side).get(kind)).collect();
        median(figures)
    }

    /// Remote ÷ local, between the medians of one run.
    pub fn ratio(&self, kind: Kind) -> Option<f64> {
        let local = self.median(Side::Local, kind)?;
        let remote = self.median(Side::Remote, kind)?;
        (local > 0.0).then(|| remote / local)
    }

    /// The figures as the binary prints them: one JSON document.
    pub fn to_json(&self) -> String {
        // Strings and numbers always serialize.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads what [`to_json`](Self::to_json) wrote.
    pub fn from_json(text: &str) -> Result<Self, RemoteFormatError> {
        Ok(serde_json::from_str(text)?)
    }
}

/// The middle figure, or the mean of the two middle ones.
fn median(mut figures: Vec<f64>) -> Option<f64> {
    figures.sort_by(f64::total_cmp);
    let n = figures.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(figures[n / 2]),
        _ => Some((figures[n / 2 - 1] + figures[n / 2]) / 2.0),
    }
}

/// `--casts`: 1 to 10,000,000 increments per figure. All of them may wait
/// in the queue to the connection at once.
pub fn casts_arg(arg: &str) -> Result<u64, FlagError> {
    whole(arg, "increments per cast figure", 1, 10_000_000)
}

/// `--calls`: 1 to 1,000,000 questions per figure.
pub fn calls_arg(arg: &str) -> Result<u64, FlagError> {
    whole(arg, "questions per call figure", 1, 1_000_000)
}

/// `--rounds`: 1 to 101.
pub fn rounds_arg(arg: &str) -> Result<u64, FlagError> {
    whole(arg, "rounds", 1, 101)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(local: (f64, f64), remote: (f64, f64)) -> RemoteRound {
        let costs = |(cast_ns, call_ns)| Costs { cast_ns, call_ns };
        RemoteRound {
            local: costs(local),
            remote: costs(remote),
        }
    }

    fn figures() -> RemoteFigures {
        RemoteFigures {
            command: REMOTE_COMMAND.to_owned(),
            machine: Machine {
                cpu: "Test CPU".to_owned(),
                cores: Some(2),
                os: "linux".to_owned(),
                arch: "x86_64".to_owned(),
            },
            casts: 10,
            calls: 5,
            rounds: vec![
                round((100.0, 1000.0), (900.0, 50_000.0)),
                round((300.0, 3000.0), (1500.0, 40_000.0)),
                round((200.0, 2000.0), (2000.0, 60_000.0)),
            ],
        }
    }

    /// Each figure's median is taken over the rounds on its own, and the
    /// ratio is between the two medians.
    #[test]
    fn medians_and_ratios() {
        let figures = figures();
        assert_eq!(figures.median(Side::Local, Kind::Cast), Some(200.0));
        assert_eq!(figures.median(Side::Remote, Kind::Cast), Some(1500.0));
        assert_eq!(figures.ratio(Kind::Cast), Some(7.5));
        assert_eq!(figures.ratio(Kind::Call), Some(25.0));
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), Some(2.5));
        let empty = RemoteFigures {
            rounds: Vec::new(),
            ..figures
        };
        assert_eq!(empty.ratio(Kind::Call), None);
    }

    /// What is written reads back the same, machine included.
    #[test]
    fn figures_round_trip() {
        let json = figures().to_json();
        assert!(json.contains("\"cpu\": \"Test CPU\""), "{json}");
        assert_eq!(RemoteFigures::from_json(&json).unwrap(), figures());
        assert!(RemoteFigures::from_json("{}").is_err());
    }

    /// A figure is nanoseconds per message.
    #[test]
    fn costs_are_per_message() {
        let mut costs = Costs::default();
        costs.set(Kind::Call, Duration::from_micros(30), 10);
        assert_eq!(costs.get(Kind::Call), 3000.0);
        assert!(casts_arg("0").is_err());
        assert_eq!(rounds_arg("5").unwrap(), 5);
    }
}
