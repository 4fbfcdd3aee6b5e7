#!/usr/bin/env python3
"""The matplotlib side of quant-bench's plot_png / plot_svg / plot_process_10.

Draws the same figure as Sources/QuantBench/PlotBenchmarks.swift: max error vs
bit-width, 16 points x 3 series, log y, markers, legend, grid, title,
6.4 x 4.8 in at 150 DPI, saved with the Agg backend (PNG) and as SVG.

  bench_matplotlib.py --per-figure N --out DIR
      renders and saves the figure N times to PNG and to SVG (after one
      warm-up each) and prints {"png_ms": ..., "svg_ms": ...}: milliseconds
      per figure, the best of 3 batches.
  bench_matplotlib.py --figures 10 --out DIR
      one whole process: import matplotlib, save 10 PNG figures, exit
      (timed from outside by quant-bench).

Not a dependency of the project: quant-bench runs it only with --python.
"""
import argparse
import json
import os
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

BITS = list(range(1, 17))
SERIES = [("uniform", 2.0, "o"), ("Gaussian", 8.6, "s"), ("Laplace", 22.0, "^")]


def max_error(value_range, bits):
    return value_range / ((1 << bits) - 1) / 2


def save_figure(path):
    fig, ax = plt.subplots(figsize=(6.4, 4.8), dpi=150)
    for name, value_range, marker in SERIES:
        ax.plot(BITS, [max_error(value_range, b) for b in BITS], marker=marker, label=name)
    ax.set_yscale("log")
    ax.set_title("Max quantization error vs bit-width")
    ax.set_xlabel("bits")
    ax.set_ylabel("max |x − x̂|")
    ax.grid(True)
    ax.legend()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def per_figure_ms(count, out, extension):
    path = os.path.join(out, "mpl_bench." + extension)
    save_figure(path)  # warm-up: font cache, backend set-up
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(count):
            save_figure(path)
        best = min(best, (time.perf_counter() - start) / count * 1000)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-figure", type=int, help="renders per batch for the per-figure timing")
    parser.add_argument("--figures", type=int, help="figures to save in this process")
    parser.add_argument("--out", required=True, help="folder for the figures")
    args = parser.parse_args()
    if args.per_figure:
        print(json.dumps({"png_ms": per_figure_ms(args.per_figure, args.out, "png"),
                          "svg_ms": per_figure_ms(args.per_figure, args.out, "svg")}))
    if args.figures:
        for i in range(args.figures):
            save_figure(os.path.join(args.out, "mpl_%02d.png" % i))


if __name__ == "__main__":
    main()
