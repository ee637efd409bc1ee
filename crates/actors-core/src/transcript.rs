//! Where the lines a person reads go.

use std::fmt::Display;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
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
    /// Set by [`folding`](Self::folding): how many lines of each
    /// [`Family`] to print before the rest fold into a count.
    fold: Option<Arc<Fold>>,
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

// ANCHOR: family
/// A kind of line that every counter prints once: at a million counters,
/// three million lines that say nothing new. A folding transcript prints
/// the first few of each family, and then how many more there were.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `[counter-k] started`.
    Started,
    /// `[aggregator] registered counter-k`.
    Registered,
    /// `[counter-k] stopped: ...`.
    Stopped,
}

impl Family {
    const ALL: [Family; 3] = [Family::Started, Family::Registered, Family::Stopped];

    /// The line that stands for `more` folded lines of this family.
    fn summary(self, more: usize) -> String {
        match self {
            Family::Started => format!("[...] and {more} more counters started"),
            Family::Registered => format!("[aggregator] and {more} more counters registered"),
            Family::Stopped => format!("[...] and {more} more counters stopped"),
        }
    }
}

/// How many lines of each family a folding transcript has seen.
#[derive(Debug)]
struct Fold {
    first: usize,
    seen: [AtomicUsize; 3],
}
// ANCHOR_END: family

impl Transcript {
    /// A transcript that prints each line to standard output.
    pub fn stdout() -> Self {
        Transcript {
            sink: Sink::Stdout,
            fold: None,
        }
    }

    /// A transcript that keeps its lines for [`lines`](Self::lines).
    pub fn memory() -> Self {
        Transcript {
            sink: Sink::Memory(Arc::default()),
            fold: None,
        }
    }

    /// A transcript that throws every line away, for benchmarks: printing
    /// 10,000 "started" lines would measure the terminal, not the design.
    pub fn discard() -> Self {
        Transcript {
            sink: Sink::Discard,
            fold: None,
        }
    }

    // ANCHOR: folding
    /// The same transcript, printing only the `first` lines of each
    /// [`Family`]; [`summarize`](Self::summarize) then says how many more
    /// there were. Lines outside a family always print.
    pub fn folding(&self, first: usize) -> Self {
        let fold = Fold {
            first,
            seen: Default::default(),
        };
        Transcript {
            sink: self.sink.clone(),
            fold: Some(Arc::new(fold)),
        }
    }

    /// Adds one line of `family`, unless the transcript folds it.
    pub fn line_in(&self, family: Family, line: impl Display) {
        if let Some(fold) = &self.fold {
            let seen = fold.seen[family as usize].fetch_add(1, Ordering::Relaxed);
            if seen >= fold.first {
                return;
            }
        }
        self.line(line);
    }

    /// Prints, for each family, how many of its lines were folded since the
    /// last summary, and counts afresh.
    pub fn summarize(&self) {
        let Some(fold) = &self.fold else { return };
        for family in Family::ALL {
            let seen = fold.seen[family as usize].swap(0, Ordering::Relaxed);
            if seen > fold.first {
                self.line(family.summary(seen - fold.first));
            }
        }
    }
    // ANCHOR_END: folding

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

    // ANCHOR: folded
    /// A folding transcript prints the first lines of a family and counts
    /// the rest; other lines, and a transcript that does not fold, print all.
    #[test]
    fn folding_prints_the_first_few_and_counts_the_rest() {
        let transcript = Transcript::memory();
        let folding = transcript.folding(2);
        for k in 0..5 {
            folding.line_in(Family::Started, format_args!("[counter-{k}] started"));
        }
        folding.line("4 clients running");
        folding.summarize();
        folding.summarize();
        assert_eq!(
            transcript.lines(),
            [
                "[counter-0] started",
                "[counter-1] started",
                "4 clients running",
                "[...] and 3 more counters started",
            ]
        );
        transcript.line_in(Family::Started, "printed: this handle does not fold");
        assert_eq!(transcript.lines().len(), 5);
    }
    // ANCHOR_END: folded

    /// A discarding transcript keeps nothing.
    #[test]
    fn discard_keeps_nothing() {
        let transcript = Transcript::discard();
        transcript.line("gone");
        assert!(transcript.lines().is_empty());
    }
}
