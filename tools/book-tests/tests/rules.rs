//! Each rule of `book_tests::rules`, and each Rust block `build.rs` refuses
//! (`book_tests::book`), fails on the mistake it is there for, shown on
//! small made-up pages, and passes on a page that is right.

use book_tests::book::prepare;
use book_tests::rules::{Include, check_exercise, check_include, check_shape, includes};

/// A source file with one anchor, as the crates mark their code for the book.
const SOURCE: &str = "\
use std::fmt;
// ANCHOR: handle
fn handle() {}
// ANCHOR_END: handle
// ANCHOR: empty
// ANCHOR_END: empty
// ANCHOR: unclosed
fn unclosed() {}
";

/// The one problem, if any, of the first include on a one-line page.
fn problem(page: &str, target: Option<&str>) -> Option<String> {
    let found = includes(page);
    check_include(&found[0], target)
}

/// Both forms of the directive are found, with their line, file and selector.
#[test]
fn includes_are_read_with_file_and_selector() {
    let page = "# Title\n\n```rust\n{{#include ../src/lib.rs:handle}}\n```\n\
                {{#rustdoc_include a.rs}} and {{#include b.rs:3:9}}\n{{#title Other}}\n";
    assert_eq!(
        includes(page),
        [
            Include {
                line: 4,
                file: "../src/lib.rs",
                selector: Some("handle")
            },
            Include {
                line: 6,
                file: "a.rs",
                selector: None
            },
            Include {
                line: 6,
                file: "b.rs",
                selector: Some("3:9")
            },
        ]
    );
}

/// An include of a file that exists, at an anchor that holds code, passes.
#[test]
fn an_include_that_resolves_passes() {
    assert_eq!(problem("{{#include lib.rs:handle}}", Some(SOURCE)), None);
    assert_eq!(problem("{{#include lib.rs}}", Some(SOURCE)), None);
    assert_eq!(problem("{{#include lib.rs:2:4}}", Some(SOURCE)), None);
}

/// An include of a file that does not exist fails.
#[test]
fn a_missing_include_file_fails() {
    assert_eq!(
        problem("{{#include gone.rs:handle}}", None).as_deref(),
        Some("includes gone.rs, which does not exist")
    );
}

/// An include of an anchor the file does not have fails, even when a
/// longer anchor starts with the same name.
#[test]
fn a_missing_anchor_fails() {
    assert_eq!(
        problem("{{#include lib.rs:hand}}", Some(SOURCE)).as_deref(),
        Some("lib.rs has no anchor 'hand'")
    );
}

/// An anchor that never closes, or holds nothing, fails.
#[test]
fn an_unclosed_or_empty_anchor_fails() {
    assert_eq!(
        problem("{{#include lib.rs:unclosed}}", Some(SOURCE)).as_deref(),
        Some("anchor 'unclosed' in lib.rs has no ANCHOR_END")
    );
    assert_eq!(
        problem("{{#include lib.rs:empty}}", Some(SOURCE)).as_deref(),
        Some("anchor 'empty' in lib.rs is empty")
    );
}

/// A line range that starts after the file's last line fails.
#[test]
fn a_line_range_past_the_end_fails() {
    assert_eq!(
        problem("{{#include lib.rs:20:30}}", Some(SOURCE)).as_deref(),
        Some("lib.rs has 8 lines, the include starts at line 20")
    );
}

/// A page with its question first and "What to try" last passes.
#[test]
fn a_page_with_its_question_and_what_to_try_passes() {
    let page =
        "# Counting\n\n> **The question:** why count?\n\n## Why\n\n## What to try\n\n- Run it.\n";
    assert_eq!(check_shape(page), Vec::<String>::new());
}

/// A page that does not open with its question fails.
#[test]
fn a_page_without_its_question_fails() {
    let late = format!(
        "# Counting\n{}> **The question:** why?\n## What to try\n",
        "\n".repeat(8)
    );
    for page in ["# Counting\n\n## What to try\n", late.as_str()] {
        assert_eq!(
            check_shape(page),
            ["does not open with '> **The question:**' in its first lines"]
        );
    }
}

/// A page without "What to try", or with another section after it, fails.
#[test]
fn a_page_without_what_to_try_last_fails() {
    for page in [
        "# Counting\n> **The question:** why?\n## Why\n",
        "# Counting\n> **The question:** why?\n## What to try\n## Afterwards\n",
    ] {
        assert_eq!(
            check_shape(page),
            ["its last section is not '## What to try'"]
        );
    }
}

/// An exercise needs its task page, and the page must be in SUMMARY.md.
#[test]
fn an_exercise_without_its_page_in_the_book_fails() {
    let summary = "- [Lost update](exercises/01-lost-update.md)\n";
    assert_eq!(check_exercise("01-lost-update", true, summary), None);
    assert_eq!(
        check_exercise("02-call-timeout", false, summary).as_deref(),
        Some("exercises/02-call-timeout/ has no task page docs/exercises/02-call-timeout.md")
    );
    assert_eq!(
        check_exercise("02-call-timeout", true, summary).as_deref(),
        Some("docs/exercises/02-call-timeout.md is not listed in docs/SUMMARY.md")
    );
}

/// A Rust block of includes only becomes a `text` block; inline Rust blocks,
/// and blocks in other languages, stay as they are.
#[test]
fn a_block_of_includes_only_becomes_text() {
    let page = "# Page\n\n  ```rust,no_run\n  {{#include ../src/lib.rs:handle}}\n  ```\n\
                ~~~\nfn main() {}\n~~~\n```rust,compile_fail,E0499\nlet x;\n```\n\
                ```toml\n{{#include ../Cargo.toml}}\n```\n";
    let expected = page.replacen("```rust,no_run", "```text", 1);
    assert_eq!(prepare(page), (expected, vec![]));
}

/// A Rust block that the compiler would not see, or would see fail for any
/// reason, stops the build with its line.
#[test]
fn a_rust_block_the_compiler_would_not_check_fails() {
    let page = "# Page\n```rust\n{{#include a.rs}}\nfn extra() {}\n```\n\
                ```rust,compile_fail\nlet x;\n```\n```rust,ignore\nfn skipped() {}\n```\n";
    let (_, problems) = prepare(page);
    assert_eq!(
        problems,
        [
            (2, "a Rust block mixes included and inline code; split it"),
            (
                6,
                "a compile_fail block must name the error it fails with \
                 (for example `rust,compile_fail,E0499`), or any typo would pass"
            ),
            (
                9,
                "`ignore` hides this block from the compiler; make it compile, \
                 or mark it compile_fail if failing is its point"
            ),
        ]
    );
}
