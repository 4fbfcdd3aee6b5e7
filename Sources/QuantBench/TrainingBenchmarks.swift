import Foundation
import Quant

/// FP32 training speed and accuracy on MNIST (found as the notebooks find
/// it: `QUANT_DATA`, then the per-user cache, downloading if needed).
///
/// - `train_epoch`: seconds per epoch over the 60,000 training images for
///   the seed recipe (MLP 784-256-128-10, Adam 1e-3, batch 128), the
///   fastest of epochs 2–4 (epoch 1 warms caches and OpenBLAS's threads).
///   With `--python`, PyTorch's time for the same recipe with 2 threads
///   (`Scripts/bench_torch_training.py`; as many as `OPENBLAS_NUM_THREADS`
///   when that is set, so both use the same) and the ratio PyTorch / Quant
///   (> 1: Quant is faster), in wall-clock and in CPU seconds.
/// - `train_accuracy`: the final MNIST test accuracy of the seed recipe
///   (``TrainingSettings/seedRecipe``: 10 epochs, cosine-decayed Adam), with
///   the accuracy after each epoch; `train_accuracy_constant_lr` the same
///   with a constant learning rate, for comparison.
let trainingBenchmarks: [Benchmark] = [
    Benchmark(name: "train_epoch") { context in
        let data = try DataStore().load(.mnist)
        var residentMB = [Double](), cpuTimes = [Double]()
        let run = try Trainer(settings: TrainingSettings(epochs: 4)).train(on: data.train) { _ in
            if let bytes = residentBytes() { residentMB.append(Double(bytes) / 1e6) }
            cpuTimes.append(processCPUSeconds())
        }
        let seconds = run.history.dropFirst().compactMap(\.seconds).min() ?? .nan
        // CPU seconds of the process per epoch (all threads): on a busy machine
        // the least disturbed measure of work; with one BLAS thread it is the
        // epoch time of an idle machine.
        let cpuSeconds = zip(cpuTimes.dropFirst(), cpuTimes).map { $0 - $1 }.min() ?? .nan
        var result = BenchmarkResult(name: "train_epoch", value: seconds, unit: "s", details: [
            "images_per_second": .number(Double(data.train.count) / seconds),
            "cpu_seconds": .number(cpuSeconds),
            "epochs_seconds": .text(run.history.compactMap(\.seconds).map { String(format: "%.3f", $0) }.joined(separator: " ")),
            "blas": .text(BLASConfiguration.current.description),
            // Resident memory after each epoch: flat when nothing is allocated per batch.
            "rss_mb_per_epoch": .text(residentMB.map { String(format: "%.1f", $0) }.joined(separator: " ")),
        ])
        if let python = context.python {
            let torch = try runTorchTraining(python: python, mnist: data.folder)
            if let torchSeconds = torch["epoch_seconds"] as? Double {
                result.details["torch_epoch_seconds"] = .number(torchSeconds)
                result.details["torch_over_quant"] = .number(torchSeconds / seconds)
            }
            if let torchCPU = torch["epoch_cpu_seconds"] as? Double {
                result.details["torch_cpu_seconds"] = .number(torchCPU)
                result.details["torch_over_quant_cpu"] = .number(torchCPU / cpuSeconds)
            }
            if let version = torch["torch"] as? String { result.details["torch_version"] = .text(version) }
        }
        return [result]
    },
    Benchmark(name: "train_accuracy") { _ in
        let data = try DataStore().load(.mnist)
        var constant = TrainingSettings.seedRecipe
        constant.schedule = .constant
        return try [("train_accuracy", TrainingSettings.seedRecipe), ("train_accuracy_constant_lr", constant)].map { name, settings in
            let run = try Trainer(settings: settings).train(on: data.train, test: data.test)
            let accuracies = run.history.compactMap(\.testAccuracy)
            let first = accuracies.firstIndex { $0 >= 0.98 }
            return BenchmarkResult(name: name, value: 100 * (accuracies.last ?? 0), unit: "% test accuracy", details: [
                "settings": .text(settings.summary),
                "first_epoch_at_98": first.map { .number(Double($0 + 1)) } ?? .text("never"),
                "test_accuracy_per_epoch": .text(accuracies.map { String(format: "%.4f", $0) }.joined(separator: " ")),
                "train_loss_per_epoch": .text(run.history.map { String(format: "%.4f", $0.trainLoss) }.joined(separator: " ")),
            ])
        }
    },
]

/// The process's resident memory in bytes (Linux `/proc/self/statm`), or `nil`.
private func residentBytes() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// CPU seconds used by the process so far, all threads together.
func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Runs `Scripts/bench_torch_training.py` and returns its JSON object.
private func runTorchTraining(python: String, mnist: URL) throws -> [String: Any] {
    let threads = ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "2"
    return try PeerProcess.script("bench_torch_training.py", python: python,
                                  arguments: ["--mnist", mnist.path, "--epochs", "4", "--threads", threads]).runJSON()
}
