import Testing
@testable import Quant

/// The dynamic int8 linear layer: known values, its agreement with the
/// float layer, with Quant's observers, and across kernels.
@Suite struct DynamicQuantizedLinearTests {
    /// Weights whose per-tensor scale is 2⁻⁶ and inputs whose batch scale is
    /// 2⁻⁶ with zero-point 64: every code, product and rescale is exact, so
    /// the layer's output is known to the bit.
    static let weight: [Float] = [-1.9921875, 0.5, 0.25,
                                  1.0, -0.75, 0.015625]
    static let x: [Float] = [-1, 0, 2.984375,
                             0.5, 1, -0.25]

    @Test("per-tensor layer on known values, exactly", arguments: Int8Kernel.supported)
    func knownValues(kernel: Int8Kernel) throws {
        let linear = try Linear(weight: Tensor(shape: [2, 3], scalars: Self.weight), bias: Tensor([0.5, -1]))
        let q = try DynamicQuantization(granularity: .perTensor, kernel: kernel).quantize(linear)
        // s_w = max|W| / 127.5 = 1.9921875 / 127.5 = 2⁻⁶; −1.9921875 is −127.5 steps → −128 (half to even).
        #expect(q.weightQuantizer.params.scales == [0.015625])
        #expect(q.weightQuantizer.params.zeroPoints == [0])
        #expect(q.weightCodes.scalars == [-128, 32, 16, 64, -48, 1])
        #expect(q.dequantizedWeight.scalars == [-2, 0.5, 0.25, 1, -0.75, 0.015625])

        let y = try q(Tensor(shape: [2, 3], scalars: Self.x)).scalars
        let activation = try DynamicActivationQuantizer.parameters(for: Self.x)
        // Batch range [−1, 2.984375]: s_x = 3.984375 / 255 = 2⁻⁶, z_x = 64.
        #expect(activation.scale == 0.015625 && activation.zeroPoint == 64)
        // y = x̂·Ŵᵀ + b with x̂ = x (on the grid) and Ŵ the dequantized weights.
        #expect(y == [3.24609375, -1.953369140625, -0.0625, -1.25390625])
        // The float layer differs only through W[0,0] = −1.9921875 stored as −2.
        let float = try linear(Tensor(shape: [2, 3], scalars: Self.x)).scalars
        #expect(float == [3.23828125, -1.953369140625, -0.05859375, -1.25390625])
    }

    /// On random data the layer is within the error bound of the float
    /// layer, and equal (to float rounding) to the float product of its own
    /// dequantized inputs and weights.
    @Test(arguments: DynamicQuantization.Granularity.allCases)
    func againstFloat(granularity: DynamicQuantization.Granularity) throws {
        var g = SeededGenerator(seed: 31)
        let (rows, k, n) = (9, 70, 13)
        let linear = Linear(inputFeatures: k, outputFeatures: n, using: &g)
        let bias = (0..<n).map { _ in g.nextUnitFloat() - 0.5 }
        let layer = try Linear(weight: linear.weightTensor, bias: Tensor(bias))
        let q = try DynamicQuantization(granularity: granularity).quantize(layer)
        #expect(q.weightQuantizer.params.scales.count == (granularity == .perTensor ? 1 : n))
        let x = Distribution.normal(mean: 0.2, standardDeviation: 1).samples(rows * k, using: &g)
        let input = try Tensor(shape: [rows, k], scalars: x)
        let float = try layer(input).scalars
        let int8 = try q(input).scalars
        let p = try DynamicActivationQuantizer.parameters(for: x)
        let xHat = x.map { v -> Double in
            let code = Swift.min(Swift.max((v * (1 / p.scale)).rounded(.toNearestOrEven) + Float(p.zeroPoint), 0), 255)
            return Double(p.scale) * Double(Int32(code) - p.zeroPoint)
        }
        let wHat = q.dequantizedWeight.scalars
        let scales = q.weightQuantizer.params.scales
        for i in 0..<rows {
            for j in 0..<n {
                var dot = Double(bias[j]), magnitude = abs(Double(bias[j])), bound = 0.0
                let sw = Double(scales[scales.count == 1 ? 0 : j])
                for t in 0..<k {
                    dot += xHat[i * k + t] * Double(wHat[j * k + t])
                    magnitude += abs(xHat[i * k + t] * Double(wHat[j * k + t]))
                    bound += abs(Double(layer.weight[j * k + t])) * Double(p.scale) / 2
                        + abs(Double(x[i * k + t])) * sw / 2 + Double(p.scale) * sw / 4
                }
                let y = Double(int8[i * n + j])
                #expect(abs(y - dot) <= 4 * Double(Float.ulpOfOne) * magnitude, "[\(i), \(j)] vs the dequantized product")
                #expect(abs(y - Double(float[i * n + j])) <= bound * 1.0001, "[\(i), \(j)] outside the error bound")
            }
        }
    }

    /// The weight codes and scales are those of Quant's `Quantizer` with
    /// PyTorch's dynamic qconfig: signed, symmetric, full range −128…127.
    @Test(arguments: DynamicQuantization.Granularity.allCases)
    func weightsMatchTheObserver(granularity: DynamicQuantization.Granularity) throws {
        var g = SeededGenerator(seed: 32)
        let linear = Linear(inputFeatures: 50, outputFeatures: 6, using: &g)
        let q = try DynamicQuantization(granularity: granularity).quantize(linear)
        let scheme = try QuantScheme(bits: 8, signed: true, mapping: .symmetric(restrictedRange: false),
                                     granularity: granularity == .perTensor ? .perTensor : .perChannel(axis: 0))
        #expect(scheme.qmin == -128 && scheme.qmax == 127)
        let reference = try Quantizer(scheme: scheme, observing: linear.weightTensor)
        #expect(q.weightQuantizer == reference)
        #expect(q.weightCodes == (try reference.quantize(linear.weightTensor, as: Int8.self)))
        let maxAbs = linear.weight.map(abs).max()!
        if granularity == .perTensor { #expect(q.weightQuantizer.params.scales == [maxAbs / 127.5]) }
    }

    /// The activation parameters and codes of the run-time quantizer are
    /// those of `QuantParams`/`Quantizer` with `QuantScheme(bits: 8)`
    /// (PyTorch's `MinMaxObserver`, quint8), on random and edge-case batches.
    @Test func activationParametersEqualTheObserver() throws {
        var g = SeededGenerator(seed: 33)
        var batches: [[Float]] = [[0, 0, 0], [0.5], [-0.5], [3, 7, 1], [-3, -7, -1], [-1, 2.984375, 0.0234375],
                                  [1e-30, 2e-30], [-Float.leastNormalMagnitude, 0], [-1e30, 1e30]]
        for count in [1, 16, 17, 255, 1000] {
            batches.append(Distribution.normal(mean: 0.3, standardDeviation: 2).samples(count, using: &g))
            batches.append(Distribution.laplace(location: 0, scale: 0.01).samples(count, using: &g).map { max($0, 0) })
        }
        for x in batches {
            let dynamic = try DynamicActivationQuantizer.parameters(for: x)
            let observed = try QuantParams(scheme: QuantScheme(bits: 8), observing: Tensor(x))
            #expect(observed.scales == [dynamic.scale] && observed.zeroPoints == [dynamic.zeroPoint], "\(x.prefix(3))")
            var codes = [UInt8](repeating: 0, count: x.count)
            try DynamicActivationQuantizer.quantize(x, with: dynamic, into: &codes)
            let quantizer = try Quantizer(scheme: QuantScheme(bits: 8), params: observed)
            #expect(try quantizer.quantize(Tensor(x), as: UInt8.self).scalars == codes, "\(x.prefix(3))")
        }
        // The layer quantizes its input with those parameters: its output equals
        // the products of the observer's codes, dequantized, with its own weights.
        let linear = Linear(inputFeatures: 17, outputFeatures: 3, using: &g)
        let q = try DynamicQuantization.perTensor.quantize(linear)
        let x = Distribution.normal(mean: 0, standardDeviation: 3).samples(4 * 17, using: &g)
        let observed = try Quantizer(scheme: QuantScheme(bits: 8), observing: Tensor(x))
        let codes = try observed.quantize(Tensor(x), as: UInt8.self).scalars
        let p = try DynamicActivationQuantizer.parameters(for: x)
        var expected = [Float](repeating: 0, count: 12)
        try codes.withUnsafeBufferPointer { c in
            try expected.withUnsafeMutableBufferPointer { try q.weights.multiply(c, rows: 4, activation: p, bias: q.bias, into: $0) }
        }
        #expect(try q(Tensor(shape: [4, 17], scalars: x)).scalars == expected)
    }

    /// Inside the layer, every kernel (the readable reference and each fast
    /// path) gives the same bits, on batch sizes around the register tiles.
    @Test func kernelsAgreeInsideTheLayer() throws {
        var g = SeededGenerator(seed: 34)
        let linear = Linear(inputFeatures: 83, outputFeatures: 21, using: &g)
        for granularity in DynamicQuantization.Granularity.allCases {
            let reference = try DynamicQuantization(granularity: granularity, kernel: .reference).quantize(linear)
            for rows in [1, 5, 7, 33] {
                let x = try Tensor(shape: [rows, 83], scalars: Distribution.normal(mean: 0, standardDeviation: 1).samples(rows * 83, using: &g))
                let expected = try reference(x)
                for kernel in Int8Kernel.supported {
                    #expect(try reference.repacked(for: kernel)(x) == expected, "\(kernel), \(rows) rows, \(granularity)")
                }
            }
        }
    }

    @Test func lowBitWeightsUseFewerCodes() throws {
        var g = SeededGenerator(seed: 35)
        let linear = Linear(inputFeatures: 40, outputFeatures: 8, using: &g)
        let q = try DynamicQuantization(granularity: .perChannel, weightBits: 4).quantize(linear)
        #expect(q.weightCodes.scalars.allSatisfy { (-8...7).contains($0) })
        #expect(q.weightCodes.scalars.contains(-8) || q.weightCodes.scalars.contains(7))
        #expect(throws: ModelError.weightBits(9, supported: 2...8)) { try DynamicQuantization(granularity: .perTensor, weightBits: 9) }
    }

    @Test func badInputsAreTypedErrors() throws {
        var g = SeededGenerator(seed: 36)
        let linear = Linear(inputFeatures: 4, outputFeatures: 2, using: &g)
        let unsigned = try Quantizer(scheme: QuantScheme(bits: 8), observing: linear.weightTensor)
        #expect(throws: ModelError.unsupportedWeightScheme("\(unsigned.scheme)")) {
            try DynamicQuantizedLinear(linear, weightQuantizer: unsigned)
        }
        let q = try DynamicQuantization.perTensor.quantize(linear)
        #expect(throws: ModelError.inputShape(expectedFeatures: 4, shape: [1, 3])) {
            try q(Tensor(shape: [1, 3], repeating: 0))
        }
        #expect(throws: ModelError.kernel(.nonFiniteActivations(min: 0, max: .infinity))) {
            try q(Tensor(shape: [1, 4], scalars: [0, 1, .infinity, 2]))
        }
        #expect(throws: ModelError.weightScaleCount(expected: 2, actual: 3)) {
            try DynamicQuantizedLinear(codes: Tensor(shape: [2, 4], repeating: 1), scales: [1, 1, 1], bias: [0, 0])
        }
        let error = ModelError.inLayer(2, .kernel(.zeroPointOutOfRange(300)))
        #expect(error.description.hasPrefix("layer 2: "))
    }
}
