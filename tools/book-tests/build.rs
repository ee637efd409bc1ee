//! Copies every page of the book into `OUT_DIR`, ready to be a doc comment
//! (see `src/book.rs`), and writes `pages.rs`, which declares one module
//! per page. A Rust block the compiler would never see stops the build,
//! with the page and line to fix.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

#[path = "src/book.rs"]
mod book;

fn main() {
    let dir = |var| PathBuf::from(std::env::var_os(var).expect("set by cargo"));
    let (docs, out) = (dir("CARGO_MANIFEST_DIR").join("../../docs"), dir("OUT_DIR"));
    println!("cargo::rerun-if-changed={}", docs.display());

    let mut modules = String::new();
    let mut problems = Vec::new();
    for page in book::markdown_files(&docs) {
        let relative = page.strip_prefix(&docs).expect("under docs/");
        let text = fs::read_to_string(&page).expect("a page of the book is UTF-8 text");
        let (prepared, found) = book::prepare(&text);
        for (line, problem) in found {
            problems.push(format!("docs/{}:{line}: {problem}", relative.display()));
        }
        let copy = out.join(relative);
        fs::create_dir_all(copy.parent().expect("a file has a parent")).expect("OUT_DIR is ours");
        fs::write(&copy, prepared).expect("OUT_DIR is ours");
        let module = module_name(relative);
        writeln!(
            modules,
            "#[doc = include_str!({copy:?})]\npub mod {module} {{}}"
        )
        .expect("writing to a String");
    }
    if !problems.is_empty() {
        for problem in &problems {
            println!("cargo::warning={problem}");
        }
        let problems = problems.join("\n");
        panic!("the book has Rust blocks the compiler would never see:\n{problems}");
    }
    fs::write(out.join("pages.rs"), modules).expect("OUT_DIR is ours");
}

/// `exercises/01-lost-update.md` becomes `page_exercises_01_lost_update`.
fn module_name(relative: &Path) -> String {
    let stem = relative.with_extension("");
    let name = stem.to_string_lossy().to_ascii_lowercase();
    let name = name.replace(|c: char| !c.is_ascii_alphanumeric(), "_");
    format!("page_{name}")
}
