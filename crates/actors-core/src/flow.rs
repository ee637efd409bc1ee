//! Message-flow events: who sent what to whom, for `demo --trace`.
//!
//! Every place where one part of the system sends another a message calls
//! one of the functions below. Each emits a `tracing` event at `TRACE` level
//! with the target [`TARGET`] and three fields: `from`, `to` and `msg`, plus
//! a fourth, `kind`, that says which function emitted it ([`Kind`]).
//!
//! Why events and not a channel of our own? An event that no subscriber
//! wants is dropped by `tracing` after a check of its level, before any of
//! its fields is formatted (the test `nothing_is_formatted_when_nobody_listens`
//! shows it). So the send sites can stay instrumented in every build,
//! benchmarks included, and only a program that installs a listener (the
//! demo's `--trace` flag) pays for the recording.
//!
//! The participants are named as the transcript names them: `client-0`,
//! `counter-0`, [`AGGREGATOR`], and [`MAIN`] for the task that drives the
//! system.

use std::fmt::Display;

use crate::{AggregatedStats, CounterStats};

/// The `tracing` target of every flow event. `RUST_LOG=flow=trace` prints
/// them to standard error; `demo --trace` collects them into a diagram.
pub const TARGET: &str = "flow";

/// The participant that starts, drives, questions and stops the system: the
/// demo's `run`, or a test.
pub const MAIN: &str = "main";

/// The participant name of the aggregator actor.
pub const AGGREGATOR: &str = "aggregator";

/// What a flow event records. The value of the event's `kind` field is
/// [`Kind::name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A message sent without waiting for an answer (ractor's `cast`).
    Cast,
    /// A question: a message that carries a reply port (ractor's `call`).
    Call,
    /// An answer, recorded by the asker when it has it in hand. `from` is
    /// the one who answered, `to` the one who asked.
    Reply,
    /// A remark about one participant, such as the end of a round. `from`
    /// and `to` both name it.
    Note,
    /// A step of the whole run, such as "every client has finished". It
    /// concerns every participant, so `from` and `to` are empty.
    Phase,
}

impl Kind {
    /// Every kind, in declaration order.
    pub const ALL: [Kind; 5] = [Kind::Cast, Kind::Call, Kind::Reply, Kind::Note, Kind::Phase];

    /// The kind's name, as the `kind` field carries it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Cast => "cast",
            Kind::Call => "call",
            Kind::Reply => "reply",
            Kind::Note => "note",
            Kind::Phase => "phase",
        }
    }

    /// The kind that [`name`](Self::name) gave `name`, if any.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

// ANCHOR: emit
/// Records that `from` cast `msg` to `to`.
pub fn cast(from: impl Display, to: impl Display, msg: impl Display) {
    tracing::trace!(target: TARGET, kind = Kind::Cast.name(), %from, %to, %msg);
}

/// Records that `from` asked `to` the question `msg`.
pub fn call(from: impl Display, to: impl Display, msg: impl Display) {
    tracing::trace!(target: TARGET, kind = Kind::Call.name(), %from, %to, %msg);
}

/// Records that `to`, the asker, received `from`'s answer `msg`.
pub fn reply(from: impl Display, to: impl Display, msg: impl Display) {
    tracing::trace!(target: TARGET, kind = Kind::Reply.name(), %from, %to, %msg);
}
// ANCHOR_END: emit

/// Records `from`'s answer to a stats question, labelled with the two
/// figures a diagram has room for: `value 16 after 50 ops`.
pub fn reply_stats(from: impl Display, to: impl Display, stats: &CounterStats) {
    let (value, ops) = (stats.current_value, stats.total_operations);
    reply(from, to, format_args!("value {value} after {ops} ops"));
}

/// Records `from`'s answer to a `GetTotalStats` question:
/// `4 counters, total 160 after 200 ops`.
pub fn reply_total(from: impl Display, to: impl Display, total: &AggregatedStats) {
    let (counters, value, ops) = (
        total.num_counters,
        total.total_value,
        total.total_operations,
    );
    reply(
        from,
        to,
        format_args!("{counters} counters, total {value} after {ops} ops"),
    );
}

/// Records a remark about `over`.
pub fn note(over: impl Display, msg: impl Display) {
    tracing::trace!(target: TARGET, kind = Kind::Note.name(), from = %over, to = %over, %msg);
}

/// Records the end of collection round number `round`, over `over`, with
/// its figures: `round 1 total 160 after 200 ops`.
pub fn note_round(over: impl Display, round: u64, total: &AggregatedStats) {
    let (value, ops) = (total.total_value, total.total_operations);
    note(
        over,
        format_args!("round {round} total {value} after {ops} ops"),
    );
}

/// Records a step of the whole run.
pub fn phase(msg: impl Display) {
    tracing::trace!(target: TARGET, kind = Kind::Phase.name(), from = "", to = "", %msg);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value that counts how often it is formatted.
    struct Counted<'a>(&'a std::cell::Cell<u32>);

    impl Display for Counted<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            self.0.set(self.0.get() + 1);
            f.write_str("counted")
        }
    }

    /// With no subscriber listening, a flow event never formats its fields:
    /// the instrumented send sites cost next to nothing in a normal run.
    #[test]
    fn nothing_is_formatted_when_nobody_listens() {
        let formatted = std::cell::Cell::new(0);

        cast(
            Counted(&formatted),
            Counted(&formatted),
            Counted(&formatted),
        );
        note(Counted(&formatted), Counted(&formatted));

        assert_eq!(formatted.get(), 0);
    }

    /// Each kind's name reads back as the same kind, and nothing else does.
    #[test]
    fn kind_names_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(Kind::from_name("send"), None);
    }
}
