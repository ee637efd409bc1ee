//! The driver against a real design: the hand-rolled counters.

use std::sync::Arc;

use actors_core::{DriveError, Transcript, Workload, drive};
use handrolled::HandRolledSystem;

/// Each client sends one operation per tick: the article's 50
/// operations, 10 ms apart, take 490 ms of virtual time, and all 200
/// are handed over.
#[tokio::test(start_paused = true)]
async fn clients_keep_the_workload_pace() {
    let system = Arc::new(HandRolledSystem::start(4, &Transcript::memory()));
    let started = tokio::time::Instant::now();

    let accounting = drive(system, &Workload::default()).await.unwrap();

    assert_eq!(started.elapsed(), std::time::Duration::from_millis(490));
    assert_eq!((accounting.sent, accounting.undelivered), (200, 0));
}

/// A workload for five clients does not fit a system of four counters.
#[tokio::test]
async fn sizes_must_agree() {
    let system = Arc::new(HandRolledSystem::start(4, &Transcript::memory()));
    let workload = Workload {
        counters: 5,
        ..Workload::default()
    };
    let error = drive(system, &workload).await.unwrap_err();
    assert!(matches!(
        error,
        DriveError::SizeMismatch {
            clients: 5,
            counters: 4
        }
    ));
}
