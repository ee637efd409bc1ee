use super::*;
use crate::results::tests::measurement;
use actors_core::Mailbox;
use bench::backlog::{MAILBOXES, PolicyRun};

/// Counting lines need two producer counts: `plain-i64`, measured at one
/// producer only, gets no line. Throughput is 1000 ÷ ns per increment,
/// and a floor's line is dashed.
#[test]
fn counting_draws_lines_with_several_points() {
    let results: Results = [
        measurement("counting/mutex/1", 20_000_000.0, Some(INCREMENTS)),
        measurement("counting/mutex/2", 40_000_000.0, Some(INCREMENTS)),
        measurement("counting/raw-mpsc/1", 40_000_000.0, Some(INCREMENTS)),
        measurement("counting/raw-mpsc/8", 80_000_000.0, Some(INCREMENTS)),
        measurement("counting/plain-i64/1", 300_000.0, Some(INCREMENTS)),
    ]
    .into_iter()
    .collect();
    let lines = counting(&results).lines;
    let labels: Vec<&str> = lines.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(labels, ["mutex", "raw-mpsc (floor)"]);
    assert_eq!(lines[0].points, [(1.0, 50.0), (2.0, 25.0)]);
    assert_eq!((lines[0].dashed, lines[1].dashed), (false, true));
    assert_eq!(
        lines[0].colour,
        target_colour(TargetKind::Design(Design::Mutex))
    );
}

/// Over a slow link, each collection gets a dashed line in its local
/// line's colour, in µs like the local ones.
#[test]
fn aggregation_pairs_slow_link_lines_with_local_ones() {
    let results: Results = [
        measurement("aggregation/sequential/10", 50_000.0, None),
        measurement("aggregation/sequential/1000", 5_000_000.0, None),
        measurement("aggregation/mutex-aggregate/10", 300.0, None),
        measurement("aggregation_remote/sequential/10", 20_000_000.0, None),
        measurement("aggregation_remote/sequential/1000", 2_000_000_000.0, None),
        measurement("aggregation_remote/concurrent/1000", 4_000_000.0, None),
    ]
    .into_iter()
    .collect();
    let lines = aggregation(&results).lines;
    let labels: Vec<&str> = lines.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "sequential",
            "mutex-aggregate",
            "sequential, 1 ms link",
            "concurrent, 1 ms link"
        ]
    );
    let (local, remote) = (&lines[0], &lines[2]);
    assert_eq!(local.colour, remote.colour);
    assert_eq!((local.dashed, remote.dashed), (false, true));
    assert_eq!(remote.points, [(10.0, 20_000.0), (1000.0, 2_000_000.0)]);
    assert_eq!(lines[3].colour, colour(Some(1)));
}

fn run(mailbox: Mailbox, heap: [i64; 3]) -> PolicyRun {
    PolicyRun {
        mailbox,
        peak_depth: 64,
        peak_total_depth: 256,
        peak_heap_bytes: heap.into_iter().max().unwrap_or(0),
        sent: 8000,
        refused: 0,
        undelivered: 0,
        dropped: 0,
        rerouted: 0,
        applied: 8000,
        rejected: 0,
        balances: true,
        producers_done_ms: 1999,
        drained_ms: 10_000,
        samples: (0..3)
            .map(|i| Sample {
                ms: i * 25,
                depth: 10 * i as usize,
                heap_bytes: heap[i as usize],
            })
            .collect(),
    }
}

/// Both backlog panels have a line per mailbox in the same colour; a
/// line on top of an earlier one is dashed and names the policy it
/// repeats.
#[test]
fn identical_backlog_lines_are_dashed_and_named() {
    let figures = BacklogFigures {
        command: "cargo run --release -p bench --bin backlog".to_owned(),
        design: Design::Ractor,
        counters: 4,
        ops_per_client: 2000,
        interval_ms: 1,
        work_ms: 5,
        sample_ms: 25,
        runs: vec![
            run(MAILBOXES[0], [0, 400_000, 800_000]),
            run(MAILBOXES[3], [0, 90_000, 100_000]),
            run(MAILBOXES[4], [0, 90_000, 100_000]),
        ],
    };
    let [depth, heap] = <[Chart; 2]>::try_from(backlog_panels(&figures)).unwrap();
    assert_eq!(heap.y_desc, "heap (kB)");
    assert_eq!(heap.lines[0].points[2], (0.05, 800.0));
    assert_eq!(depth.lines[2].label, "drop-oldest:64 (= unbounded)");
    assert_eq!(heap.lines[2].label, "drop-oldest:64 (= drop-newest)");
    assert_eq!((heap.lines[1].dashed, heap.lines[2].dashed), (false, true));
    assert_eq!(depth.lines[1].colour, heap.lines[1].colour);
}

/// Three charts without the backlog's figures, their text in the SVG
/// for the browser to set; a chart with no results is still drawn.
#[test]
fn every_chart_is_drawn_with_its_text() {
    let results: Results = [
        measurement("aggregation/sequential/10", 100_000.0, None),
        measurement("aggregation/sequential/1000", 10_000_000.0, None),
    ]
    .into_iter()
    .collect();
    let charts = render_all(&results, None).unwrap();
    let paths: Vec<&str> = charts.iter().map(|(path, _)| *path).collect();
    assert_eq!(
        paths,
        [
            "img/bench-counting.svg",
            "img/bench-aggregation.svg",
            "img/bench-batching.svg"
        ]
    );
    let has_text = |svg: &str, text: &str| svg.contains(&format!(">\n{text}\n</text>"));
    let svg = &charts[1].1;
    assert!(svg.starts_with("<svg width=\"800\" height=\"480\""));
    for text in [
        "Aggregation: one collection round",
        "µs per round (log scale)",
        "sequential",
        "1000",
        "5000",
    ] {
        assert!(has_text(svg, text), "no {text} in the SVG");
    }
    // A chart with no results is drawn anyway, empty.
    assert!(has_text(&charts[0].1, "Counting: throughput by producers"));
}
