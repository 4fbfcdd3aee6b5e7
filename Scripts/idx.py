"""Reads MNIST-style IDX files (gzip-compressed or not) into NumPy arrays.

Shared by the PyTorch cross-check and benchmark scripts in this folder; the
project itself reads IDX files in Swift (Sources/Quant/Data).
"""
import gzip

import numpy as np


def read_idx(path):
    """The array stored in the IDX file at `path` (uint8 data, big-endian dimensions)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    rank = data[3]
    shape = [int.from_bytes(data[4 + 4 * k: 8 + 4 * k], "big") for k in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(shape)
