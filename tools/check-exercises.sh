#!/usr/bin/env bash
# Checks what `cargo test --workspace` cannot: that every exercise's grader
# FAILS against its untouched starter, for the right reason, and writes
# nothing while it does.
#
# `cargo test --workspace` builds each exercise with its reference solution,
# so it already shows that every grader can pass. Here each exercise is built
# again with `--features starter`, as `just exercise N` builds a student's
# code. The starter must still hold a `todo!()` (or, for a starter that runs
# and is wrong, name in its Cargo.toml the line its failing grade prints),
# it must compile cleanly (clippy with -D warnings), and its grader must run
# and report failed tests that stopped there: a compile error would mean the starter and
# the grader have drifted apart. Grading must leave `tests/snapshots/` as it
# was: the expected reports are the course's, and a grade never rewrites them.
#
# Usage: tools/check-exercises.sh
set -euo pipefail
cd "$(dirname "$0")/.."

errors=0
fail() {
    echo "check-exercises: $*" >&2
    errors=$((errors + 1))
}

count=0
for dir in exercises/[0-9][0-9]-*/; do
    dir=${dir%/}
    package="exercise-$(basename "$dir")"
    count=$((count + 1))
    number=$(basename "$dir" | cut -c1-2)
    # What the untouched starter's grade must fail with: its todo!()'s
    # message, or, for a starter that runs and is wrong, the line its
    # Cargo.toml names (`[package.metadata.grading] starter-fails-with`).
    expected=$(sed -n 's/^starter-fails-with = "\(.*\)"$/\1/p' "$dir/Cargo.toml")
    if [ -z "$expected" ]; then
        expected="not yet implemented: exercise $number:"
        if ! grep -q 'todo!(' "$dir/src/starter.rs"; then
            fail "$dir/src/starter.rs has no todo!(): the starter is meant to be unsolved"
            continue
        fi
    fi
    if ! cargo clippy -q -p "$package" --all-targets --features starter -- -D warnings; then
        fail "$package: clippy warns about the starter"
        continue
    fi
    log=$(mktemp)
    # Made before the grade runs: whatever is newer, the grade wrote.
    stamp=$(mktemp)
    # The command the README gives for grading by hand, with no INSTA_*
    # variable: it has to be safe as it stands.
    if cargo test -p "$package" --features starter >"$log" 2>&1; then
        fail "$package: the grader passes against the untouched starter"
    elif ! grep -q '^test result: FAILED' "$log"; then
        tail -n 30 "$log" >&2
        fail "$package: the grader did not run against the starter (see above)"
    elif ! grep -qF "$expected" "$log"; then
        tail -n 30 "$log" >&2
        fail "$package: the grader failed, but not with \"$expected\" (see above)"
    elif [ -n "$(find "$dir/tests/snapshots" -newer "$stamp")" ]; then
        fail "$package: grading the starter wrote into $dir/tests/snapshots/"
    else
        summary=$(grep '^test result: FAILED' "$log" | head -n 1)
        echo "$package: fails against its starter, as it should ($summary)"
    fi
    rm -f "$log" "$stamp"
done

if [ "$count" -eq 0 ]; then
    fail "no exercise found under exercises/"
fi
if [ "$errors" -gt 0 ]; then
    echo "check-exercises: $errors problem(s) in $count exercise(s)" >&2
    exit 1
fi
echo "check-exercises: all $count graders fail against their starters"
