#!/usr/bin/env bash
# Runs every check and test of the project: formatting, lints, the survey model's wasm build, and
# every crate's tests, including the collector over real HTTP and the browser tests in headless
# Chromium. Installs what it needs first (see collector/scripts/install-tools.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/collector/scripts/install-tools.sh" --browser
cd "$root"

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all --check
step "cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings
step "the survey model builds for the browser"
cargo check --package survey --target wasm32-unknown-unknown
step "cargo test"
cargo test --workspace
