import Testing
@testable import Quant

/// Binary ({−s, +s}, s = mean|x|) and ternary ({−s, 0, +s}, TWN's scale)
/// schemes, and what 1 bit means for the uniform symmetric grid.
@Suite struct QuantizerBinaryTernaryTests {
    static let binary = try! QuantScheme(bits: 1, mapping: .binary)
    static let ternary = try! QuantScheme(bits: 2, mapping: .ternary)

    /// `Σ|x| / n` in Double, in element order, rounded to Float32.
    static func meanMagnitude(_ values: [Float]) -> Float {
        Float(values.reduce(0.0) { $0 + Double(abs($1)) } / Double(values.count))
    }

    static func data(count: Int, seed: UInt64) -> [Float] {
        var g = SeededGenerator(seed: seed)
        return Distribution.laplace(location: 0.05, scale: 0.3).samples(count, using: &g) + [0, -0.0, 1e-30, -1e-30]
    }

    @Test func binaryCodesAreSignsAndTheScaleIsTheMeanMagnitude() throws {
        let x = Tensor(Self.data(count: 3_000, seed: 1))
        let quantizer = try Quantizer(scheme: Self.binary, observing: x)
        let s = quantizer.params.scales[0]
        #expect(s == Self.meanMagnitude(x.scalars) && quantizer.params.zeroPoints == [0])
        let q = try quantizer.quantize(x)
        #expect(q.scalars.allSatisfy { $0 == 1 || $0 == -1 })
        #expect(q.scalars == x.scalars.map { $0 >= 0 ? 1 : -1 })
        #expect(try quantizer.quantize(Tensor([0, -0.0, -1e-30, 5, -5] as [Float])).scalars == [1, 1, -1, 1, -1])
        let xHat = try quantizer.dequantize(q)
        #expect(xHat.scalars.allSatisfy { $0 == s || $0 == -s })
        #expect(try quantizer.fakeQuantize(x).scalars.map(\.bitPattern) == xHat.scalars.map(\.bitPattern))
        // Error at most s inside [−s, s] (the errorBound), and codes → values → codes.
        #expect(quantizer.errorBound == [s] && quantizer.representableRange() == -s...s)
        for (value, approximation) in zip(x.scalars, xHat.scalars) where abs(value) <= s {
            #expect(abs(value - approximation) <= s)
        }
        let codes = Tensor([-1, 1, 1, -1] as [Int32])
        #expect(try quantizer.quantize(quantizer.dequantize(codes)) == codes)
        #expect(throws: Never.self) { try Self.binary.validate(codes: codes.scalars) }
    }

    /// mean|x| minimises Σ(x − s·sign(x))²: moving the scale either way adds error.
    @Test func theBinaryScaleMinimisesTheSquaredError() throws {
        let x = Tensor(Self.data(count: 5_000, seed: 2))
        let quantizer = try Quantizer(scheme: Self.binary, observing: x)
        let s = quantizer.params.scales[0]
        func error(_ scale: Float) throws -> Double {
            let other = try Quantizer(scheme: Self.binary, params: QuantParams(scale: scale, zeroPoint: 0))
            return try QuantizationErrorStats(original: x, reconstructed: other.fakeQuantize(x)).meanSquaredError
        }
        let best = try error(s)
        for factor: Float in [0.9, 0.99, 1.01, 1.1] { #expect(try error(s * factor) > best) }
    }

    @Test func binaryScalesPerChannelAndPerGroup() throws {
        let x = try Tensor(shape: [5, 784], scalars: Self.data(count: 5 * 784 - 4, seed: 3))
        let rows = try Quantizer(scheme: QuantScheme(bits: 1, mapping: .binary, granularity: .perChannel(axis: 0)), observing: x)
        let groups = try Quantizer(scheme: QuantScheme(bits: 1, mapping: .binary, granularity: .perGroup(axis: 1, size: 128)), observing: x)
        #expect(groups.params.channelCount == 5 * 7)
        for row in 0..<5 {
            let line = Array(x.scalars[(row * 784)..<((row + 1) * 784)])
            #expect(rows.params.scales[row] == Self.meanMagnitude(line))
            for group in 0..<7 {
                let slice = Array(line[(group * 128)..<Swift.min((group + 1) * 128, 784)])   // the last: 16 elements
                #expect(groups.params.scales[row * 7 + group] == Self.meanMagnitude(slice), "row \(row) group \(group)")
            }
        }
        let q = try groups.quantize(x, as: Int8.self)
        #expect(q.scalars.allSatisfy { $0 == 1 || $0 == -1 })
        let fake = try groups.fakeQuantize(x)
        for i in stride(from: 0, to: x.count, by: 37) {
            let scale = groups.params.scales[(i / 784) * 7 + (i % 784) / 128]
            #expect(fake.scalars[i] == (x.scalars[i] >= 0 ? scale : -scale))
        }
        // A column-wise per-channel scheme goes through the per-element (row) loops.
        let columns = try Quantizer(scheme: QuantScheme(bits: 1, mapping: .binary, granularity: .perChannel(axis: 1)), observing: x)
        let columnFake = try columns.fakeQuantize(x)
        #expect(columnFake == (try columns.dequantize(columns.quantize(x))))
        #expect(columns.params.scales[3] == Self.meanMagnitude(stride(from: 3, to: x.count, by: 784).map { x.scalars[$0] }))
    }

    /// TWN on numbers worked by hand: |x| sums to 6 over 8 values, so
    /// Δ = 0.7·0.75 = 0.525; above it are 1, 1.5, 2 and 0.75, whose mean is
    /// 5.25/4 = 1.3125. Codes round x/1.3125 to −1, 0, +1: 0.75/1.3125 ≈ 0.57
    /// gives 1, 0.375/1.3125 ≈ 0.29 gives 0, and 2/1.3125 ≈ 1.52 is clamped to 1.
    @Test func ternaryScaleIsTWNOnAHandComputedExample() throws {
        let x = Tensor([0.125, -0.25, 1, -1.5, 0, 2, -0.375, 0.75] as [Float])
        let quantizer = try Quantizer(scheme: Self.ternary, observing: x)
        #expect(quantizer.params.scales == [1.3125] && quantizer.params.zeroPoints == [0])
        #expect(try quantizer.quantize(x).scalars == [0, 0, 1, -1, 0, 1, 0, 1])
        #expect(try quantizer.fakeQuantize(x).scalars == [0, 0, 1.3125, -1.3125, 0, 1.3125, 0, 1.3125])
        // The codes' threshold is s/2 = 0.65625, not Δ = 0.525: 0.6 lies between the two.
        #expect(try quantizer.quantize(Tensor([0.6, -0.6, 0.7, -0.7, 0.5] as [Float])).scalars == [0, 0, 1, -1, 0])
    }

    @Test func ternaryScalesFollowTheFormulaPerSlice() throws {
        let x = try Tensor(shape: [4, 300], scalars: Self.data(count: 1_196, seed: 4))
        var withZeroRow = x
        for k in 0..<300 { withZeroRow.scalars[2 * 300 + k] = 0 }
        let scheme = try QuantScheme(bits: 2, mapping: .ternary, granularity: .perChannel(axis: 0))
        let quantizer = try Quantizer(scheme: scheme, observing: withZeroRow)
        for row in 0..<4 {
            let line = Array(withZeroRow.scalars[(row * 300)..<((row + 1) * 300)])
            let delta = 0.7 * (line.reduce(0.0) { $0 + Double(abs($1)) } / 300)
            let large = line.filter { Double(abs($0)) > delta }
            let expected = row == 2 ? Float.ulpOfOne : Float(large.reduce(0.0) { $0 + Double(abs($1)) } / Double(large.count))
            #expect(quantizer.params.scales[row] == expected, "row \(row)")
        }
        let q = try quantizer.quantize(withZeroRow)
        #expect(q.scalars.allSatisfy { (-1...1).contains($0) })
        #expect(q.scalars[600..<900].allSatisfy { $0 == 0 })   // the all-zero row stays exactly 0
        // Per group, with a ragged last group (300 = 2·128 + 44).
        let grouped = try Quantizer(scheme: QuantScheme(bits: 2, mapping: .ternary, granularity: .perGroup(axis: 1, size: 128)), observing: x)
        let tail = Array(x.scalars[256..<300])
        let delta = 0.7 * (tail.reduce(0.0) { $0 + Double(abs($1)) } / 44)
        let large = tail.filter { Double(abs($0)) > delta }
        #expect(grouped.params.scales[2] == Float(large.reduce(0.0) { $0 + Double(abs($1)) } / Double(large.count)))
    }

    @Test func ternaryPropertiesHold() throws {
        let x = Tensor(Self.data(count: 4_000, seed: 5))
        for granularity in [QuantScheme.Granularity.perTensor, .perGroup(axis: 0, size: 500)] {
            let quantizer = try Quantizer(scheme: QuantScheme(bits: 2, mapping: .ternary, granularity: granularity), observing: x)
            let q = try quantizer.quantize(x), xHat = try quantizer.dequantize(q)
            #expect(try quantizer.fakeQuantize(x).scalars.map(\.bitPattern) == xHat.scalars.map(\.bitPattern))
            for (i, (value, approximation)) in zip(x.scalars, xHat.scalars).enumerated() {
                let slot = granularity == .perTensor ? 0 : i / 500, s = quantizer.params.scales[slot]
                #expect(q.scalars[i] == QuantizerPropertyTests.reference(value, scale: s, zeroPoint: 0, scheme: quantizer.scheme))
                if abs(value) <= s { #expect(abs(value - approximation) <= s / 2 + abs(value) * 0x1p-22) }
            }
            let zeros = try Tensor(shape: x.shape, repeating: Float(-0.0))
            #expect(try quantizer.fakeQuantize(zeros).scalars.allSatisfy { $0 == 0 })
        }
        let quantizer = try Quantizer(scheme: Self.ternary, observing: x)
        let codes = Tensor([-1, 0, 1] as [Int32])
        #expect(try quantizer.quantize(quantizer.dequantize(codes)) == codes)
        #expect(quantizer.errorBound == [quantizer.params.scales[0] / 2])
    }

    /// `bits: 1` with `.symmetric` is the grid {−1, 0}·s: with an observed
    /// scale (2·max|x|) every value rounds to 0. `.binary` keeps the sign.
    @Test func oneBitSymmetricCollapsesToZeroAndBinaryDoesNot() throws {
        let x = Tensor(Self.data(count: 1_000, seed: 6))
        for signed in [true, false] {
            let scheme = try QuantScheme(bits: 1, signed: signed, mapping: .symmetric(restrictedRange: false))
            #expect(scheme.codeRange == (signed ? -1...0 : 0...1))
            let quantizer = try Quantizer(scheme: scheme, observing: x)
            #expect(quantizer.params.scales[0] == 2 * x.scalars.map(abs).max()!)
            #expect(try quantizer.fakeQuantize(x).scalars.allSatisfy { $0 == 0 })
        }
        let binary = try Quantizer(scheme: Self.binary, observing: x)
        let sqnr = try QuantizationErrorStats(original: x, reconstructed: binary.fakeQuantize(x)).sqnrDecibels
        #expect(sqnr > 0)
    }

    @Test func largeTensorsAreSplitOverThreads() throws {
        let x = try Tensor(shape: [512, 784], scalars: Self.data(count: 512 * 784 - 4, seed: 7))
        let binary = try Quantizer(scheme: QuantScheme(bits: 1, mapping: .binary, granularity: .perGroup(axis: 1, size: 64)), observing: x)
        #expect(try binary.quantize(x, as: Int8.self).scalars.map(Int32.init) == x.scalars.map { $0 >= 0 ? 1 : -1 })
        let ternary = try Quantizer(scheme: QuantScheme(bits: 2, mapping: .ternary, granularity: .perChannel(axis: 0)), observing: x)
        let q = try ternary.quantize(x, as: Int16.self)
        for i in stride(from: 0, to: x.count, by: 101) {
            #expect(Int32(q.scalars[i]) == QuantizerPropertyTests.reference(x.scalars[i], scale: ternary.params.scales[i / 784],
                                                                             zeroPoint: 0, scheme: ternary.scheme))
        }
        var inPlace = x.scalars
        try inPlace.withUnsafeMutableBufferPointer { buffer in
            try binary.fakeQuantize(UnsafeBufferPointer(buffer), shape: x.shape, into: buffer)
        }
        #expect(inPlace == (try binary.dequantize(binary.quantize(x)).scalars))
    }

    @Test func badBinaryAndTernaryUseThrowsDescriptiveErrors() throws {
        #expect(throws: QuantError.mappingNeedsBits(mapping: .binary, bits: 2, required: 1)) { try QuantScheme(bits: 2, mapping: .binary) }
        #expect(throws: QuantError.mappingNeedsBits(mapping: .ternary, bits: 1, required: 2)) { try QuantScheme(bits: 1, mapping: .ternary) }
        #expect(throws: QuantError.mappingNeedsBits(mapping: .ternary, bits: 8, required: 2)) { try QuantScheme(bits: 8, mapping: .ternary) }
        #expect(throws: QuantError.bitsOutOfRange(0)) { try QuantScheme(bits: 0, mapping: .binary) }
        #expect(throws: QuantError.mappingNeedsSignedCodes(.binary)) { try QuantScheme(bits: 1, signed: false, mapping: .binary) }
        #expect(throws: QuantError.mappingNeedsSignedCodes(.ternary)) { try QuantScheme(bits: 2, signed: false, mapping: .ternary) }
        #expect(throws: QuantError.scalesNeedValues(.binary)) { try QuantParams(scheme: Self.binary, min: [-1], max: [1]) }
        var observer = MinMaxObserver(scheme: Self.ternary)
        try observer.observe(Tensor([1, -2] as [Float]))
        #expect(throws: QuantError.scalesNeedValues(.ternary)) { try observer.params() }
        #expect(throws: QuantError.nonFiniteValue(index: 1, value: .infinity)) {
            try QuantParams(scheme: Self.binary, observing: Tensor([1, .infinity, 2] as [Float]))
        }
        #expect(throws: QuantError.self) { try QuantParams(scheme: Self.ternary, observing: Tensor([1, .nan] as [Float])) }
        #expect(throws: QuantError.emptyTensor) { try QuantParams(scheme: Self.ternary, observing: Tensor([Float]())) }
        let quantizer = try Quantizer(scheme: Self.binary, params: QuantParams(scale: 0.5, zeroPoint: 0))
        #expect(throws: QuantError.codeTypeTooNarrow(type: "UInt8", range: -1...1)) { try quantizer.quantize(Tensor([1] as [Float]), as: UInt8.self) }
        #expect(throws: QuantError.nonFiniteValue(index: 0, value: -.infinity)) { try quantizer.quantize(Tensor([-.infinity] as [Float])) }
        #expect(throws: QuantError.self) { try quantizer.fakeQuantize(Tensor([2, .nan] as [Float])) }
        #expect(throws: QuantError.symmetricZeroPointMismatch(channel: 0, zeroPoint: 1, expected: 0)) {
            try Quantizer(scheme: Self.ternary, params: QuantParams(scale: 0.5, zeroPoint: 1))
        }
        #expect(throws: QuantError.notABinaryCode(index: 2)) { try Self.binary.validate(codes: [1, -1, 0]) }
        #expect(throws: QuantError.codeOutOfRange(index: 0, code: 2, range: -1...1)) { try Self.ternary.validate(codes: [2]) }
        #expect(throws: Never.self) { try Self.ternary.validate(codes: [0, 1, -1]) }
        #expect(QuantError.mappingNeedsBits(mapping: .binary, bits: 4, required: 1).description == "binary codes take exactly 1 bit, not 4: use bits: 1")
        #expect(QuantError.scalesNeedValues(.ternary).description.contains("observe the tensor"))
        #expect(QuantError.notABinaryCode(index: 2).description.contains("-1 and +1"))
    }
}
