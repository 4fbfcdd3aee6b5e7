#!/usr/bin/env python3
"""PyTorch's time per training epoch for Quant's seed model, for quant-bench.

Same model (784-256-128-10 MLP, ReLU), optimiser (Adam, lr 1e-3), batch (128),
data (MNIST, normalised with the training mean/std) and thread count (2) as
Quant's `train_epoch` benchmark. The data sit in one tensor in memory and each
epoch indexes a random permutation (no DataLoader), the fastest plain PyTorch
loop. Prints one JSON object: the fastest epoch after a warm-up epoch (wall
clock, and CPU seconds of all threads), and the test accuracy after all epochs.

    python Scripts/bench_torch_training.py --mnist DIR [--epochs 4] [--threads 2]
"""
import argparse
import json
import time

import torch
from idx import load_mnist  # Scripts/idx.py


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mnist", required=True, help="folder with the four MNIST .gz files")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    *arrays, _, _ = load_mnist(args.mnist)
    train_x, train_y, test_x, test_y = (torch.from_numpy(a) for a in arrays)

    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, 10),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    batch = 128
    times, cpu_times = [], []
    for _ in range(args.epochs):
        start, cpu_start = time.perf_counter(), time.process_time()
        order = torch.randperm(train_x.shape[0])
        for i in range(0, train_x.shape[0], batch):
            index = order[i:i + batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(train_x[index]), train_y[index])
            loss.backward()
            optimizer.step()
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    with torch.no_grad():
        accuracy = (model(test_x).argmax(1) == test_y).float().mean().item()
    print(json.dumps({
        "epoch_seconds": min(times[1:]) if len(times) > 1 else times[0],
        "epoch_seconds_all": times,
        "epoch_cpu_seconds": min(cpu_times[1:]) if len(cpu_times) > 1 else cpu_times[0],
        "test_accuracy": accuracy,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
    }))


if __name__ == "__main__":
    main()
