import Testing
@testable import Quant

/// Low-bit weight grids for PTQ and QAT: per-group, ternary and binary
/// fake quantization (against the independent ``Quantizer``), clipping,
/// the straight-through gradients, and packing the codes for storage.
@Suite struct LowBitWeightTests {
    /// A 5 × 13 weight: K = 13 in groups of 4 ends each row with a group of 1.
    static func weight(seed: UInt64 = 7) -> (values: [Float], rows: Int, columns: Int) {
        var g = SeededGenerator(seed: seed)
        return ((0..<65).map { _ in 2 * g.nextUnitFloat() - 1 }, 5, 13)
    }

    static let schemes: [QuantScheme] = [
        try! QuantScheme(bits: 4, signed: true, mapping: .symmetric(restrictedRange: false), granularity: .perGroup(axis: 1, size: 4)),
        try! QuantScheme(bits: 2, signed: true, mapping: .symmetric(restrictedRange: false), granularity: .perChannel(axis: 0)),
        try! QuantScheme(bits: 3, signed: true, mapping: .symmetric(restrictedRange: true), granularity: .perTensor),
        try! QuantScheme(bits: 2, mapping: .ternary, granularity: .perChannel(axis: 0)),
        try! QuantScheme(bits: 1, mapping: .binary, granularity: .perGroup(axis: 1, size: 4)),
    ]

    /// Min-max (and the binary/ternary rules) give the scales and fake-quantized
    /// weights of ``Quantizer`` observing the same tensor: two implementations agree.
    @Test(arguments: schemes)
    func minMaxMatchesTheQuantizer(scheme: QuantScheme) throws {
        let (w, rows, columns) = Self.weight()
        let fake = try WeightFakeQuantizer(scheme: scheme, method: .minMax, weight: w, outputFeatures: rows)
        let tensor = try Tensor(shape: [rows, columns], scalars: w)
        let quantizer = try Quantizer(scheme: scheme, observing: tensor)
        #expect(fake.scales.count == quantizer.params.scales.count)
        for (a, b) in zip(fake.scales, quantizer.params.scales) { #expect(abs(a - b) <= 1e-6 * b, "scale \(a) vs \(b)") }
        var y = [Float](repeating: .nan, count: w.count)
        fake.fakeQuantize(w, into: &y, rows: rows)
        let expected = try quantizer.fakeQuantize(tensor).scalars
        for (a, b) in zip(y, expected) { #expect(abs(a - b) <= 1e-5, "\(a) vs \(b)") }
    }

    /// Each row's last group (one weight) gets its own step from that weight alone.
    @Test func shortLastGroupHasItsOwnScale() throws {
        let (w, rows, _) = Self.weight()
        let fake = try WeightFakeQuantizer(scheme: Self.schemes[0], method: .minMax, weight: w, outputFeatures: rows)
        #expect(fake.scales.count == rows * 4)
        for row in 0..<rows { #expect(fake.scales[row * 4 + 3] == abs(w[row * 13 + 12]) / 7.5) }
    }

    /// Clipping: MSE's step never has a larger squared error than min-max's
    /// (α = 1 is a candidate), and the 100th percentile is the maximum.
    @Test func clippingChoosesSmallerErrors() throws {
        var g = SeededGenerator(seed: 2)
        // Heavy-tailed rows: a few large weights among many small ones.
        let w = (0..<(4 * 200)).map { i in (i % 50 == 0 ? 8 : 1) * (2 * g.nextUnitFloat() - 1) }
        let scheme = Self.schemes[1]
        let error = { (method: WeightFakeQuantizer.Method) throws -> Float in
            let fake = try WeightFakeQuantizer(scheme: scheme, method: method, weight: w, outputFeatures: 4)
            var y = [Float](repeating: 0, count: w.count)
            fake.fakeQuantize(w, into: &y, rows: 4)
            return zip(w, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }
        #expect(try error(.mse(candidates: 100)) < error(.minMax))
        let full = try WeightFakeQuantizer(scheme: scheme, method: .percentile(100), weight: w, outputFeatures: 4)
        let minMax = try WeightFakeQuantizer(scheme: scheme, method: .minMax, weight: w, outputFeatures: 4)
        #expect(full.scales == minMax.scales)
    }

    /// Binary: x̂ = ±s with s = mean|w|; the STE passes the gradient unchanged,
    /// and LSQ's step gradient is Σ dy·sign(w) times 1/√(n·Qp).
    @Test func binaryGradients() throws {
        let w: [Float] = [0.5, -1.5, 0, 2, -0.25, 0.75]
        let scheme = try QuantScheme(bits: 1, mapping: .binary, granularity: .perChannel(axis: 0))
        var fake = try WeightFakeQuantizer(scheme: scheme, method: .lsq, weight: w, outputFeatures: 2)
        #expect(fake.scales == [Float(2) / 3, 1])
        var y = [Float](repeating: 0, count: 6)
        fake.fakeQuantize(w, into: &y, rows: 2)
        let s: Float = 2 / 3
        let expected: [Float] = [s, -s, s, 1, -1, 1]
        #expect(y == expected)
        var gradient: [Float] = [1, 2, 3, -1, 0.5, 4]
        fake.backward(weight: w, gradient: &gradient, rows: 2)
        #expect(gradient == [1, 2, 3, -1, 0.5, 4])
        let g = 1 / Float(3).squareRoot()
        #expect(abs(fake.learnedGradient[0] - g * (1 - 2 + 3)) < 1e-6)
        #expect(abs(fake.learnedGradient[1] - g * (-1 - 0.5 + 4)) < 1e-6)
    }

    /// Ternary's STE passes where the code is inside −1…1 and stops where it clamps.
    @Test func ternaryStraightThrough() throws {
        let scheme = Self.schemes[3]
        let w: [Float] = [1, 0.1, -0.2, -1]
        var fake = try WeightFakeQuantizer(scheme: scheme, method: .minMax, weight: w, outputFeatures: 1)
        // TWN: Δ = 0.7·0.575 = 0.4025, s = mean(1, 1) = 1 → codes 1, 0, 0, −1; none clamp.
        #expect(fake.scales == [1])
        let big: [Float] = [3, 0.1, -0.2, -1]
        fake.grids[0].scale = 1
        var gradient: [Float] = [1, 1, 1, 1]
        fake.backward(weight: big, gradient: &gradient, rows: 1)
        #expect(gradient == [0, 1, 1, 1], "3/s rounds to 3, outside −1…1")
    }

    /// Packed weights hold the codes of the grid: `dequantized()` is `Ŵ`, in the narrowest encoding.
    @Test(arguments: schemes)
    func packedWeightsAreTheFakeQuantizedWeights(scheme: QuantScheme) throws {
        let (w, rows, columns) = Self.weight(seed: 9)
        var g = SeededGenerator(seed: 1)
        let linear = try Linear(weight: Tensor(shape: [rows, columns], scalars: w), bias: Tensor((0..<rows).map { _ in g.nextUnitFloat() }))
        let layer = try FakeQuantLinear(linear, weights: WeightFakeQuantizer(scheme: scheme, method: .minMax, weight: w, outputFeatures: rows), input: nil)
        let packed = try layer.packedWeights()
        #expect(packed.dequantized() == layer.fakeQuantizedWeight)
        #expect(packed.format.groupSize == scheme.groupSize)
        #expect(packed.format.encoding == (try WeightFormat.Encoding.narrowest(for: scheme)))
    }

    @Test func narrowestEncodings() throws {
        let uniform = { (bits: Int) in try QuantScheme(bits: bits, signed: true, mapping: .symmetric(restrictedRange: false)) }
        #expect(try [2, 3, 4, 5, 8].map { try WeightFormat.Encoding.narrowest(for: uniform($0)) } == [.int2, .int4, .int4, .int8, .int8])
        #expect(try WeightFormat.Encoding.narrowest(for: QuantScheme(bits: 2, mapping: .ternary)) == .ternary)
        #expect(try WeightFormat.Encoding.narrowest(for: QuantScheme(bits: 1, mapping: .binary)) == .binary)
        #expect(throws: ModelError.self) { try WeightFormat.Encoding.narrowest(for: uniform(9)) }
        #expect(throws: ModelError.self) { try WeightFormat.Encoding.narrowest(for: QuantScheme(bits: 4)) }
    }

    @Test func unsupportedSchemesAreRefused() throws {
        let (w, rows, _) = Self.weight()
        let refused: [(QuantScheme, WeightFakeQuantizer.Method)] = [
            (try QuantScheme(bits: 4), .minMax),                                                             // affine
            (try QuantScheme(bits: 4, signed: true, mapping: .symmetric(restrictedRange: false), granularity: .perGroup(axis: 0, size: 2)), .minMax),
            (try QuantScheme(bits: 1, mapping: .binary), .mse(candidates: 10)),                              // clipping a binary grid
            (Self.schemes[1], .percentile(0)),
            (Self.schemes[1], .mse(candidates: 0)),
        ]
        for (scheme, method) in refused {
            #expect(throws: ModelError.self) { try WeightFakeQuantizer(scheme: scheme, method: method, weight: w, outputFeatures: rows) }
        }
        #expect(throws: ModelError.self) { try WeightFakeQuantizer(scheme: Self.schemes[1], method: .minMax, weight: w, outputFeatures: 4) }
    }

    /// The PTQ recipe: per-group weight-only layers; quantized inputs need calibration;
    /// integer-only conversion takes only per-channel uniform weights.
    @Test func weightQuantizationRecipe() throws {
        let model = try Sequential.mlp(sizes: [8, 16, 2], seed: 5)
        let grouped = try model.quantized(with: WeightQuantization(weights: Self.schemes[0]))
        #expect(grouped.layers(of: FakeQuantLinear.self).map(\.weightQuantizer.scales.count) == [16 * 2, 2 * 4])
        #expect(grouped.layers(of: FakeQuantLinear.self).allSatisfy { $0.inputQuantizer == nil })
        #expect(throws: ModelError.calibrationDataRequired) {
            try model.quantized(with: WeightQuantization(weights: Self.schemes[0], activationBits: 8))
        }
        let data = try blobs(count: 64, seed: 3)
        let w4a8 = try model.quantized(with: WeightQuantization(weights: Self.schemes[0], activationBits: 8), calibration: data)
        #expect(w4a8.layers(of: FakeQuantLinear.self).allSatisfy { $0.inputQuantizer?.scheme.bits == 8 })
        #expect(throws: ModelError.self) { try w4a8.integerOnly(outputCalibration: data) }
    }

    /// QAT on a binary grid trains: the loss falls over a few epochs.
    @Test func binaryQATTrains() throws {
        let data = try blobs(count: 256, seed: 11)
        let settings = TrainingSettings(sizes: [8, 16, 2], epochs: 4, batchSize: 32, optimizer: .adam(learningRate: 0.01), seed: 4)
        let float = try Trainer(settings: settings).train(on: data).model
        let binary = try QuantScheme(bits: 1, mapping: .binary, granularity: .perChannel(axis: 0))
        let prepared = try float.quantized(with: FakeQuantization(weights: binary, weightMethod: .lsq, activationBits: nil))
        let run = try Trainer(settings: settings).train(prepared, on: data)
        let losses = run.history.map(\.trainLoss)
        #expect(losses.last! < losses.first!)
        #expect(try run.model.accuracy(on: data) > 0.9)
    }
}
