//! `demo --trace`: the message flow of a run, drawn as a Mermaid sequence
//! diagram.
//!
//! The crates record every message they send as a `tracing` event with the
//! target `"flow"` (see [`actors_core::flow`]). This module listens for
//! those events and draws them:
//!
//! 1. [`FlowRecorder`] is a `tracing_subscriber` layer. It keeps each flow
//!    event as a [`Flow`], stamped with tokio's clock relative to the start
//!    of the run. On a paused clock (`--virtual-time`) that is virtual time,
//!    so the same run gives the same stamps every time.
//! 2. [`collapse`] folds the flows into [`Step`]s: messages from one sender
//!    to one receiver become a single arrow, as long as nothing else
//!    touches either of them in between. Without this, the article's 200
//!    operations would be 200 arrows.
//! 3. [`render`] writes the steps as Mermaid's `sequenceDiagram`: solid
//!    arrows (`->>`) for casts and questions, dashed arrows (`-->>`) for
//!    answers, notes for the aggregator's rounds and for the phases of the
//!    run.
//!
//! The book reads two diagrams made this way in "The run, drawn"
//! (`docs/trace.md`).

use std::fmt::{self, Write as _};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use actors_core::flow::{self, Kind};
use tokio::time::Instant;
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::Context;
use tracing_subscriber::registry::LookupSpan;

/// One flow event, as the recorder kept it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    /// How long after the start of the run the event happened.
    pub at: Duration,
    /// A cast, a question, an answer, a note or a phase of the run.
    pub kind: Kind,
    /// Who sent the message (for a note: whom it is about; for a phase:
    /// empty).
    pub from: String,
    /// Who received it (for a note: the same as `from`; for a phase: empty).
    pub to: String,
    /// The message's name, with its figures for an answer; the text of a
    /// note or a phase.
    pub msg: String,
}

/// Collects the flow events of a run, in the order they happened.
///
/// Install [`layer`](Self::layer) in a subscriber, call
/// [`start_clock`](Self::start_clock) inside the runtime just before the
/// run, and read [`flows`](Self::flows) afterwards. Clones share one
/// recording, so the handle you keep sees what the installed layer records.
#[derive(Debug, Clone, Default)]
pub struct FlowRecorder {
    // A mutex, in a book about avoiding them? The recorder watches the
    // system; it is not part of it. On the paused clock everything runs on
    // one thread and the lock is never contended; on a real clock it costs
    // the traced run some speed, which a diagram does not measure anyway.
    recording: Arc<Mutex<Recording>>,
}

#[derive(Debug, Default)]
struct Recording {
    /// Time zero. Set by `start_clock`, or else by the first event.
    origin: Option<Instant>,
    flows: Vec<Flow>,
}

impl FlowRecorder {
    /// A recorder with nothing recorded yet.
    pub fn new() -> Self {
        FlowRecorder::default()
    }

    /// Makes this instant time zero. Call it inside the tokio runtime that
    /// runs the system: tokio's `Instant` reads the runtime's clock, which
    /// under `--virtual-time` is the paused one.
    pub fn start_clock(&self) {
        self.lock().origin = Some(Instant::now());
    }

    /// The layer to install in a subscriber: this recorder, listening to
    /// the `"flow"` target only.
    pub fn layer<S>(&self) -> impl Layer<S> + use<S>
    where
        S: Subscriber + for<'span> LookupSpan<'span>,
    {
        let only_flow = Targets::new().with_target(flow::TARGET, LevelFilter::TRACE);
        self.clone().with_filter(only_flow)
    }

    /// Everything recorded so far, oldest first.
    pub fn flows(&self) -> Vec<Flow> {
        self.lock().flows.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Recording> {
        // A panic elsewhere while recording leaves the list as it was.
        self.recording
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

// ANCHOR: layer
impl<S: Subscriber> Layer<S> for FlowRecorder {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != flow::TARGET {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        let Some(kind) = Kind::from_name(&fields.kind) else {
            return;
        };
        let mut recording = self.lock();
        // Read under the lock, so that on a multi-threaded runtime the list
        // stays in the order of its stamps.
        let now = Instant::now();
        let origin = *recording.origin.get_or_insert(now);
        recording.flows.push(Flow {
            at: now.saturating_duration_since(origin),
            kind,
            from: fields.from,
            to: fields.to,
            msg: fields.msg,
        });
    }
}
// ANCHOR_END: layer

/// The fields of one flow event, as `tracing` hands them over.
#[derive(Default)]
struct Fields {
    kind: String,
    from: String,
    to: String,
    msg: String,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if let Some(slot) = self.slot(field) {
            *slot = value.to_owned();
        }
    }

    // Fields written `%value` arrive here; their `Debug` is the value's
    // `Display`.
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if let Some(slot) = self.slot(field) {
            *slot = format!("{value:?}");
        }
    }
}

impl Fields {
    fn slot(&mut self, field: &Field) -> Option<&mut String> {
        match field.name() {
            "kind" => Some(&mut self.kind),
            "from" => Some(&mut self.from),
            "to" => Some(&mut self.to),
            "msg" => Some(&mut self.msg),
            _ => None,
        }
    }
}

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
fn span(first: Duration, last: Duration) -> String {
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

/// Makes `text` safe for a Mermaid label.
///
/// In a sequence diagram `;` ends a statement, `#` starts an entity code
/// and `:` separates an arrow from its text, so each is written as its
/// entity code (`#59;`, `#35;`, `#58;`), as are `<` and `>`, which the
/// browser would read as HTML. A line break would end the statement, so it
/// becomes a space.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ';' => escaped.push_str("#59;"),
            '#' => escaped.push_str("#35;"),
            ':' => escaped.push_str("#58;"),
            '<' => escaped.push_str("#lt;"),
            '>' => escaped.push_str("#gt;"),
            '\n' | '\r' => escaped.push(' '),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Where a participant goes, left to right: the clients, the counters, the
/// aggregator, then `main`, which talks mostly to the aggregator and so
/// sits next to it. Anyone else comes last, by name.
fn rank(name: &str) -> (u8, u64, &str) {
    let numbered = |prefix: &str| {
        name.strip_prefix(prefix)
            .and_then(|n| n.parse::<u64>().ok())
    };
    let (group, n) = if let Some(n) = numbered("client-") {
        (0, n)
    } else if let Some(n) = numbered("counter-") {
        (1, n)
    } else if name == flow::AGGREGATOR {
        (2, 0)
    } else if name == flow::MAIN {
        (3, 0)
    } else {
        (4, 0)
    };
    (group, n, name)
}

/// Every participant the steps mention, in [`rank`] order.
fn participants(steps: &[Step]) -> Vec<String> {
    let mut names: Vec<&str> = Vec::new();
    for step in steps {
        match step {
            Step::Arrow(arrow) => names.extend([arrow.from.as_str(), arrow.to.as_str()]),
            Step::Note { over, .. } => names.push(over),
            Step::Phase { .. } => {}
        }
    }
    names.sort_by_key(|name| rank(name));
    names.dedup();
    names.into_iter().map(str::to_owned).collect()
}

/// A Mermaid identifier for each participant, in the same order: the name
/// with every character other than a letter, a digit or `_` turned into
/// `_`, and a number added if two names come out the same.
fn identifiers(names: &[String]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        let base: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let base = if base.is_empty() {
            "p".to_owned()
        } else {
            base
        };
        let mut id = base.clone();
        let mut n = 2;
        while ids.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        ids.push(id);
    }
    ids
}

/// Writes `steps` as a Mermaid `sequenceDiagram`, with each of `comments`
/// as a `%%` line at the top.
pub fn render(steps: &[Step], comments: &[String]) -> String {
    let mut names = participants(steps);
    if names.is_empty() {
        // A phase needs someone to stand over.
        names.push(flow::MAIN.to_owned());
    }
    let ids = identifiers(&names);
    let id = |name: &str| {
        let at = names.iter().position(|known| known == name).unwrap_or(0);
        ids[at].as_str()
    };

    let mut out = String::new();
    for comment in comments {
        line(&mut out, format_args!("%% {}", comment.replace('\n', " ")));
    }
    line(&mut out, format_args!("sequenceDiagram"));
    for (name, id) in names.iter().zip(&ids) {
        if id == name {
            line(&mut out, format_args!("    participant {id}"));
        } else {
            line(
                &mut out,
                format_args!("    participant {id} as {}", escape(name)),
            );
        }
    }
    let everyone = match (ids.first(), ids.last()) {
        (Some(first), Some(last)) if first != last => format!("{first},{last}"),
        (Some(only), _) => only.clone(),
        _ => flow::MAIN.to_owned(),
    };
    for step in steps {
        match step {
            Step::Arrow(arrow) => {
                let head = if arrow.kind == Kind::Reply {
                    "-->>"
                } else {
                    "->>"
                };
                let (from, to) = (id(&arrow.from), id(&arrow.to));
                let label = escape(&arrow.label());
                line(&mut out, format_args!("    {from}{head}{to}: {label}"));
            }
            Step::Note { over, text, at } => {
                let text = escape(&format!("{text} ({})", span(*at, *at)));
                line(&mut out, format_args!("    Note over {}: {text}", id(over)));
            }
            Step::Phase { text, at } => {
                let text = escape(&format!("{text} ({})", span(*at, *at)));
                line(&mut out, format_args!("    Note over {everyone}: {text}"));
            }
        }
    }
    out
}

fn line(out: &mut String, text: fmt::Arguments<'_>) {
    // Writing to a String cannot fail.
    let _ = writeln!(out, "{text}");
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

/// Collapses `flows` and renders the result: [`collapse`], then [`render`].
pub fn diagram(flows: &[Flow], comments: &[String]) -> String {
    render(&collapse(flows), comments)
}
