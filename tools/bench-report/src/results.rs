//! criterion's saved results, read back.
//!
//! For every benchmark, criterion writes `<group>/<function>/<value>/new/`
//! with `benchmark.json` (its ID and throughput) and `estimates.json` (the
//! mean and its confidence interval, in ns per iteration). Only the fields
//! read here are declared; serde skips the rest.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::Context;
use bench::ids::BenchId;
use serde::Deserialize;
use walkdir::WalkDir;

use crate::format::Figure;

#[derive(Deserialize)]
struct BenchmarkJson {
    group_id: String,
    function_id: Option<String>,
    value_str: Option<String>,
    /// criterion's `Throughput`: only a count of elements divides a time.
    throughput: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct EstimatesJson {
    mean: Estimate,
}

#[derive(Deserialize)]
struct Estimate {
    point_estimate: f64,
    confidence_interval: Interval,
}

#[derive(Deserialize)]
struct Interval {
    lower_bound: f64,
    upper_bound: f64,
}

/// One benchmark's result: its ID (`counting/ractor/4`), its throughput,
/// and its mean time per iteration with criterion's interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// The benchmark's full ID.
    pub id: String,
    /// Elements per iteration, if the benchmark declared them.
    pub elements: Option<u64>,
    /// The mean, in ns per iteration.
    pub mean: Figure,
}

impl Measurement {
    /// Reads one benchmark's two files.
    pub fn parse(benchmark: &str, estimates: &str) -> anyhow::Result<Measurement> {
        let benchmark: BenchmarkJson = serde_json::from_str(benchmark).context("benchmark.json")?;
        let estimates: EstimatesJson = serde_json::from_str(estimates).context("estimates.json")?;
        let id = [
            Some(benchmark.group_id),
            benchmark.function_id,
            benchmark.value_str,
        ];
        let mean = estimates.mean;
        Ok(Measurement {
            id: id.into_iter().flatten().collect::<Vec<_>>().join("/"),
            elements: benchmark.throughput.and_then(|t| {
                let n = t
                    .get("Elements")
                    .or(t.pointer("/ElementsAndBytes/elements"));
                n.and_then(serde_json::Value::as_u64).filter(|&n| n > 0)
            }),
            mean: Figure {
                value: mean.point_estimate,
                low: mean.confidence_interval.lower_bound,
                high: mean.confidence_interval.upper_bound,
            },
        })
    }

    /// The mean time per iteration, in ns.
    pub fn per_iteration(&self) -> Figure {
        self.mean
    }

    /// The mean time per element, in ns: divided by the throughput the
    /// benchmark declared, or by `fallback` if it declared none.
    pub fn per_element(&self, fallback: u64) -> Figure {
        let elements = self.elements.unwrap_or(fallback.max(1));
        self.mean.divided_by(elements as f64)
    }
}

/// Every result, by ID, and the IDs the report has looked up so far.
#[derive(Debug, Clone, Default)]
pub struct Results {
    by_id: BTreeMap<String, Measurement>,
    read: RefCell<BTreeSet<String>>,
}

impl Results {
    /// The result of `id`, remembered as read: a result that nothing reads
    /// lands in "Other measurements".
    pub fn read(&self, id: &BenchId) -> Option<&Measurement> {
        let id = id.to_string();
        let found = self.by_id.get(&id);
        self.read.borrow_mut().insert(id);
        found
    }

    /// Every ID looked up so far, with a result or without.
    pub fn read_ids(&self) -> BTreeSet<String> {
        self.read.borrow().clone()
    }

    /// Every result, in ID order.
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
        let by_id = iter.into_iter().map(|m| (m.id.clone(), m)).collect();
        Results {
            by_id,
            read: RefCell::default(),
        }
    }
}

/// What [`load`] found: the results, what it skipped and why, and when the
/// newest result was saved.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The results.
    pub results: Results,
    /// Directories skipped, each with its reason.
    pub problems: Vec<(PathBuf, String)>,
    /// When the newest `estimates.json` was written.
    pub newest: Option<SystemTime>,
}

/// Reads every result under `root` (criterion's directory). A file that
/// cannot be read or parsed, or a second result with an ID already seen,
/// is skipped and named in [`Loaded::problems`]; the rest is still read.
pub fn load(root: &Path) -> Loaded {
    let mut loaded = Loaded::default();
    let mut found = Vec::new();
    let mut entries = WalkDir::new(root).sort_by_file_name().into_iter();
    while let Some(entry) = entries.next() {
        let dir = match entry {
            Ok(entry) if entry.file_type().is_dir() && entry.file_name() == "new" => {
                // Nothing inside a result's `new/` is another result.
                entries.skip_current_dir();
                entry.into_path()
            }
            Ok(_) => continue,
            Err(err) => {
                let path = err.path().unwrap_or(root).to_owned();
                loaded.problems.push((path, format!("cannot list: {err}")));
                continue;
            }
        };
        let read = |name| fs::read_to_string(dir.join(name)).with_context(|| name);
        let measurement =
            read("benchmark.json").and_then(|b| Measurement::parse(&b, &read("estimates.json")?));
        match measurement {
            Ok(m) if found.iter().any(|f: &Measurement| f.id == m.id) => {
                let message = format!("a second result for `{}`; kept the first", m.id);
                loaded.problems.push((dir, message));
            }
            Ok(m) => {
                let saved = fs::metadata(dir.join("estimates.json")).and_then(|m| m.modified());
                loaded.newest = loaded.newest.max(saved.ok());
                found.push(m);
            }
            Err(err) => loaded.problems.push((dir, format!("{err:#}"))),
        }
    }
    loaded.results = found.into_iter().collect();
    loaded
}

#[cfg(test)]
pub(crate) mod tests;
