//! The command line. clap refuses what it cannot follow (an unknown flag,
//! a flag without its value, a flag given twice, a `--date` that is not a
//! real day) with a message, the usage and exit code 2.

use std::path::PathBuf;

use clap::Parser;
use jiff::civil::Date;

/// Turns criterion's saved results into the book's results pages, their
/// charts and the figures the chapters include.
#[derive(Debug, Clone, PartialEq, Eq, Parser)]
#[command(name = "bench-report")]
pub struct Options {
    /// Where criterion saved its results.
    #[arg(long, value_name = "DIR", default_value = "target/criterion")]
    pub criterion: PathBuf,
    /// Where the pages and the figures go; charts go in DIR/img.
    #[arg(long, value_name = "DIR", default_value = "docs")]
    pub out: PathBuf,
    /// The JSON that `cargo run --release -p bench --bin memory` prints,
    /// to include in the pages.
    #[arg(long, value_name = "FILE")]
    pub memory: Option<PathBuf>,
    /// The same binary's JSON from the build without ractor's `cluster`
    /// feature (`--no-default-features --features span-propagation`), to
    /// compare with the figures of `--memory`.
    #[arg(long, value_name = "FILE")]
    pub memory_without_cluster: Option<PathBuf>,
    /// The JSON that `cargo run --release -p bench --bin scale` prints, to
    /// include in the pages.
    #[arg(long, value_name = "FILE")]
    pub scale: Option<PathBuf>,
    /// The JSON that `cargo run --release -p bench --bin backlog` prints,
    /// for the figures and the backlog chart.
    #[arg(long, value_name = "FILE")]
    pub backlog: Option<PathBuf>,
    /// The JSON that `cargo run --release -p bench --bin remote` prints,
    /// for the figures.
    #[arg(long, value_name = "FILE")]
    pub remote: Option<PathBuf>,
    /// The date the pages give [default: the newest result's, in UTC].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<Date>,
}

impl Default for Options {
    fn default() -> Options {
        Options::parse_from(["bench-report"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use clap::error::ErrorKind;

    fn parse(args: &[&str]) -> Result<Options, ErrorKind> {
        let args = std::iter::once("bench-report").chain(args.iter().copied());
        Options::try_parse_from(args).map_err(|err| err.kind())
    }

    /// clap's own checks of the flags pass: no two flags clash.
    #[test]
    fn the_flags_are_consistent() {
        Options::command().debug_assert();
    }

    /// No arguments means the defaults: `target/criterion` into `docs`.
    #[test]
    fn no_arguments_means_the_defaults() {
        let options = parse(&[]).unwrap();
        assert_eq!(options.criterion, PathBuf::from("target/criterion"));
        assert_eq!(options.out, PathBuf::from("docs"));
        assert_eq!(options, Options::default());
    }

    /// Every flag takes its value either way.
    #[test]
    fn flags_take_values() {
        let parsed = parse(&[
            "--criterion",
            "c",
            "--out=o",
            "--memory",
            "m.json",
            "--memory-without-cluster",
            "n.json",
            "--scale=s.json",
            "--backlog",
            "b.json",
            "--remote=r.json",
            "--date=2025-06-30",
        ]);
        assert_eq!(
            parsed,
            Ok(Options {
                criterion: "c".into(),
                out: "o".into(),
                memory: Some("m.json".into()),
                memory_without_cluster: Some("n.json".into()),
                scale: Some("s.json".into()),
                backlog: Some("b.json".into()),
                remote: Some("r.json".into()),
                date: Some(jiff::civil::date(2025, 6, 30)),
            })
        );
        assert_eq!(
            parse(&["--out", "o", "--help"]),
            Err(ErrorKind::DisplayHelp)
        );
    }

    /// Each mistake is refused, as a usage error of its own kind.
    #[test]
    fn mistakes_are_usage_errors() {
        assert_eq!(parse(&["--outt", "o"]), Err(ErrorKind::UnknownArgument));
        assert_eq!(parse(&["docs"]), Err(ErrorKind::UnknownArgument));
        assert_eq!(parse(&["--out"]), Err(ErrorKind::InvalidValue));
        assert_eq!(
            parse(&["--out", "a", "--out", "b"]),
            Err(ErrorKind::ArgumentConflict)
        );
        for date in ["2025-02-30", "2025-6-30", "today"] {
            assert_eq!(parse(&["--date", date]), Err(ErrorKind::ValueValidation));
        }
    }
}
