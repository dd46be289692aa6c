#!/usr/bin/env bash
# Installs what building the collector (which builds the widget) needs, idempotently and quietly when
# everything is already there:
#   - the wasm32-unknown-unknown Rust target, rustfmt and clippy;
#   - wasm-opt (npm binaryen@132: Debian's binaryen 108 cannot read what current rustc emits) and
#     terser, both pinned in widget/tools/package-lock.json;
#   - with --browser: Debian's Chromium and ChromeDriver, and axe-core (npm, pinned in
#     tests/package-lock.json), for the end-to-end tests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

say() { printf '[install-tools] %s\n' "$*"; }

apt_install() {
    if [ "$(id -u)" -ne 0 ]; then
        say "need to install $*: run as root, or install them yourself"; exit 1
    fi
    say "installing $* (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# RUSTUP_AUTO_INSTALL=0 on these machines: the target must be added explicitly.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^$component"; then
        say "adding $component"
        rustup component add "$component"
    fi
done

# The pinned nightly that builds the widget smaller (collector/build.rs says how; it falls back to
# stable without it). rust-src, because it rebuilds the standard library for the widget.
nightly="$(cat "$root/widget/nightly-toolchain")"
if ! rustup run "$nightly" rustc --version >/dev/null 2>&1 \
    || [ ! -d "$(rustup run "$nightly" rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
    say "installing the $nightly toolchain with rust-src (for the widget's size build)"
    rustup toolchain install "$nightly" --profile minimal --component rust-src
fi

if ! command -v npm >/dev/null; then
    apt_install nodejs npm
fi
tools="$root/widget/tools"
stamp="$tools/node_modules/.installed-lock"
if [ ! -x "$tools/node_modules/.bin/wasm-opt" ] || [ ! -x "$tools/node_modules/.bin/terser" ] \
    || ! cmp -s "$tools/package-lock.json" "$stamp"; then
    say "installing wasm-opt and terser into widget/tools (npm ci)"
    (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$tools/package-lock.json" "$stamp"
fi

if [ "${1:-}" = "--browser" ]; then
    if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
        apt_install chromium chromium-driver
    fi
    # axe-core, the accessibility engine the browser tests inject into pages.
    e2e="$root/tests"
    stamp="$e2e/node_modules/.installed-lock"
    if [ ! -f "$e2e/node_modules/axe-core/axe.min.js" ] || ! cmp -s "$e2e/package-lock.json" "$stamp"; then
        say "installing axe-core into tests (npm ci)"
        (cd "$e2e" && npm ci --no-audit --no-fund --loglevel=error)
        cp "$e2e/package-lock.json" "$stamp"
    fi
fi
