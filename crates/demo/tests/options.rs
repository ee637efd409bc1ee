//! The command line as a library: flags parsed with `Cli::try_parse_from`
//! and checked with `prepare`, without starting the binary or any actor.

use std::time::Duration;

use clap::{CommandFactory, Parser};
use demo::cli::{Cli, Command, CompareArgs, RunArgs, Unsupported, UsageError};
use demo::trace::TraceError;
use demo::{Design, Scenario, ScenarioError};

/// Parses `args` after the program's name.
fn parse(args: &[&str]) -> Command {
    let argv = std::iter::once("demo").chain(args.iter().copied());
    match Cli::try_parse_from(argv) {
        Ok(cli) => cli.into_command(),
        Err(error) => panic!("{args:?} should parse: {error}"),
    }
}

/// The flags of `run`, or a failure naming what came out instead.
fn run_args(args: &[&str]) -> RunArgs {
    match parse(args) {
        Command::Run(run) => run,
        other => panic!("{args:?} is not `run`: {other:?}"),
    }
}

/// The error `prepare` gives for `args`, which must be a `run`.
fn refused(args: &[&str]) -> UsageError {
    match run_args(args).prepare("") {
        Ok(plan) => panic!("{args:?} was accepted: {plan:?}"),
        Err(error) => error,
    }
}

/// With no flags at all, the demo runs exactly the article's scenario, on
/// the real clock, with no trace.
#[test]
fn no_flags_means_the_articles_scenario() {
    let run = run_args(&[]);
    let plan = run.prepare("").unwrap();

    assert_eq!(plan.scenario, Scenario::default());
    assert!(!run.scenario.virtual_time);
    assert!(plan.trace.is_none());
}

/// `demo FLAGS` and `demo run FLAGS` are the same command.
#[test]
fn a_bare_demo_is_demo_run() {
    let flags = ["--impl", "handrolled", "--counters", "2", "--virtual-time"];
    let run: Vec<&str> = std::iter::once("run").chain(flags).collect();

    assert_eq!(parse(&flags), parse(&run));
}

/// The flags of a bare `demo` cannot be mixed with a subcommand: it would
/// be unclear which of the two they belong to.
#[test]
fn top_level_flags_and_a_subcommand_conflict() {
    let mixed = Cli::try_parse_from(["demo", "--virtual-time", "compare"]);

    assert!(mixed.is_err());
}

/// Every flag lands in the setting it names.
#[test]
fn each_flag_sets_its_setting() {
    let run = run_args(&[
        "--counters=8",
        "--ops=7",
        "--interval-ms=3",
        "--collect-every-ms=500",
        "--timeout-ms=20",
        "--linger-ms=0",
        "--virtual-time",
    ]);
    let scenario = run.prepare("").unwrap().scenario;

    assert_eq!(scenario.design, Design::Ractor);
    assert_eq!(scenario.workload.counters, 8);
    assert_eq!(scenario.workload.ops_per_client, 7);
    assert_eq!(scenario.workload.interval, Duration::from_millis(3));
    assert_eq!(scenario.collect_every, Duration::from_millis(500));
    assert_eq!(scenario.call_timeout, Duration::from_millis(20));
    assert_eq!(scenario.linger, Duration::ZERO);
    assert!(run.scenario.virtual_time);
}

/// `--impl` takes each design's own name, from `Design::ALL`, and nothing
/// else: `all` is `demo compare` now.
#[test]
fn impl_takes_every_design_name_and_only_those() {
    for design in Design::ALL {
        assert_eq!(run_args(&["--impl", design.name()]).design, design);
    }
    assert!(Cli::try_parse_from(["demo", "--impl", "all"]).is_err());
}

/// `demo compare` takes the scenario's flags and builds the same scenario
/// as `run` would, collection period included: the ractor design, which
/// reads it, is among the designs compared.
#[test]
fn compare_takes_the_scenario_flags() {
    let Command::Compare(compare) =
        parse(&["compare", "--counters", "3", "--collect-every-ms", "9"])
    else {
        panic!("not `compare`");
    };
    let scenario = CompareArgs::prepare(&compare).unwrap();

    assert_eq!(scenario.workload.counters, 3);
    assert_eq!(scenario.collect_every, Duration::from_millis(9));
}

/// The aggregator's two flags, given for a design without an aggregator,
/// are refused with an error naming the flag and the design. Left out,
/// they are not refused: their defaults simply go unused.
#[test]
fn aggregator_flags_need_the_ractor_design() {
    for (flag, design) in [
        ("--collect-every-ms", Design::HandRolled),
        ("--timeout-ms", Design::Sharded),
    ] {
        let error = refused(&["--impl", design.name(), flag, "100"]);

        assert!(
            matches!(error, UsageError::Unsupported(Unsupported { option, design: d, .. })
                if option == flag && d == design),
            "{error:?}"
        );
    }
    for design in Design::ALL {
        assert!(run_args(&["--impl", design.name()]).prepare("").is_ok());
    }
}

/// `--trace` needs a design whose counters are actors; the hand-rolled
/// actor qualifies, the lock-based designs do not.
#[test]
fn trace_needs_an_actor_design() {
    for design in Design::ALL.into_iter().filter(|d| !d.is_actor()) {
        let error = refused(&["--impl", design.name(), "--trace", "never-created.mmd"]);

        assert_eq!(
            error.to_string(),
            format!(
                "--trace does not apply to the {design} design: it draws the messages \
                 between actors, and this design has none"
            )
        );
    }
    assert!(!std::path::Path::new("never-created.mmd").exists());
}

/// A trace file that cannot be created is refused by `prepare`, before
/// any run could start.
#[test]
fn a_trace_into_a_missing_directory_is_refused_up_front() {
    let error = refused(&["--trace", "/no/such/dir/x.mmd"]);

    assert!(
        matches!(error, UsageError::Trace(TraceError::Create { .. })),
        "{error:?}"
    );
}

/// Values the scenario cannot run are refused by `Scenario::validate`,
/// the one place that knows those rules, called from `prepare`.
#[test]
fn impossible_values_are_refused_by_the_scenario() {
    let error = refused(&["--collect-every-ms", "0"]);

    assert!(
        matches!(
            error,
            UsageError::Invalid(ScenarioError::Zero {
                what: "the collection period"
            })
        ),
        "{error:?}"
    );
}

/// The window flags need `--trace`, and a window that ends before it
/// starts is refused.
#[test]
fn a_trace_window_must_make_sense() {
    assert!(Cli::try_parse_from(["demo", "--trace-until-ms", "5"]).is_err());

    let error = refused(&[
        "--trace",
        "unused.mmd",
        "--trace-from-ms",
        "9",
        "--trace-until-ms",
        "3",
    ]);
    assert!(
        matches!(
            error,
            UsageError::Trace(TraceError::EmptyWindow { from: 9, until: 3 })
        ),
        "{error:?}"
    );
    assert!(!std::path::Path::new("unused.mmd").exists());
}

/// clap's own consistency checks on the flag definitions pass.
#[test]
fn flag_definitions_are_consistent() {
    Cli::command().debug_assert();
}

/// `--chaos` needs the ractor design, the one with a supervisor; the
/// other failure flags need `--chaos`, and clap says so.
#[test]
fn chaos_needs_the_ractor_design() {
    for design in Design::ALL {
        let result = run_args(&["--impl", design.name(), "--chaos", "7"]).prepare("");
        match design {
            Design::Ractor => assert!(result.is_ok()),
            _ => assert!(
                matches!(&result, Err(UsageError::Unsupported(u)) if u.option == "--chaos"),
                "{design}: {result:?}"
            ),
        }
    }
    let without_chaos = Cli::try_parse_from(["demo", "--fire-and-forget"]);
    assert!(without_chaos.is_err());
}

/// A run bigger than the free memory is refused by `prepare`, with both
/// figures, before any actor starts. Ten million ractor counters need about
/// 116 GB; on a machine with more free than that, the test has nothing to
/// check.
#[test]
fn a_run_bigger_than_free_memory_is_refused_up_front() {
    let args = ["--counters", "10000000", "--virtual-time"];
    let needed = demo::footprint::estimate(Design::Ractor, 10_000_000);
    if needed <= demo::footprint::available() {
        return;
    }
    match refused(&args) {
        UsageError::WontFit(wont_fit) => {
            assert_eq!(wont_fit.counters, 10_000_000);
            assert_eq!(wont_fit.needed, needed);
        }
        other => panic!("expected WontFit, got {other:?}"),
    }
}
