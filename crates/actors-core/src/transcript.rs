//! Where the lines a person reads go.

use std::fmt::Display;
use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

// ANCHOR: transcript
/// The demo's running commentary: the lines the book shows and the tests
/// snapshot.
///
/// Actors write to a `Transcript` instead of calling `println!`, so that the
/// same run can go to the terminal (`Transcript::stdout`) or into memory
/// (`Transcript::memory`) where a test can read it back. Diagnostics that are
/// not part of the story go through `tracing` instead, and `RUST_LOG` controls
/// them.
///
/// Cloning a transcript gives another handle to the same lines.
#[derive(Debug, Clone)]
pub struct Transcript {
    sink: Sink,
}

#[derive(Debug, Clone)]
enum Sink {
    Stdout,
    // A mutex, in a book about avoiding them? It guards a test buffer that
    // nothing reads while the system runs, so it is never contended. It is
    // not part of the design being taught.
    Memory(Arc<Mutex<Vec<String>>>),
    Discard,
}
// ANCHOR_END: transcript

impl Transcript {
    /// A transcript that prints each line to standard output.
    pub fn stdout() -> Self {
        Transcript { sink: Sink::Stdout }
    }

    /// A transcript that keeps its lines for [`lines`](Self::lines).
    pub fn memory() -> Self {
        Transcript {
            sink: Sink::Memory(Arc::default()),
        }
    }

    /// A transcript that throws every line away, for benchmarks: printing
    /// 10,000 "started" lines would measure the terminal, not the design.
    pub fn discard() -> Self {
        Transcript {
            sink: Sink::Discard,
        }
    }

    /// Adds one line.
    pub fn line(&self, line: impl Display) {
        match &self.sink {
            Sink::Stdout => {
                // `println!` panics when standard output is closed, as it is
                // under `demo | head -3`. Losing commentary is better.
                let _ = writeln!(std::io::stdout().lock(), "{line}");
            }
            Sink::Memory(lines) => lines
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(line.to_string()),
            Sink::Discard => {}
        }
    }

    /// The lines so far. Empty for a transcript that prints to standard
    /// output or discards.
    pub fn lines(&self) -> Vec<String> {
        match &self.sink {
            Sink::Stdout | Sink::Discard => Vec::new(),
            Sink::Memory(lines) => lines.lock().unwrap_or_else(PoisonError::into_inner).clone(),
        }
    }

    /// The lines so far, one per line of text, ready to snapshot.
    pub fn text(&self) -> String {
        let mut text = self.lines().join("\n");
        text.push('\n');
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A memory transcript keeps lines in order, and its clones share them.
    #[test]
    fn memory_keeps_lines_in_order() {
        let transcript = Transcript::memory();
        let clone = transcript.clone();
        transcript.line("first");
        clone.line(format_args!("second: {}", 2));
        assert_eq!(transcript.lines(), ["first", "second: 2"]);
        assert_eq!(clone.text(), "first\nsecond: 2\n");
    }

    /// A discarding transcript keeps nothing.
    #[test]
    fn discard_keeps_nothing() {
        let transcript = Transcript::discard();
        transcript.line("gone");
        assert!(transcript.lines().is_empty());
    }
}
