#!/usr/bin/env python3
"""Convert OpenCV boosted cascades (XML) into Huella's compact binary cascade format.

Run from the workspace root with the project venv:

    .venv/bin/python tools/face_cascades_convert.py

Inputs (both shipped inside the venv, BSD/Intel-licensed OpenCV data):
  * LBP frontal face: skimage/data/lbpcascade_frontalface_opencv.xml (identical to OpenCV's
    data/lbpcascades/lbpcascade_frontalface.xml, Debian package `opencv-data`, except for a
    misspelt `featuhreParams` tag that this parser does not read).
  * Haar eye: cv2/data/haarcascade_eye.xml (opencv-python-headless; same bytes as Debian's
    /usr/share/opencv4/haarcascades/haarcascade_eye.xml).
Outputs: crates/capture/data/face/{face_lbp.cas, eye_haar.cas}.

Binary format "HCAS" version 1 (all little-endian), read by crates/capture/src/face/cascade.rs:
  magic b"HCAS", u8 version=1, u8 kind (0 = LBP, 1 = Haar), u16 win_w, u16 win_h,
  u16 n_features, u16 n_stages
  features: LBP  -> u8 x, u8 y, u8 w, u8 h             (3x3 grid of w*h cells at x, y)
            Haar -> u8 n_rects, n_rects * (u8 x, y, w, h, f32 weight)
  stages:   u16 n_weak, f32 stage_threshold, then per weak classifier (depth-1 stumps only):
            LBP  -> u16 feature, 8 * i32 subset bitmask, f32 leaf_if_bit_set, f32 leaf_otherwise
            Haar -> u16 feature, f32 node_threshold, f32 leaf_if_below, f32 leaf_otherwise
"""
import os
import struct
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SITE = None
for dirpath, dirnames, _ in os.walk(os.path.join(ROOT, ".venv", "lib")):
    if dirpath.endswith("site-packages"):
        SITE = dirpath
        break


def nums(text):
    return text.split()


def convert(xml_path, out_path):
    root = ET.parse(xml_path).getroot()
    cas = root.find("cascade")
    ftype = cas.findtext("featureType").strip()
    kind = {"LBP": 0, "HAAR": 1}[ftype]
    win_w = int(cas.findtext("width"))
    win_h = int(cas.findtext("height"))
    feats = cas.find("features").findall("_")
    stages = cas.find("stages").findall("_")
    out = bytearray(b"HCAS")
    out += struct.pack("<BBHHHH", 1, kind, win_w, win_h, len(feats), len(stages))
    for f in feats:
        if kind == 0:
            x, y, w, h = (int(v) for v in nums(f.findtext("rect")))
            assert 3 * w + x <= win_w and 3 * h + y <= win_h
            out += struct.pack("<BBBB", x, y, w, h)
        else:
            assert f.findtext("tilted") in (None, "0"), "tilted Haar features unsupported"
            rects = f.find("rects").findall("_")
            out += struct.pack("<B", len(rects))
            for r in rects:
                v = nums(r.text)
                x, y, w, h = (int(t) for t in v[:4])
                assert x + w <= win_w and y + h <= win_h
                out += struct.pack("<BBBBf", x, y, w, h, float(v[4]))
    n_weak_total = 0
    for s in stages:
        weak = s.find("weakClassifiers").findall("_")
        out += struct.pack("<Hf", len(weak), float(s.findtext("stageThreshold")))
        for w in weak:
            nodes = nums(w.findtext("internalNodes"))
            leaves = [float(v) for v in nums(w.findtext("leafValues"))]
            assert nodes[0] == "0" and nodes[1] == "-1" and len(leaves) == 2, "stumps only"
            feat = int(nodes[2])
            if kind == 0:
                subset = [int(v) for v in nodes[3:11]]
                assert len(subset) == 8
                out += struct.pack("<H8i2f", feat, *subset, *leaves)
            else:
                out += struct.pack("<H3f", feat, float(nodes[3]), *leaves)
            n_weak_total += 1
    with open(out_path, "wb") as fh:
        fh.write(out)
    print(f"{os.path.relpath(out_path, ROOT)}: {ftype} {win_w}x{win_h}, {len(stages)} stages, "
          f"{n_weak_total} weak, {len(feats)} features, {len(out)} bytes (from {os.path.getsize(xml_path)} B XML)")


def main():
    if SITE is None:
        sys.exit("no .venv/lib/*/site-packages found: run scripts/setup.sh first")
    lbp = sys.argv[1] if len(sys.argv) > 1 else os.path.join(SITE, "skimage", "data", "lbpcascade_frontalface_opencv.xml")
    eye = sys.argv[2] if len(sys.argv) > 2 else os.path.join(SITE, "cv2", "data", "haarcascade_eye.xml")
    data = os.path.join(ROOT, "crates", "capture", "data", "face")
    os.makedirs(data, exist_ok=True)
    convert(lbp, os.path.join(data, "face_lbp.cas"))
    convert(eye, os.path.join(data, "eye_haar.cas"))


if __name__ == "__main__":
    main()
