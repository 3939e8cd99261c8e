#!/usr/bin/env bash
# Webhooks against FastAPI (issue 14): a FastAPI app declaring webhooks (`app.webhooks`, app.py).
#
# Installs the pinned FastAPI stack (tests/fastapi-diff/requirements.txt) into
# target/fastapi-venv when missing, checks that specs/fastapi-webhooks/openapi.json is the
# document app.py writes today, serves the app on 127.0.0.1, and runs
# `cargo run -p stencil-tests --example fastapi_webhooks`: the generated sender sends the app's
# webhooks to the generated receiver, and to the app's own receiver endpoint (pydantic
# validates the payload; a payload it refuses comes back as the typed 422).
set -euo pipefail
cd "$(dirname "$0")/../.."

VENV="target/fastapi-venv"
HERE="tests/fastapi-webhooks"
REQUIREMENTS="tests/fastapi-diff/requirements.txt"
if [ ! -x "$VENV/bin/uvicorn" ] || ! cmp -s "$REQUIREMENTS" "$VENV/requirements.txt"; then
    echo "== installing the pinned FastAPI stack into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
    cp "$REQUIREMENTS" "$VENV/requirements.txt"
fi

echo "== the checked-in document is app.py's"
"$VENV/bin/python" "$HERE/app.py" openapi | cmp - specs/fastapi-webhooks/openapi.json || {
    echo "specs/fastapi-webhooks/openapi.json is not what app.py writes: run" >&2
    echo "  $VENV/bin/python $HERE/app.py openapi > specs/fastapi-webhooks/openapi.json && cargo xtask regen" >&2
    exit 1
}

echo "== building the sender and receiver"
cargo build --quiet -p stencil-tests --example fastapi_webhooks

LOG="$(mktemp)"
PID=""
cleanup() {
    if [ -n "$PID" ]; then
        kill "$PID" 2>/dev/null || true
        wait "$PID" 2>/dev/null || true
    fi
    rm -f "$LOG"
}
trap cleanup EXIT

PORT="$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$VENV/bin/python" "$HERE/app.py" serve 127.0.0.1 "$PORT" >"$LOG" 2>&1 &
PID=$!
UP=1
for _ in $(seq 1 100); do
    UP="$("$VENV/bin/python" -c "import socket; s=socket.socket(); print(s.connect_ex(('127.0.0.1',$PORT)))")"
    [ "$UP" = 0 ] && break
    sleep 0.1
done
if [ "$UP" != 0 ]; then
    cat "$LOG"
    echo "the FastAPI app did not start" >&2
    exit 1
fi
echo "== FastAPI at http://127.0.0.1:$PORT"
"${CARGO_TARGET_DIR:-target}/debug/examples/fastapi_webhooks" "http://127.0.0.1:$PORT"
