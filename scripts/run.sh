#!/usr/bin/env bash
# Runs the product. Until `huella serve` lands this is the e.firma CLI demo on SAT's test FIEL:
# inspect the credential, sign a document, verify the signature.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release -q -p cli
huella=target/release/huella
td=../shared/testdata/efirma
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '12345678a' > "$tmp/pw"
echo "== huella inspect (SAT test FIEL)"
$huella inspect --cer $td/fiel_aaa010101aaa.cer --key $td/fiel_aaa010101aaa.key --password-file "$tmp/pw"
echo "Alta de trabajador: NSS 92919084431" > "$tmp/doc.txt"
echo "== huella sign (at 2019-06-01, inside the expired test certificate's validity)"
$huella sign --cer $td/fiel_aaa010101aaa.cer --key $td/fiel_aaa010101aaa.key --password-file "$tmp/pw" \
  --in "$tmp/doc.txt" --out "$tmp/doc.p7s" --at 2019-06-01T12:00:00Z
echo "== huella verify"
$huella verify --in "$tmp/doc.txt" --sig "$tmp/doc.p7s"
