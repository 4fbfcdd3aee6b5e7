import Testing
@testable import Quant

/// The float side of dynamic quantization: rescale, activation codes, forward.
@Suite struct Int8RescaleTests {
    @Test("rescale on known values, exactly", arguments: Int8Kernel.supported)
    func rescaleKnownValues(kernel: Int8Kernel) throws {
        // W = [[1, 2], [−3, 4]], s_w = [0.5, 0.25]; x codes [10, 20], z = 12, s_x = 0.125.
        // acc = [(−2)·1 + 8·2, (−2)·(−3) + 8·4] = [14, 38]
        // y   = [14 · 0.0625 + 1, 38 · 0.03125 − 2] = [1.875, −0.8125]  (all exact in binary)
        let packed = try PackedInt8Weights(codes: [1, 2, -3, 4], outFeatures: 2, inFeatures: 2,
                                           scales: [0.5, 0.25], kernel: kernel)
        let activation = try DynamicActivationQuantizer.Parameters(scale: 0.125, zeroPoint: 12)
        #expect(try packed.accumulate([10, 20], rows: 1, zeroPoint: 12) == [14, 38])
        var y: [Float] = [0, 0]
        try [UInt8](arrayLiteral: 10, 20).withUnsafeBufferPointer { x in
            try y.withUnsafeMutableBufferPointer {
                try packed.multiply(x, rows: 1, activation: activation, bias: [1, -2], into: $0)
            }
        }
        #expect(y == [1.875, -0.8125])
    }

    /// The float product of the dequantized values, in Double, agrees with
    /// the kernel's rescale to within float rounding (2 roundings of the
    /// scale product, 1 of the int→float conversion, 1 of the add).
    @Test("rescale against the dequantized float product", arguments: Int8Kernel.supported)
    func rescaleAgainstFloat(kernel: Int8Kernel) throws {
        var g = SeededGenerator(seed: 21)
        let (rows, k, n) = (5, 37, 19)
        let w = (0..<(n * k)).map { _ in Int8(truncatingIfNeeded: g.next()) }
        let x = (0..<(rows * k)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
        let scales = (0..<n).map { _ in 0.001 + g.nextUnitFloat() / 100 }
        let bias = (0..<n).map { _ in g.nextUnitFloat() * 4 - 2 }
        let activation = try DynamicActivationQuantizer.Parameters(scale: 0.0391, zeroPoint: 101)
        let packed = try PackedInt8Weights(codes: w, outFeatures: n, inFeatures: k, scales: scales, kernel: kernel)
        var y = [Float](repeating: 0, count: rows * n)
        try x.withUnsafeBufferPointer { x in
            try y.withUnsafeMutableBufferPointer {
                try packed.multiply(x, rows: rows, activation: activation, bias: bias, into: $0)
            }
        }
        for i in 0..<rows {
            for j in 0..<n {
                var dot = 0.0, magnitude = 0.0
                for t in 0..<k {
                    let xv = Double(activation.scale) * Double(Int32(x[i * k + t]) - 101)
                    let wv = Double(scales[j]) * Double(w[j * k + t])
                    dot += xv * wv
                    magnitude += abs(xv * wv)
                }
                let expected = dot + Double(bias[j])
                let tolerance = 4 * Double(Float.ulpOfOne) * (magnitude + abs(Double(bias[j])))
                #expect(abs(Double(y[i * n + j]) - expected) <= tolerance, "\(kernel) [\(i), \(j)]")
            }
        }
    }

    @Test func activationParametersFollowTheFormula() throws {
        // lo = −1, hi = 2.984375: s = 3.984375 / 255 = 1/64 exactly, z = round(64) = 64.
        let x: [Float] = [-1, 0, 0.0234375, 0.0390625, 2.984375]
        let p = try DynamicActivationQuantizer.parameters(for: x)
        #expect(p.scale == 0.015625)
        #expect(p.zeroPoint == 64)
        var codes = [UInt8](repeating: 0, count: x.count)
        try DynamicActivationQuantizer.quantize(x, with: p, into: &codes)
        // 1.5 and 2.5 steps both round to 2 (half to even).
        #expect(codes == [0, 64, 66, 66, 255])
        #expect(p.dequantize(64) == 0)
        // Non-negative input (after ReLU): z = 0 and the top code is the max.
        let relu = try DynamicActivationQuantizer.parameters(for: [0, 1, 5.1])
        #expect(relu.zeroPoint == 0 && relu.scale == Float(5.1) / 255)
        // An all-zero batch: the observers' floor ε = 2⁻²³ as scale, every code 0.
        let floor = try DynamicActivationQuantizer.Parameters(scale: .ulpOfOne, zeroPoint: 0)
        #expect(try DynamicActivationQuantizer.parameters(for: [0, 0, 0]) == floor)
        #expect(try DynamicActivationQuantizer.parameters(for: []) == floor)
        let tiny = Float.leastNormalMagnitude / 4
        #expect(try DynamicActivationQuantizer.parameters(for: [0, tiny]) == floor)
        // The widest range Float32 can hold as a width is fine; a wider one is refused.
        let wide = try DynamicActivationQuantizer.parameters(for: [-.greatestFiniteMagnitude / 2, .greatestFiniteMagnitude / 2])
        #expect(wide.scale.isFinite && wide.zeroPoint == 128)
        #expect(throws: Int8KernelError.activationRangeTooWide(min: -.greatestFiniteMagnitude, max: .greatestFiniteMagnitude)) {
            try DynamicActivationQuantizer.parameters(for: [-.greatestFiniteMagnitude, .greatestFiniteMagnitude])
        }
        #expect(throws: Int8KernelError.invalidScale(name: "scale", index: 0, value: tiny)) {
            try DynamicActivationQuantizer.Parameters(scale: tiny, zeroPoint: 0)
        }
    }

    @Test func nonFiniteActivations() throws {
        #expect(throws: Int8KernelError.nonFiniteActivations(min: 0, max: .infinity)) {
            try DynamicActivationQuantizer.parameters(for: [0, 1, .infinity])
        }
        // NaNs are skipped by the range and become code 0.
        let p = try DynamicActivationQuantizer.parameters(for: [.nan, -1, 2.984375, .nan])
        #expect(p == (try .init(scale: 0.015625, zeroPoint: 64)))
        var codes = [UInt8](repeating: 9, count: 3)
        try DynamicActivationQuantizer.quantize([.nan, 2.984375, -1], with: p, into: &codes)
        #expect(codes == [0, 255, 0])
    }

    /// The vectorized quantizer against the formula, on every tail length.
    @Test func quantizeMatchesTheScalarFormula() throws {
        var g = SeededGenerator(seed: 22)
        for count in [1, 15, 16, 17, 33, 1000] {
            let x = Distribution.normal(mean: 0.3, standardDeviation: 2).samples(count, using: &g)
            let p = try DynamicActivationQuantizer.parameters(for: x)
            let lo = x.min()!, hi = x.max()!
            #expect(p == (try .init(min: lo, max: hi)))
            var codes = [UInt8](repeating: 0, count: count)
            try DynamicActivationQuantizer.quantize(x, with: p, into: &codes)
            let inverse = 1 / p.scale
            let expected = x.map { v -> UInt8 in
                let t = (v * inverse).rounded(.toNearestOrEven) + Float(p.zeroPoint)
                return UInt8(Swift.min(Swift.max(t, 0), 255))
            }
            #expect(codes == expected, "count \(count)")
            // Inside the range every value is within half a step of its code.
            for (v, q) in zip(x, codes) { #expect(abs(p.dequantize(q) - v) <= p.scale * 0.5001) }
        }
    }

    /// A batch large enough to be scanned and quantized on all cores gives
    /// the same parameters and codes as one thread.
    @Test func parallelQuantizationMatchesSerial() throws {
        var g = SeededGenerator(seed: 24)
        let x = Distribution.laplace(location: 0.5, scale: 1).samples(3 * DynamicActivationQuantizer.parallelThreshold + 5, using: &g)
        try x.withUnsafeBufferPointer { x in
            let serial = try DynamicActivationQuantizer.parameters(for: x, parallel: false)
            #expect(try DynamicActivationQuantizer.parameters(for: x, parallel: true) == serial)
            #expect(serial == (try .init(min: x.min()!, max: x.max()!)))
            var a = [UInt8](repeating: 0, count: x.count), b = a
            try a.withUnsafeMutableBufferPointer {
                try DynamicActivationQuantizer.quantize(x, with: serial, into: $0, parallel: false)
            }
            try b.withUnsafeMutableBufferPointer {
                try DynamicActivationQuantizer.quantize(x, with: serial, into: $0, parallel: true)
            }
            #expect(a == b)
        }
    }

    /// End to end: the dynamic int8 product is close to the float one, and
    /// every kernel gives the same bits.
    @Test func forwardApproximatesTheFloatProduct() throws {
        var g = SeededGenerator(seed: 23)
        let (rows, k, n) = (4, 100, 12)
        let weights = Distribution.normal(mean: 0, standardDeviation: 0.1).samples(n * k, using: &g)
        let x = Distribution.uniform(lower: -1, upper: 3).samples(rows * k, using: &g)
        let bias = Distribution.normal(mean: 0, standardDeviation: 1).samples(n, using: &g)
        // Per-channel symmetric int8: s_w[j] = max|W[j, ·]| / 127.
        var codes = [Int8](), scales = [Float]()
        for j in 0..<n {
            let row = weights[j * k ..< (j + 1) * k]
            let s = row.map(abs).max()! / 127
            scales.append(s)
            codes += row.map { Int8(($0 / s).rounded(.toNearestOrEven)) }
        }
        var outputs = [[Float]]()
        for kernel in Int8Kernel.supported {
            let packed = try PackedInt8Weights(codes: codes, outFeatures: n, inFeatures: k, scales: scales, kernel: kernel)
            var y = [Float](repeating: 0, count: rows * n), workspace = Int8Workspace()
            let p = try packed.forward(x, rows: rows, bias: bias, into: &y, workspace: &workspace)
            #expect(p == (try DynamicActivationQuantizer.parameters(for: x)))
            outputs.append(y)
        }
        #expect(outputs.allSatisfy { $0.map(\.bitPattern) == outputs[0].map(\.bitPattern) })
        let sx = (3 + 1) / Float(255)
        for i in 0..<rows {
            for j in 0..<n {
                var exact = Double(bias[j]), bound = 0.0
                for t in 0..<k {
                    let xv = Double(x[i * k + t]), wv = Double(weights[j * k + t])
                    exact += xv * wv
                    // |Δ(x·w)| ≤ |x|·s_w/2 + |w|·s_x/2 + s_x·s_w/4
                    bound += abs(xv) * Double(scales[j]) / 2 + abs(wv) * Double(sx) / 2 + Double(sx * scales[j]) / 4
                }
                #expect(abs(Double(outputs[0][i * n + j]) - exact) <= bound + 1e-5)
            }
        }
    }
}
