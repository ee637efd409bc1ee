//! The pages of the book as `build.rs` reads them (it includes this file
//! with `#[path]`): where they are, and each one made ready for rustdoc.
//! `tests/book.rs` walks the same pages, and `tests/rules.rs` shows each
//! Rust block that `build.rs` refuses.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// Every Markdown file under `dir`, in name order.
pub fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|entry| entry.expect("docs/ is readable").into_path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect()
}

/// One page made ready to be a doc comment: each Rust block that only
/// includes crate code becomes a `text` block, since that code is compiled
/// in its own crate. Also returns each Rust block the compiler would never
/// see, as (the page's line, what to do about it).
pub fn prepare(text: &str) -> (String, Vec<(usize, &'static str)>) {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let mut problems = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let trimmed = lines[i].trim_start();
        let Some(fence) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) else {
            i += 1;
            continue;
        };
        let indent = lines[i].len() - trimmed.len();
        let info = trimmed.trim_start_matches(fence).trim();
        let end = (i + 1..lines.len())
            .find(|&j| lines[j].trim_start().starts_with(fence))
            .unwrap_or(lines.len());
        if is_rust(info) {
            match check(info, &lines[i + 1..end]) {
                Ok(true) => lines[i] = format!("{}{fence}text", &lines[i][..indent]),
                Ok(false) => {}
                Err(problem) => problems.push((i + 1, problem)),
            }
        }
        i = end + 1;
    }
    (lines.join("\n") + "\n", problems)
}

/// Whether rustdoc treats a fence with this info string as Rust: an empty
/// string, or one made only of `rust` and rustdoc's own attributes.
fn is_rust(info: &str) -> bool {
    words(info).all(|word| {
        matches!(
            word,
            "rust" | "ignore" | "should_panic" | "no_run" | "compile_fail" | "test_harness"
        ) || word.starts_with("edition")
            || is_error_code(word)
    })
}

/// Whether a Rust block's body is only includes, or else what keeps the
/// block from the compiler.
fn check(info: &str, body: &[String]) -> Result<bool, &'static str> {
    let includes = body
        .iter()
        .filter(|l| l.trim_start().starts_with("{{#"))
        .count();
    let code = body.iter().filter(|l| !l.trim().is_empty()).count();
    if includes > 0 && includes == code {
        Ok(true)
    } else if includes > 0 {
        Err("a Rust block mixes included and inline code; split it")
    } else if words(info).any(|w| w == "compile_fail") && !words(info).any(is_error_code) {
        Err("a compile_fail block must name the error it fails with \
             (for example `rust,compile_fail,E0499`), or any typo would pass")
    } else if words(info).any(|w| w == "ignore") {
        Err(
            "`ignore` hides this block from the compiler; make it compile, \
             or mark it compile_fail if failing is its point",
        )
    } else {
        Ok(false)
    }
}

fn words(info: &str) -> impl Iterator<Item = &str> {
    info.split([',', ' ']).filter(|word| !word.is_empty())
}

/// `E0499`: an error code, as rustdoc reads it after `compile_fail`.
fn is_error_code(word: &str) -> bool {
    word.len() > 1 && word.starts_with('E') && word[1..].bytes().all(|b| b.is_ascii_digit())
}
