//! The course's two commands about the exercises under `exercises/`. The
//! book's page "For instructors" (`docs/instructor.md`) tells where they fit.
//!
//! ```console
//! $ cargo run -q -p course -- grade 8         # `just exercise 8`: grade the student's starter
//! $ cargo run -q -p course -- check-starters  # `just exercises-check`, and CI
//! ```
//!
//! `grade N` (N written `8` or `08`) runs `cargo test -p exercise-NN-slug
//! --features starter` and exits with its status: 0 when every test passes.
//! A missing or unknown N lists the exercises and exits with 2.
//!
//! `check-starters` checks what `cargo test --workspace` cannot, since that
//! builds each exercise with its reference solution: that every grader FAILS
//! against its untouched starter, for the right reason, and writes nothing
//! while it does. It exits with 0 when all do, 1 on any problem.
//!
//! Anything else prints the usage and exits with 2. Both commands work from
//! any directory: paths are the workspace's, found from this crate's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, exit};
use std::time::SystemTime;
use std::{env, fs};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    env::set_current_dir(root).expect("the workspace root is two folders up");
    let code = match env::args().nth(1).as_deref() {
        Some("grade") => grade(&env::args().nth(2).unwrap_or_default()),
        Some("check-starters") => check_starters(),
        _ => {
            eprintln!("usage: course grade N | course check-starters");
            2
        }
    };
    exit(code);
}

fn grade(n: &str) -> i32 {
    let names = exercises();
    let Some(name) = find(&names, n) else {
        match n {
            "" => eprintln!("exercise: which one? Give its number:"),
            _ => eprintln!("exercise: there is no exercise '{n}'. Give one of these numbers:"),
        }
        eprint!("{}", listing(&names));
        return 2;
    };
    let status = cargo("test", &format!("exercise-{name}")).status();
    status.expect("cargo runs").code().unwrap_or(1)
}

fn check_starters() -> i32 {
    let names = exercises();
    let mut problems = 0;
    for problem in names.iter().filter_map(|name| check(name).err()) {
        eprintln!("check-starters: {problem}");
        problems += 1;
    }
    if names.is_empty() {
        eprintln!("check-starters: no exercise found under exercises/");
        problems += 1;
    }
    let count = names.len();
    if problems > 0 {
        eprintln!("check-starters: {problems} problem(s) in {count} exercise(s)");
        return 1;
    }
    println!("check-starters: all {count} graders fail against their starters");
    0
}

/// Checks one exercise's untouched starter: clean under clippy, and its
/// grade failing for the right reason without writing. Prints the grade's
/// summary, or returns the problem.
fn check(name: &str) -> Result<(), String> {
    let (dir, package) = (format!("exercises/{name}"), format!("exercise-{name}"));
    let read = |file| fs::read_to_string(format!("{dir}/{file}")).unwrap_or_default();
    let unsolved = "src/starter.rs has no todo!(): the starter is meant to be unsolved";
    let expected = expected_failure(name, &read("Cargo.toml"), &read("src/starter.rs"));
    let expected = expected.ok_or_else(|| format!("{dir}/{unsolved}"))?;
    let mut clippy = cargo("clippy", &package);
    clippy.args(["-q", "--all-targets", "--", "-D", "warnings"]);
    if !clippy.status().is_ok_and(|status| status.success()) {
        return Err(format!("{package}: clippy warns about the starter"));
    }
    let snapshots = PathBuf::from(format!("{dir}/tests/snapshots"));
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
        let problem = format!("grading the starter wrote into {dir}/tests/snapshots/");
        return Err(format!("{package}: {problem}"));
    }
    println!("{package}: fails against its starter, as it should ({summary})");
    Ok(())
}

/// `cargo <command>` on `package`, built with the student's starter in
/// place of the reference solution.
fn cargo(command: &str, package: &str) -> Command {
    let mut cargo = Command::new("cargo");
    cargo.args([command, "-p", package, "--features", "starter"]);
    cargo
}

/// The exercises' folder names, such as `08-your-own-target`, in order.
fn exercises() -> Vec<String> {
    let entries = fs::read_dir("exercises").into_iter().flatten().flatten();
    let folders = entries.filter(|entry| entry.path().is_dir());
    let names = folders.filter_map(|entry| entry.file_name().into_string().ok());
    let mut names: Vec<String> = names.filter(|name| is_numbered(name)).collect();
    names.sort();
    names
}

/// Whether a folder's name starts as an exercise's does: `08-`.
fn is_numbered(name: &str) -> bool {
    matches!(name.as_bytes(), [a, b, b'-', ..] if a.is_ascii_digit() && b.is_ascii_digit())
}

/// The exercise that `n`, one or two digits, names: `8` and `08` alike.
fn find<'a>(names: &'a [String], n: &str) -> Option<&'a String> {
    if n.is_empty() || n.len() > 2 || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let prefix = format!("{:02}-", n.parse::<u8>().ok()?);
    names.iter().find(|name| name.starts_with(&prefix))
}

/// One line per exercise: its number as a student types it, then its slug.
fn listing(names: &[String]) -> String {
    let number = |name: &str| name[..2].trim_start_matches('0').to_string();
    let line = |name: &String| format!("  {}  {}\n", number(name), &name[3..]);
    names.iter().map(line).collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        ["01-lost-update", "08-your-own-target", "12-on-the-wire"]
            .map(String::from)
            .to_vec()
    }

    #[test]
    fn a_number_finds_its_exercise_with_or_without_its_zero() {
        let found = |n| find(&names(), n).cloned();
        assert_eq!(found("8").as_deref(), Some("08-your-own-target"));
        assert_eq!(found("08").as_deref(), Some("08-your-own-target"));
        assert_eq!(found("12").as_deref(), Some("12-on-the-wire"));
    }

    #[test]
    fn anything_but_the_number_of_an_exercise_finds_nothing() {
        for n in ["", "0", "00", "9", "99", "008", "+8", " 8", "x", "1-"] {
            assert_eq!(find(&names(), n), None, "{n:?}");
        }
    }

    #[test]
    fn only_a_folder_whose_name_starts_with_two_digits_is_an_exercise() {
        assert!(is_numbered("08-your-own-target"));
        assert!(!is_numbered("grading") && !is_numbered("8-x") && !is_numbered("README.md"));
    }

    #[test]
    fn the_listing_gives_numbers_as_a_student_types_them() {
        assert_eq!(
            listing(&names()),
            "  1  lost-update\n  8  your-own-target\n  12  on-the-wire\n"
        );
    }

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
