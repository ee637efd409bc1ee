//! The command line, parsed by hand: eight flags do not need a parser crate.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::date::Date;

/// What `--help` prints, and what follows every usage error.
pub const USAGE: &str = "\
Usage: bench-report [--criterion DIR] [--out DIR] [--memory FILE]
                    [--memory-without-cluster FILE] [--scale FILE]
                    [--backlog FILE] [--remote FILE] [--date YYYY-MM-DD]

Turns criterion's saved results into the book's results pages, their
charts and the figures the chapters include.

Options:
  --criterion DIR    where criterion saved its results [default: target/criterion]
  --out DIR          where the pages and the figures go; charts go in DIR/img [default: docs]
  --memory FILE      the JSON that `cargo run --release -p bench --bin memory` prints,
                     to include in the pages
  --memory-without-cluster FILE
                     the same binary's JSON from the build without ractor's `cluster`
                     feature (`--no-default-features --features span-propagation`),
                     to compare with the figures of `--memory`
  --scale FILE       the JSON that `cargo run --release -p bench --bin scale` prints,
                     to include in the pages
  --backlog FILE     the JSON that `cargo run --release -p bench --bin backlog` prints,
                     for the figures and the backlog chart
  --remote FILE      the JSON that `cargo run --release -p bench --bin remote` prints,
                     for the figures
  --date YYYY-MM-DD  the date the pages give [default: the newest result's, in UTC]
  -h, --help         print this help";

/// What a run of the report needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Where criterion saved its results.
    pub criterion: PathBuf,
    /// Where the results pages (`bench-results*.md`) and
    /// `bench-figures.txt` go; the charts go in its `img/`.
    pub out: PathBuf,
    /// A file of memory figures to include, if any.
    pub memory: Option<PathBuf>,
    /// A file of memory figures from the build without ractor's `cluster`
    /// feature, to compare with `memory`, if any.
    pub memory_without_cluster: Option<PathBuf>,
    /// A file of scale figures to include, if any.
    pub scale: Option<PathBuf>,
    /// A file of backlog figures to include, if any.
    pub backlog: Option<PathBuf>,
    /// A file of remote figures to include, if any.
    pub remote: Option<PathBuf>,
    /// The date to print, instead of the newest result's.
    pub date: Option<Date>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            criterion: PathBuf::from("target/criterion"),
            out: PathBuf::from("docs"),
            memory: None,
            memory_without_cluster: None,
            scale: None,
            backlog: None,
            remote: None,
            date: None,
        }
    }
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Print the usage and stop.
    Help,
    /// Write the report.
    Run(Options),
}

/// A command line the report cannot follow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsageError {
    /// An argument that is not one of the flags.
    #[error("unexpected argument `{0}`")]
    Unexpected(String),
    /// A flag given without its value.
    #[error("`{0}` needs a value")]
    MissingValue(&'static str),
    /// A flag given twice.
    #[error("`{0}` was given twice")]
    Repeated(&'static str),
    /// A `--date` that is not a real `YYYY-MM-DD`.
    #[error("`--date` takes a date as YYYY-MM-DD, not `{0}`")]
    BadDate(String),
}

/// The flags that take a value.
const FLAGS: [&str; 8] = [
    "--criterion",
    "--out",
    "--memory",
    "--memory-without-cluster",
    "--scale",
    "--backlog",
    "--remote",
    "--date",
];

/// Parses the arguments that follow the program name. Each flag takes its
/// value as the next argument (`--out docs`) or after `=` (`--out=docs`).
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, UsageError> {
    let mut options = Options::default();
    let mut seen: Vec<&'static str> = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy().into_owned();
        if text == "-h" || text == "--help" {
            return Ok(Command::Help);
        }
        let (name, inline) = match text.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name.to_owned(), Some(value)),
            _ => (text.clone(), None),
        };
        let Some(flag) = FLAGS.into_iter().find(|&flag| flag == name) else {
            return Err(UsageError::Unexpected(text));
        };
        if seen.contains(&flag) {
            return Err(UsageError::Repeated(flag));
        }
        seen.push(flag);
        // Paths stay `OsString`, so a path that is not UTF-8 still works.
        let value = match inline {
            Some(value) => OsString::from(value),
            None => args.next().ok_or(UsageError::MissingValue(flag))?,
        };
        match flag {
            "--criterion" => options.criterion = value.into(),
            "--out" => options.out = value.into(),
            "--memory" => options.memory = Some(value.into()),
            "--memory-without-cluster" => options.memory_without_cluster = Some(value.into()),
            "--scale" => options.scale = Some(value.into()),
            "--backlog" => options.backlog = Some(value.into()),
            "--remote" => options.remote = Some(value.into()),
            _ => {
                let text = value.to_string_lossy();
                let date = Date::parse(&text).ok_or_else(|| UsageError::BadDate(text.into()))?;
                options.date = Some(date);
            }
        }
    }
    Ok(Command::Run(options))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> Result<Command, UsageError> {
        parse(args.iter().map(OsString::from))
    }

    /// No arguments means the defaults: `target/criterion` into `docs`.
    #[test]
    fn no_arguments_means_the_defaults() {
        assert_eq!(parse_strs(&[]), Ok(Command::Run(Options::default())));
    }

    /// Every flag takes its value either way.
    #[test]
    fn flags_take_values() {
        let parsed = parse_strs(&[
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
            Ok(Command::Run(Options {
                criterion: "c".into(),
                out: "o".into(),
                memory: Some("m.json".into()),
                memory_without_cluster: Some("n.json".into()),
                scale: Some("s.json".into()),
                backlog: Some("b.json".into()),
                remote: Some("r.json".into()),
                date: Date::parse("2025-06-30"),
            }))
        );
        assert_eq!(parse_strs(&["--out", "o", "--help"]), Ok(Command::Help));
    }

    /// Each mistake gets its own message.
    #[test]
    fn mistakes_are_usage_errors() {
        assert_eq!(
            parse_strs(&["--outt", "o"]),
            Err(UsageError::Unexpected("--outt".into()))
        );
        assert_eq!(
            parse_strs(&["docs"]),
            Err(UsageError::Unexpected("docs".into()))
        );
        assert_eq!(
            parse_strs(&["--out"]),
            Err(UsageError::MissingValue("--out"))
        );
        assert_eq!(
            parse_strs(&["--out", "a", "--out", "b"]),
            Err(UsageError::Repeated("--out"))
        );
        assert_eq!(
            parse_strs(&["--date", "2025-02-30"]),
            Err(UsageError::BadDate("2025-02-30".into()))
        );
    }
}
