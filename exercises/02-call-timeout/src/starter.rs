//! Your answer to exercise 02. Replace the `todo!()` and run
//! `just exercise 2` to grade it.

use std::time::Duration;

use handrolled::actor::{Handle, Reply};

use crate::CallError;

// ANCHOR: call_timeout
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
    todo!("exercise 02: write `call_timeout` in src/starter.rs")
}
// ANCHOR_END: call_timeout
