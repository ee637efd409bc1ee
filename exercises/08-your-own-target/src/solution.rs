//! The reference solution to exercise 08. The grader and the bench run it
//! when the `starter` feature is off; the book never shows it.

use std::sync::PoisonError;

use actors_core::Operation;
use bench::PATIENCE;
use counter::{CounterMessage, get_value};

use crate::{Batching, MeasureError, Target};

impl Target for Batching {
    /// Hands over one increment, and sends the buffer once it holds a full
    /// batch.
    fn increment(&self) -> Result<(), MeasureError> {
        let full = {
            let mut buffer = self.buffer.lock().unwrap_or_else(PoisonError::into_inner);
            buffer.push(Operation::Increment { amount: 1 });
            if buffer.len() < self.batch.get() {
                return Ok(());
            }
            std::mem::replace(&mut *buffer, Vec::with_capacity(self.batch.get()))
        };
        // Sent after the lock is let go, so that other producers can fill
        // the next batch meanwhile. Two batches may then reach the counter
        // in either order; a sum does not care.
        self.send(full)
    }

    /// Sends what is left in the buffer, then asks.
    async fn settle(&self) -> Result<i64, MeasureError> {
        // The guard is a temporary of this statement: it is dropped here,
        // before the `.await` below, as it must be (it is not `Send`).
        let rest = std::mem::take(&mut *self.buffer.lock().unwrap_or_else(PoisonError::into_inner));
        if !rest.is_empty() {
            self.send(rest)?;
        }
        // The question is cast after every batch, from this task or from a
        // producer that has already returned, so it waits in the mailbox
        // behind all of them: its answer counts every increment.
        Ok(get_value(&self.counter, PATIENCE).await?)
    }
}

impl Batching {
    /// Sends one batch to the counter.
    fn send(&self, ops: Vec<Operation>) -> Result<(), MeasureError> {
        self.counter
            .cast(CounterMessage::Batch(ops))
            .map_err(|_| MeasureError::Stopped)
    }
}
