#!/usr/bin/env bash
# Runs every Huella test on a fresh machine: installs what is missing (scripts/setup.sh), checks
# formatting and lints, runs all native tests (unit, integration, OpenSSL interop, reference
# comparisons), then the browser tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CARGO_TERM_COLOR=never
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (native, all targets)"
cargo clippy --workspace --all-targets -q -- -D warnings

step "cargo clippy (the web app, wasm32)"
cargo clippy -p app --target wasm32-unknown-unknown -q -- -D warnings

step "cargo test (native)"
cargo test --workspace --release -q 2>&1 | tee target/native-tests.log | grep -E "^(test result|running|error|failures:|---- )|panicked" || true
if grep -qE "^test result: FAILED|^error(\[|:)" target/native-tests.log || ! grep -q "^test result: ok" target/native-tests.log; then
  echo "native tests failed"; exit 1
fi

step "browser tests (wasm-bindgen-test in headless Chromium)"
bash scripts/browser-tests.sh

step "browser end-to-end tests (built modules in headless Chromium, node:test + playwright-core)"
bash scripts/build-web.sh
node --test tests/browser/ 2>&1 | tee target/node-tests.log
grep -qE "^# fail 0" target/node-tests.log

# Plain summary line (counts every native and browser test that ran).
passed=$(grep -hoE "test result: ok\. [0-9]+ passed" target/native-tests.log target/browser-tests.log 2>/dev/null | awk '{s+=$4} END {print s+0}')
node_passed=$(grep -hoE "^# pass [0-9]+" target/node-tests.log | awk '{s+=$3} END {print s+0}')
passed=$((passed + node_passed))
echo "all: ${passed} passed, 0 failed"
