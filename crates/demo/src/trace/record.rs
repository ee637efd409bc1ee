//! Step 1 of a trace: record. [`FlowRecorder`] is a `tracing_subscriber`
//! layer that keeps each event of the `"flow"` target as a [`Flow`],
//! stamped with tokio's clock relative to the start of the run.

use std::fmt;
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
        let fields = Fields::of(event);
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
pub(crate) struct Fields {
    pub(crate) kind: String,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) msg: String,
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
    /// Reads the fields of `event`.
    pub(crate) fn of(event: &Event<'_>) -> Self {
        let mut fields = Fields::default();
        event.record(&mut fields);
        fields
    }

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

#[cfg(test)]
mod tests {
    use super::*;
    use tracing_subscriber::layer::SubscriberExt;

    /// The recorder keeps the flow events and nothing else, each stamped
    /// with the paused clock's time since `start_clock`.
    #[tokio::test(start_paused = true)]
    async fn flow_events_are_kept_and_stamped() {
        let recorder = FlowRecorder::new();
        let subscriber = tracing_subscriber::registry().with(recorder.layer());
        let _listening = tracing::subscriber::set_default(subscriber);
        recorder.start_clock();

        flow::cast("client-0", "counter-0", "Increment");
        tracing::info!(target: "not-flow", kind = "cast", from = "a", to = "b", msg = "x");
        tokio::time::sleep(Duration::from_millis(7)).await;
        flow::phase("shutdown");

        let seen: Vec<(u128, Kind, String)> = recorder
            .flows()
            .into_iter()
            .map(|f| (f.at.as_millis(), f.kind, f.msg))
            .collect();
        assert_eq!(
            seen,
            [
                (0, Kind::Cast, "Increment".to_owned()),
                (7, Kind::Phase, "shutdown".to_owned()),
            ]
        );
    }
}
