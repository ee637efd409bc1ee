//! Every policy against a workload faster than its counters: the bound
//! holds, and every operation sent is accounted for.

use std::sync::Arc;
use std::time::Duration;

use actors_core::{
    Accounting, CounterSystem, Mailbox, MailboxReport, Overflow, Transcript, Workload, drive,
};
use aggregator::AggregatorArgs;
use backpressure::BoundedSystem;
use tokio::time::Instant;

/// Each operation costs the counter 5 ms; each client sends one every 1 ms.
const WORK: Duration = Duration::from_millis(5);
const CAPACITY: usize = 8;
const OPS: u64 = 200;

fn workload() -> Workload {
    Workload {
        counters: 2,
        ops_per_client: OPS,
        interval: Duration::from_millis(1),
        ..Workload::default()
    }
}

/// No timer: rounds would only add questions. The patience covers a
/// counter with a whole unbounded backlog still to work through.
fn args() -> AggregatorArgs {
    AggregatorArgs {
        collect_every: None,
        call_timeout: Duration::from_secs(60),
        transcript: Transcript::memory(),
    }
}

/// What one run went through.
struct Run {
    accounting: Accounting,
    report: MailboxReport,
    /// How long the clients took to hand everything over.
    feeding: Duration,
}

async fn run(mailbox: Mailbox) -> Run {
    let system = Arc::new(
        BoundedSystem::start(2, args(), mailbox, WORK)
            .await
            .unwrap(),
    );
    let started = Instant::now();
    let mut accounting = drive(system.clone(), &workload()).await.unwrap();
    let feeding = started.elapsed();
    let finals = system.shutdown().await.unwrap();
    accounting.settle(&finals);
    let report = system.mailbox().unwrap();
    accounting.dropped = report.dropped;
    Run {
        accounting,
        report,
        feeding,
    }
}

fn bounded(overflow: Overflow) -> Mailbox {
    Mailbox::bounded(overflow, CAPACITY).unwrap()
}

/// Checks what every policy promises: no more than `CAPACITY` waiting,
/// and applied + rejected + dropped == sent, with every operation either
/// sent or refused.
fn check_the_bound_and_the_books(run: &Run) {
    let Run {
        accounting: a,
        report,
        ..
    } = run;
    assert!(report.peak <= CAPACITY, "peak {} > {CAPACITY}", report.peak);
    assert_eq!(a.applied + a.rejected + a.dropped, a.sent, "{a}");
    assert!(a.balances(), "{a}");
    assert_eq!(a.sent + a.refused, 2 * OPS, "{a}");
    assert_eq!(report.depth, 0, "everything waiting was handled");
    assert_eq!(report.taken, a.applied + a.rejected);
}

/// Block: nothing is lost and nothing refused, and the producers are
/// slowed to the counters' pace.
#[tokio::test(start_paused = true)]
async fn block_holds_the_bound_and_slows_the_producer() {
    let run = run(bounded(Overflow::Block { timeout: None })).await;
    check_the_bound_and_the_books(&run);
    assert_eq!(run.accounting.applied, 2 * OPS);
    assert_eq!((run.report.dropped, run.report.refused), (0, 0));
    assert_eq!(run.report.peak, CAPACITY);
    // Op j finds a place once op j - 8 - 1 left the mailbox and op j - 8
    // was taken, at 5 ms per operation: the last goes at 5 * (199 - 8) ms,
    // where the producer alone would have finished at 199 ms.
    let last = OPS - 1 - CAPACITY as u64;
    assert_eq!(run.feeding, WORK * last as u32);
}

/// Fail fast: a full mailbox hands operations back, counted as refused.
#[tokio::test(start_paused = true)]
async fn fail_fast_holds_the_bound_and_refuses_the_rest() {
    let run = run(bounded(Overflow::FailFast)).await;
    check_the_bound_and_the_books(&run);
    assert!(run.accounting.refused > 0);
    assert_eq!(run.report.refused, run.accounting.refused);
    assert_eq!(run.report.dropped, 0);
}

/// Drop newest: a full mailbox discards the new operation, counted as
/// dropped, and the producer never waits.
#[tokio::test(start_paused = true)]
async fn drop_newest_holds_the_bound_and_counts_what_it_drops() {
    let run = run(bounded(Overflow::DropNewest)).await;
    check_the_bound_and_the_books(&run);
    assert!(run.accounting.dropped > 0);
    assert_eq!((run.accounting.refused, run.report.refused), (0, 0));
    assert_eq!(run.feeding, Duration::from_millis(OPS - 1));
}

/// Drop oldest: a full buffer discards its oldest operation for the new
/// one, counted as dropped, and the producer never waits.
#[tokio::test(start_paused = true)]
async fn drop_oldest_holds_the_bound_and_counts_what_it_evicts() {
    let run = run(bounded(Overflow::DropOldest)).await;
    check_the_bound_and_the_books(&run);
    assert!(run.accounting.dropped > 0);
    assert_eq!(run.accounting.refused, 0);
    assert_eq!(run.feeding, Duration::from_millis(OPS - 1));
}

/// Route: with every counter as full as the next, routing finds no room
/// elsewhere and waits as block does; the totals stay exact.
#[tokio::test(start_paused = true)]
async fn route_holds_the_bound_and_keeps_the_totals() {
    let run = run(bounded(Overflow::Route)).await;
    check_the_bound_and_the_books(&run);
    assert_eq!(run.accounting.applied, 2 * OPS);
    assert_eq!((run.report.dropped, run.report.refused), (0, 0));
}

/// Unbounded: nobody waits and nothing is lost, and the depth grows to
/// exactly what the pacing predicts.
#[tokio::test(start_paused = true)]
async fn unbounded_reports_the_exact_peak() {
    let run = run(Mailbox::Unbounded).await;
    check_unbounded_books(&run);
    // Op j arrives at j ms; the counter takes op i at 5i ms. When the last
    // op arrives at 199 ms, 200 have arrived and ops 0..=39 were taken.
    let taken_by_last_arrival = (OPS - 1) / 5 + 1;
    assert_eq!(run.report.peak as u64, OPS - taken_by_last_arrival);
    assert_eq!(run.feeding, Duration::from_millis(OPS - 1));
}

fn check_unbounded_books(run: &Run) {
    let a = &run.accounting;
    assert_eq!(a.applied, 2 * OPS);
    assert!(a.balances(), "{a}");
    assert_eq!(run.report.depth, 0);
    assert_eq!(run.report.taken, 2 * OPS);
}
