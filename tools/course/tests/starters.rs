//! What `cargo test --workspace` cannot check, since it builds every
//! exercise with its reference solution: that every grader FAILS against
//! its untouched starter, for the right reason, and writes nothing while it
//! does. Built again with `--features starter`, as `just exercise N` builds
//! a student's code, each starter must compile cleanly (clippy with `-D
//! warnings`), and its grade must report failed tests, stopped at the
//! starter's `todo!()` or, for a starter that runs and is wrong, at the line
//! its Cargo.toml names. A compile error would mean the starter and the
//! grader have drifted apart. The grade must leave `tests/snapshots/` as it
//! was: the expected reports are the course's.
//!
//! The whole check builds and grades twelve exercises, for minutes, so it
//! is ignored by default: `just exercises-check` and CI run it, with
//! `cargo test -p course --test starters -- --ignored --nocapture`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use course::{cargo, exercises, root};

#[test]
#[ignore = "builds and grades every exercise: minutes; `just exercises-check` runs it"]
fn every_grader_fails_against_its_untouched_starter() {
    let names = exercises();
    assert!(!names.is_empty(), "no exercise found under exercises/");
    let problems: Vec<String> = names.iter().filter_map(|name| check(name).err()).collect();
    assert!(
        problems.is_empty(),
        "{} problem(s) in {} exercise(s):\n{}",
        problems.len(),
        names.len(),
        problems.join("\n")
    );
    println!("all {} graders fail against their starters", names.len());
}

/// Checks one exercise's untouched starter: clean under clippy, and its
/// grade failing for the right reason without writing. Prints the grade's
/// summary, or returns the problem.
fn check(name: &str) -> Result<(), String> {
    let (dir, package) = (
        root().join("exercises").join(name),
        format!("exercise-{name}"),
    );
    let read = |file| fs::read_to_string(dir.join(file)).unwrap_or_default();
    let unsolved = "src/starter.rs has no todo!(): the starter is meant to be unsolved";
    let expected = expected_failure(name, &read("Cargo.toml"), &read("src/starter.rs"));
    let expected = expected.ok_or_else(|| format!("exercises/{name}/{unsolved}"))?;
    let mut clippy = cargo("clippy", &package);
    clippy.args(["-q", "--all-targets", "--", "-D", "warnings"]);
    if !clippy.status().is_ok_and(|status| status.success()) {
        return Err(format!("{package}: clippy warns about the starter"));
    }
    let snapshots = dir.join("tests/snapshots");
    let before = files(&snapshots);
    // The command the README gives for grading by hand, with no INSTA_*
    // variable: it has to be safe as it stands.
    let grade = cargo("test", &package).output().expect("cargo runs");
    // Standard error first, so that a log's tail is the tests' own.
    let log = String::from_utf8_lossy(&[grade.stderr, grade.stdout].concat()).into_owned();
    let summary = judge(grade.status.success(), &log, &expected).map_err(|problem| {
        if problem.ends_with("(see above)") {
            let lines: Vec<&str> = log.lines().collect();
            eprintln!("{}", lines[lines.len().saturating_sub(30)..].join("\n"));
        }
        format!("{package}: {problem}")
    })?;
    if files(&snapshots) != before {
        let problem = format!("grading the starter wrote into exercises/{name}/tests/snapshots/");
        return Err(format!("{package}: {problem}"));
    }
    println!("{package}: fails against its starter, as it should ({summary})");
    Ok(())
}

/// What the untouched starter's grade must fail with: its `todo!()`'s
/// message, or, for a starter that runs and is wrong, the line its
/// Cargo.toml names. None when the starter has neither.
fn expected_failure(name: &str, cargo_toml: &str, starter: &str) -> Option<String> {
    let todo = || format!("not yet implemented: exercise {}:", &name[..2]);
    starter_fails_with(cargo_toml).or_else(|| starter.contains("todo!(").then(todo))
}

/// `starter-fails-with = "..."` under `[package.metadata.grading]`, if set.
fn starter_fails_with(cargo_toml: &str) -> Option<String> {
    let (_, grading) = cargo_toml.split_once("[package.metadata.grading]")?;
    let section = grading.split("\n[").next()?;
    let key = "starter-fails-with = \"";
    let value = section.lines().find_map(|line| line.strip_prefix(key))?;
    let value = value.strip_suffix('"').filter(|value| !value.is_empty())?;
    Some(value.to_string())
}

/// Whether a grade of the untouched starter failed as it should: tests that
/// ran (a compile error would mean the starter and the grader have drifted
/// apart), and failed with the expected message. `Ok` holds the first
/// failed `test result:` line. A problem that says "(see above)" wants the
/// log's tail shown first.
fn judge(passed: bool, log: &str, expected: &str) -> Result<String, String> {
    let failed = |line: &&str| line.starts_with("test result: FAILED");
    match log.lines().find(failed) {
        _ if passed => Err("the grader passes against the untouched starter".into()),
        None => Err("the grader did not run against the starter (see above)".into()),
        Some(_) if !log.contains(expected) => Err(format!(
            "the grader failed, but not with \"{expected}\" (see above)"
        )),
        Some(summary) => Ok(summary.to_string()),
    }
}

/// Every file and folder under `dir` with the time it was last written:
/// any difference after a grade means the grade wrote there.
fn files(dir: &Path) -> BTreeMap<PathBuf, Option<SystemTime>> {
    let mut found = BTreeMap::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        found.extend(files(&entry.path()));
        let modified = entry.metadata().and_then(|meta| meta.modified()).ok();
        found.insert(entry.path(), modified);
    }
    found
}

/// The judgements above, each on a made-up case.
mod judgements {
    use super::*;

    const DEADLOCK_TOML: &str = "[package]\nname = \"exercise-11-deadlock\"\n\n\
        [package.metadata.grading]\n# Why.\nstarter-fails-with = \"stuck: a deadlock\"\n";

    #[test]
    fn a_starter_that_runs_must_fail_with_the_line_its_cargo_toml_names() {
        let expected = expected_failure("11", DEADLOCK_TOML, "fn worker() {}");
        assert_eq!(expected.as_deref(), Some("stuck: a deadlock"));
    }

    #[test]
    fn starter_fails_with_counts_only_under_package_metadata_grading() {
        assert_eq!(
            starter_fails_with("[features]\nstarter-fails-with = \"x\"\n"),
            None
        );
        assert_eq!(
            starter_fails_with("[package.metadata.grading]\nstarter-fails-with = \"\"\n"),
            None
        );
    }

    #[test]
    fn a_starter_with_a_todo_must_fail_at_it() {
        let expected = expected_failure(
            "01",
            "[package]\n",
            "    todo!(\"exercise 01: write it\")\n",
        );
        assert_eq!(
            expected.as_deref(),
            Some("not yet implemented: exercise 01:")
        );
    }

    #[test]
    fn a_starter_with_neither_a_todo_nor_a_named_line_is_a_problem() {
        assert_eq!(
            expected_failure("01", "[package]\n", "fn increment() {}\n"),
            None
        );
    }

    const EXPECTED: &str = "not yet implemented: exercise 01:";
    const STOPPED_AT_TODO: &str = "running 1 test\n\
        thread 'x' panicked at src/starter.rs:16:5:\nnot yet implemented: exercise 01: write it\n\
        test x ... FAILED\n\ntest result: FAILED. 0 passed; 1 failed; 0 ignored\n";

    #[test]
    fn a_grade_that_stops_at_the_todo_is_right() {
        let summary = "test result: FAILED. 0 passed; 1 failed; 0 ignored";
        assert_eq!(judge(false, STOPPED_AT_TODO, EXPECTED), Ok(summary.into()));
    }

    #[test]
    fn a_grader_that_passes_the_starter_is_a_problem() {
        let log = "test result: ok. 1 passed; 0 failed\n";
        let problem = "the grader passes against the untouched starter";
        assert_eq!(judge(true, log, EXPECTED), Err(problem.into()));
    }

    #[test]
    fn a_grader_that_does_not_compile_is_a_problem_with_the_log_shown() {
        let log = "error[E0425]: cannot find function `increment`\nerror: could not compile\n";
        let problem = "the grader did not run against the starter (see above)";
        assert_eq!(judge(false, log, EXPECTED), Err(problem.into()));
    }

    #[test]
    fn a_grade_that_fails_for_another_reason_is_a_problem_with_the_log_shown() {
        let log = "assertion failed\ntest result: FAILED. 0 passed; 1 failed\n";
        let problem =
            "the grader failed, but not with \"not yet implemented: exercise 01:\" (see above)";
        assert_eq!(judge(false, log, EXPECTED), Err(problem.into()));
    }

    #[test]
    fn a_grade_that_writes_into_the_snapshots_is_seen_at_any_depth() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("grade__a.snap"), "expected").unwrap();
        let before = files(dir.path());
        assert_eq!(before.len(), 1);
        assert_eq!(files(dir.path()), before);
        fs::create_dir(dir.path().join("nested")).unwrap();
        fs::write(dir.path().join("nested/grade__a.snap.new"), "student's").unwrap();
        assert_ne!(files(dir.path()), before);
        assert!(files(&dir.path().join("missing")).is_empty());
    }
}
