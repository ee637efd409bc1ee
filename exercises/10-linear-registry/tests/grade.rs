//! The grader for exercise 10: what a registry does, and how much work it
//! does for it.
//!
//! The first tests fill small registries and report each answer and the
//! entries' order. The last three count work on 100,000 entries. Nothing
//! is timed: the keys are of a type of the grader's own, [`Key`], that
//! counts every comparison (`eq`) and every hash it takes part in. Each
//! run has a budget of a few of those per entry on average. Once the
//! budget is spent the next one stops the run, so an answer that scans
//! fails in a moment rather than after billions of comparisons.
//!
//! The work depends a little on the hash set's random seed, so a report
//! says whether the run stayed within its budget, not how much it used.
//! `SHOW_WORK=1` prints how much each run used, on standard error (add
//! `-- --nocapture` to see it). The count sees only work done with keys:
//! entries moved in memory, as `Vec::remove` moves them, cost nothing here.

use std::cell::Cell;
use std::hash::{Hash, Hasher};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use exercise_10_linear_registry::Registry;

/// How many entries the work tests register.
const N: u64 = 100_000;
/// The budget of every work test: comparisons and hashes per entry, on
/// average. A scan needs one comparison per entry already there.
const PER_ENTRY: u64 = 4;

thread_local! {
    /// The comparisons and hashes of [`Key`]s counted so far on this thread.
    static WORK: Cell<u64> = const { Cell::new(0) };
    /// Where counting stops the run. Each test runs on a thread of its own.
    static BUDGET: Cell<u64> = const { Cell::new(u64::MAX) };
}

// ANCHOR: key
/// A key that counts the work done with it.
#[derive(Debug, Clone, Copy)]
struct Key(u64);

/// Counts one comparison or hash, and stops the run once the budget is
/// spent.
fn count() {
    let work = WORK.get() + 1;
    WORK.set(work);
    if work > BUDGET.get() {
        panic::panic_any(OverBudget);
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        count();
        self.0 == other.0
    }
}

impl Eq for Key {}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        count();
        self.0.hash(state);
    }
}
// ANCHOR_END: key

/// The panic that stops a run over its budget.
struct OverBudget;

/// Keeps the output readable: a run stopped over its budget prints
/// nothing, while every other panic, a `todo!()` among them, prints as
/// usual.
fn quiet_over_budget() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !info.payload().is::<OverBudget>() {
                default(info);
            }
        }));
    });
}

/// Runs `steps` steps of `step`, each one `what`, within the budget of
/// every work test: [`PER_ENTRY`] comparisons and hashes per entry of
/// [`N`]. Returns where the budget ran out, if it did.
fn metered(what: &str, steps: u64, mut step: impl FnMut(u64)) -> Result<(), String> {
    quiet_over_budget();
    let budget = PER_ENTRY * N;
    WORK.set(0);
    BUDGET.set(budget);
    let mut done = 0;
    let run = panic::catch_unwind(AssertUnwindSafe(|| {
        for i in 0..steps {
            step(i);
            done += 1;
        }
    }));
    BUDGET.set(u64::MAX);
    if std::env::var_os("SHOW_WORK").is_some() {
        let work = WORK.get().min(budget + 1);
        eprintln!("{what}: {work} comparisons and hashes, of a budget of {budget}");
    }
    match run {
        Ok(()) => Ok(()),
        Err(payload) if payload.is::<OverBudget>() => Err(match steps {
            1 => format!("it ran out during the {what}"),
            _ => format!(
                "it ran out at {what} {} of {}",
                thousands(done + 1),
                thousands(steps)
            ),
        }),
        Err(payload) => panic::resume_unwind(payload),
    }
}

/// The report's verdict on a metered run.
fn verdict(run: &Result<(), String>) -> String {
    match run {
        Ok(()) => "within budget: yes\n".to_string(),
        Err(where_) => format!("within budget: no, {where_}\n"),
    }
}

/// The report's first lines for a work test: what it does, and its budget
/// per `unit`.
fn heading(does: &str, unit: &str) -> String {
    format!(
        "{does}\nbudget: {PER_ENTRY} comparisons and hashes per {unit}, {} in all\n",
        thousands(PER_ENTRY * N)
    )
}

/// `100000` as `100,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A registry of keys `0..N`, each under its own number, registered within
/// budget; or `None` if registering them ran out of budget, which
/// `registering_costs_a_few_operations_per_key` reports.
fn registered() -> Option<Registry<Key, u64>> {
    let mut registry = Registry::new();
    let run = metered("insert", N, |k| {
        let _ = registry.insert(Key(k), k);
    });
    run.is_ok().then_some(registry)
}

/// What a work test reports when the registry it needs cannot be filled.
const NOT_MEASURED: &str = "not measured: registering the keys went over its budget\n";

/// Whether the values are exactly `expected`, in order.
fn values_are(registry: &Registry<Key, u64>, expected: impl Iterator<Item = u64>) -> &'static str {
    if registry.values().copied().eq(expected) {
        "yes"
    } else {
        "no"
    }
}

/// The registry's values in order, as the report lists them.
fn listed<V: std::fmt::Debug>(registry: &Registry<u32, V>) -> String {
    let values: Vec<String> = registry.values().map(|v| format!("{v:?}")).collect();
    format!("[{}] ({} entries)", values.join(", "), registry.len())
}

/// The report's line for one `insert`.
fn inserted(registry: &mut Registry<u32, &'static str>, key: u32, value: &'static str) -> String {
    let answer = registry.insert(key, value);
    format!("insert({key}, {value:?}) -> {answer:?}\n")
}

/// Entries come out in the order they went in, whatever their keys.
#[test]
fn entries_keep_the_order_they_came_in() {
    let mut registry = Registry::new();
    let mut report = String::new();
    for (key, value) in [(30, "c"), (10, "a"), (50, "e"), (20, "b"), (40, "d")] {
        report.push_str(&inserted(&mut registry, key, value));
    }
    report.push_str(&format!("values: {}\n", listed(&registry)));
    grading::assert_report!(report);
}

/// A key already there is refused: its value comes back, and the first
/// value, the order and the length stay as they were.
#[test]
fn a_duplicate_is_refused_and_changes_nothing() {
    let mut registry = Registry::new();
    let mut report = String::new();
    for (key, value) in [(1, "one"), (2, "two"), (1, "uno"), (3, "three"), (2, "dos")] {
        report.push_str(&inserted(&mut registry, key, value));
    }
    report.push_str(&format!("values: {}\n", listed(&registry)));
    grading::assert_report!(report);
}

/// `retain` asks about every entry once, oldest first, and the entries
/// that stay keep their order.
#[test]
fn retain_asks_once_per_entry_and_keeps_the_order() {
    let mut registry = Registry::new();
    for (key, value) in [(6, "f"), (1, "a"), (4, "d"), (3, "c"), (2, "b"), (5, "e")] {
        registry.insert(key, value).expect("new keys");
    }
    let mut report = format!("before: {}\n", listed(&registry));
    let mut asked = Vec::new();
    registry.retain(|key, _| {
        asked.push(key.to_string());
        key % 2 == 0
    });
    report.push_str(&format!(
        "keep the even keys, asked about: {}\n",
        asked.join(", ")
    ));
    report.push_str(&format!("after: {}\n", listed(&registry)));
    grading::assert_report!(report);
}

/// A key that `retain` dropped is free again and registers as the newest
/// entry; a key that stayed is still refused.
#[test]
fn a_dropped_key_can_register_again() {
    let mut registry = Registry::new();
    for (key, value) in [(1, "a"), (2, "b"), (3, "c"), (4, "d")] {
        registry.insert(key, value).expect("new keys");
    }
    registry.retain(|key, _| *key != 2 && *key != 3);
    let mut report = format!("after dropping 2 and 3: {}\n", listed(&registry));
    for (key, value) in [
        (2, "b again"),
        (1, "a again"),
        (3, "c again"),
        (4, "d again"),
    ] {
        report.push_str(&inserted(&mut registry, key, value));
    }
    report.push_str(&format!("values: {}\n", listed(&registry)));
    registry.retain(|_, _| false);
    report.push_str(&format!("after dropping all: {}\n", listed(&registry)));
    report.push_str(&inserted(&mut registry, 4, "d at last"));
    grading::assert_report!(report);
}

/// Registering 100,000 new keys costs a few comparisons and hashes per
/// key on average, growth of the set included, where a scan would cost
/// about 5 billion.
#[test]
fn registering_costs_a_few_operations_per_key() {
    let mut report = heading(
        &format!("register {} new keys, one insert each", thousands(N)),
        "key",
    );
    let mut registry = Registry::new();
    let run = metered("insert", N, |k| {
        let _ = registry.insert(Key(k), k);
    });
    report.push_str(&verdict(&run));
    if run.is_ok() {
        let in_order = values_are(&registry, 0..N);
        report.push_str(&format!("all registered, in order: {in_order}\n"));
    }
    grading::assert_report!(report);
}

/// Refusing 100,000 duplicates costs a few comparisons and hashes each,
/// and changes nothing.
#[test]
fn refusing_a_duplicate_costs_a_few_operations() {
    let mut report = heading(
        &format!("register {} keys, then insert each again", thousands(N)),
        "duplicate",
    );
    match registered() {
        None => report.push_str(NOT_MEASURED),
        Some(mut registry) => {
            let mut refused = 0;
            let run = metered("duplicate", N, |k| {
                if registry.insert(Key(k), N + k).is_err() {
                    refused += 1;
                }
            });
            report.push_str(&verdict(&run));
            if run.is_ok() {
                let unchanged = values_are(&registry, 0..N);
                report.push_str(&format!("refused: {}\n", thousands(refused)));
                report.push_str(&format!("entries unchanged: {unchanged}\n"));
            }
        }
    }
    grading::assert_report!(report);
}

/// A `retain` that drops every other entry of 100,000 costs a few
/// comparisons and hashes per entry, where finding each dropped key by a
/// scan would cost more than a billion.
#[test]
fn retain_costs_a_few_operations_per_entry() {
    let mut report = heading(
        &format!(
            "register {} keys, then one retain that drops the odd ones",
            thousands(N)
        ),
        "entry",
    );
    match registered() {
        None => report.push_str(NOT_MEASURED),
        Some(mut registry) => {
            let mut asked = 0;
            let run = metered("retain", 1, |_| {
                registry.retain(|_, value| {
                    asked += 1;
                    value % 2 == 0
                });
            });
            report.push_str(&verdict(&run));
            if run.is_ok() {
                let in_order = values_are(&registry, (0..N).step_by(2));
                report.push_str(&format!("asked about: {} entries\n", thousands(asked)));
                report.push_str(&format!("the even ones stay, in order: {in_order}\n"));
            }
        }
    }
    grading::assert_report!(report);
}
