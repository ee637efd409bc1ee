//! The reference answer to exercise 12.

use ractor::{BytesConvertable, RpcReplyPort};
use ractor_cluster::RactorClusterMessage;

use crate::{Reading, TALLY_BYTES};

/// What a tally understands, from this process or another.
#[derive(Debug, RactorClusterMessage)]
pub enum TallyMessage {
    /// Add the amount to the value. A cast: nothing comes back.
    Add(i64),
    /// Add `amount`, `times` times over. A cast.
    AddMany {
        /// What to add each time.
        amount: i64,
        /// How many times: a `u64`, because a `usize` has no one size on
        /// the wire.
        times: u64,
    },
    /// Answer with the count and the value. A call: the reading comes back.
    #[rpc]
    Read(RpcReplyPort<Reading>),
}

impl BytesConvertable for Reading {
    /// A tally is [`TALLY_BYTES`] bytes: the count, then the value, each
    /// big-endian. A garbled reading is no bytes.
    fn into_bytes(self) -> Vec<u8> {
        match self {
            Reading::Tally { count, value } => {
                let mut bytes = Vec::with_capacity(TALLY_BYTES);
                bytes.extend(count.to_be_bytes());
                bytes.extend(value.to_be_bytes());
                bytes
            }
            Reading::Garbled { .. } => Vec::new(),
        }
    }

    /// Exactly [`TALLY_BYTES`] bytes are a tally. Any other length is
    /// `Reading::Garbled` with that length: never a panic.
    fn from_bytes(bytes: Vec<u8>) -> Self {
        let Ok(tally) = <[u8; TALLY_BYTES]>::try_from(bytes.as_slice()) else {
            return Reading::Garbled { len: bytes.len() };
        };
        let (mut count, mut value) = ([0; 8], [0; 8]);
        count.copy_from_slice(&tally[..8]);
        value.copy_from_slice(&tally[8..]);
        Reading::Tally {
            count: u64::from_be_bytes(count),
            value: i64::from_be_bytes(value),
        }
    }
}
