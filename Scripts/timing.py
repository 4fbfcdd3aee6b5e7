"""How the peer scripts in this folder time a call or a pass over a test set,
the same way quant-bench times Quant (Sources/QuantBench/Benchmark.swift).
"""
import time


def fastest(fn, target_seconds=0.0005, repeats=100):
    """Fastest per-call time, sampled as quant-bench's fastestSecondsPerCall:
    enough calls per sample to last target_seconds, the fastest of `repeats`
    samples (3 when one sample takes over 50 ms)."""
    fn()
    n = 1
    while True:
        t = time.perf_counter()
        for _ in range(n):
            fn()
        elapsed = time.perf_counter() - t
        if elapsed >= target_seconds or n >= 1 << 20:
            break
        n *= 2
    repeats = 3 if elapsed > 0.05 else repeats
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t) / n)
    return best


def best_of(repeats, body):
    """Seconds of the fastest of `repeats` calls of body, after a warm-up call."""
    body()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        body()
        best = min(best, time.perf_counter() - start)
    return best


def test_set_rate(logits, x, batch, repeats):
    """Images per second of the fastest of `repeats` passes over x in batches
    of `batch` (after a warm-up pass), arg-max included, as quant-bench's
    infer_* lines time Quant. `logits(rows)` runs the model on a slice of x."""
    def one_pass():
        for i in range(0, x.shape[0], batch):
            logits(x[i:i + batch]).argmax(1)
    return x.shape[0] / best_of(repeats, one_pass)
