//! How much memory a run will take, estimated before it starts.
//!
//! A million ractor counters take about 12 GB. A machine without that
//! much free memory would kill the run half-way, after minutes of work, or
//! swap until it crawls. [`check`] refuses it up front instead, with a
//! typed error that says what the run needs and what is free.

use actors_core::Design;

// ANCHOR: bytes
/// Heap bytes one idle counter of `design` holds, rounded up from what
/// `cargo run --release -p bench --bin memory` measures. The test
/// `the_demo_never_underestimates` in `crates/bench/tests/memory.rs` fails
/// if a measurement ever comes out above it.
pub fn counter_bytes(design: Design) -> u64 {
    match design {
        // A task, four ports and their channels, a registry entry. With
        // ractor's `cluster` feature, each slot of a channel also has room
        // for a serialized message, and the first blocks grow with them.
        Design::Ractor if actors_core::message::CLUSTER => 12_000,
        Design::Ractor => 8_500,
        // A task and one channel.
        Design::HandRolled => 1_700,
        // Three figures in atomics, or behind a mutex, in a `Vec`.
        Design::Mutex | Design::Atomic | Design::AtomicNaive => 64,
        // One padded cell per shard.
        Design::Sharded => 2_200,
    }
}

/// Bytes each client task takes while it runs, whatever the design: a
/// tokio task, its interval timer and its copy of the workload. Measured
/// as the peak memory of `demo run --impl mutex --counters 1000000 --ops 10
/// --interval-ms 1 --virtual-time`, divided by its million clients.
pub const CLIENT_BYTES: u64 = 800;

/// What a run of `counters` counters of `design` needs, with a quarter more
/// for what the estimate leaves out (the allocator's own waste, queued
/// messages, the transcript).
pub fn estimate(design: Design, counters: usize) -> u64 {
    let per_counter = counter_bytes(design) + CLIENT_BYTES;
    let counters = u64::try_from(counters).unwrap_or(u64::MAX);
    per_counter.saturating_mul(counters).saturating_mul(5) / 4
}
// ANCHOR_END: bytes

// ANCHOR: check
/// A run that would not fit in the memory the machine has free.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{counters} {design} counters need about {} MB, and {} MB are free; \
     run fewer counters, or a design that needs less per counter",
    .needed / MB, .available / MB
)]
pub struct WontFit {
    /// The design asked for.
    pub design: Design,
    /// How many counters.
    pub counters: usize,
    /// Bytes the run would need, from [`estimate`].
    pub needed: u64,
    /// Bytes the machine has free now.
    pub available: u64,
}

/// Refuses a run of `counters` counters of `design` when its [`estimate`]
/// is more than `available` bytes.
pub fn check(design: Design, counters: usize, available: u64) -> Result<(), WontFit> {
    let needed = estimate(design, counters);
    if needed > available {
        return Err(WontFit {
            design,
            counters,
            needed,
            available,
        });
    }
    Ok(())
}

/// The memory the machine has free now, as the operating system reports
/// it: free pages plus those it can reclaim at once.
pub fn available() -> u64 {
    let mut system = sysinfo::System::new();
    system.refresh_memory();
    system.available_memory()
}
// ANCHOR_END: check

const MB: u64 = 1_000_000;

#[cfg(test)]
mod tests {
    use super::*;

    /// A million ractor counters need gigabytes; the same on atomics, a
    /// fraction of it; and the estimate never wraps.
    #[test]
    fn the_estimate_scales_with_the_design() {
        let ractor = estimate(Design::Ractor, 1_000_000);
        let atomic = estimate(Design::Atomic, 1_000_000);
        assert!(
            (10_000_000_000..17_000_000_000).contains(&ractor),
            "{ractor}"
        );
        assert!(atomic < ractor / 5, "{atomic}");
        assert_eq!(estimate(Design::Ractor, usize::MAX), u64::MAX / 4);
    }

    // ANCHOR: refused
    /// What fits passes; what does not is refused with both figures.
    #[test]
    fn a_run_that_does_not_fit_is_refused() {
        assert_eq!(check(Design::Ractor, 1_000, 1_000_000_000), Ok(()));
        let refused = check(Design::Atomic, 10_000_000, 4_000_000_000).unwrap_err();
        assert_eq!(refused.available, 4_000_000_000);
        assert_eq!(
            refused.to_string(),
            "10000000 atomic counters need about 10800 MB, and 4000 MB are free; \
             run fewer counters, or a design that needs less per counter"
        );
        assert!(check(Design::Ractor, 1_000_000, 4_000_000_000).is_err());
    }
    // ANCHOR_END: refused
}
