//! Copies every page of the book into `OUT_DIR`, ready to be a doc comment,
//! and writes `pages.rs`, which declares one module per page.
//!
//! A Rust block that only holds `{{#include ...}}` lines becomes a `text`
//! block: its code is compiled in the crate it comes from. A Rust block
//! marked `ignore`, or `compile_fail` without an error code, stops the
//! build with the page and line to fix.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let docs = manifest.join("../../docs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    println!("cargo::rerun-if-changed={}", docs.display());

    let mut pages = Vec::new();
    collect_pages(&docs, &mut pages);
    pages.sort();

    let mut modules = String::new();
    let mut problems = Vec::new();
    for page in &pages {
        let relative = page.strip_prefix(&docs).expect("under docs/");
        let text = fs::read_to_string(page).expect("a page of the book is UTF-8 text");
        let shown = relative.display().to_string();
        let prepared = prepare(&shown, &text, &mut problems);
        let copy = out.join(relative);
        fs::create_dir_all(copy.parent().expect("a file has a parent")).expect("OUT_DIR is ours");
        fs::write(&copy, prepared).expect("OUT_DIR is ours");
        writeln!(
            modules,
            "#[doc = include_str!({:?})]\npub mod {} {{}}",
            copy.display().to_string(),
            module_name(relative)
        )
        .expect("writing to a String");
    }
    if !problems.is_empty() {
        for problem in &problems {
            println!("cargo::warning={problem}");
        }
        panic!(
            "the book has Rust blocks the compiler would never see:\n{}",
            problems.join("\n")
        );
    }
    fs::write(out.join("pages.rs"), modules).expect("OUT_DIR is ours");
}

fn collect_pages(dir: &Path, pages: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("docs/ is readable") {
        let path = entry.expect("docs/ is readable").path();
        if path.is_dir() {
            collect_pages(&path, pages);
        } else if path.extension().is_some_and(|ext| ext == "md") {
            pages.push(path);
        }
    }
}

/// `exercises/01-lost-update.md` becomes `exercises_01_lost_update`.
fn module_name(relative: &Path) -> String {
    let stem = relative.with_extension("").display().to_string();
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("page_{name}")
}

/// Whether rustdoc treats a fence with this info string as Rust: an empty
/// string, or one made only of `rust` and rustdoc's own attributes.
fn is_rust(info: &str) -> bool {
    info.split([',', ' '])
        .filter(|word| !word.is_empty())
        .all(|word| {
            matches!(
                word,
                "rust" | "ignore" | "should_panic" | "no_run" | "compile_fail" | "test_harness"
            ) || word.starts_with("edition")
                || (word.len() > 1
                    && word.starts_with('E')
                    && word[1..].chars().all(|c| c.is_ascii_digit()))
        })
}

/// Rewrites one page, and records every block that would escape the compiler.
fn prepare(page: &str, text: &str, problems: &mut Vec<String>) -> String {
    let mut result = String::with_capacity(text.len());
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        let fence = if trimmed.starts_with("```") {
            "```"
        } else if trimmed.starts_with("~~~") {
            "~~~"
        } else {
            ""
        };
        if fence.is_empty() {
            result.push_str(line);
            result.push('\n');
            i += 1;
            continue;
        }
        let info = trimmed.trim_start_matches(fence).trim();
        let end = (i + 1..lines.len())
            .find(|&j| lines[j].trim_start().starts_with(fence))
            .unwrap_or(lines.len());
        let body = &lines[i + 1..end.min(lines.len())];
        let mut opening = line.to_string();
        if is_rust(info) {
            let includes = body
                .iter()
                .filter(|l| l.trim_start().starts_with("{{#"))
                .count();
            let code = body.iter().filter(|l| !l.trim().is_empty()).count();
            if includes > 0 && includes == code {
                // Compiled where it lives; rustdoc has nothing to add.
                opening = format!("{}{fence}text", &line[..line.len() - trimmed.len()]);
            } else if includes > 0 {
                problems.push(format!(
                    "docs/{page}:{}: a Rust block mixes included and inline code; split it",
                    i + 1
                ));
            } else if info.split([',', ' ']).any(|word| word == "compile_fail")
                && !info
                    .split([',', ' '])
                    .any(|word| word.len() > 1 && word.starts_with('E'))
            {
                problems.push(format!(
                    "docs/{page}:{}: a compile_fail block must name the error it fails \
                     with (for example `rust,compile_fail,E0499`), or any typo would pass",
                    i + 1
                ));
            } else if info.split([',', ' ']).any(|word| word == "ignore") {
                problems.push(format!(
                    "docs/{page}:{}: `ignore` hides this block from the compiler; make it \
                     compile, or mark it compile_fail if failing is its point",
                    i + 1
                ));
            }
        }
        result.push_str(&opening);
        result.push('\n');
        for body_line in body {
            result.push_str(body_line);
            result.push('\n');
        }
        if end < lines.len() {
            result.push_str(lines[end]);
            result.push('\n');
        }
        i = end + 1;
    }
    result
}
