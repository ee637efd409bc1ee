//! # book-tests: the book's code compiled, and its rules checked
//!
//! Most code in the book is pulled from the crates with
//! `{{#include file:anchor}}`, so it compiles and is tested where it lives.
//! The few blocks written straight into a page have no crate of their own.
//! This crate gives them one: `build.rs` copies each page of `docs/` into
//! a doc comment, and `cargo test` runs every Rust block in it as a doc
//! test, against the real ractor, tokio and the workspace's crates.
//!
//! On the way, `build.rs` (with [`book`]) turns each block that only includes crate code
//! into a `text` block (that code is compiled in its own crate), and it
//! stops the build on any Rust block marked `ignore`: a block the compiler
//! never sees is a block that can rot. A block marked `compile_fail` stays,
//! and must name its error code (`rust,compile_fail,E0499`): rustdoc then
//! checks that it fails with that error, not with a typo.
//!
//! A failing block is reported under the page's name, for example
//! `why-shared-state.md - pages::page_why_shared_state (line 49)`, with the line counted
//! in the page itself.
//!
//! What mdBook does not check, [`rules`] does, and `tests/book.rs` runs it
//! on every page: each include finds its file and anchor, each page opens
//! with its question and ends with what to try, each exercise has its page.
//! Links, anchors and diagrams are checked on the built book by
//! `tools/book-check`.

pub mod book;
pub mod rules;

/// One empty module per page of the book, each documented with that page.
pub mod pages {
    include!(concat!(env!("OUT_DIR"), "/pages.rs"));
}
