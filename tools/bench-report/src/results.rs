//! Reading criterion's saved results.
//!
//! For every benchmark, criterion 0.8 writes a directory under
//! `target/criterion` named after the benchmark's ID, with the latest run in
//! `new/`: `benchmark.json` names the benchmark, `estimates.json` holds the
//! statistics in nanoseconds per iteration. The structs below mirror those
//! two files field for field (criterion's `report::BenchmarkId`,
//! `Throughput` and `estimate::Estimates`), so serde reads them as they are.
//!
//! Loading never stops at a bad file. A directory that cannot be read or a
//! file that does not parse becomes a [`Problem`], and the report goes on
//! with what it has: a missing figure is a dash on the page, not a crash.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::Context;
use bench::ids::BenchId;
use serde::Deserialize;
use walkdir::WalkDir;

use crate::format::Figure;

/// `new/benchmark.json`: which benchmark a directory holds.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BenchmarkJson {
    /// The group, such as `counting`.
    pub group_id: String,
    /// The function within the group, such as `ractor`.
    pub function_id: Option<String>,
    /// The parameter, such as `4` (producers).
    pub value_str: Option<String>,
    /// How much work one iteration does, if the bench said.
    pub throughput: Option<Throughput>,
    /// `group/function/value`, leaving out the parts that are absent.
    #[serde(default)]
    pub full_id: String,
    /// Where criterion put the files, relative to `target/criterion`.
    #[serde(default)]
    pub directory_name: String,
    /// The ID as criterion prints it, shortened if very long.
    #[serde(default)]
    pub title: String,
}

/// How much work one iteration does. Serde writes criterion's enum with
/// its variant name as the key: `{"Elements": 1000000}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Throughput {
    /// Bits per iteration.
    Bits(u64),
    /// Bytes per iteration, reported in binary multiples.
    Bytes(u64),
    /// Bytes per iteration, reported in decimal multiples.
    BytesDecimal(u64),
    /// Elements per iteration: increments, for our counting benches.
    Elements(u64),
    /// Elements and bytes per iteration.
    ElementsAndBytes {
        /// Elements per iteration.
        elements: u64,
        /// Bytes per iteration.
        bytes: u64,
    },
}

impl Throughput {
    /// Elements per iteration, if this throughput counts elements.
    pub fn elements(self) -> Option<u64> {
        match self {
            Throughput::Elements(n) | Throughput::ElementsAndBytes { elements: n, .. } => Some(n),
            _ => None,
        }
    }
}

impl fmt::Display for Throughput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Throughput::Bits(n) => write!(f, "{n} bits"),
            Throughput::Bytes(n) | Throughput::BytesDecimal(n) => write!(f, "{n} bytes"),
            Throughput::Elements(n) => write!(f, "{n} elements"),
            Throughput::ElementsAndBytes { elements, bytes } => {
                write!(f, "{elements} elements, {bytes} bytes")
            }
        }
    }
}

/// A confidence interval, in nanoseconds per iteration.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct ConfidenceInterval {
    /// How sure criterion is that the true value lies inside: 0.95 by default.
    pub confidence_level: f64,
    /// The lower end.
    pub lower_bound: f64,
    /// The upper end.
    pub upper_bound: f64,
}

/// One statistic, in nanoseconds per iteration.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct Estimate {
    /// Where criterion's bootstrap puts the statistic.
    pub confidence_interval: ConfidenceInterval,
    /// The statistic itself.
    pub point_estimate: f64,
    /// The spread of the bootstrap distribution.
    pub standard_error: f64,
}

impl Estimate {
    /// The estimate and its interval, as one figure.
    pub fn figure(&self) -> Figure {
        Figure {
            value: self.point_estimate,
            low: self.confidence_interval.lower_bound,
            high: self.confidence_interval.upper_bound,
        }
    }
}

/// `new/estimates.json`: the statistics of one benchmark's latest run.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct EstimatesJson {
    /// The mean time per iteration: the figure the page reports.
    pub mean: Estimate,
    /// The median time per iteration.
    pub median: Estimate,
    /// The standard deviation of the samples.
    pub std_dev: Estimate,
    /// The median absolute deviation of the samples.
    pub median_abs_dev: Estimate,
    /// The linear-regression estimate; `null` with flat sampling.
    pub slope: Option<Estimate>,
}

/// One benchmark's result, as the report uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// The full ID, `group/function/value`.
    pub id: String,
    /// How much work one iteration does, if the bench said.
    pub throughput: Option<Throughput>,
    /// The mean time per iteration, in nanoseconds.
    pub mean: Estimate,
}

/// Criterion's rule for a full ID: the parts that are present, joined by `/`.
pub fn full_id(group: &str, function: Option<&str>, value: Option<&str>) -> String {
    [Some(group), function, value]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("/")
}

impl Measurement {
    /// Reads one `benchmark.json` and `estimates.json` pair.
    /// An error names the file that did not parse.
    pub fn parse(benchmark_json: &str, estimates_json: &str) -> anyhow::Result<Measurement> {
        let benchmark: BenchmarkJson =
            serde_json::from_str(benchmark_json).context("benchmark.json")?;
        let estimates: EstimatesJson =
            serde_json::from_str(estimates_json).context("estimates.json")?;
        Ok(Measurement {
            id: full_id(
                &benchmark.group_id,
                benchmark.function_id.as_deref(),
                benchmark.value_str.as_deref(),
            ),
            throughput: benchmark.throughput,
            mean: estimates.mean,
        })
    }

    /// The mean time per iteration, in nanoseconds.
    pub fn per_iteration(&self) -> Figure {
        self.mean.figure()
    }

    /// The mean time per element (per increment, for the counting benches),
    /// in nanoseconds. The elements come from the saved throughput; a bench
    /// that saved none is taken to do `fallback` elements per iteration.
    pub fn per_element(&self, fallback: u64) -> Figure {
        let elements = self
            .throughput
            .and_then(Throughput::elements)
            .filter(|&n| n > 0)
            .unwrap_or(fallback.max(1));
        // Exact for any count a bench can run in one iteration (below 2^53).
        self.per_iteration().divided_by(elements as f64)
    }
}

/// Every result found, by full ID, and every ID the report has looked up.
#[derive(Debug, Clone, Default)]
pub struct Results {
    by_id: BTreeMap<String, Measurement>,
    /// What [`Results::read`] was asked for: a result that no section read
    /// goes to "Other measurements", and the tests check that every ID read
    /// is one that a bench program registers.
    read: RefCell<BTreeSet<String>>,
}

impl Results {
    /// No results at all.
    pub fn new() -> Results {
        Results::default()
    }

    /// Adds a result. Returns the one it replaced, if the ID was taken.
    pub fn insert(&mut self, measurement: Measurement) -> Option<Measurement> {
        self.by_id.insert(measurement.id.clone(), measurement)
    }

    /// The result for a full ID such as `counting/ractor/4`, as saved.
    pub fn get(&self, id: &str) -> Option<&Measurement> {
        self.by_id.get(id)
    }

    /// The result of a benchmark the report lays out, noting that it was
    /// asked for, whether or not it was measured.
    pub fn read(&self, id: &BenchId) -> Option<&Measurement> {
        let id = id.to_string();
        let found = self.by_id.get(&id);
        self.read.borrow_mut().insert(id);
        found
    }

    /// Every ID [`Results::read`] has been asked for so far.
    pub fn read_ids(&self) -> BTreeSet<String> {
        self.read.borrow().clone()
    }

    /// Every result, sorted by ID.
    pub fn iter(&self) -> impl Iterator<Item = &Measurement> {
        self.by_id.values()
    }

    /// How many results there are.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

impl FromIterator<Measurement> for Results {
    fn from_iter<I: IntoIterator<Item = Measurement>>(iter: I) -> Results {
        let mut results = Results::new();
        for measurement in iter {
            results.insert(measurement);
        }
        results
    }
}

/// A file or directory the report had to skip, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// What [`load`] found.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Every result that read cleanly.
    pub results: Results,
    /// Everything skipped on the way.
    pub problems: Vec<Problem>,
    /// When the newest result was written, if the file system says.
    pub newest: Option<SystemTime>,
}

impl Loaded {
    fn problem(&mut self, path: &Path, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.to_owned(),
            message: message.into(),
        });
    }
}

/// Reads every `new/benchmark.json` and `new/estimates.json` pair under
/// `root`, at any depth. Directories are visited in name order, so the
/// same tree always gives the same results and the same problems.
pub fn load(root: &Path) -> Loaded {
    let mut loaded = Loaded::default();
    if !root.is_dir() {
        loaded.problem(
            root,
            "no such directory, so every figure is missing (run `just bench` first)",
        );
        return loaded;
    }
    // walkdir does not follow symbolic links, so no walk can loop.
    let mut entries = WalkDir::new(root)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                loaded.problem(err.path().unwrap_or(root), format!("cannot list: {err}"));
                continue;
            }
        };
        let dir = entry.path();
        if entry.file_type().is_dir()
            && entry.file_name() == "new"
            && dir.join("benchmark.json").is_file()
        {
            read_pair(dir, &mut loaded);
            entries.skip_current_dir();
        }
    }
    loaded
}

fn read_pair(new_dir: &Path, loaded: &mut Loaded) {
    let read = |name: &str| fs::read_to_string(new_dir.join(name));
    let (benchmark, estimates) = match (read("benchmark.json"), read("estimates.json")) {
        (Ok(benchmark), Ok(estimates)) => (benchmark, estimates),
        (Err(err), _) => return loaded.problem(new_dir, format!("benchmark.json: {err}")),
        (_, Err(err)) => return loaded.problem(new_dir, format!("estimates.json: {err}")),
    };
    let measurement = match Measurement::parse(&benchmark, &estimates) {
        Ok(measurement) => measurement,
        Err(err) => return loaded.problem(new_dir, format!("{err:#}")),
    };
    if let Ok(modified) = fs::metadata(new_dir.join("estimates.json")).and_then(|m| m.modified()) {
        loaded.newest = loaded.newest.max(Some(modified));
    }
    if let Some(first) = loaded.results.get(&measurement.id) {
        let message = format!("a second result for `{}`; kept the first", first.id);
        return loaded.problem(new_dir, message);
    }
    loaded.results.insert(measurement);
}

#[cfg(test)]
pub(crate) mod tests;
