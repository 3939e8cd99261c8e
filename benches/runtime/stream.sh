#!/usr/bin/env bash
# Streaming memory benchmark (issue 13): the client's peak RSS while SIZE bytes of
# application/octet-stream (ByteStream) and of JSON Lines (JsonLines, ~1 KiB items) go through
# it, against a server in another process that produces them lazily: the runtime used by hand,
# then the generated client and server of generated/streaming (download, JSON Lines, and an
# upload streamed from the client that the server counts as it arrives). For comparison, WHOLE=1
# also reads the octet-stream whole (the `bytes` decoder), which holds SIZE bytes. Prints
# figures; asserts nothing. Everything runs on 127.0.0.1 and stops by itself.
#
#   benches/runtime/stream.sh                 # 1 GiB each
#   SIZE=20000000 PROFILE=dev benches/runtime/stream.sh   # a quick check
#
# Then a MULTIPART-byte file part in a multipart body (default 64 MiB), read whole by a generated
# server of its own: that server's peak RSS before and after.
#
# Settings (environment): SIZE=1073741824 (bytes per body), WHOLE=0, PROFILE=release,
# MULTIPART=67108864.
set -euo pipefail
cd "$(dirname "$0")/../.."
. benches/runtime/common.sh

SIZE=${SIZE:-1073741824}
WHOLE=${WHOLE:-0}
PROFILE=${PROFILE:-release}

cargo build -q --profile "$PROFILE" -p stencil-runtime-bench --bin runtime-bench-stream
target=${CARGO_TARGET_DIR:-target}
dir=$([ "$PROFILE" = dev ] && echo debug || echo "$PROFILE")
bin="$target/$dir/runtime-bench-stream"

work=$(mktemp -d)
"$bin" serve >"$work/out" 2>"$work/err" &
server=$!
"$bin" serve-generated "$SIZE" >"$work/gen-out" 2>"$work/gen-err" &
generated=$!
trap 'kill "$server" "$generated" 2>/dev/null || true; rm -rf "$work"' EXIT
url=$(server_url "$work/out" "$work/err" stream 200)
gen_url=$(server_url "$work/gen-out" "$work/gen-err" generated 200)

echo "== $SIZE bytes per body, client peak RSS (the process that reads or sends)"
echo "-- the runtime by hand (stencil::client::Core, axum routes)"
"$bin" consume "$url" bytes "$SIZE"
"$bin" consume "$url" jsonl "$SIZE"
if [ "$WHOLE" = 1 ]; then
    "$bin" consume "$url" whole "$SIZE"
fi
echo "-- generated client <-> generated server (generated/streaming)"
"$bin" consume "$gen_url" gen-bytes "$SIZE"
"$bin" consume "$gen_url" gen-jsonl "$SIZE"
"$bin" consume "$gen_url" gen-upload "$SIZE"

# A multipart body is read whole under the body limit (here unlimited): the server's peak RSS
# for a MULTIPART-byte file part, in a server process of its own, against its RSS at rest.
MULTIPART=${MULTIPART:-67108864}
"$bin" serve-generated 0 >"$work/mp-out" 2>"$work/mp-err" &
multipart=$!
trap 'kill "$server" "$generated" "$multipart" 2>/dev/null || true; rm -rf "$work"' EXIT
mp_url=$(server_url "$work/mp-out" "$work/mp-err" multipart 200)
rest=$(awk '/VmHWM/ {print $2}' "/proc/$multipart/status")
echo "-- a $MULTIPART-byte multipart file part (generated server, attach)"
"$bin" consume "$mp_url" gen-multipart "$MULTIPART"
echo "server peak RSS: $rest KiB at rest, $(awk '/VmHWM/ {print $2}' "/proc/$multipart/status") KiB after the upload"
