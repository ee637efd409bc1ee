//! # Exercise 11: find the deadlock
//!
//! A bounded mailbox that makes its sender wait for room (tokio's
//! `mpsc::channel(capacity)`, the *block* policy of the chapter "When the
//! mailbox fills up") keeps memory in check. It also lets two actors that
//! send to each other stop for good: each waits for room in a mailbox that
//! only the other can empty.
//!
//! Here a splitter ([`run_splitter`], given) cuts each [`Job`] into
//! [`Part`]s for a worker, and the worker sends each part's [`Done`] back
//! into the splitter's mailbox. You write the worker, [`run_worker`], in
//! `src/starter.rs`. It starts as the obvious loop, which deadlocks on a
//! burst larger than the mailboxes. Make every run finish, with every
//! result back exactly once and no mailbox made bigger. The book's page is
//! "Exercise 11: find the deadlock" (`docs/exercises/11-deadlock.md`).
//!
//! Write your answer in `src/starter.rs`, then grade it:
//!
//! ```text
//! just exercise 11
//! # which runs: cargo test -p exercise-11-deadlock --features starter
//! ```
//!
//! Without the `starter` feature the same grader runs against the reference
//! solution, which is how CI knows the grader can pass.

use std::collections::{BTreeMap, HashSet};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

#[cfg(not(feature = "starter"))]
mod solution;
#[cfg(not(feature = "starter"))]
pub use solution::run_worker;

#[cfg(feature = "starter")]
mod starter;
#[cfg(feature = "starter")]
pub use starter::run_worker;

// ANCHOR: messages
/// Work from outside: `parts` parts, each worth one result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    /// Tells the job's parts and results from those of other jobs.
    pub id: u32,
    /// How many parts the splitter cuts the job into.
    pub parts: u32,
}

/// One part of a job: what the worker's mailbox carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    /// The job this part belongs to.
    pub job: u32,
    /// Which part of it, from 0.
    pub index: u32,
}

/// The worker's result for one part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Done {
    /// The job of the part.
    pub job: u32,
    /// The part's index in its job.
    pub index: u32,
    /// What [`work`] made of the part.
    pub value: u64,
}

/// What the splitter's mailbox carries. Jobs from outside and results from
/// the worker share it, as every message to an actor shares its one
/// mailbox: a full mailbox refuses both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToSplitter {
    /// A job to cut into parts.
    Job(Job),
    /// A part's result, from the worker.
    Done(Done),
    /// No more jobs will come. Once every part is back, the splitter lets
    /// the worker go.
    Stop,
}

/// The worker's work on one part. The value depends on the part, so a job's
/// total shows whether each of its parts was counted once.
pub fn work(part: Part) -> Done {
    Done {
        job: part.job,
        index: part.index,
        value: u64::from(part.job) * 100 + u64::from(part.index) + 1,
    }
}
// ANCHOR_END: messages

/// How many messages each mailbox holds before a sender waits. Zero is not
/// a bound tokio's channel accepts, so the type rules it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mailboxes {
    /// The splitter's mailbox: jobs, results and `Stop`.
    pub splitter: NonZeroUsize,
    /// The worker's mailbox: parts.
    pub worker: NonZeroUsize,
}

/// What the splitter has seen so far: its counts while the run goes on,
/// and its last word once the run is over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Jobs taken from the splitter's mailbox.
    pub jobs: u32,
    /// Parts that went into the worker's mailbox.
    pub parts_sent: u32,
    /// Results for a part that was out, each part counted once.
    pub results: u32,
    /// Results for a part already answered, or never sent: not counted.
    pub duplicates: u32,
    /// Each job's sum of counted values.
    pub totals: BTreeMap<u32, u64>,
    /// The most messages the splitter ever found waiting in its mailbox.
    pub splitter_peak: usize,
    /// The most parts ever waiting in the worker's mailbox.
    pub worker_peak: usize,
    /// True while the splitter waits for room in the worker's mailbox.
    pub splitter_waiting: bool,
}

/// The two actors at work, as [`start`] returns them.
#[derive(Debug)]
pub struct Running {
    /// The splitter's mailbox, for whoever submits jobs.
    mailbox: mpsc::Sender<ToSplitter>,
    /// What the grader watches while the run goes on.
    watch: Watch,
    /// The splitter, which ends with its last tally.
    splitter: JoinHandle<Tally>,
    /// The worker.
    worker: JoinHandle<()>,
}

/// A look into a run that does not keep it alive: the splitter's tally,
/// and how full each mailbox is.
#[derive(Debug, Clone)]
pub struct Watch {
    /// The splitter's tally, updated as it goes. std's `Mutex`: it is held
    /// for one count at a time, never across an `.await`.
    tally: Arc<Mutex<Tally>>,
    /// Weak, so that watching never keeps a mailbox open.
    splitter: mpsc::WeakSender<ToSplitter>,
    /// Weak, as above.
    worker: mpsc::WeakSender<Part>,
}

/// The splitter's task ended before the run was over: it panicked, or its
/// mailbox closed. [`Running::finish`] tells which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the splitter has ended and takes no more jobs")]
pub struct SplitterGone;

/// Starts the splitter and the worker, each a tokio task with a bounded
/// mailbox. Call it inside a tokio runtime.
pub fn start(mailboxes: Mailboxes) -> Running {
    let (mailbox, splitter_inbox) = mpsc::channel(mailboxes.splitter.get());
    let (to_worker, worker_inbox) = mpsc::channel(mailboxes.worker.get());
    let watch = Watch {
        tally: Arc::default(),
        splitter: mailbox.downgrade(),
        worker: to_worker.downgrade(),
    };
    let worker = tokio::spawn(run_worker(worker_inbox, mailbox.clone()));
    let splitter = tokio::spawn(run_splitter(
        splitter_inbox,
        to_worker,
        Arc::clone(&watch.tally),
    ));
    Running {
        mailbox,
        watch,
        splitter,
        worker,
    }
}

impl Running {
    /// A look into the run that outlives it.
    pub fn watch(&self) -> Watch {
        self.watch.clone()
    }

    /// Puts `job` in the splitter's mailbox, waiting for room: whoever
    /// submits feels the backpressure.
    pub async fn submit(&self, job: Job) -> Result<(), SplitterGone> {
        let job = ToSplitter::Job(job);
        self.mailbox.send(job).await.map_err(|_| SplitterGone)
    }

    /// Says that no more jobs come, waits until both actors have ended, and
    /// gives the splitter's last tally. A panic in either task goes on in
    /// the caller.
    pub async fn finish(self) -> Tally {
        // An error means the splitter has already ended: its tally says why.
        let _ = self.mailbox.send(ToSplitter::Stop).await;
        drop(self.mailbox);
        let tally = self.splitter.await.unwrap_or_else(|error| resume(error));
        self.worker.await.unwrap_or_else(|error| resume(error));
        tally
    }
}

/// Goes on with a task's panic in the caller, where the test sees it.
fn resume(error: tokio::task::JoinError) -> ! {
    match error.try_into_panic() {
        Ok(payload) => std::panic::resume_unwind(payload),
        Err(error) => panic!("a task of the run was cancelled: {error}"),
    }
}

impl Watch {
    /// The splitter's tally as it stands.
    pub fn tally(&self) -> Tally {
        lock(&self.tally).clone()
    }

    /// How many places of the splitter's mailbox are taken now, messages and
    /// reserved places alike; `None` once every sender has let go of it.
    pub fn splitter_depth(&self) -> Option<usize> {
        let sender = self.splitter.upgrade()?;
        Some(sender.max_capacity() - sender.capacity())
    }

    /// How many places of the worker's mailbox are taken now; `None` once the
    /// splitter has let go of it.
    pub fn worker_depth(&self) -> Option<usize> {
        let sender = self.worker.upgrade()?;
        Some(sender.max_capacity() - sender.capacity())
    }
}

/// Locks the tally. A thread that panicked while holding it left counts
/// that are still worth reading, so a poisoned lock is taken as it is.
fn lock(tally: &Mutex<Tally>) -> MutexGuard<'_, Tally> {
    tally
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

// ANCHOR: splitter
/// The splitter: cuts each job into parts for the worker, and counts the
/// results that come back. It ends when its mailbox closes: once `Stop` has
/// come and every part is back, it lets the worker go, and the worker and
/// the source, ending, drop the last senders.
pub async fn run_splitter(
    mut inbox: mpsc::Receiver<ToSplitter>,
    worker: mpsc::Sender<Part>,
    tally: Arc<Mutex<Tally>>,
) -> Tally {
    let mut worker = Some(worker);
    // Parts sent whose result has not come back yet.
    let mut out: HashSet<(u32, u32)> = HashSet::new();
    let mut stopping = false;
    while let Some(message) = inbox.recv().await {
        note_peak(&tally, |t| &mut t.splitter_peak, inbox.len() + 1);
        match message {
            ToSplitter::Job(job) => {
                lock(&tally).jobs += 1;
                for index in 0..job.parts {
                    let Some(to_worker) = &worker else { break };
                    let part = Part { job: job.id, index };
                    lock(&tally).splitter_waiting = true;
                    // The block policy: wait here until the worker's mailbox
                    // has room. Only the worker can make that room.
                    let sent = to_worker.send(part).await;
                    lock(&tally).splitter_waiting = false;
                    if sent.is_err() {
                        // The worker has ended: no part can go out any more.
                        worker = None;
                        break;
                    }
                    out.insert((part.job, part.index));
                    lock(&tally).parts_sent += 1;
                    let depth = to_worker.max_capacity() - to_worker.capacity();
                    note_peak(&tally, |t| &mut t.worker_peak, depth);
                }
            }
            ToSplitter::Done(done) => {
                let mut tally = lock(&tally);
                if out.remove(&(done.job, done.index)) {
                    tally.results += 1;
                    *tally.totals.entry(done.job).or_default() += done.value;
                } else {
                    tally.duplicates += 1;
                }
            }
            ToSplitter::Stop => stopping = true,
        }
        if stopping && out.is_empty() {
            // Dropping the last sender closes the worker's mailbox: the
            // worker's signal to end.
            worker = None;
        }
    }
    lock(&tally).clone()
}
// ANCHOR_END: splitter

/// Raises the peak that `field` picks out of the tally to `depth`, if
/// `depth` is higher.
fn note_peak(tally: &Mutex<Tally>, field: impl Fn(&mut Tally) -> &mut usize, depth: usize) {
    let mut tally = lock(tally);
    let peak = field(&mut tally);
    *peak = (*peak).max(depth);
}
