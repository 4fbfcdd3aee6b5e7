import Foundation
import NotebookSupport
import Quant

/// GPTQ weight-only post-training quantization of the seed MLP on MNIST
/// (784-256-128-10, ``TrainingSettings/seedRecipe``, from the checkpoint
/// cache or trained once and cached: the `model` field says which),
/// calibrated on the first 1,024 training images, no training.
///
/// - `ptq_gptq_seconds`: seconds to GPTQ the whole MLP at 4 bits, one
///   min-max scale per output row, the paper's settings (dampening 0.01,
///   blocks of 128) and its sequential calibration (each layer's Hessian
///   from the inputs it gets with the earlier layers already quantized):
///   the fastest of 3 runs, Hessians included; with the process CPU seconds
///   of that run, and the test accuracy of the result, of round-to-nearest
///   on the same grid and of the FP32 model.
/// - `ptq_gptq_accuracy_<grid>`: for 4, 3 and 2 bits and ternary, per
///   output row and in groups of 128 and 32 inputs, the test accuracy of
///   GPTQ with MSE scales (the value), and in the details of
///   round-to-nearest with min-max scales (`rtn_minmax_…`) and with MSE
///   scales (`rtn_mse_…`), GPTQ with min-max scales, with act-order (static
///   groups) and with every Hessian from the float model's activations
///   (`gptq_mse_float_inputs_…`); and `loss_over_rtn`, the summed
///   `tr(ΔHΔᵀ)` of GPTQ over that of round-to-nearest (MSE scales, all layers).
let gptqBenchmarks: [Benchmark] = [
    Benchmark(name: "ptq_gptq_seconds") { _ in
        let seed = try SeedMLP()
        let recipe = GPTQQuantization(grid: try WeightGrid(bits: 4))
        var outcome: GPTQQuantization.Outcome?
        var cpuSeconds = Double.infinity
        let seconds = try fastestSeconds(repeats: 3) {
            let start = processCPUSeconds()
            outcome = try recipe.quantize(seed.model, calibration: seed.calibration)
            cpuSeconds = Swift.min(cpuSeconds, processCPUSeconds() - start)
        }
        guard let outcome else { throw BenchmarkFailure("ptq_gptq_seconds: no run") }
        return [BenchmarkResult(name: "ptq_gptq_seconds", value: seconds, unit: "s", details: [
            "cpu_seconds": .number(cpuSeconds),
            "grid": .text(recipe.grid.description),
            "settings": .text("dampening \(recipe.gptq.dampening), block \(recipe.gptq.blockSize), sequential inputs"),
            "calibration_images": .number(Double(seed.calibration.count)),
            "test_accuracy": .number(try outcome.model.accuracy(on: seed.data.test)),
            "rtn_test_accuracy": .number(try outcome.roundToNearestModel().accuracy(on: seed.data.test)),
            "fp32_test_accuracy": .number(try seed.model.accuracy(on: seed.data.test)),
            "model": .text(seed.origin),
            "blas": .text(BLASConfiguration.current.description),
        ])]
    },
    Benchmark(name: "ptq_gptq_accuracy") { _ in
        let seed = try SeedMLP()
        let test = seed.data.test
        let fp32Accuracy = try seed.model.accuracy(on: test)
        var results = [BenchmarkResult]()
        for codes in ["int4", "int3", "int2", "ternary"] {
            for groupSize in [nil, 128, 32] as [Int?] {
                func grid(_ scale: WeightGrid.Scale) throws -> WeightGrid {
                    codes == "ternary" ? try .ternary(groupSize: groupSize, scale: scale)
                        : try WeightGrid(bits: Int(codes.dropFirst(3))!, groupSize: groupSize, scale: scale)
                }
                let minMax = try GPTQQuantization(grid: grid(.minMax)).quantize(seed.model, calibration: seed.calibration)
                let mse = try GPTQQuantization(grid: grid(.mse())).quantize(seed.model, calibration: seed.calibration)
                let actOrder = try GPTQQuantization(gptq: .actOrder, grid: grid(.mse())).quantize(seed.model, calibration: seed.calibration)
                let floatInputs = try GPTQQuantization(grid: grid(.mse())).quantize(seed.model, calibration: seed.calibration, inputs: .float)
                let loss = mse.results.values.reduce(0) { $0 + $1.loss }, rtnLoss = mse.results.values.reduce(0) { $0 + $1.roundToNearestLoss }
                let name = "ptq_gptq_accuracy_\(codes)_" + (groupSize.map { "g\($0)" } ?? "per_row")
                results.append(BenchmarkResult(name: name, value: try mse.model.accuracy(on: test), unit: "test accuracy", details: [
                    "grid": .text(try grid(.mse()).description),
                    "bits_per_weight": .number(try mse.results[0]!.weight.bitPacked().bitsPerWeight),
                    "gptq_minmax_test_accuracy": .number(try minMax.model.accuracy(on: test)),
                    "gptq_mse_act_order_test_accuracy": .number(try actOrder.model.accuracy(on: test)),
                    "gptq_mse_float_inputs_test_accuracy": .number(try floatInputs.model.accuracy(on: test)),
                    "rtn_minmax_test_accuracy": .number(try minMax.roundToNearestModel().accuracy(on: test)),
                    "rtn_mse_test_accuracy": .number(try mse.roundToNearestModel().accuracy(on: test)),
                    "fp32_test_accuracy": .number(fp32Accuracy),
                    "loss_over_rtn": .number(loss / rtnLoss),
                    "calibration_images": .number(Double(seed.calibration.count)),
                    "model": .text(seed.origin),
                ]))
            }
        }
        return results
    },
]

/// The seed MLP, MNIST, and the first ``calibrationImages`` training images.
private struct SeedMLP {
    /// Training images GPTQ calibrates on.
    static let calibrationImages = 1024

    let model: Sequential, data: ImageClassificationData, calibration: ImageDataset, origin: String

    init() throws {
        let baseline = FP32Baseline()
        data = try baseline.loadData()
        let trained = try baseline.trainOrLoad(on: data)
        model = trained.model
        calibration = data.train.prefix(Self.calibrationImages)
        origin = trained.reused ? "seed recipe, from the checkpoint cache" : "seed recipe, trained now and cached"
    }
}
