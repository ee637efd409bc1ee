//! The two speeds of a channel, probed: runs the counting work many times
//! on a runtime laid out on purpose and prints every run, then the runs
//! sorted into a histogram, so that two speeds show as two clusters.
//!
//! ```text
//! cargo run --release -p bench --bin channel_modes                          # traced raw loop, 2 producers
//! cargo run --release -p bench --bin channel_modes -- --target handrolled --producers 4
//! cargo run --release -p bench --bin channel_modes -- --workers 1 --runs 20
//! cargo run --release -p bench --bin channel_modes -- --budgeted            # producers that yield
//! cargo run --release -p bench --bin channel_modes -- --target traced,no-runtime,ping-pong
//! RUSTFLAGS="--cfg tokio_unstable" CARGO_TARGET_DIR=target/unstable \
//!     cargo run --release -p bench --bin channel_modes -- --no-lifo        # LIFO slot off, steals counted
//! ```
//!
//! The `traced` target is the raw channel loop with counters around its
//! `recv` (`bench::channel_modes`); the others are the counting bench's
//! own `count`, timed only.

use std::process::ExitCode;
use std::time::Duration;

use actors_core::Design;
use bench::channel_modes::{Layout, Producers, Trace, ping_pong, threads_only, trace};
use bench::{INCREMENTS, TargetKind, count};
use clap::{Parser, ValueEnum};

/// Runs the counting work again and again, and prints every run.
#[derive(Debug, Parser)]
#[command(name = "channel_modes")]
struct Args {
    /// What the producers feed, comma-separated: each round runs each once,
    /// in this order, so that their figures are taken side by side.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "traced")]
    target: Vec<Target>,
    /// Producer tasks sharing the million increments.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    producers: u16,
    /// Worker threads of the runtime.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    workers: u16,
    /// Turn tokio's LIFO slot off (needs `--cfg tokio_unstable`).
    #[arg(long)]
    no_lifo: bool,
    /// Producers spend tokio's budget on every send (traced target only).
    #[arg(long)]
    budgeted: bool,
    /// Rounds, each with fresh targets.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u16).range(1..))]
    runs: u16,
}

/// What the probe feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Target {
    /// The raw channel loop, with counters around its `recv`.
    Traced,
    /// The counting bench's `raw-mpsc` floor, timed only.
    RawMpsc,
    /// The counting bench's hand-rolled counter, timed only.
    Handrolled,
    /// The counting bench's atomic counter.
    Atomic,
    /// The same channel fed by plain threads, no runtime.
    NoRuntime,
    /// One cache line handed between two threads, no runtime: the figure
    /// is ns per round trip, not ms per million.
    PingPong,
}

impl Target {
    fn kind(self) -> TargetKind {
        match self {
            Target::Traced | Target::RawMpsc => TargetKind::RawMpsc,
            Target::Handrolled => TargetKind::Design(Design::HandRolled),
            Target::Atomic | Target::PingPong | Target::NoRuntime => {
                TargetKind::Design(Design::Atomic)
            }
        }
    }

    fn name(self) -> &'static str {
        match self {
            Target::PingPong => "ping-pong",
            Target::NoRuntime => "no-runtime",
            other => other.kind().name(),
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    match probe(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("channel_modes: {error}");
            ExitCode::FAILURE
        }
    }
}

fn probe(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let layout = Layout {
        workers: usize::from(args.workers),
        lifo: !args.no_lifo,
    };
    let runtime = layout.build()?;
    let producers = usize::from(args.producers);
    let style = if args.budgeted {
        Producers::Budgeted
    } else {
        Producers::Greedy
    };
    println!(
        "# {producers} producers, {} workers, LIFO slot {}, {style:?} producers",
        layout.workers,
        if layout.lifo { "on" } else { "off" },
    );
    let mut header = Vec::new();
    for target in &args.target {
        header.push(match target {
            Target::Traced => TRACE_HEADER.to_owned(),
            other => format!("{:>10}", other.name()),
        });
    }
    println!("{}", header.join("  "));
    let metrics = runtime.metrics();
    let mut times = vec![Vec::new(); args.target.len()];
    for _ in 0..args.runs {
        let mut line = Vec::new();
        for (target, times) in args.target.iter().zip(&mut times) {
            let elapsed = match target {
                Target::Traced => {
                    let run = runtime.block_on(trace(&metrics, style, producers, INCREMENTS))?;
                    line.push(trace_columns(&run));
                    run.elapsed
                }
                Target::NoRuntime => {
                    let elapsed = threads_only(producers, INCREMENTS)?;
                    line.push(format!("{:10.0}", ms(elapsed)));
                    elapsed
                }
                Target::PingPong => {
                    let trip = ping_pong(PING_PONG_ROUNDS);
                    line.push(format!("{:7.0} ns", trip.as_nanos()));
                    // Filed as if a million trips took that many ms, so
                    // that the histogram's bins read as ns per trip.
                    trip * 1_000_000
                }
                other => {
                    let elapsed = runtime.block_on(count(other.kind(), producers, INCREMENTS))?;
                    line.push(format!("{:10.0}", ms(elapsed)));
                    elapsed
                }
            };
            times.push(elapsed);
        }
        println!("{}", line.join("  "));
    }
    for (target, times) in args.target.iter().zip(&mut times) {
        println!("{}:", target.name());
        print_histogram(times);
    }
    Ok(())
}

/// Round trips per ping-pong figure: a few tens of ms.
const PING_PONG_ROUNDS: u64 = 200_000;

fn ms(time: Duration) -> f64 {
    time.as_secs_f64() * 1e3
}

const TRACE_HEADER: &str = "  ms  producing  side-by-side  producer-threads  applied-meanwhile  waits  hops  parks  steals";

fn trace_columns(run: &Trace) -> String {
    let steals = run
        .workers
        .steals
        .map_or_else(|| "-".to_owned(), |n| n.to_string());
    format!(
        "{:4.0}  {:9.0}  {:12.0}  {:16}  {:17}  {:5}  {:4}  {:5}  {steals:>6}",
        ms(run.elapsed),
        ms(run.producing),
        ms(run.side_by_side),
        run.producer_threads,
        run.applied_meanwhile,
        run.waits,
        run.hops,
        run.workers.parks,
    )
}

/// The runs sorted, then counted in 10 ms bins.
fn print_histogram(times: &mut [Duration]) {
    times.sort();
    let sorted: Vec<String> = times.iter().map(|t| format!("{:.0}", ms(*t))).collect();
    println!("  sorted (ms): {}", sorted.join(" "));
    let mut bins = std::collections::BTreeMap::<u128, usize>::new();
    for time in times.iter() {
        *bins.entry(time.as_millis() / 10 * 10).or_default() += 1;
    }
    for (bin, n) in bins {
        println!("  {bin:4}-{:<4} ms {}", bin + 9, "#".repeat(n));
    }
}
