import Foundation
import NotebookSupport
import Quant

/// Quantization-aware training speed on MNIST (`qat_epoch`, in seconds per
/// epoch over the 60,000 training images).
///
/// The seed model (``TrainingSettings/seedRecipe``, from the checkpoint
/// cache, or trained once and cached when absent: the `model` field says
/// which) becomes a QAT model with 8-bit fake-quantized weights (per
/// channel, min-max) and inputs (per tensor, moving average), calibrated on
/// the first 1,024 training images, and is fine-tuned for ``fineTune``'s 3
/// epochs (Adam 10⁻⁴ on a cosine, batch 128); the value is the fastest
/// epoch (`run.history`'s seconds, the training pass only). The same
/// fine-tune of the FP32 model gives `fp32_epoch_seconds` and
/// `qat_over_fp32`, and of the LSQ (learned steps for weights and inputs)
/// and PACT (learned clipping of the ReLU outputs) variants `lsq_…` and
/// `pact_…`; each has its CPU seconds per epoch of the process (all
/// threads; the least disturbed measure on a busy machine), every epoch's
/// time and the test accuracy after the fine-tune.
///
/// With `--python`, `Scripts/bench_torch_qat.py` times PyTorch's eager-mode
/// QAT (`prepare_qat`, fused Linear+ReLU, per-channel symmetric qint8
/// weights, per-tensor affine quint8 activations) and an FP32 epoch of the
/// same loop, from the same FP32 weights, on the same images, batch and 2
/// threads (as many as `OPENBLAS_NUM_THREADS` when set), the fastest of as
/// many epochs after a warm-up of 50 steps, and its default x86 QAT qconfig
/// (fused observer and fake-quantizer modules, 7-bit activations) as
/// `torch_qat_x86_…`; the line gains `torch_…` fields and `quant_over_torch`
/// (PyTorch's explicit-qconfig QAT / Quant, > 1: Quant is faster), in
/// wall-clock and in CPU seconds.
let qatBenchmarks: [Benchmark] = [
    Benchmark(name: "qat_epoch") { context in
        let baseline = FP32Baseline()
        let data = try baseline.loadData()
        let seed = try baseline.trainOrLoad(on: data)
        let (fp32, reused) = (seed.model, seed.reused)
        let calibration = data.train.prefix(calibrationImages)
        let recipes = [
            ("", FakeQuantization(weightBits: 8, weightMethod: .minMax, activationBits: 8, activationMethod: .movingAverage)),
            ("lsq_", FakeQuantization(weightBits: 8, weightMethod: .lsq, activationBits: 8, activationMethod: .lsq)),
            ("pact_", FakeQuantization(weightBits: 8, activationBits: 8, activationMethod: .pact(regularization: 1e-4))),
        ]
        let quantized = try recipes.map { prefix, recipe in
            (prefix, try FineTune(fp32.quantized(with: recipe, calibration: calibration), data: data))
        }
        let qat = quantized[0].1, float = try FineTune(fp32, data: data)
        var result = BenchmarkResult(name: "qat_epoch", value: qat.seconds, unit: "s", details: [
            "qat_over_fp32": .number(qat.seconds / float.seconds),
            "qat_over_fp32_cpu": .number(qat.cpuSeconds / float.cpuSeconds),
            "settings": .text(fineTune.summary),
            "calibration_images": .number(Double(calibrationImages)),
            "model": .text(reused ? "seed recipe, from the checkpoint cache" : "seed recipe, trained now and cached"),
            "blas": .text(BLASConfiguration.current.description),
        ])
        for (prefix, run) in quantized + [("fp32_", float)] {
            result.details[prefix + "epoch_seconds"] = .number(run.seconds)
            result.details[prefix + "cpu_seconds"] = .number(run.cpuSeconds)
            result.details[prefix + "epochs_seconds"] = .text(run.epochSeconds.map { String(format: "%.3f", $0) }.joined(separator: " "))
            result.details[prefix + "test_accuracy"] = .number(run.testAccuracy)
        }
        if let python = context.python {
            let weights = seed.checkpoint
            let torch = try runTorchQAT(python: python, mnist: data.folder, weights: weights, normalization: data.train.normalization)
            // The script's `<model>_<field>` as `torch_<model>_<our field>`.
            for name in ["qat", "fp32", "qat_x86"] {
                for (theirs, ours) in [("epoch_seconds", "epoch_seconds"), ("epoch_cpu_seconds", "cpu_seconds"), ("test_accuracy", "test_accuracy")] {
                    if let value = torch["\(name)_\(theirs)"] as? Double { result.details["torch_\(name)_\(ours)"] = .number(value) }
                }
            }
            if let seconds = torch["qat_epoch_seconds"] as? Double {
                result.details["quant_over_torch"] = .number(seconds / qat.seconds)
            }
            if let cpuSeconds = torch["qat_epoch_cpu_seconds"] as? Double {
                result.details["quant_over_torch_cpu"] = .number(cpuSeconds / qat.cpuSeconds)
            }
            if let ratio = torch["qat_over_fp32"] as? Double { result.details["torch_qat_over_fp32"] = .number(ratio) }
            if let version = torch["torch"] as? String { result.details["torch_version"] = .text(version) }
        }
        return [result]
    },
]

/// The fine-tune every model gets: 3 epochs of Adam 10⁻⁴ on a cosine, batch 128.
private let fineTune = TrainingSettings(epochs: 3, optimizer: .adam(learningRate: 1e-4), schedule: .cosine, seed: 1)

/// Training images the fake quantizers are calibrated on.
private let calibrationImages = 1024

/// One ``fineTune`` of a model: its fastest epoch in wall-clock and process
/// CPU seconds, every epoch's time, and the test accuracy after it.
private struct FineTune {
    let seconds: Double, cpuSeconds: Double, epochSeconds: [Double], testAccuracy: Double

    init(_ model: Sequential, data: ImageClassificationData) throws {
        var cpuTimes = [processCPUSeconds()]
        let run = try Trainer(settings: fineTune).train(model, on: data.train) { _, _ in cpuTimes.append(processCPUSeconds()) }
        epochSeconds = run.history.compactMap(\.seconds)
        seconds = epochSeconds.min() ?? .nan
        cpuSeconds = zip(cpuTimes.dropFirst(), cpuTimes).map { $0 - $1 }.min() ?? .nan
        testAccuracy = try run.model.accuracy(on: data.test)
    }
}

/// Runs `Scripts/bench_torch_qat.py` for ``fineTune``'s epoch count and returns its JSON object.
private func runTorchQAT(python: String, mnist: URL, weights: URL, normalization: Normalization) throws -> [String: Any] {
    let threads = ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "2"
    return try PeerProcess.script("bench_torch_qat.py", python: python, arguments: [
        "--mnist", mnist.path, "--weights", weights.path, "--threads", threads, "--epochs", "\(fineTune.epochs)",
        "--mean", "\(normalization.mean)", "--std", "\(normalization.standardDeviation)",
    ]).runJSON()
}
