#!/usr/bin/env bash
# Contract test: schemathesis (from PyPI) against the generated PathStack server.
#
# Starts `cargo run -p stencil-tests --example pathstack_server` (the generated server over the
# in-memory implementation of tests/tests/server_support/memory.rs) on 127.0.0.1, installs
# schemathesis into target/contract-venv when it is missing, and runs it against
# specs/pathstack/openapi_2024-03-26.yaml with every check schemathesis has (`--checks all`:
# not_a_server_error, the conformance checks, negative_data_rejection, positive_data_acceptance,
# missing_required_header, unsupported_method, ignored_auth, use_after_free, ...):
#
#   1. positive data (valid requests), every operation;
#   2. negative data (invalid requests), every operation;
#   3. the stateful phase: sequences of calls over the links schemathesis infers.
#
# status_code_conformance is replaced by tests/contract/hooks.py's
# status_code_conformance_with_omissions: the same check, except for the statuses PathStack's
# document omits, listed there per operation with the reason (the secured operations declare no
# 401; only POST /token declares its 422). Any other undocumented status fails.
#
# tests/contract/schemathesis.toml lists, with the reason, the declared statuses two operations
# answer schema-valid requests with (positive_data_acceptance).
#
# Bounded: a fixed seed and --max-examples per operation. hooks.py also drops generated integers
# outside i64 (Stencil's type for `integer` without a format): the server answers them 422 "out
# of range", which positive_data_acceptance would count against valid data. Exits non-zero on
# any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
VENV="target/contract-venv"
SPEC="specs/pathstack/openapi_2024-03-26.yaml"
MAX_EXAMPLES="${CONTRACT_MAX_EXAMPLES:-50}"
SEED="${CONTRACT_SEED:-20240326}"
TOKEN="contract-test-token"
CHECKS="all"
# Replaced by hooks.py's status_code_conformance_with_omissions (see above).
EXCLUDED="status_code_conformance"

if [ ! -x "$VENV/bin/schemathesis" ]; then
    echo "== installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
"$VENV/bin/schemathesis" --version

echo "== building the PathStack server"
cargo build --quiet -p stencil-tests --example pathstack_server

LOG="$(mktemp)"
REPORTS="$(mktemp -d)"
"${CARGO_TARGET_DIR:-target}/debug/examples/pathstack_server" 127.0.0.1:0 >"$LOG" 2>&1 &
SERVER_PID=$!
cleanup() {
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    rm -rf "$LOG" "$REPORTS"
}
trap cleanup EXIT

URL=""
for _ in $(seq 1 100); do
    URL="$(sed -n 's/^listening on //p' "$LOG" | head -n 1)"
    [ -n "$URL" ] && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        cat "$LOG"
        echo "the server exited" >&2
        exit 1
    fi
    sleep 0.1
done
if [ -z "$URL" ]; then
    cat "$LOG"
    echo "the server did not start" >&2
    exit 1
fi
echo "== server at $URL"

export SCHEMATHESIS_HOOKS="hooks"
export PYTHONPATH="tests/contract${PYTHONPATH:+:$PYTHONPATH}"

STATUS=0
SUMMARY=""
run() {
    local name="$1"
    shift
    echo
    echo "== schemathesis: $name"
    local out="$REPORTS/$name.txt"
    set +e
    "$VENV/bin/schemathesis" --config-file tests/contract/schemathesis.toml \
        run "$SPEC" --url "$URL" \
        -H "Authorization: Bearer $TOKEN" \
        --max-examples "$MAX_EXAMPLES" --seed "$SEED" \
        --generation-database none --no-color --workers 1 \
        "$@" 2>&1 | tee "$out"
    local rc=${PIPESTATUS[0]}
    set -e
    local counts
    counts="$(grep -E '^ *[0-9]+ generated' "$out" | tail -n 1 | sed 's/^ *//')"
    SUMMARY="$SUMMARY
  $name: ${counts:-no count} (exit $rc)"
    if [ "$rc" -ne 0 ]; then
        STATUS=1
    fi
}

PHASES="examples,coverage,fuzzing"
run positive --phases "$PHASES" --mode positive --checks "$CHECKS" --exclude-checks "$EXCLUDED"
run negative --phases "$PHASES" --mode negative --checks "$CHECKS" --exclude-checks "$EXCLUDED"
run stateful --phases stateful --checks "$CHECKS" --exclude-checks "$EXCLUDED"

echo
echo "== contract test summary (generated test cases per run)$SUMMARY"
if [ "$STATUS" -ne 0 ]; then
    echo "contract test FAILED"
else
    echo "contract test passed"
fi
exit "$STATUS"
