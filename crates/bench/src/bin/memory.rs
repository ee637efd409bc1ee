//! Heap bytes held by one idle counter, for every design, and by each
//! part of a ractor counter measured alone, printed as JSON
//! (`bench::MemoryFigures`) for `bench-report --memory`.
//!
//! ```text
//! cargo run --release -p bench --bin memory                 # 10,000 counters per design
//! cargo run --release -p bench --bin memory -- 500          # fewer
//! cargo run --release -p bench --bin memory > target/bench-memory.json
//! cargo run --release -p bench --no-default-features --features span-propagation \
//!     --bin memory > target/bench-memory-no-cluster.json   # without ractor's cluster feature
//! ```
//!
//! The JSON says which of the two builds it comes from
//! (`actors_core::message::CLUSTER`), so that `bench-report` can tell them
//! apart.
//!
//! A count outside 1 to `demo::MAX_COUNTERS` is refused, with exit code 2,
//! before any counter starts.

use std::alloc::System;
use std::process::ExitCode;

use actors_core::Design;
use bench::memory::{COUNTERS, DesignBytes};
use bench::{MemoryFigures, heap_per_counter, ractor_parts};
use clap::Parser;
use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};

// ANCHOR: allocator
/// The system allocator, counting every allocation, so that this program
/// can see how many heap bytes a counter holds. The counting costs a few
/// atomic additions per allocation. Only this program pays them: the tests,
/// the demo and the benchmarks keep the plain allocator.
#[global_allocator]
static ALLOCATOR: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;
// ANCHOR_END: allocator

/// Heap bytes per idle counter, for every design, as JSON.
#[derive(Debug, Parser)]
#[command(name = "memory")]
struct Args {
    /// Counters to start per design; the figure is averaged over them.
    #[arg(default_value_t = COUNTERS, value_parser = bench::counters_arg)]
    counters: usize,
}

fn main() -> ExitCode {
    // clap prints a bad count with the usage and exits with code 2.
    let args = Args::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the tokio runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut figures = MemoryFigures {
        cluster: Some(actors_core::message::CLUSTER),
        counters: args.counters,
        designs: Vec::new(),
        ractor_parts: Vec::new(),
    };
    for design in Design::ALL {
        match runtime.block_on(heap_per_counter(design, args.counters, ALLOCATOR)) {
            Ok(bytes_per_counter) => figures.designs.push(DesignBytes {
                design,
                bytes_per_counter,
            }),
            Err(error) => {
                eprintln!("error: {design}: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    // The parts on one thread, so that every task has run before its
    // bytes are read (see `ractor_parts`).
    let one_thread = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the tokio runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match one_thread.block_on(ractor_parts(args.counters, ALLOCATOR)) {
        Ok(parts) => figures.ractor_parts = parts,
        Err(error) => {
            eprintln!("error: the parts of a ractor counter: {error}");
            return ExitCode::FAILURE;
        }
    }
    println!("{}", figures.to_json());
    ExitCode::SUCCESS
}
