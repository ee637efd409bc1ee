//! The parts made from the bench programs' own JSON: `memory` (in the
//! builds with ractor's `cluster` feature and without), `scale`, `backlog`
//! and `remote`. Each table names its command and the machine it ran on.
//! A program with no figures gives sentences that say how to add them.

use actors_core::{Design, Mailbox};
use bench::backlog::{BACKLOG_COMMAND, BacklogFigures};
use bench::ids::{self, Group, MEMORY_COMMAND, Switch, memory_command};
use bench::memory::{MemoryFigures, Part};
use bench::remote::{Kind, REMOTE_COMMAND, RemoteFigures, Side};
use bench::scale::{GOAL, GOAL_COUNTERS, Outcome, SCALE_COMMAND, ScaleFigures};

use crate::benches::in_unit;
use crate::format::{
    MISSING, bytes, code, duration, maybe_ratio, number, ratio, size, table, thousands,
};
use crate::machine::Machine;
use crate::parts::Parts;
use crate::results::Results;

/// The figures of each bench program that left its file, `None` for one
/// that did not.
#[derive(Debug, Default)]
pub struct Programs {
    /// `memory`, in the default build (ractor's `cluster` feature on).
    pub memory: Option<MemoryFigures>,
    /// `memory`, built without the `cluster` feature.
    pub memory_without_cluster: Option<MemoryFigures>,
    /// `scale`.
    pub scale: Option<ScaleFigures>,
    /// `backlog`.
    pub backlog: Option<BacklogFigures>,
    /// `remote`.
    pub remote: Option<RemoteFigures>,
}

/// The sentence that stands for a program's missing figures.
fn absent(recipe: &str, command: &str) -> String {
    format!(
        "Not included in this report: run `just {recipe}` (`{command}`), then `just bench-report`."
    )
}

/// Every program's parts.
pub fn add(programs: &Programs, results: &Results, machine: &Machine, parts: &mut Parts) {
    memory(programs, results, machine, parts);
    scale(programs.scale.as_ref(), machine, parts);
    backlog(programs.backlog.as_ref(), machine, parts);
    remote(programs.remote.as_ref(), parts);
}

fn memory(programs: &Programs, results: &Results, machine: &Machine, parts: &mut Parts) {
    let on = programs.memory.as_ref();
    let of = |design| on.and_then(|m| m.bytes_per_counter(design));
    let counters = on.map(|m| thousands(m.counters as u64));
    parts.add(
        "memory_counters",
        counters.clone().unwrap_or(MISSING.to_owned()),
    );
    for design in Design::ALL {
        let text = of(design).map_or(MISSING.to_owned(), |b| format!("{b:.0} bytes"));
        parts.add(format!("memory_{}", design.name()), text);
    }
    let rows = Design::ALL.map(|d| vec![code(d.name()), bytes(of(d))]);
    let designs = table("Design|Heap bytes per idle counter", 1, rows);
    let memory = match counters {
        Some(n) => format!(
            "N = {n} counters per design.\n\n{designs}\n\nCommand: `{MEMORY_COMMAND}`, on {machine}."
        ),
        None => absent("bench-report", MEMORY_COMMAND),
    };
    parts.add("memory_table", memory);

    let start = Design::ALL.map(|design| {
        let id = ids::spawn(design);
        let us = results.read(&id).map(|m| in_unit(&id, m).value / 1000.0);
        let us = us.map_or(MISSING.to_owned(), number);
        vec![code(design.name()), us, bytes(of(design))]
    });
    let header = "Design|µs per counter to start|Heap bytes per idle counter";
    let command = format!("{}` and `{MEMORY_COMMAND}", Group::Spawn.command());
    parts.table("start_and_memory", table(header, 1, start), &command, None);
    let ractor_bytes = ractor_bytes(on);
    parts.table("ractor_bytes", ractor_bytes, MEMORY_COMMAND, Some(machine));

    // The pieces of an idle ractor counter that grow with the `cluster`
    // feature, in the build with it and the build without.
    let off = programs.memory_without_cluster.as_ref();
    let (ractor, name) = (code(Design::Ractor.name()), |part: Part| code(part.name()));
    type Read = fn(&MemoryFigures) -> Option<f64>;
    let rows: [(&str, String, Read); 3] = [
        (
            "one idle ractor counter",
            format!("{ractor} (memory table)"),
            |m| m.bytes_per_counter(Design::Ractor),
        ),
        (
            "a bare ractor actor inside it",
            name(Part::BareActor),
            |m| m.part_bytes(Part::BareActor),
        ),
        (
            "its message port: an unbounded channel and its first block of slots",
            name(Part::Channel),
            |m| m.part_bytes(Part::Channel),
        ),
    ];
    let rows = rows.map(|(what, how, read)| {
        let (on, off) = (on.and_then(read), off.and_then(read));
        let both = on.zip(off);
        let difference = bytes(both.map(|(on, off)| on - off));
        let times = maybe_ratio(both.map(|(on, off)| on / off));
        vec![
            what.to_owned(),
            how,
            bytes(on),
            bytes(off),
            difference,
            times,
        ]
    });
    let header = "Heap bytes of|Measured as|Cluster on|Cluster off|On − off|On ÷ off";
    let [c_on, c_off] = Switch::ALL.map(memory_command);
    let table = table(header, 2, rows);
    parts.table(
        "cluster_memory",
        table,
        &format!("{c_on}` and `{c_off}"),
        Some(machine),
    );
}

/// Where an idle ractor counter's heap bytes go: each piece measured
/// alone, then what each bigger whole adds to the pieces inside it.
fn ractor_bytes(memory: Option<&MemoryFigures>) -> String {
    const WHAT: [&str; 9] = [
        "a tokio task",
        "two oneshot ports: signal, stop",
        "the message port: an unbounded channel and its first block of slots",
        "the supervision port: the same, for supervision events",
        "the rest of an actor: its shared properties, its loop's futures",
        "the counter's own state: name, ledger, clock, transcript",
        "its share of the system: registry entry, handles",
        "**one idle ractor counter**",
        "what answering one question adds to it",
    ];
    let bytes_of = |part| memory.and_then(|m| m.part_bytes(part));
    let [task, oneshot, channel, supervision, bare, counter, used] = [
        Part::Task,
        Part::Oneshot,
        Part::Channel,
        Part::SupervisionChannel,
        Part::BareActor,
        Part::CounterActor,
        Part::CounterActorUsed,
    ]
    .map(|part| (code(part.name()), bytes_of(part)));
    let whole = (
        code(Design::Ractor.name()),
        memory.and_then(|m| m.bytes_per_counter(Design::Ractor)),
    );
    let less = |a: &(String, Option<f64>), b: &(String, Option<f64>)| {
        (
            format!("{} − {}", a.0, b.0),
            a.1.zip(b.1).map(|(a, b)| a - b),
        )
    };
    let pieces = [task.1, oneshot.1.map(|o| 2.0 * o), channel.1, supervision.1];
    let inside = ("the rows above".to_owned(), pieces.iter().copied().sum());
    let rows = [
        task.clone(),
        (format!("2 × {}", oneshot.0), pieces[1]),
        channel,
        supervision,
        less(&bare, &inside),
        less(&counter, &bare),
        less(&whole, &counter),
        (format!("{} (memory table)", whole.0), whole.1),
        less(&used, &counter),
    ];
    let rows: Vec<Vec<String>> = WHAT
        .iter()
        .zip(rows)
        .map(|(what, (how, value))| vec![what.to_string(), how, bytes(value)])
        .collect();
    table("Piece|Measured as|Heap bytes", 2, &rows)
}

fn scale(figures: Option<&ScaleFigures>, machine: &Machine, parts: &mut Parts) {
    let command = figures.map_or(SCALE_COMMAND, |f| f.command.as_str());
    let runs = figures.map_or(&[][..], |f| &f.runs[..]);
    let rows = runs.iter().map(|run| {
        let mut row = vec![code(run.design.name()), thousands(run.counters as u64)];
        match &run.outcome {
            Outcome::Ran(measured) => {
                let (p, memory) = (measured.phases, measured.memory);
                row.extend([p.start, p.feed, p.collect, p.drain, p.total()].map(number));
                row.push(memory.map_or(MISSING.to_owned(), |m| size(m.peak as f64)));
                row.push(bytes(memory.map(|m| m.per_counter(run.counters))));
                row.push(if measured.exact { "yes" } else { "no" }.to_owned());
            }
            Outcome::Skipped { reason } => {
                row.extend([MISSING; 7].map(str::to_owned));
                row.push(format!("skipped: {reason}"));
            }
        }
        row
    });
    let header = "Design|Counters|Start s|Feed s|Collect s|Drain s|Total s|Peak memory|\
                  Bytes per counter|Exact";
    let table = table(header, 2, rows);
    match figures {
        Some(_) => parts.table("scale_table", table, command, Some(machine)),
        None => parts.add("scale_table", absent("scale", SCALE_COMMAND)),
    }

    let what = format!("{} ractor counters", thousands(GOAL_COUNTERS as u64));
    let goal = GOAL.as_secs();
    let run = figures.and_then(|f| f.run(Design::Ractor, GOAL_COUNTERS));
    let verdict = match run.map(|run| &run.outcome) {
        None => format!("{what}: not measured (goal: under {goal} s)"),
        Some(Outcome::Skipped { reason }) => format!("{what}: skipped, {reason}"),
        Some(Outcome::Ran(measured)) => {
            let total = measured.phases.total();
            let verdict = match (total <= GOAL.as_secs_f64(), measured.exact) {
                (_, false) => "not met: the totals were wrong",
                (true, true) => "met",
                (false, true) => "not met",
            };
            let total = number(total);
            format!(
                "{what}: {total} s from start to drain, exact (goal: under {goal} s): {verdict}"
            )
        }
    };
    parts.add(
        "scale_goal",
        format!("{verdict} (`{command}`, on {machine})"),
    );
}

fn backlog(figures: Option<&BacklogFigures>, machine: &Machine, parts: &mut Parts) {
    let command = figures.map_or(BACKLOG_COMMAND, |f| f.command.as_str());
    let runs = figures.map_or(&[][..], |f| &f.runs[..]);
    if let Some(f) = figures {
        let setup = format!(
            "{} {} counters, {} operations per client, one every {} ms; {} ms of work per \
             operation; sampled every {} ms of virtual time",
            f.counters,
            f.design,
            thousands(f.ops_per_client),
            f.interval_ms,
            f.work_ms,
            f.sample_ms,
        );
        parts.add("backlog_setup", setup);
        let rows = runs.iter().map(|run| {
            let (mailbox, depth) = (code(&run.mailbox.to_string()), run.peak_depth as u64);
            let counts = [run.dropped, run.refused, run.rerouted, run.applied];
            let times = [run.producers_done_ms, run.drained_ms];
            let counts = counts.into_iter().chain(times).map(thousands);
            let first = [mailbox, thousands(depth), size(run.peak_heap_bytes as f64)];
            first.into_iter().chain(counts).collect::<Vec<_>>()
        });
        let header = "Mailbox|Peak depth per mailbox|Peak heap|Dropped|Refused|Rerouted|Applied|\
                      Clients done at ms|Drained at ms";
        parts.table(
            "backlog_table",
            table(header, 1, rows),
            command,
            Some(machine),
        );
    } else {
        parts.add("backlog_setup", MISSING);
        parts.add("backlog_table", absent("backlog", BACKLOG_COMMAND));
    }

    // The unbounded mailbox's peak against the hungriest bounded policy's
    // (the first of equals).
    let unbounded = runs.iter().find(|run| run.mailbox == Mailbox::Unbounded);
    let bounded = runs.iter().filter(|run| run.mailbox != Mailbox::Unbounded);
    let sentence = match (
        unbounded,
        bounded.rev().max_by_key(|run| run.peak_heap_bytes),
    ) {
        (Some(unbounded), Some(bounded)) if bounded.peak_heap_bytes > 0 => {
            let [u, b] = [unbounded, bounded].map(|run| run.peak_heap_bytes as f64);
            let policy = code(&bounded.mailbox.to_string());
            format!(
                "unbounded peaked at {} of heap, {} the {} of the hungriest bounded policy, {policy}",
                size(u),
                ratio(u / b),
                size(b),
            )
        }
        _ => format!("unbounded against bounded: {MISSING}, not measured"),
    };
    parts.add(
        "backlog_ratio",
        format!("{sentence} (`{command}`, on {machine})"),
    );
}

fn remote(figures: Option<&RemoteFigures>, parts: &mut Parts) {
    let Some(f) = figures else {
        parts.add("remote_setup", MISSING);
        parts.add("remote_table", absent("remote", REMOTE_COMMAND));
        let sentence =
            format!("remote against local: {MISSING}, not measured (`{REMOTE_COMMAND}`)");
        return parts.add("remote_ratio", sentence);
    };
    let (casts, calls) = (thousands(f.casts), thousands(f.calls));
    let setup = format!(
        "one `cluster::NodeCounter` in the sender's process (local) and one in a node in a \
         second process, over loopback TCP (remote); per round, each is sent {casts} increments \
         and then one call, then {calls} calls in turn; the median of {} rounds",
        f.rounds.len(),
    );
    parts.add("remote_setup", setup);
    let rows = Kind::ALL.map(|kind| {
        let what = match kind {
            Kind::Cast => format!("{casts} increments, then one call"),
            Kind::Call => format!("{calls} in turn"),
        };
        let [local, remote] =
            Side::ALL.map(|side| f.median(side, kind).map_or(MISSING.to_owned(), duration));
        vec![
            format!("{} ({what})", code(kind.name())),
            local,
            remote,
            maybe_ratio(f.ratio(kind)),
        ]
    });
    let header = "Per message|Local: one process|Remote: over loopback|Remote ÷ local";
    parts.table(
        "remote_table",
        table(header, 1, rows),
        &f.command,
        Some(&f.machine),
    );
    let [cast, call] = Kind::ALL.map(|kind| maybe_ratio(f.ratio(kind)));
    let sentence = format!(
        "remote ÷ local: {cast} per cast, {call} per call (medians of {} rounds; `{}`, on {})",
        f.rounds.len(),
        f.command,
        f.machine,
    );
    parts.add("remote_ratio", sentence);
}
