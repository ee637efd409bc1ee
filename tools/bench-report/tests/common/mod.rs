//! What the end-to-end tests share: a scratch directory, a fake criterion
//! tree in criterion 0.8's own layout, and the report binary run on it.
//!
//! Each test file uses some of these, so the rest would be dead code there.
#![allow(dead_code)]

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};
use tempfile::TempDir;

/// A fresh, empty directory for one test, removed when the test ends.
pub fn scratch() -> TempDir {
    tempfile::tempdir().expect("the temp dir is writable")
}

/// Writes `value` as JSON to `path`.
pub fn write_json(path: &Path, value: &Value) {
    fs::write(path, value.to_string()).unwrap();
}

/// Writes one benchmark's `new/benchmark.json` and `new/estimates.json`,
/// with the fields criterion 0.8.2 writes there (its `BenchmarkId` and
/// `Estimates`).
pub fn save(root: &Path, id: &str, mean_ns: f64, elements: Option<u64>) {
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
pub fn fake_criterion(root: &Path) {
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
    // Only the run with spans on: the table shows dashes for the other.
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

pub fn bench_report(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bench-report"))
        .args(args)
        .output()
        .expect("the bench-report binary runs")
}

/// The report run as `just bench-report` runs it, on the folders of `dir`:
/// results in `criterion/`, the programs' JSON in `programs/`, pages into
/// `docs/`; then `extra` flags.
pub fn report_in(dir: &Path, extra: &[&str]) -> Output {
    let folders = ["criterion", "docs", "programs"].map(|name| dir.join(name));
    let [criterion, out, programs] = folders.each_ref().map(|path| path.as_os_str());
    Command::new(env!("CARGO_BIN_EXE_bench-report"))
        .args(["--criterion".as_ref(), criterion, "--out".as_ref(), out])
        .args(["--programs".as_ref(), programs])
        .args(extra)
        .output()
        .expect("the bench-report binary runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Whether the SVG has a `<text>` element reading exactly `label`.
pub fn has_text(svg: &str, label: &str) -> bool {
    svg.contains(&format!(">\n{label}\n</text>"))
}

/// Runs the report with `flag` pointing at a file `name` holding
/// `contents`, and checks that it fails, names the file, says it `does not
/// hold` what it should, and writes nothing.
pub fn refuses_foreign_file(name: &str, contents: &str, what: &str) {
    let temp = scratch();
    let dir = temp.path();
    let criterion = dir.join("criterion");
    fake_criterion(&criterion);
    fs::write(program_file(dir, name), contents).unwrap();
    let out = dir.join("docs");
    let output = report_in(dir, &[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(&format!("does not hold {what}")),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("bench-{name}.json")), "{stderr}");
    assert!(!out.exists());
}

/// Where `just` leaves the JSON of the bench program `name` (`memory`,
/// `memory-no-cluster`, `scale`, `backlog`, `remote`), under `dir/programs`.
pub fn program_file(dir: &Path, name: &str) -> std::path::PathBuf {
    let programs = dir.join("programs");
    fs::create_dir_all(&programs).unwrap();
    programs.join(format!("bench-{name}.json"))
}
