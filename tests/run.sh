#!/usr/bin/env bash
# Runs every check and test of the project: formatting, lints, the survey model's wasm build, and
# every crate's tests, including the collector over real HTTP and the browser tests in headless
# Chromium. Installs what it needs first (see collector/scripts/install-tools.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/collector/scripts/install-tools.sh" --browser
cd "$root"

step() { printf '\n==> %s\n' "$*"; }

step "PostgreSQL for the storage tests"
# Every storage test also runs on PostgreSQL, each in a database of its own (created and dropped by
# the test). CX_TEST_POSTGRES_URL names another server; by default the local one, started if down.
if [ -z "${CX_TEST_POSTGRES_URL:-}" ]; then
    if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && command -v pg_ctlcluster >/dev/null; then
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
    fi
    pg_isready -h 127.0.0.1 -p 5432 || {
        echo "PostgreSQL is not reachable on 127.0.0.1:5432; start it or set CX_TEST_POSTGRES_URL" >&2
        exit 1
    }
fi

step "cargo fmt --check"
cargo fmt --all --check
step "cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings
step "the survey model builds for the browser"
cargo check --package survey --target wasm32-unknown-unknown
step "cargo test"
cargo test --workspace
step "the widget built with the stable toolchain (the fallback when the pinned nightly is missing)"
# collector/build.rs builds the widget with a pinned nightly for size and falls back to stable; the
# fallback is checked here: its size ceiling, and a shopper answering a checkout survey with it.
# --workspace (each test target is in one crate) keeps the workspace's feature set, so the step
# rebuilds only the collector and what links it, not every dependency.
CX_WIDGET_TOOLCHAIN=stable cargo test --workspace --test api the_loader_and_widget
CX_WIDGET_TOOLCHAIN=stable cargo test --workspace --test checkout_survey
