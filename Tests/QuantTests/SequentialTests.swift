import Foundation
import Testing
import TestSupport
@testable import Quant

/// The model container: building, converting with a recipe, the input
/// hook, and one checkpoint path for float and quantized models.
@Suite struct SequentialTests {
    @Test func mlpFactoryInterleavesReLUs() throws {
        let model = try Sequential.mlp(sizes: [784, 256, 128, 10], seed: 1)
        #expect(model.layers.map { String(describing: type(of: $0)) } == ["Linear", "ReLU", "Linear", "ReLU", "Linear"])
        #expect(model.widths == [784, 256, 256, 128, 128, 10])
        #expect(model.parameterCount == 235_146)
        #expect(throws: ModelError.invalidSizes([784])) { try Sequential.mlp(sizes: [784], seed: 1) }
        #expect(throws: ModelError.noLayers) { try Sequential([]) }
        var g = SeededGenerator(seed: 5)
        let a = Linear(inputFeatures: 4, outputFeatures: 3, using: &g), b = Linear(inputFeatures: 2, outputFeatures: 2, using: &g)
        #expect(throws: ModelError.layerMismatch(index: 0, outputFeatures: 3, nextInputFeatures: 2)) { try Sequential([a, b]) }
    }

    @Test(arguments: DynamicQuantization.Granularity.allCases)
    func conversionKeepsShapesBiasesAndReLUs(granularity: DynamicQuantization.Granularity) throws {
        let model = try Sequential.mlp(sizes: [30, 16, 8, 5], seed: 3)
        let q = try model.quantized(with: DynamicQuantization(granularity: granularity))
        #expect(q.widths == model.widths)
        #expect(q.layers(of: ReLU.self).count == 2 && q.layers(of: Linear.self).isEmpty)
        for (float, int8) in zip(model.layers(of: Linear.self), q.layers(of: DynamicQuantizedLinear.self)) {
            #expect(int8.inputFeatures == float.inputFeatures && int8.outputFeatures == float.outputFeatures)
            #expect(int8.weightCodes.shape == [float.outputFeatures, float.inputFeatures])
            #expect(int8.weightQuantizer.params.scales.count == (granularity == .perTensor ? 1 : float.outputFeatures))
            #expect(int8.bias == float.bias)
        }
        // The logits follow the float model's closely (He-initialised, unit inputs).
        var g = SeededGenerator(seed: 4)
        let x = try Tensor(shape: [64, 30], scalars: Distribution.normal(mean: 0, standardDeviation: 1).samples(64 * 30, using: &g))
        let float = try model.logits(x).scalars
        let int8 = try q.logits(x).scalars
        expectClose(int8, float, atol: 0.05 * Double(float.map(abs).max()!), "int8 logits against float")
        // What each quantized layer saw: ReLU outputs, so zero-point 0.
        let inputs = try q.layerInputs(x)
        #expect(inputs.count == 5 && inputs[0] == x)
        #expect(try DynamicActivationQuantizer.parameters(for: inputs[2].scalars).zeroPoint == 0, "ReLU outputs are non-negative")
        #expect(try DynamicActivationQuantizer.parameters(for: inputs[4].scalars).zeroPoint == 0)
    }

    /// A Sequential runs each DynamicQuantizedLinear–ReLU pair as one
    /// kernel call (the ReLU applied as the product is stored); its logits
    /// are those of running every layer on its own, bit for bit.
    @Test func fusedLinearReLUPairsGiveTheLayerByLayerLogits() throws {
        let model = try Sequential.mlp(sizes: [60, 48, 24, 7], seed: 9).quantized(with: DynamicQuantization.perChannel)
        var g = SeededGenerator(seed: 10)
        let rows = 33
        let input = Tensor(unchecked: [rows, 60], scalars: Distribution.normal(mean: 0, standardDeviation: 1).samples(rows * 60, using: &g))
        var x = input.scalars, scratch = LayerScratch()
        for layer in model.layers {
            var y = [Float](repeating: 0, count: rows * layer.outputFeatures)
            try x.withUnsafeBufferPointer { x in
                try y.withUnsafeMutableBufferPointer { y in try layer.forward(x.baseAddress!, into: y.baseAddress!, rows: rows, scratch: &scratch) }
            }
            x = y
        }
        #expect(try model.logits(input).scalars.map(\.bitPattern) == x.map(\.bitPattern))
    }

    @Test func filterKeepsChosenLayersFloat() throws {
        let model = try Sequential.mlp(sizes: [12, 6, 4], seed: 2)
        let q = try model.quantized(with: .perTensor) { index, _ in index < 2 }
        #expect(q.layers[0] is DynamicQuantizedLinear && q.layers[2] is Linear)
    }

    /// A recipe that calibrates: its calibrator sees exactly each layer's
    /// input in the float model, batch after batch, before `convert` runs.
    @Test func calibratorsSeeEachLayersInput() throws {
        final class Recorder: Calibrator {
            var batches: [Int] = [], values: [Float] = []
            func observe(_ input: UnsafeBufferPointer<Float>, rows: Int, features: Int) {
                batches.append(rows)
                values += input
            }
        }
        final class Log: @unchecked Sendable { var seen: [Int: Recorder] = [:] }
        struct Recording: QuantizationRecipe {
            let log: Log
            func calibrator(for layer: any Layer, at index: Int) -> (any Calibrator)? { layer is Linear ? Recorder() : nil }
            func convert(_ layer: any Layer, at index: Int, calibrated: (any Calibrator)?) throws(ModelError) -> (any Layer)? {
                log.seen[index] = calibrated as? Recorder
                return nil
            }
        }
        var g = SeededGenerator(seed: 6)
        let model = try Sequential.mlp(sizes: [5, 4, 3], seed: 7)
        let images = Distribution.normal(mean: 0, standardDeviation: 1).samples(10 * 5, using: &g)
        let data = try ImageDataset(images: images, labels: [Int32](repeating: 0, count: 10), imageRows: 1, imageColumns: 5, classCount: 3)
        #expect(throws: ModelError.calibrationDataRequired) { try model.quantized(with: Recording(log: Log())) }
        let log = Log()
        _ = try model.quantized(with: Recording(log: log), calibration: data, batchSize: 4)
        let inputs = try model.layerInputs(Tensor(shape: [10, 5], scalars: images))
        #expect(log.seen.keys.sorted() == [0, 2])
        for (index, recorder) in log.seen {
            #expect(recorder.batches == [4, 4, 2], "layer \(index)")
            #expect(recorder.values == inputs[index].scalars, "layer \(index)")
        }
    }

    @Test func untrainableModelsAreRefused() throws {
        let q = try Sequential.mlp(sizes: [6, 4, 3], seed: 9).quantized(with: .perChannel)
        let data = try ImageDataset(images: [Float](repeating: 0, count: 12), labels: [0, 1], imageRows: 1, imageColumns: 6, classCount: 3)
        #expect(throws: ModelError.inLayer(0, .notTrainable(type: "DynamicQuantizedLinear"))) {
            try Trainer(settings: TrainingSettings(sizes: [6, 4, 3], epochs: 1)).train(q, on: data)
        }
    }

    /// I8 codes + F32 scales and biases: the model comes back identical, and
    /// the file on disk is about a quarter of the FP32 checkpoint.
    @Test(arguments: DynamicQuantization.Granularity.allCases)
    func checkpointRoundTripAndSize(granularity: DynamicQuantization.Granularity) throws {
        let model = try Sequential.mlp(sizes: [784, 256, 128, 10], seed: 7)
        let q = try model.quantized(with: DynamicQuantization(granularity: granularity))
        let dir = try TemporaryDirectory("ptq-checkpoint")
        defer { dir.remove() }
        let fp32URL = dir.url.appendingPathComponent("fp32.safetensors"), int8URL = dir.url.appendingPathComponent("int8.safetensors")
        try model.checkpoint().write(to: fp32URL)
        try q.checkpoint().write(to: int8URL)
        let file = try Safetensors(contentsOf: int8URL)
        #expect(file["fc1.weight"]?.dtype == .i8 && file["fc1.weight"]?.shape == [256, 784])
        #expect(file["fc2.weight_scale"]?.dtype == .f32)
        #expect(file["fc2.weight_scale"]?.shape == [granularity == .perTensor ? 1 : 128])
        #expect(file.metadata["quant.layers"] == "dynamic-int8-linear,relu,dynamic-int8-linear,relu,dynamic-int8-linear")
        let loaded = try Sequential(checkpoint: file)
        for (a, b) in zip(q.layers(of: DynamicQuantizedLinear.self), loaded.layers(of: DynamicQuantizedLinear.self)) {
            #expect(a.weightCodes == b.weightCodes && a.weights.scales == b.weights.scales && a.bias == b.bias)
            #expect(a.weightQuantizer.scheme.axis == b.weightQuantizer.scheme.axis)
        }
        var g = SeededGenerator(seed: 8)
        let x = try Tensor(shape: [3, 784], scalars: Distribution.normal(mean: 0, standardDeviation: 1).samples(3 * 784, using: &g))
        #expect(try loaded.logits(x) == q.logits(x))

        let size = { (url: URL) in try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) }
        let ratio = Double(try size(fp32URL)) / Double(try size(int8URL))
        // 235,146 floats vs 234,752 codes + 394 biases (+ scales): 3.9–4.0×.
        #expect(ratio > 3.85 && ratio < 4.0, "FP32 / int8 file size = \(ratio)")
    }

    /// A file from before `quant.layers` existed loads as an MLP.
    @Test func legacyCheckpointsLoadAsMLPs() throws {
        for model in [try Sequential.mlp(sizes: [6, 4, 3], seed: 2), try Sequential.mlp(sizes: [6, 4, 3], seed: 2).quantized(with: .perTensor)] {
            var file = try model.checkpoint()
            file.metadata = [:]
            let loaded = try Sequential(checkpoint: Safetensors(bytes: file.serialized()))
            #expect(loaded.layers.map { String(describing: type(of: $0)) } == model.layers.map { String(describing: type(of: $0)) })
            let x = try Tensor(shape: [2, 6], scalars: (0..<12).map { Float($0) / 10 })
            #expect(try loaded.logits(x) == model.logits(x))
        }
    }

    @Test func damagedCheckpointsAreTypedErrors() throws {
        let q = try Sequential.mlp(sizes: [6, 4, 3], seed: 9).quantized(with: .perChannel)
        var file = try q.checkpoint()
        file["fc2.weight_scale"] = nil
        #expect(throws: ModelError.inLayer(2, .missingParameter(name: "fc2.weight_scale"))) { try Sequential(checkpoint: file) }
        var unknown = try q.checkpoint()
        unknown.metadata["quant.layers"] = "dynamic-int8-linear,gelu,dynamic-int8-linear"
        #expect(throws: ModelError.inLayer(1, .unknownLayerKind("gelu", known: ["linear", "relu", "dynamic-int8-linear", "lowbit-linear", "integer-only-mlp"]))) {
            try Sequential(checkpoint: unknown)
        }
        #expect(throws: ModelError.missingParameter(name: "fc1.weight")) { try Sequential(checkpoint: Safetensors()) }
    }
}
