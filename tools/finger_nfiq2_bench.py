#!/usr/bin/env python3
"""Time NFIQ 2 (PyPI nbis-py==0.1.3, native code) on the 400 x 500 sample prints.

The reference side of `cargo run --release -p capture --example finger_bench`: run both in the
same session (this machine's timings vary about 2x between runs). Each call decodes the PNG,
extracts minutiae (FingerJet FX) and computes NFIQ 2, as NFIQ 2 needs its minutiae.

Run: .venv/bin/python tools/finger_nfiq2_bench.py [ROUNDS]
"""

import json
import os
import statistics
import sys
import time

import nbis

PRINTS = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "testdata", "fingerprints")
)


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    settings = nbis.NbisExtractorSettings(
        min_quality=0.0, get_center=False, check_fingerprint=False, compute_nfiq2=True, ppi=500.0
    )
    extractor = nbis.new_nbis_extractor(settings)
    per_image, everything = [], []
    for name in ["p1_1", "p1_2", "p1_3", "p2_1", "p2_2", "p2_3"]:
        with open(os.path.join(PRINTS, name + ".png"), "rb") as f:
            data = f.read()
        times, score = [], None
        for _ in range(rounds):
            t = time.perf_counter()
            score = extractor.extract_minutiae(data).quality().score
            times.append((time.perf_counter() - t) * 1000.0)
        everything += times
        per_image.append({"image": name, "score": score, "median_ms": round(statistics.median(times), 3),
                          "min_ms": round(min(times), 3)})
    print(json.dumps({"what": "NFIQ 2 (nbis-py 0.1.3, PNG decode + minutiae + NFIQ 2), native",
                      "rounds": rounds, "median_ms": round(statistics.median(everything), 3),
                      "images": per_image}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
