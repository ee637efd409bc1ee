//! The machine the figures come from, for the pages' first lines. It lives
//! in `bench::machine`, so that a bench program can name the machine in
//! its own JSON too (the `remote` binary does); the report reads it here.

pub use bench::machine::{Machine, cpu_model};
