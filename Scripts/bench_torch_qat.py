#!/usr/bin/env python3
"""PyTorch's time per quantization-aware-training epoch for Quant's seed model, for quant-bench.

Eager-mode QAT (torch.ao.quantization) of the same model (784-256-128-10 MLP,
ReLU) as Quant's `qat_epoch` benchmark, on the same data (MNIST normalised
with the training mean/std, or --mean/--std), optimiser (Adam, lr 1e-4,
constant: the schedule costs nothing per step), batch (128) and thread count
(2), started from Quant's FP32 weights (its cached safetensors checkpoint,
names fc1.weight ... fc3.bias) when --weights is given. The Linear+ReLU pairs
are fused (fuse_modules_qat), a QuantStub fake-quantizes the input, and
prepare_qat gives every Linear per-channel symmetric fake-quantized weights
(FakeQuantize, MovingAveragePerChannelMinMaxObserver) and a per-tensor affine
fake quantizer on its (ReLU'd) output (FakeQuantize, MovingAverageMinMaxObserver):
Quant's grids on each layer's input, plus one on the logits. --bits B sets
the code ranges, weights -2^(B-1)..2^(B-1)-1 and activations 0..2^B-1 (8:
qint8 and quint8); at 8 bits `get_default_qat_qconfig('x86')` (fused
observer + fake-quantize modules, 7-bit activations) is timed too, as
`qat_x86`. The FP32 model runs the same loop, from the same weights.

Each model trains --warmup-steps batches, then --epochs whole epochs, the
models taking turns epoch by epoch (so that each meets the same load of a
shared machine); the data sit in one tensor and each epoch indexes a random
permutation (no DataLoader), as in bench_torch_training.py. Prints one JSON
object: for `fp32`, `qat` (and `qat_x86`) the fastest epoch (wall clock, and
CPU seconds of all threads), every epoch's time and the test accuracy after
the epochs (observers frozen), and `qat_over_fp32`.

    python Scripts/bench_torch_qat.py --mnist DIR [--weights FILE] [--bits 8] [--epochs 2]
        [--warmup-steps 50] [--threads 2] [--mean M --std S]
"""
import argparse
import json
import time
import warnings

import torch
from torch import nn
from torch.ao import quantization as tq
from safetensors.torch import load_file
from idx import load_mnist  # Scripts/idx.py

warnings.filterwarnings("ignore")  # torch.ao.quantization deprecation notices

BATCH = 128


class MLP(nn.Module):
    """The seed model with quant/dequant stubs (identities until prepare_qat)."""

    def __init__(self):
        super().__init__()
        self.quant, self.dequant = tq.QuantStub(), tq.DeQuantStub()
        self.fc1, self.relu1 = nn.Linear(784, 256), nn.ReLU()
        self.fc2, self.relu2 = nn.Linear(256, 128), nn.ReLU()
        self.fc3 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.relu1(self.fc1(self.quant(x)))
        return self.dequant(self.fc3(self.relu2(self.fc2(x))))


def qconfig(bits):
    """Per-channel symmetric signed weights and per-tensor affine unsigned activations of `bits` bits."""
    weight = tq.FakeQuantize.with_args(
        observer=tq.MovingAveragePerChannelMinMaxObserver, quant_min=-2 ** (bits - 1), quant_max=2 ** (bits - 1) - 1,
        dtype=torch.qint8, qscheme=torch.per_channel_symmetric, ch_axis=0)
    activation = tq.FakeQuantize.with_args(
        observer=tq.MovingAverageMinMaxObserver, quant_min=0, quant_max=2 ** bits - 1,
        dtype=torch.quint8, qscheme=torch.per_tensor_affine)
    return tq.QConfig(activation=activation, weight=weight)


def prepared(model, config):
    """`model` fused and prepared for QAT with `config`."""
    model = tq.fuse_modules_qat(model.train(), [["fc1", "relu1"], ["fc2", "relu2"]])
    model.qconfig = config
    return tq.prepare_qat(model)


class Training:
    """One model's training loop (Adam, lr 1e-4, batches of 128 of x, y) and its epochs' times."""

    def __init__(self, model, x, y):
        self.model, self.x, self.y = model.train(), x, y
        self.optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
        self.loss_fn = nn.CrossEntropyLoss()
        self.times, self.cpu_times = [], []

    def train(self, order):
        """One step per batch of the examples in `order`."""
        for i in range(0, order.shape[0], BATCH):
            index = order[i:i + BATCH]
            self.optimizer.zero_grad(set_to_none=True)
            self.loss_fn(self.model(self.x[index]), self.y[index]).backward()
            self.optimizer.step()

    def timed_epoch(self):
        """One epoch in a random order, its wall-clock and CPU seconds recorded."""
        start, cpu_start = time.perf_counter(), time.process_time()
        self.train(torch.randperm(self.x.shape[0]))
        self.times.append(time.perf_counter() - start)
        self.cpu_times.append(time.process_time() - cpu_start)

    def test_accuracy(self, x, y):
        """The accuracy on x, y, observers frozen."""
        self.model.eval()
        self.model.apply(tq.disable_observer)
        with torch.no_grad():
            return (self.model(x).argmax(1) == y).float().mean().item()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mnist", required=True, help="folder with the four MNIST .gz files")
    parser.add_argument("--weights", help="Quant's FP32 safetensors checkpoint (default: a fresh model)")
    parser.add_argument("--bits", type=int, default=8, help="fake-quantization bits of weights and activations")
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs per model (the fastest counts)")
    parser.add_argument("--warmup-steps", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--mean", type=float, help="normalisation mean (default: the training set's)")
    parser.add_argument("--std", type=float, help="normalisation std (default: the training set's)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    *arrays, args.mean, args.std = load_mnist(args.mnist, args.mean, args.std)
    train_x, train_y, test_x, test_y = (torch.from_numpy(a) for a in arrays)
    state = load_file(args.weights) if args.weights else MLP().state_dict()

    def model(config):
        float_model = MLP()
        float_model.load_state_dict(state)
        return float_model if config is None else prepared(float_model, config)

    configs = {"fp32": None, "qat": qconfig(args.bits)}
    if args.bits == 8:
        configs["qat_x86"] = tq.get_default_qat_qconfig("x86")
    result = {"bits": args.bits, "mean": args.mean, "std": args.std, "weights": args.weights or "fresh",
              "torch": torch.__version__, "threads": torch.get_num_threads()}
    trainings = {name: Training(model(config), train_x, train_y) for name, config in configs.items()}
    for training in trainings.values():
        training.train(torch.randperm(train_x.shape[0])[:args.warmup_steps * BATCH])
    # Round robin, so that every model meets the same load of a shared machine.
    for _ in range(args.epochs):
        for training in trainings.values():
            training.timed_epoch()
    for name, training in trainings.items():
        result.update({f"{name}_epoch_seconds": min(training.times), f"{name}_epoch_seconds_all": training.times,
                       f"{name}_epoch_cpu_seconds": min(training.cpu_times),
                       f"{name}_test_accuracy": training.test_accuracy(test_x, test_y)})
    result["qat_over_fp32"] = result["qat_epoch_seconds"] / result["fp32_epoch_seconds"]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
