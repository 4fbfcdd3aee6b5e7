extension FakeQuantLinear {
    /// The layer's weights as a deployed model stores them: the codes of its
    /// current grids bit-packed in the narrowest ``WeightFormat`` that holds
    /// them (``WeightFormat/Encoding/narrowest(for:)``), with one scale per
    /// slot (row, or group of a row).
    ///
    /// `packedWeights().dequantized()` is ``fakeQuantizedWeight``: the same
    /// codes times the same scales.
    ///
    /// - Throws: ``ModelError/unsupportedWeightScheme(_:)`` for codes wider
    ///   than 8 bits; ``ModelError/kernel(_:)`` if packing fails.
    public func packedWeights() throws(ModelError) -> BitPackedWeights {
        let quantizer = weightQuantizer
        let encoding = try WeightFormat.Encoding.narrowest(for: quantizer.scheme)
        let codes = weight.withUnsafeBufferPointer { quantizer.codes($0.baseAddress!, rows: outputFeatures) }
        do {
            let format = try WeightFormat(encoding, groupSize: quantizer.scheme.groupSize)
            return try BitPackedWeights(codes: codes, outFeatures: outputFeatures, inFeatures: inputFeatures,
                                        scales: quantizer.scales, format: format)
        } catch {
            throw .kernel(error)
        }
    }
}

extension WeightFormat.Encoding {
    /// The encoding with the fewest bits that stores every code of `scheme`:
    /// binary and ternary as themselves; a uniform signed grid in `int2`,
    /// `int4` or `int8` — so 3-bit codes (−4…3) take 4 bits of storage, and
    /// 5- and 6-bit codes take 8: packing only pays at 1, 2, 4 and 8 bits.
    ///
    /// - Throws: ``ModelError/unsupportedWeightScheme(_:)`` for unsigned,
    ///   affine or wider-than-8-bit codes.
    public static func narrowest(for scheme: QuantScheme) throws(ModelError) -> Self {
        switch scheme.mapping {
        case .binary: return .binary
        case .ternary: return .ternary
        case .affine, .symmetric: break
        }
        guard scheme.isSigned, scheme.isSymmetric else {
            throw .unsupportedWeightScheme("\(scheme): packed weights hold signed codes with zero-point 0")
        }
        for encoding in [Self.int2, .int4, .int8]
        where Int32(encoding.codeRange.lowerBound) <= scheme.qmin && Int32(encoding.codeRange.upperBound) >= scheme.qmax {
            return encoding
        }
        throw .unsupportedWeightScheme("\(scheme): packed weights hold at most 8-bit codes")
    }
}
