#!/usr/bin/env bash
# Regenerates everything under Figures/: the full runs of every notebook
# (figures, .ipynb, .md, results.json), the write-up (Figures/REPORT.md and
# REPORT.html, TIMINGS.md, the README's headline block) and the Plot gallery, in release mode.
# MNIST is found as the notebooks find it (--data, $QUANT_DATA, the cache, or
# a download); extra arguments go to `notebooks` (e.g. --data DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/bootstrap.sh
swift build -c release
bin=$(swift build -c release --show-bin-path)
"$bin/notebooks" --readme README.md "$@"
"$bin/plot-gallery"
