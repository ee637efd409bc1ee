//! The grader for exercise 09: a supervisor's restarts and its intensity
//! limit, against scripted failures.
//!
//! Every test starts a supervisor of three workers, at most 3 restarts
//! within 10 s, under a small parent actor that stands for the supervisor's
//! own supervisor and writes down how the supervisor ended: an escalation
//! shows there. Then a script runs on tokio's paused clock: at given
//! seconds the grader crashes a worker, tells one to stop, or makes the
//! next starts fail. Before each step the clock waits until every actor is
//! idle, so each step meets a settled system and every stamp in the log is
//! an exact virtual time.
//!
//! The report is the log, then the status of the supervisor and of each
//! worker at the end. A `todo!()` in the supervisor's code fails the
//! supervisor, and shows in the report as the parent hears it.

use std::sync::Once;
use std::time::Duration;

use exercise_09_supervisor::{
    Crash, Log, RestartWindow, StartFailures, Supervisor, SupervisorArgs, SupervisorMessage,
    WorkerMessage, WorkerPanic,
};
use ractor::rpc::CallResult;
use ractor::{Actor, ActorProcessingErr, ActorRef, SupervisionEvent};
use tokio::time::Instant;

/// How many workers the supervisor runs.
const WORKERS: usize = 3;
/// The intensity limit of every test: at most 3 restarts within 10 s.
const MAX_RESTARTS: usize = 3;
/// See [`MAX_RESTARTS`].
const PERIOD: Duration = Duration::from_secs(10);
/// How long the grader waits for the supervisor's answer. Virtual time: it
/// costs nothing.
const PATIENCE: Duration = Duration::from_secs(60);

/// One thing the grader does to the system, at a given second.
enum Step {
    /// Make the worker of this index fail, in this way.
    Fail(usize, Crash),
    /// Tell the worker of this index to stop cleanly.
    Stop(usize),
    /// Make this many of the next worker starts fail in `pre_start`.
    FailNextStarts(usize),
}

use Step::{Fail, FailNextStarts, Stop};

/// Stands above the supervisor, as its own supervisor would, and writes in
/// the log how the supervisor ended.
struct Parent;

impl Actor for Parent {
    type Msg = ();
    type State = Log;
    type Arguments = Log;

    async fn pre_start(&self, _myself: ActorRef<()>, log: Log) -> Result<Log, ActorProcessingErr> {
        Ok(log)
    }

    async fn handle_supervisor_evt(
        &self,
        _myself: ActorRef<()>,
        event: SupervisionEvent,
        log: &mut Log,
    ) -> Result<(), ActorProcessingErr> {
        match event {
            SupervisionEvent::ActorFailed(_, error) => {
                log.write("parent", format_args!("the supervisor failed: {error}"));
            }
            SupervisionEvent::ActorTerminated(_, _, reason) => {
                let reason = reason.as_deref().unwrap_or("no reason");
                log.write("parent", format_args!("the supervisor stopped: {reason}"));
            }
            _ => {}
        }
        Ok(())
    }
}

/// Keeps the output readable: a worker's panic on purpose prints nothing,
/// while every other panic, a `todo!()` among them, prints as usual.
fn quiet_worker_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !info.payload().is::<WorkerPanic>() {
                default(info);
            }
        }));
    });
}

/// The running incarnation of every worker, or `None` if the supervisor
/// does not answer.
async fn workers(supervisor: &ActorRef<SupervisorMessage>) -> Option<Vec<ActorRef<WorkerMessage>>> {
    match supervisor
        .call(SupervisorMessage::Workers, Some(PATIENCE))
        .await
    {
        Ok(CallResult::Success(workers)) => Some(workers),
        _ => None,
    }
}

/// Sends `message` to the running incarnation of worker `index`, and
/// writes in the log what went wrong if it cannot. Returns the workers the
/// supervisor named, if it answered.
async fn send(
    supervisor: &ActorRef<SupervisorMessage>,
    index: usize,
    message: WorkerMessage,
    log: &Log,
) -> Option<Vec<ActorRef<WorkerMessage>>> {
    let Some(workers) = workers(supervisor).await else {
        log.write("grader", "the supervisor does not answer");
        return None;
    };
    if workers[index].cast(message).is_err() {
        log.write("grader", format_args!("worker-{index} is not running"));
    }
    Some(workers)
}

/// How the log names a way to crash.
fn crash_name(how: Crash) -> &'static str {
    match how {
        Crash::Error => "an error",
        Crash::Panic => "a panic",
    }
}

/// Runs `script`, each step at its second of virtual time, and returns the
/// report.
async fn run(script: &[(u64, Step)]) -> String {
    quiet_worker_panics();
    let log = Log::new();
    let start = Instant::now();
    let (parent, _) = Actor::spawn(None, Parent, log.clone())
        .await
        .expect("the parent starts");
    let start_failures = StartFailures::new();
    let args = SupervisorArgs {
        workers: WORKERS,
        window: RestartWindow::new(MAX_RESTARTS, PERIOD),
        log: log.clone(),
        start_failures: start_failures.clone(),
    };
    let (supervisor, _) = Actor::spawn_linked(None, Supervisor, args, parent.get_cell())
        .await
        .expect("the supervisor starts");
    // The workers as last named by the supervisor: after an escalation,
    // the grader can still look at the ones it knew.
    let mut known = workers(&supervisor)
        .await
        .expect("a new supervisor answers");

    for (at, step) in script {
        // The paused clock moves on only once every actor is idle.
        tokio::time::sleep_until(start + Duration::from_secs(*at)).await;
        let named = match *step {
            Fail(index, how) => {
                let how_name = crash_name(how);
                log.write(
                    "grader",
                    format_args!("crash worker-{index} with {how_name}"),
                );
                send(&supervisor, index, WorkerMessage::Crash(how), &log).await
            }
            Stop(index) => {
                log.write("grader", format_args!("tell worker-{index} to stop"));
                send(&supervisor, index, WorkerMessage::Stop, &log).await
            }
            FailNextStarts(count) => {
                let starts = match count {
                    1 => "start".to_string(),
                    _ => format!("{count} starts"),
                };
                log.write("grader", format_args!("make the next {starts} fail"));
                start_failures.fail_next(count);
                None
            }
        };
        known = named.unwrap_or(known);
    }
    // Time for the last step's consequences, then a look at the end state.
    tokio::time::sleep(PERIOD).await;
    known = workers(&supervisor).await.unwrap_or(known);

    let mut report =
        format!("{WORKERS} workers, at most {MAX_RESTARTS} restarts within {PERIOD:?}\n");
    for line in lines(&log) {
        report.push_str(&line);
        report.push('\n');
    }
    report.push_str("at the end:\n");
    report.push_str(&format!("  supervisor  {:?}\n", supervisor.get_status()));
    for (index, worker) in known.iter().enumerate() {
        report.push_str(&format!("  worker-{index}    {:?}\n", worker.get_status()));
    }
    report
}

/// Whether a log line is a worker's "stopped".
fn is_stop(line: &str) -> bool {
    line.contains("  worker-") && line.ends_with("  stopped")
}

/// The log's lines, with each run of workers' "stopped" lines sorted: a
/// supervisor may stop its workers one after another or all at once, and
/// ractor stops a supervisor's children in no fixed order.
fn lines(log: &Log) -> Vec<String> {
    let mut lines = log.lines();
    for run in lines.chunk_by_mut(|a, b| is_stop(a) == is_stop(b)) {
        if is_stop(&run[0]) {
            run.sort();
        }
    }
    lines
}

/// Three failures within the period, each of a different worker or the
/// same: three restarts, and the supervisor carries on.
#[tokio::test(start_paused = true)]
async fn three_failures_within_the_period_are_three_restarts() {
    let report = run(&[
        (1, Fail(1, Crash::Error)),
        (2, Fail(2, Crash::Panic)),
        (3, Fail(1, Crash::Error)),
    ])
    .await;
    grading::assert_report!(report);
}

/// A fourth failure within the period is one too many: the supervisor
/// stops the other workers, waits for them, and fails, and its parent hears
/// why.
#[tokio::test(start_paused = true)]
async fn a_fourth_failure_within_the_period_escalates() {
    let report = run(&[
        (1, Fail(1, Crash::Error)),
        (2, Fail(2, Crash::Panic)),
        (3, Fail(1, Crash::Error)),
        (4, Fail(0, Crash::Panic)),
    ])
    .await;
    grading::assert_report!(report);
}

/// Failures spread wider than the period never add up: a restart older
/// than the period no longer counts.
#[tokio::test(start_paused = true)]
async fn failures_spread_wider_than_the_period_never_escalate() {
    let report = run(&[
        (1, Fail(0, Crash::Error)),
        (5, Fail(0, Crash::Error)),
        (9, Fail(0, Crash::Panic)),
        (13, Fail(0, Crash::Error)),
        (17, Fail(0, Crash::Error)),
        (21, Fail(0, Crash::Panic)),
    ])
    .await;
    grading::assert_report!(report);
}

/// The window slides with each failure; it does not start afresh every
/// period. At 13 s the restarts of 9, 10 and 12 s still count, though the
/// one at 1 s no longer does.
#[tokio::test(start_paused = true)]
async fn the_window_slides_rather_than_resets() {
    let report = run(&[
        (1, Fail(0, Crash::Error)),
        (9, Fail(1, Crash::Error)),
        (10, Fail(2, Crash::Error)),
        (12, Fail(0, Crash::Error)),
        (13, Fail(1, Crash::Error)),
    ])
    .await;
    grading::assert_report!(report);
}

/// A restart exactly one period old still counts, as in Erlang/OTP: at
/// 11 s the restart of 1 s is 10 s old, so this is the fourth within 10 s.
#[tokio::test(start_paused = true)]
async fn a_restart_exactly_one_period_old_still_counts() {
    let report = run(&[
        (1, Fail(0, Crash::Error)),
        (2, Fail(1, Crash::Error)),
        (3, Fail(2, Crash::Error)),
        (11, Fail(0, Crash::Error)),
    ])
    .await;
    grading::assert_report!(report);
}

/// A panic and an error both restart the worker; a worker that stops
/// cleanly stays stopped, and its stop counts for nothing.
#[tokio::test(start_paused = true)]
async fn a_panic_and_an_error_restart_a_clean_stop_does_not() {
    let report = run(&[
        (1, Fail(0, Crash::Panic)),
        (2, Fail(1, Crash::Error)),
        (3, Stop(2)),
        (4, Fail(0, Crash::Error)),
    ])
    .await;
    grading::assert_report!(report);
}

/// A restart that fails in `pre_start` is one more failure: ractor sends no
/// event for it, yet it counts toward the limit, and the supervisor tries
/// again while the window allows.
#[tokio::test(start_paused = true)]
async fn a_restart_that_fails_to_start_counts_toward_the_limit() {
    let report = run(&[
        (1, FailNextStarts(1)),
        (1, Fail(1, Crash::Error)),
        (2, Fail(2, Crash::Error)),
        (3, Fail(0, Crash::Error)),
    ])
    .await;
    grading::assert_report!(report);
}

/// A worker that cannot start at all makes the supervisor give up at once,
/// after as many tries as the limit allows, instead of trying for ever.
#[tokio::test(start_paused = true)]
async fn a_worker_that_never_starts_escalates_at_once() {
    let report = run(&[(1, FailNextStarts(10)), (1, Fail(2, Crash::Panic))]).await;
    grading::assert_report!(report);
}
