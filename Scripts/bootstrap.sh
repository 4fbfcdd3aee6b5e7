#!/usr/bin/env bash
# Installs the Debian packages Quant needs on a machine that has only Swift.
# Idempotent and quiet: it prints nothing and changes nothing when all is there.
#
#   libcairo2-dev      Plot draws through Cairo (headers + pkg-config file)
#   fonts-dejavu-core  the font figures use (DejaVu Sans), same on every machine
#   pkg-config         SwiftPM finds Cairo, zlib and OpenBLAS through it
#   zlib1g-dev         Quant reads gzip-compressed MNIST (IDX) files; Plot compresses its PNGs
#   libopenblas-dev    Quant's training and float inference multiply matrices with cblas_sgemm
#   dataset-fashion-mnist  Fashion-MNIST for `--dataset fashion-mnist` (/usr/share/datasets/fashion-mnist)
set -euo pipefail

packages=(pkg-config libcairo2-dev fonts-dejavu-core zlib1g-dev libopenblas-dev dataset-fashion-mnist)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "bootstrap: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi
echo "bootstrap: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
