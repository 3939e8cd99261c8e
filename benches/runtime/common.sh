# Shared by run.sh and instructions.sh (sourced, not run).

# server_url OUT ERR MODE TRIES: the URL a benchmark server printed to OUT once it listens,
# checked every 0.05 s up to TRIES times; exits with ERR's text when it never does.
server_url() {
    local out=$1 err=$2 mode=$3 tries=$4 url=""
    for _ in $(seq 1 "$tries"); do
        url=$(sed -n 's/^listening on \(http:\/\/[0-9.:]*\).*/\1/p' "$out")
        [ -n "$url" ] && break
        sleep 0.05
    done
    if [ -z "$url" ]; then
        echo "the $mode server did not start:" >&2
        cat "$err" >&2
        exit 1
    fi
    printf '%s' "$url"
}
