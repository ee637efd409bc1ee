//! The grader for exercise 02: `call_timeout` against a slow actor.
//!
//! Everything runs on tokio's paused clock, so "50 ms of work" is virtual:
//! the grader finishes at once and prints the same report every run. Each
//! call is also wrapped in an outer wait of one virtual hour, so that an
//! answer with no deadline at all shows up as "still waiting" in the report
//! instead of hanging the test.

use std::fmt::Write;
use std::time::Duration;

use exercise_02_call_timeout::call_timeout;
use handrolled::actor::{self, Actor, Handle, Reply};
use tokio::time::Instant;

/// How long the test actor works on every message, in virtual time.
const WORK: Duration = Duration::from_millis(50);

/// How long the grader waits before it reports a call as "still waiting".
const PATIENCE: Duration = Duration::from_secs(3600);

/// What the test actor does with a question once it has worked on it.
#[derive(Debug, Clone, Copy)]
enum Temper {
    /// Sends the number back.
    Answers,
    /// Drops the reply sender without answering.
    Forgets,
    /// Keeps the reply sender and never answers.
    Hoards,
}

/// The test actor's messages.
enum Job {
    /// Work that nobody waits for.
    Chore,
    /// "Say this number back."
    Ask(u32, Reply<u32>),
}

/// An actor that takes [`WORK`] over every message and writes down what
/// became of each answer.
struct Slow {
    /// What it does with questions.
    temper: Temper,
    /// Time zero of its diary. `tokio::time::Instant`: virtual time.
    born: Instant,
    /// One line per message handled.
    diary: Vec<String>,
    /// How many questions it has worked on, answered or not.
    questions: u32,
    /// Reply senders a hoarding actor holds on to.
    kept: Vec<Reply<u32>>,
}

impl Actor for Slow {
    type Message = Job;

    async fn handle(&mut self, job: Job) {
        tokio::time::sleep(WORK).await;
        let line = match job {
            Job::Chore => "did a chore".to_string(),
            Job::Ask(n, reply) => {
                self.questions += 1;
                match self.temper {
                    Temper::Answers => match reply.send(n) {
                        Ok(()) => format!("answered {n}: delivered"),
                        Err(_) => format!("answered {n}: dropped, nobody was waiting"),
                    },
                    Temper::Forgets => format!("forgot question {n}"),
                    Temper::Hoards => {
                        self.kept.push(reply);
                        format!("kept question {n}, unanswered")
                    }
                }
            }
        };
        let at = ms(self.born.elapsed());
        self.diary.push(format!("{at:>5} ms  {line}"));
    }
}

fn spawn_slow(temper: Temper) -> (Handle<Job>, tokio::task::JoinHandle<Slow>) {
    actor::spawn(Slow {
        temper,
        born: Instant::now(),
        diary: Vec::new(),
        questions: 0,
        kept: Vec::new(),
    })
}

fn ms(duration: Duration) -> u128 {
    duration.as_millis()
}

/// Asks `n` through the student's `call_timeout` and describes the outcome,
/// with the virtual time the call took.
async fn ask(handle: &Handle<Job>, n: u32, timeout: Duration) -> (String, Duration) {
    let start = Instant::now();
    let call = call_timeout(handle, |reply| Job::Ask(n, reply), timeout);
    let outcome = match tokio::time::timeout(PATIENCE, call).await {
        Ok(Ok(answer)) => format!("answered {answer}"),
        Ok(Err(error)) => format!("{error:?}"),
        Err(_) => "still waiting".to_string(),
    };
    (outcome, start.elapsed())
}

/// One line of the deadline table: which actor, and how long to wait.
struct Row {
    actor: &'static str,
    temper: Temper,
    deadline: Duration,
    /// Put a chore in the mailbox before the question.
    chore_first: bool,
    /// Stop the actor, and wait until it has, before asking.
    stop_first: bool,
}

impl Row {
    fn new(actor: &'static str, temper: Temper, deadline_ms: u64) -> Self {
        Row {
            actor,
            temper,
            deadline: Duration::from_millis(deadline_ms),
            chore_first: false,
            stop_first: false,
        }
    }

    fn behind_a_chore(self) -> Self {
        Row {
            chore_first: true,
            ..self
        }
    }

    fn stopped_first(self) -> Self {
        Row {
            stop_first: true,
            ..self
        }
    }
}

/// Each row is a fresh actor that takes 50 ms per message. A deadline longer
/// than the work gets the answer when the work is done; a shorter one gives
/// up exactly at the deadline; the deadline also covers the time spent in
/// line behind another message; and a forgotten question, a hoarded one and
/// a stopped actor are three different outcomes.
#[tokio::test(start_paused = true)]
async fn deadlines_against_a_slow_actor() {
    let rows = [
        Row::new("answers", Temper::Answers, 80),
        Row::new("answers", Temper::Answers, 20),
        Row::new("answers, one chore ahead", Temper::Answers, 120).behind_a_chore(),
        Row::new("answers, one chore ahead", Temper::Answers, 80).behind_a_chore(),
        Row::new("forgets the question", Temper::Forgets, 80),
        Row::new("keeps the question", Temper::Hoards, 200),
        Row::new("stopped before the call", Temper::Answers, 80).stopped_first(),
    ];

    let mut report = format!(
        "{:<26} {:>8}  {:<16} {:>8}\n",
        "actor", "deadline", "outcome", "after"
    );
    for row in rows {
        let (handle, task) = spawn_slow(row.temper);
        if row.chore_first {
            handle.cast(Job::Chore).unwrap();
        }
        if row.stop_first {
            handle.stop().unwrap();
            task.await.unwrap();
        }
        let (outcome, took) = ask(&handle, 7, row.deadline).await;
        writeln!(
            report,
            "{:<26} {:>5} ms  {outcome:<16} {:>5} ms",
            row.actor,
            ms(row.deadline),
            ms(took)
        )
        .unwrap();
    }

    grading::assert_report!(report);
}

/// Giving up breaks nothing. The first question times out at 20 ms, yet the
/// actor still works on it and finds nobody waiting at 50 ms; the answer is
/// dropped, once. The next questions are answered in turn, and the actor is
/// still running for a normal stop at the end.
#[tokio::test(start_paused = true)]
async fn after_a_timeout_the_actor_carries_on() {
    let start = Instant::now();
    let (handle, task) = spawn_slow(Temper::Answers);
    let mut report = format!(
        "{:>8}  {:<8} {:>8}  {:<16} {:>8}\n",
        "asked at", "question", "deadline", "outcome", "at"
    );

    for (n, deadline) in [(1, 20), (2, 200), (3, 200)] {
        let deadline = Duration::from_millis(deadline);
        let asked_at = ms(start.elapsed());
        let (outcome, _) = ask(&handle, n, deadline).await;
        writeln!(
            report,
            "{asked_at:>5} ms  ask {n:<4} {:>5} ms  {outcome:<16} {:>5} ms",
            ms(deadline),
            ms(start.elapsed())
        )
        .unwrap();
    }
    let running = if handle.is_running() { "yes" } else { "no" };
    writeln!(report, "actor still running: {running}").unwrap();
    let stop = match handle.stop() {
        Ok(()) => "accepted".to_string(),
        Err(error) => format!("refused ({error})"),
    };
    writeln!(report, "stop: {stop}").unwrap();

    report.push_str("\nactor's diary:\n");
    match task.await {
        Ok(actor) => {
            for line in &actor.diary {
                writeln!(report, "{line}").unwrap();
            }
            writeln!(report, "questions handled: {}", actor.questions).unwrap();
        }
        Err(error) => writeln!(report, "the actor's task failed: {error}").unwrap(),
    }

    grading::assert_report!(report);
}
