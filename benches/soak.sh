#!/usr/bin/env bash
# Soak benchmark (issue 18): the generated PathStack server (tests/examples/pathstack_server.rs:
# the in-memory implementation, served by stencil::server::serve with the default Config) for
# SECONDS (default 600) at CONNECTIONS (default 256) keep-alive connections on 127.0.0.1, a mix
# of valid (200), invalid (422) and unauthenticated (401) requests
# (benches/runtime/src/bin/runtime-bench-soak.rs). Prints requests/s, transport errors, wrong
# statuses, p50/p99/p99.9 latency and the server's RSS after WARMUP (default 60 s) and at the
# end; fails on any transport error, any wrong status, or RSS growth of 5 % or more.
#
#   benches/soak.sh                       # the full run: 10 minutes
#   SECONDS_=30 WARMUP=10 benches/soak.sh # a short check that it works
#
# Not part of CI or `cargo xtask test`. SERVER_CPU / LOAD_CPU (taskset cores, default unset)
# pin the two processes apart on machines with cores to spare.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${SECONDS_:-600}
WARMUP=${WARMUP:-60}
CONNECTIONS=${CONNECTIONS:-256}
pin() {
    local cpu=$1
    shift
    if [ -n "$cpu" ] && command -v taskset >/dev/null; then
        taskset -c "$cpu" "$@"
    else
        "$@"
    fi
}

echo "== build (release)"
cargo build --release -q -p stencil-tests --example pathstack_server
cargo build --release -q -p stencil-runtime-bench --bin runtime-bench-soak
TARGET=${CARGO_TARGET_DIR:-target}

# Connections beyond the default open-file limit would be transport errors of the machine.
ulimit -n 65536 2>/dev/null || true
LOG=$(mktemp)
# Started directly (not through `pin`, a function, which would run in a subshell): $! must be
# the server's own PID, whose RSS the load reads. taskset execs the program.
SERVER=("$TARGET/release/examples/pathstack_server" 127.0.0.1:0)
if [ -n "${SERVER_CPU:-}" ] && command -v taskset >/dev/null; then
    taskset -c "$SERVER_CPU" "${SERVER[@]}" >"$LOG" 2>&1 &
else
    "${SERVER[@]}" >"$LOG" 2>&1 &
fi
SERVER_PID=$!
cleanup() {
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    rm -f "$LOG"
}
trap cleanup EXIT

URL=""
for _ in $(seq 1 100); do
    URL=$(sed -n 's/^listening on //p' "$LOG" | head -n 1)
    [ -n "$URL" ] && break
    sleep 0.1
done
if [ -z "$URL" ]; then
    cat "$LOG"
    echo "the server did not start" >&2
    exit 1
fi
echo "== soak: $URL, $DURATION s, $CONNECTIONS connections, warm-up $WARMUP s"
pin "${LOAD_CPU:-}" "$TARGET/release/runtime-bench-soak" --url "$URL" --pid "$SERVER_PID" \
    --seconds "$DURATION" --connections "$CONNECTIONS" --warmup "$WARMUP"
