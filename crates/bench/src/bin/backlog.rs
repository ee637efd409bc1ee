//! Clients that outrun a slow counter, once per mailbox policy, on tokio's
//! paused clock: the depth of the mailboxes and the live heap bytes over
//! time, printed as JSON (`bench::BacklogFigures`) for
//! `bench-report --backlog`.
//!
//! ```text
//! cargo run --release -p bench --bin backlog                  # every policy, ractor (seconds)
//! cargo run --release -p bench --bin backlog -- --design handrolled --ops 500
//! cargo run --release -p bench --bin backlog > target/bench-backlog.json
//! ```
//!
//! A lock-based design, a mailbox that does not read (`drop-middle:4`), or
//! a number out of range is refused with exit code 2 before any run starts.

use std::alloc::System;
use std::process::ExitCode;
use std::time::Duration;

use actors_core::{Design, Mailbox};
use bench::backlog::{
    self, BACKLOG_COMMAND, BacklogFigures, COUNTERS, INTERVAL, MAILBOXES, OPS_PER_CLIENT, Overload,
    PolicyRun, SAMPLE_EVERY, WORK,
};
use clap::Parser;
use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};

/// Every allocation counted, as in the `memory` binary: the live heap
/// bytes are the backlog's weight.
#[global_allocator]
static ALLOCATOR: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// The same overload against every mailbox, as JSON.
#[derive(Debug, Parser)]
#[command(name = "backlog")]
struct Args {
    /// The actor design whose counters are overloaded.
    #[arg(long, default_value = "ractor", value_parser = backlog::design_arg)]
    design: Design,
    /// The mailboxes to compare, comma-separated, as `demo --mailbox` reads them.
    #[arg(long, value_delimiter = ',', default_values_t = MAILBOXES)]
    mailboxes: Vec<Mailbox>,
    /// Counters, one client each.
    #[arg(long, default_value_t = COUNTERS, value_parser = bench::counters_arg)]
    counters: usize,
    /// Operations per client, one a millisecond.
    #[arg(long, default_value_t = OPS_PER_CLIENT, value_parser = backlog::ops_arg)]
    ops: u64,
    /// Milliseconds a counter spends on each operation.
    #[arg(long, default_value = "5", value_parser = backlog::millis_arg)]
    work_ms: Duration,
    /// Milliseconds of virtual time between two samples.
    #[arg(long, default_value = "25", value_parser = backlog::millis_arg)]
    sample_ms: Duration,
}

fn main() -> ExitCode {
    // clap prints a bad value with the usage and exits with code 2.
    let args = Args::parse();
    let overload = Overload {
        design: args.design,
        counters: args.counters,
        ops_per_client: args.ops,
        work: args.work_ms,
        sample_every: args.sample_ms,
    };
    // One thread and a paused clock: the sampler reads between the run's
    // steps, and the seconds of overload take no real time.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the tokio runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut figures = BacklogFigures {
        command: command_line(&args),
        design: args.design,
        counters: args.counters,
        ops_per_client: args.ops,
        interval_ms: ms(INTERVAL),
        work_ms: ms(args.work_ms),
        sample_ms: ms(args.sample_ms),
        runs: Vec::new(),
    };
    for &mailbox in &args.mailboxes {
        match runtime.block_on(backlog::run_policy(&overload, mailbox, ALLOCATOR)) {
            Ok(run) => {
                eprintln!("{mailbox}: {}", summary(&run));
                figures.runs.push(run);
            }
            Err(error) => {
                eprintln!("error: {mailbox}: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("{}", figures.to_json());
    ExitCode::SUCCESS
}

fn ms(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// The command that reproduces these figures: the flags given, if any.
fn command_line(args: &Args) -> String {
    let mut flags = Vec::new();
    if args.design != Design::Ractor {
        flags.push(format!("--design {}", args.design));
    }
    if args.mailboxes != MAILBOXES {
        let names: Vec<String> = args.mailboxes.iter().map(Mailbox::to_string).collect();
        flags.push(format!("--mailboxes {}", names.join(",")));
    }
    if args.counters != COUNTERS {
        flags.push(format!("--counters {}", args.counters));
    }
    if args.ops != OPS_PER_CLIENT {
        flags.push(format!("--ops {}", args.ops));
    }
    if args.work_ms != WORK {
        flags.push(format!("--work-ms {}", ms(args.work_ms)));
    }
    if args.sample_ms != SAMPLE_EVERY {
        flags.push(format!("--sample-ms {}", ms(args.sample_ms)));
    }
    if flags.is_empty() {
        BACKLOG_COMMAND.to_owned()
    } else {
        format!("{BACKLOG_COMMAND} -- {}", flags.join(" "))
    }
}

/// One line on standard error per mailbox, for whoever waits.
fn summary(run: &PolicyRun) -> String {
    format!(
        "peak depth {} per mailbox, {} in all; peak heap {} bytes; {} applied, {} dropped, \
         {} refused, {} rerouted; clients done at {} ms, drained at {} ms",
        run.peak_depth,
        run.peak_total_depth,
        run.peak_heap_bytes,
        run.applied,
        run.dropped,
        run.refused,
        run.rerouted,
        run.producers_done_ms,
        run.drained_ms
    )
}
