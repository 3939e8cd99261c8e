#!/usr/bin/env bash
# Compile weight of a generated crate (issue 19): the CPU time (user + sys) and peak memory of
# `cargo check` (or `cargo build --release`) of the generated crate alone, its dependencies
# built beforehand, with CARGO_INCREMENTAL=0. Prints one tab-separated line:
#
#   label  doc  scope  mode  lines  cpu_s  wall_s  peak_rss_gb  status
#
#   benches/compile-weight.sh LABEL STENCIL RUNTIME DOC SCOPE [MODE]
#
#   LABEL    a name for the variant measured ("before", "after", ...): one scratch workspace each
#   STENCIL  the `stencil` binary that generates (build it with `cargo build --release -p stencil-cli`)
#   RUNTIME  the runtime sources it goes with (a copy of crates/stencil, e.g.
#            `git archive REV crates/stencil | tar -x -C DIR`); copied into the workspace
#   DOC      the OpenAPI document
#   SCOPE    client (`stencil generate --no-server`, features `client`) or full (types, client
#            and server, features `client` + `server`)
#   MODE     check (default) or release (`cargo build --release`)
#
# Scratch space: $CARGO_TARGET_DIR/compile-weight (default target/compile-weight): a workspace
# per label (the generated crates, the runtime copy, this repository's Cargo.lock) sharing one
# target dir, so third-party dependencies are built once. MAX_RSS_GB (default 20) stops a
# compilation whose rustc grows beyond it (status "over-limit"): the machine must stay usable.
# Wall time depends on the load; compare CPU time.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

if [ $# -lt 5 ]; then
    sed -n '2,22p' "$0" >&2
    exit 2
fi
LABEL=$1
STENCIL=$(realpath "$2")
RUNTIME=$(realpath "$3")
DOC=$(realpath "$4")
SCOPE=$5
MODE=${6:-check}
MAX_RSS_KB=$(( ${MAX_RSS_GB:-20} * 1024 * 1024 ))

WORK=${CARGO_TARGET_DIR:-$ROOT/target}/compile-weight
WS=$WORK/$LABEL
export CARGO_TARGET_DIR=$WORK/target
export CARGO_INCREMENTAL=0

stem=$(basename "$DOC")
stem=${stem%.*}
name=$(echo "$stem" | tr -c 'a-zA-Z0-9\n' '-' | tr 'A-Z' 'a-z')
case $SCOPE in
client)
    gen_flags=(--no-server)
    features=client
    ;;
full)
    gen_flags=()
    features=client,server
    ;;
*)
    echo "SCOPE must be client or full" >&2
    exit 2
    ;;
esac
case $MODE in
check) cargo_cmd=(check) ;;
release) cargo_cmd=(build --release) ;;
*)
    echo "MODE must be check or release" >&2
    exit 2
    ;;
esac
crate=$name-$SCOPE

mkdir -p "$WS/crates"
if [ ! -d "$WS/rt" ]; then
    cp -r "$RUNTIME" "$WS/rt"
fi
[ -f "$WS/Cargo.lock" ] || cp "$ROOT/Cargo.lock" "$WS/Cargo.lock"

"$STENCIL" generate "$DOC" --out "$WS/crates/$crate" --name "$crate" \
    --runtime-path "$WS/rt" "${gen_flags[@]}" >/dev/null 2>"$WS/$crate.generate.log" || {
    cat "$WS/$crate.generate.log" >&2
    exit 1
}
members=$(cd "$WS" && for d in crates/*/; do printf '"%s", ' "${d%/}"; done)
{
    printf '[workspace]\nresolver = "2"\nmembers = ["rt", %s]\n\n' "${members%, }"
    # What the runtime's manifest inherits: this repository's workspace tables (without the
    # entries for this repository's own crates); the default profiles.
    awk '/^\[workspace\.(package|dependencies)\]/ {on = 1} /^\[profile/ {on = 0}
        on && !/^stencil(-build)? =/' "$ROOT/Cargo.toml"
} >"$WS/Cargo.toml"

cd "$WS"
# Dependencies first (not measured): the runtime with the same features the crate enables.
cargo "${cargo_cmd[@]}" --offline -q -p stencil --features "$features" 2>"$WS/$crate.deps.log" || {
    cat "$WS/$crate.deps.log" >&2
    exit 1
}
touch "crates/$crate/src/lib.rs"

timing=$WS/$crate.$MODE.time
/usr/bin/time -v -o "$timing" cargo "${cargo_cmd[@]}" --offline -q -p "$crate" \
    >"$WS/$crate.$MODE.log" 2>&1 &
time_pid=$!
status=ok
descendants() {
    local child
    for child in $(pgrep -P "$1" || true); do
        echo "$child"
        descendants "$child"
    done
}
# Watch the compiler's memory: stop it (only the processes this script started) over the limit.
while kill -0 "$time_pid" 2>/dev/null; do
    for pid in $(descendants "$time_pid"); do
        rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
        if [ "${rss:-0}" -gt "$MAX_RSS_KB" ]; then
            status=over-limit
            kill "$pid" 2>/dev/null || true
        fi
    done
    sleep 2
done
wait "$time_pid" || { [ "$status" = over-limit ] || status=failed; }

field() { awk -F': ' -v k="$1" '$1 ~ k {print $2}' "$timing"; }
user=$(field 'User time')
sys=$(field 'System time')
wall=$(field 'Elapsed')
rss=$(field 'Maximum resident set size')
lines=$(wc -l <"crates/$crate/src/lib.rs")
cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.1f", u + s}')
gb=$(awk -v k="$rss" 'BEGIN {printf "%.2f", k / 1024 / 1024}')
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$LABEL" "$stem" "$SCOPE" "$MODE" "$lines" "$cpu" "$wall" "$gb" "$status"
[ "$status" = ok ] || { tail -20 "$WS/$crate.$MODE.log" >&2; exit 1; }
