import Testing
@testable import Quant

/// The fast int8 kernels against the reference: exact equality, every path.
@Suite struct Int8KernelTests {
    /// Every fast path this CPU can run, each forced separately.
    static let paths = Int8Kernel.SIMDPath.allCases.filter(\.isSupported)

    /// (rows, inFeatures, outFeatures): sizes on and off the vector widths
    /// (4/8 bytes of k, 8/16 columns, 4/6-row tiles), and the MLP's layers.
    static let shapes: [(Int, Int, Int)] = [
        (1, 1, 1), (1, 3, 17), (3, 17, 31), (17, 31, 3), (7, 64, 65), (6, 65, 64),
        (13, 5, 33), (2, 784, 65), (5, 128, 10), (1, 256, 128), (31, 9, 47),
    ]

    static func randomCodes(_ count: Int, _ g: inout SeededGenerator) -> [Int8] {
        (0..<count).map { _ in Int8(truncatingIfNeeded: g.next()) }
    }

    static func randomActivations(_ count: Int, _ g: inout SeededGenerator) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: g.next()) }
    }

    @Test("fast accumulate equals the reference exactly", arguments: paths)
    func accumulateMatchesReference(path: Int8Kernel.SIMDPath) throws {
        var g = SeededGenerator(seed: 11)
        for (rows, k, n) in Self.shapes {
            let w = Self.randomCodes(n * k, &g)
            let x = Self.randomActivations(rows * k, &g)
            let packed = try PackedInt8Weights(codes: w, outFeatures: n, inFeatures: k, scales: [0.1], kernel: .fast(path))
            for zeroPoint: Int32 in [0, 255, Int32(g.next() % 256)] {
                let expected = ReferenceInt8Kernel.accumulate(x: x, rows: rows, zeroPoint: zeroPoint,
                                                              weights: w, outFeatures: n, inFeatures: k)
                let fast = try packed.accumulate(x, rows: rows, zeroPoint: zeroPoint)
                #expect(fast == expected, "\(path) rows \(rows) in \(k) out \(n) z \(zeroPoint)")
            }
        }
    }

    @Test("fused rescale is bit-identical to the reference", arguments: paths)
    func multiplyMatchesReference(path: Int8Kernel.SIMDPath) throws {
        var g = SeededGenerator(seed: 12)
        for (rows, k, n) in Self.shapes {
            let w = Self.randomCodes(n * k, &g)
            let x = Self.randomActivations(rows * k, &g)
            let scales = (0..<n).map { _ in 0.001 + g.nextUnitFloat() * 0.01 }
            let bias = (0..<n).map { _ in g.nextUnitFloat() - 0.5 }
            let activation = try DynamicActivationQuantizer.Parameters(scale: 0.0173, zeroPoint: Int32(g.next() % 256))
            for perChannel in [false, true] {
                let s = perChannel ? scales : [scales[0]]
                let reference = try PackedInt8Weights(codes: w, outFeatures: n, inFeatures: k, scales: s, kernel: .reference)
                let fast = try reference.repacked(for: .fast(path))
                for b in [bias, nil] {
                    let want = try product(reference, x, rows, activation, b)
                    let got = try product(fast, x, rows, activation, b)
                    #expect(got.map(\.bitPattern) == want.map(\.bitPattern),
                            "\(path) rows \(rows) in \(k) out \(n) perChannel \(perChannel) bias \(b != nil)")
                }
            }
        }
    }

    /// Codes at the ends of their ranges, where a saturating instruction
    /// (vpmaddubsw) or an int16 accumulator would go wrong.
    @Test("extreme codes and zero-points", arguments: paths)
    func extremeCodes(path: Int8Kernel.SIMDPath) throws {
        let k = 784, n = 17, rows = 3
        // (x code, zero-point, weight code) → each product (x − z)·w.
        let cases: [(UInt8, Int32, Int8)] = [
            (0, 255, -128),    // (−255)·(−128) = +32640, the largest product
            (255, 0, -128),    //  255·(−128)   = −32640, the smallest
            (255, 0, 127), (0, 255, 127), (255, 255, -128), (0, 0, 127),
        ]
        for (code, zeroPoint, weight) in cases {
            let packed = try PackedInt8Weights(codes: [Int8](repeating: weight, count: n * k), outFeatures: n,
                                               inFeatures: k, scales: [1], kernel: .fast(path))
            let acc = try packed.accumulate([UInt8](repeating: code, count: rows * k), rows: rows, zeroPoint: zeroPoint)
            let expected = Int32(k) * (Int32(code) - zeroPoint) * Int32(weight)
            #expect(acc == [Int32](repeating: expected, count: rows * n), "\(path) x \(code) z \(zeroPoint) w \(weight)")
        }
        // Alternating extremes in x and w, against the reference.
        let w = (0..<(n * k)).map { $0 % 3 == 0 ? Int8.min : Int8.max }
        let x = (0..<(rows * k)).map { $0 % 2 == 0 ? UInt8.min : UInt8.max }
        let packed = try PackedInt8Weights(codes: w, outFeatures: n, inFeatures: k, scales: [1], kernel: .fast(path))
        for zeroPoint: Int32 in [0, 128, 255] {
            let expected = ReferenceInt8Kernel.accumulate(x: x, rows: rows, zeroPoint: zeroPoint, weights: w,
                                                          outFeatures: n, inFeatures: k)
            #expect(try packed.accumulate(x, rows: rows, zeroPoint: zeroPoint) == expected)
        }
    }

    /// At the documented depth limit the largest possible sum is exact.
    @Test("no overflow at maxInFeatures", arguments: paths)
    func depthLimit(path: Int8Kernel.SIMDPath) throws {
        let k = Int8Kernel.maxInFeatures, n = 3
        let packed = try PackedInt8Weights(codes: [Int8](repeating: -128, count: n * k), outFeatures: n,
                                           inFeatures: k, scales: [1], kernel: .fast(path))
        let high = try packed.accumulate([UInt8](repeating: 0, count: k), rows: 1, zeroPoint: 255)
        #expect(high == [Int32](repeating: 2_147_483_520, count: n))   // 65793 · 32640
        let low = try packed.accumulate([UInt8](repeating: 255, count: k), rows: 1, zeroPoint: 0)
        #expect(low == [Int32](repeating: -2_147_483_520, count: n))
        #expect(throws: Int8KernelError.depthTooLarge(inFeatures: k + 1, limit: k)) {
            try PackedInt8Weights(codes: [Int8](repeating: 0, count: k + 1), outFeatures: 1, inFeatures: k + 1, scales: [1])
        }
    }

    @Test("a product split over cores equals the single-thread one", arguments: paths)
    func parallelSplit(path: Int8Kernel.SIMDPath) throws {
        var g = SeededGenerator(seed: 13)
        let (rows, k, n) = (67, 200, 97)   // 1.3M multiply–adds: above the threshold
        #expect(rows * k * n >= PackedInt8Weights.parallelThreshold)
        let packed = try PackedInt8Weights(codes: Self.randomCodes(n * k, &g), outFeatures: n, inFeatures: k,
                                           scales: [0.02], kernel: .fast(path))
        let x = Self.randomActivations(rows * k, &g)
        var serial = [Int32](repeating: 0, count: rows * n), split = serial
        try x.withUnsafeBufferPointer { x in
            try serial.withUnsafeMutableBufferPointer {
                try packed.accumulate(x, rows: rows, zeroPoint: 77, into: $0, parallel: false)
            }
            try split.withUnsafeMutableBufferPointer {
                try packed.accumulate(x, rows: rows, zeroPoint: 77, into: $0, parallel: true)
            }
        }
        #expect(serial == split)
        let portable = try packed.repacked(for: .fast(.portable)).accumulate(x, rows: rows, zeroPoint: 77)
        #expect(serial == portable)

        // The float forward pass, whose chunks quantize their own rows, gives
        // the reference's bits.
        let floats = Distribution.normal(mean: 0.2, standardDeviation: 1).samples(rows * k, using: &g)
        let bias = Distribution.normal(mean: 0, standardDeviation: 1).samples(n, using: &g)
        var workspace = Int8Workspace()
        var fast = [Float](repeating: 0, count: rows * n), reference = fast
        let p = try packed.forward(floats, rows: rows, bias: bias, into: &fast, workspace: &workspace, parallel: true)
        let q = try packed.repacked(for: .reference).forward(floats, rows: rows, bias: bias, into: &reference,
                                                             workspace: &workspace)
        #expect(p == q)
        #expect(fast.map(\.bitPattern) == reference.map(\.bitPattern))
    }

    /// A product of few rows (batch 1) is split by 16-column panels; the
    /// chunks, the last one partial (1000 = 62·16 + 8), give the reference's bits.
    @Test("a few-row product split by columns equals the reference", arguments: paths)
    func columnSplit(path: Int8Kernel.SIMDPath) throws {
        var g = SeededGenerator(seed: 14)
        let (rows, k, n) = (2, 600, 1000)
        #expect(rows * k * n >= PackedInt8Weights.parallelThreshold)
        let scales = (0..<n).map { _ in 0.001 + g.nextUnitFloat() * 0.01 }
        let packed = try PackedInt8Weights(codes: Self.randomCodes(n * k, &g), outFeatures: n, inFeatures: k,
                                           scales: scales, kernel: .fast(path))
        let floats = Distribution.normal(mean: 0.2, standardDeviation: 1).samples(rows * k, using: &g)
        let bias = Distribution.normal(mean: 0, standardDeviation: 1).samples(n, using: &g)
        var workspace = Int8Workspace()
        var fast = [Float](repeating: 0, count: rows * n), reference = fast
        try packed.forward(floats, rows: rows, bias: bias, into: &fast, workspace: &workspace, parallel: true)
        try packed.repacked(for: .reference).forward(floats, rows: rows, bias: bias, into: &reference, workspace: &workspace)
        #expect(fast.map(\.bitPattern) == reference.map(\.bitPattern))
    }

    /// The ReLU the kernels apply as they store (DynamicQuantizedLinear
    /// followed by ReLU in a Sequential) gives the bits of the product
    /// followed by ReLU's own pass, −0 and all; on one thread, split by rows
    /// and split by columns.
    @Test("fused ReLU equals the product followed by ReLU, bit for bit", arguments: paths)
    func fusedReLU(path: Int8Kernel.SIMDPath) throws {
        var g = SeededGenerator(seed: 15)
        for (rows, k, n) in Self.shapes + [(64, 300, 100), (2, 600, 1000)] {
            let scales = (0..<n).map { _ in 0.001 + g.nextUnitFloat() * 0.01 }
            let packed = try PackedInt8Weights(codes: Self.randomCodes(n * k, &g), outFeatures: n, inFeatures: k,
                                               scales: scales, kernel: .fast(path))
            let floats = Distribution.normal(mean: 0, standardDeviation: 1).samples(rows * k, using: &g)
            // Half the biases −0, so that outputs of −0 occur (acc = 0) and must stay −0.
            let bias = (0..<n).map { j in j % 2 == 0 ? -0.0 : g.nextUnitFloat() - 0.5 }
            var workspace = Int8Workspace()
            var fused = [Float](repeating: .nan, count: rows * n), separate = fused
            try packed.forward(floats, rows: rows, bias: bias, into: &fused, workspace: &workspace, applyingReLU: true)
            try packed.forward(floats, rows: rows, bias: bias, into: &separate, workspace: &workspace)
            let layer = ReLU(features: n)
            var scratch = LayerScratch()
            separate.withUnsafeMutableBufferPointer { y in layer.forward(y.baseAddress!, into: y.baseAddress!, rows: rows, scratch: &scratch) }
            #expect(fused.map(\.bitPattern) == separate.map(\.bitPattern), "\(path) rows \(rows) in \(k) out \(n)")
            #expect(fused.allSatisfy { !($0 < 0) })
        }
    }

    @Test func emptyShapes() throws {
        var workspace = Int8Workspace()
        for kernel in Int8Kernel.supported {
            let noInputs = try PackedInt8Weights(codes: [], outFeatures: 3, inFeatures: 0, scales: [1], kernel: kernel)
            #expect(try noInputs.accumulate([], rows: 2, zeroPoint: 9) == [0, 0, 0, 0, 0, 0])
            let noRows = try PackedInt8Weights(codes: [1, 2], outFeatures: 1, inFeatures: 2, scales: [1], kernel: kernel)
            #expect(try noRows.accumulate([], rows: 0, zeroPoint: 0) == [])
            // No inputs at all: y is the bias (buffers without an address included).
            var y: [Float] = [7, 7, 7, 7, 7, 7]
            try y.withUnsafeMutableBufferPointer { y in
                try noInputs.forward(UnsafeBufferPointer(start: nil, count: 0), rows: 2, bias: [1, 2, 3],
                                     into: y, workspace: &workspace)
                try noInputs.multiply(UnsafeBufferPointer(start: nil, count: 0), rows: 2,
                                      activation: .init(scale: 1, zeroPoint: 3), bias: nil, into: y)
            }
            #expect(y == [0, 0, 0, 0, 0, 0])
            try y.withUnsafeMutableBufferPointer { y in
                _ = try noInputs.forward(UnsafeBufferPointer(start: nil, count: 0), rows: 2, bias: [1, 2, 3],
                                         into: y, workspace: &workspace)
            }
            #expect(y == [1, 2, 3, 1, 2, 3])
        }
    }

    @Test func badInputsThrowDescriptiveErrors() throws {
        #expect(throws: Int8KernelError.sizeMismatch(name: "codes", expected: 6, actual: 5)) {
            try PackedInt8Weights(codes: [1, 2, 3, 4, 5], outFeatures: 2, inFeatures: 3, scales: [1])
        }
        #expect(throws: Int8KernelError.scaleCount(expectedPerChannel: 2, actual: 3)) {
            try PackedInt8Weights(codes: [1, 2, 3, 4, 5, 6], outFeatures: 2, inFeatures: 3, scales: [1, 1, 1])
        }
        #expect(throws: Int8KernelError.invalidScale(name: "scales", index: 1, value: 0)) {
            try PackedInt8Weights(codes: [1, 2, 3, 4, 5, 6], outFeatures: 2, inFeatures: 3, scales: [1, 0])
        }
        #expect(throws: Int8KernelError.negativeDimension(name: "outFeatures", value: -1)) {
            try PackedInt8Weights(codes: [], outFeatures: -1, inFeatures: 3, scales: [1])
        }
        let packed = try PackedInt8Weights(codes: [1, 2, 3, 4, 5, 6], outFeatures: 2, inFeatures: 3, scales: [1])
        #expect(throws: Int8KernelError.sizeMismatch(name: "x", expected: 6, actual: 5)) {
            try packed.accumulate([1, 2, 3, 4, 5], rows: 2, zeroPoint: 0)
        }
        #expect(throws: Int8KernelError.zeroPointOutOfRange(256)) {
            try packed.accumulate([1, 2, 3], rows: 1, zeroPoint: 256)
        }
        let activation = try DynamicActivationQuantizer.Parameters(scale: 1, zeroPoint: 0)
        var y = [Float](repeating: 0, count: 2)
        #expect(throws: Int8KernelError.sizeMismatch(name: "bias", expected: 2, actual: 1)) {
            try [UInt8](arrayLiteral: 1, 2, 3).withUnsafeBufferPointer { x in
                try y.withUnsafeMutableBufferPointer {
                    try packed.multiply(x, rows: 1, activation: activation, bias: [0], into: $0)
                }
            }
        }
        let message = Int8KernelError.depthTooLarge(inFeatures: 70_000, limit: 65_793).description
        #expect(message.contains("70000") && message.contains("65793"))
        for path in Int8Kernel.SIMDPath.allCases where !path.isSupported {
            #expect(throws: Int8KernelError.unsupportedKernel(.fast(path), supported: Int8Kernel.supported)) {
                try packed.repacked(for: .fast(path))
            }
        }
    }

    @Test func kernelsAreListedAndTheBestIsSupported() {
        #expect(Int8Kernel.supported.first == .reference)
        #expect(Int8Kernel.supported.contains(.fast(.portable)))
        #expect(Int8Kernel.fastest.isSupported)
        #expect(Int8Kernel.fastest == .fast(Self.paths.last!))
        #expect(Int8Kernel.fast(.avx512VNNI).description == "fast/avx512vnni")
    }

    /// `y` for codes `x` through `packed`'s kernel.
    private func product(
        _ packed: PackedInt8Weights, _ x: [UInt8], _ rows: Int,
        _ activation: DynamicActivationQuantizer.Parameters, _ bias: [Float]?
    ) throws -> [Float] {
        var y = [Float](repeating: .nan, count: rows * packed.outFeatures)
        try x.withUnsafeBufferPointer { x in
            try y.withUnsafeMutableBufferPointer {
                try packed.multiply(x, rows: rows, activation: activation, bias: bias, into: $0)
            }
        }
        return y
    }
}
