//! Heap bytes held by one idle counter, for every design.
//!
//! ```text
//! cargo run --release -p bench --bin memory            # 10,000 counters per design
//! cargo run --release -p bench --bin memory -- 500     # fewer
//! ```

use std::alloc::System;
use std::process::ExitCode;

use actors_core::Design;
use bench::heap_per_counter;
use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};

// ANCHOR: allocator
/// The system allocator, counting every allocation, so that this program
/// can see how many heap bytes a counter holds. The counting costs a few
/// atomic additions per allocation. Only this program pays them: the tests,
/// the demo and the benchmarks keep the plain allocator.
#[global_allocator]
static ALLOCATOR: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;
// ANCHOR_END: allocator

fn main() -> ExitCode {
    let counters = match std::env::args().nth(1) {
        None => 10_000,
        Some(arg) => match arg.parse::<usize>() {
            Ok(n) if (1..=demo::MAX_COUNTERS).contains(&n) => n,
            _ => {
                eprintln!(
                    "error: the count of counters must be 1 to {}, not {arg:?}",
                    demo::MAX_COUNTERS
                );
                return ExitCode::from(2);
            }
        },
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the tokio runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("Heap bytes held by one idle counter, over {counters} counters per design:");
    println!("{:<14}{:>14}", "design", "bytes/counter");
    for design in Design::ALL {
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
