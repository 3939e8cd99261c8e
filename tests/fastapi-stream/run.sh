#!/usr/bin/env bash
# Streaming against a real server (issue 13): the generated client consumes what a FastAPI app
# streams.
#
# Installs the pinned FastAPI stack (tests/fastapi-diff/requirements.txt) into
# target/fastapi-venv when missing, checks that specs/fastapi-stream/openapi.json is the
# document app.py writes today, starts the app (uvicorn) on 127.0.0.1 and runs
# `cargo run -p stencil-tests --example fastapi_stream_client URL`: the client generated from
# that document (generated/fastapi-stream) reads its server-sent events and NDJSON and asserts
# every typed item. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

HERE="tests/fastapi-stream"
. tests/fastapi-venv.sh

check_document "$HERE/app.py" specs/fastapi-stream/openapi.json

echo "== building the client"
cargo build --quiet -p stencil-tests --example fastapi_stream_client

LOG="$(mktemp)"
PORT="$(free_port)"
"$VENV/bin/python" "$HERE/app.py" serve 127.0.0.1 "$PORT" >"$LOG" 2>&1 &
APP=$!
cleanup() {
    kill "$APP" 2>/dev/null || true
    wait "$APP" 2>/dev/null || true
    rm -f "$LOG"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
    port_open "$PORT" && break
    if ! kill -0 "$APP" 2>/dev/null; then
        cat "$LOG"
        echo "the FastAPI app exited" >&2
        exit 1
    fi
    sleep 0.1
done
port_open "$PORT" || { cat "$LOG"; echo "the FastAPI app did not start" >&2; exit 1; }
echo "== FastAPI at http://127.0.0.1:$PORT"

"${CARGO_TARGET_DIR:-target}/debug/examples/fastapi_stream_client" "http://127.0.0.1:$PORT"
