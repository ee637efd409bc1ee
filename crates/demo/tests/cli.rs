//! The `demo` binary, run as a user would run it, from command cases.
//!
//! Each file in `tests/cmd/` holds commands, what they print (standard
//! output and standard error together) and their exit code when it is not
//! 0. The book's page on the command line includes the `.md` cases as its
//! examples, so the examples cannot drift from what the binary does. Every
//! case runs on the paused clock (`--virtual-time`) or stops before a run.
//!
//! After an intended change: `TRYCMD=overwrite cargo test -p demo --test cli`,
//! then read the diff before committing it.

use std::path::Path;

/// Every `.md` case prints exactly what its file says, and exits as it
/// says. `RUST_LOG` is pinned so that a developer's own setting cannot add
/// log lines to the output.
#[test]
fn command_cases() {
    trycmd::TestCases::new()
        .register_bin("demo", Path::new(env!("CARGO_BIN_EXE_demo")))
        .env("RUST_LOG", "warn")
        .case("tests/cmd/*.md");
}

/// `RUST_LOG=flow=trace` prints the flow events, raw, to standard error,
/// and standard output keeps the transcript (`tests/cmd/rust-log.toml`).
#[test]
fn rust_log_prints_the_flow_events() {
    trycmd::TestCases::new()
        .register_bin("demo", Path::new(env!("CARGO_BIN_EXE_demo")))
        .case("tests/cmd/*.toml");
}
