#!/usr/bin/env python3
"""Cross-check the `quant` command-line tool against PyTorch, bit for bit.

For a sweep of data (several distributions, constant and all-zero tensors,
negative-only and positive-only ranges, exact .5 ties), bit widths 1..16,
signed/unsigned, affine/symmetric (full and restricted range) and
per-tensor/per-channel (every axis of a rank-3 tensor), it writes float32
.npy files, runs `quant quantize` and `quant dequantize` on them, and
compares:

  * scale and zero-point with torch.ao.quantization.MinMaxObserver /
    PerChannelMinMaxObserver (quant_min/quant_max set for the bit width),
    bit for bit (float32 bit patterns);
  * the integer codes with torch.quantize_per_tensor / quantize_per_channel,
    torch.fake_quantize_per_tensor_affine / fake_quantize_per_channel_affine
    and the learnable (LSQ) fake-quantize kernels,
    counting mismatches at exact ties (x * (1/scale) = k + 0.5 in float32)
    separately from all other elements: PyTorch's kernels disagree among
    themselves at ties;
  * the dequantized values with (q - zp) * scale computed in float32 by NumPy,
    and with torch.dequantize (which uses a fused multiply-add, so it differs
    in the last bit on some elements; reported, not a failure);
  * for information, how many codes the textbook round(x / scale) (true
    division) would change compared with PyTorch's x * (1/scale).

Conventions that differ on purpose (reported, not counted as failures):
symmetric *unsigned* schemes put the zero-point at 2^(bits-1) (128 at 8 bits,
as PyTorch's default quint8 observer); PyTorch's observer with a customised
range uses (qmin+qmax)//2 instead (127 at 8 bits), so unsigned symmetric
zero-points are compared against PyTorch only at its default 8-bit range.
PyTorch cannot express a restricted *unsigned* range (its quant_min must be
<= 0), so those cases are run but checked only against NumPy.

This is a developer tool, not a test dependency:
    Scripts/check_against_pytorch.py [--quant .build/debug/quant] [--quick]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter

import warnings

import numpy as np
import torch
from torch.ao.quantization import MinMaxObserver, PerChannelMinMaxObserver


def datasets(rng, quick):
    shape = (5, 40, 6) if not quick else (3, 8, 4)
    n = int(np.prod(shape))
    f32 = np.float32
    data = {
        "normal": rng.standard_normal(n).astype(f32),
        "uniform": rng.uniform(-2, 5, n).astype(f32),
        "laplace": rng.laplace(0, 1, n).astype(f32),
        "positive": rng.uniform(0.5, 3, n).astype(f32),
        "negative": rng.uniform(-3, -0.5, n).astype(f32),
        "constant": np.full(n, 0.75, f32),
        "constant_negative": np.full(n, -2.5, f32),
        "zeros": np.zeros(n, f32),
        "tiny": (rng.standard_normal(n) * 1e-9).astype(f32),
    }
    # Exact ties at 8 bits: the range [0, 255/64] gives scale 1/64 exactly,
    # and odd multiples of 1/128 land on k + 0.5.
    ties = (rng.integers(0, 510, n) * 2 + 1).astype(f32) / f32(128)
    ties[0], ties[1] = 0, f32(255) / f32(64)
    data["ties"] = np.clip(ties, 0, f32(255) / f32(64)).astype(f32)
    # The same with an odd zero-point (3): the range [-3/64, 252/64] keeps
    # scale 1/64, so rounding before or after adding the zero-point differs.
    odd = (rng.integers(-3, 252, n) * 2 + 1).astype(f32) / f32(128)
    odd[0], odd[1] = f32(-3) / f32(64), f32(252) / f32(64)
    data["ties_odd_zero_point"] = np.clip(odd, f32(-3) / f32(64), f32(252) / f32(64)).astype(f32)
    return {k: v.reshape(shape) for k, v in data.items()}


def scheme_range(bits, signed, restricted):
    if signed:
        return -(1 << (bits - 1)) + (1 if restricted else 0), (1 << (bits - 1)) - 1
    return (1 if restricted else 0), (1 << bits) - 1


def torch_observer(bits, signed, symmetric, restricted, axis, qmin, qmax):
    """The PyTorch observer for the scheme, or None when PyTorch cannot express it."""
    if restricted and not signed:
        return None
    per_channel = axis is not None
    qscheme = {(False, False): torch.per_tensor_affine, (False, True): torch.per_tensor_symmetric,
               (True, False): torch.per_channel_affine, (True, True): torch.per_channel_symmetric}[(per_channel, symmetric)]
    if symmetric and not signed:
        if bits != 8:
            return None
        dtype, kwargs = torch.quint8, {}   # default range: zero-point 128
    else:
        dtype = (torch.qint8 if signed else torch.quint8) if bits <= 8 else torch.qint32
        kwargs = dict(quant_min=qmin, quant_max=qmax)
    cls = PerChannelMinMaxObserver if per_channel else MinMaxObserver
    if per_channel:
        kwargs["ch_axis"] = axis
    return cls(dtype=dtype, qscheme=qscheme, **kwargs)


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def main():
    warnings.filterwarnings("ignore", message=".*deprecated.*")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quant", default=".build/debug/quant")
    parser.add_argument("--quick", action="store_true", help="fewer bit widths and smaller tensors")
    args = parser.parse_args()
    rng = np.random.default_rng(20261129)
    data = datasets(rng, args.quick)
    bit_widths = [1, 2, 3, 4, 8, 12, 16] if args.quick else list(range(1, 17))
    stats = Counter()
    failures = []
    f32 = np.float32
    with tempfile.TemporaryDirectory() as tmp:
        for name, x in data.items():
            xpath = os.path.join(tmp, f"{name}.npy")
            np.save(xpath, x)
            xt = torch.from_numpy(x)
            for bits in bit_widths:
                for signed in (False, True):
                    for mapping in ("affine", "symmetric", "restricted"):
                        symmetric, restricted = mapping != "affine", mapping == "restricted"
                        if restricted and bits < 2:
                            continue
                        for axis in (None, 0, 1, 2):
                            case = f"{name} bits={bits} {'signed' if signed else 'unsigned'} {mapping} axis={axis}"
                            qmin, qmax = scheme_range(bits, signed, restricted)
                            out = os.path.join(tmp, "q.npy")
                            cmd = [args.quant, "quantize", xpath, "-o", out, "--bits", str(bits),
                                   "--signed" if signed else "--unsigned"]
                            if symmetric:
                                cmd.append("--symmetric")
                            if restricted:
                                cmd.append("--restricted-range")
                            if axis is not None:
                                cmd += ["--per-channel", str(axis)]
                            r = run(cmd)
                            if r.returncode != 0:
                                failures.append(f"{case}: quant failed: {r.stderr.strip()}")
                                continue
                            stats["cases"] += 1
                            params = json.load(open(os.path.join(tmp, "q.json")))
                            q = np.load(out).astype(np.int64)
                            scale = np.array(params["scale"], dtype=np.float64).astype(f32)
                            zp = np.array(params["zero_point"], dtype=np.int64)
                            assert params["quant_min"] == qmin and params["quant_max"] == qmax, case

                            # Parameters against PyTorch's observer.
                            obs = torch_observer(bits, signed, symmetric, restricted, axis, qmin, qmax)
                            if obs is None:
                                stats["params: not expressible in PyTorch (unsigned symmetric != 8 bits, or unsigned restricted)"] += 1
                            else:
                                obs(xt)
                                ts, tz = obs.calculate_qparams()
                                ts = ts.numpy().astype(f32).reshape(-1)
                                tz = tz.numpy().astype(np.int64).reshape(-1)
                                if ts.view(np.int32).tolist() == scale.view(np.int32).tolist() and tz.tolist() == zp.tolist():
                                    stats["params: bit-identical to PyTorch"] += 1
                                else:
                                    stats["params: DIFFER from PyTorch"] += 1
                                    failures.append(f"{case}: params ours {scale.tolist()} {zp.tolist()} torch {ts.tolist()} {tz.tolist()}")

                            # Codes against PyTorch's kernels, with our parameters.
                            if axis is None:
                                s_b, z_b = scale[0], zp[0]
                            else:
                                bshape = [1, 1, 1]
                                bshape[axis] = -1
                                s_b, z_b = scale.reshape(bshape), zp.reshape(bshape)
                            inv = (f32(1) / s_b).astype(f32)
                            t = (x * inv).astype(f32)
                            tie = (t - np.floor(t)) == f32(0.5)
                            stats["elements"] += x.size
                            stats["tie elements"] += int(tie.sum())
                            expected = np.clip(np.rint(t).astype(np.int64) + z_b, qmin, qmax)
                            kernels = {}
                            st, zt = torch.from_numpy(scale), torch.from_numpy(zp)
                            fq_dtype = torch.qint8 if (signed and bits <= 8) else torch.quint8 if bits <= 8 else torch.qint32
                            in_dtype = (fq_dtype in (torch.qint8,) and -128 <= qmin) or (fq_dtype == torch.quint8 and qmin >= 0) or fq_dtype == torch.qint32
                            if in_dtype and (fq_dtype != torch.quint8 or zp.min() >= 0):
                                if axis is None:
                                    tq = torch.quantize_per_tensor(xt, float(scale[0]), int(zp[0]), fq_dtype)
                                else:
                                    tq = torch.quantize_per_channel(xt, st.double(), zt, axis, fq_dtype)
                                kernels["quantize_per_*"] = np.clip(tq.int_repr().numpy().astype(np.int64), qmin, qmax)
                                dq = tq.dequantize().numpy()
                            else:
                                dq = None
                            if axis is None:
                                fq = torch.fake_quantize_per_tensor_affine(xt, float(scale[0]), int(zp[0]), qmin, qmax)
                            else:
                                fq = torch.fake_quantize_per_channel_affine(xt, st, zt.int(), axis, qmin, qmax)
                            kernels["fake_quantize_per_*"] = np.rint(fq.numpy().astype(np.float64) / s_b).astype(np.int64) + z_b
                            if axis is None:
                                fl = torch._fake_quantize_learnable_per_tensor_affine(
                                    xt, st, zt.float(), qmin, qmax, 1.0)
                            else:
                                fl = torch._fake_quantize_learnable_per_channel_affine(
                                    xt, st, zt.float(), axis, qmin, qmax, 1.0)
                            kernels["_fake_quantize_learnable_per_* (LSQ)"] = np.rint(fl.detach().numpy().astype(np.float64) / s_b).astype(np.int64) + z_b
                            kernels["numpy reference (rint(x*inv)+zp)"] = expected
                            for kname, codes in kernels.items():
                                diff = codes != q
                                stats[f"codes vs {kname}: mismatches away from ties"] += int((diff & ~tie).sum())
                                stats[f"codes vs {kname}: mismatches at ties"] += int((diff & tie).sum())
                                if (diff & ~tie).any():
                                    i = np.argwhere(diff & ~tie)[0]
                                    failures.append(f"{case}: codes vs {kname} differ at {tuple(i)}: x={x[tuple(i)]!r} ours={q[tuple(i)]} theirs={codes[tuple(i)]}")

                            # Informational: the textbook round(x / scale) (true division)
                            # instead of PyTorch's x * (1/scale) -- not a failure.
                            division = np.clip(np.rint((x / s_b).astype(f32)).astype(np.int64) + z_b, qmin, qmax)
                            stats["info: codes from rint(x/scale) (true division) differing from x*(1/scale)"] += int((division != q).sum())

                            # Dequantize through the CLI.
                            dpath = os.path.join(tmp, "d.npy")
                            r = run([args.quant, "dequantize", out, "--params", os.path.join(tmp, "q.json"), "-o", dpath])
                            if r.returncode != 0:
                                failures.append(f"{case}: dequantize failed: {r.stderr.strip()}")
                                continue
                            d = np.load(dpath)
                            ref = ((q - z_b).astype(f32) * s_b).astype(f32)
                            stats["dequantized: elements differing from (q-zp)*scale in float32"] += int((d.view(np.int32) != ref.view(np.int32)).sum())
                            if dq is not None:
                                stats["dequantized: elements differing from torch.dequantize (fused multiply-add there)"] += int((d != dq).sum())
    for k in sorted(stats):
        print(f"{k}: {stats[k]}")
    print(f"failures: {len(failures)}")
    for f in failures[:20]:
        print("  " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
