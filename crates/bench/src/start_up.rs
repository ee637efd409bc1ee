//! Start-up: the time to start a whole system of counters, for every
//! design, through the demo's own wiring (`demo::start`). The `spawn` bench
//! program times it; "What a counter costs to start, to keep and to trace"
//! (`docs/costs-counters.md`) sets it beside what an idle counter weighs
//! ([`memory`](crate::memory)).

use std::time::{Duration, Instant};

use actors_core::{Design, Transcript};
use demo::Scenario;

use crate::MeasureError;

// ANCHOR: spawn
/// Times the start of a quiet system of `len` counters of `design`, and
/// shuts it down again, untimed.
pub async fn start_system(design: Design, len: usize) -> Result<Duration, MeasureError> {
    let scenario = Scenario::default();
    let transcript = Transcript::discard();
    let start = Instant::now();
    let system = demo::start(design, len, &scenario, &transcript).await?;
    let elapsed = start.elapsed();
    system.shutdown().await?;
    Ok(elapsed)
}
// ANCHOR_END: spawn

#[cfg(test)]
mod tests {
    use super::*;

    /// Every design starts and shuts down.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_design_starts_and_stops() {
        for design in Design::ALL {
            assert!(start_system(design, 50).await.is_ok(), "{design}");
        }
    }
}
