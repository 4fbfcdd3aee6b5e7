#!/usr/bin/env python3
"""NumPy's speed at the work of quant-bench's `affine_qdq_8bit`, for the ratio.

8-bit per-tensor affine quantize + dequantize of 10 million normally
distributed float32 values, with the parameters taken from min/max before
timing (the same work as the Swift side):

  plain: q = np.clip(np.rint(x / s) + zp, 0, 255).astype(np.uint8)
         xhat = (q.astype(np.float32) - zp) * s
  out=:  the same ufuncs writing into preallocated buffers (no temporaries).

Prints one JSON object: M elements/s for both variants (fastest of --repeats
runs after a warm-up), NumPy's version, and the OPENBLAS_* variables seen
(they do not affect these element-wise ufuncs; recorded for the report).
Run by `quant-bench --python PY`; usable alone:
    python Scripts/bench_numpy.py [--count 10000000] [--repeats 7]
"""
import argparse
import json
import os

import numpy as np
from timing import best_of as fastest  # Scripts/timing.py


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    n = args.count
    x = np.random.default_rng(0).standard_normal(n, dtype=np.float32)
    lo, hi = min(float(x.min()), 0.0), max(float(x.max()), 0.0)
    s = np.float32((np.float32(hi) - np.float32(lo)) / np.float32(255))
    zp = np.float32(0 - round(float(np.float32(lo) / s)))

    def plain():
        q = np.clip(np.rint(x / s) + zp, 0, 255).astype(np.uint8)
        return (q.astype(np.float32) - zp) * s

    t = np.empty(n, np.float32)
    q = np.empty(n, np.uint8)
    xhat = np.empty(n, np.float32)

    def preallocated():
        np.divide(x, s, out=t)
        np.rint(t, out=t)
        np.add(t, zp, out=t)
        np.clip(t, 0, 255, out=t)
        np.copyto(q, t, casting="unsafe")
        np.subtract(q, zp, out=xhat, dtype=np.float32)
        np.multiply(xhat, s, out=xhat)

    # Both variants compute the same codes.
    reference = plain()
    preallocated()
    assert np.array_equal(reference, xhat)
    result = {
        "plain_M_per_s": n / fastest(args.repeats, plain) / 1e6,
        "out_M_per_s": n / fastest(args.repeats, preallocated) / 1e6,
        "numpy": np.__version__,
        "openblas_env": {k: v for k, v in sorted(os.environ.items()) if k.startswith("OPENBLAS")},
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
