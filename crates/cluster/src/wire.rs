//! What a counter on another node understands, as bytes.

use actors_core::{CounterStats, Operation};
use ractor::RpcReplyPort;
use ractor_cluster::{BytesConvertable, RactorClusterMessage};

// ANCHOR: message
/// The messages a node's counter takes from another process.
///
/// The derive writes `ractor::Message` with a serializer: each variant
/// travels by its name, each field as bytes. So every field must be
/// [`BytesConvertable`]: `i64` is, `usize` is not (its size depends on the
/// machine), and neither is an `ActorRef` or a `Slot`. That is why this is
/// not `counter::CounterMessage`: its `Admitted` holds a `Slot`, its
/// `Apply` a reply port inside a struct, and `Batch` and `GetStats` carry
/// types of ours that nothing converts to bytes.
#[derive(Debug, RactorClusterMessage)]
pub enum RemoteCounterMessage {
    /// Add the amount. A cast: nothing comes back.
    Increment(i64),
    /// Subtract the amount. A cast: nothing comes back.
    Decrement(i64),
    /// Reply with the value. A call: the reply crosses back as bytes.
    #[rpc]
    GetValue(RpcReplyPort<i64>),
    /// Reply with the statistics.
    #[rpc]
    GetStats(RpcReplyPort<WireStats>),
}
// ANCHOR_END: message

impl From<Operation> for RemoteCounterMessage {
    fn from(op: Operation) -> Self {
        match op {
            Operation::Increment { amount } => RemoteCounterMessage::Increment(amount),
            Operation::Decrement { amount } => RemoteCounterMessage::Decrement(amount),
        }
    }
}

// ANCHOR: wire_stats
/// A counter's statistics on the wire: four fixed-size numbers, big-endian.
///
/// `BytesConvertable::from_bytes` cannot return an error, and ractor's own
/// impls panic on short input. Here a payload of the wrong length decodes
/// to `WireStats(None)`, which the client reports as a garbled answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WireStats(pub Option<CounterStats>);

/// Bytes on the wire: value, operations, rejected, operations per second.
const STATS_LEN: usize = 32;

impl BytesConvertable for WireStats {
    fn into_bytes(self) -> Vec<u8> {
        let Some(stats) = self.0 else {
            return Vec::new();
        };
        let mut bytes = Vec::with_capacity(STATS_LEN);
        bytes.extend(stats.current_value.to_be_bytes());
        bytes.extend(stats.total_operations.to_be_bytes());
        bytes.extend(stats.rejected_operations.to_be_bytes());
        bytes.extend(stats.operations_per_second.to_be_bytes());
        bytes
    }

    fn from_bytes(bytes: Vec<u8>) -> Self {
        let Ok(words) = <[u8; STATS_LEN]>::try_from(bytes) else {
            return WireStats(None);
        };
        let word = |i: usize| {
            let mut eight = [0; 8];
            eight.copy_from_slice(&words[i * 8..i * 8 + 8]);
            eight
        };
        WireStats(Some(CounterStats {
            current_value: i64::from_be_bytes(word(0)),
            total_operations: u64::from_be_bytes(word(1)),
            rejected_operations: u64::from_be_bytes(word(2)),
            operations_per_second: f64::from_be_bytes(word(3)),
        }))
    }
}
// ANCHOR_END: wire_stats

#[cfg(test)]
mod tests {
    use super::*;
    use ractor::Message;
    use ractor::message::SerializedMessage;

    /// Statistics survive the trip to bytes and back, and a payload of the
    /// wrong length becomes `None` instead of a panic.
    #[test]
    fn stats_round_trip_and_short_payloads_are_refused() {
        let stats = CounterStats {
            current_value: -40,
            total_operations: 10,
            rejected_operations: 1,
            operations_per_second: 2.5,
        };
        let bytes = WireStats(Some(stats)).into_bytes();
        assert_eq!(bytes.len(), STATS_LEN);
        assert_eq!(WireStats::from_bytes(bytes.clone()), WireStats(Some(stats)));
        assert_eq!(WireStats::from_bytes(bytes[..31].to_vec()), WireStats(None));
        assert_eq!(WireStats::from_bytes(Vec::new()), WireStats(None));
    }

    /// A cast travels as its variant's name and its field's bytes, and
    /// comes back as the same message.
    #[test]
    fn a_cast_travels_by_name() {
        let message = RemoteCounterMessage::Increment(7);
        let SerializedMessage::Cast { variant, args, .. } = message.serialize().unwrap() else {
            panic!("an increment is a cast");
        };
        assert_eq!(variant, "Increment");
        assert_eq!(
            args.len(),
            8 + 8,
            "each field's length as a u64, then its bytes"
        );
        let back = RemoteCounterMessage::deserialize(SerializedMessage::Cast {
            variant,
            args,
            metadata: None,
        })
        .unwrap();
        assert!(matches!(back, RemoteCounterMessage::Increment(7)));
    }

    /// A name the receiver does not know is refused, not guessed: over the
    /// network, such a cast would vanish with a debug log.
    #[test]
    fn an_unknown_variant_is_refused() {
        let unknown = SerializedMessage::Cast {
            variant: "Reset".into(),
            args: Vec::new(),
            metadata: None,
        };
        assert!(RemoteCounterMessage::deserialize(unknown).is_err());
    }
}
