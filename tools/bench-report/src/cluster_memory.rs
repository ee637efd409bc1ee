//! The memory figures of two builds, with ractor's `cluster` feature (the
//! default) and without it: what the feature adds to an idle ractor
//! counter, and to the parts of it that grow. Each file of the `memory`
//! binary says which build measured it, and [`check`] refuses a file given
//! for the other build.

use actors_core::Design;
use bench::ids::{Switch, memory_command};
use bench::memory::{MemoryFigures, Part};

use crate::format::{self, MISSING};
use crate::tables::{Table, code};

/// A memory file from another build than the one its flag takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("it comes from {}, and the flag takes {}", build(*.found), build(Some(*.expected)))]
pub struct WrongBuild {
    /// What the file says of its build.
    pub found: Option<bool>,
    /// Whether the flag takes the build with the feature.
    pub expected: bool,
}

/// A build, as the error names it.
fn build(cluster: Option<bool>) -> &'static str {
    match cluster {
        Some(true) => "the build with ractor's `cluster` feature",
        Some(false) => "the build without ractor's `cluster` feature",
        None => "a build it does not name",
    }
}

/// Whether `figures` come from the build with the feature (`cluster`) or
/// without. A file from before the build was recorded passes as the
/// default build, with it, as the `memory` binary then always ran.
pub fn check(figures: &MemoryFigures, cluster: bool) -> Result<(), WrongBuild> {
    if figures.cluster.unwrap_or(true) == cluster {
        Ok(())
    } else {
        Err(WrongBuild {
            found: figures.cluster,
            expected: cluster,
        })
    }
}

/// The two builds' commands, as the text between a pair of backticks.
pub fn commands() -> String {
    format!(
        "{}` and `{}",
        memory_command(Switch::On),
        memory_command(Switch::Off)
    )
}

/// One row per figure that the feature changes: the whole counter, the
/// bare actor inside it, and its message port, whose first block of slots
/// grows; each in both builds, with the difference and the ratio.
pub fn table(on: Option<&MemoryFigures>, off: Option<&MemoryFigures>) -> Table {
    type Read = fn(&MemoryFigures) -> Option<f64>;
    let rows: [(&str, String, Read); 3] = [
        (
            "one idle ractor counter",
            format!("{} (memory table)", code(Design::Ractor.name())),
            |m| m.bytes_per_counter(Design::Ractor),
        ),
        (
            "a bare ractor actor inside it",
            code(Part::BareActor.name()),
            |m| m.part_bytes(Part::BareActor),
        ),
        (
            "its message port: an unbounded channel and its first block of slots",
            code(Part::Channel.name()),
            |m| m.part_bytes(Part::Channel),
        ),
    ];
    let bytes = |b: Option<f64>| b.map_or(MISSING.to_owned(), |b| format!("{b:.0}"));
    let rows = rows
        .into_iter()
        .map(|(what, how, read)| {
            let (on, off) = (on.and_then(read), off.and_then(read));
            let both = on.zip(off);
            vec![
                what.to_owned(),
                how,
                bytes(on),
                bytes(off),
                bytes(both.map(|(on, off)| on - off)),
                both.map_or(MISSING.to_owned(), |(on, off)| format::ratio(on / off)),
            ]
        })
        .collect();
    let header = [
        "Heap bytes of",
        "Measured as",
        "Cluster on",
        "Cluster off",
        "On − off",
        "On ÷ off",
    ];
    Table {
        text_columns: 2,
        header: header.map(str::to_owned).to_vec(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bench::memory::{DesignBytes, PartBytes};

    fn figures(cluster: Option<bool>, scale: f64) -> MemoryFigures {
        MemoryFigures {
            cluster,
            counters: 10,
            designs: vec![DesignBytes {
                design: Design::Ractor,
                bytes_per_counter: 8000.0 * scale,
            }],
            ractor_parts: vec![PartBytes {
                part: Part::Channel,
                bytes: 2000.0 * scale,
            }],
        }
    }

    /// Each row holds both builds, their difference and their ratio; a
    /// part that a file lacks is a dash, and so is what needs it.
    #[test]
    fn rows_hold_both_builds() {
        let (on, off) = (figures(Some(true), 1.5), figures(Some(false), 1.0));
        let table = table(Some(&on), Some(&off));
        assert_eq!(
            table.rows[0],
            [
                "one idle ractor counter",
                "`ractor` (memory table)",
                "12000",
                "8000",
                "4000",
                "1.50×"
            ]
        );
        assert_eq!(table.rows[1][2..], [MISSING; 4]);
        assert_eq!(table.rows[2][4], "1000");
        let alone = super::table(Some(&on), None);
        assert_eq!(alone.rows[0][2..], ["12000", MISSING, MISSING, MISSING]);
    }

    /// Each flag takes its own build's file only; an old file, which does
    /// not name its build, passes as the default build.
    #[test]
    fn a_file_of_the_other_build_is_refused() {
        assert!(check(&figures(Some(true), 1.0), true).is_ok());
        assert!(check(&figures(None, 1.0), true).is_ok());
        assert!(check(&figures(Some(false), 1.0), false).is_ok());
        let swapped = check(&figures(Some(true), 1.0), false).unwrap_err();
        assert_eq!(
            swapped.to_string(),
            "it comes from the build with ractor's `cluster` feature, and the flag takes \
             the build without ractor's `cluster` feature"
        );
        assert!(check(&figures(None, 1.0), false).is_err());
        assert!(check(&figures(Some(false), 1.0), true).is_err());
    }
}
