#!/usr/bin/env bash
# Builds everything (the collector, with the widget compiled to wasm inside it) and runs the
# collector with the demo store on localhost. LISTEN_ADDR and DATABASE_URL change where it listens
# and stores (defaults: 127.0.0.1:8080 and cx-collector.sqlite3 in the current folder).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$root/collector/scripts/install-tools.sh"
cd "$root"
cargo build --release --package collector
exec "$root/target/release/collector" serve "$@"
