//! Your answer to exercise 11. The worker below is the obvious one, and a
//! burst larger than the mailboxes deadlocks it. Change it until
//! `just exercise 11` passes.

use tokio::sync::mpsc;

use crate::{Part, ToSplitter, work};

// ANCHOR: worker
/// The worker: takes each part from its mailbox, works it with [`work`],
/// and hands the result to the splitter, as [`ToSplitter::Done`].
///
/// * Every part's result reaches the splitter exactly once.
/// * The mailboxes stay as [`start`](crate::start) made them.
/// * The worker ends once its mailbox is closed and every result is
///   handed over, or as soon as the splitter has ended.
pub async fn run_worker(mut inbox: mpsc::Receiver<Part>, splitter: mpsc::Sender<ToSplitter>) {
    while let Some(part) = inbox.recv().await {
        let done = work(part);
        if splitter.send(ToSplitter::Done(done)).await.is_err() {
            // The splitter has ended: nobody is left to tell.
            return;
        }
    }
}
// ANCHOR_END: worker
