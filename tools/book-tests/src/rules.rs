//! The book's rules, as functions over text: what `tests/book.rs` checks on
//! every page of `docs/`, and what `tests/rules.rs` shows failing on small
//! made-up pages. Each function returns its problems as sentences, empty
//! when all is well, so that one test run names every problem at once.
//!
//! mdBook 0.5.4 only logs an error for an include whose file is missing
//! and still exits 0, and it silently includes nothing for a missing
//! anchor. Either would put a hole in the book that nobody notices.

/// One `{{#include file:selector}}` (or `{{#rustdoc_include ...}}`) on a page.
#[derive(Debug, PartialEq, Eq)]
pub struct Include<'a> {
    /// The page's line it is on, counted from 1.
    pub line: usize,
    /// The file it names, relative to the page's folder.
    pub file: &'a str,
    /// What follows the first `:`: an anchor's name or a line range.
    pub selector: Option<&'a str>,
}

/// Every include directive on a page, in order.
pub fn includes(page: &str) -> Vec<Include<'_>> {
    let mut found = Vec::new();
    for (number, line) in page.lines().enumerate() {
        let directives = line.split("{{#").skip(1).filter_map(|d| d.split_once("}}"));
        for (directive, _) in directives {
            let names = ["include ", "rustdoc_include "];
            let Some(spec) = names.iter().find_map(|name| directive.strip_prefix(name)) else {
                continue;
            };
            let spec = spec.split_whitespace().next().unwrap_or("");
            let (file, selector) = spec
                .split_once(':')
                .map_or((spec, None), |(f, s)| (f, Some(s)));
            found.push(Include {
                line: number + 1,
                file,
                selector,
            });
        }
    }
    found
}

/// What is wrong with an include, given the text of the file it names
/// (`None` when there is no such file).
pub fn check_include(include: &Include, target: Option<&str>) -> Option<String> {
    let file = include.file;
    let Some(target) = target else {
        return Some(format!("includes {file}, which does not exist"));
    };
    let selector = include.selector?;
    if let Some(first) = line_range_start(selector) {
        let lines = target.lines().count();
        return first
            .filter(|&first| first > lines)
            .map(|first| format!("{file} has {lines} lines, the include starts at line {first}"));
    }
    // A named anchor: both markers must be there, in order, with code between.
    let (mut seen, mut open, mut closed, mut code) = (false, false, false, 0);
    for line in target.lines() {
        if marks(line, "ANCHOR_END:", selector) {
            closed |= open;
            open = false;
        } else if marks(line, "ANCHOR:", selector) {
            (open, seen) = (true, true);
        } else if open && !line.contains("ANCHOR:") && !line.contains("ANCHOR_END:") {
            code += usize::from(!line.trim().is_empty());
        }
    }
    if !seen {
        Some(format!("{file} has no anchor '{selector}'"))
    } else if !closed {
        Some(format!("anchor '{selector}' in {file} has no ANCHOR_END"))
    } else if code == 0 {
        Some(format!("anchor '{selector}' in {file} is empty"))
    } else {
        None
    }
}

/// `Some` when the selector is a line range (`10`, `10:20`, `:20`, `10:`),
/// holding its first line if it names one; `None` when it names an anchor.
fn line_range_start(selector: &str) -> Option<Option<usize>> {
    let (first, last) = selector.split_once(':').unwrap_or((selector, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    (digits(first) && digits(last)).then(|| first.parse().ok())
}

/// Whether a line holds `marker` followed by the anchor `name` as a whole word.
fn marks(line: &str, marker: &str, name: &str) -> bool {
    line.match_indices(marker).any(|(at, _)| {
        let rest = line[at + marker.len()..].trim_start_matches(' ');
        rest.strip_prefix(name).is_some_and(|after| {
            !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        })
    })
}

/// What is wrong with a page's shape: it must open with the question it
/// answers (in its first eight lines) and end with what to try. A page
/// without either is a page nobody finished.
pub fn check_shape(page: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if !page
        .lines()
        .take(8)
        .any(|line| line.starts_with("> **The question:**"))
    {
        problems.push("does not open with '> **The question:**' in its first lines".to_string());
    }
    let last_section = page.lines().rfind(|line| line.starts_with("## "));
    if last_section != Some("## What to try") {
        problems.push("its last section is not '## What to try'".to_string());
    }
    problems
}

/// What is missing for one exercise, named by its folder (`01-lost-update`):
/// its task page `docs/exercises/<name>.md`, or that page's line in
/// `SUMMARY.md`. `page_exists` says whether the task page is there.
pub fn check_exercise(name: &str, page_exists: bool, summary: &str) -> Option<String> {
    let page = format!("docs/exercises/{name}.md");
    if !page_exists {
        Some(format!("exercises/{name}/ has no task page {page}"))
    } else if !summary.contains(&format!("(exercises/{name}.md)")) {
        Some(format!("{page} is not listed in docs/SUMMARY.md"))
    } else {
        None
    }
}
