//! `just exercise N`: grades exercise N against the student's code in
//! its `src/starter.rs`.
//!
//! ```console
//! $ cargo run -q -p course -- grade 8    # what `just exercise 8` runs
//! ```
//!
//! `grade N` (N written `8` or `08`) runs `cargo test -p exercise-NN-slug
//! --features starter` and exits with its status: 0 when every test passes.
//! A missing or unknown N lists the exercises and exits with 2, and so does
//! anything but `grade`. It works from any directory.
//!
//! The crate's `starters` test checks the other side, for CI and
//! instructors: every grader fails against its untouched starter (`just
//! exercises-check`).

use std::env;
use std::process::exit;

use course::{cargo, exercises};

fn main() {
    let mut args = env::args().skip(1);
    let code = match (args.next().as_deref(), args.next()) {
        (Some("grade"), n) => grade(&n.unwrap_or_default()),
        _ => {
            eprintln!("usage: course grade N");
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
    fn the_listing_gives_numbers_as_a_student_types_them() {
        assert_eq!(
            listing(&names()),
            "  1  lost-update\n  8  your-own-target\n  12  on-the-wire\n"
        );
    }
}
