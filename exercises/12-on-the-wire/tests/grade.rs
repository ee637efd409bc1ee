//! The grader for exercise 12: a reading as bytes, and `TallyMessage`
//! across a wire that the grader plays itself.
//!
//! The first three tests call your `into_bytes` and `from_bytes` and show
//! the bytes in hex, eight to a group. The last three do with a message
//! what two connected nodes do: `Message::serialize` on the sending side,
//! the bytes handed across, `Message::deserialize` on the receiving side,
//! and for a call, the answer's bytes back the same way. No socket is
//! opened and no clock is read: the wire is the grader's own hands.

use std::panic::{self, AssertUnwindSafe};

use exercise_12_on_the_wire::{Reading, TALLY_BYTES, TallyMessage};
use ractor::message::SerializedMessage;
use ractor::{BytesConvertable, Message, RpcReplyPort};
use tokio::sync::oneshot;

/// Bytes in hex, a bar after every eight: `00 00 00 00 00 00 00 08 | 2a`.
fn hex(bytes: &[u8]) -> String {
    let groups: Vec<String> = bytes
        .chunks(8)
        .map(|eight| {
            let pairs: Vec<String> = eight.iter().map(|byte| format!("{byte:02x}")).collect();
            pairs.join(" ")
        })
        .collect();
    groups.join(" | ")
}

/// `16 bytes: ...`, `1 byte: 01`, or `0 bytes`.
fn sized(bytes: &[u8]) -> String {
    match bytes.len() {
        0 => "0 bytes".to_string(),
        1 => format!("1 byte: {}", hex(bytes)),
        n => format!("{n} bytes: {}", hex(bytes)),
    }
}

/// Runs `f`, and turns a panic into its message, so that the report can
/// say which input panicked. An untouched `todo!()` is no answer to
/// report on: it stops the test, with its message.
fn attempt<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        if message.starts_with("not yet implemented") {
            panic::resume_unwind(payload);
        }
        format!("panicked: {message}")
    })
}

/// A reading's bytes, or the panic that came instead.
fn bytes_of(reading: Reading) -> Result<Vec<u8>, String> {
    attempt(|| reading.into_bytes())
}

/// What `from_bytes` made of `bytes`, for the report.
fn decoded(bytes: Vec<u8>) -> String {
    match attempt(|| Reading::from_bytes(bytes)) {
        Ok(reading) => format!("{reading:?}"),
        Err(panicked) => panicked,
    }
}

/// Tallies with every sign and both ends of each range.
const TALLIES: [(u64, i64); 5] = [
    (1, 2),
    (258, -1),
    (7, -40),
    (0, i64::MIN),
    (u64::MAX, i64::MAX),
];

/// A tally is sixteen bytes: the count, then the value, each with its most
/// significant byte first.
#[test]
fn a_tally_is_sixteen_bytes_the_count_first_big_endian() {
    let mut report = format!("a tally on the wire: {TALLY_BYTES} bytes\n");
    for (count, value) in TALLIES {
        let reading = Reading::Tally { count, value };
        let bytes = match bytes_of(reading) {
            Ok(bytes) => sized(&bytes),
            Err(panicked) => panicked,
        };
        report.push_str(&format!("{reading:?}\n  -> {bytes}\n"));
    }
    grading::assert_report!(report);
}

/// Every tally's bytes decode to the same tally, the extremes included.
#[test]
fn every_tally_comes_back_as_it_went() {
    let mut report = String::new();
    for (count, value) in TALLIES {
        let reading = Reading::Tally { count, value };
        let back = match bytes_of(reading) {
            Ok(bytes) => decoded(bytes),
            Err(panicked) => panicked,
        };
        let same = if back == format!("{reading:?}") {
            "the same"
        } else {
            "NOT the same"
        };
        report.push_str(&format!("{reading:?}\n  -> back: {back}: {same}\n"));
    }
    grading::assert_report!(report);
}

/// Sixteen bytes are a tally, and any other length decodes to `Garbled`
/// with that length instead of a panic. A garbled reading, sent on, is no
/// bytes at all.
#[test]
fn a_payload_of_the_wrong_length_is_garbled_not_a_panic() {
    let mut report = String::new();
    for len in [16, 0, 1, 8, 12, 15, 17, 20, 32] {
        // 01 02 03 ...: every byte different, so a mixed-up order shows.
        let bytes: Vec<u8> = (1..=len).collect();
        let shown = sized(&bytes);
        report.push_str(&format!("{shown}\n  -> {}\n", decoded(bytes)));
    }
    let garbled = Reading::Garbled { len: 5 };
    let sent = match bytes_of(garbled) {
        Ok(bytes) => sized(&bytes),
        Err(panicked) => panicked,
    };
    report.push_str(&format!("{garbled:?}, sent on\n  -> {sent}\n"));
    grading::assert_report!(report);
}

/// Each cast becomes its variant's name and its fields' bytes, and the
/// receiving side rebuilds the same message from them.
#[test]
fn each_cast_travels_by_its_name_and_comes_back_the_same() {
    let can = if TallyMessage::serializable() {
        "yes"
    } else {
        "no"
    };
    let mut report = format!("TallyMessage can leave its process: {can}\n");
    let casts = [
        TallyMessage::Add(5),
        TallyMessage::Add(-7),
        TallyMessage::AddMany {
            amount: -2,
            times: 5_000_000_000,
        },
    ];
    for cast in casts {
        let sent = format!("{cast:?}");
        report.push_str(&format!("{sent}\n"));
        let (variant, args) = match cast.serialize() {
            Ok(SerializedMessage::Cast { variant, args, .. }) => (variant, args),
            Ok(_) => {
                report.push_str("  -> serialized as something other than a cast\n");
                continue;
            }
            Err(_) => {
                report.push_str("  -> refused: serialize says it cannot leave its process\n");
                continue;
            }
        };
        report.push_str(&format!("  -> cast {variant:?}, args {}\n", sized(&args)));
        let rebuilt = TallyMessage::deserialize(SerializedMessage::Cast {
            variant,
            args,
            metadata: None,
        });
        let back = match rebuilt {
            Ok(message) => format!("{message:?}"),
            Err(_) => "refused by the receiving side".to_string(),
        };
        let same = if back == sent {
            "the same"
        } else {
            "NOT the same"
        };
        report.push_str(&format!("  -> back: {back}: {same}\n"));
    }
    grading::assert_report!(report);
}

// ANCHOR: call_across
/// Sends `Read` across the grader's wire to a tally that answers `answer`,
/// and reports each step. `wire` is what happens to the answer's bytes on
/// their way back.
async fn call_across(answer: Reading, wire: impl FnOnce(Vec<u8>) -> Vec<u8>) -> String {
    // The caller: a typed reply port, as `ActorRef::call` makes one.
    let (port, caller) = oneshot::channel::<Reading>();
    let serialized = match TallyMessage::Read(RpcReplyPort::from(port)).serialize() {
        Ok(serialized) => serialized,
        Err(_) => return "Read\n  -> refused: serialize says it cannot leave its process\n".into(),
    };
    let SerializedMessage::Call {
        variant,
        args,
        reply,
        metadata,
    } = serialized
    else {
        return "Read\n  -> serialized as something other than a call\n".into();
    };
    let mut report = format!("Read\n  -> call {variant:?}, args {}\n", sized(&args));
    // The tally's side: the message rebuilt around a port for bytes.
    let (bytes_port, bytes_back) = oneshot::channel::<Vec<u8>>();
    let reply_bytes = RpcReplyPort::from(bytes_port);
    let rebuilt = TallyMessage::deserialize(SerializedMessage::Call {
        variant,
        args,
        reply: reply_bytes,
        metadata,
    });
    match rebuilt {
        Ok(TallyMessage::Read(port)) => {
            report.push_str(&format!("  -> the tally answers {answer:?}\n"));
            if port.send(answer).is_err() {
                report.push_str("  -> but its reply port is closed\n");
            }
        }
        Ok(_) => return report + "  -> rebuilt as another variant\n",
        Err(_) => return report + "  -> refused by the receiving side\n",
    }
    // The answer's bytes, as the tally's node would write them.
    let Ok(bytes) = bytes_back.await else {
        return report + "  -> no bytes came back: turning the answer into bytes failed\n";
    };
    report.push_str(&format!("  -> back over the wire: {}\n", sized(&bytes)));
    let arrived = wire(bytes);
    report.push_str(&format!("  -> arriving: {}\n", sized(&arrived)));
    if reply.send(arrived).is_err() {
        return report + "  -> the caller's side had stopped listening\n";
    }
    match caller.await {
        Ok(reading) => report + &format!("  -> the caller gets {reading:?}\n"),
        Err(_) => report + "  -> the caller gets nothing: its reply port was dropped\n",
    }
}
// ANCHOR_END: call_across

/// A read is a call: it travels with no arguments, the tally's answer
/// crosses back as sixteen bytes, and the caller gets the same reading.
#[tokio::test]
async fn a_read_travels_as_a_call_and_its_answer_comes_back() {
    let mut report = String::new();
    for (count, value) in [(3, 12), (200, -160)] {
        let answer = Reading::Tally { count, value };
        report.push_str(&call_across(answer, |bytes| bytes).await);
    }
    grading::assert_report!(report);
}

/// An answer cut short, or padded, on its way back reaches the caller as
/// `Garbled`: the caller learns that something arrived and was wrong,
/// instead of getting nothing.
#[tokio::test]
async fn a_cut_or_padded_answer_reaches_the_caller_as_garbled() {
    let answer = Reading::Tally {
        count: 3,
        value: 12,
    };
    let mut report = String::from("cut to 12 bytes:\n");
    report.push_str(
        &call_across(answer, |mut bytes| {
            bytes.truncate(12);
            bytes
        })
        .await,
    );
    report.push_str("padded with 4 zero bytes:\n");
    report.push_str(
        &call_across(answer, |mut bytes| {
            bytes.extend([0; 4]);
            bytes
        })
        .await,
    );
    grading::assert_report!(report);
}
