//! The grader for exercise 11: the splitter and your worker, under bursts
//! of jobs, on tokio's paused clock.
//!
//! Each test starts the two actors with mailboxes of a given size, submits
//! its jobs from the test itself, as fast as the splitter's mailbox takes
//! them, then says `Stop` and waits for both actors to end. A run that
//! works takes no virtual time at all. A deadlock leaves every task
//! waiting; the paused clock then jumps to the deadline of [`PATIENCE`], so
//! a stuck run fails in a moment instead of hanging, and the report says
//! who was waiting on whom.
//!
//! The report gives the counts the splitter kept, whether every job's
//! total is right, and how full each mailbox got: a run that works uses
//! the mailboxes as they are, up to their capacity and no further.

use std::num::NonZeroUsize;
use std::time::Duration;

use exercise_11_deadlock::{Job, Mailboxes, Part, Running, Tally, Watch, start, work};
use tokio::time::timeout;

/// How long a run may take, in virtual time. One that works takes none,
/// so this only decides how soon a stuck one fails.
const PATIENCE: Duration = Duration::from_secs(10);

/// The pause between two bursts, long enough for a run that works to
/// settle: on the paused clock it passes only once every task waits.
const BETWEEN_BURSTS: Duration = Duration::from_millis(1);

/// A test's run: the mailboxes' sizes and the jobs, burst by burst.
struct Scenario {
    /// The splitter's mailbox, in messages.
    splitter: usize,
    /// The worker's mailbox, in parts.
    worker: usize,
    /// Each burst's jobs, submitted back to back.
    bursts: Vec<Vec<Job>>,
}

impl Scenario {
    /// `bursts` bursts of `jobs` jobs of `parts` parts each, numbered on
    /// from one burst to the next.
    fn new(splitter: usize, worker: usize, bursts: u32, jobs: u32, parts: u32) -> Scenario {
        let bursts = (0..bursts)
            .map(|burst| {
                (0..jobs)
                    .map(|job| Job {
                        id: burst * jobs + job,
                        parts,
                    })
                    .collect()
            })
            .collect();
        Scenario {
            splitter,
            worker,
            bursts,
        }
    }

    /// Every job, in the order it is submitted.
    fn jobs(&self) -> impl Iterator<Item = &Job> {
        self.bursts.iter().flatten()
    }

    /// How many parts all the jobs make.
    fn parts(&self) -> u32 {
        self.jobs().map(|job| job.parts).sum()
    }
}

/// A mailbox size of the scenario, as `start` takes it.
fn places(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).expect("every scenario's mailboxes hold at least one message")
}

/// Submits every burst, then `Stop`, and waits for both actors to end.
async fn drive(run: Running, bursts: &[Vec<Job>]) -> Tally {
    for (n, burst) in bursts.iter().enumerate() {
        if n > 0 {
            tokio::time::sleep(BETWEEN_BURSTS).await;
        }
        for job in burst {
            if run.submit(*job).await.is_err() {
                // The splitter has gone; `finish` shows why.
                break;
            }
        }
    }
    run.finish().await
}

/// Runs the scenario with [`PATIENCE`], and writes the report.
async fn grade(scenario: Scenario) -> String {
    let run = start(Mailboxes {
        splitter: places(scenario.splitter),
        worker: places(scenario.worker),
    });
    let watch = run.watch();
    let outcome = timeout(PATIENCE, drive(run, &scenario.bursts)).await;
    let stuck_run = outcome.is_err();
    let (finished, tally) = match outcome {
        Ok(tally) => ("yes".to_string(), tally),
        Err(_) => (
            format!(
                "no, still running after {} s of virtual time",
                PATIENCE.as_secs_f64()
            ),
            watch.tally(),
        ),
    };
    let jobs = scenario.jobs().count();
    let parts = scenario.parts();
    let mut report = format!(
        "mailboxes: the splitter's holds {}, the worker's {}\n\
         submitted: {} of {} of {} parts, {parts} parts in all\n\
         finished: {finished}\n\
         jobs taken by the splitter: {} of {jobs}\n\
         parts sent to the worker: {} of {parts}\n\
         results back: {} of {parts}\n\
         duplicate results: {}\n\
         every job's total right: {}\n\
         fullest: splitter's mailbox {} of {}, worker's {} of {}\n",
        scenario.splitter,
        scenario.worker,
        counted(scenario.bursts.len(), "burst"),
        counted(jobs / scenario.bursts.len(), "job"),
        scenario.bursts[0][0].parts,
        tally.jobs,
        tally.parts_sent,
        tally.results,
        tally.duplicates,
        yes_no(totals_right(&scenario, &tally)),
        tally.splitter_peak,
        scenario.splitter,
        tally.worker_peak,
        scenario.worker,
    );
    if stuck_run {
        report.push_str(&stuck(&scenario, &watch, &tally));
    }
    report
}

/// Whether each job's total is the sum of [`work`] over its parts, and no
/// other job has one.
fn totals_right(scenario: &Scenario, tally: &Tally) -> bool {
    let expected = scenario.jobs().map(|job| {
        let total = (0..job.parts)
            .map(|index| work(Part { job: job.id, index }).value)
            .sum::<u64>();
        (job.id, total)
    });
    expected.eq(tally.totals.iter().map(|(job, total)| (*job, *total)))
}

/// `1 burst`, `20 bursts`.
fn counted(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}

/// `yes` or `no`.
fn yes_no(answer: bool) -> &'static str {
    if answer { "yes" } else { "no" }
}

// ANCHOR: stuck
/// What a stuck run waits for, read from how full each mailbox is now and
/// from the splitter's word on whether it waits to send.
fn stuck(scenario: &Scenario, watch: &Watch, tally: &Tally) -> String {
    let (splitter, worker) = (watch.splitter_depth(), watch.worker_depth());
    let taken = |depth: Option<usize>, capacity| match depth {
        Some(depth) => format!("{depth} of {capacity} taken"),
        None => "closed".to_string(),
    };
    let splitter_now = taken(splitter, scenario.splitter);
    let worker_now = taken(worker, scenario.worker);
    let missing = tally.parts_sent - tally.results;
    if tally.splitter_waiting && splitter == Some(scenario.splitter) {
        format!(
            "stuck: a deadlock, each actor waiting for the other\n\
             \x20 the splitter waits for room in the worker's mailbox: {worker_now}\n\
             \x20 the worker takes no part, and the splitter's mailbox, where its \
             results go, is full: {splitter_now}\n"
        )
    } else if tally.splitter_waiting {
        format!(
            "stuck: the splitter waits for room in the worker's mailbox: {worker_now}\n\
             \x20 the worker takes no part, though the splitter's mailbox has room: \
             {splitter_now}\n"
        )
    } else if worker.is_some_and(|depth| depth > 0) {
        format!("stuck: the worker takes no part from its mailbox: {worker_now}\n")
    } else if missing > 0 {
        format!(
            "stuck: the splitter waits for {missing} results that no mailbox holds: \
             the worker kept them, or lost them\n"
        )
    } else {
        "stuck: every result is back and the worker's mailbox is closed, \
         but the worker has not ended\n"
            .to_string()
    }
}
// ANCHOR_END: stuck

/// A burst the mailboxes can hold: every part fits in the worker's mailbox
/// and every result in the splitter's, so even a worker that waits for
/// room finishes.
#[tokio::test(start_paused = true)]
async fn a_burst_the_mailboxes_can_hold_finishes() {
    let report = grade(Scenario::new(8, 8, 1, 3, 2)).await;
    grading::assert_report!(report);
}

/// A burst ten times the mailboxes: the splitter waits for room in the
/// worker's mailbox while the worker's results fill the splitter's. The
/// run must still finish, every result back exactly once.
#[tokio::test(start_paused = true)]
async fn a_burst_larger_than_the_mailboxes_finishes_with_every_result_once() {
    let report = grade(Scenario::new(4, 4, 1, 12, 4)).await;
    grading::assert_report!(report);
}

/// Mailboxes of a single place each: every send but the first meets a full
/// mailbox.
#[tokio::test(start_paused = true)]
async fn mailboxes_of_one_place_each_still_finish() {
    let report = grade(Scenario::new(1, 1, 1, 6, 3)).await;
    grading::assert_report!(report);
}

/// Mailboxes of different sizes, and twenty bursts with a pause between
/// them: the same two actors fill up, empty and fill up again, and the run
/// still finishes with every result once.
#[tokio::test(start_paused = true)]
async fn twenty_bursts_in_a_row_all_finish() {
    let report = grade(Scenario::new(2, 3, 20, 5, 3)).await;
    grading::assert_report!(report);
}
