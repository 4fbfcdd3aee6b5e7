import Testing
@testable import Quant

/// The quantizer's exact properties, swept over every bit width and scheme.
@Suite struct QuantizerPropertyTests {
    /// Every mapping/range combination at `bits`.
    static func schemes(bits: Int, granularity: QuantScheme.Granularity = .perTensor) -> [QuantScheme] {
        var schemes = [
            try! QuantScheme(bits: bits, signed: false, mapping: .affine, granularity: granularity),
            try! QuantScheme(bits: bits, signed: true, mapping: .affine, granularity: granularity),
            try! QuantScheme(bits: bits, signed: true, mapping: .symmetric(restrictedRange: false), granularity: granularity),
            try! QuantScheme(bits: bits, signed: false, mapping: .symmetric(restrictedRange: false), granularity: granularity),
        ]
        if bits >= 2 {
            schemes.append(try! QuantScheme(bits: bits, signed: true, mapping: .symmetric(restrictedRange: true), granularity: granularity))
        }
        return schemes
    }

    /// The definition, written independently of the kernels: multiply by the
    /// Float32 reciprocal, round half to even, add the zero-point, clamp.
    static func reference(_ x: Float, scale: Float, zeroPoint: Int32, scheme: QuantScheme) -> Int32 {
        let t = (x * (1 / scale)).rounded(.toNearestOrEven)
        let code = t < -1e9 ? -1e9 : t > 1e9 ? 1e9 : t
        return Swift.min(Swift.max(Int32(code) + zeroPoint, scheme.qmin), scheme.qmax)
    }

    static func data(seed: UInt64, count: Int) -> [Float] {
        var g = SeededGenerator(seed: seed)
        var x = Distribution.normal(mean: 0.3, standardDeviation: 1.5).samples(count, using: &g)
        x += Distribution.laplace(location: 0, scale: 0.1).samples(count / 4, using: &g)
        x += [0, -0.0, 1, -1, 0.5]
        return x
    }

    @Test(arguments: 1...16)
    func propertiesHoldForEveryScheme(bits: Int) throws {
        let x = Tensor(Self.data(seed: UInt64(bits), count: 2_000))
        for scheme in Self.schemes(bits: bits) {
            let quantizer = try Quantizer(scheme: scheme, observing: x)
            let scale = quantizer.params.scales[0], zp = quantizer.params.zeroPoints[0]
            let q = try quantizer.quantize(x)
            let xHat = try quantizer.dequantize(q)

            // The codes are the definition's, element for element.
            #expect(q.scalars == x.scalars.map { Self.reference($0, scale: scale, zeroPoint: zp, scheme: scheme) }, "\(scheme)")
            #expect(q.scalars.allSatisfy { scheme.codeRange.contains($0) })

            // Zero is exact.
            let zero = try quantizer.quantize(Tensor([0, -0.0] as [Float]))
            #expect(zero.scalars == [zp, zp], "\(scheme)")
            #expect(try quantizer.dequantize(zero).scalars == [0, 0])
            #expect(try quantizer.fakeQuantize(Tensor([0] as [Float])).scalars == [0])

            // Error within scale/2 inside the representable range (plus the
            // rounding of x·(1/scale): |x|·2⁻²²), clamping outside it.
            let range = quantizer.representableRange()
            for (value, approximation) in zip(x.scalars, xHat.scalars) {
                if range.contains(value) {
                    #expect(abs(value - approximation) <= scale / 2 + abs(value) * 0x1p-22, "\(scheme) x=\(value)")
                } else {
                    #expect(approximation == (value < 0 ? range.lowerBound : range.upperBound), "\(scheme) x=\(value)")
                }
            }
            let outside = try quantizer.quantize(Tensor([range.lowerBound - 3 * scale, range.upperBound + 3 * scale, -1e30, 1e30]))
            #expect(outside.scalars == [scheme.qmin, scheme.qmax, scheme.qmin, scheme.qmax], "\(scheme)")

            // Monotone.
            let sorted = x.scalars.sorted()
            let sortedCodes = try quantizer.quantize(Tensor(sorted)).scalars
            #expect(zip(sortedCodes, sortedCodes.dropFirst()).allSatisfy { $0 <= $1 }, "\(scheme)")

            // Fake-quantize is dequantize ∘ quantize, bit for bit.
            #expect(try quantizer.fakeQuantize(x).scalars.map(\.bitPattern) == xHat.scalars.map(\.bitPattern))
        }
    }

    @Test(arguments: 1...16)
    func gridValuesRoundTrip(bits: Int) throws {
        for scheme in Self.schemes(bits: bits) {
            let x = Tensor(Self.data(seed: 100 + UInt64(bits), count: 500))
            let quantizer = try Quantizer(scheme: scheme, observing: x)
            let codes = Tensor(Array(scheme.qmin...scheme.qmax))
            let values = try quantizer.dequantize(codes)
            #expect(try quantizer.quantize(values) == codes, "\(scheme)")
            #expect(try quantizer.fakeQuantize(values) == values, "\(scheme)")
        }
    }

    @Test(arguments: [1, 4, 8, 12, 16])
    func narrowCodeTypesMatchInt32(bits: Int) throws {
        let x = Tensor(Self.data(seed: 7, count: 3_000))
        for scheme in Self.schemes(bits: bits) {
            let quantizer = try Quantizer(scheme: scheme, observing: x)
            let wide = try quantizer.quantize(x)
            func check<Code: QuantizedCode>(_ type: Code.Type) throws {
                guard Code.min <= scheme.qmin && Code.max >= scheme.qmax else {
                    #expect(throws: QuantError.codeTypeTooNarrow(type: "\(Code.self)", range: scheme.codeRange)) {
                        try quantizer.quantize(x, as: Code.self)
                    }
                    return
                }
                let narrow = try quantizer.quantize(x, as: Code.self)
                #expect(narrow.scalars.map { Int32($0) } == wide.scalars, "\(scheme) as \(Code.self)")
                #expect(try quantizer.dequantize(narrow) == quantizer.dequantize(wide))
            }
            try check(Int8.self)
            try check(UInt8.self)
            try check(Int16.self)
            try check(UInt16.self)
        }
    }

    @Test(arguments: [0, 1, 2])
    func perChannelEqualsPerTensorOnEachSlice(axis: Int) throws {
        let shape = [3, 50, 4]
        var g = SeededGenerator(seed: 11)
        var values = Distribution.normal(mean: 0, standardDeviation: 1).samples(600, using: &g)
        // Very different ranges per index along every axis.
        for i in values.indices { values[i] *= Float(1 + (i / 200) * 10 + (i % 4) * 3) }
        let x = try Tensor(shape: shape, scalars: values)
        for bits in [2, 8] {
            for scheme in Self.schemes(bits: bits, granularity: .perChannel(axis: axis)) {
                let quantizer = try Quantizer(scheme: scheme, observing: x)
                #expect(quantizer.params.channelCount == shape[axis])
                let q = try quantizer.quantize(x)
                let xHat = try quantizer.dequantize(q)
                let fake = try quantizer.fakeQuantize(x)
                let strides = x.strides
                for c in 0..<shape[axis] {
                    let indices = x.scalars.indices.filter { ($0 / strides[axis]) % shape[axis] == c }
                    let slice = Tensor(indices.map { x.scalars[$0] })
                    let flat = try QuantScheme(bits: bits, signed: scheme.isSigned, mapping: scheme.mapping)
                    let single = try Quantizer(scheme: flat, observing: slice)
                    #expect(single.params.scales[0] == quantizer.params.scales[c])
                    #expect(single.params.zeroPoints[0] == quantizer.params.zeroPoints[c])
                    #expect(try single.quantize(slice).scalars == indices.map { q.scalars[$0] }, "\(scheme) channel \(c)")
                    #expect(try single.dequantize(single.quantize(slice)).scalars == indices.map { xHat.scalars[$0] })
                    #expect(indices.map { fake.scalars[$0] } == indices.map { xHat.scalars[$0] })
                }
            }
        }
    }

    @Test func largeTensorsMatchTheDefinition() throws {
        // Split over threads, per-tensor and per-channel along the last axis.
        let x = Tensor(Self.data(seed: 5, count: 400_000))
        let quantizer = try Quantizer(scheme: QuantScheme(bits: 8), observing: x)
        let q = try quantizer.quantize(x, as: UInt8.self)
        let s = quantizer.params.scales[0], zp = quantizer.params.zeroPoints[0]
        #expect(q.scalars.map(Int32.init) == x.scalars.map { Self.reference($0, scale: s, zeroPoint: zp, scheme: quantizer.scheme) })
        let matrix = try x.reshaped(to: [x.count / 5, 5])
        let perColumn = try Quantizer(scheme: QuantScheme(bits: 4, mapping: .symmetric(restrictedRange: true), granularity: .perChannel(axis: 1)),
                                      observing: matrix)
        let codes = try perColumn.quantize(matrix, as: Int8.self)
        for (i, code) in codes.scalars.enumerated() where i % 997 == 0 {
            let c = i % 5
            #expect(Int32(code) == Self.reference(matrix.scalars[i], scale: perColumn.params.scales[c], zeroPoint: 0, scheme: perColumn.scheme))
        }
    }
}
