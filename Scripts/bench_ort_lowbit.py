#!/usr/bin/env python3
"""ONNX Runtime's low-bit and dynamic int8 matrix products, for comparison
with quant-bench's gemv_4096_* and gemm_w4_* lines. Not a dependency of the
project: run by `quant-bench --python PY` (or by hand) with a Python that
has onnxruntime and onnx. Without them it prints one line
  {"kind": "skipped", "reason": "..."}
and exits 0, so the benchmark goes on without the peer.

Prints one JSON object per line, each with "seconds" (the fastest per-call
time of session.run, float in, float out) and "threads":
  kind "ort_int4_gemv":    MatMulNBits (com.microsoft; bits 4, block_size 32,
                           accuracy_level 4: int8 activations), 1 x K times K x N
  kind "ort_int8_gemv":    the same float MatMul after onnxruntime's
                           quantize_dynamic (int8 weights, per tensor;
                           DynamicQuantizeLinear + MatMulInteger, fused by ORT)
  kind "ort_int8_gemm":    that int8 model at batch 256 (--only gemm; also
                           "gop_per_s", 2·256·K·N operations per call)
  kind "ort_int4_mlp":     the MNIST MLP 784-256-128-10 with MatMulNBits
                           layers (same settings), bias Add and Relu, at a batch
                           size; also "images_per_second" = batch / seconds.
"""
import argparse
import logging
import json
import os
import tempfile

from timing import fastest  # Scripts/timing.py


def matmul_nbits(helper, np, rng, name, x, k, n, block_size=32):
    """A MatMulNBits node (4-bit codes + 8, no zero-points: ORT's default 8)
    with random codes and scales; returns (node, initializers, output)."""
    blocks = (k + block_size - 1) // block_size
    blob = block_size * 4 // 8
    codes = rng.integers(0, 256, size=(n, blocks, blob), dtype=np.uint8)
    scales = (rng.random(n * blocks, dtype=np.float32) * 0.01 + 0.001).astype(np.float32)
    inits = [helper.make_tensor(name + "_B", 2, codes.shape, codes.tobytes(), raw=True),  # 2 = UINT8
             helper.make_tensor(name + "_scales", 1, scales.shape, scales.tobytes(), raw=True)]  # 1 = FLOAT
    node = helper.make_node("MatMulNBits", [x, name + "_B", name + "_scales"], [name + "_y"], domain="com.microsoft",
                            K=k, N=n, bits=4, block_size=block_size, accuracy_level=4)
    return node, inits, name + "_y"


def int8_matmul(helper, np, onnx, quantize_dynamic, QuantType, TensorProto, rng, k, n):
    """A float K x N MatMul (random weights, any batch) after quantize_dynamic
    (QInt8 weights), as serialized model bytes."""
    w = rng.standard_normal((k, n), dtype=np.float32) * 0.02
    fp32 = model(helper, [helper.make_node("MatMul", ["x", "W"], ["y"])],
                 [helper.make_tensor("W", TensorProto.FLOAT, w.shape, w.tobytes(), raw=True)],
                 [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", k])],
                 [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", n])])
    with tempfile.TemporaryDirectory() as folder:
        source, target = os.path.join(folder, "fp32.onnx"), os.path.join(folder, "int8.onnx")
        onnx.save(fp32, source)
        quantize_dynamic(source, target, weight_type=QuantType.QInt8)
        with open(target, "rb") as f:
            return f.read()


def session(ort, model_bytes, threads):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])


def model(helper, nodes, inits, inputs, outputs):
    graph = helper.make_graph(nodes, "g", inputs, outputs, inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)])
    m.ir_version = 9
    return m


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", choices=["gemv", "gemm", "mlp"],
                        help="only the 4096 layer at batch 1, at batch 256, or only the MLP")
    parser.add_argument("--size", type=int, default=4096)
    args = parser.parse_args()
    try:
        import numpy as np
        import onnx
        import onnxruntime as ort
        from onnx import TensorProto, helper
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as error:
        print(json.dumps({"kind": "skipped", "reason": f"onnxruntime/onnx not importable: {error}"}), flush=True)
        return
    logging.getLogger().setLevel(logging.ERROR)  # quantize_dynamic's pre-processing advice
    rng = np.random.default_rng(0)
    common = {"threads": args.threads, "onnxruntime": ort.__version__}

    if args.only in (None, "gemv"):
        k = n = args.size
        x = rng.standard_normal((1, k), dtype=np.float32)
        node, inits, y = matmul_nbits(helper, np, rng, "fc", "x", k, n)
        m = model(helper, [node], inits, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, k])],
                  [helper.make_tensor_value_info(y, TensorProto.FLOAT, [1, n])])
        s = session(ort, m.SerializeToString(), args.threads)
        seconds = fastest(lambda: s.run(None, {"x": x}))
        print(json.dumps({"kind": "ort_int4_gemv", "k": k, "n": n, "batch": 1, "bits": 4, "block_size": 32,
                          "accuracy_level": 4, "seconds": seconds, **common}), flush=True)

    if args.only in (None, "gemv", "gemm"):
        # One int8 model (any batch) for both the batch-1 and the batch-256 line.
        k = n = args.size
        s = session(ort, int8_matmul(helper, np, onnx, quantize_dynamic, QuantType, TensorProto, rng, k, n), args.threads)
        for kind, only, batch in (("ort_int8_gemv", "gemv", 1), ("ort_int8_gemm", "gemm", 256)):
            if args.only not in (None, only):
                continue
            x = rng.standard_normal((batch, k), dtype=np.float32)
            seconds = fastest(lambda: s.run(None, {"x": x}))
            line = {"kind": kind, "k": k, "n": n, "batch": batch, "seconds": seconds}
            if batch > 1:
                line["gop_per_s"] = 2 * batch * k * n / seconds / 1e9
            print(json.dumps({**line, **common}), flush=True)

    if args.only in (None, "mlp"):
        sizes = [784, 256, 128, 10]
        nodes, inits, current = [], [], "x"
        for index in range(3):
            node, layer_inits, y = matmul_nbits(helper, np, rng, f"fc{index + 1}", current, sizes[index], sizes[index + 1])
            bias = (rng.random(sizes[index + 1], dtype=np.float32) - 0.5).astype(np.float32)
            layer_inits.append(helper.make_tensor(f"fc{index + 1}_bias", TensorProto.FLOAT, bias.shape, bias.tobytes(), raw=True))
            nodes += [node, helper.make_node("Add", [y, f"fc{index + 1}_bias"], [f"fc{index + 1}_out"])]
            current = f"fc{index + 1}_out"
            if index < 2:
                nodes.append(helper.make_node("Relu", [current], [f"relu{index + 1}"]))
                current = f"relu{index + 1}"
            inits += layer_inits
        m = model(helper, nodes, inits, [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 784])],
                  [helper.make_tensor_value_info(current, TensorProto.FLOAT, ["batch", 10])])
        s = session(ort, m.SerializeToString(), args.threads)
        for batch in (1, 256):
            x = rng.standard_normal((batch, 784), dtype=np.float32)
            seconds = fastest(lambda: s.run(None, {"x": x}))
            print(json.dumps({"kind": "ort_int4_mlp", "batch": batch, "bits": 4, "block_size": 32, "accuracy_level": 4,
                              "seconds": seconds, "images_per_second": batch / seconds, **common}), flush=True)


if __name__ == "__main__":
    main()
