import Testing
import TestSupport
@testable import Quant

/// GPTQ's calibrator and the recipe on whole models: the Hessian against
/// its definition, float and sequential calibration, and errors located at
/// their layer.
@Suite struct GPTQQuantizationTests {
    static func randomInputs(_ rows: Int, _ features: Int, seed: UInt64) -> [Float] {
        var g = SeededGenerator(seed: seed)
        return Distribution.normal(mean: 0, standardDeviation: 1).samples(rows * features, using: &g)
    }

    /// A small MLP and random "images" for it.
    static func modelAndData() throws -> (Sequential, ImageDataset) {
        let model = try Sequential.mlp(sizes: [24, 16, 12, 5], seed: 11)
        let data = try ImageDataset(images: randomInputs(300, 24, seed: 12), labels: (0..<300).map { Int32($0 % 5) },
                                    imageRows: 4, imageColumns: 6, classCount: 5)
        return (model, data)
    }

    /// `H = 2·XᵀX/n`, whatever the batches.
    @Test func hessianIsTwiceTheMeanOuterProduct() throws {
        let (rows, k) = (70, 9)
        let x = Self.randomInputs(rows, k, seed: 1)
        var expected = [Double](repeating: 0, count: k * k)
        for r in 0..<rows {
            for i in 0..<k {
                for j in 0..<k { expected[i * k + j] += 2 * Double(x[r * k + i]) * Double(x[r * k + j]) / Double(rows) }
            }
        }
        let whole = HessianCalibrator(), split = HessianCalibrator()
        x.withUnsafeBufferPointer { x in
            whole.observe(x, rows: rows, features: k)
            for (start, count) in [(0, 1), (1, 0), (1, 40), (41, 29)] {
                split.observe(UnsafeBufferPointer(rebasing: x[(start * k)..<((start + count) * k)]), rows: count, features: k)
            }
        }
        for calibrator in [whole, split] {
            let h = try calibrator.hessian()
            #expect(h.size == k && h.sampleCount == rows)
            expectClose(h.values, expected, rtol: 1e-12, atol: 1e-14)
            #expect((0..<(k * k)).allSatisfy { h.values[$0] == h.values[($0 % k) * k + $0 / k] }, "symmetric")
        }
    }

    @Test func hessianCalibratorRefusesBadInput() throws {
        #expect(throws: ModelError.calibrationEmpty) { try HessianCalibrator().hessian() }
        let nonFinite = HessianCalibrator()
        [1, .nan, 2].withUnsafeBufferPointer { nonFinite.observe($0, rows: 1, features: 3) }
        #expect(throws: ModelError.self) { try nonFinite.hessian() }
        let mixed = HessianCalibrator()
        [1, 2, 3].withUnsafeBufferPointer { mixed.observe($0, rows: 1, features: 3) }
        [1, 2].withUnsafeBufferPointer { mixed.observe($0, rows: 1, features: 2) }
        #expect(throws: ModelError.inputShape(expectedFeatures: 3, shape: [1, 2])) { try mixed.hessian() }
    }

    /// Every Linear becomes a Linear holding its GPTQ weights (biases kept);
    /// with float inputs the recipe gives what `Sequential.quantized` gives.
    @Test func floatInputsMatchSequentialQuantized() throws {
        let (model, data) = try Self.modelAndData()
        let recipe = GPTQQuantization(grid: try WeightGrid(bits: 3, groupSize: 8))
        let outcome = try recipe.quantize(model, calibration: data, inputs: .float, batchSize: 64)
        let viaProtocol = try model.quantized(with: recipe, calibration: data, batchSize: 64)
        #expect(outcome.results.keys.sorted() == [0, 2, 4])
        let floats = model.layers(of: Linear.self), converted = outcome.model.layers(of: Linear.self)
        #expect(converted.count == 3 && outcome.model.layers(of: ReLU.self).count == 2)
        for (position, index) in [0, 2, 4].enumerated() {
            let result = try #require(outcome.results[index])
            #expect(converted[position].weight == result.dequantized)
            #expect(converted[position].bias == floats[position].bias)
            #expect(viaProtocol.layers(of: Linear.self)[position].weight == result.dequantized)
            #expect(result.loss < result.roundToNearestLoss, "layer \(index)")
        }
        let baseline = try outcome.roundToNearestModel().layers(of: Linear.self)
        #expect(baseline.map(\.weight) == [0, 2, 4].map { outcome.results[$0]!.roundToNearest.dequantized })
    }

    /// Sequential calibration (the paper): the first layer sees the same
    /// inputs either way; a later layer's Hessian comes from the quantized
    /// earlier layers, so its result differs.
    @Test func sequentialInputsComeFromTheQuantizedLayers() throws {
        let (model, data) = try Self.modelAndData()
        let recipe = GPTQQuantization(grid: try WeightGrid(bits: 2))
        let float = try recipe.quantize(model, calibration: data, inputs: .float)
        let sequential = try recipe.quantize(model, calibration: data)
        #expect(sequential.results[0] == float.results[0])
        #expect(sequential.results[2]!.weight != float.results[2]!.weight)
        // Layer 2's Hessian, recomputed from the quantized first layer's outputs.
        let firstQuantized = try Sequential([sequential.model.layers[0], ReLU(features: 16)])
        let inputs = try firstQuantized.logits(Tensor(shape: [300, 24], scalars: data.images))
        let calibrator = HessianCalibrator()
        inputs.scalars.withUnsafeBufferPointer { calibrator.observe($0, rows: 300, features: 16) }
        let direct = try recipe.quantize(model.layers[2] as! Linear, hessian: calibrator.hessian()).result
        #expect(direct.weight == sequential.results[2]!.weight)
    }

    @Test func errorsNameTheirLayer() throws {
        let (model, data) = try Self.modelAndData()
        let recipe = GPTQQuantization(grid: try WeightGrid(bits: 4))
        let empty = data.prefix(0)
        #expect(throws: ModelError.inLayer(0, .calibrationEmpty)) { try recipe.quantize(model, calibration: empty) }
        #expect(throws: ModelError.calibrationDataRequired) { try model.quantized(with: recipe) }
        let wrongSize = try ImageDataset(images: [Float](repeating: 0, count: 20), labels: [0], imageRows: 4, imageColumns: 5, classCount: 5)
        #expect(throws: ModelError.inputShape(expectedFeatures: 24, shape: [1, 20])) { try recipe.quantize(model, calibration: wrongSize) }
        let linear = model.layers[2] as! Linear
        #expect(throws: ModelError.gptq(.hessianSize(expected: 16, actual: 3))) { try recipe.quantize(linear, hessian: .identity(size: 3)) }
    }
}
