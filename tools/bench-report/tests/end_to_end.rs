//! The `bench-report` binary, run on a fake criterion tree as `just
//! bench-report` runs it on a real one.
//!
//! The fixture writes criterion 0.8's two files for each benchmark, in
//! criterion's own layout, with round figures chosen so that some goals are
//! met, one is not, and one cannot be checked.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};
use tempfile::TempDir;

/// A fresh, empty directory for one test, removed when the test ends.
fn scratch() -> TempDir {
    tempfile::tempdir().expect("the temp dir is writable")
}

/// Writes `value` as JSON to `path`.
fn write_json(path: &Path, value: &Value) {
    fs::write(path, value.to_string()).unwrap();
}

/// Writes one benchmark's `new/benchmark.json` and `new/estimates.json`,
/// with the fields criterion 0.8.2 writes there (its `BenchmarkId` and
/// `Estimates`).
fn save(root: &Path, id: &str, mean_ns: f64, elements: Option<u64>) {
    let parts: Vec<&str> = id.split('/').collect();
    let benchmark = json!({
        "group_id": parts[0],
        "function_id": parts.get(1),
        "value_str": parts.get(2),
        "throughput": elements.map(|n| json!({ "Elements": n })),
        "full_id": id,
        "directory_name": id,
        "title": id,
    });
    let estimate = |point: f64| {
        json!({
            "confidence_interval": {
                "confidence_level": 0.95,
                "lower_bound": point * 0.99,
                "upper_bound": point * 1.01,
            },
            "point_estimate": point,
            "standard_error": point * 0.005,
        })
    };
    let estimates = json!({
        "mean": estimate(mean_ns),
        "median": estimate(mean_ns),
        "median_abs_dev": estimate(mean_ns * 0.01),
        "slope": null,
        "std_dev": estimate(mean_ns * 0.02),
    });
    let dir = root.join(id).join("new");
    fs::create_dir_all(&dir).unwrap();
    write_json(&dir.join("benchmark.json"), &benchmark);
    write_json(&dir.join("estimates.json"), &estimates);
}

/// A criterion tree with most benchmarks, a few gaps, one stranger and one
/// broken file.
fn fake_criterion(root: &Path) {
    const M: u64 = 1_000_000;
    let per_increment = |ns: f64| ns * 1e6;
    let counting: [(&str, &[f64]); 8] = [
        ("ractor", &[95.0, 130.0, 150.0, 160.0]),
        ("handrolled", &[60.0, 85.0, 100.0, 110.0]),
        ("mutex", &[18.0, 45.0, 60.0, 70.0]),
        ("atomic", &[6.0, 25.0, 30.0, 32.0]),
        ("atomic-naive", &[5.0, 20.0, 24.0, 26.0]),
        ("sharded", &[7.0, 9.0, 10.0, 11.0]),
        // No result at 8 producers: goal (a) cannot be checked there.
        ("bare-ractor", &[90.0, 120.0, 145.0]),
        ("raw-mpsc", &[40.0, 70.0, 80.0, 90.0]),
    ];
    for (function, figures) in counting {
        for (producers, ns) in [1, 2, 4, 8].iter().zip(figures) {
            let id = format!("counting/{function}/{producers}");
            save(root, &id, per_increment(*ns), Some(M));
        }
    }
    // The channel targets on one worker thread, which goal (b) reads from
    // 2 producers on.
    for (function, figures) in [
        ("handrolled", [50.0, 45.0, 46.0, 47.0]),
        ("raw-mpsc", [40.0, 36.0, 37.0, 38.0]),
    ] {
        for (producers, ns) in [1, 2, 4, 8].iter().zip(figures) {
            let id = format!("counting_one_worker/{function}/{producers}");
            save(root, &id, per_increment(ns), Some(M));
        }
    }
    save(root, "counting/plain-i64/1", per_increment(0.35), Some(M));
    save(
        root,
        "counting/uncontended-atomic/1",
        per_increment(4.8),
        Some(M),
    );
    for (batch, ns) in [("batch-1", 150.0), ("batch-16", 25.0), ("batch-256", 9.0)] {
        save(
            root,
            &format!("batching/{batch}/4"),
            per_increment(ns),
            Some(M),
        );
    }
    for (function, ns) in [
        ("ractor-call-in-runtime", 5_200.0),
        ("ractor-call-from-outside", 14_000.0),
        ("handrolled-call-in-runtime", 3_100.0),
        ("handrolled-call-from-outside", 11_000.0),
        ("mutex-read", 22.0),
        ("atomic-load", 1.1),
    ] {
        save(root, &format!("request_response/{function}"), ns, None);
    }
    let aggregation: [(&str, [f64; 3]); 4] = [
        ("sequential", [52e3, 510e3, 5.2e6]),
        ("concurrent", [18e3, 60e3, 210e3]),
        ("ractor-aggregate", [25e3, 80e3, 300e3]),
        ("mutex-aggregate", [0.3e3, 2.5e3, 24e3]),
    ];
    for (function, figures) in aggregation {
        for (counters, ns) in [10, 100, 1000].iter().zip(figures) {
            save(
                root,
                &format!("aggregation/{function}/{counters}"),
                ns,
                None,
            );
        }
    }
    // Over a 1 ms link each hop takes about 2 ms, so asking 1,000 counters
    // in turn takes about 2 s, and asking them all at once a few ms.
    let remote: [(&str, [f64; 3]); 2] = [
        ("sequential", [20.5e6, 204e6, 2.05e9]),
        ("concurrent", [2.1e6, 2.4e6, 4.1e6]),
    ];
    for (function, figures) in remote {
        for (counters, ns) in [10, 100, 1000].iter().zip(figures) {
            save(
                root,
                &format!("aggregation_remote/{function}/{counters}"),
                ns,
                Some(*counters),
            );
        }
    }
    for (design, ns) in [
        ("ractor", 45e6),
        ("handrolled", 12e6),
        ("mutex", 1.1e6),
        ("atomic", 0.9e6),
        ("atomic-naive", 0.85e6),
        ("sharded", 1.5e6),
    ] {
        save(root, &format!("spawn/{design}/10000"), ns, None);
    }
    // A hundred thousand increments per run, answered or not.
    let supervision: [(&str, [f64; 4]); 3] = [
        ("acknowledged", [1200.0, 900.0, 1000.0, 1400.0]),
        ("fire-and-forget", [600.0, 450.0, 500.0, 560.0]),
        ("unsupervised", [400.0, 300.0, 250.0, 280.0]),
    ];
    for (function, figures) in supervision {
        for (producers, ns) in [1, 2, 4, 8].iter().zip(figures) {
            save(
                root,
                &format!("supervision/{function}/{producers}"),
                ns * 1e5,
                Some(100_000),
            );
        }
    }
    // Only the run with spans on: the page must say the other is missing.
    save(
        root,
        "span_propagation/ractor/spans-on",
        per_increment(102.0),
        Some(M),
    );
    save(
        root,
        "span_propagation/bare-ractor/spans-on",
        per_increment(96.0),
        Some(M),
    );
    // Both builds of the cluster feature: a ratio.
    for (id, ns) in [
        ("cluster_feature/ractor/cluster-on", 105.0),
        ("cluster_feature/ractor/cluster-off", 100.0),
        ("cluster_feature/bare-ractor/cluster-on", 96.0),
        ("cluster_feature/bare-ractor/cluster-off", 96.0),
    ] {
        save(root, id, per_increment(ns), Some(M));
    }
    // A benchmark the report does not know.
    save(root, "experiments/ring/64", 3.2e6, None);
    // A half-written result.
    let broken = root.join("broken/new");
    fs::create_dir_all(&broken).unwrap();
    fs::write(broken.join("benchmark.json"), "{").unwrap();
}

fn bench_report(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bench-report"))
        .args(args)
        .output()
        .expect("the bench-report binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Whether the SVG has a `<text>` element reading exactly `label`.
fn has_text(svg: &str, label: &str) -> bool {
    svg.contains(&format!(">\n{label}\n</text>"))
}

/// A full run writes the four results pages with every goal line (met,
/// not met, not measured), every section and command, the memory and
/// scale tables, the figures the chapters include, and the charts with
/// their labels; a broken result is a warning, not a failure.
#[test]
fn writes_the_pages_and_charts_from_a_criterion_tree() {
    let temp = scratch();
    let dir = temp.path();
    let criterion = dir.join("criterion");
    let out = dir.join("docs");
    fake_criterion(&criterion);
    let memory = dir.join("memory.json");
    let memory_json = json!({
        "counters": 500,
        "designs": [
            { "design": "ractor", "bytes_per_counter": 7723.4 },
            { "design": "mutex", "bytes_per_counter": 32.0 },
        ],
        "ractor_parts": [
            { "part": "tokio-task", "bytes": 150.0 },
            { "part": "counter-actor", "bytes": 7500.0 },
        ],
    });
    write_json(&memory, &memory_json);
    let scale = dir.join("scale.json");
    let ractor = json!({
        "phases": { "start": 20.0, "feed": 20.0, "collect": 4.0, "drain": 4.0 },
        "memory": { "before": 4_000_000, "peak": 8_804_000_000_u64 },
        "total_value": 1_000_001_000_000_u64, "total_operations": 10_000_000, "exact": true,
    });
    let scale_json = json!({
        "command": "cargo run --release -p bench --bin scale", "ops_per_client": 10,
        "interval_ms": 1,
        "runs": [
            { "design": "ractor", "counters": 1_000_000, "outcome": { "ran": ractor } },
            {
                "design": "mutex", "counters": 1_000_000,
                "outcome": { "skipped": { "reason": "no room" } },
            },
        ],
    });
    write_json(&scale, &scale_json);

    let output = bench_report(&[
        "--criterion".as_ref(),
        &criterion,
        "--out".as_ref(),
        &out,
        "--memory".as_ref(),
        &memory,
        "--scale".as_ref(),
        &scale,
        "--date=2025-06-30".as_ref(),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("warning: skipped "));
    assert!(text(&output.stderr).contains("broken"));
    assert!(text(&output.stdout).contains("93 results read from"));

    let read = |page: &str| fs::read_to_string(out.join(page)).unwrap();
    let overview = read("bench-results.md");
    let throughput = read("bench-results-throughput.md");
    let costs = read("bench-results-costs.md");
    let counters = read("bench-results-counters.md");
    for (name, page) in [
        ("bench-results.md", &overview),
        ("bench-results-throughput.md", &throughput),
        ("bench-results-costs.md", &costs),
        ("bench-results-counters.md", &counters),
    ] {
        // Each page has the book's shape and says it is generated.
        let opening: Vec<&str> = page.lines().take(8).collect();
        assert!(
            opening
                .iter()
                .any(|l| l.starts_with("> **The question:** ")),
            "{name} does not open with its question"
        );
        let last = page.lines().rfind(|l| l.starts_with("## "));
        assert_eq!(last, Some("## What to try"), "{name} ends otherwise");
        assert!(
            page.contains("Date: 2025-06-30 (UTC)."),
            "{name} has no date"
        );
        assert!(
            page.contains(
                "Generated by `just bench-report` from the results of `just bench`. \
                 Do not edit by hand."
            ),
            "{name} does not say it is generated"
        );
        // Every link to a results page or a chart names a file the run wrote.
        for link in page.split("](").skip(1).filter_map(|l| l.split(')').next()) {
            let file = link.split('#').next().unwrap();
            if file.starts_with("bench-results") || file.starts_with("img/") {
                assert!(out.join(file).is_file(), "{name} links {link}, not written");
            }
        }
    }

    let expect = |name: &str, page: &str, lines: &[&str]| {
        for line in lines {
            assert!(page.contains(line), "{name} lacks {line:?}:\n{page}");
        }
    };
    expect(
        "the overview",
        &overview,
        &[
            "# Results\n",
            "Checks: 8 met, 1 not met, 1 not measured (of 10).",
            "- 1 producer: `counting/ractor/1` ÷ `counting/bare-ractor/1` = 1.06× (goal ≤ 1.1×): **met**",
            "- 8 producers: `counting/ractor/8` ÷ `counting/bare-ractor/8`: **not measured**, \
             no result for `counting/bare-ractor/8` (goal ≤ 1.1×)",
            "- 1 producer: `counting/handrolled/1` ÷ `counting/raw-mpsc/1` = 1.50× (goal ≤ 1.3×): **not met**",
            "- 2 producers: `counting_one_worker/handrolled/2` ÷ `counting_one_worker/raw-mpsc/2` = 1.25× (goal ≤ 1.3×): **met**",
            "- 4 producers: `batching/batch-256/4` ÷ `counting/mutex/4` = 0.150× (goal ≤ 3×): **met**",
            "- 1000 counters: `aggregation/sequential/1000` ÷ `aggregation/concurrent/1000` = 24.8× \
             (goal ≥ 20×): **met**\n\n\
             For comparison, over a 1 ms link: `aggregation_remote/sequential/1000` ÷ \
             `aggregation_remote/concurrent/1000` = 500× (not a goal; see \
             [What a question and a round cost](costs.md#aggregation-asking-many-counters) for why the two differ).\n\n\
             Command: `cargo bench -p bench --bench aggregation -- aggregation/`",
            "](bench-results-throughput.md)",
            "](bench-results-costs.md)",
            "](bench-results-counters.md)",
            "| `experiments/ring/64` | 3.20 ms | – |",
        ],
    );
    expect(
        "the throughput page",
        &throughput,
        &[
            "| `ractor` | 95.0 ± 1.0 | 130 ± 1 | 150 ± 2 | 160 ± 2 |",
            "| `bare-ractor` (floor) | 90.0 ± 0.9 | 120 ± 1 | 145 ± 1 | – |",
            "![Counting throughput",
            "](img/bench-counting.svg)",
            "](img/bench-batching.svg)",
            "Command: `cargo bench -p bench --bench counting -- counting/`",
            "The run with spans off is missing, so there is no ratio.",
            "Command: `cargo bench -p bench --no-default-features --features cluster --bench counting -- span_propagation/` (spans off)",
            "\n## The cluster feature\n",
            "| `ractor` | 105 ± 1 | 100 ± 1 | 1.05× |",
            "Command: `cargo bench -p bench --no-default-features --features span-propagation --bench counting -- cluster_feature/` (cluster off)",
        ],
    );
    expect(
        "the questions-and-rounds page",
        &costs,
        &[
            "](img/bench-aggregation.svg)",
            "Command: `cargo bench -p bench --bench request_response -- request_response/`",
            "Command: `cargo bench -p bench --bench aggregation -- aggregation/`",
            "\n## Acknowledged delivery\n",
            "| `fire-and-forget` | supervised: a numbered cast, checkpointed \
             | 600 ± 6 | 450 ± 4 | 500 ± 5 | 560 ± 6 |",
            "| `acknowledged` ÷ `fire-and-forget` | waiting for each answer \
             | 2.00× | 2.00× | 2.00× | 2.50× |",
            "Command: `cargo bench -p bench --bench supervision -- supervision/`",
            "\n## Aggregation over a slow link\n",
            "| `sequential` | the article's: ask each counter in turn | 20.5 ± 0.2 | 204 ± 2 | 2050 ± 20 |",
            "| `concurrent` | ours: ask every counter at once | 2.10 ± 0.02 | 2.40 ± 0.02 | 4.10 ± 0.04 |",
            "| 1000 | 500× |",
            "Command: `cargo bench -p bench --bench aggregation -- aggregation_remote/`",
        ],
    );
    expect(
        "the counters page",
        &counters,
        &[
            "Command: `cargo bench -p bench --bench spawn -- spawn/`",
            "N = 500 counters per design.",
            "| **one idle ractor counter** | `ractor` (memory table) | 7723 |",
            "\n## Scale\n",
            "1,000,000 ractor counters: 48.0 s from start to drain, exact (goal: under 60 s): met\n\n\
             Command: `cargo run --release -p bench --bin scale`",
            "| `ractor` | 7723 |\n| `handrolled` | – |\n| `mutex` | 32 |",
            "Command: `cargo run --release -p bench --bin memory`",
        ],
    );

    // The figures the chapters include: one line per benchmark, tables with
    // their commands, goal verdicts, and the memory figures.
    let figures = fs::read_to_string(out.join("bench-figures.txt")).unwrap();
    for part in [
        "<!-- ANCHOR: counting_ractor_1 -->\n95.0 ns\n<!-- ANCHOR_END: counting_ractor_1 -->",
        "<!-- ANCHOR: counting_bare-ractor_8 -->\n–\n<!-- ANCHOR_END: counting_bare-ractor_8 -->",
        "<!-- ANCHOR: aggregation_remote_sequential_1000 -->\n2.05 s\n",
        "<!-- ANCHOR: goal_b_1 -->\n1.50×\n<!-- ANCHOR_END: goal_b_1 -->",
        "<!-- ANCHOR: goal_b_1_verdict -->\nnot met\n",
        "<!-- ANCHOR: goal_d_link -->\n500×\n",
        "<!-- ANCHOR: memory_ractor -->\n7723 bytes\n",
        "<!-- ANCHOR: memory_counters -->\n500\n",
        "<!-- ANCHOR: machine -->\n",
        "| `concurrent` | ours: ask every counter at once | 4.10 ± 0.04 |\n\n\
         Command: `cargo bench -p bench --bench aggregation -- aggregation_remote/`\n\
         <!-- ANCHOR_END: aggregation_remote_1000 -->",
        "| `mutex` | 0.110 | 32 |",
        "<!-- ANCHOR: supervision_unsupervised_4 -->\n250 ns\n",
        "| `fire-and-forget` ÷ `unsupervised` | numbers and checkpoints \
         | 1.50× | 1.50× | 2.00× | 2.00× |\n\n\
         Command: `cargo bench -p bench --bench supervision -- supervision/`\n\
         <!-- ANCHOR_END: supervision_ratio -->",
        "<!-- ANCHOR: supervision_ratio_acknowledged_8 -->\n2.50×\n",
        "<!-- ANCHOR: cluster_feature_ratio_ractor -->\n1.05×\n",
        "<!-- ANCHOR: cluster_feature_ratio -->\ncluster on ÷ off: 1.05× for `ractor`, 1.00× for \
         `bare-ractor`, in ns per increment with one producer (`cargo bench -p bench --bench \
         counting -- cluster_feature/` and `cargo bench -p bench --no-default-features --features \
         span-propagation --bench counting -- cluster_feature/`, on ",
        "<!-- ANCHOR: cluster_feature_bare-ractor_cluster-off -->\n96.0 ns\n",
        "<!-- ANCHOR: remote_ratio -->\nremote against local: –, not measured \
         (`cargo run --release -p bench --bin remote`)\n",
        "<!-- ANCHOR: supervision_ratio_fire-and-forget_1 -->\n1.50×\n",
        "| `ractor` | 1,000,000 | 20.0 | 20.0 | 4.00 | 4.00 | 48.0 | 8.80 GB | 8800 | yes |\n\
         | `mutex` | 1,000,000 | – | – | – | – | – | – | – | skipped: no room |\n\n\
         Command: `cargo run --release -p bench --bin scale`, on ",
        "<!-- ANCHOR: scale_goal -->\n1,000,000 ractor counters: 48.0 s from start to drain, \
         exact (goal: under 60 s): met (`cargo run --release -p bench --bin scale`, on ",
        "| a tokio task | `tokio-task` | 150 |",
        "| its share of the system: registry entry, handles | `ractor` − `counter-actor` | 223 |",
        "| two oneshot ports: signal, stop | 2 × `oneshot` | – |",
        "Command: `cargo run --release -p bench --bin memory`, on ",
    ] {
        assert!(
            figures.contains(part),
            "the figures lack {part:?}:\n{figures}"
        );
    }
    assert!(!figures.contains("experiments"));

    let counting = fs::read_to_string(out.join("img/bench-counting.svg")).unwrap();
    assert!(counting.contains("<svg"));
    for label in [
        "producers",
        "million increments per second (log scale)",
        "ractor",
        "raw-mpsc (floor)",
    ] {
        assert!(
            has_text(&counting, label),
            "no {label:?} in the counting chart"
        );
    }
    let aggregation = fs::read_to_string(out.join("img/bench-aggregation.svg")).unwrap();
    assert!(aggregation.contains("<svg"));
    for label in [
        "counters",
        "µs per round (log scale)",
        "sequential",
        "concurrent",
    ] {
        assert!(
            has_text(&aggregation, label),
            "no {label:?} in the aggregation chart"
        );
    }
    assert!(out.join("img/bench-batching.svg").is_file());

    // The slow-link section sits right after the aggregation section, and
    // its results are not left over for "Other measurements", though the
    // overview that lists those comes before the page that shows them.
    let section = |heading: &str| costs.find(&format!("\n## {heading}\n")).unwrap();
    assert!(section("Aggregation") < section("Aggregation over a slow link"));
    assert!(section("Aggregation over a slow link") < section("What to try"));
    let other = overview.split("\n## Other measurements\n").nth(1).unwrap();
    assert!(!other.contains("aggregation_remote"));
    assert!(!other.contains("spawn/"));
    assert!(!other.contains("supervision/"));
    // The comparison under goal (d) is not a check: still 10 of them.
    assert!(overview.contains("(of 10)."));
    for label in ["sequential, 1 ms link", "concurrent, 1 ms link"] {
        assert!(
            has_text(&aggregation, label),
            "no {label:?} in the aggregation chart"
        );
    }
}

/// With no results at all, nothing is written: pages of dashes would
/// replace the committed results. The error says what to run.
#[test]
fn no_results_write_nothing() {
    let temp = scratch();
    let dir = temp.path();
    let out = dir.join("docs");
    let output = bench_report(&[
        "--criterion".as_ref(),
        &dir.join("nothing-here"),
        "--out".as_ref(),
        &out,
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("run `just bench` first"));
    assert!(!out.exists());
}

/// A criterion directory that holds no result (here, only a broken one)
/// leaves the pages already written as they were, byte for byte.
#[test]
fn no_results_keep_the_committed_page() {
    let temp = scratch();
    let dir = temp.path();
    let criterion = dir.join("criterion");
    let broken = criterion.join("broken/new");
    fs::create_dir_all(&broken).unwrap();
    fs::write(broken.join("benchmark.json"), "{").unwrap();
    let out = dir.join("docs");
    fs::create_dir_all(&out).unwrap();
    let page = out.join("bench-results.md");
    fs::write(&page, "# Results\n\nThe committed figures.\n").unwrap();
    let output = bench_report(&["--criterion".as_ref(), &criterion, "--out".as_ref(), &out]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("no benchmark results in"));
    let kept = fs::read_to_string(&page).unwrap();
    assert_eq!(kept, "# Results\n\nThe committed figures.\n");
    assert_eq!(fs::read_dir(&out).unwrap().count(), 1);
}

/// A command line it cannot follow gets the usage and exit code 2.
#[test]
fn a_bad_flag_is_a_usage_error() {
    let output = bench_report(&["--outdir".as_ref()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.starts_with("error: unexpected argument '--outdir'"));
    assert!(stderr.contains("Usage: bench-report"));
}

/// A flag without its value is a usage error too, and names the flag.
#[test]
fn a_flag_without_its_value_is_a_usage_error() {
    let output = bench_report(&["--out".as_ref()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.starts_with("error: a value is required for '--out <DIR>'"));
}

/// A memory file that is not the memory binary's JSON (here, the old human
/// table) stops the report before it writes anything, and says which file.
#[test]
fn a_foreign_memory_file_writes_nothing() {
    let table = "design         bytes/counter\nractor                  7700\n";
    refuses_foreign_file(
        "--memory",
        "memory.txt",
        table,
        "the memory binary's figures",
    );
}

/// Memory figures given for the wrong build (here, the default build's as
/// the build without ractor's `cluster` feature) stop the report before it
/// writes anything.
#[test]
fn a_memory_file_of_the_other_build_writes_nothing() {
    let json = r#"{"cluster": true, "counters": 10, "designs": []}"#;
    refuses_foreign_file(
        "--memory-without-cluster",
        "memory.json",
        json,
        "the memory figures of the build its flag takes",
    );
}

/// With the memory figures of both builds, the figures hold a table of an
/// idle ractor counter and of the parts that grow with ractor's `cluster`
/// feature, in both builds, with both commands and the machine.
#[test]
fn writes_the_cluster_memory_figures() {
    let temp = scratch();
    let dir = temp.path();
    let criterion = dir.join("criterion");
    fake_criterion(&criterion);
    let json = |cluster: bool, counter: f64, actor: f64, port: f64| {
        json!({
            "cluster": cluster,
            "counters": 500,
            "designs": [{ "design": "ractor", "bytes_per_counter": counter }],
            "ractor_parts": [
                { "part": "unbounded-channel", "bytes": port },
                { "part": "bare-actor", "bytes": actor },
            ],
        })
    };
    let (on, off) = (dir.join("on.json"), dir.join("off.json"));
    write_json(&on, &json(true, 11624.0, 11256.0, 5408.0));
    write_json(&off, &json(false, 7889.0, 7521.0, 2336.0));
    let out = dir.join("docs");
    let output = bench_report(&[
        "--criterion".as_ref(),
        &criterion,
        "--out".as_ref(),
        &out,
        "--memory".as_ref(),
        &on,
        "--memory-without-cluster".as_ref(),
        &off,
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let figures = fs::read_to_string(out.join("bench-figures.txt")).unwrap();
    let expected = "<!-- ANCHOR: cluster_memory -->\n\
        | Heap bytes of | Measured as | Cluster on | Cluster off | On − off | On ÷ off |\n\
        | :--- | :--- | ---: | ---: | ---: | ---: |\n\
        | one idle ractor counter | `ractor` (memory table) | 11624 | 7889 | 3735 | 1.47× |\n\
        | a bare ractor actor inside it | `bare-actor` | 11256 | 7521 | 3735 | 1.50× |\n\
        | its message port: an unbounded channel and its first block of slots | \
        `unbounded-channel` | 5408 | 2336 | 3072 | 2.32× |\n\n\
        Command: `cargo run --release -p bench --bin memory` and `cargo run --release -p bench \
        --no-default-features --features span-propagation --bin memory`, on ";
    assert!(
        figures.contains(expected),
        "the figures lack {expected:?}:\n{figures}"
    );
}

/// A scale file that is not the scale binary's JSON stops the report
/// before it writes anything, and says which file.
#[test]
fn a_foreign_scale_file_writes_nothing() {
    let json = r#"{"runs": "ractor, 55 s"}"#;
    refuses_foreign_file("--scale", "scale.json", json, "the scale binary's figures");
}

/// A backlog file that is not the backlog binary's JSON (here, a mailbox
/// policy it does not know) stops the report before it writes anything.
#[test]
fn a_foreign_backlog_file_writes_nothing() {
    let json = r#"{"command": "backlog", "design": "ractor", "counters": 4, "ops_per_client": 2,
        "interval_ms": 1, "work_ms": 5, "sample_ms": 25, "runs": [{"mailbox": "drop-middle:64"}]}"#;
    refuses_foreign_file(
        "--backlog",
        "backlog.json",
        json,
        "the backlog binary's figures",
    );
}

/// With a backlog file, the figures hold its table and ratio, and the
/// chart has both panels, each with a line per mailbox in its legend.
#[test]
fn writes_the_backlog_figures_and_chart() {
    let temp = scratch();
    let dir = temp.path();
    let criterion = dir.join("criterion");
    fake_criterion(&criterion);
    let run = |mailbox: &str, heap: u64| {
        json!({
            "mailbox": mailbox, "peak_depth": 64, "peak_total_depth": 256,
            "peak_heap_bytes": heap, "sent": 8, "refused": 0, "undelivered": 0, "dropped": 0,
            "rerouted": 0, "applied": 8, "rejected": 0, "balances": true,
            "producers_done_ms": 8, "drained_ms": 40,
            "samples": [
                { "ms": 0, "depth": 0, "heap_bytes": 0 },
                { "ms": 25, "depth": 9, "heap_bytes": heap },
            ],
        })
    };
    let backlog = dir.join("backlog.json");
    let json = json!({
        "command": "cargo run --release -p bench --bin backlog", "design": "ractor",
        "counters": 4, "ops_per_client": 2, "interval_ms": 1, "work_ms": 5, "sample_ms": 25,
        "runs": [run("unbounded", 500_000), run("block:64", 50_000)],
    });
    write_json(&backlog, &json);
    let out = dir.join("docs");
    let output = bench_report(&[
        "--criterion".as_ref(),
        &criterion,
        "--out".as_ref(),
        &out,
        "--backlog".as_ref(),
        &backlog,
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let figures = fs::read_to_string(out.join("bench-figures.txt")).unwrap();
    assert!(figures.contains("| `block:64` | 64 | 50.0 kB | 0 | 0 | 0 | 8 | 8 | 40 |"));
    assert!(figures.contains("unbounded peaked at 500 kB of heap, 10.0× the 50.0 kB"));
    let svg = fs::read_to_string(out.join("img/bench-backlog.svg")).unwrap();
    for label in [
        "heap (kB)",
        "operations waiting, all mailboxes",
        "block:64",
        "unbounded",
    ] {
        assert!(has_text(&svg, label), "no {label} in the chart");
    }
}

/// A remote file that is not the remote binary's JSON (here, without the
/// machine it ran on) stops the report before it writes anything.
#[test]
fn a_foreign_remote_file_writes_nothing() {
    let json = r#"{"command": "remote", "casts": 10, "calls": 2, "rounds": []}"#;
    refuses_foreign_file(
        "--remote",
        "remote.json",
        json,
        "the remote binary's figures",
    );
}

/// With a remote file, the figures hold its setup, its table of medians
/// and its ratios, with its command and the machine the file names.
#[test]
fn writes_the_remote_figures() {
    let temp = scratch();
    let dir = temp.path();
    let criterion = dir.join("criterion");
    fake_criterion(&criterion);
    let round = |local: f64, remote: f64| {
        json!({
            "local": { "cast_ns": local, "call_ns": local * 2.0 },
            "remote": { "cast_ns": remote, "call_ns": remote * 30.0 },
        })
    };
    let remote = dir.join("remote.json");
    let json = json!({
        "command": "cargo run --release -p bench --bin remote -- --rounds 3",
        "machine": { "cpu": "Remote CPU", "cores": 4, "os": "linux", "arch": "aarch64" },
        "casts": 100000, "calls": 2000,
        "rounds": [round(500.0, 5000.0), round(450.0, 5500.0), round(550.0, 4500.0)],
    });
    write_json(&remote, &json);
    let out = dir.join("docs");
    let output = bench_report(&[
        "--criterion".as_ref(),
        &criterion,
        "--out".as_ref(),
        &out,
        "--remote".as_ref(),
        &remote,
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let figures = fs::read_to_string(out.join("bench-figures.txt")).unwrap();
    for part in [
        "| `cast` (100,000 increments, then one call) | 500 ns | 5.00 µs | 10.0× |",
        "| `call` (2,000 in turn) | 1.00 µs | 150 µs | 150× |\n\n\
         Command: `cargo run --release -p bench --bin remote -- --rounds 3`, on Remote CPU, \
         4 logical cores, linux aarch64.\n<!-- ANCHOR_END: remote_table -->",
        "<!-- ANCHOR: remote_ratio -->\nremote ÷ local: 10.0× per cast, 150× per call \
         (medians of 3 rounds; `cargo run --release -p bench --bin remote -- --rounds 3`, \
         on Remote CPU, 4 logical cores, linux aarch64)\n",
        "<!-- ANCHOR: remote_setup -->\none `cluster::NodeCounter` in the sender's process",
    ] {
        assert!(
            figures.contains(part),
            "the figures lack {part:?}:\n{figures}"
        );
    }
}

/// Runs the report with `flag` pointing at a file `name` holding
/// `contents`, and checks that it fails, names the file, says it `does not
/// hold` what it should, and writes nothing.
fn refuses_foreign_file(flag: &str, name: &str, contents: &str, what: &str) {
    let temp = scratch();
    let dir = temp.path();
    let criterion = dir.join("criterion");
    fake_criterion(&criterion);
    let file = dir.join(name);
    fs::write(&file, contents).unwrap();
    let out = dir.join("docs");
    let output = bench_report(&[
        "--criterion".as_ref(),
        &criterion,
        "--out".as_ref(),
        &out,
        flag.as_ref(),
        &file,
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(&format!("does not hold {what}")),
        "{stderr}"
    );
    assert!(stderr.contains(name), "{stderr}");
    assert!(!out.exists());
}
