import COpenBLAS
import Foundation
import NotebookSupport
import Quant
import QuantONNX

/// Test-set inference throughput of the seed model, FP32 against dynamic
/// and integer-only int8 (`infer`: six lines, `infer_fp32_b256`,
/// `infer_int8_b256`, `infer_int8_static_b256`, and the same at batch 1, in images/s).
///
/// The FP32 model is the seed recipe's (``TrainingSettings/seedRecipe``),
/// taken from the checkpoint cache, or trained once and cached when absent
/// (the `model` field says which). The int8 model is its per-tensor dynamic
/// quantization (PyTorch's default qconfig). The static int8 model is its
/// integer-only form (``IntegerOnlyMLP``): W8A8 static quantization with
/// min-max ranges calibrated on the first 1,024 training images, which also
/// calibrate the output grid; its lines carry `static_over_dynamic` (> 1:
/// faster than the dynamic int8 model of the same run). Each number is the fastest of
/// 20 passes (5 at batch 1) over the 10,000 MNIST test images (arg-max
/// included) after a warm-up pass; `fixed_batch_images_per_second` is the
/// first batch of test images through a ``Predictor`` (buffers allocated
/// once), called back to back, as ORT's fixed-batch number below. With
/// `--python` the peers and ours run in turn ``peerRounds`` times, each
/// side keeping its fastest. With `--python`, `Scripts/bench_torch_inference.py`
/// times PyTorch's FP32 model and `quantize_dynamic` copy of the same
/// weights on the same images, batch sizes and 2 threads (as many as
/// `OPENBLAS_NUM_THREADS` when set), and each line gains `torch_images_per_second`
/// and `quant_over_torch` (> 1: Quant is faster). With `--python` also
/// `Scripts/bench_onnxruntime.py` runs ONNX Runtime on the ONNX exports of
/// the same three models (``ONNXExport``) and on ORT's own `quantize_dynamic`
/// and `quantize_static` (QDQ) of the FP32 export, with as many threads:
/// each line gains `ort_images_per_second` (the faster of the two ORT int8
/// forms for the int8 lines) and `quant_over_ort`, and ORT's `session.run`
/// on one fixed batch against our ``Predictor`` on it,
/// `ort_fixed_batch_images_per_second` and `quant_over_ort_fixed_batch`. The FP32 lines name the
/// OpenBLAS core and thread count `sgemm` ran with (`openblas_core`,
/// `openblas_threads`), since FP32 speed depends on both.
let inferenceBenchmarks: [Benchmark] = [
    Benchmark(name: "infer") { context in
        let baseline = FP32Baseline()
        let data = try baseline.loadData()
        let trained = try baseline.trainOrLoad(on: data)
        let fp32 = trained.model
        let int8 = try fp32.quantized(with: .perTensor)
        let calibration = data.train.prefix(1024)
        let integerOnly = try fp32.quantized(with: StaticQuantization(weightBits: 8, activationBits: 8, calibrator: .minMax),
                                             calibration: calibration).integerOnly(outputCalibration: calibration)
        let test = data.test
        let fp32Accuracy = try fp32.accuracy(on: test), int8Accuracy = try int8.accuracy(on: test)
        let staticAccuracy = try integerOnly.accuracy(on: test)

        // Peers and ours in turn, `peerRounds` times; each side keeps its fastest,
        // so that a slow spell of this shared machine does not decide a ratio.
        let models = [("fp32", fp32), ("int8", int8), ("static", integerOnly)]
        var torch: [String: Any] = [:], ort: [String: Any] = [:], timings: [String: Double] = [:]
        let onnx = try context.python.map { _ in try ONNXFiles(["fp32": fp32, "dynamic": int8, "static": integerOnly]) }
        defer { onnx?.remove() }
        for _ in 0..<(context.python == nil ? 1 : peerRounds) {
            if let python = context.python, let onnx {
                torch.keepFastest(try runTorchInference(python: python, mnist: data.folder, weights: trained.checkpoint,
                                                        normalization: test.normalization))
                ort.keepFastest(try runONNXRuntime(python: python, mnist: data.folder, normalization: test.normalization,
                                                   models: onnx))
            }
            for batch in [256, 1] {
                let repeats = batch == 1 ? repeatsAtBatch1 : repeatsAtBatch256
                for (name, model) in models {
                    let pass = try fastestSeconds(repeats: repeats) { _ = try model.predictions(for: test, batchSize: batch) }
                    timings.keepFastest("\(name)_b\(batch)", pass)
                    // One batch of test images through a Predictor, back to back: what ORT's fixed-batch line times.
                    let predictor = Predictor(model, maxRows: batch)
                    let fixed = try test.images.prefix(batch * test.featureCount).withUnsafeBufferPointer { x in
                        try fastestSecondsPerCall { _ = try predictor.logits(x) }
                    }
                    timings.keepFastest("\(name)_b\(batch)_fixed_batch", fixed)
                }
            }
        }
        var results = [BenchmarkResult]()
        for batch in [256, 1] {
            let fp32Seconds = timings["fp32_b\(batch)"]!, int8Seconds = timings["int8_b\(batch)"]!
            for (name, seconds, accuracy) in [("fp32", fp32Seconds, fp32Accuracy), ("int8", int8Seconds, int8Accuracy)] {
                let rate = Double(test.count) / seconds
                var result = BenchmarkResult(name: "infer_\(name)_b\(batch)", value: rate, unit: "images/s", details: [
                    "batch": .number(Double(batch)),
                    "test_accuracy": .number(accuracy),
                    "model": .text(trained.reused ? "seed recipe, from the checkpoint cache" : "seed recipe, trained now and cached"),
                    "kernel": .text(name == "int8" ? Int8Kernel.fastest.description : "OpenBLAS sgemm"),
                ])
                if name == "int8" { result.details["int8_over_fp32"] = .number(fp32Seconds / int8Seconds) }
                if name == "fp32" {
                    result.details["openblas_core"] = .text(String(cString: openblas_get_corename()))
                    result.details["openblas_threads"] = .number(Double(openblas_get_num_threads()))
                }
                let fixedRate = Double(batch) / timings["\(name)_b\(batch)_fixed_batch"]!
                result.details["fixed_batch_images_per_second"] = .number(fixedRate)
                addONNXRuntime(ort, models: name == "fp32" ? ["fp32"] : ["dynamic", "ort_dynamic"], batch: batch,
                               rate: rate, fixedRate: fixedRate, to: &result)
                if let theirs = torch["\(name)_b\(batch)"] as? Double {
                    result.details["torch_images_per_second"] = .number(theirs)
                    result.details["quant_over_torch"] = .number(rate / theirs)
                    if name == "int8", let torchFP32 = torch["fp32_b\(batch)"] as? Double {
                        result.details["quant_int8_over_torch_fp32"] = .number(rate / torchFP32)
                    }
                }
                if let theirs = torch["\(name)_accuracy"] as? Double { result.details["torch_test_accuracy"] = .number(theirs) }
                if let version = torch["torch"] as? String { result.details["torch_version"] = .text(version) }
                results.append(result)
            }
            let staticSeconds = timings["static_b\(batch)"]!
            let staticFixedRate = Double(batch) / timings["static_b\(batch)_fixed_batch"]!
            var staticResult = BenchmarkResult(name: "infer_int8_static_b\(batch)", value: Double(test.count) / staticSeconds,
                                               unit: "images/s", details: [
                "batch": .number(Double(batch)),
                "test_accuracy": .number(staticAccuracy),
                "model": .text("seed recipe, static W8A8 (min-max, 1,024 calibration images), integer-only"),
                "kernel": .text(Int8Kernel.fastest.description + ", requantized uint8"),
                "int8_dynamic_images_per_second": .number(Double(test.count) / int8Seconds),
                "static_over_dynamic": .number(int8Seconds / staticSeconds),
                "static_over_fp32": .number(fp32Seconds / staticSeconds),
                "fixed_batch_images_per_second": .number(staticFixedRate),
            ])
            addONNXRuntime(ort, models: ["static", "ort_static"], batch: batch, rate: staticResult.value,
                           fixedRate: staticFixedRate, to: &staticResult)
            results.append(staticResult)
        }
        return results
    },
]

/// Timed passes over the test set (the fastest counts), the same for
/// Quant and PyTorch: a pass at batch 1 takes about a second in PyTorch.
private let repeatsAtBatch256 = 20, repeatsAtBatch1 = 5

private extension Dictionary where Key == String, Value == Any {
    /// Merges a peer's output: the larger of each rate (an accuracy is the
    /// same every round), the new value of anything else.
    mutating func keepFastest(_ round: [String: Any]) {
        for (key, value) in round {
            if let new = value as? Double, let old = self[key] as? Double { self[key] = Swift.max(old, new) } else { self[key] = value }
        }
    }
}

/// The peers' thread count: as many as OpenBLAS gives Quant's FP32 model
/// (`OPENBLAS_NUM_THREADS` when set, else this machine's 2 cores).
private let peerThreads = ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "2"

/// Adds ONNX Runtime's fastest of `models` (keys of bench_onnxruntime.py's
/// output) at `batch` to `result`: its images/s, which model it was, its
/// accuracy and `quant_over_ort` (> 1: Quant is faster); and its fixed-batch
/// rate against ours (`fixedRate`), `quant_over_ort_fixed_batch`.
private func addONNXRuntime(_ ort: [String: Any], models: [String], batch: Int, rate: Double, fixedRate: Double,
                            to result: inout BenchmarkResult) {
    let measured = models.compactMap { model in (ort["\(model)_b\(batch)"] as? Double).map { (model, $0) } }
    guard let (model, theirs) = measured.max(by: { $0.1 < $1.1 }) else { return }
    result.details["ort_images_per_second"] = .number(theirs)
    result.details["ort_model"] = .text(model)
    result.details["quant_over_ort"] = .number(rate / theirs)
    if let accuracy = ort["\(model)_accuracy"] as? Double { result.details["ort_test_accuracy"] = .number(accuracy) }
    let fixed = models.compactMap { ort["\($0)_b\(batch)_fixed_batch"] as? Double }.max()
    if let fixed {
        result.details["ort_fixed_batch_images_per_second"] = .number(fixed)
        result.details["quant_over_ort_fixed_batch"] = .number(fixedRate / fixed)
    }
    if let version = ort["onnxruntime"] as? String { result.details["onnxruntime_version"] = .text(version) }
}

/// Models exported to ONNX (``ONNXExport``) in a temporary folder, once for
/// every round, as bench_onnxruntime.py's flags (`--fp32 F.onnx` …).
private struct ONNXFiles {
    let folder: URL
    let arguments: [String]

    /// Writes each model as `<flag>.onnx`.
    init(_ models: [String: Sequential]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("quant-bench-onnx-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var arguments: [String] = []
        for (flag, model) in models.sorted(by: { $0.key < $1.key }) {
            let file = folder.appendingPathComponent("\(flag).onnx")
            try ONNXExport(model).write(to: file)
            arguments += ["--\(flag)", file.path]
        }
        self.arguments = arguments
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// Runs `Scripts/bench_onnxruntime.py` on the exported `models` and returns
/// its JSON object (empty when onnxruntime is not installed there).
private func runONNXRuntime(python: String, mnist: URL, normalization: Normalization, models: ONNXFiles) throws -> [String: Any] {
    let arguments = ["--mnist", mnist.path, "--threads", peerThreads,
                     "--mean", "\(normalization.mean)", "--std", "\(normalization.standardDeviation)",
                     "--repeats", "\(repeatsAtBatch256)", "--repeats-b1", "\(repeatsAtBatch1)"] + models.arguments
    let object = try PeerProcess.script("bench_onnxruntime.py", python: python, arguments: arguments).runJSON()
    if let reason = object["skipped"] as? String {
        StandardStream.error("bench_onnxruntime.py skipped: \(reason)\n")
        return [:]
    }
    return object
}

/// Runs `Scripts/bench_torch_inference.py` and returns its JSON object.
private func runTorchInference(python: String, mnist: URL, weights: URL, normalization: Normalization) throws -> [String: Any] {
    try PeerProcess.script("bench_torch_inference.py", python: python, arguments: [
        "--mnist", mnist.path, "--weights", weights.path, "--threads", peerThreads,
        "--mean", "\(normalization.mean)", "--std", "\(normalization.standardDeviation)",
        "--repeats", "\(repeatsAtBatch256)", "--repeats-b1", "\(repeatsAtBatch1)",
    ]).runJSON()
}
