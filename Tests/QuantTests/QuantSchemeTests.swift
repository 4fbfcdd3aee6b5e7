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

    @Test func invalidSchemesThrow() {
        #expect(throws: QuantError.bitsOutOfRange(0)) { try QuantScheme(bits: 0) }
        #expect(throws: QuantError.bitsOutOfRange(17)) { try QuantScheme(bits: 17) }
        #expect(throws: QuantError.restrictedRangeNeedsTwoBits) {
            try QuantScheme(bits: 1, mapping: .symmetric(restrictedRange: true))
        }
        #expect(QuantError.bitsOutOfRange(17).description.contains("1…16"))
    }
}
