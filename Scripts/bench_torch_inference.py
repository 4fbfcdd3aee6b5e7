#!/usr/bin/env python3
"""PyTorch's test-set inference throughput for Quant's seed model, for quant-bench.

Loads the FP32 weights Quant trained (its cached safetensors checkpoint, names
fc1.weight ... fc3.bias), builds the same MLP (784-256-128-10, ReLU) and its
dynamically quantized copy, `torch.ao.quantization.quantize_dynamic(model,
{nn.Linear}, dtype=torch.qint8)` (default qconfig: per-tensor symmetric qint8
weights, uint8 activations from each batch's min/max), and times both over
the 10,000 MNIST test images at each batch size, arg-max included, under
`torch.inference_mode()` with the given thread count. Prints one JSON object:
images/s (fastest of --repeats passes after a warm-up pass; --repeats-b1 at
batch 1, where one pass takes about a second) and the test accuracy of each
model, as a cross-check of Quant's numbers. quant-bench passes the same
repeat counts it uses itself.

    python Scripts/bench_torch_inference.py --mnist DIR --weights FILE [--threads 2]
        [--mean M --std S] [--batch-sizes 256,1] [--repeats 20] [--repeats-b1 5]
"""
import argparse
import json
import os

import numpy as np
import torch
from safetensors.torch import load_file
from idx import read_idx  # Scripts/idx.py
from timing import test_set_rate  # Scripts/timing.py


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mnist", required=True, help="folder with the MNIST test files (.gz or not)")
    parser.add_argument("--weights", required=True, help="Quant's FP32 safetensors checkpoint")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--mean", type=float, help="normalisation mean (default: the training set's)")
    parser.add_argument("--std", type=float, help="normalisation std (default: the training set's)")
    parser.add_argument("--batch-sizes", default="256,1")
    parser.add_argument("--repeats", type=int, default=20, help="timed passes at batch sizes above 1")
    parser.add_argument("--repeats-b1", type=int, default=5, help="timed passes at batch size 1")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    def load(name):
        path = os.path.join(args.mnist, name)
        return read_idx(path + ".gz" if os.path.exists(path + ".gz") else path)
    if args.mean is None or args.std is None:
        train = load("train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255
        args.mean, args.std = float(train.mean()), float(train.std())
    test_x = load("t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255
    test_y = torch.from_numpy(load("t10k-labels-idx1-ubyte").astype(np.int64))
    test_x = torch.from_numpy((test_x - args.mean) / args.std)

    state = load_file(args.weights)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, 10),
    )
    model.load_state_dict({f"{2 * i}.{kind}": state[f"fc{i + 1}.{kind}"] for i in range(3) for kind in ("weight", "bias")})
    model.eval()
    int8 = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)

    result = {"torch": torch.__version__, "threads": torch.get_num_threads(),
              "engine": torch.backends.quantized.engine, "cpus": len(os.sched_getaffinity(0)),
              "omp_env": {k: v for k, v in os.environ.items() if k.startswith(("OMP_", "GOMP_", "KMP_", "OPENBLAS_", "MKL_"))}}
    with torch.inference_mode():
        for name, m in (("fp32", model), ("int8", int8)):
            result[f"{name}_accuracy"] = (m(test_x).argmax(1) == test_y).float().mean().item()
            for batch in (int(b) for b in args.batch_sizes.split(",")):
                repeats = args.repeats_b1 if batch == 1 else args.repeats
                result[f"{name}_b{batch}"] = test_set_rate(m, test_x, batch, repeats)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
