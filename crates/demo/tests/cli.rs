//! The `demo` binary, run as a user would run it.

use std::process::{Command, Output};

fn demo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_demo"))
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .expect("the demo binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The designs, in the order every table lists them.
const DESIGNS: [&str; 6] = [
    "ractor",
    "handrolled",
    "mutex",
    "atomic",
    "atomic-naive",
    "sharded",
];

/// The rows of a table printed after `header_lines` lines, split into
/// words.
fn table_rows(stdout: &str, header_lines: usize) -> Vec<Vec<&str>> {
    stdout
        .lines()
        .skip(header_lines)
        .map(|line| line.split_whitespace().collect())
        .collect()
}

/// `demo --virtual-time` runs the article's scenario and prints its totals.
#[test]
fn virtual_time_run_prints_the_article_totals() {
    let output = demo(&["--virtual-time"]);

    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(stdout.contains("Total value across all counters: 160\n"));
    assert!(stdout.contains("Total operations: 200\n"));
    assert!(stdout.contains("Accounting: 200 sent, 0 undelivered; 200 applied, 0 rejected\n"));
}

/// Each impossible flag value gets its own clear error and a non-zero exit,
/// never a panic.
#[test]
fn bad_flag_values_are_clear_errors() {
    let cases = [
        (
            "--counters",
            "0",
            "the number of counters must be at least 1",
        ),
        ("--counters", "1000000", "at most 100000 counters can run"),
        (
            "--interval-ms",
            "0",
            "the interval between operations must be at least 1 ms",
        ),
        (
            "--collect-every-ms",
            "0",
            "the collection period must be at least 1 ms",
        ),
        (
            "--timeout-ms",
            "0",
            "the call timeout must be at least 1 ms",
        ),
        (
            "--linger-ms",
            "18446744073709551615",
            "the linger time must be at most",
        ),
        ("--ops", "-5", "unexpected argument '-5'"),
        (
            "--impl",
            "actors",
            "invalid value 'actors' for '--impl <DESIGN>'",
        ),
    ];
    for (flag, value, message) in cases {
        let output = demo(&["--virtual-time", flag, value]);

        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{flag} {value}: {stderr}");
        assert!(stderr.contains(message), "{flag} {value}: {stderr}");
        assert!(!stderr.contains("panicked"), "{flag} {value}: {stderr}");
        assert!(output.stdout.is_empty(), "{flag} {value} started a run");
    }
}

/// `--help` documents every flag.
#[test]
fn help_lists_every_flag() {
    let output = demo(&["--help"]);

    let stdout = text(&output.stdout);
    for flag in [
        "--counters",
        "--ops",
        "--interval-ms",
        "--collect-every-ms",
        "--timeout-ms",
        "--linger-ms",
        "--virtual-time",
        "--impl",
    ] {
        assert!(stdout.contains(flag), "{flag} missing from --help");
    }
}

/// `--impl all` runs every design and prints one row each, every row at a
/// total value of 160 over 200 operations.
#[test]
fn impl_all_prints_a_row_per_design() {
    let output = demo(&["--virtual-time", "--impl", "all"]);

    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let rows = table_rows(&stdout, 1);
    let designs: Vec<&str> = rows.iter().map(|row| row[0]).collect();
    assert_eq!(designs, DESIGNS);
    for row in rows {
        assert_eq!(row[1..3], ["160", "200"], "{row:?}");
    }
}
