import Testing
@testable import Quant

/// PyTorch's `MinMaxObserver` conventions on hand-checked cases. The
/// expected values are worked out by hand from `_calculate_qparams` (and
/// agree with PyTorch 2.15; `Scripts/check_against_pytorch.py` checks the
/// full sweep bit for bit).
@Suite struct QuantParamsTests {
    let uint8 = try! QuantScheme(bits: 8)
    let int8Symmetric = try! QuantScheme(bits: 8, mapping: .symmetric(restrictedRange: false))

    @Test func affineRangeIncludingZero() throws {
        let p = try QuantParams(scheme: uint8, min: [-1], max: [3])
        #expect(p.scales == [Float(4) / 255])
        #expect(p.zeroPoints == [64])   // 0 − round(−1 / (4/255)) = round(63.75)
    }

    @Test func rangesAreWidenedToIncludeZero() throws {
        // Negative only: max⁺ = 0, so 0 is the top code.
        let negative = try QuantParams(scheme: uint8, min: [-5], max: [-1])
        #expect(negative.scales == [Float(5) / 255] && negative.zeroPoints == [255])
        // Positive only: min⁻ = 0, so 0 is the bottom code.
        let positive = try QuantParams(scheme: uint8, min: [1], max: [5])
        #expect(positive.scales == [Float(5) / 255] && positive.zeroPoints == [0])
    }

    @Test func constantAndZeroTensors() throws {
        let zero = try QuantParams(scheme: uint8, observing: Tensor([Float](repeating: 0, count: 10)))
        #expect(zero.scales == [Float.ulpOfOne] && zero.zeroPoints == [0])
        let constant = try QuantParams(scheme: uint8, observing: Tensor([Float](repeating: 3, count: 10)))
        #expect(constant.scales == [Float(3) / 255] && constant.zeroPoints == [0])
        let negative = try QuantParams(scheme: uint8, observing: Tensor([Float](repeating: -2, count: 4)))
        #expect(negative.scales == [Float(2) / 255] && negative.zeroPoints == [255])
        let symmetricZero = try QuantParams(scheme: int8Symmetric, observing: Tensor([Float](repeating: 0, count: 3)))
        #expect(symmetricZero.scales == [Float.ulpOfOne] && symmetricZero.zeroPoints == [0])
    }

    @Test func tinyRangesGetTheMinimumScale() throws {
        let p = try QuantParams(scheme: uint8, min: [-1e-9], max: [1e-9])
        #expect(p.scales == [Float.ulpOfOne])
        #expect(p.zeroPoints == [0])   // round(−1e-9 / ε) = round(−0.0084) = 0
    }

    @Test func symmetricScales() throws {
        let full = try QuantParams(scheme: int8Symmetric, min: [-1], max: [2])
        #expect(full.scales == [Float(2) / 127.5] && full.zeroPoints == [0])
        let restricted = try QuantParams(scheme: QuantScheme(bits: 8, mapping: .symmetric(restrictedRange: true)), min: [-3], max: [2])
        #expect(restricted.scales == [Float(3) / 127] && restricted.zeroPoints == [0])
        let unsigned = try QuantParams(scheme: QuantScheme(bits: 8, signed: false, mapping: .symmetric(restrictedRange: false)),
                                       min: [-1], max: [2])
        #expect(unsigned.scales == [Float(2) / 127.5] && unsigned.zeroPoints == [128])
    }

    @Test func zeroPointIsRoundedHalfToEvenThenClamped() throws {
        // 4-bit unsigned, range [−1.5, 6]: scale = 7.5/15 = 0.5, min/scale = −3 exactly.
        let exact = try QuantParams(scheme: QuantScheme(bits: 4), min: [-1.5], max: [6])
        #expect(exact.scales == [0.5] && exact.zeroPoints == [3])
        // 2-bit unsigned, range [−0.5, 1]: scale = 1.5/3 = 0.5, min/scale = −1.
        let twoBit = try QuantParams(scheme: QuantScheme(bits: 2), min: [-0.5], max: [1])
        #expect(twoBit.zeroPoints == [1])
        // 1-bit unsigned, range [−0.25, 0.75]: scale 1, min/scale = −0.25 → round 0 → zp 0.
        let oneBit = try QuantParams(scheme: QuantScheme(bits: 1), min: [-0.25], max: [0.75])
        #expect(oneBit.scales == [1] && oneBit.zeroPoints == [0])
        // 1-bit unsigned, range [−0.5, 0.5]: min/scale = −0.5 → round half to even → −0 → zp 0.
        let tie = try QuantParams(scheme: QuantScheme(bits: 1), min: [-0.5], max: [0.5])
        #expect(tie.zeroPoints == [0])
        // 1-bit unsigned, range [−1.5, 0.5]: scale 2, min/scale = −0.75 → −1 → zp 1.
        let up = try QuantParams(scheme: QuantScheme(bits: 1), min: [-1.5], max: [0.5])
        #expect(up.scales == [2] && up.zeroPoints == [1])
    }

    @Test func perChannelObservesEachSlice() throws {
        let w = try Tensor(shape: [2, 3], scalars: [1, -2, 3, 0.5, 0.25, -4] as [Float])
        let rows = try TensorRange(of: w, axis: 0)
        #expect(rows.min == [-2, -4] && rows.max == [3, 0.5])
        let columns = try TensorRange(of: w, axis: 1)
        #expect(columns.min == [0.5, -2, -4] && columns.max == [1, 0.25, 3])
        let all = try TensorRange(of: w, axis: nil)
        #expect(all.min == [-4] && all.max == [3])
        let p = try QuantParams(scheme: QuantScheme(bits: 8, mapping: .symmetric(restrictedRange: false), granularity: .perChannel(axis: 0)),
                                observing: w)
        #expect(p.scales == [Float(3) / 127.5, Float(4) / 127.5] && p.zeroPoints == [0, 0])
    }

    @Test func largeTensorsAreObservedExactly() throws {
        // Enough elements to be split over threads; the extremes sit in different chunks.
        var g = SeededGenerator(seed: 3)
        var values = Distribution.uniform(lower: -1, upper: 1).samples(300_001, using: &g)
        values[7] = -1.75
        values[299_999] = 2.5
        let range = try TensorRange(of: Tensor(values), axis: nil)
        #expect(range.min == [-1.75] && range.max == [2.5])
        let perChannel = try TensorRange(of: Tensor(shape: [300_001, 1], scalars: values), axis: 1)
        #expect(perChannel.min == [-1.75] && perChannel.max == [2.5])
        // Many channels (scanned in one chunk) along the first and the last axis.
        let many = try Tensor(shape: [6_000, 25], scalars: Array(values[0..<150_000]))
        let rows = try TensorRange(of: many, axis: 0)
        #expect(rows.min.count == 6_000 && rows.min[0] == -1.75)
        #expect(rows.min[4_321] == values[(4_321 * 25)..<(4_322 * 25)].min()!)
        #expect(rows.max[5_999] == values[(5_999 * 25)..<150_000].max()!)
        let columns = try TensorRange(of: try many.reshaped(to: [25, 6_000]), axis: 1)
        #expect(columns.max[4_321] == stride(from: 4_321, to: 150_000, by: 6_000).map { values[$0] }.max()!)
    }

    @Test func observerAccumulatesBatches() throws {
        var observer = MinMaxObserver(scheme: uint8)
        #expect(throws: QuantError.emptyTensor) { try observer.params() }
        try observer.observe(Tensor([0.5, 1] as [Float]))
        try observer.observe(Tensor([-1, 0.25] as [Float]))
        try observer.observe(Tensor([3] as [Float]))
        #expect(observer.range == TensorRange(min: [-1], max: [3]))
        #expect(try observer.params() == QuantParams(scheme: uint8, min: [-1], max: [3]))
    }

    @Test func invalidInputsThrow() throws {
        #expect(throws: QuantError.emptyTensor) { try QuantParams(scheme: uint8, observing: Tensor([Float]())) }
        #expect(throws: QuantError.nonFiniteValue(index: 2, value: .infinity)) {
            try QuantParams(scheme: uint8, observing: Tensor([1, 2, .infinity, 3] as [Float]))
        }
        #expect(throws: QuantError.self) { try QuantParams(scheme: uint8, observing: Tensor([1, .nan] as [Float])) }
        #expect(throws: QuantError.axisOutOfBounds(axis: 2, rank: 2)) {
            try QuantParams(scheme: QuantScheme(bits: 8, granularity: .perChannel(axis: 2)), observing: Tensor(shape: [2, 2], repeating: 1))
        }
        #expect(throws: QuantError.rangeTooWide(min: -3e38, max: 3e38)) {
            try QuantParams(scheme: uint8, min: [-3e38], max: [3e38])
        }
        #expect(throws: QuantError.channelCountMismatch(parameterCount: 2, channelCount: 1)) {
            try QuantParams(scheme: uint8, min: [0, 1], max: [1, 2])
        }
    }

    @Test func validationRejectsBadParameters() throws {
        #expect(throws: QuantError.invalidScale(channel: 0, scale: 0)) {
            try QuantParams(scale: 0, zeroPoint: 0).validate(for: uint8)
        }
        #expect(throws: QuantError.invalidScale(channel: 1, scale: -1)) {
            try QuantParams(scales: [1, -1], zeroPoints: [0, 0]).validate(for: QuantScheme(bits: 8, granularity: .perChannel(axis: 0)))
        }
        #expect(throws: QuantError.invalidScale(channel: 0, scale: .infinity)) {
            try QuantParams(scale: .infinity, zeroPoint: 0).validate(for: uint8)
        }
        #expect(throws: QuantError.zeroPointOutOfRange(channel: 0, zeroPoint: 256, range: 0...255)) {
            try QuantParams(scale: 1, zeroPoint: 256).validate(for: uint8)
        }
        #expect(throws: QuantError.symmetricZeroPointMismatch(channel: 0, zeroPoint: 3, expected: 0)) {
            try QuantParams(scale: 1, zeroPoint: 3).validate(for: int8Symmetric)
        }
        #expect(throws: QuantError.channelCountMismatch(parameterCount: 2, channelCount: 1)) {
            try QuantParams(scales: [1, 1], zeroPoints: [0, 0]).validate(for: uint8)
        }
        #expect(throws: QuantError.channelCountMismatch(parameterCount: 1, channelCount: 2)) {
            try QuantParams(scales: [1], zeroPoints: [0, 0])
        }
    }
}
