import Testing
@testable import Quant

/// Per-group granularity: one scale and zero-point per run of `size`
/// consecutive elements along an axis, the ragged last group, the order of
/// the parameters, and the limits size 1 and size ≥ K.
@Suite struct QuantizerGroupTests {
    /// The parameter slot of flat element `index`, straight from the rule:
    /// the element's multi-index with `i_axis` replaced by `i_axis / size`,
    /// flattened row-major over the shape with `shape[axis]` replaced by the
    /// group count.
    static func slot(of index: Int, shape: [Int], axis: Int, size: Int) -> Int {
        var rest = index, multiIndex = [Int](repeating: 0, count: shape.count)
        for k in shape.indices.reversed() {
            multiIndex[k] = rest % shape[k]
            rest /= shape[k]
        }
        var parameterShape = shape
        parameterShape[axis] = (shape[axis] + size - 1) / size
        multiIndex[axis] /= size
        return zip(multiIndex, parameterShape).reduce(0) { $0 * $1.1 + $1.0 }
    }

    /// The elements of each slot, in element order.
    static func slots(shape: [Int], axis: Int, size: Int) -> [[Int]] {
        let count = shape.reduce(1, *)
        var parameterShape = shape
        parameterShape[axis] = (shape[axis] + size - 1) / size
        var members = [[Int]](repeating: [], count: parameterShape.reduce(1, *))
        for i in 0..<count { members[slot(of: i, shape: shape, axis: axis, size: size)].append(i) }
        return members
    }

    /// Normal data whose scale changes along every axis, so that each group has its own range.
    static func data(shape: [Int], seed: UInt64) -> Tensor<Float> {
        var g = SeededGenerator(seed: seed)
        let count = shape.reduce(1, *)
        var values = Distribution.normal(mean: 0.2, standardDeviation: 1).samples(count, using: &g)
        for i in values.indices { values[i] *= Float(1 + (i * 7919) % 13) }
        return try! Tensor(shape: shape, scalars: values)
    }

    @Test(arguments: [([4, 512], 1, 128), ([4, 784], 1, 128), ([3, 10, 4], 1, 3), ([9, 5], 0, 4), ([2, 7, 3], 2, 2)])
    func eachGroupIsQuantizedAsItsOwnTensor(shape: [Int], axis: Int, size: Int) throws {
        let x = Self.data(shape: shape, seed: UInt64(shape.reduce(1, *)))
        let members = Self.slots(shape: shape, axis: axis, size: size)
        for bits in [2, 4, 8] {
            for scheme in QuantizerPropertyTests.schemes(bits: bits, granularity: .perGroup(axis: axis, size: size)) {
                let quantizer = try Quantizer(scheme: scheme, observing: x)
                #expect(quantizer.params.channelCount == members.count)
                #expect(try scheme.parameterCount(for: shape) == members.count)
                let q = try quantizer.quantize(x), xHat = try quantizer.dequantize(q), fake = try quantizer.fakeQuantize(x)
                let flat = try QuantScheme(bits: bits, signed: scheme.isSigned, mapping: scheme.mapping)
                for (slot, indices) in members.enumerated() {
                    let group = Tensor(indices.map { x.scalars[$0] })
                    let single = try Quantizer(scheme: flat, observing: group)
                    #expect(single.params.scales[0] == quantizer.params.scales[slot], "\(scheme) group \(slot)")
                    #expect(single.params.zeroPoints[0] == quantizer.params.zeroPoints[slot], "\(scheme) group \(slot)")
                    #expect(try single.quantize(group).scalars == indices.map { q.scalars[$0] }, "\(scheme) group \(slot)")
                    #expect(try single.fakeQuantize(group).scalars == indices.map { xHat.scalars[$0] })
                }
                #expect(fake.scalars.map(\.bitPattern) == xHat.scalars.map(\.bitPattern))
            }
        }
    }

    /// K = 784 in groups of 128: six groups of 128 and a last one of 16, whose
    /// scale is max|x| over those 16 elements divided by qmax.
    @Test func raggedLastGroupHasItsOwnScale() throws {
        var x = Self.data(shape: [3, 784], seed: 784)
        for row in 0..<3 {
            for k in 768..<784 { x.scalars[row * 784 + k] *= 0.01 }   // a small tail, far from the row's range
        }
        let scheme = try QuantScheme(bits: 4, mapping: .symmetric(restrictedRange: true), granularity: .perGroup(axis: 1, size: 128))
        #expect(scheme.qmax == 7)
        let quantizer = try Quantizer(scheme: scheme, observing: x)
        #expect(quantizer.params.channelCount == 3 * 7)
        for row in 0..<3 {
            for group in 0..<7 {
                let elements = (group * 128)..<Swift.min((group + 1) * 128, 784)
                #expect(elements.count == (group == 6 ? 16 : 128))
                let maxAbs = elements.map { abs(x.scalars[row * 784 + $0]) }.max()!
                #expect(quantizer.params.scales[row * 7 + group] == maxAbs / Float(scheme.qmax), "row \(row) group \(group)")
            }
            let rowMax = x.scalars[(row * 784)..<((row + 1) * 784)].map(abs).max()!
            #expect(quantizer.params.scales[row * 7 + 6] < rowMax / 7 / 10)
        }
        // The tail's codes use its own scale: its largest value reaches the top code.
        let q = try quantizer.quantize(x)
        let tail = (768..<784).map { q.scalars[$0] }
        #expect(tail.contains(7) || tail.contains(-7))
    }

    @Test func groupsOfOneGiveEveryElementItsOwnParameters() throws {
        let x = Self.data(shape: [3, 4, 5], seed: 1)
        for axis in 0..<3 {
            let scheme = try QuantScheme(bits: 8, granularity: .perGroup(axis: axis, size: 1))
            let quantizer = try Quantizer(scheme: scheme, observing: x)
            #expect(quantizer.params.channelCount == x.count)
            for (i, value) in x.scalars.enumerated() {
                let single = try QuantParams(scheme: QuantScheme(bits: 8), observing: Tensor([value]))
                #expect(quantizer.params.scales[i] == single.scales[0] && quantizer.params.zeroPoints[i] == single.zeroPoints[0])
            }
        }
    }

    /// A group that covers the whole axis is per-channel along the other axis of a matrix.
    @Test(arguments: [0, 1])
    func groupsCoveringTheAxisArePerChannel(axis: Int) throws {
        let x = Self.data(shape: [6, 11], seed: 2)
        for size in [x.shape[axis], x.shape[axis] + 5, 1_000] {
            for scheme in QuantizerPropertyTests.schemes(bits: 4, granularity: .perGroup(axis: axis, size: size)) {
                let grouped = try Quantizer(scheme: scheme, observing: x)
                let perChannel = try Quantizer(scheme: QuantScheme(bits: 4, signed: scheme.isSigned, mapping: scheme.mapping,
                                                                   granularity: .perChannel(axis: 1 - axis)), observing: x)
                #expect(grouped.params == perChannel.params, "\(scheme)")
                #expect(try grouped.quantize(x) == perChannel.quantize(x), "\(scheme)")
                #expect(try grouped.fakeQuantize(x) == perChannel.fakeQuantize(x), "\(scheme)")
            }
        }
    }

    @Test(arguments: 1...16)
    func propertiesHoldInEveryGroup(bits: Int) throws {
        let shape = [3, 20, 6]
        let x = Self.data(shape: shape, seed: 300 + UInt64(bits))
        for (axis, size) in [(1, 7), (2, 4), (0, 2)] {
            let members = Self.slots(shape: shape, axis: axis, size: size)
            var slotOf = [Int](repeating: 0, count: x.count)
            for (slot, indices) in members.enumerated() { for i in indices { slotOf[i] = slot } }
            for scheme in QuantizerPropertyTests.schemes(bits: bits, granularity: .perGroup(axis: axis, size: size)) {
                let quantizer = try Quantizer(scheme: scheme, observing: x)
                let q = try quantizer.quantize(x), xHat = try quantizer.dequantize(q)
                for i in x.scalars.indices {
                    let slot = slotOf[i], scale = quantizer.params.scales[slot], zp = quantizer.params.zeroPoints[slot]
                    let value = x.scalars[i], approximation = xHat.scalars[i]
                    // The definition, element for element.
                    #expect(q.scalars[i] == QuantizerPropertyTests.reference(value, scale: scale, zeroPoint: zp, scheme: scheme))
                    // Within scale/2 (plus the rounding of x·(1/scale)): inside the group's
                    // representable range, and outside it, where values are clamped to the
                    // nearest end — an observed range reaches at most half a step beyond it.
                    #expect(abs(value - approximation) <= scale / 2 + abs(value) * 0x1p-22, "\(scheme) x=\(value)")
                    let range = quantizer.representableRange(channel: slot)
                    if !range.contains(value) {
                        #expect(approximation == (value < 0 ? range.lowerBound : range.upperBound), "\(scheme) x=\(value)")
                    }
                }
                // Zero is exact and grid values round-trip (code → value → code) in every group.
                let zeros = try Tensor(shape: shape, repeating: Float(0))
                let codes = Array(scheme.qmin...scheme.qmax)
                let gridCodes = try Tensor(shape: shape, scalars: x.scalars.indices.map { codes[($0 * 31) % codes.count] })
                let grid = try quantizer.dequantize(gridCodes)
                #expect(try quantizer.fakeQuantize(zeros) == zeros, "\(scheme)")
                #expect(try quantizer.quantize(zeros).scalars == slotOf.map { quantizer.params.zeroPoints[$0] })
                #expect(try quantizer.quantize(grid) == gridCodes, "\(scheme)")
                #expect(try quantizer.fakeQuantize(grid) == grid, "\(scheme)")
            }
        }
    }

    @Test func rangesFollowTheDocumentedOrder() throws {
        let w = try Tensor(shape: [2, 5], scalars: [1, -2, 3, 0.5, 7, 0.25, -4, 2, 2, -1] as [Float])
        let range = try TensorRange(of: w, granularity: .perGroup(axis: 1, size: 2))
        #expect(range.min == [-2, 0.5, 7, -4, 2, -1] && range.max == [1, 3, 7, 0.25, 2, -1])
        // Along axis 0 of [5, 2] (rows [1, -2], [3, 0.5], [7, 0.25], [-4, 2], [2, -1])
        // in groups of 2 rows: index g·2 + column, the last group one row.
        let t = try w.reshaped(to: [5, 2])
        let columns = try TensorRange(of: t, granularity: .perGroup(axis: 0, size: 2))
        #expect(columns.min == [1, -2, -4, 0.25, 2, -1] && columns.max == [3, 0.5, 7, 2, 2, -1])
        // Any rank and axis: the brute-force rule.
        for (shape, axis, size) in [([2, 5, 3], 1, 2), ([3, 4, 2, 3], 2, 1), ([3, 4, 2, 3], 0, 2), ([2, 3, 7], 2, 3)] {
            let x = Self.data(shape: shape, seed: 4)
            let observed = try TensorRange(of: x, granularity: .perGroup(axis: axis, size: size))
            let members = Self.slots(shape: shape, axis: axis, size: size)
            #expect(observed.min == members.map { $0.map { x.scalars[$0] }.min()! }, "\(shape) axis \(axis)")
            #expect(observed.max == members.map { $0.map { x.scalars[$0] }.max()! }, "\(shape) axis \(axis)")
        }
    }

    @Test func largeTensorsAreSplitOverThreadsExactly() throws {
        // 600 × 784 = 470 400 elements: several chunks, whose boundaries fall inside groups.
        let x = Self.data(shape: [600, 784], seed: 9)
        for (axis, size) in [(1, 128), (0, 64), (1, 1)] {
            let scheme = try QuantScheme(bits: 4, mapping: .symmetric(restrictedRange: false), granularity: .perGroup(axis: axis, size: size))
            let quantizer = try Quantizer(scheme: scheme, observing: x)
            let range = try TensorRange(of: x, granularity: scheme.granularity)
            var lower = [Float](repeating: .infinity, count: range.min.count), upper = [Float](repeating: -.infinity, count: range.min.count)
            for (i, value) in x.scalars.enumerated() {
                let slot = Self.slot(of: i, shape: x.shape, axis: axis, size: size)
                lower[slot] = Swift.min(lower[slot], value)
                upper[slot] = Swift.max(upper[slot], value)
            }
            #expect(range.min == lower && range.max == upper, "axis \(axis) size \(size)")
            let codes = try quantizer.quantize(x, as: Int8.self)
            let fake = try quantizer.fakeQuantize(x)
            for i in stride(from: 0, to: x.count, by: 613) {
                let slot = Self.slot(of: i, shape: x.shape, axis: axis, size: size)
                let expected = QuantizerPropertyTests.reference(x.scalars[i], scale: quantizer.params.scales[slot], zeroPoint: 0, scheme: scheme)
                #expect(Int32(codes.scalars[i]) == expected)
                #expect(fake.scalars[i] == Float(expected) * quantizer.params.scales[slot])
            }
        }
    }

    @Test func observerAccumulatesGroupsAndBufferFormsAgree() throws {
        let scheme = try QuantScheme(bits: 3, signed: true, granularity: .perGroup(axis: 1, size: 3))
        let a = Self.data(shape: [4, 8], seed: 11), b = Self.data(shape: [4, 8], seed: 12)
        var observer = MinMaxObserver(scheme: scheme)
        try observer.observe(a)
        try observer.observe(b)
        var union = try TensorRange(of: a, granularity: scheme.granularity)
        try union.formUnion(TensorRange(of: b, granularity: scheme.granularity))
        #expect(observer.range == union)
        let quantizer = try observer.quantizer()
        #expect(quantizer.params.channelCount == 4 * 3)
        var codes = [Int8](repeating: 0, count: a.count), values = [Float](repeating: 0, count: a.count)
        try a.scalars.withUnsafeBufferPointer { input in
            try codes.withUnsafeMutableBufferPointer { try quantizer.quantize(input, shape: a.shape, into: $0) }
        }
        try codes.withUnsafeBufferPointer { q in
            try values.withUnsafeMutableBufferPointer { try quantizer.dequantize(q, shape: a.shape, into: $0) }
        }
        #expect(codes.map(Int32.init) == (try quantizer.quantize(a).scalars))
        #expect(values == (try quantizer.fakeQuantize(a).scalars))
    }

    @Test func badGroupsThrowDescriptiveErrors() throws {
        #expect(throws: QuantError.groupSizeOutOfRange(0)) { try QuantScheme(bits: 4, granularity: .perGroup(axis: 1, size: 0)) }
        #expect(throws: QuantError.groupSizeOutOfRange(-3)) { try QuantScheme(bits: 4, granularity: .perGroup(axis: 1, size: -3)) }
        #expect(throws: QuantError.negativeAxis(-1)) { try QuantScheme(bits: 4, granularity: .perGroup(axis: -1, size: 8)) }
        #expect(throws: QuantError.negativeAxis(-2)) { try QuantScheme(bits: 4, granularity: .perChannel(axis: -2)) }
        let scheme = try QuantScheme(bits: 4, granularity: .perGroup(axis: 2, size: 8))
        #expect(throws: QuantError.axisOutOfBounds(axis: 2, rank: 2)) { try QuantParams(scheme: scheme, observing: Tensor(shape: [2, 3], repeating: 1)) }
        #expect(throws: QuantError.axisOutOfBounds(axis: 2, rank: 2)) { try scheme.parameterCount(for: [2, 3]) }
        let rows = try QuantScheme(bits: 4, granularity: .perGroup(axis: 1, size: 128))
        let quantizer = try Quantizer(scheme: rows, params: QuantParams(scales: [1, 1, 1], zeroPoints: [0, 0, 0]))
        #expect(throws: QuantError.groupCountMismatch(parameterCount: 3, groupCount: 14)) {
            try quantizer.quantize(Tensor(shape: [2, 784], repeating: 0.5))
        }
        #expect(throws: QuantError.emptyTensor) { try QuantParams(scheme: rows, observing: Tensor(shape: [2, 0], repeating: 1)) }
        #expect(QuantError.groupSizeOutOfRange(0).description.contains("at least 1 element"))
        #expect(QuantError.negativeAxis(-1).description.contains("axis -1 is negative"))
        #expect(QuantError.groupCountMismatch(parameterCount: 3, groupCount: 14).description.contains("3 group(s)"))
    }
}
