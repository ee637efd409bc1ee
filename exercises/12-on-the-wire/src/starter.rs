//! Your answer to exercise 12. Write both methods of `BytesConvertable`,
//! make `TallyMessage` a message that can travel, and run
//! `just exercise 12` to grade it.

use ractor::{BytesConvertable, RpcReplyPort};
use ractor_cluster::RactorMessage;

use crate::Reading;

// ANCHOR: message
/// What a tally understands.
///
/// `RactorMessage` makes a message for one process: its `serialize`
/// refuses, so a tally in another process can never receive it. Derive
/// `RactorClusterMessage` instead, and fix what the compiler then refuses.
#[derive(Debug, RactorMessage)]
pub enum TallyMessage {
    /// Add the amount to the value. A cast: nothing comes back.
    Add(i64),
    /// Add `amount`, `times` times over. A cast.
    AddMany {
        /// What to add each time.
        amount: i64,
        /// How many times.
        times: usize,
    },
    /// Answer with the count and the value. A call: the reading comes back.
    Read(RpcReplyPort<Reading>),
}
// ANCHOR_END: message

// ANCHOR: bytes
impl BytesConvertable for Reading {
    /// A tally is [`TALLY_BYTES`](crate::TALLY_BYTES) bytes: the count,
    /// then the value, each big-endian. A garbled reading is no bytes.
    fn into_bytes(self) -> Vec<u8> {
        todo!("exercise 12: write `Reading::into_bytes` in src/starter.rs")
    }

    /// Exactly [`TALLY_BYTES`](crate::TALLY_BYTES) bytes are a tally. Any
    /// other length is `Reading::Garbled` with that length: never a panic.
    fn from_bytes(bytes: Vec<u8>) -> Self {
        todo!("exercise 12: write `Reading::from_bytes` in src/starter.rs")
    }
}
// ANCHOR_END: bytes
