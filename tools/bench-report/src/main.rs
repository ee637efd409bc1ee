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

use bench_report::cli::{self, Command, USAGE};
use bench_report::machine::Machine;

fn main() -> ExitCode {
    let options = match cli::parse(std::env::args_os().skip(1)) {
        Ok(Command::Run(options)) => options,
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("error: {err}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
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
