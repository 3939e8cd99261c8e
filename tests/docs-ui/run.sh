#!/usr/bin/env bash
# Browser test of the documentation page (the generated crate's `docs-ui` feature): installs
# Chromium (the Debian package) when it is missing, then runs tests/tests/docs_ui.rs, which
# serves the generated PathStack server's `router` and `docs_router` on 127.0.0.1 and has headless
# Chromium, cut off from every other host, render the page: it must list `POST /token` (Login).
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

CHROMIUM="${STENCIL_CHROMIUM:-chromium}"
if ! command -v "$CHROMIUM" >/dev/null 2>&1; then
    echo "== installing chromium (Debian package)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends chromium
fi
"$CHROMIUM" --version

STENCIL_CHROMIUM="$CHROMIUM" cargo test -p stencil-tests --test docs_ui -- --ignored
