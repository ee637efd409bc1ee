use super::*;

/// `benchmark.json` exactly as criterion 0.8.2 writes it
/// (`serde_json::to_string` of its `BenchmarkId`: one line, fields in
/// declaration order).
pub(crate) fn benchmark_json(group: &str, function: &str, value: Option<&str>) -> String {
    let id = full_id(group, Some(function), value);
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
        throughput: elements.map(Throughput::Elements),
        mean: Estimate {
            confidence_interval: ConfidenceInterval {
                confidence_level: 0.95,
                lower_bound: mean_ns * 0.99,
                upper_bound: mean_ns * 1.01,
            },
            point_estimate: mean_ns,
            standard_error: mean_ns * 0.005,
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
    assert_eq!(
        measurement.throughput,
        Some(Throughput::Elements(1_000_000))
    );
    assert_eq!(measurement.mean.point_estimate, 45_000_000.0);
    assert_eq!(measurement.mean.confidence_interval.confidence_level, 0.95);
    let per_increment = measurement.per_element(1);
    assert!((per_increment.value - 45.0).abs() < 1e-9);
    assert!((per_increment.half_width() - 0.45).abs() < 1e-9);
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
    assert_eq!(measurement.throughput, None);
    assert_eq!(measurement.per_element(1).value, 2.5);
}

/// Every shape of criterion's throughput reads, and only elements count
/// as elements.
#[test]
fn parses_every_throughput() {
    let parse = |json: &str| serde_json::from_str::<Throughput>(json).unwrap();
    assert_eq!(parse(r#"{"Bytes":64}"#).elements(), None);
    assert_eq!(parse(r#"{"Elements":10}"#).elements(), Some(10));
    assert_eq!(
        parse(r#"{"ElementsAndBytes":{"elements":3,"bytes":24}}"#).elements(),
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
/// twice, and a broken pair is one problem naming its directory.
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
    save("broken", "{");
    let loaded = load(root.path());
    let ids: Vec<&str> = loaded.results.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["counting/ractor/4", "spawn/mutex"]);
    assert_eq!(loaded.problems.len(), 1);
    assert_eq!(loaded.problems[0].path, root.path().join("broken/new"));
    assert!(loaded.newest.is_some());
}

/// A directory that does not exist gives no results and one problem.
#[test]
fn a_missing_directory_is_one_problem() {
    let loaded = load(Path::new("/nonexistent/criterion"));
    assert!(loaded.results.is_empty());
    assert_eq!(loaded.problems.len(), 1);
    assert!(
        loaded.problems[0]
            .message
            .contains("run `just bench` first")
    );
}
