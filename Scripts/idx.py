"""Reads MNIST-style IDX files (gzip-compressed or not) into NumPy arrays.

Shared by the PyTorch cross-check and benchmark scripts in this folder; the
project itself reads IDX files in Swift (Sources/Quant/Data).
"""
import gzip
import os

import numpy as np


def read_idx(path):
    """The array stored in the IDX file at `path` (uint8 data, big-endian dimensions)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    rank = data[3]
    shape = [int.from_bytes(data[4 + 4 * k: 8 + 4 * k], "big") for k in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(shape)


def load_mnist(folder, mean=None, std=None):
    """The four MNIST files in `folder` as the benchmarks feed them: images as
    float32 `[n, 784]`, normalised `(p/255 − mean) / std` with the training
    set's mean and std unless given (as Quant's DataStore does), labels as int64.
    Returns `(train_x, train_y, test_x, test_y, mean, std)`."""
    load = lambda name: read_idx(os.path.join(folder, name))
    train_x = load("train-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255
    test_x = load("t10k-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255
    if mean is None or std is None:
        mean, std = float(train_x.mean()), float(train_x.std())
    train_y = load("train-labels-idx1-ubyte.gz").astype(np.int64)
    test_y = load("t10k-labels-idx1-ubyte.gz").astype(np.int64)
    return (train_x - mean) / std, train_y, (test_x - mean) / std, test_y, mean, std
