//! The command line, as types: one subcommand per role, one option group
//! per `#[derive(Args)]` struct, each group beside the code it configures
//! ([`ScenarioArgs`] in `scenario.rs`, [`FailureArgs`] in `failure.rs`,
//! [`MailboxArgs`] in `mailbox.rs`, [`TraceArgs`] in `trace/`).
//!
//! Parsing only reads values. [`RunArgs::prepare`] and
//! [`CompareArgs::prepare`] then refuse what cannot work, before anything
//! starts: an option the design would ignore ([`Unsupported`]), a scenario
//! that [`Scenario::validate`] refuses, a run bigger than the free memory
//! ([`WontFit`]), a trace file that cannot be created. A new role is one
//! more [`Command`] variant; a new group is one more struct, flattened into
//! the subcommands that use it, with a `check`
//! called from their `prepare`.

use std::ffi::OsStr;

use actors_core::{Design, Transcript};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};

use crate::failure::FailureArgs;
use crate::footprint::{self, WontFit};
use crate::mailbox::MailboxArgs;
use crate::scenario::{Scenario, ScenarioArgs, ScenarioError};
use crate::trace::{TraceArgs, TraceError, TraceFile};
use crate::{DemoError, Outcome, run};

// ANCHOR: cli
/// Runs the article's counter system: counters fed by clients, and the
/// statistics they report.
///
/// With no subcommand, `demo` is `demo run`, so `demo --virtual-time` runs
/// the article's scenario on the paused clock.
#[derive(Debug, Parser)]
#[command(name = "demo", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    // What to do. `None` when the flags of `run` come straight after `demo`.
    #[command(subcommand)]
    command: Option<Command>,
    // The flags of a bare `demo`, which means `demo run`.
    #[command(flatten)]
    run: RunArgs,
}

/// What the demo can do: one variant per role.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Run the scenario on one design (the default)
    Run(RunArgs),
    /// Run the scenario on every design in turn and print a table
    Compare(CompareArgs),
    /// Host counters for clients in other processes (cookie from DEMO_COOKIE)
    #[cfg(feature = "cluster")]
    Node(crate::remote::NodeArgs),
}

/// The flags of `demo run`.
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct RunArgs {
    /// Which design runs the counters.
    #[arg(long = "impl", value_name = "DESIGN", value_parser = designs(),
        default_value_t = Design::Ractor)]
    pub design: Design,
    /// What to run, and on which clock.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Whether to crash counters on purpose, and how to recover.
    #[command(flatten)]
    pub failure: FailureArgs,
    /// Whether to slow the counters down, and what their mailboxes do.
    #[command(flatten)]
    pub mailbox: MailboxArgs,
    /// Whether to draw the run.
    #[command(flatten)]
    pub trace: TraceArgs,
    /// Whether the counters are on a node in another process.
    #[cfg(feature = "cluster")]
    #[command(flatten)]
    pub remote: crate::remote::RemoteArgs,
}

/// The flags of `demo compare`: the scenario only, since every design runs.
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct CompareArgs {
    /// What each design runs, and on which clock.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
}
// ANCHOR_END: cli

impl Cli {
    /// The subcommand to carry out: `run`, with the top-level flags, when
    /// none was named.
    pub fn into_command(self) -> Command {
        self.command.unwrap_or(Command::Run(self.run))
    }
}

// ANCHOR: designs
/// `--impl`'s values: every name in [`Design::ALL`], with its summary as
/// help, read back through `Design`'s `FromStr`. No second list of names.
fn designs() -> impl TypedValueParser<Value = Design> {
    let values = Design::ALL.map(|design| PossibleValue::new(design.name()).help(design.summary()));
    PossibleValuesParser::new(values).try_map(|name| name.parse::<Design>())
}
// ANCHOR_END: designs

// ANCHOR: unsupported
/// An option given for a design that would ignore it. Refused rather than
/// ignored, so that a flag never looks as if it changed a run it did not.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{option} does not apply to the {design} design: {reason}")]
pub struct Unsupported {
    /// The flag, as typed: `--collect-every-ms`.
    pub option: &'static str,
    /// The design it was given for.
    pub design: Design,
    /// Why that design cannot use it.
    pub reason: &'static str,
}
// ANCHOR_END: unsupported

/// Why the command line cannot run. The binary exits with code 2 on it,
/// as clap does for the errors it finds itself.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    /// An option the design would ignore.
    #[error(transparent)]
    Unsupported(#[from] Unsupported),
    /// A scenario that cannot work.
    #[error(transparent)]
    Invalid(#[from] ScenarioError),
    /// A trace that cannot be made.
    #[error(transparent)]
    Trace(#[from] TraceError),
    /// A run bigger than the memory the machine has free.
    #[error(transparent)]
    WontFit(#[from] WontFit),
    /// `--connect` without a usable cookie, or for another design.
    #[cfg(feature = "cluster")]
    #[error(transparent)]
    Remote(#[from] crate::remote::RemoteError),
}

// ANCHOR: prepare
impl RunArgs {
    /// Everything that can fail on input fails here, before any actor
    /// starts: each group's check against the design, the scenario's own
    /// rules, and the trace file, created last so that a refused command
    /// leaves no empty file behind. `command_line` heads the diagram.
    pub fn prepare(&self, command_line: &str) -> Result<RunPlan, UsageError> {
        self.scenario.check(self.design)?;
        self.failure.check(self.design)?;
        self.mailbox.check(self.design)?;
        self.trace.check(self.design)?;
        let scenario = Scenario {
            chaos: self.failure.chaos(),
            pressure: self.mailbox.pressure()?,
            ..self.scenario.scenario(self.design)
        };
        scenario.validate()?;
        #[cfg(feature = "cluster")]
        let remote = self.remote.remote(self.design)?;
        // The counters of a remote run live on the node, not here.
        #[cfg(feature = "cluster")]
        if remote.is_none() {
            footprint::check(self.design, self.scenario.counters, footprint::available())?;
        }
        #[cfg(not(feature = "cluster"))]
        footprint::check(self.design, self.scenario.counters, footprint::available())?;
        let trace = self.trace.open(command_line, self.scenario.virtual_time)?;
        Ok(RunPlan {
            scenario,
            trace,
            #[cfg(feature = "cluster")]
            remote,
        })
    }
}

impl CompareArgs {
    /// The scenario every design will run, checked. Nothing is refused for
    /// a design here: the ractor design, which reads every flag, is always
    /// among them.
    pub fn prepare(&self) -> Result<Scenario, UsageError> {
        let scenario = self.scenario.scenario(Design::Ractor);
        scenario.validate()?;
        // The designs run one after another, so the biggest must fit.
        let available = footprint::available();
        for design in Design::ALL {
            footprint::check(design, self.scenario.counters, available)?;
        }
        Ok(scenario)
    }
}
// ANCHOR_END: prepare

/// A `demo run` that passed every check: the scenario, and the trace file
/// if one was asked for.
#[derive(Debug)]
pub struct RunPlan {
    /// What to run.
    pub scenario: Scenario,
    /// Where to draw it, already created.
    pub trace: Option<TraceFile>,
    /// The node whose counters to drive, if not counters of our own.
    #[cfg(feature = "cluster")]
    pub remote: Option<crate::remote::Remote>,
}

impl RunPlan {
    /// Runs the scenario, then writes the trace. The trace is written even
    /// when the run failed, since the diagram shows how far it got. Install
    /// the trace's recorder layer before calling this.
    pub async fn execute(self, transcript: &Transcript) -> Result<Outcome, DemoError> {
        if let Some(trace) = &self.trace {
            // Time zero, read inside the runtime: on the paused clock, that
            // is virtual time.
            trace.recorder().start_clock();
        }
        #[cfg(feature = "cluster")]
        let outcome = match &self.remote {
            Some(remote) => crate::remote::run(&self.scenario, remote, transcript).await,
            None => run(&self.scenario, transcript).await,
        };
        #[cfg(not(feature = "cluster"))]
        let outcome = run(&self.scenario, transcript).await;
        if let Some(trace) = self.trace {
            let path = trace.path().to_owned();
            if let Err(source) = trace.finish() {
                let error = DemoError::TraceWrite { path, source };
                match outcome {
                    Ok(_) => return Err(error),
                    Err(_) => tracing::error!("{error}"),
                }
            }
        }
        outcome
    }
}

/// `args` as one line a shell would read back the same: plain words as
/// they are, anything else in single quotes. For a diagram's header.
pub fn shell_words<I, S>(args: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let quoted: Vec<String> = args
        .into_iter()
        .map(|arg| {
            let arg = arg.as_ref().to_string_lossy().into_owned();
            let plain = !arg.is_empty()
                && arg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=,:".contains(c));
            if plain {
                arg
            } else {
                format!("'{}'", arg.replace('\'', r"'\''"))
            }
        })
        .collect();
    quoted.join(" ")
}
