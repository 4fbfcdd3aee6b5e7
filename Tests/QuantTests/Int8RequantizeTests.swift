import Testing
@testable import Quant

/// The requantized (uint8-out) product: every fast path against the Swift
/// reference, byte for byte, and against the real-valued arithmetic.
@Suite struct Int8RequantizeTests {
    static let paths = Int8Kernel.SIMDPath.allCases.filter(\.isSupported)

    /// Multipliers spread over the shifts that matter: 2⁻³⁴ (rounds to 0) to 2⁴.
    static func randomMultipliers(_ count: Int, _ g: inout SeededGenerator) throws -> [FixedPointMultiplier] {
        try (0..<count).map { _ in
            try FixedPointMultiplier(Double(sign: .plus, exponent: Int(g.next() % 39) - 34,
                                            significand: 1 + Double(g.nextUnitFloat())))
        }
    }

    static func product(
        _ packed: PackedInt8Weights, _ x: [UInt8], _ rows: Int, _ z: Int32, _ bias: [Int32]?,
        _ multipliers: [FixedPointMultiplier], _ outputZeroPoint: Int32, _ range: ClosedRange<UInt8>,
        parallel: Bool = true
    ) throws -> [UInt8] {
        try packed.multiplyRequantized(x, rows: rows, inputZeroPoint: z, bias: bias, multipliers: multipliers,
                                       outputZeroPoint: outputZeroPoint, outputRange: range, parallel: parallel)
    }

    /// ReferenceInt8Kernel.requantize on given accumulators.
    static func referenceRequantize(
        _ acc: [Int32], _ rows: Int, _ n: Int, _ bias: [Int32]?, _ multipliers: [FixedPointMultiplier],
        _ outputZeroPoint: Int32, _ range: ClosedRange<UInt8>
    ) -> [UInt8] {
        let perColumn = multipliers.count == n ? multipliers : Array(repeating: multipliers[0], count: n)
        var y = [UInt8](repeating: 0, count: rows * n)
        acc.withUnsafeBufferPointer { acc in
            y.withUnsafeMutableBufferPointer {
                ReferenceInt8Kernel.requantize(acc, rows: rows, columns: n, bias: bias, multipliers: perColumn,
                                               outputZeroPoint: outputZeroPoint, outputRange: range, into: $0)
            }
        }
        return y
    }

    @Test("known values, worked by hand", arguments: Int8Kernel.supported)
    func knownValues(kernel: Int8Kernel) throws {
        // W = [[1, 2], [−3, 4]], x = [10, 20], z_x = 12: acc = [(−2)·1 + 8·2, (−2)·(−3) + 8·4] = [14, 38].
        // bias [2, −40] → a = [16, −2]; M = [0.5, 3]: M·a = [8, −6]; z_y = 100 → [108, 94].
        let packed = try PackedInt8Weights(codes: [1, 2, -3, 4], outFeatures: 2, inFeatures: 2, scales: [1], kernel: kernel)
        let m = [try FixedPointMultiplier(0.5), try FixedPointMultiplier(3)]
        #expect(try Self.product(packed, [10, 20], 1, 12, [2, -40], m, 100, 0...255) == [108, 94])
        #expect(try Self.product(packed, [10, 20], 1, 12, [2, -40], m, 100, 100...255) == [108, 100])   // ReLU
        #expect(try Self.product(packed, [10, 20], 1, 12, [2, -40], m, 100, 0...105) == [105, 94])
        // No bias: M·acc = [7, 114] → [107, 214]; one multiplier for all columns: 0.5·[14, 38] = [7, 19].
        #expect(try Self.product(packed, [10, 20], 1, 12, nil, m, 100, 0...255) == [107, 214])
        #expect(try Self.product(packed, [10, 20], 1, 12, nil, [m[0]], 0, 0...255) == [7, 19])
        // a = [7, −7]: ±3.5 rounds toward +∞ in SRDHM: 0.5·7 → 4, 0.5·(−7) → −3.
        #expect(try Self.product(packed, [10, 20], 1, 12, [-7, -45], [m[0]], 50, 0...255) == [54, 47])
    }

    /// (rows, inFeatures, outFeatures): the MLP's last layer at batch 1, 7 and
    /// 256, and sizes on and off the vector widths and register tiles.
    static let shapes: [(Int, Int, Int)] = [
        (1, 784, 10), (7, 784, 10), (256, 784, 10), (1, 1, 1), (3, 7, 17), (5, 3, 33),
        (13, 65, 31), (6, 128, 16), (4, 256, 9), (2, 784, 65), (1, 1, 40),
    ]

    @Test("fast paths equal the Swift reference byte for byte", arguments: paths)
    func fastMatchesReference(path: Int8Kernel.SIMDPath) throws {
        var g = SeededGenerator(seed: 51)
        for (rows, k, n) in Self.shapes {
            let w = (0..<(n * k)).map { _ in Int8(truncatingIfNeeded: g.next()) }
            let x = (0..<(rows * k)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            let reference = try PackedInt8Weights(codes: w, outFeatures: n, inFeatures: k, scales: [1], kernel: .reference)
            let fast = try reference.repacked(for: .fast(path))
            let limit = reference.requantizedBiasLimit
            let bias = (0..<n).map { _ in Int32(truncatingIfNeeded: g.next()) >> 8 }   // ±2²³
            let extremeBias = (0..<n).map { j in j % 2 == 0 ? limit : -limit }
            let multipliers = try Self.randomMultipliers(n, &g)
            for (z, zy) in [(Int32(0), Int32(0)), (255, 255), (Int32(g.next() % 256), Int32(g.next() % 256))] {
                // The reference kernel's product once; its requantization for every variant.
                let acc = try reference.accumulate(x, rows: rows, zeroPoint: z)
                for b in [nil, bias, extremeBias] {
                    for range in [0...255, UInt8(zy)...255, 3...200] as [ClosedRange<UInt8>] {
                        for m in [multipliers, [multipliers[0]]] {
                            let want = Self.referenceRequantize(acc, rows, n, b, m, zy, range)
                            let got = try Self.product(fast, x, rows, z, b, m, zy, range)
                            #expect(got == want, "\(path) \(rows)×\(k)×\(n) z \(z) z_y \(zy) range \(range)")
                        }
                    }
                }
                #expect(try Self.product(reference, x, rows, z, bias, multipliers, zy, 0...255)
                        == Self.referenceRequantize(acc, rows, n, bias, multipliers, zy, 0...255))
            }
        }
    }

    /// Codes at the ends of their ranges: the largest accumulators (±32,640·k)
    /// with the largest biases, and multipliers small enough to keep them on
    /// scale as well as ones that saturate.
    @Test("extreme codes and zero-points", arguments: paths)
    func extremeCodes(path: Int8Kernel.SIMDPath) throws {
        let (rows, k, n) = (3, 784, 17)
        let cases: [(UInt8, Int32, Int8)] = [(0, 255, -128), (255, 0, -128), (255, 0, 127), (0, 255, 127), (0, 0, 127)]
        for (code, z, weight) in cases {
            let reference = try PackedInt8Weights(codes: [Int8](repeating: weight, count: n * k), outFeatures: n,
                                                  inFeatures: k, scales: [1], kernel: .reference)
            let fast = try reference.repacked(for: .fast(path))
            let x = [UInt8](repeating: code, count: rows * k)
            let acc = Int32(k) * (Int32(code) - z) * Int32(weight)
            let limit = reference.requantizedBiasLimit
            // M = 100 / 2³¹ maps ±2³¹ to about ±100 codes; then M = 1 and M = 2²⁹ saturate.
            for real in [100 / 0x1p31, 1e-6, 1, 0x1p29] {
                let m = [try FixedPointMultiplier(real)]
                for bias in [nil, [Int32](repeating: acc > 0 ? limit : -limit, count: n)] {
                    for zy: Int32 in [0, 128, 255] {
                        let want = try Self.product(reference, x, rows, z, bias, m, zy, 0...255)
                        #expect(try Self.product(fast, x, rows, z, bias, m, zy, 0...255) == want)
                        // The real-valued answer, clamped: within one code.
                        let a = Double(acc) + Double(bias?[0] ?? 0)
                        let exact = Swift.min(Swift.max(Double(zy) + (real * a).rounded(), 0), 255)
                        #expect(abs(Double(want[0]) - exact) <= 1, "x \(code) z \(z) w \(weight) M \(real) z_y \(zy)")
                    }
                }
            }
        }
    }

    /// `acc + bias` reaches ±(2³¹ − 1) exactly at the bias limit; one more is refused.
    @Test("bias limit: exact at the edge, refused past it", arguments: Int8Kernel.supported)
    func biasLimit(kernel: Int8Kernel) throws {
        let k = 784
        let packed = try PackedInt8Weights(codes: [Int8](repeating: -128, count: 2 * k), outFeatures: 2, inFeatures: k,
                                           scales: [1], kernel: kernel)
        let limit = packed.requantizedBiasLimit
        #expect(limit == Int32.max - 32_640 * 784)
        // acc = 784 · (0 − 255) · (−128) = +25,589,760, so acc + limit = Int32.max; M = 2⁻²⁴ → 127.99… → 128.
        let m = [try FixedPointMultiplier(0x1p-24)]
        #expect(try Self.product(packed, [UInt8](repeating: 0, count: k), 1, 255, [limit, 0], m, 0, 0...255) == [128, 2])
        #expect(throws: Int8KernelError.biasOutOfRange(index: 1, value: -limit - 1, limit: limit)) {
            try Self.product(packed, [UInt8](repeating: 0, count: k), 1, 255, [0, -limit - 1], m, 0, 0...255)
        }
        let deepest = try PackedInt8Weights(codes: [Int8](repeating: 1, count: Int8Kernel.maxInFeatures), outFeatures: 1,
                                            inFeatures: Int8Kernel.maxInFeatures, scales: [1], kernel: kernel)
        #expect(deepest.requantizedBiasLimit == 127)
    }

    /// Against real arithmetic: y = clamp(z_y + round(M·(acc + bias))) within one code.
    @Test("within one code of the real-valued requantization", arguments: Int8Kernel.supported)
    func withinOneCodeOfRealArithmetic(kernel: Int8Kernel) throws {
        var g = SeededGenerator(seed: 52)
        let (rows, k, n) = (9, 300, 23)
        let packed = try PackedInt8Weights(codes: (0..<(n * k)).map { _ in Int8(truncatingIfNeeded: g.next()) },
                                           outFeatures: n, inFeatures: k, scales: [1], kernel: kernel)
        let x = (0..<(rows * k)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
        let z: Int32 = 131, zy: Int32 = 120
        let acc = try packed.accumulate(x, rows: rows, zeroPoint: z)
        let bias = (0..<n).map { _ in Int32(truncatingIfNeeded: g.next()) >> 12 }
        // Scales so that M·acc spans about ±150 codes: a typical layer.
        let spread = Double(acc.map { abs($0) }.max()!)
        let reals = (0..<n).map { _ in (0.3 + Double(g.nextUnitFloat())) * 150 / spread }
        let y = try Self.product(packed, x, rows, z, bias, try reals.map(FixedPointMultiplier.init), zy, 0...255)
        for i in 0..<rows {
            for j in 0..<n {
                let exact = Swift.min(Swift.max(Double(zy) + (reals[j] * Double(acc[i * n + j] + bias[j])).rounded(), 0), 255)
                #expect(abs(Double(y[i * n + j]) - exact) <= 1, "[\(i), \(j)]")
            }
        }
    }

    @Test("a product split over cores equals the single-thread one", arguments: paths)
    func parallelSplit(path: Int8Kernel.SIMDPath) throws {
        var g = SeededGenerator(seed: 53)
        let (rows, k, n) = (67, 200, 97)
        #expect(rows * k * n >= PackedInt8Weights.parallelThreshold)
        let packed = try PackedInt8Weights(codes: (0..<(n * k)).map { _ in Int8(truncatingIfNeeded: g.next()) },
                                           outFeatures: n, inFeatures: k, scales: [1], kernel: .fast(path))
        let x = (0..<(rows * k)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
        let m = try (0..<n).map { _ in try FixedPointMultiplier(Double(1 + g.nextUnitFloat()) * 1e-4) }
        let bias = (0..<n).map { _ in Int32(truncatingIfNeeded: g.next()) >> 16 }
        let serial = try Self.product(packed, x, rows, 77, bias, m, 128, 0...255, parallel: false)
        let split = try Self.product(packed, x, rows, 77, bias, m, 128, 0...255, parallel: true)
        let reference = try Self.product(packed.repacked(for: .reference), x, rows, 77, bias, m, 128, 0...255)
        #expect(serial == split && serial == reference)
        #expect(Set(serial).count > 100)   // the outputs really spread over the codes
    }

    @Test func emptyShapes() throws {
        for kernel in Int8Kernel.supported {
            // No inputs: acc = 0, so y = clamp(z_y + M·bias).
            let noInputs = try PackedInt8Weights(codes: [], outFeatures: 3, inFeatures: 0, scales: [1], kernel: kernel)
            let m = [try FixedPointMultiplier(0.5)]
            #expect(try Self.product(noInputs, [], 2, 9, [10, -10, 1000], m, 100, 0...255) == [105, 95, 255, 105, 95, 255])
            #expect(try Self.product(noInputs, [], 0, 9, nil, m, 100, 0...255) == [])
            let noOutputs = try PackedInt8Weights(codes: [], outFeatures: 0, inFeatures: 4, scales: [1], kernel: kernel)
            #expect(try Self.product(noOutputs, [1, 2, 3, 4], 1, 0, [], [], 0, 0...255) == [])
        }
    }

    @Test func badInputsThrowDescriptiveErrors() throws {
        let packed = try PackedInt8Weights(codes: [1, 2, 3, 4, 5, 6], outFeatures: 2, inFeatures: 3, scales: [1])
        let m = [try FixedPointMultiplier(0.01)]
        #expect(throws: Int8KernelError.multiplierCount(expectedPerChannel: 2, actual: 3)) {
            try Self.product(packed, [1, 2, 3], 1, 0, nil, m + m + m, 0, 0...255)
        }
        #expect(throws: Int8KernelError.sizeMismatch(name: "bias", expected: 2, actual: 1)) {
            try Self.product(packed, [1, 2, 3], 1, 0, [1], m, 0, 0...255)
        }
        #expect(throws: Int8KernelError.zeroPointOutOfRange(256)) {
            try Self.product(packed, [1, 2, 3], 1, 0, nil, m, 256, 0...255)
        }
        #expect(throws: Int8KernelError.zeroPointOutOfRange(-1)) {
            try Self.product(packed, [1, 2, 3], 1, -1, nil, m, 0, 0...255)
        }
        #expect(throws: Int8KernelError.sizeMismatch(name: "x", expected: 3, actual: 2)) {
            try Self.product(packed, [1, 2], 1, 0, nil, m, 0, 0...255)
        }
        var y = [UInt8](repeating: 0, count: 3)
        #expect(throws: Int8KernelError.sizeMismatch(name: "output", expected: 2, actual: 3)) {
            try [UInt8](arrayLiteral: 1, 2, 3).withUnsafeBufferPointer { x in
                try y.withUnsafeMutableBufferPointer {
                    try packed.multiplyRequantized(x, rows: 1, inputZeroPoint: 0, bias: nil, multipliers: m,
                                                   outputZeroPoint: 0, into: $0)
                }
            }
        }
        let message = Int8KernelError.biasOutOfRange(index: 4, value: 2_000_000_000, limit: 1_000).description
        #expect(message.contains("bias[4]") && message.contains("1000"))
        #expect(Int8KernelError.invalidMultiplier(-2).description.contains("-2.0"))
    }
}
