//! Progress bars for long runs, on standard error.
//!
//! A million counters take most of a minute. Three bars show where the run
//! is: counters registered, operations sent, counters stopped. They count
//! the [`flow`] events the run records anyway, through a `tracing` layer,
//! so no design carries code for them. They are drawn only when standard
//! error is a terminal, and only for runs of [`PROGRESS_FROM`] counters or
//! more, or runs with slow counters or bounded mailboxes, which add a line
//! for the mailboxes: depth, handled, dropped, rerouted. A transcript piped
//! to a file, and every test, sees none of them.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::thread::JoinHandle;
use std::time::Duration;

use actors_core::flow::{self, Kind};
use actors_core::{CounterSystem, MailboxReport};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use tracing::{Event, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::Context;
use tracing_subscriber::registry::LookupSpan;

use crate::trace::record::Fields;

/// The smallest run that gets progress bars.
pub const PROGRESS_FROM: usize = 10_000;

// ANCHOR: step
/// What a flow event says about the run's progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A counter joined the aggregator's registry.
    Registered,
    /// A client sent an operation.
    Sent,
    /// A counter stopped at shutdown.
    Stopped,
}

impl Step {
    /// The step a flow event marks, if any.
    pub fn of(kind: Kind, from: &str, msg: &str) -> Option<Step> {
        match kind {
            Kind::Cast if msg == "RegisterCounter" || msg == "RegisterSupervised" => {
                Some(Step::Registered)
            }
            Kind::Cast if from.starts_with("client-") => Some(Step::Sent),
            Kind::Reply if msg == "stopped" && from.starts_with("counter-") => Some(Step::Stopped),
            _ => None,
        }
    }
}
// ANCHOR_END: step

/// How many of each step so far.
#[derive(Debug, Default)]
struct Counts([AtomicU64; 3]);

impl Counts {
    fn add(&self, step: Step) {
        self.0[step as usize].fetch_add(1, Ordering::Relaxed);
    }

    fn get(&self, step: Step) -> u64 {
        self.0[step as usize].load(Ordering::Relaxed)
    }
}

/// The layer that counts steps. Install it with [`ProgressLayer::layer`].
#[derive(Debug, Clone)]
pub struct ProgressLayer {
    counts: Arc<Counts>,
}

impl ProgressLayer {
    /// This layer, listening to the `"flow"` target only.
    pub fn layer<S>(&self) -> impl Layer<S> + use<S>
    where
        S: Subscriber + for<'span> LookupSpan<'span>,
    {
        let only_flow = Targets::new().with_target(flow::TARGET, LevelFilter::TRACE);
        self.clone().with_filter(only_flow)
    }
}

impl<S: Subscriber> Layer<S> for ProgressLayer {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let fields = Fields::of(event);
        let step = Kind::from_name(&fields.kind)
            .and_then(|kind| Step::of(kind, &fields.from, &fields.msg));
        if let Some(step) = step {
            self.counts.add(step);
        }
    }
}

// ANCHOR: watch
/// The system whose mailboxes the bars show, set by [`watch`]. Weak, so
/// that the bars never keep a finished system alive.
static WATCHED: Mutex<Option<Weak<dyn CounterSystem>>> = Mutex::new(None);

/// Shows `system`'s mailboxes in the bars, if any are drawn. The drawing
/// thread reads them ten times a second, in real time, from outside the
/// runtime, so a run on the paused clock is not changed by being watched.
pub fn watch(system: &Arc<dyn CounterSystem>) {
    *WATCHED.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::downgrade(system));
}

fn watched() -> Option<MailboxReport> {
    let watched = WATCHED.lock().unwrap_or_else(PoisonError::into_inner);
    watched.as_ref()?.upgrade()?.mailbox()
}

/// The mailbox line: how deep, and where the operations went.
pub fn mailbox_line(report: &MailboxReport) -> String {
    format!(
        "depth {} (peak {}), {} handled, {} dropped, {} refused, {} rerouted",
        report.depth, report.peak, report.taken, report.dropped, report.refused, report.rerouted
    )
}
// ANCHOR_END: watch

// ANCHOR: progress
/// The bars, redrawn ten times a second by a thread of their own until
/// [`finish`](Self::finish).
pub struct Progress {
    done: Arc<AtomicBool>,
    drawing: JoinHandle<()>,
}

impl Progress {
    /// Bars for a run of `counters` counters sending `ops` operations each,
    /// and the layer that feeds them, with a mailbox line if `mailboxes`;
    /// `None` for a small run without mailboxes to watch, or when standard
    /// error is not a terminal.
    pub fn start(counters: usize, ops: u64, mailboxes: bool) -> Option<(Progress, ProgressLayer)> {
        if (counters < PROGRESS_FROM && !mailboxes) || !std::io::stderr().is_terminal() {
            return None;
        }
        let counts = Arc::new(Counts::default());
        let done = Arc::new(AtomicBool::new(false));
        let bars = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{prefix:>20} {wide_bar} {pos}/{len} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        let counters = counters as u64;
        let bar = |name: &'static str, len: u64| {
            let bar = bars.add(ProgressBar::new(len).with_style(style.clone()));
            bar.set_prefix(name);
            bar
        };
        let shown = [
            (Step::Registered, bar("counters registered", counters)),
            (
                Step::Sent,
                bar("operations sent", counters.saturating_mul(ops)),
            ),
            (Step::Stopped, bar("counters stopped", counters)),
        ];
        let line = mailboxes.then(|| {
            let line = bars.add(ProgressBar::new_spinner());
            line.set_style(
                ProgressStyle::with_template("{prefix:>20} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            line.set_prefix("mailboxes");
            line
        });
        let (watching, stop) = (Arc::clone(&counts), Arc::clone(&done));
        let drawing = std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                for (step, bar) in &shown {
                    bar.set_position(watching.get(*step));
                }
                if let (Some(line), Some(report)) = (&line, watched()) {
                    line.set_message(mailbox_line(&report));
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = bars.clear();
        });
        Some((Progress { done, drawing }, ProgressLayer { counts }))
    }

    /// Stops drawing and clears the bars.
    pub fn finish(self) {
        self.done.store(true, Ordering::Relaxed);
        let _ = self.drawing.join();
    }
}
// ANCHOR_END: progress

#[cfg(test)]
mod tests {
    use super::*;

    /// Registrations, clients' operations and stops are steps; the rest of
    /// the flow is not.
    #[test]
    fn flow_events_map_to_steps() {
        let step = |kind, from, msg| Step::of(kind, from, msg);
        assert_eq!(
            step(Kind::Cast, "main", "RegisterCounter"),
            Some(Step::Registered)
        );
        assert_eq!(
            step(Kind::Cast, "supervisor", "RegisterSupervised"),
            Some(Step::Registered)
        );
        assert_eq!(step(Kind::Cast, "client-7", "Increment"), Some(Step::Sent));
        assert_eq!(
            step(Kind::Reply, "counter-7", "stopped"),
            Some(Step::Stopped)
        );
        assert_eq!(step(Kind::Call, "aggregator", "GetStats"), None);
        assert_eq!(step(Kind::Cast, "aggregator", "CollectStats"), None);
    }

    /// The mailbox line names every count it shows.
    #[test]
    fn the_mailbox_line_says_where_operations_went() {
        let report = MailboxReport {
            depth: 3,
            peak: 64,
            dropped: 120,
            refused: 0,
            rerouted: 7,
            taken: 500,
        };
        assert_eq!(
            mailbox_line(&report),
            "depth 3 (peak 64), 500 handled, 120 dropped, 0 refused, 7 rerouted"
        );
    }

    // ANCHOR: no_bars
    /// A small run, or one whose standard error is not a terminal (as under
    /// `cargo test`), gets no bars.
    #[test]
    fn no_bars_for_small_runs_or_pipes() {
        assert!(Progress::start(4, 50, false).is_none());
        assert!(Progress::start(1_000_000, 10, false).is_none() || std::io::stderr().is_terminal());
        assert!(Progress::start(4, 50, true).is_none() || std::io::stderr().is_terminal());
    }
    // ANCHOR_END: no_bars
}
