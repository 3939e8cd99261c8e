#!/usr/bin/env bash
# Differential test (issue 20): the generated server rejects invalid requests exactly as FastAPI.
#
# Installs the pinned FastAPI stack (requirements.txt) into target/fastapi-venv when missing,
# checks that specs/fastapi-diff/openapi.json is the document app.py writes today, starts the
# app (uvicorn) and the generated server (`cargo run -p stencil-tests --example
# fastapi_diff_server`) on 127.0.0.1, and sends every case of cases.py to both (diff.py): the
# status, and the `loc`, `type` and `msg` of every validation error, in order, must be the same.
# Differences listed with their reason in known_differences.txt are reported, not failed.
# Exits non-zero on any other difference.
set -euo pipefail
cd "$(dirname "$0")/../.."

HERE="tests/fastapi-diff"
. tests/fastapi-venv.sh

check_document "$HERE/app.py" specs/fastapi-diff/openapi.json

echo "== building the generated server"
cargo build --quiet -p stencil-tests --example fastapi_diff_server

LOGS="$(mktemp -d)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$LOGS"
}
trap cleanup EXIT

PORT="$(free_port)"
"$VENV/bin/python" "$HERE/app.py" serve 127.0.0.1 "$PORT" >"$LOGS/fastapi" 2>&1 &
PIDS+=($!)
"${CARGO_TARGET_DIR:-target}/debug/examples/fastapi_diff_server" 127.0.0.1:0 >"$LOGS/stencil" 2>&1 &
PIDS+=($!)

STENCIL=""
for _ in $(seq 1 100); do
    STENCIL="$(sed -n 's/^listening on //p' "$LOGS/stencil" | head -n 1)"
    FASTAPI_UP=1
    port_open "$PORT" && FASTAPI_UP=0
    [ -n "$STENCIL" ] && [ "$FASTAPI_UP" = 0 ] && break
    sleep 0.1
done
if [ -z "$STENCIL" ] || [ "$FASTAPI_UP" != 0 ]; then
    cat "$LOGS/fastapi" "$LOGS/stencil"
    echo "a server did not start" >&2
    exit 1
fi
echo "== FastAPI at http://127.0.0.1:$PORT, Stencil at $STENCIL"

"$VENV/bin/python" "$HERE/diff.py" "http://127.0.0.1:$PORT" "$STENCIL" \
    --known "$HERE/known_differences.txt" ${FASTAPI_DIFF_REPORT:+--report "$FASTAPI_DIFF_REPORT"}
