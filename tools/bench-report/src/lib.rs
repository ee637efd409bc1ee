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
use std::io;
use std::path::{Path, PathBuf};

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

use bench::backlog::{BacklogFigures, BacklogFormatError};
use bench::memory::{MemoryFigures, MemoryFormatError};
use bench::remote::{RemoteFigures, RemoteFormatError};
use bench::scale::{ScaleFigures, ScaleFormatError};
use charts::ChartError;
use cli::Options;
use cluster_memory::WrongBuild;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use machine::Machine;
use page::PageInput;
use results::Problem;

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// There is nothing to report. Writing pages of dashes over the
    /// committed results pages would only lose them.
    #[error("no benchmark results in {0}: run `just bench` first")]
    NoResults(PathBuf),
    /// The `--memory` file could not be read.
    #[error("cannot read the memory figures in {path}")]
    ReadMemory {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The `--memory` file is not what the `memory` binary prints.
    #[error("{path} does not hold the memory binary's figures")]
    BadMemory {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: MemoryFormatError,
    },
    /// A memory file comes from another build than its flag takes: the
    /// build with ractor's `cluster` feature for `--memory`, the build
    /// without it for `--memory-without-cluster`.
    #[error("{path} does not hold the memory figures of the build its flag takes")]
    WrongBuild {
        /// The file.
        path: PathBuf,
        /// Which builds.
        #[source]
        source: WrongBuild,
    },
    /// The `--scale` file could not be read.
    #[error("cannot read the scale figures in {path}")]
    ReadScale {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The `--scale` file is not what the `scale` binary prints.
    #[error("{path} does not hold the scale binary's figures")]
    BadScale {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: ScaleFormatError,
    },
    /// The `--backlog` file could not be read.
    #[error("cannot read the backlog figures in {path}")]
    ReadBacklog {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The `--backlog` file is not what the `backlog` binary prints.
    #[error("{path} does not hold the backlog binary's figures")]
    BadBacklog {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: BacklogFormatError,
    },
    /// The `--remote` file could not be read.
    #[error("cannot read the remote figures in {path}")]
    ReadRemote {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The `--remote` file is not what the `remote` binary prints.
    #[error("{path} does not hold the remote binary's figures")]
    BadRemote {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: RemoteFormatError,
    },
    /// An output directory could not be created.
    #[error("cannot create the directory {path}")]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// An output file could not be written.
    #[error("cannot write {path}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// Plotters failed to draw a chart.
    #[error("cannot draw the chart {path}")]
    Chart {
        /// The chart's file.
        path: PathBuf,
        /// Why.
        #[source]
        source: ChartError,
    },
}

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
pub fn run(options: &Options, machine: &Machine) -> Result<Report, ReportError> {
    let loaded = results::load(&options.criterion);
    if loaded.results.is_empty() {
        return Err(ReportError::NoResults(options.criterion.clone()));
    }
    let memory = match &options.memory {
        Some(path) => Some(read_memory(path, true)?),
        None => None,
    };
    let memory_without_cluster = match &options.memory_without_cluster {
        Some(path) => Some(read_memory(path, false)?),
        None => None,
    };
    let scale = match &options.scale {
        Some(path) => Some(read_scale(path)?),
        None => None,
    };
    let backlog = match &options.backlog {
        Some(path) => Some(read_backlog(path)?),
        None => None,
    };
    let remote = match &options.remote {
        Some(path) => Some(read_remote(path)?),
        None => None,
    };
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
        let svg = charts::render_svg(chart).map_err(|source| ReportError::Chart {
            path: path.clone(),
            source,
        })?;
        files.push((path, svg));
    }
    if let Some(figures) = &backlog {
        let path = options.out.join(backlog::CHART);
        let svg = charts::render_stacked_svg(&backlog::charts(figures)).map_err(|source| {
            ReportError::Chart {
                path: path.clone(),
                source,
            }
        })?;
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
fn read_memory(path: &Path, cluster: bool) -> Result<MemoryFigures, ReportError> {
    let text = fs::read_to_string(path).map_err(|source| ReportError::ReadMemory {
        path: path.to_owned(),
        source,
    })?;
    let figures = MemoryFigures::from_json(&text).map_err(|source| ReportError::BadMemory {
        path: path.to_owned(),
        source,
    })?;
    cluster_memory::check(&figures, cluster).map_err(|source| ReportError::WrongBuild {
        path: path.to_owned(),
        source,
    })?;
    Ok(figures)
}

/// Reads and checks the `scale` binary's JSON.
fn read_scale(path: &Path) -> Result<ScaleFigures, ReportError> {
    let text = fs::read_to_string(path).map_err(|source| ReportError::ReadScale {
        path: path.to_owned(),
        source,
    })?;
    ScaleFigures::from_json(&text).map_err(|source| ReportError::BadScale {
        path: path.to_owned(),
        source,
    })
}

/// Reads and checks the `backlog` binary's JSON.
fn read_backlog(path: &Path) -> Result<BacklogFigures, ReportError> {
    let text = fs::read_to_string(path).map_err(|source| ReportError::ReadBacklog {
        path: path.to_owned(),
        source,
    })?;
    BacklogFigures::from_json(&text).map_err(|source| ReportError::BadBacklog {
        path: path.to_owned(),
        source,
    })
}

/// Reads and checks the `remote` binary's JSON.
fn read_remote(path: &Path) -> Result<RemoteFigures, ReportError> {
    let text = fs::read_to_string(path).map_err(|source| ReportError::ReadRemote {
        path: path.to_owned(),
        source,
    })?;
    RemoteFigures::from_json(&text).map_err(|source| ReportError::BadRemote {
        path: path.to_owned(),
        source,
    })
}

fn write(path: &Path, contents: &str) -> Result<(), ReportError> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|source| ReportError::CreateDir {
            path: dir.to_owned(),
            source,
        })?;
    }
    fs::write(path, contents).map_err(|source| ReportError::Write {
        path: path.to_owned(),
        source,
    })
}
