#!/usr/bin/env python3
"""Side-by-side WSQ benchmark: Huella (Rust, release build) against NBIS (PyPI `wsq`).

Runs `cargo run --release -p capture --example wsq_bench` and
`tools/wsq_reference.py bench` on the same images, alternating rounds so that both see
the same machine load, and prints one Markdown table: file size, compression ratio,
PSNR and best/median encode and decode milliseconds per image and bit rate.

Usage (from the workspace root):
    .venv/bin/python tools/wsq_bench.py [--reps 20] [--rounds 3] [PNG...]
Default images: shared/testdata/fingerprints/p*.png.
"""

import argparse
import csv
import glob
import io
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTDATA = os.path.join(ROOT, "..", "shared", "testdata", "fingerprints")


def run_csv(cmd):
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True)
    return list(csv.DictReader(io.StringIO(out.stdout)))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--reps", type=int, default=20)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("images", nargs="*")
    args = p.parse_args()
    images = args.images or sorted(glob.glob(os.path.join(TESTDATA, "p*.png")))
    images = [os.path.abspath(i) for i in images]
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "capture",
                    "--example", "wsq_bench"], cwd=ROOT, check=True)
    ours_cmd = ["cargo", "run", "--release", "-q", "-p", "capture", "--example",
                "wsq_bench", "--", str(args.reps)] + images
    nbis_cmd = [sys.executable, os.path.join(ROOT, "tools", "wsq_reference.py"),
                "bench", "--reps", str(args.reps)] + images
    rows = {}
    for _ in range(args.rounds):
        for who, cmd in (("huella", ours_cmd), ("nbis", nbis_cmd)):
            for r in run_csv(cmd):
                key = (r["image"], float(r["bitrate"]))
                d = rows.setdefault(key, {}).setdefault(who, {"enc": [], "dec": []})
                d["bytes"], d["ratio"], d["psnr"] = r["bytes"], r["ratio"], r["psnr_db"]
                enc_b = [k for k in r if k.endswith("encode_ms_best")][0]
                dec_b = [k for k in r if k.endswith("decode_ms_best")][0]
                enc_m = [k for k in r if k.endswith("encode_ms_median")][0]
                dec_m = [k for k in r if k.endswith("decode_ms_median")][0]
                d["enc"].append((float(r[enc_b]), float(r[enc_m])))
                d["dec"].append((float(r[dec_b]), float(r[dec_m])))

    def cell(samples):
        best = min(b for b, _ in samples)
        med = statistics.median(m for _, m in samples)
        return f"{best:.2f} / {med:.2f}"

    print("| image | bpp | bytes H / N | ratio | PSNR H / N dB | encode ms H (best/med) "
          "| encode ms N | decode ms H | decode ms N |")
    print("|---|---|---|---|---|---|---|---|---|")
    for (image, bpp), d in sorted(rows.items()):
        h, n = d["huella"], d["nbis"]
        print(f"| {image} | {bpp} | {h['bytes']} / {n['bytes']} | {h['ratio']} | "
              f"{h['psnr']} / {n['psnr']} | {cell(h['enc'])} | {cell(n['enc'])} | "
              f"{cell(h['dec'])} | {cell(n['dec'])} |")


if __name__ == "__main__":
    main()
