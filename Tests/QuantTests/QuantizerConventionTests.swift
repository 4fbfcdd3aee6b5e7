import Foundation
import Testing
@testable import Quant

/// Hand-checked cases: ties, negative ranges, constant tensors, and the
/// errors thrown for bad input.
@Suite struct QuantizerConventionTests {
    @Test func tiesRoundHalfToEvenBeforeTheZeroPointIsAdded() throws {
        let unit = try Quantizer(scheme: QuantScheme(bits: 8, signed: true), params: QuantParams(scale: 1, zeroPoint: 0))
        let x = Tensor([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 126.5, 127.5] as [Float])
        #expect(try unit.quantize(x).scalars == [0, 2, 2, 0, -2, -2, 126, 127])
        // With an odd zero-point the tie is still decided on x/scale
        // (torch.quantize_per_tensor's order): round(0.5) + 3 = 3, not round(3.5) = 4.
        let odd = try Quantizer(scheme: QuantScheme(bits: 8), params: QuantParams(scale: 0.25, zeroPoint: 3))
        #expect(try odd.quantize(Tensor([0.125, 0.375, -0.125, -0.375] as [Float])).scalars == [3, 5, 3, 1])
    }

    @Test func negativeOnlyRangeUsesTheTopCodeForZero() throws {
        let x = Tensor([-4, -3, -1, -2] as [Float])
        let quantizer = try Quantizer(scheme: QuantScheme(bits: 8), observing: x)
        #expect(quantizer.params.zeroPoints == [255])
        #expect(try quantizer.quantize(x).scalars == [0, 64, 191, 128])   // −1·255/4 = −63.75 → −64 + 255
        #expect(quantizer.representableRange() == -4...0)
    }

    @Test func constantTensorsRoundTripExactlyWhenRepresentable() throws {
        let constant = Tensor([Float](repeating: 3, count: 5))
        let quantizer = try Quantizer(scheme: QuantScheme(bits: 8), observing: constant)
        #expect(try quantizer.quantize(constant).scalars == [Int32](repeating: 255, count: 5))
        #expect(try quantizer.dequantize(quantizer.quantize(constant)).scalars.allSatisfy { abs($0 - 3) <= 3 * 0x1p-22 })
        let zeros = Tensor([Float](repeating: 0, count: 5))
        let zeroQuantizer = try Quantizer(scheme: QuantScheme(bits: 4, mapping: .symmetric(restrictedRange: false)), observing: zeros)
        #expect(try zeroQuantizer.fakeQuantize(zeros) == zeros)
    }

    @Test func errorStatistics() throws {
        let x = Tensor([1, -2, 3, 0] as [Float])
        let y = Tensor([1.5, -2, 2, 0] as [Float])
        let stats = try QuantizationErrorStats(original: x, reconstructed: y)
        #expect(stats.maxAbsError == 1)
        #expect(stats.meanSquaredError == 1.25 / 4)
        #expect(abs(stats.sqnrDecibels - 10 * log10(14 / 1.25)) < 1e-12)
        #expect(try QuantizationErrorStats(original: x, reconstructed: x).sqnrDecibels == .infinity)
        #expect(throws: QuantError.shapeMismatch(expected: [4], actual: [3])) {
            try QuantizationErrorStats(original: x, reconstructed: Tensor([1, 2, 3] as [Float]))
        }
    }

    @Test func sqnrGrowsAboutSixDecibelsPerBit() throws {
        var g = SeededGenerator(seed: 9)
        let x = Tensor(Distribution.uniform(lower: -1, upper: 1).samples(20_000, using: &g))
        let sqnr = try (6...10).map { bits in
            let quantizer = try Quantizer(scheme: QuantScheme(bits: bits), observing: x)
            return try QuantizationErrorStats(original: x, reconstructed: quantizer.fakeQuantize(x)).sqnrDecibels
        }
        for (a, b) in zip(sqnr, sqnr.dropFirst()) { #expect(abs(b - a - 6.02) < 0.3) }
    }

    @Test func bufferFormsMatchTheTensorFormsAndWorkInPlace() throws {
        var g = SeededGenerator(seed: 21)
        let x = try Tensor(shape: [30, 7], scalars: Distribution.laplace(location: 0, scale: 1).samples(210, using: &g))
        let quantizer = try Quantizer(scheme: QuantScheme(bits: 3, signed: true, granularity: .perChannel(axis: 1)), observing: x)
        var codes = [Int8](repeating: 0, count: x.count)
        var values = [Float](repeating: 0, count: x.count)
        try x.scalars.withUnsafeBufferPointer { input in
            try codes.withUnsafeMutableBufferPointer { try quantizer.quantize(input, shape: x.shape, into: $0) }
        }
        try codes.withUnsafeBufferPointer { q in
            try values.withUnsafeMutableBufferPointer { try quantizer.dequantize(q, shape: x.shape, into: $0) }
        }
        #expect(codes.map(Int32.init) == (try quantizer.quantize(x).scalars))
        #expect(values == (try quantizer.fakeQuantize(x).scalars))
        var inPlace = x.scalars
        try inPlace.withUnsafeMutableBufferPointer { buffer in
            try quantizer.fakeQuantize(UnsafeBufferPointer(buffer), shape: x.shape, into: buffer)
        }
        #expect(inPlace == values)
    }

    @Test func badInputThrowsDescriptiveErrors() throws {
        let quantizer = try Quantizer(scheme: QuantScheme(bits: 8), params: QuantParams(scale: 0.1, zeroPoint: 10))
        #expect(throws: QuantError.nonFiniteValue(index: 1, value: -.infinity)) {
            try quantizer.quantize(Tensor([1, -.infinity, 2] as [Float]))
        }
        #expect(throws: QuantError.self) { try quantizer.fakeQuantize(Tensor([Float.nan])) }
        #expect(throws: QuantError.codeTypeTooNarrow(type: "Int8", range: 0...255)) {
            try quantizer.quantize(Tensor([1] as [Float]), as: Int8.self)
        }
        let perChannel = try Quantizer(scheme: QuantScheme(bits: 8, granularity: .perChannel(axis: 1)),
                                       params: QuantParams(scales: [1, 1], zeroPoints: [0, 0]))
        #expect(throws: QuantError.channelCountMismatch(parameterCount: 2, channelCount: 3)) {
            try perChannel.quantize(Tensor(shape: [2, 3], repeating: 1))
        }
        #expect(throws: QuantError.axisOutOfBounds(axis: 1, rank: 1)) {
            try perChannel.quantize(Tensor([1, 2] as [Float]))
        }
        var out = [UInt8](repeating: 0, count: 2)
        #expect(throws: QuantError.bufferSizeMismatch(expected: 3, actual: 2)) {
            try [1, 2, 3].withUnsafeBufferPointer { x in
                try out.withUnsafeMutableBufferPointer { try quantizer.quantize(x, shape: [3], into: $0) }
            }
        }
        #expect(throws: QuantError.shapeMismatch(expected: [2], actual: [3])) {
            try [1, 2].withUnsafeBufferPointer { x in
                try out.withUnsafeMutableBufferPointer { try quantizer.quantize(x, shape: [3], into: $0) }
            }
        }
        let message = QuantError.nonFiniteValue(index: 4, value: .nan).description
        #expect(message.contains("element 4") && message.contains("nan"))
    }
}
