import Testing
@testable import Quant

@Suite struct QuantSchemeTests {
    @Test(arguments: 1...16)
    func codeRangesFollowTheBitWidth(bits: Int) throws {
        let unsigned = try QuantScheme(bits: bits, signed: false)
        #expect(unsigned.codeRange == 0...Int32((1 << bits) - 1))
        let signed = try QuantScheme(bits: bits, signed: true)
        #expect(signed.codeRange == Int32(-(1 << (bits - 1)))...Int32((1 << (bits - 1)) - 1))
        if bits >= 2 {
            let restricted = try QuantScheme(bits: bits, mapping: .symmetric(restrictedRange: true))
            #expect(restricted.qmin == -restricted.qmax)
            let restrictedUnsigned = try QuantScheme(bits: bits, signed: false, mapping: .symmetric(restrictedRange: true))
            #expect(restrictedUnsigned.codeRange == 1...Int32((1 << bits) - 1))
            #expect(restrictedUnsigned.symmetricZeroPoint == Int32(1 << (bits - 1)))
        }
    }

    @Test func defaultsFollowPyTorch() throws {
        let affine = try QuantScheme(bits: 8)
        #expect(!affine.isSigned && affine.codeRange == 0...255 && affine.symmetricZeroPoint == nil)
        let symmetric = try QuantScheme(bits: 8, mapping: .symmetric(restrictedRange: false))
        #expect(symmetric.isSigned && symmetric.codeRange == -128...127 && symmetric.symmetricZeroPoint == 0)
        let unsignedSymmetric = try QuantScheme(bits: 8, signed: false, mapping: .symmetric(restrictedRange: false))
        #expect(unsignedSymmetric.symmetricZeroPoint == 128)
        #expect(try QuantScheme(bits: 4, granularity: .perChannel(axis: 1)).pytorchName == "per_channel_affine")
        #expect(symmetric.pytorchName == "per_tensor_symmetric")
    }

    @Test func perGroupSchemes() throws {
        let int4 = try QuantScheme(bits: 4, mapping: .symmetric(restrictedRange: false), granularity: .perGroup(axis: 1, size: 128))
        #expect(int4.axis == 1 && int4.groupSize == 128 && int4.codeRange == -8...7 && int4.symmetricZeroPoint == 0)
        #expect(int4.pytorchName == "per_group_symmetric")
        #expect(try QuantScheme(bits: 8, granularity: .perGroup(axis: 0, size: 2)).pytorchName == "per_group_affine")
        #expect(int4.description == "4-bit signed symmetric per-group (axis 1, groups of 128) [-8…7]")
        #expect(try int4.parameterCount(for: [256, 784]) == 256 * 7)            // 6 groups of 128 and one of 16
        #expect(try int4.parameterCount(for: [256, 768]) == 256 * 6)
        #expect(try int4.parameterCount(for: [2, 1, 3]) == 2 * 1 * 3)          // one group of 1 per line
        #expect(try QuantScheme(bits: 4, granularity: .perGroup(axis: 0, size: 3)).parameterCount(for: [10, 5]) == 4 * 5)
        #expect(try QuantScheme(bits: 4, granularity: .perChannel(axis: 1)).parameterCount(for: [10, 5]) == 5)
        #expect(try QuantScheme(bits: 4).parameterCount(for: [10, 5]) == 1)
        let channel = try QuantScheme(bits: 8, granularity: .perChannel(axis: 0))
        #expect(channel.axis == 0 && channel.groupSize == nil)
        #expect(try QuantScheme(bits: 8).axis == nil)
    }

    @Test func binaryAndTernarySchemes() throws {
        let binary = try QuantScheme(bits: 1, mapping: .binary)
        #expect(binary.isSigned && binary.isSymmetric && !binary.isRestricted && binary.symmetricZeroPoint == 0)
        #expect(binary.qmin == -1 && binary.qmax == 1 && binary.codeRange == -1...1)
        #expect(binary.pytorchName == "per_tensor_binary" && binary.description == "1-bit signed binary per-tensor {-1, +1}")
        let ternary = try QuantScheme(bits: 2, signed: true, mapping: .ternary, granularity: .perChannel(axis: 0))
        #expect(ternary.isSigned && ternary.isSymmetric && ternary.symmetricZeroPoint == 0 && ternary.codeRange == -1...1)
        #expect(ternary.pytorchName == "per_channel_ternary")
        #expect(ternary.description == "2-bit signed ternary per-channel (axis 0) [-1…1]")
        // The 1-bit uniform symmetric grid is one-sided: {−1, 0} signed.
        #expect(try QuantScheme(bits: 1, mapping: .symmetric(restrictedRange: false)).codeRange == -1...0)
        #expect(try QuantScheme(bits: 1, mapping: .binary, granularity: .perGroup(axis: 1, size: 64)).pytorchName == "per_group_binary")
    }

    @Test func invalidSchemesThrow() {
        #expect(throws: QuantError.bitsOutOfRange(0)) { try QuantScheme(bits: 0) }
        #expect(throws: QuantError.bitsOutOfRange(17)) { try QuantScheme(bits: 17) }
        #expect(throws: QuantError.restrictedRangeNeedsTwoBits) {
            try QuantScheme(bits: 1, mapping: .symmetric(restrictedRange: true))
        }
        #expect(QuantError.bitsOutOfRange(17).description.contains("1…16"))
        #expect(throws: QuantError.mappingNeedsBits(mapping: .binary, bits: 8, required: 1)) { try QuantScheme(bits: 8, mapping: .binary) }
        #expect(throws: QuantError.mappingNeedsSignedCodes(.ternary)) { try QuantScheme(bits: 2, signed: false, mapping: .ternary) }
        #expect(throws: QuantError.groupSizeOutOfRange(0)) { try QuantScheme(bits: 8, granularity: .perGroup(axis: 0, size: 0)) }
        #expect(throws: QuantError.negativeAxis(-1)) { try QuantScheme(bits: 8, granularity: .perGroup(axis: -1, size: 4)) }
    }
}
