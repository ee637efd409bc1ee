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
//! missing), 1 when there are no results at all or a file cannot be
//! written, 2 for a command line it cannot follow.

use std::error::Error;
use std::process::ExitCode;

use clap::Parser;

use bench_report::cli::Options;
use bench_report::machine::Machine;

fn main() -> ExitCode {
    // clap prints the help, or the usage after a mistake and exits with 2.
    let options = Options::parse();
    match bench_report::run(&options, &Machine::detect()) {
        Ok(report) => {
            for problem in &report.problems {
                eprintln!("warning: skipped {problem}");
            }
            println!(
                "{} results read from {}",
                report.measured,
                options.criterion.display()
            );
            for path in &report.written {
                println!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            let mut source = err.source();
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            ExitCode::FAILURE
        }
    }
}
