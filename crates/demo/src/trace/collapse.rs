//! Step 2 of a trace: collapse. [`collapse`] folds the recorded flows into
//! the [`Step`]s of a diagram, so that a stream of alike messages is one
//! arrow; [`between`] keeps a window of the run first, if asked.

use std::time::Duration;

use actors_core::flow::Kind;

use super::Flow;

/// One line of the diagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// One arrow, standing for one or more messages.
    Arrow(Arrow),
    /// A note over one participant.
    Note {
        /// Whom the note is about.
        over: String,
        /// What it says.
        text: String,
        /// When.
        at: Duration,
    },
    /// A note across every participant: a phase of the run.
    Phase {
        /// What it says.
        text: String,
        /// When.
        at: Duration,
    },
}

/// Messages of one kind from one sender to one receiver, drawn as one arrow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrow {
    /// [`Kind::Cast`], [`Kind::Call`] or [`Kind::Reply`].
    pub kind: Kind,
    /// The sender.
    pub from: String,
    /// The receiver.
    pub to: String,
    /// Each distinct message, in the order it first appeared, and how many
    /// times it was sent.
    pub messages: Vec<(String, u64)>,
    /// When the first of them was sent.
    pub first: Duration,
    /// When the last of them was sent.
    pub last: Duration,
}

impl Arrow {
    fn new(flow: &Flow) -> Self {
        Arrow {
            kind: flow.kind,
            from: flow.from.clone(),
            to: flow.to.clone(),
            messages: vec![(flow.msg.clone(), 1)],
            first: flow.at,
            last: flow.at,
        }
    }

    fn touches(&self, participant: &str) -> bool {
        self.from == participant || self.to == participant
    }

    fn add(&mut self, flow: &Flow) {
        match self.messages.iter_mut().find(|(msg, _)| *msg == flow.msg) {
            Some((_, count)) => *count += 1,
            None => self.messages.push((flow.msg.clone(), 1)),
        }
        self.last = flow.at;
    }

    /// The arrow's text, before escaping: `Increment ×33, Decrement ×17
    /// (0–490 ms)`.
    pub fn label(&self) -> String {
        let messages: Vec<String> = self
            .messages
            .iter()
            .map(|(msg, count)| match count {
                1 => msg.clone(),
                _ => format!("{msg} ×{count}"),
            })
            .collect();
        format!("{} ({})", messages.join(", "), span(self.first, self.last))
    }
}

/// A time or a range of times, in whole milliseconds.
pub(super) fn span(first: Duration, last: Duration) -> String {
    let (first, last) = (first.as_millis(), last.as_millis());
    if first == last {
        format!("{first} ms")
    } else {
        format!("{first}–{last} ms")
    }
}

// ANCHOR: collapse
/// Folds flows into the steps of a diagram.
///
/// A message joins the arrow of the previous message with the same kind,
/// sender and receiver, as long as that arrow is still *open*: nothing else
/// has involved its sender or its receiver since. Any other message, or a
/// note, that involves either of them closes it, and a phase closes every
/// arrow. So a client's stream of operations stays one arrow until the
/// aggregator asks its counter a question; then the stream goes on as a new
/// arrow below the question, and the diagram shows where the question fell.
///
/// An arrow is drawn where its first message was sent. The times in its
/// label say how long it lasted.
pub fn collapse(flows: &[Flow]) -> Vec<Step> {
    let mut steps = Vec::new();
    // Where the open arrows are in `steps`. No two of them share a
    // participant: opening an arrow closes every other one that touches its
    // sender or receiver.
    let mut open: Vec<usize> = Vec::new();
    for flow in flows {
        match flow.kind {
            Kind::Phase => {
                open.clear();
                steps.push(Step::Phase {
                    text: flow.msg.clone(),
                    at: flow.at,
                });
            }
            Kind::Note => {
                open.retain(|&i| open_arrow(&steps, i).is_some_and(|a| !a.touches(&flow.from)));
                steps.push(Step::Note {
                    over: flow.from.clone(),
                    text: flow.msg.clone(),
                    at: flow.at,
                });
            }
            Kind::Cast | Kind::Call | Kind::Reply => {
                let same = open.iter().copied().find(|&i| {
                    open_arrow(&steps, i).is_some_and(|a| {
                        (a.kind, &a.from, &a.to) == (flow.kind, &flow.from, &flow.to)
                    })
                });
                match same {
                    Some(i) => {
                        if let Step::Arrow(arrow) = &mut steps[i] {
                            arrow.add(flow);
                        }
                    }
                    None => {
                        open.retain(|&i| {
                            open_arrow(&steps, i)
                                .is_some_and(|a| !a.touches(&flow.from) && !a.touches(&flow.to))
                        });
                        open.push(steps.len());
                        steps.push(Step::Arrow(Arrow::new(flow)));
                    }
                }
            }
        }
    }
    steps
}
// ANCHOR_END: collapse

/// The arrow at `i`. `open` only ever holds the indices of arrows, so this
/// is never `None` in `collapse`.
fn open_arrow(steps: &[Step], i: usize) -> Option<&Arrow> {
    match steps.get(i) {
        Some(Step::Arrow(arrow)) => Some(arrow),
        _ => None,
    }
}

/// The flows that happened from `from` to `until`, both included: a
/// window on one part of a run, such as a single round.
pub fn between(flows: &[Flow], from: Duration, until: Duration) -> Vec<Flow> {
    flows
        .iter()
        .filter(|flow| (from..=until).contains(&flow.at))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::test_flow as flow;

    /// The arrows among `steps`, as `from->to: label`, in order.
    fn labels(steps: &[Step]) -> Vec<String> {
        steps
            .iter()
            .filter_map(|step| match step {
                Step::Arrow(a) => Some(format!("{}->{}: {}", a.from, a.to, a.label())),
                Step::Note { .. } | Step::Phase { .. } => None,
            })
            .collect()
    }

    /// Messages of one kind from one sender to one receiver fold into one
    /// arrow, labelled with each message's count, in order of first
    /// appearance, and the span of time they cover.
    #[test]
    fn a_stream_of_messages_becomes_one_arrow() {
        let flows: Vec<Flow> = (0..5)
            .map(|i| {
                let msg = if i % 3 == 0 { "Decrement" } else { "Increment" };
                flow(i * 10, Kind::Cast, "client-0", "counter-0", msg)
            })
            .collect();

        let steps = collapse(&flows);

        assert_eq!(
            steps,
            [Step::Arrow(Arrow {
                kind: Kind::Cast,
                from: "client-0".into(),
                to: "counter-0".into(),
                messages: vec![("Decrement".into(), 2), ("Increment".into(), 3)],
                first: Duration::ZERO,
                last: Duration::from_millis(40),
            })]
        );
        assert_eq!(
            labels(&steps),
            ["client-0->counter-0: Decrement ×2, Increment ×3 (0–40 ms)"]
        );
    }

    /// Traffic between other participants leaves an arrow open: two clients
    /// sending side by side stay two arrows, however their messages
    /// interleave.
    #[test]
    fn unrelated_traffic_does_not_split_an_arrow() {
        let mut flows = Vec::new();
        for ms in [0, 10, 20] {
            flows.push(flow(ms, Kind::Cast, "client-0", "counter-0", "Increment"));
            flows.push(flow(ms, Kind::Cast, "client-1", "counter-1", "Increment"));
        }

        assert_eq!(
            labels(&collapse(&flows)),
            [
                "client-0->counter-0: Increment ×3 (0–20 ms)",
                "client-1->counter-1: Increment ×3 (0–20 ms)",
            ]
        );
    }

    /// A message that involves the sender or the receiver of an arrow
    /// closes it: the client's stream goes on as a new arrow after the
    /// question, so the diagram shows where the question fell.
    #[test]
    fn a_question_to_the_receiver_splits_the_stream() {
        let flows = [
            flow(0, Kind::Cast, "client-0", "counter-0", "Increment"),
            flow(10, Kind::Cast, "client-0", "counter-0", "Increment"),
            flow(15, Kind::Call, "aggregator", "counter-0", "GetStats"),
            flow(
                15,
                Kind::Reply,
                "counter-0",
                "aggregator",
                "value 2 after 2 ops",
            ),
            flow(20, Kind::Cast, "client-0", "counter-0", "Increment"),
        ];

        assert_eq!(
            labels(&collapse(&flows)),
            [
                "client-0->counter-0: Increment ×2 (0–10 ms)",
                "aggregator->counter-0: GetStats (15 ms)",
                "counter-0->aggregator: value 2 after 2 ops (15 ms)",
                "client-0->counter-0: Increment (20 ms)",
            ]
        );
    }

    /// A question and its answer never fold together, even between the
    /// same two participants: the kind is part of what makes two messages
    /// alike.
    #[test]
    fn a_cast_and_a_call_are_different_arrows() {
        let flows = [
            flow(0, Kind::Cast, "main", "aggregator", "CollectStats"),
            flow(0, Kind::Call, "main", "aggregator", "GetTotalStats"),
            flow(0, Kind::Reply, "aggregator", "main", "total 6 after 9 ops"),
        ];

        assert_eq!(collapse(&flows).len(), 3);
    }

    /// A phase of the run closes every arrow, and a note closes the arrows
    /// of the participant it is about.
    #[test]
    fn phases_and_notes_close_arrows() {
        let flows = [
            flow(0, Kind::Cast, "client-0", "counter-0", "Increment"),
            flow(0, Kind::Cast, "client-1", "counter-1", "Increment"),
            flow(5, Kind::Note, "counter-0", "counter-0", "a remark"),
            flow(10, Kind::Cast, "client-0", "counter-0", "Increment"),
            flow(10, Kind::Cast, "client-1", "counter-1", "Increment"),
            flow(15, Kind::Phase, "", "", "every client has finished"),
            flow(20, Kind::Cast, "client-1", "counter-1", "Increment"),
        ];

        assert_eq!(
            labels(&collapse(&flows)),
            [
                "client-0->counter-0: Increment (0 ms)",
                "client-1->counter-1: Increment ×2 (0–10 ms)",
                "client-0->counter-0: Increment (10 ms)",
                "client-1->counter-1: Increment (20 ms)",
            ]
        );
    }

    /// A window keeps the flows between its two ends, both included.
    #[test]
    fn a_window_keeps_only_its_flows() {
        let flows: Vec<Flow> = (0..6)
            .map(|i| flow(i * 10, Kind::Cast, "client-0", "counter-0", "Increment"))
            .collect();

        let kept = between(&flows, Duration::from_millis(20), Duration::from_millis(40));

        let times: Vec<u128> = kept.iter().map(|f| f.at.as_millis()).collect();
        assert_eq!(times, [20, 30, 40]);
    }
}
