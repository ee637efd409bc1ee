//! The `demo` binary: parse the flags, pick a clock, run the scenario.
//!
//! ```text
//! cargo run -p demo                      # the article's scenario, about 3.5 s
//! cargo run -p demo -- --virtual-time    # the same story in milliseconds
//! cargo run -p demo -- --impl mutex      # the same scenario on another design
//! cargo run -p demo -- --impl all        # every design, side by side
//! cargo run --release -p demo -- --measure-memory   # heap bytes per idle counter
//! cargo run -p demo -- --help            # every flag
//! ```

use std::alloc::System;
use std::process::ExitCode;
use std::sync::LazyLock;
use std::time::Duration;

use actors_core::{Transcript, Workload};
use clap::builder::PossibleValue;
use clap::{Parser, ValueEnum};
use demo::measure::heap_per_counter;
use demo::{Design, MAX_COUNTERS, Scenario, compare, run};
use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};

// ANCHOR: allocator
/// The system allocator, counting every allocation, so that
/// `--measure-memory` can see how many heap bytes a counter holds. The
/// counting costs a few atomic additions per allocation. Only this program
/// pays them: the tests and the benchmarks keep the plain allocator.
#[global_allocator]
static ALLOCATOR: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;
// ANCHOR_END: allocator

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
            Choice::One(design) => design.to_possible_value(),
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
    // Diagnostics go to standard error through `tracing`; `RUST_LOG=debug`
    // shows more. The transcript goes to standard output.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();

    let cli = Cli::parse();
    let scenario = cli.scenario();
    // Refuse bad flags before building anything.
    if let Err(error) = scenario.validate() {
        eprintln!("error: {error}");
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

    if let Some(counters) = cli.measure_memory {
        return measure_memory(&runtime, cli.choice(), counters);
    }

    let transcript = Transcript::stdout();
    let result = match cli.choice().design() {
        Some(_) => runtime.block_on(run(&scenario, &transcript)).map(drop),
        None => runtime.block_on(compare(&scenario, &transcript)).map(drop),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: main

// ANCHOR: measure_memory
/// Prints the heap bytes one idle counter holds, for each chosen design.
fn measure_memory(runtime: &tokio::runtime::Runtime, choice: Choice, counters: usize) -> ExitCode {
    if counters == 0 || counters > MAX_COUNTERS {
        eprintln!("error: --measure-memory takes 1 to {MAX_COUNTERS} counters, not {counters}");
        return ExitCode::from(2);
    }
    let designs = match choice.design() {
        Some(design) => vec![design],
        None => Design::ALL.to_vec(),
    };
    println!("Heap bytes held by one idle counter, over {counters} counters per design:");
    println!("{:<14}{:>14}", "design", "bytes/counter");
    for design in designs {
        match runtime.block_on(heap_per_counter(design, counters, ALLOCATOR)) {
            Ok(bytes) => println!("{:<14}{:>14.0}", design.name(), bytes),
            Err(error) => {
                eprintln!("error: {design}: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
// ANCHOR_END: measure_memory

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
