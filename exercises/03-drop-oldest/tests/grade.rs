//! The grader for exercise 03: `DropOldest::push`, the eviction rule and
//! the count.
//!
//! Each test plays a script against the mailbox and writes down what
//! happened, one line per step. Time runs on tokio's paused clock, and
//! every `recv` gives up after one virtual hour, so that a push that loses
//! a message, or never wakes the receiver, shows up in the report as
//! "still waiting" instead of hanging the test.

use std::sync::Arc;
use std::time::Duration;

use actors_core::Transcript;
use exercise_03_drop_oldest::{DropOldest, ZeroCapacity};
use handrolled::actor::Actor;
use tokio::time::Instant;

/// How long the grader waits on `recv` before it reports "still waiting".
const PATIENCE: Duration = Duration::from_secs(3600);

/// A mailbox of numbers and the log of everything done to it.
struct Script {
    /// The mailbox under test.
    mailbox: DropOldest<u32>,
    /// One line per step.
    log: Vec<String>,
}

impl Script {
    fn new(capacity: usize) -> Self {
        Script {
            mailbox: DropOldest::new(capacity).unwrap(),
            log: vec![format!("new({capacity})")],
        }
    }

    fn push(&mut self, n: u32) {
        let line = match self.mailbox.push(n) {
            None => format!("push {n}"),
            Some(old) => format!("push {n} (dropped {old})"),
        };
        self.note(line);
    }

    async fn recv(&mut self) {
        let line = match tokio::time::timeout(PATIENCE, self.mailbox.recv()).await {
            Ok(n) => format!("recv -> {n}"),
            Err(_) => "recv -> still waiting after 1 h".to_string(),
        };
        self.note(line);
    }

    fn dropped(&mut self) {
        let line = format!("dropped so far: {}", self.mailbox.dropped());
        self.log.push(line);
    }

    /// One step, and what is waiting after it.
    fn note(&mut self, step: String) {
        let waiting = self.mailbox.snapshot();
        self.log.push(format!("{step:<22} waiting {waiting:?}"));
    }

    fn report(&self) -> String {
        self.log.join("\n")
    }
}

/// Writes a list of numbers as runs: `[1, 2, 3, 5]` as `1-3 5`.
fn runs(numbers: &[u32]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let first = numbers[i];
        let mut last = first;
        while i + 1 < numbers.len() && numbers[i + 1] == last + 1 {
            i += 1;
            last = numbers[i];
        }
        out.push(if first == last {
            first.to_string()
        } else {
            format!("{first}-{last}")
        });
        i += 1;
    }
    if out.is_empty() {
        "none".to_string()
    } else {
        out.join(" ")
    }
}

/// Below capacity nothing is dropped. At capacity, each push drops the
/// oldest waiting message, returns it and counts it, and the receiver gets
/// the rest oldest first.
#[tokio::test(start_paused = true)]
async fn pushes_and_receives_follow_the_drop_oldest_rule() {
    let mut script = Script::new(3);
    script.push(1);
    script.push(2);
    script.push(3);
    script.dropped();
    script.push(4);
    script.dropped();
    script.recv().await;
    script.push(5);
    script.push(6);
    script.push(7);
    script.dropped();
    script.recv().await;
    script.recv().await;
    script.recv().await;
    script.push(8);
    script.recv().await;
    script.dropped();

    grading::assert_report!(script.report());
}

/// A capacity of zero is refused with a typed error. With room for one,
/// every push replaces the message waiting, and the receiver gets only the
/// newest.
#[tokio::test(start_paused = true)]
async fn capacity_one_keeps_only_the_newest() {
    let zero = match DropOldest::<u32>::new(0) {
        Ok(_) => "new(0) -> a mailbox".to_string(),
        Err(error @ ZeroCapacity) => format!("new(0) -> error: {error}"),
    };
    let mut script = Script::new(1);
    script.log.insert(0, zero);
    for n in 1..=4 {
        script.push(n);
    }
    script.recv().await;
    script.push(5);
    script.recv().await;
    script.dropped();

    grading::assert_report!(script.report());
}

/// A thousand pushes into a mailbox of eight, with nobody receiving: the
/// first 992 are dropped in the order they came, each returned once and
/// counted once, and the last eight are what the receiver gets. Received
/// plus counted drops add up to every message pushed.
#[tokio::test(start_paused = true)]
async fn a_flood_is_fully_accounted_for() {
    let mailbox = DropOldest::new(8).unwrap();
    let mut evicted = Vec::new();
    for n in 1..=1000 {
        evicted.extend(mailbox.push(n));
    }
    let waiting = mailbox.len();
    let mut received = Vec::new();
    while !mailbox.is_empty() {
        match tokio::time::timeout(PATIENCE, mailbox.recv()).await {
            Ok(n) => received.push(n),
            Err(_) => break,
        }
    }

    let report = format!(
        "pushed: 1-1000 into new(8), nobody receiving\n\
         returned by push: {}\n\
         dropped(): {}\n\
         waiting: {waiting}\n\
         received: {}\n\
         received {} + dropped() {} = {} of 1000 pushed",
        runs(&evicted),
        mailbox.dropped(),
        runs(&received),
        received.len(),
        mailbox.dropped(),
        received.len() as u64 + mailbox.dropped(),
    );
    grading::assert_report!(report);
}

/// A receiver waiting on an empty mailbox sleeps until a push wakes it,
/// and it wakes at the moment of the push, not later.
#[tokio::test(start_paused = true)]
async fn a_push_wakes_a_waiting_receiver() {
    let start = Instant::now();
    let mailbox = Arc::new(DropOldest::new(2).unwrap());
    let log = Transcript::memory();

    let receiver = tokio::spawn({
        let (mailbox, log) = (mailbox.clone(), log.clone());
        async move {
            for _ in 0..2 {
                log.line(format_args!("{:>4} ms  recv: waiting", ms(start)));
                match tokio::time::timeout(PATIENCE, mailbox.recv()).await {
                    Ok(n) => log.line(format_args!("{:>4} ms  recv -> {n}", ms(start))),
                    Err(_) => log.line(format_args!("{:>4} ms  recv: gave up", ms(start))),
                }
            }
        }
    });
    for (at, n) in [(10, 1), (30, 2)] {
        tokio::time::sleep_until(start + Duration::from_millis(at)).await;
        log.line(format_args!("{:>4} ms  push {n}", ms(start)));
        mailbox.push(n);
    }
    receiver.await.unwrap();

    grading::assert_report!(log.text());
}

/// Milliseconds of virtual time since `start`.
fn ms(start: Instant) -> u128 {
    start.elapsed().as_millis()
}

/// What travels through the mailbox in the actor scenario. As in the
/// hand-rolled actor, the stop request takes the same road as the jobs.
#[derive(Debug, Clone)]
enum Letter {
    /// A job for the worker, by number.
    Job(u32),
    /// "Stop once you get here."
    Stop,
}

/// A worker actor that takes 23 ms over each job, in virtual time. (23, so
/// that it never finishes a job in the same millisecond as a push arrives,
/// every 10 ms: the log's order never depends on which task runs first.)
struct Worker {
    /// The jobs it finished, in order.
    handled: Vec<u32>,
    /// The scenario's shared log, which the producer writes to as well.
    log: Transcript,
    /// Time zero of the log. `tokio::time::Instant`: virtual time.
    start: Instant,
}

impl Actor for Worker {
    type Message = u32;

    async fn handle(&mut self, job: u32) {
        self.log
            .line(format_args!("{:>4} ms  worker takes {job}", ms(self.start)));
        tokio::time::sleep(Duration::from_millis(23)).await;
        self.handled.push(job);
    }
}

/// The hand-rolled actor's loop, with a drop-oldest mailbox in place of the
/// unbounded channel.
async fn run(mut worker: Worker, mailbox: Arc<DropOldest<Letter>>) -> Worker {
    loop {
        match mailbox.recv().await {
            Letter::Job(job) => worker.handle(job).await,
            Letter::Stop => {
                let at = ms(worker.start);
                worker.log.line(format_args!("{at:>4} ms  worker stops"));
                return worker;
            }
        }
    }
}

/// A producer sends a job every 10 ms to a worker that needs 23 ms for
/// each, through a mailbox of two. The worker falls behind, the mailbox
/// drops the oldest jobs, and the report shows which jobs survived, which
/// were dropped, and that handled, counted drops and still waiting add up
/// to every job sent.
#[tokio::test(start_paused = true)]
async fn a_slow_consumer_falls_behind() {
    let start = Instant::now();
    let log = Transcript::memory();
    let mailbox = Arc::new(DropOldest::new(2).unwrap());
    let worker = Worker {
        handled: Vec::new(),
        log: log.clone(),
        start,
    };
    let task = tokio::spawn(run(worker, mailbox.clone()));

    let mut dropped = Vec::new();
    let mut letters: Vec<Letter> = (1..=12).map(Letter::Job).collect();
    letters.push(Letter::Stop);
    for (k, letter) in (0u64..).zip(letters) {
        tokio::time::sleep_until(start + Duration::from_millis(10 * k)).await;
        let what = match &letter {
            Letter::Job(n) => format!("push {n}"),
            Letter::Stop => "push stop".to_string(),
        };
        let line = match mailbox.push(letter) {
            None => what,
            Some(Letter::Job(old)) => {
                dropped.push(old);
                format!("{what} (dropped {old})")
            }
            Some(Letter::Stop) => format!("{what} (dropped the stop)"),
        };
        log.line(format_args!("{:>4} ms  {line}", ms(start)));
    }

    let outcome = tokio::time::timeout(PATIENCE, task).await;
    let mut report = log.text();
    match outcome {
        Ok(Ok(worker)) => {
            let handled = &worker.handled;
            report.push_str(&format!(
                "\nhandled: {}\n\
                 dropped: {}\n\
                 dropped(): {}\n\
                 handled {} + dropped() {} + waiting {} = {} of 12 sent",
                runs(handled),
                runs(&dropped),
                mailbox.dropped(),
                handled.len(),
                mailbox.dropped(),
                mailbox.len(),
                (handled.len() + mailbox.len()) as u64 + mailbox.dropped(),
            ));
        }
        Ok(Err(error)) => report.push_str(&format!("\nthe worker failed: {error}")),
        Err(_) => report.push_str("\nthe worker never saw the stop: still waiting after 1 h"),
    }
    grading::assert_report!(report);
}
