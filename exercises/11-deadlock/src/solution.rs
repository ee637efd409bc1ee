//! The reference solution to exercise 11. The grader runs it when the
//! `starter` feature is off; the book never shows it.

use std::collections::VecDeque;

use tokio::sync::mpsc;

use crate::{Done, Part, ToSplitter, work};

/// The worker: takes each part from its mailbox, works it with [`work`],
/// and hands the result to the splitter, as [`ToSplitter::Done`].
///
/// * Every part's result reaches the splitter exactly once.
/// * The mailboxes stay as [`start`](crate::start) made them.
/// * The worker ends once its mailbox is closed and every result is
///   handed over, or as soon as the splitter has ended.
pub async fn run_worker(mut inbox: mpsc::Receiver<Part>, splitter: mpsc::Sender<ToSplitter>) {
    // Results the splitter's mailbox had no room for yet, oldest first.
    // The splitter may be waiting for room in our mailbox, so the worker
    // never waits for room in the splitter's with a part left untaken: it
    // keeps taking parts, and the overflow waits here instead.
    let mut backlog: VecDeque<Done> = VecDeque::new();
    let mut open = true;
    while open || !backlog.is_empty() {
        tokio::select! {
            // Results first: each one handed over is room the splitter
            // needs to take its next message.
            biased;
            permit = splitter.reserve(), if !backlog.is_empty() => {
                let Ok(permit) = permit else {
                    // The splitter has ended: nobody is left to tell.
                    return;
                };
                if let Some(done) = backlog.pop_front() {
                    permit.send(ToSplitter::Done(done));
                }
            }
            part = inbox.recv(), if open => match part {
                Some(part) => backlog.push_back(work(part)),
                None => open = false,
            },
        }
    }
}
