#!/usr/bin/env bash
# wasm-bindgen-test suites of the -wasm crates, run in headless Debian Chromium via chromedriver.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
# Flags this closed network needs (see ../shared/toolchain.md).
cat > target/webdriver.json <<'JSON'
{ "goog:chromeOptions": { "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
  "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-dev-shm-usage"] } }
JSON
export WASM_BINDGEN_TEST_TIMEOUT=120
: > target/browser-tests.log
for crate in $(ls -d crates/*-wasm 2>/dev/null); do
  name=$(basename "$crate")
  ( cd "$crate" && cp ../../target/webdriver.json webdriver.json && \
    cargo test --target wasm32-unknown-unknown --release 2>&1; rc=$?; rm -f webdriver.json; exit $rc ) \
    | tee -a target/browser-tests.log
done
grep -q "test result: FAILED" target/browser-tests.log && exit 1
exit 0
