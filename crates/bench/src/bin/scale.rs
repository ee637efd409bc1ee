//! The demo's workload at every size, for every design, each in a process
//! of its own, printed as JSON (`bench::ScaleFigures`) for
//! `bench-report --scale`.
//!
//! ```text
//! cargo run --release -p bench --bin scale                   # every design, 10k to 1M (minutes)
//! cargo run --release -p bench --bin scale -- --designs ractor --sizes 100000
//! cargo run --release -p bench --bin scale > target/bench-scale.json
//! ```
//!
//! An unknown design, or a size outside 1 to `demo::MAX_COUNTERS`, is
//! refused with exit code 2 before any run starts. A run that
//! `demo::footprint` says will not fit in free memory is skipped, and the
//! JSON says why.

use std::process::{Command, ExitCode};

use actors_core::Design;
use bench::MeasureError;
use bench::scale::{
    self, INTERVAL, OPS_PER_CLIENT, Outcome, PEAK_SOURCE, SCALE_COMMAND, SIZES, ScaleFigures,
    ScaleRun,
};
use clap::Parser;

/// Every design at every size, each run in a fresh process, as JSON.
#[derive(Debug, Parser)]
#[command(name = "scale")]
struct Args {
    /// The designs to run, by name, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = Design::ALL)]
    designs: Vec<Design>,
    /// The sizes to run, in counters, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = SIZES, value_parser = bench::counters_arg)]
    sizes: Vec<usize>,
    /// Run the first design at the first size in this process and print
    /// its figures: how the binary runs each case in a child of its own.
    #[arg(long, hide = true)]
    child: bool,
}

/// Why the figures could not be taken.
#[derive(Debug, thiserror::Error)]
enum ScaleError {
    /// This program could not run itself again, or read what it printed.
    #[error("cannot run a child: {0}")]
    Child(#[from] std::io::Error),
    /// A child run failed, and said why.
    #[error("the run of {counters} {design} counters failed: {stderr}")]
    Failed {
        /// The design.
        design: Design,
        /// The size.
        counters: usize,
        /// What the child wrote on standard error.
        stderr: String,
    },
    /// A child printed something that is not its figures.
    #[error("a child's figures do not read: {0}")]
    Json(#[from] serde_json::Error),
    /// A child run was asked for without a design and a size.
    #[error("a child run needs a design and a size")]
    NothingToRun,
    /// The run itself failed.
    #[error(transparent)]
    Measure(#[from] MeasureError),
}

fn main() -> ExitCode {
    // clap prints a bad design or size with the usage and exits with code 2.
    let args = Args::parse();
    let result = if args.child {
        child(&args)
    } else {
        parent(&args)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Every case, each in a child; then the figures.
fn parent(args: &Args) -> Result<(), ScaleError> {
    if scale::peak_resident().is_none() {
        eprintln!("note: no {PEAK_SOURCE} here, so peak memory is not measured");
    }
    let mut figures = ScaleFigures {
        command: command_line(args),
        ops_per_client: OPS_PER_CLIENT,
        interval_ms: u64::try_from(INTERVAL.as_millis()).unwrap_or(u64::MAX),
        runs: Vec::new(),
    };
    for &design in &args.designs {
        for &counters in &args.sizes {
            let outcome = match scale::fits(design, counters) {
                Err(wont_fit) => Outcome::Skipped {
                    reason: wont_fit.to_string(),
                },
                Ok(()) => Outcome::Ran(in_a_child(design, counters)?),
            };
            eprintln!("{design} at {counters}: {}", summary(&outcome));
            figures.runs.push(ScaleRun {
                design,
                counters,
                outcome,
            });
        }
    }
    println!("{}", figures.to_json());
    Ok(())
}

/// Runs one case in a fresh process of this binary, so that its peak
/// memory is its own, and reads back its figures.
fn in_a_child(design: Design, counters: usize) -> Result<scale::Measured, ScaleError> {
    let output = Command::new(std::env::current_exe()?)
        .args(["--child", "--designs", design.name(), "--sizes"])
        .arg(counters.to_string())
        .output()?;
    if !output.status.success() {
        return Err(ScaleError::Failed {
            design,
            counters,
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    Ok(serde_json::from_slice(&output.stdout)?)
}

/// One case, here, on tokio's paused clock, as `demo --virtual-time` runs.
fn child(args: &Args) -> Result<(), ScaleError> {
    let (Some(&design), Some(&counters)) = (args.designs.first(), args.sizes.first()) else {
        return Err(ScaleError::NothingToRun);
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()?;
    let measured = runtime.block_on(scale::run_once(design, counters))?;
    println!("{}", serde_json::to_string(&measured)?);
    Ok(())
}

/// The command that reproduces these figures: the flags given, if any.
fn command_line(args: &Args) -> String {
    let mut command = SCALE_COMMAND.to_owned();
    let mut flags = Vec::new();
    if args.designs != Design::ALL {
        let names: Vec<&str> = args.designs.iter().map(|d| d.name()).collect();
        flags.push(format!("--designs {}", names.join(",")));
    }
    if args.sizes != SIZES {
        let sizes: Vec<String> = args.sizes.iter().map(usize::to_string).collect();
        flags.push(format!("--sizes {}", sizes.join(",")));
    }
    if !flags.is_empty() {
        command = format!("{command} -- {}", flags.join(" "));
    }
    command
}

/// One line on standard error per case, for whoever waits.
fn summary(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Skipped { reason } => format!("skipped: {reason}"),
        Outcome::Ran(measured) => format!(
            "{:.1} s, exact: {}",
            measured.phases.total(),
            if measured.exact { "yes" } else { "no" }
        ),
    }
}
