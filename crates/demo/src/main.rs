//! The `demo` binary: parse the flags, pick a clock, run the scenario.
//!
//! ```text
//! cargo run -p demo                      # the article's scenario, about 3.5 s
//! cargo run -p demo -- --virtual-time    # the same story in milliseconds
//! cargo run -p demo -- --impl mutex      # the same scenario on another design
//! cargo run -p demo -- --impl all        # every design, side by side
//! cargo run --release -p demo -- --measure-memory   # heap bytes per idle counter
//! cargo run -p demo -- --virtual-time --trace run.mmd  # the message flow, as a diagram
//! cargo run -p demo -- --help            # every flag
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::LazyLock;
use std::time::Duration;

use actors_core::{Transcript, Workload};
use clap::builder::PossibleValue;
use clap::{Parser, ValueEnum};
use demo::trace::{self, FlowRecorder};
use demo::{Design, Scenario, compare, run};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

// ANCHOR: cli
/// Runs the article's counter system: counter actors fed by clients, and an
/// aggregator that collects their statistics.
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    /// Which design runs the counters. `atomic` is the seqlock snapshot;
    /// `all` runs each design in turn and prints a table. Defaults to
    /// `ractor`, or to `all` with --measure-memory.
    #[arg(long = "impl", value_enum)]
    design: Option<Choice>,
    /// How many counters, and so how many clients.
    #[arg(long, default_value_t = 4)]
    counters: usize,
    /// Operations each client sends.
    #[arg(long, default_value_t = 50)]
    ops: u64,
    /// Milliseconds between two operations of one client.
    #[arg(long, default_value_t = 10)]
    interval_ms: u64,
    /// Milliseconds between two collection rounds.
    #[arg(long, default_value_t = 2000)]
    collect_every_ms: u64,
    /// Milliseconds a round waits for each counter's answer.
    #[arg(long, default_value_t = 1000)]
    timeout_ms: u64,
    /// Milliseconds to keep running after the last client finished.
    #[arg(long, default_value_t = 3000)]
    linger_ms: u64,
    /// Run on tokio's paused clock: the same story, in milliseconds of real
    /// time. Timers fire in order as if the time had passed.
    #[arg(long)]
    virtual_time: bool,
    /// Instead of running the scenario, start this many idle counters of
    /// each chosen design and print the heap bytes each one holds. Build
    /// with --release for figures that match the benchmarks.
    #[arg(long, value_name = "COUNTERS", num_args = 0..=1, default_missing_value = "10000")]
    measure_memory: Option<usize>,
    /// Also write the run's message flow to FILE, as a Mermaid sequence
    /// diagram: who sent what to whom, and when, in milliseconds since the
    /// start. With --virtual-time the file is the same on every run. Needs
    /// one design, not `--impl all`.
    #[arg(long, value_name = "FILE", conflicts_with = "measure_memory")]
    trace: Option<PathBuf>,
    /// Leave out of the --trace diagram what happened before this
    /// millisecond of the run.
    #[arg(long, value_name = "MS", requires = "trace")]
    trace_from_ms: Option<u64>,
    /// Leave out of the --trace diagram what happened after this
    /// millisecond of the run.
    #[arg(long, value_name = "MS", requires = "trace")]
    trace_until_ms: Option<u64>,
}

/// What `--impl` accepts: one design, or all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    One(Design),
    All,
}
// ANCHOR_END: cli

/// The flag's values: every design's own, then `all`.
static CHOICES: LazyLock<Vec<Choice>> = LazyLock::new(|| {
    Design::ALL
        .into_iter()
        .map(Choice::One)
        .chain([Choice::All])
        .collect()
});

impl ValueEnum for Choice {
    fn value_variants<'a>() -> &'a [Self] {
        &CHOICES
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        match self {
            Choice::One(design) => Some(PossibleValue::new(design.name()).help(design.summary())),
            Choice::All => Some(PossibleValue::new("all").help("Every design, side by side")),
        }
    }
}

impl Choice {
    /// The one design chosen, or `None` for `all`.
    fn design(self) -> Option<Design> {
        match self {
            Choice::One(design) => Some(design),
            Choice::All => None,
        }
    }
}

impl Cli {
    /// What `--impl` chose, or the default for the mode.
    fn choice(&self) -> Choice {
        match (self.design, self.measure_memory) {
            (Some(choice), _) => choice,
            (None, Some(_)) => Choice::All,
            (None, None) => Choice::One(Design::Ractor),
        }
    }

    fn scenario(&self) -> Scenario {
        Scenario {
            design: self.choice().design().unwrap_or(Design::Ractor),
            workload: Workload {
                counters: self.counters,
                ops_per_client: self.ops,
                interval: Duration::from_millis(self.interval_ms),
                ..Workload::default()
            },
            collect_every: Duration::from_millis(self.collect_every_ms),
            call_timeout: Duration::from_millis(self.timeout_ms),
            linger: Duration::from_millis(self.linger_ms),
        }
    }
}

// ANCHOR: main
fn main() -> ExitCode {
    let cli = Cli::parse();

    // Diagnostics go to standard error through `tracing`; `RUST_LOG=debug`
    // shows more. The transcript goes to standard output. With --trace, a
    // second layer records the message flow, whatever RUST_LOG says.
    let recorder = cli.trace.as_ref().map(|_| FlowRecorder::new());
    let logs = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()));
    tracing_subscriber::registry()
        .with(logs)
        .with(recorder.as_ref().map(FlowRecorder::layer))
        .init();

    let scenario = cli.scenario();
    // Refuse bad flags before building anything.
    if let Err(error) = scenario.validate() {
        eprintln!("error: {error}");
        return ExitCode::from(2);
    }
    if cli.trace.is_some() && cli.choice() == Choice::All {
        eprintln!("error: --trace draws one run: pick one design with --impl, not all");
        return ExitCode::from(2);
    }

    // `start_paused` makes the clock virtual: when every task is waiting,
    // tokio jumps straight to the next timer. It needs the current-thread
    // runtime (and tokio's `test-util` feature).
    let runtime = if cli.virtual_time {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
    };
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the tokio runtime: {error}");
            return ExitCode::FAILURE;
        }
    };

    let transcript = Transcript::stdout();
    let result = match cli.choice().design() {
        Some(_) => runtime
            .block_on(async {
                // Time zero for the trace, read inside the runtime: on the
                // paused clock, that is virtual time.
                if let Some(recorder) = &recorder {
                    recorder.start_clock();
                }
                run(&scenario, &transcript).await
            })
            .map(drop),
        None => runtime.block_on(compare(&scenario, &transcript)).map(drop),
    };
    // Written even when the run failed: the diagram shows how far it got.
    if let (Some(path), Some(recorder)) = (&cli.trace, &recorder) {
        if let Err(error) = write_trace(path, recorder, &cli) {
            eprintln!(
                "error: cannot write the trace to {}: {error}",
                path.display()
            );
            return ExitCode::FAILURE;
        }
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: main

// ANCHOR: write_trace
/// Writes the recorded message flow to `path` as a Mermaid diagram, headed
/// by the command that made it, so that anyone can make it again (and a
/// test can check that the committed diagrams are up to date).
fn write_trace(path: &Path, recorder: &FlowRecorder, cli: &Cli) -> std::io::Result<()> {
    let clock = if cli.virtual_time { "virtual" } else { "real" };
    let comments = [
        format!("generated by: cargo run -p demo -- {}", arguments()),
        format!("times: {clock} milliseconds since the run started"),
    ];
    let from = Duration::from_millis(cli.trace_from_ms.unwrap_or(0));
    let until = cli
        .trace_until_ms
        .map_or(Duration::MAX, Duration::from_millis);
    let flows = trace::between(&recorder.flows(), from, until);
    std::fs::write(path, trace::diagram(&flows, &comments))
}
// ANCHOR_END: write_trace

/// This program's arguments, quoted where a shell would need it.
fn arguments() -> String {
    let quoted: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|arg| {
            let arg = arg.to_string_lossy().into_owned();
            let plain = !arg.is_empty()
                && arg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=,:".contains(c));
            if plain {
                arg
            } else {
                format!("'{}'", arg.replace('\'', r"'\''"))
            }
        })
        .collect();
    quoted.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// With no flags, the binary runs exactly the article's scenario.
    #[test]
    fn no_flags_means_the_articles_scenario() {
        assert_eq!(Cli::parse_from(["demo"]).scenario(), Scenario::default());
    }

    /// Every flag lands in the setting it names.
    #[test]
    fn each_flag_sets_its_setting() {
        let cli = Cli::parse_from([
            "demo",
            "--counters=8",
            "--ops=7",
            "--interval-ms=3",
            "--collect-every-ms=500",
            "--timeout-ms=20",
            "--linger-ms=0",
            "--virtual-time",
            "--impl=atomic-naive",
        ]);
        let scenario = cli.scenario();
        assert_eq!(scenario.workload.counters, 8);
        assert_eq!(scenario.workload.ops_per_client, 7);
        assert_eq!(scenario.workload.interval, Duration::from_millis(3));
        assert_eq!(scenario.collect_every, Duration::from_millis(500));
        assert_eq!(scenario.call_timeout, Duration::from_millis(20));
        assert_eq!(scenario.linger, Duration::ZERO);
        assert!(cli.virtual_time);
        assert_eq!(scenario.design, Design::AtomicNaive);
    }

    /// `--impl` takes each design's name, and `all`.
    #[test]
    fn every_design_has_a_flag_value() {
        for design in Design::ALL {
            let cli = Cli::parse_from(["demo", "--impl", design.name()]);
            assert_eq!(cli.choice().design(), Some(design));
        }
        let all = Cli::parse_from(["demo", "--impl", "all"]);
        assert_eq!(all.choice().design(), None);
    }

    /// `--measure-memory` alone measures every design over 10,000 counters;
    /// `--impl` and a count narrow it.
    #[test]
    fn measure_memory_defaults_to_every_design() {
        let bare = Cli::parse_from(["demo", "--measure-memory"]);
        assert_eq!(bare.measure_memory, Some(10_000));
        assert_eq!(bare.choice(), Choice::All);
        let narrow = Cli::parse_from(["demo", "--measure-memory", "50", "--impl", "mutex"]);
        assert_eq!(narrow.measure_memory, Some(50));
        assert_eq!(narrow.choice(), Choice::One(Design::Mutex));
        assert_eq!(
            Cli::parse_from(["demo"]).choice(),
            Choice::One(Design::Ractor)
        );
    }

    /// clap's own consistency checks on the flag definitions pass.
    #[test]
    fn flag_definitions_are_consistent() {
        Cli::command().debug_assert();
    }
}
