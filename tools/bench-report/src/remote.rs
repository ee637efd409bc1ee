//! The figures of the `remote` binary: a node's counter in another process
//! against the same counter in the sender's, as a setup line, a table and a
//! sentence of ratios. Each names the machine the JSON says it ran on.

use bench::remote::{Kind, REMOTE_COMMAND, RemoteFigures, Side};

use crate::format::{self, MISSING};
use crate::tables::{Table, code, thousands};

/// What every figure shares, in one line.
pub fn setup(figures: &RemoteFigures) -> String {
    format!(
        "one `cluster::NodeCounter` in the sender's process (local) and one in a node in a \
         second process, over loopback TCP (remote); per round, each is sent {} increments \
         and then one call, then {} calls in turn; the median of {} rounds",
        count(figures.casts),
        count(figures.calls),
        figures.rounds.len(),
    )
}

/// One row per kind of message: the two medians and their ratio.
pub fn table(figures: &RemoteFigures) -> Table {
    let rows = Kind::ALL
        .into_iter()
        .map(|kind| {
            let what = match kind {
                Kind::Cast => format!("{} increments, then one call", count(figures.casts)),
                Kind::Call => format!("{} in turn", count(figures.calls)),
            };
            let median = |side| {
                figures
                    .median(side, kind)
                    .map_or(MISSING.to_owned(), format::duration)
            };
            vec![
                format!("{} ({what})", code(kind.name())),
                median(Side::Local),
                median(Side::Remote),
                figures
                    .ratio(kind)
                    .map_or(MISSING.to_owned(), format::ratio),
            ]
        })
        .collect();
    let header = [
        "Per message",
        "Local: one process",
        "Remote: over loopback",
        "Remote ÷ local",
    ];
    Table {
        text_columns: 1,
        header: header.map(str::to_owned).to_vec(),
        rows,
    }
}

/// Both ratios in a sentence, with the command and the machine.
pub fn ratio(figures: Option<&RemoteFigures>) -> String {
    let Some(figures) = figures else {
        return format!("remote against local: {MISSING}, not measured (`{REMOTE_COMMAND}`)");
    };
    let ratio = |kind| {
        figures
            .ratio(kind)
            .map_or(MISSING.to_owned(), format::ratio)
    };
    format!(
        "remote ÷ local: {} per cast, {} per call (medians of {} rounds; `{}`, on {})",
        ratio(Kind::Cast),
        ratio(Kind::Call),
        figures.rounds.len(),
        figures.command,
        figures.machine,
    )
}

/// `100000` as `100,000`.
fn count(n: u64) -> String {
    thousands(usize::try_from(n).unwrap_or(usize::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bench::machine::Machine;
    use bench::remote::{Costs, RemoteRound};

    fn figures() -> RemoteFigures {
        let round = |local: f64, remote: f64| RemoteRound {
            local: Costs {
                cast_ns: local,
                call_ns: local * 2.0,
            },
            remote: Costs {
                cast_ns: remote,
                call_ns: remote * 20.0,
            },
        };
        RemoteFigures {
            command: REMOTE_COMMAND.to_owned(),
            machine: Machine {
                cpu: "Test CPU".to_owned(),
                cores: Some(2),
                os: "linux".to_owned(),
                arch: "x86_64".to_owned(),
            },
            casts: 100_000,
            calls: 2_000,
            rounds: vec![
                round(500.0, 5000.0),
                round(400.0, 6000.0),
                round(600.0, 4000.0),
            ],
        }
    }

    /// Each kind is a row of medians, in human units, and their ratio.
    #[test]
    fn kinds_are_rows_of_medians() {
        let table = table(&figures());
        assert_eq!(
            table.rows[0],
            [
                "`cast` (100,000 increments, then one call)",
                "500 ns",
                "5.00 µs",
                "10.0×"
            ]
        );
        assert_eq!(table.rows[1][2], "100 µs");
        assert_eq!(table.rows[1][3], "100×");
    }

    /// The sentence names the command and the machine; without figures it
    /// says they were not measured.
    #[test]
    fn the_ratio_names_its_command_and_machine() {
        assert_eq!(
            ratio(Some(&figures())),
            "remote ÷ local: 10.0× per cast, 100× per call (medians of 3 rounds; \
             `cargo run --release -p bench --bin remote`, on Test CPU, 2 logical cores, linux x86_64)"
        );
        assert!(ratio(None).contains("not measured"));
        assert!(setup(&figures()).ends_with("the median of 3 rounds"));
    }
}
