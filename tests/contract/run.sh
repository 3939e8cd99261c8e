#!/usr/bin/env bash
# Contract test: schemathesis (from PyPI) against the generated PathStack server.
#
# Starts `cargo run -p stencil-tests --example pathstack_server` (the generated server over the
# in-memory implementation of tests/tests/server_support/memory.rs) on 127.0.0.1, installs
# schemathesis into target/contract-venv when it is missing, and runs it against
# specs/pathstack/openapi_2024-03-26.yaml with the checks not_a_server_error,
# status_code_conformance, content_type_conformance and response_schema_conformance:
#
#   1. positive data (valid requests), every operation, every check;
#   2. negative data (invalid requests) for POST /token, every check: it is the one operation
#      whose document declares its validation response (422), so its rejections must conform;
#   3. negative data for every operation, every check but status_code_conformance: the other
#      operations declare no 401/422 (PathStack's document omits them), so the server's
#      rejections of invalid or unauthenticated requests (401/422 in PathStack's envelope) are
#      statuses the document does not list. Their bodies and content types are still checked,
#      and no input may produce a 5xx.
#
# Bounded: a fixed seed, --max-examples per operation, no stateful phase (the document declares
# no links; schemathesis's inferred links feed values of one type into fields of another, which
# is negative data). tests/contract/hooks.py drops generated integers outside i64 (Stencil's
# type for `integer` without a format). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
VENV="target/contract-venv"
SPEC="specs/pathstack/openapi_2024-03-26.yaml"
MAX_EXAMPLES="${CONTRACT_MAX_EXAMPLES:-50}"
SEED="${CONTRACT_SEED:-20240326}"
TOKEN="contract-test-token"
CHECKS="not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
NEGATIVE_CHECKS="not_a_server_error,content_type_conformance,response_schema_conformance"

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
    "$VENV/bin/schemathesis" run "$SPEC" --url "$URL" \
        -H "Authorization: Bearer $TOKEN" \
        --phases examples,coverage,fuzzing \
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

run positive --mode positive --checks "$CHECKS"
run negative-token --mode negative --checks "$CHECKS" --include-path /token
run negative-all --mode negative --checks "$NEGATIVE_CHECKS"

echo
echo "== contract test summary (generated test cases per run)$SUMMARY"
if [ "$STATUS" -ne 0 ]; then
    echo "contract test FAILED"
else
    echo "contract test passed"
fi
exit "$STATUS"
