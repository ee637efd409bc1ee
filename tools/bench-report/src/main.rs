//! The `bench-report` binary: read the flags, write the pages, say what
//! happened.
//!
//! ```text
//! cargo run -p bench-report                          # target/criterion into docs/
//! cargo run -p bench-report -- --memory memory.json  # with the memory figures
//! cargo run -p bench-report -- --help                # every flag
//! ```
//!
//! Exit codes: 0 when the pages are written (even with some figures
//! missing), 1 when there are no results at all or a file cannot be read
//! or written, 2 for a command line it cannot follow.

use clap::Parser;

use bench_report::Options;
use bench_report::machine::Machine;

fn main() -> anyhow::Result<()> {
    // clap prints the help, or the usage after a mistake and exits with 2.
    let options = Options::parse();
    // An error returned here is printed with its causes, and exits with 1.
    let report = bench_report::run(&options, &Machine::detect())?;
    for (path, problem) in &report.problems {
        eprintln!("warning: skipped {}: {problem}", path.display());
    }
    let from = options.criterion.display();
    println!("{} results read from {from}", report.measured);
    for path in &report.written {
        println!("wrote {}", path.display());
    }
    Ok(())
}
