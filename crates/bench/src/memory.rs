//! Memory: the heap bytes one idle counter holds, for every design. Not a
//! time, so criterion cannot measure it: the `memory` binary does
//! (`cargo run --release -p bench --bin memory`), with a counting global
//! allocator, and prints [`MemoryFigures`] as JSON for `bench-report`.
//! "What a counter costs to start, to keep and to trace"
//! (`docs/costs-counters.md`) explains the figures.

use std::alloc::System;
use std::collections::BTreeSet;

use actors_core::{Design, Transcript};
use demo::Scenario;
use serde::{Deserialize, Serialize};
use stats_alloc::{Region, StatsAlloc};

use crate::MeasureError;

/// How many counters the `memory` binary starts per design unless told
/// otherwise: as many as the `spawn` bench starts.
pub const COUNTERS: usize = 10_000;

// ANCHOR: memory
/// The heap bytes that one idle counter of `design` holds.
///
/// `allocator` must be the program's global allocator, so that it sees
/// every allocation. This starts a system of no counters and one of `len`
/// counters, and divides the difference in live heap bytes by `len`, so
/// that what every system has once (the ractor aggregator, the vectors of
/// handles) mostly cancels out. Task memory is heap memory in tokio: a
/// spawned task's future, with its state, lives in one allocation.
pub async fn heap_per_counter(
    design: Design,
    len: usize,
    allocator: &StatsAlloc<System>,
) -> Result<f64, MeasureError> {
    let empty = live_bytes_of(design, 0, allocator).await?;
    let full = live_bytes_of(design, len, allocator).await?;
    Ok((full - empty) as f64 / len.max(1) as f64)
}

/// Live heap bytes added by starting a quiet system of `len` counters.
async fn live_bytes_of(
    design: Design,
    len: usize,
    allocator: &StatsAlloc<System>,
) -> Result<isize, MeasureError> {
    let region = Region::new(allocator);
    let system = demo::start(design, len, &Scenario::default(), &Transcript::discard()).await?;
    // Let every new task run up to its first wait on an empty mailbox.
    tokio::task::yield_now().await;
    let change = region.change();
    let live = change.bytes_allocated as isize - change.bytes_deallocated as isize
        + change.bytes_reallocated;
    system.shutdown().await?;
    Ok(live)
}
// ANCHOR_END: memory

/// What the `memory` binary prints and `bench-report` reads: one figure per
/// design, and how many counters each figure was averaged over. Writing
/// and reading live here, side by side, so the two cannot disagree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemoryFigures {
    /// Counters started per design.
    pub counters: usize,
    /// One row per design measured, in the order they were measured.
    pub designs: Vec<DesignBytes>,
}

/// One design's figure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DesignBytes {
    /// The design, by its one name ([`Design::name`]).
    #[serde(with = "design_name")]
    pub design: Design,
    /// Heap bytes per idle counter, averaged over [`MemoryFigures::counters`].
    pub bytes_per_counter: f64,
}

/// Why a file of memory figures cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum MemoryFormatError {
    /// Not the JSON that the `memory` binary prints (a design name it does
    /// not know is one way).
    #[error("not the memory binary's JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The same design twice: two figures for one row.
    #[error("{0} has two figures")]
    Repeated(Design),
}

impl MemoryFigures {
    /// The figure of `design`, if it was measured.
    pub fn bytes_per_counter(&self, design: Design) -> Option<f64> {
        self.designs
            .iter()
            .find(|row| row.design == design)
            .map(|row| row.bytes_per_counter)
    }

    /// The figures as the binary prints them: one JSON document.
    pub fn to_json(&self) -> String {
        // A struct of strings and numbers always serializes.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads what [`to_json`](Self::to_json) wrote.
    pub fn from_json(text: &str) -> Result<Self, MemoryFormatError> {
        let figures: MemoryFigures = serde_json::from_str(text)?;
        let mut seen = BTreeSet::new();
        for row in &figures.designs {
            if !seen.insert(row.design) {
                return Err(MemoryFormatError::Repeated(row.design));
            }
        }
        Ok(figures)
    }
}

/// A [`Design`] in JSON is its name, and only a known name reads back.
mod design_name {
    use actors_core::Design;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(design: &Design, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(design.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Design, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures() -> MemoryFigures {
        MemoryFigures {
            counters: 200,
            designs: vec![
                DesignBytes {
                    design: Design::Ractor,
                    bytes_per_counter: 7700.5,
                },
                DesignBytes {
                    design: Design::AtomicNaive,
                    bytes_per_counter: 24.0,
                },
            ],
        }
    }

    /// What is written reads back the same, with designs by name.
    #[test]
    fn figures_round_trip() {
        let json = figures().to_json();
        assert!(json.contains("\"design\": \"atomic-naive\""));
        let read = MemoryFigures::from_json(&json).unwrap();
        assert_eq!(read, figures());
        assert_eq!(read.bytes_per_counter(Design::Ractor), Some(7700.5));
        assert_eq!(read.bytes_per_counter(Design::Mutex), None);
    }

    /// An unknown design, a repeated one, or text that is not the binary's
    /// JSON at all is refused with its own error.
    #[test]
    fn foreign_figures_are_refused() {
        let unknown = figures().to_json().replace("atomic-naive", "atomic-ish");
        let refused = MemoryFigures::from_json(&unknown).unwrap_err();
        assert!(refused.to_string().contains("atomic-ish"), "{refused}");
        let repeated = figures().to_json().replace("atomic-naive", "ractor");
        assert!(matches!(
            MemoryFigures::from_json(&repeated),
            Err(MemoryFormatError::Repeated(Design::Ractor))
        ));
        let table = "design         bytes/counter\nractor                  7700\n";
        assert!(matches!(
            MemoryFigures::from_json(table),
            Err(MemoryFormatError::Json(_))
        ));
    }

    /// An allocator that is not the program's global one sees no
    /// allocation at all: the figure is only as good as what counts it.
    #[tokio::test]
    async fn a_private_allocator_sees_nothing() {
        let private = StatsAlloc::system();
        let bytes = heap_per_counter(Design::Mutex, 10, &private).await.unwrap();
        assert_eq!(bytes, 0.0);
    }
}
