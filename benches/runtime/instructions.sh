#!/usr/bin/env bash
# Instructions per request (issue 7): each benchmark server (generated PathStack, hand-written
# axum) runs under valgrind's callgrind while wrk sends POST /token over 127.0.0.1; the total
# instructions the server executed, divided by the requests wrk completed, is printed with the
# ratio. Unlike requests/s and CPU time, the count does not depend on what else the machine is
# doing, so it compares the two servers on a busy machine too. Prints figures; asserts nothing.
#
#   benches/runtime/instructions.sh            (SECONDS_UNDER_LOAD=15 CONNS=8)
#
# The count includes starting the server (about 1 % at these settings) and runs single-threaded
# under valgrind, so it is a comparison of the two, not a figure for production throughput.
# To see where the difference is: callgrind_annotate --inclusive=yes on the files it names.
set -euo pipefail
cd "$(dirname "$0")/../.."
. benches/runtime/common.sh

SECONDS_UNDER_LOAD=${SECONDS_UNDER_LOAD:-15}
CONNS=${CONNS:-8}
for tool in valgrind wrk; do
    if ! command -v "$tool" >/dev/null; then
        echo "== installing $tool (Debian package)"
        if [ "$(id -u)" = 0 ]; then
            apt-get update -qq && apt-get install -y -qq "$tool" >/dev/null
        else
            sudo apt-get update -qq && sudo apt-get install -y -qq "$tool" >/dev/null
        fi
    fi
done

echo "== build (release)"
cargo build --release -q -p stencil-runtime-bench
WORK=$(mktemp -d "${TMPDIR:-/tmp}/stencil-instructions.XXXXXX")
echo "callgrind output in $WORK"

declare -A PER_REQUEST
for mode in generated hand; do
    valgrind --tool=callgrind --callgrind-out-file="$WORK/$mode.callgrind" \
        target/release/runtime-bench-server --mode "$mode" --addr 127.0.0.1:0 \
        --max-seconds $((SECONDS_UNDER_LOAD + 20)) >"$WORK/$mode.out" 2>"$WORK/$mode.err" &
    pid=$!
    url=$(server_url "$WORK/$mode.out" "$WORK/$mode.err" "$mode" 600)
    requests=$(wrk -t1 -c"$CONNS" -d"${SECONDS_UNDER_LOAD}s" -s benches/runtime/login.lua "$url/token" |
        awk '/ requests in / { print $1 }')
    # The server exits by itself after --max-seconds; callgrind writes its file then.
    wait "$pid" || true
    total=$(sed -n 's/^summary: *//p' "$WORK/$mode.callgrind")
    PER_REQUEST[$mode]=$((total / requests))
    printf "%-9s %12s instructions / %7s requests = %6s per request\n" \
        "$mode" "$total" "$requests" "${PER_REQUEST[$mode]}"
done
awk -v g="${PER_REQUEST[generated]}" -v h="${PER_REQUEST[hand]}" \
    'BEGIN { printf "generated / hand-written: %.3f instructions per request\n", g / h }'
