//! # bench-report: criterion's numbers, as pages of the book
//!
//! A tool beside the lesson order, not a step in it. `just bench` runs the
//! criterion benches of the `bench` crate, and criterion saves each result
//! as JSON under `target/criterion`. This crate reads those files (and the
//! `memory`, `scale`, `backlog` and `remote` binaries' JSON), makes every
//! table and figure once as a named part, and writes:
//!
//! - `docs/bench-figures.txt`, every part between mdBook anchors, for the
//!   chapters to include;
//! - the results pages `docs/bench-results*.md`, from the Markdown
//!   templates in `tools/bench-report/pages/`, where `{{name}}` stands for
//!   a part;
//! - the charts, `docs/img/bench-*.svg`.
//!
//! The pieces: [`results`] reads criterion's files; [`benches`] makes the
//! parts of criterion's results, [`goals`] checks the goals, [`programs`]
//! makes the parts of the bench programs' JSON; [`parts`] keeps them and
//! fills the templates; [`charts`] draws. `bench::ids` names every
//! benchmark, for the bench programs and this report alike.
//!
//! A missing figure is a dash, and a goal without its figures is "not
//! measured". Only a run with no results at all stops the report, before
//! it writes anything: pages of dashes would only lose the committed ones.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use bench::{
    backlog::BacklogFigures, memory::MemoryFigures, remote::RemoteFigures, scale::ScaleFigures,
};
use clap::Parser;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

pub mod benches;
pub mod charts;
pub mod format;
pub mod goals;
pub mod machine;
pub mod parts;
pub mod programs;
pub mod results;

use machine::Machine;
use parts::Parts;
use programs::Programs;
use results::Results;

/// A results page: its file name, and its template in `pages/`.
macro_rules! page {
    ($name:literal) => {
        ($name, include_str!(concat!("../pages/", $name)))
    };
}

/// The results pages, in the book's order.
pub const PAGES: [(&str, &str); 5] = [
    page!("bench-results.md"),
    page!("bench-results-throughput.md"),
    page!("bench-results-features.md"),
    page!("bench-results-costs.md"),
    page!("bench-results-counters.md"),
];

/// Turns the saved results of `just bench` into the book's results pages,
/// their charts, and the figures its chapters include.
#[derive(Debug, Clone, PartialEq, Eq, Parser)]
#[command(name = "bench-report")]
pub struct Options {
    /// criterion's output directory.
    #[arg(long, value_name = "DIR", default_value = "target/criterion")]
    pub criterion: PathBuf,
    /// Where the pages, the figures and `img/` go.
    #[arg(long, value_name = "DIR", default_value = "docs")]
    pub out: PathBuf,
    /// Where the bench programs wrote their figures, as `just` writes them:
    /// `bench-memory.json` (the default build, ractor's `cluster` feature
    /// on), `bench-memory-no-cluster.json`, `bench-scale.json`,
    /// `bench-backlog.json` and `bench-remote.json`. A missing file leaves
    /// its figures out.
    #[arg(long, value_name = "DIR", default_value = "target")]
    pub programs: PathBuf,
    /// The date the pages give; by default, the day the newest result was saved.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<Date>,
}

/// What a run wrote, and what it had to skip.
#[derive(Debug)]
pub struct Report {
    /// How many results it found.
    pub measured: usize,
    /// The files written: the pages, the figures, then the charts.
    pub written: Vec<PathBuf>,
    /// Result directories skipped, each with why.
    pub problems: Vec<(PathBuf, String)>,
}

/// Reads the results under `options.criterion` and writes the pages, the
/// figures and the charts under `options.out`. Nothing is written unless
/// every file could be made: no results, a file of figures that is not
/// what its name says, or a chart that cannot be drawn stop it first.
pub fn run(options: &Options, machine: &Machine) -> anyhow::Result<Report> {
    let loaded = results::load(&options.criterion);
    let results = &loaded.results;
    if results.is_empty() {
        let dir = options.criterion.display();
        bail!("no benchmark results in {dir}: run `just bench` first");
    }
    // Each build's memory figures say which build they are: a file from
    // before they did came from the only build there was, the cluster one.
    let memory = |name, cluster: bool| -> anyhow::Result<_> {
        let figures: Option<MemoryFigures> =
            read(&options.programs, name, MemoryFigures::from_json)?;
        if figures
            .as_ref()
            .is_some_and(|f| f.cluster.unwrap_or(true) != cluster)
        {
            let path = options.programs.join(format!("bench-{name}.json"));
            let was = if cluster { "off" } else { "on" };
            bail!(
                "{} does not hold the memory figures of the build its name says: \
                 ractor's `cluster` feature was {was}",
                path.display()
            );
        }
        Ok(figures)
    };
    let programs = Programs {
        memory: memory("memory", true)?,
        memory_without_cluster: memory("memory-no-cluster", false)?,
        scale: read(&options.programs, "scale", ScaleFigures::from_json)?,
        backlog: read(&options.programs, "backlog", BacklogFigures::from_json)?,
        remote: read(&options.programs, "remote", RemoteFigures::from_json)?,
    };
    // The pages' date does not move when they are made again later.
    let date = options.date.unwrap_or_else(|| {
        let newest = loaded
            .newest
            .and_then(|time| Timestamp::try_from(time).ok());
        TimeZone::UTC
            .to_datetime(newest.unwrap_or_else(Timestamp::now))
            .date()
    });

    let files = make(results, &programs, machine, date)?;
    let mut written = Vec::new();
    for (name, contents) in files {
        let path = options.out.join(name);
        fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))
            .and_then(|()| fs::write(&path, contents))
            .with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(Report {
        measured: results.len(),
        written,
        problems: loaded.problems,
    })
}

/// Every file the report writes, by its path inside the output directory:
/// the pages, the figures file, then the charts.
pub fn make(
    results: &Results,
    programs: &Programs,
    machine: &Machine,
    date: Date,
) -> anyhow::Result<Vec<(String, String)>> {
    let mut parts = Parts::default();
    parts.add("machine", machine.to_string());
    parts.add("date", date.to_string());
    benches::add(results, &mut parts, machine);
    goals::add(results, &mut parts);
    programs::add(programs, results, machine, &mut parts);
    let charts = charts::render_all(results, programs.backlog.as_ref())?;
    // Last: only now has every other part read its results.
    parts.add("other_measurements", benches::others(results));

    let mut files = Vec::new();
    for (name, template) in PAGES {
        let page = parts
            .fill(template)
            .with_context(|| format!("the template of {name}"))?;
        files.push((name.to_owned(), page));
    }
    files.push((parts::FIGURES.to_owned(), parts.file()));
    files.extend(charts.into_iter().map(|(name, svg)| (name.to_owned(), svg)));
    Ok(files)
}

/// Reads `bench-<name>.json` in `dir` with `parse`, if it is there.
fn read<T, E>(dir: &Path, name: &str, parse: fn(&str) -> Result<T, E>) -> anyhow::Result<Option<T>>
where
    E: std::error::Error + Send + Sync + 'static,
{
    let path = dir.join(format!("bench-{name}.json"));
    if !path.exists() {
        return Ok(None);
    }
    let shown = path.display();
    let text = fs::read_to_string(&path).with_context(|| format!("cannot read {shown}"))?;
    let program = name.split('-').next().unwrap_or(name);
    let figures = parse(&text)
        .with_context(|| format!("{shown} does not hold the {program} binary's figures"))?;
    Ok(Some(figures))
}
