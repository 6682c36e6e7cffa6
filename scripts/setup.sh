#!/usr/bin/env bash
# Installs everything Huella's build and tests need on a fresh machine (Debian 12, Rust 1.95,
# Node 20, Python 3.11, gcc). Idempotent: each step checks first, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130   # must equal the `wasm-bindgen = "=X"` pin in Cargo.toml
log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. Rust target for the browser modules.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen CLI at exactly the crate version (without --locked: see shared toolchain notes).
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 8 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# 3. Debian packages: Chromium + driver (browser tests), OpenSSL CLI (interop tests),
#    PostgreSQL (server tests at scale).
need_apt=()
for pkg in chromium chromium-driver openssl postgresql; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# 4. npm packages from the lockfile (node-forge baseline, playwright-core, binaryen's wasm-opt).
if [ -f package-lock.json ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi

# 5. Python reference tools (tests and benchmarks only, never product dependencies).
if [ -f tools/requirements.txt ]; then
  if [ ! -x .venv/bin/python ] || ! cmp -s tools/requirements.txt .venv/.requirements; then
    log "python venv with reference tools"
    python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check -r tools/requirements.txt
    cp tools/requirements.txt .venv/.requirements
  fi
fi

# 6. Crates for the wasm target too, so offline builds work.
cargo fetch -q --target wasm32-unknown-unknown 2>/dev/null || true
log "ready"
