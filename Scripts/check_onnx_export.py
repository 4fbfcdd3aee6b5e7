#!/usr/bin/env python3
"""Cross-checks `quant export` against ONNX Runtime on the MNIST test set.

For every checkpoint given, it runs `quant export` (one .onnx per model),
`onnx.checker.check_model(full_check=True)` on the file, the model in ONNX
Runtime on the 10,000 test images (raw uint8 pixels: the normalization is
in the graph), and `quant predict -o logits.npy` on the same images, and
reports:

  * the files' sizes on disk (checkpoint and .onnx);
  * the test accuracy in Quant and in ORT, how many predictions agree, and
    the largest logit difference; for integer-only models, how many of the
    100,000 output codes differ (ORT requantizes in float32, Quant in
    31-bit fixed point) and by how much;
  * for integer-only models, the same network in NumPy from the checkpoint
    twice: with TFLite's fixed-point requantization (Quant's) and with one
    float rounding (ORT's), and how many codes each differs from Quant's and
    ORT's: the proof that the differences are the requantization's rounding;
  * the operators ORT runs after its graph optimizations (its fusions);
  * for low-bit models, the same graph without the activation quantization
    (float activations into MatMul: what ORT fuses into MatMulNBits), its
    agreement with Quant and its speed;
  * ORT's speed at batch 1 (median latency) and batch 256 (images/s);
  * which low-bit DequantizeLinear types this onnx and ORT accept: INT4
    with blocks (opset 21) and INT2 (opset 25), each on a tiny probe model.

With --low-bit, the FP32 checkpoints given are also quantized to those
weight formats (int4/g32, int4, int2/g32, …) as `lowbit-linear` checkpoints,
by LowBitLinear's rule in NumPy, and checked the same way.

Both runs use batches of 1,000 images (`quant predict`'s default), so a
dynamically quantized model sees the same activation ranges in both.
Never part of the build or the tests: it needs onnx, onnxruntime, numpy
and safetensors.

    python Scripts/check_onnx_export.py --quant .build/release/quant \\
        --mnist $QUANT_DATA/mnist --work /tmp/onnx-check \\
        --low-bit int4/g32,int4,int2/g32 MODEL.safetensors ...
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper
from safetensors import safe_open
from safetensors.numpy import save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from idx import read_idx  # Scripts/idx.py

BATCH = 1000


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stderr}")
    return result.stdout


def session(path, optimized=None):
    options = ort.SessionOptions()
    options.log_severity_level = 3   # not the warning that the saved optimized graph is machine-specific
    if optimized:
        options.optimized_model_filepath = optimized
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def ort_logits(sess, pixels):
    name = sess.get_inputs()[0].name
    return np.concatenate([sess.run(None, {name: pixels[i:i + BATCH]})[0] for i in range(0, len(pixels), BATCH)])


def speed(sess, pixels):
    """Median seconds per call at batch 1 (over 2,000 images), and images/s at batch 256."""
    name = sess.get_inputs()[0].name
    for i in range(200):
        sess.run(None, {name: pixels[i:i + 1]})
    times = []
    for i in range(2000):
        start = time.perf_counter()
        sess.run(None, {name: pixels[i:i + 1]})
        times.append(time.perf_counter() - start)
    batch = pixels[:256]
    for _ in range(10):
        sess.run(None, {name: batch})
    runs, start = 0, time.perf_counter()
    while time.perf_counter() - start < 2.0:
        sess.run(None, {name: batch})
        runs += 1
    return statistics.median(times), runs * 256 / (time.perf_counter() - start)


def weight_only(model):
    """The low-bit graph with its activation quantization taken out: `MatMul`
    reads the float activations, the form ONNX Runtime fuses into
    `MatMulNBits` (blocked int4 weights, float activations)."""
    model = onnx.ModelProto.FromString(model.SerializeToString())
    quantized = {n.output[0]: n.input[0] for n in model.graph.node if n.op_type == "DynamicQuantizeLinear"}
    dequantized = {n.output[0]: quantized[n.input[0]] for n in model.graph.node
                   if n.op_type == "DequantizeLinear" and n.input[0] in quantized}
    for node in model.graph.node:
        if node.op_type == "MatMul" and node.input[0] in dequantized:
            node.input[0] = dequantized[node.input[0]]
    kept = [n for n in model.graph.node if n.op_type != "DynamicQuantizeLinear" and n.output[0] not in dequantized]
    del model.graph.node[:]
    model.graph.node.extend(kept)
    return model


def check(model_path, args, pixels, labels, images_path, labels_path):
    stem = os.path.splitext(os.path.basename(model_path))[0]
    onnx_path = os.path.join(args.work, stem + ".onnx")
    logits_path = os.path.join(args.work, stem + ".logits.npy")
    run([args.quant, "export", model_path, "-o", onnx_path])
    model = onnx.load(onnx_path)
    onnx.checker.check_model(model, full_check=True)
    meta = {p.key: p.value for p in model.metadata_props}

    optimized = os.path.join(args.work, stem + ".ort-optimized.onnx")
    sess = session(onnx_path, optimized)
    fused = sorted({n.op_type for n in onnx.load(optimized).graph.node})
    theirs = ort_logits(sess, pixels)
    predict = [args.quant, "predict", model_path, "--images", images_path, "--labels", labels_path,
               "-o", logits_path, "--batch-size", str(BATCH)]
    integer = meta.get("quant.layers") == "integer-only-mlp"
    raw_path = os.path.join(args.work, stem + ".codes.npy")
    if integer:
        predict += ["--raw", raw_path]
    run(predict)
    ours = np.load(logits_path)
    agree = int((ours.argmax(1) == theirs.argmax(1)).sum())
    report = {
        "model": os.path.basename(model_path),
        "layers": meta.get("quant.layers"),
        "opset": model.opset_import[0].version,
        "checkpoint_bytes": os.path.getsize(model_path),
        "onnx_bytes": os.path.getsize(onnx_path),
        "checker": "ok",
        "ort_operators": fused,
        "accuracy_quant": float((ours.argmax(1) == labels).mean()),
        "accuracy_ort": float((theirs.argmax(1) == labels).mean()),
        "predictions_agree": agree,
        "images": len(labels),
        "agreement": agree / len(labels),
        "max_abs_logit_difference": float(np.abs(ours - theirs).max()),
    }
    if integer:
        scale = np.frombuffer(next(t for t in model.graph.initializer if t.name.endswith(".output_scale")).raw_data, np.float32)[0]
        zero = np.frombuffer(next(t for t in model.graph.initializer if t.name.endswith(".output_zero_point")).raw_data, np.uint8)[0]
        codes = np.load(raw_path).astype(np.int32)
        ort_codes = np.rint(theirs / scale).astype(np.int32) + int(zero)
        difference = np.abs(codes - ort_codes)
        report["output_codes_differing"] = int((difference > 0).sum())
        report["output_codes"] = int(codes.size)
        report["max_code_difference"] = int(difference.max())
        fixed, rounded = integer_network(model_path, pixels, True), integer_network(model_path, pixels, False)
        report["numpy_fixed_point_vs_quant_codes_differing"] = int((fixed != codes).sum())
        report["numpy_float_rounding_vs_ort_codes_differing"] = int((rounded != ort_codes).sum())
    if "lowbit-linear" in (meta.get("quant.layers") or ""):
        variant = weight_only(model)
        onnx.checker.check_model(variant, full_check=True)
        variant_path = os.path.join(args.work, stem + ".weight-only.onnx")
        onnx.save(variant, variant_path)
        variant_optimized = os.path.join(args.work, stem + ".weight-only.ort-optimized.onnx")
        variant_session = session(variant_path, variant_optimized)
        variant_logits = ort_logits(variant_session, pixels)
        latency, throughput = speed(variant_session, pixels)
        report["weight_only_variant"] = {
            "ort_operators": sorted({n.op_type for n in onnx.load(variant_optimized).graph.node}),
            "accuracy_ort": float((variant_logits.argmax(1) == labels).mean()),
            "predictions_agree_with_quant": int((ours.argmax(1) == variant_logits.argmax(1)).sum()),
            "ort_batch1_latency_us": round(latency * 1e6, 1),
            "ort_batch256_images_per_s": round(throughput),
        }
    latency, throughput = speed(sess, pixels)
    report["ort_batch1_latency_us"] = round(latency * 1e6, 1)
    report["ort_batch256_images_per_s"] = round(throughput)
    return report


def low_bit_checkpoint(fp32_path, fmt, work):
    """A `lowbit-linear` checkpoint of the FP32 checkpoint at `fp32_path`, in the
    layout LowBitLinear stores (see LowBitLinear+Checkpoint.swift), quantized by
    its rule: symmetric signed codes, s = max|w| / (2^(b-1) - 0.5) per row or per
    group of g inputs, q = clamp(round(w / s), -2^(b-1), 2^(b-1) - 1).
    `fmt` is `int4`, `int4/g32`, `int2/g64`, …; returns the new file's path."""
    encoding, _, group = fmt.partition("/")
    if encoding not in ("int4", "int2"):
        sys.exit(f"--low-bit {fmt}: the script makes int4 and int2 checkpoints only")
    bits = {"int4": 4, "int2": 2}[encoding]
    with safe_open(fp32_path, "np") as f:
        t = {name: f.get_tensor(name) for name in f.keys()}
        meta = dict(f.metadata())
    out_tensors, layers = {}, meta["quant.layers"].replace("linear", "lowbit-linear")
    for name in sorted({k.split(".")[0] for k in t}, key=lambda n: int(n[2:])):
        w = t[name + ".weight"].astype(np.float32)
        rows, k = w.shape
        g = int(group[1:]) if group else k
        groups = -(-k // g)
        padded = np.zeros((rows, groups * g), np.float32)
        padded[:, :k] = w
        blocks = padded.reshape(rows, groups, g)
        top = 2 ** (bits - 1)
        scales = (np.abs(blocks).max(2) / np.float32(top - 0.5)).astype(np.float32)
        scales[scales == 0] = 1
        codes = np.clip(np.rint(blocks / scales[:, :, None]), -top, top - 1).astype(np.int8).reshape(rows, -1)[:, :k]
        per_byte = 8 // bits
        row_bytes = -(-k // per_byte)
        fields = np.zeros((rows, row_bytes * per_byte), np.uint8)
        fields[:, :k] = codes.view(np.uint8) & ((1 << bits) - 1)
        fields = fields.reshape(rows, row_bytes, per_byte)
        packed = np.zeros((rows, row_bytes), np.uint8)
        for i in range(per_byte):
            packed |= fields[:, :, i] << (bits * i)
        out_tensors[name + ".weight_packed"] = packed
        out_tensors[name + ".weight_scale"] = scales if group else scales.reshape(rows, 1)
        out_tensors[name + ".bias"] = t[name + ".bias"]
        meta[f"quant.{name}.weight_format"] = fmt
        meta[f"quant.{name}.weight_layout"] = "igemm_pack_bits"
    meta["quant.layers"] = layers
    meta.pop("quant.tensors_sha256", None)   # Quant loads a file without a checksum unchecked
    path = os.path.join(work, os.path.splitext(os.path.basename(fp32_path))[0] + "-" + fmt.replace("/", "-") + ".safetensors")
    save_file(out_tensors, path, metadata=meta)
    return path


def multiply_by_quantized_multiplier(x, multiplier, shift):
    """TFLite's MultiplyByQuantizedMultiplier on int64 arrays (Quant's FixedPointMultiplier.apply):
    the high half of 2·x·multiplier rounded (ties up), then divided by 2^-shift rounded (ties away from 0)."""
    left, right = np.maximum(shift, 0), np.maximum(-shift, 0)
    product = np.clip(x << left, -2**31, 2**31 - 1) * multiplier
    nudged = product + np.where(product >= 0, 1 << 30, 1 - (1 << 30))
    high = np.where(nudged >= 0, nudged // (1 << 31), -((-nudged) // (1 << 31)))   # C's truncating division
    mask = (1 << right) - 1
    return (high >> right) + ((high & mask) > (mask >> 1) + (high < 0))


def integer_network(checkpoint, pixels, fixed_point):
    """The output codes of an integer-only checkpoint on raw pixels, requantized
    in fixed point (as Quant) or with one round-half-even of M·(acc + bias) in
    float (as a float32 runtime, up to M's float rounding)."""
    with safe_open(checkpoint, "np") as f:
        t = {name: f.get_tensor(name) for name in f.keys()}
        meta = f.metadata()
    bits = [int(b) for b in meta["quant.activation_bits"].split(",")]
    x = (pixels.astype(np.float32) / np.float32(255) - np.float32(meta["quant.input_mean"])) / np.float32(meta["quant.input_std"])
    q = np.clip(np.rint(x * (np.float32(1) / t["fc1.input_scale"][0])) + t["fc1.input_zero_point"][0], 0, 2**bits[0] - 1).astype(np.int64)
    for k in range(len(bits)):
        name = f"fc{k + 1}."
        acc = (q - t[name + "input_zero_point"][0]) @ t[name + "weight"].astype(np.int64).T + t[name + "bias"]
        multiplier, shift = t[name + "multiplier"].astype(np.int64), t[name + "shift"].astype(np.int64)
        if fixed_point:
            scaled = multiply_by_quantized_multiplier(acc, multiplier, shift)
        else:
            scaled = np.rint(acc * (multiplier * 2.0 ** (shift - 31)))
        last = k == len(bits) - 1
        zero = int(t["output_zero_point"][0] if last else t[f"fc{k + 2}.input_zero_point"][0])
        q = np.clip(scaled + zero, 0 if last else zero, 255 if last else 2**bits[k + 1] - 1).astype(np.int64)
    return q


def probe(name, opset, ir, data_type, codes, dims, block_size=None):
    """Whether onnx's checker and ORT accept DequantizeLinear of `data_type` (a tiny constant model)."""
    scale_dims = [dims[0], -(-dims[1] // block_size)] if block_size else []
    scales = np.full(scale_dims, 0.5, np.float32)
    weight = helper.make_tensor("w", data_type, dims, codes)
    scale = helper.make_tensor("s", TensorProto.FLOAT, scale_dims, scales.flatten().tolist())
    attributes = {"axis": 1, "block_size": block_size} if block_size else {}
    node = helper.make_node("DequantizeLinear", ["w", "s"], ["y"], **attributes)
    graph = helper.make_graph([node], name, [], [helper.make_tensor_value_info("y", TensorProto.FLOAT, dims)], [weight, scale])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], ir_version=ir)
    result = {"type": name, "opset": opset}
    try:
        onnx.checker.check_model(model, full_check=True)
        result["onnx_checker"] = "ok"
    except Exception as error:
        result["onnx_checker"] = f"refused: {str(error).splitlines()[0]}"
    try:
        y = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, {})[0]
        expected = np.array(codes, np.float32).reshape(dims) * 0.5
        result["ort"] = "runs, correct" if np.array_equal(y, expected) else f"runs, wrong values {y.flatten().tolist()}"
    except Exception as error:
        result["ort"] = f"refused: {str(error).splitlines()[0][:200]}"
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+", help="safetensors checkpoints written by Quant")
    parser.add_argument("--quant", default=".build/release/quant")
    parser.add_argument("--mnist", default=os.path.join(os.environ.get("QUANT_DATA", "."), "mnist"))
    parser.add_argument("--work", default="/tmp/onnx-check")
    parser.add_argument("--low-bit", default="",
                        help="comma-separated weight formats (int4/g32,int4,int2/g32): also check lowbit-linear "
                             "checkpoints made in these formats from each FP32 checkpoint given")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    for path in list(args.models):
        with safe_open(path, "np") as f:
            is_fp32 = set(f.metadata().get("quant.layers", "").split(",")) <= {"linear", "relu"}
        if is_fp32:
            args.models += [low_bit_checkpoint(path, fmt, args.work) for fmt in filter(None, args.low_bit.split(","))]

    images_path = os.path.join(args.mnist, "t10k-images-idx3-ubyte.gz")
    labels_path = os.path.join(args.mnist, "t10k-labels-idx1-ubyte.gz")
    pixels = np.ascontiguousarray(read_idx(images_path).reshape(-1, 784))
    labels = read_idx(labels_path).astype(np.int64)
    print(json.dumps({"onnx": onnx.__version__, "onnxruntime": ort.__version__, "threads": os.cpu_count()}))
    for path in args.models:
        print(json.dumps(check(path, args, pixels, labels, images_path, labels_path)), flush=True)
    print(json.dumps(probe("int4, blocks of 4", 21, 10, TensorProto.INT4, [1, -2, 3, -8, 7, 0, -1, 2], [2, 4], block_size=4)))
    print(json.dumps(probe("int4, blocks of 4, the last one short", 21, 10, TensorProto.INT4,
                           [1, -2, 3, -8, 7, 0, -1, 2, 3, 4, 5, 6], [2, 6], block_size=4)))
    print(json.dumps(probe("uint4, blocks of 4", 21, 10, TensorProto.UINT4, [1, 2, 3, 15, 7, 0, 9, 2], [2, 4], block_size=4)))
    print(json.dumps(probe("int2, blocks of 4", 25, 13, TensorProto.INT2, [1, -2, 0, -1, 1, 0, -1, -2], [2, 4], block_size=4)))
    print(json.dumps(probe("int2, per tensor", 25, 13, TensorProto.INT2, [1, -2, 0, -1, 1, 0, -1, -2], [2, 4])))
    print(json.dumps(probe("uint2, per tensor", 25, 13, TensorProto.UINT2, [1, 2, 3, 0, 1, 0, 3, 2], [2, 4])))


if __name__ == "__main__":
    main()
