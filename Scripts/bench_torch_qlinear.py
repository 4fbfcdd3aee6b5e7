#!/usr/bin/env python3
"""PyTorch's dynamic int8 Linear on the MLP's shapes (or on one --case, e.g.
4096:4096:256), for comparison with quant-bench's gemm_int8_* lines. Not a dependency of the project: run by
`quant-bench --python PY` (or by hand) with a Python that has torch.

Prints one JSON object per line:
  {"in": 784, "out": 256, "batch": 256, "kind": "qlinear_dynamic",
   "seconds": ..., "gops": ...}
where seconds is the fastest per-call time of a forward pass (float in,
float out: activation quantization + int8 GEMM + rescale, like our
`dynamic` lines), and gops = 2·batch·in·out / seconds / 1e9.
"""
import argparse
import json
import warnings

import torch
from timing import fastest  # Scripts/timing.py

warnings.filterwarnings("ignore")  # quantized-tensor deprecation notices

SHAPES = [(784, 256), (256, 128), (128, 10)]
BATCHES = [1, 256]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--case", help="only this case, as IN:OUT:BATCH (e.g. 784:256:256)")
    args = parser.parse_args()
    only = tuple(int(v) for v in args.case.split(":")) if args.case else None
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    engine = torch.backends.quantized.engine
    for k, n in [only[:2]] if only else SHAPES:
        fp32 = torch.nn.Linear(k, n)
        # What users call: quantize_dynamic turns the Linear into a
        # torch.ao.nn.quantized.dynamic.Linear (int8 weights, per tensor).
        qlinear = torch.ao.quantization.quantize_dynamic(
            torch.nn.Sequential(fp32), {torch.nn.Linear}, dtype=torch.qint8)[0]
        assert type(qlinear).__module__.startswith("torch.ao.nn.quantized.dynamic")
        for batch in BATCHES if not only else [only[2]]:
            x = torch.randn(batch, k)
            with torch.inference_mode():
                for kind, module in (("qlinear_dynamic", qlinear), ("linear_fp32", fp32)):
                    s = fastest(lambda: module(x))
                    print(json.dumps({
                        "in": k, "out": n, "batch": batch, "kind": kind, "seconds": s,
                        "gops": 2 * batch * k * n / s / 1e9, "threads": args.threads,
                        "engine": engine, "torch": torch.__version__,
                    }), flush=True)


if __name__ == "__main__":
    main()
