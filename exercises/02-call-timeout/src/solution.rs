//! The reference answer to exercise 02. The book never shows this file.

use std::time::Duration;

use handrolled::actor::{Handle, Reply};
use tokio::sync::oneshot;

use crate::CallError;

/// Asks the actor behind `handle` a question, like `Handle::call`, and waits
/// at most `timeout` for the answer.
///
/// `question` builds the message around a reply sender, exactly as for
/// `Handle::call`: `call_timeout(&handle, CounterMsg::GetValue, timeout)`
/// asks a hand-rolled counter for its value.
///
/// Returns the answer, or:
/// * [`CallError::Stopped`] if the actor refused the message,
/// * [`CallError::NoReply`] if it dropped the reply sender unanswered,
/// * [`CallError::Timeout`] carrying `timeout` if the deadline passed first.
///
/// After a timeout the actor must still be running, and the question must
/// have been sent exactly once.
pub async fn call_timeout<M, T>(
    handle: &Handle<M>,
    question: impl FnOnce(Reply<T>) -> M,
    timeout: Duration,
) -> Result<T, CallError>
where
    M: Send + 'static,
{
    // `Reply<T>` is a oneshot sender, so a call is a cast with a oneshot
    // inside, as in `Handle::call`. Doing it by hand here shows where the
    // deadline goes: around the wait, never around the send.
    let (reply, answer) = oneshot::channel();
    handle
        .cast(question(reply))
        .map_err(|_| CallError::Stopped)?;

    match tokio::time::timeout(timeout, answer).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(_)) => Err(CallError::NoReply),
        // Returning drops `answer`, the receiving half. When the actor gets
        // to the question, its `send` hands the value back as an `Err`,
        // which a handler ignores. Nothing else is touched: no retry, no
        // stop, so the question is handled once and the actor carries on.
        Err(_elapsed) => Err(CallError::Timeout(timeout)),
    }
}
