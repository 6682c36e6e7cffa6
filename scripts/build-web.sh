#!/usr/bin/env bash
# Builds the browser modules into www/pkg/<crate>/: cargo (wasm-release profile: opt z, LTO,
# panic=abort) → wasm-bindgen --target web → wasm-opt -Oz from npm binaryen (Debian's
# wasm-opt 108 writes broken modules; see ../shared/toolchain.md). Prints gzipped sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
crates=("$@")
[ ${#crates[@]} -gt 0 ] || crates=($(cd crates && ls -d *-wasm) app)
for crate in "${crates[@]}"; do
  lib=${crate//-/_}
  cargo build -q -p "$crate" --target wasm32-unknown-unknown --profile wasm-release
  out=www/pkg/$crate
  rm -rf "$out" && mkdir -p "$out"
  wasm-bindgen --target web --out-dir "$out" "target/wasm32-unknown-unknown/wasm-release/$lib.wasm"
  if command -v wasm-opt >/dev/null && wasm-opt --version | grep -q "version 1[2-9][0-9]"; then
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-reference-types --enable-mutable-globals \
      "$out/${lib}_bg.wasm" -o "$out/${lib}_bg.wasm"
  fi
  size=$(gzip -9c "$out/${lib}_bg.wasm" | wc -c)
  echo "$crate: $(stat -c %s "$out/${lib}_bg.wasm") bytes wasm, $size bytes gzipped" >&2
done
