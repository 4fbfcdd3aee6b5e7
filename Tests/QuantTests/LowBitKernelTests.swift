import Testing
@testable import Quant

/// The low-bit kernels (int4, int2, ternary, binary codes, per-row and per-group
/// scales) against the Swift reference: bit-identical on every ISA path, at
/// shapes off every vector width and group boundary; close to the
/// dequantized float product; and refusing bad input.
@Suite struct LowBitKernelTests {
    static let encodings: [WeightFormat.Encoding] = [.int4, .int2, .ternary, .binary]
    static let paths = Int8Kernel.SIMDPath.allCases.filter(\.isSupported)

    /// (rows, inFeatures, outFeatures): k = 784 (the MNIST layer), 1, 31, 33
    /// and 130 around the 8/16-code blocks and 32-code groups; n = 1, 17 and
    /// 256 around the 8/16-column panels; m = 1, 3, 5, 9 and 256 around the 4-row tiles.
    /// (Binary blocks are 32 codes deep, so k = 31 and 33 straddle one.)
    static let shapes: [(Int, Int, Int)] = [
        (1, 784, 256), (3, 784, 17), (1, 1, 1), (3, 1, 17), (256, 1, 256), (1, 31, 17), (256, 31, 17),
        (3, 33, 256), (256, 33, 1), (1, 130, 1), (3, 130, 256), (256, 130, 1), (256, 784, 1),
        (5, 130, 33), (9, 784, 17),   // a last tile of one row inside a batch
    ]

    /// Per row, and groups of 32 and 128 (784 = 24·32 + 16 = 6·128 + 16: a
    /// short last group; 130 = 128 + 2; 33 = 32 + 1).
    static let groupSizes: [Int?] = [nil, 32, 128]

    static func weights(_ n: Int, _ k: Int, _ encoding: WeightFormat.Encoding, groupSize: Int?,
                        _ g: inout SeededGenerator) throws -> BitPackedWeights {
        let format = try WeightFormat(encoding, groupSize: groupSize)
        let codes = BitPackedWeightsTests.randomCodes(n * k, encoding, &g)
        let scales = (0..<(n * format.groupsPerRow(inFeatures: k))).map { _ in 0.001 + g.nextUnitFloat() * 0.05 }
        return try BitPackedWeights(codes: codes, outFeatures: n, inFeatures: k, scales: scales, format: format)
    }

    static func activations(_ count: Int, _ g: inout SeededGenerator) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: g.next()) }
    }

    @Test("every path is bit-identical to the reference", arguments: encodings)
    func pathsMatchReference(encoding: WeightFormat.Encoding) throws {
        var g = SeededGenerator(seed: 41)
        for (rows, k, n) in Self.shapes {
            for groupSize in Self.groupSizes {
                let stored = try Self.weights(n, k, encoding, groupSize: groupSize, &g)
                let x = Self.activations(rows * k, &g)
                let activation = try DynamicActivationQuantizer.Parameters(scale: 0.0173, zeroPoint: Int32(g.next() % 256))
                let bias = (0..<n).map { _ in g.nextUnitFloat() - 0.5 }
                let reference = try LowBitWeights(stored, kernel: .reference)
                for b in [bias, nil] {
                    let want = try reference.multiply(x, rows: rows, activation: activation, bias: b)
                    for path in Self.paths {
                        let got = try reference.repacked(for: .fast(path)).multiply(x, rows: rows, activation: activation, bias: b)
                        #expect(got.map(\.bitPattern) == want.map(\.bitPattern),
                                "\(path) \(stored.format) rows \(rows) in \(k) out \(n) bias \(b != nil)")
                    }
                }
            }
        }
    }

    /// The extreme codes with the extreme activations (every x − z = ±255),
    /// where a kernel that saturated or dropped a bit would show it.
    @Test("extreme codes and zero-points", arguments: encodings)
    func extremes(encoding: WeightFormat.Encoding) throws {
        let (rows, k, n) = (3, 784, 33)
        let range = encoding.codeRange
        for code in [range.lowerBound, range.upperBound] {
            for (value, zeroPoint): (UInt8, Int32) in [(255, 0), (0, 255)] {
                let format = try WeightFormat(encoding, groupSize: 128)
                let stored = try BitPackedWeights(codes: Array(repeating: code, count: n * k), outFeatures: n, inFeatures: k,
                                                  scales: Array(repeating: 1, count: n * 7), format: format)
                let x = [UInt8](repeating: value, count: rows * k)
                let activation = try DynamicActivationQuantizer.Parameters(scale: 1, zeroPoint: zeroPoint)
                // Six groups of 128 and one of 16, each exact in float: 128·255·code·(±1).
                let sign: Float = value == 255 ? 1 : -1
                let expected = sign * 255 * Float(code) * 784
                for kernel in [Int8Kernel.reference] + Self.paths.map({ .fast($0) }) {
                    let y = try LowBitWeights(stored, kernel: kernel).multiply(x, rows: rows, activation: activation, bias: nil)
                    #expect(y.allSatisfy { $0 == expected }, "\(kernel) code \(code) x \(value) z \(zeroPoint)")
                }
            }
        }
    }

    /// The zero-point's share at its extreme: codes −8 everywhere, x = 0 with
    /// z = 255, so y = −(s_x·z)·c_j = 255·8·k exactly (c_j = −8·k, every
    /// product and sum an integer below 2²⁴), with groups of 4064 and of
    /// 4096 codes, each followed by a short one.
    @Test("the zero-point's share is exact for large groups", arguments: [4064, 4096])
    func largeGroups(groupSize: Int) throws {
        let (k, n) = (4100, 17)
        let format = try WeightFormat(.int4, groupSize: groupSize)
        let stored = try BitPackedWeights(codes: Array(repeating: -8, count: n * k), outFeatures: n, inFeatures: k,
                                          scales: Array(repeating: 1, count: n * 2), format: format)
        let activation = try DynamicActivationQuantizer.Parameters(scale: 1, zeroPoint: 255)
        for kernel in [Int8Kernel.reference] + Self.paths.map({ .fast($0) }) {
            let y = try LowBitWeights(stored, kernel: kernel).multiply([UInt8](repeating: 0, count: k), rows: 1,
                                                                         activation: activation, bias: nil)
            #expect(y == Array(repeating: Float(8 * 255 * k), count: n), "\(kernel) g \(groupSize)")
        }
    }

    /// Splitting over cores (by columns at batch 1, by rows for a batch)
    /// changes nothing.
    @Test("parallel products equal the single-threaded ones", arguments: paths)
    func parallelIsIdentical(path: Int8Kernel.SIMDPath) throws {
        var g = SeededGenerator(seed: 42)
        for (rows, k, n, groupSize) in [(1, 1024, 1040, 32), (64, 256, 70, 64)] {
            let w = try LowBitWeights(Self.weights(n, k, .int4, groupSize: groupSize, &g), kernel: .fast(path))
            #expect(rows * k * n >= LowBitWeights.parallelThreshold)
            let x = Self.activations(rows * k, &g)
            let activation = try DynamicActivationQuantizer.Parameters(scale: 0.01, zeroPoint: 77)
            let bias = (0..<n).map { _ in g.nextUnitFloat() }
            let one = try w.multiply(x, rows: rows, activation: activation, bias: bias, parallel: false)
            let all = try w.multiply(x, rows: rows, activation: activation, bias: bias, parallel: true)
            #expect(one.map(\.bitPattern) == all.map(\.bitPattern), "\(path) rows \(rows) in \(k) out \(n)")
        }
    }

    /// The output is the dequantized product `Σ_t x̂[i,t]·ŵ[j,t] + b[j]`
    /// (x̂ = s_x(q_x − z_x), ŵ = s_w[j,g]·q_w) up to float rounding. The
    /// kernels compute it as `Σ_g Float(dot_g)·(s_x·s_w) − (s_x·z_x)·c_j + b`
    /// with exact dot_g = Σ q_x·q_w and c_j = Σ_g s_w·S_g (S_g the group's code
    /// sum): each group term has two rounded products (≤ 2u, u = 2⁻²⁴), G − 1
    /// additions, c_j's G roundings, the share's two products, the subtraction
    /// and the bias add, so |y − ŷ| ≤ (2G + 5)·u·M to first order, with M the
    /// sum of the magnitudes the kernels add: Σ_g |term_g| + |s_x·z_x|·Σ_g |s_w·S_g| + |b|.
    /// The test allows (2G + 6)·u·M.
    @Test("within float rounding of the dequantized product", arguments: encodings)
    func matchesDequantizedProduct(encoding: WeightFormat.Encoding) throws {
        var g = SeededGenerator(seed: 43)
        let (rows, k, n) = (5, 784, 40)
        for groupSize in Self.groupSizes {
            let stored = try Self.weights(n, k, encoding, groupSize: groupSize, &g)
            let floats = Distribution.normal(mean: 0.3, standardDeviation: 1).samples(rows * k, using: &g)
            let bias = (0..<n).map { _ in g.nextUnitFloat() - 0.5 }
            var y = [Float](repeating: 0, count: rows * n), workspace = Int8Workspace()
            let activation = try LowBitWeights(stored).forward(floats, rows: rows, bias: bias, into: &y, workspace: &workspace)
            var codes = [UInt8](repeating: 0, count: floats.count)
            try DynamicActivationQuantizer.quantize(floats, with: activation, into: &codes)
            // x̂ and ŵ in Double, exactly (their Float products would round).
            let q = stored.unpackedCodes(), groups = stored.format.groupsPerRow(inFeatures: k)
            let length = groupSize ?? k
            let (sx, z) = (Double(activation.scale), Double(activation.zeroPoint))
            for i in 0..<rows {
                for j in 0..<n {
                    var exact = Double(bias[j]), magnitude = abs(Double(bias[j]))
                    for group in 0..<groups {
                        let sw = Double(stored.scales[j * groups + group])
                        var dot = 0.0, codeSum = 0.0
                        for t in (group * length)..<Swift.min((group + 1) * length, k) {
                            dot += Double(codes[i * k + t]) * Double(q[j * k + t])
                            codeSum += Double(q[j * k + t])
                        }
                        exact += sx * sw * (dot - z * codeSum)
                        magnitude += abs(sx * sw * dot) + abs(sx * z * sw * codeSum)
                    }
                    let bound = Double(2 * groups + 6) * 0x1p-24 * magnitude
                    #expect(abs(Double(y[i * n + j]) - exact) <= bound, "\(stored.format) [\(i), \(j)]")
                }
            }
        }
    }

    /// No inputs: every sum is empty, y = bias (per row: 0·scale + bias); no
    /// rows or no outputs: nothing to write.
    @Test func emptyShapes() throws {
        let activation = try DynamicActivationQuantizer.Parameters(scale: 0.5, zeroPoint: 9)
        for kernel in Int8Kernel.supported {
            for groupSize in [nil, 32] {
                let format = try WeightFormat(.int4, groupSize: groupSize)
                let noInputs = try LowBitWeights(BitPackedWeights(codes: [], outFeatures: 3, inFeatures: 0,
                                                                  scales: groupSize == nil ? [1] : [], format: format),
                                                 kernel: kernel)
                #expect(try noInputs.multiply([], rows: 2, activation: activation, bias: [1, 2, 3]) == [1, 2, 3, 1, 2, 3],
                        "\(kernel) \(format)")
                #expect(try noInputs.multiply([], rows: 1, activation: activation, bias: nil) == [0, 0, 0])
                let noOutputs = try LowBitWeights(BitPackedWeights(codes: [], outFeatures: 0, inFeatures: 40, scales: [],
                                                                   format: format), kernel: kernel)
                #expect(try noOutputs.multiply([UInt8](repeating: 7, count: 80), rows: 2, activation: activation, bias: nil) == [])
                #expect(try noOutputs.multiply([], rows: 0, activation: activation, bias: []) == [])
            }
        }
    }

    @Test func refusesWhatTheKernelsCannotMultiply() throws {
        let int8 = try BitPackedWeights(codes: [1, -1], outFeatures: 1, inFeatures: 2, scales: [1], format: .int8)
        #expect(throws: Int8KernelError.unsupportedLowBitEncoding(.int8)) { try LowBitWeights(int8) }
        let odd = try BitPackedWeights(codes: [1, -1], outFeatures: 1, inFeatures: 2, scales: [1],
                                       format: WeightFormat(.int4, groupSize: 48))
        #expect(throws: Int8KernelError.lowBitGroupSize(48, multiple: 32)) { try LowBitWeights(odd) }
        // No rows, so no memory: only the depth is too large.
        let deep = try BitPackedWeights(codes: [], outFeatures: 0, inFeatures: Int8Kernel.maxInFeatures + 1, scales: [],
                                        format: .int4)
        #expect(throws: Int8KernelError.depthTooLarge(inFeatures: Int8Kernel.maxInFeatures + 1, limit: Int8Kernel.maxInFeatures)) {
            try LowBitWeights(deep)
        }
        // A wrong scale count is refused when the weights are stored.
        #expect(throws: Int8KernelError.groupScaleCount(groupSize: 32, expected: 4, actual: 1)) {
            try BitPackedWeights(codes: [Int8](repeating: 1, count: 66), outFeatures: 2, inFeatures: 33, scales: [1],
                                 format: WeightFormat(.int4, groupSize: 32))
        }
        #expect(Int8KernelError.lowBitGroupSize(48, multiple: 32).description.contains("multiple of 32"))
    }

    @Test func refusesMismatchedBuffers() throws {
        var g = SeededGenerator(seed: 44)
        let w = try LowBitWeights(Self.weights(3, 40, .int2, groupSize: 32, &g))
        let activation = try DynamicActivationQuantizer.Parameters(scale: 0.1, zeroPoint: 3)
        let x = [UInt8](repeating: 1, count: 80)
        #expect(throws: Int8KernelError.sizeMismatch(name: "x", expected: 120, actual: 80)) {
            try w.multiply(x, rows: 3, activation: activation, bias: nil)
        }
        #expect(throws: Int8KernelError.sizeMismatch(name: "bias", expected: 3, actual: 2)) {
            try w.multiply(x, rows: 2, activation: activation, bias: [0, 0])
        }
        #expect(throws: Int8KernelError.negativeDimension(name: "rows", value: -1)) {
            try w.multiply([], rows: -1, activation: activation, bias: nil)
        }
        var y = [Float](repeating: 0, count: 5), workspace = Int8Workspace()
        #expect(throws: Int8KernelError.sizeMismatch(name: "output", expected: 6, actual: 5)) {
            try w.forward([Float](repeating: 0, count: 80), rows: 2, bias: nil, into: &y, workspace: &workspace)
        }
        var y6 = [Float](repeating: 0, count: 6)
        #expect(throws: Int8KernelError.nonFiniteActivations(min: 0, max: .infinity)) {
            try w.forward([.infinity] + [Float](repeating: 0, count: 79), rows: 2, bias: nil, into: &y6, workspace: &workspace)
        }
    }
}
