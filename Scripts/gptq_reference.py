#!/usr/bin/env python3
"""An independent NumPy GPTQ, to cross-check Quant's (Sources/Quant/GPTQ).

Written from the paper's algorithm (Frantar et al. 2022, Algorithm 1) in its
plainest form: one column at a time, every update applied at once (no lazy
blocks), the inverse Hessian's upper Cholesky factor from NumPy's
`cholesky(inv(H))` rather than Quant's reversed factorisation, so that the
two implementations share no code path beyond the definitions:

    H = 2·XᵀX/n;  dead inputs (H_ii = 0): H_ii = 1, W[:, i] = 0
    act-order: columns by decreasing H_ii (ties by index)
    H += λI, λ = dampening · mean(diag H)
    U = upper Cholesky factor of H⁻¹  (H⁻¹ = UᵀU)
    for each column i: q = quant(w_i); e = (w_i − q)/U_ii; w_F −= e·U_{i,F}

Grid: symmetric signed codes −2ᵇ⁻¹…2ᵇ⁻¹−1 (or −1…1 ternary), scale
max|w|/((qmax − qmin)/2) per row or per group (dynamic groups in order,
static groups with act-order), or the MSE search over shrink factors
1 − i/grid, i < maxShrink·grid.

Not used by the tests or the package. Usage:

    gptq_reference.py make DIR [--out 64 --in 200 --rows 512 --seed 1]   writes DIR/weight.npy, DIR/inputs.npy
    gptq_reference.py run DIR --bits 3 [--group-size 32] [--mse] [--act-order]
                                                                        writes DIR/ref_codes.npy, ref_scales.npy; prints JSON
    gptq_reference.py compare DIR                                       compares DIR/swift_*.npy with DIR/ref_*.npy
"""
import argparse
import json
import os

import numpy as np


def grid_range(bits, ternary):
    return (-1, 1) if ternary else (-(1 << (bits - 1)), (1 << (bits - 1)) - 1)


def storable(scale):
    return max(np.float32(scale), np.finfo(np.float32).eps)


def code(w, s, qmin, qmax):
    return np.clip(np.round(w / s), qmin, qmax)  # np.round: half to even


def group_scale(values, qmin, qmax, mse, grid=100, max_shrink=0.8):
    """Float32 scale of one group (values in float64)."""
    m = np.max(np.abs(values))
    if m == 0:
        return np.float32(1)
    full = m / ((qmax - qmin) / 2)
    if not mse:
        return storable(full)
    best, best_scale = np.inf, storable(full)
    for i in range(max(1, int(max_shrink * grid))):
        s = storable(full * (1 - i / grid))
        err = np.sum((values - float(s) * code(values, float(s), qmin, qmax)) ** 2)
        if err < best:
            best, best_scale = err, s
    return best_scale


def gptq(weight, hessian, bits, group_size=None, mse=False, act_order=False, dampening=0.01, ternary=False):
    qmin, qmax = grid_range(bits, ternary)
    w = weight.astype(np.float64).copy()
    h = hessian.copy()
    n, k = w.shape
    dead = np.diag(h) == 0
    h[dead, dead] = 1
    w[:, dead] = 0
    order = np.argsort(-np.diag(h), kind="stable") if act_order else np.arange(k)
    size = group_size or k
    groups = -(-k // size)
    scales = np.ones((n, groups), dtype=np.float32)
    dynamic = group_size is not None and not act_order
    if not dynamic:
        for j in range(n):
            for g in range(groups):
                scales[j, g] = group_scale(w[j, g * size:(g + 1) * size], qmin, qmax, mse)
    hp = h[np.ix_(order, order)]
    hp += dampening * np.mean(np.diag(hp)) * np.eye(k)
    u = np.linalg.cholesky(np.linalg.inv(hp)).T  # upper, inv(H) = UᵀU
    wp = w[:, order]
    codes = np.zeros((n, k), dtype=np.int8)
    proxy = 0.0
    for c in range(k):
        original = order[c]
        if dynamic and c % size == 0:
            for j in range(n):
                scales[j, c // size] = group_scale(wp[j, c:c + size], qmin, qmax, mse)
        s = scales[:, original // size].astype(np.float64)
        q = code(wp[:, c], s, qmin, qmax)
        codes[:, original] = q
        e = (wp[:, c] - s * q) / u[c, c]
        proxy += float(np.sum(e * e))
        wp[:, c + 1:] -= np.outer(e, u[c, c + 1:])
    return codes, scales.reshape(-1), proxy


def hessian_of(inputs):
    x = inputs.astype(np.float64)
    return 2 * x.T @ x / x.shape[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["make", "run", "compare"])
    parser.add_argument("dir")
    parser.add_argument("--out", type=int, default=64)
    parser.add_argument("--in", dest="inputs", type=int, default=200)
    parser.add_argument("--rows", type=int, default=512)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bits", type=int, default=3)
    parser.add_argument("--ternary", action="store_true")
    parser.add_argument("--group-size", type=int)
    parser.add_argument("--mse", action="store_true")
    parser.add_argument("--act-order", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    path = lambda name: os.path.join(args.dir, name)
    if args.command == "make":
        rng = np.random.default_rng(args.seed)
        z = rng.standard_normal((args.rows, args.inputs))
        mixing = rng.standard_normal((args.inputs, args.inputs)) / np.sqrt(args.inputs)
        x = np.maximum(z @ mixing, 0).astype(np.float32)  # correlated, ReLU-like, some columns may die
        x[:, 3] = 0  # one dead input for sure
        np.save(path("inputs.npy"), x)
        np.save(path("weight.npy"), (0.1 * rng.standard_normal((args.out, args.inputs))).astype(np.float32))
    elif args.command == "run":
        w, x = np.load(path("weight.npy")), np.load(path("inputs.npy"))
        h = hessian_of(x)
        codes, scales, proxy = gptq(w, h, args.bits, args.group_size, args.mse, args.act_order, ternary=args.ternary)
        np.save(path("ref_codes.npy"), codes)
        np.save(path("ref_scales.npy"), scales)
        deq = (scales.reshape(w.shape[0], -1).repeat(args.group_size or w.shape[1], axis=1)[:, :w.shape[1]] * codes).astype(np.float32)
        delta = w.astype(np.float64) - deq
        print(json.dumps({"proxy_loss": proxy, "loss": float(np.sum((delta @ h) * delta))}))
    else:
        codes, swift_codes = np.load(path("ref_codes.npy")), np.load(path("swift_codes.npy"))
        scales, swift_scales = np.load(path("ref_scales.npy")), np.load(path("swift_scales.npy"))
        differ = int(np.sum(codes != swift_codes.reshape(codes.shape)))
        print(json.dumps({
            "codes": int(codes.size), "codes_differing": differ,
            "scales": int(scales.size), "scales_differing": int(np.sum(scales != swift_scales.reshape(scales.shape))),
            "max_scale_rel_diff": float(np.max(np.abs(scales - swift_scales.reshape(scales.shape)) / scales)),
        }))


if __name__ == "__main__":
    main()
