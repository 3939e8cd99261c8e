#!/usr/bin/env bash
# Runtime benchmark (issue 7): the generated PathStack server against a hand-written axum handler
# (POST /token, JSON in and out) under the same load tool, the generated client against a
# hand-written reqwest call, and the in-process cost per request. Prints figures; asserts nothing
# about time. Everything runs on 127.0.0.1 and stops by itself.
#
#   benches/runtime/run.sh
#
# Settings (environment): DURATION=10 (s per measured wrk run), WARMUP=5 (s per server),
# REPS=3 (alternating servers), CONNS=64 (wrk connections), SERVER_CPU=0, LOAD_CPU=1 (taskset
# cores), SERVER_THREADS=1 (tokio workers of each server), CLIENT_REQUESTS=20000,
# INPROC_REQUESTS=200000, LATENCY_RUNS=1 (also a 1-connection wrk run per server for unloaded
# latency; 0 skips it), NICE=0 (e.g. NICE=-10 as root: run the measured processes at a higher
# priority than builds sharing the machine), BIN=DIR (run the binaries already in DIR instead of
# building them, e.g. a copy of an earlier build to compare against under the same load).
set -euo pipefail
cd "$(dirname "$0")/../.."
. benches/runtime/common.sh

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
REPS=${REPS:-3}
CONNS=${CONNS:-64}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
SERVER_THREADS=${SERVER_THREADS:-1}
CLIENT_REQUESTS=${CLIENT_REQUESTS:-20000}
INPROC_REQUESTS=${INPROC_REQUESTS:-200000}
LATENCY_RUNS=${LATENCY_RUNS:-1}
NICE=${NICE:-0}
PRIO=(nice -n "$NICE")

if ! command -v wrk >/dev/null; then
    echo "== installing wrk (Debian package)"
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq wrk >/dev/null
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq wrk >/dev/null
    fi
fi

if [ -n "${BIN:-}" ]; then
    echo "== binaries from $BIN (not built)"
else
    echo "== build (release)"
    cargo build --release -q -p stencil-runtime-bench
    BIN=target/release
fi
LUA=benches/runtime/login.lua
WORK=$(mktemp -d "${TMPDIR:-/tmp}/stencil-runtime-bench.XXXXXX")
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

CLK_TCK=$(getconf CLK_TCK)
CORES=$(nproc)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other processes on these cores skew wall-clock figures; CPU-time figures less so)"
echo "machine: $CORES cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')); server on core $SERVER_CPU ($SERVER_THREADS tokio worker), load generator on core $LOAD_CPU"

# start_server MODE: starts it pinned to SERVER_CPU; sets URL_<MODE> and PID_<MODE>.
start_server() {
    local mode=$1 out="$WORK/$1.out"
    "${PRIO[@]}" taskset -c "$SERVER_CPU" "$BIN/runtime-bench-server" --mode "$mode" --addr 127.0.0.1:0 \
        --threads "$SERVER_THREADS" --max-seconds 1800 >"$out" 2>"$WORK/$mode.err" &
    local pid=$!
    PIDS+=("$pid")
    local url
    url=$(server_url "$out" "$WORK/$mode.err" "$mode" 100)
    printf -v "URL_$mode" '%s' "$url"
    printf -v "PID_$mode" '%s' "$pid"
}

start_server generated
start_server hand

echo "== same answer from both servers"
for mode in generated hand; do
    url_var="URL_$mode"
    curl -sS -D "$WORK/$mode.headers" -o "$WORK/$mode.body" -X POST "${!url_var}/token" \
        -H 'content-type: application/json' --data-binary @<(printf '%s' '{"username":"demo","password":"secret"}')
    echo "$mode: $(head -1 "$WORK/$mode.headers" | tr -d '\r'), $(grep -i '^content-type' "$WORK/$mode.headers" | tr -d '\r'), $(wc -c <"$WORK/$mode.body") body bytes"
done
if ! cmp -s "$WORK/generated.body" "$WORK/hand.body"; then
    echo "the two servers answer different bodies:" >&2
    cat "$WORK/generated.body" "$WORK/hand.body" >&2
    exit 1
fi
echo "bodies identical: $(cat "$WORK/hand.body")"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# wrk_run MODE CONNS SECONDS LABEL: one wrk run; appends a result line to $WORK/results.
wrk_run() {
    local mode=$1 conns=$2 secs=$3 label=$4
    local url_var="URL_$mode" pid_var="PID_$mode"
    local before after out="$WORK/wrk.txt"
    before=$(cpu_ticks "${!pid_var}")
    "${PRIO[@]}" taskset -c "$LOAD_CPU" wrk -t1 -c"$conns" -d"${secs}s" --latency -s "$LUA" "${!url_var}/token" >"$out"
    after=$(cpu_ticks "${!pid_var}")
    if grep -q 'Non-2xx\|Socket errors' "$out"; then
        echo "wrk reported errors against the $mode server:" >&2
        cat "$out" >&2
        exit 1
    fi
    awk -v mode="$mode" -v label="$label" -v ticks=$((after - before)) -v hz="$CLK_TCK" '
        function us(v) {
            if (v ~ /us$/) return v + 0;
            if (v ~ /ms$/) return (v + 0) * 1000;
            if (v ~ /s$/) return (v + 0) * 1000000;
            return v + 0;
        }
        /^ +50%/ { p50 = us($2) }
        /^ +90%/ { p90 = us($2) }
        /^ +99%/ { p99 = us($2) }
        / requests in / { n = $1 }
        /^Requests\/sec:/ { rps = $2 }
        END {
            cpu = n > 0 ? ticks / hz * 1e6 / n : 0;
            printf "%s %s %.0f %.0f %.0f %.0f %.1f %d\n", label, mode, rps, p50, p90, p99, cpu, n
        }' "$out" | tee -a "$WORK/results" | awk '{printf "  %-9s %-9s %9s req/s  p50 %6s us  p90 %6s us  p99 %6s us  server CPU %5s us/req  (%s requests)\n", $1, $2, $3, $4, $5, $6, $7, $8}'
}

echo "== load: wrk -t1 -c$CONNS, ${DURATION}s per run, $REPS repetitions alternating servers (warm-up ${WARMUP}s each, not counted)"
: >"$WORK/results"
wrk_run generated "$CONNS" "$WARMUP" warmup >/dev/null
wrk_run hand "$CONNS" "$WARMUP" warmup >/dev/null
for rep in $(seq 1 "$REPS"); do
    if [ $((rep % 2)) = 1 ]; then order="generated hand"; else order="hand generated"; fi
    for mode in $order; do wrk_run "$mode" "$CONNS" "$DURATION" "load$rep"; done
done
if [ "$LATENCY_RUNS" != 0 ]; then
    echo "== unloaded latency: wrk -t1 -c1, ${DURATION}s per run, $REPS repetitions alternating"
    for rep in $(seq 1 "$REPS"); do
        if [ $((rep % 2)) = 1 ]; then order="generated hand"; else order="hand generated"; fi
        for mode in $order; do wrk_run "$mode" 1 "$DURATION" "lat$rep"; done
    done
fi

# med PREFIX MODE COLUMN: the median of a column of the result lines of one kind and server.
med() {
    awk -v prefix="$1" -v mode="$2" -v col="$3" 'index($1, prefix) == 1 && $2 == mode { print $col }' "$WORK/results" \
        | sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'
}

summary() {
    local prefix=$1 title=$2 runs
    runs=$(awk -v prefix="$prefix" 'index($1, prefix) == 1 && $2 == "hand"' "$WORK/results" | wc -l)
    [ "$runs" = 0 ] && return
    printf '\n%s (median of %s runs each)\n' "$title" "$runs"
    printf '  %-22s %12s %12s %10s\n' "" generated hand gen/hand
    local col name g h
    for col in 3:requests/s 4:"p50 latency (us)" 6:"p99 latency (us)" 7:"server CPU (us/req)"; do
        name=${col#*:}
        g=$(med "$prefix" generated "${col%%:*}")
        h=$(med "$prefix" hand "${col%%:*}")
        awk -v n="$name" -v g="$g" -v h="$h" 'BEGIN { printf "  %-22s %12.1f %12.1f %10.3f\n", n, g, h, (h > 0 ? g / h : 0) }'
    done
}

echo "== client overhead: sequential Login calls against the hand-written server (client on core $LOAD_CPU)"
"${PRIO[@]}" taskset -c "$LOAD_CPU" "$BIN/runtime-bench-client" --url "$URL_hand" --requests "$CLIENT_REQUESTS" --reps "$REPS" \
    | tee "$WORK/client.txt"

echo "== in-process (no sockets; core $LOAD_CPU)"
"${PRIO[@]}" taskset -c "$LOAD_CPU" "$BIN/runtime-bench-inproc" --requests "$INPROC_REQUESTS" --reps "$REPS"

echo
echo "================ summary ================"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); priority: nice $NICE"
echo "machine: $CORES cores; server pinned to core $SERVER_CPU ($SERVER_THREADS tokio worker), wrk / client on core $LOAD_CPU"
summary load "server under load: wrk -t1 -c$CONNS, ${DURATION}s"
summary lat "server unloaded: wrk -t1 -c1, ${DURATION}s"
echo
grep '^client summary' "$WORK/client.txt" | sed 's/^client summary/client/'
