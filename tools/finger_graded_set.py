#!/usr/bin/env python3
"""Generate the graded fingerprint set and score it with NFIQ 2 (reference only).

The set is built from the 13 sample prints in ../shared/testdata/fingerprints/ by deterministic
degradations (blur, noise, low/high contrast, too dark/light, smudge, dry, wet, partial crops,
rotation, combinations), plus background-only and non-fingerprint images. Every image is
written as an 8-bit gray PNG at 500 ppi into --out, and --out/manifest.json lists them:

    {"key": "<hash of this script and its inputs>",
     "images": [{"file", "source", "variant", "kind": "finger"|"background",
                 "nfiq2": int|null, "nfiq2_ms": float}, ...]}

`nfiq2` is the NFIQ 2 score from PyPI `nbis-py==0.1.3` (`nbis` module); null when NFIQ 2
refuses the image (treated as 0 by the tests). If --out already holds a manifest with the same
key the work is skipped (use --force to redo it).

Used by crates/capture/tests/finger_nfiq2.rs and tools/finger_train_fusion.py; never by the
product. Run: .venv/bin/python tools/finger_graded_set.py --out /tmp/finger-graded
"""

import argparse
import hashlib
import json
import os
import sys
import time

import numpy as np
from PIL import Image
from scipy import ndimage

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "testdata"))
PRINTS = os.path.join(TESTDATA, "fingerprints")
FACE = os.path.join(TESTDATA, "faces", "astronaut.png")


def load_gray(path):
    im = Image.open(path)
    if im.mode != "L":
        im = im.convert("L")
    return np.asarray(im).astype(np.float64)


def clip8(a):
    return np.clip(np.rint(a), 0, 255).astype(np.uint8)


def background_level(img):
    """Brightest common level: the paper/platen colour."""
    return float(np.percentile(img, 97))


def smudge(img, rng, regions):
    out = img.copy()
    h, w = img.shape
    yy, xx = np.mgrid[0:h, 0:w]
    for _ in range(regions):
        cy, cx = rng.uniform(0.3, 0.7) * h, rng.uniform(0.3, 0.7) * w
        ry, rx = rng.uniform(0.15, 0.3) * h, rng.uniform(0.15, 0.3) * w
        mask = ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1.0
        mask = ndimage.gaussian_filter(mask.astype(np.float64), 6)
        angle = rng.uniform(0, 180)
        k = np.zeros((15, 15))
        k[7, :] = 1.0
        k = ndimage.rotate(k, angle, reshape=False, order=1)
        k /= k.sum()
        smeared = ndimage.convolve(img, k, mode="nearest") * 0.8
        out = out * (1 - mask) + smeared * mask
    return out


def dry(img, rng, level):
    bg = background_level(img)
    out = ndimage.grey_dilation(img, size=(level + 1, level + 1))  # thinner dark ridges
    breaks = ndimage.gaussian_filter(rng.standard_normal(img.shape), 2.0)
    breaks = breaks > (0.5 - 0.25 * level)
    out = np.where(breaks, out + (bg - out) * 0.7, out)
    return out * 0.6 + bg * 0.4


def wet(img, level):
    out = ndimage.grey_erosion(img, size=(level + 1, level + 1))  # ridges merge
    out = ndimage.gaussian_filter(out, 0.8 * level)
    return out * 0.75


def partial(img, keep, side):
    bg = background_level(img)
    h, w = img.shape
    out = np.full_like(img, bg)
    if side == 0:  # keep the bottom part
        rows = int(h * keep)
        out[h - rows:, :] = img[h - rows:, :]
    elif side == 1:  # keep a corner
        rows, cols = int(h * np.sqrt(keep)), int(w * np.sqrt(keep))
        out[:rows, :cols] = img[:rows, :cols]
    else:  # keep the left part
        cols = int(w * keep)
        out[:, :cols] = img[:, :cols]
    return out


def rotate(img, angle):
    bg = background_level(img)
    return ndimage.rotate(img, angle, reshape=False, order=1, mode="constant", cval=bg)


def contrast(img, factor, centre=None):
    c = float(np.mean(img)) if centre is None else centre
    return c + (img - c) * factor


def variants(img, rng):
    """(name, image) pairs, from the original to the worst."""
    v = [("orig", img)]
    for s in (1.0, 1.8, 2.8, 4.0):
        v.append((f"blur{s}", ndimage.gaussian_filter(img, s)))
    for s in (12, 30, 60):
        v.append((f"noise{s}", img + rng.standard_normal(img.shape) * s))
    v.append(("lowcontrast0.4", contrast(img, 0.4)))
    v.append(("lowcontrast0.15", contrast(img, 0.15)))
    v.append(("dark", img * 0.3))
    v.append(("light", 255 - (255 - img) * 0.25))
    v.append(("highcontrast", contrast(img, 2.5, 128.0)))
    v.append(("smudge1", smudge(img, rng, 1)))
    v.append(("smudge3", smudge(img, rng, 3)))
    v.append(("dry1", dry(img, rng, 1)))
    v.append(("dry2", dry(img, rng, 2)))
    v.append(("wet1", wet(img, 1)))
    v.append(("wet2", wet(img, 2)))
    v.append(("partial0.6", partial(img, 0.6, 0)))
    v.append(("partial0.35", partial(img, 0.35, 1)))
    v.append(("partial0.15", partial(img, 0.15, 2)))
    v.append(("rot20", rotate(img, 20)))
    v.append(("rot90", rotate(img, 90)))
    v.append(("blurnoise", ndimage.gaussian_filter(img, 2.0) + rng.standard_normal(img.shape) * 20))
    return v


def backgrounds(rng):
    """Images with no fingerprint at all."""
    h, w = 500, 400
    yy, xx = np.mgrid[0:h, 0:w]
    out = [
        ("blank_white", np.full((h, w), 250.0)),
        ("blank_gray", np.full((h, w), 128.0)),
        ("white_sensor_noise", 240 + rng.standard_normal((h, w)) * 4),
        ("gradient", 60 + 150 * xx / w + 20 * yy / h),
        ("random_noise", 128 + rng.standard_normal((h, w)) * 50),
        ("blotches", 128 + 60 * np.tanh(ndimage.gaussian_filter(rng.standard_normal((h, w)), 12) * 20)),
    ]
    # Ridge-like but not fingerprints: straight stripes and concentric rings, 9 px period.
    out.append(("stripes", np.where(xx % 9 < 4, 40.0, 210.0)))
    out.append(("rings", 125 + 80 * np.sin(np.hypot(xx - w / 2, yy - h / 2) * 2 * np.pi / 9)))
    face = load_gray(FACE)
    out.append(("face", face[6:506, 56:456]))
    card = load_gray(os.path.join(PRINTS, "nist_card0001_01.png"))
    # A blank margin of a ten-print card, tiled to size, with scanner noise.
    margin = np.full((h, w), float(np.percentile(card, 99))) + rng.standard_normal((h, w)) * 2
    out.append(("card_margin", margin))
    return out


def run_key():
    hsh = hashlib.sha256()
    with open(os.path.abspath(__file__), "rb") as f:
        hsh.update(f.read())
    for name in sorted(os.listdir(PRINTS)) + [FACE]:
        with open(os.path.join(PRINTS, name) if name != FACE else FACE, "rb") as f:
            hsh.update(f.read())
    return hsh.hexdigest()[:16]


def nfiq2_scorer():
    import nbis  # the reference; imported lazily so --no-nfiq works without it

    settings = nbis.NbisExtractorSettings(
        min_quality=0.0, get_center=False, check_fingerprint=False, compute_nfiq2=True, ppi=500.0
    )
    extractor = nbis.new_nbis_extractor(settings)

    def score(png_bytes):
        t = time.perf_counter()
        try:
            result = extractor.extract_minutiae(png_bytes).quality().score
        except Exception:  # NFIQ 2 refuses empty/too-uniform images
            result = None
        return result, (time.perf_counter() - t) * 1000.0

    return score


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--no-nfiq", action="store_true", help="only write the images")
    args = ap.parse_args()

    key = run_key() + ("-nonfiq" if args.no_nfiq else "")
    manifest_path = os.path.join(args.out, "manifest.json")
    if not args.force and os.path.exists(manifest_path):
        with open(manifest_path) as f:
            if json.load(f).get("key") == key:
                print(f"up to date: {manifest_path}")
                return 0
    os.makedirs(args.out, exist_ok=True)
    score = None if args.no_nfiq else nfiq2_scorer()

    items = []
    sources = sorted(n for n in os.listdir(PRINTS) if n.endswith(".png"))
    jobs = []
    for si, name in enumerate(sources):
        rng = np.random.default_rng(1000 + si)
        img = load_gray(os.path.join(PRINTS, name))
        stem = name[:-4]
        for vname, vimg in variants(img, rng):
            jobs.append((stem, vname, "finger", vimg))
    for bname, bimg in backgrounds(np.random.default_rng(7)):
        jobs.append(("background", bname, "background", bimg))

    for stem, vname, kind, vimg in jobs:
        fname = f"{stem}__{vname}.png"
        path = os.path.join(args.out, fname)
        Image.fromarray(clip8(vimg), mode="L").save(path, dpi=(500, 500))
        entry = {"file": fname, "source": stem, "variant": vname, "kind": kind}
        if score is not None:
            with open(path, "rb") as f:
                entry["nfiq2"], entry["nfiq2_ms"] = score(f.read())
        items.append(entry)

    with open(manifest_path, "w") as f:
        json.dump({"key": key, "images": items}, f, indent=1)
    print(f"wrote {len(items)} images and {manifest_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
