#!/usr/bin/env python3
"""Train Huella's fingerprint-quality fusion model to rank images like NFIQ 2.

Steps (all deterministic):
1. tools/finger_graded_set.py builds the graded set from the 13 sample prints and scores every
   image with NFIQ 2 (nbis-py); a refusal counts as 0, as NFIQ 2's own tool reports it.
2. `cargo run --release -p capture --example finger_features` gives Huella's fusion inputs
   (`capture::finger::fusion_inputs`) for every image.
3. A one-hidden-layer perceptron (tanh, sigmoid output × 100) is fitted by full-batch Adam with
   weight decay to NFIQ 2's score, on the images of the TRAIN prints (and the background
   images) only; the HELD-OUT prints are never seen in training.
4. Spearman's rho is reported on train, held-out and all images, and the coefficients are
   written to crates/capture/src/finger/model.rs.

Run from the workspace root:  .venv/bin/python tools/finger_train_fusion.py [--work DIR]
"""

import argparse
import json
import os
import subprocess
import sys

import numpy as np
from scipy.stats import spearmanr

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, ".."))
MODEL_RS = os.path.join(ROOT, "crates", "capture", "src", "finger", "model.rs")

HELD_OUT = ["p1_3", "p2_2", "nist_card0003_07", "nist_card0005_07", "nist_card0002_01"]
HIDDEN = 6
MIN_USABLE_LN = np.log(1.0 + 10.0)  # fusion::MIN_USABLE_MM2
MIN_MINUTIAE_LN = np.log(1.0 + 5.0)  # fusion::MIN_MINUTIAE


def features(work, images, cargo_dir):
    env = dict(os.environ)
    cmd = ["cargo", "run", "--quiet", "--release", "-p", "capture", "--example", "finger_features", "--"]
    cmd += [os.path.join(work, e["file"]) for e in images]
    out = subprocess.run(cmd, cwd=cargo_dir, env=env, check=True, capture_output=True, text=True).stdout
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    by_name = {os.path.basename(r["file"]): r for r in rows}
    return [by_name[e["file"]] for e in images]


def forward(p, x):
    h = np.tanh(x @ p["w1"].T + p["b1"])
    return h, 1.0 / (1.0 + np.exp(-(h @ p["w2"] + p["b2"])))


def fit(x, y, seed, epochs=3000, lr=0.01, decay=1e-3):
    rng = np.random.default_rng(seed)
    p = {
        "w1": rng.normal(0, 0.3, (HIDDEN, x.shape[1])),
        "b1": np.zeros(HIDDEN),
        "w2": rng.normal(0, 0.3, HIDDEN),
        "b2": np.zeros(()),
    }
    m = {k: np.zeros_like(v) for k, v in p.items()}
    v = {k: np.zeros_like(v) for k, v in p.items()}
    t = y / 100.0
    for step in range(1, epochs + 1):
        h, out = forward(p, x)
        d_out = 2 * (out - t) * out * (1 - out) / len(t)
        g = {"w2": h.T @ d_out, "b2": d_out.sum()}
        d_h = np.outer(d_out, p["w2"]) * (1 - h * h)
        g["w1"] = d_h.T @ x + decay * p["w1"]
        g["b1"] = d_h.sum(0)
        g["w2"] = g["w2"] + decay * p["w2"]
        for k in p:
            m[k] = 0.9 * m[k] + 0.1 * g[k]
            v[k] = 0.999 * v[k] + 0.001 * g[k] ** 2
            p[k] = p[k] - lr * (m[k] / (1 - 0.9**step)) / (np.sqrt(v[k] / (1 - 0.999**step)) + 1e-8)
    return p


def predict(p, x_std, raw):
    _, out = forward(p, x_std)
    s = np.clip(np.rint(out * 100), 0, 100)
    s[(raw[:, 0] < MIN_USABLE_LN) | (raw[:, 14] < MIN_MINUTIAE_LN - 1e-6)] = 0  # fusion::is_fingerprint
    return s


def rs_array(name, values, fmt="{:.6}"):
    return f"[{', '.join(fmt.format(float(v)) for v in values)}]"


def write_model(p, mean, scale, names, trained_on, report):
    n = len(names)
    import textwrap

    wrapped = "\n".join("//! " + line for line in textwrap.wrap(report, 92))
    w1 = ",\n    ".join(rs_array("", row) for row in p["w1"])
    text = f"""//! Fusion model coefficients, written by `tools/finger_train_fusion.py`: do not edit by hand.
//!
//! A perceptron with {HIDDEN} tanh hidden units and a sigmoid output (× 100), fitted to NFIQ 2
//! scores of the graded set.
//!
{wrapped}
#![allow(clippy::excessive_precision)]

/// Number of fusion inputs.
pub(crate) const INPUTS: usize = {n};
/// Number of hidden units.
pub(crate) const HIDDEN: usize = {HIDDEN};
/// Names of the fusion inputs, in [`super::fusion_inputs`] order.
pub const INPUT_NAMES: [&str; INPUTS] = [{", ".join(json.dumps(s) for s in names)}];
pub(crate) const MEAN: [f32; INPUTS] = {rs_array("", mean)};
pub(crate) const SCALE: [f32; INPUTS] = {rs_array("", scale)};
pub(crate) const W1: [[f32; INPUTS]; HIDDEN] = [
    {w1},
];
pub(crate) const B1: [f32; HIDDEN] = {rs_array("", p["b1"])};
pub(crate) const W2: [f32; HIDDEN] = {rs_array("", p["w2"])};
pub(crate) const B2: f32 = {float(p["b2"]):.6};
/// Source prints whose graded variants trained the model (the background images did too).
pub const TRAINED_ON: &[&str] = &[{", ".join(json.dumps(s) for s in trained_on)}];
"""
    with open(MODEL_RS, "w") as f:
        f.write(text)
    subprocess.run(["rustfmt", "--edition", "2021", MODEL_RS], check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", default="/tmp/huella-finger-graded")
    ap.add_argument("--cargo-dir", default=ROOT, help="where to run cargo (the workspace root)")
    ap.add_argument("--dry-run", action="store_true", help="report only; do not write model.rs")
    args = ap.parse_args()

    subprocess.run([sys.executable, os.path.join(HERE, "finger_graded_set.py"), "--out", args.work], check=True)
    with open(os.path.join(args.work, "manifest.json")) as f:
        images = json.load(f)["images"]
    rows = features(args.work, images, args.cargo_dir)
    raw = np.array([r["inputs"] for r in rows], dtype=np.float64)
    y = np.array([e["nfiq2"] or 0 for e in images], dtype=np.float64)
    source = np.array([e["source"] for e in images])
    held = np.isin(source, HELD_OUT)
    train = ~held

    mean = raw[train].mean(0)
    scale = raw[train].std(0) + 1e-6
    x = (raw - mean) / scale
    best = None
    for seed in range(4):
        p = fit(x[train], y[train], seed)
        rho = spearmanr(predict(p, x[train], raw[train]), y[train])[0]
        if best is None or rho > best[0]:
            best = (rho, p)
    p = best[1]
    pred = predict(p, x, raw)
    finger = np.array([e["kind"] == "finger" for e in images])
    rho_train = spearmanr(pred[train], y[train])[0]
    rho_held = spearmanr(pred[held], y[held])[0]
    rho_all = spearmanr(pred, y)[0]
    rho_fing = spearmanr(pred[finger], y[finger])[0]
    bg_max = pred[~finger].max()
    report = (
        f"Spearman rho vs NFIQ 2: train {rho_train:.3f}, held-out prints {rho_held:.3f} "
        f"({', '.join(HELD_OUT)}), all {rho_all:.3f} ({len(y)} images); max background score {bg_max:.0f}."
    )
    print(report)
    for e, s in zip(images, pred):
        if e["kind"] != "finger":
            print(f"  background {e['variant']}: {s:.0f}")
    names = rows[0]["input_names"]  # from the Rust side, so both stay in step
    if not args.dry_run:
        trained_on = sorted(set(source[train]) - {"background"})
        write_model(p, mean, scale, names, trained_on, report)
        print(f"wrote {MODEL_RS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
