//! # bench-report: criterion's numbers, as pages of the book
//!
//! A tool beside the lesson order, not a step in it. `just bench` runs the
//! criterion benches of the `bench` crate, and criterion saves each result
//! as JSON under `target/criterion`. This crate reads those files (and the
//! `memory`, `scale`, `backlog` and `remote` binaries' JSON) and writes the book's results pages,
//! `docs/bench-results*.md`, with SVG charts in `docs/img/`, and the figures
//! the chapters include, `docs/bench-figures.txt`. The book states no number
//! that a command did not produce, and names the command under every table.
//!
//! The pieces, in the order a run uses them:
//!
//! - [`cli`] reads the command line.
//! - [`results`] reads criterion's files; `bench::ids` names the benchmarks.
//! - [`goals`] checks the four goals, each a ratio of two results.
//! - [`tables`] builds every table once, for the pages and the figures;
//!   [`scale`] those of the `scale` binary and of a ractor counter's parts;
//!   [`backlog`] those of the `backlog` binary, and its chart; [`remote`]
//!   those of the `remote` binary; [`cluster_memory`] the `memory`
//!   binary's figures of two builds, with ractor's `cluster` feature and
//!   without.
//! - [`page`] writes the results pages, with [`format`](mod@format) for every number.
//! - [`figures`] writes the anchored figures the chapters include.
//! - [`charts`] picks each chart's lines; [`charts::draw`] draws them as SVG.
//! - [`machine`] and the newest result's date fill in the pages' first lines.
//!
//! [`run`] ties them together. A missing figure is a dash on its page, and
//! a goal without its figures is "not measured". Only a run with no
//! results at all stops it, before it writes anything.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

pub mod backlog;
pub mod charts;
pub mod cli;
pub mod cluster_memory;
pub mod figures;
pub mod format;
pub mod goals;
pub mod machine;
pub mod page;
pub mod remote;
pub mod results;
pub mod scale;
pub mod tables;

use bench::backlog::BacklogFigures;
use bench::memory::MemoryFigures;
use bench::remote::RemoteFigures;
use bench::scale::ScaleFigures;
use cli::Options;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use machine::Machine;
use page::PageInput;
use results::Problem;

/// What a run wrote, and what it had to skip.
#[derive(Debug, Clone)]
pub struct Report {
    /// How many results it found.
    pub measured: usize,
    /// The files written: the pages, the figures, then the charts.
    pub written: Vec<PathBuf>,
    /// Files and directories skipped while reading results.
    pub problems: Vec<Problem>,
}

/// Reads the results under `options.criterion` and writes the pages, the
/// figures and the charts under `options.out`.
///
/// The pages' date is `options.date` if given, otherwise the day the newest
/// result was saved, otherwise today: regenerating the pages later does not
/// move their date.
///
/// With no results at all it stops before writing anything: pages of
/// dashes over the committed results pages would only lose them. So does
/// a file of figures that is not what its flag takes.
pub fn run(options: &Options, machine: &Machine) -> anyhow::Result<Report> {
    let loaded = results::load(&options.criterion);
    if loaded.results.is_empty() {
        bail!(
            "no benchmark results in {}: run `just bench` first",
            options.criterion.display()
        );
    }
    let memory = options
        .memory
        .as_deref()
        .map(|path| read_memory(path, true))
        .transpose()?;
    let memory_without_cluster = options
        .memory_without_cluster
        .as_deref()
        .map(|path| read_memory(path, false))
        .transpose()?;
    let scale = read(&options.scale, "scale", ScaleFigures::from_json)?;
    let backlog = read(&options.backlog, "backlog", BacklogFigures::from_json)?;
    let remote = read(&options.remote, "remote", RemoteFigures::from_json)?;
    let date = options.date.unwrap_or_else(|| {
        let newest = loaded
            .newest
            .and_then(|time| Timestamp::try_from(time).ok());
        utc_date(newest.unwrap_or_else(Timestamp::now))
    });

    let input = PageInput {
        results: &loaded.results,
        machine,
        date,
        memory: memory.as_ref(),
        memory_without_cluster: memory_without_cluster.as_ref(),
        scale: scale.as_ref(),
        backlog: backlog.as_ref(),
        remote: remote.as_ref(),
    };
    let pages = page::render(&input);
    let figures = figures::render(&input);
    let charts = [
        (page::COUNTING_CHART, charts::counting(&loaded.results)),
        (
            page::AGGREGATION_CHART,
            charts::aggregation(&loaded.results),
        ),
        (page::BATCHING_CHART, charts::batching(&loaded.results)),
    ];

    // Draw every chart before writing anything, so that a failure leaves
    // the old pages and charts as they were.
    let mut files: Vec<(PathBuf, String)> = pages
        .into_iter()
        .map(|(name, text)| (options.out.join(name), text))
        .collect();
    files.push((options.out.join(figures::FIGURES), figures));
    for (relative, chart) in &charts {
        let path = options.out.join(relative);
        let svg = charts::render_svg(chart)
            .with_context(|| format!("cannot draw the chart {}", path.display()))?;
        files.push((path, svg));
    }
    if let Some(figures) = &backlog {
        let path = options.out.join(backlog::CHART);
        let svg = charts::render_stacked_svg(&backlog::charts(figures))
            .with_context(|| format!("cannot draw the chart {}", path.display()))?;
        files.push((path, svg));
    }
    let mut written = Vec::new();
    for (path, contents) in files {
        write(&path, &contents)?;
        written.push(path);
    }
    Ok(Report {
        measured: loaded.results.len(),
        written,
        problems: loaded.problems,
    })
}

/// The day `time` falls on in UTC, as the pages give it.
fn utc_date(time: Timestamp) -> Date {
    TimeZone::UTC.to_datetime(time).date()
}

/// Reads and checks the `memory` binary's JSON, from the build with
/// ractor's `cluster` feature or without it.
fn read_memory(path: &Path, cluster: bool) -> anyhow::Result<MemoryFigures> {
    let figures = read_one(path, "memory", MemoryFigures::from_json)?;
    cluster_memory::check(&figures, cluster).with_context(|| {
        format!(
            "{} does not hold the memory figures of the build its flag takes",
            path.display()
        )
    })?;
    Ok(figures)
}

/// Reads and checks the JSON of the bench program `binary`, if a flag
/// named a file.
fn read<T, E>(
    path: &Option<PathBuf>,
    binary: &str,
    parse: fn(&str) -> Result<T, E>,
) -> anyhow::Result<Option<T>>
where
    E: std::error::Error + Send + Sync + 'static,
{
    path.as_deref()
        .map(|path| read_one(path, binary, parse))
        .transpose()
}

fn read_one<T, E>(path: &Path, binary: &str, parse: fn(&str) -> Result<T, E>) -> anyhow::Result<T>
where
    E: std::error::Error + Send + Sync + 'static,
{
    let text = fs::read_to_string(path)
        .with_context(|| format!("cannot read the {binary} figures in {}", path.display()))?;
    parse(&text).with_context(|| {
        format!(
            "{} does not hold the {binary} binary's figures",
            path.display()
        )
    })
}

fn write(path: &Path, contents: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the directory {}", dir.display()))?;
    }
    fs::write(path, contents).with_context(|| format!("cannot write {}", path.display()))
}
