#!/usr/bin/env bash
# Runs the product: `huella serve --demo` (embedded SQLite under ./data, SAT's production CAs plus
# the demo CA as the trust store) serving the web app and pages of www/, and prints the URL.
# HUELLA_ADDR picks the address (default 127.0.0.1:8080, or a free port if that one is taken).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release -q -p cli
bash scripts/build-web.sh
addr=${HUELLA_ADDR:-127.0.0.1:8080}
if (exec 3<>"/dev/tcp/${addr%:*}/${addr##*:}") 2>/dev/null; then
  echo "[run] ${addr} is taken; using a free port" >&2
  addr="${addr%:*}:0"
fi
out=$(mktemp)
trap 'kill "$pid" 2>/dev/null || true; rm -f "$out"' EXIT INT TERM
target/release/huella serve --addr "$addr" --www www --demo-testdata ../shared/testdata --demo >"$out" &
pid=$!
for _ in $(seq 1 100); do
  grep -q '"url"' "$out" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { echo "[run] the server did not start" >&2; exit 1; }
  sleep 0.1
done
url=$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$out" | head -1)
cat <<TXT

  Huella is running: ${url}
    ${url}/                          the web app (demo mode on its first screen; kiosks: ${url}/?kiosk)
    ${url}/health                    status, trust anchors, keys
    ${url}/demo/scanner.html         fingerprint capture (real WebUSB reader or the simulated one)
    ${url}/demo/liveness.html        proof of life with the webcam
    ${url}/bench/efirma.html         e.firma open + sign benchmark
    ${url}/api/v1/keys               the server's public keys (for sealing attachments)
  Data: ./data (SQLite). Stop with Ctrl-C.

TXT
wait "$pid"
