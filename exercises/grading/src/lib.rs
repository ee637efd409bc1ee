//! # Grading: a student's report against the course's expected one
//!
//! Every exercise's grader (`exercises/NN-slug/tests/grade.rs`) builds a
//! report a person can read and ends each test in [`assert_report!`]:
//!
//! * Against the reference solution, the macro is insta's
//!   `assert_snapshot!`. That is how the expected reports in
//!   `tests/snapshots/` are recorded, and how a maintainer reviews a change
//!   to one (`cargo insta review`).
//! * Against the student's `src/starter.rs` (the `starter` feature), it
//!   reads the expected report from the same file, compares, and draws the
//!   diff as insta does. It never writes: no `.snap.new`, and no
//!   `INSTA_UPDATE` setting can put the student's report in place of the
//!   course's. So `cargo test -p exercise-NN-slug --features starter`
//!   grades exactly as `just exercise N` does.
//!
//! `exercises/README.md` is the map of the exercises and their graders.

use std::io;
use std::path::{Path, PathBuf};

use similar::{Algorithm, ChangeTag, TextDiff};

/// insta, for [`assert_report!`] to call from any grader.
#[doc(hidden)]
pub use insta;

/// What every failing grade says under its diff. A tool's usual advice
/// ("accept the new snapshot") would turn a wrong answer into a passing one
/// here, so the grade says the opposite.
pub const NOT_TO_ACCEPT: &str = "The expected reports in tests/snapshots/ \
belong to the course: change your code until your report matches. \
Do not edit, accept or re-record them.";

/// How wide the diff's rules are drawn, in characters.
const WIDTH: usize = 80;

/// Where [`assert_report!`] was called: enough to find the expected report
/// under the name insta gave it.
#[derive(Debug, Clone, Copy)]
pub struct Site {
    /// The exercise's `CARGO_MANIFEST_DIR`, where the search for the
    /// workspace root starts.
    pub manifest_dir: &'static str,
    /// `file!()` at the call: the grader's path from the workspace root.
    pub file: &'static str,
    /// `module_path!()` at the call: the first part of the report's name.
    pub module_path: &'static str,
    /// The type name of a function declared inside the test. Its path
    /// holds the test's name, which is the rest of the report's name.
    pub function: &'static str,
}

impl Site {
    /// The expected report's file, from the workspace root, named as insta
    /// names it: `snapshots/<module>__<test>.snap` beside the grader.
    pub fn snapshot_file(&self) -> PathBuf {
        // `grade::a_test::{{closure}}::here`: drop `here`, then the closures
        // of an async test, and keep the last name, as insta does.
        let mut path = self.function.rsplit_once("::").map_or("", |(path, _)| path);
        while let Some(outer) = path.strip_suffix("::{{closure}}") {
            path = outer;
        }
        let test = path.rsplit("::").next().unwrap_or(path);
        let test = test.strip_prefix("test_").unwrap_or(test);
        let module = self.module_path.replace("::", "__");
        Path::new(self.file)
            .parent()
            .unwrap_or(Path::new(""))
            .join("snapshots")
            .join(format!("{module}__{test}.snap"))
    }

    /// The workspace root: the nearest folder at or above the exercise
    /// from which the grader's path leads to the grader.
    fn workspace_root(&self) -> &'static Path {
        let manifest_dir = Path::new(self.manifest_dir);
        manifest_dir
            .ancestors()
            .find(|root| root.join(self.file).is_file())
            .unwrap_or(manifest_dir)
    }
}

/// Why a report did not pass.
#[derive(Debug, thiserror::Error)]
pub enum GradeError {
    /// The expected report could not be read. It comes with the course;
    /// `path` is from the workspace root.
    #[error(
        "cannot read the expected report {}: {source}\nRestore it from the course's repository.\n{NOT_TO_ACCEPT}",
        path.display()
    )]
    Missing {
        /// The file that was looked for.
        path: PathBuf,
        /// Why it could not be read.
        source: io::Error,
    },
    /// The report differs from the expected one; `diff` shows where.
    #[error(
        "your report differs from the expected one in {}\n{diff}{NOT_TO_ACCEPT}",
        path.display()
    )]
    Differs {
        /// The expected report's file, from the workspace root.
        path: PathBuf,
        /// The two reports line by line, as [`diff`] draws them.
        diff: String,
    },
}

/// Compares `report` with the expected report of the test at `site`,
/// reading the file and writing nothing.
pub fn check(site: &Site, report: &str) -> Result<(), GradeError> {
    let path = site.snapshot_file();
    let text = std::fs::read_to_string(site.workspace_root().join(&path)).map_err(|source| {
        GradeError::Missing {
            path: path.clone(),
            source,
        }
    })?;
    judge(&path, &text, report)
}

/// Compares `report` with the report held in `snapshot`, the text of an
/// insta `.snap` file found at `path`.
pub fn judge(path: &Path, snapshot: &str, report: &str) -> Result<(), GradeError> {
    // insta's rule: trailing whitespace and line-ending style do not count.
    let expected = normalize(body(snapshot));
    let yours = normalize(report);
    if expected == yours {
        return Ok(());
    }
    Err(GradeError::Differs {
        path: path.to_path_buf(),
        diff: diff(&expected, &yours),
    })
}

/// The report in an insta `.snap` file: what follows the `---` header.
pub fn body(snapshot: &str) -> &str {
    let Some(rest) = snapshot.strip_prefix("---\n") else {
        return snapshot;
    };
    rest.split_once("\n---\n")
        .map_or(rest, |(_, report)| report)
}

/// The text as insta compares it.
fn normalize(text: &str) -> String {
    text.trim_end().replace("\r\n", "\n")
}

/// Both reports line by line, as insta draws a failed snapshot: the
/// expected report's line numbers on the left, yours next to them, `-`
/// for a line only the expected report has and `+` for one only yours has,
/// and four lines of context around each change.
pub fn diff(expected: &str, yours: &str) -> String {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .diff_lines(expected, yours);
    let mut out = String::from("-expected report\n+your report\n");
    out.push_str(&rule('┬', '─'));
    for (group, ops) in diff.grouped_ops(4).iter().enumerate() {
        if group > 0 {
            out.push_str(&rule('┼', '┈'));
        }
        for change in ops.iter().flat_map(|op| diff.iter_changes(op)) {
            let number =
                |index: Option<usize>| index.map_or(String::new(), |i| (i + 1).to_string());
            let (old, new) = (number(change.old_index()), number(change.new_index()));
            let sign = match change.tag() {
                ChangeTag::Delete => '-',
                ChangeTag::Insert => '+',
                ChangeTag::Equal => ' ',
            };
            out.push_str(&format!("{old:>5} {new:>5} │{sign}{}", change.value()));
            if change.missing_newline() {
                out.push('\n');
            }
        }
    }
    out.push_str(&rule('┴', '─'));
    out
}

/// A horizontal rule with a joint where the line numbers end.
fn rule(joint: char, line: char) -> String {
    let left: String = std::iter::repeat_n(line, 12).collect();
    let right: String = std::iter::repeat_n(line, WIDTH - 13).collect();
    format!("{left}{joint}{right}\n")
}

/// Fails the test at the call with the message of [`check`]'s error.
#[doc(hidden)]
#[track_caller]
pub fn grade(site: &Site, report: &str) {
    if let Err(error) = check(site, report) {
        panic!("{error}");
    }
}

/// The type name of a value's type: for a function item, its full path.
#[doc(hidden)]
pub fn type_name_of<T>(_: T) -> &'static str {
    std::any::type_name::<T>()
}

// ANCHOR: assert_report
/// Asserts that `report` is the expected report of the test it is called
/// from. Against the reference solution it is insta's `assert_snapshot!`;
/// with the `starter` feature it compares without writing (see the crate's
/// header).
#[macro_export]
macro_rules! assert_report {
    ($report:expr) => {
        if ::core::cfg!(feature = "starter") {
            fn here() {}
            $crate::grade(
                &$crate::Site {
                    manifest_dir: ::core::env!("CARGO_MANIFEST_DIR"),
                    file: ::core::file!(),
                    module_path: ::core::module_path!(),
                    function: $crate::type_name_of(here),
                },
                &$report,
            );
        } else {
            $crate::insta::assert_snapshot!($report);
        }
    };
}
// ANCHOR_END: assert_report

#[cfg(test)]
mod tests {
    use super::*;

    /// An expected report as insta records it, header and all.
    const SNAP: &str = "---\nsource: exercises/x/tests/grade.rs\nexpression: report\n---\n\
                        line one\nline two\n";

    /// A site whose test is `name`, in this file.
    fn site(function: &'static str) -> Site {
        Site {
            manifest_dir: env!("CARGO_MANIFEST_DIR"),
            file: file!(),
            module_path: "grade",
            function,
        }
    }

    /// The report is what follows the header, and a file with no header is
    /// all report.
    #[test]
    fn the_header_is_not_part_of_the_report() {
        assert_eq!(body(SNAP), "line one\nline two\n");
        assert_eq!(body("no header\n"), "no header\n");
    }

    /// Trailing whitespace and Windows line endings do not fail a grade,
    /// as they do not fail insta's comparison.
    #[test]
    fn a_report_equal_but_for_line_endings_passes() {
        let path = Path::new("grade__x.snap");
        assert!(judge(path, SNAP, "line one\r\nline two\n\n").is_ok());
        assert!(judge(path, SNAP, "line one\nline 2\n").is_err());
    }

    /// A failing grade names the expected file, shows the two reports line
    /// by line, and says that the expected reports are not to be accepted.
    #[test]
    fn a_failing_grade_says_the_reports_are_the_courses() {
        let error = judge(
            Path::new("t/snapshots/grade__x.snap"),
            SNAP,
            "line one\nline 2\n",
        )
        .expect_err("the second line differs");
        let message = error.to_string();
        assert!(message.starts_with(
            "your report differs from the expected one in t/snapshots/grade__x.snap\n"
        ));
        assert!(message.contains("    2       │-line two\n"));
        assert!(message.contains("          2 │+line 2\n"));
        assert!(message.ends_with(NOT_TO_ACCEPT));
    }

    /// The diff is drawn as insta draws it: this is the block that the page
    /// of exercise 1 shows for a lost update.
    #[test]
    fn the_diff_is_drawn_as_insta_draws_it() {
        let expected = "the counter starts at 0\nfinal values: 2\nreturned:\n  Ok(1), Ok(2)";
        let yours = "the counter starts at 0\nfinal values: 1, 2\nreturned:\n  Ok(1), Ok(1)\n  Ok(1), Ok(2)";
        let rule = |joint| format!("{}{joint}{}\n", "─".repeat(12), "─".repeat(67));
        let drawn = [
            "-expected report\n+your report\n".to_string(),
            rule('┬'),
            "    1     1 │ the counter starts at 0\n".to_string(),
            "    2       │-final values: 2\n".to_string(),
            "          2 │+final values: 1, 2\n".to_string(),
            "    3     3 │ returned:\n".to_string(),
            "          4 │+  Ok(1), Ok(1)\n".to_string(),
            "    4     5 │   Ok(1), Ok(2)\n".to_string(),
            rule('┴'),
        ]
        .concat();
        assert_eq!(diff(expected, yours), drawn);
    }

    /// The expected report's name is insta's: the module, then the test's
    /// name without the closures of an async test or a `test_` prefix.
    #[test]
    fn the_expected_report_is_found_under_insta_s_name() {
        let file = Path::new(file!())
            .parent()
            .expect("a folder")
            .join("snapshots");
        let named = |function| site(function).snapshot_file();
        assert_eq!(
            named("grade::a_test::here"),
            file.join("grade__a_test.snap")
        );
        assert_eq!(
            named("grade::an_async_test::{{closure}}::{{closure}}::here"),
            file.join("grade__an_async_test.snap")
        );
        assert_eq!(
            named("grade::test_old_style::here"),
            file.join("grade__old_style.snap")
        );
    }

    /// A missing expected report is a grade that fails and says which file
    /// it looked for, not a pass and not a new file.
    #[test]
    fn a_missing_expected_report_fails_and_names_the_file() {
        let site = site("grade::no_such_test::here");
        let error = check(&site, "anything").expect_err("there is no such file");
        assert!(
            matches!(&error, GradeError::Missing { path, .. } if *path == site.snapshot_file())
        );
        assert!(!site.workspace_root().join(site.snapshot_file()).exists());
    }
}
