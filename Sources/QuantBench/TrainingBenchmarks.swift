import Foundation
import Quant

/// FP32 training speed and accuracy on MNIST (found as the notebooks find
/// it: `QUANT_DATA`, then the per-user cache, downloading if needed).
///
/// - `train_epoch`: seconds per epoch over the 60,000 training images for
///   the seed recipe (MLP 784-256-128-10, Adam 1e-3, batch 128), the
///   fastest of epochs 2–4 (epoch 1 warms caches and OpenBLAS's threads).
///   With `--python`, PyTorch's time for the same recipe with 2 threads
///   (`Scripts/bench_torch_training.py`) and the ratio PyTorch / Quant
///   (> 1: Quant is faster).
/// - `train_accuracy`: the test accuracy after each epoch of the seed
///   recipe, and the first epoch that reaches 98.0%.
let trainingBenchmarks: [Benchmark] = [
    Benchmark(name: "train_epoch") { context in
        let data = try DataStore().load(.mnist)
        let run = try Trainer(settings: TrainingSettings(epochs: 4)).train(on: data.train)
        let seconds = run.history.dropFirst().compactMap(\.seconds).min() ?? .nan
        var result = BenchmarkResult(name: "train_epoch", value: seconds, unit: "s", details: [
            "images_per_second": .number(Double(data.train.count) / seconds),
            "epochs_seconds": .text(run.history.compactMap(\.seconds).map { String(format: "%.3f", $0) }.joined(separator: " ")),
            "blas": .text(BLASConfiguration.current.description),
        ])
        if let python = context.python {
            let torch = try runTorchTraining(python: python, mnist: data.folder)
            if let torchSeconds = torch["epoch_seconds"] as? Double {
                result.details["torch_epoch_seconds"] = .number(torchSeconds)
                result.details["torch_over_quant"] = .number(torchSeconds / seconds)
            }
            if let version = torch["torch"] as? String { result.details["torch_version"] = .text(version) }
        }
        return [result]
    },
    Benchmark(name: "train_accuracy") { _ in
        let data = try DataStore().load(.mnist)
        let env = ProcessInfo.processInfo.environment
        let epochs = Int(env["EPOCHS"] ?? "20")!
        let run = try Trainer(settings: TrainingSettings(epochs: epochs, schedule: LearningRateSchedule(rawValue: env["SCHEDULE"] ?? "constant")!)).train(on: data.train, test: data.test)
        let accuracies = run.history.compactMap(\.testAccuracy)
        let first = accuracies.firstIndex { $0 >= 0.98 }.map { Double($0 + 1) } ?? .nan
        return [BenchmarkResult(name: "train_accuracy", value: first, unit: "epochs to 98.0%", details: [
            "test_accuracy_per_epoch": .text(accuracies.map { String(format: "%.4f", $0) }.joined(separator: " ")),
            "train_loss_per_epoch": .text(run.history.map { String(format: "%.4f", $0.trainLoss) }.joined(separator: " ")),
        ])]
    },
]

/// Runs `Scripts/bench_torch_training.py` and returns its JSON object.
private func runTorchTraining(python: String, mnist: URL) throws -> [String: Any] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["Scripts/bench_torch_training.py", "--mnist", mnist.path, "--epochs", "4", "--threads", "2"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0,
          let object = try JSONSerialization.jsonObject(with: output) as? [String: Any] else {
        throw TorchScriptError(status: process.terminationStatus)
    }
    return object
}

/// The PyTorch comparison script failed or printed no JSON.
private struct TorchScriptError: Error, CustomStringConvertible {
    let status: Int32
    var description: String {
        "Scripts/bench_torch_training.py failed (exit status \(status)); run quant-bench from the package root with a Python that has torch"
    }
}
