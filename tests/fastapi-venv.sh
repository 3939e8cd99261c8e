# Sourced by the FastAPI test scripts (tests/fastapi-diff/run.sh, tests/fastapi-stream/run.sh):
# the pinned FastAPI stack of tests/fastapi-diff/requirements.txt, installed into
# target/fastapi-venv when missing or when the pins changed. Sets VENV. Run from the
# repository root.
VENV="target/fastapi-venv"
FASTAPI_REQUIREMENTS="tests/fastapi-diff/requirements.txt"
if [ ! -x "$VENV/bin/uvicorn" ] || ! cmp -s "$FASTAPI_REQUIREMENTS" "$VENV/requirements.txt"; then
    echo "== installing the pinned FastAPI stack into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$FASTAPI_REQUIREMENTS"
    cp "$FASTAPI_REQUIREMENTS" "$VENV/requirements.txt"
fi

# Fail unless $2 (the checked-in document) is what the app $1 writes today.
check_document() {
    echo "== the checked-in document is $(basename "$(dirname "$1")")/app.py's"
    "$VENV/bin/python" "$1" openapi | cmp - "$2" || {
        echo "$2 is not what $1 writes: run" >&2
        echo "  $VENV/bin/python $1 openapi > $2 && cargo xtask regen" >&2
        exit 1
    }
}

# Print a free port on 127.0.0.1 (bind port 0 and read what the OS gave).
free_port() {
    "$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Whether something accepts connections on 127.0.0.1:$1.
port_open() {
    [ "$("$VENV/bin/python" -c "import socket; s=socket.socket(); print(s.connect_ex(('127.0.0.1',$1)))")" = 0 ]
}
