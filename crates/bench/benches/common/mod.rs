//! What every bench program shares: one runtime, a sum of timed runs, and
//! the only way to register a benchmark, through `bench::ids`.

// Each program uses part of this module.
#![allow(dead_code)]

use std::time::Duration;

use bench::MeasureError;
use bench::ids::{BenchId, Group};
use criterion::measurement::WallTime;
use criterion::{Bencher, BenchmarkGroup, BenchmarkId, Criterion};
use tokio::runtime::Runtime;

/// The one runtime of a bench program, built before anything is timed.
pub fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime starts")
}

/// A runtime of one worker thread: producers on it take turns, so no two
/// of them ever write to the same channel from two cores at once.
pub fn one_worker_runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime starts")
}

/// Adds up the timed regions of `iters` runs. Only the runs' own timed
/// regions count: setting up and stopping each target is left out.
pub fn total_of(iters: u64, mut run: impl FnMut() -> Result<Duration, MeasureError>) -> Duration {
    (0..iters)
        .map(|_| run().unwrap_or_else(|error| panic!("the run failed: {error}")))
        .sum()
}

/// A criterion group that takes its benchmarks by [`BenchId`] only, so that
/// every ID a program registers is one `bench-report` can name.
pub struct Registrar<'a> {
    group: Group,
    inner: BenchmarkGroup<'a, WallTime>,
}

impl<'a> Registrar<'a> {
    /// Opens `group` under its name from `bench::ids`.
    pub fn new(c: &'a mut Criterion, group: Group) -> Self {
        Registrar {
            group,
            inner: c.benchmark_group(group.name()),
        }
    }

    /// The group's settings: throughput, sample size and the like.
    pub fn settings(&mut self) -> &mut BenchmarkGroup<'a, WallTime> {
        &mut self.inner
    }

    /// Registers `routine` as the benchmark `id`, which must belong to this
    /// group.
    pub fn bench(&mut self, id: &BenchId, routine: impl FnMut(&mut Bencher<'_, WallTime>)) {
        assert_eq!(id.group(), self.group, "{id} registered in the wrong group");
        match id.value() {
            Some(value) => self
                .inner
                .bench_function(BenchmarkId::new(id.function(), value), routine),
            None => self.inner.bench_function(id.function(), routine),
        };
    }

    /// Closes the group.
    pub fn finish(self) {
        self.inner.finish();
    }
}
