//! The book's diagrams in `docs/diagrams/`, checked and redrawn by one test.
//!
//! The test holds each diagram's flags, runs `demo run` with them in-process
//! on tokio's paused clock, and compares the drawing with the committed
//! file, the way rust-analyzer checks its generated code
//! (`ensure_file_contents`). On a difference it writes the new file and
//! fails, so that the change shows up in `git diff`; under `CI` it only
//! fails. `just diagrams` sets `UPDATE_DIAGRAMS=1`, which writes and passes.

use std::path::{Path, PathBuf};

use actors_core::Transcript;
use clap::Parser;
use demo::cli::{Cli, Command, shell_words};
use tracing_subscriber::layer::SubscriberExt;

/// One committed diagram: its file in `docs/diagrams/`, and the flags of
/// `demo run` that draw it (the test adds `--trace` and the file).
struct Diagram {
    file: &'static str,
    flags: &'static [&'static str],
}

// ANCHOR: diagrams
/// The article's scenario whole, one round of a smaller, busier run seen
/// from 20 ms to 30 ms, and a crash and its recovery under `--chaos 7`.
#[rustfmt::skip]
const DIAGRAMS: [Diagram; 3] = [
    Diagram { file: "scenario.mmd", flags: &["--virtual-time"] },
    Diagram {
        file: "round.mmd",
        flags: &[
            "--virtual-time", "--counters", "3", "--ops", "6", "--collect-every-ms", "25",
            "--trace-from-ms", "20", "--trace-until-ms", "30",
        ],
    },
    Diagram {
        file: "crash.mmd",
        flags: &["--virtual-time", "--chaos", "7", "--trace-from-ms", "80", "--trace-until-ms", "100"],
    },
];
// ANCHOR_END: diagrams

/// Every committed diagram is exactly what its flags draw today: a change
/// to the system that changes its messages cannot leave a stale picture in
/// the book.
#[tokio::test(start_paused = true)]
async fn committed_diagrams_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut stale = Vec::new();
    for diagram in &DIAGRAMS {
        let relative = format!("docs/diagrams/{}", diagram.file);
        let fresh = draw(diagram, &relative).await;
        if let Some(problem) = ensure_file_contents(&root.join(&relative), &fresh) {
            stale.push(format!("{relative}: {problem}"));
        }
    }
    assert!(stale.is_empty(), "{}", stale.join("\n"));
}

/// Runs `demo run FLAGS --trace FILE` in-process, into a scratch file, and
/// returns the drawing. Its first line names the command with `relative`
/// as the file, which is what a reader would type to draw it again.
async fn draw(diagram: &Diagram, relative: &str) -> String {
    let scratch: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR")).join(diagram.file);
    let scratch = scratch.to_str().expect("a UTF-8 target directory");
    let argv = ["demo"].iter().chain(diagram.flags).copied();
    let argv: Vec<&str> = argv.chain(["--trace", scratch]).collect();
    let shown = shell_words(diagram.flags.iter().chain(&["--trace", relative]));

    let Command::Run(run) = Cli::try_parse_from(argv).unwrap().into_command() else {
        panic!("{}: not `demo run`", diagram.file);
    };
    let plan = run.prepare(&shown).unwrap();
    let recorder = plan.trace.as_ref().expect("a trace").recorder().clone();
    let subscriber = tracing_subscriber::registry().with(recorder.layer());
    let _listening = tracing::subscriber::set_default(subscriber);
    plan.execute(&Transcript::memory()).await.unwrap();
    std::fs::read_to_string(scratch).unwrap()
}

/// Checks that `path` holds `contents`. When it does not, says why, and
/// writes `contents` unless running under CI. Returns `None` when nothing
/// is left to do.
fn ensure_file_contents(path: &Path, contents: &str) -> Option<String> {
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if committed == contents {
        return None;
    }
    let first = committed
        .lines()
        .zip(contents.lines())
        .position(|(old, new)| old != new)
        .map_or_else(|| "its length".to_owned(), |i| format!("line {}", i + 1));
    if std::env::var_os("CI").is_some() {
        return Some(format!(
            "out of date from {first}; run `just diagrams` and commit the result"
        ));
    }
    if let Err(error) = std::fs::write(path, contents) {
        return Some(format!("out of date, and cannot be rewritten: {error}"));
    }
    if std::env::var_os("UPDATE_DIAGRAMS").is_some() {
        return None;
    }
    Some(format!(
        "was out of date from {first} and has been redrawn; review it with `git diff` and commit it"
    ))
}
