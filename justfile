# Recipes for working on the workspace. `just` with no argument lists them.

# List the recipes.
default:
    @just --list

# Run the article's scenario in real time (about 3.5 s). Extra arguments go to the demo: `just demo compare`.
demo *ARGS:
    cargo run -p demo -- {{ARGS}}

# The same on tokio's paused clock: milliseconds instead of seconds. `just demo-virtual compare` works too.
demo-virtual *ARGS:
    cargo run -p demo -- {{ARGS}} --virtual-time

# Redraw the message-flow diagrams in docs/diagrams/: the test that checks them, told to rewrite them.
diagrams:
    UPDATE_DIAGRAMS=1 cargo test -q -p demo --test diagrams

# The loopback port `just cluster-demo` uses, `demo node`'s own default: `just cluster-port=7500 cluster-demo`.
cluster-port := "7420"

# A node and a client in two processes on loopback: the client's transcript, then the node's, stopped with SIGTERM.
cluster-demo:
    #!/usr/bin/env bash
    set -euo pipefail
    # A throwaway cookie unless one is set: 16 random bytes as 32 hex digits.
    export DEMO_COOKIE="${DEMO_COOKIE:-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}"
    addr=127.0.0.1:{{cluster-port}}
    cargo build -q -p demo
    log=$(mktemp)
    cargo run -q -p demo -- node --listen "$addr" > "$log" &
    node=$!
    trap 'kill "$node" 2>/dev/null || true; rm -f "$log"' EXIT
    for _ in $(seq 100); do  # at most 10 s for the node to listen
        grep -q "listening on" "$log" && break
        kill -0 "$node" 2>/dev/null || { cat "$log"; wait "$node"; }
        sleep 0.1
    done
    echo "=== client: demo run --connect $addr ==="
    status=0
    cargo run -q -p demo -- run --connect "$addr" || status=$?
    kill -TERM "$node"
    wait "$node" || status=$?
    echo
    echo "=== node: demo node --listen $addr ==="
    cat "$log"
    exit "$status"

# Run every test in the workspace.
test:
    cargo test --workspace

# Grade exercise N (1 to 12, or 01 to 12) against your code in exercises/NN-*/src/starter.rs.
exercise n="":
    cargo run -q -p course -- grade {{quote(n)}}

# Check that every exercise's grader fails against its untouched starter (CI runs this).
exercises-check:
    cargo test -q -p course --test starters -- --ignored --nocapture

# Model-check the lock-based designs with loom: every interleaving of small models.
loom:
    RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test -p lockbased-baseline --release

# Criterion settings for `just bench`: short, so that the whole suite runs
# in a few minutes on 2 cores. `just bench-full` uses criterion's defaults.
quick := "--warm-up-time 1 --measurement-time 2"

# Run every benchmark in quick mode (a few minutes), then spans off and the cluster feature off, each a build of its own.
bench:
    cargo bench -p bench -- {{quick}}
    cargo bench -p bench --no-default-features --features cluster --bench counting -- span_propagation/ {{quick}}
    cargo bench -p bench --no-default-features --features span-propagation --bench counting -- cluster_feature/ {{quick}}

# Run every benchmark with criterion's default, longer settings.
bench-full:
    cargo bench -p bench
    cargo bench -p bench --no-default-features --features cluster --bench counting -- span_propagation/
    cargo bench -p bench --no-default-features --features span-propagation --bench counting -- cluster_feature/

# Run the demo's workload at 10,000 to a million counters, every design, each in a process of
# its own (about two minutes); `just bench-report` then includes the figures.
scale:
    cargo run -q --release -p bench --bin scale > target/bench-scale.json

# Overload slow counters once per mailbox policy, on the paused clock; `just bench-report` charts it.
backlog:
    cargo run -q --release -p bench --bin backlog > target/bench-backlog.json

# Time a node's counter in a second process, over loopback, against one here; `just bench-report` includes it.
remote:
    cargo run -q --release -p bench --bin remote > target/bench-remote.json

# Measure heap bytes per counter, with ractor's cluster feature (the default build) and
# without, then turn them, the latest `just bench` results and `just scale`'s,
# `just backlog`'s and `just remote`'s figures (if any) into docs/bench-results*.md,
# their charts, and docs/bench-figures.txt for the chapters.
bench-report:
    cargo run -q --release -p bench --bin memory > target/bench-memory.json
    cargo run -q --release -p bench --no-default-features --features span-propagation --bin memory > target/bench-memory-no-cluster.json
    cargo run -q --release -p bench-report

# Review changed insta snapshots (needs `cargo install cargo-insta`).
snapshots:
    cargo insta review

# Check the book's rules (every include resolves, every page has its shape), then build it into book/ (needs mdbook and mdbook-mermaid).
book:
    cargo test -q -p book-tests --test book
    mdbook build

# Test the checker on a made-up book, then rebuild the book, check its links and anchors, and load every page in headless Chromium.
book-check:
    tools/book-check --self-test
    tools/book-check

# Serve the book at http://localhost:3000, rebuilding on every change.
serve:
    mdbook serve --open

# What CI runs: format, lint, test, the exercises against their starters, loom, benches once, book-check.
ci:
    bash .ci/run
