//! The book's rules, checked on every page of `docs/` (see `book_tests::rules`).
//! Each test lists every problem it finds, with its page and line.

use std::fs;
use std::path::{Path, PathBuf};

use book_tests::book::markdown_files;
use book_tests::rules::{check_exercise, check_include, check_shape, includes};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every page of the book as (path from the repository's root, text).
fn pages() -> Vec<(String, String)> {
    let root = root();
    markdown_files(&root.join("docs"))
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).expect("a page of the book is UTF-8 text");
            let shown = path.strip_prefix(&root).expect("under the root");
            (shown.display().to_string(), text)
        })
        .collect()
}

fn assert_none(problems: &[String], what: &str) {
    assert!(
        problems.is_empty(),
        "{} problem(s) with {what}:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Every `{{#include}}` in the book names a file that exists, and an anchor
/// that opens, closes and holds code, or a line range inside the file.
#[test]
fn every_include_resolves() {
    let root = root();
    let mut problems = Vec::new();
    let mut count = 0;
    for (page, text) in pages() {
        let folder = root
            .join(&page)
            .parent()
            .expect("a page has a folder")
            .to_path_buf();
        for include in includes(&text) {
            count += 1;
            let target = fs::read_to_string(folder.join(include.file)).ok();
            if let Some(problem) = check_include(&include, target.as_deref()) {
                problems.push(format!("{page}:{}: {problem}", include.line));
            }
        }
    }
    assert!(count > 0, "no include found: is docs/ where it should be?");
    assert_none(&problems, &format!("{count} includes"));
}

/// Every page but the table of contents opens with the question it answers
/// and ends with what to try.
#[test]
fn every_page_opens_with_its_question_and_ends_with_what_to_try() {
    let mut problems = Vec::new();
    let mut count = 0;
    for (page, text) in pages() {
        if page.ends_with("SUMMARY.md") {
            continue;
        }
        count += 1;
        problems.extend(
            check_shape(&text)
                .into_iter()
                .map(|p| format!("{page}: {p}")),
        );
    }
    assert!(count > 0, "no page found: is docs/ where it should be?");
    assert_none(&problems, &format!("{count} pages"));
}

/// Every exercise folder has its task page, and the page is in the book.
#[test]
fn every_exercise_has_a_page_in_the_book() {
    let root = root();
    let summary = fs::read_to_string(root.join("docs/SUMMARY.md")).expect("docs/SUMMARY.md");
    let mut names: Vec<String> = fs::read_dir(root.join("exercises"))
        .expect("exercises/ is readable")
        .map(|entry| entry.expect("exercises/ is readable").path())
        .filter(|path| path.is_dir())
        .filter_map(|path| Some(path.file_name()?.to_str()?.to_string()))
        .filter(|name| {
            name.len() > 3 && name[..2].bytes().all(|b| b.is_ascii_digit()) && &name[2..3] == "-"
        })
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no exercise found in exercises/");
    let problems: Vec<String> = names
        .iter()
        .filter_map(|name| {
            let exists = root.join(format!("docs/exercises/{name}.md")).is_file();
            check_exercise(name, exists, &summary)
        })
        .collect();
    assert_none(&problems, &format!("{} exercises", names.len()));
}
