//! The `demo` binary: parse, set up logging, pick a clock, run one
//! subcommand. Everything else is in the library (`demo::cli`).
//!
//! ```text
//! cargo run -p demo                                  # the article's scenario, about 3.5 s
//! cargo run -p demo -- --virtual-time                # the same story in milliseconds
//! cargo run -p demo -- run --impl mutex              # the same scenario on another design
//! cargo run -p demo -- compare --virtual-time        # every design, side by side
//! cargo run -p demo -- --virtual-time --trace run.mmd   # the message flow, as a diagram
//! cargo run -p demo -- --help                        # every subcommand and flag
//! ```

use std::io::IsTerminal;
use std::process::ExitCode;

use actors_core::Transcript;
use clap::Parser;
use demo::cli::{Cli, Command, CompareArgs, RunArgs, UsageError, shell_words};
use demo::compare;
use demo::progress::{Progress, ProgressLayer};
use demo::trace::FlowRecorder;
use tokio::runtime::Runtime;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

// ANCHOR: main
fn main() -> ExitCode {
    match Cli::parse().into_command() {
        Command::Run(args) => run(&args),
        Command::Compare(args) => compare_all(&args),
        #[cfg(feature = "cluster")]
        Command::Node(args) => node(&args),
    }
}

/// `demo run`: one design, and its trace if asked.
fn run(args: &RunArgs) -> ExitCode {
    let command_line = shell_words(std::env::args_os().skip(1));
    let plan = match args.prepare(&command_line) {
        Ok(plan) => plan,
        Err(error) => return refused(&error),
    };
    let mailboxes = plan.scenario.pressure.is_some();
    let progress = Progress::start(args.scenario.counters, args.scenario.ops, mailboxes);
    let counting = progress.as_ref().map(|(_, layer)| layer);
    logging(plan.trace.as_ref().map(|trace| trace.recorder()), counting);
    let Some(runtime) = runtime(args.scenario.virtual_time) else {
        return ExitCode::FAILURE;
    };
    let outcome = runtime.block_on(plan.execute(&Transcript::stdout()));
    if let Some((bars, _)) = progress {
        bars.finish();
    }
    finished(outcome)
}

/// `demo compare`: every design, then the table.
fn compare_all(args: &CompareArgs) -> ExitCode {
    let scenario = match args.prepare() {
        Ok(scenario) => scenario,
        Err(error) => return refused(&error),
    };
    logging(None, None);
    let Some(runtime) = runtime(args.scenario.virtual_time) else {
        return ExitCode::FAILURE;
    };
    finished(runtime.block_on(compare(&scenario, &Transcript::stdout())))
}
// ANCHOR_END: main

// ANCHOR: node
/// `demo node`: the cookie first, then the counters, until Ctrl-C or
/// SIGTERM. Always on the real clock: a network does not run on a paused one.
#[cfg(feature = "cluster")]
fn node(args: &demo::remote::NodeArgs) -> ExitCode {
    let cookie = match cluster::Cookie::from_env() {
        Ok(cookie) => cookie,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    logging(None, None);
    let Some(runtime) = runtime(false) else {
        return ExitCode::FAILURE;
    };
    let served = runtime.block_on(demo::remote::serve(
        args,
        &cookie,
        stop_signal(),
        &Transcript::stdout(),
    ));
    finished(served)
}

/// Completes on Ctrl-C or, on Unix, SIGTERM: what `kill` sends.
#[cfg(feature = "cluster")]
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(error) => {
                tracing::warn!(%error, "cannot watch for SIGTERM; Ctrl-C only");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
// ANCHOR_END: node

/// A command refused before it started: exit code 2, like clap's own.
fn refused(error: &UsageError) -> ExitCode {
    eprintln!("error: {error}");
    ExitCode::from(2)
}

/// A run that started: success, or exit code 1 with the reason.
fn finished<T, E: std::fmt::Display>(result: Result<T, E>) -> ExitCode {
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Diagnostics go to standard error through `tracing`; `RUST_LOG=debug`
/// shows more. The transcript goes to standard output. With a trace, a
/// second layer records the message flow, whatever `RUST_LOG` says; with
/// progress bars, a third counts it. Colours only on a terminal, so that a
/// log piped to a file stays text.
fn logging(recorder: Option<&FlowRecorder>, progress: Option<&ProgressLayer>) {
    let logs = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| QUIET.into()));
    tracing_subscriber::registry()
        .with(logs)
        .with(recorder.map(FlowRecorder::layer))
        .with(progress.map(ProgressLayer::layer))
        .init();
}

/// What is logged without `RUST_LOG`: warnings, but not ractor_cluster's
/// warning for every session that ends, which the node's transcript reports.
const QUIET: &str = "warn,ractor_cluster=error";

// ANCHOR: clock
/// The runtime, on the clock asked for. `start_paused` makes the clock
/// virtual: when every task is waiting, tokio jumps straight to the next
/// timer. It needs the current-thread runtime and tokio's `test-util`.
fn runtime(virtual_time: bool) -> Option<Runtime> {
    let built = if virtual_time {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
    };
    built
        .inspect_err(|error| eprintln!("error: cannot start the tokio runtime: {error}"))
        .ok()
}
// ANCHOR_END: clock
