import Foundation
import Testing
import TestSupport
@testable import Quant

/// Converting a float MLP layer by layer, and the quantized checkpoint.
@Suite struct QuantizedMLPTests {
    @Test(arguments: DynamicQuantization.Granularity.allCases)
    func conversionKeepsShapesAndBiases(granularity: DynamicQuantization.Granularity) throws {
        let model = try MLP(sizes: [30, 16, 8, 5], seed: 3)
        let q = try model.quantized(DynamicQuantization(granularity: granularity))
        #expect(q.sizes == model.sizes)
        #expect(q.classCount == 5 && q.inputFeatures == 30)
        for (float, int8) in zip(model.layers, q.layers) {
            #expect(int8.inputFeatures == float.inputFeatures && int8.outputFeatures == float.outputFeatures)
            #expect(int8.weightCodes.shape == [float.outputFeatures, float.inputFeatures])
            #expect(int8.weightQuantizer.params.scales.count == (granularity == .perTensor ? 1 : float.outputFeatures))
            #expect(int8.bias == float.bias)
        }
        // The logits follow the float model's closely (He-initialised, unit inputs).
        var g = SeededGenerator(seed: 4)
        let x = try Tensor(shape: [64, 30], scalars: Distribution.normal(mean: 0, standardDeviation: 1).samples(64 * 30, using: &g))
        let float = try model.logits(x).scalars
        let (int8, activations) = try q.logits(x)
        #expect(activations.count == 3)
        #expect(activations[1].zeroPoint == 0 && activations[2].zeroPoint == 0, "ReLU outputs are non-negative")
        let scale = float.map(abs).max()!
        let worst = zip(float, int8.scalars).map { abs($0 - $1) }.max()!
        #expect(worst < 0.05 * scale, "largest logit error \(worst) vs logits up to \(scale)")
    }

    @Test func layerMismatchAndEmptyModelsAreRefused() throws {
        var g = SeededGenerator(seed: 5)
        let a = try Linear(inputFeatures: 4, outputFeatures: 3, using: &g).quantized(.perTensor)
        let b = try Linear(inputFeatures: 2, outputFeatures: 2, using: &g).quantized(.perTensor)
        #expect(throws: QuantizedModelError.layerMismatch(index: 0, outputFeatures: 3, nextInputFeatures: 2)) {
            try QuantizedMLP(layers: [a, b])
        }
        #expect(throws: QuantizedModelError.noLayers) { try QuantizedMLP(layers: []) }
    }

    /// I8 codes + F32 scales and biases: the model comes back identical, and
    /// the file on disk is about a quarter of the FP32 checkpoint.
    @Test(arguments: DynamicQuantization.Granularity.allCases)
    func checkpointRoundTripAndSize(granularity: DynamicQuantization.Granularity) throws {
        let model = try MLP(sizes: [784, 256, 128, 10], seed: 7)
        let q = try model.quantized(DynamicQuantization(granularity: granularity))
        let dir = try TemporaryDirectory("ptq-checkpoint")
        defer { dir.remove() }
        let fp32URL = dir.url.appendingPathComponent("fp32.safetensors"), int8URL = dir.url.appendingPathComponent("int8.safetensors")
        try model.checkpoint().write(to: fp32URL)
        try q.checkpoint().write(to: int8URL)
        let file = try Safetensors(contentsOf: int8URL)
        #expect(file["fc1.weight"]?.dtype == .i8 && file["fc1.weight"]?.shape == [256, 784])
        #expect(file["fc2.weight_scale"]?.dtype == .f32)
        #expect(file["fc2.weight_scale"]?.shape == [granularity == .perTensor ? 1 : 128])
        let loaded = try QuantizedMLP(checkpoint: file)
        for (a, b) in zip(q.layers, loaded.layers) {
            #expect(a.weightCodes == b.weightCodes && a.weights.scales == b.weights.scales && a.bias == b.bias)
            #expect(a.weightQuantizer.scheme.axis == b.weightQuantizer.scheme.axis)
        }
        var g = SeededGenerator(seed: 8)
        let x = try Tensor(shape: [3, 784], scalars: Distribution.normal(mean: 0, standardDeviation: 1).samples(3 * 784, using: &g))
        #expect(try loaded.logits(x).logits == q.logits(x).logits)

        let size = { (url: URL) in try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) }
        let ratio = Double(try size(fp32URL)) / Double(try size(int8URL))
        // 235,146 floats vs 234,752 codes + 394 biases (+ scales): 3.9–4.0×.
        #expect(ratio > 3.85 && ratio < 4.0, "FP32 / int8 file size = \(ratio)")
    }

    @Test func damagedCheckpointsAreTypedErrors() throws {
        let q = try MLP(sizes: [6, 4, 3], seed: 9).quantized(.perChannel)
        var file = q.checkpoint()
        file["fc2.weight_scale"] = nil
        #expect(throws: QuantizedModelError.checkpoint(.missingTensor(name: "fc2.weight_scale", available: file.tensors.keys.sorted()))) {
            try QuantizedMLP(checkpoint: file)
        }
        // An FP32 checkpoint is not a quantized one.
        let float = try MLP(sizes: [6, 4, 3], seed: 9).checkpoint()
        #expect(throws: QuantizedModelError.checkpoint(.dtypeMismatch(name: "fc1.weight", expected: .i8, found: .f32))) {
            try QuantizedMLP(checkpoint: float)
        }
        #expect(throws: QuantizedModelError.self) { try QuantizedMLP(checkpoint: Safetensors()) }
    }
}
