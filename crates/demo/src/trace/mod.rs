//! `demo run --trace FILE`: the message flow of a run, drawn as a Mermaid
//! sequence diagram.
//!
//! The crates record every message they send as a `tracing` event with the
//! target `"flow"` (see [`actors_core::flow`]). This module draws them in
//! three steps, one file each:
//!
//! 1. [`record`]: [`FlowRecorder`], a `tracing_subscriber` layer, keeps each
//!    event as a [`Flow`] stamped with tokio's clock, so that on a paused
//!    clock the same run gives the same stamps every time.
//! 2. [`collapse`](mod@collapse): alike messages between the same two
//!    participants fold into one arrow; the article's 200 operations would
//!    otherwise be 200 arrows.
//! 3. [`render`](mod@render): the steps become Mermaid's `sequenceDiagram`.
//!
//! [`TraceArgs`], the command line's "Trace" group, and [`TraceFile`], which
//! it opens before the run and writes after, live here too. The book reads
//! two diagrams made this way in "The run, drawn" (`docs/trace.md`).

pub mod collapse;
pub mod record;
pub mod render;

use std::fs::File;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use actors_core::Design;
use clap::Args;

pub use collapse::{Arrow, Step, between, collapse};
pub use record::{Flow, FlowRecorder};
pub use render::{escape, render};

use crate::cli::Unsupported;

/// A flow event made by hand, for the tests of each step.
#[cfg(test)]
fn test_flow(ms: u64, kind: actors_core::flow::Kind, from: &str, to: &str, msg: &str) -> Flow {
    Flow {
        at: Duration::from_millis(ms),
        kind,
        from: from.into(),
        to: to.into(),
        msg: msg.into(),
    }
}

/// Collapses `flows` and renders the result: [`collapse()`], then
/// [`render()`].
pub fn diagram(flows: &[Flow], comments: &[String]) -> String {
    render(&collapse(flows), comments)
}

// ANCHOR: args
/// The "Trace" flags: where to draw the run, and which part of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Args)]
#[command(next_help_heading = "Trace")]
pub struct TraceArgs {
    /// Also draw the run's messages into FILE, as a Mermaid diagram.
    ///
    /// Who sent what to whom, and when, in milliseconds since the start.
    /// With --virtual-time the file is the same on every run. Needs an actor
    /// design: ractor or handrolled.
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
    /// Leave out what happened before this millisecond of the run.
    #[arg(long, value_name = "MS", requires = "trace")]
    pub trace_from_ms: Option<u64>,
    /// Leave out what happened after this millisecond of the run.
    #[arg(long, value_name = "MS", requires = "trace")]
    pub trace_until_ms: Option<u64>,
}
// ANCHOR_END: args

/// Why a trace cannot be made. Both are found before the run starts.
#[derive(Debug, thiserror::Error)]
pub enum TraceError {
    /// The window ends before it starts, so the diagram would be empty.
    #[error("--trace-from-ms {from} is after --trace-until-ms {until}: nothing would be drawn")]
    EmptyWindow {
        /// Where the window starts, in ms.
        from: u64,
        /// Where it ends, in ms.
        until: u64,
    },
    /// The file cannot be created: a missing directory, no permission.
    #[error("cannot create the trace file {}: {source}", .path.display())]
    Create {
        /// The file asked for.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

impl TraceArgs {
    // ANCHOR: check
    /// Refuses `--trace` for a design without actors: its counters share
    /// memory and send no messages, so there would be nothing to draw but
    /// the clients' calls.
    pub fn check(&self, design: Design) -> Result<(), Unsupported> {
        if self.trace.is_some() && !design.is_actor() {
            return Err(Unsupported {
                option: "--trace",
                design,
                reason: "it draws the messages between actors, and this design has none",
            });
        }
        Ok(())
    }
    // ANCHOR_END: check

    /// Creates the file now, so that a path that cannot be written fails
    /// before the run rather than after it. `command_line` goes into the
    /// diagram's first line, so that a reader knows how to make it again.
    pub fn open(
        &self,
        command_line: &str,
        virtual_time: bool,
    ) -> Result<Option<TraceFile>, TraceError> {
        let Some(path) = &self.trace else {
            return Ok(None);
        };
        let from = self.trace_from_ms.unwrap_or(0);
        let until = self.trace_until_ms.unwrap_or(u64::MAX);
        if from > until {
            return Err(TraceError::EmptyWindow { from, until });
        }
        let file = File::create(path).map_err(|source| TraceError::Create {
            path: path.clone(),
            source,
        })?;
        let clock = if virtual_time { "virtual" } else { "real" };
        Ok(Some(TraceFile {
            path: path.clone(),
            file,
            recorder: FlowRecorder::new(),
            window: (Duration::from_millis(from), Duration::from_millis(until)),
            comments: vec![
                format!("generated by: cargo run -p demo -- {command_line}"),
                format!("times: {clock} milliseconds since the run started"),
            ],
        }))
    }
}

/// A trace on its way: the file already created, the recorder to install
/// before the run, and what to write once it is over.
#[derive(Debug)]
pub struct TraceFile {
    path: PathBuf,
    file: File,
    recorder: FlowRecorder,
    window: (Duration, Duration),
    comments: Vec<String>,
}

impl TraceFile {
    /// The recorder whose layer must be installed for the run's events to
    /// reach the file.
    pub fn recorder(&self) -> &FlowRecorder {
        &self.recorder
    }

    /// Where the diagram goes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Draws what was recorded inside the window and writes it.
    pub fn finish(mut self) -> io::Result<()> {
        let (from, until) = self.window;
        let flows = between(&self.recorder.flows(), from, until);
        self.file
            .write_all(diagram(&flows, &self.comments).as_bytes())?;
        self.file.flush()
    }
}
