//! Step 3 of a trace: render. [`render`] writes the steps as Mermaid's
//! `sequenceDiagram`: solid arrows (`->>`) for casts and questions, dashed
//! arrows (`-->>`) for answers, notes for the aggregator's rounds and for
//! the phases of the run.

use std::fmt::{self, Write as _};

use actors_core::flow::{self, Kind};

use super::Step;
use super::collapse::span;

/// Makes `text` safe for a Mermaid label.
///
/// In a sequence diagram `;` ends a statement, `#` starts an entity code
/// and `:` separates an arrow from its text, so each is written as its
/// entity code (`#59;`, `#35;`, `#58;`), as are `<` and `>`, which the
/// browser would read as HTML. A line break would end the statement, so it
/// becomes a space.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ';' => escaped.push_str("#59;"),
            '#' => escaped.push_str("#35;"),
            ':' => escaped.push_str("#58;"),
            '<' => escaped.push_str("#lt;"),
            '>' => escaped.push_str("#gt;"),
            '\n' | '\r' => escaped.push(' '),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Where a participant goes, left to right: the clients, the counters, the
/// aggregator, then `main`, which talks mostly to the aggregator and so
/// sits next to it. Anyone else comes last, by name.
fn rank(name: &str) -> (u8, u64, &str) {
    let numbered = |prefix: &str| {
        name.strip_prefix(prefix)
            .and_then(|n| n.parse::<u64>().ok())
    };
    let (group, n) = if let Some(n) = numbered("client-") {
        (0, n)
    } else if let Some(n) = numbered("counter-") {
        (1, n)
    } else if name == flow::AGGREGATOR {
        (2, 0)
    } else if name == flow::MAIN {
        (3, 0)
    } else {
        (4, 0)
    };
    (group, n, name)
}

/// Every participant the steps mention, in [`rank`] order.
fn participants(steps: &[Step]) -> Vec<String> {
    let mut names: Vec<&str> = Vec::new();
    for step in steps {
        match step {
            Step::Arrow(arrow) => names.extend([arrow.from.as_str(), arrow.to.as_str()]),
            Step::Note { over, .. } => names.push(over),
            Step::Phase { .. } => {}
        }
    }
    names.sort_by_key(|name| rank(name));
    names.dedup();
    names.into_iter().map(str::to_owned).collect()
}

/// A Mermaid identifier for each participant, in the same order: the name
/// with every character other than a letter, a digit or `_` turned into
/// `_`, and a number added if two names come out the same.
fn identifiers(names: &[String]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        let base: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let base = if base.is_empty() {
            "p".to_owned()
        } else {
            base
        };
        let mut id = base.clone();
        let mut n = 2;
        while ids.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        ids.push(id);
    }
    ids
}

/// Writes `steps` as a Mermaid `sequenceDiagram`, with each of `comments`
/// as a `%%` line at the top.
pub fn render(steps: &[Step], comments: &[String]) -> String {
    let mut names = participants(steps);
    if names.is_empty() {
        // A phase needs someone to stand over.
        names.push(flow::MAIN.to_owned());
    }
    let ids = identifiers(&names);
    let id = |name: &str| {
        let at = names.iter().position(|known| known == name).unwrap_or(0);
        ids[at].as_str()
    };

    let mut out = String::new();
    for comment in comments {
        line(&mut out, format_args!("%% {}", comment.replace('\n', " ")));
    }
    line(&mut out, format_args!("sequenceDiagram"));
    for (name, id) in names.iter().zip(&ids) {
        if id == name {
            line(&mut out, format_args!("    participant {id}"));
        } else {
            line(
                &mut out,
                format_args!("    participant {id} as {}", escape(name)),
            );
        }
    }
    let everyone = match (ids.first(), ids.last()) {
        (Some(first), Some(last)) if first != last => format!("{first},{last}"),
        (Some(only), _) => only.clone(),
        _ => flow::MAIN.to_owned(),
    };
    for step in steps {
        match step {
            Step::Arrow(arrow) => {
                let head = if arrow.kind == Kind::Reply {
                    "-->>"
                } else {
                    "->>"
                };
                let (from, to) = (id(&arrow.from), id(&arrow.to));
                let label = escape(&arrow.label());
                line(&mut out, format_args!("    {from}{head}{to}: {label}"));
            }
            Step::Note { over, text, at } => {
                let text = escape(&format!("{text} ({})", span(*at, *at)));
                line(&mut out, format_args!("    Note over {}: {text}", id(over)));
            }
            Step::Phase { text, at } => {
                let text = escape(&format!("{text} ({})", span(*at, *at)));
                line(&mut out, format_args!("    Note over {everyone}: {text}"));
            }
        }
    }
    out
}

fn line(out: &mut String, text: fmt::Arguments<'_>) {
    // Writing to a String cannot fail.
    let _ = writeln!(out, "{text}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{diagram, test_flow as flow};

    /// The characters Mermaid reads as syntax in a label become entity
    /// codes, `#` first among them so that no code is escaped twice, and a
    /// line break becomes a space.
    #[test]
    fn labels_escape_what_mermaid_would_read_as_syntax() {
        assert_eq!(escape("a;b#c:d<e>f\ng"), "a#59;b#35;c#58;d#lt;e#gt;f g");
        assert_eq!(escape("#59;"), "#35;59#59;");
        assert_eq!(escape("Increment ×3 (0–20 ms)"), "Increment ×3 (0–20 ms)");
    }

    /// Casts and questions are solid arrows, answers dashed; the
    /// participants come in a fixed order (clients, counters by number, the
    /// aggregator, `main`), and each gets an identifier Mermaid accepts.
    #[test]
    fn rendering_draws_each_kind_and_orders_the_participants() {
        let flows = [
            flow(0, Kind::Call, "main", "aggregator", "GetTotalStats"),
            flow(1, Kind::Cast, "client-10", "counter-10", "Increment"),
            flow(2, Kind::Cast, "client-2", "counter-2", "Decrement"),
            flow(3, Kind::Reply, "aggregator", "main", "12 counters: all"),
            flow(4, Kind::Phase, "", "", "shutdown"),
        ];

        let diagram = diagram(&flows, &["made by hand".into()]);

        assert_eq!(
            diagram,
            "\
%% made by hand
sequenceDiagram
    participant client_2 as client-2
    participant client_10 as client-10
    participant counter_2 as counter-2
    participant counter_10 as counter-10
    participant aggregator
    participant main
    main->>aggregator: GetTotalStats (0 ms)
    client_10->>counter_10: Increment (1 ms)
    client_2->>counter_2: Decrement (2 ms)
    aggregator-->>main: 12 counters#58; all (3 ms)
    Note over client_2,main: shutdown (4 ms)
"
        );
    }

    /// Two names that come out as the same identifier get a number each
    /// after the first, so Mermaid never merges two participants.
    #[test]
    fn clashing_identifiers_get_numbers() {
        let names = ["a-b".to_owned(), "a_b".to_owned(), "a.b".to_owned()];

        assert_eq!(identifiers(&names), ["a_b", "a_b_2", "a_b_3"]);
    }
}
