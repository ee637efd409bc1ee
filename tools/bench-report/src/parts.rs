//! Named parts: every table and figure the book shows, made once.
//!
//! The parts go two ways. `docs/bench-figures.txt` holds them all, each
//! between `<!-- ANCHOR: name -->` and `<!-- ANCHOR_END: name -->`, so a
//! chapter includes one as mdBook includes code:
//! `{{#include bench-figures.txt:counting_ractor_1}}`. And the results pages
//! are Markdown templates in `tools/bench-report/pages/`, where `{{name}}`
//! stands for a part.

use std::collections::BTreeMap;

use anyhow::bail;

use crate::machine::Machine;

/// The name of the figures file inside the output directory.
pub const FIGURES: &str = "bench-figures.txt";

/// The parts, in the order they were made.
#[derive(Debug, Default)]
pub struct Parts {
    list: Vec<(String, String)>,
}

impl Parts {
    /// Adds the part `name`.
    pub fn add(&mut self, name: impl Into<String>, body: impl Into<String>) {
        self.list.push((name.into(), body.into()));
    }

    /// Adds a table followed by the command that produces it, and the
    /// machine if the table's figures come from a program's own run.
    pub fn table(&mut self, name: &str, table: String, command: &str, on: Option<&Machine>) {
        let machine = on.map_or(String::new(), |m| format!(", on {m}."));
        self.add(name, format!("{table}\n\nCommand: `{command}`{machine}"));
    }

    /// The part `name`, if it was made.
    pub fn get(&self, name: &str) -> Option<&str> {
        let found = self.list.iter().find(|(n, _)| n == name);
        found.map(|(_, body)| body.as_str())
    }

    /// The figures file: a header, then every part between its anchors.
    pub fn file(&self) -> String {
        let mut text = String::from(
            "Figures for the book's chapters, written by `just bench-report` \
             (tools/bench-report)\nfrom the results of `just bench`. Do not edit by hand: \
             a chapter includes each part by its anchor.\n\n",
        );
        for (name, body) in &self.list {
            text += &format!("<!-- ANCHOR: {name} -->\n{body}\n<!-- ANCHOR_END: {name} -->\n");
        }
        text
    }

    /// `template` with every `{{name}}` replaced by its part. A name with
    /// no part is an error, not a blank on the page.
    pub fn fill(&self, template: &str) -> anyhow::Result<String> {
        let by_name: BTreeMap<&str, &str> = self
            .list
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_str()))
            .collect();
        let mut out = String::new();
        let mut rest = template;
        while let Some(start) = rest.find("{{") {
            let Some(len) = rest[start..].find("}}") else {
                bail!("a `{{{{` with no `}}}}` after it");
            };
            let name = &rest[start + 2..start + len];
            let Some(body) = by_name.get(name) else {
                bail!("`{{{{{name}}}}}` names no part");
            };
            out += &rest[..start];
            out += body;
            rest = &rest[start + len + 2..];
        }
        Ok(out + rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_fill_templates_and_the_figures_file() {
        let mut parts = Parts::default();
        parts.add("ratio", "1.04×");
        parts.table("t", "| a |\n| :--- |".to_owned(), "cargo bench", None);
        assert_eq!(parts.fill("x {{ratio}} y").unwrap(), "x 1.04× y");
        assert!(parts.get("t").unwrap().ends_with("Command: `cargo bench`"));
        assert!(
            parts
                .file()
                .contains("<!-- ANCHOR: ratio -->\n1.04×\n<!-- ANCHOR_END: ratio -->\n")
        );
    }

    #[test]
    fn an_unknown_name_is_an_error() {
        let parts = Parts::default();
        let err = parts.fill("a {{nothing}} b").unwrap_err();
        assert_eq!(err.to_string(), "`{{nothing}}` names no part");
        assert!(parts.fill("a {{ b").is_err());
    }
}
