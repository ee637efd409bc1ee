use std::path::Path;

use super::*;

/// `benchmark.json` exactly as criterion 0.8.2 writes it
/// (`serde_json::to_string` of its `BenchmarkId`: one line, fields in
/// declaration order).
pub(crate) fn benchmark_json(group: &str, function: &str, value: Option<&str>) -> String {
    let id = [Some(group), Some(function), value]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("/");
    let value_json = value.map_or("null".to_owned(), |v| format!("\"{v}\""));
    format!(
        "{{\"group_id\":\"{group}\",\"function_id\":\"{function}\",\"value_str\":{value_json},\
         \"throughput\":{{\"Elements\":1000000}},\"full_id\":\"{id}\",\
         \"directory_name\":\"{id}\",\"title\":\"{id}\"}}"
    )
}

/// `estimates.json` exactly as criterion 0.8.2 writes it, with a mean of
/// `mean_ns` and a confidence interval of ±1 %. Flat sampling leaves the
/// slope `null`.
pub(crate) fn estimates_json(mean_ns: f64) -> String {
    let estimate = |point: f64| {
        format!(
            "{{\"confidence_interval\":{{\"confidence_level\":0.95,\
             \"lower_bound\":{:?},\"upper_bound\":{:?}}},\
             \"point_estimate\":{point:?},\"standard_error\":{:?}}}",
            point * 0.99,
            point * 1.01,
            point * 0.005
        )
    };
    format!(
        "{{\"mean\":{},\"median\":{},\"median_abs_dev\":{},\"slope\":null,\"std_dev\":{}}}",
        estimate(mean_ns),
        estimate(mean_ns * 0.98),
        estimate(mean_ns * 0.01),
        estimate(mean_ns * 0.02)
    )
}

/// A result in the shape `Measurement::parse` makes, for other tests.
pub(crate) fn measurement(id: &str, mean_ns: f64, elements: Option<u64>) -> Measurement {
    Measurement {
        id: id.to_owned(),
        elements,
        mean: Figure {
            value: mean_ns,
            low: mean_ns * 0.99,
            high: mean_ns * 1.01,
        },
    }
}

/// A pair of files in criterion's exact format reads into one result:
/// the ID rebuilt from its parts, the throughput, and the mean.
#[test]
fn parses_criterion_files() {
    let measurement = Measurement::parse(
        &benchmark_json("counting", "ractor", Some("4")),
        &estimates_json(45_000_000.0),
    )
    .unwrap();
    assert_eq!(measurement.id, "counting/ractor/4");
    assert_eq!(measurement.elements, Some(1_000_000));
    assert_eq!(measurement.mean.value, 45_000_000.0);
    let per_increment = measurement.per_element(1);
    assert!((per_increment.value - 45.0).abs() < 1e-9);
    assert!((per_increment.high - per_increment.low - 0.9).abs() < 1e-9);
}

/// A benchmark with no parameter has `"value_str":null`, no throughput,
/// and an ID of two parts; a slope, when present, reads too.
#[test]
fn parses_ids_without_a_value() {
    let benchmark = r#"{"group_id":"request_response","function_id":"atomic-load","value_str":null,"throughput":null,"full_id":"request_response/atomic-load","directory_name":"request_response/atomic-load","title":"request_response/atomic-load"}"#;
    let estimates = estimates_json(2.5).replace(
        "\"slope\":null",
        "\"slope\":{\"confidence_interval\":{\"confidence_level\":0.95,\"lower_bound\":2.4,\"upper_bound\":2.6},\"point_estimate\":2.5,\"standard_error\":0.01}",
    );
    let measurement = Measurement::parse(benchmark, &estimates).unwrap();
    assert_eq!(measurement.id, "request_response/atomic-load");
    assert_eq!(measurement.elements, None);
    assert_eq!(measurement.per_element(1).value, 2.5);
}

/// Every shape of criterion's throughput reads, and only elements count
/// as elements.
#[test]
fn parses_every_throughput() {
    let elements = |throughput: &str| {
        let benchmark =
            benchmark_json("g", "f", None).replace(r#"{"Elements":1000000}"#, throughput);
        Measurement::parse(&benchmark, &estimates_json(1.0))
            .unwrap()
            .elements
    };
    assert_eq!(elements(r#"{"Bytes":64}"#), None);
    assert_eq!(elements(r#"{"Elements":10}"#), Some(10));
    assert_eq!(
        elements(r#"{"ElementsAndBytes":{"elements":3,"bytes":24}}"#),
        Some(3)
    );
}

/// A broken file is a problem with its path, not a crash.
#[test]
fn broken_files_are_problems() {
    let error = Measurement::parse("{}", &estimates_json(1.0)).unwrap_err();
    let message = format!("{error:#}");
    assert!(message.starts_with("benchmark.json: missing field `group_id`"));
    let error = Measurement::parse(&benchmark_json("g", "f", None), "{\"mean\":1}").unwrap_err();
    assert!(format!("{error:#}").starts_with("estimates.json: "));
}

/// Pairs are found at any depth, a `new/` inside a result is not read
/// twice, a second result with the same ID is skipped, and a broken pair
/// is one problem naming its directory.
#[test]
fn loads_pairs_at_any_depth() {
    let root = tempfile::tempdir().unwrap();
    let save = |dir: &str, benchmark: &str| {
        let dir = root.path().join(dir).join("new");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("benchmark.json"), benchmark).unwrap();
        fs::write(dir.join("estimates.json"), estimates_json(10.0)).unwrap();
    };
    save(
        "counting/ractor/4",
        &benchmark_json("counting", "ractor", Some("4")),
    );
    save("spawn/mutex", &benchmark_json("spawn", "mutex", None));
    save("spawn/mutex/new", &benchmark_json("spawn", "nested", None));
    save("spawn/twice", &benchmark_json("spawn", "mutex", None));
    save("broken", "{");
    let loaded = load(root.path());
    let ids: Vec<&str> = loaded.results.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["counting/ractor/4", "spawn/mutex"]);
    let problems: Vec<&Path> = loaded.problems.iter().map(|(p, _)| p.as_path()).collect();
    let under = |dir: &str| root.path().join(dir).join("new");
    assert_eq!(problems, [under("broken"), under("spawn/twice")]);
    assert!(
        loaded.problems[1]
            .1
            .contains("a second result for `spawn/mutex`")
    );
    assert!(loaded.newest.is_some());
}

/// A directory that does not exist gives no results and one problem.
#[test]
fn a_missing_directory_is_one_problem() {
    let loaded = load(Path::new("/nonexistent/criterion"));
    assert!(loaded.results.is_empty());
    assert_eq!(loaded.problems.len(), 1);
}

/// Only an ID looked up with `read` counts as read.
#[test]
fn lookups_are_remembered() {
    let id = bench::ids::spawn(actors_core::Design::Mutex);
    let results: Results = [measurement(&id.to_string(), 1.0, None)]
        .into_iter()
        .collect();
    assert!(results.read_ids().is_empty());
    assert!(results.read(&id).is_some());
    assert_eq!(
        results.read_ids().into_iter().collect::<Vec<_>>(),
        [id.to_string()]
    );
}
