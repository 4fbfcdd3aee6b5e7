#!/usr/bin/env python3
"""ONNX Runtime's test-set inference throughput for Quant's seed model, for
quant-bench's infer_* lines. Not a dependency of the project: run by
`quant-bench --python PY` (or by hand) with a Python that has onnxruntime
and onnx. Without them it prints {"skipped": "..."} and exits 0, so the
benchmark goes on without the peer.

quant-bench exports its own three models with QuantONNX (float input, already
normalized; output logits) and passes their paths:
  --fp32     the FP32 MLP (Gemm, Relu)
  --dynamic  its dynamic int8 copy (DynamicQuantizeLinear, MatMulInteger, ...;
             ORT fuses the chain into DynamicQuantizeMatMul)
  --static   its integer-only W8A8 copy in QDQ form
Besides these, the script quantizes the FP32 export the way an ONNX Runtime
user would, with ORT's own tools:
  ort_dynamic  quantize_dynamic(weight_type=QInt8, per_channel=False)
  ort_static   quantize_static(QDQ, QUInt8 activations, QInt8 weights, per
               tensor, MinMax on the first --calibration training images)
Each model is timed as quant-bench times its own: passes over the 10,000
MNIST test images in batches (arg-max included), the fastest of --repeats
(--repeats-b1 at batch 1) after a warm-up pass, with --threads intra-op
threads, on the same inputs: the test images normalized once, before timing,
as Quant's ImageDataset holds them (float32 batches ready to run).

Prints one JSON object: "<model>_b<batch>" images/s, "<model>_accuracy",
the ORT version and thread count; and "<model>_b<batch>_fixed_batch", the
images/s of session.run alone on one contiguous batch, called back to back
(no slicing, no arg-max, no pass over the test set): ORT's best case, which
quant-bench compares with, too.

    python Scripts/bench_onnxruntime.py --mnist DIR --fp32 F.onnx --dynamic D.onnx --static S.onnx
        [--mean M --std S] [--threads 2] [--batch-sizes 256,1] [--repeats 20] [--repeats-b1 5]
        [--calibration 1024]
"""
import argparse
import json
import logging
import os
import tempfile

from timing import fastest, test_set_rate  # Scripts/timing.py


def fixed_batch(session, x, batch):
    """Images per second of session.run alone on one batch (no slicing, no
    arg-max: ORT's best case), timed as timing.fastest times a call."""
    feed = {session.get_inputs()[0].name: x[:batch]}
    return batch / fastest(lambda: session.run(None, feed))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mnist", required=True, help="folder with the MNIST files (.gz or not)")
    parser.add_argument("--fp32", required=True)
    parser.add_argument("--dynamic", required=True)
    parser.add_argument("--static", required=True)
    parser.add_argument("--mean", type=float, help="normalization mean (default: the training set's)")
    parser.add_argument("--std", type=float, help="normalization std (default: the training set's)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-sizes", default="256,1")
    parser.add_argument("--repeats", type=int, default=20, help="timed passes at batch sizes above 1")
    parser.add_argument("--repeats-b1", type=int, default=5, help="timed passes at batch size 1")
    parser.add_argument("--calibration", type=int, default=1024, help="training images for ort_static's MinMax")
    args = parser.parse_args()
    try:
        import numpy as np
        import onnxruntime as ort
        from idx import read_idx  # Scripts/idx.py (NumPy)
        from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType,
                                              quantize_dynamic, quantize_static)
    except ImportError as error:
        print(json.dumps({"skipped": f"onnxruntime/onnx not importable: {error}"}), flush=True)
        return
    logging.getLogger().setLevel(logging.ERROR)  # the quantizers' pre-processing advice

    def load(name):
        path = os.path.join(args.mnist, name)
        return read_idx(path + ".gz" if os.path.exists(path + ".gz") else path)
    train = load("train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255
    if args.mean is None or args.std is None:
        args.mean, args.std = float(train.mean()), float(train.std())
    normalize = lambda images: ((images - np.float32(args.mean)) / np.float32(args.std)).astype(np.float32)
    test_x = normalize(load("t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255)
    test_y = load("t10k-labels-idx1-ubyte").astype(np.int64)
    calibration = normalize(train[:args.calibration])

    class Calibration(CalibrationDataReader):
        def __init__(self, name):
            self.batches = iter([{name: calibration[i:i + 256]} for i in range(0, calibration.shape[0], 256)])

        def get_next(self):
            return next(self.batches, None)

    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = lambda path: ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])

    with tempfile.TemporaryDirectory() as folder:
        models = {"fp32": args.fp32, "dynamic": args.dynamic, "static": args.static,
                  "ort_dynamic": os.path.join(folder, "ort_dynamic.onnx"),
                  "ort_static": os.path.join(folder, "ort_static.onnx")}
        quantize_dynamic(args.fp32, models["ort_dynamic"], weight_type=QuantType.QInt8, per_channel=False)
        input_name = session(args.fp32).get_inputs()[0].name
        quantize_static(args.fp32, models["ort_static"], Calibration(input_name), quant_format=QuantFormat.QDQ,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8, per_channel=False,
                        calibrate_method=CalibrationMethod.MinMax)
        result = {"onnxruntime": ort.__version__, "threads": args.threads, "input": "float32, normalized before timing"}
        for key, path in models.items():
            s = session(path)
            logits = s.run(None, {s.get_inputs()[0].name: test_x})[0]
            result[f"{key}_accuracy"] = float((logits.argmax(1) == test_y).mean())
            for batch in (int(b) for b in args.batch_sizes.split(",")):
                repeats = args.repeats_b1 if batch == 1 else args.repeats
                run = lambda rows, s=s: s.run(None, {s.get_inputs()[0].name: rows})[0]
                result[f"{key}_b{batch}"] = test_set_rate(run, test_x, batch, repeats)
                result[f"{key}_b{batch}_fixed_batch"] = fixed_batch(s, test_x, batch)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
