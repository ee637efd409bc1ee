//! The exercises under `exercises/`, as the `course` binary grades them
//! and its `starters` test checks them.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

/// The workspace's root, found from this crate's folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The exercises' folder names, such as `08-your-own-target`, in order.
pub fn exercises() -> Vec<String> {
    let entries = fs::read_dir(root().join("exercises"))
        .into_iter()
        .flatten()
        .flatten();
    let folders = entries.filter(|entry| entry.path().is_dir());
    let names = folders.filter_map(|entry| entry.file_name().into_string().ok());
    let mut names: Vec<String> = names.filter(|name| is_numbered(name)).collect();
    names.sort();
    names
}

/// Whether a folder's name starts as an exercise's does: `08-`.
pub fn is_numbered(name: &str) -> bool {
    matches!(name.as_bytes(), [a, b, b'-', ..] if a.is_ascii_digit() && b.is_ascii_digit())
}

/// `cargo <command>` on `package`, from the workspace's root, built with
/// the student's starter in place of the reference solution.
pub fn cargo(command: &str, package: &str) -> Command {
    let mut cargo = Command::new("cargo");
    cargo.current_dir(root());
    cargo.args([command, "-p", package, "--features", "starter"]);
    cargo
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_folder_whose_name_starts_with_two_digits_is_an_exercise() {
        assert!(is_numbered("08-your-own-target"));
        assert!(!is_numbered("grading") && !is_numbered("8-x") && !is_numbered("README.md"));
    }

    #[test]
    fn the_exercises_are_found_in_order() {
        let names = exercises();
        assert!(names.len() >= 12, "{names:?}");
        assert!(names.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(names[0].starts_with("01-"));
    }
}
