#!/usr/bin/env python3
"""Checks Quant's dynamic int8 checkpoint against PyTorch's quantize_dynamic.

Takes the FP32 and int8 checkpoints that `notebook-mini2 --checkpoints DIR`
keeps, quantizes the FP32 model with
`torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)`
(per-tensor) or the per-channel dynamic qconfig, and compares, layer by layer,
PyTorch's int8 weight codes and scales with the ones Quant stored. Then it
runs both int8 models on the MNIST test images and reports their accuracies
and how many predictions differ (PyTorch's x86 kernels quantize activations
to 0..127, `reduce_range`, Quant's to 0..255, so a few may).

    python Scripts/check_ptq_against_pytorch.py --fp32 F --int8 Q [--per-channel] [--mnist DIR]
"""
import argparse
import json
import os

import numpy as np
import torch
from safetensors.numpy import load_file
from idx import read_idx  # Scripts/idx.py


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fp32", required=True)
    parser.add_argument("--int8", required=True)
    parser.add_argument("--per-channel", action="store_true")
    parser.add_argument("--mnist", help="folder with the MNIST files, to compare predictions")
    args = parser.parse_args()

    fp32, ours = load_file(args.fp32), load_file(args.int8)
    layers = sorted({name.split(".")[0] for name in fp32}, key=lambda n: int(n[2:]))
    modules = []
    for i, name in enumerate(layers):
        w = torch.from_numpy(fp32[f"{name}.weight"])
        linear = torch.nn.Linear(w.shape[1], w.shape[0])
        linear.weight.data, linear.bias.data = w, torch.from_numpy(fp32[f"{name}.bias"])
        modules += [linear] + ([torch.nn.ReLU()] if i < len(layers) - 1 else [])
    model = torch.nn.Sequential(*modules).eval()
    qconfig = (torch.ao.quantization.per_channel_dynamic_qconfig if args.per_channel
               else torch.ao.quantization.default_dynamic_qconfig)
    qmodel = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear: qconfig}, dtype=torch.qint8)

    report = {"torch": torch.__version__, "layers": {}}
    q_linears = [m for m in qmodel if isinstance(m, torch.ao.nn.quantized.dynamic.Linear)]
    for name, q in zip(layers, q_linears):
        weight, bias = q._packed_params._weight_bias()
        codes = weight.int_repr().numpy()
        scales = (weight.q_per_channel_scales() if args.per_channel else torch.tensor([weight.q_scale()])).numpy()
        our_codes, our_scales = ours[f"{name}.weight"], ours[f"{name}.weight_scale"]
        report["layers"][name] = {
            "codes_differing": int((codes != our_codes).sum()),
            "codes": int(codes.size),
            "scales_equal_bitwise": bool(np.array_equal(scales.astype(np.float32).view(np.uint32), our_scales.view(np.uint32))),
            "bias_equal": bool(np.array_equal(bias.detach().numpy(), ours[f"{name}.bias"])),
        }

    if args.mnist:
        def load(name):
            path = os.path.join(args.mnist, name)
            return read_idx(path + ".gz" if os.path.exists(path + ".gz") else path)
        train = load("train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255
        x = load("t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255
        y = load("t10k-labels-idx1-ubyte").astype(np.int64)
        x = torch.from_numpy((x - train.mean()) / train.std())
        # Quant's int8 model, run in float from its codes: dequantized weights,
        # activations quantized per batch of 1000 to 0..255 like Quant's kernels.
        h = x
        for i, name in enumerate(layers):
            scale = torch.from_numpy(ours[f"{name}.weight_scale"]).reshape(-1, 1)
            w = torch.from_numpy(ours[f"{name}.weight"]).float() * scale
            out = []
            for chunk in h.split(1000):
                lo, hi = min(chunk.min().item(), 0.0), max(chunk.max().item(), 0.0)
                s = np.float32(np.float32(hi) - np.float32(lo)) / np.float32(255)
                s = max(float(s), float(np.finfo(np.float32).eps))
                z = int(np.clip(0 - np.round(np.float32(lo) / np.float32(s)), 0, 255))
                qx = torch.clamp(torch.round(chunk * np.float32(1 / np.float32(s))) + z, 0, 255)
                out.append(((qx - z) * s) @ w.T + torch.from_numpy(ours[f"{name}.bias"]))
            h = torch.cat(out)
            if i < len(layers) - 1:
                h = torch.relu(h)
        with torch.inference_mode():
            theirs = qmodel(x).argmax(1).numpy()
        mine = h.argmax(1).numpy()
        report["torch_int8_accuracy"] = float((theirs == y).mean())
        report["quant_int8_accuracy_emulated"] = float((mine == y).mean())
        report["predictions_differing"] = int((theirs != mine).sum())
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
