#!/usr/bin/env python3
"""NBIS WSQ reference encoder/decoder for Huella's WSQ tests and benchmarks.

Drives NIST's NBIS 5.0 WSQ library as shipped inside the PyPI `wsq` package
(the `_wsq` C extension of the Pillow plugin). The plugin's own Python entry
point (`_wsq.compress`) ignores its bit-rate argument and always encodes at
0.75 bpp / 500 ppi, so this script calls the exported NBIS functions directly
with ctypes:

    int wsq_encode_mem(unsigned char **odata, int *olen, float r_bitrate,
                       unsigned char *idata, int w, int h, int d, int ppi,
                       char *comment_text);
    int wsq_decode_mem(unsigned char **odata, int *ow, int *oh, int *od,
                       int *oppi, int *lossyflag, unsigned char *idata,
                       int ilen);

Usage (run with <workspace>/.venv/bin/python):

    wsq_reference.py encode --bitrate 0.75 [--ppi 500] IN OUT [IN OUT ...]
        IN is a PGM (P5, 8-bit) or any image Pillow reads (PNG: the first
        channel is the grey level); OUT receives NBIS's WSQ bytes.
    wsq_reference.py decode IN.wsq OUT.pgm [IN.wsq OUT.pgm ...]
        OUT is a binary PGM (P5); its header carries a `# ppi N` comment.
    wsq_reference.py bench [--reps 20] [--bitrate R]... IMAGE...
        Prints size, ratio, PSNR and NBIS encode/decode milliseconds (best and
        median) per image and bit rate (default 0.75 and 2.25), as CSV.

Exit status is non-zero, with NBIS's error code, when NBIS fails.
"""

import argparse
import ctypes
import math
import statistics
import sys
import time

import _wsq  # the NBIS extension module of PyPI `wsq`

_lib = ctypes.CDLL(_wsq.__file__)
_libc = ctypes.CDLL(None)
_libc.free.argtypes = [ctypes.c_void_p]

_u8p = ctypes.POINTER(ctypes.c_ubyte)
_lib.wsq_encode_mem.argtypes = [
    ctypes.POINTER(_u8p), ctypes.POINTER(ctypes.c_int), ctypes.c_float,
    ctypes.c_char_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int,
    ctypes.c_char_p,
]
_lib.wsq_encode_mem.restype = ctypes.c_int
_lib.wsq_decode_mem.argtypes = [
    ctypes.POINTER(_u8p), ctypes.POINTER(ctypes.c_int),
    ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int),
    ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int),
    ctypes.c_char_p, ctypes.c_int,
]
_lib.wsq_decode_mem.restype = ctypes.c_int


class NbisError(Exception):
    pass


def nbis_encode(gray: bytes, width: int, height: int, bitrate: float,
                ppi: int = 500, comment: bytes | None = None) -> bytes:
    if len(gray) != width * height:
        raise ValueError("pixel buffer size does not match width*height")
    out = _u8p()
    olen = ctypes.c_int(0)
    ret = _lib.wsq_encode_mem(ctypes.byref(out), ctypes.byref(olen),
                              ctypes.c_float(bitrate), gray, width, height,
                              8, ppi, comment)
    if ret != 0:
        raise NbisError(f"wsq_encode_mem failed with {ret}")
    try:
        return ctypes.string_at(out, olen.value)
    finally:
        _libc.free(out)


def nbis_decode(data: bytes):
    """Returns (pixels, width, height, ppi)."""
    out = _u8p()
    w, h, d, ppi, lossy = (ctypes.c_int(0) for _ in range(5))
    ret = _lib.wsq_decode_mem(ctypes.byref(out), ctypes.byref(w),
                              ctypes.byref(h), ctypes.byref(d),
                              ctypes.byref(ppi), ctypes.byref(lossy),
                              data, len(data))
    if ret != 0:
        raise NbisError(f"wsq_decode_mem failed with {ret}")
    try:
        pixels = ctypes.string_at(out, w.value * h.value)
    finally:
        _libc.free(out)
    return pixels, w.value, h.value, ppi.value


def read_gray(path: str):
    """Returns (pixels, width, height) of an 8-bit grey image."""
    with open(path, "rb") as f:
        head = f.read(2)
    if head == b"P5":
        return _read_pgm(path)
    from PIL import Image
    im = Image.open(path)
    if im.mode != "L":
        im = im.getchannel(0)
    return im.tobytes(), im.size[0], im.size[1]


def _read_pgm(path: str):
    data = open(path, "rb").read()
    fields = []
    pos = 2
    while len(fields) < 3:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            while data[pos:pos + 1] not in (b"\n", b""):
                pos += 1
            continue
        start = pos
        while not data[pos:pos + 1].isspace():
            pos += 1
        fields.append(int(data[start:pos]))
    pos += 1  # single whitespace after maxval
    width, height, maxval = fields
    if maxval != 255:
        raise ValueError(f"{path}: only 8-bit PGM is supported")
    pixels = data[pos:pos + width * height]
    if len(pixels) != width * height:
        raise ValueError(f"{path}: truncated PGM")
    return pixels, width, height


def write_pgm(path: str, pixels: bytes, width: int, height: int, ppi: int):
    with open(path, "wb") as f:
        f.write(b"P5\n# ppi %d\n%d %d\n255\n" % (ppi, width, height))
        f.write(pixels)


def _pairs(paths, what):
    if len(paths) % 2:
        sys.exit(f"{what}: expected IN OUT pairs")
    return zip(paths[0::2], paths[1::2])


def cmd_encode(args):
    comment = args.comment.encode() if args.comment else None
    for src, dst in _pairs(args.paths, "encode"):
        pixels, w, h = read_gray(src)
        data = nbis_encode(pixels, w, h, args.bitrate, args.ppi, comment)
        with open(dst, "wb") as f:
            f.write(data)


def cmd_decode(args):
    for src, dst in _pairs(args.paths, "decode"):
        pixels, w, h, ppi = nbis_decode(open(src, "rb").read())
        write_pgm(dst, pixels, w, h, ppi)


def cmd_bench(args):
    args.bitrate = args.bitrate or [0.75, 2.25]
    print("image,width,height,bitrate,bytes,ratio,psnr_db,nbis_encode_ms_best,"
          "nbis_encode_ms_median,nbis_decode_ms_best,nbis_decode_ms_median")
    for path in args.images:
        pixels, w, h = read_gray(path)
        for bitrate in args.bitrate:
            enc, dec = [], []
            data, out = b"", b""
            for _ in range(args.reps):
                t0 = time.perf_counter()
                data = nbis_encode(pixels, w, h, bitrate, 500)
                enc.append((time.perf_counter() - t0) * 1e3)
            for _ in range(args.reps):
                t0 = time.perf_counter()
                out = nbis_decode(data)[0]
                dec.append((time.perf_counter() - t0) * 1e3)
            mse = sum((a - b) ** 2 for a, b in zip(pixels, out)) / len(pixels)
            psnr = 10 * math.log10(255 * 255 / mse) if mse else float("inf")
            name = path.rsplit("/", 1)[-1]
            print(f"{name},{w},{h},{bitrate},{len(data)},"
                  f"{len(pixels) / len(data):.2f},{psnr:.2f},{min(enc):.2f},"
                  f"{statistics.median(enc):.2f},{min(dec):.2f},"
                  f"{statistics.median(dec):.2f}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("encode")
    e.add_argument("--bitrate", type=float, required=True)
    e.add_argument("--ppi", type=int, default=500)
    e.add_argument("--comment")
    e.add_argument("paths", nargs="+")
    d = sub.add_parser("decode")
    d.add_argument("paths", nargs="+")
    b = sub.add_parser("bench")
    b.add_argument("--reps", type=int, default=20)
    b.add_argument("--bitrate", type=float, action="append",
                   help="repeatable; default 0.75 and 2.25")
    b.add_argument("images", nargs="+")
    args = p.parse_args()
    try:
        {"encode": cmd_encode, "decode": cmd_decode, "bench": cmd_bench}[args.cmd](args)
    except NbisError as err:
        print(f"wsq_reference: {err}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
