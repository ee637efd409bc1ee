//! Remote against local: a node's counter in another process, over
//! loopback, timed against the same counter in this one, casts and calls,
//! printed as JSON (`bench::remote::RemoteFigures`) for
//! `bench-report --remote`.
//!
//! ```text
//! cargo run --release -p bench --bin remote                    # five rounds (seconds)
//! cargo run --release -p bench --bin remote -- --rounds 9 --casts 20000
//! cargo run --release -p bench --bin remote > target/bench-remote.json
//! ```
//!
//! The program starts itself again as the node (`--node`, with the cookie
//! in `DEMO_COOKIE`), and kills that child when it is done. A number out of
//! range is refused with exit code 2 before anything starts.

use std::process::ExitCode;

use bench::loopback::{self, LoopbackError, NodeProcess, Plan};
use bench::machine::Machine;
use bench::remote::{
    self, CALLS, CASTS, Kind, REMOTE_COMMAND, ROUNDS, RemoteFigures, RemoteRound, Side,
};
use clap::Parser;
use cluster::Cookie;

/// Casts and calls to a counter here and to one in another process.
#[derive(Debug, Parser)]
#[command(name = "remote")]
struct Args {
    /// Increments per cast figure, followed by one call.
    #[arg(long, default_value_t = CASTS, value_parser = remote::casts_arg)]
    casts: u64,
    /// Questions per call figure, one at a time.
    #[arg(long, default_value_t = CALLS, value_parser = remote::calls_arg)]
    calls: u64,
    /// Rounds of all four figures; the report takes each one's median.
    #[arg(long, default_value_t = ROUNDS, value_parser = remote::rounds_arg)]
    rounds: u64,
    /// Be the node: how the program runs its other process.
    #[arg(long = "node", hide = true)]
    node: bool,
}

fn main() -> ExitCode {
    // clap prints a bad number with the usage and exits with code 2.
    let args = Args::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the tokio runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = if args.node {
        Cookie::from_env()
            .map_err(LoopbackError::from)
            .and_then(|cookie| runtime.block_on(loopback::serve(&cookie)))
    } else {
        parent(&args, &runtime)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Starts the node, times both sides, prints the figures.
fn parent(args: &Args, runtime: &tokio::runtime::Runtime) -> Result<(), LoopbackError> {
    let node = NodeProcess::start(&std::env::current_exe()?)?;
    eprintln!("node ready on {}", node.addr());
    let plan = Plan {
        casts: args.casts,
        calls: args.calls,
        rounds: args.rounds,
    };
    let rounds = runtime.block_on(loopback::measure(&node, plan))?;
    drop(node);
    for (number, round) in rounds.iter().enumerate() {
        eprintln!("round {}: {}", number + 1, summary(round));
    }
    let figures = RemoteFigures {
        command: command_line(args),
        machine: Machine::detect(),
        casts: args.casts,
        calls: args.calls,
        rounds,
    };
    for kind in Kind::ALL {
        let median = |side| figures.median(side, kind).unwrap_or(f64::NAN);
        eprintln!(
            "median ns per {}: {:.0} local, {:.0} remote, remote ÷ local {:.1}",
            kind.name(),
            median(Side::Local),
            median(Side::Remote),
            figures.ratio(kind).unwrap_or(f64::NAN)
        );
    }
    println!("{}", figures.to_json());
    Ok(())
}

/// One line on standard error per round, for whoever waits.
fn summary(round: &RemoteRound) -> String {
    let figures: Vec<String> = Side::ALL
        .into_iter()
        .flat_map(|side| {
            Kind::ALL.map(|kind| {
                format!(
                    "{} {} {:.0} ns",
                    side.name(),
                    kind.name(),
                    round.side(side).get(kind)
                )
            })
        })
        .collect();
    figures.join(", ")
}

/// The command that reproduces these figures: the flags given, if any.
fn command_line(args: &Args) -> String {
    let mut flags = Vec::new();
    for (flag, value, default) in [
        ("--casts", args.casts, CASTS),
        ("--calls", args.calls, CALLS),
        ("--rounds", args.rounds, ROUNDS),
    ] {
        if value != default {
            flags.push(format!("{flag} {value}"));
        }
    }
    if flags.is_empty() {
        REMOTE_COMMAND.to_owned()
    } else {
        format!("{REMOTE_COMMAND} -- {}", flags.join(" "))
    }
}
