#!/usr/bin/env python3
"""Side-by-side face detection figures on Huella's generated face set.

    .venv/bin/python tools/face_detect_compare.py [--reps N] [--out DIR | --set DIR]

1. Runs `cargo run --release -p capture --example face_set -- DIR N`, which writes the generated
   set (degradations of shared/testdata/faces/astronaut.png, liveness warps, 640x480 framings),
   the true face boxes (truth.json) and Huella's detections + median ms per frame (huella.json;
   the time is the whole `face_quality`: detection, eyes and every measure).
2. Runs OpenCV's Haar frontal-face cascade (cv2 from the venv, haarcascade_frontalface_default,
   detectMultiScale(scaleFactor=1.1, minNeighbors=3) on the full-resolution grey image; one
   thread) on the same PNGs.
3. Prints, per image and in total: true faces found (a detection whose centre is within 0.35
   of the true side from the true centre and whose side is within a factor 1.6), false
   positives (detections matching no true face), and the median time per frame.
Times are wall-clock on whatever else this machine is doing: compare the two columns of one run.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import cv2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def haar_path():
    for base in [getattr(cv2, "data", None) and cv2.data.haarcascades, os.path.join(os.path.dirname(cv2.__file__), "data"),
                 "/usr/share/opencv4/haarcascades"]:
        if base:
            p = os.path.join(base, "haarcascade_frontalface_default.xml")
            if os.path.exists(p):
                return p
    sys.exit("haarcascade_frontalface_default.xml not found")


def matches(det, gt):
    dx, dy, dw, _ = det
    gx, gy, gw, _ = gt
    dc = (dx + dw / 2, dy + dw / 2)
    gc = (gx + gw / 2, gy + gw / 2)
    close = ((dc[0] - gc[0]) ** 2 + (dc[1] - gc[1]) ** 2) ** 0.5 < 0.35 * gw
    return close and 1 / 1.6 < dw / gw < 1.6


def score(dets, gts):
    found = sum(1 for g in gts if any(matches(d, g) for d in dets))
    fp = sum(1 for d in dets if not any(matches(d, g) for g in gts))
    return found, fp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--out", default=None)
    ap.add_argument("--set", default=None, help="use a set already written by the face_set example")
    a = ap.parse_args()
    out = a.set or a.out or tempfile.mkdtemp(prefix="face_set_")
    if not a.set:
        subprocess.run(["cargo", "run", "--quiet", "--release", "-p", "capture", "--example", "face_set", "--", out,
                        str(a.reps)], cwd=ROOT, check=True)
    truth = json.load(open(os.path.join(out, "truth.json")))
    ours = json.load(open(os.path.join(out, "huella.json")))
    cv2.setNumThreads(1)
    haar = cv2.CascadeClassifier(haar_path())
    rows = []
    tot = {"gt": 0, "h_found": 0, "h_fp": 0, "c_found": 0, "c_fp": 0}
    h_ms, c_ms = [], []
    for name, gts in truth.items():
        img = cv2.imread(os.path.join(out, name + ".png"))
        grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
        ts = []
        for _ in range(a.reps):
            t0 = time.perf_counter()
            dets = haar.detectMultiScale(grey, scaleFactor=1.1, minNeighbors=3)
            ts.append((time.perf_counter() - t0) * 1e3)
        ts.sort()
        cdets = [list(map(float, d)) for d in dets]
        hf, hfp = score(ours[name]["boxes"], gts)
        cf, cfp = score(cdets, gts)
        tot["gt"] += len(gts)
        tot["h_found"] += hf
        tot["h_fp"] += hfp
        tot["c_found"] += cf
        tot["c_fp"] += cfp
        h_ms.append(ours[name]["ms"])
        c_ms.append(ts[len(ts) // 2])
        rows.append((name, f'{ours[name]["w"]}x{ours[name]["h"]}', len(gts), hf, hfp, ours[name]["ms"], cf, cfp, ts[len(ts) // 2]))
    print(f"{'image':18} {'size':8} {'true':>4} | {'huella found':>12} {'FP':>3} {'ms':>7} | {'cv2 haar found':>14} {'FP':>3} {'ms':>7}")
    for r in rows:
        print(f"{r[0]:18} {r[1]:8} {r[2]:4} | {r[3]:12} {r[4]:3} {r[5]:7.2f} | {r[6]:14} {r[7]:3} {r[8]:7.2f}")
    h_ms.sort()
    c_ms.sort()
    print(f"{'total':18} {'':8} {tot['gt']:4} | {tot['h_found']:12} {tot['h_fp']:3} {h_ms[len(h_ms) // 2]:7.2f} | "
          f"{tot['c_found']:14} {tot['c_fp']:3} {c_ms[len(c_ms) // 2]:7.2f}   (ms: median over images)")
    print(f"detection rate: huella {tot['h_found']}/{tot['gt']}, cv2 haar {tot['c_found']}/{tot['gt']}; "
          f"false positives: huella {tot['h_fp']}, cv2 haar {tot['c_fp']}; images in {out}")


if __name__ == "__main__":
    main()
